"""Real headless Chromium (Debian's package, driven by Playwright): every role signs in and sees Hindi."""
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from trainer.accounts.models import Role
from tests.conftest import PASSWORD

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.browser


@pytest.fixture
def live_server(app, places, make_user):
    """Serve the app on a free loopback port in a background thread; return its base URL."""
    for role in Role:
        make_user(role=role)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    thread.join()


@pytest.fixture(scope="module")
def browser():
    sync_api = pytest.importorskip("playwright.sync_api")
    with sync_api.sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


PAGES_BY_ROLE = {
    Role.ADMIN: ["/", "/admin/users/", "/regions/", "/regions/import"],
    Role.TRAINER: ["/", "/regions/", "/regions/search?q=ग्राम"],
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
            assert page.evaluate("document.documentElement.scrollWidth") <= width + 1, path
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
