"""Locust users for bench/attendance_burst.py: the attendance burst, and /healthz for comparison.

`MarkingPhone`: every user is a stream of first-time phones. It takes the next gram panchayat from a
queue shared by all users and all locust processes (a Redis list), forgets its cookies (a new phone),
opens the form (GET /a/<token>), sends the GP's LGD code, access code and head-count (POST), and stops
when the queue is empty. Each GP is taken exactly once; the last one to finish stops the run.
`RememberedPhone`: the same, but each phone has marked for its GP before: it keeps the cookie of that mark,
opens the form (no code asked) and sends the head-count alone (the one-tap mark).
`HealthzUser`: GET /healthz, no wait, for a fixed time (-t).

Run by bench/attendance_burst.py; by hand, after its setup:
    BENCH_TOKEN=... BENCH_GP_CSV=codes.csv .venv/bin/locust -f bench/locustfile_attendance.py --headless \
        -u 64 -r 64 --host http://127.0.0.1:8000 MarkingPhone
Environment: BENCH_TOKEN (the session's poster token), BENCH_GP_CSV (gp_code,access_code,gp_cookie rows),
BENCH_REDIS_URL (the queue; default redis://127.0.0.1:6379/5), BENCH_LIMIT (only the first N rows).
"""
import csv
import http.cookiejar
import os
import random
import re
import time

import gevent
import redis
from locust import FastHttpUser, constant, events, task
from locust.exception import StopUser
from locust.runners import LocalRunner, MasterRunner

REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/5")
QUEUE = "bench:attendance:queue"
TOTAL = "bench:attendance:total"
DONE = "bench:attendance:done"
FAILED = "bench:attendance:failed"
STARTED_AT = "bench:attendance:started_at"
FINISHED_AT = "bench:attendance:finished_at"
KEYS = (QUEUE, TOTAL, DONE, FAILED, STARTED_AT, FINISHED_AT)
CONFIRMATION = "उपस्थित दर्ज"
HIDDEN = re.compile(r'<input[^>]*name="(csrf_token|pass_token)"[^>]*value="([^"]*)"')

store = redis.Redis.from_url(REDIS_URL)


def fill_queue(path: str, limit: int | None = None) -> int:
    """Put the CSV's rows (the first `limit`, or all) in the shared queue, after emptying it; return how many."""
    with open(path, newline="", encoding="utf-8") as handle:
        rows = [f"{row['gp_code']},{row['access_code']},{row.get('gp_cookie', '')}"
                for row in csv.DictReader(handle)][:limit]
    pipe = store.pipeline()
    pipe.delete(*KEYS)
    for start in range(0, len(rows), 5000):
        pipe.rpush(QUEUE, *rows[start:start + 5000])
    pipe.set(TOTAL, len(rows))
    pipe.execute()
    return len(rows)


def _stop_when_all_marked(environment) -> None:
    """On the master (or the only process): quit as soon as every queued GP has been answered."""
    total = int(store.get(TOTAL) or 0)
    while int(store.get(DONE) or 0) < total:
        gevent.sleep(0.05)
    environment.runner.quit()


@events.init.add_listener
def _on_init(environment, **_kwargs):
    if not isinstance(environment.runner, (MasterRunner, LocalRunner)):
        return
    classes = {cls.__name__ for cls in environment.user_classes}
    if classes & {"MarkingPhone", "RememberedPhone"}:
        fill_queue(os.environ["BENCH_GP_CSV"], int(os.environ.get("BENCH_LIMIT") or 0) or None)
        gevent.spawn(_stop_when_all_marked, environment)


class MarkingPhone(FastHttpUser):
    """A secretary's phone that scans the poster for the first time."""

    wait_time = constant(0)
    # Keep-alive per user, as one phone would; no connection reuse across phones is assumed.
    concurrency = 1

    def on_start(self):
        self.token = os.environ["BENCH_TOKEN"]
        store.setnx(STARTED_AT, repr(time.time()))

    @task
    def mark_one_gp(self):
        row = store.lpop(QUEUE)
        if row is None:
            raise StopUser()
        gp_code, access_code, gp_cookie = row.decode().split(",")
        self.client.cookiejar.clear()  # a new phone: no Flask session, no remembered GP
        self.prepare_phone(gp_cookie)
        ok = False
        started = time.perf_counter()
        try:
            ok = self._mark(gp_code, access_code)
        finally:
            elapsed_ms = (time.perf_counter() - started) * 1000
            events.request.fire(request_type="PAIR", name="GET form + POST mark", response_time=elapsed_ms,
                                response_length=0, context={},
                                exception=None if ok else RuntimeError(f"GP {gp_code} not marked"))
            pipe = store.pipeline()
            if not ok:
                pipe.incr(FAILED)
            pipe.incr(DONE)
            pipe.get(TOTAL)
            done, total = pipe.execute()[-2:]
            if done == int(total):
                store.set(FINISHED_AT, repr(time.time()))

    def prepare_phone(self, gp_cookie: str) -> None:
        """A first-time phone remembers nothing."""

    def _mark(self, gp_code: str, access_code: str) -> bool:
        url = f"/a/{self.token}"
        with self.client.get(url, name="GET /a/<token> (form)", catch_response=True) as response:
            hidden = dict(HIDDEN.findall(response.text or ""))
            if response.status_code != 200 or set(hidden) != {"csrf_token", "pass_token"}:
                response.failure(f"form: status {response.status_code}, hidden fields {sorted(hidden)}")
                return False
        form = {"csrf_token": hidden["csrf_token"], "pass_token": hidden["pass_token"], "gp_query": gp_code,
                "access_code": access_code, "participants": str(random.randint(1, 40))}
        with self.client.post(url, data=form, name="POST /a/<token> (mark)", catch_response=True) as response:
            if response.status_code != 200 or CONFIRMATION not in (response.text or ""):
                response.failure(f"mark: status {response.status_code}")
                return False
        return True


class RememberedPhone(MarkingPhone):
    """A secretary's phone that has marked for its GP before: it sends the head-count alone."""

    def prepare_phone(self, gp_cookie: str) -> None:
        host = self.host.split("://", 1)[-1].split(":")[0]
        self.client.cookiejar.set_cookie(http.cookiejar.Cookie(
            0, "gp", gp_cookie, None, False, host, False, False, "/", True, False, None, False, None, None, {}))

    def _mark(self, gp_code: str, access_code: str) -> bool:
        url = f"/a/{self.token}"
        with self.client.get(url, name="GET /a/<token> (form)", catch_response=True) as response:
            hidden = dict(HIDDEN.findall(response.text or ""))
            if response.status_code != 200 or "access_code" in (response.text or "") or "pass_token" not in hidden:
                response.failure(f"form: status {response.status_code}, the phone was not remembered")
                return False
        form = {**hidden, "participants": str(random.randint(1, 40))}
        with self.client.post(url, data=form, name="POST /a/<token> (mark)", catch_response=True) as response:
            if response.status_code != 200 or CONFIRMATION not in (response.text or ""):
                response.failure(f"mark: status {response.status_code}")
                return False
        return True


class HealthzUser(FastHttpUser):
    """The cheapest request the server answers from the database: the reference for requests per second."""

    wait_time = constant(0)

    @task
    def healthz(self):
        self.client.get("/healthz", name="GET /healthz")
