"""The secretary's flow, as a phone without JavaScript walks it: scan, identify once, count, confirmed."""
import re
import threading
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from trainer.attendance import services, tokens
from trainer.attendance.models import Attendance, AttendanceRevision, MarkSource
from trainer.attendance.rules import HeadCount
from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db


@pytest.fixture
def session(app, make_programme, monkeypatch):
    """A published session of divisions 1 and 2, with the clock at its start."""
    session = make_programme(modules=1).sessions[0]
    monkeypatch.setattr(clock, "now", lambda: session.starts_at + timedelta(minutes=5))
    return session


@pytest.fixture
def code(places):
    """The access code of GP 11111 (ग्राम 1111)."""
    issued = services.issue_code(places.gp(11111))
    db.session.commit()
    return issued


def form_of(page: str) -> dict:
    """Return the hidden fields of the attendance form on a page."""
    fields = {}
    for tag in re.findall(r"<input[^>]*>", page):
        attributes = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        if attributes.get("type") == "hidden" and attributes.get("name") != "next":
            fields[attributes["name"]] = attributes.get("value", "")
    return fields


def open_form(client, token):
    response = client.get(f"/a/{token}")
    assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    return page, form_of(page)


def test_first_scan_then_one_tap_scans_take_two_screens_each(client, session, code):
    token = tokens.make_token(session.id)
    page, hidden = open_form(client, token)  # screen 1
    assert 'name="gp_query"' in page and 'name="access_code"' in page
    response = client.post(f"/a/{token}", data={**hidden, "gp_query": "11111", "access_code": code,
                                                 "participants": "14", "sarpanch": "1", "mode": "youtube"})
    done = response.get_data(as_text=True)  # screen 2
    assert response.status_code == 200
    assert "ग्राम 1111 उपस्थित दर्ज" in done and "14 प्रतिभागी" in done and session.title in done
    assert "gp=" in response.headers["Set-Cookie"]
    attendance = db.session.scalar(select(Attendance))
    assert (attendance.participants, attendance.count_sarpanch, attendance.source) == (14, 1, MarkSource.POSTER)

    page, hidden = open_form(client, token)  # the phone remembers: no code asked
    assert 'name="access_code"' not in page and "ग्राम 1111" in page and 'value="14"' in page
    client.post(f"/a/{token}", data={**hidden, "participants": "16"})
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1
    assert db.session.scalar(select(Attendance)).participants == 16
    assert db.session.scalar(select(func.count()).select_from(AttendanceRevision)) == 2


def test_the_pages_stay_small_and_need_no_web_fonts(client, session, code):
    token = tokens.make_token(session.id)
    page, hidden = open_form(client, token)
    done = client.post(f"/a/{token}", data={**hidden, "gp_query": "11111", "access_code": code,
                                            "participants": "3"}).get_data(as_text=True)
    response = client.get("/static/css/attend.css")
    css = response.get_data()
    response.close()
    # The only scripts are the flow's own, deferred (a lost network's marks, static/js/attend.js): the page
    # shows and works before they load, and without them.
    scripts = re.findall(r'<script src="(/static/js/attend[a-z-]*\.js\?v=[0-9a-f]+)"[^>]* defer></script>', page)
    assert len(scripts) == 2 and page.count("<script") == 2
    js = 0
    for url in [*scripts, "/static/js/attend-sw.js"]:
        response = client.get(url)
        js += len(response.get_data())
        response.close()
    assert len(page.encode()) + len(css) + js < 50_000 and len(done.encode()) + len(css) + js < 50_000
    for html in (page, done):
        assert "woff" not in html and "pico" not in html and html.count("<script") == 2
    assert b"@font-face" not in css


def test_a_name_matching_several_gps_asks_which_one(client, session, code):
    token = tokens.make_token(session.id)
    _page, hidden = open_form(client, token)
    page = client.post(f"/a/{token}", data={**hidden, "gp_query": "ग्राम 111", "access_code": code,
                                            "participants": "5"}).get_data(as_text=True)
    # each with its janpad and district, and the typed name kept to refine it
    assert "ग्राम 1111 <small>जनपद जनपद 111, जिला जिला 11 · 11111</small>" in page and "11113" in page
    assert 'name="gp_query" value="ग्राम 111"' in page
    gp = db.session.scalar(select(Attendance.gram_panchayat_id))
    assert gp is None
    from trainer.regions.models import GramPanchayat
    chosen = db.session.scalar(select(GramPanchayat.id).where(GramPanchayat.lgd_code == 11111))
    response = client.post(f"/a/{token}", data={**hidden, "gp_choice": chosen, "access_code": code,
                                                "participants": "5"})
    assert response.status_code == 200 and db.session.scalar(select(Attendance.participants)) == 5


def test_wrong_codes_are_refused_then_limited_per_gp(client, session, code):
    token = tokens.make_token(session.id)
    _page, hidden = open_form(client, token)
    wrong = "00000000" if code != "00000000" else "11111111"
    for _attempt in range(5):
        page = client.post(f"/a/{token}", data={**hidden, "gp_query": "11111", "access_code": wrong,
                                                "participants": "5"}).get_data(as_text=True)
        assert "एक्सेस कोड गलत" in page
    page = client.post(f"/a/{token}", data={**hidden, "gp_query": "11111", "access_code": code,
                                            "participants": "5"}).get_data(as_text=True)
    assert "बहुत अधिक" in page
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_a_reissued_code_makes_the_phone_identify_again(client, session, code, places):
    token = tokens.make_token(session.id)
    _page, hidden = open_form(client, token)
    client.post(f"/a/{token}", data={**hidden, "gp_query": "11111", "access_code": code, "participants": "5"})
    services.issue_code(places.gp(11111))
    db.session.commit()
    page, _hidden = open_form(client, token)
    assert 'name="access_code"' in page


def test_outside_the_window_nothing_is_recorded(client, session, code, monkeypatch):
    token = tokens.make_token(session.id)
    _page, hidden = open_form(client, token)
    monkeypatch.setattr(clock, "now", lambda: session.starts_at - timedelta(minutes=20))
    assert "अभी शुरू नहीं" in client.get(f"/a/{token}").get_data(as_text=True)
    monkeypatch.setattr(clock, "now", lambda: session.ends_at + timedelta(minutes=31))
    page = client.post(f"/a/{token}", data={**hidden, "gp_query": "11111", "access_code": code,
                                            "participants": "5"}).get_data(as_text=True)
    assert "बंद हो चुका" in page
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_a_live_token_opens_the_form_which_may_be_sent_after_its_minute(client, session, code, monkeypatch):
    start = session.starts_at + timedelta(minutes=5)
    token = tokens.make_token(session.id, tokens.period_of(start))
    _page, hidden = open_form(client, token)
    monkeypatch.setattr(clock, "now", lambda: start + timedelta(minutes=10))
    assert client.get(f"/a/{token}").status_code == 400  # too old to open a form now
    response = client.post(f"/a/{token}", data={**hidden, "gp_query": "11111", "access_code": code,
                                                 "participants": "7"})
    assert response.status_code == 200
    assert db.session.scalar(select(Attendance.source)) is MarkSource.LIVE


def test_forged_tokens_and_forms_without_a_pass_are_refused(client, session, code):
    assert client.get("/a/not-a-token").status_code == 400
    token = tokens.make_token(session.id)
    response = client.post(f"/a/{token}", data={"gp_query": "11111", "access_code": code, "participants": "5"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_the_typed_code_leads_to_the_same_form(client, session):
    code = services.ensure_session_code(session)
    db.session.commit()
    response = client.get(f"/a?code={code[:4]} {code[4:]}")
    assert response.status_code == 302 and response.headers["Location"] == f"/a/{tokens.make_token(session.id)}"
    assert "कोई सत्र नहीं" in client.get("/a?code=12").get_data(as_text=True)


def test_a_signed_in_secretary_is_recognised_without_a_code(client, session, login_as):
    login_as(Role.SECRETARY)  # GP 11111
    token = tokens.make_token(session.id)
    page, hidden = open_form(client, token)
    assert 'name="access_code"' not in page and "ग्राम 1111" in page
    client.post(f"/a/{token}", data={**hidden, "participants": "9"})
    assert db.session.scalar(select(Attendance.participants)) == 9


def test_a_gp_outside_the_sessions_divisions_cannot_mark(client, session, code, places):
    session.divisions = [places.division(2)]
    db.session.commit()
    token = tokens.make_token(session.id)
    _page, hidden = open_form(client, token)
    page = client.post(f"/a/{token}", data={**hidden, "gp_query": "11111", "access_code": code,
                                            "participants": "5"}).get_data(as_text=True)
    assert "कोई ग्राम पंचायत नहीं" in page


@pytest.mark.postgres
def test_two_phones_marking_at_once_leave_one_row(app, make_app, make_programme, places, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrency is proved on PostgreSQL")
    session = make_programme(modules=1).sessions[0]
    session_id, gp_id = session.id, places.gp(11111).id
    db.session.commit()
    barrier = threading.Barrier(8)
    errors = []
    # One app per phone, made here: building apps is not what this test races.
    phones = [make_app() for _ in range(8)]

    def phone(other, count):
        with other.app_context():
            try:
                from trainer.programmes.models import TrainingSession
                from trainer.regions.models import GramPanchayat
                target = db.session.get(TrainingSession, session_id)
                gp = db.session.get(GramPanchayat, gp_id)
                barrier.wait(timeout=60)  # a phone that failed breaks the barrier instead of hanging the rest
                services.mark(target, gp, HeadCount(count), MarkSource.POSTER)
                db.session.commit()
            except Exception as error:  # collected and asserted below
                errors.append(error)
            finally:
                db.session.remove()

    threads = [threading.Thread(target=phone, args=(other, count)) for other, count in zip(phones, range(10, 18), strict=False)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1
    revisions = db.session.scalars(select(AttendanceRevision.revision)).all()
    assert sorted(revisions) == list(range(1, 9))
