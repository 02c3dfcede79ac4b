"""Webhooks of the providers (blueprint `hooks`, /hooks/…): delivery receipts, received SMS, WhatsApp's check.

Each provider signs its calls as it documents: the SMS gateway with X-Gateway-Signature (hex HMAC-SHA256 of the
body with SMS_WEBHOOK_SECRET), WhatsApp with X-Hub-Signature-256 ("sha256=" + HMAC-SHA256 of the body with the
app secret). A call without the right signature is refused (403) and changes nothing. They are exempt from CSRF
(no browser sends them) and answer quickly: the work they cause is a few statements, replies go to the outbox.
"""
import hashlib
import hmac
from datetime import UTC, datetime

from flask import Blueprint, abort, current_app, jsonify, request

from trainer.extensions import csrf, db
from trainer.messaging import inbound, receipts, tasks
from trainer.messaging.kinds import Channel

bp = Blueprint("hooks", __name__, url_prefix="/hooks")


def _signed(secret: str, header: str, prefix: str = "") -> bool:
    """Say whether the request's body carries the right HMAC-SHA256 signature in `header`."""
    given = request.headers.get(header, "")
    if not secret or not given.startswith(prefix):
        return False
    expected = hmac.new(secret.encode(), request.get_data(), hashlib.sha256).hexdigest()
    return hmac.compare_digest(given[len(prefix):], expected)


def _json_body():
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400)
    return body


def _moment(value) -> datetime | None:
    try:
        if isinstance(value, (int, float)) or (isinstance(value, str) and value.isdigit()):
            return datetime.fromtimestamp(int(value), UTC)
        moment = datetime.fromisoformat(str(value))
        return moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    except (TypeError, ValueError, OverflowError, OSError):
        return None


@bp.post("/sms/receipts")
@csrf.exempt
def sms_receipts():
    """The gateway's delivery reports: {"receipts": [{"message_id", "status", "at", "error"}…]}."""
    if not _signed(current_app.config["SMS_WEBHOOK_SECRET"], "X-Gateway-Signature"):
        abort(403)
    taken = 0
    for item in _json_body().get("receipts") or []:
        status = receipts.SMS_STATUSES.get(str(item.get("status", "")).upper()) if isinstance(item, dict) else None
        if status is None or not item.get("message_id"):
            continue
        taken += receipts.take(Channel.SMS.value, str(item["message_id"]), status, _moment(item.get("at")),
                               str(item.get("error") or ""))
    db.session.commit()
    return jsonify(taken=taken)


@bp.post("/sms/inbound")
@csrf.exempt
def sms_inbound():
    """An SMS to the department's number: {"message_id", "from", "to", "text", "received_at"}."""
    if not _signed(current_app.config["SMS_WEBHOOK_SECRET"], "X-Gateway-Signature"):
        abort(403)
    body = _json_body()
    if not body.get("message_id") or not body.get("from"):
        abort(400)
    handled = inbound.receive(str(body["message_id"]), str(body["from"]), str(body.get("text") or ""))
    db.session.commit()
    if handled.inbound is not None and handled.inbound.reply_id is not None:
        tasks.kick()
    return jsonify(outcome=handled.outcome.value)


@bp.get("/whatsapp")
def whatsapp_verify():
    """WhatsApp's check of the callback URL: echo hub.challenge when hub.verify_token is ours."""
    token = current_app.config["WHATSAPP_VERIFY_TOKEN"]
    if (request.args.get("hub.mode") == "subscribe" and token
            and hmac.compare_digest(request.args.get("hub.verify_token", ""), token)):
        return request.args.get("hub.challenge", ""), 200, {"Content-Type": "text/plain"}
    abort(403)


@bp.post("/whatsapp")
@csrf.exempt
def whatsapp_events():
    """WhatsApp's notifications: the statuses of sent messages (sent, delivered, read, failed)."""
    if not _signed(current_app.config["WHATSAPP_APP_SECRET"], "X-Hub-Signature-256", "sha256="):
        abort(403)
    taken = 0
    for entry in _json_body().get("entry") or []:
        for change in (entry.get("changes") or []) if isinstance(entry, dict) else []:
            value = change.get("value") if isinstance(change, dict) else None
            for status in (value or {}).get("statuses") or []:
                if not isinstance(status, dict):
                    continue
                state = receipts.WHATSAPP_STATUSES.get(status.get("status"))
                if state is None or not status.get("id"):
                    continue
                errors = status.get("errors") or [{}]
                error = f"{errors[0].get('code', '')} {errors[0].get('title', '')}".strip() if errors else ""
                taken += receipts.take(Channel.WHATSAPP.value, str(status["id"]), state,
                                       _moment(status.get("timestamp")), error)
    db.session.commit()
    return jsonify(taken=taken)
