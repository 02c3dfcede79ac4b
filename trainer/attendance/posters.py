"""Printed matter in Hindi: a session's QR poster (PDF or PNG) and a block's access-code sheet, CSV and ZIP.

Printed matter is always in Hindi, laid out by trainer.core.pdf.
"""
import io
import zipfile
from dataclasses import dataclass
from datetime import datetime

from markupsafe import Markup

from trainer.attendance import rules
from trainer.attendance.qr import make_qr
from trainer.core import clock
from trainer.core.pdf import pdf_page_png, render_pdf
from trainer.core.tables import Table, csv_bytes
from trainer.programmes.models import TrainingSession
from trainer.regions.models import Block, GramPanchayat

PRINT_LOCALE = "hi"
POSTER_DPI = 150
CSV_COLUMNS = ("gp_code", "gp_name_hi", "gp_name_en", "access_code")


def grouped(code: str | None) -> str:
    """Split a code of digits in groups of four, as people read it aloud: 4821 7730."""
    code = code or ""
    return " ".join(code[i:i + 4] for i in range(0, len(code), 4))


def shown_address(url: str) -> str:
    """Drop the scheme from an address printed for typing: every browser adds it back."""
    for scheme in ("https://", "http://"):
        if url.startswith(scheme):
            return url[len(scheme):]
    return url


# The session poster


def poster_pdf(session: TrainingSession, scan_url: str, code_url: str) -> bytes:
    """Return the session's A4 poster as a PDF: its QR code, what to do, and the code to type instead.

    The session must already have its typed code (services.ensure_session_code).
    """
    qr = make_qr(scan_url)
    opens, closes = rules.window(session)
    return render_pdf("attendance/poster.html", "poster.css", locale=PRINT_LOCALE, session=session,
                      programme=session.programme, qr_svg=Markup(qr.svg()), code=grouped(session.attendance_code),
                      code_address=shown_address(code_url), opens=opens, closes=closes,
                      same_day=clock.local_day(opens) == clock.local_day(closes))


def poster_png(session: TrainingSession, scan_url: str, code_url: str, dpi: int = POSTER_DPI) -> bytes:
    """Return the poster as a PNG image of its page, for sharing on WhatsApp and the like."""
    return pdf_page_png(poster_pdf(session, scan_url, code_url), dpi)


# A block's access codes


@dataclass(frozen=True)
class IssuedCode:
    """A gram panchayat and its new access code, in clear: lives only as long as the response."""

    gram_panchayat: GramPanchayat
    code: str


def access_codes_pdf(block: Block, issued: list[IssuedCode], issued_at: datetime | None = None) -> bytes:
    """Return the printable sheet of a block's new codes: one slip per gram panchayat, to cut and hand out."""
    return render_pdf("attendance/access_codes_sheet.html", "access-codes.css", locale=PRINT_LOCALE, block=block,
                      district=block.district, division=block.district.division, issued=issued,
                      issued_at=issued_at or clock.now(), grouped=grouped)


def access_codes_csv(issued: list[IssuedCode]) -> bytes:
    """Return the codes as CSV in UTF-8 with a BOM (so that Excel reads the Hindi names), through the reports'
    CSV writer, which keeps names like "=..." from becoming spreadsheet formulas."""
    return csv_bytes(Table("", list(CSV_COLUMNS),
                           [[item.gram_panchayat.lgd_code, item.gram_panchayat.name_hi, item.gram_panchayat.name_en,
                             item.code] for item in issued]))


def access_codes_zip(block: Block, issued: list[IssuedCode]) -> bytes:
    """Return one ZIP holding the block's sheet (PDF) and the same codes as CSV."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(f"access-codes-{block.lgd_code}.pdf", access_codes_pdf(block, issued))
        archive.writestr(f"access-codes-{block.lgd_code}.csv", access_codes_csv(issued))
    return buffer.getvalue()
