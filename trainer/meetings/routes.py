"""The meetings' pages under /meetings: series (list, create, change, one with its meetings and offices), a
meeting (create in a series, change, invitees, agenda, the follow-up of carried directives, the notice), its
attendance (the printable QR, the page it opens, the secretary's ticks), its minutes (per agenda item, revisions,
directives, finalising and corrections) and the minutes as PDF (कार्यवाही विवरण).

Who: staff see the series of their area (`services.may_see_series`); the chair's office and administrators change
them (`may_edit_series`); the secretary also keeps the minutes and ticks attendance (`may_keep_minutes`); only the
chair's office finalises (`may_finalise`). The rules live in the services: the routes only commit.
"""
from datetime import UTC, datetime

from flask import Blueprint, Response, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from trainer.accounts import services as accounts
from trainer.attendance.qr import make_qr
from trainer.campaigns.models import Indicator
from trainer.core import clock
from trainer.core.auth import role_required
from trainer.core.forms import ConfirmForm
from trainer.core.pdf import render_pdf
from trainer.core.roles import Role
from trainer.extensions import db, limiter
from trainer.meetings import directives, notices, services
from trainer.meetings.errors import MeetingError
from trainer.meetings.forms import (
    AgendaItemForm,
    AttendForm,
    DirectiveForm,
    FollowUpForm,
    InviteeForm,
    MeetingForm,
    MinutesForm,
    MoveForm,
    SeriesForm,
    TickForm,
)
from trainer.meetings.models import AgendaItem, DirectiveStatus, Meeting, MeetingSeries, Priority
from trainer.offices import services as offices
from trainer.offices.forms import AREA_MODELS
from trainer.offices.models import Office

bp = Blueprint("meetings", __name__, url_prefix="/meetings")

STAFF = offices.OFFICER_ROLES
PDF_LOCALE = "hi"


def _attend_limit() -> str:
    return current_app.config.get("MEETING_ATTENDANCE_RATE_LIMIT", "20 per minute")


# Loading and refusing

def series_or_404(series_id: int, edit: bool = False) -> MeetingSeries:
    series = services.load_series(series_id)
    if series is None:
        abort(404)
    if not services.may_see_series(current_user, series) or (edit and not services.may_edit_series(current_user,
                                                                                                      series)):
        abort(403)
    return series


def meeting_or_404(meeting_id: int, need: str = "see") -> Meeting:
    """Return the meeting; 404 when there is none, 403 when the user may not see it or do `need` (edit, keep,
    finalise)."""
    meeting = services.load_meeting(meeting_id)
    if meeting is None:
        abort(404)
    allowed = {"see": services.may_see_series, "edit": lambda u, s: services.may_edit_series(u, s),
               "keep": lambda u, s: services.may_keep_minutes(u, meeting),
               "finalise": lambda u, s: services.may_finalise(u, meeting)}[need]
    if not services.may_see_series(current_user, meeting.series) or not allowed(current_user, meeting.series):
        abort(403)
    return meeting


def _office_choices(blank: bool = True) -> list[tuple[int, str]]:
    choices = [(0, "—")] if blank else []
    return choices + [(o.id, o.short_name or o.text("name")) for o in offices.visible_offices(current_user)]


def _refused(refused: MeetingError, target: str):
    db.session.rollback()
    flash(refused.message, "error")
    return redirect(target)


# Series

@bp.get("")
@role_required(*STAFF)
def index():
    """List the series the user sees, and their meetings to come."""
    series = list(db.session.scalars(services.series_query(current_user)))
    upcoming = list(db.session.scalars(services.meeting_query(current_user).where(Meeting.ends_at >= clock.now())
                                       .order_by(None).order_by(Meeting.starts_at, Meeting.id).limit(20)))
    may_create = current_user.role is Role.ADMIN or bool(offices.office_ids_of(current_user))
    return render_template("meetings/index.html", series=series, upcoming=upcoming, may_create=may_create)


def _series_form(series: MeetingSeries | None) -> SeriesForm:
    if series is not None and request.method == "GET":
        place = series.place
        level = "block" if series.block else "district" if series.district else "division" if series.division \
            else "state"
        form = SeriesForm(data=dict(title_hi=series.title_hi, title_en=series.title_en, code=series.code,
                                    chair_office_id=series.chair_office_id, area_level=level,
                                    area_code=place.lgd_code if place else None,
                                    member_office_ids=[o.id for o in series.member_offices],
                                    programme_id=series.programme_id, campaign_id=series.campaign_id))
    else:
        form = SeriesForm()
    if current_user.role is Role.ADMIN:
        chairs = _office_choices(blank=False)
    else:
        chairs = [(o.id, o.short_name or o.text("name")) for o in offices.offices_of(current_user)]
    if series is not None and series.chair_office_id not in {c[0] for c in chairs}:
        chairs.insert(0, (series.chair_office_id, series.chair_office.text("name")))
    form.chair_office_id.choices = chairs
    form.member_office_ids.choices = _office_choices(blank=False)
    return form


def _place(form: SeriesForm):
    if form.area_level.data == "state":
        return None
    model = AREA_MODELS[form.area_level.data]
    place = db.session.scalar(select(model).where(model.lgd_code == form.area_code.data))
    if place is None:
        raise MeetingError(_("There is no place with this LGD code at that level."))
    return place


def _submit_series(series: MeetingSeries | None):
    form = _series_form(series)
    if form.validate_on_submit():
        try:
            if series is None and current_user.role is not Role.ADMIN \
                    and not offices.is_officer_of(current_user, form.chair_office_id.data):
                raise MeetingError(_("You create series only for an office you act for."))
            saved = services.save_series(services.SeriesValues(
                code=form.code.data, chair_office_id=form.chair_office_id.data, title_hi=form.title_hi.data or "",
                title_en=form.title_en.data or "", place=_place(form),
                member_office_ids=tuple(form.member_office_ids.data or ()), programme_id=form.programme_id.data,
                campaign_id=form.campaign_id.data), current_user, series)
        except MeetingError as refused:
            db.session.rollback()
            form.form_errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("The series was saved."), "success")
            return redirect(url_for(".series", series_id=saved.id))
    status = 400 if form.is_submitted() else 200
    return render_template("meetings/series_form.html", form=form, series=series), status


@bp.route("/series/new", methods=["GET", "POST"])
@role_required(*STAFF)
def create_series():
    """Create a series (administrators, and the officers of an office, for their office)."""
    if current_user.role is not Role.ADMIN and not offices.office_ids_of(current_user):
        abort(403)
    return _submit_series(None)


@bp.get("/series/<int:series_id>")
@role_required(*STAFF)
def series(series_id: int):
    """Show a series: its chair's office, area, member offices and meetings."""
    found = series_or_404(series_id)
    return render_template("meetings/series.html", series=found,
                           may_edit=services.may_edit_series(current_user, found))


@bp.route("/series/<int:series_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_series(series_id: int):
    """Change a series (its chair's office and administrators)."""
    return _submit_series(series_or_404(series_id, edit=True))


# Meetings

def _meeting_form(meeting: Meeting | None) -> MeetingForm:
    if meeting is not None and request.method == "GET":
        start, end = meeting.starts_at.astimezone(clock.IST), meeting.ends_at.astimezone(clock.IST)
        return MeetingForm(data=dict(
            day=start.date(), start=start.time(), end=end.time(), venue=meeting.venue,
            youtube_url=meeting.youtube_url, webcast_url=meeting.webcast_url, meeting_url=meeting.meeting_url,
            meeting_details=meeting.meeting_details, public=meeting.public, chair_name=meeting.chair_name,
            chair_designation=meeting.chair_designation,
            secretary=meeting.secretary.username if meeting.secretary else ""))
    return MeetingForm()


def _meeting_values(form: MeetingForm) -> services.MeetingValues:
    start, end = (datetime.combine(form.day.data, moment).replace(tzinfo=clock.IST).astimezone(UTC)
                  for moment in (form.start.data, form.end.data))
    secretary_id = None
    if form.secretary.data:
        secretary = accounts.find_user(form.secretary.data)
        if secretary is None:
            raise MeetingError(_("There is no account with this username."))
        secretary_id = secretary.id
    return services.MeetingValues(
        starts_at=start, ends_at=end, venue=form.venue.data or "", youtube_url=form.youtube_url.data or "",
        webcast_url=form.webcast_url.data or "", meeting_url=form.meeting_url.data or "",
        meeting_details=form.meeting_details.data or "", public=bool(form.public.data),
        chair_name=form.chair_name.data or "", chair_designation=form.chair_designation.data or "",
        secretary_id=secretary_id)


@bp.route("/series/<int:series_id>/meetings/new", methods=["GET", "POST"])
@role_required(*STAFF)
def create_meeting(series_id: int):
    """Add the next meeting of a series; it opens with the follow-up of the earlier meetings' directives."""
    found = series_or_404(series_id, edit=True)
    form = _meeting_form(None)
    if form.validate_on_submit():
        try:
            meeting = services.create_meeting(found, _meeting_values(form), current_user)
            services.open_follow_up(meeting)
        except MeetingError as refused:
            db.session.rollback()
            form.form_errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("The meeting was created."), "success")
            return redirect(url_for(".meeting", meeting_id=meeting.id))
    status = 400 if form.is_submitted() else 200
    return render_template("meetings/meeting_form.html", form=form, series=found, meeting=None), status


@bp.route("/<int:meeting_id>/edit", methods=["GET", "POST"])
@role_required(*STAFF)
def edit_meeting(meeting_id: int):
    """Change a meeting's time, place, links, chair or secretary."""
    meeting = meeting_or_404(meeting_id, "edit")
    form = _meeting_form(meeting)
    if form.validate_on_submit():
        try:
            services.update_meeting(meeting, _meeting_values(form))
        except MeetingError as refused:
            db.session.rollback()
            form.form_errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("The meeting was saved."), "success")
            return redirect(url_for(".meeting", meeting_id=meeting.id))
    status = 400 if form.is_submitted() else 200
    return render_template("meetings/meeting_form.html", form=form, series=meeting.series, meeting=meeting), status


def _item_form(item: AgendaItem | None = None) -> AgendaItemForm:
    form = AgendaItemForm(formdata=None, data=dict(title_hi=item.title_hi, title_en=item.title_en,
                                                   presenting_office_id=item.presenting_office_id or 0)) \
        if item is not None else AgendaItemForm(formdata=None)
    form.presenting_office_id.choices = _office_choices()
    return form


@bp.get("/<int:meeting_id>")
@role_required(*STAFF)
def meeting(meeting_id: int):
    """Show a meeting: when and where, its invitees, agenda, the carried directives with their latest reports,
    who is present."""
    found = meeting_or_404(meeting_id)
    editor = services.may_edit_series(current_user, found.series)
    invitee_form = InviteeForm(formdata=None)
    invitee_form.office_id.choices = _office_choices()
    follow_up = services.follow_up_item(found)
    carried = services.carried_directives(found) if follow_up is not None else []
    return render_template("meetings/meeting.html", meeting=found, editor=editor,
                           keeper=services.may_keep_minutes(current_user, found), invitee_form=invitee_form,
                           item_form=_item_form(), item_forms={i.id: _item_form(i) for i in found.agenda_items},
                           follow_up=follow_up, carried=carried, confirm=ConfirmForm(formdata=None),
                           follow_up_form=FollowUpForm(formdata=None),
                           present=services.present(found), today=clock.today())


@bp.post("/<int:meeting_id>/invitees")
@role_required(*STAFF)
def add_invitee(meeting_id: int):
    """Invite an office, an officer (by username) or a named person."""
    found = meeting_or_404(meeting_id, "edit")
    target = url_for(".meeting", meeting_id=found.id) + "#invitees"
    form = InviteeForm()
    form.office_id.choices = _office_choices()
    if not form.validate_on_submit():
        return _refused(MeetingError(_("Check the invitee's details.")), target)
    try:
        if form.kind.data == "office":
            office = db.session.get(Office, form.office_id.data) if form.office_id.data else None
            if office is None:
                raise MeetingError(_("Choose the office."))
            services.invite_office(found, office)
        elif form.kind.data == "user":
            user = accounts.find_user(form.username.data or "")
            if user is None:
                raise MeetingError(_("There is no account with this username."))
            services.invite_user(found, user)
        else:
            services.invite_person(found, services.PersonValues(
                name=form.name.data or "", designation=form.designation.data or "",
                office_text=form.office_text.data or "", phone=form.phone.data or "", email=form.email.data or ""))
    except MeetingError as refused:
        return _refused(refused, target)
    db.session.commit()
    flash(_("The invitee was added."), "success")
    return redirect(target)


@bp.post("/<int:meeting_id>/invitees/<int:invitee_id>/remove")
@role_required(*STAFF)
def remove_invitee(meeting_id: int, invitee_id: int):
    """Take an invitee off the list."""
    found = meeting_or_404(meeting_id, "edit")
    target = url_for(".meeting", meeting_id=found.id) + "#invitees"
    invitee = next((i for i in found.invitees if i.id == invitee_id), None)
    if invitee is None:
        abort(404)
    try:
        services.remove_invitee(found, invitee)
    except MeetingError as refused:
        return _refused(refused, target)
    db.session.commit()
    flash(_("The invitee was removed."), "success")
    return redirect(target)


@bp.post("/<int:meeting_id>/notice")
@role_required(*STAFF)
def send_notice(meeting_id: int):
    """Send the meeting's notice to its invitees through the outbox (never twice to the same person)."""
    found = meeting_or_404(meeting_id, "edit")
    target = url_for(".meeting", meeting_id=found.id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        result = notices.send_notice(found)
    except MeetingError as refused:
        return _refused(refused, target)
    db.session.commit()
    flash(_("Notice: %(queued)s messages queued, %(repeated)s sent before, %(unreachable)s invitees without an "
            "address.", queued=result.queued, repeated=result.repeated, unreachable=result.unreachable), "success")
    return redirect(target)


# Agenda

def _item_or_404(meeting: Meeting, item_id: int) -> AgendaItem:
    item = next((i for i in meeting.agenda_items if i.id == item_id), None)
    if item is None:
        abort(404)
    return item


@bp.post("/<int:meeting_id>/agenda")
@role_required(*STAFF)
def add_item(meeting_id: int):
    """Add an agenda item at the end."""
    found = meeting_or_404(meeting_id, "keep")
    target = url_for(".meeting", meeting_id=found.id) + "#agenda"
    form = AgendaItemForm()
    form.presenting_office_id.choices = _office_choices()
    if not form.validate_on_submit():
        return _refused(MeetingError(_("Check the agenda item.")), target)
    try:
        services.add_agenda_item(found, form.title_hi.data or "", form.title_en.data or "",
                                 form.presenting_office_id.data or None)
    except MeetingError as refused:
        return _refused(refused, target)
    db.session.commit()
    flash(_("The agenda item was added."), "success")
    return redirect(target)


@bp.post("/<int:meeting_id>/agenda/<int:item_id>")
@role_required(*STAFF)
def edit_item(meeting_id: int, item_id: int):
    """Change an agenda item's title or presenting office."""
    found = meeting_or_404(meeting_id, "keep")
    target = url_for(".meeting", meeting_id=found.id) + "#agenda"
    item = _item_or_404(found, item_id)
    form = AgendaItemForm()
    form.presenting_office_id.choices = _office_choices()
    if not form.validate_on_submit():
        return _refused(MeetingError(_("Check the agenda item.")), target)
    try:
        services.update_agenda_item(item, form.title_hi.data or "", form.title_en.data or "",
                                    form.presenting_office_id.data or None)
    except MeetingError as refused:
        return _refused(refused, target)
    db.session.commit()
    flash(_("The agenda item was saved."), "success")
    return redirect(target)


@bp.post("/<int:meeting_id>/agenda/<int:item_id>/move")
@role_required(*STAFF)
def move_item(meeting_id: int, item_id: int):
    """Move an agenda item to a position."""
    found = meeting_or_404(meeting_id, "keep")
    target = url_for(".meeting", meeting_id=found.id) + "#agenda"
    item = _item_or_404(found, item_id)
    form = MoveForm()
    if not form.validate_on_submit():
        return _refused(MeetingError(_("Give the position as a number from 1.")), target)
    try:
        services.move_agenda_item(item, form.position.data)
    except MeetingError as refused:
        return _refused(refused, target)
    db.session.commit()
    return redirect(target)


@bp.post("/<int:meeting_id>/agenda/<int:item_id>/remove")
@role_required(*STAFF)
def remove_item(meeting_id: int, item_id: int):
    """Remove an agenda item that has no minutes and no directives."""
    found = meeting_or_404(meeting_id, "keep")
    target = url_for(".meeting", meeting_id=found.id) + "#agenda"
    item = _item_or_404(found, item_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.remove_agenda_item(item)
    except MeetingError as refused:
        return _refused(refused, target)
    db.session.commit()
    flash(_("The agenda item was removed."), "success")
    return redirect(target)


@bp.post("/<int:meeting_id>/follow-up")
@role_required(*STAFF)
def follow_up(meeting_id: int):
    """The chair's decision in the meeting on a carried directive: close it (verified), extend it (a new due date,
    the old one kept), reopen it, or drop it (the note is the reason)."""
    found = meeting_or_404(meeting_id, "edit")
    target = url_for(".meeting", meeting_id=found.id) + "#follow-up"
    form = FollowUpForm()
    if not form.validate_on_submit():
        return _refused(MeetingError(_("Choose the decision; an extension needs the new due date.")), target)
    directive = next((d for d in services.carried_directives(found) if d.id == form.directive_id.data), None)
    if directive is None:
        abort(404)
    note = form.note.data or ""
    try:
        if form.action.data == "extend":
            if form.due_on.data is None:
                raise MeetingError(_("Give the new due date."))
            directives.extend(directive, form.due_on.data, current_user, note, meeting=found)
        elif form.action.data == "drop":
            directives.change_status(directive, DirectiveStatus.DROPPED, current_user, note, reason=note,
                                     meeting=found)
        else:
            to = DirectiveStatus.VERIFIED if form.action.data == "verify" else DirectiveStatus.REOPENED
            directives.change_status(directive, to, current_user, note, meeting=found)
    except MeetingError as refused:
        return _refused(refused, target)
    db.session.commit()
    flash(_("The directive %(reference)s was updated.", reference=directive.reference), "success")
    return redirect(target)


@bp.get("/<int:meeting_id>/public")
def public_meeting(meeting_id: int):
    """A public meeting's own page, for anyone: when, where, its online links and agenda (404 when it is not
    public)."""
    found = services.load_meeting(meeting_id)
    if found is None or not found.public:
        abort(404)
    return render_template("meetings/public.html", meeting=found)


# Attendance

@bp.get("/<int:meeting_id>/qr")
@role_required(*STAFF)
def qr(meeting_id: int):
    """The meeting's attendance QR, printable for the hall or shown on the stream."""
    found = meeting_or_404(meeting_id)
    url = url_for(".attend", meeting_token=found.attendance_token, _external=True)
    return render_template("meetings/qr.html", meeting=found, url=url, svg=make_qr(url).svg(_("Attendance")))


@bp.route("/attend/<meeting_token>", methods=["GET", "POST"])
@limiter.limit(_attend_limit, methods=["POST"])
def attend(meeting_token: str):
    """The page the meeting's QR opens: an officer signed in is recognised (one tap); others give their name,
    designation and office."""
    found = services.meeting_by_token(meeting_token) if "\x00" not in meeting_token else None  # no NUL in SQL text
    if found is None:
        abort(404)
    officer = current_user if current_user.is_authenticated and current_user.role in STAFF else None
    form = AttendForm() if officer is None else ConfirmForm()
    marked = None
    status = 200
    if request.method == "POST":
        if form.validate_on_submit():
            try:
                if officer is not None:
                    marked = services.mark_by_qr(found, user=officer)
                else:
                    marked = services.mark_by_qr(found, person=services.PersonValues(
                        name=form.name.data, designation=form.designation.data, office_text=form.office_text.data))
            except MeetingError as refused:
                db.session.rollback()
                form.form_errors.append(refused.message)
                status = 400
            else:
                db.session.commit()
        else:
            status = 400
    return render_template("meetings/attend.html", meeting=found, form=form, officer=officer, marked=marked,
                           open=services.attendance_open(found)), status


@bp.get("/<int:meeting_id>/attendance")
@role_required(*STAFF)
def attendance(meeting_id: int):
    """The secretary's tick list: the invitees, and who is present."""
    found = meeting_or_404(meeting_id, "keep")
    present_users = {a.user_id for a in found.attendances if a.user_id}
    return render_template("meetings/attendance.html", meeting=found, present=services.present(found),
                           present_users=present_users, form=TickForm(formdata=None),
                           confirm=ConfirmForm(formdata=None))


@bp.post("/<int:meeting_id>/attendance")
@role_required(*STAFF)
def tick(meeting_id: int):
    """Tick someone present: an officer by username, or a named person."""
    found = meeting_or_404(meeting_id, "keep")
    target = url_for(".attendance", meeting_id=found.id)
    form = TickForm()
    if not form.validate_on_submit():
        return _refused(MeetingError(_("Give the username or the person's name.")), target)
    try:
        if form.username.data:
            user = accounts.find_user(form.username.data)
            if user is None:
                raise MeetingError(_("There is no account with this username."))
            services.tick_attendance(found, current_user, user=user)
        else:
            services.tick_attendance(found, current_user, person=services.PersonValues(
                name=form.name.data or "", designation=form.designation.data or "",
                office_text=form.office_text.data or ""))
    except MeetingError as refused:
        return _refused(refused, target)
    db.session.commit()
    flash(_("Marked present."), "success")
    return redirect(target)


@bp.post("/<int:meeting_id>/attendance/<int:attendance_id>/remove")
@role_required(*STAFF)
def untick(meeting_id: int, attendance_id: int):
    """Take a presence off the list."""
    found = meeting_or_404(meeting_id, "keep")
    target = url_for(".attendance", meeting_id=found.id)
    row = next((a for a in found.attendances if a.id == attendance_id), None)
    if row is None:
        abort(404)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.remove_attendance(found, current_user, row)
    except MeetingError as refused:
        return _refused(refused, target)
    db.session.commit()
    flash(_("Taken off the list."), "success")
    return redirect(target)


# Minutes

def _directive_form(meeting: Meeting, formdata=True) -> DirectiveForm:
    form = DirectiveForm() if formdata else DirectiveForm(formdata=None)
    form.agenda_item_id.choices = [(0, "—")] + [(i.id, f"{i.position}. {i.title}") for i in meeting.agenda_items]
    form.owner_office_id.choices = _office_choices()
    indicators = []
    if meeting.series.campaign_id is not None:
        indicators = list(db.session.scalars(select(Indicator).where(
            Indicator.campaign_id == meeting.series.campaign_id).order_by(Indicator.id)))
    form.indicator_id.choices = [(0, "—")] + [(i.id, i.text("name")) for i in indicators]
    return form


@bp.get("/<int:meeting_id>/minutes")
@role_required(*STAFF)
def minutes(meeting_id: int):
    """The minutes: per agenda item the discussion and decisions (a form for those who keep them), its
    directives, and finalising."""
    found = meeting_or_404(meeting_id)
    keeper = services.may_keep_minutes(current_user, found)
    forms = {}
    for item in found.agenda_items:
        current = item.current_minutes
        forms[item.id] = MinutesForm(formdata=None, data=dict(
            discussion_hi=current.discussion_hi, decisions_hi=current.decisions_hi,
            discussion_en=current.discussion_en, decisions_en=current.decisions_en) if current else {})
    return render_template("meetings/minutes.html", meeting=found, keeper=keeper, forms=forms,
                           finaliser=services.may_finalise(current_user, found),
                           directive_form=_directive_form(found, formdata=False), confirm=ConfirmForm(formdata=None),
                           present=services.present(found), priorities=Priority)


@bp.post("/<int:meeting_id>/minutes/<int:item_id>")
@role_required(*STAFF)
def write_minutes(meeting_id: int, item_id: int):
    """Save an item's minutes as a new revision; once final, only a correction with its reason (the chair's
    office)."""
    found = meeting_or_404(meeting_id, "keep")
    item = _item_or_404(found, item_id)
    target = url_for(".minutes", meeting_id=found.id) + f"#item-{item.id}"
    form = MinutesForm()
    if not form.validate_on_submit():
        return _refused(MeetingError(_("The minutes are too long.")), target)
    values = services.MinutesValues(discussion_hi=form.discussion_hi.data or "",
                                    decisions_hi=form.decisions_hi.data or "",
                                    discussion_en=form.discussion_en.data or "",
                                    decisions_en=form.decisions_en.data or "")
    try:
        if found.finalised:
            if not form.reason.data:
                raise MeetingError(_("The minutes of this meeting are final and locked: a change is a correction "
                                     "with its reason."))
            services.correct_minutes(item, current_user, values, form.reason.data)
        else:
            services.write_minutes(item, current_user, values)
    except MeetingError as refused:
        return _refused(refused, target)
    db.session.commit()
    flash(_("The minutes were saved."), "success")
    return redirect(target)


@bp.get("/<int:meeting_id>/minutes/<int:item_id>/revisions")
@role_required(*STAFF)
def revisions(meeting_id: int, item_id: int):
    """Every revision of an item's minutes, the latest first, corrections with their reasons."""
    found = meeting_or_404(meeting_id)
    item = _item_or_404(found, item_id)
    return render_template("meetings/revisions.html", meeting=found, item=item,
                           revisions=list(reversed(item.revisions)))


@bp.post("/<int:meeting_id>/directives")
@role_required(*STAFF)
def add_directive(meeting_id: int):
    """Give a directive under an agenda item (owner office required; a due date or within N days)."""
    found = meeting_or_404(meeting_id, "keep")
    target = url_for(".minutes", meeting_id=found.id) + "#directives"
    form = _directive_form(found)
    if not form.validate_on_submit():
        return _refused(MeetingError(_("Check the directive: the days are a whole number, the targets too.")),
                        target)
    try:
        directives.create_directive(found, directives.DirectiveValues(
            owner_office_id=form.owner_office_id.data or None, text_hi=form.text_hi.data or "",
            text_en=form.text_en.data or "", due_on=form.due_on.data, within_days=form.within_days.data,
            priority=Priority(form.priority.data), agenda_item_id=form.agenda_item_id.data or None,
            indicator_id=form.indicator_id.data or None, target_value=form.target_value.data,
            target_percent=form.target_percent.data), current_user)
    except MeetingError as refused:
        return _refused(refused, target)
    db.session.commit()
    flash(_("The directive was added."), "success")
    return redirect(target)


@bp.post("/<int:meeting_id>/finalise")
@role_required(*STAFF)
def finalise(meeting_id: int):
    """Finalise the minutes (the chair's office): they are then locked."""
    found = meeting_or_404(meeting_id, "finalise")
    target = url_for(".minutes", meeting_id=found.id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        services.finalise_minutes(found, current_user)
    except MeetingError as refused:
        return _refused(refused, target)
    db.session.commit()
    flash(_("The minutes are final."), "success")
    return redirect(target)


def minutes_pdf_bytes(meeting: Meeting) -> bytes:
    """Lay out the minutes (कार्यवाही विवरण) on A4, in Hindi."""
    by_item: dict[int | None, list] = {}
    for directive in meeting.directives:
        by_item.setdefault(directive.agenda_item_id, []).append(directive)
    return render_pdf("meetings/minutes_pdf.html", "meeting-minutes.css", locale=PDF_LOCALE, actual_text=True,
                      meeting=meeting,
                      present=services.present(meeting), by_item=by_item, carried=services.carried_directives(meeting),
                      start=meeting.starts_at.astimezone(clock.IST), end=meeting.ends_at.astimezone(clock.IST),
                      footer=f"{meeting.series.code}/{meeting.number:02d}")


@bp.get("/<int:meeting_id>/minutes.pdf")
@role_required(*STAFF)
def minutes_pdf(meeting_id: int):
    """The minutes as the department prints them, as PDF."""
    found = meeting_or_404(meeting_id)
    name = f"minutes-{found.series.code}-{found.number:02d}.pdf"
    return Response(minutes_pdf_bytes(found), mimetype="application/pdf",
                    headers={"Content-Disposition": f'inline; filename="{name}"'})
