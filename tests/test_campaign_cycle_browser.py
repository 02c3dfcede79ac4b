"""A campaign's week, as its users live it on a phone (360 px): the block officer uploads the week's values — a
broken file is refused whole with every bad line named, the corrected one taken —, the district officer approves
them, and the dashboard, its PDF and its XLSX show the new totals and the trend; the campaign's GPs-trained
indicator is the linked programme's count from attendance."""
import io
import subprocess
from datetime import date, datetime, timezone

import pytest
from sqlalchemy import func, select

from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from tests.test_campaigns import make_campaign, make_indicator
from trainer.campaigns.models import Approval, IndicatorValue, Source
from trainer.campaigns.services import IndicatorValues, record_value, save_indicator, set_target
from trainer.core import clock
from trainer.core.pdf import pdf_page_png
from trainer.extensions import db
from trainer.regions.areas import Area

pytestmark = pytest.mark.browser

W1, W2, W3 = date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14)
HEADER = "area_code,indicator,period,value\n"
BROKEN = HEADER + (
    "99999,linked,2026-W51,5\n"  # 2: no such place
    "11111,insured,2026-W51,5\n"  # 3: no such indicator
    "11121,linked,2026-W51,5\n"  # 4: a GP of another block
    "11111,linked,2027-W30,5\n"  # 5: a week outside the campaign
    "11112,linked,2026-W51,-3\n"  # 6: negative
    "11113,linked,2026-W51,बहुत\n"  # 7: not a number
    "11111,identified,2026-W51,120\n"
    "11111,identified,2026-W51,120\n"  # 9: repeats line 8
    "11111,linked,2026-W51,500\n")  # 10: above the GP's target of 200, which linked cannot exceed
GOOD = HEADER + ("11111,identified,2026-W51,120\n11112,identified,2026-W51,80\n11113,identified,2026-W51,60\n"
                 "11111,linked,2026-W51,90\n11112,linked,2026-W51,50\n11113,linked,2026-W51,30\n")


@pytest.fixture
def week_three(monkeypatch):
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 16))
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 16, 6, tzinfo=timezone.utc))


@pytest.fixture
def campaign(app, places, marked, week_three, live_server):  # noqa: F811
    """District 111's SHG linkage: families identified and linked (a share of those identified) in weeks 1 and 2,
    approved by the district; the GPs trained by the `marked` programme."""
    from trainer.accounts.models import User
    from trainer.campaigns import approvals

    campaign = make_campaign(places, approval=Approval.DISTRICT, programme_ids=(marked.id,))
    identified = make_indicator(campaign, code="identified", name_hi="चिह्नित परिवार", unit_hi="परिवारों",
                                unit_en="families", may_exceed_target=True)
    linked = make_indicator(campaign, code="linked", unit_hi="परिवारों", unit_en="families")
    linked.share_of = identified
    for code in (11111, 11112, 11113, 11121, 11122, 11123):
        set_target(linked, places.gp(code), 200)
    save_indicator(campaign, IndicatorValues(code="trained", name_hi="प्रशिक्षित ग्राम पंचायतें",
                                             name_en="GPs trained", unit_hi="ग्राम पंचायतों", unit_en="GPs",
                                             source=Source.GPS_TRAINED, programme_id=marked.id))
    for week, values in ((W1, {11111: (100, 20), 11121: (100, 10)}), (W2, {11111: (100, 50), 11121: (100, 40)})):
        for code, (found, joined) in values.items():
            record_value(identified, places.gp(code), week, found)
            record_value(linked, places.gp(code), week, joined)
    district = db.session.scalar(select(User).filter_by(username="district_officer"))
    for indicator in (identified, linked):
        for week in (W1, W2):
            approvals.approve_values(indicator, week, district)
    db.session.commit()
    return campaign


def values_count() -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count(IndicatorValue.id)))


def test_a_week_of_values_from_upload_to_dashboard(campaign, marked, places, live_server, browser):  # noqa: F811
    from openpyxl import load_workbook

    from trainer.reports.queries import programme_report

    ARTIFACTS.mkdir(exist_ok=True)
    before = values_count()
    officer = browser.new_context(viewport={"width": 360, "height": 780})
    page = officer.new_page()
    sign_in(page, live_server, "block_officer")
    page.goto(f"{live_server}/campaigns/{campaign.id}/values/import")
    page.set_input_files("input[type=file]", files=[{"name": "week.csv", "mimeType": "text/csv",
                                                     "buffer": BROKEN.encode()}])
    page.click("main form button[type=submit]")
    refused = page.inner_text("main")
    for line in range(2, 11):
        if line != 8:
            assert f"पंक्ति {line}" in refused, (line, refused)
    assert "पंक्ति 8:" not in refused
    assert page_width(page) <= 360
    page.screenshot(path=str(ARTIFACTS / "campaign-upload-refused-360.png"), full_page=True)
    assert values_count() == before  # nothing of the broken file was written

    page.set_input_files("input[type=file]", files=[{"name": "week.csv", "mimeType": "text/csv",
                                                     "buffer": GOOD.encode()}])
    page.click("main form button[type=submit]")
    assert "फ़ाइल आयात की गई" in page.inner_text("main") or "6" in page.inner_text(".stats")
    assert values_count() == before + 6
    officer.close()

    approver = browser.new_context(viewport={"width": 360, "height": 780})
    page = approver.new_page()
    sign_in(page, live_server, "district_officer")
    page.goto(f"{live_server}/campaigns/approvals")
    waiting = page.inner_text("#waiting")
    assert "3" in waiting and page_width(page) <= 360
    page.screenshot(path=str(ARTIFACTS / "campaign-approvals-360.png"), full_page=True)
    while page.locator("#waiting button[type=submit]").count():
        page.locator("#waiting button[type=submit]").first.click()
        page.wait_for_load_state()
    assert "अनुमोदन के लिए कुछ नहीं" in page.inner_text("main") or not page.locator("#waiting").count()

    page.goto(f"{live_server}/campaigns/{campaign.id}/dashboard")
    board = page.inner_text("main")
    # Linked: 90 + 50 + 30 (week 3) + 40 (GP 11121's week 2) of 120 + 80 + 60 + 100 identified.
    assert "360 परिवारों में से 210 (58.3%)" in board
    assert "मान अभी अनुमोदित नहीं" not in board
    report = programme_report(marked, Area.of(places.district(111)))
    assert f"{report.target_gps} ग्राम पंचायतों में से {report.trained_gps}" in board
    assert page_width(page) <= 360
    assert page.locator("figure.chart svg").count() == 3
    page.screenshot(path=str(ARTIFACTS / "campaign-dashboard-week-360.png"), full_page=True)

    workbook = load_workbook(io.BytesIO(page.request.get(f"{live_server}/campaigns/{campaign.id}/dashboard.xlsx")
                                        .body()))
    trend = workbook[workbook.sheetnames[1]]
    rows = [[cell.value for cell in row] for row in trend.iter_rows(min_row=1)]
    linked_column = rows[0].index("जोड़े गए परिवार")
    assert [row[linked_column] for row in rows[1:]] == [30, 90, 170]
    summary = [[cell.value for cell in row] for row in workbook[workbook.sheetnames[0]].iter_rows(min_row=2)]
    assert ["जोड़े गए परिवार", "पूरा अभियान", 210, 360] == summary[3][:4]  # after identified: whole, 2 phases

    pdf = page.request.get(f"{live_server}/campaigns/{campaign.id}/dashboard.pdf").body()
    text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
    assert "360 परिवारों में से 210 (58.3%)" in text and "2026-W51" in text
    (ARTIFACTS / "campaign-dashboard-week-pdf.png").write_bytes(pdf_page_png(pdf, dpi=80))
    approver.close()
