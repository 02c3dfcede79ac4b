"""A session's questions as JSON, for signed-in staff, limited to the gram panchayats of their area.

Nested in trainer.core.api's /api/v1; `docs/openapi.json` describes it.
"""
from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from trainer.core.api import api_bp, error, forbidden, not_found, staff_only
from trainer.core.bounds import database_int
from trainer.extensions import db
from trainer.programmes.models import SessionStatus, TrainingSession
from trainer.questions import services
from trainer.questions.models import QuestionState
from trainer.questions.services import Filters

bp = Blueprint("questions", __name__)
api_bp.register_blueprint(bp)  # once, when this module is first imported (create_app does it)

PER_PAGE = 100


def _moment(value):
    return value.isoformat() if value is not None else None


def _question(row: services.QuestionRow) -> dict:
    return {"id": row.id, "text": row.text, "state": row.state.value,
            "set_aside_reason": row.set_aside_reason.value if row.set_aside_reason else None,
            "merged_into_id": row.merged_into_id, "answer": row.answer or None, "module_id": row.module_id,
            "asker": row.asker.value if row.asker else None, "supports": row.supports,
            "created_at": _moment(row.created_at), "answered_at": _moment(row.answered_at),
            "gram_panchayat": {"code": row.gp_code, "name_hi": row.gp_hi, "name_en": row.gp_en},
            "block": {"code": row.block_code, "name_hi": row.block_hi, "name_en": row.block_en},
            "district": {"code": row.district_code, "name_hi": row.district_hi, "name_en": row.district_en}}


@bp.get("/sessions/<int:session_id>/questions")
@staff_only
def session_questions(session_id: int):
    """Return a page of a session's questions from the viewer's area, oldest first (`state`, `page`)."""
    session = db.session.get(TrainingSession, session_id)
    if session is None or session.status is SessionStatus.DRAFT:
        return not_found(_("There is no such session."))
    area = current_user.area
    if not (area.is_state or any(area.contains(division) for division in session.divisions)):
        return forbidden(_("This session does not reach your area."))
    state = request.args.get("state")
    if state is not None and state not in set(QuestionState):
        return error(400, "bad_request", _("Choose a state of questions: %(states)s.",
                                           states=", ".join(QuestionState)))
    page_text = request.args.get("page")
    page = database_int(page_text) if page_text is not None else 1
    if page is None:
        return error(400, "bad_request", _("The page is a whole number from 1."))
    found = services.question_page(session.id, Filters(state=QuestionState(state) if state else None), page,
                                   PER_PAGE, area)
    return jsonify(session_id=session.id, total=found.total, page=page, per_page=PER_PAGE,
                   counts={state.value: count for state, count in services.state_counts(session.id, area).items()},
                   questions=[_question(row) for row in found.rows])
