"""Marking attendance, the GPs' access codes, the sessions' typed codes and finding GPs. Never commits.

The rules these follow (which sessions, which GPs, which counts) are in trainer.attendance.rules.
"""
import hashlib
import hmac
import secrets
from datetime import datetime
from enum import StrEnum

from flask import current_app
from sqlalchemy import func, or_, select
from sqlalchemy import insert as sqlalchemy_insert
from sqlalchemy.dialects import postgresql, sqlite

from trainer.attendance import rules
from trainer.attendance.models import (
    ROLE_COLUMNS,
    AccessCode,
    AccessCodeIssue,
    Attendance,
    AttendanceRevision,
    MarkSource,
)
from trainer.attendance.rules import HeadCount
from trainer.core import clock
from trainer.core.bounds import database_int
from trainer.core.database import utc_now
from trainer.extensions import db
from trainer.programmes.models import ParticipantRole, TrainingSession
from trainer.regions.models import Block, GramPanchayat

CODE_DIGITS = 8
SESSION_CODE_DIGITS = 8
BATCH = 1000  # rows per statement when marking many


class AttendanceError(Exception):
    """A mark that was refused, with the reason in words for people."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


# Marking


def mark(session: TrainingSession, gram_panchayat: GramPanchayat, count: HeadCount, source: MarkSource,
         user_id: int | None = None, now: datetime | None = None) -> Attendance:
    """Record (or update) one gram panchayat's attendance and keep the mark in its history."""
    attendance_id, _revision = mark_many(session, [(gram_panchayat.id, count)], source, user_id, now)[
        gram_panchayat.id]
    # The row was written by a Core statement: load it afresh even if an older copy is in the session.
    return db.session.get(Attendance, attendance_id, populate_existing=True)


def mark_many(session: TrainingSession, marks: list[tuple[int, HeadCount]], source: MarkSource,
              user_id: int | None = None, now: datetime | None = None) -> dict[int, tuple[int, int]]:
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
    insert = postgresql.insert if db.engine.dialect.name == "postgresql" else sqlite.insert
    table = Attendance.__table__
    statement = insert(table)
    statement = statement.on_conflict_do_update(
        index_elements=[table.c.session_id, table.c.gram_panchayat_id],
        set_={**{name: statement.excluded[name] for name in _VALUE_COLUMNS}, "revision": table.c.revision + 1},
    ).returning(table.c.gram_panchayat_id, table.c.id, table.c.revision, sort_by_parameter_order=True)
    rows = [dict(session_id=session.id, gram_panchayat_id=gp_id, revision=1, first_marked_at=now,
                 **_bind(values[gp_id])) for gp_id, _count in marks]
    marked: dict[int, tuple[int, int]] = {}
    for start in range(0, len(rows), BATCH):
        for gp_id, attendance_id, revision in db.session.execute(statement, rows[start:start + BATCH]):
            marked[gp_id] = (attendance_id, revision)
    history = [dict(attendance_id=attendance_id, revision=revision, **_bind(values[gp_id]))
               for gp_id, (attendance_id, revision) in marked.items()]
    for start in range(0, len(history), BATCH):
        db.session.execute(sqlalchemy_insert(AttendanceRevision.__table__), history[start:start + BATCH])
    return marked


_VALUE_COLUMNS = ("participants", *ROLE_COLUMNS.values(), "mode", "source", "marked_by_id", "marked_at")


def _values(count: HeadCount, source: MarkSource, user_id: int | None, now: datetime) -> dict:
    return dict(participants=count.participants, mode=count.mode, source=source, marked_by_id=user_id,
                marked_at=now, **{ROLE_COLUMNS[role]: count.roles.get(role) for role in ParticipantRole})


def _bind(values: dict) -> dict:
    """Turn enum members into their stored values for a Core statement on the table."""
    return {key: (value.value if isinstance(value, StrEnum) else value) for key, value in values.items()}


def attendance_of(session: TrainingSession, gram_panchayat: GramPanchayat) -> Attendance | None:
    return db.session.scalar(select(Attendance).where(Attendance.session_id == session.id,
                                                      Attendance.gram_panchayat_id == gram_panchayat.id))


# Access codes


def _code_hash(gram_panchayat_id: int, code: str) -> str:
    """Hash a code with a key derived from the app's secret: a copy of the table alone reveals nothing."""
    key = hashlib.sha256(b"trainer gp access code:" + current_app.config["SECRET_KEY"].encode()).digest()
    return hmac.new(key, f"{gram_panchayat_id}:{code}".encode(), hashlib.sha256).hexdigest()


def new_code() -> str:
    """Return a random code of digits, easy to type on any phone."""
    return "".join(secrets.choice("0123456789") for _ in range(CODE_DIGITS))


def issue_code(gram_panchayat: GramPanchayat, user_id: int | None = None, whole_block: bool = False) -> str:
    """Give a gram panchayat a new access code (the old one stops working), record who issued it; return it
    in clear, once."""
    code = new_code()
    now = utc_now()
    existing = db.session.get(AccessCode, gram_panchayat.id)
    if existing is None:
        existing = AccessCode(gram_panchayat_id=gram_panchayat.id, code_hash=_code_hash(gram_panchayat.id, code),
                              version=1, issued_at=now, issued_by_id=user_id)
        db.session.add(existing)
    else:
        existing.code_hash = _code_hash(gram_panchayat.id, code)
        existing.version += 1
        existing.issued_at = now
        existing.issued_by_id = user_id
    db.session.add(AccessCodeIssue(gram_panchayat_id=gram_panchayat.id, version=existing.version,
                                   whole_block=whole_block, issued_at=now, issued_by_id=user_id))
    db.session.flush()
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
    typed = "".join(ch for ch in (code or "") if ch.isdigit())
    if record is None or not hmac.compare_digest(record.code_hash, _code_hash(gram_panchayat.id, typed)):
        return None
    return record


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
    text = " ".join((text or "").replace("\x00", "").split())  # PostgreSQL refuses NUL in text
    if not text:
        return []
    code = database_int(text)
    if code is not None:
        match = GramPanchayat.lgd_code == code
    else:
        pattern = f"%{text.lower()}%"
        match = or_(func.lower(GramPanchayat.name_en).like(pattern), GramPanchayat.name_hi.like(f"%{text}%"))
    query = (select(GramPanchayat).where(rules.invited_gram_panchayats(session), match)
             .order_by(GramPanchayat.name_hi, GramPanchayat.lgd_code).limit(limit))
    return list(db.session.scalars(query))
