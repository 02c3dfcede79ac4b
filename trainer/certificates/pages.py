"""The public verify page, shown both from a scanned QR (/C/<code>) and from a typed serial (/certificates/verify):
the certificate's facts as issued and its standing, never an error page."""
from flask import make_response, render_template

from trainer.attendance import device
from trainer.certificates import services, signing
from trainer.certificates.verification import Verification
from trainer.core.i18n import current_language


def public_key_facts() -> dict:
    """The key that verifies certificates, as the verify page and the docs publish it."""
    public = signing.keys().public
    if public is None:
        return {}
    return {"id": signing.key_id(public), "pem": signing.public_key_text(public), "raw": signing.public_key_raw(public)}


def verify_page(result: Verification, typed: str | None = None):
    """Render the answer of the verify page (200 whatever it says; nothing cached: a revocation shows at once)."""
    certificate = result.certificate
    values = services.text_values(certificate, current_language()) if certificate is not None else {}
    gp = device.phone_gram_panchayat() if certificate is not None and certificate.gram_panchayat_id else None
    mine = gp is not None and gp.id == certificate.gram_panchayat_id and result.is_valid
    response = make_response(render_template("certificates/verify.html", result=result, values=values,
                                             typed=typed, mine=mine, key=public_key_facts()))
    response.headers["Cache-Control"] = "no-store"
    response.headers["X-Robots-Tag"] = "noindex"
    return response
