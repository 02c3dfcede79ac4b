"""The campaigns' pages: the list, one campaign with its phases, offices, programmes and indicators, creating and
changing one, and an indicator with its targets.

Staff read the campaigns that meet their area; planners create and change them.
"""
from collections.abc import Callable

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from trainer.campaigns import services
from trainer.campaigns.forms import CampaignForm, IndicatorForm, OfficeForm, PhaseForm, TargetForm
from trainer.campaigns.models import Campaign, Indicator, Level
from trainer.campaigns.services import CampaignError
from trainer.core.auth import role_required
from trainer.core.forms import ConfirmForm
from trainer.core.i18n import pick
from trainer.core.roles import STAFF_ROLES
from trainer.core.urls import page_arg
from trainer.extensions import db
from trainer.programmes.models import Programme

bp = Blueprint("campaigns", __name__, url_prefix="/campaigns")

READERS = STAFF_ROLES
EDITORS = services.EDITOR_ROLES
PER_PAGE = 50


@bp.context_processor
def _helpers() -> dict:
    signed_in = current_user.is_authenticated
    return dict(may_edit_campaigns=signed_in and current_user.has_role(*EDITORS))


def campaign_or_404(campaign_id: int) -> Campaign:
    """Return the campaign, 404 when there is none, 403 when it lies outside the user's area."""
    campaign = services.load_campaign(campaign_id)
    if campaign is None:
        abort(404)
    if not services.may_see(current_user.area, campaign):
        abort(403)
    return campaign


def indicator_or_404(campaign: Campaign, indicator_id: int) -> Indicator:
    indicator = services.load_indicator(campaign, indicator_id)
    if indicator is None:
        abort(404)
    return indicator


@bp.get("")
@role_required(*READERS)
def index():
    """List the campaigns that meet the user's area, the latest to start first."""
    page = db.paginate(services.campaign_query(current_user.area), page=page_arg(), per_page=PER_PAGE,
                       error_out=False)
    return render_template("campaigns/index.html", page=page)


# Features above campaigns that review them (the review meetings) list, for a campaign's page, their own pages
# about it: each a function of (campaign, viewer) returning (title, URL) pairs.
REVIEWS: list[Callable[[Campaign, object], list[tuple[str, str]]]] = []


def _detail(campaign: Campaign, phase_form=None, office_form=None, status: int = 200):
    return render_template("campaigns/detail.html", campaign=campaign,
                           reviews=[link for review in REVIEWS for link in review(campaign, current_user)],
                           phase_form=phase_form or PhaseForm(formdata=None, prefix="phase"),
                           office_form=office_form or OfficeForm(formdata=None, prefix="office"), confirm=ConfirmForm(formdata=None),
                           target_counts=services.target_counts(campaign),
                           periods=services.periods_of(campaign)), status


@bp.get("/<int:campaign_id>")
@role_required(*READERS)
def detail(campaign_id: int):
    """Show a campaign: its days, area, phases, offices, programmes and indicators."""
    return _detail(campaign_or_404(campaign_id))


def _programme_choices() -> list[SelectChoice]:
    programmes = db.session.scalars(select(Programme).order_by(Programme.first_day.desc(), Programme.id.desc()))
    return [SelectChoice(p.id, p.title) for p in programmes]


def _form_data(campaign: Campaign) -> dict:
    place = campaign.place
    level = "block" if campaign.block else "district" if campaign.district else \
        "division" if campaign.division else "state"
    return dict(title_hi=campaign.title_hi, title_en=campaign.title_en, description_hi=campaign.description_hi,
                description_en=campaign.description_en, starts_on=campaign.starts_on, ends_on=campaign.ends_on,
                area_level=level, area_code=place.lgd_code if place else None,
                period_kind=campaign.period_kind.value, approval=campaign.approval.value,
                programmes=[link.programme_id for link in campaign.programme_links])


def _submit(campaign: Campaign | None):
    form = CampaignForm(data=_form_data(campaign)) if campaign is not None else CampaignForm()
    form.programmes.choices = _programme_choices()
    if form.validate_on_submit():
        try:
            saved = services.save_campaign(form.values(), current_user.id, campaign)
        except CampaignError as refused:
            db.session.rollback()
            form.form_errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("The campaign was saved."), "success")
            return redirect(url_for(".detail", campaign_id=saved.id))
    status = 400 if form.is_submitted() else 200
    return render_template("campaigns/form.html", form=form, campaign=campaign), status


@bp.route("/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def create():
    """Create a campaign."""
    return _submit(None)


@bp.route("/<int:campaign_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(campaign_id: int):
    """Change a campaign's titles, days, area, periods, approvals and programmes."""
    return _submit(campaign_or_404(campaign_id))


def _refused(campaign_id: int, refused: CampaignError):
    db.session.rollback()
    flash(refused.message, "error")
    return redirect(url_for(".detail", campaign_id=campaign_id))


@bp.post("/<int:campaign_id>/phases")
@role_required(*EDITORS)
def add_phase(campaign_id: int):
    """Add a phase to the campaign."""
    campaign = campaign_or_404(campaign_id)
    form = PhaseForm(prefix="phase")
    if not form.validate():
        return _detail(campaign, phase_form=form, status=400)
    try:
        services.add_phase(campaign, form.values())
    except CampaignError as refused:
        return _refused(campaign_id, refused)
    db.session.commit()
    flash(_("The phase was added."), "success")
    return redirect(url_for(".detail", campaign_id=campaign_id))


@bp.post("/<int:campaign_id>/phases/<int:phase_id>/remove")
@role_required(*EDITORS)
def remove_phase(campaign_id: int, phase_id: int):
    """Remove a phase that no target or value counts."""
    campaign = campaign_or_404(campaign_id)
    phase = next((p for p in campaign.phases if p.id == phase_id), None)
    if phase is None:
        abort(404)
    if not ConfirmForm().validate():
        abort(400)
    try:
        services.remove_phase(campaign, phase)
    except CampaignError as refused:
        return _refused(campaign_id, refused)
    db.session.commit()
    flash(_("The phase was removed."), "success")
    return redirect(url_for(".detail", campaign_id=campaign_id))


@bp.post("/<int:campaign_id>/offices")
@role_required(*EDITORS)
def add_office(campaign_id: int):
    """Add an office or department taking part in the campaign."""
    campaign = campaign_or_404(campaign_id)
    form = OfficeForm(prefix="office")
    if not form.validate():
        return _detail(campaign, office_form=form, status=400)
    try:
        services.add_office(campaign, form.values())
    except CampaignError as refused:
        return _refused(campaign_id, refused)
    db.session.commit()
    flash(_("The office was added."), "success")
    return redirect(url_for(".detail", campaign_id=campaign_id))


@bp.post("/<int:campaign_id>/offices/<int:office_id>/remove")
@role_required(*EDITORS)
def remove_office(campaign_id: int, office_id: int):
    """Remove an office from the campaign."""
    campaign = campaign_or_404(campaign_id)
    office = next((o for o in campaign.offices if o.id == office_id), None)
    if office is None:
        abort(404)
    if not ConfirmForm().validate():
        abort(400)
    services.remove_office(campaign, office)
    db.session.commit()
    flash(_("The office was removed."), "success")
    return redirect(url_for(".detail", campaign_id=campaign_id))


def _indicator_form(campaign: Campaign, indicator: Indicator | None) -> IndicatorForm:
    data = None
    if indicator is not None:
        data = dict(code=indicator.code, name_hi=indicator.name_hi, name_en=indicator.name_en,
                    unit_hi=indicator.unit_hi, unit_en=indicator.unit_en, level=indicator.level.value,
                    source=indicator.source.value, programme=indicator.programme_id or 0,
                    share_of=indicator.share_of_id or 0, higher_is_better=indicator.higher_is_better,
                    may_exceed_target=indicator.may_exceed_target)
    form = IndicatorForm(data=data)
    form.programme.choices = [SelectChoice(0, _("None"))] + [SelectChoice(p.id, p.title) for p in campaign.programmes]
    form.share_of.choices = [SelectChoice(0, _("Of the target"))] + [
        SelectChoice(i.id, i.text("name")) for i in campaign.indicators if i is not indicator]
    return form


def _submit_indicator(campaign: Campaign, indicator: Indicator | None):
    form = _indicator_form(campaign, indicator)
    if form.validate_on_submit():
        try:
            saved = services.save_indicator(campaign, form.values(), indicator)
        except CampaignError as refused:
            db.session.rollback()
            campaign = campaign_or_404(campaign.id)
            indicator = services.load_indicator(campaign, indicator.id) if indicator is not None else None
            form.form_errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("The indicator was saved."), "success")
            return redirect(url_for(".indicator", campaign_id=campaign.id, indicator_id=saved.id))
    status = 400 if form.is_submitted() else 200
    return render_template("campaigns/indicator_form.html", form=form, campaign=campaign,
                           indicator=indicator), status


@bp.route("/<int:campaign_id>/indicators/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def add_indicator(campaign_id: int):
    """Add an indicator to the campaign."""
    return _submit_indicator(campaign_or_404(campaign_id), None)


@bp.route("/<int:campaign_id>/indicators/<int:indicator_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit_indicator(campaign_id: int, indicator_id: int):
    """Change an indicator of the campaign."""
    campaign = campaign_or_404(campaign_id)
    return _submit_indicator(campaign, indicator_or_404(campaign, indicator_id))


def _target_form(campaign: Campaign, indicator: Indicator) -> TargetForm:
    form = TargetForm()
    form.level.choices = [SelectChoice(level.value, level.label) for level in Level if level.rank >= indicator.level.rank]
    form.phase.choices = [SelectChoice(0, _("The whole campaign"))] + [SelectChoice(p.id, pick(p.name_hi, p.name_en))
                                                                        for p in campaign.phases]
    return form


def _indicator_page(campaign: Campaign, indicator: Indicator, form: TargetForm, status: int = 200):
    return render_template("campaigns/indicator.html", campaign=campaign, indicator=indicator, target_form=form,
                           targets=services.targets_of(indicator)), status


@bp.get("/<int:campaign_id>/indicators/<int:indicator_id>")
@role_required(*READERS)
def indicator(campaign_id: int, indicator_id: int):
    """Show an indicator of the campaign with its targets."""
    campaign = campaign_or_404(campaign_id)
    found = indicator_or_404(campaign, indicator_id)
    return _indicator_page(campaign, found, _target_form(campaign, found))


@bp.post("/<int:campaign_id>/indicators/<int:indicator_id>/targets")
@role_required(*EDITORS)
def set_target(campaign_id: int, indicator_id: int):
    """Set an indicator's target for one place, over a phase or the whole campaign."""
    campaign = campaign_or_404(campaign_id)
    found = indicator_or_404(campaign, indicator_id)
    form = _target_form(campaign, found)
    if not form.validate():
        return _indicator_page(campaign, found, form, status=400)
    phase = next((p for p in campaign.phases if p.id == form.phase.data), None)
    try:
        services.set_target(found, form.place(), form.value.data, phase)
    except CampaignError as refused:
        db.session.rollback()
        campaign = campaign_or_404(campaign_id)
        found = indicator_or_404(campaign, indicator_id)
        form.form_errors.append(refused.message)
        return _indicator_page(campaign, found, form, status=400)
    db.session.commit()
    flash(_("The target was set."), "success")
    return redirect(url_for(".indicator", campaign_id=campaign_id, indicator_id=indicator_id))
