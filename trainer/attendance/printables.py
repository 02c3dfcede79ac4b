"""Posters with the session's QR code, the live rotating QR screen, and GP access-code sheets."""
import re
from datetime import datetime
from urllib.parse import quote
from zoneinfo import ZoneInfo

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup
from sqlalchemy import func, select
from wtforms import BooleanField
from wtforms.validators import DataRequired

from trainer.accounts.auth import role_required
from trainer.accounts.models import Role
from trainer.attendance import posters, services, tokens
from trainer.attendance.models import AccessCode
from trainer.attendance.posters import IssuedCode, grouped, shown_address
from trainer.attendance.qr import make_qr
from trainer.core.database import utc_now
from trainer.core.forms import Form
from trainer.extensions import db
from trainer.programmes.calendar import TIMEZONE
from trainer.programmes.models import TrainingSession
from trainer.regions.models import Block, Division, GramPanchayat

bp = Blueprint("printables", __name__)
PLANNERS = (Role.ADMIN, Role.TRAINER)
LIVE_POLL_SECONDS = 5  # the live page asks for the code this often; the code itself changes every minute


def now() -> datetime:
    """The current moment; a function so that tests can move the clock."""
    return utc_now()


class IssueCodesForm(Form):
    """The confirmation before codes are replaced: the old ones stop working at once."""

    confirm = BooleanField(_l("I understand that the old codes stop working at once."),
                           validators=[DataRequired(_l("Tick the box to confirm."))])


# Session posters and the live screen


def _printable_session(session_id: int) -> TrainingSession:
    """Return a session that panchayats can mark attendance at; drafts and cancelled sessions are 404."""
    session = db.session.get(TrainingSession, session_id)
    if session is None or not services.can_be_marked(session):
        abort(404)
    return session


def _ensure_code(session: TrainingSession) -> None:
    if session.attendance_code is None:
        services.ensure_session_code(session)
        db.session.commit()


def scan_url(session: TrainingSession, period: int | None = None) -> str:
    """Return the address a QR code carries: the poster's, or the live screen's for a period."""
    return url_for("attend.scan", token=tokens.make_token(session.id, period), _external=True)


def _code_url() -> str:
    return url_for("attend.enter_code", _external=True)


@bp.get("/plan/sessions/<int:session_id>/poster.pdf")
@role_required(*PLANNERS)
def poster_pdf(session_id: int):
    """Download the session's A4 poster as a PDF, for printing."""
    session = _printable_session(session_id)
    _ensure_code(session)
    pdf = posters.poster_pdf(session, scan_url(session), _code_url())
    return _attachment(pdf, "application/pdf", *_poster_names(session, "pdf"))


@bp.get("/plan/sessions/<int:session_id>/poster.png")
@role_required(*PLANNERS)
def poster_png(session_id: int):
    """Download the session's poster as an image, for sharing in messaging groups."""
    session = _printable_session(session_id)
    _ensure_code(session)
    png = posters.poster_png(session, scan_url(session), _code_url())
    return _attachment(png, "image/png", *_poster_names(session, "png"))


def _poster_names(session: TrainingSession, extension: str) -> tuple[str, str]:
    """Return the download name in the page's language and its ASCII fallback for old browsers."""
    day = session.starts_at.astimezone(ZoneInfo(TIMEZONE)).date().isoformat()
    word = _("poster")
    name = f"{word}-{session.programme.title}-{day}"
    return f"{name}.{extension}", f"poster-{day}-session-{session.id}.{extension}"


@bp.get("/plan/sessions/<int:session_id>/live-qr")
@role_required(*PLANNERS)
def live_qr(session_id: int):
    """The full-screen page shown on the stream: a QR code that changes every minute."""
    session = _printable_session(session_id)
    _ensure_code(session)
    response = Response(render_template(
        "attendance/live_qr.html", session=session, qr_svg=Markup(_live_svg(session)),
        code=grouped(session.attendance_code), code_address=shown_address(_code_url()),
        poll_seconds=LIVE_POLL_SECONDS, refresh_seconds=tokens.PERIOD_SECONDS))
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/plan/sessions/<int:session_id>/live-qr.svg")
@role_required(*PLANNERS)
def live_qr_svg(session_id: int):
    """The live page's QR code as it is this minute, fetched again and again by static/js/live-qr.js."""
    session = _printable_session(session_id)
    return Response(_live_svg(session), mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


def _live_svg(session: TrainingSession) -> str:
    return make_qr(scan_url(session, tokens.period_of(now()))).svg(_("QR code for attendance"))


# Access codes


def _block_or_404(block_code: int) -> Block:
    block = db.session.scalar(select(Block).where(Block.lgd_code == block_code))
    if block is None:
        abort(404)
    return block


def _gp_or_404(gp_code: int) -> GramPanchayat:
    gram_panchayat = db.session.scalar(select(GramPanchayat).where(GramPanchayat.lgd_code == gp_code))
    if gram_panchayat is None:
        abort(404)
    return gram_panchayat


def _block_summaries() -> dict[int, tuple[int, int, datetime | None]]:
    """Return, per block id: gram panchayats, those with a code, and when a code was last issued."""
    query = (select(GramPanchayat.block_id, func.count(GramPanchayat.id), func.count(AccessCode.gram_panchayat_id),
                    func.max(AccessCode.issued_at))
             .outerjoin(AccessCode, AccessCode.gram_panchayat_id == GramPanchayat.id)
             .group_by(GramPanchayat.block_id))
    return {block_id: (gps, coded, last) for block_id, gps, coded, last in db.session.execute(query)}


@bp.get("/admin/access-codes/")
@role_required(Role.ADMIN)
def access_codes():
    """Choose a block (by LGD code or from the list) and see which of its gram panchayats have codes."""
    text = (request.args.get("block") or "").strip()
    block = chosen_gp = None
    if request.args.get("gp", "").isdigit():
        chosen_gp = _gp_or_404(int(request.args["gp"]))
        block = chosen_gp.block
    elif text:
        if text.isdigit():
            block = db.session.scalar(select(Block).where(Block.lgd_code == int(text)))
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


@bp.post("/admin/access-codes/blocks/<int:block_code>")
@role_required(Role.ADMIN)
def issue_block_codes(block_code: int):
    """Give every gram panchayat of a block a new code; download the sheet and the CSV in one ZIP."""
    block = _block_or_404(block_code)
    form = IssueCodesForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm that the old codes stop working."), "error")
        return redirect(url_for("printables.access_codes", block=block_code))
    issued = [IssuedCode(gp, code) for gp, code in services.issue_block_codes(block, current_user.id)]
    if not issued:
        db.session.rollback()
        flash(_("This block has no gram panchayats."), "error")
        return redirect(url_for("printables.access_codes", block=block_code))
    # Build the files before committing: if that fails, the old codes stay as they were.
    archive = posters.access_codes_zip(block, issued)
    db.session.commit()
    current_app.logger.info("access codes issued: block %s, %d gram panchayats, by user %s",
                            block.lgd_code, len(issued), current_user.id)
    response = _attachment(archive, "application/zip", f"access-codes-{block.lgd_code}.zip")
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.post("/admin/access-codes/gps/<int:gp_code>/reissue")
@role_required(Role.ADMIN)
def reissue_gp_code(gp_code: int):
    """Give one gram panchayat a new code and show it once, on a page to print."""
    gram_panchayat = _gp_or_404(gp_code)
    form = IssueCodesForm()
    if not form.validate_on_submit():
        flash(_("Tick the box to confirm that the old code stops working."), "error")
        return redirect(url_for("printables.access_codes", gp=gp_code))
    code = services.issue_code(gram_panchayat, current_user.id)
    db.session.commit()
    current_app.logger.info("access code reissued: gram panchayat %s, by user %s", gp_code, current_user.id)
    response = Response(render_template("attendance/access_code_once.html", gp=gram_panchayat,
                                        block=gram_panchayat.block, code=grouped(code), issued_at=now()))
    response.headers["Cache-Control"] = "no-store"
    return response


# Downloads


def _attachment(body: bytes, mimetype: str, filename: str, fallback: str | None = None) -> Response:
    """Send bytes as a download; a name in Hindi goes in filename*, with an ASCII name for old browsers."""
    filename = _safe_filename(filename)
    fallback = fallback or filename
    disposition = f'attachment; filename="{fallback}"'
    if filename != fallback:
        disposition += f"; filename*=UTF-8''{quote(filename, safe='')}"
    return Response(body, mimetype=mimetype, headers={"Content-Disposition": disposition})


def _safe_filename(name: str) -> str:
    """Keep letters of any script, digits, dots and dashes; nothing a file system or a header could choke on."""
    stem, _dot, extension = name.rpartition(".")
    stem = re.sub(r"[\s/\\:*?\"<>|\x00-\x1f]+", "-", stem).strip("-.")
    return f"{re.sub(r'-{2,}', '-', stem)[:100]}.{extension}"
