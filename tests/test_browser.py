"""Real headless Chromium (Debian's package, driven by Playwright): every role signs in and sees Hindi."""
import pytest

from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from tests.conftest import PASSWORD
from trainer.core.roles import Role

pytestmark = pytest.mark.browser


PAGES_BY_ROLE = {
    Role.ADMIN: ["/", "/admin/users/", "/regions/", "/regions/import", "/youtube/"],
    Role.TRAINER: ["/", "/regions/", "/regions/search?q=ग्राम", "/plan/", "/plan/new", "/youtube/"],
    Role.DIRECTOR: ["/", "/regions/", "/regions/divisions/1", "/regions/districts/111"],
    Role.DISTRICT_OFFICER: ["/", "/regions/districts/111"],
    Role.BLOCK_OFFICER: ["/", "/regions/blocks/1111"],
    Role.SECRETARY: ["/"],
}


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_role_signs_in_and_reads_hindi_without_console_errors(live_server, browser, role):
    ARTIFACTS.mkdir(exist_ok=True)
    for width, height in ((360, 740), (1280, 900)):
        context = browser.new_context(viewport={"width": width, "height": height})
        page = context.new_page()
        errors = []
        page.on("console", lambda msg, errors=errors: errors.append(msg.text) if msg.type == "error" else None)
        page.on("pageerror", lambda exc, errors=errors: errors.append(str(exc)))
        page.goto(live_server + "/login")
        page.fill("#username", role.value)
        page.fill("#password", PASSWORD)
        page.click("main button[type=submit]")
        page.wait_for_url(live_server + "/")
        assert role.value in page.inner_text("footer")
        for path in PAGES_BY_ROLE[role]:
            response = page.goto(live_server + path)
            assert response.status == 200, path
            assert page.get_attribute("html", "lang") == "hi"
            assert "लॉग-आउट" in page.inner_text("header")
            # The page fits a phone: nothing wider than the viewport.
            assert page_width(page) <= width + 1, path
            name = path.strip("/").replace("/", "_").replace("?", "_").replace("=", "_") or "home"
            page.screenshot(path=str(ARTIFACTS / f"{role.value}-{name}-{width}.png"), full_page=True)
        assert errors == []
        context.close()


def test_devanagari_is_drawn_with_the_served_noto_font(live_server, browser):
    page = browser.new_page()
    page.goto(live_server + "/login")
    page.evaluate("document.fonts.ready")
    loaded = page.evaluate(
        "Array.from(document.fonts).filter(f => f.status === 'loaded').map(f => f.family)")
    assert any("Noto Sans Devanagari" in family for family in loaded)
    assert page.evaluate("document.fonts.check('16px \"Noto Sans Devanagari\"', 'क्षेत्र')")


def test_trainer_builds_the_model_case_resolves_a_clash_and_publishes(live_server, browser):
    """8 modules for every division, 21 July to 7 August: proposed, one clash made and resolved, published."""
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 1280, "height": 900})
    sign_in(page, live_server, "trainer")
    page.goto(live_server + "/plan/new")
    page.fill("#title_hi", "जीपीडीपी प्रशिक्षण")
    for box in page.locator("#divisions input[type=checkbox]").all():
        box.check()
    page.fill("#first_day", "2026-07-21")
    page.fill("#last_day", "2026-08-07")
    page.fill("#parallel", "3")
    page.click("main button[type=submit]")
    assert "कार्यक्रम बन गया" in page.inner_text("main"), page.inner_text("main")
    experts = ["डॉ. आशा वर्मा", "श्री भरत सिंह", "सुश्री चित्रा जोशी", "श्री देवेंद्र पटेल"]
    for number in range(1, 9):
        page.get_by_role("button", name="मॉड्यूल जोड़ें", exact=True).click()
        page.fill("#title_hi", f"मॉड्यूल {number}")
        page.fill("#experts", experts[number % 4])
        page.click("main button[type=submit]")
    page.get_by_role("button", name="कैलेंडर प्रस्तावित करें", exact=True).click()
    assert "16 सत्रों का कैलेंडर प्रस्तावित किया गया" in page.inner_text("main")

    # Put the second session of division 1 on top of its first: the app names the clash and keeps the calendar.
    page.locator(".calendar-table tbody tr.status-draft a").nth(1).click()
    first_start = page.input_value("#start")
    page.fill("#start", "11:00")
    page.fill("#end", "12:30")
    page.fill("#day", "2026-07-21")
    page.click("main form button[type=submit]")
    message = page.inner_text("[role=alert]")
    assert "एक साथ" in message, message
    page.screenshot(path=str(ARTIFACTS / "trainer-clash-refused-1280.png"), full_page=True)
    page.fill("#start", first_start)
    page.fill("#end", "16:30" if first_start.startswith("15") else "12:30")
    page.click("main form button[type=submit]")
    assert "सत्र सहेज लिया गया" in page.inner_text("main")

    # No feedback form yet: publishing says so first, and goes ahead only when the trainer chooses to.
    page.get_by_role("button", name="16 प्रारूप सत्र प्रकाशित करें").click()
    assert "कोई फीडबैक फ़ॉर्म नहीं है" in page.inner_text("main")
    assert "प्रकाशित किए गए" not in page.inner_text("main")
    page.get_by_label("फिर भी प्रकाशित करें").check()
    page.get_by_role("button", name="16 प्रारूप सत्र प्रकाशित करें").click()
    assert "16 सत्र प्रकाशित किए गए" in page.inner_text("main")
    page.get_by_role("button", name="सार्वजनिक पृष्ठ", exact=True).click()
    assert page.locator("main table tbody tr").count() >= 16
    page.screenshot(path=str(ARTIFACTS / "public-programme-model-case-1280.png"), full_page=True)
    page.close()


def test_todays_session_page_on_a_phone_shows_its_links_in_hindi(live_server, browser, make_programme):
    from datetime import timedelta

    from trainer.core.database import utc_now
    from trainer.extensions import db

    programme = make_programme(modules=1)
    session = programme.sessions[0]
    session.starts_at = utc_now() - timedelta(minutes=10)  # running now, so it is today's on any day
    session.ends_at = session.starts_at + timedelta(minutes=90)
    session.youtube_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    session.webcast_url = "https://webcast.gov.in/mp/panchayat"
    session.meeting_url = "https://vidyavaahini.nic.in/panchayat-1"
    session.meeting_details = "मीटिंग आईडी: 401 210 0001"
    db.session.commit()
    page = browser.new_page(viewport={"width": 360, "height": 740})
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    page.goto(f"{live_server}/programmes/{programme.id}/divisions/1")
    assert page.locator("main a[href='/sessions/%d']" % session.id).count() >= 1
    page.goto(f"{live_server}/sessions/{session.id}")
    text = page.inner_text("main")
    for expected in ("कहाँ देखें", "यूट्यूब", "एनआईसी वेबकास्ट", "वीडियो कॉन्फ्रेंस", "मीटिंग आईडी: 401 210 0001",
                     "https://webcast.gov.in/mp/panchayat", "व्हाट्सऐप"):
        assert expected in text, expected
    assert page.locator("iframe[src^='https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ']").count() == 1
    assert page_width(page) <= 361
    page.screenshot(path=str(ARTIFACTS / "public-session-today-360.png"), full_page=True)
    assert errors == []
    page.close()
