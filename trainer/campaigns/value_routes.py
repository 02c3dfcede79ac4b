"""The pages of values reported from the field (joining the campaigns' blueprint): a file of values uploaded, the
values of a period typed into a phone form, the values waiting for approval and their approval, and the places
that have not reported.

Officers (block and district) and planners report the values of the places of their area; district officers, then
the state (administrators, the director), approve them where the campaign asks for it; staff see which places of
their area have not reported.
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select

from trainer.campaigns import approvals, services, uploads
from trainer.campaigns.forms import ValuesUploadForm
from trainer.campaigns.models import PLACE_MODELS, Indicator, IndicatorValue, Level
from trainer.campaigns.routes import READERS, bp, campaign_or_404, indicator_or_404
from trainer.campaigns.services import CampaignError
from trainer.core.auth import role_required
from trainer.core.bounds import database_int
from trainer.core.database import retry_on_conflict
from trainer.core.files import apply_upload
from trainer.core.forms import ConfirmForm
from trainer.core.i18n import localized_name
from trainer.core.roles import Role
from trainer.core.urls import page_arg
from trainer.extensions import db
from trainer.regions.areas import Area
from trainer.regions.models import Block

REPORTERS = (Role.ADMIN, Role.TRAINER, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER)
VALUES_PER_PAGE = 100


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


@bp.get("/<int:campaign_id>/indicators/<int:indicator_id>/values")
@role_required(*READERS)
def period_values(campaign_id: int, indicator_id: int):
    """List the values of an indicator for a period (the current one unless chosen) in the user's area: each
    place's value, the period before's, how far it is approved, who reported it and when — what an approver reads."""
    campaign = campaign_or_404(campaign_id)
    indicator = indicator_or_404(campaign, indicator_id)
    if indicator.source.computed:
        abort(404)
    period = services.find_period(campaign, request.args.get("period", "")) or approvals.current_period(campaign) \
        or services.periods_of(campaign)[0]
    page = db.paginate(approvals.period_values_query(indicator, period.starts_on, current_user.area),
                       page=page_arg(), per_page=VALUES_PER_PAGE, error_out=False)
    return render_template("campaigns/period_values.html", campaign=campaign, indicator=indicator, period=period,
                           page=page, rows=approvals.with_places(indicator, period, list(page.items)),
                           periods=services.periods_of(campaign))


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
                           periods=services.periods_of(campaign), confirm=ConfirmForm(formdata=None))


def _blocks_of(campaign, area) -> list[Block]:
    campaign_area = services.area_of(campaign)
    blocks = db.session.scalars(select(Block).where(campaign_area.condition(Block), area.condition(Block))
                                .order_by(Block.name_en, Block.id))
    return [block for block in blocks if campaign_area.holds(block) and area.holds(block)]


def _form_places(campaign, indicator: Indicator, block: Block | None) -> list:
    """Return the places of the form for an indicator: the GPs of the chosen block, or the blocks or districts of
    the user's area in the campaign's."""
    model = PLACE_MODELS[indicator.level]
    campaign_area, area = services.area_of(campaign), current_user.area
    if indicator.level is Level.GP:
        if block is None:
            return []
        area = Area.of(block)
    places = db.session.scalars(select(model).where(campaign_area.condition(model), area.condition(model))
                                .order_by(model.name_en, model.id))
    return [place for place in places if campaign_area.holds(place) and area.holds(place)]


@bp.route("/<int:campaign_id>/values/form", methods=["GET", "POST"])
@role_required(*REPORTERS)
@retry_on_conflict
def value_form(campaign_id: int):
    """Type in the values of one period for the places of the user's area (a block's GPs at a time): saved whole,
    or not at all."""
    campaign = campaign_or_404(campaign_id)
    periods = services.periods_of(campaign)
    period = services.find_period(campaign, request.values.get("period", "")) or approvals.current_period(campaign) \
        or (periods[0] if periods else None)
    if period is None:
        abort(404)
    blocks = _blocks_of(campaign, current_user.area)
    chosen = database_int(request.values.get("block", ""))
    block = next((b for b in blocks if b.lgd_code == chosen), blocks[0] if blocks else None)
    sections = []
    for indicator in approvals.reported_indicators(campaign):
        places = _form_places(campaign, indicator, block)
        current = dict(db.session.execute(
            select(getattr(IndicatorValue, indicator.level.column), IndicatorValue.value).where(
                IndicatorValue.indicator_id == indicator.id, IndicatorValue.period_start == period.starts_on,
                getattr(IndicatorValue, indicator.level.column).in_([p.id for p in places]))).all()) if places else {}
        sections.append((indicator, places, current))
    form, problems, typed = ConfirmForm(), [], {}
    if request.method == "POST":
        if not form.validate_on_submit():
            abort(400)
        entries, labels = [], {}
        for indicator, places, current in sections:
            for place in places:
                text = request.form.get(f"v-{indicator.id}-{place.lgd_code}", "").strip()
                typed[indicator.id, place.lgd_code] = text
                # A value left as it was is not reported again (it keeps its approval).
                if text and text != str(current.get(place.id, "")):
                    entries.append((indicator, place.lgd_code, text))
                    labels[len(entries)] = f"{localized_name(place)} · {indicator.text('name')}"
        try:
            summary = uploads.save_form_values(campaign, period, entries, current_user)
        except uploads.ValuesRejected as rejected:
            db.session.rollback()
            problems = [f"{labels.get(p.line, '')}: {p.reason}" if p.line in labels else p.reason
                        for p in rejected.problems]
        else:
            db.session.commit()
            flash(ngettext("%(num)s value saved.", "%(num)s values saved.", summary.total), "success")
            return redirect(url_for(".value_form", campaign_id=campaign.id, period=period.key,
                                    block=block.lgd_code if block else None))
    return render_template("campaigns/value_form.html", campaign=campaign, period=period, periods=periods,
                           blocks=blocks, block=block, sections=sections, form=form, problems=problems,
                           typed=typed), 400 if problems else 200


@bp.post("/<int:campaign_id>/values/remind")
@role_required(*READERS)
@retry_on_conflict
def remind(campaign_id: int):
    """Queue reminders to the officers of the places of the user's area that have not reported for a period."""
    campaign = campaign_or_404(campaign_id)
    form = ConfirmForm()
    period = services.find_period(campaign, request.form.get("period", ""))
    if not form.validate_on_submit() or period is None:
        abort(400)
    queued = approvals.remind_missing(campaign, period, current_user.area)
    db.session.commit()
    flash(ngettext("%(num)s reminder queued.", "%(num)s reminders queued.", queued.queued), "success")
    return redirect(url_for(".missing", campaign_id=campaign.id, period=period.key))
