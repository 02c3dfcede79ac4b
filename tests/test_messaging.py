"""Messages through the outbox and the providers' stand-ins: templates checked at start, one message per
(kind, recipient, subject), each provider's success, throttling, refusal, timeout and receipts, the sweep, the
daily cap, reminders, broadcasts, marking by SMS, and the pages and JSON that show it all."""
import json
import threading
import time
from datetime import timedelta

import pytest
from sqlalchemy import func, select, text

from tests.messaging_standins import (
    SMS_SECRET,
    WHATSAPP_SECRET,
    WHATSAPP_TOKEN,
    SmsGatewayStandIn,
    SmtpStandIn,
    WhatsAppStandIn,
    sms_receipt,
    sms_signature,
    whatsapp_signature,
    whatsapp_status,
)
from trainer.contacts.models import Contact, ContactRole
from trainer.core.database import utc_now
from trainer.extensions import db
from trainer.messaging import outbox, receipts, registry, sender
from trainer.messaging.kinds import Channel, MessageKind
from trainer.messaging.models import (
    MessageReceipt,
    MessageState,
    OutboxMessage,
)
from trainer.messaging.segments import sms_length
from trainer.messaging.tasks import kick

ENTITY_ID = "1101000000000000001"


@pytest.fixture
def sms():
    with SmsGatewayStandIn() as server:
        yield server


@pytest.fixture
def whatsapp():
    with WhatsAppStandIn() as server:
        yield server


@pytest.fixture
def smtp():
    with SmtpStandIn() as server:
        yield server


def provider_settings(sms, whatsapp, smtp) -> dict:
    return dict(SMS_GATEWAY_URL=sms.send_url, SMS_GATEWAY_API_KEY="sms-api-key", SMS_DLT_ENTITY_ID=ENTITY_ID,
                SMS_WEBHOOK_SECRET=SMS_SECRET, WHATSAPP_API_URL=whatsapp.url, WHATSAPP_PHONE_NUMBER_ID="1234567890",
                WHATSAPP_ACCESS_TOKEN=WHATSAPP_TOKEN, WHATSAPP_APP_SECRET=WHATSAPP_SECRET,
                WHATSAPP_VERIFY_TOKEN="verify-me", SMTP_HOST="127.0.0.1", SMTP_PORT=smtp.port,
                MAIL_FROM="Trainer <trainer@panchayat.example>", MESSAGE_PROVIDER_TIMEOUT=10,
                MESSAGE_DAILY_CAP_WHATSAPP=0)


@pytest.fixture
def app(make_app, sms, whatsapp, smtp):
    app = make_app(**provider_settings(sms, whatsapp, smtp))
    with app.app_context():
        yield app


# A stand-in told to time out answers after TIMEOUT_ANSWER seconds, well past the providers' SHORT_TIMEOUT, which a
# test sets before its first message is queued (each app makes its providers once); every other test waits as a
# real deployment does (10 s), so that a busy machine never turns an answer into a timeout.
SHORT_TIMEOUT, TIMEOUT_ANSWER = 2, 4


def short_timeout(app) -> None:
    app.config["MESSAGE_PROVIDER_TIMEOUT"] = SHORT_TIMEOUT


def add_contact(gp, role=ContactRole.SECRETARY, mobile="9000000001", channels=("sms",), email=None,
                language="hi", opted_out=False) -> Contact:
    contact = Contact(gram_panchayat_id=gp.id, role=role, name="सचिव", mobile=mobile, email=email,
                      language=language, accepts_sms="sms" in channels, accepts_whatsapp="whatsapp" in channels,
                      accepts_email="email" in channels, opted_out_at=utc_now() if opted_out else None)
    db.session.add(contact)
    db.session.flush()
    return contact


def recipient(contact: Contact) -> outbox.Recipient:
    channels = tuple(c for c, on in (("whatsapp", contact.accepts_whatsapp), ("sms", contact.accepts_sms),
                                     ("email", contact.accepts_email)) if on)
    return outbox.Recipient(contact.id, contact.gram_panchayat_id, None, contact.language, channels, contact.mobile,
                            contact.email)


VALUES = {"gp": "ग्राम 1111", "code": "12345678"}


def queue_code_message(*contacts, subject="t1") -> outbox.Queued:
    queued = outbox.queue_messages(MessageKind.ACCESS_CODE_REISSUED, [recipient(c) for c in contacts], subject,
                                   lambda _r: VALUES)
    db.session.commit()
    return queued


def messages() -> list[OutboxMessage]:
    db.session.expire_all()
    return list(db.session.scalars(select(OutboxMessage).order_by(OutboxMessage.id)))


# Templates and SMS parts


def test_the_shipped_templates_match_their_registration(app):
    templates = registry.load(registry.DEFAULTS)
    registry.check(templates)
    for kind in MessageKind:
        assert (kind.value, "sms", "hi") in templates and (kind.value, "sms", "en") in templates


@pytest.mark.parametrize("change, complaint", [
    ({"body": "ग्राम पंचायत {#var#} का कोड"}, "1 {#var#} but 2 registered"),
    ({"variables": ["gp", "secret"]}, "'secret' is not a variable"),
    ({"dlt_template_id": "12345"}, "19 digits"),
    ({"sender_id": "trainer"}, "6 registered capital letters"),
])
def test_a_template_that_does_not_match_its_registration_stops_the_app(make_app, tmp_path, change, complaint):
    entry = {"kind": "access_code_reissued", "channel": "sms", "language": "hi",
             "body": "ग्राम पंचायत {#var#} का नया उपस्थिति कोड {#var#} है।", "variables": ["gp", "code"],
             "dlt_template_id": "1107000000000000099", "sender_id": "PRDTRN", **change}
    path = tmp_path / "templates.json"
    path.write_text(json.dumps([entry]), encoding="utf-8")
    with pytest.raises(registry.TemplateRegistrationError, match=complaint.replace("{", r"\{").replace("}", r"\}")):
        make_app(MESSAGE_TEMPLATES_FILE=str(path))


def test_an_operators_file_replaces_the_shipped_registration(make_app, tmp_path):
    entry = {"kind": "access_code_reissued", "channel": "sms", "language": "hi",
             "body": "GP {#var#}: naya code {#var#}", "variables": ["gp", "code"],
             "dlt_template_id": "1107161234567890123", "sender_id": "MPPRDS"}
    path = tmp_path / "templates.json"
    path.write_text(json.dumps([entry]), encoding="utf-8")
    app = make_app(MESSAGE_TEMPLATES_FILE=str(path))
    found = app.extensions["message_templates"][("access_code_reissued", "sms", "hi")]
    assert found.dlt_template_id == "1107161234567890123" and found.render(VALUES).text == "GP ग्राम 1111: naya code 12345678"


def test_sms_parts_are_counted_as_the_networks_count_them():
    assert sms_length("a" * 160) == sms_length("a" * 160) and sms_length("a" * 160).segments == 1
    assert sms_length("a" * 161).segments == 2 and sms_length("a" * 306).segments == 2
    assert sms_length("a" * 307).segments == 3
    assert sms_length("[" * 80).units == 160 and sms_length("[" * 81).segments == 2  # escaped characters count twice
    assert sms_length("क" * 70).segments == 1 and sms_length("क" * 70).unicode
    assert sms_length("क" * 71).segments == 2 and sms_length("क" * 134).segments == 2
    assert sms_length("क" * 135).segments == 3


def test_a_long_variable_is_cut_to_what_dlt_allows_but_a_link_is_kept_whole(app):
    template = app.extensions["message_templates"][("feedback_reminder", "sms", "hi")]
    link = "https://trainer.example.gov.in/feedback/sessions/12345/respond"
    text = template.render({"gp": "ग" * 40, "programme": "कार्यक्रम", "link": link}).text
    assert "ग" * 29 + "…" in text and "ग" * 30 not in text and link in text


# The outbox


def test_a_message_is_queued_once_per_kind_recipient_and_subject(app, places):
    contact = add_contact(places.gp(11111))
    assert queue_code_message(contact).queued == 1
    again = queue_code_message(contact)
    assert again.queued == 0 and again.repeated == 1
    assert queue_code_message(contact, subject="t2").queued == 1
    assert len(messages()) == 2


def test_the_channel_is_the_first_the_contact_accepts_and_trainer_can_send(app, places):
    both = add_contact(places.gp(11111), mobile="9000000001", channels=("whatsapp", "sms"))
    sms_only = add_contact(places.gp(11112), mobile="9000000002", channels=("sms",))
    mail = add_contact(places.gp(11113), mobile=None, channels=("email",), email="sachiv@example.in")
    nothing = add_contact(places.gp(11121), mobile=None, channels=("sms",), email="only@example.in")
    queued = queue_code_message(both, sms_only, mail, nothing)
    assert queued.queued == 3 and queued.unreachable == 1
    assert [(m.channel, m.address) for m in messages()] == [
        (Channel.WHATSAPP, "9000000001"), (Channel.SMS, "9000000002"), (Channel.EMAIL, "sachiv@example.in")]
    sms_message = messages()[1]
    assert sms_message.segments == sms_length(sms_message.text).segments == 2
    assert sms_message.registration == {"dlt_template_id": "1107000000000000011", "sender_id": "PRDTRN"}


def test_english_contacts_get_the_english_text(app, places):
    queue_code_message(add_contact(places.gp(11111), language="en"))
    assert messages()[0].text.startswith("The new attendance code of gram panchayat")


# Sending through each provider


def test_an_sms_goes_through_the_gateway_with_its_dlt_fields(app, places, sms):
    queue_code_message(add_contact(places.gp(11111)))
    kick()
    message = messages()[0]
    assert message.state is MessageState.SENT and message.sent_at and message.attempts == 1
    form = sms.requests[0]["form"]
    assert form["mobile"] == "919000000001" and form["template_id"] == "1107000000000000011"
    assert form["entity_id"] == ENTITY_ID and form["sender"] == "PRDTRN" and form["unicode"] == "1"
    assert form["message"] == message.text and "12345678" in form["message"]
    assert message.provider_message_id == sms.delivered[form["reference"]]["message_id"]


def test_throttling_waits_as_the_gateway_asks(app, places, sms):
    sms.fail_next("throttle", 60)
    queue_code_message(add_contact(places.gp(11111)))
    before = utc_now()
    run = sender.run_sender(budget_seconds=0.3)
    message = messages()[0]
    assert run.retrying == 1 and message.state is MessageState.RETRYING and "429" in message.error
    assert before + timedelta(seconds=59) <= message.next_attempt_at <= utc_now() + timedelta(seconds=61)
    assert sender.run_sender(budget_seconds=5).sent == 0  # not due yet: a sender does not wait for it


def test_a_sender_throttled_mid_run_pauses_the_channel_and_goes_on(app, places, sms):
    sms.fail_next("throttle", 1)
    queue_code_message(add_contact(places.gp(11111)))
    run = sender.run_sender(budget_seconds=60)  # it stops as soon as nothing is due
    assert (run.retrying, run.sent) == (1, 1) and messages()[0].state is MessageState.SENT
    assert len(sms.requests) == 2 and len(sms.delivered) == 1


def test_a_permanent_refusal_keeps_the_providers_error(app, places, sms):
    sms.fail_next("refuse")
    queue_code_message(add_contact(places.gp(11111)))
    kick()
    message = messages()[0]
    assert message.state is MessageState.FAILED and "do-not-disturb" in message.error and message.failed_at
    assert not sms.delivered


def test_a_gateway_that_times_out_is_asked_again_and_delivers_once(app, places, sms, monkeypatch):
    app.config["MESSAGE_RETRY_SECONDS"] = 0
    short_timeout(app)
    sms.fail_next("timeout", TIMEOUT_ANSWER)
    queue_code_message(add_contact(places.gp(11111)))
    kick()
    message = messages()[0]
    assert message.state is MessageState.SENT and message.attempts == 2
    assert len(sms.requests) == 2 and len(sms.delivered) == 1  # the repeated reference reached no phone twice


def test_temporary_failures_back_off_and_give_up_after_the_last_attempt(app, places, sms):
    app.config.update(MESSAGE_RETRY_SECONDS=0, MESSAGE_MAX_ATTEMPTS=3)
    sms.fail_next("down", times=5)
    queue_code_message(add_contact(places.gp(11111)))
    kick()
    message = messages()[0]
    assert message.state is MessageState.FAILED and message.attempts == 3
    assert message.error.startswith("gave up after 3 attempts: gateway answered HTTP 503")
    assert sender.backoff(1) == 0


def test_backoff_doubles_up_to_its_ceiling(app):
    app.config.update(MESSAGE_RETRY_SECONDS=30, MESSAGE_RETRY_MAX_SECONDS=3600)
    assert [sender.backoff(n) for n in (1, 2, 3, 4, 8, 20)] == [30, 60, 120, 240, 3600, 3600]


def test_whatsapp_sends_the_approved_template_with_its_parameters(app, places, whatsapp):
    queue_code_message(add_contact(places.gp(11111), channels=("whatsapp",)))
    kick()
    message = messages()[0]
    body = whatsapp.requests[0]["body"]
    assert message.state is MessageState.SENT and message.provider_message_id in whatsapp.delivered
    assert body["to"] == "919000000001" and body["template"]["name"] == "trainer_access_code_reissued"
    assert body["template"]["language"] == {"code": "hi"}
    assert [p["text"] for p in body["template"]["components"][0]["parameters"]] == ["ग्राम 1111", "12345678"]


def test_a_whatsapp_timeout_is_never_sent_again_by_itself(app, places, whatsapp):
    short_timeout(app)
    whatsapp.fail_next("timeout", TIMEOUT_ANSWER)
    queue_code_message(add_contact(places.gp(11111), channels=("whatsapp",)))
    kick()
    message = messages()[0]
    assert message.state is MessageState.UNKNOWN and "may have been sent" in message.error
    sender.sweep(utc_now() + timedelta(hours=1))
    kick()
    assert messages()[0].state is MessageState.UNKNOWN and len(whatsapp.requests) == 1


def test_whatsapp_throttling_and_refusal(app, places, whatsapp):
    whatsapp.fail_next("throttle", 0)
    whatsapp.fail_next("refuse")
    queue_code_message(add_contact(places.gp(11111), channels=("whatsapp",)))
    kick()
    message = messages()[0]
    assert message.state is MessageState.FAILED and message.error.startswith("131026") and message.attempts == 2


def test_an_email_goes_over_smtp_with_its_subject_and_message_id(app, places, smtp):
    queue_code_message(add_contact(places.gp(11111), mobile=None, channels=("email",), email="sachiv@example.in"))
    kick()
    message = messages()[0]
    assert message.state is MessageState.SENT and len(smtp.received) == 1
    received = smtp.received[0]
    assert received["to"] == ["sachiv@example.in"] and f"Message-ID: <trn{message.id}@panchayat.example>" in received["data"]
    assert message.provider_message_id == f"<trn{message.id}@panchayat.example>"


def test_smtp_busy_is_retried_and_no_such_user_fails(app, places, smtp):
    app.config["MESSAGE_RETRY_SECONDS"] = 0
    smtp.fail_next("throttle")
    smtp.fail_next("refuse")
    queue_code_message(add_contact(places.gp(11111), mobile=None, channels=("email",), email="sachiv@example.in"))
    kick()
    message = messages()[0]
    assert message.state is MessageState.FAILED and message.error.startswith("550") and message.attempts == 2


def test_the_daily_cap_holds_the_rest_for_tomorrow(app, places, sms):
    app.config["MESSAGE_DAILY_CAP_SMS"] = 2
    queue_code_message(*[add_contact(places.gp(code), mobile=f"90000000{n:02d}")
                         for n, code in enumerate((11111, 11112, 11113), start=1)])
    kick()
    assert [m.state for m in messages()] == [MessageState.SENT, MessageState.SENT, MessageState.QUEUED]
    assert len(sms.delivered) == 2


def test_a_stopped_sender_s_message_is_sent_again_only_where_repeats_are_dropped(app, places, sms, whatsapp):
    sms_contact = add_contact(places.gp(11111), mobile="9000000001")
    whatsapp_contact = add_contact(places.gp(11112), mobile="9000000002", channels=("whatsapp",))
    queue_code_message(sms_contact, whatsapp_contact)
    for channel in ("sms", "whatsapp"):
        assert sender.claim(channel, utc_now()) is not None  # a sender took them, then died
    assert sender.sweep() == (0, 0)  # leases still running
    again, unknown = sender.sweep(utc_now() + timedelta(seconds=app.config["MESSAGE_LEASE_SECONDS"] + 1))
    assert (again, unknown) == (1, 1)
    kick()
    states = {m.channel: m.state for m in messages()}
    assert states == {Channel.SMS: MessageState.SENT, Channel.WHATSAPP: MessageState.UNKNOWN}
    assert not whatsapp.requests


# Receipts


def test_sms_delivery_reports_are_signed_and_a_repeat_counts_once(app, client, places, sms):
    queue_code_message(add_contact(places.gp(11111)))
    kick()
    provider_id = messages()[0].provider_message_id
    body = sms_receipt(provider_id)
    forged = client.post("/hooks/sms/receipts", data=body, headers=sms_signature(body, "not-the-secret"))
    assert forged.status_code == 403 and messages()[0].state is MessageState.SENT
    assert client.post("/hooks/sms/receipts", data=body, headers=sms_signature(body)).get_json() == {"taken": 1}
    assert client.post("/hooks/sms/receipts", data=body, headers=sms_signature(body)).get_json() == {"taken": 0}
    message = messages()[0]
    assert message.state is MessageState.DELIVERED and message.delivered_at.isoformat().startswith("2026-12-03T04:30")
    assert db.session.scalar(select(func.count(MessageReceipt.id))) == 1
    failed = sms_receipt(provider_id, "UNDELIV")
    client.post("/hooks/sms/receipts", data=failed, headers=sms_signature(failed))
    assert messages()[0].state is MessageState.FAILED


def test_a_receipt_that_arrives_before_the_gateways_answer_is_applied(app, client, places, sms):
    body = sms_receipt("gw00000001")  # the stand-in's first id, reported before Trainer records it
    client.post("/hooks/sms/receipts", data=body, headers=sms_signature(body))
    queue_code_message(add_contact(places.gp(11111)))
    kick()
    assert messages()[0].state is MessageState.DELIVERED


@pytest.mark.postgres
def test_a_receipt_taken_while_the_sender_records_the_answer_is_applied(app, places, sms):
    """The receipt's transaction has not committed when the sender records the gateway's answer: the sender
    waits for it (as the database says, not after a pause), then applies it."""
    if db.engine.dialect.name != "postgresql":
        pytest.skip("two transactions at once are PostgreSQL's; SQLite writes one transaction at a time")
    taken, outcome = threading.Event(), {}

    def webhook():
        with app.app_context():  # its own connection and transaction, as the webhook's request
            try:
                receipts.take(Channel.SMS.value, "gw00000001", MessageState.DELIVERED, None)
                taken.set()
                watcher = db.engine.connect()
                deadline = time.monotonic() + 30
                while not watcher.scalar(text("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                                              "AND NOT granted")):
                    assert time.monotonic() < deadline, "the sender never waited for the receipt"
                    watcher.rollback()
                    time.sleep(0.05)
                watcher.close()
                db.session.commit()
                outcome["result"] = "committed"
            finally:
                db.session.remove()

    queue_code_message(add_contact(places.gp(11111)))
    thread = threading.Thread(target=webhook)
    thread.start()
    assert taken.wait(30)
    kick()
    thread.join(60)
    assert outcome["result"] == "committed"
    assert messages()[0].state is MessageState.DELIVERED


def test_whatsapp_statuses_move_a_message_forward_only(app, client, places, whatsapp):
    queue_code_message(add_contact(places.gp(11111), channels=("whatsapp",)))
    kick()
    wamid = messages()[0].provider_message_id
    for status in ("delivered", "read", "delivered", "sent"):
        body = whatsapp_status(wamid, status)
        assert client.post("/hooks/whatsapp", data=body, headers=whatsapp_signature(body)).status_code == 200
    message = messages()[0]
    assert message.state is MessageState.READ and message.read_at and message.delivered_at
    body = whatsapp_status(wamid, "failed")
    assert client.post("/hooks/whatsapp", data=body, headers={"X-Hub-Signature-256": "sha256=00",
                                                              "Content-Type": "application/json"}).status_code == 403
    assert client.post("/hooks/whatsapp", data=body, headers=whatsapp_signature(body, "other")).status_code == 403


def test_whatsapp_webhook_subscription_check(client):
    answer = client.get("/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=verify-me&hub.challenge=1158201444")
    assert answer.status_code == 200 and answer.get_data(as_text=True) == "1158201444"
    assert client.get("/hooks/whatsapp?hub.mode=subscribe&hub.verify_token=wrong&hub.challenge=1").status_code == 403


def test_a_webhook_without_a_secret_configured_refuses_everything(make_app, sms, whatsapp, smtp):
    app = make_app(**{**provider_settings(sms, whatsapp, smtp), "SMS_WEBHOOK_SECRET": ""})
    body = sms_receipt("gw1")
    assert app.test_client().post("/hooks/sms/receipts", data=body, headers=sms_signature(body, "")).status_code == 403
