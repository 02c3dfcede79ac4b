"""Report pages for staff: the dashboard, each programme's coverage with its drill-down, each session's report.

Every figure comes from `trainer.reports.queries`, always for the viewer's area; the JSON twins in
`trainer.reports.api` read the same results.
"""
from itertools import groupby
from types import SimpleNamespace

from flask import Blueprint, abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from trainer.accounts.auth import STAFF_ROLES, require_in_area, role_required
from trainer.attendance.models import WatchMode
from trainer.core.i18n import current_language
from trainer.extensions import db
from trainer.programmes.models import ParticipantRole, Programme, SessionStatus, TrainingSession
from trainer.regions.areas import Area
from trainer.regions.models import Block, District, Division
from trainer.reports import charts, queries
from trainer.reports.words import programme_sentence

bp = Blueprint("reports", __name__, url_prefix="/reports")

# Larger ids cannot be stored (and SQLite cannot even compare them): no such programme or session.
MAX_ID = 2**31 - 1
QUERY_LENGTH = 100


# Shared with the JSON twins


def find(model, object_id: int):
    """Return the programme or session with this id, or None."""
    return db.session.get(model, object_id) if 0 < object_id <= MAX_ID else None


def reaches(area: Area, divisions) -> bool:
    """Say whether an area lies in one of these divisions: a programme or session it may report on."""
    return area.is_state or any(area.contains(division) for division in divisions)


def visible_glances(area: Area) -> list[queries.ProgrammeAtAGlance]:
    """Return the dashboard's programmes that reach the area."""
    return [glance for glance in queries.dashboard(area) if reaches(area, glance.programme.divisions)]


def text_query() -> str:
    """Return the text to look for in written answers, from `q` (without NUL bytes: PostgreSQL refuses them)."""
    return request.args.get("q", "").replace("\x00", "")[:QUERY_LENGTH].strip()


def place_by_code(model, lgd_code: int):
    """Return the division, district or block with this LGD code, or None."""
    if not 0 < lgd_code <= MAX_ID:
        return None
    return db.session.scalar(db.select(model).where(model.lgd_code == lgd_code))


# Helpers of the pages


@bp.context_processor
def report_helpers():
    """Give the report templates their helpers."""
    return {"pick": pick, "role_label": role_label, "mode_label": mode_label, "totals_of": totals_of}


def pick(hindi: str | None, english: str | None) -> str:
    """Return the Hindi or English of a pair, in the page's language, falling back to the other."""
    hindi, english = hindi or "", english or ""
    return (english or hindi) if current_language() == "en" else (hindi or english)


def role_label(value: str) -> str:
    """Name a participant role in the page's language."""
    return str(ParticipantRole(value).label)


def mode_label(value: str | None) -> str:
    """Name a way of watching in the page's language."""
    return str(WatchMode(value).label) if value else _("Not stated")


def programme_or_abort(programme_id: int) -> Programme:
    """A programme with published sessions (drafts are the planners' only), in the viewer's area."""
    programme = find(Programme, programme_id)
    if programme is None or all(s.status is SessionStatus.DRAFT for s in programme.sessions):
        abort(404)
    if not reaches(current_user.area, programme.divisions):
        abort(403)
    return programme


def _target_place_or_abort(programme: Programme, model, lgd_code: int):
    # The place must exist, be the viewer's to see, and lie in one of the programme's divisions.
    place = place_by_code(model, lgd_code)
    if place is None:
        abort(404)
    require_in_area(place)
    division = {Division: lambda p: p, District: lambda p: p.division,
                Block: lambda p: p.district.division}[model](place)
    if division not in programme.divisions:
        abort(404)
    return place


def totals_of(rows: list[queries.PlaceCoverage]) -> SimpleNamespace:
    """Add up the few rows of a coverage table for its footer."""
    target, reached = sum(r.target for r in rows), sum(r.reached for r in rows)
    return SimpleNamespace(target=target, reached=reached, participants=sum(r.participants for r in rows))


# Pages


@bp.get("/")
@role_required(*STAFF_ROLES)
def dashboard():
    """Show every programme at a glance: trained GPs of the target, participants, sessions held."""
    return render_template("reports/dashboard.html", glances=visible_glances(current_user.area))


@bp.get("/programmes/<int:programme_id>")
@role_required(*STAFF_ROLES)
def programme(programme_id: int):
    """Show a programme's report for the viewer's area, with coverage at the level below that area."""
    programme = programme_or_abort(programme_id)
    area, place = current_user.area, current_user.place
    report = queries.programme_report(programme, area)
    # The area's own coverage is one level below it; a block officer sees each of their GPs.
    level = {Division: "district", District: "block", Block: "gp"}.get(type(place), "division")
    rows = report.coverage.get(level, [])
    gps = queries.block_gps(programme, area, place) if level == "gp" else None
    sessions = [s for s in programme.sessions if s.status is not SessionStatus.DRAFT and reaches(area, s.divisions)]
    return render_template(
        "reports/programme.html", programme=programme, report=report, sentence=programme_sentence(report),
        place=place, level=level, rows=rows, gps=gps, totals=totals_of(rows), sessions=sessions,
        modules=queries.module_feedback(programme, area),
        coverage_chart=charts.coverage_bars(rows, current_language()) if rows else None,
        progress_chart=charts.progress_line(report.progress, report.target_gps, programme.first_day, programme.last_day)
        if report.progress else None)


@bp.get("/programmes/<int:programme_id>/divisions/<int:division_code>")
@role_required(*STAFF_ROLES)
def division(programme_id: int, division_code: int):
    """Show a division's districts under a programme."""
    programme = programme_or_abort(programme_id)
    division = _target_place_or_abort(programme, Division, division_code)
    rows = queries.coverage_within(programme, current_user.area, "district", division.id)
    return _drill_down(programme, rows, "district", division=division)


@bp.get("/programmes/<int:programme_id>/districts/<int:district_code>")
@role_required(*STAFF_ROLES)
def district(programme_id: int, district_code: int):
    """Show a district's blocks under a programme."""
    programme = programme_or_abort(programme_id)
    district = _target_place_or_abort(programme, District, district_code)
    rows = queries.coverage_within(programme, current_user.area, "block", district.id)
    return _drill_down(programme, rows, "block", division=district.division, district=district)


def _drill_down(programme, rows, level, **places):
    place = places.get("district") or places["division"]
    return render_template("reports/drill_down.html", programme=programme, rows=rows, level=level, place=place,
                           totals=totals_of(rows), chart=charts.coverage_bars(rows, current_language()) if rows else None,
                           **places)


@bp.get("/programmes/<int:programme_id>/blocks/<int:block_code>")
@role_required(*STAFF_ROLES)
def block(programme_id: int, block_code: int):
    """Show every gram panchayat of a block: sessions attended, participants, trained or not."""
    programme = programme_or_abort(programme_id)
    block = _target_place_or_abort(programme, Block, block_code)
    gps = queries.block_gps(programme, current_user.area, block)
    return render_template("reports/block.html", programme=programme, block=block, district=block.district,
                           division=block.district.division, gps=gps,
                           trained=sum(1 for gp in gps if gp.trained))


@bp.get("/sessions/<int:session_id>")
@role_required(*STAFF_ROLES)
def session(session_id: int):
    """Show a session's report: who came, who did not, and what they thought of it."""
    session = find(TrainingSession, session_id)
    if session is None or session.status is SessionStatus.DRAFT:
        abort(404)
    if not reaches(current_user.area, session.divisions):
        abort(403)
    searched = text_query()
    report = queries.session_report(session, current_user.area, searched)
    return render_template(
        "reports/session.html", session=session, report=report, text_query=searched,
        absent_by_block=absent_by_block(report.absent),
        rating_charts={r.question_id: charts.rating_bars(r.distribution) for r in report.feedback.ratings},
        district_chart=charts.coverage_bars(report.by_district, current_language()) if report.by_district else None)


def absent_by_block(rows: list[queries.GpRow]) -> list[SimpleNamespace]:
    """Group the absent GPs (already ordered by district and block) under their blocks."""
    groups = []
    for (code, hindi, english, district_hi, district_en), gps in groupby(
            rows, key=lambda r: (r.block_code, r.block_hi, r.block_en, r.district_hi, r.district_en)):
        groups.append(SimpleNamespace(code=code, name_hi=hindi, name_en=english,
                                      district=SimpleNamespace(name_hi=district_hi, name_en=district_en),
                                      gps=list(gps)))
    return groups
