"""A programme's partners, for its planners: whom it reaches, its partner organisations, adding them one by one
(found in the registry) or as all those a call selected, and taking one off."""
from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from wtforms.fields.choices import SelectChoice

from trainer.attendance import rules
from trainer.attendance.posters import grouped
from trainer.core import clock
from trainer.core.auth import role_required
from trainer.extensions import db
from trainer.partners import programme_partners, services
from trainer.partners.models import Call, Organisation
from trainer.partners.programme_forms import (
    AddPartnerForm,
    AddSelectedForm,
    IssueCodeForm,
    ReachForm,
    RemovePartnerForm,
)
from trainer.partners.programme_partners import PartnerError
from trainer.partners.services import OrganisationFilter
from trainer.programmes.models import Programme, Reach
from trainer.programmes.share import division_names

bp = Blueprint("programme_partners", __name__, url_prefix="/partners/programmes")

EDITORS = programme_partners.EDITOR_ROLES
FOUND = 20  # organisations found by a search, to add
QUERY_LENGTH = 100


def _calls() -> list[Call]:
    return list(db.session.scalars(select(Call).order_by(Call.opens_on.desc(), Call.id.desc())))


def _page(programme: Programme, reach_form=None, add_form=None, selected_form=None, status: int = 200):
    query = (request.args.get("q") or "").strip()[:QUERY_LENGTH]
    partners = programme_partners.partners_of(programme)
    present = {partner.organisation_id for partner in partners}
    found = []
    if query:
        found = [organisation for organisation in db.session.scalars(
            services.organisation_query(OrganisationFilter(query=query)).limit(FOUND + len(present)))
            if organisation.id not in present][:FOUND]
    selected_form = selected_form or AddSelectedForm(formdata=None)
    selected_form.call.choices = [SelectChoice(call.id, call.title) for call in _calls()]
    return render_template("partners/programme.html", programme=programme, partners=partners, query=query,
                           found=found, reach_form=reach_form or ReachForm(formdata=None,
                                                                            reaches=programme.reaches.value),
                           add_form=add_form or AddPartnerForm(formdata=None), selected_form=selected_form,
                           remove_form=RemovePartnerForm(formdata=None), code_form=IssueCodeForm(formdata=None),
                           codes=programme_partners.codes_of(programme),
                           sessions=[session for session in programme.sessions if rules.can_be_marked(session)],
                           division_names=division_names), status


@bp.get("/<int:programme_id>")
@role_required(*EDITORS)
def index(programme_id: int):
    """Show whom a programme reaches and its partner organisations; find organisations of the registry to add."""
    return _page(db.get_or_404(Programme, programme_id))


@bp.post("/<int:programme_id>/reach")
@role_required(*EDITORS)
def reach(programme_id: int):
    """Say whether the programme reaches gram panchayats, partner organisations or both."""
    programme = db.get_or_404(Programme, programme_id)
    form = ReachForm()
    if not form.validate_on_submit():
        return _page(programme, reach_form=form, status=422)
    programme_partners.set_reach(programme, Reach(form.reaches.data))
    db.session.commit()
    flash(_("Saved: the programme reaches %(whom)s.", whom=programme.reaches.label), "success")
    return redirect(url_for("programme_partners.index", programme_id=programme.id))


@bp.post("/<int:programme_id>/organisations")
@role_required(*EDITORS)
def add(programme_id: int):
    """Make one organisation of the registry a partner of the programme."""
    programme = db.get_or_404(Programme, programme_id)
    form = AddPartnerForm()
    if not form.validate_on_submit():
        return _page(programme, add_form=form, status=422)
    try:
        added = programme_partners.add_partners(programme, [form.organisation.data], current_user.id)
    except PartnerError as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        return _page(programme, add_form=form, status=422)
    db.session.commit()
    flash(_("The organisation is now a partner of the programme.") if added
          else _("The organisation was already a partner of the programme."), "success")
    return redirect(url_for("programme_partners.index", programme_id=programme.id))


@bp.post("/<int:programme_id>/selected")
@role_required(*EDITORS)
def add_selected(programme_id: int):
    """Make every organisation a call selected a partner of the programme."""
    programme = db.get_or_404(Programme, programme_id)
    form = AddSelectedForm()
    form.call.choices = [SelectChoice(call.id, call.title) for call in _calls()]
    if not form.validate_on_submit():
        return _page(programme, selected_form=form, status=422)
    try:
        added = programme_partners.add_selected(programme, db.session.get(Call, form.call.data), current_user.id)
    except PartnerError as error:
        db.session.rollback()
        form.form_errors.append(error.message)
        return _page(programme, selected_form=form, status=422)
    db.session.commit()
    flash(ngettext("%(num)s organisation selected by the call is now a partner of the programme.",
                   "%(num)s organisations selected by the call are now partners of the programme.", added),
          "success")
    return redirect(url_for("programme_partners.index", programme_id=programme.id))


@bp.post("/<int:programme_id>/organisations/<int:organisation_id>/remove")
@role_required(*EDITORS)
def remove(programme_id: int, organisation_id: int):
    """Take an organisation off the programme's partners."""
    programme = db.get_or_404(Programme, programme_id)
    if not RemovePartnerForm().validate_on_submit():
        return redirect(url_for("programme_partners.index", programme_id=programme.id))
    try:
        programme_partners.remove_partner(programme, organisation_id)
    except PartnerError as error:
        db.session.rollback()
        flash(str(error.message), "error")
        return _page(programme, status=404)
    db.session.commit()
    flash(_("The organisation is no longer a partner of the programme."), "success")
    return redirect(url_for("programme_partners.index", programme_id=programme.id))



def _codes_once(programme: Programme, issued: list[tuple[Organisation, str]]) -> Response:
    """Show new codes on a page to print, the only time they exist in clear; never kept by a cache."""
    response = Response(render_template("partners/programme_codes.html", programme=programme,
                                        issued=[(organisation, grouped(code)) for organisation, code in issued],
                                        issued_at=clock.now()))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/<int:programme_id>/codes")
@role_required(*EDITORS)
def issue_codes(programme_id: int):
    """Give every partner of the programme that has no access code one, and show them once."""
    programme = db.get_or_404(Programme, programme_id)
    if not RemovePartnerForm().validate_on_submit():
        return redirect(url_for("programme_partners.index", programme_id=programme.id))
    issued = programme_partners.issue_programme_codes(programme, current_user.id, only_missing=True)
    if not issued:
        db.session.rollback()
        flash(_("Every partner of the programme has an access code already."), "info")
        return redirect(url_for("programme_partners.index", programme_id=programme.id))
    db.session.commit()
    return _codes_once(programme, issued)


@bp.post("/<int:programme_id>/organisations/<int:organisation_id>/code")
@role_required(*EDITORS)
def reissue_code(programme_id: int, organisation_id: int):
    """Give one partner of the programme a new access code (the old one stops working), and show it once."""
    programme = db.get_or_404(Programme, programme_id)
    if not programme_partners.is_partner(programme.id, organisation_id):
        abort(404)
    if not IssueCodeForm().validate_on_submit():
        flash(_("Tick the box to confirm that the old code stops working."), "error")
        return redirect(url_for("programme_partners.index", programme_id=programme.id))
    organisation = db.session.get(Organisation, organisation_id)
    code = programme_partners.issue_code(organisation, current_user.id)
    db.session.commit()
    return _codes_once(programme, [(organisation, code)])
