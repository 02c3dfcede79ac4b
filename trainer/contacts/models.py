"""Contacts: the people of a gram panchayat (its secretary, its sarpanch) and officers, and how to reach them."""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, ForeignKey, Index, String, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core.database import UtcDateTime, enum_column, utc_now
from trainer.extensions import db
from trainer.regions.models import GramPanchayat

NAME_LENGTH_MAX = 120


class ContactRole(enum.StrEnum):
    """Whom a contact stands for: a GP's secretary, sarpanch or someone else, or an officer (a user)."""

    SECRETARY = "secretary"
    SARPANCH = "sarpanch"
    OTHER = "other"
    OFFICER = "officer"

    @property
    def label(self):
        """Return the role's name for people, translated."""
        return ROLE_LABELS[self]


ROLE_LABELS = {
    ContactRole.SECRETARY: _l("Secretary"),
    ContactRole.SARPANCH: _l("Sarpanch"),
    ContactRole.OTHER: _l("Other"),
    ContactRole.OFFICER: _l("Officer"),
}
GP_ROLES = (ContactRole.SECRETARY, ContactRole.SARPANCH, ContactRole.OTHER)
# A GP has at most one of each of these; "other" contacts may be many.
SINGLE_ROLES = (ContactRole.SECRETARY, ContactRole.SARPANCH)


class OptOutSource(enum.StrEnum):
    """Where an opt-out came from."""

    SMS = "sms"
    STAFF = "staff"
    WHATSAPP = "whatsapp"


LANGUAGES = ("hi", "en")
CHANNELS = ("whatsapp", "sms", "email")  # in order of preference


class Contact(db.Model):
    """One person who can be reached: of exactly one gram panchayat or one user."""

    __tablename__ = "contacts"
    __table_args__ = (
        CheckConstraint("(gram_panchayat_id IS NULL) <> (user_id IS NULL)", name="gp_or_user"),
        CheckConstraint("CASE WHEN user_id IS NULL THEN role <> 'officer' ELSE role = 'officer' END",
                        name="role_fits_owner"),
        CheckConstraint("role IN ('secretary', 'sarpanch', 'other', 'officer')", name="role"),
        CheckConstraint("opt_out_source IS NULL OR opt_out_source IN ('sms', 'staff', 'whatsapp')",
                        name="opt_out_source"),
        CheckConstraint("language IN ('hi', 'en')", name="language"),
        CheckConstraint("mobile IS NULL OR length(mobile) = 10", name="mobile_digits"),
        CheckConstraint("mobile IS NOT NULL OR email IS NOT NULL", name="reachable"),
        CheckConstraint("(opted_out_at IS NULL) = (opt_out_source IS NULL)", name="opt_out_with_source"),
        # One secretary and one sarpanch per GP: a re-import replaces them.
        Index("uq_contacts_gp_single_role", "gram_panchayat_id", "role", unique=True,
              sqlite_where=text("role IN ('secretary', 'sarpanch')"),
              postgresql_where=text("role IN ('secretary', 'sarpanch')")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    gram_panchayat_id: Mapped[int | None] = mapped_column(ForeignKey("gram_panchayats.id", ondelete="CASCADE"),
                                                          index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), unique=True)
    role: Mapped[ContactRole] = mapped_column(enum_column(ContactRole))
    name: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    mobile: Mapped[str | None] = mapped_column(String(10), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    language: Mapped[str] = mapped_column(String(2), default="hi", server_default="hi")
    accepts_sms: Mapped[bool] = mapped_column(default=True)
    accepts_whatsapp: Mapped[bool] = mapped_column(default=False)
    accepts_email: Mapped[bool] = mapped_column(default=False)
    opted_out_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    opt_out_source: Mapped[OptOutSource | None] = mapped_column(enum_column(OptOutSource, length=10))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    gram_panchayat: Mapped[GramPanchayat | None] = relationship()

    def __repr__(self) -> str:
        return f"<Contact {self.id} {self.role}>"

    @property
    def opted_out(self) -> bool:
        """Say whether the person asked not to be contacted."""
        return self.opted_out_at is not None

    @property
    def channels(self) -> tuple[str, ...]:
        """Return the channels the contact accepts and has an address for, in order of preference."""
        chosen = []
        if self.accepts_whatsapp and self.mobile:
            chosen.append("whatsapp")
        if self.accepts_sms and self.mobile:
            chosen.append("sms")
        if self.accepts_email and self.email:
            chosen.append("email")
        return tuple(chosen)
