"""Feedback forms of programmes, and the answers of the people who attended."""
from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core.database import UtcDateTime, enum_column, utc_now
from trainer.extensions import db
from trainer.programmes.models import ParticipantRole, Programme, TrainingSession
from trainer.questionnaires.models import AnswerColumns, QuestionColumns, answer_checks
from trainer.questionnaires.models import QuestionKind as QuestionKind  # where every feature has found it
from trainer.regions.models import GramPanchayat


class Question(QuestionColumns, db.Model):
    """One question of a programme's feedback form. Once answered its meaning is fixed: it can be hidden
    or moved, never reworded, so every answer keeps the question as it was asked."""

    __tablename__ = "feedback_questions"
    __table_args__ = (UniqueConstraint("programme_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)

    programme: Mapped[Programme] = relationship()


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


class Answer(AnswerColumns, db.Model):
    """One value given to one question: a rating, one chosen option (a multiple choice gives one row per
    option), or a text. One row per value keeps every summary a GROUP BY."""

    __tablename__ = "feedback_answers"
    __table_args__ = answer_checks()

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("feedback_responses.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("feedback_questions.id", ondelete="CASCADE"), index=True)

    response: Mapped[Response] = relationship(back_populates="answers")
    question: Mapped[Question] = relationship()
