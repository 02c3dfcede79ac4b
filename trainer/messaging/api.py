"""The outbox and broadcasts as JSON, for signed-in staff, limited to their area (nested in /api/v1).
Addresses are masked, as on the pages; docs/openapi.json describes every endpoint."""
from flask import Blueprint, current_app, jsonify
from flask_babel import gettext as _
from sqlalchemy import select

from trainer.contacts.services import mask_email, mask_mobile
from trainer.core.api import api_bp, forbidden, not_found, staff_only
from trainer.core.urls import page_arg
from trainer.extensions import db
from trainer.messaging import access, broadcasts
from trainer.messaging.models import MessageBroadcast, MessageState, OutboxMessage
from trainer.messaging.outbox import counts_by_state
from trainer.regions.models import GramPanchayat

bp = Blueprint("messages_api", __name__)
api_bp.register_blueprint(bp)


def _moment(value):
    return value.isoformat() if value is not None else None


def _message(message: OutboxMessage, gp_codes: dict[int, int]) -> dict:
    address = message.address or ""
    return {"id": message.id, "kind": message.kind.value, "channel": message.channel.value,
            "language": message.language, "state": message.state.value,
            "to": mask_email(address) if "@" in address else mask_mobile(address),
            "gram_panchayat_code": gp_codes.get(message.gram_panchayat_id), "session_id": message.session_id,
            "broadcast_id": message.broadcast_id, "segments": message.segments, "attempts": message.attempts,
            "error": message.error or None, "queued_at": _moment(message.created_at),
            "sent_at": _moment(message.sent_at), "delivered_at": _moment(message.delivered_at),
            "read_at": _moment(message.read_at), "failed_at": _moment(message.failed_at)}


@bp.get("/messages")
@staff_only
def messages():
    """The outbox, newest first, a page at a time; filters state, channel, kind, broadcast as on the page."""
    conditions, _chosen = access.message_filters()
    per_page = current_app.config["MESSAGES_PAGE_SIZE"]
    page = db.paginate(select(OutboxMessage).where(*conditions).order_by(OutboxMessage.id.desc()),
                       page=page_arg(strict=True), per_page=per_page, error_out=False)
    ids = {m.gram_panchayat_id for m in page.items if m.gram_panchayat_id is not None}
    codes = dict(db.session.execute(select(GramPanchayat.id, GramPanchayat.lgd_code)
                                    .where(GramPanchayat.id.in_(ids))).all()) if ids else {}
    return jsonify(page=page.page, per_page=per_page, pages=page.pages, total=page.total,
                   messages=[_message(m, codes) for m in page.items])


@bp.get("/messages/summary")
@staff_only
def summary():
    """How many messages of the viewer's area are in each state."""
    counts = counts_by_state(access.messages_in_area())
    return jsonify(states={state.value: counts.get(state, 0) for state in MessageState},
                   total=sum(counts.values()))


@bp.get("/broadcasts/<int:broadcast_id>")
@staff_only
def broadcast(broadcast_id: int):
    """A broadcast and its delivery by district."""
    found = db.session.get(MessageBroadcast, broadcast_id)
    if found is None:
        return not_found(_("There is no such broadcast."))
    if not access.may_see_broadcast(found):
        return forbidden(_("This broadcast does not reach your area."))
    condition = access.delivery_condition(found)
    return jsonify(
        id=found.id, programme_id=found.programme_id, session_id=found.session_id, kind=found.kind.value,
        audience=found.audience.value, state=found.state.value, send_at=_moment(found.send_at),
        recipients=found.recipients,
        districts=[{"code": d.lgd_code, "name_hi": d.name_hi, "name_en": d.name_en, "total": d.total,
                    "states": {state.value: d.counts.get(state, 0) for state in MessageState}}
                   for d in broadcasts.delivery_by_district(condition)])
