"""The offices' pages, for administrators and directors: the list with a search, one office with its officers,
creating and changing one, adding and removing officers. A director of a division keeps the offices of the
division."""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.accounts import services as accounts
from trainer.core.auth import role_required
from trainer.core.forms import ConfirmForm
from trainer.core.urls import page_arg
from trainer.extensions import db
from trainer.offices import services
from trainer.offices.forms import OfficeForm, OfficerForm, RemoveOfficerForm
from trainer.offices.models import Office
from trainer.offices.services import OfficeError

bp = Blueprint("offices", __name__, url_prefix="/offices")

EDITORS = services.EDITOR_ROLES
PER_PAGE = 50
SEARCH_LENGTH_MAX = 100


def office_or_404(office_id: int) -> Office:
    """Return the office, 404 when there is none, 403 when the user does not keep it."""
    office = services.load_office(office_id)
    if office is None:
        abort(404)
    if not services.may_edit(current_user, office):
        abort(403)
    return office


@bp.get("")
@role_required(*EDITORS)
def index():
    """List the offices the user sees, matching the search (?q=) in a name or the short name."""
    search = (request.args.get("q") or "")[:SEARCH_LENGTH_MAX]
    page = db.paginate(services.office_query(current_user.area, search), page=page_arg(), per_page=PER_PAGE,
                       error_out=False)
    return render_template("offices/index.html", page=page, search=search)


def _detail(office: Office, officer_form=None, status: int = 200):
    return render_template("offices/detail.html", office=office,
                           officer_form=officer_form or OfficerForm(formdata=None, prefix="officer"),
                           confirm=ConfirmForm(formdata=None)), status


@bp.get("/<int:office_id>")
@role_required(*EDITORS)
def detail(office_id: int):
    """Show an office with its officers."""
    return _detail(office_or_404(office_id))


def _form_data(office: Office) -> dict:
    place = office.place
    level = "block" if office.block else "district" if office.district else "division" if office.division else "state"
    return dict(name_hi=office.name_hi, name_en=office.name_en, short_name=office.short_name, area_level=level,
                area_code=place.lgd_code if place else None, phone=office.phone, email=office.email,
                active=office.active)


def _submit(office: Office | None):
    form = OfficeForm(data=_form_data(office)) if office is not None else OfficeForm()
    if form.validate_on_submit():
        try:
            saved = services.save_office(form.values(), office, current_user)
        except OfficeError as refused:
            db.session.rollback()
            form.form_errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("The office was saved."), "success")
            return redirect(url_for(".detail", office_id=saved.id))
    status = 400 if form.is_submitted() else 200
    return render_template("offices/form.html", form=form, office=office), status


@bp.route("/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def create():
    """Create an office."""
    return _submit(None)


@bp.route("/<int:office_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(office_id: int):
    """Change an office."""
    return _submit(office_or_404(office_id))


@bp.post("/<int:office_id>/officers")
@role_required(*EDITORS)
def add_officer(office_id: int):
    """Make a member of staff an officer of the office (by username), with a designation."""
    office = office_or_404(office_id)
    form = OfficerForm(prefix="officer")
    if form.validate_on_submit():
        user = accounts.find_user(form.username.data)
        if user is None:
            form.username.errors.append(_("There is no account with this username."))
        else:
            try:
                services.add_officer(office, user, form.designation.data or "")
            except OfficeError as refused:
                db.session.rollback()
                form.username.errors.append(refused.message)
            else:
                db.session.commit()
                flash(_("The officer was added."), "success")
                return redirect(url_for(".detail", office_id=office.id))
    return _detail(office, officer_form=form, status=400)


@bp.post("/<int:office_id>/officers/remove")
@role_required(*EDITORS)
def remove_officer(office_id: int):
    """Stop an account acting for the office."""
    office = office_or_404(office_id)
    form = RemoveOfficerForm()
    if not form.validate_on_submit():
        abort(400)
    row = next((o for o in office.officers if o.user_id == form.user_id.data), None)
    if row is None:
        abort(404)
    services.remove_officer(office, row.user)
    db.session.commit()
    flash(_("The officer was removed."), "success")
    return redirect(url_for(".detail", office_id=office.id))
