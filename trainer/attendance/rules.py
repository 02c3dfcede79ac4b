"""The rules of attendance, each in one place: which sessions can be marked and when, which gram panchayats
a session (or a programme) is meant for, and what a head-count may be.

Everything that marks, checks or counts attendance asks here: the secretary's flow, the officers' checklist
and uploads, `flask attendance import`, feedback, the live pages and the reports.
"""
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

from flask_babel import gettext
from sqlalchemy import ColumnElement, Select, select

from trainer.core.i18n import format_moment
from trainer.extensions import db
from trainer.programmes.models import (
    ParticipantRole,
    Programme,
    SessionStatus,
    TrainingSession,
    programme_divisions,
    session_divisions,
)
from trainer.regions.models import Block, District, GramPanchayat

if TYPE_CHECKING:
    from trainer.attendance.models import WatchMode

# Which sessions take attendance: published ones, while and after they run. Drafts are the planners' only;
# a cancelled session takes none, and what it had stops counting in the reports.
MARKABLE_STATUSES = (SessionStatus.PUBLISHED, SessionStatus.LIVE, SessionStatus.COMPLETED)


def can_be_marked(session: TrainingSession) -> bool:
    """Say whether a session takes attendance at all (its window aside)."""
    return session.status in MARKABLE_STATUSES


# The window


class WindowState(StrEnum):
    EARLY = "early"
    OPEN = "open"
    CLOSED = "closed"


def window(session: TrainingSession) -> tuple[datetime, datetime]:
    """Return when panchayats may start and stop marking a session."""
    programme = session.programme
    return (session.starts_at - timedelta(minutes=programme.attendance_opens_minutes),
            session.ends_at + timedelta(minutes=programme.attendance_closes_minutes))


def window_state(session: TrainingSession, now: datetime) -> WindowState:
    """Say whether a moment falls before, inside or after the session's window."""
    opens, closes = window(session)
    if now < opens:
        return WindowState.EARLY
    return WindowState.OPEN if now <= closes else WindowState.CLOSED


def moment_made(claimed: datetime | None, received: datetime, grace: timedelta) -> datetime | None:
    """Return the moment a mark the phone kept while it had no network counts as made (None: it says nothing).

    The phone's word is taken only within bounds: a moment after the server's is the server's (a phone clock
    running fast gains nothing), and one more than `grace` before it is not believed either: such a mark is
    judged as made on arrival. Within the grace, a mark made inside the window counts even if the window has
    closed since, and one made before it opened is refused.
    """
    if claimed is None:
        return None
    if claimed > received or received - claimed > grace:
        return received
    return claimed


def recording_refusal(session: TrainingSession, now: datetime) -> str | None:
    """Say why officers may not record the session's attendance now, or None when they may.

    Officers record what happened, so there is no closing time (late records are their job); but nothing
    before the attendance window opens, and never for a draft or cancelled session.
    """
    if not can_be_marked(session):
        return gettext("Attendance cannot be recorded for a draft or cancelled session.")
    opens, _closes = window(session)
    if now < opens:
        return gettext("Attendance of this session can be recorded from %(moment)s.", moment=format_moment(opens))
    return None


# Who is invited
#
# A session is meant for the gram panchayats of its divisions, a programme for those of its divisions. The
# conditions come in two shapes: on District (for queries that already join GramPanchayat → Block →
# District) and on GramPanchayat alone. They are written on the tables' columns, which ORM queries take as
# they take the models' attributes, so that the secretary's flow can send them in plain Core statements
# (without the ORM's work on every statement, which costs that busiest request more than its SQL does).
_GRAM_PANCHAYATS, _BLOCKS, _DISTRICTS = GramPanchayat.__table__, Block.__table__, District.__table__


def session_division_ids(session: TrainingSession | int) -> Select:
    """Select the ids of a session's divisions."""
    session_id = session if isinstance(session, int) else session.id
    return select(session_divisions.c.division_id).where(session_divisions.c.session_id == session_id)


def invited_districts(session: TrainingSession | int) -> ColumnElement[bool]:
    """Keep the districts (and, through a join, their GPs) that a session is meant for."""
    return _DISTRICTS.c.division_id.in_(session_division_ids(session))


def invited_gram_panchayats(session: TrainingSession | int) -> ColumnElement[bool]:
    """Keep the gram panchayats that a session is meant for, in a query on GramPanchayat alone."""
    return _GRAM_PANCHAYATS.c.block_id.in_(
        select(_BLOCKS.c.id).join(_DISTRICTS, _BLOCKS.c.district_id == _DISTRICTS.c.id)
        .where(invited_districts(session)))


def is_invited(session: TrainingSession, gram_panchayat: GramPanchayat) -> bool:
    """Say whether a gram panchayat lies in one of the session's divisions."""
    division_id = db.session.scalar(select(District.division_id).join(Block, Block.district_id == District.id)
                                    .where(Block.id == gram_panchayat.block_id))
    return division_id in {division.id for division in session.divisions}


def markable_condition(session: TrainingSession, area) -> ColumnElement[bool]:
    """Keep the gram panchayats that a user of `area` may mark (and see marked) for the session."""
    return area.condition(GramPanchayat) & invited_gram_panchayats(session)


def programme_targets(programme: Programme) -> ColumnElement[bool]:
    """Keep the districts (and, through a join, their GPs) that a programme is meant for."""
    return District.division_id.in_(select(programme_divisions.c.division_id)
                                    .where(programme_divisions.c.programme_id == programme.id))


# The head-count


@dataclass(frozen=True)
class Bounds:
    """The smallest and the largest number a count may be."""

    minimum: int
    maximum: int

    def __contains__(self, number: int) -> bool:
        return self.minimum <= number <= self.maximum


# More than a gram panchayat can bring is a typing mistake. The database's CHECK holds the same bounds.
MAX_PARTICIPANTS = 500
PARTICIPANTS = Bounds(1, MAX_PARTICIPANTS)  # the messages below say "1" and "0": keep them in step
ROLE_COUNT = Bounds(0, MAX_PARTICIPANTS)


@dataclass
class HeadCount:
    """How many came from a gram panchayat, optionally by role, and how they watched."""

    participants: int
    roles: dict[ParticipantRole, int | None] = field(default_factory=dict)
    mode: "WatchMode | None" = None

    @property
    def roles_total(self) -> int:
        return sum(count or 0 for count in self.roles.values())

    def problems(self) -> list[str]:
        """Return what is wrong with the counts, in words for people (empty when they are fine)."""
        found = []
        if self.participants not in PARTICIPANTS:
            found.append(gettext("The number of participants must be between 1 and %(max)s.",
                                 max=PARTICIPANTS.maximum))
        for role, count in self.roles.items():
            if count is not None and count not in ROLE_COUNT:
                found.append(gettext("%(role)s: give a number between 0 and %(max)s.", role=role.label,
                                     max=ROLE_COUNT.maximum))
        if self.roles_total > self.participants:
            found.append(gettext("The roles add up to more than the total number of participants."))
        return found
