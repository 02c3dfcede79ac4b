"""In Chromium: the secretary who watches the stream on the phone itself marks from that phone (the live screen's
typed code legible in a phone's small player, the session page's way in), and finds the GP by a name typed in
Latin letters, among namesakes told apart by janpad and district. Screenshots go to tests/artifacts/."""
from datetime import timedelta

import pytest

from tests.browser_support import ARTIFACTS, browser, live_server, sign_in  # noqa: F401 (fixtures)
from tests.conftest import _rows
from trainer.attendance import services
from trainer.core import clock
from trainer.extensions import db
from trainer.regions.importer import import_region_rows

pytestmark = pytest.mark.browser
PHONE_PLAYER_WIDTH = 360  # a 16:9 stream shown across a phone held upright


@pytest.fixture
def session(app, make_programme, places, monkeypatch):
    session = make_programme(modules=1).sessions[0]
    monkeypatch.setattr(clock, "now", lambda: session.starts_at + timedelta(minutes=5))
    rows = _rows()
    extra = [{**next(row for row in rows if row["block_code"] == block), "gp_code": str(30000 + number),
              "gp_name_hi": "हरिडीह", "gp_name_en": "Haridih"} for number, block in enumerate(("1111", "1121"))]
    import_region_rows(rows + extra)
    db.session.commit()
    return session


def test_the_typed_code_on_the_live_screen_can_be_read_in_a_phones_player(live_server, browser, session):
    page = browser.new_page(viewport={"width": 1920, "height": 1080})
    sign_in(page, live_server, "trainer")
    page.goto(f"{live_server}/attendance/sessions/{session.id}/live-qr")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "same-phone-live-qr-1920.png"))
    digits = page.locator(".digits")
    size = float(digits.evaluate("element => getComputedStyle(element).fontSize").removesuffix("px"))
    # The stream is the screen scaled down to the player: the digits must stay at least 16 px tall there.
    assert size * PHONE_PLAYER_WIDTH / 1920 >= 16, size
    box = digits.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 1920 and box["y"] + box["height"] <= 1080  # all on screen
    page.close()


def test_a_phone_goes_from_the_session_page_to_marking_with_a_name_typed_in_latin(live_server, browser, session):
    db.session.refresh(session)
    code = services.ensure_session_code(session)
    access = services.issue_code(_gp(30000))  # the हरिडीह of janpad 111
    db.session.commit()
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{live_server}/sessions/{session.id}")
    page.click("section.marking a[role=button]")
    page.fill("input[name=code]", code)
    page.click("main button[type=submit]")
    page.fill("#gp_query", "haridih")
    page.fill("#access_code", access)
    page.fill("#participants", "6")
    page.click("main button[type=submit]")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "same-phone-choices-360.png"), full_page=True)
    choices = page.locator("fieldset.choices label")
    assert choices.count() == 2
    assert "जनपद जनपद 111, जिला जिला 11" in choices.nth(0).inner_text() + choices.nth(1).inner_text()
    assert page.input_value("#gp_query") == "haridih"
    assert "जनपद 111," in choices.nth(0).inner_text()  # the namesakes in order of district and janpad
    page.check("#gp_choice-0")
    page.fill("#access_code", access)
    page.fill("#participants", "6")
    page.click("main button[type=submit]")
    assert "हरिडीह उपस्थित दर्ज" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "same-phone-marked-360.png"), full_page=True)
    context.close()


def _gp(code: int):
    from trainer.regions.models import GramPanchayat

    return db.session.scalar(db.select(GramPanchayat).where(GramPanchayat.lgd_code == code))
