"""What the browser tests share: Debian's Chromium driven by Playwright, and the app served on a loopback port.

Import the fixtures into a test module (`from tests.browser_support import browser, live_server`).
"""
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from tests.conftest import PASSWORD
from trainer.core.roles import Role

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.fixture
def live_server(app, places, make_user):
    """Serve the app on a free loopback port in a background thread; return its base URL.

    Every role has an account named after it (admin, trainer, ..., secretary), with the suite's password."""
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


def sign_in(page, base: str, username: str) -> None:
    """Sign in through the login page and wait for the home page."""
    page.goto(base + "/login")
    page.fill("#username", username)
    page.fill("#password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(base + "/")


def page_width(page) -> int:
    """The width of what `page` shows, once the page that a click or a form began to load has loaded.

    Read right after a click that navigates, the document can be the one between two pages, which has no
    root element yet; waiting for the load event first makes the reading the new page's."""
    page.wait_for_load_state("load")
    return page.evaluate("document.documentElement.scrollWidth")
