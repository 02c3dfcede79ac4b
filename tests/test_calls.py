"""Calls for expressions of interest: opening and changing one, its screening criteria and documents, the days it
is open, and who reads and changes them."""
from datetime import date

import pytest
from sqlalchemy import func, select

from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.partners import calls
from trainer.partners.calls import CallError, CallValues, CriterionValues
from trainer.partners.models import Call, CallCriterion, CallDocument

JJM = "Jal Jeevan Mission sector partners 2026"


def make_call(**values) -> Call:
    values = {"title_hi": "जल जीवन मिशन सेक्टर पार्टनर 2026", "title_en": JJM, "opens_on": date(2026, 12, 1),
              "closes_on": date(2026, 12, 31), "themes": ("water", "sanitation"), **values}
    call = calls.save_call(CallValues(**values), None)
    db.session.commit()
    return call


def test_a_call_keeps_its_titles_dates_and_themes_in_the_fixed_order(app):
    call = make_call(themes=("sanitation", "water"), description_hi="विवरण")
    assert call.theme_keys == ["water", "sanitation"] and call.description_hi == "विवरण"
    calls.save_call(CallValues(title_en="Renamed", opens_on=date(2026, 12, 2), closes_on=date(2026, 12, 2),
                               themes=("health",)), None, call)
    db.session.commit()
    assert (call.title_hi, call.title_en, call.theme_keys) == ("", "Renamed", ["health"])


@pytest.mark.parametrize("values", [dict(title_hi="", title_en=" "), dict(closes_on=date(2026, 11, 30)),
                                    dict(themes=("water", "space"))])
def test_a_call_without_a_title_closing_before_it_opens_or_with_an_unknown_theme_is_refused(app, values):
    with pytest.raises(CallError):
        make_call(**values)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Call.id))) == 0


def test_a_call_is_open_from_its_first_to_its_last_day_in_india(app, monkeypatch):
    call = make_call()
    assert [calls.is_open(call, day) for day in (date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 31),
                                                 date(2027, 1, 1))] == [False, True, True, False]
    from datetime import UTC, datetime
    # 31 December 19:00 UTC is already 1 January in Asia/Kolkata.
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 31, 19, 0, tzinfo=UTC))
    assert not calls.is_open(call)


def test_criteria_and_documents_are_added_and_removed(app):
    call = make_call()
    criterion = calls.add_criterion(call, CriterionValues(text_hi="3 वर्ष से पंजीकृत", text_en="Registered for 3 years",
                                                          weight=2, max_score=5, required=True))
    document = calls.add_document(call, "पंजीयन प्रमाण-पत्र", "Registration certificate", True)
    db.session.commit()
    assert [(c.text_en, c.weight, c.max_score, c.required) for c in call.criteria] == [
        ("Registered for 3 years", 2, 5, True)]
    assert [d.name_hi for d in call.documents] == ["पंजीयन प्रमाण-पत्र"]
    calls.remove_criterion(call, criterion)
    calls.remove_document(call, document)
    db.session.commit()
    assert db.session.scalar(select(func.count(CallCriterion.id))) == 0
    assert db.session.scalar(select(func.count(CallDocument.id))) == 0
    with pytest.raises(CallError):
        calls.add_criterion(call, CriterionValues())
    with pytest.raises(CallError):
        calls.add_document(call, " ", "", False)


# Pages


def test_a_planner_opens_a_call_and_adds_a_criterion_and_a_document(client, login_as):
    login_as(Role.TRAINER)
    assert client.get("/partners/calls/new").status_code == 200
    response = client.post("/partners/calls/new", data={
        "title_hi": "जल जीवन मिशन", "title_en": JJM, "description_hi": "पहली पंक्ति\nदूसरी पंक्ति",
        "opens_on": "2026-12-01", "closes_on": "2026-12-31", "themes": ["water", "health"]})
    assert response.status_code == 302
    call = db.session.scalar(select(Call))
    assert call.title_en == JJM and call.theme_keys == ["water", "health"]
    assert client.post(f"/partners/calls/{call.id}/criteria", data={
        "text_hi": "3 वर्ष से पंजीकृत", "weight": "3", "max_score": "10", "required": "y"}).status_code == 302
    assert client.post(f"/partners/calls/{call.id}/documents", data={
        "name_hi": "पंजीयन प्रमाण-पत्र", "required": "y"}).status_code == 302
    page = client.get(f"/partners/calls/{call.id}").get_data(as_text=True)
    assert "जल जीवन मिशन" in page and "3 वर्ष से पंजीकृत" in page and "पंजीयन प्रमाण-पत्र" in page
    assert "<p>पहली पंक्ति</p>" in page
    db.session.refresh(call)
    criterion, document = call.criteria[0], call.documents[0]
    assert criterion.required and criterion.weight == 3
    assert client.post(f"/partners/calls/{call.id}/criteria/{criterion.id}/remove").status_code == 302
    assert client.post(f"/partners/calls/{call.id}/documents/{document.id}/remove").status_code == 302
    assert db.session.scalar(select(func.count(CallCriterion.id))) == 0
    assert db.session.scalar(select(func.count(CallDocument.id))) == 0


def test_a_call_form_with_mistakes_is_shown_again_in_hindi(client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/partners/calls/new", data={"title_hi": "", "title_en": "", "opens_on": "2026-12-31",
                                                       "closes_on": "2026-12-01"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Call.id))) == 0
    call = make_call()
    response = client.post(f"/partners/calls/{call.id}/edit", data={
        "title_hi": "नया", "opens_on": "2026-12-31", "closes_on": "2026-12-01"})
    assert response.status_code == 400
    db.session.refresh(call)
    assert call.title_hi != "नया"
    response = client.post(f"/partners/calls/{call.id}/criteria", data={"text_hi": "", "weight": "0",
                                                                      "max_score": "10"})
    assert response.status_code == 400 and call.criteria == []


def test_a_planner_changes_a_call(client, login_as):
    login_as(Role.ADMIN)
    call = make_call()
    assert JJM in client.get(f"/partners/calls/{call.id}/edit").get_data(as_text=True)
    response = client.post(f"/partners/calls/{call.id}/edit", data={
        "title_hi": "नया शीर्षक", "title_en": "", "opens_on": "2026-12-05", "closes_on": "2027-01-15",
        "themes": ["climate"]})
    assert response.status_code == 302
    db.session.refresh(call)
    assert (call.title_hi, call.title_en, call.closes_on, call.theme_keys) == (
        "नया शीर्षक", "", date(2027, 1, 15), ["climate"])


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER])
def test_staff_of_any_area_read_calls_but_only_planners_change_them(client, login_as, role):
    call = make_call()
    calls.add_criterion(call, CriterionValues(text_hi="अनुभव"))
    db.session.commit()
    login_as(role)
    assert JJM not in client.get("/partners/calls").get_data(as_text=True)  # the page speaks Hindi first
    assert "जल जीवन मिशन" in client.get("/partners/calls").get_data(as_text=True)
    page = client.get(f"/partners/calls/{call.id}").get_data(as_text=True)
    assert "अनुभव" in page and "/remove" not in page and "/edit" not in page
    assert client.get("/partners/calls/new").status_code == 403
    assert client.post(f"/partners/calls/{call.id}/criteria", data={"text_hi": "x", "weight": "1",
                                                                    "max_score": "1"}).status_code == 403
    assert len(call.criteria) == 1


def test_the_secretary_and_the_signed_out_read_no_calls(client, login_as):
    call = make_call()
    assert client.get(f"/partners/calls/{call.id}").status_code == 302
    login_as(Role.SECRETARY)
    assert client.get("/partners/calls").status_code == 403


def test_an_unknown_call_criterion_or_document_is_not_found(client, login_as):
    login_as(Role.ADMIN)
    call = make_call()
    assert client.get("/partners/calls/999999").status_code == 404
    assert client.get("/partners/calls/2147483648").status_code == 404
    assert client.post(f"/partners/calls/{call.id}/criteria/999/remove").status_code == 404
    assert client.post(f"/partners/calls/{call.id}/documents/999/remove").status_code == 404
