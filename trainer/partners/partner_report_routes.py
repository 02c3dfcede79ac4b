"""A programme's partner report for staff: the page and its files (CSV, XLSX, PDF), for the viewer's area. Its views
join the /partners/programmes blueprint of trainer.partners.programme_routes.

Who may see the programme is the programme report's rule (trainer.reports.access); the figures are
trainer.partners.partner_report's.
"""
from flask import abort, render_template
from flask_babel import gettext as _
from flask_login import current_user

from trainer.attendance import rules
from trainer.core.auth import role_required
from trainer.core.downloads import attachment
from trainer.core.roles import STAFF_ROLES
from trainer.partners import partner_report
from trainer.partners.programme_routes import EDITORS, bp
from trainer.programmes.models import Programme
from trainer.reports import access
from trainer.reports.downloads import area_label

FORMATS = {"csv", "xlsx", "pdf"}


def _programme(programme_id: int) -> Programme:
    try:
        return access.reported_programme(programme_id)
    except access.Refused as refused:
        abort(refused.status)


@bp.get("/<int:programme_id>/report")
@role_required(*STAFF_ROLES)
def report(programme_id: int):
    """Show how many of the programme's partners in the viewer's area attended, session by session and partner by
    partner, and those not yet reached."""
    programme = _programme(programme_id)
    found = partner_report.partner_report(programme, current_user.area)
    return render_template("partners/partner_report.html", programme=programme, report=found,
                           sentence=partner_report.sentence(found), area_label=area_label(),
                           markable={row.session.id for row in found.by_session if rules.can_be_marked(row.session)}
                           if current_user.has_role(*EDITORS) else set())


@bp.get("/<int:programme_id>/report.<fmt>")
@role_required(*STAFF_ROLES)
def report_file(programme_id: int, fmt: str):
    """Download the programme's partner report for the viewer's area as CSV, XLSX or PDF."""
    if fmt not in FORMATS:
        abort(400)
    programme = _programme(programme_id)
    found = partner_report.partner_report(programme, current_user.area)
    if fmt == "csv":
        body = partner_report.report_csv(found)
    elif fmt == "xlsx":
        body = partner_report.report_xlsx(found, area_label())
    else:
        body = partner_report.report_file_pdf(found, area_label())
    word = _("partners")  # outside the f-string, where the message extractor finds it
    return attachment(body, fmt, f"{word}-{programme.title}", f"programme-{programme.id}-partners")
