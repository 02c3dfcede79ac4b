"""Report pages for staff: the dashboard, each programme's coverage with its drill-down, each session's report.

Every figure comes from `trainer.reports.queries`, always for the viewer's area; the files
(`trainer.reports.downloads`) and the JSON twins (`trainer.reports.api`) read the same results, and who may
see which report is `trainer.reports.access`'.
"""
from types import SimpleNamespace

from flask import render_template
from flask_login import current_user

from trainer.attendance.models import WatchMode
from trainer.core.auth import role_required
from trainer.core.errors import render_error
from trainer.core.i18n import current_language
from trainer.core.roles import STAFF_ROLES
from trainer.programmes.models import ParticipantRole, SessionStatus
from trainer.regions.models import Block, District, Division
from trainer.reports import access, charts, queries
from trainer.reports.access import reaches
from trainer.reports.blueprint import bp
from trainer.reports.words import programme_sentence


@bp.errorhandler(access.Refused)
def refused(error: access.Refused):
    """Answer a report the viewer may not have with the error page of its status (404 or 403)."""
    return render_error(error.status)


@bp.context_processor
def report_helpers():
    """Give the report templates their helpers."""
    return {"role_label": ParticipantRole.label_of, "mode_label": WatchMode.label_of, "totals_of": totals_of}


def totals_of(rows: list[queries.PlaceCoverage]) -> SimpleNamespace:
    """Add up the few rows of a coverage table for its footer."""
    target, reached = sum(r.target for r in rows), sum(r.reached for r in rows)
    return SimpleNamespace(target=target, reached=reached, participants=sum(r.participants for r in rows))


# Pages


@bp.get("/")
@role_required(*STAFF_ROLES)
def dashboard():
    """Show every programme at a glance: trained GPs of the target, participants, sessions held."""
    return render_template("reports/dashboard.html", glances=access.visible_glances(current_user.area))


@bp.get("/programmes/<int:programme_id>")
@role_required(*STAFF_ROLES)
def programme(programme_id: int):
    """Show a programme's report for the viewer's area, with coverage at the level below that area."""
    programme = access.reported_programme(programme_id)
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
        progress_chart=charts.progress_line(report.progress, report.target_gps, *programme.runs)
        if report.progress else None)


@bp.get("/programmes/<int:programme_id>/divisions/<int:division_code>")
@role_required(*STAFF_ROLES)
def division(programme_id: int, division_code: int):
    """Show a division's districts under a programme."""
    programme = access.reported_programme(programme_id)
    division = access.target_place(programme, Division, division_code)
    rows = queries.coverage_within(programme, current_user.area, "district", division.id)
    return _drill_down(programme, rows, "district", division=division)


@bp.get("/programmes/<int:programme_id>/districts/<int:district_code>")
@role_required(*STAFF_ROLES)
def district(programme_id: int, district_code: int):
    """Show a district's blocks under a programme."""
    programme = access.reported_programme(programme_id)
    district = access.target_place(programme, District, district_code)
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
    programme = access.reported_programme(programme_id)
    block = access.target_place(programme, Block, block_code)
    gps = queries.block_gps(programme, current_user.area, block)
    return render_template("reports/block.html", programme=programme, block=block, district=block.district,
                           division=block.district.division, gps=gps,
                           trained=sum(1 for gp in gps if gp.trained))


@bp.get("/sessions/<int:session_id>")
@role_required(*STAFF_ROLES)
def session(session_id: int):
    """Show a session's report: who came, who did not, and what they thought of it."""
    session = access.reported_session(session_id)
    searched = access.text_query()
    report = queries.session_report(session, current_user.area, searched)
    return render_template(
        "reports/session.html", session=session, report=report, text_query=searched,
        absent_by_block=queries.absent_by_block(report.absent),
        rating_charts={r.question_id: charts.rating_bars(r.distribution) for r in report.feedback.ratings},
        district_chart=charts.coverage_bars(report.by_district, current_language()) if report.by_district else None)
