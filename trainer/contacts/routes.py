"""The contacts pages: the GPs of an area with their contacts, a GP's contacts, the import, the exports, and
officers' own contacts.

Staff see only the contacts of their area (trainer.regions.areas.Area), numbers in full on these pages; files
and JSON carry them masked. Secretaries and the signed-out get nothing.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from trainer.accounts.models import User
from trainer.contacts import services
from trainer.contacts.exports import contacts_tables
from trainer.contacts.forms import ContactChoiceForm, ContactUploadForm, GpContactForm, OfficerContactForm
from trainer.contacts.importer import COLUMNS, import_contacts
from trainer.contacts.models import CHANNELS, Contact, ContactRole
from trainer.contacts.services import ContactError, ContactFilter
from trainer.core.auth import require_in_area, role_required
from trainer.core.database import retry_on_conflict
from trainer.core.downloads import attachment
from trainer.core.files import apply_upload
from trainer.core.roles import STAFF_ROLES, Role
from trainer.core.tables import csv_bytes, xlsx_bytes
from trainer.core.urls import int_arg, page_arg
from trainer.extensions import db
from trainer.regions.models import Block, District, GramPanchayat

bp = Blueprint("contacts", __name__, url_prefix="/contacts")

READERS = STAFF_ROLES
EDITORS = services.EDITOR_ROLES
IMPORTERS = EDITORS
PER_PAGE = 50
QUERY_LENGTH = 100


@bp.context_processor
def _helpers() -> dict:
    signed_in = current_user.is_authenticated
    return dict(may_edit_contacts=signed_in and current_user.has_role(*EDITORS),
                channel_labels=dict(zip(CHANNELS, (_("WhatsApp"), _("SMS"), _("E-mail")), strict=True)))


def _place_arg(model, name: str):
    """Return the district or block named by LGD code in the query string: 404 unknown, 403 outside the area."""
    code = int_arg(name)
    if code is None:
        return None
    place = db.first_or_404(select(model).filter_by(lgd_code=code))
    require_in_area(place)
    return place


def _filter() -> tuple[ContactFilter, dict]:
    district, block = _place_arg(District, "district"), _place_arg(Block, "block")
    query = (request.args.get("q") or "").strip()[:QUERY_LENGTH]
    missing = request.args.get("missing") == "1"
    chosen = ContactFilter(district_id=district.id if district else None, block_id=block.id if block else None,
                           missing=missing, query=query)
    args = {"district": district.lgd_code if district else None, "block": block.lgd_code if block else None,
            "missing": "1" if missing else None, "q": query or None}
    return chosen, args


@bp.get("/")
@role_required(*READERS)
def index():
    """List the GPs of the viewer's area with their secretary's and sarpanch's contacts."""
    chosen, args = _filter()
    area = current_user.area
    page = db.paginate(services.gp_list_query(area, chosen), page=page_arg(), per_page=PER_PAGE, error_out=False)
    contacts = services.contacts_of(gp.id for gp in page.items)
    districts = list(db.session.scalars(select(District).where(area.condition(District)).order_by(District.lgd_code)))
    blocks = []
    if chosen.district_id or area.district_id:
        district_id = chosen.district_id or area.district_id
        blocks = list(db.session.scalars(select(Block).where(Block.district_id == district_id,
                                                             area.condition(Block)).order_by(Block.lgd_code)))
    return render_template("contacts/index.html", page=page, contacts=contacts, args=args,
                           coverage=services.coverage(area, chosen), districts=districts, blocks=blocks,
                           roles=ContactRole)


def _gp_or_404(gp_code: int) -> GramPanchayat:
    gram_panchayat = db.first_or_404(select(GramPanchayat).filter_by(lgd_code=gp_code))
    require_in_area(gram_panchayat)
    return gram_panchayat


def _contact_of(gram_panchayat: GramPanchayat, contact_id) -> Contact:
    """Return one of the GP's contacts, named by a form or the query string: 404 for any other."""
    try:
        number = int(contact_id)
    except (TypeError, ValueError):
        abort(404)
    contact = db.session.get(Contact, number) if 0 < number < 2**31 else None
    if contact is None or contact.gram_panchayat_id != gram_panchayat.id:
        abort(404)
    return contact


def _gp_page(gram_panchayat: GramPanchayat, form: GpContactForm, editing: Contact | None, status: int = 200):
    return render_template("contacts/gp.html", gram_panchayat=gram_panchayat, form=form, editing=editing,
                           contacts=services.contacts_of([gram_panchayat.id]).get(gram_panchayat.id, []),
                           choice_form=ContactChoiceForm()), status


@bp.get("/gps/<int:gp_code>")
@role_required(*READERS)
def gp(gp_code: int):
    """Show a GP's contacts; editors also get the form to add one, or to change the one named by ?edit=."""
    gram_panchayat = _gp_or_404(gp_code)
    editing = None
    if request.args.get("edit"):
        editing = _contact_of(gram_panchayat, int_arg("edit"))
    form = GpContactForm(formdata=None)
    if editing is not None:
        form = GpContactForm(formdata=None, contact_id=editing.id, role=editing.role.value, name=editing.name,
                             mobile=editing.mobile or "", email=editing.email or "", language=editing.language,
                             channels=list(editing.channels))
    return _gp_page(gram_panchayat, form, editing)


@bp.post("/gps/<int:gp_code>")
@role_required(*EDITORS)
@retry_on_conflict
def save(gp_code: int):
    """Add a contact to the GP, or change one of its contacts."""
    gram_panchayat = _gp_or_404(gp_code)
    form = GpContactForm()
    editing = _contact_of(gram_panchayat, form.contact_id.data) if form.contact_id.data else None
    if not form.validate():
        return _gp_page(gram_panchayat, form, editing, 400)
    try:
        services.save_gp_contact(gram_panchayat, ContactRole(form.role.data), form.values(), current_user.id,
                                 editing)
    except ContactError as refused:
        form.role.errors.append(refused.message)
        return _gp_page(gram_panchayat, form, editing, 400)
    db.session.commit()
    flash(_("The contact was saved."), "success")
    return redirect(url_for(".gp", gp_code=gp_code))


def _chosen_contact(gp_code: int) -> tuple[GramPanchayat, Contact]:
    gram_panchayat = _gp_or_404(gp_code)
    form = ContactChoiceForm()
    if not form.validate():
        abort(400)
    return gram_panchayat, _contact_of(gram_panchayat, form.contact_id.data)


@bp.post("/gps/<int:gp_code>/opt-out")
@role_required(*EDITORS)
def opt_out(gp_code: int):
    """Stop messages to one contact, at their request."""
    _gram_panchayat, contact = _chosen_contact(gp_code)
    services.staff_opt_out(contact, current_user.id)
    db.session.commit()
    flash(_("No more messages will be sent to this contact."), "success")
    return redirect(url_for(".gp", gp_code=gp_code))


@bp.post("/gps/<int:gp_code>/opt-in")
@role_required(*EDITORS)
def opt_in(gp_code: int):
    """Let messages reach one contact again, at their request."""
    _gram_panchayat, contact = _chosen_contact(gp_code)
    services.opt_in(contact)
    contact.updated_by_id = current_user.id
    db.session.commit()
    flash(_("Messages will reach this contact again."), "success")
    return redirect(url_for(".gp", gp_code=gp_code))


@bp.post("/gps/<int:gp_code>/delete")
@role_required(*EDITORS)
def delete(gp_code: int):
    """Remove one contact of the GP."""
    _gram_panchayat, contact = _chosen_contact(gp_code)
    services.delete_contact(contact)
    db.session.commit()
    flash(_("The contact was removed."), "success")
    return redirect(url_for(".gp", gp_code=gp_code))


@bp.route("/import", methods=["GET", "POST"])
@role_required(*IMPORTERS)
@retry_on_conflict
def upload():
    """Take a CSV or XLSX file of contacts of the importer's area: applied whole, or not at all."""
    form = ContactUploadForm()
    problems, summary = [], None
    if form.validate_on_submit():
        upload = form.file.data
        summary, problems = apply_upload(
            lambda: import_contacts(upload.read(), current_user.area, current_user.id, upload.filename or ""),
            _("The file was imported."))
        if summary is not None:
            form = ContactUploadForm(formdata=None)
    return render_template("contacts/import.html", form=form, problems=problems, summary=summary, columns=COLUMNS,
                           roles=[ContactRole.SECRETARY, ContactRole.SARPANCH, ContactRole.OTHER])


@bp.get("/export.<fmt>")
@role_required(*READERS)
def export(fmt: str):
    """Download the contacts of the viewer's area (or of the chosen district or block), numbers masked."""
    if fmt not in ("csv", "xlsx"):
        abort(404)
    chosen, _args = _filter()
    tables = contacts_tables(current_user.area, chosen)
    body = csv_bytes(tables[0]) if fmt == "csv" else xlsx_bytes(tables)
    return attachment(body, fmt, _("contacts"), "contacts")


def _contact_form(contact: Contact | None) -> OfficerContactForm:
    if contact is None:
        return OfficerContactForm()
    return OfficerContactForm(name=contact.name, mobile=contact.mobile or "", email=contact.email or "",
                              language=contact.language, channels=list(contact.channels))


@bp.route("/me", methods=["GET", "POST"])
@role_required(*STAFF_ROLES)
def mine():
    """Show and change the signed-in officer's own contact."""
    contact = services.officer_contact(current_user)
    form = _contact_form(contact)
    if form.validate_on_submit():
        services.save_officer_contact(current_user, form.values(), current_user.id)
        db.session.commit()
        flash(_("Your contact was saved."), "success")
        return redirect(url_for(".mine"))
    return render_template("contacts/officer.html", form=form, contact=contact, officer=current_user, own=True)


@bp.get("/officers/")
@role_required(Role.ADMIN)
def officers():
    """List the officers' accounts with their contacts."""
    page = db.paginate(select(User).where(User.role.in_(STAFF_ROLES)).order_by(User.username), page=page_arg(),
                       per_page=PER_PAGE, error_out=False)
    found = {contact.user_id: contact for contact in db.session.scalars(
        select(Contact).where(Contact.user_id.in_([user.id for user in page.items])))}
    return render_template("contacts/officers.html", page=page, found=found)


@bp.route("/officers/<int:user_id>", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def officer(user_id: int):
    """Show and change any officer's contact."""
    user = db.get_or_404(User, user_id)
    if not user.has_role(*STAFF_ROLES):
        abort(404)
    contact = services.officer_contact(user)
    form = _contact_form(contact)
    if form.validate_on_submit():
        services.save_officer_contact(user, form.values(), current_user.id)
        db.session.commit()
        flash(_("The contact of %(name)s was saved.", name=user.username), "success")
        return redirect(url_for(".officer", user_id=user.id))
    return render_template("contacts/officer.html", form=form, contact=contact, officer=user, own=False)

