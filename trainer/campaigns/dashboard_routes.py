"""A campaign's dashboard for staff, limited to their area, and its files (CSV, XLSX, PDF); joins the campaigns
blueprint (/campaigns/<id>/dashboard).

`?level=<division|district|block>&code=<LGD code>` drills down into one place of the viewer's area.
"""
from flask import abort, render_template, request
from flask_babel import gettext as _
from flask_login import current_user

from trainer.campaigns import dashboard
from trainer.campaigns.coverage import LEVEL_MODELS
from trainer.campaigns.routes import READERS, bp, campaign_or_404
from trainer.campaigns.services import area_of
from trainer.core.auth import role_required
from trainer.core.bounds import database_int
from trainer.core.downloads import attachment
from trainer.core.i18n import current_language
from trainer.core.tables import csv_bytes, xlsx_bytes
from trainer.reports import charts, exports
from trainer.reports.access import place_by_code
from trainer.reports.downloads import area_label


def asked_place(campaign):
    """Return the place asked for in the query string (None: the whole of the viewer's view); 404 for an unknown
    one, 403 for one outside the viewer's area or the campaign's."""
    if "level" not in request.args and "code" not in request.args:
        return None
    level, code = request.args.get("level"), database_int(request.args.get("code"))
    if level not in LEVEL_MODELS or level == "gp" or code is None:
        abort(400)
    place = place_by_code(LEVEL_MODELS[level], code)
    if place is None:
        abort(404)
    if not current_user.area.holds(place) or not area_of(campaign).holds(place):
        abort(403)
    return place


def build_for_viewer(campaign):
    """Return the dashboard of the place asked, within the viewer's area."""
    return dashboard.build(campaign, current_user.area, asked_place(campaign))


@bp.get("/<int:campaign_id>/dashboard")
@role_required(*READERS)
def dashboard_page(campaign_id: int):
    """Show a campaign's dashboard for the viewer's area: each indicator's sentence, phases, places and trend."""
    campaign = campaign_or_404(campaign_id)
    board = build_for_viewer(campaign)
    return render_template("campaigns/dashboard.html", campaign=campaign, board=board, charts=trend_charts(board),
                           language=current_language())


def trend_charts(board: dashboard.Dashboard, labels: bool = True) -> dict:
    """Draw each indicator's trend over the periods against its whole. The PDF's carry no words (WeasyPrint does not
    shape Devanagari inside a drawing): their dates and legend are HTML around them."""
    return {item.indicator.id: charts.progress_line(
        [(period.starts_on, value, value) for period, value in item.trend], item.whole.whole or 0, labels=labels)
        for item in board.indicators if item.trend}


@bp.get("/<int:campaign_id>/dashboard.<fmt>")
@role_required(*READERS)
def dashboard_file(campaign_id: int, fmt: str):
    """Download a campaign's dashboard for the viewer's area as CSV, XLSX or PDF."""
    if fmt not in {"csv", "xlsx", "pdf"}:
        abort(400)
    campaign = campaign_or_404(campaign_id)
    board = build_for_viewer(campaign)
    tables = dashboard.tables(board)
    if fmt == "csv":
        body = csv_bytes(tables[0])
    elif fmt == "xlsx":
        body = xlsx_bytes(tables)
    else:
        body = exports.report_pdf("campaigns/pdf_dashboard.html", None, board=board, tables=tables,
                                  campaign=campaign, area_label=area_label(), charts=trend_charts(board, labels=False))
    word = _("dashboard")
    return attachment(body, fmt, f"{word}-{campaign.title}", f"campaign-{campaign.id}-dashboard")
