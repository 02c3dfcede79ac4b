"""Helpers for URLs that come from the user."""
from urllib.parse import urlsplit

from werkzeug.routing import IntegerConverter, ValidationError

DATABASE_INT_MAX = 2**31 - 1  # ids and LGD codes are PostgreSQL integers


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:…>` for ids and codes: a number larger than the database's integers matches no route (404) rather than
    reaching a query that PostgreSQL refuses."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", DATABASE_INT_MAX)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        if len(value) > len(str(DATABASE_INT_MAX)):  # and int() refuses to read more than 4,300 digits
            raise ValidationError()
        return super().to_python(value)


def safe_next_url(target: str | None) -> str | None:
    """Return `target` if it is a path on this site, else None (no open redirects)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return None
    # Browsers drop tabs and line breaks from addresses ("/\t/evil" becomes "//evil"): no control characters.
    if any(ord(ch) < 32 or ord(ch) == 127 for ch in target):
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc:
        return None
    return target
