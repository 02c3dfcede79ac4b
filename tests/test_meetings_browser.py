"""Two officers mark their attendance at a review meeting from its QR in a real browser at 360 px: the chair's
office shows the printable QR, its image is decoded, each officer (signed in on a phone) opens the decoded address
and is recognised with one tap; the minutes then list both. Screenshots go to tests/artifacts/."""
import io
from datetime import UTC, datetime, timedelta

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.meetings import services
from trainer.meetings.models import AttendanceHow, MeetingAttendance
from trainer.offices import services as offices
from trainer.offices.services import OfficeValues

pytestmark = pytest.mark.browser


@pytest.fixture
def app(make_app):
    """Every form must carry its guard, as in production."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app
        db.session.remove()


def test_two_officers_mark_their_attendance_from_the_meeting_s_qr(app, places, make_user, live_server, browser):
    chair_user = make_user("dc", Role.DISTRICT_OFFICER)
    bdo = make_user("bdo", Role.BLOCK_OFFICER)
    cmo = make_user("cmo", Role.DISTRICT_OFFICER)
    chair = offices.save_office(OfficeValues("उपायुक्त कार्यालय गोड्डा", short_name="DC", place=places.district(111)))
    block = offices.save_office(OfficeValues("प्रखंड विकास कार्यालय", short_name="BDO-1", place=places.block(1111)))
    health = offices.save_office(OfficeValues("मुख्य चिकित्सा पदाधिकारी कार्यालय", short_name="CMO",
                                              place=places.district(111)))
    offices.add_officer(chair, chair_user, "उपायुक्त")
    offices.add_officer(block, bdo, "प्रखंड विकास पदाधिकारी")
    offices.add_officer(health, cmo, "मुख्य चिकित्सा पदाधिकारी")
    series = services.save_series(services.SeriesValues(
        code="GDA", chair_office_id=chair.id, title_hi="जेएसएलपीएस मासिक समीक्षा, गोड्डा", place=places.district(111),
        member_office_ids=(block.id, health.id)), chair_user)
    start = datetime.now(UTC) - timedelta(minutes=10)
    meeting = services.create_meeting(series, services.MeetingValues(
        starts_at=start, ends_at=start + timedelta(hours=2), venue="समाहरणालय सभागार"), chair_user)
    db.session.commit()
    ARTIFACTS.mkdir(exist_ok=True)

    # The chair's office opens the printable QR; its image is what the hall's screen shows.
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live_server, "dc")
    page.goto(f"{live_server}/meetings/{meeting.id}/qr")
    page.screenshot(path=str(ARTIFACTS / "meeting-qr-360.png"), full_page=True)
    image = Image.open(io.BytesIO(page.locator("#meeting-qr svg").screenshot()))
    [address] = [found.text for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]
    assert address.startswith(live_server) and meeting.attendance_token in address
    context.close()

    for username, shot in (("bdo", "meeting-attend-bdo-360.png"), ("cmo", "meeting-attend-cmo-360.png")):
        phone = browser.new_context(viewport={"width": 360, "height": 740})
        page = phone.new_page()
        sign_in(page, live_server, username)
        page.goto(address)
        assert "जेएसएलपीएस मासिक समीक्षा" in page.inner_text("main")
        page.click("main button[type=submit]")  # one tap: the account says who it is
        assert "आपकी उपस्थिति दर्ज हो गई है" in page.inner_text("main")
        page.screenshot(path=str(ARTIFACTS / shot), full_page=True)
        assert page_width(page) <= 360
        phone.close()

    db.session.expire_all()
    rows = list(db.session.scalars(select(MeetingAttendance).order_by(MeetingAttendance.id)))
    assert [(r.user_id, r.office_text, r.how) for r in rows] == [
        (bdo.id, "प्रखंड विकास कार्यालय", AttendanceHow.QR), (cmo.id, "मुख्य चिकित्सा पदाधिकारी कार्यालय", AttendanceHow.QR)]

    # The minutes list both as present.
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    sign_in(page, live_server, "dc")
    page.goto(f"{live_server}/meetings/{meeting.id}/minutes")
    text = page.inner_text("main")
    assert "प्रखंड विकास पदाधिकारी" in text and "मुख्य चिकित्सा पदाधिकारी" in text
    page.screenshot(path=str(ARTIFACTS / "meeting-minutes-360.png"), full_page=True)
    assert page_width(page) <= 360
    page.goto(f"{live_server}/meetings/{meeting.id}")
    page.screenshot(path=str(ARTIFACTS / "meeting-page-360.png"), full_page=True)
    assert page_width(page) <= 360
    context.close()
