"""Questions the gram panchayats put to a session's experts, their supports, their history and the moderators."""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy import text as sql_text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.accounts.models import User
from trainer.core.database import UtcDateTime, enum_column, utc_now
from trainer.extensions import db
from trainer.programmes.models import Module, TrainingSession
from trainer.regions.models import GramPanchayat

TEXT_LENGTH = 500  # "a few hundred characters"
ANSWER_LENGTH = 2000
NOTE_LENGTH = 300


class QuestionState(enum.StrEnum):
    """Where a question stands: waiting for moderation → visible → being answered live → answered, or set aside."""

    PENDING = "pending"
    VISIBLE = "visible"
    ANSWERING = "answering"
    ANSWERED = "answered"
    SET_ASIDE = "set_aside"

    @property
    def label(self):
        return {QuestionState.PENDING: _l("Waiting for moderation"), QuestionState.VISIBLE: _l("Visible"),
                QuestionState.ANSWERING: _l("Being answered now"), QuestionState.ANSWERED: _l("Answered"),
                QuestionState.SET_ASIDE: _l("Set aside")}[self]


# What other gram panchayats of the session see and may support.
SHOWN_STATES = (QuestionState.VISIBLE, QuestionState.ANSWERING, QuestionState.ANSWERED)


class SetAsideReason(enum.StrEnum):
    """Why a moderator set a question aside."""

    DUPLICATE = "duplicate"
    OFF_TOPIC = "off_topic"
    ABUSIVE = "abusive"

    @property
    def label(self):
        return {SetAsideReason.DUPLICATE: _l("Duplicate of another question"),
                SetAsideReason.OFF_TOPIC: _l("Off topic"), SetAsideReason.ABUSIVE: _l("Abusive")}[self]


class AskerKind(enum.StrEnum):
    """Who of the gram panchayat is asking."""

    SARPANCH = "sarpanch"
    SECRETARY = "secretary"
    SHG_MEMBER = "shg_member"
    OTHER = "other"

    @property
    def label(self):
        return {AskerKind.SARPANCH: _l("Sarpanch"), AskerKind.SECRETARY: _l("Secretary"),
                AskerKind.SHG_MEMBER: _l("SHG member"), AskerKind.OTHER: _l("Someone else")}[self]


class LiveQuestion(db.Model):
    """One question (or suggestion) of a gram panchayat present at a session. Nothing is ever deleted."""

    __tablename__ = "questions"
    __table_args__ = (
        Index("ix_questions_session_state", "session_id", "state"),
        Index("ix_questions_session_gp", "session_id", "gram_panchayat_id"),
        # One question at a time is being answered live at a session: the one on the stream's overlay.
        Index("uq_questions_one_answering", "session_id", unique=True,
              sqlite_where=sql_text("state = 'answering'"), postgresql_where=sql_text("state = 'answering'")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"))
    gram_panchayat_id: Mapped[int] = mapped_column(ForeignKey("gram_panchayats.id"))
    module_id: Mapped[int | None] = mapped_column(ForeignKey("modules.id", ondelete="SET NULL"))
    asker: Mapped[AskerKind | None] = mapped_column(enum_column(AskerKind))
    text: Mapped[str] = mapped_column(String(TEXT_LENGTH))
    state: Mapped[QuestionState] = mapped_column(enum_column(QuestionState), default=QuestionState.PENDING)
    set_aside_reason: Mapped[SetAsideReason | None] = mapped_column(enum_column(SetAsideReason))
    # Checked at commit: an older question may be merged into a newer one, and an archive (trainer.tools.archive)
    # inserts them in the order of their ids.
    merged_into_id: Mapped[int | None] = mapped_column(ForeignKey("questions.id", ondelete="SET NULL",
                                                                  deferrable=True, initially="DEFERRED"))
    answer: Mapped[str] = mapped_column(Text, default="")
    answered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    answered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    session: Mapped[TrainingSession] = relationship()
    gram_panchayat: Mapped[GramPanchayat] = relationship()
    module: Mapped[Module | None] = relationship()
    merged_into: Mapped["LiveQuestion | None"] = relationship(remote_side=[id])
    answered_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<LiveQuestion {self.id} session={self.session_id} {self.state}>"


class QuestionSupport(db.Model):
    """A gram panchayat saying "my question too": once per question, which the database enforces."""

    __tablename__ = "question_supports"
    __table_args__ = (UniqueConstraint("question_id", "gram_panchayat_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"))
    gram_panchayat_id: Mapped[int] = mapped_column(ForeignKey("gram_panchayats.id"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class QuestionEvent(db.Model):
    """Every change of a question: who (a user, or the asking GP), when, from which state to which, and why."""

    __tablename__ = "question_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("questions.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    gram_panchayat_id: Mapped[int | None] = mapped_column(ForeignKey("gram_panchayats.id"))
    from_state: Mapped[QuestionState | None] = mapped_column(enum_column(QuestionState))
    to_state: Mapped[QuestionState] = mapped_column(enum_column(QuestionState))
    note: Mapped[str] = mapped_column(String(NOTE_LENGTH), default="")
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    user: Mapped[User | None] = relationship()


class QuestionModerator(db.Model):
    """A user the session's trainer added to moderate its questions."""

    __tablename__ = "question_moderators"
    __table_args__ = (UniqueConstraint("session_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"))
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    user: Mapped[User] = relationship(foreign_keys=[user_id])

