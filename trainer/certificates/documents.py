"""A certificate as a printable page: A4 landscape, Hindi first (the English beneath), its QR and serial, laid out
by trainer.core.pdf; one certificate, a design's preview, or a whole district's certificates in one PDF."""
import base64
import io
from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from markupsafe import Markup

from trainer.attendance.qr import make_qr
from trainer.certificates import services, signing
from trainer.certificates.models import (
    Certificate,
    CertificateDesign,
    CertificateKind,
    CertificateState,
    RecipientKind,
)
from trainer.core import clock
from trainer.core.database import utc_now
from trainer.core.i18n import format_long_day
from trainer.core.pdf import pdf_page_png, render_pdf
from trainer.messaging.content import absolute_url

PRINT_LOCALE = "hi"
STYLESHEET = "certificate.css"
SAMPLE_SERIAL = "0000000000"


@dataclass(frozen=True)
class Signer:
    name_hi: str
    name_en: str
    designation_hi: str
    designation_en: str
    signature: str | None  # a data: URI


@dataclass(frozen=True)
class Page:
    """One certificate as the page prints it."""

    office_hi: str
    office_en: str
    emblem: str | None
    title_hi: str
    title_en: str
    recipient_hi: str
    recipient_en: str
    body_hi: str
    body_en: str
    serial: str
    issued_hi: str
    issued_en: str
    qr: Markup
    qr_version: int
    verify_address: str
    signers: list[Signer]
    mark: str  # "" for a valid certificate, else a word across it (revoked, replaced, sample)


def data_uri(png: bytes | None) -> str | None:
    return "data:image/png;base64," + base64.b64encode(png).decode() if png else None


def verify_url(code_or_serial: str) -> str:
    """The public address that checks a certificate: its QR code, or its serial (shorter, for messages)."""
    return absolute_url("certificate_codes.open", code=code_or_serial)


def shown_address(url: str) -> str:
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return url[len(scheme):]
    return url


def page_of(certificate: Certificate, design: CertificateDesign | None = None, mark: str | None = None) -> Page:
    """Lay out one certificate's page."""
    design = design or certificate.design
    values = {language: services.text_values(certificate, language) for language in ("hi", "en")}
    qr = make_qr(signing.qr_text(verify_url(certificate.payload)))
    if mark is None:
        with force_locale(PRINT_LOCALE):
            mark = "" if certificate.state is CertificateState.ISSUED else str(certificate.state.label)
    with force_locale("en_IN"):
        issued_en = format_long_day(certificate.issued_on)
    with force_locale(PRINT_LOCALE):
        issued_hi = format_long_day(certificate.issued_on)
    return Page(
        office_hi=design.office_hi, office_en=design.office_en, emblem=data_uri(design.emblem),
        title_hi=design.title_hi, title_en=design.title_en,
        recipient_hi=_recipient_line(certificate, "hi"), recipient_en=_recipient_line(certificate, "en"),
        body_hi=services.fill(services.body_of(design, certificate, "hi"), values["hi"]),
        body_en=services.fill(services.body_of(design, certificate, "en"), values["en"]) if design.body_en.strip()
        else "",
        serial=certificate.shown_serial, issued_hi=issued_hi, issued_en=issued_en,
        qr=Markup(qr.svg()), qr_version=qr.version,
        verify_address=shown_address(verify_url(certificate.serial)),
        signers=[Signer(s.name_hi, s.name_en, s.designation_hi, s.designation_en, data_uri(s.signature))
                 for s in design.signatories[:services.MAX_SIGNATORIES]],
        mark=mark)


def _recipient_line(certificate: Certificate, language: str) -> str:
    if certificate.recipient_kind is RecipientKind.GRAM_PANCHAYAT:
        name = certificate.recipient_hi if language == "hi" else (certificate.recipient_en or certificate.recipient_hi)
        return f"ग्राम पंचायत {name}" if language == "hi" else f"Gram Panchayat {name}"
    return certificate.recipient_hi if language == "hi" else certificate.recipient_en


def pages_pdf(pages: list[Page], title: str) -> bytes:
    """Lay out certificates' pages as one PDF, a landscape A4 page each."""
    return render_pdf("certificates/document.html", STYLESHEET, locale=PRINT_LOCALE, pages=pages,
                      document_title=title, actual_text=True)


def certificate_pdf(certificate: Certificate) -> bytes:
    """Return one certificate as a PDF."""
    return pages_pdf([page_of(certificate)], f"{certificate.design.title_hi} {certificate.shown_serial}")


PAGES_PER_PART = 50  # laid out at a time: a district's 700 pages at once would hold half a gigabyte


def certificates_pdf(certificates: list[Certificate], title: str) -> bytes:
    """Return many certificates as one PDF for printing, one page each, laid out a part at a time and joined."""
    if len(certificates) <= PAGES_PER_PART:
        return pages_pdf([page_of(certificate) for certificate in certificates], title)
    import pypdfium2

    joined = pypdfium2.PdfDocument.new()
    try:
        for start in range(0, len(certificates), PAGES_PER_PART):
            part = pypdfium2.PdfDocument(pages_pdf([page_of(c) for c in certificates[start:start + PAGES_PER_PART]],
                                                   title))
            try:
                joined.import_pages(part)
            finally:
                part.close()
        buffer = io.BytesIO()
        joined.save(buffer)
        return buffer.getvalue()
    finally:
        joined.close()


def sample(design: CertificateDesign) -> Certificate:
    """A certificate that is never saved, to preview a design with: typical names, sessions and a head-count."""
    today = clock.local_day(utc_now())
    facts = {
        "gp": {"code": 123456, "hi": "रामपुर", "en": "Rampur"},
        "block": {"code": 1234, "hi": "सीहोर", "en": "Sehore"},
        "district": {"code": 123, "hi": "सीहोर", "en": "Sehore"},
        "programme": {"hi": design.programme.title_hi if design.programme else "कोविड-19 रोकथाम में पंचायतों की भूमिका",
                      "en": design.programme.title_en if design.programme else "Role of panchayats in COVID-19 prevention"},
        "sessions": [{"day": date(today.year, 7, 21).isoformat(), "hi": "", "en": ""},
                     {"day": date(today.year, 7, 28).isoformat(), "hi": "", "en": ""}],
        "participants": 18,
        "detail": {"hi": "परामर्शदाता, वन स्टॉप सेंटर", "en": "Counsellor, One Stop Centre"},
        "reason": {"hi": "एक माह तक निःशुल्क सेवा", "en": "a month of free service"},
    }
    if design.kind is CertificateKind.PARTICIPATION:
        recipient_kind, recipient_hi, recipient_en = RecipientKind.GRAM_PANCHAYAT, "रामपुर", "Rampur"
    else:
        recipient_kind, recipient_hi, recipient_en = RecipientKind.PERSON, "श्रीमती सुनीता वर्मा", "Smt. Sunita Verma"
    certificate = Certificate(serial=SAMPLE_SERIAL, kind=design.kind, state=CertificateState.ISSUED,
                              recipient_kind=recipient_kind, recipient_hi=recipient_hi, recipient_en=recipient_en,
                              facts=facts, issued_on=today)
    certificate.payload, _key = signing.sign(services.essentials(certificate))
    return certificate


def preview_pdf(design: CertificateDesign) -> bytes:
    """Return the design's certificate as it would print, filled with sample values and marked as a sample."""
    with force_locale(PRINT_LOCALE):
        mark = _("Sample")
    return pages_pdf([page_of(sample(design), design, mark=mark)], design.title_hi)


def preview_png(design: CertificateDesign, dpi: int = 60) -> bytes:
    """Return the preview's page as a small PNG for the design page."""
    return pdf_page_png(preview_pdf(design), dpi=dpi)
