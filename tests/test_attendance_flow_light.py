"""The secretary's flow stays light and stays safe: few statements per mark, no Flask session, a guard against
forms from other sites, and a memory of the session's facts that never lets a mark through once the
session is cancelled, moved or closed, on any app server, nor shows another language's words."""
import re
from contextlib import contextmanager
from datetime import timedelta

import pytest
from sqlalchemy import event, func, select

from trainer.attendance import services, session_facts, tokens
from trainer.attendance.models import Attendance, AttendanceRevision, MarkSource
from trainer.attendance.rules import HeadCount
from trainer.core import clock
from trainer.extensions import db
from trainer.programmes.models import SessionStatus, TrainingSession

CSRF_REFUSAL = "फ़ॉर्म की अवधि समाप्त"


@pytest.fixture
def session(app, make_programme, monkeypatch):
    """A published session of division 1, with the clock at its start, whose facts the app keeps for an hour
    (so that a mark refused below is refused by the database, not because the memory had lapsed)."""
    session = make_programme(modules=2).sessions[0]
    moment = session.starts_at + timedelta(minutes=5)  # fixed: the tests below move the session, not the clock
    monkeypatch.setattr(clock, "now", lambda: moment)
    monkeypatch.setattr(session_facts, "KEEP_SECONDS", 3600.0)
    return session


@pytest.fixture
def codes(places):
    """The access codes of GPs 11111 and 11112."""
    issued = {gp: services.issue_code(places.gp(gp)) for gp in (11111, 11112)}
    db.session.commit()
    return issued


def hidden_fields(page: str) -> dict:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", page):
        attributes = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        if attributes.get("type") == "hidden" and attributes.get("name") != "next":
            fields[attributes["name"]] = attributes.get("value", "")
    return fields


def open_form(client, token, query=""):
    response = client.get(f"/a/{token}{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    return page, hidden_fields(page)


def first_mark(client, token, codes, gp=11111, participants="5"):
    _page, hidden = open_form(client, token)
    return client.post(f"/a/{token}", data={**hidden, "gp_query": str(gp), "access_code": codes[gp],
                                            "participants": participants})


def attendance_rows() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(Attendance))


def kept_status(session_id: int) -> SessionStatus:
    """The status this app's memory holds for a session (read from the database only if it holds none)."""
    return session_facts.facts_of(session_id).status


@contextmanager
def statements(app):
    """Count the SQL statements the app sends meanwhile."""
    sent = []
    with app.app_context():
        engine = db.engine
    listener = lambda *args: sent.append(args[2])  # noqa: E731 (the statement's text)
    event.listen(engine, "before_cursor_execute", listener)
    try:
        yield sent
    finally:
        event.remove(engine, "before_cursor_execute", listener)


# The memory of a session's facts: the database judges every mark


def test_a_cancelled_session_refuses_the_next_mark_at_once_though_its_form_was_open(client, session, codes):
    token = tokens.make_token(session.id)
    _page, hidden = open_form(client, token)  # the app now remembers the session as published
    session.status = SessionStatus.CANCELLED  # as the planner's cancel leaves it, without telling this app
    db.session.commit()
    assert kept_status(session.id) is SessionStatus.PUBLISHED
    response = client.post(f"/a/{token}", data={**hidden, "gp_query": "11111", "access_code": codes[11111],
                                                 "participants": "5"})
    assert response.status_code == 404
    assert attendance_rows() == 0 and db.session.scalar(select(func.count()).select_from(AttendanceRevision)) == 0
    assert client.get(f"/a/{token}").status_code == 404  # and the app has read the session again


def test_a_session_cancelled_through_another_app_server_stops_marking_on_this_one_at_once(
        app, client, session, codes, make_app):
    token = tokens.make_token(session.id)
    assert first_mark(client, token, codes).status_code == 200  # this server remembers the session
    _page, hidden = open_form(client, token)
    other = make_app()  # a second app server on the same database
    with other.app_context():
        cancelled = db.session.get(TrainingSession, session.id)
        cancelled.status = SessionStatus.CANCELLED
        db.session.commit()
    assert kept_status(session.id) is SessionStatus.PUBLISHED
    response = client.post(f"/a/{token}", data={**hidden, "participants": "9"})  # the one-tap mark
    assert response.status_code == 404
    db.session.expire_all()
    assert db.session.scalar(select(Attendance.participants)) == 5  # the first mark, unchanged


def test_a_session_moved_later_refuses_the_mark_and_says_when_marking_opens(client, session, codes):
    token = tokens.make_token(session.id)
    _page, hidden = open_form(client, token)
    session.starts_at += timedelta(hours=3)
    session.ends_at += timedelta(hours=3)
    db.session.commit()
    page = client.post(f"/a/{token}", data={**hidden, "gp_query": "11111", "access_code": codes[11111],
                                            "participants": "5"}).get_data(as_text=True)
    assert "अभी शुरू नहीं" in page
    assert attendance_rows() == 0


def test_a_window_shortened_since_the_form_opened_refuses_the_mark(client, session, codes, monkeypatch):
    token = tokens.make_token(session.id)
    monkeypatch.setattr(clock, "now", lambda: session.ends_at + timedelta(minutes=20))  # 30 minutes allowed
    _page, hidden = open_form(client, token)
    session.programme.attendance_closes_minutes = 10
    db.session.commit()
    page = client.post(f"/a/{token}", data={**hidden, "gp_query": "11111", "access_code": codes[11111],
                                            "participants": "5"}).get_data(as_text=True)
    assert "बंद हो चुका" in page
    assert attendance_rows() == 0


def test_a_session_lengthened_while_marking_takes_the_mark_by_its_new_times(client, session, codes):
    token = tokens.make_token(session.id)
    _page, hidden = open_form(client, token)
    session.ends_at += timedelta(minutes=30)
    db.session.commit()
    response = client.post(f"/a/{token}", data={**hidden, "gp_query": "11111", "access_code": codes[11111],
                                                 "participants": "5"})
    assert response.status_code == 200 and attendance_rows() == 1
    assert session_facts.facts_of(session.id).ends_at == session.ends_at  # read again on the way


def test_the_mark_itself_writes_nothing_for_facts_the_database_no_longer_holds(app, session, places):
    facts = session_facts.facts_of(session.id)
    session.status = SessionStatus.CANCELLED
    db.session.commit()
    assert services.mark_if_still_open(facts, places.gp(11111).id, HeadCount(5), MarkSource.POSTER, None,
                                       clock.now()) is None
    session.status = SessionStatus.LIVE  # live and completed sessions take marks as published ones do
    db.session.commit()
    marked = services.mark_if_still_open(facts, places.gp(11111).id, HeadCount(5), MarkSource.POSTER, None,
                                         clock.now())
    assert (marked.revision, marked.participants) == (1, 5)
    assert db.session.scalar(select(func.count()).select_from(AttendanceRevision)) == 1


def test_the_remembered_titles_are_shown_in_the_pages_language_only(client, session):
    token = tokens.make_token(session.id)
    hindi, _hidden = open_form(client, token)
    client.set_cookie("lang", "en")
    english, _hidden = open_form(client, token)
    client.set_cookie("lang", "hi")
    again, _hidden = open_form(client, token)
    assert "मॉड्यूल 1" in hindi and "संभाग 1" in hindi and "Module 1" not in hindi
    assert "Module 1" in english and "Division 1" in english and "Jul 2026" in english
    assert "मॉड्यूल" not in english and "संभाग" not in english
    assert again == hindi.replace(hidden_fields(hindi)["pass_token"], hidden_fields(again)["pass_token"])


# Few statements per mark


def test_a_first_time_mark_sends_three_statements_and_its_form_none(app, client, session, codes):
    token = tokens.make_token(session.id)
    first_mark(app.test_client(), token, codes, gp=11112)  # the app now remembers the session
    with statements(app) as opening:
        _page, hidden = open_form(client, token)
    with statements(app) as marking:
        response = client.post(f"/a/{token}", data={**hidden, "gp_query": "11111", "access_code": codes[11111],
                                                     "participants": "5"})
    assert response.status_code == 200
    assert opening == []
    assert len(marking) <= 3, marking  # the GP with its code; the conditional upsert; its history row


def test_a_remembered_phones_one_tap_mark_sends_four_statements_at_most(app, client, session, codes):
    token = tokens.make_token(session.id)
    assert first_mark(client, token, codes).status_code == 200
    with statements(app) as sent:
        _page, hidden = open_form(client, token)
        response = client.post(f"/a/{token}", data={**hidden, "participants": "6"})
    assert response.status_code == 200 and "6 प्रतिभागी" in response.get_data(as_text=True)
    assert len(sent) <= 4, sent  # the GP and its mark, on each screen; the upsert; its history row


# No Flask session, and a guard against forms sent from other sites


@pytest.fixture
def guarded(make_app, session, codes):
    """An app that refuses forms without their CSRF token, as in production."""
    return make_app(WTF_CSRF_ENABLED=True)


def test_the_flow_sets_no_flask_session_cookie(guarded, session, codes):
    phone = guarded.test_client()
    with guarded.app_context():
        token = tokens.make_token(session.id)
    opened = phone.get(f"/a/{token}")
    done = first_mark(phone, token, codes)
    assert done.status_code == 200
    cookies = opened.headers.getlist("Set-Cookie") + done.headers.getlist("Set-Cookie")
    assert not [cookie for cookie in cookies if cookie.startswith("session=")], cookies
    assert any(cookie.startswith("attend_guard=") and "HttpOnly" in cookie and "SameSite=Lax" in cookie
               for cookie in cookies)


def test_a_form_sent_from_another_site_is_refused_and_marks_nothing(guarded, session, codes):
    with guarded.app_context():
        token = tokens.make_token(session.id)
    phone, attacker = guarded.test_client(), guarded.test_client()
    _page, hidden = open_form(phone, token)
    _page, attackers = open_form(attacker, token)
    form = {"gp_query": "11111", "access_code": codes[11111], "participants": "5"}
    # Another site's page can post to the phone's browser, but cannot read its guard (nor the form's token):
    # without a token, or with one made for another browser, the form is refused.
    without = phone.post(f"/a/{token}", data={**form, "pass_token": hidden["pass_token"]})
    borrowed = phone.post(f"/a/{token}", data={**form, **attackers})
    uncookied = guarded.test_client().post(f"/a/{token}", data={**form, **hidden})
    for response in (without, borrowed, uncookied):
        assert response.status_code == 400 and CSRF_REFUSAL in response.get_data(as_text=True)
    with guarded.app_context():
        assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0
    assert phone.post(f"/a/{token}", data={**form, **hidden}).status_code == 200


def test_the_language_buttons_of_the_flow_switch_without_a_session_and_are_guarded(guarded, session):
    with guarded.app_context():
        token = tokens.make_token(session.id)
    phone = guarded.test_client()
    page, hidden = open_form(phone, token)
    assert '<button name="lang" value="en"' in page
    refused = phone.post(f"/a/{token}", data={"lang": "en"})
    assert refused.status_code == 400 and CSRF_REFUSAL in refused.get_data(as_text=True)
    switched = phone.post(f"/a/{token}", data={"lang": "en", "csrf_token": hidden["csrf_token"]})
    assert switched.status_code == 302 and switched.headers["Location"] == f"/a/{token}"
    assert "lang=en" in switched.headers["Set-Cookie"]
    english, _hidden = open_form(phone, token)
    assert "Mark present" in english and "Module 1" in english


def test_not_your_panchayat_marks_the_gp_typed_and_remembers_it(client, session, codes, places):
    token = tokens.make_token(session.id)
    assert first_mark(client, token, codes).status_code == 200  # remembered: GP 11111
    page, hidden = open_form(client, token, "?change=1")
    assert 'name="access_code"' in page and f'action="/a/{token}?change=1"' in page
    done = client.post(f"/a/{token}?change=1", data={**hidden, "gp_query": "11112", "access_code": codes[11112],
                                                       "participants": "8"})
    assert done.status_code == 200 and "ग्राम 1112 उपस्थित दर्ज" in done.get_data(as_text=True)
    db.session.expire_all()
    marks = dict(db.session.execute(select(Attendance.gram_panchayat_id, Attendance.participants)).all())
    assert marks == {places.gp(11111).id: 5, places.gp(11112).id: 8}
    page, _hidden = open_form(client, token)
    assert "ग्राम 1112" in page and 'name="access_code"' not in page
