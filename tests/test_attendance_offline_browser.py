"""In Chromium at 360 px: a phone that scanned the session's code loses its network, still opens the form, marks,
is told the mark is saved on the phone, and when the network returns the mark is sent by itself, recorded once,
and the page says so. Screenshots go to tests/artifacts/."""
import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.browser_support import ARTIFACTS, browser, live_server  # noqa: F401 (fixtures)
from trainer.attendance import services, tokens
from trainer.attendance.models import Attendance, AttendanceRevision
from trainer.core import clock
from trainer.extensions import db

pytestmark = pytest.mark.browser
SAVED = "इस फ़ोन पर सहेजी गई, भेजी जाएगी"


@pytest.fixture
def session(app, make_programme, places, monkeypatch):
    session = make_programme(modules=1).sessions[0]
    monkeypatch.setattr(clock, "now", lambda: session.starts_at + timedelta(minutes=5))
    return session


def counts() -> tuple[int, int]:
    db.session.expire_all()
    return (db.session.scalar(select(func.count()).select_from(Attendance)),
            db.session.scalar(select(func.count()).select_from(AttendanceRevision)))


def test_a_mark_sent_without_network_is_kept_on_the_phone_and_recorded_once_when_it_returns(
        live_server, browser, session, places):
    access = services.issue_code(places.gp(11111))
    db.session.commit()
    token = tokens.make_token(session.id)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server}/a/{token}")
    # The service worker takes the flow's pages (its scope is /a/, outside static/js/ where it is served).
    scope = page.evaluate("navigator.serviceWorker.ready.then(registration => registration.scope)")
    assert scope == f"{live_server}/a/"
    page.evaluate("""new Promise(resolve => navigator.serviceWorker.controller ? resolve(true)
                     : navigator.serviceWorker.addEventListener('controllerchange', () => resolve(true)))""")
    page.reload()  # now through the worker, which keeps a copy of the form on the phone

    context.set_offline(True)
    page.reload()  # the scan's form opens again without network
    assert page.locator("#participants").is_visible()
    page.fill("#gp_query", "11111")
    page.fill("#access_code", access)
    page.fill("#participants", "8")
    page.click("main form[data-mark] button[type=submit]")
    notice = page.locator("#saved-on-phone")
    notice.wait_for(state="visible")
    assert SAVED in notice.inner_text() and not page.locator("form[data-mark]").is_visible()
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "offline-saved-on-phone-360.png"), full_page=True)
    assert counts() == (0, 0)

    context.set_offline(False)
    # (Waited for by its text: the page's strict CSP allows Playwright no script of its own.)
    page.get_by_text("ग्राम 1111 उपस्थित दर्ज").wait_for(timeout=15_000)
    assert "8 प्रतिभागी" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "offline-recorded-360.png"), full_page=True)
    page.wait_for_timeout(1500)  # whatever else might still send it (Background Sync, a second 'online') has had its turn
    assert counts() == (1, 1)
    revision = db.session.scalar(select(AttendanceRevision))
    assert revision.participants == 8 and revision.mark_key is not None
    # Nothing is left on the phone to send: opening the flow again sends nothing more.
    page.goto(f"{live_server}/a/{token}")
    page.wait_for_timeout(500)
    assert counts() == (1, 1)
    context.close()


def test_a_phone_with_scripts_and_network_marks_at_once_with_its_key(live_server, browser, session, places):
    access = services.issue_code(places.gp(11111))
    db.session.commit()
    token = tokens.make_token(session.id)
    context = browser.new_context(viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(f"{live_server}/a/{token}")
    page.fill("#gp_query", "11111")
    page.fill("#access_code", access)
    page.fill("#participants", "4")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "offline-form-360.png"), full_page=True)
    page.click("main form[data-mark] button[type=submit]")
    page.get_by_text("ग्राम 1111 उपस्थित दर्ज").wait_for(timeout=15_000)
    assert not page.locator("#saved-on-phone").count()  # the confirmation replaced the form: nothing kept
    assert counts() == (1, 1)
    revision = db.session.scalar(select(AttendanceRevision))
    assert revision.participants == 4 and re.fullmatch(r"[0-9a-f-]{36}", revision.mark_key)
    assert revision.made_at is None  # sent as it was made
    # The phone is remembered by the cookie the answer set, as without scripts.
    page.goto(f"{live_server}/a/{token}")
    assert "ग्राम 1111" in page.inner_text("p.gp") and not page.locator("#access_code").count()
    context.close()
