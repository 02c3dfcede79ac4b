"""The kinds of question, and the columns every questionnaire's questions and answers share.

Each feature keeps its own tables (the parent a question belongs to, the record an answer belongs to); these
mixins give them the same columns and the same CHECKs, so the rules in `trainer.questionnaires.rules` and the
templates' macros work on either.
"""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, Boolean, CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from trainer.core.database import UtcDateTime, enum_column, utc_now
from trainer.core.i18n import Bilingual, pick

RATING_MIN, RATING_MAX = 1, 5


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


class QuestionColumns(Bilingual):
    """The columns of one question: its place, kind, wording, options, and whether it is required or hidden.

    Once answered its meaning is fixed: it can be hidden or moved, never reworded, so every answer keeps the
    question as it was asked. The table adds the parent's foreign key and UNIQUE (parent, position)."""

    position: Mapped[int] = mapped_column(Integer)
    kind: Mapped[QuestionKind] = mapped_column(enum_column(QuestionKind))
    text_hi: Mapped[str] = mapped_column(String(500))
    text_en: Mapped[str] = mapped_column(String(500), default="")
    # [{"key": "a", "hi": "…", "en": "…"}, …] for single and multiple choice; keys never change.
    options: Mapped[list[dict]] = mapped_column(JSON, default=list)
    required: Mapped[bool] = mapped_column(Boolean, default=False)
    hidden: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.position} {self.kind} {self.text_hi[:30]}>"

    @property
    def question(self) -> str:
        return self.text("text")

    def option_text(self, key: str) -> str:
        """Return a chosen option's words in the page's language (the key itself if it is no longer offered)."""
        option = next((o for o in self.options if o.get("key") == key), None)
        return pick(option.get("hi", ""), option.get("en", "")) if option else key


class AnswerColumns:
    """The value of one answer: a rating, one chosen option (a multiple choice gives one row per option), or a
    text — exactly one of them (`answer_checks`). One row per value keeps every summary a GROUP BY."""

    rating: Mapped[int | None] = mapped_column(Integer)
    option_key: Mapped[str | None] = mapped_column(String(20))
    text: Mapped[str | None] = mapped_column(Text)


def answer_checks() -> tuple[CheckConstraint, ...]:
    """Return the CHECKs of an answer table (new objects for each table): a rating in range, one value only."""
    return (
        CheckConstraint(f"rating IS NULL OR rating BETWEEN {RATING_MIN} AND {RATING_MAX}", name="rating_1_to_5"),
        CheckConstraint("CASE WHEN rating IS NULL THEN 0 ELSE 1 END + CASE WHEN option_key IS NULL THEN 0 ELSE 1 END"
                        " + CASE WHEN text IS NULL THEN 0 ELSE 1 END = 1", name="one_value"),
    )
