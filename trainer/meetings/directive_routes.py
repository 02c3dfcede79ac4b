"""The directives' pages, for staff: "my directives" of the offices a user acts for (a phone page: overdue, due
soon, later, reported), one directive with its history and action-taken reports and the owner office's form, the
board (by owner office, by area, the directives filtered, overdue first) with its CSV and XLSX, and the
action-taken report (ATR) of a meeting as a page, PDF and XLSX. Officers see their area's, directors all."""
import io

from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from trainer.core import clock
from trainer.core.auth import role_required
from trainer.core.downloads import attachment
from trainer.core.roles import STAFF_ROLES
from trainer.core.tables import csv_bytes, xlsx_bytes
from trainer.core.urls import int_arg, page_arg
from trainer.extensions import db
from trainer.meetings import directive_board as board
from trainer.meetings import directives
from trainer.meetings import services as meetings
from trainer.meetings.directive_forms import ActionTakenForm
from trainer.meetings.errors import MeetingError
from trainer.meetings.models import ActionTakenReport, Directive, DirectiveStatus, Meeting
from trainer.offices import services as offices
from trainer.offices.models import Office
from trainer.regions.models import Block, District

bp = Blueprint("directives", __name__, url_prefix="/directives")

PER_PAGE = 100
BOARD_FORMATS = {"csv", "xlsx"}


def directive_or_404(directive_id: int) -> Directive:
    """Return the directive, 404 when there is none, 403 when the user does not see it."""
    found = directives.load_directive(directive_id)
    if found is None:
        abort(404)
    if not directives.may_see(current_user, found):
        abort(403)
    return found


def meeting_or_404(meeting_id: int) -> Meeting:
    """Return the meeting, 404 when there is none, 403 when the user does not see its series."""
    found = meetings.load_meeting(meeting_id)
    if found is None:
        abort(404)
    if not meetings.may_see_series(current_user, found.series):
        abort(403)
    return found


# My directives

@bp.get("/mine")
@role_required(*STAFF_ROLES)
def mine():
    """Show the directives of the offices the user acts for: overdue, due soon, later, reported done."""
    return render_template("directives/mine.html", grouped=directives.my_directives(current_user),
                           my_offices=offices.offices_of(current_user), today=clock.today())


# One directive, and the owner office's action-taken report

def _detail(directive: Directive, form: ActionTakenForm | None = None, status: int = 200):
    owner = offices.is_officer_of(current_user, directive.owner_office_id)
    may_report = owner and directive.status not in (DirectiveStatus.VERIFIED, DirectiveStatus.DROPPED)
    users = {event.by_id for event in directive.events} | {report.reported_by_id for report in directive.reports}
    from trainer.accounts.models import User
    names = {user.id: user.full_name or user.username
             for user in db.session.scalars(select(User).where(User.id.in_(users - {None})))}
    return render_template("directives/detail.html", directive=directive, names=names, may_report=may_report,
                           form=form or ActionTakenForm(formdata=None), days_open=directives.days_open(directive),
                           back=url_for(".mine") if owner else url_for(".board_page")), status


@bp.get("/<int:directive_id>")
@role_required(*STAFF_ROLES)
def detail(directive_id: int):
    """Show a directive: its status, due date, days open, history and action-taken reports."""
    return _detail(directive_or_404(directive_id))


@bp.post("/<int:directive_id>/report")
@role_required(*STAFF_ROLES)
def report(directive_id: int):
    """Take an owner office's action-taken report (what was done, a figure, a PDF or photo; in progress or done):
    written whole, or not at all."""
    directive = directive_or_404(directive_id)
    form = ActionTakenForm()
    if not form.validate_on_submit():
        return _detail(directive, form, 400)
    try:
        directives.report_action_taken(directive, current_user, form.values(), done=form.done)
    except MeetingError as refused:
        db.session.rollback()
        directive = directive_or_404(directive_id)
        form.form_errors.append(refused.message)
        owner = offices.is_officer_of(current_user, directive.owner_office_id)
        return _detail(directive, form, 400 if owner else 403)
    db.session.commit()
    flash(_("The action taken was reported.") if not form.done else _("The directive was reported done."),
          "success")
    return redirect(url_for(".detail", directive_id=directive.id))


@bp.get("/<int:directive_id>/reports/<int:report_id>/file")
@role_required(*STAFF_ROLES)
def report_file(directive_id: int, report_id: int):
    """Send the file attached to an action-taken report with its own content type, as a file to save, never shown
    as a page."""
    directive = directive_or_404(directive_id)
    found = db.session.scalar(select(ActionTakenReport).where(ActionTakenReport.id == report_id,
                                                              ActionTakenReport.directive_id == directive.id))
    if found is None or found.content is None:
        abort(404)
    response = send_file(io.BytesIO(found.content), mimetype=found.content_type, as_attachment=True,
                         download_name=found.file_name or "report")
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Cache-Control"] = "private, no-store"
    response.headers["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# The board

def _filters() -> board.BoardFilters:
    office_id = int_arg("office")
    district_code, block_code = int_arg("district"), int_arg("block")
    district = db.session.scalar(select(District).where(District.lgd_code == district_code)) \
        if district_code is not None else None
    block = db.session.scalar(select(Block).where(Block.lgd_code == block_code)) if block_code is not None else None
    if (district_code is not None and district is None) or (block_code is not None and block is None):
        abort(404)
    status_text = (request.args.get("status") or "").strip()
    try:
        status = DirectiveStatus(status_text) if status_text else None
    except ValueError:
        abort(400)
    return board.BoardFilters(office_id=office_id, district=district, block=block, status=status,
                              overdue_only=request.args.get("overdue") == "1", meeting_id=int_arg("meeting"))


def _query_of(filters: board.BoardFilters) -> dict:
    return {key: value for key, value in (
        ("office", filters.office_id), ("district", filters.district.lgd_code if filters.district else None),
        ("block", filters.block.lgd_code if filters.block else None),
        ("status", filters.status.value if filters.status else None), ("overdue", "1" if filters.overdue_only else None),
        ("meeting", filters.meeting_id)) if value is not None}


@bp.get("")
@role_required(*STAFF_ROLES)
def board_page():
    """Show the board of the directives the user sees: counts by owner office and by area, and the directives
    (filtered by owner office, district or block, status, overdue), overdue first, with how long each is open."""
    filters = _filters()
    page = db.paginate(board.filtered_query(current_user, filters), page=page_arg(), per_page=PER_PAGE,
                       error_out=False)
    seen_offices = list(db.session.scalars(select(Office).where(Office.id.in_(
        select(Directive.owner_office_id).where(directives.visible_condition(current_user)))).order_by(Office.name_hi)))
    return render_template("directives/board.html", page=page, filters=filters, query=_query_of(filters),
                           by_office=directives.board_by_office(current_user),
                           by_area=directives.board_by_area(current_user), offices=seen_offices,
                           statuses=list(DirectiveStatus), latest=board.latest_reports([d.id for d in page.items]),
                           days_open=directives.days_open, place_label=board.place_label)


@bp.get("/board.<fmt>")
@role_required(*STAFF_ROLES)
def board_file(fmt: str):
    """Download the board (the filtered directives, and the counts by owner office and by area) as CSV or XLSX."""
    if fmt not in BOARD_FORMATS:
        abort(404)
    filters = _filters()
    found = list(db.session.scalars(board.filtered_query(current_user, filters)))
    tables = board.board_tables(current_user, found)
    body = csv_bytes(tables[0]) if fmt == "csv" else xlsx_bytes(tables)
    day, word = clock.today().isoformat(), _("directives")
    return attachment(body, fmt, f"{word}-{day}", f"directives-{day}")


# The action-taken report of a meeting

def _atr_name(meeting: Meeting) -> str:
    word = _("action-taken report")
    return f"{word}-{meeting.series.code}-{meeting.number}"


@bp.get("/meetings/<int:meeting_id>/atr")
@role_required(*STAFF_ROLES)
def atr(meeting_id: int):
    """Show a meeting's action-taken report: every directive with its owner, due date, status, overdue and the
    latest action taken."""
    meeting = meeting_or_404(meeting_id)
    return render_template("directives/atr.html", meeting=meeting, lines=board.atr_lines(meeting),
                           office_label=board.office_label)


@bp.get("/meetings/<int:meeting_id>/atr.pdf")
@role_required(*STAFF_ROLES)
def atr_pdf(meeting_id: int):
    """Download a meeting's action-taken report as a Hindi PDF on A4."""
    from trainer.reports import exports
    meeting = meeting_or_404(meeting_id)
    body = exports.report_pdf("directives/atr_pdf.html", None, meeting=meeting, lines=board.atr_lines(meeting),
                              office_label=board.office_label)
    return attachment(body, "pdf", _atr_name(meeting), f"atr-{meeting.id}")


@bp.get("/meetings/<int:meeting_id>/atr.xlsx")
@role_required(*STAFF_ROLES)
def atr_xlsx(meeting_id: int):
    """Download a meeting's action-taken report as XLSX."""
    meeting = meeting_or_404(meeting_id)
    body = xlsx_bytes([board.atr_table(meeting, board.atr_lines(meeting))])
    return attachment(body, "xlsx", _atr_name(meeting), f"atr-{meeting.id}")
