"""Create and change programmes, modules and sessions, and look them up for pages. Never commits."""
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask_babel import gettext
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from trainer.core import clock, ordering
from trainer.extensions import db
from trainer.programmes.calendar import CalendarError, Slot, note_public_change, require_no_clashes
from trainer.programmes.models import (
    PUBLIC_STATUSES,
    Module,
    Programme,
    SessionStatus,
    TrainingSession,
    session_divisions,
)
from trainer.regions.models import Division


@dataclass
class Channels:
    """Where a session can be watched or attended; any of them may be empty."""

    youtube_url: str = ""
    webcast_url: str = ""
    meeting_url: str = ""
    meeting_details: str = ""
    venue: str = ""

    def apply_to(self, session: TrainingSession) -> bool:
        """Copy the channels onto a session and say whether anything changed."""
        changed = False
        for name, value in vars(self).items():
            value = (value or "").strip()
            if getattr(session, name) != value:
                setattr(session, name, value)
                changed = True
        return changed


@dataclass
class SessionChange:
    """What a planner may change about one session."""

    starts_at: datetime
    ends_at: datetime
    divisions: list[Division]
    modules: list[Module]
    channels: Channels = field(default_factory=Channels)


# Programmes and modules


def save_programme(programme: Programme, **values) -> Programme:
    """Create or update a programme from form values; add it to the session when new."""
    divisions = values.pop("divisions", None)
    for name, value in values.items():
        setattr(programme, name, value)
    if divisions is not None:
        programme.divisions = list(divisions)
    if programme.id is None:
        db.session.add(programme)
    db.session.flush()
    return programme


def add_module(programme: Programme, **values) -> Module:
    """Append a module at the end of the programme's order."""
    last = max((module.position for module in programme.modules), default=0)
    module = Module(position=last + 1, **values)
    programme.modules.append(module)
    db.session.flush()
    return module


def update_module(module: Module, **values) -> Module:
    """Change a module; published sessions that teach it are marked changed for calendars and YouTube."""
    for name, value in values.items():
        setattr(module, name, value)
    for session in sessions_teaching(module):
        note_public_change(session)
    db.session.flush()
    return module


def delete_module(module: Module) -> None:
    """Remove a module no session teaches, and close the gap in the order."""
    if sessions_teaching(module):
        raise CalendarError([gettext("Sessions teach this module: remove it from them, or propose the "
                                     "calendar again, before deleting it.")])
    programme = module.programme
    programme.modules.remove(module)
    db.session.flush()
    ordering.renumber(programme.modules)
    db.session.expire(programme, ["modules"])


def move_module(module: Module, step: int) -> None:
    """Move a module one place earlier (step -1) or later (step +1) in the teaching order."""
    programme = module.programme
    if ordering.move(programme.modules, module, step):
        db.session.expire(programme, ["modules"])


def sessions_teaching(module: Module) -> list[TrainingSession]:
    return [session for session in module.programme.sessions if module in session.modules]


# Sessions


def add_session(programme: Programme, change: SessionChange) -> TrainingSession:
    """Add one draft session to a programme, or raise CalendarError naming its clashes."""
    session = TrainingSession(status=SessionStatus.DRAFT, starts_at=change.starts_at, ends_at=change.ends_at)
    _check(programme, session, change)
    session.divisions = list(change.divisions)
    session.modules = list(change.modules)
    change.channels.apply_to(session)
    programme.sessions.append(session)
    db.session.flush()
    return session


def update_session(session: TrainingSession, change: SessionChange) -> TrainingSession:
    """Change one session, or raise CalendarError naming its clashes and leave it as it was."""
    if session.status in (SessionStatus.COMPLETED, SessionStatus.CANCELLED):
        raise CalendarError([gettext("A completed or cancelled session cannot be changed.")])
    _check(session.programme, session, change)
    changed = (session.starts_at != change.starts_at or session.ends_at != change.ends_at
               or list(session.divisions) != list(change.divisions) or list(session.modules) != list(change.modules))
    session.starts_at, session.ends_at = change.starts_at, change.ends_at
    session.divisions = list(change.divisions)
    session.modules = list(change.modules)
    changed = change.channels.apply_to(session) or changed
    if changed:
        note_public_change(session)
    db.session.flush()
    return session


def _check(programme: Programme, session: TrainingSession, change: SessionChange) -> None:
    problems = []
    if not change.divisions:
        problems.append(gettext("Choose at least one division."))
    if not change.modules:
        problems.append(gettext("Choose at least one module."))
    if change.ends_at <= change.starts_at:
        problems.append(gettext("The session must end after it starts."))
    foreign = [d for d in change.divisions if d not in programme.divisions]
    if foreign:
        problems.append(gettext("The programme does not train %(names)s.",
                                names=", ".join(d.name_hi for d in foreign)))
    if problems:
        raise CalendarError(problems)
    experts = {}
    for module in change.modules:
        for name in module.expert_list:
            experts.setdefault(name.casefold(), name)
    slot = Slot(session, change.starts_at, change.ends_at, tuple(d.id for d in change.divisions),
                tuple(experts.values()), " · ".join(module.title for module in change.modules))
    require_no_clashes(programme, [slot])


def cancel_session(session: TrainingSession) -> None:
    """Cancel a session: calendars show it cancelled, and its broadcast is deleted from the channel."""
    if session.status is SessionStatus.COMPLETED:
        raise CalendarError([gettext("A completed session cannot be cancelled.")])
    if session.status is SessionStatus.CANCELLED:
        return
    if session.status is SessionStatus.DRAFT:
        session.programme.sessions.remove(session)  # nobody has seen a draft: it simply goes
        db.session.flush()
        return
    session.status = SessionStatus.CANCELLED
    session.sequence += 1
    db.session.flush()


def set_running_state(session: TrainingSession, status: SessionStatus) -> None:
    """Mark a published session live, or a live or published one completed."""
    allowed = {SessionStatus.LIVE: (SessionStatus.PUBLISHED,),
               SessionStatus.COMPLETED: (SessionStatus.PUBLISHED, SessionStatus.LIVE)}
    if session.status not in allowed.get(status, ()):
        raise CalendarError([gettext("This session cannot be marked %(status)s now.", status=status.label)])
    session.status = status
    db.session.flush()


def advance_statuses(now: datetime | None = None) -> int:
    """Mark sessions live while they run and completed once they end; return how many changed."""
    now = now or clock.now()
    changed = 0
    for session in db.session.scalars(select(TrainingSession).where(
            TrainingSession.status.in_((SessionStatus.PUBLISHED, SessionStatus.LIVE)),
            TrainingSession.starts_at <= now)):
        status = SessionStatus.COMPLETED if session.ends_at <= now else SessionStatus.LIVE
        if session.status is not status:
            session.status = status
            changed += 1
    db.session.flush()
    return changed


# Looking up


def programme_query(public: bool):
    """Select programmes; the public sees only those with at least one published session."""
    query = select(Programme).order_by(Programme.first_day.desc(), Programme.id.desc())
    if public:
        query = query.where(Programme.id.in_(select(TrainingSession.programme_id).where(
            TrainingSession.status.in_(PUBLIC_STATUSES))))
    return query


def list_programmes(public: bool) -> list[Programme]:
    return list(db.session.scalars(programme_query(public).options(selectinload(Programme.divisions))))


def session_counts(programme_ids: list[int]) -> dict[int, dict[SessionStatus, int]]:
    """Count sessions per programme and status, in one query."""
    counts: dict[int, dict[SessionStatus, int]] = {pid: {} for pid in programme_ids}
    rows = db.session.execute(
        select(TrainingSession.programme_id, TrainingSession.status, func.count())
        .where(TrainingSession.programme_id.in_(programme_ids))
        .group_by(TrainingSession.programme_id, TrainingSession.status))
    for programme_id, status, count in rows:
        counts[programme_id][status] = count
    return counts


def sessions_of(programme: Programme, *, division: Division | None = None, public: bool = True,
                since: datetime | None = None) -> list[TrainingSession]:
    """Return a programme's sessions in time order, optionally for one division or from a moment on."""
    query = (select(TrainingSession).where(TrainingSession.programme_id == programme.id)
             .options(selectinload(TrainingSession.divisions), selectinload(TrainingSession.modules))
             .order_by(TrainingSession.starts_at, TrainingSession.id))
    if public:
        query = query.where(TrainingSession.status.in_(PUBLIC_STATUSES))
    if division is not None:
        query = query.where(TrainingSession.id.in_(select(session_divisions.c.session_id).where(
            session_divisions.c.division_id == division.id)))
    if since is not None:
        query = query.where(TrainingSession.ends_at > since)
    return list(db.session.scalars(query))


def split_by_day(sessions: list[TrainingSession], today: date) -> tuple[list, list, list]:
    """Split sessions into today's, upcoming and past by their Asia/Kolkata day."""
    todays, upcoming, past = [], [], []
    for session in sessions:
        day = clock.local_day(session.starts_at)
        if day == today:
            todays.append(session)
        elif day > today:
            upcoming.append(session)
        else:
            past.append(session)
    return todays, upcoming, past


def month_grid(year: int, month: int) -> list[list[date]]:
    """Return the weeks (Monday first) that cover a month, each a list of seven dates."""
    first = date(year, month, 1)
    start = first - timedelta(days=first.weekday())
    weeks = []
    while True:
        week = [start + timedelta(days=offset) for offset in range(7)]
        weeks.append(week)
        start += timedelta(days=7)
        if start.month != month:
            break
    return weeks
