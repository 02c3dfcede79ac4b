"""Sending the outbox: claim one message, hand it to its provider, record what became of it.

A sender claims a due message in one UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED) that also counts it
against the channel's daily cap, and commits: from then on the message is "sending", leased to this sender for
MESSAGE_LEASE_SECONDS, and no other sender can take it. It then calls the provider and commits the outcome.
So a message is sent at most once, however many workers run on however many machines:

- a worker that dies before the provider call leaves its message "sending"; when the lease lapses, the sweep
  makes it due again if its provider drops a repeated reference (the SMS gateway), and "unknown" otherwise
  (WhatsApp, e-mail: it may have gone; staff see it and may send it again);
- a job run twice, or two workers, find nothing to claim that another holds.

Temporary failures are retried with exponential back-off (or after the provider's Retry-After), at most
MESSAGE_MAX_ATTEMPTS times; permanent ones keep the provider's error. Each channel keeps its pace
(MESSAGE_RATE_<CHANNEL>, e.g. "80 per second", counted in the shared rate-limit storage) and its daily cap.
"""
import logging
import time
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import and_, func, select, update

from trainer.core import clock
from trainer.core.database import insert_on_conflict, lock_for_transaction, utc_now
from trainer.extensions import db, limiter
from trainer.messaging.models import PROGRESS, DailyCount, MessageReceipt, MessageState, OutboxMessage
from trainer.messaging.providers import Accepted, Outgoing, Refused, Retry, Unsure, providers_of

log = logging.getLogger("trainer.messaging")
OUTBOX = OutboxMessage.__table__
COUNTS = DailyCount.__table__
WAITING_VALUES = (MessageState.QUEUED.value, MessageState.RETRYING.value)


@dataclass
class Run:
    """What one sender did."""

    sent: int = 0
    retrying: int = 0
    failed: int = 0
    unknown: int = 0
    paused: dict = field(default_factory=dict)  # channel -> moment it may send again

    @property
    def handled(self) -> int:
        return self.sent + self.retrying + self.failed + self.unknown


def backoff(attempts: int) -> float:
    """Seconds before the next try after `attempts` failed ones: 30 s, 1 min, 2 min … at most an hour."""
    config = current_app.config
    return min(config["MESSAGE_RETRY_SECONDS"] * 2 ** max(0, attempts - 1), config["MESSAGE_RETRY_MAX_SECONDS"])


def claim(channel: str, now: datetime) -> dict | None:
    """Take the channel's next due message for this sender (committed), or None if none is due or the channel's
    daily cap is reached (nothing is then changed)."""
    if not _count_for_today(channel, now):
        db.session.rollback()
        return None
    due = (select(OUTBOX.c.id)
           .where(OUTBOX.c.state.in_(WAITING_VALUES), OUTBOX.c.channel == channel, OUTBOX.c.next_attempt_at <= now)
           .order_by(OUTBOX.c.next_attempt_at, OUTBOX.c.id).limit(1)
           .with_for_update(skip_locked=True).scalar_subquery())
    lease = now + timedelta(seconds=current_app.config["MESSAGE_LEASE_SECONDS"])
    row = db.session.execute(
        update(OUTBOX).where(OUTBOX.c.id == due, OUTBOX.c.state.in_(WAITING_VALUES))
        .values(state=MessageState.SENDING.value, lease_until=lease, attempts=OUTBOX.c.attempts + 1)
        .returning(OUTBOX.c.id, OUTBOX.c.idempotency_key, OUTBOX.c.address, OUTBOX.c.text, OUTBOX.c.language,
                   OUTBOX.c.subject_line, OUTBOX.c.parameters, OUTBOX.c.registration, OUTBOX.c.attempts,
                   OUTBOX.c.segments)).mappings().first()
    if row is None:
        db.session.rollback()  # the count taken for it is given back
        return None
    row = dict(row)
    db.session.commit()
    return row


def _count_for_today(channel: str, now: datetime) -> bool:
    """Count one message against the channel's daily cap; say whether it is within it (no cap: always)."""
    cap = current_app.config.get(f"MESSAGE_DAILY_CAP_{channel.upper()}") or 0
    if not cap:
        return True
    day = clock.local_day(now).isoformat()
    db.session.execute(insert_on_conflict(COUNTS).values(channel=channel, day=day, claimed=0)
                       .on_conflict_do_nothing(index_elements=["channel", "day"]))
    counted = db.session.execute(update(COUNTS).where(COUNTS.c.channel == channel, COUNTS.c.day == day,
                                                      COUNTS.c.claimed < cap)
                                 .values(claimed=COUNTS.c.claimed + 1)).rowcount
    return counted == 1


def outgoing(row: dict) -> Outgoing:
    reference = f"trn{row['id']}"
    return Outgoing(reference=reference, address=row["address"], text=row["text"], language=row["language"],
                    subject=row["subject_line"], parameters=list(row["parameters"] or []),
                    registration=dict(row["registration"] or {}), unicode=not row["text"].isascii())


def record(row: dict, outcome, provider, run: Run, now: datetime) -> None:
    """Write what the provider answered (committed)."""
    mine = and_(OUTBOX.c.id == row["id"], OUTBOX.c.state == MessageState.SENDING.value)
    if isinstance(outcome, Accepted):
        db.session.execute(update(OUTBOX).where(mine).values(
            state=MessageState.SENT.value, sent_at=now, lease_until=None, error="",
            provider_message_id=outcome.provider_message_id))
        lock_for_transaction(receipt_lock(provider.channel, outcome.provider_message_id))
        apply_early_receipts(provider.channel, outcome.provider_message_id, row["id"])
        run.sent += 1
    elif isinstance(outcome, Retry) or (isinstance(outcome, Unsure) and provider.repeats_are_dropped):
        if row["attempts"] >= current_app.config["MESSAGE_MAX_ATTEMPTS"]:
            db.session.execute(update(OUTBOX).where(mine).values(
                state=MessageState.FAILED.value, failed_at=now, lease_until=None,
                error=f"gave up after {row['attempts']} attempts: {outcome.error}"[:500]))
            run.failed += 1
        else:
            after = getattr(outcome, "after", None)
            wait = after if after is not None else backoff(row["attempts"])
            db.session.execute(update(OUTBOX).where(mine).values(
                state=MessageState.RETRYING.value, next_attempt_at=now + timedelta(seconds=wait), lease_until=None,
                error=outcome.error[:500]))
            if after is not None:  # throttled: the whole channel waits, not only this message
                run.paused[provider.channel] = time.monotonic() + after
            run.retrying += 1
    elif isinstance(outcome, Refused):
        db.session.execute(update(OUTBOX).where(mine).values(
            state=MessageState.FAILED.value, failed_at=now, lease_until=None, error=outcome.error[:500]))
        run.failed += 1
    else:
        db.session.execute(update(OUTBOX).where(mine).values(
            state=MessageState.UNKNOWN.value, lease_until=None, error=outcome.error[:500]))
        run.unknown += 1
    db.session.commit()


def receipt_lock(channel: str, provider_message_id: str) -> str:
    """The lock that a message's receipts and the record of its sending take in turn."""
    return f"receipt:{channel}:{provider_message_id[:120]}"


def apply_early_receipts(channel: str, provider_message_id: str, message_id: int) -> None:
    """Receipts that arrived before the provider's answer was recorded (fast networks do that) now apply."""
    early = db.session.scalars(select(MessageReceipt).where(
        MessageReceipt.channel == channel, MessageReceipt.provider_message_id == provider_message_id,
        MessageReceipt.message_id.is_(None))).all()
    for receipt in early:
        receipt.message_id = message_id
        apply_status(message_id, receipt.status, receipt.occurred_at, receipt.error)


def apply_status(message_id: int, status: MessageState, moment: datetime | None, error: str = "") -> None:
    """Move a message forward to delivered or read, or to failed (undelivered); never back."""
    message = db.session.get(OutboxMessage, message_id)
    moment = moment or utc_now()
    if message is None or message.state not in (*PROGRESS, MessageState.SENDING, MessageState.UNKNOWN):
        return
    status = MessageState(status)
    if status is MessageState.FAILED:
        if message.state is not MessageState.READ:
            message.state, message.failed_at, message.error = MessageState.FAILED, moment, error[:500]
        return
    if PROGRESS.get(status, 0) > PROGRESS.get(message.state, 0):
        message.state = status
        if status is MessageState.DELIVERED:
            message.delivered_at = moment
        elif status is MessageState.READ:
            message.read_at = moment
            message.delivered_at = message.delivered_at or moment


def run_sender(budget_seconds: float | None = None, channels: list[str] | None = None) -> Run:
    """Send due messages, channel by channel in turn, until none is due or the budget of time is spent."""
    providers = providers_of(current_app)
    channels = [channel for channel in (channels or providers) if channel in providers]
    budget = budget_seconds if budget_seconds is not None else current_app.config["MESSAGE_SENDER_SECONDS"]
    deadline = time.monotonic() + budget
    run = Run()
    idle = set()
    while time.monotonic() < deadline and len(idle) < len(channels):
        for channel in channels:
            if channel in idle or run.paused.get(channel, 0) > time.monotonic():
                continue
            if not _within_pace(channel):
                time.sleep(0.02)
                continue
            row = claim(channel, utc_now())
            if row is None:
                idle.add(channel)
                continue
            provider = providers[channel]
            try:
                outcome = provider.send(outgoing(row))
            except Exception as error:  # a provider's bug must not leave the message leased for nothing
                log.exception("provider %s failed on message %s", channel, row["id"])
                outcome = Unsure(f"{error.__class__.__name__} in the provider")
            record(row, outcome, provider, run, utc_now())
        # Every channel still busy is throttled: wait for the first to be free, if it is within the budget.
        waits = [run.paused.get(channel, 0) - time.monotonic() for channel in channels if channel not in idle]
        if waits and min(waits) > 0:
            if time.monotonic() + min(waits) > deadline:
                break
            time.sleep(min(waits))
    return run


def _within_pace(channel: str) -> bool:
    rate = current_app.config.get(f"MESSAGE_RATE_{channel.upper()}")
    return not rate or limiter.take(rate, "message-pace", channel)


def sweep(now: datetime | None = None) -> tuple[int, int]:
    """Deal with messages whose sender stopped (its lease lapsed): due again where a repeat is dropped by the
    provider, "unknown" elsewhere. Return (made due, made unknown); committed."""
    now = now or utc_now()
    providers = providers_of(current_app)
    repeat_safe = [name for name, provider in providers.items() if provider.repeats_are_dropped]
    stale = and_(OUTBOX.c.state == MessageState.SENDING.value, OUTBOX.c.lease_until < now)
    again = db.session.execute(update(OUTBOX).where(stale, OUTBOX.c.channel.in_(repeat_safe)).values(
        state=MessageState.RETRYING.value, next_attempt_at=utc_now(), lease_until=None,
        error="the sender stopped; sent again under the same reference")).rowcount
    unknown = db.session.execute(update(OUTBOX).where(stale, OUTBOX.c.channel.not_in(repeat_safe)).values(
        state=MessageState.UNKNOWN.value, lease_until=None,
        error="the sender stopped while sending: the message may have gone")).rowcount
    db.session.commit()
    return again, unknown


def due_count(now: datetime | None = None) -> int:
    """Count the messages waiting whose time has come."""
    return db.session.scalar(select(func.count()).select_from(OUTBOX).where(
        OUTBOX.c.state.in_(WAITING_VALUES), OUTBOX.c.next_attempt_at <= (now or utc_now())))
