"""A review meeting's whole cycle, as its users live it in a browser: the demo's monthly review has two past
meetings whose directives are partly done and partly overdue; the chair's office creates the next meeting, which
opens with the carried-over directives; two officers mark their attendance from its QR on their phones; the minutes,
with three new directives, are written and finalised, and their PDF is in Devanagari; an owner reports action taken
from a phone (360 px) with a PDF; and the board shows what is overdue, first."""
import io
import subprocess
from datetime import datetime, timedelta

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from tests.test_directives_pages import a_pdf
from trainer.core import clock
from trainer.core.pdf import pdf_page_png
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.meetings.models import Directive, DirectiveStatus, Meeting, MeetingAttendance, MeetingSeries
from trainer.offices import services as offices
from trainer.tools.demo_meetings import SERIES_CODE, ensure_demo_offices, ensure_demo_review

pytestmark = pytest.mark.browser
PHONE = {"width": 360, "height": 740}
NEW_DIRECTIVES = ("शेष 1,240 परिवारों को समूहों से जोड़ें", "सभी समूह सदस्यों का बीमा 15 दिनों में कराएँ",
                  "बैंक सखी की नियुक्ति की सूची भेजें")


@pytest.fixture
def review(app, places, make_user, live_server):  # noqa: F811
    """The demo's offices and monthly review in district 111, its officers the demo's `district` and `block`, and a
    health officer of the CMO's office."""
    make_user("district", Role.DISTRICT_OFFICER)
    make_user("block", Role.BLOCK_OFFICER)
    health = make_user("cmo", Role.DISTRICT_OFFICER)
    demo_offices = ensure_demo_offices()
    offices.add_officer(next(o for o in demo_offices if o.short_name == "CMO"), health, "मुख्य चिकित्सा पदाधिकारी")
    series = ensure_demo_review(demo_offices, clock.today())
    db.session.commit()
    return series


def test_a_review_meeting_from_notice_to_the_board(review, places, live_server, browser, tmp_path):  # noqa: F811
    ARTIFACTS.mkdir(exist_ok=True)
    carried = [d.reference for d in db.session.scalars(select(Directive).where(
        Directive.status.in_((DirectiveStatus.OPEN, DirectiveStatus.IN_PROGRESS, DirectiveStatus.REOPENED))))]
    assert len(carried) == 5

    # The chair's office creates the third meeting, starting now.
    chair = browser.new_context(viewport={"width": 1280, "height": 900})
    page = chair.new_page()
    sign_in(page, live_server, "district")
    page.goto(f"{live_server}/meetings/series/{review.id}/meetings/new")
    starts = datetime.now(clock.IST) - timedelta(minutes=5)
    page.fill("#day", starts.date().isoformat())
    page.fill("#start", starts.strftime("%H:%M"))
    page.fill("#end", (starts + timedelta(hours=2)).strftime("%H:%M") if starts.hour < 21 else "23:59")
    page.fill("#venue", "समाहरणालय सभागार")
    page.click("main form button[type=submit]")
    page.wait_for_load_state()
    meeting = db.session.scalar(select(Meeting).join(MeetingSeries).where(MeetingSeries.code == SERIES_CODE)
                                .order_by(Meeting.number.desc()))
    assert meeting.number == 3
    follow_up = page.inner_text("main")
    assert all(reference in follow_up for reference in carried)  # the carried-over directives open the meeting
    page.screenshot(path=str(ARTIFACTS / "meeting-cycle-new-meeting.png"), full_page=True)

    # Its QR, decoded from the printable page, opens the attendance page; two officers mark on their phones.
    page.goto(f"{live_server}/meetings/{meeting.id}/qr")
    image = Image.open(io.BytesIO(page.locator("#meeting-qr svg").screenshot()))
    [address] = [found.text for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
    for username in ("block", "cmo"):
        phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
        officer = phone.new_page()
        sign_in(officer, live_server, username)
        officer.goto(address)
        officer.click("main button[type=submit]")
        assert "आपकी उपस्थिति दर्ज हो गई है" in officer.inner_text("main")
        assert page_width(officer) <= PHONE["width"]
        phone.close()
    db.session.expire_all()
    assert len(db.session.scalars(select(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting.id))
               .all()) == 2

    # An agenda item, its minutes and three directives, then the minutes finalised.
    page.goto(f"{live_server}/meetings/{meeting.id}")
    page.click("text=कार्यसूची में विषय जोड़ें")
    add_item = page.locator(f"form[action='/meetings/{meeting.id}/agenda']")
    add_item.locator("[name=title_hi]").fill("स्वयं सहायता समूहों से परिवारों का जुड़ाव")
    add_item.locator("button[type=submit]").click()
    page.wait_for_load_state()
    page.goto(f"{live_server}/meetings/{meeting.id}/minutes")
    item_form = page.locator("form[action*='/minutes/']").last
    item_form.locator("[name=discussion_hi]").fill("जिला आजीविका मिशन ने प्रखंडवार प्रगति प्रस्तुत की।")
    item_form.locator("[name=decisions_hi]").fill("शेष परिवारों को इस माह जोड़ा जाए।")
    item_form.locator("button[type=submit]").click()
    page.wait_for_load_state()
    block_office = next(o for o in ensure_demo_offices() if o.short_name == "BDO-1")
    for text in NEW_DIRECTIVES:
        form = page.locator(f"form[action='/meetings/{meeting.id}/directives']")
        form.locator("[name=text_hi]").fill(text)
        form.locator("[name=owner_office_id]").select_option(str(block_office.id))
        form.locator("[name=within_days]").fill("10")
        form.locator("button[type=submit]").click()
        page.wait_for_load_state()
    minutes = page.inner_text("main")
    assert all(text in minutes for text in NEW_DIRECTIVES), minutes
    page.once("dialog", lambda dialog: dialog.accept())
    page.locator(f"form[action='/meetings/{meeting.id}/finalise'] button[type=submit]").click()
    page.wait_for_load_state()
    db.session.expire_all()
    assert db.session.get(Meeting, meeting.id).minutes_finalised_at is not None
    page.screenshot(path=str(ARTIFACTS / "meeting-cycle-minutes.png"), full_page=True)

    pdf = page.request.get(f"{live_server}/meetings/{meeting.id}/minutes.pdf").body()
    (ARTIFACTS / "meeting-cycle-minutes-pdf.png").write_bytes(pdf_page_png(pdf, dpi=90))
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "कार्यवाही विवरण" in text and all(d in " ".join(text.split()) for d in NEW_DIRECTIVES)
    chair.close()

    # The block's officer reports one of the new directives done, from a phone, with a PDF.
    (tmp_path / "सूची.pdf").write_bytes(a_pdf())
    first = db.session.scalar(select(Directive).where(Directive.text_hi == NEW_DIRECTIVES[0]))
    phone = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    owner = phone.new_page()
    sign_in(owner, live_server, "block")
    owner.goto(f"{live_server}/directives/mine")
    owner.click(f"text={first.reference}")
    owner.wait_for_url(f"{live_server}/directives/{first.id}")
    owner.fill("#text", "सभी 1,240 परिवार समूहों से जुड़े")
    owner.fill("#figures", "1240")
    owner.set_input_files("#file", str(tmp_path / "सूची.pdf"))
    owner.check("input[name=outcome][value=done]")
    owner.click("#report button[type=submit]")
    owner.wait_for_url(f"{live_server}/directives/{first.id}")
    assert "सूची.pdf" in owner.inner_text("#reports") and page_width(owner) <= PHONE["width"]
    owner.screenshot(path=str(ARTIFACTS / "meeting-cycle-action-taken-360.png"), full_page=True)
    phone.close()
    db.session.expire_all()
    assert db.session.get(Directive, first.id).status is DirectiveStatus.REPORTED_DONE

    # The board: the overdue first, the new directive reported done.
    board = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True).new_page()
    sign_in(board, live_server, "district")
    board.goto(f"{live_server}/directives")
    assert "विलंबित" in board.locator("#directives tbody tr").nth(0).inner_text()
    assert "पूर्ण बताया गया" in board.locator("#directives tbody tr", has_text=first.reference).inner_text()
    board.goto(f"{live_server}/directives?overdue=1")
    overdue = board.inner_text("#directives")
    assert first.reference not in overdue and sum(reference in overdue for reference in carried) == 4
    assert page_width(board) <= PHONE["width"]
    board.screenshot(path=str(ARTIFACTS / "meeting-cycle-board-360.png"), full_page=True)
