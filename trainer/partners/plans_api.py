"""Partners' annual plans, their quarterly updates, the overdue updates and the master trainers as JSON, for
signed-in staff of any area (organisations are not placed in one); master trainers' mobile numbers and e-mail
addresses masked.

The blueprint is nested in trainer.core.api's /api/v1; `docs/openapi.json` describes every endpoint.
"""
from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from trainer.contacts.services import mask_email, mask_mobile
from trainer.core.api import api_bp, error, not_found, staff_only
from trainer.core.urls import page_arg
from trainer.extensions import db
from trainer.partners import masters, plans
from trainer.partners.models import AnnualPlan, MasterTrainer, QuarterlyUpdate

bp = Blueprint("plans_api", __name__)
api_bp.register_blueprint(bp)  # once, when this module is first imported (create_app does it)

PER_PAGE = 100


def _place(place) -> dict:
    return {"code": place.lgd_code, "name_hi": place.name_hi, "name_en": place.name_en}


def _plan(plan: AnnualPlan, details: bool) -> dict:
    organisation = plan.organisation
    found = {"id": plan.id, "reference": plan.reference, "year": plan.year, "year_label": plan.year_label,
             "state": plan.state.value,
             "organisation": {"id": organisation.id, "name_hi": organisation.name_hi, "name_en": organisation.name_en},
             "updated_at": plan.updated_at.isoformat()}
    if details:
        totals = plans.activity_totals([plan.id])
        found.update(
            activities=[{"id": a.id, "title": a.title, "theme": a.theme, "level": a.level.value,
                         "planned_from": a.planned_from.isoformat(), "planned_to": a.planned_to.isoformat(),
                         "participants": a.participants,
                         "districts": [_place(area.district) for area in a.areas if area.district is not None],
                         "blocks": [_place(area.block) for area in a.areas if area.block is not None],
                         "reached": totals[a.id].reached if a.id in totals else 0} for a in plan.activities],
            history=[{"state": e.state.value, "comment": e.comment, "by_partner": e.by_partner,
                      "at": e.at.isoformat()} for e in plan.events],
            updates=[_update(update, plan) for update in plan.updates])
    return found


def _update(update: QuarterlyUpdate, plan: AnnualPlan) -> dict:
    return {"quarter": update.quarter, "due_on": plans.due_date(plan.year, update.quarter).isoformat(),
            "submitted_at": update.submitted_at.isoformat(), "by_partner": update.by_partner,
            "progress": [{"activity_id": p.activity_id, "status": p.status.value, "reached": p.reached,
                          "note": p.note} for p in update.progress]}


def _page(query, number: int) -> tuple[int, list]:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    found = list(db.session.scalars(query.limit(PER_PAGE).offset((number - 1) * PER_PAGE))) \
        if number <= total // PER_PAGE + 1 else []
    return total, found


@bp.get("/plans")
@staff_only
def list_plans():
    """List the partners' annual plans (of one financial year, if asked), the latest first, a page at a time."""
    number = page_arg(strict=True)
    text = request.args.get("year")
    year = None
    if text is not None:
        if not (len(text) == 4 and text.isascii() and text.isdigit() and 2000 <= int(text) <= 2100):
            return error(400, "bad_request", _("The year is a number between 2000 and 2100."))
        year = int(text)
    total, found = _page(plans.plan_query(year), number)
    return jsonify(page=number, per_page=PER_PAGE, total=total, pages=-(-total // PER_PAGE),
                   plans=[_plan(plan, details=False) for plan in found])


@bp.get("/plans/overdue-updates")
@staff_only
def overdue_updates():
    """List the quarterly updates past their due date, with how many days late they are."""
    return jsonify(due_days=plans.due_days(), overdue=[
        {"plan_id": row.plan_id, "reference": row.reference, "organisation_id": row.organisation_id,
         "organisation_name_hi": row.organisation_name_hi, "organisation_name_en": row.organisation_name_en,
         "year": row.year, "quarter": row.quarter, "due_on": row.due_on.isoformat(), "days_late": row.days_late}
        for row in plans.overdue_updates()])


@bp.get("/plans/<int:plan_id>")
@staff_only
def plan(plan_id: int):
    """Return one plan with its activities (and participants reached), history and quarterly updates."""
    found = plans.load_plan(plan_id)
    if found is None:
        return not_found(_("There is no such plan."))
    return jsonify(_plan(found, details=True))


def _master_trainer(trainer: MasterTrainer) -> dict:
    return {"id": trainer.id, "name": trainer.name, "mobile": mask_mobile(trainer.mobile or "") or None,
            "email": mask_email(trainer.email or "") or None, "organisation_id": trainer.organisation_id,
            "district": _place(trainer.district) if trainer.district else None,
            "programme_ids": [p.id for p in trainer.programmes], "module_ids": [m.id for m in trainer.modules],
            "expert_of_module_ids": [m.id for m in trainer.expert_of]}


@bp.get("/master-trainers")
@staff_only
def list_master_trainers():
    """List the master trainers by name, a page at a time."""
    number = page_arg(strict=True)
    query = masters.master_trainer_query().options(
        selectinload(MasterTrainer.programmes), selectinload(MasterTrainer.modules),
        selectinload(MasterTrainer.expert_of), selectinload(MasterTrainer.district))
    total, found = _page(query, number)
    return jsonify(page=number, per_page=PER_PAGE, total=total, pages=-(-total // PER_PAGE),
                   master_trainers=[_master_trainer(trainer) for trainer in found])


@bp.get("/master-trainers/<int:trainer_id>")
@staff_only
def master_trainer(trainer_id: int):
    """Return one master trainer with their programmes and modules."""
    found = masters.load_master_trainer(trainer_id)
    if found is None:
        return not_found(_("There is no such master trainer."))
    return jsonify(_master_trainer(found))
