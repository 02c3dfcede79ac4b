"""Database details that differ between SQLite and PostgreSQL, and the retry of a request's writes."""
import functools
import logging
import random
import time
from datetime import UTC, datetime

from flask import has_request_context, request
from sqlalchemy import DateTime, Engine, Enum, event, text
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import OperationalError
from sqlalchemy.types import TypeDecorator

from trainer.extensions import db


def enable_sqlite_foreign_keys(engine: Engine) -> None:
    """Make SQLite enforce foreign keys, as PostgreSQL does."""
    if engine.dialect.name != "sqlite":
        return

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.close()


def database_is_reachable() -> bool:
    """Say whether a trivial query succeeds."""
    try:
        db.session.execute(text("SELECT 1"))
        return True
    except Exception:  # any driver error means "not reachable" to a health check
        db.session.rollback()
        return False


class UtcDateTime(TypeDecorator):
    """Store aware datetimes as UTC and always hand them back aware, on SQLite as on PostgreSQL."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        value = value.astimezone(UTC)
        # SQLite keeps no offset; store the UTC wall time there.
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def enum_column(cls, length: int = 20) -> Enum:
    """Store a StrEnum by its values, as a portable VARCHAR with a CHECK (no native enum type to migrate)."""
    return Enum(cls, native_enum=False, length=length, validate_strings=True,
                values_callable=lambda members: [m.value for m in members])


def insert_on_conflict(table):
    """An INSERT of the database's own dialect, which takes ON CONFLICT DO NOTHING / DO UPDATE (SQLite and
    PostgreSQL write it alike)."""
    dialect = postgresql if db.session.get_bind().dialect.name == "postgresql" else sqlite
    return dialect.insert(table)


def lock_for_transaction(key: str) -> None:
    """Hold a lock named `key` until the transaction ends, so that two writers of the same thing take turns.

    PostgreSQL takes an advisory lock; SQLite writes one transaction at a time already, so its callers only need
    to write before they read."""
    if db.session.get_bind().dialect.name == "postgresql":
        db.session.execute(text("SELECT pg_advisory_xact_lock(hashtextextended(:key, 0))"), {"key": key})


def like_escaped(text: str) -> str:
    """Escape LIKE's wildcards (and the escape character, a backslash) in typed text."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def utc_now() -> datetime:
    """Return the current moment, aware, in UTC."""
    return datetime.now(UTC)


def bulk_insert(table, rows: list[dict], chunk: int = 10_000) -> None:
    """Insert many rows through the driver's executemany, with each value prepared by its column's type.

    For generated data (the demo, benchmarks): an order of magnitude less overhead than a Core executemany.
    Every row must carry the same keys.
    """
    if not rows:
        return
    connection = db.session.connection()
    dialect = connection.dialect
    columns = list(rows[0])
    processors = [table.c[name].type._cached_bind_processor(dialect) for name in columns]
    placeholder = "?" if dialect.paramstyle == "qmark" else "%s"
    sql = (f'INSERT INTO {table.name} ({", ".join(columns)}) '
           f'VALUES ({", ".join([placeholder] * len(columns))})')
    caches: list[dict] = [{} for _ in columns]  # generated data repeats values: prepare each one once

    def prepared(value, process, cache):
        if process is None or value is None:
            return value
        if value not in cache:
            cache[value] = process(value)
        return cache[value]

    for start in range(0, len(rows), chunk):
        values = [tuple(prepared(row[name], process, cache)
                        for name, process, cache in zip(columns, processors, caches, strict=True))
                  for row in rows[start:start + chunk]]
        connection.exec_driver_sql(sql, values)


# Retrying a request's writes

# PostgreSQL's serialization_failure and deadlock_detected: the transaction was rolled back because another one
# took the same rows at the same moment; done again, it succeeds.
CONFLICT_SQLSTATES = frozenset({"40001", "40P01"})
WRITE_ATTEMPTS = 4
_log = logging.getLogger("trainer.database")


class WriteConflict(Exception):
    """A request's writes met other transactions on the same rows on every attempt; nothing of them was saved."""


def is_write_conflict(exc: BaseException) -> bool:
    """Say whether a database error is a deadlock or serialization failure, which a new attempt can clear."""
    return isinstance(exc, OperationalError) and getattr(exc.orig, "sqlstate", None) in CONFLICT_SQLSTATES


def retry_on_conflict(view):
    """Run a view again, up to WRITE_ATTEMPTS times in all, when the database aborts its transaction for a
    deadlock or serialization failure; then raise WriteConflict (a 409 page, not the 503 of a database down).

    The view is the unit of work: it reads what it needs, writes, and commits once, so a new attempt starts from a
    clean session. Uploaded files are rewound for it; nothing else of the request is consumed twice.
    """

    @functools.wraps(view)
    def attempt(*args, **kwargs):
        for number in range(1, WRITE_ATTEMPTS + 1):
            try:
                return view(*args, **kwargs)
            except OperationalError as exc:
                if not is_write_conflict(exc):
                    raise
                db.session.rollback()
                _log.warning("write conflict (%s), attempt %s of %s", exc.orig.sqlstate, number, WRITE_ATTEMPTS)
                if number == WRITE_ATTEMPTS:
                    raise WriteConflict() from exc
                if has_request_context():
                    for upload in request.files.values():
                        upload.stream.seek(0)
                # A random pause, growing with each attempt, so that the transactions that met do not meet again.
                time.sleep(random.uniform(0.02, 0.1) * number)
        raise AssertionError("unreachable")

    return attempt
