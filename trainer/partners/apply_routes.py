"""The public application pages: an organisation applies to an open call (a draft saved and finished later, the
PDFs asked for), and sees its application's state and history with the reference number and secret code, answers
a request for more information and may withdraw.

Nobody signs in: the reference and code open an application (wrong codes are limited per address), and the
browser's session remembers the draft it saved or opened, and the application whose status it opened.
"""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from limits import parse as parse_limit

from trainer.core import clock
from trainer.extensions import db, limiter
from trainer.partners import applications, call_questions, calls, screening, states
from trainer.partners.applications import ApplicationError
from trainer.partners.apply_forms import ApplicationForm, StatusForm, district_choices, uploads_of
from trainer.partners.models import Application, ApplicationState, Call
from trainer.partners.screening_forms import AnswerForm, WithdrawForm
from trainer.partners.states import StateError
from trainer.questionnaires import rules
from trainer.questionnaires.forms import answers_from

bp = Blueprint("apply", __name__, url_prefix="/apply")

SESSION_KEY = "application"
STATUS_KEY = "application_status"  # the application whose reference and code this browser gave


def _remembered(call: Call) -> Application | None:
    """Return the draft this browser saved or opened for the call, if any."""
    application_id = session.get(SESSION_KEY)
    if not isinstance(application_id, int):
        return None
    application = db.session.get(Application, application_id)
    if application is None or application.call_id != call.id or application.state is not ApplicationState.DRAFT:
        return None
    return application


def _form_page(call: Call, form: ApplicationForm, application: Application | None, questions, answers,
               error=None, problems=None, status=200):
    return render_template("apply/form.html", call=call, form=form, application=application, error=error,
                           questions=questions, answers=answers, problems=problems or {}), status


@bp.route("/<int:call_id>", methods=["GET", "POST"])
def form(call_id: int):
    """Show the call and its application form; save the application as a draft, or submit it."""
    call = calls.load_call(call_id)
    if call is None:
        abort(404)
    today = clock.today()
    if not calls.is_open(call, today):
        return render_template("apply/closed.html", call=call, early=today < call.opens_on)
    application = _remembered(call)
    questions = call_questions.questions_of(call)
    if request.method == "GET":
        form = ApplicationForm(formdata=None, data=ApplicationForm.data_of(application)) if application \
            else ApplicationForm(formdata=None)
        form.set_choices(district_choices(), call.theme_keys)
        saved = {q.id: rules.form_value(q, application.answers) for q in questions} if application else {}
        return _form_page(call, form, application, questions, saved)
    form = ApplicationForm()
    form.set_choices(district_choices(), call.theme_keys)
    answers = answers_from(request.form, questions)
    if not form.validate():
        return _form_page(call, form, application, questions, answers, status=400)
    code = None
    try:
        if application is None:
            application, code = applications.start_application(call, form.values(), uploads_of(request.files, call),
                                                                answers=answers)
        else:
            applications.update_draft(application, form.values(), uploads_of(request.files, call), answers=answers)
        if request.form.get("action") == "submit":
            applications.submit(application)
    except (ApplicationError, StateError) as refused:
        db.session.rollback()
        return _form_page(call, form, _remembered(call), questions, answers, error=refused.message,
                          problems=refused.problems, status=400)
    db.session.commit()
    session[SESSION_KEY] = application.id
    # The code is shown on this page only: it is kept hashed, and nobody can see it again.
    return render_template("apply/saved.html", call=call, application=application, code=code)


def _take_attempt(address: str) -> bool:
    return limiter.take(parse_limit(current_app.config["APPLICATION_CODE_LIMIT_PER_ADDRESS"]), "application-code",
                        address)


def _give_back(address: str) -> None:
    limiter.give_back(parse_limit(current_app.config["APPLICATION_CODE_LIMIT_PER_ADDRESS"]), "application-code",
                      address)


def _opened() -> Application | None:
    """Return the application whose reference and code this browser gave, if any."""
    application_id = session.get(STATUS_KEY)
    return db.session.get(Application, application_id) if isinstance(application_id, int) else None


def _status_page(application: Application, answer_form=None, withdraw_form=None, status: int = 200):
    history = [(event, states.shown_to_applicant(event)) for event in application.events]
    question = next((note for event, note in reversed(history)
                     if event.to_state is ApplicationState.MORE_INFORMATION), "")
    may_withdraw = states.may_move(application.state, ApplicationState.WITHDRAWN, by_applicant=True)
    return render_template("apply/status.html", application=application, history=history, question=question,
                           answer_form=answer_form or AnswerForm(formdata=None),
                           withdraw_form=withdraw_form or WithdrawForm(formdata=None), may_withdraw=may_withdraw,
                           form=StatusForm(formdata=None)), status


@bp.route("/status", methods=["GET", "POST"])
def status():
    """Take an application's reference and code; show its state and history (and the way back to a draft)."""
    form = StatusForm()
    error, answer = None, 200
    if form.validate_on_submit():
        address = request.remote_addr or "unknown"
        if not _take_attempt(address):
            error, answer = _("Too many wrong codes from this address. Wait a few minutes and try again."), 429
        elif (application := applications.find(form.reference.data, form.code.data)) is not None:
            _give_back(address)
            session[SESSION_KEY] = session[STATUS_KEY] = application.id
            return _status_page(application)
        else:
            error, answer = _("No application has this reference number and code. Check both and try again."), 400
    elif form.is_submitted():
        answer = 400
    elif (application := _opened()) is not None:
        return _status_page(application)
    return render_template("apply/find.html", form=form, error=error), answer


def _opened_or_back():
    application = _opened()
    if application is None:
        flash(_("Open your application with its reference number and code first."), "error")
    return application


def _told(refused: StateError):
    # The page was older than the application's state (answered or withdrawn meanwhile): show it as it is now.
    db.session.rollback()
    flash(refused.message, "error")
    return redirect(url_for(".status"))


@bp.post("/status/answer")
def answer():
    """Take the applicant's answer to a request for more information, with a PDF if they attach one."""
    application = _opened_or_back()
    if application is None:
        return redirect(url_for(".status"))
    form = AnswerForm()
    if not form.validate():
        return _status_page(application, answer_form=form, status=400)
    sent = request.files.get("document")
    upload = (sent.filename, sent.read()) if sent is not None and sent.filename else None
    try:
        screening.answer(application, form.answer.data or "", upload)
    except StateError as refused:
        return _told(refused)
    except ApplicationError as refused:
        db.session.rollback()
        form.form_errors.append(refused.message)
        return _status_page(db.session.get(Application, application.id), answer_form=form, status=400)
    db.session.commit()
    flash(_("Thank you: your answer was sent, and your application is back in screening."), "success")
    return redirect(url_for(".status"))


@bp.post("/status/withdraw")
def withdraw():
    """Withdraw the application, once the applicant confirms it."""
    application = _opened_or_back()
    if application is None:
        return redirect(url_for(".status"))
    form = WithdrawForm()
    if not form.validate():
        return _status_page(application, withdraw_form=form, status=400)
    try:
        screening.withdraw(application)
    except StateError as refused:
        return _told(refused)
    db.session.commit()
    flash(_("Your application was withdrawn."), "success")
    return redirect(url_for(".status"))
