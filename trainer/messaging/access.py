"""Which messages and broadcasts a viewer may see: the pages and their JSON twins ask here.

Staff see the messages to GPs of their area (state-wide staff: every message); a broadcast, when it went to a
district or block of their area (or one containing it), or when they sent it.
"""
from flask import request
from flask_login import current_user
from sqlalchemy import select

from trainer.messaging.kinds import Channel, MessageKind
from trainer.messaging.models import MessageBroadcast, MessageState, OutboxMessage
from trainer.regions.models import GramPanchayat


def messages_in_area():
    """A condition keeping the messages to GPs of the viewer's area; None for state-wide staff."""
    area = current_user.area
    if area.is_state:
        return None
    return OutboxMessage.gram_panchayat_id.in_(select(GramPanchayat.id).where(area.condition(GramPanchayat)))


def message_filters() -> tuple[list, dict]:
    """The conditions of the outbox's filters (?state, ?channel, ?kind, ?broadcast) within the viewer's area, and
    the filters as chosen (values that are no filter are ignored)."""
    conditions = [c for c in (messages_in_area(),) if c is not None]
    state, channel, kind = request.args.get("state", ""), request.args.get("channel", ""), request.args.get("kind", "")
    if state in {s.value for s in MessageState}:
        conditions.append(OutboxMessage.state == state)
    if channel in {c.value for c in Channel}:
        conditions.append(OutboxMessage.channel == channel)
    if kind in {k.value for k in MessageKind}:
        conditions.append(OutboxMessage.kind == kind)
    broadcast_id = request.args.get("broadcast", "")
    if broadcast_id.isascii() and broadcast_id.isdecimal() and len(broadcast_id) < 10:
        conditions.append(OutboxMessage.broadcast_id == int(broadcast_id))
    return conditions, {"state": state, "channel": channel, "kind": kind, "broadcast": broadcast_id}


def may_see_broadcast(broadcast: MessageBroadcast) -> bool:
    area = current_user.area
    place = broadcast.block or broadcast.district
    return area.is_state or (place is not None and area.contains(place)) or broadcast.created_by_id == current_user.id


def delivery_condition(broadcast: MessageBroadcast):
    """The broadcast's messages that the viewer may see."""
    condition = OutboxMessage.broadcast_id == broadcast.id
    in_area = messages_in_area()
    return condition if in_area is None else condition & in_area
