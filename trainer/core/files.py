"""Files that people upload (CSV of places, attendance, and whatever comes next): checked whole, every bad line
named, then applied whole in the request's one transaction, or not at all."""
import csv
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from flask import flash
from flask_babel import gettext
from flask_babel import lazy_gettext as _l

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
