"""A programme's calendar in the database: proposing, clash messages, editing, moving and publishing."""
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from trainer.core import clock
from trainer.extensions import db
from trainer.programmes import calendar, services
from trainer.programmes.calendar import CalendarError
from trainer.programmes.models import SessionStatus
from trainer.youtube import sync

IST = ZoneInfo("Asia/Kolkata")


def ist(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=IST).astimezone(UTC)


def change_of(session, **values):
    fields = dict(starts_at=session.starts_at, ends_at=session.ends_at, divisions=list(session.divisions),
                  modules=list(session.modules), channels=services.Channels())
    return services.SessionChange(**{**fields, **values})


def test_proposal_gives_every_division_every_module_as_drafts(app, make_programme):
    programme = make_programme(publish=False)
    assert len(programme.sessions) == 6
    assert {s.status for s in programme.sessions} == {SessionStatus.DRAFT}
    assert {(s.divisions[0].lgd_code, s.modules[0].position) for s in programme.sessions} == {
        (d, m) for d in (1, 2) for m in (1, 2, 3)}
    first = min(programme.sessions, key=lambda s: s.starts_at)
    assert first.starts_at == ist(date(2026, 7, 21), 11)
    assert first.starts_at.tzinfo is not None


def test_publishing_makes_sessions_public_and_owes_their_broadcasts(app, make_programme):
    programme = make_programme()
    assert {s.status for s in programme.sessions} == {SessionStatus.PUBLISHED}
    assert all(sync.is_owed(s.id) for s in programme.sessions)  # no link of their own: broadcasts are owed
    with pytest.raises(CalendarError):
        calendar.publish(programme)


def test_moving_a_session_onto_another_of_its_division_is_refused_in_hindi(app, make_programme):
    programme = make_programme()
    first, second = [s for s in programme.sessions if s.divisions[0].lgd_code == 1][:2]
    with pytest.raises(CalendarError) as refused:
        services.update_session(second, change_of(second, starts_at=first.starts_at,
                                                  ends_at=first.starts_at + timedelta(minutes=90)))
    assert any("संभाग 1" in message and "एक साथ" in message for message in refused.value.messages), refused.value.messages
    db.session.rollback()


def test_an_expert_booked_twice_is_named(app, make_programme):
    programme = make_programme(experts={1: "डॉ. आशा", 2: "डॉ. आशा", 3: "Dev"})
    one = next(s for s in programme.sessions if s.divisions[0].lgd_code == 1 and s.modules[0].position == 1)
    other = next(s for s in programme.sessions if s.divisions[0].lgd_code == 2 and s.modules[0].position == 2)
    with pytest.raises(CalendarError) as refused:
        services.update_session(other, change_of(other, starts_at=one.starts_at, ends_at=one.ends_at))
    assert any("डॉ. आशा" in message for message in refused.value.messages), refused.value.messages


def test_a_session_on_a_sunday_is_refused(app, make_programme):
    programme = make_programme()
    session = programme.sessions[0]
    sunday = ist(date(2026, 7, 26), 11)
    with pytest.raises(CalendarError) as refused:
        services.update_session(session, change_of(session, starts_at=sunday, ends_at=sunday + timedelta(hours=1)))
    assert any("रविवार" in message or "अवकाश" in message for message in refused.value.messages)


def test_moving_a_division_shifts_its_sessions_and_raises_their_sequence(app, make_programme):
    programme = make_programme()
    division = programme.divisions[1]
    before = {s.id: (s.starts_at, s.sequence) for s in programme.sessions if division in s.divisions}
    calendar.move_division(programme, division, 1)
    db.session.commit()
    for session in programme.sessions:
        if session.id in before:
            assert session.starts_at == before[session.id][0] + timedelta(days=1)
            assert session.sequence == before[session.id][1] + 1


def test_the_model_case_fits(app, places):
    from trainer.programmes.models import Programme
    programme = services.save_programme(
        Programme(), title_hi="मॉडल", first_day=date(2026, 7, 21), last_day=date(2026, 8, 7),
        slots=["11:00", "15:00"], holidays=[], parallel=3, divisions=[places.division(1), places.division(2)])
    for number in range(1, 9):
        services.add_module(programme, title_hi=f"मॉड्यूल {number}", duration_minutes=90,
                            experts=f"Expert {number % 4}")
    assert len(calendar.propose(programme)) == 16
    calendar.publish(programme)


def test_the_proposal_keeps_clear_of_other_programmes_sessions_of_the_same_experts_and_divisions(app,
                                                                                               make_programme):
    running = make_programme(title="चल रहा कार्यक्रम", experts={1: "डॉ. आशा वर्मा"})
    # The same divisions and the same expert, on the same days: the second calendar must go around the first.
    second = make_programme(title="दूसरा कार्यक्रम", publish=False, experts={1: "डॉ. आशा  वर्मा"})
    assert calendar.clashes_for(second) == []
    calendar.publish(second)
    taken = [(s.starts_at, s.ends_at, {d.id for d in s.divisions}, set(s.experts)) for s in running.sessions]
    for session in second.sessions:
        for starts, ends, divisions, experts in taken:
            if starts < session.ends_at and session.starts_at < ends:
                assert not divisions & {d.id for d in session.divisions}
                assert not {" ".join(e.split()) for e in experts} & {" ".join(e.split()) for e in session.experts}


def test_moving_a_division_skips_sundays_and_holidays(app, make_programme):
    programme = make_programme(holidays=["2026-07-27"])
    division = programme.divisions[1]
    before = {s.id: s.starts_at for s in programme.sessions if division in s.divisions}
    # Five working days after Tuesday 21 July is Tuesday 28 July: Sunday 26 and the holiday on 27 are skipped.
    calendar.move_division(programme, division, 5)
    for session in programme.sessions:
        if session.id in before:
            day = clock.local_day(session.starts_at)
            assert day.weekday() != 6 and day != date(2026, 7, 27)
            assert session.starts_at.astimezone(clock.IST).time() == before[session.id].astimezone(clock.IST).time()
    first = min(s.starts_at for s in programme.sessions if s.id in before)
    assert clock.local_day(first) == date(2026, 7, 28)
