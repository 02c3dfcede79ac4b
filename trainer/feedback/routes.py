"""Feedback pages under /feedback/: the trainers' form builder, and the response page for everyone present.

The response page is the secretary's next step after marking attendance: the small flow layout, no
JavaScript, a few kilobytes. Each opened form carries a nonce, so a double tap or a resent form makes one
response, while a fresh form lets the next person of the same panchayat answer too.
"""
import secrets
import time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from wtforms.fields.choices import SelectChoice

from trainer.attendance import device, rules
from trainer.attendance.rules import WindowState
from trainer.core import clock
from trainer.core.auth import role_required
from trainer.core.errors import MESSAGES
from trainer.core.forms import ConfirmForm
from trainer.core.roles import PLANNERS
from trainer.extensions import db, limiter
from trainer.feedback import services
from trainer.feedback.forms import CopyForm, ResponseForm
from trainer.feedback.models import Question, QuestionKind, Response
from trainer.feedback.services import FeedbackError, Submission
from trainer.programmes import services as programmes
from trainer.programmes.models import Programme, TrainingSession
from trainer.programmes.signals import publishing
from trainer.questionnaires.forms import QuestionForm, QuestionTextForm, answers_from

bp = Blueprint("feedback", __name__, url_prefix="/feedback")


FORM_KNOWN_SECONDS = 10.0  # how long a process trusts what it last read; a new form shows within this time


@bp.app_template_global()
def has_feedback_form(programme) -> bool:
    """Let any page (the secretary's "done" page) offer feedback only when the programme has a form.

    Remembered a few seconds per process: the "done" page is the state's busiest, and a button that shows a
    few seconds late does no harm. `programme` is a Programme or anything with its `id`.
    """
    known = current_app.extensions.setdefault("trainer.feedback.forms", {})
    moment = time.monotonic()
    found = known.get(programme.id)
    if found is None or moment - found[0] >= FORM_KNOWN_SECONDS:
        found = known[programme.id] = (moment, services.has_feedback_form(programme))
    return found[1]


@publishing.connect
def _warn_without_a_form(_app, programme: Programme) -> list[str] | None:
    """Tell the planner who publishes a programme without a feedback form that nobody will be asked."""
    if services.has_feedback_form(programme):
        return None
    return [_("This programme has no feedback form: nobody who attends will be asked for feedback. Add the "
              "questions first, or publish without a form.")]


def _refused(error: FeedbackError) -> None:
    db.session.rollback()
    for message in error.messages:
        flash(message, "error")


# The builder


def _builder_page(programme: Programme, form: QuestionForm | None = None, errors=(), status: int = 200):
    questions = services.questions_of(programme, include_hidden=True)
    copy_form = CopyForm()
    copy_form.source.choices = [SelectChoice(p.id, p.title) for p in programmes.list_programmes(public=False)
                                if p.id != programme.id]
    return render_template(
        "feedback/builder.html", programme=programme, questions=questions,
        answered={q.id for q in questions if services.is_answered(q)}, form=form or QuestionForm(),
        copy_form=copy_form, confirm=ConfirmForm(), errors=errors), status


@bp.get("/programmes/<int:programme_id>")
@role_required(*PLANNERS)
def form(programme_id: int):
    """The programme's feedback form: its questions in order and what can be done with them."""
    return _builder_page(db.get_or_404(Programme, programme_id))


@bp.post("/programmes/<int:programme_id>")
@role_required(*PLANNERS)
def create(programme_id: int):
    """Add a question at the end of the form."""
    programme = db.get_or_404(Programme, programme_id)
    form = QuestionForm()
    if not form.validate_on_submit():
        return _builder_page(programme, form, status=422)
    try:
        services.add_question(programme, QuestionKind(form.kind.data), form.text_hi.data or "",
                              form.text_en.data or "", form.option_list(), form.required.data)
    except FeedbackError as error:
        db.session.rollback()
        return _builder_page(programme, form, error.messages, status=422)
    db.session.commit()
    flash(_("The question has been added."), "success")
    return redirect(url_for("feedback.form", programme_id=programme.id))


@bp.route("/questions/<int:question_id>/edit", methods=["GET", "POST"])
@role_required(*PLANNERS)
def edit(question_id: int):
    """Reword a question nobody has answered yet; an answered one may only change `required`."""
    question = db.get_or_404(Question, question_id)
    answered = services.is_answered(question)
    form = QuestionTextForm()
    errors: list[str] = []
    if request.method == "GET":
        form.fill(question)
    elif form.validate_on_submit():
        try:
            services.update_question(question, form.text_hi.data or "", form.text_en.data or "",
                                     form.option_list(), form.required.data)
            db.session.commit()
            flash(_("The question has been saved."), "success")
            return redirect(url_for("feedback.form", programme_id=question.programme_id))
        except FeedbackError as error:
            db.session.rollback()
            errors = error.messages
    status = 422 if errors or form.errors else 200
    return render_template("feedback/question_form.html", question=question, programme=question.programme,
                           form=form, answered=answered, errors=errors), status


@bp.post("/questions/<int:question_id>/hidden")
@role_required(*PLANNERS)
def hide(question_id: int):
    """Hide a question from the form, or show it again; its answers are kept either way."""
    question = db.get_or_404(Question, question_id)
    if ConfirmForm().validate_on_submit():
        services.set_hidden(question, request.form.get("hidden") == "1")
        db.session.commit()
    return redirect(url_for("feedback.form", programme_id=question.programme_id))


@bp.post("/questions/<int:question_id>/move")
@role_required(*PLANNERS)
def move(question_id: int):
    """Move a question one place up or down."""
    question = db.get_or_404(Question, question_id)
    if ConfirmForm().validate_on_submit():
        services.move_question(question, -1 if request.form.get("direction") == "up" else 1)
        db.session.commit()
    return redirect(url_for("feedback.form", programme_id=question.programme_id))


@bp.post("/programmes/<int:programme_id>/copy")
@role_required(*PLANNERS)
def copy(programme_id: int):
    """Append another programme's visible questions to this form."""
    programme = db.get_or_404(Programme, programme_id)
    form = CopyForm()
    form.source.choices = [SelectChoice(p.id, p.title) for p in programmes.list_programmes(public=False)
                           if p.id != programme.id]
    if form.validate_on_submit():
        try:
            copied = services.copy_form(db.get_or_404(Programme, form.source.data), programme)
            db.session.commit()
            flash(ngettext("%(num)s question has been copied.", "%(num)s questions have been copied.", len(copied)),
                  "success")
        except FeedbackError as error:
            _refused(error)
    else:
        for messages in form.errors.values():
            for message in messages:
                flash(message, "error")
    return redirect(url_for("feedback.form", programme_id=programme.id))


@bp.get("/programmes/<int:programme_id>/preview")
@role_required(*PLANNERS)
def preview(programme_id: int):
    """Show the form as people will see it; nothing can be sent from here."""
    programme = db.get_or_404(Programme, programme_id)
    return render_template("feedback/respond.html", preview=True, programme=programme, session=None, gp=None,
                           present=True, questions=services.questions_of(programme), form=ResponseForm(),
                           answers={}, errors=[])


# The response page


def _feedback_limit() -> str:
    return current_app.config.get("FEEDBACK_RATE_LIMIT", "20 per minute")


@bp.errorhandler(429)
def too_many(_error):
    """Say it in the small layout, in the page's language, instead of the staff error page."""
    title, message = MESSAGES[429]
    return render_template("feedback/message.html", title=title, message=message, session=None), 429


def _open_session(session_id: int) -> TrainingSession:
    """Return a session whose feedback may be given: published, live or completed; else 404."""
    session = db.get_or_404(TrainingSession, session_id)
    if not rules.can_be_marked(session):
        abort(404)
    return session


def _closed_to(session: TrainingSession, present: bool) -> bool:
    """Say whether `services.submit` would refuse this panchayat now, so that nobody fills a form in vain."""
    return not present and rules.window_state(session, clock.now()) is not WindowState.OPEN


def _closed_page(session: TrainingSession, messages: list[str] | None = None):
    message = " ".join(messages) if messages else _(
        "Feedback for this session is taken from panchayats marked present, or while attendance is open.")
    return render_template("feedback/message.html", title=_("Feedback is closed"), message=message,
                           session=session)


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
@limiter.limit(_feedback_limit, methods=["POST"])
def respond(session_id: int):
    """One person's feedback on a session: who they are (optionally) and their answers."""
    session = _open_session(session_id)
    questions = services.questions_of(session.programme)
    if not questions:
        return render_template("feedback/message.html", title=_("Thank you for attending"), session=session,
                               message=_("This training asks for no feedback: there is nothing more to fill in."))
    gp = device.remembered_gp(session)
    present = services.has_attendance(session, gp)
    form = ResponseForm()
    if request.method == "GET":
        if _closed_to(session, present):
            return _closed_page(session)
        form.nonce.data = secrets.token_urlsafe(32)
        return _form_page(session, gp, present, questions, form)
    answers = answers_from(request.form, questions)
    if not form.validate_on_submit():
        if form.nonce.errors:
            form.nonce.data = secrets.token_urlsafe(32)
        return _form_page(session, gp, present, questions, form, answers, status=422)
    submission = Submission(answers, role=form.chosen_role(), name=form.name.data or "",
                            anonymous=form.anonymous.data)
    try:
        services.submit(session, gp, submission, form.nonce.data, now=clock.now())
        db.session.commit()
    except FeedbackError as error:
        db.session.rollback()
        if _closed_to(session, present):
            return _closed_page(session, error.messages), 403
        return _form_page(session, gp, present, questions, form, answers, error.messages, status=422)
    except IntegrityError:
        # The same form sent twice at the same moment: the other request made the response.
        db.session.rollback()
        if db.session.scalar(select(Response.id).where(Response.session_id == session.id,
                                                       Response.nonce == form.nonce.data)) is None:
            raise
    return redirect(url_for("feedback.thanks", session_id=session.id))


def _form_page(session, gp, present, questions, form, answers=None, errors=(), status=200):
    return render_template("feedback/respond.html", preview=False, programme=session.programme, session=session,
                           gp=gp, present=present, questions=questions, form=form, answers=answers or {},
                           errors=errors), status


@bp.get("/sessions/<int:session_id>/thanks")
def thanks(session_id: int):
    """Thank the person, and offer a fresh form to the next one of the same panchayat."""
    session = _open_session(session_id)
    return render_template("feedback/thanks.html", session=session, gp=device.remembered_gp(session))
