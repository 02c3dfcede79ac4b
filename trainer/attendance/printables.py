"""Posters with a session's QR code and the live rotating QR screen, for planners, under /attendance/."""
from flask import Response, abort, render_template, url_for
from flask_babel import gettext as _
from markupsafe import Markup

from trainer.attendance import posters, rules, services, tokens
from trainer.attendance.blueprint import bp
from trainer.attendance.posters import grouped, shown_address
from trainer.attendance.qr import make_qr
from trainer.core import clock
from trainer.core.auth import role_required
from trainer.core.downloads import attachment
from trainer.core.roles import PLANNERS
from trainer.extensions import db
from trainer.programmes.models import TrainingSession
from trainer.programmes.share import file_stem

LIVE_POLL_SECONDS = 5  # the live page asks for the code this often; the code itself changes every minute


def _printable_session(session_id: int) -> TrainingSession:
    """Return a session that panchayats can mark attendance at; drafts and cancelled sessions are 404."""
    session = db.get_or_404(TrainingSession, session_id)
    if not rules.can_be_marked(session):
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


@bp.get("/sessions/<int:session_id>/poster.pdf")
@role_required(*PLANNERS)
def poster_pdf(session_id: int):
    """Download the session's A4 poster as a PDF, for printing."""
    session = _printable_session(session_id)
    _ensure_code(session)
    return _poster(session, "pdf", posters.poster_pdf(session, scan_url(session), _code_url()))


@bp.get("/sessions/<int:session_id>/poster.png")
@role_required(*PLANNERS)
def poster_png(session_id: int):
    """Download the session's poster as an image, for sharing in messaging groups."""
    session = _printable_session(session_id)
    _ensure_code(session)
    return _poster(session, "png", posters.poster_png(session, scan_url(session), _code_url()))


def _poster(session: TrainingSession, extension: str, body: bytes) -> Response:
    """Send a poster named in the page's language, with an ASCII name for old browsers."""
    day = clock.local_day(session.starts_at).isoformat()
    return attachment(body, extension, file_stem(_("poster"), session), f"poster-{day}-session-{session.id}",
                      private=False)


@bp.get("/sessions/<int:session_id>/live-qr")
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


@bp.get("/sessions/<int:session_id>/live-qr.svg")
@role_required(*PLANNERS)
def live_qr_svg(session_id: int):
    """The live page's QR code as it is this minute, fetched again and again by static/js/live-qr.js."""
    session = _printable_session(session_id)
    return Response(_live_svg(session), mimetype="image/svg+xml", headers={"Cache-Control": "no-store"})


def _live_svg(session: TrainingSession) -> str:
    return make_qr(scan_url(session, tokens.period_of(clock.now()))).svg(_("QR code for attendance"))
