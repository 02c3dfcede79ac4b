"""Contacts as JSON for signed-in staff, limited to their area, numbers and addresses always masked.

The blueprint is nested in trainer.core.api's /api/v1; `docs/openapi.json` describes every endpoint.
"""
from flask import Blueprint, jsonify
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from trainer.contacts import services
from trainer.core.api import api_bp, forbidden, not_found, staff_only
from trainer.core.urls import page_arg
from trainer.extensions import db
from trainer.regions.models import GramPanchayat

bp = Blueprint("contacts", __name__)
api_bp.register_blueprint(bp)  # once, when this module is first imported (create_app does it)

PER_PAGE = 100


def _area(place) -> dict:
    if place is None:
        return {"level": "state", "code": None, "name_hi": None, "name_en": None}
    return {"level": type(place).__name__.lower(), "code": place.lgd_code, "name_hi": place.name_hi,
            "name_en": place.name_en}


def _contact(row: services.ContactRow) -> dict:
    return {"id": row.contact_id, "gp_code": row.gp_code, "gp_hi": row.gp_hi, "gp_en": row.gp_en,
            "block_code": row.block_code, "block_hi": row.block_hi, "block_en": row.block_en,
            "district_code": row.district_code, "district_hi": row.district_hi, "district_en": row.district_en,
            "role": row.role, "name": row.name, "mobile": row.mobile_masked or None,
            "email": row.email_masked or None, "language": row.language, "channels": list(row.channels),
            "opted_out": row.opted_out, "opt_out_source": row.opt_out_source}


@bp.get("/contacts")
@staff_only
def contacts():
    """List the GP contacts of the viewer's area, a page at a time, masked."""
    number = page_arg(strict=True)
    query = services.contact_rows_query(current_user.area)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    results = db.session.execute(query.limit(PER_PAGE).offset((number - 1) * PER_PAGE)) if number <= (
        total // PER_PAGE + 1) else []
    return jsonify(area=_area(current_user.place), page=number, per_page=PER_PAGE, total=total,
                   pages=-(-total // PER_PAGE), contacts=[_contact(services.contact_row(result)) for result in results])


@bp.get("/gps/<int:gp_code>/contacts")
@staff_only
def gp_contacts(gp_code: int):
    """Return one GP's contacts, masked."""
    gram_panchayat = db.session.scalar(select(GramPanchayat).filter_by(lgd_code=gp_code))
    if gram_panchayat is None:
        return not_found(_("There is no such gram panchayat."))
    if not current_user.area.contains(gram_panchayat):
        return forbidden(_("This gram panchayat is outside your area."))
    results = db.session.execute(services.contact_rows_query(current_user.area)
                                 .where(GramPanchayat.id == gram_panchayat.id))
    return jsonify(gram_panchayat={"code": gram_panchayat.lgd_code, "name_hi": gram_panchayat.name_hi,
                                   "name_en": gram_panchayat.name_en},
                   contacts=[_contact(services.contact_row(result)) for result in results])
