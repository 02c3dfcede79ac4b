"""Questions pages under /questions/: the gram panchayats' page (ask, see, support), the moderators' queue, the
stream overlay, and the moderators of a session.

The gram panchayats' page is the small flow layout, without JavaScript or an account: the GP is the one this
phone marked for (trainer.attendance.device). The queue and the overlay refresh themselves with small scripts
(static/js/) and work without them by a reload.
"""
from flask import Blueprint, abort, current_app, flash, jsonify, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from trainer.attendance import device
from trainer.core import clock
from trainer.core.auth import role_required
from trainer.core.bounds import database_int
from trainer.core.roles import PLANNERS, STAFF_ROLES
from trainer.core.urls import page_arg, safe_next_url
from trainer.extensions import db, limiter
from trainer.programmes.models import TrainingSession
from trainer.questions import services
from trainer.questions.forms import AskForm, ModerateForm, ModeratorForm, RemoveModeratorForm, SupportForm
from trainer.questions.models import LiveQuestion, QuestionState, SetAsideReason
from trainer.questions.services import Filters, QuestionError

bp = Blueprint("questions", __name__, url_prefix="/questions")
SEARCH_LENGTH = 100
QUEUE_POLL_SECONDS = 5
OVERLAY_POLL_SECONDS = 3


@bp.app_template_global()
def answered_questions(session) -> list:
    """Let any page (the session's public page) show the session's answered questions as a FAQ."""
    return services.answered_questions(session.id)


@bp.app_template_global()
def questions_url(session) -> str | None:
    """Let the secretary's pages (the "done" page, feedback) link to the session's questions when it takes them."""
    return url_for("questions.ask", session_id=session.id) if services.takes_questions(session) else None


@bp.app_context_processor
def question_labels():
    return {"question_state": QuestionState, "set_aside_reason": SetAsideReason}


def _session(session_id: int) -> TrainingSession:
    """Return a session that takes questions (published, live or held), else 404."""
    session = db.get_or_404(TrainingSession, session_id)
    if not services.takes_questions(session):
        abort(404)
    return session


def _moderated_session(session_id: int) -> TrainingSession:
    """Return a session that takes questions and that the user moderates: 403 for others, then 404."""
    session = db.get_or_404(TrainingSession, session_id)
    if not services.can_moderate(current_user, session):
        abort(403)
    if not services.takes_questions(session):
        abort(404)
    return session


def _question_limit() -> str:
    return current_app.config["QUESTION_LIMIT_PER_GP"]


def _take_question_attempt(gram_panchayat_id: int) -> bool:
    """Count a question sent by a gram panchayat, from any phone or app server; say whether it may be taken."""
    return limiter.take(_question_limit(), "question-gp", str(gram_panchayat_id))


# The gram panchayats' page


@bp.route("/sessions/<int:session_id>", methods=["GET", "POST"])
def ask(session_id: int):
    """Ask the session's experts a question; see what became of one's questions and the others' questions."""
    session = _session(session_id)
    gp = device.remembered_gp(session)
    form = AskForm()
    form.module.choices = module_choices(session)
    error, status = None, 200
    if request.method == "POST":
        if not form.validate_on_submit():
            error, status = _("The form has expired. Send it again."), 400
        elif gp is not None and not _take_question_attempt(gp.id):
            error, status = _("Your gram panchayat has sent many questions just now. Wait a few minutes and send "
                              "it again."), 429
        else:
            try:
                services.ask(session, gp, form.text.data, form.module_id(), form.asker_kind(), now=clock.now())
                db.session.commit()
                flash(_("Your question has been sent. It will be shown once a moderator has read it."), "success")
                return redirect(url_for("questions.ask", session_id=session.id))
            except QuestionError as refusal:
                db.session.rollback()
                error, status = refusal.message, refusal.status
    return _gp_page(session, gp, form, error, status)


def _gp_page(session, gp, form, error=None, status=200):
    present = gp is not None and services.is_present(session.id, gp.id)
    order = "supported" if request.args.get("order") == "supported" else "newest"
    page = services.shown_page(session.id, order, page_arg())
    return render_template(
        "questions/ask.html", session=session, gp=gp, present=present, form=form, error=error,
        mine=services.asked_by(session.id, gp.id) if gp is not None else [],
        left=services.questions_left(session, gp.id) if present else 0,
        supported=services.supported_by(session.id, gp.id if gp is not None else None),
        shown=page, order=order, support_form=SupportForm()), status


@bp.post("/sessions/<int:session_id>/support")
def support(session_id: int):
    """Say "my question too" for a visible question of the session."""
    session = _session(session_id)
    gp = device.remembered_gp(session)
    form = SupportForm()
    if not form.validate_on_submit():
        return _gp_page(session, gp, _ask_form(session), _("The form has expired. Send it again."), 400)
    try:
        services.support(session, gp, form.question_id())
        db.session.commit()
    except QuestionError as refusal:
        db.session.rollback()
        return _gp_page(session, gp, _ask_form(session), refusal.message, refusal.status)
    flash(_("Your support has been counted."), "success")
    order = request.form.get("order")
    return redirect(url_for("questions.ask", session_id=session.id,
                            order="supported" if order == "supported" else None))


def _ask_form(session):
    form = AskForm(formdata=None)
    form.module.choices = module_choices(session)
    return form


def module_choices(session: TrainingSession) -> list[SelectChoice]:
    """Offer the programme's modules, and none."""
    return [SelectChoice("", "—"), *(SelectChoice(str(m.id), m.title) for m in session.programme.modules)]


# The moderators' queue


def _filters() -> Filters:
    """Read the queue's filters from the query string; a value that names nothing is ignored."""
    args = request.args
    state = args.get("state", "pending")
    return Filters(
        state=QuestionState(state) if state in set(QuestionState) else None,
        module_id=database_int(args.get("module")), district_id=database_int(args.get("district")),
        text=args.get("q", "").replace("\x00", "")[:SEARCH_LENGTH].strip(),
        order=args.get("order") if args.get("order") in ("newest", "supported") else "oldest")


def _filter_args(filters: Filters) -> dict:
    return {"state": filters.state.value if filters.state else "all", "module": filters.module_id,
            "district": filters.district_id, "q": filters.text or None,
            "order": None if filters.order == "oldest" else filters.order}


def _queue_context(session: TrainingSession):
    filters = _filters()
    page = services.question_page(session.id, filters, page_arg())
    return {"session": session, "filters": filters, "page": page, "counts": services.state_counts(session.id),
            "modules": {m.id: m for m in session.programme.modules},
            "districts": services.question_districts(session.id),
            "answering": services.now_answering(session.id),
            "args": _filter_args(filters), "form": ModerateForm(formdata=None), "reasons": list(SetAsideReason),
            "poll_seconds": QUEUE_POLL_SECONDS}


@bp.get("/sessions/<int:session_id>/queue")
@role_required(*STAFF_ROLES)
def queue(session_id: int):
    """The moderators' queue: filter, search, approve, pin, answer, set aside; j/k and one-key actions."""
    session = _moderated_session(session_id)
    return render_template("questions/queue.html", **_queue_context(session))


@bp.get("/sessions/<int:session_id>/queue.json")
@role_required(*STAFF_ROLES)
def queue_json(session_id: int):
    """The queue's rows and counts, for the page's script to swap in without a reload."""
    session = _moderated_session(session_id)
    context = _queue_context(session)
    return jsonify(rows=render_template("questions/_queue_rows.html", **context),
                   summary=render_template("questions/_queue_summary.html", **context),
                   total=context["page"].total)


@bp.get("/sessions/<int:session_id>/questions/<int:asked_id>")
@role_required(*STAFF_ROLES)
def detail(session_id: int, asked_id: int):
    """One question: its history, similar questions to merge, the written answer and setting it aside."""
    session = _moderated_session(session_id)
    question = db.session.get(LiveQuestion, asked_id)
    if question is None or question.session_id != session.id:
        abort(404)
    return render_template(
        "questions/detail.html", session=session, question=question, row=services.row_of(question.id),
        events=services.events_of(question.id), similar=services.similar_questions(question),
        form=ModerateForm(formdata=None, answer=question.answer), reasons=list(SetAsideReason),
        modules={m.id: m for m in session.programme.modules})


@bp.post("/sessions/<int:session_id>/moderate")
@role_required(*STAFF_ROLES)
def moderate(session_id: int):
    """Apply a moderator's action to a question; back to where it was taken, with what happened."""
    session = _moderated_session(session_id)
    form = ModerateForm()
    back = safe_next_url(form.next.data) or url_for("questions.queue", session_id=session.id)
    if not form.validate_on_submit():
        flash(_("The form has expired. Send it again."), "error")
        return redirect(back)
    try:
        question = services.moderate(session, form.question_id(), form.action.data or "", current_user.id,
                                     answer_text=form.answer.data, reason=form.reason.data,
                                     merged_into_id=form.merged_into_id())
        db.session.commit()
    except QuestionError as refusal:
        db.session.rollback()
        flash(refusal.message, "error")
        return redirect(back)
    flash(_("Question %(number)s: %(state)s.", number=question.id, state=question.state.label), "success")
    return redirect(back)


# Moderators


@bp.route("/sessions/<int:session_id>/moderators", methods=["GET", "POST"])
@role_required(*PLANNERS)
def moderators(session_id: int):
    """The session's added moderators; add one by user name."""
    session = _session(session_id)
    form = ModeratorForm()
    error, status = None, 200
    if request.method == "POST":
        if not form.validate_on_submit():
            error, status = _("The form has expired. Send it again."), 400
        else:
            try:
                services.add_moderator(session, form.username.data, current_user.id)
                db.session.commit()
                flash(_("%(name)s can now moderate this session's questions.", name=form.username.data), "success")
                return redirect(url_for("questions.moderators", session_id=session.id))
            except QuestionError as refusal:
                db.session.rollback()
                error, status = refusal.message, refusal.status
    return render_template("questions/moderators.html", session=session, form=form, error=error,
                           moderators=services.moderators_of(session), remove_form=RemoveModeratorForm()), status


@bp.post("/sessions/<int:session_id>/moderators/remove")
@role_required(*PLANNERS)
def remove_moderator(session_id: int):
    """Stop an added moderator moderating the session."""
    session = _session(session_id)
    form = RemoveModeratorForm()
    if form.validate_on_submit():
        try:
            services.remove_moderator(session, form.moderator_id())
            db.session.commit()
            flash(_("The moderator has been removed."), "success")
        except QuestionError as refusal:
            db.session.rollback()
            flash(refusal.message, "error")
    return redirect(url_for("questions.moderators", session_id=session.id))


# The stream overlay


def _overlay_data(session: TrainingSession) -> dict | None:
    question = services.now_answering(session.id)
    if question is None:
        return None
    row = services.row_of(question.id)
    module = question.module
    return {"id": row.id, "text": row.text, "gp_hi": row.gp_hi, "gp_en": row.gp_en, "block_hi": row.block_hi,
            "block_en": row.block_en, "district_hi": row.district_hi, "district_en": row.district_en,
            "supports": row.supports, "module_hi": module.title_hi if module else None,
            "module_en": module.title_en if module else None}


@bp.get("/sessions/<int:session_id>/overlay")
@role_required(*STAFF_ROLES)
def overlay(session_id: int):
    """The question being answered, full screen and in large Devanagari, for the stream's encoder."""
    session = _moderated_session(session_id)
    return render_template("questions/overlay.html", session=session, question=_overlay_data(session),
                           poll_seconds=OVERLAY_POLL_SECONDS)


@bp.get("/sessions/<int:session_id>/overlay.json")
@role_required(*STAFF_ROLES)
def overlay_json(session_id: int):
    """The question being answered now (null: none), for the overlay's script."""
    session = _moderated_session(session_id)
    data = _overlay_data(session)
    if data is not None:
        data["html"] = render_template("questions/_overlay_question.html", question=data)
    return jsonify(question=data)
