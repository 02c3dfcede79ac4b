"""The meetings' pages: series and meetings, invitees and the notice through the outbox, the agenda, the follow-up of
carried directives decided in the meeting, attendance by the QR's page and the secretary's ticks, minutes with their
revisions, directives, finalising and corrections, the minutes PDF, the JSON API and `flask meetings notice`.
Refusals are in Hindi and leave nothing half-written."""
import io
from datetime import UTC, date, datetime, timedelta

import pypdfium2
import pytest
from PIL import Image
from sqlalchemy import func, select

from tests.browser_support import ARTIFACTS
from tests.test_messaging import app, messages, sms, smtp, whatsapp  # noqa: F401 (fixtures: providers' stand-ins)
from trainer.contacts.services import ContactValues, save_officer_contact
from trainer.core import clock
from trainer.core.pdf import pdf_page_png
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.meetings import directives, services
from trainer.meetings.directives import DirectiveValues, ReportValues
from trainer.meetings.models import (
    AgendaKind,
    Directive,
    DirectiveStatus,
    Meeting,
    MeetingAttendance,
    MeetingSeries,
    MinutesRevision,
)
from trainer.meetings.services import MeetingValues, SeriesValues
from trainer.messaging.kinds import MessageKind
from trainer.offices import services as offices
from trainer.offices.services import OfficeValues

NOW = datetime(2026, 12, 8, 5, 0, tzinfo=UTC)  # 10:30 in Asia/Kolkata
TODAY = date(2026, 12, 8)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


class World:
    """A district's series chaired by the DC office (officer `dc`), a block office (officer `bdo`) owning directives,
    an earlier meeting with two directives (one reported done, one overdue), and a block officer of another district."""

    def __init__(self, places, make_user):
        self.chair_user = make_user("dc", Role.DISTRICT_OFFICER)
        self.owner_user = make_user("bdo", Role.BLOCK_OFFICER)
        self.stranger = make_user("stranger", Role.DISTRICT_OFFICER, area_code=121)
        self.secretary = make_user("sec", Role.BLOCK_OFFICER)
        self.chair = offices.save_office(OfficeValues("उपायुक्त कार्यालय गोड्डा", "DC office Godda", "DC",
                                                      places.district(111), phone="9876500011",
                                                      email="dc@example.gov.in"))
        self.owner = offices.save_office(OfficeValues("प्रखंड विकास कार्यालय", "Block office", "BDO-1",
                                                      places.block(1111)))
        offices.add_officer(self.chair, self.chair_user, "उपायुक्त")
        offices.add_officer(self.owner, self.owner_user, "प्रखंड विकास पदाधिकारी")
        save_officer_contact(self.owner_user, ContactValues(name="बीडीओ", mobile="9876500022", email=None, language="hi",
                                                           channels=("sms",)), None)
        self.series = services.save_series(SeriesValues(
            code="GDA", chair_office_id=self.chair.id, title_hi="जेएसएलपीएस मासिक समीक्षा, गोड्डा",
            title_en="JSLPS monthly review, Godda", place=places.district(111),
            member_office_ids=(self.owner.id,)), self.chair_user)
        first = services.create_meeting(self.series, MeetingValues(
            starts_at=NOW - timedelta(days=30), ends_at=NOW - timedelta(days=30, hours=-2), venue="सभागार"),
            self.chair_user)
        self.done = directives.create_directive(first, DirectiveValues(
            owner_office_id=self.owner.id, text_hi="सभी सदस्यों का बीमा करें", due_on=TODAY - timedelta(days=20)),
            None, today=TODAY - timedelta(days=30))
        self.late = directives.create_directive(first, DirectiveValues(
            owner_office_id=self.owner.id, text_hi="शेष परिवारों को समूह से जोड़ें", due_on=TODAY - timedelta(days=5)),
            None, today=TODAY - timedelta(days=30))
        directives.change_status(self.done, DirectiveStatus.IN_PROGRESS, self.owner_user)
        directives.report_action_taken(self.done, self.owner_user, ReportValues("४२० सदस्यों का बीमा हुआ", 420),
                                       done=True)
        services.write_minutes(first.agenda_items[0] if first.agenda_items else services.add_agenda_item(
            first, "प्रगति"), None, services.MinutesValues(decisions_hi="निर्णय"))
        services.finalise_minutes(first, None)
        db.session.commit()
        self.first_id = first.id


@pytest.fixture
def world(app, places, make_user):
    return World(places, make_user)


def signed_in(client, username):
    client.post("/logout")
    response = client.post("/login", data={"username": username, "password": "correct-horse-1"})
    assert response.status_code == 302
    return client


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def new_meeting(client, world, **extra):
    data = {"day": "2026-12-08", "start": "11:00", "end": "13:00", "venue": "समाहरणालय सभागार, गोड्डा",
            "meeting_url": "https://vc.nic.in/room/42", "chair_name": "श्री अ. क.", "chair_designation": "उपायुक्त",
            "secretary": "sec", **extra}
    return client.post(f"/meetings/series/{world.series.id}/meetings/new", data=data)


def test_series_are_listed_for_their_area_and_kept_by_the_chair_s_office(world, client):
    signed_in(client, "dc")
    page = client.get("/meetings").get_data(as_text=True)
    assert "जेएसएलपीएस मासिक समीक्षा" in page
    response = client.post("/meetings/series/new", data={"title_hi": "मिशन शक्ति समीक्षा", "code": "MS",
                                                         "chair_office_id": world.chair.id, "area_level": "district",
                                                         "area_code": "111", "member_office_ids": [world.owner.id]})
    assert response.status_code == 302
    series = db.session.scalar(select(MeetingSeries).where(MeetingSeries.code == "MS"))
    assert [o.id for o in series.member_offices] == [world.owner.id]
    # The same code again: refused in Hindi, nothing written.
    response = client.post("/meetings/series/new", data={"title_hi": "दूसरी", "code": "ms",
                                                         "chair_office_id": world.chair.id, "area_level": "state"})
    assert response.status_code == 400 and "MS" in response.get_data(as_text=True)
    assert count(MeetingSeries) == 2
    # An officer of the member office sees the series but does not change it.
    signed_in(client, "bdo")
    assert client.get(f"/meetings/series/{world.series.id}").status_code == 200
    assert client.get(f"/meetings/series/{world.series.id}/edit").status_code == 403
    # An officer of another district neither sees it nor creates a series (he acts for no office).
    signed_in(client, "stranger")
    assert "जेएसएलपीएस" not in client.get("/meetings").get_data(as_text=True)
    assert client.get(f"/meetings/series/{world.series.id}").status_code == 403
    assert client.get("/meetings/series/new").status_code == 403


def test_a_new_meeting_opens_with_the_carried_directives_which_the_chair_closes_or_extends(world, client):
    signed_in(client, "dc")
    response = new_meeting(client, world)
    assert response.status_code == 302
    meeting = db.session.scalar(select(Meeting).where(Meeting.number == 2))
    follow_up = services.follow_up_item(meeting)
    assert follow_up is not None and follow_up.position == 1 and follow_up.kind is AgendaKind.FOLLOW_UP
    page = client.get(f"/meetings/{meeting.id}").get_data(as_text=True)
    assert world.late.reference in page and world.done.reference in page
    assert "४२० सदस्यों का बीमा हुआ" in page  # the latest action-taken report
    assert "विलंबित" in page  # the overdue one
    # A link that is no web address: refused, nothing written.
    before = count(Meeting)
    response = new_meeting(client, world, youtube_url="youtube")
    assert response.status_code == 400 and count(Meeting) == before
    # Close the reported one, extend the overdue one (the old due date kept in its event).
    old_due = world.late.due_on
    assert client.post(f"/meetings/{meeting.id}/follow-up", data={"directive_id": world.done.id,
                                                                   "action": "verify"}).status_code == 302
    assert client.post(f"/meetings/{meeting.id}/follow-up", data={
        "directive_id": world.late.id, "action": "extend", "due_on": "2026-12-31", "note": "अंतिम अवसर"}
    ).status_code == 302
    db.session.expire_all()
    assert db.session.get(Directive, world.done.id).status is DirectiveStatus.VERIFIED
    late = db.session.get(Directive, world.late.id)
    assert late.due_on == date(2026, 12, 31) and late.events[-1].old_due_on == old_due
    assert late.events[-1].meeting_id == meeting.id
    # A move the table refuses: a Hindi message, nothing changed.
    response = client.post(f"/meetings/{meeting.id}/follow-up", data={"directive_id": world.late.id,
                                                                       "action": "verify"}, follow_redirects=True)
    assert "नहीं" in response.get_data(as_text=True)
    assert db.session.get(Directive, world.late.id).status is DirectiveStatus.OPEN
    # Dropped only with a reason (the note), which the history keeps.
    response = client.post(f"/meetings/{meeting.id}/follow-up", data={"directive_id": world.late.id,
                                                                       "action": "drop"}, follow_redirects=True)
    assert db.session.get(Directive, world.late.id).status is DirectiveStatus.OPEN
    assert client.post(f"/meetings/{meeting.id}/follow-up", data={
        "directive_id": world.late.id, "action": "drop", "note": "दूसरे निर्देश में शामिल"}).status_code == 302
    dropped = db.session.get(Directive, world.late.id)
    assert dropped.status is DirectiveStatus.DROPPED and dropped.drop_reason == "दूसरे निर्देश में शामिल"
    # The officer of the owner office sees the meeting but decides nothing.
    signed_in(client, "bdo")
    assert client.get(f"/meetings/{meeting.id}").status_code == 200
    assert client.post(f"/meetings/{meeting.id}/follow-up", data={"directive_id": world.late.id,
                                                                   "action": "extend",
                                                                   "due_on": "2027-01-31"}).status_code == 403


def test_invitees_get_the_notice_once_through_the_outbox(world, client, runner):
    signed_in(client, "dc")
    new_meeting(client, world)
    meeting = db.session.scalar(select(Meeting).where(Meeting.number == 2))
    url = f"/meetings/{meeting.id}/invitees"
    assert client.post(url, data={"kind": "office", "office_id": world.chair.id}).status_code == 302
    assert client.post(url, data={"kind": "user", "username": "bdo"}).status_code == 302
    assert client.post(url, data={"kind": "person", "name": "श्री ख", "designation": "अग्रणी जिला प्रबंधक",
                                  "office_text": "अग्रणी बैंक", "phone": "9876500033"}).status_code == 302
    assert client.post(url, data={"kind": "person", "name": "बिना पते के"}).status_code == 302
    response = client.post(url, data={"kind": "person", "name": "गलत", "phone": "abc"}, follow_redirects=True)
    assert "फ़ोन" in response.get_data(as_text=True) or "फोन" in response.get_data(as_text=True)
    assert len(services.load_meeting(meeting.id).invitees) == 4
    response = client.post(f"/meetings/{meeting.id}/notice", follow_redirects=True)
    assert response.status_code == 200
    notices = [m for m in messages() if m.kind == MessageKind.MEETING_NOTICE.value]
    # The DC office (phone, preferred to its e-mail), the officer's own contact, the named person's phone.
    assert len(notices) == 3
    assert sorted(m.address[-10:] for m in notices) == ["9876500011", "9876500022", "9876500033"]
    assert all("गोड्डा" in m.text for m in notices)
    db.session.expire_all()
    assert services.load_meeting(meeting.id).notice_sent_at is not None
    # Sending again, from the page or the command, sends nothing twice.
    client.post(f"/meetings/{meeting.id}/notice")
    result = runner.invoke(args=["meetings", "notice", str(meeting.id)])
    assert result.exit_code == 0 and "0 queued" in result.output
    assert len([m for m in messages() if m.kind == MessageKind.MEETING_NOTICE.value]) == 3
    assert runner.invoke(args=["meetings", "notice", "999999"]).exit_code != 0


def test_the_agenda_is_kept_in_order_and_the_follow_up_stays_first(world, client):
    signed_in(client, "dc")
    new_meeting(client, world)
    meeting = db.session.scalar(select(Meeting).where(Meeting.number == 2))
    signed_in(client, "sec")
    for title in ("स्वयं सहायता समूह", "बैंक ऋण", "बीमा"):
        assert client.post(f"/meetings/{meeting.id}/agenda",
                           data={"title_hi": title, "presenting_office_id": world.owner.id}).status_code == 302
    items = services.load_meeting(meeting.id).agenda_items
    assert [i.title_hi for i in items][1:] == ["स्वयं सहायता समूह", "बैंक ऋण", "बीमा"]
    last = items[-1]
    client.post(f"/meetings/{meeting.id}/agenda/{last.id}/move", data={"position": "1"})
    db.session.expire_all()
    items = services.load_meeting(meeting.id).agenda_items
    assert items[0].kind is AgendaKind.FOLLOW_UP and items[1].title_hi == "बीमा"
    client.post(f"/meetings/{meeting.id}/agenda/{items[1].id}", data={"title_hi": "बीमा योजना",
                                                                      "presenting_office_id": "0"})
    client.post(f"/meetings/{meeting.id}/agenda/{items[2].id}/remove")
    db.session.expire_all()
    assert [i.title_hi for i in services.load_meeting(meeting.id).agenda_items][1:] == ["बीमा योजना", "बैंक ऋण"]
    response = client.post(f"/meetings/{meeting.id}/agenda", data={"title_hi": ""}, follow_redirects=True)
    assert "शीर्षक" in response.get_data(as_text=True)
    # The owner office's officer may not.
    signed_in(client, "bdo")
    assert client.post(f"/meetings/{meeting.id}/agenda", data={"title_hi": "x"}).status_code == 403


def test_attendance_by_the_qr_s_page_and_by_the_secretary(world, client):
    signed_in(client, "dc")
    new_meeting(client, world)
    meeting = db.session.scalar(select(Meeting).where(Meeting.number == 2))
    page = client.get(f"/meetings/{meeting.id}/qr").get_data(as_text=True)
    assert "<svg" in page and meeting.attendance_token in page
    url = f"/meetings/attend/{meeting.attendance_token}"
    # An officer signed in: one tap, recognised with the office he attends for.
    signed_in(client, "bdo")
    assert "मेरी उपस्थिति दर्ज करें" in client.get(url).get_data(as_text=True)
    assert count(MeetingAttendance) == 0  # the page itself changes nothing
    response = client.post(url)
    assert response.status_code == 200 and "उपस्थित" in response.get_data(as_text=True)
    client.post(url)  # a second tap is the same mark
    # Someone without an account gives name, designation and office.
    client.post("/logout")
    response = client.post(url, data={"name": "श्रीमती ग", "designation": "सिविल सर्जन", "office_text": "स्वास्थ्य विभाग"})
    assert response.status_code == 200
    response = client.post(url, data={"name": "", "designation": "", "office_text": ""})
    assert response.status_code == 400
    assert count(MeetingAttendance) == 2
    assert client.get("/meetings/attend/not-a-token").status_code == 404
    assert client.get("/meetings/attend/a%00b").status_code == 404
    # The secretary ticks one more and takes a mistake off.
    signed_in(client, "sec")
    assert client.post(f"/meetings/{meeting.id}/attendance", data={"name": "श्री घ", "designation": "एलडीएम",
                                                                   "office_text": "बैंक"}).status_code == 302
    page = client.get(f"/meetings/{meeting.id}/attendance").get_data(as_text=True)
    assert "श्री घ" in page and "सिविल सर्जन" in page
    row = db.session.scalar(select(MeetingAttendance).where(MeetingAttendance.name == "श्री घ"))
    client.post(f"/meetings/{meeting.id}/attendance/{row.id}/remove")
    assert count(MeetingAttendance) == 2
    signed_in(client, "bdo")
    assert client.get(f"/meetings/{meeting.id}/attendance").status_code == 403


def test_minutes_directives_finalising_and_corrections(world, client):
    signed_in(client, "dc")
    new_meeting(client, world)
    meeting = db.session.scalar(select(Meeting).where(Meeting.number == 2))
    signed_in(client, "sec")
    client.post(f"/meetings/{meeting.id}/agenda", data={"title_hi": "ऋण जुड़ाव"})
    item = services.load_meeting(meeting.id).agenda_items[-1]
    minutes = {"discussion_hi": "बैंकों को दस्तावेज़ भेजे जाने पर चर्चा हुई।", "decisions_hi": "सात दिन में भेजें।"}
    assert client.post(f"/meetings/{meeting.id}/minutes/{item.id}", data=minutes).status_code == 302
    client.post(f"/meetings/{meeting.id}/minutes/{item.id}", data={**minutes, "decisions_hi": "पाँच दिन में भेजें।"})
    assert count(MinutesRevision) == 2 + 1  # the earlier meeting's one, and two here
    # Directives from the minutes page: one without an owner and one due in the past refused, nothing written.
    before = count(Directive)
    response = client.post(f"/meetings/{meeting.id}/directives", data={
        "agenda_item_id": item.id, "text_hi": "दस्तावेज़ भेजें", "owner_office_id": "0", "within_days": "7",
        "priority": "high"}, follow_redirects=True)
    assert "कार्यालय" in response.get_data(as_text=True) and count(Directive) == before
    response = client.post(f"/meetings/{meeting.id}/directives", data={
        "agenda_item_id": item.id, "text_hi": "दस्तावेज़ भेजें", "owner_office_id": world.owner.id,
        "due_on": "2026-11-01", "priority": "high"}, follow_redirects=True)
    assert "2026-11-01" in response.get_data(as_text=True) and count(Directive) == before
    for text, due in (("दस्तावेज़ बैंकों को भेजें", {"within_days": "7"}), ("सभी सदस्यों का बीमा", {"due_on": "2026-12-31"}),
                      ("हेल्पलाइन चलाएँ", {"within_days": "30"})):
        assert client.post(f"/meetings/{meeting.id}/directives", data={
            "agenda_item_id": item.id, "text_hi": text, "owner_office_id": world.owner.id, "priority": "normal",
            **due}).status_code == 302
    assert count(Directive) == before + 3
    # Only the chair's office finalises.
    assert client.post(f"/meetings/{meeting.id}/finalise").status_code == 403
    signed_in(client, "dc")
    assert client.post(f"/meetings/{meeting.id}/finalise").status_code == 302
    # Locked: editing is refused with a clear Hindi message; a correction needs its reason and is a new revision.
    response = client.post(f"/meetings/{meeting.id}/minutes/{item.id}", data={**minutes, "decisions_hi": "बदला"},
                           follow_redirects=True)
    assert "अंतिम" in response.get_data(as_text=True)
    assert count(MinutesRevision) == 3
    response = client.post(f"/meetings/{meeting.id}/directives", data={
        "agenda_item_id": item.id, "text_hi": "नया", "owner_office_id": world.owner.id, "within_days": "7",
        "priority": "normal"}, follow_redirects=True)
    assert "अंतिम" in response.get_data(as_text=True) and count(Directive) == before + 3
    assert client.post(f"/meetings/{meeting.id}/minutes/{item.id}", data={
        **minutes, "decisions_hi": "पाँच कार्य दिवस में भेजें।", "reason": "टंकण त्रुटि"}).status_code == 302
    page = client.get(f"/meetings/{meeting.id}/minutes/{item.id}/revisions").get_data(as_text=True)
    assert "टंकण त्रुटि" in page and "सात दिन में भेजें।" in page and "पाँच कार्य दिवस" in page
    page = client.get(f"/meetings/{meeting.id}/minutes").get_data(as_text=True)
    assert "हेल्पलाइन चलाएँ" in page and "GDA/2026/02/03" in page


def test_the_minutes_pdf_shows_the_proceedings_in_hindi(world, client):
    signed_in(client, "dc")
    new_meeting(client, world)
    meeting = services.load_meeting(db.session.scalar(select(Meeting.id).where(Meeting.number == 2)))
    item = services.add_agenda_item(meeting, "स्वयं सहायता समूह से जोड़ना", presenting_office_id=world.owner.id)
    services.write_minutes(item, None, services.MinutesValues(
        discussion_hi="प्रखंड विकास पदाधिकारी ने बताया कि १,२०० परिवार अभी शेष हैं।",
        decisions_hi="शेष परिवारों को एक माह में स्वयं सहायता समूहों से जोड़ा जाए।"))
    directives.create_directive(meeting, DirectiveValues(owner_office_id=world.owner.id, agenda_item_id=item.id,
                                                         text_hi="शेष परिवारों को समूहों से जोड़ें", within_days=30),
                                None)
    services.tick_attendance(meeting, world.chair_user, user=world.owner_user)
    services.tick_attendance(meeting, world.chair_user, person=services.PersonValues(
        "श्रीमती ग", "मुख्य चिकित्सा पदाधिकारी", "स्वास्थ्य विभाग"))
    db.session.commit()
    response = client.get(f"/meetings/{meeting.id}/minutes.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    document = pypdfium2.PdfDocument(response.data)
    try:
        assert document[0].get_size()[0] == pytest.approx(595, abs=2)  # A4
        text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    finally:
        document.close()
    for words in ("उपायुक्त कार्यालय गोड्डा", "कार्यवाही विवरण", "श्रीमती ग", "GDA/2026/02/01", "BDO-1", "अध्यक्ष"):
        assert words.replace(" ", "") in text.replace(" ", "").replace("\n", "").replace("\r", ""), words
    png = pdf_page_png(response.data, dpi=110)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "meeting-minutes-page-1.png").write_bytes(png)
    assert Image.open(io.BytesIO(png)).size[0] > 800


def test_the_json_api_lists_meetings_and_series_with_directives_status_and_overdue(world, client):
    signed_in(client, "bdo")
    found = client.get("/api/v1/meetings").get_json()
    assert found["total"] == 1 and found["meetings"][0]["number"] == 1
    assert client.get(f"/api/v1/meetings?series={world.series.id}").get_json()["total"] == 1
    assert client.get("/api/v1/meetings?series=x").status_code == 400
    meeting = client.get(f"/api/v1/meetings/{world.first_id}").get_json()
    by_reference = {d["reference"]: d for d in meeting["directives"]}
    assert by_reference[world.late.reference]["overdue"] is True
    assert by_reference[world.done.reference] == {**by_reference[world.done.reference], "status": "reported_done",
                                                  "overdue": False}
    assert client.get("/api/v1/meeting-series").get_json()["series"][0]["code"] == "GDA"
    assert client.get(f"/api/v1/meeting-series/{world.series.id}").get_json()["meetings"][0]["id"] == world.first_id
    signed_in(client, "stranger")
    assert client.get(f"/api/v1/meetings/{world.first_id}").status_code == 403
    assert client.get("/api/v1/meetings").get_json()["total"] == 0
    assert client.get("/api/v1/meetings/99999").status_code == 404


def test_the_qr_s_page_is_rate_limited_like_the_other_public_forms(world, app, client):
    app.config["MEETING_ATTENDANCE_RATE_LIMIT"] = "2 per minute"
    meeting = services.load_meeting(world.first_id)
    url = f"/meetings/attend/{meeting.attendance_token}"
    person = {"name": "श्री च", "designation": "अधिकारी", "office_text": "विभाग"}
    assert [client.post(url, data=person).status_code for _ in range(3)][-1] == 429
    assert client.get(url).status_code == 200  # reading the page is not limited


def test_series_and_meetings_are_changed_by_the_chair_s_office_until_the_minutes_are_final(world, client):
    signed_in(client, "dc")
    response = client.post(f"/meetings/series/{world.series.id}/edit", data={
        "title_hi": "जेएसएलपीएस समीक्षा", "code": "GDA", "chair_office_id": world.chair.id, "area_level": "district",
        "area_code": "111"})
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(MeetingSeries, world.series.id).title_hi == "जेएसएलपीएस समीक्षा"
    # The code is in the directives' reference numbers: it stays.
    response = client.post(f"/meetings/series/{world.series.id}/edit", data={
        "title_hi": "x", "code": "NEW", "chair_office_id": world.chair.id, "area_level": "state"})
    assert response.status_code == 400 and "निर्देश" in response.get_data(as_text=True)
    db.session.expire_all()
    assert db.session.get(MeetingSeries, world.series.id).code == "GDA"
    new_meeting(client, world)
    meeting = db.session.scalar(select(Meeting).where(Meeting.number == 2))
    form = client.get(f"/meetings/{meeting.id}/edit").get_data(as_text=True)
    assert 'value="11:00"' in form and "समाहरणालय सभागार, गोड्डा" in form
    response = client.post(f"/meetings/{meeting.id}/edit", data={"day": "2026-12-09", "start": "15:00",
                                                                 "end": "14:00"})
    assert response.status_code == 400
    assert client.post(f"/meetings/{meeting.id}/edit", data={"day": "2026-12-09", "start": "15:00", "end": "16:00",
                                                             "secretary": "sec"}).status_code == 302
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).starts_at == datetime(2026, 12, 9, 9, 30, tzinfo=UTC)
    # The first meeting's minutes are final: nothing of it changes any more.
    response = client.post(f"/meetings/{world.first_id}/edit", data={"day": "2026-12-09", "start": "15:00",
                                                                     "end": "16:00"})
    assert response.status_code == 400 and "अंतिम" in response.get_data(as_text=True)


def test_a_public_meeting_has_a_page_for_anyone_which_its_notice_links(world, client):
    signed_in(client, "dc")
    new_meeting(client, world, public="y", youtube_url="https://www.youtube.com/watch?v=abcdefghijk")
    meeting = db.session.scalar(select(Meeting).where(Meeting.number == 2))
    client.post(f"/meetings/{meeting.id}/invitees", data={"kind": "person", "name": "श्री ख", "phone": "9876500033"})
    client.post(f"/meetings/{meeting.id}/notice")
    [notice] = [m for m in messages() if m.kind == MessageKind.MEETING_NOTICE.value]
    assert f"/meetings/{meeting.id}/public" in notice.text
    client.post("/logout")
    page = client.get(f"/meetings/{meeting.id}/public").get_data(as_text=True)
    assert "https://www.youtube.com/watch?v=abcdefghijk" in page and "पिछली बैठकों के निर्देशों" in page
    assert client.get(f"/meetings/{world.first_id}/public").status_code == 404  # not public
    assert client.get(f"/meetings/{meeting.id}").status_code == 302  # the staff page asks to sign in
