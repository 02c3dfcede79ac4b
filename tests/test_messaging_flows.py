"""What people do with messages: the automatic reminders, a broadcast from its page to the district's
untrained GPs watched until delivered, marking attendance by SMS with its Hindi reply, the outbox's pages and
JSON, masked and kept to the viewer's area."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import sessions_of
from tests.messaging_standins import sms_inbound, sms_signature
from tests.test_messaging import add_contact, app, messages, provider_settings, sms, smtp, whatsapp  # noqa: F401
from trainer.attendance import services as attendance
from trainer.attendance.models import Attendance, AttendanceRevision, MarkSource
from trainer.attendance.rules import HeadCount
from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.feedback import services as feedback
from trainer.feedback.models import QuestionKind
from trainer.messaging import reminders
from trainer.messaging.kinds import Channel, MessageKind
from trainer.messaging.models import BroadcastState, InboundSms, MessageBroadcast, MessageState, ReminderKind


@pytest.fixture
def programme(make_programme):
    return make_programme(modules=2)


@pytest.fixture
def contacts(places):
    """A secretary in four GPs: two of district 111 (division 1), one of district 112, one of division 2."""
    made = {code: add_contact(places.gp(code), mobile=f"90000{code}") for code in (11111, 11112, 11211, 12111)}
    db.session.commit()
    return made


def at(monkeypatch, moment):
    monkeypatch.setattr(clock, "now", lambda: moment)


def kinds_to(kind: MessageKind) -> set[int]:
    return {m.gram_panchayat_id for m in messages() if m.kind is kind}


# Reminders


def test_the_day_before_reminder_goes_once_to_the_divisions_untrained_gps(app, programme, contacts, places,
                                                                          monkeypatch):
    first = sessions_of(programme, 1)[0]
    evening = (first.starts_at - timedelta(days=1)).astimezone(clock.IST).replace(hour=17, minute=30)
    at(monkeypatch, evening.replace(hour=16))
    assert reminders.queue_due().queued == 0  # not before 17:00 the day before
    at(monkeypatch, evening)
    queued = reminders.queue_due()
    tomorrow = {m.session_id for m in messages()}
    assert first.id in tomorrow and all(
        s.starts_at.astimezone(clock.IST).date() == first.starts_at.astimezone(clock.IST).date()
        for s in programme.sessions if s.id in tomorrow)
    assert {m.gram_panchayat_id for m in messages() if m.session_id == first.id} == {
        places.gp(code).id for code in (11111, 11112, 11211)}  # division 1's GPs, not division 2's
    assert queued.queued == len(messages()) and reminders.queue_due().queued == 0  # every five minutes, still once
    text = next(m for m in messages() if m.session_id == first.id).text
    assert "ग्राम 1111" in text and "कल" in text and f"/sessions/{first.id}" in text


def test_a_switched_off_reminder_is_not_sent(app, programme, contacts, monkeypatch):
    first = sessions_of(programme, 1)[0]
    reminders.set_enabled(programme.id, ReminderKind.STARTING, False, None)
    db.session.commit()
    at(monkeypatch, first.starts_at - timedelta(minutes=10))
    assert reminders.queue_due().queued == 0
    reminders.set_enabled(programme.id, ReminderKind.STARTING, True, None)
    db.session.commit()
    assert reminders.queue_due().queued and {m.session_id for m in messages()} == {first.id}


def test_who_missed_a_session_is_told_the_next_one_for_their_division(app, programme, contacts, places,
                                                                      monkeypatch):
    first, second = sessions_of(programme, 1)[:2]
    attendance.mark(first, places.gp(11111), HeadCount(5), MarkSource.POSTER)
    db.session.commit()
    at(monkeypatch, first.ends_at + timedelta(hours=1))
    reminders.queue_due()
    assert kinds_to(MessageKind.SESSION_MISSED) == {places.gp(11112).id, places.gp(11211).id}
    missed = next(m for m in messages() if m.kind is MessageKind.SESSION_MISSED)
    assert f"/sessions/{second.id}" in missed.text and missed.session_id == first.id


def test_feedback_reminders_go_to_gps_present_without_feedback(app, make_programme, contacts, places, monkeypatch):
    programme = make_programme(modules=1)
    feedback.add_question(programme, QuestionKind.RATING, "प्रशिक्षण कैसा लगा?")
    session = sessions_of(programme, 1)[0]
    for code in (11111, 11112):
        attendance.mark(session, places.gp(code), HeadCount(4), MarkSource.POSTER)
    db.session.commit()
    at(monkeypatch, session.ends_at + timedelta(hours=1))
    reminders.queue_due()
    assert not kinds_to(MessageKind.FEEDBACK_REMINDER)  # not within the first two hours
    at(monkeypatch, session.ends_at + timedelta(hours=3))
    reminders.queue_due()
    assert kinds_to(MessageKind.FEEDBACK_REMINDER) == {places.gp(11111).id, places.gp(11112).id}


def test_planners_switch_a_programmes_reminders_on_its_page(client, login_as, programme):
    login_as(Role.TRAINER)
    page = client.get(f"/messages/programmes/{programme.id}/reminders")
    assert page.status_code == 200 and "संभाग के सत्र से एक दिन पहले" in page.get_data(as_text=True)
    client.post(f"/messages/programmes/{programme.id}/reminders", data={"day_before": "y", "feedback": "y"})
    assert reminders.enabled(programme.id) == {ReminderKind.DAY_BEFORE: True, ReminderKind.STARTING: False,
                                               ReminderKind.MISSED: False, ReminderKind.FEEDBACK: True}


# Broadcasts


def test_a_trainer_counts_then_sends_a_broadcast_to_a_districts_untrained_gps(client, login_as, programme,
                                                                            contacts, places, sms):
    login_as(Role.TRAINER)
    session = sessions_of(programme, 1)[0]
    form = {"session": session.id, "audience": "untrained", "kind": "session_tomorrow", "place": "d111"}
    preview = client.post(f"/messages/programmes/{programme.id}/broadcast", data={**form, "action": "preview"})
    page = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "भेजने से पहले" in page
    assert '<strong>2</strong>' in page  # two GPs of district 111 have a secretary's number
    assert not messages()
    sent = client.post(f"/messages/programmes/{programme.id}/broadcast", data={**form, "action": "send"})
    assert sent.status_code == 302
    broadcast = db.session.scalar(select(MessageBroadcast))
    assert broadcast.state is BroadcastState.QUEUED and broadcast.recipients == 2
    assert {m.gram_panchayat_id for m in messages()} == {places.gp(11111).id, places.gp(11112).id}
    assert all(m.state is MessageState.SENT for m in messages()) and len(sms.delivered) == 2
    delivery = client.get(sent.headers["Location"]).get_data(as_text=True)
    assert "जिला 11" in delivery and "जिलेवार पहुँच" in delivery
    api = client.get(f"/api/v1/broadcasts/{broadcast.id}").get_json()
    assert api["districts"][0]["code"] == 111 and api["districts"][0]["states"]["sent"] == 2


def test_a_scheduled_broadcast_waits_for_its_time_and_can_be_cancelled(client, login_as, programme, contacts,
                                                                       monkeypatch):
    login_as(Role.TRAINER)
    session = sessions_of(programme, 1)[0]
    at(monkeypatch, session.starts_at - timedelta(days=2))
    day = (session.starts_at - timedelta(days=1)).astimezone(clock.IST).date()
    form = {"session": session.id, "audience": "untrained", "kind": "session_tomorrow", "place": "",
            "send_day": day.isoformat(), "send_time": "10:00", "action": "send"}
    client.post(f"/messages/programmes/{programme.id}/broadcast", data=form)
    broadcast = db.session.scalar(select(MessageBroadcast))
    assert broadcast.state is BroadcastState.SCHEDULED and not messages()
    from trainer.messaging import broadcasts
    assert broadcasts.queue_due(broadcast.send_at - timedelta(minutes=1)) == 0
    assert broadcasts.queue_due(broadcast.send_at + timedelta(seconds=1)) == 1
    assert len(messages()) == 3 and broadcasts.queue_due(broadcast.send_at + timedelta(minutes=5)) == 0
    client.post(f"/messages/broadcasts/{broadcast.id}/cancel")
    db.session.expire_all()
    assert db.session.get(MessageBroadcast, broadcast.id).state is BroadcastState.QUEUED  # too late to cancel


def test_a_broadcast_time_in_the_past_is_refused(client, login_as, programme, contacts):
    login_as(Role.TRAINER)
    session = sessions_of(programme, 1)[0]
    page = client.post(f"/messages/programmes/{programme.id}/broadcast", data={
        "session": session.id, "audience": "untrained", "kind": "session_tomorrow", "place": "",
        "send_day": "2020-01-01", "send_time": "10:00", "action": "send"})
    assert "भविष्य का समय" in page.get_data(as_text=True) and not db.session.scalar(select(MessageBroadcast))


def test_an_officer_broadcasts_only_within_their_area(client, login_as, programme, contacts, places):
    login_as(Role.BLOCK_OFFICER)  # block 1111
    session = sessions_of(programme, 1)[0]
    url = f"/messages/programmes/{programme.id}/broadcast"
    page = client.get(url).get_data(as_text=True)
    assert 'value="b1111"' in page and 'value="b1112"' not in page
    refused = client.post(url, data={"session": session.id, "audience": "untrained", "kind": "session_tomorrow",
                                     "place": "d112", "action": "send"})
    assert refused.status_code in (403, 422) and not db.session.scalar(select(MessageBroadcast))
    client.post(url, data={"session": session.id, "audience": "untrained", "kind": "session_tomorrow",
                           "place": "", "action": "send"})
    assert {m.gram_panchayat_id for m in messages()} == {places.gp(11111).id, places.gp(11112).id}


# Marking by SMS


@pytest.fixture
def open_session(programme, places, monkeypatch):
    session = sessions_of(programme, 1)[0]
    attendance.ensure_session_code(session)
    db.session.commit()
    at(monkeypatch, session.starts_at + timedelta(minutes=5))
    return session


@pytest.fixture
def access_code(places):
    code = attendance.issue_code(places.gp(11111))
    db.session.commit()
    return code


def send_sms(client, text, sender="919000011111", message_id="in-1"):
    body = sms_inbound(message_id, sender, text)
    return client.post("/hooks/sms/inbound", data=body, headers=sms_signature(body))


def test_a_secretary_marks_by_sms_and_gets_the_hindi_reply(client, open_session, access_code, contacts, places, sms):
    answer = send_sms(client, f"TRN {open_session.attendance_code} 11111 {access_code} 23")
    assert answer.get_json() == {"outcome": "recorded"}
    mark = db.session.scalar(select(Attendance))
    assert mark.gram_panchayat_id == places.gp(11111).id and mark.participants == 23 and mark.source is MarkSource.SMS
    assert db.session.scalar(select(AttendanceRevision)).source is MarkSource.SMS
    kept = db.session.scalar(select(InboundSms))
    assert access_code not in kept.text and kept.text == f"TRN {open_session.attendance_code} 11111 ******** 23"
    reply = messages()[-1]
    assert reply.kind is MessageKind.SMS_MARK_RECORDED and reply.address == "9000011111"
    assert reply.text == f"उपस्थिति दर्ज: ग्राम पंचायत ग्राम 1111, 23 प्रतिभागी, सत्र {open_session.attendance_code}।"
    assert reply.state is MessageState.SENT and sms.requests[-1]["form"]["mobile"] == "919000011111"
    # the same SMS posted again by the gateway changes nothing and is not answered twice
    assert send_sms(client, f"TRN {open_session.attendance_code} 11111 {access_code} 23").get_json() == {
        "outcome": "repeated"}
    assert len(messages()) == 1
    # a second SMS corrects the count: still one row, a new revision
    send_sms(client, f"trn {open_session.attendance_code} 11111 {access_code} ३०", message_id="in-2")
    db.session.expire_all()
    assert db.session.scalar(select(Attendance)).participants == 30
    assert len(db.session.scalars(select(AttendanceRevision)).all()) == 2


@pytest.mark.parametrize("text, outcome, reason", [
    ("hello", "not_understood", "संदेश समझ नहीं आया। प्रारूप: TRN सत्र-कोड"),
    ("TRN 000000 11111 {code} 5", "unknown_session", "सत्र कोड गलत है"),
    ("TRN {session} 12111 {code} 5", "unknown_gp", "GP कोड इस सत्र का नहीं"),
    ("TRN {session} 11111 99999999 5", "wrong_code", "एक्सेस कोड गलत है"),
    ("TRN {session} 11111 {code} 0", "bad_count", "प्रतिभागी 1 से 500 तक"),
])
def test_a_wrong_sms_gets_a_clear_hindi_reply_and_marks_nothing(client, open_session, access_code, text, outcome,
                                                                reason):
    text = text.format(session=open_session.attendance_code, code=access_code)
    assert send_sms(client, text).get_json() == {"outcome": outcome}
    assert db.session.scalar(select(Attendance)) is None
    reply = messages()[-1]
    assert reply.kind is MessageKind.SMS_MARK_REFUSED and reason in reply.text


def test_an_sms_after_the_window_is_told_attendance_is_closed(client, open_session, access_code, monkeypatch):
    at(monkeypatch, open_session.ends_at + timedelta(hours=3))
    answer = send_sms(client, f"TRN {open_session.attendance_code} 11111 {access_code} 5")
    assert answer.get_json() == {"outcome": "closed"} and db.session.scalar(select(Attendance)) is None
    assert "उपस्थिति बंद हो चुकी है" in messages()[-1].text


@pytest.mark.parametrize("language", ["hi", "en"])
def test_every_refusal_fits_in_one_dlt_variable(app, language):
    from flask_babel import force_locale

    from trainer.messaging import inbound
    from trainer.messaging.registry import SMS_VARIABLE_LENGTH
    with app.test_request_context(), force_locale(language):
        for outcome in inbound.Outcome:
            if outcome not in (inbound.Outcome.RECORDED, inbound.Outcome.OPTED_OUT, inbound.Outcome.REPEATED):
                assert len(inbound._reason(outcome)) <= SMS_VARIABLE_LENGTH, outcome


def test_wrong_codes_by_sms_are_limited_like_the_phones(client, open_session, access_code, app):
    app.config["ACCESS_CODE_LIMIT_PER_ADDRESS_AND_GP"] = "2 per 5 minutes"
    for n in range(2):
        send_sms(client, f"TRN {open_session.attendance_code} 11111 11111111 5", message_id=f"w{n}")
    answer = send_sms(client, f"TRN {open_session.attendance_code} 11111 {access_code} 5", message_id="right")
    assert answer.get_json() == {"outcome": "too_many"} and db.session.scalar(select(Attendance)) is None


def test_stop_opts_the_number_out(client, contacts):
    assert send_sms(client, "STOP", sender="+91 90000 11111").get_json() == {"outcome": "opted_out"}
    db.session.expire_all()
    assert contacts[11111].opted_out_at is not None and db.session.scalar(select(InboundSms)).outcome == "opted_out"


def test_a_forged_sms_is_refused_and_recorded_nowhere(client, open_session, access_code):
    body = sms_inbound("x", "919000011111", f"TRN {open_session.attendance_code} 11111 {access_code} 5")
    assert client.post("/hooks/sms/inbound", data=body, headers=sms_signature(body, "guess")).status_code == 403
    assert db.session.scalar(select(InboundSms)) is None and db.session.scalar(select(Attendance)) is None


# Pages and JSON


def test_the_outbox_shows_masked_numbers_of_the_viewers_area_only(client, login_as, programme, contacts, places):
    from tests.test_messaging import queue_code_message
    queue_code_message(*contacts.values())
    login_as(Role.DISTRICT_OFFICER)  # district 111
    page = client.get("/messages/").get_data(as_text=True)
    assert "90******11" in page and "9000011111" not in page
    assert "ग्राम 1111" in page and "ग्राम 1211" not in page
    listed = client.get("/api/v1/messages").get_json()
    assert listed["total"] == 2 and {m["to"] for m in listed["messages"]} == {"90******11", "90******12"}
    assert client.get("/api/v1/messages/summary").get_json()["states"]["queued"] == 2
    other = next(m for m in messages() if m.gram_panchayat_id == places.gp(12111).id)
    assert client.get(f"/messages/{other.id}").status_code == 403


def test_the_template_page_counts_sms_parts_and_refuses_a_text_that_breaks_its_registration(client, login_as):
    login_as(Role.ADMIN)
    url = "/messages/templates/access_code_reissued/sms/hi"
    page = client.get(url).get_data(as_text=True)
    assert "data-sms-count-for" in page and "एसएमएस भाग" in page
    broken = client.post(url, data={"body": "नया कोड {#var#}", "dlt_template_id": "1107000000000000011"})
    assert broken.status_code == 422 and "{#var#}" in broken.get_data(as_text=True)
    saved = client.post(url, data={"body": "ग्राम पंचायत {#var#} का नया कोड {#var#} है।",
                                   "dlt_template_id": "1107000000000000777"})
    assert saved.status_code == 302
    from trainer.messaging import templates
    edited = templates.loaded()[("access_code_reissued", "sms", "hi")]
    assert edited.body == "ग्राम पंचायत {#var#} का नया कोड {#var#} है।" and edited.dlt_template_id == "1107000000000000777"


def test_staff_send_again_a_message_whose_outcome_is_unknown(app, client, login_as, contacts, whatsapp):
    from tests.test_messaging import TIMEOUT_ANSWER, queue_code_message, short_timeout
    contact = contacts[11111]
    contact.accepts_whatsapp = True
    db.session.commit()
    short_timeout(app)
    whatsapp.fail_next("timeout", TIMEOUT_ANSWER)
    queue_code_message(contact)
    from trainer.messaging.tasks import kick
    kick()
    message = messages()[0]
    assert message.state is MessageState.UNKNOWN and message.channel is Channel.WHATSAPP
    login_as(Role.TRAINER)
    client.post(f"/messages/{message.id}/resend")
    message = messages()[0]
    assert message.state is MessageState.SENT and message.resent_by.role is Role.TRAINER and len(whatsapp.delivered) == 2
