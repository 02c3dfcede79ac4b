"""The reports as JSON, for signed-in staff (the same session cookie as the pages), limited to their area.

Every figure comes from `trainer.reports.queries`, as on the pages; who may see which report is
`trainer.reports.access`'. Numbers are JSON numbers, dates ISO 8601, shares fractions (null when there is no
target). The blueprint is nested in trainer.core.api's /api/v1; `docs/openapi.json` describes every endpoint.
"""
from flask import Blueprint, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user

from trainer.core.api import api_bp, error, forbidden, not_found, staff_only
from trainer.core.bounds import database_int
from trainer.programmes.models import Programme
from trainer.regions.models import Block
from trainer.reports import access, queries
from trainer.reports.words import programme_sentences

bp = Blueprint("reports", __name__)
api_bp.register_blueprint(bp)  # once, when this module is first imported (create_app does it)

REFUSALS = {
    "programme": {404: lambda: not_found(_("There is no such programme.")),
                  403: lambda: forbidden(_("This programme does not reach your area."))},
    "session": {404: lambda: not_found(_("There is no such session.")),
                403: lambda: forbidden(_("This session does not reach your area."))},
}


# Serialisers


def _day(value):
    return value.isoformat() if value is not None else None


def _area(place) -> dict:
    if place is None:
        return {"level": "state", "code": None, "name_hi": None, "name_en": None}
    return {"level": type(place).__name__.lower(), "code": place.lgd_code, "name_hi": place.name_hi,
            "name_en": place.name_en}


def _place(row: queries.PlaceCoverage) -> dict:
    return {"code": row.code, "name_hi": row.name_hi, "name_en": row.name_en, "target": row.target,
            "reached": row.reached, "participants": row.participants, "share": row.share}


def _gp(row: queries.GpRow) -> dict:
    return {"code": row.code, "name_hi": row.name_hi, "name_en": row.name_en, "block_code": row.block_code,
            "block_hi": row.block_hi, "block_en": row.block_en, "district_hi": row.district_hi,
            "district_en": row.district_en}


def _division(division) -> dict:
    return {"code": division.lgd_code, "name_hi": division.name_hi, "name_en": division.name_en}


def _programme(programme: Programme) -> dict:
    return {"id": programme.id, "title_hi": programme.title_hi, "title_en": programme.title_en,
            "first_day": _day(programme.first_day), "last_day": _day(programme.last_day),
            "completion_sessions": programme.completion_sessions,
            "divisions": [_division(d) for d in programme.divisions]}


def _mean(value) -> float | None:
    return float(value) if value is not None else None  # PostgreSQL's avg() is a Decimal


def _feedback(summary: queries.FeedbackSummary, searched: str) -> dict:
    return {
        "responses": summary.responses, "without_attendance": summary.without_attendance, "query": searched,
        "ratings": [{"question_id": r.question_id, "text_hi": r.text_hi, "text_en": r.text_en, "count": r.count,
                     "mean": _mean(r.mean), "distribution": {str(k): v for k, v in r.distribution.items()}}
                    for r in summary.ratings],
        "choices": [{"question_id": c.question_id, "text_hi": c.text_hi, "text_en": c.text_en, "kind": c.kind,
                     "options": [{"hi": hi, "en": en, "count": count} for hi, en, count in c.counts]}
                    for c in summary.choices],
        "texts": [{"question_id": t.question_id, "question_hi": summary.text_questions.get(t.question_id, ("", ""))[0],
                   "question_en": summary.text_questions.get(t.question_id, ("", ""))[1], "text": t.text,
                   "gram_panchayat_hi": t.gram_panchayat_hi, "anonymous": t.anonymous} for t in summary.texts],
    }


def _programme_or_error(programme_id: int) -> tuple[Programme | None, object]:
    try:
        return access.reported_programme(programme_id), None
    except access.Refused as refused:
        return None, REFUSALS["programme"][refused.status]()


# Endpoints


@bp.get("/programmes")
@staff_only
def programmes():
    """List every programme at a glance, for the viewer's area."""
    return jsonify(area=_area(current_user.place), programmes=[
        {**_programme(g.programme), "target_gps": g.target_gps, "trained_gps": g.trained_gps, "share": g.share,
         "participants": g.participants, "sessions_total": g.sessions_total, "sessions_held": g.sessions_held}
        for g in access.visible_glances(current_user.area)])


@bp.get("/programmes/<int:programme_id>/report")
@staff_only
def programme_report(programme_id: int):
    """Return a programme's report: the figures, both sentences, coverage at every level, progress, feedback."""
    programme, failure = _programme_or_error(programme_id)
    if failure:
        return failure
    area = current_user.area
    report = queries.programme_report(programme, area)
    return jsonify(
        programme=_programme(programme), area=_area(current_user.place),
        target_gps=report.target_gps, trained_gps=report.trained_gps, share=report.share,
        districts_reached=report.districts_reached, blocks_reached=report.blocks_reached,
        participants=report.participants, sessions_total=report.sessions_total,
        sessions_held=report.sessions_held, sentences=programme_sentences(report), by_role=report.by_role,
        coverage={level: [_place(row) for row in rows] for level, rows in report.coverage.items()},
        progress=[{"date": _day(day), "trained": count, "cumulative": total}
                  for day, count, total in report.progress],
        modules=[{"module_id": m.module_id, "position": m.position, "title_hi": m.title_hi,
                  "title_en": m.title_en, "responses": m.responses, "mean_rating": _mean(m.mean_rating)}
                 for m in queries.module_feedback(programme, area)])


@bp.get("/programmes/<int:programme_id>/untrained")
@staff_only
def untrained(programme_id: int):
    """List the programme's target GPs in the viewer's area not trained yet, optionally of one block."""
    programme, failure = _programme_or_error(programme_id)
    if failure:
        return failure
    block_code = None
    if request.args.get("block") is not None:
        if database_int(request.args["block"]) is None:
            return error(400, "bad_request", _("The block must be an LGD code."))
        block = access.place_by_code(Block, request.args["block"])
        if block is None:
            return not_found(_("There is no such block."))
        if not current_user.area.contains(block):
            return forbidden(_("This block is outside your area."))
        block_code = block.lgd_code
    rows = queries.untrained_gps(programme, current_user.area, block_code)
    return jsonify(programme_id=programme.id, block=block_code, count=len(rows),
                   gram_panchayats=[_gp(row) for row in rows])


@bp.get("/sessions/<int:session_id>/report")
@staff_only
def session_report(session_id: int):
    """Return a session's report: presence, participants, places, absent GPs, feedback, YouTube figures."""
    try:
        session = access.reported_session(session_id)
    except access.Refused as refused:
        return REFUSALS["session"][refused.status]()
    searched = access.text_query()
    report = queries.session_report(session, current_user.area, searched)
    return jsonify(
        session={"id": session.id, "programme_id": session.programme_id, "starts_at": session.starts_at.isoformat(),
                 "ends_at": session.ends_at.isoformat(), "status": session.current_status.value,
                 "divisions": [_division(d) for d in session.divisions],
                 "modules": [{"id": m.id, "position": m.position, "title_hi": m.title_hi, "title_en": m.title_en}
                             for m in session.modules]},
        area=_area(current_user.place),
        target_gps=report.target_gps, present_gps=report.present_gps, share=report.share,
        participants=report.participants, by_role=report.by_role,
        by_mode=[{"mode": mode, "gram_panchayats": gps, "participants": total} for mode, gps, total in report.by_mode],
        by_district=[_place(row) for row in report.by_district], by_block=[_place(row) for row in report.by_block],
        absent=[_gp(row) for row in report.absent], feedback=_feedback(report.feedback, searched),
        youtube={"views": report.youtube.views, "peak_viewers": report.youtube.peak_viewers,
                 "stats_at": _day(report.youtube.stats_at)},
        questions=_questions(report.questions))


def _reported_question(row: queries.ReportedQuestion) -> dict:
    return {"id": row.id, "text": row.text, "state": row.state, "answer": row.answer or None,
            "supports": row.supports, "gram_panchayat_hi": row.gp_hi, "gram_panchayat_en": row.gp_en,
            "block_hi": row.block_hi, "block_en": row.block_en, "district_hi": row.district_hi,
            "district_en": row.district_en}


def _questions(summary: queries.QuestionSummary) -> dict:
    return {"total": summary.total, "supports": summary.supports, "by_state": summary.by_state,
            "by_district": [{"code": row.code, "name_hi": row.name_hi, "name_en": row.name_en,
                             "questions": row.questions, "supports": row.supports} for row in summary.by_district],
            "most_supported": [_reported_question(row) for row in summary.most_supported],
            "answered": [_reported_question(row) for row in summary.answered]}
