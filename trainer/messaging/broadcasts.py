"""Broadcasts: a message of a chosen kind to an audience that Trainer already knows — GPs not yet trained,
GPs marked present, GPs without feedback — of the sender's area (or a district or block of it), about one
session, at once or at a chosen time; and how it is being delivered, district by district."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update

from trainer.accounts.models import User
from trainer.core.database import utc_now
from trainer.extensions import db
from trainer.messaging import content
from trainer.messaging.kinds import MessageKind
from trainer.messaging.models import Audience, BroadcastState, MessageBroadcast, MessageState, OutboxMessage
from trainer.messaging.outbox import Queued
from trainer.programmes.models import TrainingSession
from trainer.regions.areas import Area
from trainer.regions.models import Block, District, GramPanchayat
from trainer.reports import queries


def audience_gp_ids(audience: Audience, session: TrainingSession, area: Area):
    """Select the ids of the audience's GPs."""
    if audience is Audience.UNTRAINED:
        return queries.untrained_gp_ids(session.programme, area, session)
    if audience is Audience.PRESENT:
        return queries.present_gp_ids(session, area)
    return queries.gp_ids_without_feedback(session, area)


def _link(kind: MessageKind) -> str:
    return "feedback" if kind is MessageKind.FEEDBACK_REMINDER else "session"


def preview(kind: MessageKind, audience: Audience, session: TrainingSession, area: Area) -> tuple[int, Queued]:
    """How many GPs the audience holds, and the messages it would take (by channel, and in SMS parts)."""
    gp_ids = audience_gp_ids(audience, session, area)
    gps = db.session.scalar(select(func.count()).select_from(gp_ids.subquery()))
    planned = content.queue_to_gps(kind, gp_ids, session, content.SessionTexts(), link=_link(kind),
                                   subject="preview", dry_run=True)
    return gps, planned


def area_of(broadcast: MessageBroadcast, sender_area: Area) -> Area:
    if broadcast.block is not None:
        return Area.of(broadcast.block)
    if broadcast.district is not None:
        return Area.of(broadcast.district)
    return sender_area


def create(*, session: TrainingSession, audience: Audience, kind: MessageKind, place, send_at: datetime | None,
           user) -> MessageBroadcast:
    """Record a broadcast (scheduled); the caller commits, then queues it if it is due."""
    broadcast = MessageBroadcast(programme_id=session.programme_id, session_id=session.id, audience=audience,
                                 kind=kind, send_at=send_at or utc_now(), created_by_id=user.id,
                                 district_id=place.id if isinstance(place, District) else None,
                                 block_id=place.id if isinstance(place, Block) else None)
    db.session.add(broadcast)
    db.session.flush()
    return broadcast


def queue_now(broadcast_id: int, now: datetime | None = None) -> bool:
    """Queue a due broadcast's messages, once: the broadcast is taken from "scheduled" in the same transaction.
    Committed; say whether messages were queued."""
    now = now or utc_now()
    taken = db.session.execute(update(MessageBroadcast).where(
        MessageBroadcast.id == broadcast_id, MessageBroadcast.state == BroadcastState.SCHEDULED,
        MessageBroadcast.send_at <= now).values(state=BroadcastState.QUEUED, queued_at=now)).rowcount
    if not taken:
        db.session.rollback()
        return False
    broadcast = db.session.get(MessageBroadcast, broadcast_id)
    creator = db.session.get(User, broadcast.created_by_id) if broadcast.created_by_id else None
    area = area_of(broadcast, creator.area if creator is not None else Area())
    gp_ids = audience_gp_ids(broadcast.audience, broadcast.session, area)
    queued = content.queue_to_gps(broadcast.kind, gp_ids, broadcast.session, content.SessionTexts(),
                                  link=_link(broadcast.kind), subject=f"b{broadcast.id}", broadcast_id=broadcast.id)
    broadcast.recipients = queued.queued
    db.session.commit()
    return queued.queued > 0


def queue_due(now: datetime | None = None) -> int:
    """Queue every scheduled broadcast whose time has come (the minute's sweep)."""
    now = now or utc_now()
    due = db.session.scalars(select(MessageBroadcast.id).where(MessageBroadcast.state == BroadcastState.SCHEDULED,
                                                               MessageBroadcast.send_at <= now)).all()
    return sum(queue_now(broadcast_id, now) for broadcast_id in due)


def cancel(broadcast: MessageBroadcast) -> bool:
    """Cancel a broadcast that is not sent yet; say whether it was."""
    if broadcast.state is not BroadcastState.SCHEDULED:
        return False
    broadcast.state = BroadcastState.CANCELLED
    return True


@dataclass(frozen=True)
class DistrictDelivery:
    lgd_code: int
    name_hi: str
    name_en: str
    counts: dict  # MessageState -> messages

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def count(self, *states: MessageState) -> int:
        return sum(self.counts.get(state, 0) for state in states)


def delivery_by_district(condition) -> list[DistrictDelivery]:
    """Messages by district and state (one GROUP BY), for the messages `condition` keeps."""
    query = (select(District.lgd_code, District.name_hi, District.name_en, OutboxMessage.state, func.count())
             .select_from(OutboxMessage).join(GramPanchayat, GramPanchayat.id == OutboxMessage.gram_panchayat_id)
             .join(Block, Block.id == GramPanchayat.block_id).join(District, District.id == Block.district_id)
             .where(condition).group_by(District.lgd_code, District.name_hi, District.name_en, OutboxMessage.state)
             .order_by(District.name_hi))
    found: dict[int, DistrictDelivery] = {}
    for code, name_hi, name_en, state, count in db.session.execute(query):
        row = found.setdefault(code, DistrictDelivery(code, name_hi, name_en, {}))
        row.counts[MessageState(state)] = count
    return list(found.values())
