"""A programme's calendar in the database: propose it, check it for clashes, move a division, publish it.

The rules themselves live in planning.py; this module turns rows into planner input and back, and words
each clash for people.
"""
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from flask_babel import format_date, format_datetime, gettext
from sqlalchemy import select

from trainer.core import clock
from trainer.core.i18n import clock_pattern, localized_name
from trainer.extensions import db
from trainer.programmes import planning
from trainer.programmes.models import SCHEDULED_STATUSES, Programme, SessionStatus, TrainingSession
from trainer.regions.models import Division


class CalendarError(Exception):
    """A calendar change that was refused, with every reason in words for people."""

    def __init__(self, messages: Sequence[str]) -> None:
        messages = list(dict.fromkeys(messages))  # each reason once, however many sessions give it
        super().__init__(*messages)
        self.messages = messages


@dataclass(frozen=True)
class Slot:
    """A session's place in time and its divisions and experts, as the clash check sees it."""

    session: TrainingSession
    starts_at: datetime
    ends_at: datetime
    division_ids: tuple[int, ...]
    experts: tuple[str, ...]
    title: str


def slot_of(session: TrainingSession) -> Slot:
    """Describe a session as it stands."""
    return Slot(session, session.starts_at, session.ends_at,
                tuple(division.id for division in session.divisions), tuple(session.experts), session.title)


# Proposing


def propose(programme: Programme) -> list[TrainingSession]:
    """Replace the programme's draft sessions with a whole proposed calendar, or raise CalendarError."""
    problems = []
    if not programme.modules:
        problems.append(gettext("Add the programme's modules first."))
    if not programme.divisions:
        problems.append(gettext("Choose the divisions to be trained first."))
    if not programme.slots:
        problems.append(gettext("Give at least one daily start time."))
    if any(s.status is not SessionStatus.DRAFT for s in programme.sessions):
        problems.append(gettext("This programme already has published sessions: change them one by one "
                                "instead of proposing a new calendar."))
    if problems:
        raise CalendarError(problems)
    modules = {str(module.id): module for module in programme.modules}
    divisions = {str(division.id): division for division in programme.divisions}
    request = planning.CalendarRequest(
        modules=tuple(planning.ModuleSpec(key, module.duration, frozenset(_expert_keys(module.expert_list)))
                      for key, module in modules.items()),
        divisions=tuple(divisions),
        first_day=programme.first_day, last_day=programme.last_day,
        slots=tuple(programme.slot_times), holidays=frozenset(programme.holiday_dates),
        order=planning.Order(programme.calendar_order.value), parallel=programme.parallel, timezone=clock.TIMEZONE,
        busy=tuple(_bookings_elsewhere(programme)))
    try:
        planned = planning.propose_calendar(request)
    except planning.CalendarDoesNotFit as error:
        raise CalendarError([gettext(
            "The calendar does not fit: %(unplaced)s of %(needed)s sessions found no room in "
            "%(slots)s available slots. Add days or daily start times, allow more sessions at once, "
            "or spread the experts.", unplaced=len(error.unplaced), needed=error.needed_sessions,
            slots=error.available_slots)]) from error
    for session in list(programme.sessions):
        programme.sessions.remove(session)
    db.session.flush()
    created = []
    for item in planned:
        session = TrainingSession(starts_at=item.start, ends_at=item.end, status=SessionStatus.DRAFT,
                                  divisions=[divisions[item.division]], modules=[modules[item.module]])
        programme.sessions.append(session)
        created.append(session)
    db.session.flush()
    return created


def _bookings_elsewhere(programme: Programme) -> list[planning.PlannedSession]:
    """Return the other programmes' scheduled sessions within the programme's dates that take one of its
    divisions or experts, as the planner sees them (one entry per division, each with the experts)."""
    division_ids = {division.id for division in programme.divisions}
    experts = {key for module in programme.modules for key in _expert_keys(module.expert_list)}
    start = datetime.combine(programme.first_day, datetime.min.time(), tzinfo=clock.IST)
    end = datetime.combine(programme.last_day + timedelta(days=1), datetime.min.time(), tzinfo=clock.IST)
    nearby = db.session.scalars(
        select(TrainingSession).where(TrainingSession.programme_id != programme.id,
                                      TrainingSession.status.in_(SCHEDULED_STATUSES),
                                      TrainingSession.starts_at < end, TrainingSession.ends_at > start))
    bookings = []
    for session in nearby:
        taught_by = frozenset(_expert_keys(session.experts))
        divisions = {division.id for division in session.divisions}
        if not (divisions & division_ids or taught_by & experts):
            continue
        for division_id in divisions or {0}:
            bookings.append(planning.PlannedSession(str(division_id), "", session.starts_at, session.ends_at,
                                                    taught_by))
    return bookings


# Checking


def clashes_for(programme: Programme, changed: Sequence[Slot] = ()) -> list[str]:
    """Word every clash that involves the changed slots, or every clash in the programme when none are given.

    The programme's own sessions must keep to its dates and working days; sessions of other programmes that
    share a division or an expert count for overlaps too, since neither people nor panchayats can be in two
    trainings at once.
    """
    changed_sessions = {id(slot.session) for slot in changed}
    own = [slot_of(s) for s in programme.sessions
           if s.status in SCHEDULED_STATUSES and id(s) not in changed_sessions] + list(changed)
    foreign = _other_programmes_slots(programme, own)
    slots = own + foreign
    planned, owner = _expand(slots)
    found = planning.find_clashes(planned, programme.first_day, programme.last_day,
                                  programme.holiday_dates, clock.TIMEZONE)
    focus = {id(slot) for slot in (changed or own)}
    foreign_ids = {id(slot) for slot in foreign}
    messages: list[str] = []
    seen: set[tuple] = set()
    for clash in found:
        first = owner[clash.session]
        other = owner[clash.other] if clash.other is not None else None
        if other is first:
            continue
        if id(first) not in focus and (other is None or id(other) not in focus):
            continue
        if clash.other is None and id(first) in foreign_ids:
            continue  # another programme's dates are its own business
        key = (clash.kind, id(first), id(other) if other else None, clash.expert, clash.day)
        if key not in seen:
            seen.add(key)
            messages.append(_word(clash, planned[clash.session].division, first, other))
    return messages


def require_no_clashes(programme: Programme, changed: Sequence[Slot] = ()) -> None:
    """Raise CalendarError naming every clash the change would cause."""
    messages = clashes_for(programme, changed)
    if messages:
        raise CalendarError(messages)


def _other_programmes_slots(programme: Programme, own: Sequence[Slot]) -> list[Slot]:
    """Return active sessions of other programmes in the same days that share a division or an expert."""
    if not own:
        return []
    first = min(slot.starts_at for slot in own)
    last = max(slot.ends_at for slot in own)
    division_ids = {division_id for slot in own for division_id in slot.division_ids}
    experts = set(_expert_keys(expert for slot in own for expert in slot.experts))
    query = (select(TrainingSession)
             .where(TrainingSession.programme_id != programme.id,
                    TrainingSession.status.in_(SCHEDULED_STATUSES),
                    TrainingSession.starts_at < last, TrainingSession.ends_at > first)
             .order_by(TrainingSession.starts_at))
    nearby = db.session.scalars(query).all()
    return [slot_of(s) for s in nearby
            if division_ids & {d.id for d in s.divisions} or experts & set(_expert_keys(s.experts))]


def _expand(slots: Sequence[Slot]) -> tuple[list[planning.PlannedSession], list[Slot]]:
    """Give the planner one entry per division of each slot; only the first carries the experts.

    A session taught to several divisions at once is one event: its copies must not clash with each other.
    """
    planned, owner = [], []
    for slot in slots:
        for rank, division_id in enumerate(slot.division_ids or (0,)):
            experts = frozenset(_expert_keys(slot.experts)) if rank == 0 else frozenset()
            planned.append(planning.PlannedSession(str(division_id), "", slot.starts_at, slot.ends_at, experts))
            owner.append(slot)
    return planned, owner


def _expert_keys(names: Iterable[str]) -> list[str]:
    return [" ".join(name.split()).casefold() for name in names]


def describe(slot: Slot) -> str:
    """Name a session for a clash message: its title, divisions and local date and time."""
    divisions = ", ".join(localized_name(db.session.get(Division, division_id)) for division_id in slot.division_ids)
    when = format_datetime(slot.starts_at, f"d MMM, {clock_pattern()}")
    return gettext("%(title)s (%(divisions)s, %(when)s)", title=slot.title, divisions=divisions,
                   when=when)


def _word(clash: planning.Clash, division_key: str, first: Slot, other: Slot | None) -> str:
    """Say in words what a clash is and which sessions it involves."""
    kind = planning.ClashKind
    if clash.kind is kind.EXPERT_BUSY:
        expert = next((name for name in first.experts if _expert_keys([name])[0] == clash.expert), clash.expert)
        return gettext("%(expert)s would be teaching twice at once: %(first)s and %(other)s.",
                       expert=expert, first=describe(first), other=describe(other))
    if clash.kind is kind.DIVISION_OVERLAP:
        division = localized_name(db.session.get(Division, int(division_key)))
        return gettext("%(division)s would have two sessions at once: %(first)s and %(other)s.",
                       division=division, first=describe(first), other=describe(other))
    if clash.kind is kind.OUTSIDE_RANGE:
        return gettext("%(session)s falls on %(day)s, outside the programme's dates.",
                       session=describe(first), day=format_date(clash.day, "d MMMM"))
    if clash.kind is kind.NOT_WORKING_DAY:
        return gettext("%(session)s falls on %(day)s, a Sunday or holiday.",
                       session=describe(first), day=format_date(clash.day, "EEEE d MMMM"))
    return gettext("%(session)s ends before it starts.", session=describe(first))


# Changing


def move_division(programme: Programme, division: Division, days: int) -> list[TrainingSession]:
    """Shift every active session of one division of the programme by whole working days (Sundays and the
    programme's holidays are skipped, the time of day is kept), or raise CalendarError."""
    if days == 0:
        raise CalendarError([gettext("Give a number of days other than zero.")])
    moving = [s for s in programme.sessions if s.status in (SessionStatus.DRAFT, SessionStatus.PUBLISHED)
              and division in s.divisions]
    if not moving:
        raise CalendarError([gettext("%(division)s has no sessions that can still be moved.",
                                     division=localized_name(division))])
    if any(len(s.divisions) > 1 for s in moving):
        raise CalendarError([gettext("Some of these sessions are shared with other divisions: "
                                     "move them one by one.")])
    holidays = programme.holiday_dates
    changed = [replace(slot_of(s), starts_at=_shifted(s.starts_at, days, holidays),
                       ends_at=_shifted(s.starts_at, days, holidays) + (s.ends_at - s.starts_at)) for s in moving]
    outside = [slot for slot in changed if not programme.first_day <= clock.local_day(slot.starts_at)
               <= programme.last_day]
    if outside:
        # One reason for the whole move, not one per session.
        raise CalendarError([gettext(
            "Nothing was moved: %(count)s of the %(total)s sessions would fall outside the programme's dates "
            "(%(first)s – %(last)s). Move by fewer days, or change the programme's dates first.",
            count=len(outside), total=len(changed), first=format_date(programme.first_day, "d MMM"),
            last=format_date(programme.last_day, "d MMM"))])
    require_no_clashes(programme, changed)
    for session, slot in zip(moving, changed, strict=True):
        session.starts_at, session.ends_at = slot.starts_at, slot.ends_at
        note_public_change(session)
    db.session.flush()
    return moving


def _shifted(moment: datetime, days: int, holidays) -> datetime:
    """Move an instant by working days, keeping its local time of day."""
    local = moment.astimezone(clock.IST)
    day = planning.shift_working_days(local.date(), days, holidays)
    return datetime.combine(day, local.time(), tzinfo=clock.IST).astimezone(moment.tzinfo)


def publish(programme: Programme) -> list[TrainingSession]:
    """Publish every draft session of a programme whose calendar has no clashes, or raise CalendarError."""
    drafts = [s for s in programme.sessions if s.status is SessionStatus.DRAFT]
    if not drafts:
        raise CalendarError([gettext("There are no draft sessions to publish.")])
    require_no_clashes(programme)
    for session in drafts:
        session.status = SessionStatus.PUBLISHED
    db.session.flush()
    return drafts


def note_public_change(session: TrainingSession) -> None:
    """Record that people's calendars (and the broadcast) must follow a change to a published session."""
    if session.status is not SessionStatus.DRAFT:
        session.sequence += 1
