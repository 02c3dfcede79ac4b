"""Feedback forms of programmes, and the answers of the people who attended."""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, CheckConstraint, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core.database import UtcDateTime, enum_column, utc_now
from trainer.core.i18n import Bilingual
from trainer.extensions import db
from trainer.programmes.models import ParticipantRole, Programme, TrainingSession
from trainer.regions.models import GramPanchayat


class QuestionKind(enum.StrEnum):
    """What kind of answer a question takes."""

    RATING = "rating"  # 1 to 5
    SINGLE = "single"
    MULTIPLE = "multiple"
    SHORT_TEXT = "short_text"
    LONG_TEXT = "long_text"

    @property
    def label(self):
        return {QuestionKind.RATING: _l("Rating from 1 to 5"), QuestionKind.SINGLE: _l("One choice"),
                QuestionKind.MULTIPLE: _l("Several choices"), QuestionKind.SHORT_TEXT: _l("Short text"),
                QuestionKind.LONG_TEXT: _l("Long text")}[self]

    @property
    def has_options(self) -> bool:
        return self in (QuestionKind.SINGLE, QuestionKind.MULTIPLE)


class Question(Bilingual, db.Model):
    """One question of a programme's feedback form. Once answered its meaning is fixed: it can be hidden
    or moved, never reworded, so every answer keeps the question as it was asked."""

    __tablename__ = "feedback_questions"
    __table_args__ = (UniqueConstraint("programme_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind))
    text_hi: Mapped[str] = mapped_column(String(500))
    text_en: Mapped[str] = mapped_column(String(500), default="")
    # [{"key": "a", "hi": "…", "en": "…"}, …] for single and multiple choice; keys never change.
    options: Mapped[list[dict]] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    programme: Mapped[Programme] = relationship()

    def __repr__(self) -> str:
        return f"<Question {self.position} {self.kind} {self.text_hi[:30]}>"

    @property
    def question(self) -> str:
        return self.text("text")


class Response(db.Model):
    """One person's answers about one session; several people of a GP may each answer."""

    __tablename__ = "feedback_responses"
    __table_args__ = (UniqueConstraint("session_id", "nonce"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"), index=True)
    gram_panchayat_id: Mapped[int | None] = mapped_column(ForeignKey("gram_panchayats.id"), index=True)
    role: Mapped[ParticipantRole | None] = mapped_column(enum_column(ParticipantRole))
    name: Mapped[str] = mapped_column(String(120), default="")  # empty when anonymous
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # The GP had no attendance for the session when this was sent: shown apart in the reports.
    without_attendance: Mapped[bool] = mapped_column(Boolean, default=False)
    # One per form opened: a double click or a resent form never makes a second response.
    nonce: Mapped[str] = mapped_column(String(43))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    session: Mapped[TrainingSession] = relationship()
    gram_panchayat: Mapped[GramPanchayat | None] = relationship()
    answers: Mapped[list["Answer"]] = relationship(back_populates="response", cascade="all, delete-orphan")


class Answer(db.Model):
    """One value given to one question: a rating, one chosen option (a multiple choice gives one row per
    option), or a text. One row per value keeps every summary a GROUP BY."""

    __tablename__ = "feedback_answers"
    __table_args__ = (
        CheckConstraint("rating IS NULL OR rating BETWEEN 1 AND 5", name="rating_1_to_5"),
        CheckConstraint("CASE WHEN rating IS NULL THEN 0 ELSE 1 END + CASE WHEN option_key IS NULL THEN 0 ELSE 1 END"
                        " + CASE WHEN text IS NULL THEN 0 ELSE 1 END = 1", name="one_value"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("feedback_responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("feedback_questions.id", ondelete="CASCADE"), index=True)
    rating: Mapped[int | None] = mapped_column(Integer)
    option_key: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
