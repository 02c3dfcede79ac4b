"""The secretary's flow: scan → (first time: GP and access code) → head-count → confirmation.

Two screens at most, no JavaScript, a page of a few kilobytes. Which GP the phone speaks for is
trainer.attendance.device's business; what may be marked, when, is trainer.attendance.rules'.
"""
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from limits import parse as parse_limit
from sqlalchemy.orm import joinedload, selectinload
from wtforms.fields.choices import SelectChoice

from trainer.attendance import device, rules, services, tokens
from trainer.attendance.flow_forms import MarkForm
from trainer.attendance.models import Attendance, MarkSource, WatchMode
from trainer.attendance.rules import HeadCount, WindowState
from trainer.attendance.services import AttendanceError
from trainer.core import clock
from trainer.extensions import db, limiter
from trainer.programmes.models import ParticipantRole, TrainingSession
from trainer.regions.models import GramPanchayat

bp = Blueprint("attend", __name__, url_prefix="/a")


# Pages


@bp.get("")
def enter_code():
    """Type the poster's code instead of scanning; a right code leads to the same form as the QR."""
    code = request.args.get("code")
    error = None
    if code is not None:
        session = services.session_by_code(code)
        if session is not None:
            return redirect(url_for("attend.scan", token=tokens.make_token(session.id)))
        error = _("No session has this code. Check the digits on the poster.")
    return render_template("attendance/flow_code.html", error=error, code=code or "")


# What every page of the flow shows of a session (its window, its title), loaded in two queries.
_SESSION_PAGE_LOADS = (joinedload(TrainingSession.programme), selectinload(TrainingSession.modules))


@bp.route("/<token>", methods=["GET", "POST"])
def scan(token: str):
    """Where a QR code leads: the head-count form, and on sending it, the confirmation."""
    moment = clock.now()
    try:
        named = tokens.read_token(token, moment, fresh=request.method == "GET")
    except tokens.InvalidToken:
        return render_template("attendance/flow_message.html", problem="invalid"), 400
    session = db.session.get(TrainingSession, named.session_id, options=_SESSION_PAGE_LOADS)
    if session is None or not rules.can_be_marked(session):
        abort(404)
    state = rules.window_state(session, moment)
    if state is not WindowState.OPEN:
        opens, closes = rules.window(session)
        return render_template("attendance/flow_message.html", problem=state.value, session=session,
                               opens=opens, closes=closes)
    gp = device.remembered_gp(session)
    if request.args.get("change") and not device.signed_in_secretary():
        gp = None
    form = MarkForm()
    source = MarkSource.LIVE if named.kind == tokens.LIVE else MarkSource.POSTER
    if request.method == "GET":
        form.pass_token.data = device.form_pass(session.id)
        existing = services.attendance_of(session, gp) if gp is not None else None
        _prefill(form, existing)
        return _form_page(form, session, gp, token, existing=existing)
    if not device.pass_is_good(form.pass_token.data, session.id):
        return render_template("attendance/flow_message.html", problem="stale", session=session,
                               token=token), 400
    if not form.validate():
        return _form_page(form, session, gp, token)
    code_record = None
    if gp is None:
        gp, code_record, error = _identify(form, session)
        if gp is None:
            return _form_page(form, session, None, token, error=error)
    try:
        attendance = services.mark(session, gp, _head_count(form), source,
                                   user_id=current_user.id if current_user.is_authenticated else None,
                                   now=moment)
    except AttendanceError as error:
        db.session.rollback()
        return _form_page(form, session, gp, token, error=error.message)
    # Rendered before the commit, from objects still loaded: the commit expires them, and reading them
    # again would cost the busiest request of the flow half a dozen queries.
    page = render_template("attendance/flow_done.html", session=session, gp=gp, attendance=attendance)
    remembered = device.device_cookie(code_record) if code_record is not None else None
    db.session.commit()
    response = current_app.make_response(page)
    if remembered is not None:
        device.remember(response, remembered)
    return response


def _prefill(form: MarkForm, existing: Attendance | None) -> None:
    """Show what is already recorded, so that marking again corrects it."""
    if existing is None:
        return
    form.participants.data = existing.participants
    for role, count in existing.role_counts().items():
        getattr(form, role.value).data = count
    form.mode.data = existing.mode.value if existing.mode else None


_LOOK_UP = object()


def _form_page(form, session, gp, token, error=None, existing=_LOOK_UP):
    if existing is _LOOK_UP:
        existing = services.attendance_of(session, gp) if gp is not None else None
    status = 200 if error is None and not form.errors else 422
    return render_template("attendance/flow_form.html", form=form, session=session, gp=gp, token=token,
                           error=error, existing=existing), status


def _head_count(form: MarkForm) -> HeadCount:
    roles = {role: getattr(form, role.value).data for role in ParticipantRole}
    return HeadCount(form.participants.data, roles, WatchMode(form.mode.data) if form.mode.data else None)


def _identify(form: MarkForm, session: TrainingSession):
    """Find the GP the form names and check its access code; return (gp, code record, error)."""
    if form.gp_choice.data:
        gp = db.session.get(GramPanchayat, form.gp_choice.data)
        matches = [gp] if gp is not None and rules.is_invited(session, gp) else []
    else:
        matches = services.find_gram_panchayats(session, form.gp_query.data or "", limit=11)
    if not matches:
        return None, None, _("No gram panchayat of this session's divisions matches. Type its LGD code.")
    if len(matches) > 1:
        form.gp_choice.choices = [SelectChoice(gp.id, f"{gp.name_hi} ({gp.lgd_code})") for gp in matches[:10]]
        return None, None, _("Several gram panchayats match: choose yours.")
    gp = matches[0]
    per_gp, per_address = (parse_limit(current_app.config[key]) for key in
                           ("ACCESS_CODE_LIMIT_PER_GP", "ACCESS_CODE_LIMIT_PER_ADDRESS"))
    address = request.remote_addr or "unknown"
    if not (limiter.test_limit(per_gp, "gp-code", str(gp.id))
            and limiter.test_limit(per_address, "gp-code-address", address)):
        return None, None, _("Too many wrong access codes. Wait 15 minutes, or ask the block office for the code.")
    record = services.code_matches(gp, form.access_code.data or "")
    if record is None:
        limiter.hit_limit(per_gp, "gp-code", str(gp.id))
        limiter.hit_limit(per_address, "gp-code-address", address)
        form.gp_query.data = str(gp.lgd_code)
        return None, None, _("The access code is wrong for %(gp)s. Check the code given by the block office.",
                             gp=gp.name_hi)
    return gp, record, None

