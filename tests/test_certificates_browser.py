"""In Chromium, as new users would: a trainer sets up a programme's certificate and issues it to every GP that
completed the programme; a secretary, on a 360 px phone without JavaScript, names the GP once, downloads its
certificate, and the QR decoded from the PDF opens a page that says "valid"; an altered code says "not valid".
Screenshots go to tests/artifacts/."""
import base64
from urllib.parse import urlsplit

import pytest

from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from tests.test_printables import decode
from trainer.attendance import services as attendance
from trainer.core.pdf import pdf_page_png
from trainer.extensions import db

pytestmark = pytest.mark.browser


def test_a_programmes_gps_get_certificates_and_a_secretary_checks_one_from_the_phone(browser, live_server, marked,
                                                                                    places):
    ARTIFACTS.mkdir(exist_ok=True)
    code = attendance.issue_code(places.gp(11111))
    db.session.commit()
    desk = browser.new_context(viewport={"width": 1280, "height": 900}).new_page()
    sign_in(desk, live_server, "trainer")
    desk.goto(f"{live_server}/certificates/programmes/{marked.id}")
    assert "3 ग्राम पंचायतों ने कार्यक्रम पूरा किया है" in desk.inner_text("main")
    desk.click("text=प्रमाण-पत्र तैयार करें")
    desk.wait_for_selector("img.certificate-preview")
    assert desk.eval_on_selector("img.certificate-preview", "image => image.naturalWidth") > 300
    desk.screenshot(path=str(ARTIFACTS / "certificates-design-1280.png"), full_page=True)
    desk.click("text=कार्यक्रम के प्रमाण-पत्र")
    desk.click("form[action$='/batches'] button[type=submit]")
    assert "कार्यक्रम पूरा करने वाली 3 में से 3 ग्राम पंचायतों के पास प्रमाण-पत्र है" in desk.inner_text("main")
    desk.screenshot(path=str(ARTIFACTS / "certificates-batch-1280.png"), full_page=True)
    desk.goto(f"{live_server}/certificates/programmes/{marked.id}")
    desk.screenshot(path=str(ARTIFACTS / "certificates-programme-1280.png"), full_page=True)
    desk.set_viewport_size({"width": 360, "height": 740})
    desk.goto(f"{live_server}/certificates/")
    assert page_width(desk) <= 360
    desk.screenshot(path=str(ARTIFACTS / "certificates-index-360.png"), full_page=True)

    phone = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False).new_page()
    phone.goto(f"{live_server}/certificates/mine")
    phone.fill("#gp_code", "11111")
    phone.fill("#access_code", code)
    phone.click("main button[type=submit]")
    assert "ग्राम 1111 के प्रमाण-पत्र" in phone.inner_text("main")
    assert page_width(phone) <= 360  # nothing wider than the phone
    phone.screenshot(path=str(ARTIFACTS / "certificates-mine-360.png"), full_page=True)
    with phone.expect_download() as download:
        phone.click("text=डाउनलोड करें (PDF)")
    pdf = download.value.path().read_bytes()
    assert pdf.startswith(b"%PDF") and len(pdf) < 200 * 1024
    image = pdf_page_png(pdf, dpi=150)
    (ARTIFACTS / "certificates-downloaded.png").write_bytes(image)
    [scanned] = decode(image)
    phone.goto(live_server + urlsplit(scanned).path)
    assert "यह प्रमाण-पत्र मान्य है।" in phone.inner_text("main")
    assert page_width(phone) <= 360
    phone.screenshot(path=str(ARTIFACTS / "certificates-verify-valid-360.png"), full_page=True)

    code_part = urlsplit(scanned).path.rsplit("/", 1)[1]
    raw = base64.b32decode(code_part + "=" * (-len(code_part) % 8))
    altered = base64.b32encode(raw[:-64].replace("ग्राम 1111".encode(), "ग्राम 1119".encode()) + raw[-64:])
    phone.goto(f"{live_server}/C/{altered.decode().rstrip('=')}")
    assert "मान्य नहीं" in phone.inner_text("main")
    phone.screenshot(path=str(ARTIFACTS / "certificates-verify-altered-360.png"), full_page=True)
