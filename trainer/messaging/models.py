"""The outbox (every message Trainer sends, the source of truth), receipts, SMS received, templates as edited,
programmes' reminders and broadcasts."""
import enum
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.core.database import UtcDateTime, enum_column, utc_now
from trainer.extensions import db
from trainer.messaging.kinds import Channel, MessageKind


class MessageState(enum.StrEnum):
    """queued → sending → sent → delivered → read; retrying (a temporary failure, tried again later); failed
    (refused for good, or given up); unknown (a sender stopped while the provider had the message: it may have
    gone, so it is not sent again by itself)."""

    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    DELIVERED = "delivered"
    READ = "read"
    RETRYING = "retrying"
    FAILED = "failed"
    UNKNOWN = "unknown"

    @property
    def label(self):
        return STATE_LABELS[self]


STATE_LABELS = {
    MessageState.QUEUED: _l("Queued"),
    MessageState.SENDING: _l("Sending"),
    MessageState.SENT: _l("Sent"),
    MessageState.DELIVERED: _l("Delivered"),
    MessageState.READ: _l("Read"),
    MessageState.RETRYING: _l("Will be tried again"),
    MessageState.FAILED: _l("Failed"),
    MessageState.UNKNOWN: _l("Outcome unknown"),
}
WAITING = (MessageState.QUEUED, MessageState.RETRYING)
# How far a message has got; a receipt never takes it back (a late "sent" after "read" changes nothing).
PROGRESS = {MessageState.SENT: 1, MessageState.DELIVERED: 2, MessageState.READ: 3}


class OutboxMessage(db.Model):
    """One message to one recipient, through one channel. Never sent twice: its idempotency key (kind,
    recipient, subject) is unique, and only the sender that claimed it may send it."""

    __tablename__ = "outbox_messages"
    __table_args__ = (
        UniqueConstraint("channel", "provider_message_id"),
        Index("ix_outbox_messages_due", "state", "next_attempt_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    idempotency_key: Mapped[str] = mapped_column(String(200), unique=True)
    kind: Mapped[MessageKind] = mapped_column(enum_column(MessageKind, 30))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    language: Mapped[str] = mapped_column(String(2), default="hi")
    contact_id: Mapped[int | None] = mapped_column(ForeignKey("contacts.id", ondelete="SET NULL"), index=True)
    gram_panchayat_id: Mapped[int | None] = mapped_column(ForeignKey("gram_panchayats.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    # The mobile number (10 digits) or e-mail address it goes to: personal data, shown masked.
    address: Mapped[str] = mapped_column(String(254))
    session_id: Mapped[int | None] = mapped_column(ForeignKey("training_sessions.id", ondelete="SET NULL"), index=True)
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id", ondelete="SET NULL"), index=True)
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("message_broadcasts.id", ondelete="SET NULL"),
                                                     index=True)
    text: Mapped[str] = mapped_column(Text)
    subject_line: Mapped[str] = mapped_column(String(300), default="")
    parameters: Mapped[list] = mapped_column(JSON, default=list)
    # What the operator registered the text under: DLT template and sender IDs, or WhatsApp's name and language.
    registration: Mapped[dict] = mapped_column(JSON, default=dict)
    segments: Mapped[int] = mapped_column(Integer, default=0)
    state: Mapped[MessageState] = mapped_column(enum_column(MessageState), default=MessageState.QUEUED)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    next_attempt_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    lease_until: Mapped[datetime | None] = mapped_column(UtcDateTime)
    provider_message_id: Mapped[str | None] = mapped_column(String(120))
    error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    delivered_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    read_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    failed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    # Sent again by a person, after its outcome was unknown or it failed: who decided, and when.
    resent_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    resent_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    resent_by = relationship("User", foreign_keys=[resent_by_id])

    def __repr__(self) -> str:
        return f"<OutboxMessage {self.id} {self.kind} {self.channel} {self.state}>"


class MessageReceipt(db.Model):
    """A provider's word on a message (delivered, read, failed); the same word twice is kept once."""

    __tablename__ = "message_receipts"
    __table_args__ = (UniqueConstraint("channel", "provider_message_id", "status"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    provider_message_id: Mapped[str] = mapped_column(String(120))
    status: Mapped[str] = mapped_column(String(30))
    message_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id", ondelete="CASCADE"), index=True)
    error: Mapped[str] = mapped_column(String(500), default="")
    occurred_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class DailyCount(db.Model):
    """Messages claimed per channel per day (India's day), counted in the claim's own statement so that every
    worker on every machine keeps the provider's daily cap together."""

    __tablename__ = "message_daily_counts"

    channel: Mapped[str] = mapped_column(String(20), primary_key=True)
    day: Mapped[str] = mapped_column(String(10), primary_key=True)  # ISO date
    claimed: Mapped[int] = mapped_column(Integer, default=0)


class InboundSms(db.Model):
    """An SMS received on the department's number through the gateway, and what Trainer made of it."""

    __tablename__ = "inbound_sms"

    id: Mapped[int] = mapped_column(primary_key=True)
    provider_message_id: Mapped[str] = mapped_column(String(120), unique=True)
    sender: Mapped[str] = mapped_column(String(20))  # 10 digits when it is an Indian mobile
    text: Mapped[str] = mapped_column(String(500))
    received_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    outcome: Mapped[str] = mapped_column(String(30), default="")
    session_id: Mapped[int | None] = mapped_column(ForeignKey("training_sessions.id", ondelete="SET NULL"))
    gram_panchayat_id: Mapped[int | None] = mapped_column(ForeignKey("gram_panchayats.id"))
    reply_id: Mapped[int | None] = mapped_column(ForeignKey("outbox_messages.id", ondelete="SET NULL"))


class EditedTemplate(db.Model):
    """A template's text as staff edited it (the registry's text otherwise), with who and when."""

    __tablename__ = "message_templates"
    __table_args__ = (UniqueConstraint("kind", "channel", "language"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[MessageKind] = mapped_column(enum_column(MessageKind, 30))
    channel: Mapped[Channel] = mapped_column(enum_column(Channel))
    language: Mapped[str] = mapped_column(String(2))
    body: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(300), default="")
    dlt_template_id: Mapped[str] = mapped_column(String(19), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)


class ReminderKind(enum.StrEnum):
    DAY_BEFORE = "day_before"
    STARTING = "starting"
    MISSED = "missed"
    FEEDBACK = "feedback"

    @property
    def label(self):
        return REMINDER_LABELS[self]


REMINDER_LABELS = {
    ReminderKind.DAY_BEFORE: _l("The day before the division's session"),
    ReminderKind.STARTING: _l("15 minutes before, with the links"),
    ReminderKind.MISSED: _l("After a missed session, with the next chance"),
    ReminderKind.FEEDBACK: _l("Feedback reminder to GPs marked present without feedback"),
}


class ProgrammeReminder(db.Model):
    """A programme's switch for one automatic reminder (a reminder without a row is on)."""

    __tablename__ = "programme_reminders"
    __table_args__ = (UniqueConstraint("programme_id", "kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"))
    kind: Mapped[ReminderKind] = mapped_column(enum_column(ReminderKind))
    enabled: Mapped[bool] = mapped_column(default=True)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)


class Audience(enum.StrEnum):
    UNTRAINED = "untrained"
    PRESENT = "present"
    WITHOUT_FEEDBACK = "without_feedback"

    @property
    def label(self):
        return AUDIENCE_LABELS[self]


AUDIENCE_LABELS = {
    Audience.UNTRAINED: _l("GPs not yet trained in the programme"),
    Audience.PRESENT: _l("GPs marked present in the session"),
    Audience.WITHOUT_FEEDBACK: _l("GPs marked present in the session who sent no feedback"),
}


class BroadcastState(enum.StrEnum):
    SCHEDULED = "scheduled"
    QUEUED = "queued"
    CANCELLED = "cancelled"

    @property
    def label(self):
        return BROADCAST_STATE_LABELS[self]


BROADCAST_STATE_LABELS = {BroadcastState.SCHEDULED: _l("Scheduled"), BroadcastState.QUEUED: _l("Queued for sending"),
                          BroadcastState.CANCELLED: _l("Cancelled")}


class MessageBroadcast(db.Model):
    """A message a trainer or officer sent to an audience of GPs, at once or at a chosen time."""

    __tablename__ = "message_broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), index=True)
    session_id: Mapped[int | None] = mapped_column(ForeignKey("training_sessions.id", ondelete="SET NULL"))
    audience: Mapped[Audience] = mapped_column(enum_column(Audience))
    kind: Mapped[MessageKind] = mapped_column(enum_column(MessageKind, 30))
    # The area chosen (a district or block LGD unit of the sender's area; none: the sender's whole area).
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id"))
    send_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    state: Mapped[BroadcastState] = mapped_column(enum_column(BroadcastState), default=BroadcastState.SCHEDULED)
    recipients: Mapped[int] = mapped_column(Integer, default=0)  # messages queued when it was sent
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    queued_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    programme = relationship("Programme")
    session = relationship("TrainingSession")
    district = relationship("District")
    block = relationship("Block")
