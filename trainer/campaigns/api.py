"""Campaigns as JSON, for signed-in staff: the campaigns that meet the reader's area, and one campaign with its
phases, offices, programmes and indicators.

The blueprint is nested in trainer.core.api's /api/v1; `docs/openapi.json` describes every endpoint.
"""
from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from trainer.campaigns import dashboard as boards
from trainer.campaigns import services
from trainer.campaigns.coverage import LEVEL_MODELS
from trainer.campaigns.models import Campaign
from trainer.core.api import api_bp, error, forbidden, not_found, staff_only
from trainer.core.bounds import database_int
from trainer.core.urls import page_arg
from trainer.extensions import db
from trainer.reports.access import place_by_code

bp = Blueprint("campaigns", __name__)
api_bp.register_blueprint(bp)  # once, when this module is first imported (create_app does it)

PER_PAGE = 100


def _place(place) -> dict | None:
    if place is None:
        return None
    level = type(place).__tablename__.removesuffix("s").replace("gram_panchayat", "gp")
    return {"level": level, "code": place.lgd_code, "name_hi": place.name_hi, "name_en": place.name_en}


def _campaign(campaign: Campaign, details: bool) -> dict:
    found = {"id": campaign.id, "title_hi": campaign.title_hi, "title_en": campaign.title_en,
             "starts_on": campaign.starts_on.isoformat(), "ends_on": campaign.ends_on.isoformat(),
             "area": _place(campaign.place), "period_kind": campaign.period_kind.value,
             "approval": campaign.approval.value}
    if details:
        counts = services.target_counts(campaign)
        found.update(
            description_hi=campaign.description_hi, description_en=campaign.description_en,
            periods=[{"key": p.key, "starts_on": p.starts_on.isoformat(), "ends_on": p.ends_on.isoformat()}
                     for p in services.periods_of(campaign)],
            phases=[{"id": p.id, "position": p.position, "name_hi": p.name_hi, "name_en": p.name_en,
                     "starts_on": p.starts_on.isoformat(), "ends_on": p.ends_on.isoformat()} for p in campaign.phases],
            offices=[{"id": o.id, "name_hi": o.name_hi, "name_en": o.name_en, "responsibilities": o.responsibilities}
                     for o in campaign.offices],
            programmes=[{"id": p.id, "title_hi": p.title_hi, "title_en": p.title_en} for p in campaign.programmes],
            indicators=[{"id": i.id, "code": i.code, "position": i.position, "name_hi": i.name_hi,
                         "name_en": i.name_en, "unit_hi": i.unit_hi, "unit_en": i.unit_en, "level": i.level.value,
                         "source": i.source.value, "programme_id": i.programme_id, "share_of": i.share_of_id,
                         "higher_is_better": i.higher_is_better, "may_exceed_target": i.may_exceed_target,
                         "targets": counts.get(i.id, 0)} for i in campaign.indicators])
    return found


@bp.get("/campaigns")
@staff_only
def list_campaigns():
    """List the campaigns that meet the reader's area, the latest to start first, a page at a time."""
    number = page_arg(strict=True)
    query = services.campaign_query(current_user.area)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    found = list(db.session.scalars(query.limit(PER_PAGE).offset((number - 1) * PER_PAGE))) \
        if number <= total // PER_PAGE + 1 else []
    return jsonify(page=number, per_page=PER_PAGE, total=total, pages=-(-total // PER_PAGE),
                   campaigns=[_campaign(campaign, details=False) for campaign in found])


@bp.get("/campaigns/<int:campaign_id>")
@staff_only
def campaign(campaign_id: int):
    """Return one campaign with its periods, phases, offices, programmes and indicators."""
    found = services.load_campaign(campaign_id)
    if found is None:
        return not_found(_("There is no such campaign."))
    if not services.may_see(current_user.area, found):
        return forbidden(_("This campaign lies outside your area."))
    return jsonify(_campaign(found, details=True))


@bp.get("/campaigns/<int:campaign_id>/dashboard")
@staff_only
def dashboard(campaign_id: int):
    """Return a campaign's dashboard for the reader's area: each indicator's figures, phases, places and trend
    (`?level=division|district|block&code=<LGD code>` for one place of the area)."""
    found = services.load_campaign(campaign_id)
    if found is None:
        return not_found(_("There is no such campaign."))
    if not services.may_see(current_user.area, found):
        return forbidden(_("This campaign lies outside your area."))
    place = None
    if "level" in request.args or "code" in request.args:
        level, code = request.args.get("level"), database_int(request.args.get("code"))
        if level not in LEVEL_MODELS or level == "gp" or code is None:
            return error(400, "bad_request", _("Name a division, district or block by its level and LGD code."))
        place = place_by_code(LEVEL_MODELS[level], code)
        if place is None:
            return not_found(_("There is no such place."))
        if not current_user.area.holds(place) or not services.area_of(found).holds(place):
            return forbidden(_("This place lies outside your area."))
    return jsonify(boards.as_json(boards.build(found, current_user.area, place)))
