"""Delivery receipts from the providers: each word kept once, applied to its message, never taking it back."""
from datetime import datetime

from sqlalchemy import select, update

from trainer.core.database import insert_on_conflict, lock_for_transaction, utc_now
from trainer.extensions import db
from trainer.messaging.models import MessageReceipt, MessageState, OutboxMessage
from trainer.messaging.sender import apply_status, receipt_lock

# The SMS gateway's delivery report statuses (the operators' DLR codes), and WhatsApp's status values.
SMS_STATUSES = {"DELIVRD": MessageState.DELIVERED, "UNDELIV": MessageState.FAILED, "EXPIRED": MessageState.FAILED,
                "REJECTD": MessageState.FAILED, "DELETED": MessageState.FAILED}
WHATSAPP_STATUSES = {"sent": MessageState.SENT, "delivered": MessageState.DELIVERED, "read": MessageState.READ,
                     "failed": MessageState.FAILED}


def take(channel: str, provider_message_id: str, status: MessageState, occurred_at: datetime | None,
         error: str = "") -> bool:
    """Record a receipt and apply it; a receipt already taken changes nothing (say False). Does not commit.

    A receipt can race the sender's record of the provider's answer: both take the same lock, and each writes
    before it reads, so whichever comes second sees the other (see `sender.record`)."""
    lock_for_transaction(receipt_lock(channel, provider_message_id))
    taken = db.session.execute(insert_on_conflict(MessageReceipt.__table__).values(
        channel=channel, provider_message_id=provider_message_id[:120], status=status.value,
        error=error[:500], occurred_at=occurred_at, received_at=utc_now())
        .on_conflict_do_nothing(index_elements=["channel", "provider_message_id", "status"])
        .returning(MessageReceipt.__table__.c.id)).first()
    if taken is None:
        return False
    message_id = db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.channel == channel, OutboxMessage.provider_message_id == provider_message_id))
    if message_id is not None:
        db.session.execute(update(MessageReceipt).where(MessageReceipt.id == taken.id).values(message_id=message_id))
        apply_status(message_id, status, occurred_at, error)
    return True
