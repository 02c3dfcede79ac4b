"""Marking attendance by SMS, for a panchayat without a smartphone.

The secretary sends `TRN <session code> <GP code> <access code> <participants>` (SMS_KEYWORD, Devanagari digits
welcome) to the department's number; the gateway posts it to /hooks/sms/inbound. It is checked exactly as the
phone's form is — the session markable and its window open, the GP one of the session's divisions, its access
code right within the same limits (counted for the sending number), the head-count within bounds — recorded
with source "SMS" (one row per GP per session, a revision in the history), and answered by SMS in the contact's
language, Hindi by default. `STOP` opts the number out of every message.
"""
import enum
from dataclasses import dataclass

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import select

from trainer.attendance import limits, rules, services, session_facts
from trainer.attendance.models import MarkSource
from trainer.attendance.rules import HeadCount, WindowState
from trainer.contacts import services as contacts
from trainer.core import clock
from trainer.core.bounds import database_int
from trainer.core.i18n import format_number
from trainer.extensions import db
from trainer.messaging import outbox
from trainer.messaging.kinds import Channel, MessageKind
from trainer.messaging.models import InboundSms
from trainer.messaging.providers import providers_of

DEVANAGARI_DIGITS = str.maketrans("०१२३४५६७८९", "0123456789")
STOP_WORDS = {"STOP", "STOPALL", "UNSUBSCRIBE", "बंद"}


class Outcome(enum.StrEnum):
    RECORDED = "recorded"
    NOT_UNDERSTOOD = "not_understood"
    UNKNOWN_SESSION = "unknown_session"
    NOT_OPEN = "not_open"
    CLOSED = "closed"
    UNKNOWN_GP = "unknown_gp"
    WRONG_CODE = "wrong_code"
    TOO_MANY = "too_many"
    BAD_COUNT = "bad_count"
    OPTED_OUT = "opted_out"
    REPEATED = "repeated"


@dataclass
class Handled:
    inbound: InboundSms | None
    outcome: Outcome
    reply: str = ""


def parse(text: str) -> tuple[str, str, str, str] | None:
    """Read `TRN <session code> <GP code> <access code> <participants>`; None if it is not that."""
    words = " ".join(text.translate(DEVANAGARI_DIGITS).replace(",", " ").split()).split(" ")
    keyword = current_app.config["SMS_KEYWORD"].upper()
    if len(words) != 5 or words[0].upper() != keyword:
        return None
    return words[1], words[2], words[3], words[4]


def receive(provider_message_id: str, sender: str, text: str) -> Handled:
    """Record one received SMS and act on it, once per gateway id; queue the reply. Does not commit."""
    if db.session.scalar(select(InboundSms.id).where(InboundSms.provider_message_id == provider_message_id)):
        return Handled(None, Outcome.REPEATED)
    mobile = contacts.normalise_mobile(sender) or sender[-20:]
    text = " ".join((text or "").replace("\x00", "").split())[:500]
    inbound = InboundSms(provider_message_id=provider_message_id[:120], sender=mobile, text=without_code(text))
    db.session.add(inbound)
    db.session.flush()
    if text.upper() in STOP_WORDS:
        contacts.opt_out(mobile, "sms")
        inbound.outcome = Outcome.OPTED_OUT
        return Handled(inbound, Outcome.OPTED_OUT)
    outcome, values = _mark(inbound, text, mobile)
    inbound.outcome = outcome.value
    language = _language_of(mobile)
    with force_locale(language):
        if outcome is Outcome.RECORDED:
            kind, reply_values = MessageKind.SMS_MARK_RECORDED, values
        else:
            kind, reply_values = MessageKind.SMS_MARK_REFUSED, {"reason": _reason(outcome)}
    _queue_reply(inbound, kind, mobile, language, reply_values)
    return Handled(inbound, outcome, reply_values.get("reason", ""))


def without_code(text: str) -> str:
    """The SMS as it is kept: a marking SMS's access code hidden (only its keyed hash is ever stored)."""
    parsed = parse(text)
    if parsed is None:
        return text
    return " ".join([current_app.config["SMS_KEYWORD"], parsed[0], parsed[1], "*" * len(parsed[2]), parsed[3]])


def _mark(inbound: InboundSms, text: str, mobile: str) -> tuple[Outcome, dict]:
    parsed = parse(text)
    if parsed is None:
        return Outcome.NOT_UNDERSTOOD, {}
    session_code, gp_code, access_code, participants = parsed
    address = f"sms:{mobile}"
    if not limits.take_session_code_attempt(address):
        return Outcome.TOO_MANY, {}
    session = services.session_by_code(session_code)
    facts = session_facts.facts_of(session.id) if session is not None else None
    shown_code = session.attendance_code if session is not None else ""
    if facts is None or not rules.can_be_marked(facts):
        return Outcome.UNKNOWN_SESSION, {}
    limits.give_back_session_code_attempt(address)
    inbound.session_id = facts.id
    moment = clock.now()
    state = rules.window_state(facts, moment)
    if state is not WindowState.OPEN:
        return (Outcome.NOT_OPEN if state is WindowState.EARLY else Outcome.CLOSED), {}
    number = database_int(gp_code)
    found = services.find_candidates(facts.id, str(number)) if number is not None else []
    if len(found) != 1 or found[0].lgd_code != number:
        return Outcome.UNKNOWN_GP, {}
    gp = found[0]
    inbound.gram_panchayat_id = gp.id
    if not limits.take_code_attempt(gp.id, address):
        return Outcome.TOO_MANY, {}
    if not services.code_is_right(gp.id, gp.code_hash, access_code):
        return Outcome.WRONG_CODE, {}
    limits.give_back_code_attempt(gp.id, address)
    count = database_int(participants)
    head_count = HeadCount(count if count is not None else 0)
    if head_count.problems():
        return Outcome.BAD_COUNT, {}
    marked = services.mark_if_still_open(facts, gp.id, head_count, MarkSource.SMS, None, moment)
    if marked is None:
        return Outcome.CLOSED, {}
    return Outcome.RECORDED, {"gp": gp.name_hi, "participants": format_number(marked.participants),
                              "session": shown_code}


def _reason(outcome: Outcome) -> str:
    """Why nothing was recorded, short enough for a DLT variable (30 characters)."""
    return {
        Outcome.NOT_UNDERSTOOD: _("message not understood"),
        Outcome.UNKNOWN_SESSION: _("no session has this code"),
        Outcome.NOT_OPEN: _("attendance not open yet"),
        Outcome.CLOSED: _("attendance is closed"),
        Outcome.UNKNOWN_GP: _("GP code not of this session"),
        Outcome.WRONG_CODE: _("the access code is wrong"),
        Outcome.TOO_MANY: _("too many wrong codes, wait"),
        Outcome.BAD_COUNT: _("participants: 1 to %(max)s", max=rules.PARTICIPANTS.maximum),
    }[outcome]


def _language_of(mobile: str) -> str:
    points = contacts.contact_points_of_gps(contacts.gps_of_mobile(mobile)) if mobile.isdigit() else []
    for point in points:
        if point.mobile == mobile:
            return point.language
    return "hi"


def _queue_reply(inbound: InboundSms, kind: MessageKind, mobile: str, language: str, values: dict) -> None:
    if Channel.SMS.value not in providers_of(current_app) or not mobile.isdigit():
        return
    recipient = outbox.Recipient(None, inbound.gram_panchayat_id, None, language, (Channel.SMS.value,), mobile)
    outbox.queue_messages(kind, [recipient], f"in{inbound.id}", lambda _r: values,
                          session_id=inbound.session_id, channels=[Channel.SMS])
    inbound.reply_id = db.session.scalar(select(outbox.OutboxMessage.id).where(
        outbox.OutboxMessage.idempotency_key == outbox.idempotency_key(kind, recipient, f"in{inbound.id}")))
