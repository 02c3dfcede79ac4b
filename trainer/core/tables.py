"""Tables as files: CSV for any spreadsheet, XLSX with numbers and percentages as such.

Uploaded workbooks are read here too (`xlsx_rows`), as rows of text for an importer to check.

Every download of Trainer (reports, lists of GPs, access codes) is a list of `Table`s written here, so that
each file neutralises formula-like text the same way. openpyxl is imported where it is used: it is heavy,
and only these files need it.
"""
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date

from trainer.core.i18n import shown_share

SHEET_NAME_LENGTH = 31  # Excel's limit
# Indian digit grouping (5,32,630; 1,23,45,678) in Excel and LibreOffice: their "#,##0" groups by thousands
# whatever the pattern says, so the lakh and crore commas are literal, chosen by the number's size.
INDIAN_INTEGER = r'[>=10000000]##\,##\,##\,##0;[>=100000]##\,##\,##0;##,##0'
INDIAN_DECIMAL = r'[>=10000000]##\,##\,##\,##0.00;[>=100000]##\,##\,##0.00;##,##0.00'

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Share:
    """A fraction shown as a percentage: 66.7 in CSV, 0.667 formatted 0.0% in XLSX."""

    value: float | None


@dataclass
class Table:
    """One table: a sheet of a workbook, or the whole of a CSV file."""

    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


# CSV


def csv_bytes(table: Table) -> bytes:
    """Write a table as CSV in UTF-8 with a BOM (so that Excel reads Hindi), neutralising formula-like text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(header) for header in table.headers])
    writer.writerows([_csv_cell(value) for value in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Share):
        return "" if value.value is None else f"{shown_share(value.value) * 100:.1f}"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A spreadsheet opening the file would run =, +, - or @ as a formula: keep such text as text.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


# XLSX


def xlsx_bytes(tables: list[Table]) -> bytes:
    """Write each table on its own sheet: bold frozen header, numeric cells, shares as percentages."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, used))
        sheet.freeze_panes = "A2"
        for index, width in enumerate(_column_widths(table), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width

        def cell(value, header=False, sheet=sheet):
            if isinstance(value, Share):
                # The exact fraction, unless the cell's 0.0% would show 100.0% while something is left.
                exact = value.value
                made = WriteOnlyCell(sheet, exact if exact is None or not 0.999 < exact < 1 else shown_share(exact))
                made.number_format = "0.0%"
            elif isinstance(value, str):
                made = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
                made.data_type = "s"  # never a formula, even when the text starts with "="
                if len(value) > 60:
                    made.alignment = wrap
            else:
                made = WriteOnlyCell(sheet, value)
                if isinstance(value, bool):
                    pass
                elif isinstance(value, int):
                    made.number_format = INDIAN_INTEGER
                elif isinstance(value, float):
                    made.number_format = INDIAN_DECIMAL
                elif isinstance(value, date):
                    made.number_format = "yyyy-mm-dd"
            if header:
                made.font = bold
            return made

        sheet.append([cell(header, header=True) for header in table.headers])
        for row in table.rows:
            sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


class UnreadableWorkbook(Exception):
    """An uploaded file that is not an XLSX workbook openpyxl can read."""


def xlsx_rows(data: bytes, max_rows: int | None = None) -> list[list[str]]:
    """Return the first sheet of an XLSX workbook as rows of text (whole numbers without ".0", empty cells "").

    At most `max_rows` rows are read (a wrong file may hold a million). Raise UnreadableWorkbook for anything
    that is not a workbook, a damaged one included.
    """
    import zipfile

    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError) as exc:
        raise UnreadableWorkbook(str(exc)) from None
    try:
        sheet = workbook.worksheets[0] if workbook.worksheets else None
        if sheet is None:
            return []
        rows = []
        for row in sheet.iter_rows(values_only=True):
            if max_rows is not None and len(rows) == max_rows:
                break
            rows.append([_text_of_cell(value) for value in row])
        return rows
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError, OSError, IndexError) as exc:
        raise UnreadableWorkbook(str(exc)) from None
    finally:
        workbook.close()


def _text_of_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a mobile number or a code typed into a number cell
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _sheet_name(title: str, used: set[str]) -> str:
    """Make a unique sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip().strip("'")[:SHEET_NAME_LENGTH] or "Sheet"
    name, number = base, 2
    while name.casefold() in used:
        suffix = f" {number}"
        name, number = base[:SHEET_NAME_LENGTH - len(suffix)] + suffix, number + 1
    used.add(name.casefold())
    return name


def _column_widths(table: Table) -> list[float]:
    """Fit each column to its longest value, within reason (long text wraps)."""
    widths = []
    for index, header in enumerate(table.headers):
        longest = max([len(str(header))] + [len(_csv_cell(row[index])) for row in table.rows[:2000]])
        widths.append(min(60, max(8, longest + 2)))
    return widths
