"""The address a certificate's QR code opens (blueprint `certificate_codes`, /C/<code>): the public verify page.

The prefix is one capital letter so that the whole QR text stays in the QR's alphanumeric mode
(trainer.certificates.signing). A serial (from a message's link) works here too.
"""
from flask import Blueprint, current_app

from trainer.certificates import verification
from trainer.certificates.pages import verify_page
from trainer.extensions import limiter

bp = Blueprint("certificate_codes", __name__, url_prefix="/C")


def _verify_limit() -> str:
    return current_app.config["CERTIFICATE_VERIFY_LIMIT"]


@bp.get("/<code>")
@limiter.limit(_verify_limit)
def open(code: str):  # noqa: A001 (the endpoint's name: what a scan does)
    """Say whether the certificate a QR code (or a serial) names is valid, and show it as issued."""
    return verify_page(verification.verify(code))
