"""Helpers for URLs that come from the user: ids and codes in paths and query strings, and `next` addresses."""
from urllib.parse import urlsplit

from flask import abort, request
from werkzeug.routing import IntegerConverter, ValidationError

from trainer.core.bounds import INT_DIGITS, INT_MAX, database_int


class DatabaseIntegerConverter(IntegerConverter):
    """`<int:…>` for ids and codes: a number larger than the database's integers matches no route (404) rather than
    reaching a query that PostgreSQL refuses."""

    def __init__(self, map, *args, **kwargs) -> None:
        kwargs.setdefault("max", INT_MAX)
        super().__init__(map, *args, **kwargs)

    def to_python(self, value: str) -> int:
        if len(value) > INT_DIGITS:  # and int() refuses to read more than 4,300 digits
            raise ValidationError()
        return super().to_python(value)


def int_arg(name: str) -> int | None:
    """Read an id or LGD code from the query string, as `<int:…>` reads one from the path.

    None when the argument is absent or empty; 400 when it is not a whole number; 404 when it is larger than
    any row of the database can have.
    """
    text = (request.args.get(name) or "").strip()
    if not text:
        return None
    if not text.isdecimal():
        abort(400)
    number = database_int(text)
    if number is None:
        abort(404)
    return number


def page_arg(name: str = "page", strict: bool = False) -> int:
    """Read a page number from the query string: 1 when absent or empty (strict, as the JSON API reads it: 1
    only when absent), 400 when it is not a whole number of at least 1, 404 past any page the database could
    hold."""
    text = (request.args.get(name) or "").strip()
    if not text:
        if strict and name in request.args:
            abort(400)
        return 1
    if not text.isdecimal() or int(text[:INT_DIGITS + 1]) < 1:
        abort(400)
    number = database_int(text)
    if number is None:
        abort(404)
    return number


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


class PublicAddress:
    """WSGI middleware that gives every request the site's configured address (PUBLIC_BASE_URL): absolute links
    (calendar feeds, session pages, QR codes) then never follow a Host header a client chose."""

    def __init__(self, app, base_url: str) -> None:
        parts = urlsplit(base_url)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ValueError(f"PUBLIC_BASE_URL must be like https://trainer.example.gov.in, not {base_url!r}")
        self.app, self.scheme, self.host, self.root = app, parts.scheme, parts.netloc, parts.path.rstrip("/")

    def __call__(self, environ, start_response):
        environ["wsgi.url_scheme"], environ["HTTP_HOST"] = self.scheme, self.host
        environ["SERVER_NAME"], _, port = self.host.partition(":")
        environ["SERVER_PORT"] = port or ("443" if self.scheme == "https" else "80")
        if self.root:
            environ["SCRIPT_NAME"] = self.root
            path = environ.get("PATH_INFO", "")
            if path.startswith(self.root + "/") or path == self.root:
                environ["PATH_INFO"] = path[len(self.root):]
        return self.app(environ, start_response)
