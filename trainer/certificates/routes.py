"""Certificates' pages under /certificates/: staff's lists and counts, a programme's certificates (design, bulk
issuing, bundles), designs, certificates of appreciation, revoking and replacing; the secretary's own
certificates; and the public verify page for a typed serial.

Planners (admin, trainer) design and issue; directors also give certificates of appreciation; officers read and
download those of their area. A gram panchayat's phone downloads its own.
"""
import base64
import uuid

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select

from trainer.attendance import device, limits
from trainer.attendance import services as attendance
from trainer.certificates import bundles, documents, images, services, signing, tasks, verification
from trainer.certificates.forms import (
    AppreciationForm,
    BatchForm,
    DesignForm,
    IdentifyForm,
    NewDesignForm,
    PartnerBatchForm,
    ReplaceForm,
    RevokeForm,
    SignatoryForm,
    field_names,
)
from trainer.certificates.models import (
    Audience,
    Certificate,
    CertificateBatch,
    CertificateBundle,
    CertificateDesign,
    CertificateKind,
    CertificateSignatory,
    CertificateState,
    RecipientKind,
    WorkState,
)
from trainer.certificates.pages import public_key_facts, verify_page
from trainer.core.auth import require_in_area, role_required
from trainer.core.bounds import database_int
from trainer.core.database import like_escaped
from trainer.core.downloads import attachment
from trainer.core.forms import ConfirmForm
from trainer.core.roles import PLANNERS, STAFF_ROLES, Role
from trainer.core.urls import page_arg
from trainer.extensions import db, limiter
from trainer.regions.models import Block, District, GramPanchayat
from trainer.reports import access as reports_access

bp = Blueprint("certificates", __name__, url_prefix="/certificates")
# Who gives certificates of appreciation: the planners, and directors (a review meeting's honours).
APPRECIATORS = (Role.ADMIN, Role.TRAINER, Role.DIRECTOR)
REFRESH_SECONDS = 3


@bp.app_template_filter("b64")
def b64(data: bytes | None) -> str:
    """An image kept in the database, for a data: URI."""
    return base64.b64encode(data or b"").decode()


@bp.app_context_processor
def certificate_labels():
    return {"certificate_state": CertificateState, "work_state": WorkState}


def _can_sign() -> bool:
    """Say whether this Trainer has a key to sign certificates with (a server database needs one configured)."""
    return signing.keys().signing is not None


def _refuse_unsigned() -> bool:
    """Flash why nothing can be issued without a signing key; say whether that is so."""
    if _can_sign():
        return False
    flash(_("Certificates cannot be issued yet: the signing key is not configured (CERTIFICATE_SIGNING_KEY). Ask "
            "the administrator of the server."), "error")
    return True


def _programme(programme_id: int):
    """A programme with published sessions in the viewer's area (404 for drafts, 403 outside the area)."""
    try:
        return reports_access.reported_programme(programme_id)
    except reports_access.Refused as refused:
        abort(refused.status)


def _certificate(serial: str) -> Certificate:
    """A certificate of the viewer's area, by serial (404 unknown, 403 outside the area)."""
    certificate = services.find_by_serial(serial)
    if certificate is None:
        abort(404)
    if not services.lies_in(certificate, current_user.area):
        abort(403)
    return certificate


def _districts_of(programme) -> list[District]:
    """The programme's districts in the viewer's area, by name."""
    area = current_user.area
    return list(db.session.scalars(select(District).where(
        District.division_id.in_([d.id for d in programme.divisions]), area.condition(District))
        .order_by(District.name_hi, District.lgd_code)))


def _pdf(certificate: Certificate):
    return attachment(documents.certificate_pdf(certificate), "pdf",
                      f"{certificate.design.title_hi}-{certificate.recipient_hi}-{certificate.shown_serial}",
                      f"certificate-{certificate.serial}")


# Staff: lists and counts


@bp.get("/")
@role_required(*STAFF_ROLES)
def index():
    """Certificates of the viewer's area: counts by district, and the certificates themselves, filtered."""
    area = current_user.area
    programme_id = database_int(request.args.get("programme"))
    state = request.args.get("state", "")
    typed = request.args.get("q", "").replace("\x00", "").strip()[:100]
    query = select(Certificate).where(services.in_area(area)).order_by(Certificate.id.desc())
    if programme_id is not None:
        query = query.where(Certificate.programme_id == programme_id)
    if state in {s.value for s in CertificateState}:
        query = query.where(Certificate.state == CertificateState(state))
    if typed:
        serial = services.normalise_serial(typed)
        pattern = f"%{like_escaped(typed)}%"
        query = query.where(or_(Certificate.serial == serial, Certificate.recipient_hi.like(pattern, escape="\\"),
                                Certificate.recipient_en.like(pattern, escape="\\")))
    page = db.paginate(query, page=page_arg(), per_page=current_app.config["CERTIFICATES_PAGE_SIZE"],
                       error_out=False)
    programmes = [p for p in services.reported_programmes()
                  if reports_access.reaches(area, p.divisions)]
    return render_template("certificates/index.html", page=page, counts=services.counts_by_district(area, programme_id),
                           programmes=programmes, chosen={"programme": programme_id, "state": state, "q": typed},
                           states=list(CertificateState), may_issue=current_user.has_role(*PLANNERS),
                           may_appreciate=current_user.has_role(*APPRECIATORS))


@bp.get("/<serial>")
@role_required(*STAFF_ROLES)
def detail(serial: str):
    """One certificate: what it says, its standing, what it replaced or was replaced by, and its actions."""
    certificate = _certificate(serial)
    return render_template("certificates/detail.html", certificate=certificate,
                           values=services.text_values(certificate, "hi"),
                           following=services.successor(certificate), revoke_form=RevokeForm(),
                           replace_form=ReplaceForm(recipient_hi=certificate.recipient_hi,
                                                    recipient_en=certificate.recipient_en),
                           may_change=current_user.has_role(*PLANNERS))


@bp.get("/<serial>.pdf")
@role_required(*STAFF_ROLES)
def download(serial: str):
    """The certificate as its printable PDF (a revoked or replaced one is marked so across the page)."""
    return _pdf(_certificate(serial))


@bp.post("/<serial>/revoke")
@role_required(*PLANNERS)
def revoke(serial: str):
    """Revoke a certificate, saying why: its verify page then says so."""
    certificate = _certificate(serial)
    form = RevokeForm()
    if not form.validate():
        flash(_("Say why the certificate is revoked."), "error")
        return redirect(url_for(".detail", serial=certificate.serial))
    try:
        services.revoke(certificate, form.reason.data, current_user)
    except services.CertificateError as error:
        flash(str(error), "error")
        return redirect(url_for(".detail", serial=certificate.serial))
    db.session.commit()
    flash(_("Certificate %(serial)s is revoked.", serial=certificate.shown_serial), "success")
    return redirect(url_for(".detail", serial=certificate.serial))


@bp.post("/<serial>/replace")
@role_required(*PLANNERS)
def replace(serial: str):
    """Reissue a certificate after a correction; the old one says which replaced it."""
    certificate = _certificate(serial)
    form = ReplaceForm()
    if _refuse_unsigned():
        return redirect(url_for(".detail", serial=certificate.serial))
    if not form.validate():
        flash(_("The recipient's name in Hindi is needed."), "error")
        return redirect(url_for(".detail", serial=certificate.serial))
    try:
        following = services.replace(certificate, current_user, recipient_hi=form.recipient_hi.data,
                                     recipient_en=form.recipient_en.data or "")
    except services.CertificateError as error:
        flash(str(error), "error")
        return redirect(url_for(".detail", serial=certificate.serial))
    db.session.commit()
    flash(_("Certificate %(old)s is replaced by %(new)s.", old=certificate.shown_serial,
            new=following.shown_serial), "success")
    return redirect(url_for(".detail", serial=following.serial))


# A programme's certificates


@bp.get("/programmes/<int:programme_id>")
@role_required(*STAFF_ROLES)
def programme(programme_id: int):
    """A programme's certificates: counts by district, the GPs that completed it, issuing in bulk, bundles."""
    programme = _programme(programme_id)
    area = current_user.area
    design = db.session.scalar(select(CertificateDesign).where(CertificateDesign.programme_id == programme.id))
    batches = db.session.scalars(select(CertificateBatch).where(CertificateBatch.programme_id == programme.id)
                                 .order_by(CertificateBatch.id.desc()).limit(10)).all()
    districts = _districts_of(programme)
    return render_template(
        "certificates/programme.html", programme=programme, design=design, batches=batches,
        completed=services.completed_count(programme, area),
        partners_completed=services.partners_completed_count(programme, area), partner_form=PartnerBatchForm(),
        counts=services.counts_by_district(area, programme.id), districts=districts,
        batch_form=BatchForm(districts), may_issue=current_user.has_role(*PLANNERS),
        bundles=_bundles(programme), blocks_of=_blocks_by_district(districts),
        district_by_code={d.lgd_code: d for d in districts}, confirm=ConfirmForm(), can_sign=_can_sign())


def _bundles(programme) -> dict[tuple[str, int], CertificateBundle]:
    """The latest bundle of each place of the programme: (kind, place id) → bundle."""
    latest = {}
    for bundle in db.session.scalars(select(CertificateBundle).where(CertificateBundle.programme_id == programme.id)
                                     .order_by(CertificateBundle.id)):
        key = ("block", bundle.block_id) if bundle.block_id else ("district", bundle.district_id)
        latest[key] = bundle
    return latest


def _blocks_by_district(districts) -> dict[int, list[Block]]:
    area = current_user.area
    found: dict[int, list[Block]] = {}
    for block in db.session.scalars(select(Block).where(Block.district_id.in_([d.id for d in districts]),
                                                        area.condition(Block)).order_by(Block.name_hi)):
        found.setdefault(block.district_id, []).append(block)
    return found


@bp.post("/programmes/<int:programme_id>/design")
@role_required(*PLANNERS)
def make_programme_design(programme_id: int):
    """Give a programme its certificate design (with the usual texts), then edit it."""
    programme = _programme(programme_id)
    design = services.programme_design(programme)
    db.session.commit()
    return redirect(url_for(".design", design_id=design.id))


@bp.post("/programmes/<int:programme_id>/batches")
@role_required(*PLANNERS)
def issue(programme_id: int):
    """Issue the programme's certificates to every GP (of a district, or of the programme) that completed it."""
    programme = _programme(programme_id)
    form = BatchForm(_districts_of(programme))
    if _refuse_unsigned():
        return redirect(url_for(".programme", programme_id=programme.id))
    if not form.validate():
        flash(_("Choose the district from the list."), "error")
        return redirect(url_for(".programme", programme_id=programme.id))
    place = reports_access.place_by_code(District, form.district.data) if form.district.data else None
    batch = services.request_batch(programme, place, form.notify.data, current_user)
    db.session.commit()
    tasks.issue_batch(batch.id)
    return redirect(url_for(".batch", batch_id=batch.id))


@bp.post("/programmes/<int:programme_id>/partner-batches")
@role_required(*PLANNERS)
def issue_to_partners(programme_id: int):
    """Issue the programme's certificates to every partner organisation that completed it."""
    programme = _programme(programme_id)
    form = PartnerBatchForm()
    if _refuse_unsigned() or not form.validate():
        return redirect(url_for(".programme", programme_id=programme.id))
    batch = services.request_batch(programme, None, form.notify.data, current_user, audience=Audience.PARTNERS)
    db.session.commit()
    tasks.issue_batch(batch.id)
    return redirect(url_for(".batch", batch_id=batch.id))


@bp.get("/batches/<int:batch_id>")
@role_required(*PLANNERS)
def batch(batch_id: int):
    """A batch's progress: refreshed every few seconds while it runs (a reload does the same without it)."""
    batch = db.get_or_404(CertificateBatch, batch_id)
    running = batch.state in (WorkState.QUEUED, WorkState.RUNNING)
    return render_template("certificates/batch.html", batch=batch, refresh=REFRESH_SECONDS if running else None)


@bp.post("/programmes/<int:programme_id>/bundles")
@role_required(*STAFF_ROLES)
def bundle(programme_id: int):
    """Ask for one PDF of a district's (or block's) valid certificates of the programme, for printing."""
    programme = _programme(programme_id)
    place = (reports_access.place_by_code(Block, request.form.get("block"))
             or reports_access.place_by_code(District, request.form.get("district")))
    if place is None:
        abort(404)
    require_in_area(place)
    division = place.division if isinstance(place, District) else place.district.division
    if division not in programme.divisions:
        abort(404)
    made = bundles.request_bundle(programme, place, current_user)
    db.session.commit()
    if made.is_new:
        tasks.make_bundle(made.id)
    return redirect(url_for(".bundle_status", bundle_id=made.id))


def _bundle_in_area(bundle_id: int) -> CertificateBundle:
    made = db.get_or_404(CertificateBundle, bundle_id)
    require_in_area(made.place)
    return made


@bp.get("/bundles/<int:bundle_id>")
@role_required(*STAFF_ROLES)
def bundle_status(bundle_id: int):
    """A bundle's state; once made, its download."""
    made = _bundle_in_area(bundle_id)
    running = made.state in (WorkState.QUEUED, WorkState.RUNNING)
    return render_template("certificates/bundle.html", bundle=made, refresh=REFRESH_SECONDS if running else None)


@bp.get("/bundles/<int:bundle_id>.pdf")
@role_required(*STAFF_ROLES)
def bundle_download(bundle_id: int):
    """The bundle's PDF: every valid certificate of the place, one page each."""
    made = _bundle_in_area(bundle_id)
    if made.state is not WorkState.DONE or not made.content:
        abort(404)
    return attachment(made.content, "pdf", f"{made.programme.title_hi}-{made.place.name_hi}",
                      f"certificates-{made.place.lgd_code}")


# Designs


@bp.get("/designs")
@role_required(*PLANNERS)
def designs():
    """The programmes' and the offices' designs."""
    found = db.session.scalars(select(CertificateDesign).order_by(CertificateDesign.kind, CertificateDesign.id)).all()
    return render_template("certificates/designs.html", designs=found, form=NewDesignForm())


@bp.post("/designs")
@role_required(*PLANNERS)
def create_design():
    """Make an office's design for certificates of appreciation."""
    form = NewDesignForm()
    if not form.validate():
        found = db.session.scalars(select(CertificateDesign).order_by(CertificateDesign.kind, CertificateDesign.id))
        return render_template("certificates/designs.html", designs=found.all(), form=form), 400
    design = services.new_office_design(form.name.data, current_user)
    db.session.commit()
    return redirect(url_for(".design", design_id=design.id))


@bp.route("/designs/<int:design_id>", methods=["GET", "POST"])
@role_required(*PLANNERS)
def design(design_id: int):
    """Edit a design's texts, office and emblem; its signatories are added below, and its preview shown."""
    design = db.get_or_404(CertificateDesign, design_id)
    form = DesignForm(design.kind, obj=design)
    if request.method == "POST":
        if form.validate():
            emblem = _uploaded_image(form.emblem, images.EMBLEM_PIXELS)
            if not form.emblem.errors:
                for name in ("office_hi", "office_en", "title_hi", "title_en", "body_hi", "body_en"):
                    setattr(design, name, getattr(form, name).data or "")
                if design.programme_id is None:
                    design.name = form.name.data or design.name
                if emblem is not None:
                    design.emblem = emblem
                elif form.remove_emblem.data:
                    design.emblem = None
                design.updated_by_id = current_user.id
                db.session.commit()
                flash(_("The design is saved."), "success")
                return redirect(url_for(".design", design_id=design.id))
        return _design_page(design, form, status=400)
    return _design_page(design, form)


def _uploaded_image(field, box) -> bytes | None:
    """Return the image sent in a file field, made small (None if none was sent); a file that is not an image
    becomes the field's error."""
    if not (field.data and getattr(field.data, "filename", "")):
        return None
    try:
        return images.prepared(field.data.read(), box)
    except images.ImageRefused as refused:
        field.errors = [str(refused)]
        return None


def _design_page(design, form, signatory_form=None, status=200):
    return render_template("certificates/design.html", design=design, form=form,
                           signatory_form=signatory_form or SignatoryForm(), fields=field_names(design.kind),
                           may_add_signatory=len(design.signatories) < services.MAX_SIGNATORIES,
                           confirm=ConfirmForm()), status


@bp.post("/designs/<int:design_id>/signatories")
@role_required(*PLANNERS)
def add_signatory(design_id: int):
    """Add one who signs the design's certificates (three at most: what fits on the page)."""
    design = db.get_or_404(CertificateDesign, design_id)
    form = SignatoryForm()
    if len(design.signatories) >= services.MAX_SIGNATORIES:
        flash(_("A certificate has room for three signatories."), "error")
        return redirect(url_for(".design", design_id=design.id))
    if form.validate():
        signature = _uploaded_image(form.signature, images.SIGNATURE_PIXELS)
        if not form.signature.errors:
            services.add_signatory(design, form.name_hi.data, form.name_en.data or "", form.designation_hi.data,
                                   form.designation_en.data or "", signature)
            db.session.commit()
            flash(_("The signatory is added."), "success")
            return redirect(url_for(".design", design_id=design.id))
    return _design_page(design, DesignForm(design.kind, obj=design), signatory_form=form, status=400)


@bp.post("/designs/<int:design_id>/signatories/<int:signatory_id>/remove")
@role_required(*PLANNERS)
def remove_signatory(design_id: int, signatory_id: int):
    """Take a signatory off the design (certificates already issued keep printing as the design now is)."""
    design = db.get_or_404(CertificateDesign, design_id)
    signatory = db.session.get(CertificateSignatory, signatory_id)
    if signatory is None or signatory.design_id != design.id:
        abort(404)
    design.signatories.remove(signatory)
    db.session.commit()
    flash(_("The signatory is removed."), "success")
    return redirect(url_for(".design", design_id=design.id))


@bp.get("/designs/<int:design_id>/preview.pdf")
@role_required(*PLANNERS)
def preview(design_id: int):
    """The design as it prints, filled with sample values and marked as a sample."""
    design = db.get_or_404(CertificateDesign, design_id)
    return attachment(documents.preview_pdf(design), "pdf", f"{design.title_hi}-preview", "certificate-preview")


@bp.get("/designs/<int:design_id>/preview.png")
@role_required(*PLANNERS)
def preview_image(design_id: int):
    """The preview's page as a picture, for the design page."""
    design = db.get_or_404(CertificateDesign, design_id)
    return attachment(documents.preview_png(design), "png", "preview", "certificate-preview")


# Certificates of appreciation


def _office_designs() -> list[CertificateDesign]:
    return list(db.session.scalars(select(CertificateDesign).where(
        CertificateDesign.kind == CertificateKind.APPRECIATION).order_by(CertificateDesign.id)))


def _state_districts() -> list[District]:
    return list(db.session.scalars(select(District).where(current_user.area.condition(District))
                                   .order_by(District.name_hi, District.lgd_code)))


@bp.route("/appreciation", methods=["GET", "POST"])
@role_required(*APPRECIATORS)
def appreciate():
    """Give a person or an organisation a certificate of appreciation."""
    office_designs = _office_designs()
    form = AppreciationForm(office_designs, _state_districts())
    if not office_designs:
        flash(_("Make a design for certificates of appreciation first."), "error")
    if request.method == "GET":
        form.request_key.data = uuid.uuid4().hex
    elif office_designs and not _refuse_unsigned() and form.validate():
        design = db.session.get(CertificateDesign, form.design.data)
        district = reports_access.place_by_code(District, form.district.data) if form.district.data else None
        certificate = services.issue_appreciation(design, services.Appreciation(
            RecipientKind(form.recipient_kind.data), form.recipient_hi.data, form.recipient_en.data or "",
            form.detail_hi.data or "", form.detail_en.data or "", form.reason_hi.data, form.reason_en.data or "",
            district=district), current_user, request_key=form.request_key.data or None)
        db.session.commit()
        flash(_("Certificate %(serial)s is issued.", serial=certificate.shown_serial), "success")
        return redirect(url_for(".detail", serial=certificate.serial))
    status = 400 if request.method == "POST" else 200
    return render_template("certificates/appreciation.html", form=form, has_designs=bool(office_designs)), status


# The secretary's own certificates


@bp.route("/mine", methods=["GET", "POST"])
def mine():
    """The certificates of the gram panchayat this phone marks for; a phone that has not marked yet names its GP
    with the LGD code and the access code, as the attendance form asks."""
    form = IdentifyForm()
    gp = device.phone_gram_panchayat()
    response_cookie = None
    if request.method == "POST" and form.validate():
        gp, response_cookie = _identified(form)
    certificates = services.certificates_of_gp(gp.id) if gp is not None else []
    response = current_app.make_response(render_template(
        "certificates/mine.html", gp=gp, form=form, certificates=certificates))
    if request.method == "POST" and gp is None:
        response.status_code = 400
    if response_cookie:
        device.remember(response, response_cookie)
    response.headers["Cache-Control"] = "no-store"
    return response


def _identified(form: IdentifyForm):
    """Check the typed GP and access code (counted as the attendance form counts wrong codes)."""
    code = database_int("".join(ch for ch in form.gp_code.data if ch.isdigit()))
    gp = db.session.scalar(select(GramPanchayat).where(GramPanchayat.lgd_code == code)) if code else None
    if gp is None:
        form.gp_code.errors = [_("No gram panchayat has this LGD code.")]
        return None, None
    address = request.remote_addr or "unknown"
    if not limits.take_code_attempt(gp.id, address):
        form.access_code.errors = [_("Too many wrong access codes. Wait a few minutes, or ask the block office for "
                                     "the code.")]
        return None, None
    record = attendance.code_matches(gp, form.access_code.data)
    if record is None:
        form.access_code.errors = [_("The access code is wrong for %(gp)s. Check the code given by the block office.",
                                     gp=gp.name_hi)]
        return None, None
    limits.give_back_code_attempt(gp.id, address)
    return gp, device.device_cookie(record)


@bp.get("/mine/<serial>.pdf")
def my_download(serial: str):
    """Download one of this phone's GP's valid certificates (404 for any other, as if it did not exist)."""
    gp = device.phone_gram_panchayat()
    certificate = services.find_by_serial(serial)
    if (gp is None or certificate is None or certificate.gram_panchayat_id != gp.id
            or certificate.state is not CertificateState.ISSUED):
        abort(404)
    return _pdf(certificate)


# The public verify page, by serial


def _verify_limit() -> str:
    return current_app.config["CERTIFICATE_VERIFY_LIMIT"]


@bp.get("/verify")
@limiter.limit(_verify_limit, exempt_when=lambda: not request.args.get("serial"))
def verify():
    """Check a certificate by the serial printed on it; without one, the form and how to check offline."""
    typed = request.args.get("serial", "").replace("\x00", "").strip()[:40]
    if not typed:
        response = current_app.make_response(render_template("certificates/verify.html", result=None, typed="",
                                                             key=public_key_facts()))
        return response
    if services.normalise_serial(typed) is None:
        return verify_page(verification.Verification(verification.NOT_VALID), typed=typed)
    return verify_page(verification.verify(typed), typed=typed)


@bp.get("/key.pem")
def public_key():
    """The public key that verifies certificates, to check them offline (docs/verify_certificate.py)."""
    key = public_key_facts()
    if not key:
        abort(404)
    response = current_app.make_response(key["pem"])
    response.headers["Content-Type"] = "application/x-pem-file"
    return response
