"""Signing in, and the checks that keep each role to what it may reach."""
from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user, login_required

from trainer.accounts.models import Role, User
from trainer.extensions import db


def register_login(app, login_manager) -> None:
    """Configure Flask-Login: how a session names its user and where sign-in lives."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    # "basic", not "strong": phones on mobile networks change address often and must stay signed in.
    login_manager.session_protection = "basic"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        # The id carries the session token, so a password change or disabling ends old sessions.
        pk, _, token = user_id.partition(":")
        if not pk.isdigit():
            return None
        user = db.session.get(User, int(pk))
        if user is None or not user.active or user.session_token != token:
            return None
        return user


def role_required(*roles: Role):
    """Let only signed-in users of these roles through; others get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if not current_user.has_role(*roles):
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


def require_in_area(place) -> None:
    """Refuse (403) a place outside the signed-in user's area."""
    if not current_user.area.contains(place):
        abort(403)


STAFF_ROLES = (Role.ADMIN, Role.TRAINER, Role.DIRECTOR, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER)
