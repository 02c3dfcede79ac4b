"""The pages of values reported from the field (joining the campaigns' blueprint): a file of values uploaded, the
values waiting for approval and their approval, and the places that have not reported.

Officers (block and district) and planners report the values of the places of their area; district officers, then
the state (administrators, the director), approve them where the campaign asks for it; staff see which places of
their area have not reported.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from trainer.campaigns import approvals, services, uploads
from trainer.campaigns.forms import ValuesUploadForm
from trainer.campaigns.routes import READERS, bp, campaign_or_404, indicator_or_404
from trainer.campaigns.services import CampaignError
from trainer.core.auth import role_required
from trainer.core.database import retry_on_conflict
from trainer.core.files import apply_upload
from trainer.core.forms import ConfirmForm
from trainer.core.roles import Role
from trainer.extensions import db

REPORTERS = (Role.ADMIN, Role.TRAINER, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER)


@bp.route("/<int:campaign_id>/values/import", methods=["GET", "POST"])
@role_required(*REPORTERS)
@retry_on_conflict
def import_values(campaign_id: int):
    """Take a CSV or XLSX file of values for the campaign: written whole, or not at all."""
    campaign = campaign_or_404(campaign_id)
    form = ValuesUploadForm()
    problems, summary = [], None
    if form.validate_on_submit():
        sent = form.file.data
        summary, problems = apply_upload(
            lambda: uploads.import_values(campaign, sent.read(), current_user, sent.filename or ""),
            _("The file was imported."))
        if summary is not None:
            form = ValuesUploadForm(formdata=None)
    status = 400 if problems else 200
    return render_template("campaigns/import_values.html", campaign=campaign, form=form, problems=problems,
                           summary=summary, periods=services.periods_of(campaign)), status


@bp.get("/approvals")
@role_required(*approvals.APPROVERS)
def approvals_waiting():
    """List the values waiting for the user's approval, by campaign, period and indicator, with counts."""
    return render_template("campaigns/approvals.html", waiting=approvals.waiting_for(current_user),
                           confirm=ConfirmForm(formdata=None))


@bp.post("/<int:campaign_id>/indicators/<int:indicator_id>/approve")
@role_required(*approvals.APPROVERS)
@retry_on_conflict
def approve(campaign_id: int, indicator_id: int):
    """Approve the values of an indicator for one period that wait for the user."""
    campaign = campaign_or_404(campaign_id)
    indicator = indicator_or_404(campaign, indicator_id)
    form = ConfirmForm()
    period = services.find_period(campaign, request.form.get("period", ""))
    if not form.validate_on_submit() or period is None:
        abort(400)
    try:
        count = approvals.approve_values(indicator, period.starts_on, current_user)
    except CampaignError as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(url_for(".approvals_waiting"))
    db.session.commit()
    flash(ngettext("%(num)s value approved.", "%(num)s values approved.", count), "success")
    return redirect(url_for(".approvals_waiting"))


@bp.get("/<int:campaign_id>/values/missing")
@role_required(*READERS)
def missing(campaign_id: int):
    """Show, for a period (the current one unless chosen), which places of the user's area have not reported each
    indicator."""
    campaign = campaign_or_404(campaign_id)
    period = services.find_period(campaign, request.args.get("period", "")) or approvals.current_period(campaign)
    rows = []
    if period is not None:
        rows = [(indicator, approvals.missing_places(indicator, period.starts_on, current_user.area))
                for indicator in approvals.reported_indicators(campaign)]
    return render_template("campaigns/missing.html", campaign=campaign, period=period, rows=rows,
                           periods=services.periods_of(campaign))
