"""Review meetings: a series (its chair's office, area, member offices, and what it reviews), its numbered
meetings (time, venue and online links, invitees, agenda, attendance), minutes per agenda item with every revision
kept, directives with their owners, due dates and every change of status, and the action-taken reports that answer
them.

Overdue is never stored: `Directive.overdue` is a hybrid, true when the due date has passed and the directive is
neither reported done, verified nor dropped — the same rule in Python and in SQL.
"""
import enum
import secrets
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Column,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Text,
    UniqueConstraint,
    and_,
    text,
)
from sqlalchemy.ext.hybrid import hybrid_property
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.accounts.models import User
from trainer.campaigns.models import Campaign, Indicator
from trainer.core import clock
from trainer.core.database import UtcDateTime, enum_column, utc_now
from trainer.core.i18n import Bilingual, pick
from trainer.extensions import db
from trainer.offices.models import (
    DESIGNATION_LENGTH_MAX,
    EMAIL_LENGTH_MAX,
    NAME_LENGTH_MAX,
    ONE_AREA,
    PHONE_LENGTH_MAX,
    Office,
)
from trainer.programmes.models import Programme
from trainer.regions.models import Block, District, Division

TITLE_LENGTH_MAX = 200
CODE_LENGTH_MAX = 12
LINK_LENGTH_MAX = 300
REFERENCE_LENGTH_MAX = 40
REASON_LENGTH_MAX = 500
FILE_NAME_LENGTH_MAX = 200
TOKEN_LENGTH = 32
VALUE_MAX = 2**31 - 1


def _quoted(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


def new_attendance_token() -> str:
    """Return a fresh, unguessable token for a meeting's attendance QR."""
    return secrets.token_urlsafe(24)[:TOKEN_LENGTH]


class MeetingStatus(enum.StrEnum):
    """How far a meeting has gone: planned, its notice sent, held, its minutes final."""

    DRAFT = "draft"
    NOTICE_SENT = "notice_sent"
    HELD = "held"
    MINUTES_FINAL = "minutes_final"

    @property
    def label(self):
        """Return the status's name for people, translated."""
        return MEETING_STATUS_LABELS[self]


MEETING_STATUS_LABELS = {MeetingStatus.DRAFT: _l("Draft"), MeetingStatus.NOTICE_SENT: _l("Notice sent"),
                         MeetingStatus.HELD: _l("Held"), MeetingStatus.MINUTES_FINAL: _l("Minutes final")}


class AgendaKind(enum.StrEnum):
    """An ordinary agenda item, or the automatic follow-up of earlier meetings' directives."""

    NORMAL = "normal"
    FOLLOW_UP = "follow_up"


class AttendanceHow(enum.StrEnum):
    """How a presence was recorded: scanned from the meeting's QR, or ticked by its secretary."""

    QR = "qr"
    TICKED = "ticked"

    @property
    def label(self):
        """Return the way's name for people, translated."""
        return {AttendanceHow.QR: _l("By QR code"), AttendanceHow.TICKED: _l("Ticked by the secretary")}[self]


class Priority(enum.StrEnum):
    """How urgent a directive is."""

    HIGH = "high"
    NORMAL = "normal"
    LOW = "low"

    @property
    def label(self):
        """Return the priority's name for people, translated."""
        return PRIORITY_LABELS[self]


PRIORITY_LABELS = {Priority.HIGH: _l("High"), Priority.NORMAL: _l("Normal"), Priority.LOW: _l("Low")}


class DirectiveStatus(enum.StrEnum):
    """Where a directive stands; the allowed moves between them are `trainer.meetings.directives.MOVES`."""

    OPEN = "open"
    IN_PROGRESS = "in_progress"
    REPORTED_DONE = "reported_done"
    VERIFIED = "verified"
    REOPENED = "reopened"
    DROPPED = "dropped"

    @property
    def label(self):
        """Return the status's name for people, translated."""
        return DIRECTIVE_STATUS_LABELS[self]


DIRECTIVE_STATUS_LABELS = {
    DirectiveStatus.OPEN: _l("Open (pending)"), DirectiveStatus.IN_PROGRESS: _l("In progress"),
    DirectiveStatus.REPORTED_DONE: _l("Reported done"), DirectiveStatus.VERIFIED: _l("Verified"),
    DirectiveStatus.REOPENED: _l("Reopened"), DirectiveStatus.DROPPED: _l("Dropped"),
}
# A directive in one of these is no longer chased: it is never overdue.
SETTLED = (DirectiveStatus.REPORTED_DONE, DirectiveStatus.VERIFIED, DirectiveStatus.DROPPED)
# Still to be done by its owner: what the follow-up item carries to the next meeting.
PENDING = (DirectiveStatus.OPEN, DirectiveStatus.IN_PROGRESS, DirectiveStatus.REOPENED)


meeting_series_offices = Table(
    "meeting_series_offices", db.metadata,
    Column("series_id", ForeignKey("meeting_series.id", ondelete="CASCADE"), primary_key=True),
    Column("office_id", ForeignKey("offices.id", ondelete="RESTRICT"), primary_key=True, index=True),
)


class AreaColumns:
    """An LGD area: none of division, district, block set is the whole state."""

    division_id: Mapped[int | None] = mapped_column(ForeignKey("divisions.id", ondelete="RESTRICT"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="RESTRICT"), index=True)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id", ondelete="RESTRICT"), index=True)

    @property
    def place(self):
        """Return the division, district or block, or None for the whole state."""
        return self.block or self.district or self.division


class MeetingSeries(AreaColumns, Bilingual, db.Model):
    """A recurring review ("JSLPS monthly review, district Godda"): its chair's office, area, member offices, and
    optionally the programme or campaign it reviews. `code` starts its directives' reference numbers."""

    __tablename__ = "meeting_series"
    __table_args__ = (
        CheckConstraint("title_hi <> '' OR title_en <> ''", name="titled"),
        CheckConstraint(ONE_AREA, name="one_area"),
        CheckConstraint("code <> ''", name="coded"),
        UniqueConstraint("code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title_hi: Mapped[str] = mapped_column(String(TITLE_LENGTH_MAX), default="")
    title_en: Mapped[str] = mapped_column(String(TITLE_LENGTH_MAX), default="")
    code: Mapped[str] = mapped_column(String(CODE_LENGTH_MAX))
    chair_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="RESTRICT"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id", ondelete="SET NULL"), index=True)
    campaign_id: Mapped[int | None] = mapped_column(ForeignKey("campaigns.id", ondelete="SET NULL"), index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    division: Mapped[Division | None] = relationship()
    district: Mapped[District | None] = relationship()
    block: Mapped[Block | None] = relationship()
    chair_office: Mapped[Office] = relationship()
    member_offices: Mapped[list[Office]] = relationship(secondary=meeting_series_offices, order_by=Office.id)
    programme: Mapped[Programme | None] = relationship()
    campaign: Mapped[Campaign | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    meetings: Mapped[list["Meeting"]] = relationship(back_populates="series", order_by="Meeting.number",
                                                     cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<MeetingSeries {self.id} {self.code}>"


class Meeting(db.Model):
    """One meeting of a series, numbered in it: when, where (a hall and/or the session-like online links), its
    chair, invitees, agenda, attendance and minutes."""

    __tablename__ = "meetings"
    __table_args__ = (
        CheckConstraint("ends_at > starts_at", name="ends_after_start"),
        CheckConstraint("number >= 1", name="numbered"),
        CheckConstraint(f"status IN ({_quoted(MeetingStatus)})", name="status"),
        CheckConstraint("(minutes_finalised_at IS NULL) = (status <> 'minutes_final')", name="finalised_when_final"),
        UniqueConstraint("series_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    series_id: Mapped[int] = mapped_column(ForeignKey("meeting_series.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    starts_at: Mapped[datetime] = mapped_column(UtcDateTime, index=True)
    ends_at: Mapped[datetime] = mapped_column(UtcDateTime)
    venue: Mapped[str] = mapped_column(Text, default="")
    # The same channels as a training session's (trainer.programmes.models.TrainingSession).
    youtube_url: Mapped[str] = mapped_column(String(LINK_LENGTH_MAX), default="")
    webcast_url: Mapped[str] = mapped_column(String(LINK_LENGTH_MAX), default="")
    meeting_url: Mapped[str] = mapped_column(String(LINK_LENGTH_MAX), default="")
    meeting_details: Mapped[str] = mapped_column(Text, default="")
    public: Mapped[bool] = mapped_column(Boolean, default=False)
    chair_name: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    chair_designation: Mapped[str] = mapped_column(String(DESIGNATION_LENGTH_MAX), default="")
    # Keeps the minutes and ticks attendance (besides the chair's office's officers).
    secretary_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    status: Mapped[MeetingStatus] = mapped_column(enum_column(MeetingStatus), default=MeetingStatus.DRAFT)
    attendance_token: Mapped[str] = mapped_column(String(TOKEN_LENGTH), unique=True, default=new_attendance_token)
    notice_sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    minutes_finalised_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    minutes_finalised_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    series: Mapped[MeetingSeries] = relationship(back_populates="meetings")
    secretary: Mapped[User | None] = relationship(foreign_keys=[secretary_id])
    minutes_finalised_by: Mapped[User | None] = relationship(foreign_keys=[minutes_finalised_by_id])
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    invitees: Mapped[list["MeetingInvitee"]] = relationship(cascade="all, delete-orphan", back_populates="meeting",
                                                            order_by="MeetingInvitee.id")
    agenda_items: Mapped[list["AgendaItem"]] = relationship(cascade="all, delete-orphan", back_populates="meeting",
                                                            order_by="AgendaItem.position")
    attendances: Mapped[list["MeetingAttendance"]] = relationship(cascade="all, delete-orphan",
                                                                  back_populates="meeting",
                                                                  order_by="MeetingAttendance.id")
    directives: Mapped[list["Directive"]] = relationship(back_populates="meeting", order_by="Directive.number",
                                                         cascade="all, delete-orphan")

    def __repr__(self) -> str:
        return f"<Meeting {self.id} {self.series_id}#{self.number}>"

    @property
    def finalised(self) -> bool:
        """Say whether the minutes are final (changes are then corrections)."""
        return self.minutes_finalised_at is not None

    @property
    def has_channels(self) -> bool:
        """Say whether the meeting has a venue or any online link."""
        return any((self.youtube_url, self.webcast_url, self.meeting_url, self.venue))


class MeetingInvitee(db.Model):
    """Someone invited to a meeting: an office, a user account, or a named person (with designation, office,
    phone, e-mail given as text)."""

    __tablename__ = "meeting_invitees"
    __table_args__ = (
        CheckConstraint("(CASE WHEN office_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN user_id IS NULL THEN 0 ELSE 1 "
                        "END) + (CASE WHEN name <> '' THEN 1 ELSE 0 END) = 1", name="one_kind"),
        UniqueConstraint("meeting_id", "office_id"),
        UniqueConstraint("meeting_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    designation: Mapped[str] = mapped_column(String(DESIGNATION_LENGTH_MAX), default="")
    office_text: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    phone: Mapped[str] = mapped_column(String(PHONE_LENGTH_MAX), default="")
    email: Mapped[str] = mapped_column(String(EMAIL_LENGTH_MAX), default="")

    meeting: Mapped[Meeting] = relationship(back_populates="invitees")
    office: Mapped[Office | None] = relationship()
    user: Mapped[User | None] = relationship()


class AgendaItem(Bilingual, db.Model):
    """One item of a meeting's agenda, in order, with the office that presents it. At most one item of a meeting
    is the automatic follow-up of earlier directives."""

    __tablename__ = "agenda_items"
    __table_args__ = (
        CheckConstraint("title_hi <> '' OR title_en <> ''", name="titled"),
        CheckConstraint(f"kind IN ({_quoted(AgendaKind)})", name="kind"),
        UniqueConstraint("meeting_id", "position"),
        Index("uq_agenda_items_one_follow_up", "meeting_id", unique=True,
              sqlite_where=text("kind = 'follow_up'"), postgresql_where=text("kind = 'follow_up'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    title_hi: Mapped[str] = mapped_column(String(TITLE_LENGTH_MAX), default="")
    title_en: Mapped[str] = mapped_column(String(TITLE_LENGTH_MAX), default="")
    presenting_office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="SET NULL"),
                                                             index=True)
    kind: Mapped[AgendaKind] = mapped_column(enum_column(AgendaKind), default=AgendaKind.NORMAL)

    meeting: Mapped[Meeting] = relationship(back_populates="agenda_items")
    presenting_office: Mapped[Office | None] = relationship()
    revisions: Mapped[list["MinutesRevision"]] = relationship(cascade="all, delete-orphan",
                                                              back_populates="agenda_item",
                                                              order_by="MinutesRevision.number")

    @property
    def current_minutes(self) -> "MinutesRevision | None":
        """Return the latest revision of the item's minutes, or None when nothing is written yet."""
        return self.revisions[-1] if self.revisions else None


class MeetingAttendance(db.Model):
    """One person present at a meeting: a user account (at most once per meeting), or a named person with
    designation and office; scanned from the QR or ticked by the secretary."""

    __tablename__ = "meeting_attendances"
    __table_args__ = (
        CheckConstraint("user_id IS NOT NULL OR name <> ''", name="someone"),
        CheckConstraint(f"how IN ({_quoted(AttendanceHow)})", name="how"),
        UniqueConstraint("meeting_id", "user_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    # The office the person attended for (an officer's own, when recognised).
    office_id: Mapped[int | None] = mapped_column(ForeignKey("offices.id", ondelete="SET NULL"), index=True)
    name: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    designation: Mapped[str] = mapped_column(String(DESIGNATION_LENGTH_MAX), default="")
    office_text: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    how: Mapped[AttendanceHow] = mapped_column(enum_column(AttendanceHow))
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    marked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    meeting: Mapped[Meeting] = relationship(back_populates="attendances")
    user: Mapped[User | None] = relationship(foreign_keys=[user_id])
    office: Mapped[Office | None] = relationship()
    marked_by: Mapped[User | None] = relationship(foreign_keys=[marked_by_id])


class MinutesRevision(db.Model):
    """One version of the minutes of an agenda item: the discussion and the decisions. The highest number is the
    current text; after the meeting's minutes are final a new version is a correction, with its reason."""

    __tablename__ = "minutes_revisions"
    __table_args__ = (
        UniqueConstraint("agenda_item_id", "number"),
        CheckConstraint("NOT correction OR reason <> ''", name="correction_has_reason"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    agenda_item_id: Mapped[int] = mapped_column(ForeignKey("agenda_items.id", ondelete="CASCADE"))
    number: Mapped[int] = mapped_column(Integer)
    discussion_hi: Mapped[str] = mapped_column(Text, default="")
    discussion_en: Mapped[str] = mapped_column(Text, default="")
    decisions_hi: Mapped[str] = mapped_column(Text, default="")
    decisions_en: Mapped[str] = mapped_column(Text, default="")
    correction: Mapped[bool] = mapped_column(Boolean, default=False)
    reason: Mapped[str] = mapped_column(String(REASON_LENGTH_MAX), default="")
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    written_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    agenda_item: Mapped[AgendaItem] = relationship(back_populates="revisions")
    written_by: Mapped[User | None] = relationship()


class Directive(AreaColumns, db.Model):
    """A directive (निर्देश) given in a meeting: its reference number, text, owner office (and officer), area, due
    date, priority, an optional measurable target, and its status."""

    __tablename__ = "directives"
    __table_args__ = (
        CheckConstraint("text_hi <> '' OR text_en <> ''", name="worded"),
        CheckConstraint(ONE_AREA, name="one_area"),
        CheckConstraint(f"status IN ({_quoted(DirectiveStatus)})", name="status"),
        CheckConstraint(f"priority IN ({_quoted(Priority)})", name="priority"),
        CheckConstraint("(status = 'dropped') = (drop_reason <> '')", name="dropped_with_reason"),
        CheckConstraint(f"target_value IS NULL OR target_value BETWEEN 0 AND {VALUE_MAX}", name="target_value_range"),
        CheckConstraint("target_percent IS NULL OR target_percent BETWEEN 0 AND 100", name="target_percent_range"),
        UniqueConstraint("reference"),
        UniqueConstraint("meeting_id", "number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("meetings.id", ondelete="CASCADE"))
    agenda_item_id: Mapped[int | None] = mapped_column(ForeignKey("agenda_items.id", ondelete="SET NULL"),
                                                       index=True)
    number: Mapped[int] = mapped_column(Integer)
    reference: Mapped[str] = mapped_column(String(REFERENCE_LENGTH_MAX))
    text_hi: Mapped[str] = mapped_column(Text, default="")
    text_en: Mapped[str] = mapped_column(Text, default="")
    owner_office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="RESTRICT"), index=True)
    owner_user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"), index=True)
    due_on: Mapped[date] = mapped_column(Date, index=True)
    priority: Mapped[Priority] = mapped_column(enum_column(Priority), default=Priority.NORMAL)
    indicator_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id", ondelete="SET NULL"), index=True)
    target_value: Mapped[int | None] = mapped_column(Integer)
    target_percent: Mapped[int | None] = mapped_column(Integer)
    status: Mapped[DirectiveStatus] = mapped_column(enum_column(DirectiveStatus), default=DirectiveStatus.OPEN,
                                                    index=True)
    drop_reason: Mapped[str] = mapped_column(String(REASON_LENGTH_MAX), default="")
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    status_changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    meeting: Mapped[Meeting] = relationship(back_populates="directives")
    agenda_item: Mapped[AgendaItem | None] = relationship()
    division: Mapped[Division | None] = relationship()
    district: Mapped[District | None] = relationship()
    block: Mapped[Block | None] = relationship()
    owner_office: Mapped[Office] = relationship()
    owner_user: Mapped[User | None] = relationship(foreign_keys=[owner_user_id])
    indicator: Mapped[Indicator | None] = relationship()
    created_by: Mapped[User | None] = relationship(foreign_keys=[created_by_id])
    events: Mapped[list["DirectiveEvent"]] = relationship(cascade="all, delete-orphan", back_populates="directive",
                                                          order_by="DirectiveEvent.id")
    reports: Mapped[list["ActionTakenReport"]] = relationship(cascade="all, delete-orphan",
                                                              back_populates="directive",
                                                              order_by="ActionTakenReport.id")

    def __repr__(self) -> str:
        return f"<Directive {self.reference} {self.status}>"

    @property
    def text(self) -> str:
        """Return the directive's words in the page's language."""
        return pick(self.text_hi, self.text_en)

    @hybrid_property
    def overdue(self) -> bool:
        """Say whether the due date has passed (Asia/Kolkata today) and the directive is still to be done."""
        return self.due_on < clock.today() and self.status not in SETTLED

    @overdue.inplace.expression
    @classmethod
    def _overdue_expression(cls):
        return and_(cls.due_on < clock.today(), cls.status.not_in([status.value for status in SETTLED]))


class DirectiveEvent(db.Model):
    """One change of a directive: who, when, from which status to which, a note, and for an extension the old and
    new due dates. Its creation is the first event (no status before it)."""

    __tablename__ = "directive_events"
    __table_args__ = (
        CheckConstraint(f"to_status IN ({_quoted(DirectiveStatus)})", name="to_status"),
        CheckConstraint(f"from_status IS NULL OR from_status IN ({_quoted(DirectiveStatus)})", name="from_status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    from_status: Mapped[DirectiveStatus | None] = mapped_column(enum_column(DirectiveStatus))
    to_status: Mapped[DirectiveStatus] = mapped_column(enum_column(DirectiveStatus))
    note: Mapped[str] = mapped_column(Text, default="")
    old_due_on: Mapped[date | None] = mapped_column(Date)
    new_due_on: Mapped[date | None] = mapped_column(Date)
    # The meeting in which the change was made (a follow-up), if any.
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("meetings.id", ondelete="SET NULL"), index=True)

    directive: Mapped[Directive] = relationship(back_populates="events")
    by: Mapped[User | None] = relationship()


class ActionTakenReport(db.Model):
    """What an officer of the owner office reports done about a directive: text, a figure, and optionally one
    attached PDF or JPEG/PNG photo (checked by its content), kept in the database like every upload of Trainer."""

    __tablename__ = "action_taken_reports"
    __table_args__ = (
        CheckConstraint("text <> ''", name="worded"),
        CheckConstraint(f"figures IS NULL OR figures BETWEEN 0 AND {VALUE_MAX}", name="figures_range"),
        CheckConstraint("content IS NULL OR size = length(content)", name="size_of_content"),
        CheckConstraint("(content IS NULL) = (content_type IS NULL)", name="typed_content"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    directive_id: Mapped[int] = mapped_column(ForeignKey("directives.id", ondelete="CASCADE"), index=True)
    text: Mapped[str] = mapped_column(Text)
    figures: Mapped[int | None] = mapped_column(Integer)
    file_name: Mapped[str | None] = mapped_column(String(FILE_NAME_LENGTH_MAX))
    content_type: Mapped[str | None] = mapped_column(String(40))
    size: Mapped[int | None] = mapped_column(Integer)
    sha256: Mapped[str | None] = mapped_column(String(64))
    content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    office_id: Mapped[int] = mapped_column(ForeignKey("offices.id", ondelete="RESTRICT"), index=True)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    directive: Mapped[Directive] = relationship(back_populates="reports")
    office: Mapped[Office] = relationship()
    reported_by: Mapped[User | None] = relationship()
