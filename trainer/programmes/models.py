"""Programmes, their modules, and the sessions that teach them to divisions."""
import enum
import uuid
from datetime import date, datetime, time, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, CheckConstraint, Column, Date, ForeignKey, Integer, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core import clock
from trainer.core.database import UtcDateTime, enum_column, utc_now
from trainer.core.i18n import Bilingual
from trainer.extensions import db
from trainer.programmes.links import youtube_video_id
from trainer.regions.models import Division


def _new_uid() -> str:
    return uuid.uuid4().hex


class ParticipantRole(enum.StrEnum):
    """Who comes to a training from a gram panchayat."""

    SARPANCH = "sarpanch"
    SECRETARY = "secretary"
    WARD_MEMBER = "ward_member"
    SHG_MEMBER = "shg_member"
    OTHER = "other"

    @property
    def label(self):
        return PARTICIPANT_ROLE_LABELS[self]

    @classmethod
    def label_of(cls, value: str) -> str:
        """Name a role given by its stored value, in the page's language."""
        return str(cls(value).label)


PARTICIPANT_ROLE_LABELS = {
    ParticipantRole.SARPANCH: _l("Sarpanch"),
    ParticipantRole.SECRETARY: _l("Panchayat secretary"),
    ParticipantRole.WARD_MEMBER: _l("Ward members"),
    ParticipantRole.SHG_MEMBER: _l("Self-help group members"),
    ParticipantRole.OTHER: _l("Others"),
}


class Privacy(enum.StrEnum):
    """Who may watch a programme's YouTube broadcasts."""

    PUBLIC = "public"
    UNLISTED = "unlisted"
    PRIVATE = "private"

    @property
    def label(self):
        return {Privacy.PUBLIC: _l("Public"), Privacy.UNLISTED: _l("Unlisted (only with the link)"),
                Privacy.PRIVATE: _l("Private")}[self]


class CalendarOrder(enum.StrEnum):
    """Mirror of planning.Order, stored on the programme."""

    DIVISION_WISE = "division_wise"
    INTERLEAVED = "interleaved"

    @property
    def label(self):
        return {CalendarOrder.DIVISION_WISE: _l("Division after division"),
                CalendarOrder.INTERLEAVED: _l("Divisions in turn, module by module")}[self]


class SessionStatus(enum.StrEnum):
    """Where a session stands; drafts are seen by planners only."""

    DRAFT = "draft"
    PUBLISHED = "published"
    LIVE = "live"
    COMPLETED = "completed"
    CANCELLED = "cancelled"

    @property
    def label(self):
        return {SessionStatus.DRAFT: _l("Draft"), SessionStatus.PUBLISHED: _l("Scheduled"),
                SessionStatus.LIVE: _l("Live now"), SessionStatus.COMPLETED: _l("Completed"),
                SessionStatus.CANCELLED: _l("Cancelled")}[self]


class Reach(enum.StrEnum):
    """Who a programme reaches, and so who marks its attendance and is counted in its report. (Its `audience`
    is another thing: the roles of a gram panchayat's people it is for.)"""

    GRAM_PANCHAYATS = "gram_panchayats"
    PARTNERS = "partners"
    BOTH = "both"

    @property
    def label(self):
        return {Reach.GRAM_PANCHAYATS: _l("Gram panchayats"), Reach.PARTNERS: _l("Partner organisations"),
                Reach.BOTH: _l("Gram panchayats and partner organisations")}[self]

    @property
    def gram_panchayats(self) -> bool:
        """Say whether gram panchayats mark and are counted."""
        return self is not Reach.PARTNERS

    @property
    def partners(self) -> bool:
        """Say whether the programme's partner organisations mark and are counted."""
        return self is not Reach.GRAM_PANCHAYATS


# Which sessions the public sees (cancelled ones stay, marked as such), and which take their place in a
# calendar for clash checks (drafts included: planners check before they publish). Which sessions take
# attendance is an attendance rule: trainer.attendance.rules.MARKABLE_STATUSES.
PUBLIC_STATUSES = (SessionStatus.PUBLISHED, SessionStatus.LIVE, SessionStatus.COMPLETED, SessionStatus.CANCELLED)
SCHEDULED_STATUSES = (SessionStatus.DRAFT, SessionStatus.PUBLISHED, SessionStatus.LIVE, SessionStatus.COMPLETED)
# The sessions that say when a programme runs, wherever its dates are shown: published, neither draft nor cancelled.
RUNNING_STATUSES = (SessionStatus.PUBLISHED, SessionStatus.LIVE, SessionStatus.COMPLETED)


programme_divisions = Table(
    "programme_divisions", db.metadata,
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True),
    Column("division_id", ForeignKey("divisions.id"), primary_key=True),
)
session_divisions = Table(
    "session_divisions", db.metadata,
    Column("session_id", ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("division_id", ForeignKey("divisions.id"), primary_key=True, index=True),
)
session_modules = Table(
    "session_modules", db.metadata,
    Column("session_id", ForeignKey("training_sessions.id", ondelete="CASCADE"), primary_key=True),
    Column("module_id", ForeignKey("modules.id"), primary_key=True, index=True),
)


class Programme(Bilingual, db.Model):
    """A training programme: what is taught, to whom, and the rules its calendar follows."""

    __tablename__ = "programmes"
    __table_args__ = (
        CheckConstraint("completion_sessions >= 1", name="completion_at_least_one"),
        CheckConstraint("parallel >= 1", name="parallel_at_least_one"),
        CheckConstraint("last_day >= first_day", name="range_in_order"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=_new_uid)
    title_hi: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    description_hi: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    partners: Mapped[str] = mapped_column(Text, default="")  # one organisation per line
    audience: Mapped[list[str]] = mapped_column(JSON, default=list)  # ParticipantRole values
    reaches: Mapped[Reach] = mapped_column(enum_column(Reach), default=Reach.GRAM_PANCHAYATS,
                                           server_default=Reach.GRAM_PANCHAYATS.value)
    completion_sessions: Mapped[int] = mapped_column(Integer, default=1)
    youtube_privacy: Mapped[Privacy] = mapped_column(enum_column(Privacy), default=Privacy.UNLISTED)
    # The calendar's frame: the planner proposes inside it and every session must respect it.
    first_day: Mapped[date] = mapped_column(Date)
    last_day: Mapped[date] = mapped_column(Date)
    holidays: Mapped[list[str]] = mapped_column(JSON, default=list)  # ISO dates
    slots: Mapped[list[str]] = mapped_column(JSON, default=list)  # local "HH:MM" start times
    calendar_order: Mapped[CalendarOrder] = mapped_column(enum_column(CalendarOrder), default=CalendarOrder.DIVISION_WISE)
    parallel: Mapped[int] = mapped_column(Integer, default=1)
    # Panchayats may mark attendance from this long before a session starts until this long after it ends.
    attendance_opens_minutes: Mapped[int] = mapped_column(Integer, default=15, server_default="15")
    attendance_closes_minutes: Mapped[int] = mapped_column(Integer, default=30, server_default="30")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    divisions: Mapped[list[Division]] = relationship(secondary=programme_divisions, order_by=Division.lgd_code)
    modules: Mapped[list["Module"]] = relationship(
        back_populates="programme", order_by="Module.position", cascade="all, delete-orphan")
    sessions: Mapped[list["TrainingSession"]] = relationship(
        back_populates="programme", order_by="TrainingSession.starts_at", cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Programme {self.id} {self.title_en or self.title_hi}>"

    @property
    def description(self) -> str:
        return self.text("description")

    @property
    def partner_list(self) -> list[str]:
        return [line.strip() for line in self.partners.splitlines() if line.strip()]

    @property
    def audience_roles(self) -> list[ParticipantRole]:
        return [ParticipantRole(value) for value in self.audience]

    @property
    def runs(self) -> tuple[date, date]:
        """Return the days the programme runs, the one rule for every page: from its first published session's
        day to its last one's (Asia/Kolkata); until it has published sessions, the planned dates."""
        days = [clock.local_day(s.starts_at) for s in self.sessions if s.status in RUNNING_STATUSES]
        return (min(days), max(days)) if days else (self.first_day, self.last_day)

    @property
    def holiday_dates(self) -> list[date]:
        return sorted(date.fromisoformat(day) for day in self.holidays)

    @property
    def slot_times(self) -> list[time]:
        return sorted(time.fromisoformat(slot) for slot in self.slots)


class Module(Bilingual, db.Model):
    """A technical session of a programme: taught in order, with its duration and experts."""

    __tablename__ = "modules"
    __table_args__ = (
        UniqueConstraint("programme_id", "position"),
        CheckConstraint("duration_minutes > 0", name="lasts_some_time"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title_hi: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    duration_minutes: Mapped[int] = mapped_column(Integer)
    experts: Mapped[str] = mapped_column(Text, default="")  # one name per line

    programme: Mapped[Programme] = relationship(back_populates="modules")
    # Master trainers of the partners' registry named as this module's experts (trainer.partners.masters); the
    # classes are named, not imported, as partners build on programmes.
    master_trainers: Mapped[list["MasterTrainer"]] = relationship(  # noqa: F821
        secondary="module_experts", order_by="MasterTrainer.name", back_populates="expert_of")

    def __repr__(self) -> str:
        return f"<Module {self.position} {self.title_en or self.title_hi}>"

    @property
    def duration(self) -> timedelta:
        return timedelta(minutes=self.duration_minutes)

    @property
    def expert_list(self) -> list[str]:
        """Return the module's experts: the names typed, then the master trainers named, each person once.

        Everything that reads a module's experts (the clash check, feeds, broadcasts) reads this list, so that a
        master trainer counts like any expert."""
        names: dict[str, str] = {}
        for name in [line.strip() for line in self.experts.splitlines()] + [m.name for m in self.master_trainers]:
            if name.strip():
                names.setdefault(" ".join(name.split()).casefold(), name.strip())
        return list(names.values())


class TrainingSession(db.Model):
    """One scheduled occurrence of one or more modules for one or more divisions, and where to watch it."""

    __tablename__ = "training_sessions"
    __table_args__ = (CheckConstraint("ends_at > starts_at", name="ends_after_start"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    # Stable across edits: calendars update the event with this UID instead of adding another.
    uid: Mapped[str] = mapped_column(String(32), unique=True, default=_new_uid)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    status: Mapped[SessionStatus] = mapped_column(enum_column(SessionStatus), default=SessionStatus.DRAFT)
    # Raised on every change people can see, as RFC 5545's SEQUENCE.
    sequence: Mapped[int] = mapped_column(Integer, default=0)
    youtube_url: Mapped[str] = mapped_column(String(300), default="")
    webcast_url: Mapped[str] = mapped_column(String(300), default="")
    meeting_url: Mapped[str] = mapped_column(String(300), default="")
    meeting_details: Mapped[str] = mapped_column(Text, default="")  # room, meeting id, passcode
    venue: Mapped[str] = mapped_column(Text, default="")
    # Typed instead of scanning, by phones that cannot read the poster's QR code.
    attendance_code: Mapped[str | None] = mapped_column(String(8), unique=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    programme: Mapped[Programme] = relationship(back_populates="sessions")
    divisions: Mapped[list[Division]] = relationship(secondary=session_divisions, order_by=Division.lgd_code)
    modules: Mapped[list[Module]] = relationship(secondary=session_modules, order_by=Module.position)

    def __repr__(self) -> str:
        return f"<TrainingSession {self.id} {self.starts_at:%Y-%m-%d %H:%M}Z {self.status}>"

    @property
    def title(self) -> str:
        return " · ".join(module.title for module in self.modules) or self.programme.title

    @property
    def experts(self) -> list[str]:
        seen: dict[str, str] = {}
        for module in self.modules:
            for name in module.expert_list:
                seen.setdefault(name.casefold(), name)
        return list(seen.values())

    def status_at(self, now: datetime) -> SessionStatus:
        """Return the status people should see at a moment: a published session runs live, then ends,
        even before the periodic `flask youtube sync` has recorded it."""
        if self.status in (SessionStatus.PUBLISHED, SessionStatus.LIVE) and self.starts_at <= now:
            return SessionStatus.COMPLETED if self.ends_at <= now else SessionStatus.LIVE
        return self.status

    @property
    def current_status(self) -> SessionStatus:
        return self.status_at(clock.now())

    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def youtube_video_id(self) -> str | None:
        return youtube_video_id(self.youtube_url)

    @property
    def has_channels(self) -> bool:
        return any((self.youtube_url, self.webcast_url, self.meeting_url, self.venue))
