"""Creating, changing and authenticating accounts, and ending sign-ins. Services flush; the caller commits."""
from datetime import timedelta
from functools import cache

from argon2 import PasswordHasher, profiles
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from trainer.accounts.models import AREA_COLUMN, AREA_REQUIRED, ROLE_AREA_MODEL, User, UserLogin
from trainer.core.database import utc_now
from trainer.core.roles import Role
from trainer.extensions import db

PASSWORD_MIN_LENGTH = 8


@cache
def _hasher_for(profile: str) -> tuple[PasswordHasher, str]:
    """Return the hasher of an argon2 profile and a dummy hash: verifying against it keeps a wrong
    username as slow as a wrong password."""
    hasher = PasswordHasher.from_parameters(getattr(profiles, profile))
    return hasher, hasher.hash("not a password")


def _hasher() -> PasswordHasher:
    return _hasher_for(current_app.config["ARGON2_PROFILE"])[0]


class AccountError(ValueError):
    """An account change that breaks a rule; the message is for the user."""


def hash_password(password: str) -> str:
    """Return an Argon2 hash of a password."""
    return _hasher().hash(password)


def check_password_rules(password: str) -> None:
    """Refuse a password that is too short."""
    if len(password) < PASSWORD_MIN_LENGTH:
        raise AccountError(_l("The password must have at least %(n)s characters.", n=PASSWORD_MIN_LENGTH))


def normalise_username(username: str) -> str:
    """Return the canonical form of a username (trimmed, lower case)."""
    return username.strip().lower()


def find_user(username: str) -> User | None:
    """Return the user with this username, in any case."""
    return db.session.scalar(select(User).where(User.username == normalise_username(username)))


def find_area(role: Role, lgd_code: int | None):
    """Return the place a user of this role is bound to, checking the role allows it."""
    model = ROLE_AREA_MODEL.get(role)
    if lgd_code is None:
        if role in AREA_REQUIRED:
            raise AccountError(_l("This role needs the LGD code of its area."))
        return None
    if model is None:
        raise AccountError(_l("This role covers the whole state and takes no area."))
    place = db.session.scalar(select(model).where(model.lgd_code == lgd_code))
    if place is None:
        raise AccountError(_l("No %(level)s has the LGD code %(code)s.",
                              level=model.level_label, code=lgd_code))
    return place


def _bind(user: User, place) -> None:
    # Through the relationships only: mixing column and relationship writes loses the area on flush.
    for model, column in AREA_COLUMN.items():
        setattr(user, column.removesuffix("_id"), place if isinstance(place, model) else None)


def create_user(username: str, password: str, role: Role, area_code: int | None = None,
                full_name: str = "") -> User:
    """Create an account bound to its role's area."""
    username = normalise_username(username)
    if not username:
        raise AccountError(_l("A username is needed."))
    if find_user(username) is not None:
        raise AccountError(_l("The username %(username)s is taken.", username=username))
    check_password_rules(password)
    place = find_area(role, area_code)
    user = User(username=username, password_hash=hash_password(password), role=role,
                full_name=full_name.strip())
    _bind(user, place)
    db.session.add(user)
    db.session.flush()
    return user


def update_user(user: User, *, role: Role, area_code: int | None, full_name: str) -> None:
    """Change an account's role, area and name."""
    place = find_area(role, area_code)
    if (user.role, user.place) != (role, place):
        end_logins(user)
    user.role = role
    user.full_name = full_name.strip()
    _bind(user, place)
    db.session.flush()


def set_password(user: User, password: str, keep: UserLogin | None = None) -> None:
    """Give an account a new password and end its sign-ins (but `keep`, the browser that changed it)."""
    check_password_rules(password)
    user.password_hash = hash_password(password)
    end_logins(user, keep)
    db.session.flush()


def set_active(user: User, active: bool) -> None:
    """Enable or disable an account; disabling signs it out at once."""
    if user.active != active:
        user.active = active
        end_logins(user)
    db.session.flush()


def verify_password(user: User | None, password: str) -> bool:
    """Say whether the password is the user's (as slowly for no user as for a wrong password)."""
    try:
        hasher, dummy = _hasher_for(current_app.config["ARGON2_PROFILE"])
        return hasher.verify(user.password_hash if user else dummy, password) and user is not None
    except (VerificationError, InvalidHashError):
        return False


def authenticate(username: str, password: str) -> User | None:
    """Return the active user whose password matches, updating an outdated hash."""
    user = find_user(username)
    if not verify_password(user, password) or not user.active:
        return None
    if _hasher().check_needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = utc_now()
    db.session.flush()
    return user


def count_admins() -> int:
    """Return how many active admin accounts exist."""
    return db.session.scalar(select(func.count()).where(User.role == Role.ADMIN, User.active))


def end_logins(user: User, keep: UserLogin | None = None) -> int:
    """End every live sign-in of `user` (but `keep`), on every device; return how many."""
    query = update(UserLogin).where(UserLogin.user_id == user.id, UserLogin.ended_at.is_(None))
    if keep is not None:
        query = query.where(UserLogin.id != keep.id)
    return db.session.execute(query.values(ended_at=utc_now()).execution_options(synchronize_session=False)).rowcount


def end_login(login: UserLogin) -> None:
    """End one sign-in: its cookies, copied or not, sign nobody in any more."""
    if login.ended_at is None:
        login.ended_at = utc_now()
    db.session.flush()


def live_logins(user: User) -> list[UserLogin]:
    """Return the user's sign-ins that still work, the newest first."""
    now = utc_now()
    logins = db.session.scalars(select(UserLogin).where(UserLogin.user_id == user.id, UserLogin.ended_at.is_(None))
                                .order_by(UserLogin.created_at.desc(), UserLogin.id.desc()))
    return [login for login in logins if now - login.created_at <= lifetime(login)]


def lifetime(login: UserLogin) -> timedelta:
    """Return how long after it began a sign-in ends by itself: the remember-me cookie's life, or LOGIN_HOURS."""
    if login.remember:
        return timedelta(seconds=current_app.config["REMEMBER_COOKIE_DURATION"])
    return timedelta(hours=current_app.config["LOGIN_HOURS"])
