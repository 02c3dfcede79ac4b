"""Attendance from a CSV file: validated whole (pure functions naming every bad line), then applied whole.

Used by the officers' upload page and `flask attendance import`; which GPs a user may mark, and the limits of
a head-count, are trainer.attendance.rules'.
"""
import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale, gettext
from sqlalchemy import case, select

from trainer.attendance import rules, services
from trainer.attendance.models import MarkSource, WatchMode
from trainer.attendance.rules import PARTICIPANTS, ROLE_COUNT, Bounds, HeadCount
from trainer.attendance.services import AttendanceError
from trainer.core.bounds import database_int
from trainer.core.files import FileRejected, Problem, decode_csv, unreadable_line
from trainer.extensions import db
from trainer.programmes.models import ParticipantRole, TrainingSession
from trainer.regions.areas import Area
from trainer.regions.models import GramPanchayat

MAX_ROWS = 20_000  # about the gram panchayats of a whole state; more is a wrong file
REQUIRED_COLUMNS = ("gp_code", "participants")
ROLE_COLUMN_NAMES = {role.value: role for role in ParticipantRole}  # sarpanch, secretary, ...
OPTIONAL_COLUMNS = ("mode", *ROLE_COLUMN_NAMES)
COLUMNS = (*REQUIRED_COLUMNS, *OPTIONAL_COLUMNS)
_WHOLE_NUMBER = re.compile(r"[+-]?\d+")
_QUERY_CHUNK = 500  # codes per IN (...): well under every database's limit of bound parameters


class AttendanceImportError(FileRejected):
    """The attendance file was rejected; `problems` names every bad line, in line order."""


@dataclass(frozen=True)
class AttendanceRow:
    """One good line of the file: a gram panchayat's code and its head-count."""

    line: int
    gp_code: int
    count: HeadCount


@dataclass(frozen=True)
class Reach:
    """A gram panchayat as the importer sees it: its id, and whether this user may mark it for this session."""

    id: int
    in_area: bool
    invited: bool


@dataclass
class ImportSummary:
    """What an import did."""

    created: int = 0
    updated: int = 0
    participants: int = 0

    @property
    def marked(self) -> int:
        """Return how many gram panchayats the file marked."""
        return self.created + self.updated


# The gram panchayats of the file


def load_reach(session: TrainingSession, area: Area, codes: Iterable[int]) -> dict[int, Reach]:
    """Look up gram panchayats by LGD code: their ids and whether a user of `area` may mark them."""
    found: dict[int, Reach] = {}
    codes = sorted(set(codes))
    in_area = case((area.condition(GramPanchayat), True), else_=False)
    invited = case((rules.invited_gram_panchayats(session), True), else_=False)
    for start in range(0, len(codes), _QUERY_CHUNK):
        chunk = codes[start:start + _QUERY_CHUNK]
        query = select(GramPanchayat.lgd_code, GramPanchayat.id, in_area, invited).where(
            GramPanchayat.lgd_code.in_(chunk))
        for code, gp_id, inside, is_invited in db.session.execute(query):
            found[code] = Reach(gp_id, bool(inside), bool(is_invited))
    return found


# Reading and checking the file (pure)


def _mode_names() -> dict[str, WatchMode]:
    """Return every accepted spelling of each mode: its value and its label in Hindi and English."""
    names = {}
    for locale in ("hi", "en_IN"):
        with force_locale(locale):
            names.update({_folded(str(mode.label)): mode for mode in WatchMode})
    names.update({_folded(mode.value): mode for mode in WatchMode})
    return names


def _folded(text: str) -> str:
    return " ".join(text.replace("_", " ").replace("-", " ").split()).casefold()


def read_attendance_rows(text: str) -> list[tuple[int, dict[str, str]]]:
    """Return (line number, row) for each non-empty row, after checking the header and the file's size."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise AttendanceImportError([Problem(1, gettext("the file is empty"))]) from None
    except csv.Error:
        raise AttendanceImportError([unreadable_line(1)]) from None
    names = [name.strip().lower() for name in header]
    problems = []
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        problems.append(Problem(1, gettext("missing columns: %(columns)s", columns=", ".join(missing))))
    unknown = [name or '""' for name in names if name not in COLUMNS]
    if unknown:
        problems.append(Problem(1, gettext("unknown columns: %(columns)s (the columns are %(allowed)s)",
                                           columns=", ".join(unknown), allowed=", ".join(COLUMNS))))
    repeated = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    if repeated:
        problems.append(Problem(1, gettext("repeated columns: %(columns)s", columns=", ".join(repeated))))
    if problems:
        raise AttendanceImportError(problems)
    index = {name: position for position, name in enumerate(names)}
    rows = []
    try:
        for values in reader:
            if not any(value.strip() for value in values):
                continue
            if len(rows) == MAX_ROWS:
                raise AttendanceImportError([Problem(reader.line_num, gettext(
                    "the file has more than %(max)s rows: split it into smaller files", max=f"{MAX_ROWS:,}"))])
            row = {name: (values[i].strip() if i < len(values) else "") for name, i in index.items()}
            if any(value.strip() for value in values[len(names):]):
                row[""] = ""  # the line has more values than the header has columns
            rows.append((reader.line_num, row))
    except csv.Error:
        raise AttendanceImportError([unreadable_line(reader.line_num)]) from None
    return rows


def _number(row: dict[str, str], column: str, bounds: Bounds, reasons: list[str]) -> int | None:
    """Read a count from its column, adding a reason when it is not a whole number within the bounds."""
    value = row.get(column, "")
    if not value:
        return None
    if not _WHOLE_NUMBER.fullmatch(value):
        reasons.append(gettext("%(column)s: “%(value)s” is not a whole number", column=column, value=value))
        return None
    try:
        number = int(value)
    except ValueError:  # over 4,300 digits, which int() refuses to read: out of range either way
        number = -1 if value.startswith("-") else bounds.maximum + 1
    if number < 0:
        reasons.append(gettext("%(column)s cannot be negative (%(value)s)", column=column, value=value))
    elif number < bounds.minimum:
        reasons.append(gettext("%(column)s must be at least %(min)s", column=column, min=bounds.minimum))
    elif number > bounds.maximum:
        reasons.append(gettext("%(column)s is %(value)s, more than %(max)s: check the number",
                               column=column, value=value, max=bounds.maximum))
    else:
        return number
    return None


def parse_attendance_rows(rows: Iterable[tuple[int, dict[str, str]]]) -> tuple[list[AttendanceRow], list[Problem]]:
    """Check each row on its own and against the others; return the good rows and every problem."""
    modes = _mode_names()
    good: list[AttendanceRow] = []
    problems: list[Problem] = []
    first_line: dict[int, int] = {}
    for line, row in rows:
        reasons: list[str] = []
        if "" in row:
            reasons.append(gettext("the line has more values than the header has columns"))
        code = None
        raw_code = row["gp_code"]
        if not raw_code:
            reasons.append(gettext("the gram panchayat code (gp_code) is empty"))
        elif (code := database_int(raw_code)) is None:
            reasons.append(gettext("gram panchayat code “%(value)s” is not a number", value=raw_code))
        else:
            if code in first_line:
                reasons.append(gettext("gram panchayat %(code)s is repeated: it is also on line %(other)s",
                                       code=code, other=first_line[code]))
            else:
                first_line[code] = line
        participants = _number(row, "participants", PARTICIPANTS, reasons)
        if participants is None and not row["participants"]:
            reasons.append(gettext("the number of participants is empty"))
        roles = {role: _number(row, column, ROLE_COUNT, reasons) for column, role in ROLE_COLUMN_NAMES.items()}
        count = HeadCount(participants or 0, roles)
        if participants is not None and count.roles_total > participants:
            reasons.append(gettext("the roles add up to %(sum)s, more than the %(total)s participants",
                                   sum=count.roles_total, total=participants))
        mode = None
        if row.get("mode"):
            mode = modes.get(_folded(row["mode"]))
            if mode is None:
                reasons.append(gettext("mode “%(value)s” is not one of: %(modes)s", value=row["mode"],
                                       modes=", ".join(m.value for m in WatchMode)))
        if reasons:
            problems.extend(Problem(line, reason) for reason in reasons)
        else:
            good.append(AttendanceRow(line, code, HeadCount(participants, roles, mode)))
    return good, problems


def check_reach(rows: Iterable[AttendanceRow], reach: Mapping[int, Reach]) -> list[Problem]:
    """Name every row whose gram panchayat is unknown, outside the user's area or not invited to the session."""
    problems = []
    for row in rows:
        place = reach.get(row.gp_code)
        if place is None:
            problems.append(Problem(row.line, gettext("there is no gram panchayat with code %(code)s",
                                                      code=row.gp_code)))
        elif not place.in_area:
            problems.append(Problem(row.line, gettext("gram panchayat %(code)s is outside your area",
                                                      code=row.gp_code)))
        elif not place.invited:
            problems.append(Problem(row.line, gettext("gram panchayat %(code)s is not in this session's divisions",
                                                      code=row.gp_code)))
    return problems


# Validating and applying


def validate_attendance_file(data: bytes, session: TrainingSession, area: Area) -> tuple[list[AttendanceRow],
                                                                                           dict[int, Reach]]:
    """Check a whole file; return its rows and their gram panchayats, or raise naming every bad line."""
    try:
        text = decode_csv(data)
    except FileRejected as exc:
        raise AttendanceImportError(exc.problems) from None
    rows, problems = parse_attendance_rows(read_attendance_rows(text))
    reach = load_reach(session, area, (row.gp_code for row in rows))
    problems += check_reach(rows, reach)
    if problems:
        raise AttendanceImportError(problems)
    if not rows:
        raise AttendanceImportError([Problem(1, gettext("the file has no rows"))])
    return rows, reach


def apply_attendance_rows(session: TrainingSession, rows: list[AttendanceRow], reach: Mapping[int, Reach],
                          source: MarkSource, user_id: int | None = None,
                          now: datetime | None = None) -> ImportSummary:
    """Mark every row's gram panchayat; flush, never commit (the caller commits once, or rolls back)."""
    summary = ImportSummary()
    try:
        marked = services.mark_many(session, [(reach[row.gp_code].id, row.count) for row in rows], source,
                                    user_id, now)
    except AttendanceError as exc:  # the rows were checked one by one already: a batch-wide refusal
        raise AttendanceImportError([Problem(rows[0].line, exc.message)]) from None
    for row in rows:
        _attendance_id, revision = marked[reach[row.gp_code].id]
        if revision == 1:
            summary.created += 1
        else:
            summary.updated += 1
        summary.participants += row.count.participants
    return summary


def import_attendance_csv(data: bytes, session: TrainingSession, area: Area, source: MarkSource,
                          user_id: int | None = None, now: datetime | None = None) -> ImportSummary:
    """Validate a whole file and, only if every line is good, mark every gram panchayat in it."""
    rows, reach = validate_attendance_file(data, session, area)
    return apply_attendance_rows(session, rows, reach, source, user_id, now)

