"""The directives' pages: "my directives" of an owner office's officers, one directive with its history and the
action-taken form (files checked, refusals in Hindi, nothing half-written), the attached file served as a file,
the board with its filters and exports, the action-taken report of a meeting (page, PDF, XLSX), reminders sent once
per directive and day-kind, and the JSON read endpoints."""
import io
import zipfile
from datetime import UTC, date, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select

from tests.browser_support import ARTIFACTS
from tests.conftest import PASSWORD
from tests.test_messaging import app, messages, sms, smtp, whatsapp  # noqa: F401 (fixtures: the providers' stand-ins)
from trainer.contacts.services import ContactValues, save_officer_contact
from trainer.core import clock
from trainer.core.pdf import pdf_page_png
from trainer.core.roles import Role
from trainer.core.tables import xlsx_rows
from trainer.extensions import db
from trainer.meetings import directive_board, directives, services
from trainer.meetings.directives import Attachment, DirectiveValues, ReportValues
from trainer.meetings.models import ActionTakenReport, Directive, DirectiveEvent, DirectiveStatus
from trainer.meetings.services import MeetingValues, SeriesValues
from trainer.messaging.kinds import MessageKind
from trainer.offices import services as offices
from trainer.offices.services import OfficeValues

S = DirectiveStatus
TODAY = date(2026, 12, 8)
NOW = datetime(2026, 12, 8, 5, 0, tzinfo=UTC)  # 10:30 in Asia/Kolkata
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def a_pdf() -> bytes:
    import pypdfium2
    document = pypdfium2.PdfDocument.new()
    document.new_page(200, 200)
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()


def a_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


class World:
    """A DC office chairing a series of district 111, a block office owning directives (one overdue, one due soon,
    one later, one reported done), another block's office owning one, and a series of district 121 outside
    division 1."""

    def __init__(self, places, make_user):
        self.chair_user = make_user("dc", Role.DISTRICT_OFFICER)
        self.owner_user = make_user("bdo", Role.BLOCK_OFFICER)
        self.other_user = make_user("other", Role.BLOCK_OFFICER, area_code=1112)
        self.director = make_user("director", Role.DIRECTOR)
        self.far_user = make_user("far", Role.DISTRICT_OFFICER, area_code=121)
        self.chair = offices.save_office(OfficeValues("उपायुक्त कार्यालय", "DC office", "DC", places.district(111)))
        self.owner = offices.save_office(OfficeValues("प्रखंड कार्यालय", "Block office", "BDO", places.block(1111)))
        self.other = offices.save_office(OfficeValues("दूसरा प्रखंड", "Other block", "BDO2", places.block(1112)))
        self.far = offices.save_office(OfficeValues("दूर का कार्यालय", "Far office", "FAR", places.district(121)))
        offices.add_officer(self.chair, self.chair_user, "उपायुक्त")
        offices.add_officer(self.owner, self.owner_user, "प्रखंड विकास पदाधिकारी")
        offices.add_officer(self.other, self.other_user, "प्रखंड विकास पदाधिकारी")
        offices.add_officer(self.far, self.far_user, "उपायुक्त")
        self.series = services.save_series(SeriesValues(
            code="gda", chair_office_id=self.chair.id, title_hi="जेएसएलपीएस मासिक समीक्षा", title_en="JSLPS review",
            place=places.district(111), member_office_ids=(self.owner.id, self.other.id)), self.chair_user)
        self.meeting = services.create_meeting(self.series, MeetingValues(
            starts_at=NOW - timedelta(days=30), ends_at=NOW - timedelta(days=30, hours=-2), venue="समाहरणालय सभागार",
            chair_name="श्री क", chair_designation="उपायुक्त"), self.chair_user)
        earlier = TODAY - timedelta(days=30)
        self.overdue = self.directive("शेष परिवारों को समूह से जोड़ें", due_on=TODAY - timedelta(days=5),
                                      today=earlier)
        self.soon = self.directive("बैंक को ऋण दस्तावेज भेजें", due_on=TODAY + timedelta(days=3), today=earlier)
        self.later = self.directive("हर सदस्य का बीमा कराएँ", due_on=TODAY + timedelta(days=40), today=earlier)
        self.reported = self.directive("हेल्पलाइन चलाएँ", due_on=TODAY + timedelta(days=2), today=earlier)
        directives.report_action_taken(self.reported, self.owner_user, ReportValues("हेल्पलाइन शुरू", 12), done=True)
        self.others = self.directive("दूसरे प्रखंड का काम", owner=self.other, due_on=TODAY - timedelta(days=1),
                                     today=earlier)
        self.far_series = services.save_series(SeriesValues(
            code="far", chair_office_id=self.far.id, title_hi="दूर की समीक्षा", place=places.district(121)),
            self.far_user)
        far_meeting = services.create_meeting(self.far_series, MeetingValues(
            starts_at=NOW - timedelta(days=3), ends_at=NOW - timedelta(days=3, hours=-1), venue="दूर"), self.far_user)
        self.far_directive = directives.create_directive(far_meeting, DirectiveValues(
            owner_office_id=self.far.id, text_hi="दूर का निर्देश", due_on=TODAY + timedelta(days=1)), self.far_user)
        db.session.commit()

    def directive(self, text, owner=None, **values):
        today = values.pop("today", None)
        return directives.create_directive(self.meeting, DirectiveValues(
            owner_office_id=(owner or self.owner).id, text_hi=text, **values), self.chair_user, today=today)


@pytest.fixture
def world(app, places, make_user):
    return World(places, make_user)


def sign_in(client, username):
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302


def counts():
    return (db.session.scalar(select(func.count()).select_from(ActionTakenReport)),
            db.session.scalar(select(func.count()).select_from(DirectiveEvent)))


# My directives

def test_my_directives_groups_the_owner_offices_directives_overdue_due_soon_later_reported(client, world):
    sign_in(client, "bdo")
    page = client.get("/directives/mine").get_data(as_text=True)
    overdue, soon, later, reported = (page.index(f'id="{anchor}"') for anchor in
                                      ("overdue", "due-soon", "later", "reported"))
    assert overdue < page.index(world.overdue.reference) < soon < page.index(world.soon.reference) < later
    assert later < page.index(world.later.reference) < reported < page.index(world.reported.reference)
    assert "5 दिन से विलंबित" in page
    assert world.others.reference not in page and world.far_directive.reference not in page
    assert len(page.encode()) < 40_000  # a small page for a slow phone
    assert "<script" not in page.split("<main", 1)[1]


def test_my_directives_tells_a_user_of_no_office_why_it_is_empty(client, world, make_user):
    make_user("trainer", Role.TRAINER)
    sign_in(client, "trainer")
    page = client.get("/directives/mine").get_data(as_text=True)
    assert "आप किसी कार्यालय की ओर से कार्य नहीं करते" in page


# One directive and the action-taken form

def test_an_owner_reports_action_taken_with_a_pdf_and_the_file_comes_back_as_a_file(client, world):
    sign_in(client, "bdo")
    response = client.post(f"/directives/{world.overdue.id}/report", data={
        "text": "120 परिवार जोड़े गए", "figures": "120", "outcome": "progress",
        "file": (io.BytesIO(a_pdf()), "प्रगति.pdf")}, content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    directive = db.session.get(Directive, world.overdue.id)
    assert directive.status is S.IN_PROGRESS and directive.reports[-1].figures == 120
    report = directive.reports[-1]
    page = client.get(f"/directives/{directive.id}").get_data(as_text=True)
    assert "120 परिवार जोड़े गए" in page and "प्रगति.pdf" in page
    assert "लंबित → जारी है" in page  # the history: from → to
    served = client.get(f"/directives/{directive.id}/reports/{report.id}/file")
    assert served.status_code == 200 and served.mimetype == "application/pdf"
    assert served.headers["Content-Disposition"].startswith("attachment")
    assert served.headers["X-Content-Type-Options"] == "nosniff"
    assert served.data == a_pdf() or served.data.startswith(b"%PDF-")
    # Done, with a photo.
    response = client.post(f"/directives/{directive.id}/report", data={
        "text": "सभी परिवार जुड़े", "outcome": "done", "file": (io.BytesIO(a_png()), "photo.png")},
        content_type="multipart/form-data")
    assert response.status_code == 302
    db.session.expire_all()
    directive = db.session.get(Directive, world.overdue.id)
    assert directive.status is S.REPORTED_DONE
    photo = directive.reports[-1]
    served = client.get(f"/directives/{directive.id}/reports/{photo.id}/file")
    assert served.mimetype == "image/png" and served.headers["Content-Disposition"].startswith("attachment")


def test_a_file_that_is_not_what_it_claims_is_refused_in_hindi_and_nothing_is_written(client, world):
    sign_in(client, "bdo")
    before = counts()
    response = client.post(f"/directives/{world.overdue.id}/report", data={
        "text": "काम हुआ", "outcome": "done", "file": (io.BytesIO(b"<html><script>x</script></html>"), "a.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert "PDF फ़ाइल या JPEG अथवा PNG फ़ोटो संलग्न करें" in response.get_data(as_text=True)
    response = client.post(f"/directives/{world.overdue.id}/report", data={
        "text": "काम हुआ", "outcome": "done", "file": (io.BytesIO(a_png()), "a.pdf")},
        content_type="multipart/form-data")
    assert response.status_code == 400
    assert "फ़ाइल वह नहीं है जो उसका नाम बताता है" in response.get_data(as_text=True)
    db.session.expire_all()
    assert counts() == before and db.session.get(Directive, world.overdue.id).status is S.OPEN


def test_an_office_that_does_not_own_a_directive_is_refused_in_hindi_and_nothing_is_written(client, world):
    sign_in(client, "dc")  # the chair's officer sees it, but does not own it
    before = counts()
    page = client.get(f"/directives/{world.overdue.id}").get_data(as_text=True)
    assert 'action="/directives/' not in page  # no form for those who do not own it
    response = client.post(f"/directives/{world.overdue.id}/report", data={"text": "काम हुआ", "outcome": "done"})
    assert response.status_code == 403
    assert "केवल उत्तरदायी कार्यालय का अधिकारी" in response.get_data(as_text=True)
    assert counts() == before


def test_an_empty_report_is_refused_and_a_directive_outside_the_area_is_forbidden(client, world):
    sign_in(client, "bdo")
    before = counts()
    response = client.post(f"/directives/{world.overdue.id}/report", data={"text": " ", "outcome": "done"})
    assert response.status_code == 400 and "लिखें कि क्या कार्यवाही की गई" in response.get_data(as_text=True)
    assert counts() == before
    assert client.get(f"/directives/{world.far_directive.id}").status_code == 403
    assert client.get("/directives/999999").status_code == 404
    report = world.reported.reports[0]
    assert client.get(f"/directives/{world.far_directive.id}/reports/{report.id}/file").status_code == 403
    assert client.get(f"/directives/{world.reported.id}/reports/{report.id}/file").status_code == 404  # no file


# The board

def test_the_board_shows_overdue_first_with_days_open_and_filters(client, world):
    sign_in(client, "dc")
    page = client.get("/directives").get_data(as_text=True)
    table = page.split('id="directives"', 1)[1]
    assert table.index(world.overdue.reference) < table.index(world.soon.reference)
    assert table.index(world.others.reference) < table.index(world.later.reference)
    assert world.far_directive.reference not in page  # district 121 lies outside the officer's area
    assert "प्रखंड कार्यालय" in page and "दूसरा प्रखंड" in page
    only = client.get("/directives", query_string={"overdue": "1"}).get_data(as_text=True)
    assert world.overdue.reference in only and world.soon.reference not in only
    by_office = client.get("/directives", query_string={"office": world.other.id}).get_data(as_text=True)
    table = by_office.split('id="directives"', 1)[1].split("</table>")[0]
    assert world.others.reference in table and world.overdue.reference not in table
    by_block = client.get("/directives", query_string={"block": "1112"}).get_data(as_text=True)
    table = by_block.split('id="directives"', 1)[1].split("</table>")[0]
    assert world.others.reference in table and world.soon.reference not in table
    reported = client.get("/directives", query_string={"status": "reported_done"}).get_data(as_text=True)
    table = reported.split('id="directives"', 1)[1].split("</table>")[0]
    assert world.reported.reference in table and world.soon.reference not in table
    assert client.get("/directives", query_string={"status": "nonsense"}).status_code == 400
    assert client.get("/directives", query_string={"block": "99999"}).status_code == 404


def test_a_director_sees_every_directive_and_an_officer_of_another_division_none_of_these(client, world):
    sign_in(client, "director")
    page = client.get("/directives").get_data(as_text=True)
    assert world.far_directive.reference in page and world.overdue.reference in page
    client.post("/logout")
    sign_in(client, "far")
    page = client.get("/directives").get_data(as_text=True)
    assert world.far_directive.reference in page and world.overdue.reference not in page


def test_the_board_exports_csv_and_xlsx_with_numbers_in_indian_grouping(client, world):
    sign_in(client, "director")
    csv = client.get("/directives/board.csv", query_string={"overdue": "1"})
    assert csv.status_code == 200 and csv.mimetype == "text/csv"
    text = csv.get_data(as_text=True)
    assert world.overdue.reference in text and world.soon.reference not in text
    assert csv.headers["Content-Disposition"].startswith("attachment")
    book = client.get("/directives/board.xlsx")
    assert book.status_code == 200 and book.mimetype == XLSX
    rows = xlsx_rows(book.data)
    assert rows[0][0] == "संदर्भ संख्या" and any(row[0] == world.overdue.reference for row in rows)
    with zipfile.ZipFile(io.BytesIO(book.data)) as archive:
        styles = archive.read("xl/styles.xml").decode()
        sheets = [name for name in archive.namelist() if name.startswith("xl/worksheets/sheet")]
    assert "[&gt;=100000]##\\,##\\,##0" in styles or "[>=100000]##\\,##\\,##0" in styles
    assert len(sheets) == 3  # the directives, by owner office, by area
    assert client.get("/directives/board.pdf").status_code == 404


# The action-taken report of a meeting

def test_the_action_taken_report_of_a_meeting_as_page_xlsx_and_pdf(client, world):
    sign_in(client, "dc")
    page = client.get(f"/directives/meetings/{world.meeting.id}/atr").get_data(as_text=True)
    for directive in (world.overdue, world.soon, world.later, world.reported, world.others):
        assert directive.reference in page
    assert "हेल्पलाइन शुरू" in page and "विलंबित" in page
    book = client.get(f"/directives/meetings/{world.meeting.id}/atr.xlsx")
    assert book.status_code == 200 and book.mimetype == XLSX
    rows = xlsx_rows(book.data)
    assert [row[1] for row in rows[1:]] == [d.reference for d in (world.overdue, world.soon, world.later,
                                                                   world.reported, world.others)]
    assert rows[4][8] == "हेल्पलाइन शुरू" and rows[1][6] == "हाँ"
    pdf = client.get(f"/directives/meetings/{world.meeting.id}/atr.pdf")
    assert pdf.status_code == 200 and pdf.mimetype == "application/pdf"
    assert pdf.headers["Content-Disposition"].startswith("attachment")
    ARTIFACTS.mkdir(exist_ok=True)
    png = pdf_page_png(pdf.data, dpi=110)
    (ARTIFACTS / "directives-atr.png").write_bytes(png)
    import pypdfium2
    document = pypdfium2.PdfDocument(pdf.data)
    try:
        text = document[0].get_textpage().get_text_range()
        width, height = document[0].get_size()
    finally:
        document.close()
    assert round(width) == 595 and round(height) == 842  # A4
    assert "की गई कार्यवाही का प्रतिवेदन" in text and world.overdue.reference in text
    assert client.get(f"/directives/meetings/{world.far_series.meetings[0].id}/atr").status_code == 403


# Reminders

def test_reminders_go_to_the_owner_officers_once_per_directive_and_day_kind(app, world, runner):
    for user, mobile in ((world.owner_user, "9876500001"), (world.other_user, "9876500002")):
        save_officer_contact(user, ContactValues(user.username, mobile, None, "hi", ("sms",)), None)
    db.session.commit()
    first = directive_board.remind_owners(TODAY)
    db.session.commit()
    # Overdue (after) for the two overdue ones, before for the one due in 3 days; later and reported: none.
    told = [m for m in messages() if m.kind is MessageKind.DIRECTIVE_DUE]
    assert first.queued == 3 and len(told) == 3
    assert sorted(m.address for m in told) == ["9876500001", "9876500001", "9876500002"]
    assert any(world.overdue.reference in m.text and "विलंब (दिन): 5" in m.text for m in told)
    again = directive_board.remind_owners(TODAY)
    db.session.commit()
    assert again.queued == 0 and again.repeated == 3
    # The next day: the ones overdue stay reminded; nothing new until the due day of the one due soon.
    assert directive_board.remind_owners(TODAY + timedelta(days=1)).queued == 0
    on_the_day = directive_board.remind_owners(TODAY + timedelta(days=3))
    db.session.commit()
    assert on_the_day.queued == 1
    result = runner.invoke(args=["directives", "remind", "--day", (TODAY + timedelta(days=4)).isoformat()])
    assert result.exit_code == 0, result.output
    assert "1 reminder(s) queued" in result.output  # after its due day
    result = runner.invoke(args=["directives", "remind", "--day", (TODAY + timedelta(days=4)).isoformat()])
    assert "0 reminder(s) queued" in result.output
    assert runner.invoke(args=["directives", "remind", "--day", "कल"]).exit_code != 0


def test_day_kinds_before_on_and_after_the_due_date():
    due = date(2026, 12, 10)
    assert directive_board.day_kind(due, date(2026, 12, 6)) is None
    assert directive_board.day_kind(due, date(2026, 12, 7)) == "before"
    assert directive_board.day_kind(due, date(2026, 12, 10)) == "on"
    assert directive_board.day_kind(due, date(2026, 12, 11)) == "after"


# JSON

def test_the_json_api_lists_and_shows_directives_with_status_and_overdue(client, world):
    sign_in(client, "dc")
    listed = client.get("/api/v1/directives").get_json()
    references = [d["reference"] for d in listed["directives"]]
    assert references[:2] == [world.overdue.reference, world.others.reference]  # overdue first
    assert world.far_directive.reference not in references
    overdue = client.get("/api/v1/directives", query_string={"overdue": "1"}).get_json()
    assert {d["reference"] for d in overdue["directives"]} == {world.overdue.reference, world.others.reference}
    assert all(d["overdue"] for d in overdue["directives"])
    mine = client.get("/api/v1/directives", query_string={"office": world.other.id}).get_json()
    assert [d["reference"] for d in mine["directives"]] == [world.others.reference]
    by_meeting = client.get("/api/v1/directives", query_string={"meeting": world.meeting.id,
                                                                 "status": "reported_done"}).get_json()
    assert [d["reference"] for d in by_meeting["directives"]] == [world.reported.reference]
    assert client.get("/api/v1/directives", query_string={"status": "x"}).status_code == 400
    one = client.get(f"/api/v1/directives/{world.reported.id}").get_json()
    assert one["status"] == "reported_done" and one["overdue"] is False and one["days_open"] >= 0
    assert [e["to_status"] for e in one["events"]] == ["open", "in_progress", "reported_done"]
    assert one["reports"][0]["text"] == "हेल्पलाइन शुरू" and "content" not in one["reports"][0]
    assert client.get(f"/api/v1/directives/{world.far_directive.id}").status_code == 403
    assert client.get("/api/v1/directives/999999").status_code == 404


# The demo

def test_the_demo_review_has_two_final_meetings_with_directives_done_and_overdue_for_the_demo_officers(
        app, places, make_user):
    from trainer.tools.demo_meetings import ensure_demo_offices, ensure_demo_review
    district, block = make_user("district", Role.DISTRICT_OFFICER, 111), make_user("block", Role.BLOCK_OFFICER, 1111)
    series = ensure_demo_review(ensure_demo_offices(), TODAY)
    db.session.commit()
    assert series.title_hi.startswith("JSLPS मासिक समीक्षा, ") and len(series.meetings) == 2
    assert all(meeting.finalised for meeting in series.meetings)
    statuses = [d.status for meeting in series.meetings for d in meeting.directives]
    assert S.VERIFIED in statuses and S.REPORTED_DONE in statuses
    assert sum(d.overdue for meeting in series.meetings for d in meeting.directives) == 4
    mine = directives.my_directives(block, TODAY)
    assert mine.overdue and mine.reported
    assert directives.my_directives(district, TODAY).due_soon
    verified = next(d for m in series.meetings for d in m.directives if d.status is S.VERIFIED)
    assert len(verified.reports) == 2 and directives.days_open(verified, TODAY) > 0
    summary = directive_board.review_summary(series)
    assert "2 meetings with final minutes, 7 directives — 2 reported done or verified, 4 overdue" in summary
    again = ensure_demo_review(ensure_demo_offices(), TODAY)
    db.session.commit()
    assert again.id == series.id and db.session.scalar(select(func.count()).select_from(Directive)) == 7


def add_directive(office, officer):
    """Give, in a meeting of a series of the office's place chaired by it, a directive owned by it, with an
    action-taken report carrying a PDF by `officer` (made its officer); return (meeting, directive, report). For
    the cross-cutting tests' worlds."""
    offices.add_officer(office, officer, "अधिकारी")
    series = services.save_series(SeriesValues(code=f"w{office.id}", chair_office_id=office.id,
                                               title_hi="मासिक समीक्षा", place=office.place), None)
    starts_at = clock.now() - timedelta(days=2)
    meeting = services.create_meeting(series, MeetingValues(starts_at=starts_at, ends_at=starts_at + timedelta(hours=1),
                                                            venue="सभागार"), None)
    directive = directives.create_directive(meeting, DirectiveValues(
        owner_office_id=office.id, text_hi="शेष परिवारों को समूह से जोड़ें", within_days=30), None)
    report = directives.report_action_taken(directive, officer, ReportValues(
        "120 परिवार जोड़े गए", 120, Attachment("प्रगति.pdf", a_pdf())))
    return meeting, directive, report


def test_the_queue_reminds_the_owners_every_morning(app, world, monkeypatch):
    from trainer.meetings import tasks
    monkeypatch.setattr(clock, "today", lambda: TODAY)
    save_officer_contact(world.owner_user, ContactValues(world.owner_user.username, "9876500001", None, "hi",
                                                         ("sms",)), None)
    db.session.commit()
    schedule = tasks.remind_directive_owners.schedule  # at 09:00 in Asia/Kolkata, 03:30 in the queue's UTC
    assert schedule(datetime(2026, 12, 8, 3, 30)) and not schedule(datetime(2026, 12, 8, 9, 0))
    assert tasks.remind_directive_owners.run() == 2  # the owner office's two overdue ones
    assert tasks.remind_directive_owners.run() == 0
