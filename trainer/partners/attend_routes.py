"""The partner organisation's side of the secretary's flow: from the same poster QR or live QR, a programme that
reaches partners lets its representative choose "organisation", find it among the programme's partners, give its
access code and the number of its people present — one screen, no JavaScript, as for a gram panchayat.

Who may mark, when, how many and how often is the attendance flow's (trainer.attendance: tokens, device guard,
window, limits, the mark's own statement); this module only names the organisation.
"""
from flask import Blueprint, abort, current_app, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.exc import IntegrityError

from trainer.attendance import device, limits, rules, session_facts, tokens
from trainer.attendance.models import MarkSource
from trainer.attendance.rules import WindowState
from trainer.attendance.services import AttendanceError
from trainer.core import clock
from trainer.core.i18n import remember_language
from trainer.extensions import csrf, db
from trainer.partners import attendance, programme_partners
from trainer.partners.programme_forms import OrganisationMarkForm

bp = Blueprint("attend_organisation", __name__, url_prefix="/a/o")
CHOICES = 10


@bp.route("/<token>", methods=["GET", "POST"])
def scan(token: str):
    """The organisation's form of a scanned session, and on sending it, the confirmation."""
    moment = clock.now()
    if request.method == "POST":
        device.check_form_guard()
        if "lang" in request.form:
            return remember_language(redirect(request.path), request.form["lang"])
    try:
        named = tokens.read_token(token, moment, fresh=request.method == "GET")
    except tokens.InvalidToken:
        return _page("attendance/flow_message.html", 400, problem="invalid")
    facts = session_facts.facts_of(named.session_id)
    if facts is None or not rules.can_be_marked(facts) or not facts.programme.reaches.partners:
        abort(404)
    state = rules.window_state(facts, moment)
    if state is not WindowState.OPEN:
        opens, closes = rules.window(facts)
        return _page("attendance/flow_message.html", 200, problem=state.value, session=facts, opens=opens,
                     closes=closes, made=moment)
    if request.method == "GET":
        return _form_page(facts, token)
    form = OrganisationMarkForm()
    if not device.pass_is_good(form.pass_token.data, token):
        return _page("attendance/flow_message.html", 400, problem="stale", session=facts)
    if not form.validate():
        return _form_page(facts, token, form, status=422)
    organisation, error = _identify(form, facts)
    if organisation is None:
        return _form_page(facts, token, form, error=error, status=422)
    source = MarkSource.LIVE if named.kind == tokens.LIVE else MarkSource.POSTER
    user_id = current_user.id if current_user.is_authenticated else None
    key = form.mark_key.data or None
    if key is not None and (earlier := attendance.mark_by_key(key)) is not None:
        return _sent_before(earlier, facts, organisation, form)
    try:
        marked = attendance.mark_if_still_open(facts, organisation.id, form.participants.data, source, user_id,
                                               moment, key)
    except AttendanceError as refused:
        db.session.rollback()
        return _form_page(facts, token, form, error=refused.message, status=422)
    except IntegrityError:
        db.session.rollback()
        earlier = attendance.mark_by_key(key) if key is not None else None
        if earlier is None:
            raise
        return _sent_before(earlier, facts, organisation, form)
    if marked is None:  # the session changed since this process read it: nothing is recorded
        db.session.rollback()
        session_facts.forget(facts.id)
        return _page("attendance/flow_message.html", 409, problem="stale", session=facts)
    db.session.commit()
    return _done(facts, organisation, marked)


csrf.exempt(scan)  # guarded by device.check_form_guard, which needs no Flask session


def _identify(form: OrganisationMarkForm, facts):
    """Find the partner the form names and check its access code; return (organisation, error)."""
    programme_id = facts.programme.id
    typed = form.organisation_query.data or ""
    matches = attendance.find_partners(programme_id, organisation_id=form.organisation_choice.data) \
        if form.organisation_choice.data else []
    if not matches:
        matches = attendance.find_partners(programme_id, typed, limit=CHOICES + 1)
    if not matches:
        return None, _("No partner organisation of this programme is called “%(typed)s”. Check the name.",
                       typed=typed)
    if len(matches) > 1:
        form.choices = matches[:CHOICES]
        return None, _("Several partner organisations match “%(typed)s”: choose yours.", typed=typed)
    organisation = matches[0]
    address = request.remote_addr or "unknown"
    if not limits.take_code_attempt(organisation.id, address, holder="organisation"):
        return None, _("Too many wrong access codes. Wait a few minutes, or ask the department for the code.")
    if not programme_partners.code_is_right(organisation.id, organisation.code_hash, form.access_code.data or ""):
        form.choices = [organisation]
        return None, _("The access code is wrong for %(organisation)s. Check the code given by the department.",
                       organisation=organisation.name_hi or organisation.name_en)
    limits.give_back_code_attempt(organisation.id, address, holder="organisation")
    return organisation, None


def _sent_before(earlier, facts, organisation, form):
    """The same mark sent again is the one recorded, once; the key with other numbers changes nothing."""
    db.session.rollback()
    if (earlier.session_id, earlier.gram_panchayat_id, earlier.count.participants) == (
            facts.id, organisation.id, form.participants.data):
        return _done(facts, organisation, earlier.marked, again=True)
    return _page("attendance/flow_message.html", 409, problem="altered", session=facts,
                 recorded=earlier.count.participants if earlier.session_id == facts.id else None)


def _done(facts, organisation, marked, again: bool = False):
    return _page("attendance/flow_done.html", 200, session=facts, gp=organisation, marked=marked, again=again,
                 late=False, feedback_url=url_for("feedback.respond", session_id=facts.id),
                 session_url=url_for("public.session", session_id=facts.id))


def _form_page(facts, token, form: OrganisationMarkForm | None = None, error=None, status: int = 200):
    return _page("partners/attend_form.html", status, session=facts, token=token, error=error,
                 form=form or OrganisationMarkForm(formdata=None), choices=getattr(form, "choices", ()),
                 pass_token=form.pass_token.data if form is not None else device.form_pass(token),
                 gp_url=url_for("attend.scan", token=token) if facts.programme.reaches.gram_panchayats else None,
                 bounds=rules.PARTICIPANTS)


def _page(template: str, status: int, **context):
    """Render a page of the flow with its language buttons, and give a new phone its form guard."""
    guard, new = device.form_guard()
    response = current_app.make_response((render_template(
        template, **context, guard=guard, new_guard=new,
        language_action=request.full_path if request.query_string else request.path), status))
    return device.keep_form_guard(response, new)
