"""The secretary's flow in a real browser with JavaScript switched off, as on the cheapest phones: scan, type
the GP and its code, count, confirmed; the language buttons work; forms are guarded as in production.
Screenshots (360 px and 1280 px) go to tests/artifacts/."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.browser_support import ARTIFACTS, browser, live_server  # noqa: F401 (fixtures)
from trainer.attendance import services, tokens
from trainer.attendance.models import Attendance
from trainer.core import clock
from trainer.extensions import db

pytestmark = pytest.mark.browser


@pytest.fixture
def app(make_app):
    """The app as in production as far as forms go: every form must carry its CSRF token (here, the flow's guard)."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def scan(app, make_programme, places, monkeypatch):
    """The address a poster's QR code leads to, for a session running now, and GP 11111's access code."""
    session = make_programme(modules=1).sessions[0]
    moment = session.starts_at + timedelta(minutes=5)
    monkeypatch.setattr(clock, "now", lambda: moment)
    code = services.issue_code(places.gp(11111))
    db.session.commit()
    return f"/a/{tokens.make_token(session.id)}", code


@pytest.mark.parametrize("width, height", [(360, 740), (1280, 900)])
def test_a_phone_without_javascript_marks_its_gp_and_switches_language(live_server, browser, scan, width, height):
    ARTIFACTS.mkdir(exist_ok=True)
    path, code = scan
    context = browser.new_context(java_script_enabled=False, viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(live_server + path)
    assert page.get_attribute("html", "lang") == "hi"
    page.screenshot(path=str(ARTIFACTS / f"attendance-form-{width}.png"), full_page=True)
    page.fill("#gp_query", "11111")
    page.fill("#access_code", code)
    page.fill("#participants", "12")
    page.click("main button[type=submit]")
    assert "ग्राम 1111 उपस्थित दर्ज" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / f"attendance-done-{width}.png"), full_page=True)
    page.click("header button[name=lang]")  # English, through the scan's own address
    assert page.get_attribute("html", "lang") == "en-IN"
    assert "Gram 1111" in page.inner_text("main") and "access_code" not in page.content()  # remembered
    page.fill("#participants", "13")
    page.click("main button[type=submit]")
    assert "Gram 1111 is marked present" in page.inner_text("main") and "13 participants" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / f"attendance-done-en-{width}.png"), full_page=True)
    context.close()
    db.session.expire_all()
    assert db.session.scalar(select(Attendance.participants)) == 13
