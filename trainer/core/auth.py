"""The checks that keep each role to what it may reach, for every feature's views."""
from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from trainer.core.roles import Role


def role_required(*roles: Role):
    """Let only signed-in users of these roles through; others get 403 (the signed-out go to sign in)."""

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
