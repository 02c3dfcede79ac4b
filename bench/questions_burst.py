"""Live questions at the end of a session: --gps gram panchayats, each marked present, ask a question and support
three others, against gunicorn and PostgreSQL, while a moderator keeps the queue page open.

Usage: .venv/bin/python bench/questions_burst.py [--gps 2000] [--threads 16] [--workers 2] [--gthreads 4]
                                                 [--supports 3] [--port 8071]
1. Resets the PostgreSQL database `trainer_bench_questions` (created if need be), migrates it, loads the demo
   state's 22,812 GPs, creates a session running now for all divisions, marks the first --gps GPs present and
   makes each one's phone cookie (what a phone keeps after its mark).
2. Starts gunicorn (`--workers` processes of `--gthreads` threads) with Redis (db 6) for the rate limits.
3. Asking: --threads phones at a time, each GP opens /questions/sessions/<id> and sends a question. Meanwhile
   a signed-in trainer reloads the queue page (/queue) and its refresh (/queue.json) in turn, as the page's
   script does, and each answer's time is recorded.
4. The moderator approves every question (in-process, as the queue's "approve" does it, untimed).
5. Supporting: each GP opens the page and supports --supports visible questions of others.
6. Prints the phones' requests/s, their p50/p95/p99, the moderator's page times per phase (p50/p95/max) and
   the rows written (questions, supports: each must equal what was sent; errors must be zero), with the load.
Needs PostgreSQL at 127.0.0.1:5432 (user postgres) and Redis at 127.0.0.1:6379.
"""
import argparse
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path

import psycopg
import redis
import requests

ROOT = Path(__file__).resolve().parent.parent
BIN = ROOT / ".venv/bin"
DATABASE = "trainer_bench_questions"
ADMIN_URL = "postgresql://postgres@127.0.0.1:5432/postgres"
DATABASE_URL = f"postgresql://postgres@127.0.0.1:5432/{DATABASE}"
REDIS_URL = "redis://127.0.0.1:6379/6"
SECRET_KEY = "trainer questions benchmark"
CSRF = re.compile(r'name="csrf_token" type="hidden" value="([^"]+)"|name="csrf_token" value="([^"]+)"')
QUESTION_IDS = re.compile(r'name="question" type="hidden" value="(\d+)"|name="question" value="(\d+)"')
TEXTS = ["पंचायत भवन निर्माण की राशि कब तक मिलेगी?", "मनरेगा में मजदूरी भुगतान में देरी क्यों होती है?",
         "ग्राम सभा की बैठक की सूचना कितने दिन पहले देनी होती है?", "15वें वित्त आयोग की राशि किन कामों पर खर्च हो सकती है?",
         "स्वच्छ भारत मिशन में शौचालय की दूसरी किस्त कब आएगी?", "जल जीवन मिशन में नल कनेक्शन का रखरखाव कौन करेगा?"]


def environment() -> dict:
    env = dict(os.environ)
    env.update(DATABASE_URL=DATABASE_URL, REDIS_URL=REDIS_URL, SECRET_KEY=SECRET_KEY, FLASK_APP="wsgi",
               QUESTION_LIMIT_PER_GP="1000 per minute")
    env.pop("FLASK_DEBUG", None)
    return env


def reset_database() -> None:
    with psycopg.connect(ADMIN_URL, autocommit=True) as connection:
        if connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (DATABASE,)).fetchone() is None:
            connection.execute(f"CREATE DATABASE {DATABASE}")
    with psycopg.connect(DATABASE_URL, autocommit=True) as connection:
        connection.execute("DROP SCHEMA public CASCADE")
        connection.execute("CREATE SCHEMA public")
    redis.Redis.from_url(REDIS_URL).flushdb()
    subprocess.run([str(BIN / "flask"), "db", "upgrade"], cwd=ROOT, env=environment(), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def setup(gps: int) -> dict:
    """The state, a session running now, --gps GPs marked present with their phones' cookies, a trainer."""
    os.environ.update(environment())
    sys.path.insert(0, str(ROOT))
    from sqlalchemy import select

    from trainer import create_app
    from trainer.accounts import services as accounts
    from trainer.attendance import device, services
    from trainer.attendance.models import MarkSource
    from trainer.attendance.rules import HeadCount
    from trainer.core.database import utc_now
    from trainer.core.roles import Role
    from trainer.extensions import db
    from trainer.programmes.models import Programme, SessionStatus, TrainingSession
    from trainer.programmes.services import add_module, save_programme
    from trainer.regions.importer import import_region_rows
    from trainer.regions.models import Division, GramPanchayat
    from trainer.tools.demo_regions import demo_region_rows

    app = create_app()
    with app.app_context():
        import_region_rows(demo_region_rows())
        divisions = list(db.session.scalars(select(Division).order_by(Division.lgd_code)))
        now = utc_now()
        programme = save_programme(Programme(), title_hi="प्रश्न बेंचमार्क", title_en="Questions benchmark",
                                   first_day=date.today() - timedelta(days=1),
                                   last_day=date.today() + timedelta(days=1), slots=[], divisions=divisions)
        module = add_module(programme, title_hi="विशेषज्ञों से प्रश्न", title_en="Questions to the experts",
                            duration_minutes=180)
        session = TrainingSession(programme=programme, starts_at=now - timedelta(minutes=60),
                                  ends_at=now + timedelta(hours=2), status=SessionStatus.PUBLISHED,
                                  divisions=divisions, modules=[module])
        db.session.add(session)
        db.session.flush()
        chosen = list(db.session.scalars(select(GramPanchayat).order_by(GramPanchayat.lgd_code).limit(gps)))
        for gp in chosen:
            services.issue_code(gp)
        services.mark_many(session, [(gp.id, HeadCount(8)) for gp in chosen], MarkSource.POSTER)
        accounts.create_user("bench-trainer", "bench-password-1", Role.TRAINER, None)
        db.session.commit()
        with app.test_request_context():
            cookies = [device.device_cookie_for(gp.id, 1) for gp in chosen]
        facts = {"session_id": session.id, "cookies": cookies}
        db.engine.dispose()
    return facts


def start_gunicorn(options) -> subprocess.Popen:
    command = [str(BIN / "gunicorn"), "--bind", f"127.0.0.1:{options.port}", "--workers", str(options.workers),
               "--threads", str(options.gthreads), "--worker-class", "gthread", "--log-level", "warning",
               "--no-control-socket", "wsgi:app"]
    server = subprocess.Popen(command, cwd=ROOT, env=environment(), start_new_session=True)
    deadline = time.time() + 60
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{options.port}/healthz", timeout=2):
                return server
        except OSError:
            time.sleep(0.3)
    raise SystemExit("gunicorn did not start")


def token_of(page: str) -> str:
    found = CSRF.search(page)
    return (found.group(1) or found.group(2)) if found else ""


class Timings:
    def __init__(self) -> None:
        self.phone, self.moderator, self.errors = [], [], []
        self.lock = threading.Lock()

    def add(self, bucket: list, seconds: float) -> None:
        with self.lock:
            bucket.append(seconds)


def moderator(base: str, session_id: int, timings: Timings, stop: threading.Event) -> None:
    client = requests.Session()
    client.post(base + "/login", data={"username": "bench-trainer", "password": "bench-password-1"})
    while not stop.is_set():
        for path in ("/queue", "/queue.json"):
            started = time.perf_counter()
            response = client.get(f"{base}/questions/sessions/{session_id}{path}")
            timings.add(timings.moderator, time.perf_counter() - started)
            if response.status_code != 200:
                timings.errors.append(f"moderator {path} {response.status_code}")
        time.sleep(0.5)


def phase(base: str, facts: dict, options, work) -> tuple[float, Timings]:
    timings, stop = Timings(), threading.Event()
    watcher = threading.Thread(target=moderator, args=(base, facts["session_id"], timings, stop))
    watcher.start()
    started = time.perf_counter()
    with ThreadPoolExecutor(options.threads) as pool:
        list(pool.map(lambda numbered: work(base, facts, numbered, timings), enumerate(facts["cookies"])))
    elapsed = time.perf_counter() - started
    stop.set()
    watcher.join()
    return elapsed, timings


def ask(base, facts, numbered, timings) -> None:
    number, cookie = numbered
    phone = requests.Session()
    phone.cookies.set("gp", cookie)
    url = f"{base}/questions/sessions/{facts['session_id']}"
    started = time.perf_counter()
    page = phone.get(url)
    timings.add(timings.phone, time.perf_counter() - started)
    started = time.perf_counter()
    sent = phone.post(url, data={"csrf_token": token_of(page.text), "text": f"{TEXTS[number % len(TEXTS)]} ({number})",
                                 "module": "", "asker": "secretary"}, allow_redirects=False)
    timings.add(timings.phone, time.perf_counter() - started)
    if sent.status_code != 302:
        timings.errors.append(f"ask {sent.status_code}")


def support(base, facts, numbered, timings, supports: int = 3) -> None:
    number, cookie = numbered
    phone = requests.Session()
    phone.cookies.set("gp", cookie)
    url = f"{base}/questions/sessions/{facts['session_id']}"
    generator = random.Random(number)
    started = time.perf_counter()
    page = phone.get(url)
    timings.add(timings.phone, time.perf_counter() - started)
    ids = [a or b for a, b in QUESTION_IDS.findall(page.text)]
    token = token_of(page.text)
    for question_id in generator.sample(ids, min(supports, len(ids))):
        started = time.perf_counter()
        sent = phone.post(url + "/support", data={"csrf_token": token, "question": question_id},
                          allow_redirects=False)
        timings.add(timings.phone, time.perf_counter() - started)
        if sent.status_code not in (302, 200):
            timings.errors.append(f"support {sent.status_code}")


def approve_all(session_id: int) -> int:
    from sqlalchemy import select

    from trainer import create_app
    from trainer.extensions import db
    from trainer.questions import services
    from trainer.questions.models import LiveQuestion
    app = create_app()
    with app.app_context():
        questions = list(db.session.scalars(select(LiveQuestion).where(LiveQuestion.session_id == session_id)))
        for question in questions:
            services.approve(question, None)
        db.session.commit()
        db.engine.dispose()
        return len(questions)


def counts(session_id: int) -> tuple[int, int]:
    with psycopg.connect(DATABASE_URL) as connection:
        questions = connection.execute("SELECT count(*) FROM questions WHERE session_id = %s", (session_id,)).fetchone()[0]
        supports = connection.execute("SELECT count(*) FROM question_supports s JOIN questions q ON q.id = s.question_id"
                                      " WHERE q.session_id = %s", (session_id,)).fetchone()[0]
    return questions, supports


def quantiles(values: list[float]) -> str:
    if not values:
        return "—"
    ordered = sorted(values)
    pick = lambda share: ordered[min(len(ordered) - 1, int(share * len(ordered)))] * 1000  # noqa: E731
    return f"p50 {pick(0.5):.0f} ms, p95 {pick(0.95):.0f} ms, p99 {pick(0.99):.0f} ms, max {ordered[-1] * 1000:.0f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--gps", type=int, default=2000)
    parser.add_argument("--threads", type=int, default=16)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--gthreads", type=int, default=4)
    parser.add_argument("--supports", type=int, default=3)
    parser.add_argument("--port", type=int, default=8071)
    options = parser.parse_args()
    print("setting up …", flush=True)
    reset_database()
    facts = setup(options.gps)
    server = start_gunicorn(options)
    base = f"http://127.0.0.1:{options.port}"
    try:
        asked_seconds, asking = phase(base, facts, options, ask)
        approved = approve_all(facts["session_id"])
        supported_seconds, supporting = phase(
            base, facts, options, lambda b, f, n, t: support(b, f, n, t, options.supports))
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait()
    questions, supports = counts(facts["session_id"])
    print(f"{options.gps:,} GPs, {options.threads} phones at a time; gunicorn {options.workers} × {options.gthreads} "
          f"threads; load average (1 min) {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")
    print(f"asking: {len(asking.phone) / asked_seconds:.0f} requests/s ({options.gps / asked_seconds:.0f} questions/s) "
          f"in {asked_seconds:.1f} s; phones {quantiles(asking.phone)}")
    print(f"  moderator's queue page and refresh while asking ({len(asking.moderator)}): {quantiles(asking.moderator)}")
    print(f"approved {approved:,}; supporting: {len(supporting.phone) / supported_seconds:.0f} requests/s in "
          f"{supported_seconds:.1f} s; phones {quantiles(supporting.phone)}")
    print(f"  moderator's queue page and refresh while supporting ({len(supporting.moderator)}): "
          f"{quantiles(supporting.moderator)}")
    print(f"rows: {questions:,} questions (sent {options.gps:,}), {supports:,} supports; "
          f"errors {len(asking.errors) + len(supporting.errors)} {sorted(set(asking.errors + supporting.errors))[:5]}")
    print(f"median moderator time over both phases: "
          f"{statistics.median(asking.moderator + supporting.moderator) * 1000:.0f} ms")


if __name__ == "__main__":
    main()
