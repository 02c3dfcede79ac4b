"""Marks that survive a dropped network, on the server's side: the phone's one-time key keeps a mark sent twice
recorded once and refuses it altered; a mark kept on the phone counts at the moment it was made, within the
grace, never before the window opened, and its history keeps both moments; the form without scripts is as it
was. (The phone's side, in Chromium offline and online again: test_attendance_offline_browser.py.)"""
import re
import threading
import time
import uuid
from datetime import timedelta
from pathlib import Path

import itsdangerous.timed
import pytest
from sqlalchemy import func, insert, select
from sqlalchemy.exc import IntegrityError

from trainer.attendance import device, rules, services, tokens
from trainer.attendance.models import Attendance, AttendanceRevision, MarkSource
from trainer.attendance.rules import HeadCount
from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db

GRACE = timedelta(minutes=120)  # the configuration's default


class Clock:
    """The app's clock, moved by the tests."""

    def __init__(self, moment):
        self.moment = moment

    def __call__(self):
        return self.moment


@pytest.fixture
def session(app, make_programme):
    """A published session of divisions 1 and 2."""
    return make_programme(modules=1).sessions[0]


@pytest.fixture
def now(session, monkeypatch):
    """The clock, standing five minutes into the session."""
    moved = Clock(session.starts_at + timedelta(minutes=5))
    monkeypatch.setattr(clock, "now", moved)
    return moved


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


def opened_form(client, token) -> dict:
    response = client.get(f"/a/{token}")
    assert response.status_code == 200, response.get_data(as_text=True)
    return hidden_fields(response.get_data(as_text=True))


def millis(moment) -> str:
    return str(int(moment.timestamp() * 1000))


def send(client, token, form, codes, key=None, made=None, gp=11111, participants="5", **extra):
    """Send the form as the page's script does: with its one-time key and the moment the mark was made."""
    data = {**form, "gp_query": str(gp), "access_code": codes[gp], "participants": participants, **extra}
    if key is not None:
        data["mark_key"] = key
    if made is not None:
        data["made_at"] = made if isinstance(made, str) else millis(made)
    return client.post(f"/a/{token}", data=data)


def counts() -> tuple[int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(Attendance)),
            db.session.scalar(select(func.count()).select_from(AttendanceRevision)))


def window_of(session):
    db.session.refresh(session)
    return rules.window(session)


# One mark per key


def test_a_mark_sent_twice_with_its_key_is_recorded_once(client, session, now, codes):
    token, key = tokens.make_token(session.id), str(uuid.uuid4())
    form = opened_form(client, token)
    first = send(client, token, form, codes, key=key, made=now())
    assert first.status_code == 200 and "ग्राम 1111 उपस्थित दर्ज" in first.get_data(as_text=True)
    again = send(client, token, form, codes, key=key, made=now())
    page = again.get_data(as_text=True)
    assert again.status_code == 200 and "ग्राम 1111 उपस्थित दर्ज" in page
    assert "यह उपस्थिति पहले ही मिल चुकी थी: यह एक ही बार दर्ज है।" in page
    assert counts() == (1, 1)
    assert db.session.scalar(select(AttendanceRevision.mark_key)) == key
    assert db.session.scalar(select(Attendance.revision)) == 1
    # A new mark of the same phone (a new key) corrects the count, as marking again always has.
    assert send(client, token, form, codes, key=str(uuid.uuid4()), participants="6").status_code == 200
    assert counts() == (1, 2) and db.session.scalar(select(Attendance.participants)) == 6


def test_a_replayed_mark_with_another_count_is_refused_and_changes_nothing(client, session, now, codes):
    token, key = tokens.make_token(session.id), str(uuid.uuid4())
    form = opened_form(client, token)
    assert send(client, token, form, codes, key=key, participants="5").status_code == 200
    for altered in ({"participants": "9"}, {"participants": "5", "sarpanch": "1"}, {"participants": "5", "mode": "webcast"}):
        response = send(client, token, form, codes, key=key, **altered)
        page = response.get_data(as_text=True)
        assert response.status_code == 409, altered
        assert "यह उपस्थिति पहले ही दूसरी संख्या के साथ मिल चुकी है" in page and "कुछ भी नहीं बदला गया" in page
        assert "यह 5 प्रतिभागियों के साथ दर्ज हुई थी।" in page
    assert counts() == (1, 1)
    attendance = db.session.scalar(select(Attendance))
    assert (attendance.participants, attendance.count_sarpanch, attendance.mode, attendance.revision) == (5, None, None, 1)


def test_a_key_replayed_for_another_gram_panchayat_is_refused(client, session, now, codes):
    token, key = tokens.make_token(session.id), str(uuid.uuid4())
    assert send(client, token, opened_form(client, token), codes, key=key).status_code == 200
    other = client.application.test_client()  # another phone, which has never marked
    response = send(other, token, opened_form(other, token), codes, key=key, gp=11112)
    assert response.status_code == 409 and "कुछ भी नहीं बदला गया" in response.get_data(as_text=True)
    assert counts() == (1, 1)


def test_the_database_itself_refuses_a_key_twice(app, session, places):
    attendance = services.mark(session, places.gp(11111), HeadCount(4), MarkSource.POSTER)
    row = dict(attendance_id=attendance.id, participants=4, source="poster", marked_at=clock.now(), mark_key="k" * 36)
    db.session.execute(insert(AttendanceRevision.__table__), [{**row, "revision": 2}])
    with pytest.raises(IntegrityError):
        db.session.execute(insert(AttendanceRevision.__table__), [{**row, "revision": 3}])
    db.session.rollback()


@pytest.mark.postgres
def test_the_same_mark_sent_at_the_same_moment_by_two_requests_is_recorded_once(
        make_app, make_programme, places, database_url):
    if not database_url.startswith("postgresql"):
        pytest.skip("concurrency is proved on PostgreSQL")
    session = make_programme(modules=1).sessions[0]
    code = services.issue_code(places.gp(11111))
    db.session.commit()
    moment = session.starts_at + timedelta(minutes=5)
    token, key = tokens.make_token(session.id), str(uuid.uuid4())
    phones = [make_app() for _ in range(4)]
    barrier, answers, errors = threading.Barrier(len(phones)), [], []

    def phone(other):
        try:
            browser = other.test_client()
            form = opened_form(browser, token)
            barrier.wait(timeout=60)
            response = send(browser, token, form, {11111: code}, key=key, made=moment)
            answers.append((response.status_code, response.get_data(as_text=True)))
        except Exception as error:  # collected and asserted below
            errors.append(error)

    # Each request's first look for the key finds nothing, as when all are sent at once: the database decides.
    looked, look = threading.local(), services.mark_by_key

    def late_look(mark_key):
        if not getattr(looked, "once", False):
            looked.once = True
            return None
        return look(mark_key)

    original = clock.now
    clock.now = lambda: moment
    services.mark_by_key = late_look
    try:
        threads = [threading.Thread(target=phone, args=(other,)) for other in phones]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        clock.now, services.mark_by_key = original, look
    assert errors == []
    assert [status for status, _page in answers] == [200] * len(phones)
    assert sum("पहले ही मिल चुकी थी" in page for _status, page in answers) == len(phones) - 1
    assert counts() == (1, 1)


# The moment a mark was made


def test_a_mark_made_in_the_window_counts_when_it_arrives_late_within_the_grace(client, session, now, codes):
    token = tokens.make_token(session.id)
    form = opened_form(client, token)
    _opens, closes = window_of(session)
    made = closes - timedelta(minutes=10)
    now.moment = closes + timedelta(minutes=90)  # marking has closed; the mark was made in time
    response = send(client, token, form, codes, key=str(uuid.uuid4()), made=made)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    attendance = db.session.scalar(select(Attendance))
    assert (attendance.made_at, attendance.marked_at) == (made, now.moment)
    revision = db.session.scalar(select(AttendanceRevision))
    assert (revision.made_at, revision.marked_at) == (made, now.moment)
    assert "बिना नेटवर्क के इस फ़ोन पर" in page and "पर प्राप्त हुई" in page
    # Sent as it was made, the same form without a moment is refused: marking has closed.
    other = client.application.test_client()
    refused = send(other, token, opened_form_at(other, token, now, session), codes, gp=11112)
    assert refused.status_code == 200 and "उपस्थिति दर्ज करना बंद" in refused.get_data(as_text=True)
    assert counts() == (1, 1)


def opened_form_at(client, token, now, session):
    """Open the form while the window is open, whatever the clock says now."""
    later = now.moment
    now.moment = session.starts_at + timedelta(minutes=5)
    try:
        return opened_form(client, token)
    finally:
        now.moment = later


def test_a_mark_arriving_after_the_grace_is_judged_at_its_arrival(client, session, now, codes):
    token = tokens.make_token(session.id)
    form = opened_form(client, token)
    _opens, closes = window_of(session)
    now.moment = closes + GRACE + timedelta(minutes=5)
    response = send(client, token, form, codes, key=str(uuid.uuid4()), made=closes - timedelta(minutes=1))
    assert response.status_code == 422 and "उपस्थिति दर्ज करना बंद" in response.get_data(as_text=True)
    assert counts() == (0, 0)


def test_a_mark_made_before_the_window_opened_is_refused(client, session, now, codes):
    token = tokens.make_token(session.id)
    form = opened_form(client, token)
    opens, _closes = window_of(session)
    response = send(client, token, form, codes, key=str(uuid.uuid4()), made=opens - timedelta(minutes=1))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "यह उपस्थिति दर्ज करना खुलने से पहले की गई थी" in page
    assert "कुछ भी दर्ज नहीं हुआ" in page
    assert counts() == (0, 0)


def test_a_moment_in_the_future_counts_as_the_moment_it_arrived(client, session, now, codes):
    token = tokens.make_token(session.id)
    form = opened_form(client, token)
    _opens, closes = window_of(session)
    now.moment = closes + timedelta(minutes=1)  # closed: a phone clock a day ahead must not reopen it
    response = send(client, token, form, codes, key=str(uuid.uuid4()), made=now.moment + timedelta(days=1))
    assert response.status_code == 422 and counts() == (0, 0)
    now.moment = closes - timedelta(minutes=1)
    assert send(client, token, form, codes, key=str(uuid.uuid4()), made=now.moment + timedelta(days=1)).status_code == 200
    assert db.session.scalar(select(Attendance.made_at)) is None  # taken as received, not as the phone claimed


def test_the_rule_bounds_what_the_phone_says():
    received = clock.now()
    assert rules.moment_made(None, received, GRACE) is None
    assert rules.moment_made(received - timedelta(minutes=5), received, GRACE) == received - timedelta(minutes=5)
    assert rules.moment_made(received + timedelta(seconds=1), received, GRACE) == received
    assert rules.moment_made(received - GRACE - timedelta(seconds=1), received, GRACE) == received
    assert rules.moment_made(received - GRACE, received, GRACE) == received - GRACE


def old_pass(app, token, minutes):
    """The pass of a form opened `minutes` ago (by the real clock, as the pass's own)."""
    original = itsdangerous.timed.TimestampSigner.get_timestamp
    itsdangerous.timed.TimestampSigner.get_timestamp = lambda self: int(time.time()) - minutes * 60
    try:
        with app.test_request_context():
            return device.form_pass(token)
    finally:
        itsdangerous.timed.TimestampSigner.get_timestamp = original


def test_the_form_pass_does_not_refuse_a_mark_made_in_time_and_delivered_within_the_grace(app, client, session, now,
                                                                                       codes):
    token = tokens.make_token(session.id)
    form = {**opened_form(client, token), "pass_token": old_pass(app, token, 40)}  # 30 minutes allowed
    stale = send(client, token, form, codes, key=str(uuid.uuid4()))
    assert stale.status_code == 400 and "फ़ॉर्म बहुत देर तक खुला रहा" in stale.get_data(as_text=True)
    made_too_late = send(client, token, form, codes, key=str(uuid.uuid4()), made=now() - timedelta(minutes=5))
    assert made_too_late.status_code == 400  # the form had been open 35 minutes when the mark was made
    assert counts() == (0, 0)
    in_time = send(client, token, form, codes, key=str(uuid.uuid4()), made=now() - timedelta(minutes=20))
    assert in_time.status_code == 200 and counts() == (1, 1)


# Bad input


@pytest.mark.parametrize("field, value, message", [
    ("mark_key", "abc", "फ़ोन ने खराब कुंजी भेजी"),
    ("mark_key", "<script>alert(1)</script>", "फ़ोन ने खराब कुंजी भेजी"),
    ("mark_key", "1E176EA4-3229-42CB-81E3-567167E4072A", "फ़ोन ने खराब कुंजी भेजी"),
    ("mark_key", "a" * 5000, "फ़ोन ने खराब कुंजी भेजी"),
    ("made_at", "कल", "फ़ोन ने खराब समय भेजा"),
    ("made_at", "-1", "फ़ोन ने खराब समय भेजा"),
    ("made_at", "9" * 40, "फ़ोन ने खराब समय भेजा"),
])
def test_a_damaged_key_or_moment_gets_a_hindi_answer_and_marks_nothing(client, session, now, codes, field, value,
                                                                       message):
    token = tokens.make_token(session.id)
    response = send(client, token, opened_form(client, token), codes, **{field: value})
    assert response.status_code == 422 and message in response.get_data(as_text=True)
    assert counts() == (0, 0)


# Without scripts, and where officers look


def test_the_form_without_scripts_is_unchanged(client, session, now, codes):
    token = tokens.make_token(session.id)
    form = opened_form(client, token)
    assert set(form) == {"csrf_token", "pass_token"}  # the key and the moment come from the page's script only
    page = client.get(f"/a/{token}").get_data(as_text=True)
    assert "इस फ़ोन पर सहेजी गई, भेजी जाएगी" in page and 'id="saved-on-phone" class="saved" role="status" hidden' in page
    response = send(client, token, form, codes)
    assert response.status_code == 200 and "ग्राम 1111 उपस्थित दर्ज" in response.get_data(as_text=True)
    revision = db.session.scalar(select(AttendanceRevision))
    assert (revision.mark_key, revision.made_at, revision.marked_at) == (None, None, now())


def test_the_live_page_shows_when_a_late_mark_was_made_and_when_it_came(client, session, now, codes, login_as):
    token = tokens.make_token(session.id)
    form = opened_form(client, token)
    made = now() - timedelta(minutes=15)
    assert send(client, token, form, codes, key=str(uuid.uuid4()), made=made).status_code == 200
    login_as(Role.TRAINER)
    page = client.get(f"/attendance/sessions/{session.id}/live").get_data(as_text=True)
    assert "फ़ोन पर बिना नेटवर्क" in page and "पर प्राप्त" in page
    recent = client.get(f"/attendance/sessions/{session.id}/live.json").get_json()["recent"]
    assert [(mark["made_at"], mark["marked_at"]) for mark in recent] == [(made.isoformat(), now().isoformat())]


def test_the_service_worker_may_serve_the_flow_and_keeps_the_sites_rules(client):
    response = client.get("/static/js/attend-sw.js")
    response.close()
    assert response.status_code == 200 and response.headers["Service-Worker-Allowed"] == "/a/"
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    other = client.get("/static/js/attend.js")
    other.close()
    assert "Service-Worker-Allowed" not in other.headers
    # Behind nginx, which serves static/ itself, the same header comes from its configuration.
    conf = (Path(__file__).resolve().parent.parent / "deploy" / "nginx-trainer.conf").read_text()
    assert re.search(r"location = /static/js/attend-sw\.js \{\s*alias /srv/trainer/static/js/attend-sw\.js;\s*"
                     r"add_header Cache-Control \$trainer_static_cache always;\s*"
                     r'add_header Service-Worker-Allowed "/a/" always;', conf)


def test_the_marks_history_shows_when_each_was_made_and_received(client, session, now, codes, login_as):
    token = tokens.make_token(session.id)
    form = opened_form(client, token)
    made = now() - timedelta(minutes=15)
    assert send(client, token, form, codes, key=str(uuid.uuid4()), made=made, participants="5").status_code == 200
    now.moment += timedelta(minutes=10)
    assert send(client, token, form, codes, participants="7").status_code == 200  # sent as made, without scripts
    login_as(Role.TRAINER)
    response = client.get(f"/attendance/sessions/{session.id}/gps/11111/history")
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and "ग्राम 1111 की उपस्थितियाँ" in page
    rows = re.findall(r"<tr><td class=\"num\">(\d)</td>(.*?)</tr>", page, re.S)
    assert [number for number, _cells in rows] == ["2", "1"]  # newest first
    assert "फ़ोन पर, बिना नेटवर्क" not in rows[0][1] and "—" in rows[0][1]
    assert "फ़ोन पर, बिना नेटवर्क" in rows[1][1] and "सुबह 10:50" in rows[1][1] and "सुबह 11:05" in rows[1][1]
    live = client.get(f"/attendance/sessions/{session.id}/live").get_data(as_text=True)
    assert f"/attendance/sessions/{session.id}/gps/11111/history" in live
    assert client.get(f"/attendance/sessions/{session.id}/gps/99999/history").status_code == 404


def test_the_api_lists_a_gps_marks_with_both_moments(client, session, now, codes, login_as):
    token = tokens.make_token(session.id)
    made = now() - timedelta(minutes=15)
    assert send(client, token, opened_form(client, token), codes, key=str(uuid.uuid4()), made=made,
                participants="5", sarpanch="1", mode="webcast").status_code == 200
    login_as(Role.BLOCK_OFFICER, area_code=1111)
    data = client.get(f"/api/v1/sessions/{session.id}/gps/11111/marks").get_json()
    assert data["gram_panchayat"]["code"] == 11111
    assert data["marks"] == [{"revision": 1, "participants": 5, "mode": "webcast", "source": "poster",
                              "roles": {"sarpanch": 1, "secretary": None, "ward_member": None, "shg_member": None,
                                        "other": None},
                              "made_at": made.isoformat(), "received_at": now().isoformat(), "marked_by": None}]
    outside = client.get(f"/api/v1/sessions/{session.id}/gps/11121/marks")  # janpad 1112: not this officer's
    assert outside.status_code == 403 and outside.get_json()["error"] == "forbidden"
