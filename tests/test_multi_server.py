"""Two app servers, one PostgreSQL, one Redis: nothing a request needs lives in an app process.

Starts two real gunicorn servers (deploy/gunicorn.conf.py, as in production) on two free loopback ports,
against a schema of this test's own in the suite's PostgreSQL database and a Redis database of its own, and
sends one phone's requests to both in turn. Runs on PostgreSQL only (TEST_DATABASE_URL).
"""
import http.cookiejar
import importlib.util
import os
import random
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
import uuid
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, select, text

from tests.conftest import _rows, postgresql_schema
from trainer import create_app
from trainer.config import TestConfig, normalise_database_url
from trainer.extensions import db

pytestmark = pytest.mark.postgres

ROOT = Path(__file__).resolve().parent.parent
GUNICORN = Path(sys.executable).parent / "gunicorn"
REDIS_URL = "redis://127.0.0.1:6379/8"  # this test's own Redis database, flushed before and after
SECRET_KEY = "one key shared by every app server of the multi-server test"
WRONG_CODES_ALLOWED = 3
GP, OTHER_GP = 11111, 11112
# A district of division 1 with many gram panchayats, for the uploads that race each other.
BIG_DISTRICT, BIG_BLOCKS, GPS_PER_BIG_BLOCK = 190, (1901, 1902), 1000
STAFF_PASSWORD = "multi-server-staff-1"


def big_district_rows() -> list[dict]:
    """Return the CSV-style rows of district 190 (division 1): two blocks of 1,000 gram panchayats each."""
    return [{"division_code": "1", "division_name_en": "Division 1", "division_name_hi": "संभाग 1",
             "district_code": str(BIG_DISTRICT), "district_name_en": "District 190", "district_name_hi": "जिला 190",
             "block_code": str(block), "block_name_en": f"Block {block}", "block_name_hi": f"जनपद {block}",
             "gp_code": str(block * 10000 + number), "gp_name_en": f"Gram {block}-{number}",
             "gp_name_hi": f"ग्राम {block}-{number}"}
            for block in BIG_BLOCKS for number in range(1, GPS_PER_BIG_BLOCK + 1)]


BIG_GPS = [int(row["gp_code"]) for row in big_district_rows()]


def _load_smoke():
    spec = importlib.util.spec_from_file_location("trainer_smoke", ROOT / "deploy" / "smoke.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


smoke = _load_smoke()


@pytest.fixture(scope="module")
def database():
    """Return the URL of a fresh schema in the suite's PostgreSQL database; drop it afterwards."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith(("postgresql", "postgres:")):
        pytest.skip("two app servers share a server database: set TEST_DATABASE_URL=postgresql://… "
                    "(SQLite is one file of one machine)")
    with postgresql_schema(normalise_database_url(url), "multi_server") as schema_url:
        yield schema_url


@pytest.fixture(scope="module")
def redis_store():
    redis = pytest.importorskip("redis")
    store = redis.Redis.from_url(REDIS_URL)
    try:
        store.ping()
    except redis.ConnectionError:
        pytest.skip("the rate limits are shared through Redis, and no Redis answers at 127.0.0.1:6379")
    store.flushdb()
    yield store
    store.flushdb()
    store.close()


def server_environment(database_url: str) -> dict:
    env = {key: value for key, value in os.environ.items()
           if not key.startswith(("FLASK_", "TEST_", "GUNICORN_", "TRAINER_", "PYTEST_"))}
    env.update(DATABASE_URL=database_url, REDIS_URL=REDIS_URL, SECRET_KEY=SECRET_KEY, FLASK_APP="wsgi",
               ACCESS_CODE_LIMIT_PER_GP=f"{WRONG_CODES_ALLOWED} per 15 minutes",
               TRUSTED_PROXIES="1",  # as behind nginx: the phones of the burst test come from addresses of their own
               GUNICORN_WORKERS="1", GUNICORN_THREADS="2", GUNICORN_LOG_LEVEL="warning")
    return env


@pytest.fixture(scope="module")
def state(database, redis_store):
    """`flask db upgrade`, then a small state: the test regions, a published session of division 1 running
    now with a one-question feedback form, and access codes for two GPs. Returns what the phone needs."""
    subprocess.run([str(GUNICORN.parent / "flask"), "db", "upgrade"], cwd=ROOT, env=server_environment(database),
                   check=True, capture_output=True, timeout=120)
    from trainer.accounts.services import create_user
    from trainer.attendance import services as attendance
    from trainer.attendance import tokens
    from trainer.core.database import utc_now
    from trainer.core.roles import Role
    from trainer.feedback.models import QuestionKind
    from trainer.feedback.services import add_question
    from trainer.programmes.models import Programme, SessionStatus, TrainingSession
    from trainer.programmes.services import add_module, save_programme
    from trainer.regions.importer import import_region_rows
    from trainer.regions.models import Division, GramPanchayat

    app = create_app(type("MultiServerConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database,
                                                                "SECRET_KEY": SECRET_KEY}))
    with app.app_context():
        import_region_rows(_rows() + big_district_rows())
        create_user("district", STAFF_PASSWORD, Role.DISTRICT_OFFICER, BIG_DISTRICT)
        division = db.session.scalar(select(Division).where(Division.lgd_code == 1))
        programme = save_programme(Programme(), title_hi="दो सर्वर", title_en="Two servers",
                                   first_day=date.today() - timedelta(days=1), last_day=date.today() + timedelta(days=1),
                                   slots=[], divisions=[division])
        module = add_module(programme, title_hi="उपस्थिति", title_en="Attendance", duration_minutes=120)
        question = add_question(programme, QuestionKind.RATING, "प्रशिक्षण कैसा लगा?", "How was the training?",
                                required=True)
        now = utc_now()
        session = TrainingSession(programme=programme, starts_at=now - timedelta(minutes=5),
                                  ends_at=now + timedelta(hours=2), status=SessionStatus.PUBLISHED,
                                  divisions=[division], modules=[module])
        db.session.add(session)
        db.session.flush()
        gps = {gp.lgd_code: gp for gp in db.session.scalars(
            select(GramPanchayat).where(GramPanchayat.lgd_code.in_([GP, OTHER_GP])))}
        codes = {code: attendance.issue_code(gps[code]) for code in (GP, OTHER_GP)}
        facts = {"session_id": session.id, "token": tokens.make_token(session.id), "codes": codes,
                 "question": f"q{question.id}"}
        db.session.commit()
        db.engine.dispose()
    return facts


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def healthy(base: str) -> bool:
    try:
        with urllib.request.urlopen(f"{base}/healthz", timeout=2) as response:
            return response.status == 200
    except (OSError, urllib.error.URLError):
        return False


@pytest.fixture(scope="module")
def servers(request, database, state, tmp_path_factory):
    """Start two gunicorn servers on free loopback ports; return their base URLs. Stopped at the end."""
    logs = tmp_path_factory.mktemp("servers")
    started = []

    def stop_all():
        for process, _log in started:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                continue
        for process, log in started:
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait()
            log.close()

    request.addfinalizer(stop_all)
    bases = []
    for _server in range(2):
        port = free_port()
        log = open(logs / f"gunicorn-{port}.log", "w")
        process = subprocess.Popen([str(GUNICORN), "--config", str(ROOT / "deploy" / "gunicorn.conf.py")],
                                   cwd=ROOT, env={**server_environment(database), "TRAINER_PORT": str(port)},
                                   stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started.append((process, log))
        bases.append(f"http://127.0.0.1:{port}")
    deadline = time.monotonic() + 90
    for (process, log), base in zip(started, bases, strict=False):
        while not healthy(base):
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"gunicorn at {base} did not come up:\n{Path(log.name).read_text()[-3000:]}")
            time.sleep(0.2)
    return bases


def test_a_secretarys_flow_whose_requests_alternate_between_two_servers_works(servers, state, database):
    a, b = servers
    phone = smoke.Phone()
    phone.set_cookie(a, "lang", "en")
    scan = f"/a/{state['token']}"

    form = phone.get(a + scan)  # the QR opens the form on server A ...
    assert form.status == 200 and form.has_field("access_code"), form.text
    done = phone.post(b + scan, {**form.hidden_fields(), "gp_query": str(GP), "access_code": state["codes"][GP],
                                 "participants": "12"})  # ... and server B takes it
    assert done.status == 200, done.text
    assert "Gram 1111 is marked present" in done.text and "12 participants" in done.text

    again = phone.get(a + scan)  # the next scan, on A: the GP cookie B set is good on A
    assert again.status == 200
    assert not again.has_field("access_code") and f"<small>{GP}</small>" in again.text
    assert "Already marked with 12 participants" in again.text
    done = phone.post(a + scan, {**again.hidden_fields(), "participants": "15"})  # one tap
    assert done.status == 200 and "15 participants" in done.text

    feedback_url = f"/feedback/sessions/{state['session_id']}"
    assert f'action="{feedback_url}"' in done.text
    feedback = phone.get(b + feedback_url)  # the feedback link, on B
    assert feedback.status == 200 and f"<small>{GP}</small>" in feedback.text
    assert "No attendance of your panchayat" not in feedback.text
    thanks = phone.post(a + feedback_url, {**feedback.hidden_fields(), state["question"]: "4"})
    assert thanks.status == 302 and thanks.headers["Location"].endswith(f"{feedback_url}/thanks")

    engine = create_engine(database)
    with engine.connect() as connection:
        marks = connection.execute(text(
            "SELECT a.participants, a.revision FROM attendances a JOIN gram_panchayats g "
            "ON g.id = a.gram_panchayat_id WHERE g.lgd_code = :gp"), {"gp": GP}).all()
        responses = connection.execute(text("SELECT count(*) FROM feedback_responses")).scalar()
    engine.dispose()
    assert marks == [(15, 2)]
    assert responses == 1


def test_wrong_access_codes_are_counted_across_both_servers(servers, state, redis_store):
    a, b = servers
    phone = smoke.Phone()
    phone.set_cookie(a, "lang", "en")
    scan = f"/a/{state['token']}"
    hidden = phone.get(a + scan).hidden_fields()
    right = state["codes"][OTHER_GP]
    wrong = "00000000" if right != "00000000" else "11111111"

    def attempt(base, code):
        page = phone.post(base + scan, {**hidden, "gp_query": str(OTHER_GP), "access_code": code,
                                        "participants": "5"})
        assert page.status in (200, 422), page.text
        if "is marked present" in page.text:
            return "marked"
        if "Too many wrong access codes" in page.text:
            return "limited"
        assert "The access code is wrong" in page.text, page.text
        return "wrong"

    # Alternately on A and B: each server alone has seen fewer than the limit when it starts refusing.
    outcomes = [attempt(base, wrong) for base in (a, b, a, b, a)]
    assert outcomes == ["wrong"] * WRONG_CODES_ALLOWED + ["limited"] * 2
    assert attempt(b, right) == "limited"  # even the right code waits now
    assert any(b"gp-code" in key for key in redis_store.keys("*"))  # the counts are kept in Redis


def sign_in(phone, base: str, username: str, password: str):
    """Sign a phone in through the login page; return the answer to the form."""
    page = phone.get(f"{base}/login")
    return phone.post(f"{base}/login", {**page.hidden_fields(), "username": username, "password": password})


def post_file(jar: http.cookiejar.CookieJar, url: str, fields: dict, filename: str, content: bytes):
    """POST a multipart form with one file, as a browser does; return (status, text)."""
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n{value}\r\n'.encode()
             for name, value in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{filename}"\r\n'
                 f"Content-Type: text/csv\r\n\r\n".encode() + content + b"\r\n")
    body = b"".join(parts) + f"--{boundary}--\r\n".encode()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    request = urllib.request.Request(url, data=body, headers={
        "Content-Type": f"multipart/form-data; boundary={boundary}", "Referer": url})
    try:
        with opener.open(request, timeout=120) as response:
            return response.status, response.read().decode("utf-8", "replace")
    except urllib.error.HTTPError as error:
        return error.code, error.read().decode("utf-8", "replace")


def test_overlapping_uploads_on_two_servers_all_save_or_are_told_409_and_leave_one_row_per_gp(
        servers, state, database):
    a, b = servers
    officer = smoke.Phone()
    officer.set_cookie(a, "lang", "en")
    assert sign_in(officer, a, "district", STAFF_PASSWORD).status == 302
    upload = f"/attendance/sessions/{state['session_id']}/upload"
    form = officer.get(b + upload)
    assert form.status == 200 and 'name="file"' in form.text, form.text
    # Every file names all 2,000 GPs of the district, each in an order of its own (as officers' spreadsheets sort
    # them): taken in the file's order, two of them meeting lock the same rows in different orders, and PostgreSQL
    # ends one of them as a deadlock.
    files = []
    for number in range(10):
        order = random.Random(number).sample(BIG_GPS, len(BIG_GPS))
        files.append(("gp_code,participants\r\n" + "".join(f"{gp},{number + 1}\r\n" for gp in order)).encode())
    start = threading.Barrier(len(files))
    answers: list = [None] * len(files)

    def send(number: int) -> None:
        try:
            start.wait(timeout=60)
        except threading.BrokenBarrierError:
            pass
        answers[number] = post_file(officer.jar, (a, b)[number % 2] + upload, form.hidden_fields(),
                                    f"late-{number}.csv", files[number])

    threads = [threading.Thread(target=send, args=(number,)) for number in range(len(files))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    statuses = [answer[0] if answer else None for answer in answers]
    assert all(status in (200, 409) for status in statuses), [(s, t[:400]) for s, t in filter(None, answers)]
    for status, page in answers:
        if status == 200:
            assert "The file was imported." in page, page[:2000]
        else:
            assert "at the same moment" in page and "Try again" in page, page[:2000]
    saved = statuses.count(200)
    assert saved >= 1

    engine = create_engine(database)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT g.lgd_code, a.revision, (SELECT count(*) FROM attendance_revisions r WHERE r.attendance_id = a.id),"
            " (SELECT max(r.revision) FROM attendance_revisions r WHERE r.attendance_id = a.id) "
            "FROM attendances a JOIN gram_panchayats g ON g.id = a.gram_panchayat_id "
            "WHERE a.session_id = :session AND g.lgd_code >= 19010000"), {"session": state["session_id"]}).all()
    engine.dispose()
    assert sorted(code for code, *_ in rows) == sorted(BIG_GPS)  # one row per GP
    # Each GP was marked once by every upload that saved, and kept each of those marks in its history.
    assert {(revision, history, latest) for _code, revision, history, latest in rows} == {(saved, saved, saved)}


def test_a_burst_of_wrong_passwords_on_two_servers_gets_no_more_checks_than_the_limit(servers, state):
    a, b = servers
    phones = [smoke.Phone() for _ in range(40)]
    forms = [phone.get((a, b)[number % 2] + "/login") for number, phone in enumerate(phones)]
    start = threading.Barrier(len(phones))
    answers: list = [None] * len(phones)

    def guess(number: int) -> None:
        try:
            start.wait(timeout=60)
        except threading.BrokenBarrierError:
            pass
        answers[number] = phones[number].post((a, b)[number % 2] + "/login", {
            **forms[number].hidden_fields(), "username": "district", "password": f"guess-{number}"})

    threads = [threading.Thread(target=guess, args=(number,)) for number in range(len(phones))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    statuses = [answer.status if answer else None for answer in answers]
    # 200: the password was checked (and was wrong); 429: refused before any check. The limit is 10 a minute per
    # username (and per address): counted before the check, the burst gets exactly 10 checks across both servers.
    assert sorted(set(statuses)) == [200, 429], statuses
    assert statuses.count(200) == 10, statuses
    assert all("Wrong username or password" in answer.text or "गलत" in answer.text
               for answer in answers if answer.status == 200)
    # The right password waits too, on either server, until the minute is over.
    assert sign_in(smoke.Phone(), b, "district", STAFF_PASSWORD).status == 429


def test_a_burst_of_wrong_access_codes_from_many_addresses_on_two_servers_gets_no_more_checks_than_the_limit(
        servers, state):
    a, b = servers
    phones = [smoke.Phone() for _ in range(40)]
    scan = f"/a/{state['token']}"
    forms = []
    for number, phone in enumerate(phones):
        phone.headers["X-Forwarded-For"] = f"203.0.113.{number + 1}"  # each a phone of its own, as nginx says
        phone.set_cookie(a, "lang", "en")
        forms.append(phone.get((a, b)[number % 2] + scan).hidden_fields())
    right = state["codes"][GP]
    start = threading.Barrier(len(phones))
    answers: list = [None] * len(phones)

    def guess(number: int) -> None:
        wrong = f"{number:08d}" if f"{number:08d}" != right else "99999999"
        try:
            start.wait(timeout=60)
        except threading.BrokenBarrierError:
            pass
        answers[number] = phones[number].post((a, b)[number % 2] + scan, {
            **forms[number], "gp_query": str(GP), "access_code": wrong, "participants": "5"})

    threads = [threading.Thread(target=guess, args=(number,)) for number in range(len(phones))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    checked = [answer for answer in answers if answer and "The access code is wrong" in answer.text]
    refused = [answer for answer in answers if answer and "Too many wrong access codes" in answer.text]
    # The ceiling of wrong codes for one GP from everywhere, counted before any check: exactly that many
    # codes were checked, across both servers, however many phones tried at once.
    assert len(checked) == WRONG_CODES_ALLOWED and len(refused) == len(phones) - WRONG_CODES_ALLOWED
