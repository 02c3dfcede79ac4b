"""Attendance of gram panchayats at sessions, its history, and the GPs' access codes."""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.accounts.models import User
from trainer.attendance.rules import PARTICIPANTS, ROLE_COUNT
from trainer.core.database import UtcDateTime, enum_column, utc_now
from trainer.extensions import db
from trainer.programmes.models import ParticipantRole, TrainingSession
from trainer.regions.models import GramPanchayat


class WatchMode(enum.StrEnum):
    """How a gram panchayat's people followed the session."""

    YOUTUBE = "youtube"
    WEBCAST = "webcast"
    VIDEO_CONFERENCE = "video_conference"
    BLOCK_OFFICE = "block_office"

    @property
    def label(self):
        return {WatchMode.YOUTUBE: _l("YouTube"), WatchMode.WEBCAST: _l("NIC webcast"),
                WatchMode.VIDEO_CONFERENCE: _l("Video conference"),
                WatchMode.BLOCK_OFFICE: _l("Together at the block office")}[self]

    @classmethod
    def label_of(cls, value: str | None) -> str:
        """Name a way of watching given by its stored value (None: not stated), in the page's language."""
        return str(cls(value).label) if value else str(_l("Not stated"))


class MarkSource(enum.StrEnum):
    """Where a mark came from."""

    POSTER = "poster"  # the printed QR or its typed code
    LIVE = "live"  # the rotating QR on the stream
    CHECKLIST = "checklist"  # a block officer's checklist
    UPLOAD = "upload"  # an officer's CSV file
    COMMAND = "command"  # `flask attendance import`
    SMS = "sms"  # an SMS from the secretary's phone to the department's number


ROLE_COLUMNS = {role: f"count_{role.value}" for role in ParticipantRole}


class AttendanceCounts:
    """The head-count columns that an attendance and each of its revisions carry."""

    participants: Mapped[int] = mapped_column(Integer)
    count_sarpanch: Mapped[int | None] = mapped_column(Integer)
    count_secretary: Mapped[int | None] = mapped_column(Integer)
    count_ward_member: Mapped[int | None] = mapped_column(Integer)
    count_shg_member: Mapped[int | None] = mapped_column(Integer)
    count_other: Mapped[int | None] = mapped_column(Integer)
    mode: Mapped[WatchMode | None] = mapped_column(enum_column(WatchMode))
    source: Mapped[MarkSource] = mapped_column(enum_column(MarkSource))
    marked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # When a mark saved on a phone without network was made there (None: sent as it was made); `marked_at`
    # is when the server received it.
    made_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    def role_counts(self) -> dict[ParticipantRole, int | None]:
        return {role: getattr(self, column) for role, column in ROLE_COLUMNS.items()}


COUNT_CHECKS = (
    f"participants BETWEEN {PARTICIPANTS.minimum} AND {PARTICIPANTS.maximum}"
    + "".join(f" AND ({column} IS NULL OR {column} BETWEEN {ROLE_COUNT.minimum} AND {ROLE_COUNT.maximum})"
              for column in ROLE_COLUMNS.values())
)


class Attendance(AttendanceCounts, db.Model):
    """One gram panchayat present at one session: one row, whoever marks it and however often."""

    __tablename__ = "attendances"
    __table_args__ = (
        UniqueConstraint("session_id", "gram_panchayat_id"),
        CheckConstraint(COUNT_CHECKS, name="counts_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"))
    gram_panchayat_id: Mapped[int] = mapped_column(ForeignKey("gram_panchayats.id"), index=True)
    revision: Mapped[int] = mapped_column(Integer, default=1)
    first_marked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    marked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    session: Mapped[TrainingSession] = relationship()
    gram_panchayat: Mapped[GramPanchayat] = relationship()
    marked_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<Attendance session={self.session_id} gp={self.gram_panchayat_id} {self.participants}>"


class AttendanceRevision(AttendanceCounts, db.Model):
    """Every mark as it was made: who, when, from where and with what counts."""

    __tablename__ = "attendance_revisions"
    __table_args__ = (UniqueConstraint("attendance_id", "revision"), UniqueConstraint("mark_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    attendance_id: Mapped[int] = mapped_column(ForeignKey("attendances.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    marked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    # The one-time key a phone gives each mark it sends: a mark sent twice (queued, then resent) is kept once.
    mark_key: Mapped[str | None] = mapped_column(String(36))

    marked_by: Mapped[User | None] = relationship()


class AccessCode(db.Model):
    """The secret a gram panchayat's secretary types once per phone; stored hashed."""

    __tablename__ = "gp_access_codes"

    gram_panchayat_id: Mapped[int] = mapped_column(ForeignKey("gram_panchayats.id", ondelete="CASCADE"),
                                                   primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(128))
    # Raised on every reissue: phones remembered under an older code must identify again.
    version: Mapped[int] = mapped_column(Integer, default=1)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    gram_panchayat: Mapped[GramPanchayat] = relationship()


class AccessCodeIssue(db.Model):
    """Every access code given out: to which gram panchayat, when, by whom, alone or with its whole block."""

    __tablename__ = "access_code_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    gram_panchayat_id: Mapped[int] = mapped_column(ForeignKey("gram_panchayats.id", ondelete="CASCADE"), index=True)
    version: Mapped[int] = mapped_column(Integer)
    whole_block: Mapped[bool] = mapped_column(Boolean, default=False)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    gram_panchayat: Mapped[GramPanchayat] = relationship()
    issued_by: Mapped[User | None] = relationship()
