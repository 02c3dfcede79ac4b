"""User accounts, the place each role is bound to, and each browser's sign-in."""
import hashlib
import secrets
from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, Enum, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core.database import UtcDateTime, utc_now
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.regions.areas import STATE, Area
from trainer.regions.models import Block, District, Division, GramPanchayat

# Which level of place each role is bound to. A director may be bound to a division (a divisional joint
# director) or to nothing (state-wide).
ROLE_AREA_MODEL = {
    Role.DIRECTOR: Division,
    Role.DISTRICT_OFFICER: District,
    Role.BLOCK_OFFICER: Block,
    Role.SECRETARY: GramPanchayat,
}
AREA_REQUIRED = {Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER, Role.SECRETARY}
AREA_COLUMN = {Division: "division_id", District: "district_id", Block: "block_id",
               GramPanchayat: "gram_panchayat_id"}


class User(UserMixin, db.Model):
    """Someone who signs in: staff of the department, officers, secretaries."""

    __tablename__ = "users"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN division_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN district_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN block_id IS NULL THEN 0 ELSE 1 END"
            " + CASE WHEN gram_panchayat_id IS NULL THEN 0 ELSE 1 END) <= 1",
            name="one_area",
        ),
        # Officers and secretaries always have their area; state-wide roles have none (a director may
        # have a division). Without this, an officer without an area would see the whole state.
        CheckConstraint(
            "CASE role"
            " WHEN 'district_officer' THEN district_id IS NOT NULL"
            " WHEN 'block_officer' THEN block_id IS NOT NULL"
            " WHEN 'secretary' THEN gram_panchayat_id IS NOT NULL"
            " WHEN 'director' THEN district_id IS NULL AND block_id IS NULL AND gram_panchayat_id IS NULL"
            " ELSE division_id IS NULL AND district_id IS NULL AND block_id IS NULL AND gram_panchayat_id IS NULL"
            " END",
            name="area_fits_role",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    full_name: Mapped[str] = mapped_column(String(120), default="")
    password_hash: Mapped[str] = mapped_column(String(255))
    role: Mapped[Role] = mapped_column(Enum(Role, native_enum=False, length=20,
                                            values_callable=lambda roles: [r.value for r in roles],
                                            validate_strings=True))
    active: Mapped[bool] = mapped_column(default=True)
    division_id: Mapped[int | None] = mapped_column(ForeignKey("divisions.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id"), index=True)
    gram_panchayat_id: Mapped[int | None] = mapped_column(ForeignKey("gram_panchayats.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utc_now)
    last_login_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    division: Mapped[Division | None] = relationship()
    district: Mapped[District | None] = relationship()
    block: Mapped[Block | None] = relationship()
    gram_panchayat: Mapped[GramPanchayat | None] = relationship()

    def __repr__(self) -> str:
        return f"<User {self.username} {self.role}>"

    @property
    def is_active(self) -> bool:
        return self.active

    # The sign-in this request came with (set by accounts.auth); Flask-Login keeps its token in the session cookie.
    login = None  # a UserLogin, or None

    def get_id(self) -> str | None:
        """Return the token of this browser's sign-in: what the session and remember-me cookies carry."""
        return self.login.token if self.login is not None else None

    @property
    def place(self):
        """Return the place the user is bound to, or None for the whole state."""
        return self.division or self.district or self.block or self.gram_panchayat

    @property
    def area(self) -> Area:
        """Return the area whose data the user may see."""
        place = self.place
        return Area.of(place) if place is not None else STATE

    def has_role(self, *roles: Role) -> bool:
        """Say whether the user holds one of the roles."""
        return self.role in roles



def token_hash(token: str) -> str:
    """Return what is stored of a sign-in token: a copy of the table alone signs nobody in."""
    return hashlib.sha256(token.encode()).hexdigest()


class UserLogin(db.Model):
    """One browser's sign-in: its cookies carry a random token, of which only the hash is kept here.

    Signing out ends it (ended_at) on the server, so a copied session or remember-me cookie stops working too;
    every sign-in gets a new token, hence a new remember-me cookie. It also ends by itself after a while
    (accounts.services.lifetime). Nothing is written on later requests, so reading a page changes no row.
    """

    __tablename__ = "user_logins"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    remember: Mapped[bool] = mapped_column(default=False)
    user_agent: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    ended_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    user: Mapped[User] = relationship()
    token = None  # in clear only in the request that made it, or that came with it

    @classmethod
    def start(cls, user: User, remember: bool, user_agent: str) -> "UserLogin":
        """Return a new sign-in of `user` with a fresh token (not yet added to the session)."""
        login = cls(user=user, remember=remember, user_agent=(user_agent or "")[:200])
        login.token = secrets.token_urlsafe(32)
        login.token_hash = token_hash(login.token)
        return login
