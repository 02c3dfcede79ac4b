"""The pages of values reported from the field (joining the campaigns' blueprint): a file of values uploaded.

Officers (block and district) and planners report the values of the places of their area.
"""
from flask import render_template
from flask_babel import gettext as _
from flask_login import current_user

from trainer.campaigns import uploads
from trainer.campaigns.forms import ValuesUploadForm
from trainer.campaigns.routes import bp, campaign_or_404
from trainer.core.auth import role_required
from trainer.core.database import retry_on_conflict
from trainer.core.files import apply_upload
from trainer.core.roles import Role

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
                           summary=summary, periods=uploads.services.periods_of(campaign)), status
