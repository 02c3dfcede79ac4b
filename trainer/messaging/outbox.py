"""Putting messages in the outbox: one row per (kind, recipient, subject), whatever asks for it how often.

`queue_messages` renders each recipient's text in the contact's language through the first channel that the
contact accepts and Trainer can send (a provider configured, a template registered), and inserts the rows in
a few multi-row INSERT … ON CONFLICT DO NOTHING statements: a reminder computed again, a broadcast sent twice,
two workers racing — the idempotency key keeps one message. It does not commit and does not send; the caller
commits, then `kick()`s the senders.
"""
from dataclasses import dataclass, field
from datetime import datetime
from typing import Callable, Iterable

from flask import current_app
from sqlalchemy import func, select

from trainer.core.database import insert_on_conflict, utc_now
from trainer.extensions import db
from trainer.messaging import templates
from trainer.messaging.kinds import Channel, MessageKind
from trainer.messaging.models import MessageState, OutboxMessage
from trainer.messaging.providers import providers_of
from trainer.messaging.segments import sms_length

CHUNK = 500  # rows per INSERT: well inside SQLite's limit on a statement's parameters


@dataclass(frozen=True)
class Recipient:
    """Whom a message goes to: a contact (trainer.contacts' ContactPoint has these fields), or a bare number."""

    contact_id: int | None
    gram_panchayat_id: int | None
    user_id: int | None
    language: str
    channels: tuple[str, ...]
    mobile: str | None = None
    email: str | None = None

    @property
    def key(self) -> str:
        return f"c{self.contact_id}" if self.contact_id is not None else f"m{self.mobile or self.email}"


def recipient_of(point) -> Recipient:
    """Take a contact point (trainer.contacts.services.ContactPoint) as a recipient."""
    return Recipient(point.contact_id, point.gram_panchayat_id, point.user_id, point.language or "hi",
                     tuple(point.channels), point.mobile, point.email)


def idempotency_key(kind: MessageKind, recipient: Recipient, subject: str) -> str:
    return f"{kind.value}:{recipient.key}:{subject}"


def sendable_channels(kind: MessageKind) -> list[Channel]:
    """The channels Trainer can send this kind through now, in the order of preference."""
    configured = providers_of(current_app)
    return [channel for channel in Channel if channel.value in configured and templates.has(kind, channel)]


def choose_channel(recipient: Recipient, possible: list[Channel]) -> Channel | None:
    for channel in possible:
        if channel.value in recipient.channels and _address(recipient, channel):
            return channel
    return None


def _address(recipient: Recipient, channel: Channel) -> str | None:
    return recipient.email if channel is Channel.EMAIL else recipient.mobile


@dataclass
class Queued:
    queued: int = 0  # new rows (in a dry run: the rows that would be queued)
    repeated: int = 0  # already in the outbox under the same key
    unreachable: int = 0  # no channel that both the contact accepts and Trainer can send
    by_channel: dict = field(default_factory=dict)  # channel -> messages
    segments: int = 0  # SMS parts, what the SMS cost is counted in

    def add(self, other: "Queued") -> None:
        """Count another queueing's messages in with these (a feature queueing to several groups in turn)."""
        self.queued += other.queued
        self.repeated += other.repeated
        self.unreachable += other.unreachable
        self.segments += other.segments
        for channel, count in other.by_channel.items():
            self.by_channel[channel] = self.by_channel.get(channel, 0) + count


def queue_messages(kind: MessageKind, recipients: Iterable[Recipient], subject: str,
                   values_for: Callable[[Recipient], dict], *, session_id: int | None = None,
                   programme_id: int | None = None, broadcast_id: int | None = None,
                   send_at: datetime | None = None, channels: list[Channel] | None = None,
                   dry_run: bool = False) -> Queued:
    """Queue one message of `kind` about `subject` ("s12": session 12) to each recipient (with `dry_run`, only
    count them, by channel and in SMS parts)."""
    possible = channels if channels is not None else sendable_channels(kind)
    loaded = templates.loaded()
    result, rows = Queued(), []
    now = utc_now()
    for recipient in recipients:
        channel = choose_channel(recipient, possible)
        if channel is None:
            result.unreachable += 1
            continue
        template = templates.find(kind, channel, recipient.language, loaded)
        rendered = template.render(values_for(recipient))
        segments = sms_length(rendered.text).segments if channel is Channel.SMS else 0
        result.by_channel[channel.value] = result.by_channel.get(channel.value, 0) + 1
        result.segments += segments
        rows.append(dict(
            idempotency_key=idempotency_key(kind, recipient, subject), kind=kind.value, channel=channel.value,
            language=template.language, contact_id=recipient.contact_id,
            gram_panchayat_id=recipient.gram_panchayat_id, user_id=recipient.user_id,
            address=_address(recipient, channel), session_id=session_id, programme_id=programme_id,
            broadcast_id=broadcast_id, text=rendered.text, subject_line=rendered.subject,
            parameters=rendered.parameters, registration=template.registration,
            segments=segments,
            state=MessageState.QUEUED.value, attempts=0, next_attempt_at=send_at or now, error="", created_at=now))
    if dry_run:
        result.queued = len(rows)
        return result
    for start in range(0, len(rows), CHUNK):
        chunk = rows[start:start + CHUNK]
        inserted = len(db.session.execute(insert_on_conflict(OutboxMessage.__table__).values(chunk).on_conflict_do_nothing(
            index_elements=["idempotency_key"]).returning(OutboxMessage.__table__.c.id)).all())
        result.queued += inserted
        result.repeated += len(chunk) - inserted
    return result


def counts_by_state(condition=None) -> dict[MessageState, int]:
    query = select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)
    if condition is not None:
        query = query.where(condition)
    return {MessageState(state): count for state, count in db.session.execute(query)}
