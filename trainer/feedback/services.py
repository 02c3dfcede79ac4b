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
from trainer.questionnaires import rules
from trainer.regions.models import GramPanchayat


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
    problems = rules.question_problems(kind, text_hi, options)
    if problems:
        raise FeedbackError(problems)


def add_question(programme: Programme, kind: QuestionKind, text_hi: str, text_en: str = "",
                 options: list[dict] | None = None, required: bool = False) -> Question:
    """Add a question at the end of the form; options are given keys that never change."""
    options = rules.keyed_options(kind, options)
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
        if rules.is_reworded(question, text_hi, text_en, options):
            raise FeedbackError([gettext("This question has answers: it cannot be reworded. Hide it and add "
                                         "a new question instead.")])
        question.required = required
        db.session.flush()
        return
    problems = rules.reword(question, text_hi, text_en, options, required)
    if problems:
        raise FeedbackError(problems)
    db.session.flush()


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
    values, problem = rules.answer_values(question, value)
    return [Answer(question_id=question.id, **made) for made in values], problem
