"""Messages for the demo: a feedback-reminder broadcast of the first programme's first held session, delivered
the way a real day goes (most delivered or read, some failed, a few still waiting), with the providers' receipts;
an SMS mark received; the programmes' automatic reminders switched off.

Deterministic, and replaced on every `flask demo`: what the outbox, the broadcast and SMS-received pages show
before any provider is configured.
"""
from datetime import timedelta

from sqlalchemy import String, delete, func, literal, select, update

from trainer.accounts.models import User
from trainer.attendance.models import Attendance
from trainer.extensions import db
from trainer.messaging import content
from trainer.messaging.kinds import Channel, MessageKind
from trainer.messaging.models import (
    Audience,
    BroadcastState,
    DailyCount,
    EditedTemplate,
    InboundSms,
    MessageBroadcast,
    MessageReceipt,
    MessageState,
    OutboxMessage,
    ProgrammeReminder,
    ReminderKind,
)
from trainer.messaging.outbox import queue_messages
from trainer.programmes.models import Programme, SessionStatus
from trainer.regions.areas import STATE
from trainer.regions.models import GramPanchayat
from trainer.reports import queries

# Of every ten messages: six delivered, two read, one failed, one still waiting to be retried.
OUTCOMES = (MessageState.DELIVERED,) * 6 + (MessageState.READ,) * 2 + (MessageState.FAILED, MessageState.RETRYING)


def ensure_demo_messages(programmes: list[Programme]) -> int:
    """Replace the demo's messages; return how many are in the outbox."""
    for model in (MessageReceipt, InboundSms, OutboxMessage, MessageBroadcast, ProgrammeReminder, DailyCount,
                  EditedTemplate):
        db.session.execute(delete(model))
    held = [s for p in programmes for s in p.sessions if s.status is SessionStatus.COMPLETED]
    if not held:
        return 0
    session = min(held, key=lambda s: s.starts_at)
    trainer = db.session.scalar(select(User).where(User.username == "trainer"))
    broadcast = MessageBroadcast(programme_id=session.programme_id, session_id=session.id,
                                 audience=Audience.WITHOUT_FEEDBACK, kind=MessageKind.FEEDBACK_REMINDER,
                                 send_at=session.ends_at + timedelta(hours=3), state=BroadcastState.QUEUED,
                                 created_by_id=trainer.id if trainer else None,
                                 queued_at=session.ends_at + timedelta(hours=3))
    db.session.add(broadcast)
    db.session.flush()
    gp_ids = queries.gp_ids_without_feedback(session, STATE)
    if db.session.scalar(select(func.count()).select_from(gp_ids.subquery())) == 0:  # every GP answered
        broadcast.audience, gp_ids = Audience.PRESENT, queries.present_gp_ids(session, STATE)
    places = content.Places(gp_ids)
    texts = content.SessionTexts()
    recipients = content.recipients_of(gp_ids)
    queued = queue_messages(MessageKind.FEEDBACK_REMINDER, recipients, f"b{broadcast.id}", lambda r: {
        **texts.of(session, r.language, "feedback"), "gp": places.name(r.gram_panchayat_id, r.language)},
        session_id=session.id, programme_id=session.programme_id, broadcast_id=broadcast.id,
        send_at=broadcast.send_at, channels=[Channel.WHATSAPP, Channel.SMS])
    broadcast.recipients = queued.queued
    _deliver(broadcast)
    _sms_mark(session)
    # The demo's reminders start switched off (a programme's Reminders page switches them on): on, the worker
    # would send the thousands due at once to `make run`'s sandbox.
    db.session.add_all(ProgrammeReminder(programme_id=programme.id, kind=kind, enabled=False)
                       for programme in programmes for kind in ReminderKind)
    db.session.flush()
    return queued.queued


def _deliver(broadcast: MessageBroadcast) -> None:
    """Give the broadcast's messages their outcomes, and the receipts that brought them."""
    table = OutboxMessage.__table__
    sent_at = broadcast.send_at + timedelta(minutes=2)
    ids = db.session.scalars(select(OutboxMessage.id).where(OutboxMessage.broadcast_id == broadcast.id)
                             .order_by(OutboxMessage.id)).all()
    for outcome in set(OUTCOMES):
        chosen = [i for n, i in enumerate(ids) if OUTCOMES[n % len(OUTCOMES)] is outcome]
        if not chosen:
            continue
        values = {"state": outcome.value, "attempts": 1, "sent_at": sent_at,
                  "provider_message_id": literal("demo-") + table.c.id.cast(String)}
        if outcome in (MessageState.DELIVERED, MessageState.READ):
            values["delivered_at"] = sent_at + timedelta(seconds=40)
        if outcome is MessageState.READ:
            values["read_at"] = sent_at + timedelta(minutes=25)
        if outcome is MessageState.FAILED:
            values.update(failed_at=sent_at + timedelta(minutes=1), error="UNDELIV: handset switched off")
        if outcome is MessageState.RETRYING:
            values = {"state": outcome.value, "attempts": 2, "error": "gateway answered HTTP 503",
                      "next_attempt_at": sent_at + timedelta(minutes=5)}
        for start in range(0, len(chosen), 500):
            db.session.execute(update(table).where(table.c.id.in_(chosen[start:start + 500])).values(**values))
    db.session.execute(MessageReceipt.__table__.insert().from_select(
        ["channel", "provider_message_id", "message_id", "occurred_at", "status", "error", "received_at"],
        select(table.c.channel, table.c.provider_message_id, table.c.id, table.c.delivered_at,
               literal(MessageState.DELIVERED.value), literal(""), table.c.delivered_at)
        .where(table.c.broadcast_id == broadcast.id, table.c.delivered_at.is_not(None))))
    db.session.add(DailyCount(channel=Channel.SMS.value, day=sent_at.date().isoformat(), claimed=len(ids)))


def _sms_mark(session) -> None:
    """An SMS mark received from a secretary without a smartphone, as the gateway posted it."""
    found = db.session.execute(select(Attendance, GramPanchayat.lgd_code)
                               .join(GramPanchayat, GramPanchayat.id == Attendance.gram_panchayat_id)
                               .where(Attendance.session_id == session.id).order_by(Attendance.id).limit(1)).first()
    if found is None:
        return
    mark, gp_code = found
    db.session.add(InboundSms(provider_message_id="demo-in-1", sender="9000000001",
                              text=f"TRN {session.attendance_code or '000000'} {gp_code} ******** {mark.participants}",
                              received_at=session.starts_at + timedelta(minutes=20), outcome="recorded",
                              session_id=session.id, gram_panchayat_id=mark.gram_panchayat_id))
