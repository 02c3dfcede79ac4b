"""Propose a training calendar, division by division, and find the clashes in one.

Plain Python (the standard library and Trainer's clock): it returns structured data and the UI words any message.
All datetimes it hands out are aware and in UTC; days are local dates in the request's timezone.
"""
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from trainer.core.clock import TIMEZONE

SUNDAY = 6  # date.weekday()
ONE_DAY = timedelta(days=1)


@dataclass(frozen=True)
class ModuleSpec:
    """Describe one technical session of a programme."""

    key: str
    duration: timedelta
    experts: frozenset[str] = frozenset()


class Order(StrEnum):
    """Choose whether each division finishes before the next starts, or divisions take turns per module."""

    DIVISION_WISE = "division_wise"
    INTERLEAVED = "interleaved"


@dataclass(frozen=True)
class CalendarRequest:
    """Ask for a calendar: what to teach, to which divisions, on which days and how many at once."""

    modules: tuple[ModuleSpec, ...]
    divisions: tuple[str, ...]
    first_day: date
    last_day: date
    slots: tuple[time, ...]
    holidays: frozenset[date] = frozenset()
    order: Order = Order.DIVISION_WISE
    parallel: int = 1
    timezone: str = TIMEZONE
    # Sessions already booked elsewhere (other programmes): the proposal keeps their divisions and experts free.
    busy: tuple["PlannedSession", ...] = ()


@dataclass(frozen=True)
class PlannedSession:
    """Hold one module taught to one division, from start to end (aware UTC)."""

    division: str
    module: str
    start: datetime
    end: datetime
    experts: frozenset[str]


class CalendarDoesNotFit(Exception):
    """Say which (division, module) pairs found no room, and how demand compares with supply."""

    def __init__(self, unplaced: list[tuple[str, str]], needed_sessions: int, available_slots: int) -> None:
        # Passing the fields to Exception keeps the exception picklable and copyable.
        super().__init__(unplaced, needed_sessions, available_slots)
        self.unplaced = unplaced
        self.needed_sessions = needed_sessions
        self.available_slots = available_slots

    def __str__(self) -> str:
        return (f"{len(self.unplaced)} of {self.needed_sessions} sessions could not be placed "
                f"({self.available_slots} slots available)")


class ClashKind(StrEnum):
    """Name a rule that a session breaks."""

    EXPERT_BUSY = "expert_busy"
    DIVISION_OVERLAP = "division_overlap"
    OUTSIDE_RANGE = "outside_range"
    NOT_WORKING_DAY = "not_working_day"
    ENDS_BEFORE_START = "ends_before_start"


@dataclass(frozen=True)
class Clash:
    """Point at a session (by index) that breaks a rule, and at what it clashes with."""

    kind: ClashKind
    session: int
    other: int | None = None
    expert: str | None = None
    day: date | None = None


def working_days(first_day: date, last_day: date, holidays: Iterable[date] = frozenset()) -> list[date]:
    """List the days from first_day to last_day inclusive that are neither Sundays nor holidays."""
    closed = frozenset(holidays)
    count = (last_day - first_day).days + 1
    days = (first_day + timedelta(days=offset) for offset in range(max(count, 0)))
    return [day for day in days if day.weekday() != SUNDAY and day not in closed]


def propose_calendar(request: CalendarRequest) -> list[PlannedSession]:
    """Place every module for every division at the earliest slot the rules allow, or raise CalendarDoesNotFit."""
    _check(request)
    zone = ZoneInfo(request.timezone)
    days = working_days(request.first_day, request.last_day, request.holidays)
    slots = sorted(set(request.slots))
    candidates = sorted((_at(day, slot, zone), day) for day in days for slot in slots)
    candidate_starts = [start for start, _day in candidates]
    day_ends = {day: _at(day + ONE_DAY, time(), zone) for day in days}
    booked: dict[date, list[PlannedSession]] = defaultdict(list)
    elsewhere: dict[date, list[PlannedSession]] = defaultdict(list)
    for other in request.busy:
        for day in _local_days(other, zone):
            elsewhere[day].append(other)
    ready: dict[str, datetime] = {}  # earliest start for a division's next module: its teaching order
    stuck: set[str] = set()
    unplaced: list[tuple[str, str]] = []
    for division, module in _pairs(request):
        if division in stuck:
            # Placing later modules of a division that missed one would break its teaching order.
            unplaced.append((division, module.key))
            continue
        first = bisect_left(candidate_starts, ready[division]) if division in ready else 0
        for start, day in candidates[first:]:
            session = PlannedSession(division, module.key, start, start + module.duration, module.experts)
            if (session.end <= day_ends[day] and _has_room(session, booked[day], request.parallel)
                    and not _taken_elsewhere(session, elsewhere[day])):
                booked[day].append(session)
                ready[division] = session.end
                break
        else:
            stuck.add(division)
            unplaced.append((division, module.key))
    if unplaced:
        needed = len(request.divisions) * len(request.modules)
        raise CalendarDoesNotFit(unplaced, needed, len(days) * len(slots) * request.parallel)
    division_rank = {division: rank for rank, division in enumerate(request.divisions)}
    module_rank = {module.key: rank for rank, module in enumerate(request.modules)}
    placed = [session for sessions in booked.values() for session in sessions]
    return sorted(placed, key=lambda s: (s.start, division_rank[s.division], module_rank[s.module]))


def find_clashes(
    sessions: Sequence[PlannedSession],
    first_day: date,
    last_day: date,
    holidays: Iterable[date] = frozenset(),
    timezone: str = TIMEZONE,
) -> list[Clash]:
    """Return every clash among the sessions, each pair once (session < other), sorted by (session, other)."""
    zone = ZoneInfo(timezone)
    closed = frozenset(holidays)
    clashes: list[Clash] = []
    for index, session in enumerate(sessions):
        if session.start.tzinfo is None or session.end.tzinfo is None:
            raise ValueError(f"session {index} has a naive datetime")
        if session.end <= session.start:
            clashes.append(Clash(ClashKind.ENDS_BEFORE_START, index))
        days = _local_days(session, zone)
        if days[0] < first_day:
            clashes.append(Clash(ClashKind.OUTSIDE_RANGE, index, day=days[0]))
        if days[-1] > last_day:
            clashes.append(Clash(ClashKind.OUTSIDE_RANGE, index, day=days[-1]))
        clashes.extend(Clash(ClashKind.NOT_WORKING_DAY, index, day=day)
                       for day in days if day.weekday() == SUNDAY or day in closed)

    by_division: dict[str, list[int]] = defaultdict(list)
    by_expert: dict[str, list[int]] = defaultdict(list)
    for index, session in enumerate(sessions):
        if session.end > session.start:  # an empty or inverted session occupies no time
            by_division[session.division].append(index)
            for expert in session.experts:
                by_expert[expert].append(index)
    for indices in by_division.values():
        clashes.extend(Clash(ClashKind.DIVISION_OVERLAP, first, other)
                       for first, other in _overlapping_pairs(indices, sessions))
    for expert, indices in by_expert.items():
        clashes.extend(Clash(ClashKind.EXPERT_BUSY, first, other, expert=expert)
                       for first, other in _overlapping_pairs(indices, sessions))

    kind_rank = {kind: rank for rank, kind in enumerate(ClashKind)}
    return sorted(clashes, key=lambda c: (c.session, -1 if c.other is None else c.other,
                                          kind_rank[c.kind], c.expert or "", c.day or date.min))


def move_division(sessions: Sequence[PlannedSession], division: str, delta: timedelta) -> list[PlannedSession]:
    """Return a new list, in the same order, with that division's sessions shifted by delta."""
    return [replace(s, start=s.start + delta, end=s.end + delta) if s.division == division else s
            for s in sessions]


def _check(request: CalendarRequest) -> None:
    """Reject a request the planner cannot make sense of."""
    if request.parallel < 1:
        raise ValueError("parallel must be at least 1")
    if len(set(request.divisions)) != len(request.divisions):
        raise ValueError("division keys must be unique")
    if len({module.key for module in request.modules}) != len(request.modules):
        raise ValueError("module keys must be unique")
    if any(module.duration <= timedelta() for module in request.modules):
        raise ValueError("every module must last some time")


def _pairs(request: CalendarRequest) -> list[tuple[str, ModuleSpec]]:
    """List the (division, module) pairs in the order they are to be placed."""
    if Order(request.order) is Order.DIVISION_WISE:
        return [(division, module) for division in request.divisions for module in request.modules]
    return [(division, module) for module in request.modules for division in request.divisions]


def _at(day: date, moment: time, zone: ZoneInfo) -> datetime:
    """Return the UTC instant of a local day and time."""
    return datetime.combine(day, moment.replace(tzinfo=None), tzinfo=zone).astimezone(UTC)


def _has_room(session: PlannedSession, same_day: list[PlannedSession], parallel: int) -> bool:
    """Say whether the session can join the ones already booked that day."""
    # A placed session never leaves its local day, so only that day's bookings can overlap it.
    overlapping = [s for s in same_day if s.start < session.end and session.start < s.end]
    if any(s.division == session.division or s.experts & session.experts for s in overlapping):
        return False
    # The busiest moment inside the new session begins at its own start or at some other start.
    moments = {session.start} | {s.start for s in overlapping if s.start > session.start}
    busiest = max(sum(s.start <= moment < s.end for s in overlapping) for moment in moments)
    return busiest < parallel


def _taken_elsewhere(session: PlannedSession, others: list[PlannedSession]) -> bool:
    """Say whether the session's division or one of its experts is already busy then in another booking."""
    return any(other.start < session.end and session.start < other.end
               and (other.division == session.division or other.experts & session.experts) for other in others)


def shift_working_days(day: date, count: int, holidays: Iterable[date] = frozenset()) -> date:
    """Return the working day `count` working days after `day` (before it when negative), skipping Sundays
    and holidays; a day that is itself not a working day counts from where it stands."""
    closed = frozenset(holidays)
    step = ONE_DAY if count > 0 else -ONE_DAY
    for _ in range(abs(count)):
        day += step
        while day.weekday() == SUNDAY or day in closed:
            day += step
    return day


def _local_days(session: PlannedSession, zone: ZoneInfo) -> list[date]:
    """List the local dates a session touches; one ending at midnight does not touch the next day."""
    first = session.start.astimezone(zone).date()
    if session.end <= session.start:
        return [first]
    last = (session.end - timedelta(microseconds=1)).astimezone(zone).date()
    return [first + timedelta(days=offset) for offset in range((last - first).days + 1)]


def _overlapping_pairs(indices: Iterable[int], sessions: Sequence[PlannedSession]) -> Iterator[tuple[int, int]]:
    """Yield each overlapping pair among the given sessions once, lower index first, by a sweep over starts."""
    active: list[int] = []
    for index in sorted(indices, key=lambda i: (sessions[i].start, i)):
        start = sessions[index].start
        # Sessions that ended by this start cannot overlap it or any later one.
        active = [other for other in active if sessions[other].end > start]
        for other in active:
            yield min(index, other), max(index, other)
        active.append(index)
