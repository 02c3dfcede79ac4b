"""Review meetings as JSON, for signed-in staff: the series and meetings the reader sees, and one meeting with its
agenda, who was present and its directives (status and overdue). Nested in trainer.core.api's /api/v1;
`docs/openapi.json` describes it."""
from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from trainer.core.api import api_bp, error, forbidden, not_found, staff_only
from trainer.core.urls import page_arg
from trainer.extensions import db
from trainer.meetings import services
from trainer.meetings.models import Directive, Meeting, MeetingSeries
from trainer.offices.api import place_json

bp = Blueprint("meetings", __name__)
api_bp.register_blueprint(bp)  # once, when this module is first imported (create_app does it)

PER_PAGE = 100


def _office(office) -> dict | None:
    if office is None:
        return None
    return {"id": office.id, "name_hi": office.name_hi, "name_en": office.name_en, "short_name": office.short_name}


def series_json(series: MeetingSeries, details: bool = False) -> dict:
    found = {"id": series.id, "code": series.code, "title_hi": series.title_hi, "title_en": series.title_en,
             "chair_office": _office(series.chair_office), "area": place_json(series.place),
             "programme_id": series.programme_id, "campaign_id": series.campaign_id}
    if details:
        found["member_offices"] = [_office(o) for o in series.member_offices]
        found["meetings"] = [meeting_json(m) for m in series.meetings]
    return found


def meeting_json(meeting: Meeting) -> dict:
    return {"id": meeting.id, "series_id": meeting.series_id, "number": meeting.number,
            "starts_at": meeting.starts_at.isoformat(), "ends_at": meeting.ends_at.isoformat(),
            "venue": meeting.venue, "public": meeting.public, "status": meeting.status.value,
            "notice_sent": meeting.notice_sent_at is not None, "minutes_final": meeting.finalised}


def directive_json(directive: Directive) -> dict:
    return {"id": directive.id, "reference": directive.reference, "text_hi": directive.text_hi,
            "text_en": directive.text_en, "owner_office": _office(directive.owner_office),
            "agenda_item_id": directive.agenda_item_id, "due_on": directive.due_on.isoformat(),
            "priority": directive.priority.value, "status": directive.status.value, "overdue": bool(directive.overdue)}


def _page(query, number: int) -> tuple[int, list]:
    total = db.session.scalar(select(func.count()).select_from(query.order_by(None).subquery()))
    found = list(db.session.scalars(query.limit(PER_PAGE).offset((number - 1) * PER_PAGE))) \
        if number <= total // PER_PAGE + 1 else []
    return total, found


@bp.get("/meeting-series")
@staff_only
def list_series():
    """List the series the reader sees, by title, a page at a time."""
    number = page_arg(strict=True)
    total, found = _page(services.series_query(current_user), number)
    return jsonify(page=number, per_page=PER_PAGE, total=total, pages=-(-total // PER_PAGE),
                   series=[series_json(s) for s in found])


@bp.get("/meeting-series/<int:series_id>")
@staff_only
def one_series(series_id: int):
    """Return one series with its member offices and meetings."""
    found = services.load_series(series_id)
    if found is None:
        return not_found(_("There is no such series."))
    if not services.may_see_series(current_user, found):
        return forbidden(_("This series lies outside your area."))
    return jsonify(series_json(found, details=True))


@bp.get("/meetings")
@staff_only
def list_meetings():
    """List the meetings the reader sees, the latest first (?series= keeps one series), a page at a time."""
    number = page_arg(strict=True)
    query = services.meeting_query(current_user)
    series_arg = request.args.get("series")
    if series_arg is not None:
        if not (series_arg.isascii() and series_arg.isdigit() and len(series_arg) <= 10
                and 0 < int(series_arg) < 2**31):
            return error(400, "bad_request", _("The series is a number."))
        query = query.where(Meeting.series_id == int(series_arg))
    total, found = _page(query, number)
    return jsonify(page=number, per_page=PER_PAGE, total=total, pages=-(-total // PER_PAGE),
                   meetings=[meeting_json(m) for m in found])


@bp.get("/meetings/<int:meeting_id>")
@staff_only
def one_meeting(meeting_id: int):
    """Return one meeting with its agenda, who was present and its directives (status, overdue)."""
    found = services.load_meeting(meeting_id)
    if found is None:
        return not_found(_("There is no such meeting."))
    if not services.may_see_series(current_user, found.series):
        return forbidden(_("This meeting lies outside your area."))
    return jsonify(
        **meeting_json(found), series=series_json(found.series),
        agenda=[{"id": i.id, "position": i.position, "title_hi": i.title_hi, "title_en": i.title_en,
                 "kind": i.kind.value, "presenting_office": _office(i.presenting_office)}
                for i in found.agenda_items],
        present=[{"name": a.name, "designation": a.designation, "office": a.office_text, "how": a.how.value,
                  "user_id": a.user_id} for a in services.present(found)],
        directives=[directive_json(d) for d in found.directives])
