"""The JSON API under /api/v1: its blueprint, its errors, and who may read it.

Every feature adds its JSON read endpoints as a blueprint nested in `api_bp` (the feature's api module nests
it when first imported), so the prefix, the errors and the sign-in rule are the same for all. `docs/openapi.json` describes every endpoint.
"""
from functools import wraps
from pathlib import Path

from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from werkzeug.exceptions import MethodNotAllowed, NotFound

from trainer.core.roles import STAFF_ROLES

PREFIX = "/api/v1/"
SPEC = Path(__file__).resolve().parents[2] / "docs" / "openapi.json"

api_bp = Blueprint("api", __name__, url_prefix=PREFIX.rstrip("/"))


def is_api_request() -> bool:
    """Say whether the request is addressed to the JSON API (whose errors are JSON too)."""
    return request.path.startswith(PREFIX)


def error(status: int, code: str, message: str, headers=None):
    """Return a JSON error: {"error": code, "message": message}."""
    response = jsonify(error=code, message=message)
    response.status_code = status
    response.headers.extend(headers or {})
    return response


def not_found(message: str):
    """Return the API's 404 with a message naming what was not found."""
    return error(404, "not_found", message)


def forbidden(message: str):
    """Return the API's 403 with a message saying what is out of reach."""
    return error(403, "forbidden", message)


@api_bp.before_app_request
def unmatched_api_url():
    """Answer an address under /api/v1/ that matches no endpoint (or not with this method) in JSON."""
    # Routing errors happen before any view of this blueprint runs, so its error handlers never see them.
    failure = request.routing_exception
    if not is_api_request() or failure is None:
        return None
    if isinstance(failure, MethodNotAllowed):
        return error(405, "method_not_allowed", _("This address does not take that method."),
                     {"Allow": ", ".join(sorted(failure.valid_methods or ()))})
    if isinstance(failure, NotFound):
        return error(404, "not_found", _("There is nothing at this address."))
    return None


def staff_only(view):
    """Answer 401 to the signed-out and 403 to those who are not staff, in JSON."""

    @wraps(view)
    def wrapped(*args, **kwargs):
        if not current_user.is_authenticated:
            return error(401, "unauthorized", _("Sign in first."))
        if not current_user.has_role(*STAFF_ROLES):
            return error(403, "forbidden", _("Your account may not read reports."))
        return view(*args, **kwargs)

    return wrapped


@api_bp.get("/openapi.json")
def openapi():
    """Serve the OpenAPI description of this API."""
    return current_app.response_class(SPEC.read_bytes(), mimetype="application/json")
