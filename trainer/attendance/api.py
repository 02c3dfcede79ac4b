"""Attendance as JSON under /api/v1, for signed-in staff of the session's divisions: one gram panchayat's marks at a
session, each with when it was made on the phone (a mark kept there without network) and when it was received.
`docs/openapi.json` describes it."""
from flask import Blueprint, jsonify
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from trainer.attendance import rules, services
from trainer.attendance.models import AttendanceRevision
from trainer.core.api import api_bp, forbidden, not_found, staff_only
from trainer.extensions import db
from trainer.programmes.models import TrainingSession
from trainer.regions.models import GramPanchayat

bp = Blueprint("attendance_api", __name__)
api_bp.register_blueprint(bp)  # once, when this module is first imported (create_app does it)


def _moment(value):
    return value.isoformat() if value is not None else None


def _mark(mark: AttendanceRevision) -> dict:
    return {"revision": mark.revision, "participants": mark.participants,
            "roles": {role.value: count for role, count in mark.role_counts().items()},
            "mode": mark.mode.value if mark.mode else None, "source": mark.source.value,
            "made_at": _moment(mark.made_at), "received_at": _moment(mark.marked_at),
            "marked_by": mark.marked_by.username if mark.marked_by else None}


@bp.get("/sessions/<int:session_id>/gps/<int:gp_code>/marks")
@staff_only
def gp_marks(session_id: int, gp_code: int):
    """Return every mark of one gram panchayat at a session, newest first."""
    session = db.session.get(TrainingSession, session_id)
    if session is None or not rules.can_be_marked(session):
        return not_found(_("There is no such session."))
    area = current_user.area
    if not area.is_state and area.division_id not in {division.id for division in session.divisions}:
        return forbidden(_("This session does not reach your area."))
    gram_panchayat = db.session.scalar(select(GramPanchayat).filter_by(lgd_code=gp_code))
    if gram_panchayat is None:
        return not_found(_("There is no such gram panchayat."))
    if not area.contains(gram_panchayat):
        return forbidden(_("This gram panchayat is outside your area."))
    if not rules.is_invited(session, gram_panchayat):
        return not_found(_("This session is not meant for this gram panchayat."))
    return jsonify(session_id=session.id,
                   gram_panchayat={"code": gram_panchayat.lgd_code, "name_hi": gram_panchayat.name_hi,
                                   "name_en": gram_panchayat.name_en},
                   marks=[_mark(mark) for mark in services.history_of(session.id, gram_panchayat.id)])
