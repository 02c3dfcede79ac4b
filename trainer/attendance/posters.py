"""Printed matter in Hindi: a session's QR poster (PDF or PNG) and a block's access-code sheet, CSV and ZIP.

The pages are HTML templates laid out by WeasyPrint; Noto Sans Devanagari comes from the system fonts
through fontconfig, and Pango shapes the Devanagari. WeasyPrint and pypdfium2 are imported where they are used: they are heavy,
and only these documents need them.
"""
import io
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import current_app, render_template
from flask_babel import force_locale
from markupsafe import Markup

from trainer.attendance import services
from trainer.attendance.qr import make_qr
from trainer.core.database import utc_now
from trainer.programmes.calendar import TIMEZONE
from trainer.programmes.models import TrainingSession
from trainer.regions.models import Block, GramPanchayat
from trainer.reports.exports import Table, csv_bytes

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
    opens, closes = services.window(session)
    return _pdf("attendance/poster.html", "poster.css", session=session, programme=session.programme,
                qr_svg=Markup(qr.svg()), code=grouped(session.attendance_code), code_address=shown_address(code_url),
                opens=opens, closes=closes, same_day=_same_local_day(opens, closes))


def poster_png(session: TrainingSession, scan_url: str, code_url: str, dpi: int = POSTER_DPI) -> bytes:
    """Return the poster as a PNG image of its page, for sharing on WhatsApp and the like."""
    return pdf_page_png(poster_pdf(session, scan_url, code_url), dpi)


def pdf_page_png(pdf: bytes, dpi: int = POSTER_DPI, page_number: int = 0) -> bytes:
    """Render one page of a PDF to a PNG at `dpi`."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    try:
        bitmap = document[page_number].render(scale=dpi / 72)
        image = bitmap.to_pil()
    finally:
        document.close()
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True, dpi=(dpi, dpi))
    return buffer.getvalue()


def _same_local_day(first: datetime, second: datetime) -> bool:
    zone = ZoneInfo(TIMEZONE)
    return first.astimezone(zone).date() == second.astimezone(zone).date()


# A block's access codes


@dataclass(frozen=True)
class IssuedCode:
    """A gram panchayat and its new access code, in clear: lives only as long as the response."""

    gram_panchayat: GramPanchayat
    code: str


def access_codes_pdf(block: Block, issued: list[IssuedCode], issued_at: datetime | None = None) -> bytes:
    """Return the printable sheet of a block's new codes: one slip per gram panchayat, to cut and hand out."""
    return _pdf("attendance/access_codes_sheet.html", "access-codes.css", block=block, district=block.district,
                division=block.district.division, issued=issued, issued_at=issued_at or utc_now(),
                grouped=grouped)


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


# Rendering


def _pdf(template: str, stylesheet: str, **context) -> bytes:
    """Render a template in Hindi and lay it out as a PDF with one of static/css's print stylesheets."""
    from weasyprint import CSS, HTML

    with force_locale(PRINT_LOCALE):
        html = render_template(template, **context)
    styles = CSS(filename=os.path.join(current_app.static_folder, "css", stylesheet))
    return HTML(string=html).write_pdf(stylesheets=[styles])
