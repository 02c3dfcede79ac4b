"""An office of government at one LGD place (the state, a division, a district or a block), and its officers: user
accounts who act for it, each with a designation. Meetings' chairs, member offices, invitees and the owners of
directives are offices."""
from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.accounts.models import User
from trainer.core.database import UtcDateTime, utc_now
from trainer.core.i18n import Bilingual
from trainer.extensions import db
from trainer.regions.models import Block, District, Division

NAME_LENGTH_MAX = 200
SHORT_NAME_LENGTH_MAX = 40
PHONE_LENGTH_MAX = 20
EMAIL_LENGTH_MAX = 120
DESIGNATION_LENGTH_MAX = 120

ONE_AREA = ("(CASE WHEN division_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN district_id IS NULL THEN 0 ELSE 1 END) "
            "+ (CASE WHEN block_id IS NULL THEN 0 ELSE 1 END) <= 1")


class Office(Bilingual, db.Model):
    """An office (a DC office, a district mission unit, a block office…) at the state (no place) or at one division,
    district or block."""

    __tablename__ = "offices"
    __table_args__ = (
        CheckConstraint("name_hi <> '' OR name_en <> ''", name="named"),
        CheckConstraint(ONE_AREA, name="one_area"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name_hi: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    name_en: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    # What minutes and the board print in a narrow column: "DC Godda", "JSLPS DPMU".
    short_name: Mapped[str] = mapped_column(String(SHORT_NAME_LENGTH_MAX), default="")
    division_id: Mapped[int | None] = mapped_column(ForeignKey("divisions.id", ondelete="RESTRICT"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="RESTRICT"), index=True)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id", ondelete="RESTRICT"), index=True)
    phone: Mapped[str] = mapped_column(String(PHONE_LENGTH_MAX), default="")
    email: Mapped[str] = mapped_column(String(EMAIL_LENGTH_MAX), default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    division: Mapped[Division | None] = relationship()
    district: Mapped[District | None] = relationship()
    block: Mapped[Block | None] = relationship()
    officers: Mapped[list["OfficeOfficer"]] = relationship(cascade="all, delete-orphan", back_populates="office",
                                                          order_by="OfficeOfficer.id")

    def __repr__(self) -> str:
        return f"<Office {self.id} {self.short_name or self.name_en or self.name_hi}>"

    @property
    def place(self):
        """Return the division, district or block of the office, or None for a state office."""
        return self.block or self.district or self.division

    @property
    def label(self) -> str:
        """Return the short name if there is one, else the name in the page's language."""
        return self.short_name or self.text("name")


class OfficeOfficer(db.Model):
    """A user account that acts for an office, with the officer's designation there (one row per user and
    office)."""

    __tablename__ = "office_officers"
    __table_args__ = (UniqueConstraint("office_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    designation: Mapped[str] = mapped_column(String(DESIGNATION_LENGTH_MAX), default="")
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    office: Mapped[Office] = relationship(back_populates="officers")
    user: Mapped[User] = relationship()
