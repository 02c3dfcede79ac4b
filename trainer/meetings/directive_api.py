"""Directives as JSON, for signed-in staff: the directives the reader sees (filtered by status, owner office,
overdue, meeting), overdue first, and one directive with its events and action-taken reports (without the files'
contents). The blueprint is nested in trainer.core.api's /api/v1; `docs/openapi.json` describes it."""
from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from trainer.core import clock
from trainer.core.api import api_bp, error, forbidden, not_found, staff_only
from trainer.core.urls import int_arg, page_arg
from trainer.extensions import db
from trainer.meetings import directive_board as board
from trainer.meetings import directives
from trainer.meetings.models import Directive, DirectiveStatus

bp = Blueprint("directives", __name__)
api_bp.register_blueprint(bp)  # once, when this module is first imported (create_app does it)

PER_PAGE = 100


def _place(directive: Directive) -> dict | None:
    place = directive.block or directive.district or directive.division
    if place is None:
        return None
    return {"level": type(place).__tablename__.removesuffix("s"), "code": place.lgd_code, "name_hi": place.name_hi,
            "name_en": place.name_en}


def directive_json(directive: Directive, details: bool = False) -> dict:
    """Return a directive as JSON; with `details`, its events and action-taken reports (no file contents)."""
    today = clock.today()
    found = {"id": directive.id, "reference": directive.reference, "text_hi": directive.text_hi,
             "text_en": directive.text_en, "meeting_id": directive.meeting_id,
             "owner_office": {"id": directive.owner_office.id, "name_hi": directive.owner_office.name_hi,
                              "name_en": directive.owner_office.name_en},
             "area": _place(directive), "status": directive.status.value, "overdue": bool(directive.overdue),
             "due_on": directive.due_on.isoformat(), "priority": directive.priority.value,
             "days_open": directives.days_open(directive, today),
             "target_value": directive.target_value, "target_percent": directive.target_percent}
    if details:
        found["events"] = [{"at": event.at.isoformat(), "by_id": event.by_id,
                            "from_status": event.from_status.value if event.from_status else None,
                            "to_status": event.to_status.value, "note": event.note,
                            "old_due_on": event.old_due_on.isoformat() if event.old_due_on else None,
                            "new_due_on": event.new_due_on.isoformat() if event.new_due_on else None,
                            "meeting_id": event.meeting_id} for event in directive.events]
        found["reports"] = [{"id": report.id, "text": report.text, "figures": report.figures,
                             "office_id": report.office_id, "reported_by_id": report.reported_by_id,
                             "reported_at": report.reported_at.isoformat(), "file_name": report.file_name,
                             "content_type": report.content_type, "size": report.size, "sha256": report.sha256}
                            for report in directive.reports]
    return found


@bp.get("/directives")
@staff_only
def list_directives():
    """List the directives the reader sees (?status=, ?office=, ?overdue=1, ?meeting=), overdue first, a page at a
    time."""
    number = page_arg(strict=True)
    status_text = request.args.get("status")
    status = None
    if status_text is not None:
        try:
            status = DirectiveStatus(status_text)
        except ValueError:
            return error(400, "bad_request", _("There is no such status."))
    overdue = request.args.get("overdue")
    if overdue not in (None, "0", "1"):
        return error(400, "bad_request", _("Overdue is 1 or 0."))
    query = board.filtered_query(current_user, board.BoardFilters(
        office_id=int_arg("office"), status=status, overdue_only=overdue == "1", meeting_id=int_arg("meeting")))
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    found = list(db.session.scalars(query.limit(PER_PAGE).offset((number - 1) * PER_PAGE))) \
        if number <= total // PER_PAGE + 1 else []
    return jsonify(page=number, per_page=PER_PAGE, total=total, pages=-(-total // PER_PAGE),
                   directives=[directive_json(directive) for directive in found])


@bp.get("/directives/<int:directive_id>")
@staff_only
def directive(directive_id: int):
    """Return one directive with its events and action-taken reports."""
    found = directives.load_directive(directive_id)
    if found is None:
        return not_found(_("There is no such directive."))
    if not directives.may_see(current_user, found):
        return forbidden(_("This directive lies outside your area."))
    return jsonify(directive_json(found, details=True))
