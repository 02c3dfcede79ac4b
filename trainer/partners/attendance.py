"""Attendance of partner organisations at a programme's sessions: marked on the same poster and live QR pages as
the gram panchayats', by the same statements (trainer.attendance.services, with the organisations' tables), so
with the same guarantees: the session's window, one row per organisation per session, its history, a mark sent
twice kept once. Never commits.
"""
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import func, or_, select
from sqlalchemy.orm import joinedload

from trainer.attendance import services as attendance
from trainer.attendance.models import MarkSource
from trainer.attendance.rules import HeadCount
from trainer.attendance.services import MarkedUnit
from trainer.attendance.session_facts import SessionFacts
from trainer.core.database import like_escaped
from trainer.extensions import db
from trainer.partners.models import (
    Organisation,
    OrganisationAccessCode,
    OrganisationAttendance,
    OrganisationAttendanceRevision,
    ProgrammePartner,
)
from trainer.programmes.models import TrainingSession

ORGANISATION = MarkedUnit(OrganisationAttendance.__table__, "organisation_id", OrganisationAttendanceRevision.__table__)


class Candidate(NamedTuple):
    """A partner of the session's programme that the representative may mean, with its access code's hash."""

    id: int
    name_hi: str
    name_en: str
    code_hash: str | None  # None: no code issued yet
    code_version: int | None


def find_partners(programme_id: int, text: str | None = None, organisation_id: int | None = None,
                  limit: int = 20) -> list[Candidate]:
    """Find a programme's partners by a part of either name (or the one chosen from a list), each with its code."""
    query = (select(Organisation.id, Organisation.name_hi, Organisation.name_en, OrganisationAccessCode.code_hash,
                    OrganisationAccessCode.version)
             .join(ProgrammePartner, ProgrammePartner.organisation_id == Organisation.id)
             .outerjoin(OrganisationAccessCode, OrganisationAccessCode.organisation_id == Organisation.id)
             .where(ProgrammePartner.programme_id == programme_id)
             .order_by(Organisation.name_hi, Organisation.name_en, Organisation.id).limit(limit))
    if organisation_id is not None:
        query = query.where(Organisation.id == organisation_id)
    else:
        typed = " ".join((text or "").replace("\x00", "").split())
        if not typed:
            return []
        query = query.where(or_(func.lower(Organisation.name_en).like(f"%{like_escaped(typed.lower())}%", escape="\\"),
                                Organisation.name_hi.like(f"%{like_escaped(typed)}%", escape="\\")))
    return [Candidate(*row) for row in db.session.execute(query)]


def mark_if_still_open(facts: SessionFacts, organisation_id: int, participants: int, source: MarkSource,
                       user_id: int | None, now: datetime, mark_key: str | None = None) -> attendance.Marked | None:
    """Record one organisation's mark, and its history row, if the session is still as `facts` describe it
    (None, writing nothing, when it is not); see trainer.attendance.services.mark_if_still_open."""
    return attendance.mark_if_still_open(facts, organisation_id, HeadCount(participants), source, user_id, now,
                                         mark_key=mark_key, unit=ORGANISATION)


def mark_by_key(mark_key: str) -> attendance.KeyedMark | None:
    """Return the organisation's mark recorded under a phone's one-time key, if one was."""
    return attendance.mark_by_key(mark_key, unit=ORGANISATION)


def mark(session: TrainingSession, organisation: Organisation, participants: int, source: MarkSource,
         user_id: int | None = None, now: datetime | None = None) -> OrganisationAttendance:
    """Record (or correct) one organisation's attendance as staff, whatever the window, and keep it in the
    history."""
    attendance_id, _revision = attendance.mark_many(session, [(organisation.id, HeadCount(participants))], source,
                                                    user_id, now, unit=ORGANISATION)[organisation.id]
    return db.session.get(OrganisationAttendance, attendance_id, populate_existing=True)


def mark_many(session: TrainingSession, counts: list[tuple[int, int]], source: MarkSource,
              user_id: int | None = None, now: datetime | None = None) -> dict[int, tuple[int, int]]:
    """Record (or correct) many organisations' head-counts at once as staff, whatever the window, each kept in its
    history; return {organisation id: (attendance id, revision)}."""
    return attendance.mark_many(session, [(organisation_id, HeadCount(participants))
                                          for organisation_id, participants in counts],
                                source, user_id, now, unit=ORGANISATION)


def marks_at(session_id: int, organisation_ids: list[int]) -> dict[int, OrganisationAttendance]:
    """Return the marks of these organisations at a session, by organisation id, each with who made it."""
    if not organisation_ids:
        return {}
    return {mark.organisation_id: mark for mark in db.session.scalars(
        select(OrganisationAttendance)
        .where(OrganisationAttendance.session_id == session_id,
               OrganisationAttendance.organisation_id.in_(organisation_ids))
        .options(joinedload(OrganisationAttendance.marked_by))
        .execution_options(populate_existing=True))}


def history_of(session_id: int, organisation_id: int) -> list[OrganisationAttendanceRevision]:
    """Return every mark of an organisation at a session, newest first, each with who made it."""
    return list(db.session.scalars(
        select(OrganisationAttendanceRevision)
        .join(OrganisationAttendance, OrganisationAttendance.id == OrganisationAttendanceRevision.attendance_id)
        .where(OrganisationAttendance.session_id == session_id,
               OrganisationAttendance.organisation_id == organisation_id)
        .options(joinedload(OrganisationAttendanceRevision.marked_by))
        .order_by(OrganisationAttendanceRevision.revision.desc())))
