"""A call's intake pages for staff: an application received on paper or by e-mail typed in, a CSV or XLSX file of
applications imported, and the call's report (page, CSV, XLSX, PDF).

Planners record and import applications; every member of staff reads the report (calls are not placed in an
area). The reference and the secret code of what was recorded are shown once, for staff to pass on. The views join
the /partners/calls blueprint of trainer.partners.call_routes.
"""
from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from trainer.core.auth import role_required
from trainer.core.database import retry_on_conflict
from trainer.core.downloads import attachment
from trainer.core.files import apply_upload
from trainer.extensions import db
from trainer.partners import applications, call_questions, call_report, intake
from trainer.partners.applications import ApplicationError
from trainer.partners.apply_forms import district_choices, uploads_of
from trainer.partners.call_routes import EDITORS, READERS, bp, call_or_404
from trainer.partners.forms import OrganisationUploadForm
from trainer.partners.intake_forms import ReceivedApplicationForm
from trainer.partners.models import THEME_LABELS, ApplicationChannel, Call, OrganisationKind
from trainer.questionnaires.forms import answers_from


def _receive_page(call: Call, form: ReceivedApplicationForm, answers=None, error=None, problems=None,
                  status: int = 200):
    return render_template("partners/calls/receive.html", call=call, form=form, error=error,
                           questions=call_questions.questions_of(call), answers=answers or {},
                           problems=problems or {}), status


@bp.route("/<int:call_id>/applications/new", methods=["GET", "POST"])
@role_required(*EDITORS)
@retry_on_conflict
def receive(call_id: int):
    """Record an application that came on paper or by e-mail, with its PDFs; it is submitted at once."""
    call = call_or_404(call_id)
    form = ReceivedApplicationForm(formdata=request.form if request.method == "POST" else None)
    form.set_choices(district_choices(), call.theme_keys)
    if request.method == "GET":
        return _receive_page(call, form)
    answers = answers_from(request.form, call_questions.questions_of(call))
    if not form.validate():
        return _receive_page(call, form, answers, status=400)
    try:
        application, code = applications.receive(call, form.values(), uploads_of(request.files, call),
                                                 ApplicationChannel(form.channel.data), form.received_on.data,
                                                 current_user.id, answers)
    except ApplicationError as refused:
        db.session.rollback()
        return _receive_page(call, form, answers, error=refused.message, problems=refused.problems, status=400)
    db.session.commit()
    # The code is shown on this page only: it is kept hashed, and nobody can see it again.
    return render_template("partners/calls/received.html", call=call, application=application, code=code)


@bp.route("/<int:call_id>/applications/import", methods=["GET", "POST"])
@role_required(*EDITORS)
@retry_on_conflict
def upload(call_id: int):
    """Take a CSV or XLSX file of applications to the call: recorded whole, or not at all."""
    call = call_or_404(call_id)
    form = OrganisationUploadForm()
    problems, summary = [], None
    if form.validate_on_submit():
        sent = form.file.data
        summary, problems = apply_upload(
            lambda: intake.import_applications(call, sent.read(), current_user.id, sent.filename or ""),
            _("The file was imported."))
        if summary is not None:
            form = OrganisationUploadForm(formdata=None)
    status = 400 if problems else 200
    return render_template("partners/calls/import.html", call=call, form=form, problems=problems, summary=summary,
                           kinds=OrganisationKind, theme_labels=THEME_LABELS), status


@bp.get("/<int:call_id>/report")
@role_required(*READERS)
def report(call_id: int):
    """Show the call's report: applications by kind, district and theme, applied against shortlisted and selected."""
    call = call_or_404(call_id)
    found = call_report.call_report(call)
    return render_template("partners/calls/report.html", call=call, report=found,
                           sentence=call_report.sentence(found))


@bp.get("/<int:call_id>/report.<fmt>")
@role_required(*READERS)
def report_file(call_id: int, fmt: str):
    """Download the call's report as CSV, XLSX or PDF."""
    if fmt not in {"csv", "xlsx", "pdf"}:
        abort(400)
    call = call_or_404(call_id)
    found = call_report.call_report(call)
    body = {"csv": call_report.report_csv, "xlsx": call_report.report_xlsx,
            "pdf": call_report.report_file_pdf}[fmt](found)
    word = _("report")  # outside the f-string, where the message extractor finds it
    return attachment(body, fmt, f"{word}-{call.title}", f"call-{call.id}-report")
