"""Time in Trainer: moments are UTC inside, and people read them in Asia/Kolkata.

`now()` is the one clock that rules are judged against (is the attendance window open, which sessions are
today); tests move it with `monkeypatch.setattr(clock, "now", ...)`. Rows record when they were written
with `trainer.core.database.utc_now`, the wall clock.
"""
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

TIMEZONE = "Asia/Kolkata"
IST = ZoneInfo(TIMEZONE)


def now() -> datetime:
    """Return the current moment, aware, in UTC."""
    return datetime.now(UTC)


def local_day(moment: datetime) -> date:
    """Return the Asia/Kolkata date of a moment."""
    return moment.astimezone(IST).date()


def today() -> date:
    """Return today's date in Asia/Kolkata."""
    return local_day(now())
