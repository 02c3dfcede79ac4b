"""Calls for expressions of interest and their applications as JSON, for signed-in staff of any area (calls are
not placed in one): each application's state, decision and history; applicants' mobile numbers and e-mail addresses
masked, documents described but not sent.

The blueprint is nested in trainer.core.api's /api/v1; `docs/openapi.json` describes every endpoint.
"""
from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from trainer.contacts.services import mask_email, mask_mobile
from trainer.core.api import api_bp, error, not_found, staff_only
from trainer.core.forms import one_line
from trainer.core.urls import page_arg
from trainer.extensions import db
from trainer.partners import call_report, calls, screening
from trainer.partners.models import Application, ApplicationAnswer, ApplicationEvent, ApplicationState, Call
from trainer.questionnaires.models import QuestionKind

bp = Blueprint("calls", __name__)
api_bp.register_blueprint(bp)  # once, when this module is first imported (create_app does it)

PER_PAGE = 100


def _call(call: Call, details: bool) -> dict:
    found = {"id": call.id, "title_hi": call.title_hi, "title_en": call.title_en,
             "opens_on": call.opens_on.isoformat(), "closes_on": call.closes_on.isoformat(),
             "open": calls.is_open(call), "themes": call.theme_keys}
    if details:
        found.update(
            description_hi=call.description_hi, description_en=call.description_en,
            criteria=[{"id": c.id, "text_hi": c.text_hi, "text_en": c.text_en, "weight": c.weight,
                       "max_score": c.max_score, "required": c.required} for c in call.criteria],
            documents=[{"id": d.id, "name_hi": d.name_hi, "name_en": d.name_en, "required": d.required}
                       for d in call.documents],
            questions=[{"id": q.id, "position": q.position, "kind": q.kind.value, "text_hi": q.text_hi,
                        "text_en": q.text_en, "options": [{"key": o["key"], "hi": o["hi"], "en": o["en"]}
                                                          for o in q.options],
                        "required": q.required, "hidden": q.hidden} for q in call.questions])
    return found


def _answers(application: Application) -> list[dict]:
    """Return one item per question answered: a rating as a number, a single choice's key, several choices' keys
    as a list, a text as it was written."""
    values: dict[int, object] = {}
    for answer in application.answers:
        if answer.option_key is not None:
            question = answer.question
            if question.kind is QuestionKind.MULTIPLE:
                values.setdefault(answer.question_id, []).append(answer.option_key)
            else:
                values[answer.question_id] = answer.option_key
        else:
            values[answer.question_id] = answer.rating if answer.rating is not None else answer.text
    return [{"question_id": question_id, "value": value} for question_id, value in values.items()]


def _application(application: Application) -> dict:
    district = application.district
    return {"id": application.id, "reference": application.reference, "state": application.state.value,
            "name_hi": application.name_hi, "name_en": application.name_en, "kind": application.kind.value,
            "darpan_id": application.darpan_id, "pan": application.pan,
            "registration_number": application.registration_number,
            "district": {"code": district.lgd_code, "name_hi": district.name_hi, "name_en": district.name_en}
            if district else None,
            "contact_name": application.contact_name,
            "contact_mobile": mask_mobile(application.contact_mobile or "") or None,
            "contact_email": mask_email(application.contact_email or "") or None,
            "themes": application.theme_keys, "organisation_id": application.organisation_id,
            "duplicate_of": application.duplicate_of_id, "channel": application.channel.value,
            "received_on": application.received_on.isoformat() if application.received_on else None,
            "created_at": application.created_at.isoformat(),
            "submitted_at": application.submitted_at.isoformat() if application.submitted_at else None,
            "documents": [{"id": d.id, "call_document_id": d.call_document_id, "file_name": d.file_name,
                           "size": d.size, "sha256": d.sha256} for d in application.documents],
            "answers": _answers(application),
            "decision": {"outcome": decision.outcome.value, "note": decision.note,
                         "prepared_at": decision.prepared_at.isoformat(),
                         "published_at": decision.published_at.isoformat() if decision.published_at else None}
            if (decision := application.decision) else None,
            "history": [{"id": e.id, "from_state": e.from_state.value, "to_state": e.to_state.value, "note": e.note,
                         "by": "applicant" if e.by_applicant else (e.by.username if e.by else None),
                         "at": e.at.isoformat(),
                         "file": {"file_name": e.file_name, "size": e.file_size, "sha256": e.file_sha256}
                         if e.file_name else None} for e in application.events]}


def _page(query, number: int) -> tuple[int, list]:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    found = list(db.session.scalars(query.limit(PER_PAGE).offset((number - 1) * PER_PAGE))) \
        if number <= total // PER_PAGE + 1 else []
    return total, found


@bp.get("/calls")
@staff_only
def list_calls():
    """List the calls, the latest to open first, a page at a time."""
    number = page_arg(strict=True)
    total, found = _page(calls.call_query(), number)
    return jsonify(page=number, per_page=PER_PAGE, total=total, pages=-(-total // PER_PAGE),
                   calls=[_call(call, details=False) for call in found])


@bp.get("/calls/<int:call_id>")
@staff_only
def call(call_id: int):
    """Return one call with its screening criteria and the documents it asks for."""
    found = calls.load_call(call_id)
    if found is None:
        return not_found(_("There is no such call."))
    return jsonify(_call(found, details=True))


@bp.get("/calls/<int:call_id>/applications")
@staff_only
def applications(call_id: int):
    """List a call's applications in the order they came, a page at a time."""
    found = calls.load_call(call_id)
    if found is None:
        return not_found(_("There is no such call."))
    number = page_arg(strict=True)
    state = request.args.get("state")
    if state is not None and state not in {s.value for s in ApplicationState}:
        return error(400, "bad_request", _("Unknown state: %(state)s.", state=one_line(state)[:40]))
    query = (select(Application).where(Application.call_id == found.id).order_by(Application.number)
             .options(selectinload(Application.themes), selectinload(Application.documents),
                      selectinload(Application.district), selectinload(Application.decision),
                      selectinload(Application.events).selectinload(ApplicationEvent.by),
                      selectinload(Application.answers).selectinload(ApplicationAnswer.question)))
    if state is not None:
        query = query.where(Application.state == ApplicationState(state))
    total, rows = _page(query, number)
    return jsonify(page=number, per_page=PER_PAGE, total=total, pages=-(-total // PER_PAGE),
                   counts={state.value: count for state, count in screening.counts_by_state(found).items()},
                   applications=[_application(application) for application in rows])


def _groups(rows) -> list[dict]:
    return [{"key": row.key or None, "label": row.label, "applied": row.applied, "shortlisted": row.shortlisted,
             "selected": row.selected} for row in rows]


@bp.get("/calls/<int:call_id>/report")
@staff_only
def report(call_id: int):
    """Return the call's report: applications by kind, district (null: state-wide) and theme, applied against
    shortlisted and selected, with the sentence in Hindi and English."""
    found = calls.load_call(call_id)
    if found is None:
        return not_found(_("There is no such call."))
    counted = call_report.call_report(found)
    return jsonify(call_id=found.id, applied=counted.applied, shortlisted=counted.shortlisted,
                   selected=counted.selected, duplicates=counted.duplicates, drafts=counted.drafts,
                   sentence=call_report.sentences(counted), by_kind=_groups(counted.by_kind),
                   by_district=_groups(counted.by_district), by_theme=_groups(counted.by_theme),
                   by_channel={channel.value: count for channel, count in counted.by_channel})


@bp.get("/calls/<int:call_id>/applications/<int:application_id>")
@staff_only
def application(call_id: int, application_id: int):
    """Return one application of a call with its state, prepared or published decision and history."""
    found = screening.application_of(call_id, application_id)
    if found is None:
        return not_found(_("There is no such application."))
    return jsonify(_application(found))
