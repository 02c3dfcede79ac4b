"""Files that people upload (CSV of places, attendance, and whatever comes next): checked whole, every bad line
named, then applied whole in the request's one transaction, or not at all."""
import csv
import io
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import flash
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

from trainer.core.tables import UnreadableWorkbook, xlsx_rows
from trainer.extensions import db

T = TypeVar("T")


@dataclass(frozen=True)
class Problem:
    """Why one line of a file cannot be taken."""

    line: int
    reason: str

    def __str__(self) -> str:
        return str(_l("line %(line)s: %(reason)s", line=self.line, reason=self.reason))


class FileRejected(Exception):
    """A file refused whole; `problems` names every bad line, in line order."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(problems, key=lambda p: p.line)
        super().__init__("\n".join(str(p) for p in self.problems))


def decode_csv(data: bytes) -> str:
    """Return the text of a UTF-8 file (BOM allowed), or reject it naming each undecodable line."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        problems = []
        for number, raw in enumerate(data.splitlines(), start=1):
            try:
                raw.decode("utf-8-sig" if number == 1 else "utf-8")
            except UnicodeDecodeError:
                problems.append(Problem(number, str(_l("the text is not UTF-8; save the file as CSV UTF-8"))))
        raise FileRejected(problems) from None


def unreadable_line(line: int) -> Problem:
    """Say why the csv module could not read a line: with its default dialect, only a value too long can stop it."""
    return Problem(line, str(_l("the line cannot be read as CSV: a value is longer than %(max)s characters (is a "
                                "quotation mark left open?)", max=f"{csv.field_size_limit():,}")))


XLSX_MAGIC = b"PK\x03\x04"  # an XLSX workbook is a ZIP file


def table_rows(data: bytes, filename: str, max_rows: int) -> list[tuple[int, list[str]]]:
    """Return (line number, values stripped) of the lines of an uploaded CSV or XLSX file — told apart by their
    first bytes or the name — up to the header, `max_rows` lines and one more (so that "too many" can be named);
    or reject the file, naming why it cannot be read."""
    if data.startswith(XLSX_MAGIC) or filename.lower().endswith(".xlsx"):
        try:
            rows = xlsx_rows(data, max_rows=max_rows + 2)
        except UnreadableWorkbook:
            raise FileRejected([Problem(1, gettext(
                "the file cannot be read as an XLSX workbook; save it again from the spreadsheet, or as CSV "
                "UTF-8"))]) from None
        return [(number, [value.strip() for value in row]) for number, row in enumerate(rows, start=1)]
    reader = csv.reader(io.StringIO(decode_csv(data), newline=""))
    rows = []
    try:
        for values in reader:
            rows.append((reader.line_num, [value.strip() for value in values]))
            if len(rows) > max_rows + 1:
                break
    except csv.Error:
        raise FileRejected([unreadable_line(reader.line_num)]) from None
    return rows


def apply_upload(apply: Callable[[], T], success: str) -> tuple[T | None, list[Problem]]:
    """Apply an uploaded file in the request's transaction: commit and flash `success`, or, if the file is
    refused, roll back everything, say so, and return its problems."""
    try:
        result = apply()
    except FileRejected as rejected:
        db.session.rollback()
        flash(gettext("The file was not imported: fix the lines below and upload it again. Nothing was changed."),
              "error")
        return None, rejected.problems
    db.session.commit()
    flash(success, "success")
    return result, []
