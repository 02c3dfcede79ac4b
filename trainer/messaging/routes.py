"""The messaging's pages (blueprint `messages`, /messages/…): the outbox, templates, reminders, broadcasts and
the SMS received. Staff see messages to the GPs of their area; planners edit templates and reminders; trainers
and officers broadcast to their area."""
from datetime import datetime, time

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import or_, select
from wtforms.fields.choices import SelectChoice

from trainer.contacts.services import mask_email, mask_mobile
from trainer.core import clock
from trainer.core.auth import require_in_area, role_required
from trainer.core.forms import ConfirmForm
from trainer.core.i18n import format_clock, format_day, localized_name
from trainer.core.roles import PLANNERS, STAFF_ROLES, Role
from trainer.core.urls import page_arg
from trainer.extensions import db
from trainer.messaging import access, broadcasts, reminders, tasks, templates
from trainer.messaging.forms import BroadcastForm, RemindersForm, TemplateForm
from trainer.messaging.kinds import Channel, MessageKind
from trainer.messaging.models import (
    Audience,
    BroadcastState,
    EditedTemplate,
    InboundSms,
    MessageBroadcast,
    MessageReceipt,
    MessageState,
    OutboxMessage,
    ReminderKind,
)
from trainer.messaging.outbox import counts_by_state
from trainer.messaging.providers import providers_of
from trainer.messaging.registry import Template
from trainer.messaging.segments import sms_length
from trainer.programmes.models import TrainingSession
from trainer.regions.areas import Area
from trainer.regions.models import Block, District, GramPanchayat
from trainer.reports import access as reports_access

bp = Blueprint("messages", __name__, url_prefix="/messages")
BROADCASTERS = (Role.ADMIN, Role.TRAINER, Role.DIRECTOR, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER)


@bp.app_template_filter("masked")
def masked(address: str | None) -> str:
    """A mobile number or e-mail address as pages other than the contacts' show it."""
    if not address:
        return "—"
    return mask_email(address) if "@" in address else mask_mobile(address)


@bp.get("/")
@role_required(*STAFF_ROLES)
def index():
    """The outbox: how many messages are in each state, and the messages themselves, newest first."""
    conditions, chosen = access.message_filters()
    area_condition = access.messages_in_area()
    query = select(OutboxMessage).where(*conditions).order_by(OutboxMessage.id.desc())
    page = db.paginate(query, page=page_arg(), per_page=_page_size(), error_out=False)
    gp_names = _gp_names({m.gram_panchayat_id for m in page.items})
    return render_template("messages/index.html", page=page, counts=counts_by_state(area_condition),
                           states=list(MessageState), channels=list(Channel), kinds=list(MessageKind),
                           chosen=chosen, gp_names=gp_names, providers=providers_of_app(),
                           args={k: v for k, v in chosen.items() if v})


def _page_size() -> int:
    return current_app.config["MESSAGES_PAGE_SIZE"]


def providers_of_app() -> list[str]:
    return sorted(providers_of(current_app))


def _gp_names(ids) -> dict[int, GramPanchayat]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {gp.id: gp for gp in db.session.scalars(select(GramPanchayat).where(GramPanchayat.id.in_(ids)))}


def _message_or_404(message_id: int) -> OutboxMessage:
    message = db.session.get(OutboxMessage, message_id)
    if message is None:
        abort(404)
    if message.gram_panchayat_id is not None:
        require_in_area(db.session.get(GramPanchayat, message.gram_panchayat_id))
    elif not current_user.area.is_state:
        abort(403)
    return message


@bp.get("/<int:message_id>")
@role_required(*STAFF_ROLES)
def message(message_id: int):
    found = _message_or_404(message_id)
    receipts = db.session.scalars(select(MessageReceipt).where(MessageReceipt.message_id == found.id)
                                  .order_by(MessageReceipt.received_at)).all()
    gp = db.session.get(GramPanchayat, found.gram_panchayat_id) if found.gram_panchayat_id else None
    return render_template("messages/message.html", message=found, receipts=receipts, gp=gp, form=ConfirmForm(),
                           can_resend=current_user.has_role(*PLANNERS)
                           and found.state in (MessageState.UNKNOWN, MessageState.FAILED))


@bp.post("/<int:message_id>/resend")
@role_required(*PLANNERS)
def resend(message_id: int):
    """Send again a message whose outcome is unknown or that failed: a person's decision, recorded on it."""
    found = _message_or_404(message_id)
    if not ConfirmForm().validate():
        abort(400)
    if found.state not in (MessageState.UNKNOWN, MessageState.FAILED):
        flash(_("Only a message that failed or whose outcome is unknown can be sent again."), "error")
        return redirect(url_for("messages.message", message_id=found.id))
    found.state, found.next_attempt_at, found.attempts = MessageState.QUEUED, clock.now(), 0
    found.resent_by_id, found.resent_at = current_user.id, clock.now()
    db.session.commit()
    tasks.kick()
    flash(_("The message is queued again."), "success")
    return redirect(url_for("messages.message", message_id=found.id))


# Templates


@bp.get("/templates")
@role_required(*PLANNERS)
def template_list():
    loaded = templates.loaded()
    rows = []
    for kind in MessageKind:
        for channel in Channel:
            for language in ("hi", "en"):
                template = loaded.get((kind.value, channel.value, language))
                if template is not None:
                    rows.append((template, sms_length(template.body) if channel is Channel.SMS else None))
    return render_template("messages/templates.html", rows=rows)


def _template_or_404(kind: str, channel: str, language: str) -> Template:
    template = templates.loaded().get((kind, channel, language))
    if template is None:
        abort(404)
    return template


@bp.route("/templates/<kind>/<channel>/<language>", methods=["GET", "POST"])
@role_required(*PLANNERS)
def template_edit(kind: str, channel: str, language: str):
    """Edit a template's text within its registration; the SMS parts are counted as it is typed."""
    template = _template_or_404(kind, channel, language)
    form = TemplateForm(data={"body": template.body, "subject": template.subject,
                              "dlt_template_id": template.dlt_template_id} if request.method == "GET" else None)
    problems = []
    if form.validate_on_submit():
        changed = Template(**{**template.__dict__, "body": form.body.data, "subject": form.subject.data or "",
                              "dlt_template_id": form.dlt_template_id.data or template.dlt_template_id})
        problems = _template_problems(changed)
        if not problems:
            edit = db.session.scalar(select(EditedTemplate).where(
                EditedTemplate.kind == template.kind, EditedTemplate.channel == template.channel,
                EditedTemplate.language == template.language))
            if edit is None:
                edit = EditedTemplate(kind=template.kind, channel=template.channel, language=template.language)
                db.session.add(edit)
            edit.body, edit.subject = changed.body, changed.subject
            edit.dlt_template_id, edit.updated_by_id = changed.dlt_template_id, current_user.id
            db.session.commit()
            flash(_("The template is saved."), "success")
            return redirect(url_for("messages.template_list"))
    elif request.method == "POST":
        problems = [error for errors in form.errors.values() for error in errors]
    length = sms_length(form.body.data or "") if template.channel is Channel.SMS else None
    return render_template("messages/template_form.html", template=template, form=form, problems=problems,
                           length=length), 422 if problems else 200


def _template_problems(template: Template) -> list[str]:
    """The registry's verdict on an edited text (trainer.messaging.registry), said in the page's language."""
    if not template.problems():
        return []
    if template.channel is Channel.SMS:
        return [_("The text must keep exactly %(count)s {#var#}, one for each registered variable: %(names)s.",
                  count=len(template.variables), names=", ".join(template.variables))]
    if template.channel is Channel.WHATSAPP:
        return [_("The text must keep the parameters {{1}} to {{%(count)s}} of the approved template.",
                  count=len(template.variables))]
    return [_("The e-mail may only use these variables, in braces: %(names)s; and it needs a subject.",
              names=", ".join("{%s}" % name for name in template.kind.variables))]


# Reminders


@bp.route("/programmes/<int:programme_id>/reminders", methods=["GET", "POST"])
@role_required(*PLANNERS)
def programme_reminders(programme_id: int):
    programme = _programme_or_refuse(programme_id)
    switches = reminders.enabled(programme.id)
    form = RemindersForm(data={kind.value: on for kind, on in switches.items()} if request.method == "GET" else None)
    if form.validate_on_submit():
        for kind in ReminderKind:
            reminders.set_enabled(programme.id, kind, form[kind.value].data, current_user.id)
        db.session.commit()
        flash(_("The reminders are saved."), "success")
        return redirect(url_for("messages.programme_reminders", programme_id=programme.id))
    return render_template("messages/reminders.html", programme=programme, form=form, kinds=list(ReminderKind))


def _programme_or_refuse(programme_id: int):
    try:
        return reports_access.reported_programme(programme_id)
    except reports_access.Refused as refused:
        abort(refused.status)


# Broadcasts


def _broadcast_sessions(programme) -> list[TrainingSession]:
    area = current_user.area
    return [s for s in programme.sessions if s.is_public and reports_access.reaches(area, s.divisions)]


def _place_choices(session: TrainingSession | None) -> list[SelectChoice]:
    """The sender's whole area, and its districts and blocks of the session's divisions."""
    area = current_user.area
    choices = [SelectChoice("", _("My whole area"))]
    if session is None:
        return choices
    division_ids = [d.id for d in session.divisions]
    districts = db.session.scalars(select(District).where(area.condition(District),
                                                          District.division_id.in_(division_ids))
                                   .order_by(District.name_hi)).all()
    for district in districts:
        if area.block_id is None:
            choices.append(SelectChoice(f"d{district.lgd_code}", localized_name(district)))
        blocks = db.session.scalars(select(Block).where(Block.district_id == district.id, area.condition(Block))
                                    .order_by(Block.name_hi)).all()
        if area.district_id is not None or area.block_id is not None:
            choices += [SelectChoice(f"b{block.lgd_code}", f"{localized_name(district)} · {localized_name(block)}")
                        for block in blocks]
    return choices


def _chosen_place(value: str):
    if not value:
        return None
    model = District if value[0] == "d" else Block
    place = reports_access.place_by_code(model, value[1:])
    if place is None:
        abort(404)
    require_in_area(place)
    return place


@bp.route("/programmes/<int:programme_id>/broadcast", methods=["GET", "POST"])
@role_required(*BROADCASTERS)
def broadcast_new(programme_id: int):
    """Choose an audience, see how many messages and SMS parts it takes, send it now or at a chosen time."""
    programme = _programme_or_refuse(programme_id)
    sessions = _broadcast_sessions(programme)
    form = BroadcastForm()
    form.session.choices = [SelectChoice(s.id, f"{s.title} · {_when(s)}") for s in sessions]
    chosen_session = next((s for s in sessions if s.id == form.session.data), sessions[0] if sessions else None)
    form.place.choices = _place_choices(chosen_session)
    preview = None
    if request.method == "POST" and form.validate():
        place = _chosen_place(form.place.data)
        area = Area.of(place) if place is not None else current_user.area
        kind, audience = MessageKind(form.kind.data), Audience(form.audience.data)
        send_at = _send_at(form)
        if send_at is False:
            form.send_time.errors = [*form.send_time.errors, _("Give a time in the future, or none to send now.")]
        elif request.form.get("action") == "send":
            broadcast = broadcasts.create(session=chosen_session, audience=audience, kind=kind, place=place,
                                          send_at=send_at, user=current_user)
            db.session.commit()
            if send_at is None:
                tasks.queue_broadcast(broadcast.id)
            flash(_("The broadcast is scheduled.") if send_at else _("The broadcast is being sent."), "success")
            return redirect(url_for("messages.broadcast", broadcast_id=broadcast.id))
        else:
            preview = broadcasts.preview(kind, audience, chosen_session, area)
    status = 422 if request.method == "POST" and (form.errors or form.send_time.errors) else 200
    return render_template("messages/broadcast_form.html", programme=programme, form=form, preview=preview,
                           sessions=sessions, providers=providers_of_app()), status


def _when(session: TrainingSession) -> str:
    return f"{format_day(session.starts_at)} {format_clock(session.starts_at)}"


def _send_at(form: BroadcastForm):
    """The moment chosen (None: now; False: a moment already past)."""
    if not form.send_day.data:
        return None
    moment = datetime.combine(form.send_day.data, form.send_time.data or time(9, 0), clock.IST)
    return moment if moment > clock.now() else False


def _broadcast_or_404(broadcast_id: int) -> MessageBroadcast:
    broadcast = db.session.get(MessageBroadcast, broadcast_id)
    if broadcast is None:
        abort(404)
    if not access.may_see_broadcast(broadcast):
        abort(403)
    return broadcast


@bp.get("/broadcasts")
@role_required(*BROADCASTERS)
def broadcast_list():
    area = current_user.area
    query = select(MessageBroadcast).order_by(MessageBroadcast.id.desc())
    if not area.is_state:
        query = query.where(or_(MessageBroadcast.created_by_id == current_user.id,
                                MessageBroadcast.district_id.in_(select(District.id).where(area.condition(District))),
                                MessageBroadcast.block_id.in_(select(Block.id).where(area.condition(Block)))))
    page = db.paginate(query, page=page_arg(), per_page=50, error_out=False)
    return render_template("messages/broadcasts.html", page=page)


@bp.get("/broadcasts/<int:broadcast_id>")
@role_required(*BROADCASTERS)
def broadcast(broadcast_id: int):
    """A broadcast's delivery, district by district (the page refreshes itself while messages are on their way)."""
    found = _broadcast_or_404(broadcast_id)
    condition = access.delivery_condition(found)
    districts = broadcasts.delivery_by_district(condition)
    counts = counts_by_state(condition)
    moving = found.state is BroadcastState.SCHEDULED or any(
        counts.get(state) for state in (MessageState.QUEUED, MessageState.SENDING, MessageState.RETRYING,
                                        MessageState.SENT))
    return render_template("messages/broadcast.html", broadcast=found, districts=districts, counts=counts,
                           states=list(MessageState), refresh=moving, form=ConfirmForm())


@bp.post("/broadcasts/<int:broadcast_id>/cancel")
@role_required(*BROADCASTERS)
def broadcast_cancel(broadcast_id: int):
    found = _broadcast_or_404(broadcast_id)
    if not ConfirmForm().validate():
        abort(400)
    if broadcasts.cancel(found):
        db.session.commit()
        flash(_("The broadcast is cancelled: nothing was sent."), "success")
    else:
        flash(_("The broadcast has already been sent; it cannot be cancelled."), "error")
    return redirect(url_for("messages.broadcast", broadcast_id=found.id))


# SMS received


@bp.get("/received")
@role_required(*PLANNERS)
def received():
    """The SMS received on the department's number, and what became of each."""
    page = db.paginate(select(InboundSms).order_by(InboundSms.id.desc()), page=page_arg(), per_page=_page_size(),
                       error_out=False)
    return render_template("messages/received.html", page=page, gp_names=_gp_names(
        {sms.gram_panchayat_id for sms in page.items}))

