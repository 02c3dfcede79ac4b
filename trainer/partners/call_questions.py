"""A call's application form of its own: questions of every kind a feedback form has, added, edited, ordered and
hidden by those who manage calls (trainer.questionnaires holds the rules both forms share).

Once applications are submitted the questions are hidden or moved, never added or reworded, like the rest of the
call. Nothing here commits.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from trainer.core import ordering
from trainer.extensions import db
from trainer.partners import calls
from trainer.partners.calls import CallError
from trainer.partners.models import ApplicationAnswer, Call, CallQuestion
from trainer.questionnaires import rules
from trainer.questionnaires.models import QuestionKind


def questions_of(call: Call, include_hidden: bool = False) -> list[CallQuestion]:
    """Return a call's questions in their order: the shown ones, or all of them."""
    query = select(CallQuestion).where(CallQuestion.call_id == call.id).order_by(CallQuestion.position)
    if not include_hidden:
        query = query.where(CallQuestion.hidden.is_(False))
    return list(db.session.scalars(query))


def question_of(call: Call, question_id: int) -> CallQuestion | None:
    """Return one of the call's questions by its id, or None."""
    return next((question for question in call.questions if question.id == question_id), None)


def answered_ids(call: Call) -> set[int]:
    """Return the ids of the call's questions that an application (a draft too) has answered."""
    return set(db.session.scalars(select(ApplicationAnswer.question_id).distinct().join(CallQuestion)
                                  .where(CallQuestion.call_id == call.id)))


def _keep_settled(call: Call) -> None:
    if calls.has_applications(call):
        raise CallError(_l("Applications have come in for this call: its questions can only be hidden or moved."))


def _refuse(problems: list[str]) -> None:
    if problems:
        raise CallError(" ".join(problems))


def add_question(call: Call, kind: QuestionKind, text_hi: str, text_en: str = "", options: list[dict] | None = None,
                 required: bool = False) -> CallQuestion:
    """Add a question at the end of the call's application form; options are given keys that never change."""
    _keep_settled(call)
    options = rules.keyed_options(kind, options)
    _refuse(rules.question_problems(kind, text_hi, options))
    last = max((question.position for question in questions_of(call, include_hidden=True)), default=0)
    question = CallQuestion(position=last + 1, kind=kind, text_hi=text_hi.strip(), text_en=text_en.strip(),
                            options=options, required=required)
    call.questions.append(question)
    db.session.flush()
    return question


def update_question(question: CallQuestion, text_hi: str, text_en: str, options: list[dict], required: bool) -> None:
    """Reword a question of a call that no application has been submitted to yet."""
    _keep_settled(question.call)
    _refuse(rules.reword(question, text_hi, text_en, options, required))
    db.session.flush()


def set_hidden(question: CallQuestion, hidden: bool) -> None:
    """Hide a question from the application form, or show it again; answers already given are kept."""
    question.hidden = hidden
    db.session.flush()


def move_question(question: CallQuestion, step: int) -> None:
    """Move a question one place up (-1) or down (+1)."""
    ordering.move(questions_of(question.call, include_hidden=True), question, step)
