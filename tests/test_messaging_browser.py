"""Messages in Chromium on a phone (360 px): a trainer counts and sends a broadcast to a district's untrained
GPs and watches it delivered by the stand-in gateway; editing an SMS template counts its parts as it is typed."""
import pytest

from tests.browser_support import ARTIFACTS, browser, live_server, sign_in  # noqa: F401 (fixtures)
from tests.conftest import sessions_of
from tests.test_messaging import add_contact, app, provider_settings, sms, smtp, whatsapp  # noqa: F401
from trainer.extensions import db

pytestmark = pytest.mark.browser
WIDTH, HEIGHT = 360, 740


@pytest.fixture
def programme(live_server, places, make_programme):
    programme = make_programme(modules=2)
    for n, code in enumerate((11111, 11112, 11121, 12111), start=1):
        add_contact(places.gp(code), mobile=f"900000000{n}")
    db.session.commit()
    return programme


def phone(browser):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="hi-IN")
    page = context.new_page()
    errors = []
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return context, page, errors


def test_a_trainer_sends_a_broadcast_from_the_report_and_watches_it_delivered(live_server, browser, programme, sms):
    ARTIFACTS.mkdir(exist_ok=True)
    context, page, errors = phone(browser)
    sign_in(page, live_server, "trainer")
    page.goto(f"{live_server}/reports/programmes/{programme.id}")
    page.click("text=अभी तक अप्रशिक्षित ग्राम पंचायतों को संदेश भेजें")
    session = sessions_of(programme, 1)[0]
    page.select_option("#session", str(session.id))
    page.select_option("#place", "d111")
    page.click("button[value=preview]")
    preview = page.locator("#preview")
    assert "भेजने से पहले" in preview.inner_text()
    figures = preview.locator("strong").all_inner_texts()
    assert figures[:2] == ["6", "3"]  # district 111's six untrained GPs; three have a secretary's number
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner
    page.screenshot(path=str(ARTIFACTS / f"messages-broadcast-preview-{WIDTH}.png"), full_page=True)
    page.click("button[value=send]")
    page.wait_for_url("**/messages/broadcasts/*")
    body = page.inner_text("main")
    assert "जिलेवार पहुँच" in body and "जिला 11" in body
    page.screenshot(path=str(ARTIFACTS / f"messages-broadcast-delivery-{WIDTH}.png"), full_page=True)
    assert len(sms.delivered) == 3
    page.goto(f"{live_server}/messages/")
    assert "90******01" in page.inner_text("main")
    scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
    assert scroll <= inner  # the outbox's table scrolls inside the page
    page.screenshot(path=str(ARTIFACTS / f"messages-outbox-{WIDTH}.png"), full_page=True)
    context.close()
    assert errors == []


def test_an_sms_template_counts_its_parts_while_it_is_typed(live_server, browser, places):
    context, page, errors = phone(browser)
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server}/messages/templates/access_code_reissued/sms/hi")
    counter = page.locator("#sms-count")
    assert counter.get_attribute("data-segments") == "2"  # the script counted the text as shipped
    page.fill("#body", "कोड {#var#} {#var#}")
    assert counter.get_attribute("data-segments") == "1" and "1 एसएमएस" in counter.inner_text()
    page.fill("#body", "क" * 71)
    assert counter.get_attribute("data-segments") == "2" and "71 अक्षर, 2 एसएमएस भाग" in counter.inner_text()
    page.screenshot(path=str(ARTIFACTS / f"messages-template-{WIDTH}.png"), full_page=True)
    context.close()
    assert errors == []
