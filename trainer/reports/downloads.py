"""Report files for staff: CSV, XLSX and PDF of a programme or a session, and the GPs still to be trained.

Every file is made from the same `trainer.reports.queries` results as the pages, for the viewer's area only.

- `/reports/programmes/<id>.csv` is the coverage by janpad (`?level=district` or `division` for the others);
  `.xlsx` holds every table, one per sheet; `.pdf` is the printable report.
- `/reports/programmes/<id>/untrained.csv|xlsx` lists the GPs still to be trained (`?block=<LGD code>` for one janpad).
- `/reports/sessions/<id>.csv` is the presence by janpad (`?level=district`; `?level=questions`: the answered
  questions); `.xlsx` and `.pdf` hold everything.
"""
from flask import abort, request
from flask_babel import gettext as _
from flask_login import current_user

from trainer.core import clock
from trainer.core.auth import require_in_area, role_required
from trainer.core.bounds import database_int
from trainer.core.downloads import attachment
from trainer.core.i18n import localized_name
from trainer.core.roles import STAFF_ROLES
from trainer.programmes.share import file_stem
from trainer.regions.models import Block, District, Division, GramPanchayat
from trainer.reports import access, exports, queries
from trainer.reports.blueprint import bp

CSV_LEVELS = {"division", "district", "block"}


@bp.get("/programmes/<int:programme_id>.<fmt>")
@role_required(*STAFF_ROLES)
def programme_file(programme_id: int, fmt: str):
    """Download a programme's report for the viewer's area as CSV, XLSX or PDF."""
    _check_format(fmt, {"csv", "xlsx", "pdf"})
    programme = access.reported_programme(programme_id)
    area = current_user.area
    if fmt == "csv":
        level = _level()
        body = exports.programme_csv(queries.programme_report(programme, area), level)
    elif fmt == "xlsx":
        body = exports.programme_xlsx(queries.programme_report(programme, area), queries.untrained_gps(programme, area),
                                      queries.module_feedback(programme, area), area_label())
    else:
        body = exports.programme_pdf(queries.programme_report(programme, area),
                                     queries.module_feedback(programme, area), area_label())
    word = _("report")  # outside the f-string, where the message extractor finds it
    return attachment(body, fmt, f"{word}-{programme.title}", f"programme-{programme.id}-report")


@bp.get("/programmes/<int:programme_id>/untrained.<fmt>")
@role_required(*STAFF_ROLES)
def untrained_file(programme_id: int, fmt: str):
    """Download the programme's gram panchayats not yet trained in the viewer's area (or one janpad of it)."""
    _check_format(fmt, {"csv", "xlsx"})
    programme = access.reported_programme(programme_id)
    block_code = None
    if "block" in request.args:
        block = _block_or_abort(request.args["block"])
        block_code = block.lgd_code
    rows = queries.untrained_gps(programme, current_user.area, block_code)
    body = exports.untrained_csv(rows) if fmt == "csv" else exports.untrained_xlsx(rows)
    suffix = f"-{block_code}" if block_code else ""
    word = _("not-yet-trained")
    return attachment(body, fmt, f"{word}-{programme.title}{suffix}", f"programme-{programme.id}-untrained{suffix}")


@bp.get("/sessions/<int:session_id>.<fmt>")
@role_required(*STAFF_ROLES)
def session_file(session_id: int, fmt: str):
    """Download a session's report for the viewer's area as CSV, XLSX or PDF."""
    _check_format(fmt, {"csv", "xlsx", "pdf"})
    session = access.reported_session(session_id)
    report = queries.session_report(session, current_user.area)
    if fmt == "csv":
        body = exports.session_csv(report, _level({"district", "block", "questions"}))
    elif fmt == "xlsx":
        body = exports.session_xlsx(report, area_label())
    else:
        body = exports.session_pdf(report, area_label())
    day = clock.local_day(session.starts_at).isoformat()
    return attachment(body, fmt, file_stem(_("session"), session), f"session-{session.id}-{day}")


# Checks


def _check_format(fmt: str, allowed: set[str]) -> None:
    if fmt not in allowed:
        abort(400)


def _level(allowed: set[str] = CSV_LEVELS) -> str:
    level = request.args.get("level", "block")
    if level not in allowed:
        abort(400)
    return level


def _block_or_abort(value: str) -> Block:
    if database_int(value) is None:
        abort(400)
    block = access.place_by_code(Block, value)
    if block is None:
        abort(404)
    require_in_area(block)
    return block


def area_label() -> str:
    """Name the viewer's area, as the files say whose figures they hold."""
    place = current_user.place
    if place is None:
        return _("Whole state")
    kind = {Division: _("Division"), District: _("District"), Block: _("Janpad panchayat"),
            GramPanchayat: _("Gram panchayat")}[type(place)]
    return f"{kind} {localized_name(place)} ({place.lgd_code})"
