"""The secretary's flow: scan → (first time: GP and access code) → head-count → confirmation.

Two screens at most, no JavaScript, a page of a few kilobytes. Which GP the phone speaks for, the form's pass
and its guard against other sites are trainer.attendance.device's business; what may be marked, when, is
trainer.attendance.rules'. This is the request the whole state sends in the same minute, so it costs little:
the session's facts come from a few seconds' memory (trainer.attendance.session_facts) and the database
judges them again in the mark's own statement; the GP and its code come in one query; no Flask session.
"""

from datetime import timedelta

from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from trainer.attendance import device, limits, rules, services, session_facts, tokens
from trainer.attendance.flow_forms import ROLE_FIELDS, MarkForm, labels_and_modes, made_moment
from trainer.attendance.models import MarkSource, WatchMode
from trainer.attendance.rules import HeadCount, WindowState
from trainer.attendance.services import AttendanceError
from trainer.core import clock
from trainer.core.i18n import remember_language
from trainer.extensions import csrf, db

bp = Blueprint("attend", __name__, url_prefix="/a")
CHOICES = 10  # gram panchayats offered to choose from; with more, the secretary types more of the name
LATE = timedelta(minutes=1)  # a mark received this long after the phone made it says both moments
BOUNDS = {"participants": rules.PARTICIPANTS, "role": rules.ROLE_COUNT}  # the inputs' min and max


# Pages


@bp.get("")
def enter_code():
    """Type the poster's code instead of scanning; a right code leads to the same form as the QR."""
    code = request.args.get("code")
    error, status = None, 200
    if code is not None:
        address = request.remote_addr or "unknown"
        if not limits.take_session_code_attempt(address):
            error, status = _("Too many wrong codes from this phone. Wait a minute and type the code again."), 429
        elif (session := services.session_by_code(code)) is not None:
            limits.give_back_session_code_attempt(address)
            return redirect(url_for("attend.scan", token=tokens.make_token(session.id)))
        else:
            error = _("No session has this code. Check the digits on the poster or the screen.")
    return render_template("attendance/flow_code.html", error=error, code=code or ""), status


@bp.route("/<token>", methods=["GET", "POST"])
def scan(token: str):
    """Where a QR code leads: the head-count form, and on sending it, the confirmation."""
    moment = clock.now()
    if request.method == "POST":
        device.check_form_guard()
        if "lang" in request.form:  # the language buttons at the top of every page of the flow
            return remember_language(redirect(_here()), request.form["lang"])
    try:
        named = tokens.read_token(token, moment, fresh=request.method == "GET")
    except tokens.InvalidToken:
        return _page("attendance/flow_message.html", 400, problem="invalid")
    facts = session_facts.facts_of(named.session_id)
    # A mark the phone kept while it had no network counts at the moment it was made, within the grace.
    made = (rules.moment_made(made_moment(request.form.get("made_at")), moment, _grace())
            if request.method == "POST" else None)
    refusal = _refusal(facts, made or moment, queued=made is not None)
    if refusal is not None:
        return refusal
    if not facts.programme.reaches.gram_panchayats:  # a programme of partner organisations only: their form
        return redirect(url_for("attend_organisation.scan", token=token), 303)
    # "Not your panchayat?": the phone names another GP, and the form it sends keeps saying so.
    changing = bool(request.args.get("change")) and not device.signed_in_secretary()
    gp = None if changing else device.remembered_for(facts.id)
    if request.method == "GET":
        return _form_page(facts, gp, token, values=_recorded(gp))
    form = MarkForm()
    if not device.pass_is_good(form.pass_token.data, token, late=moment - made if made else None):
        return _page("attendance/flow_message.html", 400, problem="stale", session=facts)
    if not form.validate():
        return _form_page(facts, gp, token, form=form)
    code_version = None
    if gp is None:
        gp, code_version, error = _identify(form, facts)
        if gp is None:
            return _form_page(facts, None, token, form=form, error=error)
    count = HeadCount(form.participants.data, form.role_counts(), WatchMode(form.mode.data) if form.mode.data else None)
    source = MarkSource.LIVE if named.kind == tokens.LIVE else MarkSource.POSTER
    user_id = current_user.id if current_user.is_authenticated else None
    key = form.mark_key.data or None
    # Kept in the mark's history when it was late: a mark sent as it was made is simply received then.
    made_late = made if made is not None and moment - made >= LATE else None
    if key is not None and (earlier := services.mark_by_key(key)) is not None:
        return _sent_before(earlier, facts, gp, count, code_version)
    try:
        marked = services.mark_if_still_open(facts, gp.id, count, source, user_id, moment, made_late, key)
        if marked is None:
            # The session changed since this process read it (cancelled, moved, closed): read it again.
            db.session.rollback()
            session_facts.forget(facts.id)
            facts = session_facts.facts_of(facts.id)
            refusal = _refusal(facts, made or moment, queued=made is not None)
            if refusal is not None:
                return refusal
            marked = services.mark_if_still_open(facts, gp.id, count, source, user_id, moment, made_late, key)
    except AttendanceError as error:
        db.session.rollback()
        return _form_page(facts, gp, token, form=form, error=error.message)
    except IntegrityError:
        # The same mark, sent again by the phone at this very moment, was recorded by the other request.
        db.session.rollback()
        earlier = services.mark_by_key(key) if key is not None else None
        if earlier is None:
            raise
        return _sent_before(earlier, facts, gp, count, code_version)
    if marked is None:  # changed again at this very moment: nothing is recorded, and the phone is told so
        db.session.rollback()
        return _page("attendance/flow_message.html", 409, problem="stale", session=facts)
    db.session.commit()
    response = _done_page(facts, gp, marked)
    if code_version is not None:
        device.remember(response, device.device_cookie_for(gp.id, code_version))
    return response


def _done_page(facts, gp, marked: services.Marked, again: bool = False):
    return current_app.make_response(render_template(
        "attendance/flow_done.html", session=facts, gp=gp, marked=marked, again=again,
        late=marked.made_at is not None and marked.marked_at - marked.made_at >= LATE,
        feedback_url=url_for("feedback.respond", session_id=facts.id),
        session_url=url_for("public.session", session_id=facts.id), **_language_form()))


def _sent_before(earlier: services.KeyedMark, facts, gp, count: HeadCount, code_version: int | None):
    """Answer a mark whose one-time key is already recorded: the same mark again is the one recorded, once (its
    first answer may have been lost with the network); the key with other numbers, or for another GP or
    session, changes nothing."""
    db.session.rollback()
    if (earlier.session_id, earlier.gram_panchayat_id, earlier.count) == (facts.id, gp.id, count):
        response = _done_page(facts, gp, earlier.marked, again=True)
        if code_version is not None:
            device.remember(response, device.device_cookie_for(gp.id, code_version))
        return response
    return _page("attendance/flow_message.html", 409, problem="altered", session=facts,
                 recorded=earlier.count.participants if earlier.session_id == facts.id else None)


csrf.exempt(scan)  # guarded by device.check_form_guard, which needs no Flask session


WORKER = "js/attend-sw.js"  # the flow's service worker, served from static/ for the pages under /a/


@bp.after_app_request
def _let_the_worker_serve_the_flow(response):
    """Let the service worker in static/ take the flow's pages, whose addresses lie outside its folder."""
    if request.endpoint == "static" and (request.view_args or {}).get("filename") == WORKER:
        response.headers["Service-Worker-Allowed"] = url_for("attend.enter_code") + "/"
    return response


@bp.app_template_global()
def attendance_window(session) -> dict:
    """Let any page (the public session page) say when attendance can be marked: the window's state and times."""
    opens, closes = rules.window(session)
    return {"state": rules.window_state(session, clock.now()).value, "opens": opens, "closes": closes,
            "markable": rules.can_be_marked(session)}


def _refusal(facts, moment, queued: bool = False):
    """Return the page for a session that cannot be marked at `moment` (None: it can); `queued`: the moment is
    when the phone made a mark it kept without network."""
    if facts is None or not rules.can_be_marked(facts):
        abort(404)
    state = rules.window_state(facts, moment)
    if state is WindowState.OPEN:
        return None
    opens, closes = rules.window(facts)
    problem = "made_early" if queued and state is WindowState.EARLY else state.value
    return _page("attendance/flow_message.html", 422 if queued else 200, problem=problem, session=facts,
                 opens=opens, closes=closes, made=moment)


def _grace() -> timedelta:
    return timedelta(minutes=current_app.config["ATTENDANCE_OFFLINE_GRACE_MINUTES"])


def _recorded(gp: device.Remembered | None) -> dict[str, str]:
    """Show what is already recorded, so that marking again corrects it."""
    if gp is None or gp.participants is None:
        return {}
    return ({"participants": str(gp.participants), "mode": gp.mode or ""}
            | {role.value: "" if count is None else str(count) for role, count in gp.roles.items()})


def _form_page(facts, gp, token, values=None, form: MarkForm | None = None, error=None, choices=()):
    problems = form.problems() if form is not None else []
    status = 200 if error is None and not problems else 422
    labels, modes = labels_and_modes()
    action = url_for("attend.scan", token=token, change=1 if request.args.get("change") and gp is None else None)
    return _page("attendance/flow_form.html", status, session=facts, gp=gp, token=token, action=action, error=error,
                 problems=problems, values=form.typed() if form is not None else values or {},
                 choices=choices or getattr(form, "choices", ()),
                 # A form sent back with a problem keeps the pass it came with: its time does not start again.
                 pass_token=form.pass_token.data if form is not None else device.form_pass(token),
                 can_change=not device.signed_in_secretary(),
                 labels=labels, role_fields=ROLE_FIELDS, modes=modes, bounds=BOUNDS)


def _page(template: str, status: int, **context):
    """Render a page of the flow with its language buttons, and give a new phone its form guard."""
    language = _language_form()
    response = current_app.make_response((render_template(template, **context, **language), status))
    if request.method == "GET":
        _end_reading()
    return device.keep_form_guard(response, language["new_guard"])


def _end_reading() -> None:
    """End a GET's transaction, which only read, with COMMIT rather than the ROLLBACK of the request's end:
    psycopg forgets the statements it has prepared on every ROLLBACK, and PostgreSQL would plan the flow's
    next statements afresh (planning them costs it more than running them)."""
    if db.session().in_transaction():
        db.session.commit()


def _language_form() -> dict:
    guard, new = device.form_guard()
    return {"guard": guard, "new_guard": new, "language_action": _here()}


def _here() -> str:
    return request.full_path if request.query_string else request.path


def _identify(form: MarkForm, facts):
    """Find the GP the form names and check its access code; return (gp, code version, error)."""
    query = form.gp_query.data or ""
    chosen = services.chosen_candidate(facts.id, form.gp_choice.data) if form.gp_choice.data else None
    if chosen is not None:
        matches = [chosen]
    else:  # nothing ticked (or a choice of another session): the typed name is looked up again
        matches = services.find_candidates(facts.id, query, limit=CHOICES + 1)
    if not matches:
        return None, None, _("No gram panchayat of this session's divisions is called “%(typed)s”. Check the "
                             "name, or type its LGD code.", typed=query)
    if len(matches) > 1:
        form.choices = matches[:CHOICES]
        if len(matches) > CHOICES:
            return None, None, _("More than %(count)s gram panchayats match “%(typed)s”: the first %(count)s are "
                                 "shown. If yours is not among them, type more of its name, or its LGD code.",
                                 count=CHOICES, typed=query)
        return None, None, _("Several gram panchayats match “%(typed)s”: choose yours.", typed=query)
    gp = matches[0]
    address = request.remote_addr or "unknown"
    if not limits.take_code_attempt(gp.id, address):
        return None, None, _("Too many wrong access codes. Wait a few minutes, or ask the block office for the code.")
    if not services.code_is_right(gp.id, gp.code_hash, form.access_code.data or ""):
        form.gp_query.data = str(gp.lgd_code)
        return None, None, _("The access code is wrong for %(gp)s. Check the code given by the block office.",
                             gp=gp.name_hi)
    limits.give_back_code_attempt(gp.id, address)
    return gp, gp.code_version, None
