"""Build a programme's feedback form and take people's answers. Never commits."""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext
from sqlalchemy import exists, select

from trainer.attendance.models import Attendance
from trainer.attendance.rules import WindowState, window_state
from trainer.core import clock, ordering
from trainer.extensions import db
from trainer.feedback.models import Answer, Question, QuestionKind, Response
from trainer.programmes.models import ParticipantRole, Programme, TrainingSession
from trainer.regions.models import GramPanchayat

MAX_OPTIONS = 12
MAX_TEXT = 2000


class FeedbackError(Exception):
    """A change or an answer that was refused, with every reason in words for people."""

    def __init__(self, messages: list[str]) -> None:
        super().__init__(*messages)
        self.messages = messages


# The form


def questions_of(programme: Programme, include_hidden: bool = False) -> list[Question]:
    query = select(Question).where(Question.programme_id == programme.id).order_by(Question.position)
    if not include_hidden:
        query = query.where(Question.hidden.is_(False))
    return list(db.session.scalars(query))


def has_feedback_form(programme: Programme) -> bool:
    """Say whether the programme's feedback form has a question people can answer (a shown one)."""
    return bool(db.session.scalar(select(exists().where(Question.programme_id == programme.id,
                                                        Question.hidden.is_(False)))))


def is_answered(question: Question) -> bool:
    return bool(db.session.scalar(select(exists().where(Answer.question_id == question.id))))


def _check_question(kind: QuestionKind, text_hi: str, options: list[dict]) -> None:
    problems = []
    if not text_hi.strip():
        problems.append(gettext("Write the question in Hindi."))
    if kind.has_options:
        if not 2 <= len(options) <= MAX_OPTIONS:
            problems.append(gettext("A choice question needs between 2 and %(max)s options.", max=MAX_OPTIONS))
        if any(not option.get("hi", "").strip() for option in options):
            problems.append(gettext("Every option needs its Hindi text."))
    if problems:
        raise FeedbackError(problems)


def add_question(programme: Programme, kind: QuestionKind, text_hi: str, text_en: str = "",
                 options: list[dict] | None = None, required: bool = False) -> Question:
    """Add a question at the end of the form; options are given keys that never change."""
    options = [{"key": f"o{number}", "hi": option.get("hi", "").strip(), "en": option.get("en", "").strip()}
               for number, option in enumerate(options or [], start=1)] if kind.has_options else []
    _check_question(kind, text_hi, options)
    last = max((q.position for q in questions_of(programme, include_hidden=True)), default=0)
    question = Question(programme_id=programme.id, position=last + 1, kind=kind, text_hi=text_hi.strip(),
                        text_en=text_en.strip(), options=options, required=required)
    db.session.add(question)
    db.session.flush()
    return question


def update_question(question: Question, text_hi: str, text_en: str, options: list[dict], required: bool) -> None:
    """Reword a question that nobody has answered yet; an answered one may only change `required`."""
    if is_answered(question):
        if (text_hi.strip(), text_en.strip()) != (question.text_hi, question.text_en) or (
                question.kind.has_options and _option_texts(options) != _option_texts(question.options)):
            raise FeedbackError([gettext("This question has answers: it cannot be reworded. Hide it and add "
                                         "a new question instead.")])
        question.required = required
        db.session.flush()
        return
    keyed = [{"key": f"o{number}", "hi": o.get("hi", "").strip(), "en": o.get("en", "").strip()}
             for number, o in enumerate(options, start=1)] if question.kind.has_options else []
    _check_question(question.kind, text_hi, keyed)
    question.text_hi, question.text_en, question.options, question.required = (
        text_hi.strip(), text_en.strip(), keyed, required)
    db.session.flush()


def _option_texts(options: list[dict]) -> list[tuple[str, str]]:
    return [(o.get("hi", "").strip(), o.get("en", "").strip()) for o in options]


def set_hidden(question: Question, hidden: bool) -> None:
    question.hidden = hidden
    db.session.flush()


def move_question(question: Question, step: int) -> None:
    """Move a question one place up (-1) or down (+1)."""
    ordering.move(questions_of(question.programme, include_hidden=True), question, step)


def copy_form(source: Programme, target: Programme) -> list[Question]:
    """Append the visible questions of another programme's form to this one's."""
    copied = [add_question(target, q.kind, q.text_hi, q.text_en, q.options, q.required)
              for q in questions_of(source)]
    if not copied:
        raise FeedbackError([gettext("That programme has no questions to copy.")])
    return copied


# Answers


@dataclass
class Submission:
    """What one person sends: who they are (optionally) and a value per question id."""

    answers: dict[int, object]
    role: ParticipantRole | None = None
    name: str = ""
    anonymous: bool = False


def has_attendance(session: TrainingSession, gram_panchayat: GramPanchayat | None) -> bool:
    if gram_panchayat is None:
        return False
    return bool(db.session.scalar(select(exists().where(Attendance.session_id == session.id,
                                                        Attendance.gram_panchayat_id == gram_panchayat.id))))


def submit(session: TrainingSession, gram_panchayat: GramPanchayat | None, submission: Submission, nonce: str,
           now: datetime | None = None) -> Response:
    """Record one person's answers, or raise FeedbackError naming every problem.

    Panchayats marked present may answer at any time; others only inside the attendance window, and their
    responses are flagged. A nonce already used returns the response it made.
    """
    now = now or clock.now()
    existing = db.session.scalar(select(Response).where(Response.session_id == session.id, Response.nonce == nonce))
    if existing is not None:
        return existing
    present = has_attendance(session, gram_panchayat)
    if not present and window_state(session, now) is not WindowState.OPEN:
        raise FeedbackError([gettext("Feedback for this session is taken from panchayats marked present, or "
                                     "while attendance is open.")])
    questions = questions_of(session.programme)
    problems, rows = [], []
    for question in questions:
        value = submission.answers.get(question.id)
        made, problem = _answer_rows(question, value)
        if problem:
            problems.append(f"{question.text_hi}: {problem}")
        rows.extend(made)
    if not rows and not problems:
        problems.append(gettext("Answer at least one question."))
    if problems:
        raise FeedbackError(problems)
    response = Response(session_id=session.id, gram_panchayat_id=gram_panchayat.id if gram_panchayat else None,
                        role=submission.role, anonymous=submission.anonymous,
                        name="" if submission.anonymous else submission.name.replace("\x00", "").strip()[:120],
                        without_attendance=not present, nonce=nonce, created_at=now, answers=rows)
    db.session.add(response)
    db.session.flush()
    return response


def _answer_rows(question: Question, value) -> tuple[list[Answer], str | None]:
    """Turn one submitted value into answer rows, or say what is wrong with it."""
    empty = value is None or value == "" or value == []
    if empty:
        return [], gettext("an answer is required.") if question.required else None
    if question.kind is QuestionKind.RATING:
        try:
            rating = int(value)
        except (TypeError, ValueError):
            rating = 0
        if not 1 <= rating <= 5:
            return [], gettext("choose from 1 to 5.")
        return [Answer(question_id=question.id, rating=rating)], None
    if question.kind.has_options:
        chosen = value if isinstance(value, list) else [value]
        keys = {option["key"] for option in question.options}
        if any(key not in keys for key in chosen) or (question.kind is QuestionKind.SINGLE and len(chosen) > 1):
            return [], gettext("choose from the options given.")
        return [Answer(question_id=question.id, option_key=key) for key in dict.fromkeys(chosen)], None
    text = str(value).replace("\x00", "").strip()  # PostgreSQL refuses NUL in text; nobody types it
    limit = 200 if question.kind is QuestionKind.SHORT_TEXT else MAX_TEXT
    if len(text) > limit:
        return [], gettext("at most %(max)s characters.", max=limit)
    return ([Answer(question_id=question.id, text=text)] if text else []), (
        gettext("an answer is required.") if question.required and not text else None)
