"""What the public verify page says of a scanned QR code or a typed serial: valid, revoked (and why), replaced (and
by which), or not valid — for anything else, without saying why, so that nothing is learnt of other serials."""
from dataclasses import dataclass

from trainer.certificates import services, signing
from trainer.certificates.models import Certificate, CertificateState

VALID, REVOKED, REPLACED, NOT_VALID = "valid", "revoked", "replaced", "not_valid"
MAX_CODE_LENGTH = 600


@dataclass(frozen=True)
class Verification:
    """The answer of the verify page."""

    status: str
    certificate: Certificate | None = None
    replaced_by: Certificate | None = None
    signed: signing.Checked | None = None  # what the scanned QR says, its signature checked

    @property
    def is_valid(self) -> bool:
        return self.status == VALID


def verify(code_or_serial: str | None) -> Verification:
    """Check a QR's code (its signature, then the certificate it names) or look a typed serial up."""
    text = (code_or_serial or "").strip()[:MAX_CODE_LENGTH]
    serial = services.normalise_serial(text)
    if serial is not None:
        return _standing(services.find_by_serial(serial))
    checked = signing.check(text)
    if checked is None:
        return Verification(NOT_VALID)
    certificate = services.find_by_serial(checked.essentials.serial)
    if certificate is None or certificate.payload != text.upper():
        return Verification(NOT_VALID)
    return _standing(certificate, checked)


def _standing(certificate: Certificate | None, checked: signing.Checked | None = None) -> Verification:
    if certificate is None:
        return Verification(NOT_VALID)
    if certificate.state is CertificateState.REVOKED:
        return Verification(REVOKED, certificate, signed=checked)
    if certificate.state is CertificateState.REPLACED:
        return Verification(REPLACED, certificate, services.current_version(certificate), signed=checked)
    return Verification(VALID, certificate, signed=checked)
