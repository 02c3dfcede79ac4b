"""The registry's pages: the list of organisations, one organisation, adding and changing one (with its possible
duplicates shown before saving), flagging a duplicate, and the import.

Every member of staff reads the whole registry (organisations are not placed in an area); planners change it.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from trainer.core.auth import role_required
from trainer.core.database import retry_on_conflict
from trainer.core.files import apply_upload
from trainer.core.i18n import localized_name
from trainer.core.roles import STAFF_ROLES
from trainer.core.urls import int_arg, page_arg
from trainer.extensions import db
from trainer.partners import services
from trainer.partners.forms import DuplicateForm, OrganisationForm, OrganisationUploadForm
from trainer.partners.importer import COLUMNS, import_organisations
from trainer.partners.models import KIND_LABELS, THEME_LABELS, THEMES, Organisation, OrganisationKind
from trainer.partners.services import OrganisationError, OrganisationFilter
from trainer.regions.models import Block, District

bp = Blueprint("partners", __name__, url_prefix="/partners")

READERS = STAFF_ROLES
EDITORS = services.EDITOR_ROLES
PER_PAGE = 50
QUERY_LENGTH = 100


@bp.context_processor
def _helpers() -> dict:
    signed_in = current_user.is_authenticated
    return dict(may_edit_partners=signed_in and current_user.has_role(*EDITORS), kind_labels=KIND_LABELS,
                theme_labels=THEME_LABELS)


def _filter() -> tuple[OrganisationFilter, dict]:
    query = (request.args.get("q") or "").strip()[:QUERY_LENGTH]
    kind = request.args.get("kind") or ""
    kind = OrganisationKind(kind) if kind in set(OrganisationKind) else None
    theme = request.args.get("theme") or ""
    theme = theme if theme in THEMES else None
    code = int_arg("district")
    district = db.first_or_404(select(District).filter_by(lgd_code=code)) if code is not None else None
    chosen = OrganisationFilter(query=query, kind=kind, theme=theme, district_id=district.id if district else None)
    args = {"q": query or None, "kind": kind.value if kind else None, "theme": theme,
            "district": district.lgd_code if district else None}
    return chosen, args


def _districts() -> list[tuple[int, str]]:
    return [(district.id, localized_name(district))
            for district in db.session.scalars(select(District).order_by(District.lgd_code))]


@bp.get("/organisations")
@role_required(*READERS)
def index():
    """List the organisations of the registry, by name, filtered by name or identifier, kind, theme, district."""
    chosen, args = _filter()
    page = db.paginate(services.organisation_query(chosen), page=page_arg(), per_page=PER_PAGE, error_out=False)
    districts = list(db.session.scalars(select(District).order_by(District.lgd_code)))
    return render_template("partners/index.html", page=page, args=args, districts=districts, kinds=OrganisationKind)


def _organisation_or_404(organisation_id: int) -> Organisation:
    organisation = services.load_organisation(organisation_id)
    if organisation is None:
        abort(404)
    return organisation


@bp.get("/organisations/<int:organisation_id>")
@role_required(*READERS)
def detail(organisation_id: int):
    """Show an organisation: identifiers, themes, areas, people, and the organisations it may duplicate."""
    organisation = _organisation_or_404(organisation_id)
    duplicates = services.duplicates_of(organisation)
    settled = {organisation.duplicate_of_id} | {duplicate.id for duplicate in duplicates}
    matches = [match for match in services.possible_duplicates(services.values_of(organisation), organisation.id)
               if match.organisation.id not in settled]
    return render_template("partners/detail.html", organisation=organisation, matches=matches,
                           duplicates=duplicates, form=DuplicateForm(formdata=None))


def _form_data(organisation: Organisation) -> dict:
    values = services.values_of(organisation)
    blocks = {area.block_id: area.block.lgd_code for area in organisation.areas if area.block is not None}
    return dict(name_hi=values.name_hi, name_en=values.name_en, kind=values.kind.value,
                darpan_id=values.darpan_id or "", registration_number=values.registration_number or "",
                registering_authority=values.registering_authority, pan=values.pan or "", address=values.address,
                district=str(values.district_id or ""), website=values.website, email=values.email or "",
                phone=values.phone, themes=list(values.themes), whole_state=values.whole_state,
                districts=[str(i) for i in values.district_ids],
                block_codes=", ".join(str(blocks[i]) for i in values.block_ids),
                people=[dict(name=p.name, designation=p.designation, mobile=p.mobile or "", email=p.email or "")
                        for p in values.people])


def _page(form: OrganisationForm, organisation: Organisation | None, matches=(), status: int = 200):
    return render_template("partners/form.html", form=form, organisation=organisation, matches=matches), status


def _submit(organisation: Organisation | None):
    """Show the form; take it: ask about possible duplicates first, then save and go to the organisation."""
    if request.method == "GET":
        form = OrganisationForm(formdata=None, data=_form_data(organisation)) if organisation else OrganisationForm(
            formdata=None)
        form.set_places(_districts())
        if organisation is not None and len(form.people) <= len(organisation.people):
            form.people.append_entry()  # a blank row for one more person
        return _page(form, organisation)
    form = OrganisationForm()
    form.set_places(_districts())
    if not form.validate():
        return _page(form, organisation, status=400)
    codes = form.block_code_list()
    blocks = dict(db.session.execute(select(Block.lgd_code, Block.id).where(Block.lgd_code.in_(codes))).all()) \
        if codes else {}
    unknown = [str(code) for code in codes if code not in blocks]
    if unknown:
        form.block_codes.errors.append(_("There is no block with code %(codes)s.", codes=", ".join(unknown)))
        return _page(form, organisation, status=400)
    values = form.values(tuple(blocks[code] for code in dict.fromkeys(codes)))
    matches = services.new_matches(values, organisation)
    duplicate_of = None
    if matches:
        decision = (request.form.get("decision") or "").strip()
        chosen = {str(match.organisation.id): match.organisation for match in matches}
        if decision in chosen:
            duplicate_of = chosen[decision]
        elif decision != "different":
            return _page(form, organisation, matches)
    try:
        saved = services.save_organisation(values, current_user.id, organisation, duplicate_of)
    except OrganisationError as refused:
        form.form_errors.append(refused.message)
        return _page(form, organisation, status=400)
    db.session.commit()
    flash(_("The organisation was saved."), "success")
    return redirect(url_for(".detail", organisation_id=saved.id))


@bp.route("/organisations/new", methods=["GET", "POST"])
@role_required(*EDITORS)
@retry_on_conflict
def create():
    """Add an organisation to the registry."""
    return _submit(None)


@bp.route("/organisations/<int:organisation_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
@retry_on_conflict
def edit(organisation_id: int):
    """Change an organisation of the registry."""
    return _submit(_organisation_or_404(organisation_id))


@bp.post("/organisations/<int:organisation_id>/duplicate")
@role_required(*EDITORS)
def duplicate(organisation_id: int):
    """Flag the organisation as a duplicate of another one, or clear the flag."""
    organisation = _organisation_or_404(organisation_id)
    form = DuplicateForm()
    if not form.validate():
        abort(400)
    original = None
    if form.duplicate_of.data:
        original = db.session.get(Organisation, int(form.duplicate_of.data)) \
            if int(form.duplicate_of.data) < 2**31 else None
        if original is None:
            flash(_("There is no organisation with number %(id)s.", id=form.duplicate_of.data), "error")
            return redirect(url_for(".detail", organisation_id=organisation.id))
    try:
        services.mark_duplicate(organisation, original)
    except OrganisationError as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(url_for(".detail", organisation_id=organisation.id))
    db.session.commit()
    flash(_("The organisation is flagged as a duplicate.") if original else _("The duplicate flag was cleared."),
          "success")
    return redirect(url_for(".detail", organisation_id=organisation.id))


@bp.route("/organisations/import", methods=["GET", "POST"])
@role_required(*EDITORS)
@retry_on_conflict
def upload():
    """Take a CSV or XLSX file of organisations: added whole, or not at all."""
    form = OrganisationUploadForm()
    problems, summary = [], None
    if form.validate_on_submit():
        upload = form.file.data
        summary, problems = apply_upload(
            lambda: import_organisations(upload.read(), current_user.id, upload.filename or ""),
            _("The file was imported."))
        if summary is not None:
            form = OrganisationUploadForm(formdata=None)
    return render_template("partners/import.html", form=form, problems=problems, summary=summary, columns=COLUMNS,
                           kinds=OrganisationKind, themes=THEMES)
