"""Trainer keeps its head when what it depends on goes away, and recovers when it comes back.

- The database going away in the middle of a request: a clear 503 page in Hindi (JSON under /api/v1) with
  Retry-After, nothing of the interrupted write in the database, and the next request after its return served.
  On PostgreSQL the connection is really cut, by a TCP proxy between the app and the server; on SQLite another
  connection holds the write lock.
- Redis going away: pages still answer, rate limits are counted in memory (with a warning in the log) and still
  enforced, and go back to Redis when it returns.
- The YouTube API going away: sessions still publish, and their broadcasts are made later, exactly once.
"""
import io
import logging
import re
import socket
import sqlite3
import threading
import uuid
from datetime import date, timedelta

import pytest
from markupsafe import escape
from sqlalchemy import event, func, make_url, select

from tests.conftest import PASSWORD
from tests.test_api import assert_documented
from trainer.attendance.models import Attendance, AttendanceRevision
from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db, limiter

UPLOAD = "gp_code,participants\n11111,12\n11112,7\n11113,9\n"


class TcpProxy:
    """Forward a port of 127.0.0.1 to a server. `cut()` drops every open connection and hangs up on new ones, as
    a server or network going away does; `restore()` lets connections through again."""

    def __init__(self, host: str, port: int) -> None:
        self.target = (host, port)
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.listener.settimeout(0.05)
        self.port = self.listener.getsockname()[1]
        self.up = True
        self.closed = False
        self.connections = 0
        self._open: set[socket.socket] = set()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._accept, daemon=True)

    def __enter__(self) -> "TcpProxy":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.closed = True
        self._thread.join()
        self.listener.close()
        self.cut()

    def cut(self) -> None:
        self.up = False
        with self._lock:
            open_now = list(self._open)
        self._drop(*open_now)

    def restore(self) -> None:
        self.up = True

    def _accept(self) -> None:
        while not self.closed:
            try:
                client, _address = self.listener.accept()
            except TimeoutError:
                continue
            if not self.up:
                client.close()
                continue
            try:
                upstream = socket.create_connection(self.target)
            except OSError:
                client.close()
                continue
            with self._lock:
                self._open |= {client, upstream}
                self.connections += 1
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=self._pump, args=(source, sink), daemon=True).start()

    def _pump(self, source: socket.socket, sink: socket.socket) -> None:
        try:
            while data := source.recv(65536):
                sink.sendall(data)
        except OSError:
            pass
        self._drop(source, sink)

    def _drop(self, *sockets: socket.socket) -> None:
        for sock in sockets:
            with self._lock:
                self._open.discard(sock)
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass
            sock.close()


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def sign_in(client, user) -> None:
    assert client.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 302


def upload(client, session, text: str = UPLOAD):
    return client.post(f"/attendance/sessions/{session.id}/upload", content_type="multipart/form-data",
                       data={"file": (io.BytesIO(text.encode()), "attendance.csv")})


def assert_unavailable_page(response) -> None:
    """A 503 in Hindi that says the database is away, asks to try again, and tells browsers when."""
    page = response.get_data(as_text=True)
    assert response.status_code == 503, page
    assert response.headers["Retry-After"] == "30"
    assert response.mimetype == "text/html"
    assert "डेटाबेस उत्तर नहीं दे रहा है" in page and "फिर से भेजें" in page and "503" in page


@pytest.fixture
def session(app, make_programme, monkeypatch):
    """A published session of division 1 whose attendance officers may record now."""
    session = next(s for s in make_programme(modules=1).sessions if 1 in [d.lgd_code for d in s.divisions])
    moment = session.starts_at + timedelta(hours=2)
    monkeypatch.setattr(clock, "now", lambda: moment)
    return session


# The database


@pytest.fixture
def postgres_proxy(database_url):
    """A TCP proxy in front of the test PostgreSQL, and the database URL that goes through it."""
    if not database_url.startswith("postgresql"):
        pytest.skip("a database server to cut off needs PostgreSQL (TEST_DATABASE_URL)")
    url = make_url(database_url)
    with TcpProxy(url.host or "127.0.0.1", url.port or 5432) as proxy:
        yield proxy, url.set(host="127.0.0.1", port=proxy.port).render_as_string(hide_password=False)


@pytest.fixture
def proxied_app(make_app, postgres_proxy):
    """The app on the same database (and schema) as the test's, reached through the proxy."""
    _proxy, url = postgres_proxy
    return make_app(SQLALCHEMY_DATABASE_URI=url)


def cut_before(app, proxy, statement_start: str) -> list[str]:
    """Cut the database off just before the app next sends a statement starting so (once); return the statements
    sent before it."""
    sent, cut = [], []

    def before(conn, cursor, statement, parameters, context, executemany):
        if cut:
            return
        if statement.startswith(statement_start):
            cut.append(statement)
            proxy.cut()
        else:
            sent.append(statement)

    with app.app_context():
        event.listen(db.engine, "before_cursor_execute", before)
    return sent


@pytest.mark.postgres
def test_the_database_going_away_mid_upload_gives_a_503_page_writes_nothing_and_the_next_upload_works(
        app, session, make_user, proxied_app, postgres_proxy):
    proxy, _url = postgres_proxy
    client = proxied_app.test_client()
    sign_in(client, make_user(role=Role.BLOCK_OFFICER))  # block 1111: GPs 11111 to 11113
    sent = cut_before(proxied_app, proxy, "INSERT INTO attendance_revisions")

    response = upload(client, session)

    assert_unavailable_page(response)
    assert any(s.startswith("INSERT INTO attendances ") for s in sent)  # the first half of the write was sent
    assert (count(Attendance), count(AttendanceRevision)) == (0, 0)  # and none of it stayed

    while_away = client.get("/api/v1/programmes")  # signed in, but the user cannot even be loaded
    assert while_away.status_code == 503 and while_away.headers["Retry-After"] == "30"
    assert while_away.get_json()["error"] == "unavailable"
    assert_documented(while_away, "/api/v1/programmes")
    assert_unavailable_page(client.get("/attendance/"))

    proxy.restore()
    response = upload(client, session)
    assert response.status_code == 200 and '<li class="success">' in response.get_data(as_text=True)
    assert (count(Attendance), count(AttendanceRevision)) == (3, 3)


@pytest.mark.postgres
def test_connections_the_database_dropped_while_idle_are_replaced_without_an_error(
        app, session, make_user, proxied_app, postgres_proxy):
    proxy, _url = postgres_proxy
    client = proxied_app.test_client()
    sign_in(client, make_user(role=Role.BLOCK_OFFICER))
    assert client.get("/attendance/").status_code == 200  # the pool now holds a connection
    opened = proxy.connections

    proxy.cut()  # e.g. PostgreSQL restarted between two requests
    proxy.restore()

    assert client.get("/attendance/").status_code == 200  # pre-ping found the dead connection and made a new one
    assert proxy.connections > opened


def test_a_database_locked_by_another_writer_gives_a_503_page_writes_nothing_and_recovers(
        app, session, make_user, make_app, database_url):
    if not database_url.startswith("sqlite"):
        pytest.skip("SQLite's write lock")
    impatient = make_app(SQLALCHEMY_ENGINE_OPTIONS={"pool_pre_ping": True, "connect_args": {"timeout": 0.2}})
    client = impatient.test_client()
    sign_in(client, make_user(role=Role.BLOCK_OFFICER))
    other_writer = sqlite3.connect(make_url(database_url).database, isolation_level=None)
    try:
        other_writer.execute("BEGIN IMMEDIATE")  # holds the write lock; readers still read
        assert_unavailable_page(upload(client, session))
        assert (count(Attendance), count(AttendanceRevision)) == (0, 0)
        other_writer.execute("ROLLBACK")
        assert upload(client, session).status_code == 200
        assert (count(Attendance), count(AttendanceRevision)) == (3, 3)
    finally:
        other_writer.close()


# Redis

REDIS_HOST, REDIS_PORT, REDIS_DB = "127.0.0.1", 6379, 11  # this file's own Redis database


@pytest.fixture
def redis_proxy():
    """A TCP proxy in front of the local Redis, and a client of Redis itself to look at the counts."""
    redis = pytest.importorskip("redis")
    store = redis.Redis(REDIS_HOST, REDIS_PORT, db=REDIS_DB, socket_connect_timeout=1)
    try:
        store.ping()
    except redis.ConnectionError:
        pytest.skip(f"needs Redis at {REDIS_HOST}:{REDIS_PORT}")
    with TcpProxy(REDIS_HOST, REDIS_PORT) as proxy:
        yield proxy, store
    store.close()


@pytest.fixture
def redis_app(make_app, redis_proxy, monkeypatch):
    """The app counting its limits in Redis through the proxy, under keys of its own; three wrong access codes per
    GP and three failed sign-ins are allowed."""
    proxy, store = redis_proxy
    prefix = f"trainer-faults-{uuid.uuid4().hex}"
    app = make_app(RATELIMIT_STORAGE_URI=f"redis://127.0.0.1:{proxy.port}/{REDIS_DB}",
                   RATELIMIT_STORAGE_OPTIONS={"socket_connect_timeout": 1, "socket_timeout": 1, "key_prefix": prefix},
                   ACCESS_CODE_LIMIT_PER_GP="3 per 15 minutes", LOGIN_RATE_LIMIT="3 per minute")
    # Flask-Limiter looks at a failed storage again after 1, 2, 4 … 32 seconds; let it look at once.
    monkeypatch.setattr(limiter, "_Limiter__last_check_backend", 0)
    monkeypatch.setattr(limiter, "_Limiter__check_backend_count", 0)
    yield app
    limiter._storage_dead = False
    for key in store.scan_iter(f"{prefix}*"):
        store.delete(key)


def wrong_codes_in_redis(store, app, gp) -> int:
    """The wrong access codes of a GP that the app counted in Redis (0 when none are)."""
    prefix = app.config["RATELIMIT_STORAGE_OPTIONS"]["key_prefix"]
    keys = [key for key in store.scan_iter(f"{prefix}*") if key.decode().endswith(f"/gp-code/{gp.id}/3/15/minute")]
    return sum(int(store.get(key)) for key in keys)


def test_redis_going_away_leaves_pages_answering_and_limits_counted_in_memory_until_it_returns(
        app, redis_app, redis_proxy, make_programme, places, make_user, monkeypatch, caplog):
    from trainer.attendance import services, tokens
    proxy, store = redis_proxy
    session = make_programme(modules=1).sessions[0]
    moment = session.starts_at + timedelta(minutes=5)
    monkeypatch.setattr(clock, "now", lambda: moment)
    gp = places.gp(11111)
    code = services.issue_code(gp)
    db.session.commit()
    wrong = "00000000" if code != "00000000" else "11111111"
    client = redis_app.test_client()
    token = tokens.make_token(session.id)

    def send_code(access_code: str) -> str:
        page = client.get(f"/a/{token}").get_data(as_text=True)
        pass_token = re.search(r'name="pass_token"[^>]*value="([^"]+)"', page).group(1)
        return client.post(f"/a/{token}", data={"pass_token": pass_token, "gp_query": "11111",
                                                "access_code": access_code, "participants": "5"}
                           ).get_data(as_text=True)

    assert "एक्सेस कोड गलत" in send_code(wrong)
    assert wrong_codes_in_redis(store, redis_app, gp) == 1

    proxy.cut()
    with caplog.at_level(logging.INFO, logger="trainer.rate_limits"):
        for _attempt in range(3):  # the first one finds Redis gone: from then on they are counted in memory
            assert "एक्सेस कोड गलत" in send_code(wrong)
        assert "बहुत अधिक" in send_code(code)  # the limit holds: even the right code waits now
        assert client.get("/").status_code == 200 and client.get("/programmes/").status_code == 200
        user = make_user(role=Role.DIRECTOR)
        failed = [client.post("/login", data={"username": user.username, "password": "wrong-password"}).status_code
                  for _attempt in range(4)]
        assert failed == [200, 200, 200, 429]
        warnings = [r for r in caplog.records if r.levelno == logging.WARNING and r.name == "trainer.rate_limits"]
        assert len(warnings) == 1 and "falling back to in-memory storage" in warnings[0].getMessage()

        proxy.restore()
        monkeypatch.setattr(limiter, "_Limiter__last_check_backend", 0)  # no waiting out the back-off
        assert client.get("/").status_code == 200  # the limiter finds Redis back
        assert any("recovered" in r.getMessage() for r in caplog.records if r.name == "trainer.rate_limits")
    assert "एक्सेस कोड गलत" in send_code(wrong)
    assert wrong_codes_in_redis(store, redis_app, gp) == 2  # counted in Redis again, where the first one still is


# The YouTube API


@pytest.fixture
def youtube_away(make_app, monkeypatch):
    """The app, with its channel connected, reaching a stand-in of Google's API and token endpoint through a
    proxy that can cut it off."""
    from tests.youtube_standin import YouTubeStandIn
    from trainer.youtube import api, oauth, sync
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the stand-in speaks plain http on loopback
    monkeypatch.setattr(api, "RETRIES", 0)  # retries would sleep
    with YouTubeStandIn() as standin, TcpProxy("127.0.0.1", int(standin.url.rsplit(":", 1)[1])) as proxy:
        google = f"http://127.0.0.1:{proxy.port}"
        app = make_app(YOUTUBE_API_ENDPOINT=google, YOUTUBE_TOKEN_URI=google + "/token",
                       YOUTUBE_AUTH_URI=google + "/auth", YOUTUBE_CLIENT_ID="client-id.apps",
                       YOUTUBE_CLIENT_SECRET="client-secret")
        with app.app_context():
            credentials = oauth.credentials_from_refresh_token("1//refresh-demo", "client-id.apps",
                                                               "client-secret", google + "/token")
            with app.test_request_context():
                sync.connect(credentials, None)
            db.session.commit()
            yield app, standin, proxy
            db.session.remove()


def test_sessions_publish_while_youtube_is_away_and_the_sync_command_makes_each_broadcast_once_it_is_back(
        youtube_away, make_programme, make_user, monkeypatch):
    from trainer.programmes.models import SessionStatus
    from trainer.youtube import sync
    app, standin, proxy = youtube_away
    programme = make_programme(publish=False, modules=2, first_day=date(2027, 7, 21), last_day=date(2027, 8, 7))
    client = app.test_client()
    sign_in(client, make_user(role=Role.TRAINER))

    proxy.cut()
    response = client.post(f"/plan/{programme.id}/publish", data={"anyway": "y"}, follow_redirects=True)

    assert response.status_code == 200
    with app.test_request_context():
        assert str(escape(sync.explain("network"))) in response.get_data(as_text=True)  # said, in Hindi
    sessions = programme.sessions
    assert len(sessions) == 4 and not standin.broadcasts
    for session in sessions:  # published and saved; the broadcast is owed and will be tried again
        assert session.status is SessionStatus.PUBLISHED and sync.is_owed(session.id)
        assert session.youtube.error == "network" and session.youtube.retry_at is not None

    proxy.restore()
    later = max(session.youtube.retry_at for session in sessions) + timedelta(seconds=1)
    monkeypatch.setattr(clock, "now", lambda: later)
    runner = app.test_cli_runner()
    for _run in range(2):  # the timer runs it every minute: a second run finds nothing left to make
        with app.app_context():  # this app's, not the one the test's fixtures pushed
            result = runner.invoke(args=["youtube", "sync"])
        assert result.exit_code == 0, result.output
    db.session.expire_all()
    assert len(standin.broadcasts) == len(standin.calls("POST liveBroadcasts")) == 4
    assert {session.youtube.broadcast_id for session in sessions} == set(standin.broadcasts)
    assert all(not sync.is_owed(session.id) and session.youtube.error is None for session in sessions)
