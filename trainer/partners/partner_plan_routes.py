"""The partner's own plan pages: an organisation opens its annual plan with the plan's reference and secret code,
writes its activities, sends it to the department, reads the department's comments, and reports each quarter.

Nobody signs in: the reference and code open the plan (wrong codes are limited per address), and the browser's
session remembers it until the partner leaves.
"""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from limits import parse as parse_limit

from trainer.core.forms import ConfirmForm
from trainer.extensions import db, limiter
from trainer.partners import plans
from trainer.partners.models import QUARTERS, AnnualPlan
from trainer.partners.plan_forms import ActivityForm, PlanCodeForm, update_form
from trainer.partners.plans import Actor, PlanError

bp = Blueprint("own_plan", __name__, url_prefix="/plan")

SESSION_KEY = "plan"
PARTNER = Actor(partner=True)


def _remembered() -> AnnualPlan | None:
    """Return the plan this browser opened, unless its code was changed since (a new code shuts out the old)."""
    kept = session.get(SESSION_KEY)
    if not (isinstance(kept, list) and len(kept) == 2 and isinstance(kept[0], int) and isinstance(kept[1], str)):
        return None
    plan = plans.load_plan(kept[0])
    return plan if plan is not None and plan.code_hash[:16] == kept[1] else None


def _sign_in_page(form=None, error=None, status=200):
    return render_template("partners/plans/open.html", form=form or PlanCodeForm(formdata=None), error=error), status


def _limit():
    return parse_limit(current_app.config["PLAN_CODE_LIMIT_PER_ADDRESS"])


@bp.route("", methods=["GET", "POST"])
def open_plan():
    """Take a plan's reference and code, and open the plan."""
    form = PlanCodeForm()
    if form.validate_on_submit():
        address = request.remote_addr or "unknown"
        if not limiter.take(_limit(), "plan-code", address):
            return _sign_in_page(form, _("Too many wrong codes from this address. Wait a few minutes and try "
                                         "again."), 429)
        plan = plans.find(form.reference.data, form.code.data)
        if plan is None:
            return _sign_in_page(form, _("No plan has this reference number and code. Check both and try again."),
                                 400)
        limiter.give_back(_limit(), "plan-code", address)
        session[SESSION_KEY] = [plan.id, plan.code_hash[:16]]
        return redirect(url_for(".mine"))
    return _sign_in_page(form, status=400 if form.is_submitted() else 200)


@bp.post("/leave")
def leave():
    """Forget the plan on this browser."""
    if not ConfirmForm().validate():
        abort(400)
    session.pop(SESSION_KEY, None)
    return redirect(url_for(".open_plan"))


def _activity_form(formdata=None) -> ActivityForm:
    form = ActivityForm(formdata=formdata) if formdata is not None else ActivityForm()
    form.set_places(plans.district_choices())
    return form


def _page(plan: AnnualPlan, activity_form=None, status=200):
    return render_template("partners/plans/detail.html", plan=plan, partner=True, code=None,
                           activity_form=activity_form or _activity_form(formdata={}),
                           button_form=ConfirmForm(formdata=None), totals=plans.activity_totals([plan.id]),
                           quarters=QUARTERS, update_is_open=plans.update_is_open, due_date=plans.due_date,
                           next_due=plans.next_due(plan), editable=plan.state in plans.EDITABLE,
                           under_review=plan.state in plans.UNDER_REVIEW), status


@bp.get("/mine")
def mine():
    """Show the plan opened on this browser (or ask for its reference and code)."""
    plan = _remembered()
    return _page(plan) if plan is not None else _sign_in_page()


def _done(message: str):
    db.session.commit()
    flash(message, "success")
    return redirect(url_for(".mine"))


def _refused(refused: PlanError):
    db.session.rollback()
    flash(refused.message, "error")
    return redirect(url_for(".mine"))


@bp.post("/mine/activities")
def add_activity():
    """Add an activity to the plan."""
    plan = _remembered()
    if plan is None:
        return redirect(url_for(".open_plan"))
    form = _activity_form()
    if not form.validate():
        return _page(plan, activity_form=form, status=400)
    try:
        plans.add_activity(plan, form.values())
    except PlanError as refused:
        db.session.rollback()
        form.form_errors.append(refused.message)
        return _page(_remembered(), activity_form=form, status=400)
    return _done(_("The activity was added."))


@bp.post("/mine/activities/<int:activity_id>/remove")
def remove_activity(activity_id: int):
    """Take an activity out of the plan."""
    plan = _remembered()
    if plan is None:
        return redirect(url_for(".open_plan"))
    activity = next((row for row in plan.activities if row.id == activity_id), None)
    if activity is None:
        abort(404)
    if not ConfirmForm().validate():
        abort(400)
    try:
        plans.remove_activity(plan, activity)
    except PlanError as refused:
        return _refused(refused)
    return _done(_("The activity was removed."))


@bp.post("/mine/submit")
def submit():
    """Send the plan to the department."""
    plan = _remembered()
    if plan is None:
        return redirect(url_for(".open_plan"))
    if not ConfirmForm().validate():
        abort(400)
    try:
        plans.submit(plan, PARTNER)
    except PlanError as refused:
        return _refused(refused)
    return _done(_("The plan was submitted to the department."))


@bp.route("/mine/updates/<int:quarter>", methods=["GET", "POST"])
def update(quarter: int):
    """Report a quarter's progress of every activity of the plan."""
    plan = _remembered()
    if plan is None:
        return _sign_in_page() if request.method == "GET" else redirect(url_for(".open_plan"))
    if quarter not in QUARTERS:
        abort(404)
    sent = next((row for row in plan.updates if row.quarter == quarter), None)
    if request.method == "GET":
        form = update_form(plan.activities, data=plans.update_data(sent))
        status = 200
    else:
        form = update_form(plan.activities)
        if form.validate():
            try:
                plans.submit_update(plan, quarter, form.progress(), PARTNER)
            except PlanError as refused:
                db.session.rollback()
                form.form_errors.append(refused.message)
                plan = _remembered()
            else:
                return _done(_("The quarterly update was sent."))
        status = 400
    return render_template("partners/plans/update.html", plan=plan, quarter=quarter, form=form, sent=sent,
                           back=url_for(".mine"), due_on=plans.due_date(plan.year, quarter),
                           is_open=plans.update_is_open(plan, quarter)), status
