"""Planning pages for trainers: programmes, modules, the division-wise calendar and publishing."""
import re
from datetime import UTC, date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from trainer.core import clock
from trainer.core.auth import role_required
from trainer.core.forms import ConfirmForm
from trainer.core.i18n import format_day, localized_name
from trainer.core.roles import PLANNERS
from trainer.extensions import db
from trainer.programmes import calendar, services
from trainer.programmes.calendar import CalendarError
from trainer.programmes.forms import ModuleForm, MoveDivisionForm, ProgrammeForm, SessionForm
from trainer.programmes.models import Module, Programme, SessionStatus, TrainingSession
from trainer.programmes.signals import announce_changes, publishing_warnings
from trainer.regions.models import Division

bp = Blueprint("plan", __name__, url_prefix="/plan")


@bp.before_request
@role_required(*PLANNERS)
def _planners_only():
    """Every planning page is for trainers and administrators."""


def _refused(error: CalendarError) -> None:
    db.session.rollback()
    for message in error.messages:
        flash(message, "error")


def _all_divisions() -> list[Division]:
    return list(db.session.scalars(db.select(Division).order_by(Division.lgd_code)))


def _announce(sessions) -> None:
    """After a commit, tell the features that follow sessions (YouTube) what changed, and show what they say."""
    for message, category in announce_changes(session.id for session in sessions):
        flash(message, category)


# Programmes


@bp.get("/")
def programmes():
    """List every programme, drafts included."""
    items = services.list_programmes(public=False)
    counts = services.session_counts([p.id for p in items])
    return render_template("programmes/plan_list.html", programmes=items, counts=counts)


def _programme_form(programme: Programme | None) -> ProgrammeForm:
    form = ProgrammeForm(obj=programme)
    form.divisions.choices = [SelectChoice(d.id, localized_name(d)) for d in _all_divisions()]
    if programme is not None and request.method == "GET":
        form.fill(programme)
    return form


@bp.route("/new", methods=["GET", "POST"])
def new_programme():
    """Describe a new programme and the frame of its calendar."""
    form = _programme_form(None)
    if form.validate_on_submit():
        values = form.values()
        values["divisions"] = [db.session.get(Division, pk) for pk in form.divisions.data]
        programme = services.save_programme(Programme(created_by_id=current_user.id), **values)
        db.session.commit()
        flash(_("The programme has been created. Now add its modules."), "success")
        return redirect(url_for("plan.programme", programme_id=programme.id))
    return render_template("programmes/plan_programme_form.html", form=form, programme=None)


@bp.route("/<int:programme_id>/edit", methods=["GET", "POST"])
def edit_programme(programme_id: int):
    """Change a programme's description, audience or calendar frame."""
    programme = db.get_or_404(Programme, programme_id)
    form = _programme_form(programme)
    if form.validate_on_submit():
        values = form.values()
        values["divisions"] = [db.session.get(Division, pk) for pk in form.divisions.data]
        services.save_programme(programme, **values)
        clashes = calendar.clashes_for(programme)
        db.session.commit()
        flash(_("The programme has been saved."), "success")
        if clashes:
            flash(_("The calendar now has clashes; they are listed below."), "warning")
        return redirect(url_for("plan.programme", programme_id=programme.id))
    return render_template("programmes/plan_programme_form.html", form=form, programme=programme)


@bp.get("/<int:programme_id>")
def programme(programme_id: int):
    """The planner's view of a programme: modules, the calendar as a table, clashes and actions."""
    programme = db.get_or_404(Programme, programme_id)
    sessions = services.sessions_of(programme, public=False)
    move_form = MoveDivisionForm()
    move_form.division.choices = [SelectChoice(d.id, localized_name(d)) for d in programme.divisions]
    return render_template(
        "programmes/plan_programme.html", programme=programme, sessions=sessions,
        days=_by_day(sessions), clashes=calendar.clashes_for(programme), move_form=move_form,
        confirm=ConfirmForm(), drafts=sum(s.status is SessionStatus.DRAFT for s in sessions),
        warnings=publishing_warnings(programme))


def _by_day(sessions):
    days: dict[date, list[TrainingSession]] = {}
    for session in sessions:
        days.setdefault(clock.local_day(session.starts_at), []).append(session)
    return days


@bp.get("/<int:programme_id>/month")
def month(programme_id: int):
    """The calendar as a month view, drafts included."""
    programme = db.get_or_404(Programme, programme_id)
    sessions = services.sessions_of(programme, public=False)
    shown = _month_param(request.args.get("month"), programme)
    days = _by_day(sessions)
    months = _months_of(programme)
    index = months.index(shown) if shown in months else -1
    return render_template(
        "programmes/plan_month.html", programme=programme, weeks=services.month_grid(*shown),
        shown=date(*shown, 1), days=days,
        session_url=lambda session: url_for("plan.edit_session", session_id=session.id),
        previous=months[index - 1] if index > 0 else None,
        following=months[index + 1] if 0 <= index < len(months) - 1 else None)


def _months_of(programme: Programme) -> list[tuple[int, int]]:
    months, year, number = [], programme.first_day.year, programme.first_day.month
    while (year, number) <= (programme.last_day.year, programme.last_day.month):
        months.append((year, number))
        year, number = (year + 1, 1) if number == 12 else (year, number + 1)
    return months


def _month_param(text: str | None, programme: Programme) -> tuple[int, int]:
    """Read ?month=YYYY-MM; absent or not a real month (however long its digits), the programme's first month."""
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", (text or "").strip())
    if not match or int(match[1]) < 1 or not 1 <= int(match[2]) <= 12:
        return programme.first_day.year, programme.first_day.month
    return int(match[1]), int(match[2])


# Modules


@bp.route("/<int:programme_id>/modules/new", methods=["GET", "POST"])
def new_module(programme_id: int):
    """Add a module at the end of the teaching order."""
    programme = db.get_or_404(Programme, programme_id)
    form = ModuleForm()
    if form.validate_on_submit():
        services.add_module(programme, **_module_values(form))
        db.session.commit()
        flash(_("The module has been added."), "success")
        return redirect(url_for("plan.programme", programme_id=programme.id))
    return render_template("programmes/plan_module_form.html", form=form, programme=programme, module=None)


@bp.route("/modules/<int:module_id>/edit", methods=["GET", "POST"])
def edit_module(module_id: int):
    """Change a module's title, duration or experts."""
    module = db.get_or_404(Module, module_id)
    form = ModuleForm(obj=module)
    if form.validate_on_submit():
        services.update_module(module, **_module_values(form))
        db.session.commit()
        flash(_("The module has been saved."), "success")
        return redirect(url_for("plan.programme", programme_id=module.programme_id))
    return render_template("programmes/plan_module_form.html", form=form, programme=module.programme,
                           module=module)


def _module_values(form: ModuleForm) -> dict:
    return dict(title_hi=form.title_hi.data.strip(), title_en=(form.title_en.data or "").strip(),
                duration_minutes=form.duration_minutes.data, experts=form.experts.data or "")


@bp.post("/modules/<int:module_id>/move")
def move_module(module_id: int):
    """Move a module up or down the teaching order."""
    module = db.get_or_404(Module, module_id)
    if ConfirmForm().validate_on_submit():
        services.move_module(module, -1 if request.form.get("direction") == "up" else 1)
        db.session.commit()
    return redirect(url_for("plan.programme", programme_id=module.programme_id))


@bp.post("/modules/<int:module_id>/delete")
def delete_module(module_id: int):
    """Delete a module that no session teaches."""
    module = db.get_or_404(Module, module_id)
    programme_id = module.programme_id
    if ConfirmForm().validate_on_submit():
        try:
            services.delete_module(module)
            db.session.commit()
            flash(_("The module has been deleted."), "success")
        except CalendarError as error:
            _refused(error)
    return redirect(url_for("plan.programme", programme_id=programme_id))


# The calendar


@bp.post("/<int:programme_id>/propose")
def propose(programme_id: int):
    """Replace the draft calendar with a new proposal."""
    programme = db.get_or_404(Programme, programme_id)
    if ConfirmForm().validate_on_submit():
        try:
            sessions = calendar.propose(programme)
            db.session.commit()
            flash(_("A calendar of %(count)s sessions has been proposed. Check it, change what you need, "
                    "then publish it.", count=len(sessions)), "success")
        except CalendarError as error:
            _refused(error)
    return redirect(url_for("plan.programme", programme_id=programme_id))


@bp.post("/<int:programme_id>/move-division")
def move_division(programme_id: int):
    """Shift a whole division's sessions by some days."""
    programme = db.get_or_404(Programme, programme_id)
    form = MoveDivisionForm()
    form.division.choices = [SelectChoice(d.id, localized_name(d)) for d in programme.divisions]
    if not form.validate_on_submit():
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        return redirect(url_for("plan.programme", programme_id=programme_id))
    try:
        division = db.session.get(Division, form.division.data)
        moved = calendar.move_division(programme, division, form.days.data)
        db.session.commit()
        days = form.days.data
        flash(ngettext("%(count)s session of %(division)s moved %(num)s working day %(direction)s (Sundays and "
                       "holidays skipped): now from %(first)s to %(last)s.",
                       "%(count)s sessions of %(division)s moved %(num)s working days %(direction)s (Sundays and "
                       "holidays skipped): now from %(first)s to %(last)s.", abs(days),
                       count=len(moved), division=localized_name(division),
                       direction=_("later") if days > 0 else _("earlier"),
                       first=format_day(min(s.starts_at for s in moved)),
                       last=format_day(max(s.starts_at for s in moved))), "success")
        _announce(moved)
    except CalendarError as error:
        _refused(error)
    return redirect(url_for("plan.programme", programme_id=programme_id))


@bp.post("/<int:programme_id>/publish")
def publish(programme_id: int):
    """Publish every draft session, if the calendar has no clashes."""
    programme = db.get_or_404(Programme, programme_id)
    if ConfirmForm().validate_on_submit():
        # What people would miss (a feedback form, say) is said first; publishing anyway is the planner's choice.
        if (warnings := publishing_warnings(programme)) and request.form.get("anyway") != "y":
            for warning in warnings:
                flash(warning, "error")
            flash(_("Nothing was published. Tick “Publish anyway” to publish as it is."), "error")
            return redirect(url_for("plan.programme", programme_id=programme_id))
        try:
            published = calendar.publish(programme)
            db.session.commit()
            flash(_("%(count)s sessions have been published.", count=len(published)), "success")
            _announce(published)
        except CalendarError as error:
            _refused(error)
    return redirect(url_for("plan.programme", programme_id=programme_id))


# Sessions


def _session_form(programme: Programme, session: TrainingSession | None) -> SessionForm:
    form = SessionForm(obj=session)
    form.divisions.choices = [SelectChoice(d.id, localized_name(d)) for d in programme.divisions]
    form.modules.choices = [SelectChoice(m.id, f"{m.position}. {m.title}") for m in programme.modules]
    if session is not None and request.method == "GET":
        start, end = session.starts_at.astimezone(clock.IST), session.ends_at.astimezone(clock.IST)
        form.day.data, form.start.data, form.end.data = start.date(), start.time(), end.time()
        form.divisions.data = [d.id for d in session.divisions]
        form.modules.data = [m.id for m in session.modules]
    return form


def _change(form: SessionForm, programme: Programme) -> services.SessionChange:
    start, end = (moment.replace(tzinfo=clock.IST).astimezone(UTC) for moment in form.local_times())
    divisions = [d for d in programme.divisions if d.id in form.divisions.data]
    modules = [m for m in programme.modules if m.id in form.modules.data]
    channels = services.Channels(youtube_url=form.youtube_url.data, webcast_url=form.webcast_url.data,
                                 meeting_url=form.meeting_url.data, meeting_details=form.meeting_details.data,
                                 venue=form.venue.data)
    return services.SessionChange(start, end, divisions, modules, channels)


@bp.route("/<int:programme_id>/sessions/new", methods=["GET", "POST"])
def new_session(programme_id: int):
    """Add one session by hand."""
    programme = db.get_or_404(Programme, programme_id)
    form = _session_form(programme, None)
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            services.add_session(programme, _change(form, programme))
            db.session.commit()
            flash(_("The session has been added as a draft."), "success")
            return redirect(url_for("plan.programme", programme_id=programme.id))
        except CalendarError as error:
            db.session.rollback()
            errors = error.messages
    return render_template("programmes/plan_session_form.html", form=form, programme=programme, session=None,
                           errors=errors)


@bp.route("/sessions/<int:session_id>/edit", methods=["GET", "POST"])
def edit_session(session_id: int):
    """Change one session's time, divisions, modules or channels; clashes are refused."""
    session = db.get_or_404(TrainingSession, session_id)
    programme = session.programme
    form = _session_form(programme, session)
    errors: list[str] = []
    if form.validate_on_submit():
        try:
            services.update_session(session, _change(form, programme))
            db.session.commit()
            flash(_("The session has been saved."), "success")
            _announce([session])
            return redirect(url_for("plan.programme", programme_id=programme.id))
        except CalendarError as error:
            db.session.rollback()
            errors = error.messages
    return render_template("programmes/plan_session_form.html", form=form, programme=programme, session=session,
                           errors=errors, confirm=ConfirmForm())


@bp.post("/sessions/<int:session_id>/cancel")
def cancel_session(session_id: int):
    """Cancel a published session (its broadcast is deleted), or delete a draft."""
    session = db.get_or_404(TrainingSession, session_id)
    programme_id = session.programme_id
    if ConfirmForm().validate_on_submit():
        try:
            services.cancel_session(session)
            db.session.commit()
            flash(_("The session has been cancelled."), "success")
            if session.status is SessionStatus.CANCELLED:
                _announce([session])
        except CalendarError as error:
            _refused(error)
    return redirect(url_for("plan.programme", programme_id=programme_id))


@bp.post("/sessions/<int:session_id>/status")
def session_status(session_id: int):
    """Mark a session live or completed by hand."""
    session = db.get_or_404(TrainingSession, session_id)
    if ConfirmForm().validate_on_submit():
        try:
            status = SessionStatus(request.form.get("status", ""))
            services.set_running_state(session, status)
            db.session.commit()
            flash(_("The session is now marked “%(status)s”.", status=status.label), "success")
        except ValueError:
            abort(400)
        except CalendarError as error:
            _refused(error)
    return redirect(url_for("plan.edit_session", session_id=session_id))
