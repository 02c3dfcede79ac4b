"""The job queue with real worker processes (`flask jobs worker`) on each storage Trainer supports: work a
request puts on the queue is done by a worker, once, even when a worker is killed in the middle of it."""
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.conftest import PASSWORD
from tests.youtube_standin import YouTubeStandIn
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.jobs.queue import queue_of
from trainer.youtube import api, oauth, sync

ROOT = Path(__file__).resolve().parent.parent
FLASK = Path(sys.executable).parent / "flask"
REDIS_JOBS = "redis://127.0.0.1:6379/9"  # this test's own Redis database, flushed before and after
CLIENT = {"YOUTUBE_CLIENT_ID": "client-id.apps", "YOUTUBE_CLIENT_SECRET": "client-secret"}
LEASE_SECONDS = 2


def _storages():
    storages = ["sqlite", "redis"]
    if os.environ.get("TEST_DATABASE_URL", "").startswith("postgres"):
        storages.append("postgresql")
    return storages


@pytest.fixture(params=_storages())
def jobs_url(request, tmp_path):
    """A queue of this test's own: a SQLite file, a Redis database, or a PostgreSQL schema."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'jobs.db'}"
    elif request.param == "redis":
        redis = pytest.importorskip("redis")
        store = redis.Redis.from_url(REDIS_JOBS)
        try:
            store.flushdb()
        except redis.ConnectionError:
            pytest.skip("no Redis answers at 127.0.0.1:6379")
        yield REDIS_JOBS
        store.flushdb()
    else:
        from tests.conftest import postgresql_schema
        from trainer.config import normalise_database_url
        with postgresql_schema(normalise_database_url(os.environ["TEST_DATABASE_URL"]), "jobs") as url:
            yield url.replace("postgresql+psycopg://", "postgresql://")


@pytest.fixture
def standin():
    with YouTubeStandIn() as server:
        yield server


@pytest.fixture
def queued_app(make_app, database_url, jobs_url, standin, monkeypatch):
    """The app as an app server runs it: changes put YouTube work on the queue, a worker does it."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    monkeypatch.setattr(api, "RETRIES", 0)
    app = make_app(JOBS_URL=jobs_url, YOUTUBE_API_ENDPOINT=standin.url, YOUTUBE_TOKEN_URI=standin.token_uri,
                   YOUTUBE_AUTH_URI=standin.url + "/auth", YOUTUBE_LEASE_SECONDS=LEASE_SECONDS, **CLIENT)
    with app.app_context():
        queue_of(app).flush()  # nothing left over from another test on the same storage
        yield app
        db.session.remove()
        queue_of(app).storage.close()


@pytest.fixture
def channel(queued_app, places, standin):
    credentials = oauth.credentials_from_refresh_token("1//refresh-demo", "client-id.apps", "client-secret",
                                                       standin.token_uri)
    with queued_app.test_request_context():
        connected = sync.connect(credentials, None)
        db.session.commit()
    return connected


@pytest.fixture
def start_worker(queued_app, database_url, jobs_url, standin, tmp_path):
    """Return a function that starts a `flask jobs worker` process on the test's database and queue."""
    started = []
    environment = {**os.environ, "DATABASE_URL": database_url, "JOBS_URL": jobs_url, "FLASK_APP": "wsgi",
                   "SECRET_KEY": queued_app.config["SECRET_KEY"], "YOUTUBE_API_ENDPOINT": standin.url,
                   "YOUTUBE_TOKEN_URI": standin.token_uri, "YOUTUBE_LEASE_SECONDS": str(LEASE_SECONDS),
                   "OAUTHLIB_INSECURE_TRANSPORT": "1", **CLIENT}
    environment.pop("TEST_DATABASE_URL", None)

    def start(*arguments: str) -> subprocess.Popen:
        log = open(tmp_path / f"worker-{len(started)}.log", "w")
        process = subprocess.Popen([str(FLASK), "jobs", "worker", "--workers", "2", *arguments], cwd=ROOT,
                                   env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def wait_until(condition, seconds: float = 60, what: str = "the workers to finish"):
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"waited {seconds} s for {what}")
        time.sleep(0.2)


def owed(programme) -> list[int]:
    db.session.expire_all()
    return [session.id for session in programme.sessions if sync.is_owed(session.id)]


def test_publishing_queues_the_broadcasts_and_a_worker_makes_each_once(
        queued_app, channel, standin, make_programme, make_user, start_worker):
    programme = make_programme(publish=False)
    client = queued_app.test_client()
    client.post("/login", data={"username": make_user(role=Role.TRAINER).username, "password": PASSWORD})
    response = client.post(f"/plan/{programme.id}/publish", data={"anyway": "y"}, follow_redirects=True)
    assert response.status_code == 200
    # The request did not call YouTube: the work waits on the queue, and the planner is told so.
    assert not standin.calls("POST liveBroadcasts") and queue_of(queued_app).pending_count() == 6
    assert "कुछ ही मिनटों में" in response.get_data(as_text=True) or "within a few minutes" in response.get_data(
        as_text=True)
    start_worker("--no-periodic")
    wait_until(lambda: not owed(programme) and queue_of(queued_app).pending_count() == 0)
    assert len(standin.broadcasts) == len(standin.calls("POST liveBroadcasts")) == 6
    assert {session.youtube.broadcast_id for session in programme.sessions} == set(standin.broadcasts)


def test_a_worker_killed_in_the_middle_leaves_nothing_done_twice(
        queued_app, channel, standin, make_programme, start_worker):
    programme = make_programme(modules=3)  # published: 6 broadcasts owed
    with queued_app.test_request_context():
        sync.enqueue(owed(programme))
    standin.slow["POST liveBroadcasts"] = 1.5
    worker = start_worker("--no-periodic")
    wait_until(lambda: len(standin.calls("POST liveBroadcasts")) >= 2, what="the first broadcasts")
    os.killpg(worker.pid, signal.SIGKILL)  # in the middle of its batch: some made, some claimed, some queued
    worker.wait()
    made_before = set(standin.broadcasts)
    assert 0 < len(made_before) < 6 and owed(programme)
    standin.slow.clear()
    time.sleep(LEASE_SECONDS + 0.5)  # the dead worker's claims lapse
    start_worker()  # with the periodic sweep, which finds what the dead worker left
    with queued_app.test_request_context():
        sync.enqueue(owed(programme))  # what "Do it now" does, rather than wait for the minute's sweep
    wait_until(lambda: not owed(programme), what="the restarted worker")
    assert made_before <= set(standin.broadcasts) and len(standin.broadcasts) == 6
    # every session has one broadcast; a create whose answer died with the worker was found, not repeated
    assert len({session.youtube.broadcast_id for session in programme.sessions}) == 6
    assert len(standin.calls("POST liveBroadcasts")) == 6


def test_the_worker_refuses_to_start_without_a_queue(runner):
    result = runner.invoke(args=["jobs", "worker"])
    assert result.exit_code != 0 and "immediate" in result.output
