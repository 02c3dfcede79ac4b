"""An organisation's representative marks its attendance from the session's poster QR in a real browser at 360 px,
JavaScript off, as on the cheapest phones: the poster's QR is decoded, the GP form leads to the organisation's,
the partner is found and marked. Screenshots go to tests/artifacts/."""
import io
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import zxingcpp
from flask import url_for
from PIL import Image
from sqlalchemy import select

from tests.browser_support import ARTIFACTS, browser, live_server, page_width  # noqa: F401 (fixtures)
from tests.test_programme_partners import make_organisation
from trainer.attendance import posters, services
from trainer.attendance.printables import scan_url
from trainer.core import clock
from trainer.extensions import db
from trainer.partners import programme_partners
from trainer.partners.models import OrganisationAttendance
from trainer.programmes.models import Reach

pytestmark = pytest.mark.browser


@pytest.fixture
def app(make_app):
    """Every form must carry its guard, as in production."""
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        yield app
        db.session.remove()


def test_a_representative_marks_the_organisation_from_the_poster_qr(app, make_programme, monkeypatch, live_server,
                                                                     browser):
    programme = make_programme(modules=1)
    organisation = make_organisation()
    programme_partners.add_partners(programme, [organisation.id], None)
    programme_partners.set_reach(programme, Reach.BOTH)
    code = programme_partners.issue_code(organisation)
    db.session.commit()
    session = programme.sessions[0]
    monkeypatch.setattr(clock, "now", lambda: session.starts_at + timedelta(minutes=5))
    services.ensure_session_code(session)
    db.session.commit()
    with app.test_request_context():
        poster = posters.poster_png(session, scan_url(session), url_for("attend.enter_code", _external=True))
    [address] = [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(poster)),
                                                                formats=zxingcpp.BarcodeFormat.QRCode)]
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(java_script_enabled=False, viewport={"width": 360, "height": 740})
    page = context.new_page()
    page.goto(live_server + urlsplit(address).path)
    page.click("text=संस्था")
    assert "संस्था की उपस्थिति" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "partner-attendance-form-360.png"), full_page=True)
    page.fill("#organisation_query", "नर्मदा")
    page.fill("#access_code", code)
    page.fill("#participants", "14")
    page.click("main button[type=submit]")
    assert "नर्मदा सेवा संस्थान" in page.inner_text("main") and "14" in page.inner_text("main")
    page.screenshot(path=str(ARTIFACTS / "partner-attendance-done-360.png"), full_page=True)
    assert page_width(page) <= 360
    context.close()
    db.session.expire_all()
    assert db.session.scalar(select(OrganisationAttendance.participants)) == 14
