"""Marking attendance, the GPs' access codes, the sessions' typed codes and finding GPs. Never commits.

The rules these follow (which sessions, which GPs, which counts) are in trainer.attendance.rules.
"""
import secrets
from datetime import datetime
from enum import StrEnum
from functools import cache, lru_cache
from typing import NamedTuple

from sqlalchemy import Integer, String, Table, bindparam, func, or_, select, text
from sqlalchemy import insert as sqlalchemy_insert
from sqlalchemy.orm import joinedload

from trainer.attendance import rules
from trainer.attendance.models import (
    ROLE_COLUMNS,
    AccessCode,
    AccessCodeIssue,
    Attendance,
    AttendanceRevision,
    MarkSource,
    WatchMode,
)
from trainer.attendance.rules import HeadCount
from trainer.attendance.session_facts import SessionFacts
from trainer.core import clock, codes
from trainer.core.bounds import database_int
from trainer.core.database import UtcDateTime, insert_on_conflict, like_escaped
from trainer.extensions import db
from trainer.programmes.models import ParticipantRole, TrainingSession
from trainer.regions.models import Block, District, GramPanchayat
from trainer.regions.names import MINIMUM as names_minimum
from trainer.regions.names import search_key

CODE_DIGITS = 8
SESSION_CODE_DIGITS = 8
BATCH = 1000  # rows per statement when marking many


class AttendanceError(Exception):
    """A mark that was refused, with the reason in words for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Marking


class MarkedUnit(NamedTuple):
    """Who attends: the table of its marks (one row per session), the column naming it there, and the table of
    its marks' history. A gram panchayat is one; a partner organisation (trainer.partners) another, marked by the
    same statements under the same rules."""

    marks: Table
    key: str
    history: Table


GRAM_PANCHAYAT = MarkedUnit(Attendance.__table__, "gram_panchayat_id", AttendanceRevision.__table__)


def mark(session: TrainingSession, gram_panchayat: GramPanchayat, count: HeadCount, source: MarkSource,
         user_id: int | None = None, now: datetime | None = None) -> Attendance:
    """Record (or update) one gram panchayat's attendance and keep the mark in its history."""
    attendance_id, _revision = mark_many(session, [(gram_panchayat.id, count)], source, user_id, now)[
        gram_panchayat.id]
    # The row was written by a Core statement: load it afresh even if an older copy is in the session.
    return db.session.get(Attendance, attendance_id, populate_existing=True)


def mark_many(session: TrainingSession, marks: list[tuple[int, HeadCount]], source: MarkSource,
              user_id: int | None = None, now: datetime | None = None,
              unit: MarkedUnit = GRAM_PANCHAYAT) -> dict[int, tuple[int, int]]:
    """Record many gram panchayats' attendance at once; return {gp id: (attendance id, revision)}.

    Each row is inserted or, if the GP is already marked, updated in place by one INSERT … ON CONFLICT DO
    UPDATE … RETURNING, so two phones marking at the same moment leave one row (the unique (session, GP)
    constraint makes it certain) and each mark's history row gets the revision its own update produced.
    """
    marks = sorted(marks, key=lambda mark: mark[0])  # rows locked in GP id order: overlapping batches never deadlock
    problems = [problem for _gp_id, count in marks for problem in count.problems()]
    if problems:
        raise AttendanceError(" ".join(dict.fromkeys(problems)))
    if len({gp_id for gp_id, _count in marks}) != len(marks):
        raise ValueError("a gram panchayat is marked twice in one batch")
    now = now or clock.now()
    values = {gp_id: _values(count, source, user_id, now) for gp_id, count in marks}
    table = unit.marks
    statement = insert_on_conflict(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.session_id, table.c[unit.key]],
        set_={**{name: statement.excluded[name] for name in _VALUE_COLUMNS}, "revision": table.c.revision + 1},
    ).returning(table.c[unit.key], table.c.id, table.c.revision, sort_by_parameter_order=True)
    rows = [dict(session_id=session.id, **{unit.key: gp_id}, revision=1, first_marked_at=now,
                 **_bind(values[gp_id])) for gp_id, _count in marks]
    marked: dict[int, tuple[int, int]] = {}
    for start in range(0, len(rows), BATCH):
        for gp_id, attendance_id, revision in db.session.execute(statement, rows[start:start + BATCH]):
            marked[gp_id] = (attendance_id, revision)
    history = [dict(attendance_id=attendance_id, revision=revision, **_bind(values[gp_id]))
               for gp_id, (attendance_id, revision) in marked.items()]
    for start in range(0, len(history), BATCH):
        db.session.execute(sqlalchemy_insert(unit.history), history[start:start + BATCH])
    return marked


# Marks a member of staff makes by hand: replacing their own needs no question, replacing anyone else's does.
HAND_MARKS = (MarkSource.CHECKLIST, MarkSource.UPLOAD)


def replaces_anothers_mark(existing, user_id: int) -> bool:
    """Say whether a new mark by `user_id` would replace one someone else made (a secretary's or a
    representative's scan, another member of staff's checklist); `existing` is a GP's or an organisation's mark,
    or None."""
    if existing is None:
        return False
    return existing.source not in HAND_MARKS or existing.marked_by_id != user_id


_VALUE_COLUMNS = ("participants", *ROLE_COLUMNS.values(), "mode", "source", "marked_by_id", "marked_at", "made_at")


def _values(count: HeadCount, source: MarkSource, user_id: int | None, now: datetime,
            made_at: datetime | None = None) -> dict:
    return dict(participants=count.participants, mode=count.mode, source=source, marked_by_id=user_id,
                marked_at=now, made_at=made_at, **{ROLE_COLUMNS[role]: count.roles.get(role) for role in ParticipantRole})


def _bind(values: dict) -> dict:
    """Turn enum members into their stored values for a Core statement on the table."""
    return {key: (value.value if isinstance(value, StrEnum) else value) for key, value in values.items()}


def history_of(session_id: int, gram_panchayat_id: int) -> list[AttendanceRevision]:
    """Return every mark of a gram panchayat at a session, newest first, each with who made it."""
    return list(db.session.scalars(
        select(AttendanceRevision).join(Attendance, Attendance.id == AttendanceRevision.attendance_id)
        .where(Attendance.session_id == session_id, Attendance.gram_panchayat_id == gram_panchayat_id)
        .options(joinedload(AttendanceRevision.marked_by))
        .order_by(AttendanceRevision.revision.desc())))


def attendance_of(session: TrainingSession, gram_panchayat: GramPanchayat) -> Attendance | None:
    """Return a gram panchayat's attendance at a session, if it is marked."""
    return db.session.scalar(select(Attendance).where(Attendance.session_id == session.id,
                                                      Attendance.gram_panchayat_id == gram_panchayat.id))


# The secretary's mark


class Marked(NamedTuple):
    """What the confirmation page shows of a mark just written."""

    attendance_id: int
    revision: int
    participants: int
    marked_at: datetime  # when the server received it
    made_at: datetime | None = None  # when the phone made it, if it says so (a mark saved without network)


def mark_if_still_open(facts: SessionFacts, gram_panchayat_id: int, count: HeadCount, source: MarkSource,
                       user_id: int | None, now: datetime, made_at: datetime | None = None,
                       mark_key: str | None = None, unit: MarkedUnit = GRAM_PANCHAYAT) -> Marked | None:
    """Record one gram panchayat's mark, and its history row, if the session is still as `facts` describe it;
    return None, writing nothing, when the database holds it otherwise.

    The caller judged the window from `facts` (which may be a few seconds old, see session_facts). The upsert
    itself takes its row from the session only while the session is markable, at the times and with the
    window it had in `facts`: so a session cancelled, moved or closed since, on any app server, takes no mark.
    One row per GP per session and the revision of each mark are kept as by `mark_many`.

    `made_at` is when the phone made a mark it kept while it had no network (judged by rules.moment_made);
    `mark_key` the phone's one-time key for the mark: its history row holds it under a UNIQUE constraint, so
    that the same mark sent twice at once fails the second time with an IntegrityError (see `mark_by_key`).
    """
    problems = count.problems()
    if problems:
        raise AttendanceError(" ".join(dict.fromkeys(problems)))
    values = _bind(_values(count, source, user_id, now, made_at))
    programme = facts.programme
    written = db.session.execute(_upsert_while_open(unit), {
        **values, "session_id": facts.id, "unit_id": gram_panchayat_id, "starts_at": facts.starts_at,
        "ends_at": facts.ends_at, "opens": programme.attendance_opens_minutes,
        "closes": programme.attendance_closes_minutes}).first()
    if written is None:
        return None
    attendance_id, revision = written
    db.session.execute(_history_insert(unit), [dict(attendance_id=attendance_id, revision=revision, mark_key=mark_key,
                                                **values)])
    return Marked(attendance_id, revision, count.participants, now, made_at)


class KeyedMark(NamedTuple):
    """A mark recorded earlier under a phone's one-time key: where it went and what it said."""

    session_id: int
    gram_panchayat_id: int
    marked: Marked
    count: HeadCount


def mark_by_key(mark_key: str, unit: MarkedUnit = GRAM_PANCHAYAT) -> KeyedMark | None:
    """Return the mark recorded under a one-time key, if one was."""
    revisions, marks = unit.history, unit.marks
    row = db.session.execute(
        select(marks.c.session_id, marks.c[unit.key], revisions.c.attendance_id, revisions.c.revision,
               revisions.c.participants, revisions.c.marked_at, revisions.c.made_at, revisions.c.mode,
               *(revisions.c[column] for column in ROLE_COLUMNS.values()))
        .join(marks, marks.c.id == revisions.c.attendance_id).where(revisions.c.mark_key == mark_key)).first()
    if row is None:
        return None
    session_id, gram_panchayat_id, attendance_id, revision, participants, marked_at, made_at, mode, *roles = row
    count = HeadCount(participants, dict(zip(ROLE_COLUMNS, roles, strict=True)), WatchMode(mode) if mode else None)
    return KeyedMark(session_id, gram_panchayat_id, Marked(attendance_id, revision, participants, marked_at, made_at),
                     count)


@cache
def _upsert_while_open(unit: MarkedUnit):
    """INSERT … SELECT from the session while it is as seen … ON CONFLICT DO UPDATE … RETURNING, built once.

    Written as SQL text, which SQLite and PostgreSQL read alike: SQLAlchemy does not cache the compiled form
    of its dialects' ON CONFLICT constructs, and compiling one costs more than the rest of the mark.
    """
    columns = ("session_id", unit.key, "revision", "first_marked_at", *_VALUE_COLUMNS)
    values = (":session_id", ":unit_id", "1", ":marked_at", *(f":{name}" for name in _VALUE_COLUMNS))
    statuses = ", ".join(f"'{status.value}'" for status in rules.MARKABLE_STATUSES)
    updates = ", ".join(f"{name} = excluded.{name}" for name in _VALUE_COLUMNS)
    statement = text(
        f"INSERT INTO {unit.marks.name} ({', '.join(columns)}) "
        f"SELECT {', '.join(values)} FROM training_sessions "
        "JOIN programmes ON programmes.id = training_sessions.programme_id "
        f"WHERE training_sessions.id = :session_id AND training_sessions.status IN ({statuses}) "
        "AND training_sessions.starts_at = :starts_at AND training_sessions.ends_at = :ends_at "
        "AND programmes.attendance_opens_minutes = :opens AND programmes.attendance_closes_minutes = :closes "
        f"ON CONFLICT (session_id, {unit.key}) DO UPDATE SET {updates}, "
        f"revision = {unit.marks.name}.revision + 1 "
        "RETURNING id, revision")
    # Typed, so that each value is prepared as its column's (UTC times on SQLite) and PostgreSQL knows the
    # type of a NULL in the SELECT list.
    moments = [bindparam(name, type_=UtcDateTime()) for name in ("marked_at", "made_at", "starts_at", "ends_at")]
    numbers = [bindparam(name, type_=Integer()) for name in (
        "session_id", "unit_id", "participants", *ROLE_COLUMNS.values(), "marked_by_id", "opens",
        "closes")]
    words = [bindparam(name, type_=String()) for name in ("mode", "source")]
    return statement.bindparams(*moments, *numbers, *words)


@cache
def _history_insert(unit: MarkedUnit):
    return sqlalchemy_insert(unit.history)


# Access codes

GP_CODE_PURPOSE = "gp access code"


def _code_hash(gram_panchayat_id: int, code: str) -> str:
    """Hash a code with a key derived from the app's secret: a copy of the table alone reveals nothing."""
    return codes.code_hash(GP_CODE_PURPOSE, str(gram_panchayat_id), code)


def new_code() -> str:
    """Return a random code of digits, easy to type on any phone."""
    return codes.new_code(CODE_DIGITS)


def issue_code(gram_panchayat: GramPanchayat, user_id: int | None = None, whole_block: bool = False) -> str:
    """Give a gram panchayat a new access code (the old one stops working), record who issued it; return it
    in clear, once."""
    code, _version = codes.issue(AccessCode, AccessCodeIssue, {"gram_panchayat_id": gram_panchayat.id},
                                 GP_CODE_PURPOSE, user_id, CODE_DIGITS, whole_block=whole_block)
    return code


def issue_block_codes(block: Block, user_id: int | None = None) -> list[tuple[GramPanchayat, str]]:
    """Issue new codes to every gram panchayat of a block; return them in clear, in name order."""
    gram_panchayats = db.session.scalars(select(GramPanchayat).where(GramPanchayat.block_id == block.id)
                                         .order_by(GramPanchayat.name_en, GramPanchayat.lgd_code)).all()
    return [(gram_panchayat, issue_code(gram_panchayat, user_id, whole_block=True))
            for gram_panchayat in gram_panchayats]


def code_matches(gram_panchayat: GramPanchayat, code: str) -> AccessCode | None:
    """Return the GP's access code record if `code` is right, else None."""
    record = db.session.get(AccessCode, gram_panchayat.id)
    if record is None or not code_is_right(gram_panchayat.id, record.code_hash, code):
        return None
    return record


def code_is_right(gram_panchayat_id: int, code_hash: str | None, code: str) -> bool:
    """Say whether a typed code (spaces and dashes allowed) is the one whose hash is stored for the GP."""
    return codes.code_is_right(GP_CODE_PURPOSE, str(gram_panchayat_id), code_hash, code)


# Session codes and finding GPs


def ensure_session_code(session: TrainingSession) -> str:
    """Give a session the digits typed by phones that cannot scan, once."""
    while session.attendance_code is None:
        candidate = "".join(secrets.choice("0123456789") for _ in range(SESSION_CODE_DIGITS))
        if db.session.scalar(select(TrainingSession.id).where(TrainingSession.attendance_code == candidate)) is None:
            session.attendance_code = candidate
            db.session.flush()
    return session.attendance_code


def session_by_code(code: str) -> TrainingSession | None:
    digits = "".join(ch for ch in (code or "") if ch.isdigit())
    if len(digits) != SESSION_CODE_DIGITS:
        return None
    return db.session.scalar(select(TrainingSession).where(TrainingSession.attendance_code == digits))


def find_gram_panchayats(session: TrainingSession, text: str, limit: int = 20) -> list[GramPanchayat]:
    """Find the session's gram panchayats by LGD code or by a part of the Hindi or English name."""
    typed = _typed_match(text)
    if typed is None:
        return []
    by, parameters = typed
    query = (select(GramPanchayat).where(rules.invited_gram_panchayats(session), _match(by))
             .order_by(GramPanchayat.name_hi, GramPanchayat.lgd_code).limit(limit))
    return list(db.session.scalars(query, parameters))


class Candidate(NamedTuple):
    """A gram panchayat of a session that the secretary may mean, where it lies, and its access code's hash and
    version."""

    id: int
    lgd_code: int
    name_hi: str
    name_en: str
    code_hash: str | None  # None: no code issued yet
    code_version: int | None
    block_hi: str
    block_en: str
    district_hi: str
    district_en: str


def find_candidates(session_id: int, text: str, limit: int = 20) -> list[Candidate]:
    """Find the session's gram panchayats as `find_gram_panchayats` does, each with its access code, in one
    query: what the first mark of a phone needs to identify its GP."""
    typed = _typed_match(text)
    if typed is None:
        return []
    by, parameters = typed
    return _candidates(_candidates_query(session_id, by, limit), parameters)


def chosen_candidate(session_id: int, gram_panchayat_id: int) -> Candidate | None:
    """Return the gram panchayat chosen from a list, with its access code, if the session invites it."""
    found = _candidates(_candidates_query(session_id, "id", 1), {"number": gram_panchayat_id})
    return found[0] if found else None


def _candidates(query, parameters: dict) -> list[Candidate]:
    return [Candidate(*row) for row in db.session.execute(query, parameters)]


@lru_cache(maxsize=256)
def _candidates_query(session_id: int, by: str, limit: int):
    """Build the query of a session's candidates once: the phones of a session send it thousands of times."""
    # On the tables, not the models: a Core statement skips the ORM's work on each of its many executions.
    gram_panchayats, codes = GramPanchayat.__table__, AccessCode.__table__
    blocks, districts = Block.__table__, District.__table__
    return (select(gram_panchayats.c.id, gram_panchayats.c.lgd_code, gram_panchayats.c.name_hi,
                   gram_panchayats.c.name_en, codes.c.code_hash, codes.c.version, blocks.c.name_hi,
                   blocks.c.name_en, districts.c.name_hi, districts.c.name_en)
            .join(blocks, blocks.c.id == gram_panchayats.c.block_id)
            .join(districts, districts.c.id == blocks.c.district_id)
            .outerjoin(codes, codes.c.gram_panchayat_id == gram_panchayats.c.id)
            .where(rules.invited_districts(session_id), _match(by, gram_panchayats.c))
            .order_by(gram_panchayats.c.name_hi, districts.c.name_hi, blocks.c.name_hi, gram_panchayats.c.lgd_code)
            .limit(limit))


def _typed_match(text: str) -> tuple[str, dict] | None:
    """Say how typed text finds GPs: by LGD code, or by a part of either name or of their spelling-blind key,
    so that "haridih" finds हरिडीह (None: nothing typed)."""
    text = " ".join((text or "").replace("\x00", "").split())  # PostgreSQL refuses NUL in text
    if not text:
        return None
    code = database_int(text)
    if code is not None:
        return "code", {"number": code}
    names = {"english": f"%{like_escaped(text.lower())}%", "hindi": f"%{like_escaped(text)}%"}
    key = search_key(text)
    if len(key) < names_minimum:
        return "name", names
    return "name or key", names | {"key": f"%{key}%"}


def _match(by: str, columns=GramPanchayat):
    """The condition on GramPanchayat (or its table's columns) of a way of finding GPs, values left as parameters."""
    if by == "code":
        return columns.lgd_code == bindparam("number")
    if by == "id":
        return columns.id == bindparam("number")
    names = [func.lower(columns.name_en).like(bindparam("english"), escape="\\"),
             columns.name_hi.like(bindparam("hindi"), escape="\\")]
    if by == "name or key":
        names.append(columns.search_key.like(bindparam("key")))
    return or_(*names)
