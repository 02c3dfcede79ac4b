"""Writes that meet other writes: batches take their rows in gram-panchayat order, and a deadlock or serialization
failure is retried a few times, then told as a 409 conflict, never as the 503 of a database that is down."""
import threading
import time

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import OperationalError

from trainer.attendance import services
from trainer.attendance.models import Attendance, MarkSource
from trainer.attendance.rules import HeadCount
from trainer.core import database
from trainer.core.database import WriteConflict, retry_on_conflict
from trainer.extensions import db


class _DriverError(Exception):
    def __init__(self, sqlstate):
        super().__init__(f"sqlstate {sqlstate}")
        self.sqlstate = sqlstate


def conflict(sqlstate="40P01") -> OperationalError:
    """Return the error SQLAlchemy raises when PostgreSQL ends a transaction for a deadlock (or `sqlstate`)."""
    return OperationalError("UPDATE attendances ...", {}, _DriverError(sqlstate))


@pytest.fixture
def no_pause(monkeypatch):
    monkeypatch.setattr(database.time, "sleep", lambda seconds: None)


@pytest.mark.parametrize("sqlstate", ["40P01", "40001"])
def test_a_deadlocked_unit_of_work_is_done_again_until_it_succeeds(app, no_pause, sqlstate):
    attempts = []

    @retry_on_conflict
    def work():
        attempts.append(1)
        if len(attempts) < database.WRITE_ATTEMPTS:
            raise conflict(sqlstate)
        return "saved"

    with app.test_request_context("/"):
        assert work() == "saved"
    assert len(attempts) == database.WRITE_ATTEMPTS


def test_a_unit_of_work_that_keeps_meeting_others_gives_up_with_write_conflict(app, no_pause):
    attempts = []

    @retry_on_conflict
    def work():
        attempts.append(1)
        raise conflict()

    with app.test_request_context("/"), pytest.raises(WriteConflict):
        work()
    assert len(attempts) == database.WRITE_ATTEMPTS


def test_other_database_errors_are_not_retried(app, no_pause):
    attempts = []

    @retry_on_conflict
    def work():
        attempts.append(1)
        raise conflict(sqlstate="08006")  # the connection failed: the database is away, not busy

    with app.test_request_context("/"), pytest.raises(OperationalError):
        work()
    assert len(attempts) == 1


def test_a_retried_upload_reads_its_file_again_from_the_start(make_app, no_pause):
    app = make_app()
    seen = []

    @app.post("/probe")
    @retry_on_conflict
    def probe():
        from flask import request
        seen.append(request.files["file"].read())
        if len(seen) == 1:
            raise conflict()
        return "ok"

    import io
    response = app.test_client().post("/probe", data={"file": (io.BytesIO(b"gp_code,participants\r\n"), "a.csv")})
    assert response.status_code == 200
    assert seen == [b"gp_code,participants\r\n"] * 2


def test_a_conflict_that_outlasts_the_retries_is_a_409_page_and_a_409_json_not_a_503(make_app, no_pause):
    app = make_app()

    @app.post("/probe")
    @retry_on_conflict
    def probe():
        raise conflict()

    @app.post("/api/v1/probe")
    def api_probe():
        raise conflict("40001")  # not retried here: still a conflict, not an outage

    client = app.test_client()
    page = client.post("/probe")
    assert page.status_code == 409
    assert "Retry-After" not in page.headers
    assert "उसी समय कोई अन्य अपलोड या चेकलिस्ट इन्हीं ग्राम पंचायतों" in page.get_data(as_text=True)
    answer = client.post("/api/v1/probe")
    assert answer.status_code == 409 and answer.get_json()["error"] == "conflict"


@pytest.mark.postgres
def test_overlapping_batches_take_their_rows_in_gp_order_and_never_deadlock(app, make_programme, places):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("row locks and deadlocks are PostgreSQL's; SQLite writes one transaction at a time")
    session = make_programme(modules=1).sessions[0]
    first, second = places.gp(11111), places.gp(11112)
    services.mark_many(session, [(first.id, HeadCount(1)), (second.id, HeadCount(1))], MarkSource.COMMAND)
    db.session.commit()
    session_id, first_id, second_id = session.id, first.id, second.id
    waiting, outcome = threading.Event(), {}

    def other_officer():
        # Its own app context, so its own connection and transaction, as another request's.
        with app.app_context():
            pid = db.session.scalar(text("SELECT pg_backend_pid()"))
            outcome["pid"] = pid
            waiting.set()
            try:
                other = db.session.get(type(session), session_id)
                # Its file lists the second GP first.
                services.mark_many(other, [(second_id, HeadCount(2)), (first_id, HeadCount(2))], MarkSource.UPLOAD)
                db.session.commit()
                outcome["result"] = "saved"
            except OperationalError as exc:
                db.session.rollback()
                outcome["result"] = type(exc.orig).__name__
            finally:
                db.session.remove()

    # This transaction takes the first GP's row ...
    services.mark_many(session, [(first_id, HeadCount(3))], MarkSource.CHECKLIST)
    thread = threading.Thread(target=other_officer)
    thread.start()
    assert waiting.wait(30)
    # ... the other one starts and waits for a row this one holds (as the database says, not after a pause) ...
    watcher = db.engine.connect()
    try:
        deadline = time.monotonic() + 30
        while not watcher.scalar(text("SELECT count(*) FROM pg_locks WHERE pid = :pid AND NOT granted"),
                                 {"pid": outcome["pid"]}):
            assert time.monotonic() < deadline, "the other transaction never waited for a lock"
            watcher.rollback()
            time.sleep(0.05)
    finally:
        watcher.close()
    # ... and this one then takes the second GP's row: had the other taken that one first, this is a deadlock.
    services.mark_many(session, [(second_id, HeadCount(3))], MarkSource.CHECKLIST)
    db.session.commit()
    thread.join(60)
    assert outcome["result"] == "saved"
    counts = dict(db.session.execute(select(Attendance.gram_panchayat_id, Attendance.participants)).all())
    assert counts == {first_id: 2, second_id: 2}
