"""The gram panchayats' access codes, under /access-codes/: which GPs have one, and issuing new ones.

A code is shown in clear only once, in the files or the page that issue it; the database keeps a keyed hash.
"""
from datetime import datetime

from flask import Blueprint, Response, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import func, select
from wtforms import BooleanField
from wtforms.validators import DataRequired

from trainer.attendance import posters, services
from trainer.attendance.models import AccessCode
from trainer.attendance.posters import IssuedCode, grouped
from trainer.core import clock
from trainer.core.auth import role_required
from trainer.core.bounds import database_int
from trainer.core.downloads import attachment
from trainer.core.forms import Form
from trainer.core.roles import Role
from trainer.core.urls import int_arg
from trainer.extensions import db
from trainer.regions.models import Block, Division, GramPanchayat

bp = Blueprint("access_codes", __name__, url_prefix="/access-codes")


class IssueCodesForm(Form):
    """The confirmation before codes are replaced: the old ones stop working at once."""

    confirm = BooleanField(_l("I understand that the old codes stop working at once."),
                           validators=[DataRequired(_l("Tick the box to confirm."))])


def _block_or_404(block_code: int) -> Block:
    return db.first_or_404(select(Block).where(Block.lgd_code == block_code))


def _gp_or_404(gp_code: int) -> GramPanchayat:
    return db.first_or_404(select(GramPanchayat).where(GramPanchayat.lgd_code == gp_code))


def _block_summaries() -> dict[int, tuple[int, int, datetime | None]]:
    """Return, per block id: gram panchayats, those with a code, and when a code was last issued."""
    query = (select(GramPanchayat.block_id, func.count(GramPanchayat.id), func.count(AccessCode.gram_panchayat_id),
                    func.max(AccessCode.issued_at))
             .outerjoin(AccessCode, AccessCode.gram_panchayat_id == GramPanchayat.id)
             .group_by(GramPanchayat.block_id))
    return {block_id: (gps, coded, last) for block_id, gps, coded, last in db.session.execute(query)}


@bp.get("/")
@role_required(Role.ADMIN)
def index():
    """Choose a block (by LGD code or from the list) and see which of its gram panchayats have codes."""
    text = (request.args.get("block") or "").strip()
    block = chosen_gp = None
    if (gp_code := int_arg("gp")) is not None:
        chosen_gp = _gp_or_404(gp_code)
        block = chosen_gp.block
    elif text:
        if (code := database_int(text)) is not None:
            block = db.session.scalar(select(Block).where(Block.lgd_code == code))
        if block is None:
            flash(_("No block has the LGD code %(code)s.", code=text), "error")
    summaries = _block_summaries()
    if block is None:
        divisions = db.session.scalars(select(Division).order_by(Division.lgd_code)).all()
        return render_template("attendance/access_codes.html", block=None, divisions=divisions,
                               summaries=summaries, query=text)
    rows = db.session.execute(
        select(GramPanchayat, AccessCode).outerjoin(AccessCode, AccessCode.gram_panchayat_id == GramPanchayat.id)
        .where(GramPanchayat.block_id == block.id).order_by(GramPanchayat.name_hi, GramPanchayat.lgd_code)).all()
    return render_template("attendance/access_codes.html", block=block, rows=rows, chosen_gp=chosen_gp,
                           summary=summaries.get(block.id, (0, 0, None)), form=IssueCodesForm(),
                           query=str(block.lgd_code))


@bp.post("/blocks/<int:block_code>")
@role_required(Role.ADMIN)
def issue_block_codes(block_code: int):
    """Give every gram panchayat of a block a new code; download the sheet and the CSV in one ZIP."""
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
    return attachment(archive, "zip", f"access-codes-{block.lgd_code}", f"access-codes-{block.lgd_code}")


@bp.post("/gps/<int:gp_code>/reissue")
@role_required(Role.ADMIN)
def reissue_gp_code(gp_code: int):
    """Give one gram panchayat a new code and show it once, on a page to print."""
    gram_panchayat = _gp_or_404(gp_code)
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
