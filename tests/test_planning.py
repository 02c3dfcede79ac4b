"""The calendar planner: working days, greedy placement, clash checking and moving a division."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from trainer.programmes.planning import (
    CalendarDoesNotFit,
    CalendarRequest,
    Clash,
    ClashKind,
    ModuleSpec,
    Order,
    PlannedSession,
    find_clashes,
    move_division,
    propose_calendar,
    working_days,
)

IST = ZoneInfo("Asia/Kolkata")
FIRST_DAY = date(2026, 7, 21)
LAST_DAY = date(2026, 8, 7)
MONDAY, TUESDAY = date(2026, 7, 27), date(2026, 7, 28)
SUNDAYS = {date(2026, 7, 26), date(2026, 8, 2)}
DIVISIONS = ("bhopal", "chambal", "gwalior", "indore", "jabalpur",
             "narmadapuram", "rewa", "sagar", "shahdol", "ujjain")
EXPERTS = ("asha", "bharat", "chitra", "dev")
MODULES = tuple(ModuleSpec(str(number), timedelta(minutes=90), frozenset({EXPERTS[number % len(EXPERTS)]}))
                for number in range(1, 9))
MORNING, AFTERNOON = time(11), time(15)


def ist(day: date, hour: int, minute: int = 0) -> datetime:
    """Return the UTC instant of a time of day in India."""
    return datetime.combine(day, time(hour, minute), tzinfo=IST).astimezone(UTC)


def model_request(**changes) -> CalendarRequest:
    """Return the real case: 8 modules for all 10 divisions, 21 July to 7 August 2026."""
    fields = dict(modules=MODULES, divisions=DIVISIONS, first_day=FIRST_DAY, last_day=LAST_DAY,
                  slots=(MORNING, AFTERNOON), parallel=3)
    return CalendarRequest(**{**fields, **changes})


def small_request(divisions: int = 3, modules: int = 3, **changes) -> CalendarRequest:
    """Return a few divisions and modules with no experts, one session at a time."""
    fields = dict(modules=tuple(ModuleSpec(f"m{n}", timedelta(hours=2)) for n in range(1, modules + 1)),
                  divisions=tuple(f"d{n}" for n in range(1, divisions + 1)),
                  first_day=FIRST_DAY, last_day=LAST_DAY, slots=(MORNING, AFTERNOON), parallel=1)
    return CalendarRequest(**{**fields, **changes})


def replace_modules(request: CalendarRequest, *modules: ModuleSpec) -> CalendarRequest:
    """Return the request with other modules."""
    return CalendarRequest(**{**vars(request), "modules": modules})


def by_division(sessions: list[PlannedSession]) -> dict[str, list[PlannedSession]]:
    """Group sessions by division, keeping their order."""
    groups: dict[str, list[PlannedSession]] = {}
    for planned in sessions:
        groups.setdefault(planned.division, []).append(planned)
    return groups


def session(division: str, day: date, hour: int, hours: int = 1, experts: frozenset[str] = frozenset(),
            module: str = "1") -> PlannedSession:
    """Return a session starting at a local hour on a day."""
    start = ist(day, hour)
    return PlannedSession(division, module, start, start + timedelta(hours=hours), experts)


# Working days

def test_working_days_skip_sundays():
    days = working_days(FIRST_DAY, LAST_DAY, frozenset())

    assert len(days) == 16
    assert all(day.weekday() == 6 for day in SUNDAYS)
    assert not SUNDAYS & set(days)
    assert days[0] == FIRST_DAY and days[-1] == LAST_DAY


def test_working_days_skip_holidays():
    holiday = date(2026, 8, 5)

    days = working_days(FIRST_DAY, LAST_DAY, frozenset({holiday}))

    assert len(days) == 15
    assert holiday not in days


# Proposing a calendar

def test_model_case_places_all_80_sessions_in_range_without_clashes():
    sessions = propose_calendar(model_request())

    assert len(sessions) == 80
    assert {(s.division, s.module) for s in sessions} == {(d, m.key) for d in DIVISIONS for m in MODULES}
    assert all(FIRST_DAY <= s.start.astimezone(IST).date() <= s.end.astimezone(IST).date() <= LAST_DAY
               for s in sessions)
    assert find_clashes(sessions, FIRST_DAY, LAST_DAY) == []


def test_proposed_times_are_aware_utc_and_11_ist_is_05_30_utc():
    sessions = propose_calendar(model_request())

    assert all(s.start.tzinfo is UTC and s.end.tzinfo is UTC for s in sessions)
    assert {s.start.time() for s in sessions} == {time(5, 30), time(9, 30)}
    assert sessions[0].start == datetime(2026, 7, 21, 5, 30, tzinfo=UTC)
    assert all(s.end - s.start == timedelta(minutes=90) for s in sessions)


def test_never_more_than_parallel_sessions_run_at_once():
    sessions = propose_calendar(model_request())

    for moment in {s.start for s in sessions}:
        assert sum(s.start <= moment < s.end for s in sessions) <= 3


def test_division_wise_gives_each_division_all_modules_before_the_next_starts():
    request = small_request(order=Order.DIVISION_WISE)

    groups = by_division(propose_calendar(request))

    for earlier, later in zip(request.divisions, request.divisions[1:], strict=False):
        assert max(s.end for s in groups[earlier]) <= min(s.start for s in groups[later])


def test_interleaved_gives_every_division_module_one_before_any_gets_module_two():
    sessions = propose_calendar(small_request(order=Order.INTERLEAVED))

    first_modules = [s for s in sessions if s.module == "m1"]
    second_modules = [s for s in sessions if s.module == "m2"]
    assert len(first_modules) == 3
    assert max(s.end for s in first_modules) <= min(s.start for s in second_modules)


@pytest.mark.parametrize("order", list(Order))
def test_modules_keep_teaching_order_within_each_division(order):
    request = model_request(order=order)

    groups = by_division(propose_calendar(request))

    teaching_order = [module.key for module in MODULES]
    for sessions in groups.values():
        in_teaching_order = sorted(sessions, key=lambda s: teaching_order.index(s.module))
        assert [s.module for s in in_teaching_order] == teaching_order
        assert all(previous.end <= following.start
                   for previous, following in zip(in_teaching_order, in_teaching_order[1:], strict=False))


def test_busy_expert_pushes_a_session_to_a_later_slot_despite_parallel_room():
    module = ModuleSpec("1", timedelta(minutes=90), frozenset({"asha"}))
    request = small_request(divisions=2, modules=1, parallel=2)

    with_expert = propose_calendar(replace_modules(request, module))
    without_expert = propose_calendar(replace_modules(request, ModuleSpec("1", timedelta(minutes=90))))

    assert [s.start for s in without_expert] == [ist(FIRST_DAY, 11)] * 2
    assert [(s.division, s.start) for s in with_expert] == [("d1", ist(FIRST_DAY, 11)), ("d2", ist(FIRST_DAY, 15))]
    assert find_clashes(with_expert, FIRST_DAY, LAST_DAY) == []


def test_a_session_that_would_run_past_midnight_moves_to_the_next_working_day():
    request = replace_modules(small_request(divisions=2, modules=1, slots=(MORNING, time(22))),
                              ModuleSpec("m1", timedelta(hours=3)))

    sessions = propose_calendar(request)

    assert [s.start for s in sessions] == [ist(FIRST_DAY, 11), ist(FIRST_DAY + timedelta(days=1), 11)]


def test_sessions_are_sorted_by_start_then_division_then_module():
    request = small_request(divisions=3, modules=2, parallel=3)
    request = CalendarRequest(**{**vars(request), "divisions": ("zeta", "alpha", "mu")})

    sessions = propose_calendar(request)

    assert [(s.start, s.division, s.module) for s in sessions] == [
        (ist(FIRST_DAY, 11), "zeta", "m1"), (ist(FIRST_DAY, 11), "alpha", "m1"), (ist(FIRST_DAY, 11), "mu", "m1"),
        (ist(FIRST_DAY, 15), "zeta", "m2"), (ist(FIRST_DAY, 15), "alpha", "m2"), (ist(FIRST_DAY, 15), "mu", "m2"),
    ]


def test_calendar_that_does_not_fit_raises_with_unplaced_pairs_and_counts():
    request = small_request(divisions=3, modules=2, last_day=FIRST_DAY)

    with pytest.raises(CalendarDoesNotFit) as raised:
        propose_calendar(request)

    assert raised.value.unplaced == [("d2", "m1"), ("d2", "m2"), ("d3", "m1"), ("d3", "m2")]
    assert raised.value.needed_sessions == 6
    assert raised.value.available_slots == 2


def test_available_slots_count_working_days_slots_and_parallel_streams():
    request = model_request(last_day=date(2026, 7, 27), parallel=2)  # 21-27 July: six working days

    with pytest.raises(CalendarDoesNotFit) as raised:
        propose_calendar(request)

    assert raised.value.available_slots == 6 * 2 * 2
    assert raised.value.needed_sessions == 80


def test_propose_calendar_is_deterministic():
    assert propose_calendar(model_request()) == propose_calendar(model_request())


# Finding clashes

def test_find_clashes_names_a_busy_expert_and_both_sessions():
    sessions = [session("bhopal", MONDAY, 11, hours=2, experts=frozenset({"asha"})),
                session("rewa", MONDAY, 12, experts=frozenset({"asha", "dev"}))]

    assert find_clashes(sessions, FIRST_DAY, LAST_DAY) == [Clash(ClashKind.EXPERT_BUSY, 0, 1, expert="asha")]


def test_find_clashes_reports_overlapping_sessions_of_one_division():
    sessions = [session("bhopal", MONDAY, 11, hours=2), session("rewa", MONDAY, 11),
                session("bhopal", MONDAY, 12, module="2")]

    assert find_clashes(sessions, FIRST_DAY, LAST_DAY) == [Clash(ClashKind.DIVISION_OVERLAP, 0, 2)]


def test_find_clashes_reports_sessions_outside_the_range_with_their_day():
    before, after = date(2026, 7, 20), date(2026, 8, 8)
    sessions = [session("bhopal", before, 11), session("rewa", after, 11)]

    assert find_clashes(sessions, FIRST_DAY, LAST_DAY) == [
        Clash(ClashKind.OUTSIDE_RANGE, 0, day=before), Clash(ClashKind.OUTSIDE_RANGE, 1, day=after)]


def test_find_clashes_reports_a_session_on_a_sunday():
    sunday = date(2026, 7, 26)

    clashes = find_clashes([session("bhopal", sunday, 11)], FIRST_DAY, LAST_DAY)

    assert clashes == [Clash(ClashKind.NOT_WORKING_DAY, 0, day=sunday)]


def test_find_clashes_reports_a_session_on_a_holiday():
    holiday = date(2026, 8, 5)

    clashes = find_clashes([session("bhopal", holiday, 11)], FIRST_DAY, LAST_DAY, holidays=frozenset({holiday}))

    assert clashes == [Clash(ClashKind.NOT_WORKING_DAY, 0, day=holiday)]


def test_find_clashes_uses_the_local_date_not_the_utc_date():
    # 02:00 IST on Monday is still Sunday in UTC.
    early_monday = session("bhopal", MONDAY, 2)

    assert early_monday.start.date() == date(2026, 7, 26)
    assert find_clashes([early_monday], FIRST_DAY, LAST_DAY) == []


def test_find_clashes_reports_a_session_that_ends_before_it_starts():
    start = ist(MONDAY, 11)
    backwards = PlannedSession("bhopal", "1", start, start - timedelta(hours=1), frozenset({"asha"}))
    other = session("bhopal", MONDAY, 9, hours=3, experts=frozenset({"asha"}))

    clashes = find_clashes([backwards, other], FIRST_DAY, LAST_DAY)

    # A backwards session takes no time, so it cannot also overlap the other one.
    assert clashes == [Clash(ClashKind.ENDS_BEFORE_START, 0)]


def test_back_to_back_sessions_do_not_clash():
    sessions = [session("bhopal", MONDAY, 11, experts=frozenset({"asha"})),
                session("bhopal", MONDAY, 12, experts=frozenset({"asha"}), module="2")]

    assert find_clashes(sessions, FIRST_DAY, LAST_DAY) == []


def test_find_clashes_reports_each_pair_once_sorted_by_session_then_other():
    asha = frozenset({"asha"})
    sessions = [session("rewa", MONDAY, 12, experts=asha), session("sagar", MONDAY, 11, hours=3, experts=asha),
                session("bhopal", MONDAY, 12, experts=asha), session("indore", TUESDAY, 12, experts=asha)]

    clashes = find_clashes(sessions, FIRST_DAY, LAST_DAY)

    assert [(c.session, c.other) for c in clashes] == [(0, 1), (0, 2), (1, 2)]
    assert all(c.kind is ClashKind.EXPERT_BUSY and c.expert == "asha" for c in clashes)


def test_find_clashes_refuses_naive_datetimes():
    naive = PlannedSession("bhopal", "1", datetime(2026, 7, 27, 11), datetime(2026, 7, 27, 12), frozenset())

    with pytest.raises(ValueError):
        find_clashes([naive], FIRST_DAY, LAST_DAY)


# Moving a division

def test_move_division_shifts_only_that_division():
    sessions = propose_calendar(model_request())
    delta = timedelta(days=1, hours=2)

    moved = move_division(sessions, "rewa", delta)

    assert len(moved) == len(sessions)
    for before, after in zip(sessions, moved, strict=False):
        if before.division == "rewa":
            assert (after.start, after.end) == (before.start + delta, before.end + delta)
            assert (after.division, after.module, after.experts) == (before.division, before.module, before.experts)
        else:
            assert after == before


def test_moving_a_division_onto_a_sunday_is_reported_by_find_clashes():
    saturday_session = session("bhopal", date(2026, 7, 25), 11)
    sessions = [session("rewa", MONDAY, 11), saturday_session]

    moved = move_division(sessions, "bhopal", timedelta(days=1))

    assert find_clashes(sessions, FIRST_DAY, LAST_DAY) == []
    assert find_clashes(moved, FIRST_DAY, LAST_DAY) == [Clash(ClashKind.NOT_WORKING_DAY, 1, day=date(2026, 7, 26))]
