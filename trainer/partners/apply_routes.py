"""The public application pages: an organisation applies to an open call (a draft saved and finished later, the
PDFs asked for), and sees its application's state with the reference number and secret code.

Nobody signs in: the reference and code open an application (wrong codes are limited per address), and the
browser's session remembers the draft it saved or opened.
"""
from flask import Blueprint, abort, current_app, render_template, request, session
from flask_babel import gettext as _
from limits import parse as parse_limit

from trainer.core import clock
from trainer.extensions import db, limiter
from trainer.partners import applications, call_questions, calls
from trainer.partners.applications import ApplicationError
from trainer.partners.apply_forms import ApplicationForm, StatusForm, district_choices, uploads_of
from trainer.partners.models import Application, ApplicationState, Call
from trainer.questionnaires import rules
from trainer.questionnaires.forms import answers_from

bp = Blueprint("apply", __name__, url_prefix="/apply")

SESSION_KEY = "application"


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
    except ApplicationError as refused:
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


@bp.route("/status", methods=["GET", "POST"])
def status():
    """Take an application's reference and code; show its state (and the way back to a draft)."""
    form = StatusForm()
    error, answer = None, 200
    if form.validate_on_submit():
        address = request.remote_addr or "unknown"
        if not _take_attempt(address):
            error, answer = _("Too many wrong codes from this address. Wait a few minutes and try again."), 429
        elif (application := applications.find(form.reference.data, form.code.data)) is not None:
            _give_back(address)
            session[SESSION_KEY] = application.id
            return render_template("apply/status.html", application=application)
        else:
            error, answer = _("No application has this reference number and code. Check both and try again."), 400
    elif form.is_submitted():
        answer = 400
    return render_template("apply/find.html", form=form, error=error), answer
