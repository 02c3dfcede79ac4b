"""Signing in: each browser's sign-in is a row of user_logins, named by the token its cookies carry."""
from flask import request
from flask_babel import lazy_gettext as _l
from flask_login import login_user
from sqlalchemy import select

from trainer.accounts.models import User, UserLogin, token_hash
from trainer.accounts.services import lifetime
from trainer.core.database import utc_now
from trainer.core.forms import one_line
from trainer.extensions import db


def register_login(app, login_manager) -> None:
    """Configure Flask-Login: how a session names its user and where sign-in lives."""
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = _l("Please sign in to open this page.")
    login_manager.login_message_category = "info"
    # "basic", not "strong": phones on mobile networks change address often and must stay signed in.
    login_manager.session_protection = "basic"
    login_manager.user_loader(load_user)


def load_user(token: str) -> User | None:
    """Return the user of a live sign-in named by a cookie's token, with one indexed lookup; None for an ended,
    expired, unknown or disabled one."""
    if not token or len(token) > 64:
        return None
    found = db.session.execute(
        select(UserLogin, User).join(User, UserLogin.user_id == User.id)
        .where(UserLogin.token_hash == token_hash(token), UserLogin.ended_at.is_(None), User.active)).first()
    if found is None:
        return None
    login, user = found
    if utc_now() - login.created_at > lifetime(login):
        return None
    login.token = token
    user.login = login
    return user


def sign_in(user: User, remember: bool) -> UserLogin:
    """Start a new sign-in of `user` in this browser (a new token, so new cookies); the caller commits."""
    login = UserLogin.start(user, remember, one_line(request.headers.get("User-Agent", "")))
    db.session.add(login)
    db.session.flush()
    user.login = login
    login_user(user, remember=remember)
    return login
