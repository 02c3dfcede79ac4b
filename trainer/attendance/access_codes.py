"""The gram panchayats' access codes, under /access-codes/: which GPs have one, and issuing new ones.

A code is shown in clear only once, in the files or the page that issue it; the database keeps a keyed hash
and a record of every issue (who, when). Administrators issue whole blocks; block and district officers, to
whom the secretaries are sent when a code does not work, see their own area and reissue one GP's code.
"""
import base64
from datetime import datetime

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload
from wtforms import BooleanField
from wtforms.validators import DataRequired

from trainer.attendance import posters, services
from trainer.attendance.models import AccessCode, AccessCodeIssue
from trainer.attendance.posters import IssuedCode, grouped
from trainer.core import clock
from trainer.core.auth import require_in_area, role_required
from trainer.core.bounds import database_int
from trainer.core.forms import Form
from trainer.core.roles import Role
from trainer.core.urls import int_arg
from trainer.extensions import db
from trainer.regions.models import Block, District, Division, GramPanchayat

bp = Blueprint("access_codes", __name__, url_prefix="/access-codes")

# Who sees codes and reissues one GP's code (within their area); only administrators issue a whole block.
CODE_ROLES = (Role.ADMIN, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER)
RECENT_ISSUES = 20


class IssueCodesForm(Form):
    """The confirmation before codes are replaced: the old ones stop working at once."""

    confirm = BooleanField(_l("I understand that the old codes stop working at once."),
                           validators=[DataRequired(_l("Tick the box to confirm."))])


def _block_or_404(block_code: int) -> Block:
    return db.first_or_404(select(Block).where(Block.lgd_code == block_code))


def _gp_or_404(gp_code: int) -> GramPanchayat:
    return db.first_or_404(select(GramPanchayat).where(GramPanchayat.lgd_code == gp_code))


def _block_summaries(block_ids=None) -> dict[int, tuple[int, int, datetime | None]]:
    """Return, per block id: gram panchayats, those with a code, and when a code was last issued."""
    query = (select(GramPanchayat.block_id, func.count(GramPanchayat.id), func.count(AccessCode.gram_panchayat_id),
                    func.max(AccessCode.issued_at))
             .outerjoin(AccessCode, AccessCode.gram_panchayat_id == GramPanchayat.id)
             .where(current_user.area.condition(GramPanchayat))
             .group_by(GramPanchayat.block_id))
    if block_ids is not None:
        query = query.where(GramPanchayat.block_id.in_(block_ids))
    return {block_id: (gps, coded, last) for block_id, gps, coded, last in db.session.execute(query)}


def _places_in_area() -> list[tuple[Division, list[tuple[District, list[Block]]]]]:
    """Return the divisions, districts and blocks of the signed-in user's area, nested, in LGD order."""
    blocks = db.session.scalars(
        select(Block).join(District, Block.district_id == District.id)
        .join(Division, District.division_id == Division.id)
        .where(current_user.area.condition(Block))
        .options(selectinload(Block.district).selectinload(District.division))
        .order_by(Division.lgd_code, District.lgd_code, Block.lgd_code)).all()
    nested: list = []
    for block in blocks:
        district = block.district
        if not nested or nested[-1][0] is not district.division:
            nested.append((district.division, []))
        districts = nested[-1][1]
        if not districts or districts[-1][0] is not district:
            districts.append((district, []))
        districts[-1][1].append(block)
    return nested


def _recent_issues(block: Block) -> list[AccessCodeIssue]:
    """Return the latest codes issued in a block, newest first, with who issued them."""
    return db.session.scalars(
        select(AccessCodeIssue).join(GramPanchayat, AccessCodeIssue.gram_panchayat_id == GramPanchayat.id)
        .where(GramPanchayat.block_id == block.id)
        .options(selectinload(AccessCodeIssue.gram_panchayat), selectinload(AccessCodeIssue.issued_by))
        .order_by(AccessCodeIssue.issued_at.desc(), AccessCodeIssue.id.desc()).limit(RECENT_ISSUES)).all()


def _block_page(block: Block, chosen_gp: GramPanchayat | None = None, status: int = 200, **extra):
    rows = db.session.execute(
        select(GramPanchayat, AccessCode).outerjoin(AccessCode, AccessCode.gram_panchayat_id == GramPanchayat.id)
        .where(GramPanchayat.block_id == block.id).order_by(GramPanchayat.name_hi, GramPanchayat.lgd_code)).all()
    # Never the form just sent: the page after an issue must not come with its confirmation ticked.
    return render_template("attendance/access_codes.html", block=block, rows=rows, chosen_gp=chosen_gp,
                           summary=_block_summaries([block.id]).get(block.id, (0, 0, None)),
                           form=IssueCodesForm(formdata=None),
                           query=str(block.lgd_code), issues=_recent_issues(block),
                           may_issue_block=current_user.has_role(Role.ADMIN), **extra), status


@bp.get("/")
@role_required(*CODE_ROLES)
def index():
    """Choose a block (by LGD code or from the list) and see which of its gram panchayats have codes."""
    text = (request.args.get("block") or "").strip()
    block = chosen_gp = None
    if (gp_code := int_arg("gp")) is not None:
        chosen_gp = _gp_or_404(gp_code)
        require_in_area(chosen_gp)
        block = chosen_gp.block
    elif text:
        if (code := database_int(text)) is not None:
            block = db.session.scalar(select(Block).where(Block.lgd_code == code))
        if block is None:
            flash(_("No block has the LGD code %(code)s.", code=text), "error")
        else:
            require_in_area(block)
    elif current_user.has_role(Role.BLOCK_OFFICER) and current_user.block is not None:
        block = current_user.block
    if block is None:
        return render_template("attendance/access_codes.html", block=None, places=_places_in_area(),
                               summaries=_block_summaries(), query=text)
    return _block_page(block, chosen_gp)


@bp.post("/blocks/<int:block_code>")
@role_required(Role.ADMIN)
def issue_block_codes(block_code: int):
    """Give every gram panchayat of a block a new code; show the block as it now is, with the sheet and the CSV
    in one ZIP to download from that page (the only time the codes exist in clear)."""
    block = _block_or_404(block_code)
    form = IssueCodesForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm that the old codes stop working."), "error")
        return redirect(url_for("access_codes.index", block=block_code))
    issued = [IssuedCode(gp, code) for gp, code in services.issue_block_codes(block, current_user.id)]
    if not issued:
        db.session.rollback()
        flash(_("This block has no gram panchayats."), "error")
        return redirect(url_for("access_codes.index", block=block_code))
    # Build the files before committing: if that fails, the old codes stay as they were.
    archive = posters.access_codes_zip(block, issued)
    db.session.commit()
    current_app.logger.info("access codes issued: block %s, %d gram panchayats, by user %s",
                            block.lgd_code, len(issued), current_user.id)
    # The page itself carries the ZIP: a download answer would leave the browser on the page as it was before
    # the issue ("0 with a code"), inviting a second issue that voids the sheet just made.
    body, _status = _block_page(block, issued_zip=base64.b64encode(archive).decode("ascii"),
                                issued_zip_name=f"access-codes-{block.lgd_code}.zip", issued_count=len(issued))
    response = Response(body)
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/gps/<int:gp_code>/reissue")
@role_required(*CODE_ROLES)
def reissue_gp_code(gp_code: int):
    """Give one gram panchayat a new code and show it once, on a page to print."""
    gram_panchayat = _gp_or_404(gp_code)
    require_in_area(gram_panchayat)
    form = IssueCodesForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm that the old code stops working."), "error")
        return redirect(url_for("access_codes.index", gp=gp_code))
    code = services.issue_code(gram_panchayat, current_user.id)
    db.session.commit()
    current_app.logger.info("access code reissued: gram panchayat %s, by user %s", gp_code, current_user.id)
    response = Response(render_template("attendance/access_code_once.html", gp=gram_panchayat,
                                        block=gram_panchayat.block, code=grouped(code), issued_at=clock.now()))
    response.headers["Cache-Control"] = "no-store"
    return response
