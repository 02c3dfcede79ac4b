"""Signing in: how a browser's session names its user."""
from flask_babel import lazy_gettext as _l

from trainer.accounts.models import User
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
