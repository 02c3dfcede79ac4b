"""The plans' pages for staff: partners' annual plans by year, one plan with its activities, history and
quarterly updates, writing one on a partner's behalf, the department's return or approval, and the overdue
updates.

Every member of staff reads the plans (an organisation lies in no area); planners write them and answer them.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.core import clock
from trainer.core.auth import role_required
from trainer.core.downloads import attachment
from trainer.core.forms import ConfirmForm
from trainer.core.i18n import pick
from trainer.core.roles import STAFF_ROLES
from trainer.core.tables import Table, csv_bytes, xlsx_bytes
from trainer.core.urls import page_arg
from trainer.extensions import db
from trainer.partners import plans
from trainer.partners.models import QUARTERS, THEME_LABELS, AnnualPlan, Organisation
from trainer.partners.plan_forms import ActivityForm, ApproveForm, NewPlanForm, ReturnForm, update_form
from trainer.partners.plans import Actor, PlanError

bp = Blueprint("partner_plans", __name__, url_prefix="/partners/plans")

READERS = STAFF_ROLES
EDITORS = plans.EDITOR_ROLES
REVIEWERS = plans.REVIEWER_ROLES
PER_PAGE = 50


@bp.context_processor
def _helpers() -> dict:
    signed_in = current_user.is_authenticated
    return dict(may_edit_plans=signed_in and current_user.has_role(*EDITORS),
                may_review_plans=signed_in and current_user.has_role(*REVIEWERS))


def _plan_or_404(plan_id: int) -> AnnualPlan:
    plan = plans.load_plan(plan_id)
    if plan is None:
        abort(404)
    return plan


def _year_arg() -> int | None:
    text = (request.args.get("year") or "").strip()
    if not text:
        return None
    if not (len(text) == 4 and text.isascii() and text.isdigit() and 2000 <= int(text) <= 2100):
        abort(400)
    return int(text)


@bp.get("")
@role_required(*READERS)
def index():
    """List the plans of a financial year (or of every year), the latest first."""
    year = _year_arg()
    page = db.paginate(plans.plan_query(year), page=page_arg(), per_page=PER_PAGE, error_out=False)
    return render_template("partners/plans/index.html", page=page, year=year,
                           current_year=plans.financial_year(clock.today()))


@bp.get("/overdue")
@role_required(*READERS)
def overdue():
    """List the quarterly updates that are overdue: which partner, which quarter, how many days late."""
    return render_template("partners/plans/overdue.html", rows=plans.overdue_updates(),
                           due_days=plans.due_days())


EXPORT_FORMATS = ("csv", "xlsx")


@bp.get("/export.<fmt>")
@role_required(*READERS)
def export(fmt: str):
    """Download a financial year's plans (this year's unless asked), an activity a line, with their progress."""
    if fmt not in EXPORT_FORMATS:
        abort(404)
    year = _year_arg() or plans.financial_year(clock.today())
    label = f"{year}-{(year + 1) % 100:02d}"
    table = Table(_("Plans %(year)s", year=label), [
        _("Organisation"), _("Reference number"), _("Status"), _("Activity"), _("Theme"), _("Level"),
        _("Planned from"), _("Planned to"), _("Planned participants"), _("Participants reached"),
        *[_("Q%(quarter)s", quarter=quarter) for quarter in QUARTERS]])
    for row in plans.year_rows(year):
        table.rows.append([pick(row.organisation_hi, row.organisation_en), row.reference, str(row.state.label),
                           row.title, str(THEME_LABELS.get(row.theme, row.theme)), str(row.level.label),
                           row.planned_from, row.planned_to, row.participants, row.reached,
                           *[str(row.progress[q].label) if q in row.progress else "" for q in QUARTERS]])
    body = csv_bytes(table) if fmt == "csv" else xlsx_bytes([table])
    return attachment(body, fmt, f"partner-plans-{label}", f"partner-plans-{label}")


def _activity_form(formdata=None) -> ActivityForm:
    form = ActivityForm(formdata=formdata) if formdata is not None else ActivityForm()
    form.set_places(plans.district_choices())
    return form


def _detail(plan: AnnualPlan, activity_form=None, return_form=None, code=None, status=200):
    return render_template("partners/plans/detail.html", plan=plan, code=code,
                           activity_form=activity_form or _activity_form(formdata={}),
                           return_form=return_form or ReturnForm(formdata=None),
                           approve_form=ApproveForm(formdata=None), button_form=ConfirmForm(formdata=None),
                           totals=plans.activity_totals([plan.id]), quarters=QUARTERS,
                           update_is_open=plans.update_is_open, due_date=plans.due_date,
                           next_due=plans.next_due(plan), editable=plan.state in plans.EDITABLE,
                           under_review=plan.state in plans.UNDER_REVIEW), status


@bp.get("/<int:plan_id>")
@role_required(*READERS)
def detail(plan_id: int):
    """Show a plan: its activities, its history with the department's comments, and its quarterly updates."""
    return _detail(_plan_or_404(plan_id))


@bp.route("/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def create():
    """Open an organisation's plan for a financial year; show the reference and code the partner will use."""
    form = NewPlanForm() if request.method == "POST" else \
        NewPlanForm(formdata=None, data={"year": plans.financial_year(clock.today()),
                                         "organisation": request.args.get("organisation", "")})
    form.set_organisations(plans.organisation_choices())
    if form.validate_on_submit():
        organisation = db.session.get(Organisation, int(form.organisation.data))
        try:
            plan, code = plans.start_plan(organisation, form.year.data, Actor(user_id=current_user.id))
        except PlanError as refused:
            db.session.rollback()
            form.form_errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("The plan was opened."), "success")
            # The code is shown on this page only: it is kept hashed.
            return _detail(plans.load_plan(plan.id), code=code)
    status = 400 if form.is_submitted() else 200
    return render_template("partners/plans/new.html", form=form), status


def _refused(plan: AnnualPlan, refused: PlanError):
    db.session.rollback()
    flash(refused.message, "error")
    return redirect(url_for(".detail", plan_id=plan.id))


def _done(plan: AnnualPlan, message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".detail", plan_id=plan.id))


@bp.post("/<int:plan_id>/activities")
@role_required(*EDITORS)
def add_activity(plan_id: int):
    """Add an activity to the plan, on the partner's behalf."""
    plan = _plan_or_404(plan_id)
    form = _activity_form()
    if not form.validate():
        return _detail(plan, activity_form=form, status=400)
    try:
        plans.add_activity(plan, form.values())
    except PlanError as refused:
        db.session.rollback()
        form.form_errors.append(refused.message)
        return _detail(_plan_or_404(plan_id), activity_form=form, status=400)
    return _done(plan, _("The activity was added."))


@bp.post("/<int:plan_id>/activities/<int:activity_id>/remove")
@role_required(*EDITORS)
def remove_activity(plan_id: int, activity_id: int):
    """Take an activity out of the plan."""
    plan = _plan_or_404(plan_id)
    activity = next((row for row in plan.activities if row.id == activity_id), None)
    if activity is None:
        abort(404)
    if not ConfirmForm().validate():
        abort(400)
    try:
        plans.remove_activity(plan, activity)
    except PlanError as refused:
        return _refused(plan, refused)
    return _done(plan, _("The activity was removed."))


@bp.post("/<int:plan_id>/submit")
@role_required(*EDITORS)
def submit(plan_id: int):
    """Send the plan to the department, on the partner's behalf."""
    plan = _plan_or_404(plan_id)
    if not ConfirmForm().validate():
        abort(400)
    try:
        plans.submit(plan, Actor(user_id=current_user.id))
    except PlanError as refused:
        return _refused(plan, refused)
    return _done(plan, _("The plan was submitted to the department."))


@bp.post("/<int:plan_id>/return")
@role_required(*REVIEWERS)
def return_plan(plan_id: int):
    """Return the plan to the partner with the department's comments."""
    plan = _plan_or_404(plan_id)
    form = ReturnForm()
    if not form.validate():
        return _detail(plan, return_form=form, status=400)
    try:
        plans.return_plan(plan, form.comment.data or "", current_user.id)
    except PlanError as refused:
        return _refused(plan, refused)
    return _done(plan, _("The plan was returned to the partner with the comments."))


@bp.post("/<int:plan_id>/approve")
@role_required(*REVIEWERS)
def approve(plan_id: int):
    """Approve the plan."""
    plan = _plan_or_404(plan_id)
    form = ApproveForm()
    if not form.validate():
        abort(400)
    try:
        plans.approve(plan, current_user.id, form.comment.data or "")
    except PlanError as refused:
        return _refused(plan, refused)
    return _done(plan, _("The plan was approved."))


@bp.post("/<int:plan_id>/code")
@role_required(*EDITORS)
def new_code(plan_id: int):
    """Give the plan a new secret code for the partner (the old one stops working); show it once."""
    plan = _plan_or_404(plan_id)
    if not ConfirmForm().validate():
        abort(400)
    code = plans.new_code(plan)
    db.session.commit()
    return _detail(plan, code=code)


def _quarter_or_404(plan: AnnualPlan, quarter: int) -> int:
    if quarter not in QUARTERS:
        abort(404)
    return quarter


@bp.route("/<int:plan_id>/updates/<int:quarter>", methods=["GET", "POST"])
@role_required(*EDITORS)
def update(plan_id: int, quarter: int):
    """Record a quarter's progress of every activity, on the partner's behalf."""
    plan = _plan_or_404(plan_id)
    _quarter_or_404(plan, quarter)
    sent = next((row for row in plan.updates if row.quarter == quarter), None)
    if request.method == "GET":
        form = update_form(plan.activities, data=plans.update_data(sent))
        return render_template("partners/plans/update.html", plan=plan, quarter=quarter, form=form, sent=sent,
                               back=url_for(".detail", plan_id=plan.id), due_on=plans.due_date(plan.year, quarter),
                               is_open=plans.update_is_open(plan, quarter))
    form = update_form(plan.activities)
    if form.validate():
        try:
            plans.submit_update(plan, quarter, form.progress(), Actor(user_id=current_user.id))
        except PlanError as refused:
            db.session.rollback()
            form.form_errors.append(refused.message)
        else:
            return _done(plan, _("The quarterly update was saved."))
    return render_template("partners/plans/update.html", plan=_plan_or_404(plan_id), quarter=quarter, form=form,
                           sent=sent, back=url_for(".detail", plan_id=plan.id),
                           due_on=plans.due_date(plan.year, quarter), is_open=plans.update_is_open(plan, quarter)), 400
