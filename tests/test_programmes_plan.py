"""The trainer's planning pages: a programme from its form to a published, clash-free calendar."""
import re
from datetime import date
from zoneinfo import ZoneInfo

import pytest
from markupsafe import escape
from sqlalchemy import select

from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.programmes.forms import parse_holidays, parse_slots
from trainer.programmes.models import Programme, SessionStatus


def programme_form(places, **changes):
    form = {"title_hi": "ग्राम सभा प्रशिक्षण", "title_en": "Gram sabha training", "description_hi": "",
            "partners": "SIRD\nNIC", "audience": ["sarpanch", "secretary"],
            "divisions": [places.division(1).id, places.division(2).id], "completion_sessions": "2",
            "youtube_privacy": "unlisted", "first_day": "2026-07-21", "last_day": "2026-08-07",
            "slots": "11:00, 15:00", "holidays": "", "calendar_order": "division_wise", "parallel": "2"}
    return {**form, **changes}


def test_trainer_plans_and_publishes_a_programme_through_the_pages(client, login_as, places):
    login_as(Role.TRAINER)
    response = client.post("/plan/new", data=programme_form(places, holidays="2026-07-22\n15/08/2026"))
    assert response.status_code == 302
    programme = db.session.scalar(select(Programme))
    assert programme.partner_list == ["SIRD", "NIC"] and programme.completion_sessions == 2
    assert programme.holidays == ["2026-07-22", "2026-08-15"]
    for number in (1, 2, 3):
        client.post(f"/plan/{programme.id}/modules/new",
                    data={"title_hi": f"मॉड्यूल {number}", "duration_minutes": "90", "experts": "डॉ. आशा"})
    assert [m.position for m in programme.modules] == [1, 2, 3]

    client.post(f"/plan/{programme.id}/propose")
    assert len(programme.sessions) == 6
    assert not any(s.starts_at.date() == date(2026, 7, 22) for s in programme.sessions)  # the holiday
    page = client.get(f"/plan/{programme.id}").get_data(as_text=True)
    assert "मॉड्यूल 2" in page and "संभाग 2" in page and "प्रारूप" in page

    client.post(f"/plan/{programme.id}/publish", data={"anyway": "y"})
    assert {s.status for s in programme.sessions} == {SessionStatus.PUBLISHED}
    assert client.get(f"/programmes/{programme.id}").status_code == 200


def test_the_programme_form_names_each_bad_holiday_line_and_bad_times(client, login_as, places):
    login_as(Role.TRAINER)
    page = client.post("/plan/new", data=programme_form(
        places, holidays="2026-08-15\n31/02/2026\nkal", slots="11:00, 25:00", last_day="2026-07-01",
        divisions=[])).get_data(as_text=True)
    assert "पंक्ति 2: “31/02/2026”" in page and "पंक्ति 3: “kal”" in page
    assert "“25:00” 11:00 जैसा समय नहीं है" in page
    assert "अंतिम दिन पहले दिन से पहले नहीं हो सकता" in page
    assert "कम से कम एक संभाग चुनें" in page
    assert db.session.scalar(select(Programme)) is None


def test_a_clashing_edit_is_refused_with_the_reason_and_nothing_changes(client, login_as, make_programme):
    programme = make_programme()
    first, second = [s for s in programme.sessions if s.divisions[0].lgd_code == 1][:2]
    before = second.starts_at
    login_as(Role.TRAINER)
    start = first.starts_at.astimezone(ZoneInfo("Asia/Kolkata"))
    page = client.post(f"/plan/sessions/{second.id}/edit", data={
        "day": start.date().isoformat(), "start": start.strftime("%H:%M"), "end": "12:30",
        "divisions": [second.divisions[0].id], "modules": [second.modules[0].id]}).get_data(as_text=True)
    assert "संभाग 1 के दो सत्र एक साथ हो जाएँगे" in page
    db.session.refresh(second)
    assert second.starts_at == before


def test_moving_a_division_counts_working_days_and_says_once_what_it_did(client, login_as, make_programme):
    programme = make_programme()
    division = programme.divisions[0]
    before = sorted(s.starts_at for s in programme.sessions if division in s.divisions)
    login_as(Role.TRAINER)
    # The first sessions are on Tuesday 21 July: five working days later is Monday 27 July (Sunday skipped).
    page = client.post(f"/plan/{programme.id}/move-division", data={"division": division.id, "days": "5"},
                       follow_redirects=True).get_data(as_text=True)
    db.session.expire_all()
    moved = sorted(s.starts_at for s in programme.sessions if division in s.divisions)
    assert [clock.local_day(m) for m in moved][:1] == [date(2026, 7, 27)]
    assert all(clock.local_day(m).weekday() != 6 for m in moved)
    assert [m.astimezone(clock.IST).time() for m in moved] == [b.astimezone(clock.IST).time() for b in before]
    flashes = re.findall(r'<li class="(success|error)">([^<]*)</li>', page)
    assert [category for category, _text in flashes] == ["success"], flashes
    assert "5 कार्य दिवस" in flashes[0][1] and "27 जुल॰ 2026" in flashes[0][1], flashes


def test_a_move_past_the_programmes_dates_is_refused_with_one_reason(client, login_as, make_programme):
    programme = make_programme()
    division = programme.divisions[0]
    before = sorted(s.starts_at for s in programme.sessions if division in s.divisions)
    login_as(Role.TRAINER)
    page = client.post(f"/plan/{programme.id}/move-division", data={"division": division.id, "days": "30"},
                       follow_redirects=True).get_data(as_text=True)
    flashes = re.findall(r'<li class="(success|error)">([^<]*)</li>', page)
    assert len(flashes) == 1 and flashes[0][0] == "error", flashes
    db.session.expire_all()
    assert sorted(s.starts_at for s in programme.sessions if division in s.divisions) == before


def test_a_calendar_that_cannot_fit_says_so(client, login_as, places, make_programme):
    programme = make_programme(publish=False, modules=1)
    programme.last_day = programme.first_day
    programme.parallel = 1
    programme.slots = ["11:00"]
    db.session.commit()
    login_as(Role.TRAINER)
    page = client.post(f"/plan/{programme.id}/propose", follow_redirects=True).get_data(as_text=True)
    assert "कैलेंडर नहीं बन पा रहा" in page


def test_cancelling_a_published_session_keeps_it_listed_as_cancelled(client, login_as, make_programme):
    programme = make_programme()
    session = programme.sessions[0]
    login_as(Role.TRAINER)
    client.post(f"/plan/sessions/{session.id}/cancel")
    assert session.status is SessionStatus.CANCELLED and session.sequence == 1
    draft = make_programme(title="दूसरा", publish=False, first_day=date(2027, 7, 21),
                           last_day=date(2027, 8, 7)).sessions[0]
    draft_id = draft.id
    client.post(f"/plan/sessions/{draft_id}/cancel")
    db.session.expire_all()
    assert db.session.get(type(draft), draft_id) is None


def test_month_view_lists_sessions_on_their_days(client, login_as, make_programme):
    programme = make_programme()
    login_as(Role.TRAINER)
    page = client.get(f"/plan/{programme.id}/month?month=2026-07").get_data(as_text=True)
    assert "जुलाई 2026" in page and "मॉड्यूल 1" in page
    assert client.get(f"/plan/{programme.id}/month?month=garbage").status_code == 200


def test_modules_are_reordered_and_a_taught_module_cannot_be_deleted(client, login_as, make_programme):
    programme = make_programme(publish=False)
    first, second = programme.modules[0], programme.modules[1]
    login_as(Role.TRAINER)
    client.post(f"/plan/modules/{second.id}/move", data={"direction": "up"})
    db.session.expire_all()
    assert [m.title_hi for m in programme.modules][:2] == ["मॉड्यूल 2", "मॉड्यूल 1"]
    page = client.post(f"/plan/modules/{first.id}/delete", follow_redirects=True).get_data(as_text=True)
    assert str(escape("इस मॉड्यूल के सत्र निर्धारित हैं")) in page
    assert len(programme.modules) == 3


@pytest.mark.parametrize("text, expected", [("11:00, 15:00", ["11:00", "15:00"]), ("9.30 9:30", ["09:30"]),
                                            ("", [])])
def test_slots_are_read_in_the_usual_ways(text, expected):
    assert parse_slots(text) == expected


def test_holidays_accept_iso_and_indian_dates_with_notes():
    assert parse_holidays("15/08/2026 # स्वतंत्रता दिवस\n2026-10-02\n\n") == ["2026-08-15", "2026-10-02"]


def test_a_session_added_by_hand_is_a_draft_and_a_clashing_one_is_refused(client, login_as, make_programme):
    programme = make_programme(modules=1)
    division, module = programme.divisions[0], programme.modules[0]
    login_as(Role.TRAINER)
    form = {"day": "2026-07-21", "start": "11:30", "end": "12:30", "divisions": [division.id],
            "modules": [module.id], "venue": "जनपद सभाकक्ष"}
    page = client.post(f"/plan/{programme.id}/sessions/new", data=form).get_data(as_text=True)
    assert "संभाग 1 के दो सत्र एक साथ हो जाएँगे" in page and len(programme.sessions) == 2
    response = client.post(f"/plan/{programme.id}/sessions/new", data={**form, "day": "2026-07-23"})
    assert response.status_code == 302
    added = next(s for s in programme.sessions if s.venue == "जनपद सभाकक्ष")
    assert added.status is SessionStatus.DRAFT


def test_a_programme_without_holidays_is_saved(client, login_as, places):
    login_as(Role.TRAINER)
    assert client.post("/plan/new", data=programme_form(places, holidays="")).status_code == 302
    assert db.session.scalar(select(Programme)).holidays == []
