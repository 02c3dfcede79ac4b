"""The registry of organisations as JSON for signed-in staff (of any area: organisations are not placed in one);
contact people's numbers and addresses masked.

The blueprint is nested in trainer.core.api's /api/v1; `docs/openapi.json` describes every endpoint.
"""
from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from trainer.contacts.services import mask_email, mask_mobile
from trainer.core.api import api_bp, forbidden, not_found, staff_only
from trainer.core.urls import page_arg
from trainer.extensions import db
from trainer.partners import partner_report, programme_partners, services
from trainer.partners.models import THEMES, Organisation, OrganisationArea, OrganisationKind
from trainer.partners.services import OrganisationFilter
from trainer.reports import access

bp = Blueprint("partners", __name__)
api_bp.register_blueprint(bp)  # once, when this module is first imported (create_app does it)

PER_PAGE = 100
QUERY_LENGTH = 100


def _place(place) -> dict | None:
    if place is None:
        return None
    return {"code": place.lgd_code, "name_hi": place.name_hi, "name_en": place.name_en}


def _area(area: OrganisationArea) -> dict:
    if area.block is not None:
        return {"level": "block", **_place(area.block)}
    if area.district is not None:
        return {"level": "district", **_place(area.district)}
    return {"level": "state", "code": None, "name_hi": None, "name_en": None}


def _organisation(organisation: Organisation) -> dict:
    return {"id": organisation.id, "name_hi": organisation.name_hi, "name_en": organisation.name_en,
            "kind": organisation.kind.value, "darpan_id": organisation.darpan_id,
            "registration_number": organisation.registration_number,
            "registering_authority": organisation.registering_authority, "pan": organisation.pan,
            "address": organisation.address, "district": _place(organisation.district),
            "website": organisation.website, "email": organisation.email, "phone": organisation.phone,
            "themes": organisation.theme_keys, "areas": [_area(area) for area in organisation.areas],
            "people": [{"name": person.name, "designation": person.designation,
                        "mobile": mask_mobile(person.mobile or "") or None,
                        "email": mask_email(person.email or "") or None} for person in organisation.people],
            "duplicate_of": organisation.duplicate_of_id,
            "created_at": organisation.created_at.isoformat()}


_DETAILS = (selectinload(Organisation.people), selectinload(Organisation.district),
            selectinload(Organisation.areas).selectinload(OrganisationArea.district),
            selectinload(Organisation.areas).selectinload(OrganisationArea.block))


@bp.get("/organisations")
@staff_only
def organisations():
    """List the organisations of the registry, a page at a time, filtered by kind, theme and name or identifier."""
    number = page_arg(strict=True)
    kind = request.args.get("kind") or ""
    theme = request.args.get("theme") or ""
    chosen = OrganisationFilter(query=(request.args.get("q") or "")[:QUERY_LENGTH],
                                kind=OrganisationKind(kind) if kind in set(OrganisationKind) else None,
                                theme=theme if theme in THEMES else None)
    query = services.organisation_query(chosen)
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    found = list(db.session.scalars(query.options(*_DETAILS).limit(PER_PAGE).offset((number - 1) * PER_PAGE))) \
        if number <= total // PER_PAGE + 1 else []
    return jsonify(page=number, per_page=PER_PAGE, total=total, pages=-(-total // PER_PAGE),
                   organisations=[_organisation(organisation) for organisation in found])


@bp.get("/organisations/<int:organisation_id>")
@staff_only
def organisation(organisation_id: int):
    """Return one organisation of the registry."""
    found = services.load_organisation(organisation_id)
    if found is None:
        return not_found(_("There is no such organisation."))
    return jsonify(_organisation(found))


def _programme_or_refusal(programme_id: int):
    """Return (programme, None), or (None, the refusal) for a draft, unknown or out-of-area programme."""
    try:
        return access.reported_programme(programme_id), None
    except access.Refused as refused:
        if refused.status == 404:
            return None, not_found(_("There is no such programme."))
        return None, forbidden(_("This programme does not reach your area."))


@bp.get("/programmes/<int:programme_id>/partners")
@staff_only
def programme_partner_list(programme_id: int):
    """Return whom a programme reaches and its partner organisations."""
    programme, refusal = _programme_or_refusal(programme_id)
    if refusal is not None:
        return refusal
    return jsonify(programme=programme.id, reaches=programme.reaches.value, partners=[
        {"organisation": partner.organisation_id, "name_hi": partner.organisation.name_hi,
         "name_en": partner.organisation.name_en, "district": _place(partner.organisation.district),
         "call": partner.call_id, "added_at": partner.added_at.isoformat()}
        for partner in programme_partners.partners_of(programme)])


def _partner_row(row: partner_report.PartnerRow) -> dict:
    return {"organisation": row.organisation_id, "name": row.name, "district_code": row.district_code,
            "sessions": row.sessions, "participants": row.participants}


@bp.get("/programmes/<int:programme_id>/partner-attendance")
@staff_only
def partner_attendance(programme_id: int):
    """Return how many of a programme's partners in the viewer's area attended, with their participants, session
    by session and partner by partner, and those not yet reached, with the sentence in Hindi and English."""
    programme, refusal = _programme_or_refusal(programme_id)
    if refusal is not None:
        return refusal
    found = partner_report.partner_report(programme, current_user.area)
    return jsonify(programme=programme.id, reaches=programme.reaches.value, partners=found.partners,
                   attended=found.attended, completed=found.completed, participants=found.participants,
                   sentence=partner_report.sentences(found),
                   by_session=[{"session": row.session.id, "starts_at": row.session.starts_at.isoformat(),
                                "status": row.session.status.value, "partners": row.partners,
                                "participants": row.participants} for row in found.by_session],
                   by_partner=[_partner_row(row) for row in found.by_partner],
                   not_reached=[_partner_row(row) for row in found.not_reached])
