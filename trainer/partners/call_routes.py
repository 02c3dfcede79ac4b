"""The calls' pages for staff: the list of calls, one call with its criteria and documents, opening and changing
one; its applications by state, one application with its history, screening it, and the call's decisions,
prepared one by one or many at once and published together.

Every member of staff reads the calls and their applications (they are not placed in an area); planners open and
change calls, screen applications and publish decisions.
"""
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainer.core.auth import role_required
from trainer.core.downloads import attachment
from trainer.core.forms import ConfirmForm
from trainer.core.roles import STAFF_ROLES
from trainer.core.urls import page_arg
from trainer.extensions import db
from trainer.messaging import tasks
from trainer.partners import application_exports, applications, call_questions, calls, screening, states
from trainer.partners.call_forms import CallDocumentForm, CallForm, CriterionForm, RemoveForm
from trainer.partners.calls import CallError
from trainer.partners.models import THEME_LABELS, Application, ApplicationState, Call, CallQuestion, DecisionOutcome
from trainer.partners.screening_forms import BulkDecisionForm, DecisionForm, MoveForm
from trainer.partners.states import StateError
from trainer.questionnaires import rules
from trainer.questionnaires.forms import QuestionForm, QuestionTextForm
from trainer.questionnaires.models import QuestionKind

bp = Blueprint("calls", __name__, url_prefix="/partners/calls")

READERS = STAFF_ROLES
EDITORS = calls.EDITOR_ROLES
PER_PAGE = 50


@bp.context_processor
def _helpers() -> dict:
    signed_in = current_user.is_authenticated
    return dict(may_edit_calls=signed_in and current_user.has_role(*EDITORS), theme_labels=THEME_LABELS,
                call_is_open=calls.is_open)


def call_or_404(call_id: int) -> Call:
    call = calls.load_call(call_id)
    if call is None:
        abort(404)
    return call


@bp.get("")
@role_required(*READERS)
def index():
    """List the calls, the latest to open first."""
    page = db.paginate(calls.call_query(), page=page_arg(), per_page=PER_PAGE, error_out=False)
    return render_template("partners/calls/index.html", page=page)


def _detail(call: Call, criterion_form=None, document_form=None, question_form=None, question_errors=(),
            status: int = 200):
    questions = call_questions.questions_of(call, include_hidden=True)
    answered = call_questions.answered_ids(call)
    return render_template("partners/calls/detail.html", call=call,
                           criterion_form=criterion_form or CriterionForm(formdata=None),
                           document_form=document_form or CallDocumentForm(formdata=None),
                           question_form=question_form or QuestionForm(formdata=None), question_errors=question_errors,
                           questions=questions, answered=answered, confirm=ConfirmForm(formdata=None),
                           remove_form=RemoveForm(formdata=None), settled=calls.has_applications(call),
                           applications=applications.applications_of(call)), status


@bp.get("/<int:call_id>")
@role_required(*READERS)
def detail(call_id: int):
    """Show a call: its dates, themes, screening criteria and the documents it asks for."""
    return _detail(call_or_404(call_id))


def _form_data(call: Call) -> dict:
    return dict(title_hi=call.title_hi, title_en=call.title_en, description_hi=call.description_hi,
                description_en=call.description_en, themes=call.theme_keys, opens_on=call.opens_on,
                closes_on=call.closes_on)


def _submit(call: Call | None):
    form = CallForm(data=_form_data(call)) if call is not None else CallForm()
    if form.validate_on_submit():
        try:
            saved = calls.save_call(form.values(), current_user.id, call)
        except CallError as refused:
            form.form_errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("The call was saved."), "success")
            return redirect(url_for(".detail", call_id=saved.id))
    status = 400 if form.is_submitted() else 200
    return render_template("partners/calls/form.html", form=form, call=call), status


@bp.route("/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def create():
    """Open a call for expressions of interest."""
    return _submit(None)


@bp.route("/<int:call_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(call_id: int):
    """Change a call's titles, description, themes and dates."""
    return _submit(call_or_404(call_id))


def _refused(call: Call, refused: CallError):
    db.session.rollback()
    flash(refused.message, "error")
    return redirect(url_for(".detail", call_id=call.id))


@bp.post("/<int:call_id>/criteria")
@role_required(*EDITORS)
def add_criterion(call_id: int):
    """Add a screening criterion to the call."""
    call = call_or_404(call_id)
    form = CriterionForm()
    if not form.validate():
        return _detail(call, criterion_form=form, status=400)
    try:
        calls.add_criterion(call, form.values())
    except CallError as refused:
        return _refused(call, refused)
    db.session.commit()
    flash(_("The criterion was added."), "success")
    return redirect(url_for(".detail", call_id=call.id))


@bp.post("/<int:call_id>/criteria/<int:criterion_id>/remove")
@role_required(*EDITORS)
def remove_criterion(call_id: int, criterion_id: int):
    """Remove a screening criterion from the call."""
    call = call_or_404(call_id)
    criterion = next((row for row in call.criteria if row.id == criterion_id), None)
    if criterion is None or not RemoveForm().validate():
        abort(404 if criterion is None else 400)
    try:
        calls.remove_criterion(call, criterion)
    except CallError as refused:
        return _refused(call, refused)
    db.session.commit()
    flash(_("The criterion was removed."), "success")
    return redirect(url_for(".detail", call_id=call.id))


@bp.post("/<int:call_id>/documents")
@role_required(*EDITORS)
def add_document(call_id: int):
    """Ask the call's applicants for one more document."""
    call = call_or_404(call_id)
    form = CallDocumentForm()
    if not form.validate():
        return _detail(call, document_form=form, status=400)
    try:
        calls.add_document(call, form.name_hi.data or "", form.name_en.data or "", bool(form.required.data))
    except CallError as refused:
        return _refused(call, refused)
    db.session.commit()
    flash(_("The document was added."), "success")
    return redirect(url_for(".detail", call_id=call.id))


@bp.post("/<int:call_id>/documents/<int:document_id>/remove")
@role_required(*EDITORS)
def remove_document(call_id: int, document_id: int):
    """Stop asking the call's applicants for a document."""
    call = call_or_404(call_id)
    document = next((row for row in call.documents if row.id == document_id), None)
    if document is None or not RemoveForm().validate():
        abort(404 if document is None else 400)
    try:
        calls.remove_document(call, document)
    except CallError as refused:
        return _refused(call, refused)
    db.session.commit()
    flash(_("The document was removed."), "success")
    return redirect(url_for(".detail", call_id=call.id))


def _question_or_404(call: Call, question_id: int) -> CallQuestion:
    question = call_questions.question_of(call, question_id)
    if question is None:
        abort(404)
    return question


@bp.post("/<int:call_id>/questions")
@role_required(*EDITORS)
def add_question(call_id: int):
    """Add a question at the end of the call's application form."""
    call = call_or_404(call_id)
    form = QuestionForm()
    if not form.validate():
        return _detail(call, question_form=form, status=400)
    try:
        call_questions.add_question(call, QuestionKind(form.kind.data), form.text_hi.data or "",
                                    form.text_en.data or "", form.option_list(), bool(form.required.data))
    except CallError as refused:
        db.session.rollback()
        return _detail(call_or_404(call_id), question_form=form, question_errors=[refused.message], status=400)
    db.session.commit()
    flash(_("The question has been added."), "success")
    return redirect(url_for(".detail", call_id=call.id, _anchor="questions"))


@bp.route("/<int:call_id>/questions/<int:call_question_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit_question(call_id: int, call_question_id: int):
    """Reword a question of the application form, while no application has been submitted."""
    call = call_or_404(call_id)
    question = _question_or_404(call, call_question_id)
    settled = calls.has_applications(call)
    form = QuestionTextForm()
    errors: list = []
    if request.method == "GET":
        form.fill(question)
    elif form.validate_on_submit():
        try:
            call_questions.update_question(question, form.text_hi.data or "", form.text_en.data or "",
                                           form.option_list(), bool(form.required.data))
            db.session.commit()
            flash(_("The question has been saved."), "success")
            return redirect(url_for(".detail", call_id=call.id, _anchor="questions"))
        except CallError as refused:
            db.session.rollback()
            errors = [refused.message]
    status = 400 if errors or form.errors else 200
    return render_template("partners/calls/question_form.html", call=call, question=question, form=form,
                           settled=settled, errors=errors), status


@bp.post("/<int:call_id>/questions/<int:call_question_id>/hidden")
@role_required(*EDITORS)
def hide_question(call_id: int, call_question_id: int):
    """Hide a question from the application form, or show it again; answers given are kept either way."""
    call = call_or_404(call_id)
    question = _question_or_404(call, call_question_id)
    if not ConfirmForm().validate():
        abort(400)
    call_questions.set_hidden(question, request.form.get("hidden") == "1")
    db.session.commit()
    return redirect(url_for(".detail", call_id=call.id, _anchor="questions"))


@bp.post("/<int:call_id>/questions/<int:call_question_id>/move")
@role_required(*EDITORS)
def move_question(call_id: int, call_question_id: int):
    """Move a question of the application form one place up or down."""
    call = call_or_404(call_id)
    question = _question_or_404(call, call_question_id)
    if not ConfirmForm().validate():
        abort(400)
    call_questions.move_question(question, -1 if request.form.get("direction") == "up" else 1)
    db.session.commit()
    return redirect(url_for(".detail", call_id=call.id, _anchor="questions"))


@bp.get("/<int:call_id>/applications/<int:application_id>/documents/<int:attachment_id>")
@role_required(*READERS)
def document(call_id: int, application_id: int, attachment_id: int):
    """Send a PDF an applicant attached: to staff only, as a file to save, never shown in the browser's page."""
    found = applications.document_of(call_id, application_id, attachment_id)
    if found is None:
        abort(404)
    response = send_file(io.BytesIO(found.content), mimetype="application/pdf", as_attachment=True,
                         download_name=found.file_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response


# Screening: the applications of a call, one application with its history, decisions published together


def _application_or_404(call_id: int, application_id: int) -> Application:
    found = screening.application_of(call_id, application_id)
    if found is None:
        abort(404)
    return found


def _state_arg() -> ApplicationState | None:
    value = request.args.get("state", "")
    return next((state for state in ApplicationState if state.value == value), None)


@bp.get("/<int:call_id>/applications")
@role_required(*READERS)
def application_list(call_id: int):
    """List a call's applications, of one state or all, with how many are in each state."""
    call = call_or_404(call_id)
    state = _state_arg()
    query = (select(Application).where(Application.call_id == call.id).order_by(Application.number)
             .options(selectinload(Application.decision), selectinload(Application.duplicate_of)))
    if state is not None:
        query = query.where(Application.state == state)
    page = db.paginate(query, page=page_arg(), per_page=PER_PAGE, error_out=False)
    return render_template("partners/calls/applications.html", call=call, page=page, state=state,
                           counts=screening.counts_by_state(call), prepared=screening.prepared_count(call),
                           decidable=states.DECIDABLE, form=BulkDecisionForm(formdata=None),
                           publish_form=ConfirmForm(formdata=None))


@bp.get("/<int:call_id>/applications.<fmt>")
@role_required(*EDITORS)
def application_file(call_id: int, fmt: str):
    """Download a call's applications (of the state chosen on the list, or all) as CSV or XLSX, every answer in a
    column; for its planners, since the file holds every applicant's contact."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    call = call_or_404(call_id)
    state = _state_arg()
    body = (application_exports.applications_csv if fmt == "csv" else application_exports.applications_xlsx)(
        call, state)
    word = _("applications")  # outside the f-string, where the message extractor finds it
    return attachment(body, fmt, f"{word}-{call.title}", f"call-{call.id}-applications")


def _application_page(application: Application, move_form=None, decision_form=None, status: int = 200):
    decision = application.decision
    data = {"outcome": decision.outcome.value, "note": decision.note} if decision else {}
    questions = call_questions.questions_of(application.call, include_hidden=True)
    answers = [(question, rules.shown_answer(question, application.answers)) for question in questions]
    return render_template(
        "partners/calls/application.html", call=application.call, application=application, answers=answers,
        moves=states.staff_moves(application), move_form=move_form or MoveForm(formdata=None),
        decision_form=decision_form or DecisionForm(formdata=None, data=data), decidable=states.DECIDABLE,
        remove_form=ConfirmForm(formdata=None)), status


@bp.get("/<int:call_id>/applications/<int:application_id>")
@role_required(*READERS)
def application(call_id: int, application_id: int):
    """Show an application: its details, documents, state and history, and what staff may do with it."""
    return _application_page(_application_or_404(call_id, application_id))


def _refused_on(application: Application, refused: StateError):
    db.session.rollback()
    flash(refused.message, "error")
    return redirect(url_for(".application", call_id=application.call_id, application_id=application.id))


@bp.post("/<int:call_id>/applications/<int:application_id>/state")
@role_required(*EDITORS)
def move(call_id: int, application_id: int):
    """Start screening, ask for more information, shortlist, mark a duplicate or withdraw an application."""
    application = _application_or_404(call_id, application_id)
    form = MoveForm()
    target = form.target() if form.validate() else None
    if target is None:
        return _application_page(application, move_form=form, status=400)
    try:
        screening.move(application, target, current_user.id, form.note.data or "", form.duplicate_of.data or "")
    except StateError as refused:
        return _refused_on(application, refused)
    db.session.commit()
    tasks.kick()
    flash(_("The application is now: %(state)s.", state=target.label), "success")
    return redirect(url_for(".application", call_id=call_id, application_id=application_id))


@bp.post("/<int:call_id>/applications/<int:application_id>/decision")
@role_required(*EDITORS)
def decide(call_id: int, application_id: int):
    """Prepare the decision on an application (seen by staff only until the call's decisions are published)."""
    application = _application_or_404(call_id, application_id)
    form = DecisionForm()
    if not form.validate():
        return _application_page(application, decision_form=form, status=400)
    try:
        screening.prepare_decision(application, DecisionOutcome(form.outcome.data), current_user.id,
                                   form.note.data or "")
    except StateError as refused:
        return _refused_on(application, refused)
    db.session.commit()
    flash(_("The decision is prepared. Applicants learn it when the call's decisions are published."), "success")
    return redirect(url_for(".application", call_id=call_id, application_id=application_id))


@bp.post("/<int:call_id>/applications/<int:application_id>/decision/remove")
@role_required(*EDITORS)
def undecide(call_id: int, application_id: int):
    """Take back a prepared decision that is not published yet."""
    application = _application_or_404(call_id, application_id)
    if not ConfirmForm().validate():
        abort(400)
    try:
        screening.clear_decision(application)
    except StateError as refused:
        return _refused_on(application, refused)
    db.session.commit()
    flash(_("The prepared decision was taken back."), "success")
    return redirect(url_for(".application", call_id=call_id, application_id=application_id))


@bp.post("/<int:call_id>/decisions")
@role_required(*EDITORS)
def decide_many(call_id: int):
    """Prepare the same decision for the applications ticked on the list."""
    call = call_or_404(call_id)
    form = BulkDecisionForm()
    back = redirect(url_for(".application_list", call_id=call.id, state=request.args.get("state") or None))
    if not form.validate():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return back
    try:
        prepared = screening.prepare_decisions(call, form.applications.data, DecisionOutcome(form.outcome.data),
                                               current_user.id, form.note.data or "")
    except StateError as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return back
    db.session.commit()
    flash(ngettext("The decision is prepared for %(num)s application.",
                   "The decision is prepared for %(num)s applications.", len(prepared)),
          "success")
    return back


@bp.post("/<int:call_id>/decisions/publish")
@role_required(*EDITORS)
def publish(call_id: int):
    """Publish every prepared decision of the call together, and tell each applicant."""
    call = call_or_404(call_id)
    if not ConfirmForm().validate():
        abort(400)
    result = screening.publish_decisions(call, current_user.id)
    db.session.commit()
    tasks.kick()
    flash(ngettext("%(num)s decision was published.", "%(num)s decisions were published.", result.published),
          "success")
    if result.skipped:
        flash(_("Not published, as these applications are no longer in screening or shortlisted (withdrawn, say, or "
                "a duplicate): %(references)s.", references=", ".join(result.skipped)), "warning")
    return redirect(url_for(".application_list", call_id=call.id))


@bp.get("/<int:call_id>/applications/<int:application_id>/events/<int:event_id>/file")
@role_required(*READERS)
def event_file(call_id: int, application_id: int, event_id: int):
    """Send the PDF an applicant attached to an answer: to staff only, as a file to save."""
    application = _application_or_404(call_id, application_id)
    event = next((row for row in application.events if row.id == event_id and row.file_name), None)
    if event is None:
        abort(404)
    response = send_file(io.BytesIO(event.file_content), mimetype="application/pdf", as_attachment=True,
                         download_name=event.file_name)
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    return response
