"""Error pages in the user's language."""
from flask import current_app, render_template
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError, SQLAlchemyError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from trainer.core import api
from trainer.core.database import WriteConflict, is_write_conflict
from trainer.extensions import db, login_manager

RETRY_AFTER_SECONDS = 30  # how long a client is asked to wait when the database is away

MESSAGES = {
    400: (_l("Bad request"), _l("The request could not be understood. Go back and try again.")),
    403: (_l("Not allowed"), _l("Your account may not open this page.")),
    404: (_l("Not found"), _l("There is no such page. Check the address.")),
    405: (_l("Not allowed"), _l("This page cannot be opened this way.")),
    409: (_l("Saved at the same moment"), _l("Someone else was saving the same records at the same moment, so "
                                             "nothing was saved. Try again.")),
    413: (_l("File too large"), _l("The file is larger than the allowed size.")),
    429: (_l("Too many attempts"), _l("Too many attempts in a short time. Wait a minute and try again.")),
    500: (_l("Something went wrong"), _l("The server failed to answer. Try again in a moment.")),
    503: (_l("Service unavailable"), _l("The database is not answering. Try again in a minute.")),
}


def render_error(status: int, message=None):
    """Render the error page for an HTTP status."""
    title, default_message = MESSAGES.get(status, MESSAGES[500])
    message = message or default_message
    return render_template("errors/error.html", status=status, title=title, message=message), status


# The JSON API's codes for the errors a view raises with abort() (trainer.core.urls.page_arg, say).
API_CODES = {400: "bad_request", 403: "forbidden", 404: "not_found", 405: "method_not_allowed", 429: "too_many_requests"}


def render_http_error(status: int):
    """Answer an HTTP error: in JSON under /api/v1, else as a page."""
    if status in API_CODES and api.is_api_request():
        return api.error(status, API_CODES[status], str(MESSAGES[status][1]))
    return render_error(status)


def register_error_handlers(app) -> None:
    """Show every HTTP error as a page in the user's language (in JSON for the API)."""
    for status in MESSAGES:
        if status not in (409, 500, 503):
            app.register_error_handler(status, lambda exc, status=status: render_http_error(status))

    @app.errorhandler(413)
    def too_large(exc):
        # Uploads (attendance and hierarchy files) and forms above MAX_CONTENT_LENGTH; the API answers in JSON.
        limit = current_app.config.get("MAX_CONTENT_LENGTH") or 0
        message = _l("The file is too large: at most %(size)s MB can be sent. Send a smaller file, or split it "
                     "into parts.", size=f"{limit / 2**20:.3g}")
        if api.is_api_request():
            return api.error(413, "too_large", str(message))
        return render_error(413, message)

    @app.errorhandler(CSRFError)
    def form_expired(exc):
        return render_error(400, _l("The form had expired or came from another page. Go back, reload the page "
                                    "and submit it again."))

    @app.errorhandler(WriteConflict)  # retried (core.database.retry_on_conflict) and still meeting other writes
    def write_conflict(exc):
        return conflict(_l("Another upload or checklist was saving the same gram panchayats at the same moment, "
                           "so nothing was saved. Try again."))

    def conflict(message=None):
        try:
            db.session.rollback()
        except SQLAlchemyError:
            pass
        message = message or MESSAGES[409][1]
        if api.is_api_request():
            return api.error(409, "conflict", str(message))
        return render_error(409, message)

    @app.errorhandler(OperationalError)  # the server went away, or refused the connection; SQLite is locked
    @app.errorhandler(InterfaceError)  # the connection was already known to be closed
    @app.errorhandler(PoolTimeout)  # every pooled connection is busy
    def database_down(exc):
        if is_write_conflict(exc):  # a deadlock or serialization failure: the database is there, the rows were busy
            app.logger.warning("write conflict: %s", type(exc.orig).__name__)
            return conflict()
        # The database never committed the interrupted transaction, so nothing of it is written; the pool drops
        # the broken connection (and pre-ping tests the others), so the next request reconnects once it is back.
        try:
            db.session.rollback()
        except SQLAlchemyError:  # the connection is gone: the session is thrown away at the end of the request
            pass
        # The driver's own words, not the statement or its parameters: those may hold access codes.
        cause = getattr(exc, "orig", None) or exc
        app.logger.error("database unavailable: %s: %s", type(cause).__name__, str(cause).partition("\n")[0])
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        title, message = MESSAGES[503]
        if api.is_api_request():
            return api.error(503, "unavailable", str(message), headers)
        # The page must not need the database: show it as to a signed-out visitor, whose user is never loaded.
        login_manager._update_request_context_with_user()
        return render_template("errors/503.html", status=503, title=title, message=message), 503, headers

    @app.errorhandler(500)
    def server_error(exc):
        return render_error(500)
