"""Offices as JSON, for signed-in staff: the offices that meet the reader's area (with a search), and one office
with its officers. The blueprint is nested in trainer.core.api's /api/v1; `docs/openapi.json` describes it."""
from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from trainer.core.api import api_bp, forbidden, not_found, staff_only
from trainer.core.urls import page_arg
from trainer.extensions import db
from trainer.offices import services
from trainer.offices.models import Office

bp = Blueprint("offices", __name__)
api_bp.register_blueprint(bp)  # once, when this module is first imported (create_app does it)

PER_PAGE = 100


def place_json(place) -> dict | None:
    """Return a division, district or block as JSON (level, LGD code, names), or None."""
    if place is None:
        return None
    level = type(place).__tablename__.removesuffix("s")
    return {"level": level, "code": place.lgd_code, "name_hi": place.name_hi, "name_en": place.name_en}


def office_json(office: Office, details: bool = False) -> dict:
    """Return an office as JSON; with `details`, its officers too."""
    found = {"id": office.id, "name_hi": office.name_hi, "name_en": office.name_en, "short_name": office.short_name,
             "area": place_json(office.place), "phone": office.phone, "email": office.email, "active": office.active}
    if details:
        found["officers"] = [{"user_id": o.user_id, "name": o.user.full_name, "username": o.user.username,
                              "designation": o.designation} for o in office.officers]
    return found


@bp.get("/offices")
@staff_only
def list_offices():
    """List the offices that meet the reader's area (?q= searches the names), by name, a page at a time."""
    number = page_arg(strict=True)
    query = services.office_query(current_user.area, (request.args.get("q") or "")[:100])
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    found = list(db.session.scalars(query.limit(PER_PAGE).offset((number - 1) * PER_PAGE))) \
        if number <= total // PER_PAGE + 1 else []
    return jsonify(page=number, per_page=PER_PAGE, total=total, pages=-(-total // PER_PAGE),
                   offices=[office_json(office) for office in found])


@bp.get("/offices/<int:office_id>")
@staff_only
def office(office_id: int):
    """Return one office with its officers."""
    found = services.load_office(office_id)
    if found is None:
        return not_found(_("There is no such office."))
    if not services.may_see(current_user.area, found):
        return forbidden(_("This office lies outside your area."))
    return jsonify(office_json(found, details=True))
