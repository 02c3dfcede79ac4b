"""What officers, admins and directors meet on a 360 px phone and a 1280 px desktop, in real Chromium: the
checklist's ticks, issuing codes, live attendance, the report's charts, button rows and the month view.
Screenshots go to tests/artifacts/ux-*."""
import pytest

from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from trainer.attendance import services
from trainer.attendance.models import MarkSource, WatchMode
from trainer.attendance.rules import HeadCount
from trainer.core import clock
from trainer.extensions import db
from trainer.programmes.models import ParticipantRole

pytestmark = pytest.mark.browser
WIDTHS = ((360, 740), (1280, 900))


def division_1_session(programme):
    return next(s for s in programme.sessions if s.divisions[0].lgd_code == 1)


def fits(page, width: int) -> bool:
    return page_width(page) <= width + 1


def shoot(page, name: str, width: int) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"ux-{name}-{width}.png"), full_page=True)


@pytest.mark.parametrize("width, height", WIDTHS)
def test_the_lgd_code_lies_clear_of_the_checkbox_and_does_not_tick_it(live_server, browser, make_programme, places,
                                                                       width, height):
    session = division_1_session(make_programme())
    services.mark(session, places.gp(11112), HeadCount(5, {ParticipantRole.SARPANCH: 1}, WatchMode.YOUTUBE),
                  MarkSource.POSTER)
    db.session.commit()
    page = browser.new_page(viewport={"width": width, "height": height})
    sign_in(page, live_server, "block_officer")
    page.goto(f"{live_server}/attendance/sessions/{session.id}/checklist")
    box = page.locator("input[name=mark_11111]")
    code = page.locator("tr", has=box).locator(".lgd")
    a, b = box.bounding_box(), code.bounding_box()
    overlap = not (a["x"] + a["width"] <= b["x"] or b["x"] + b["width"] <= a["x"]
                   or a["y"] + a["height"] <= b["y"] or b["y"] + b["height"] <= a["y"])
    assert not overlap, (a, b)
    code.click()
    assert not box.is_checked()
    page.locator("tr", has=box).locator("label").click()  # the name is the checkbox's label
    assert box.is_checked()
    assert page.locator("button[name=mark_all]").is_visible() and fits(page, width)
    shoot(page, "checklist", width)
    # Marking the GP its secretary marked: the page names what will be replaced and asks.
    page.check("input[name=mark_11112]")
    page.fill("input[name=participants_11112]", "9")
    page.fill("input[name=participants_11111]", "4")
    page.get_by_role("button", name="उपस्थिति सहेजें").click()
    confirm = page.locator(".replace-confirm")
    assert confirm.is_visible() and "5 प्रतिभागी" in confirm.inner_text() and "9 प्रतिभागी" in confirm.inner_text()
    assert fits(page, width)
    shoot(page, "checklist-replace", width)
    page.close()


@pytest.mark.parametrize("width, height", WIDTHS)
def test_after_issuing_a_block_the_page_shows_its_codes_and_offers_the_file(live_server, browser, places,
                                                                            width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server}/access-codes/?block=1111")
    assert "0" == page.locator(".stats article strong").nth(1).inner_text()
    page.check("input[name=confirm]")
    page.get_by_role("button", name="कोड जारी करें और डाउनलोड करें").click()
    page.wait_for_load_state()
    assert page.locator(".stats article strong").nth(1).inner_text() == "3"
    link = page.locator("a[download]")
    assert link.get_attribute("download") == "access-codes-1111.zip"
    with page.expect_download() as download:
        link.click()
    assert download.value.suggested_filename == "access-codes-1111.zip"
    assert fits(page, width)
    shoot(page, "access-codes-issued", width)
    page.close()
    officer = browser.new_page(viewport={"width": width, "height": height})
    sign_in(officer, live_server, "block_officer")
    officer.goto(f"{live_server}/access-codes/")
    assert "ग्राम 1111" in officer.inner_text("main") and officer.locator("a", has_text="नया कोड").count() == 3
    assert officer.locator("form[action='/access-codes/blocks/1111']").count() == 0 and fits(officer, width)
    shoot(officer, "access-codes-block-officer", width)
    officer.close()


@pytest.mark.parametrize("width, height", WIDTHS)
def test_live_attendance_lists_the_gps_to_phone_and_fits_a_phone(live_server, browser, make_programme, places,
                                                                  width, height):
    session = division_1_session(make_programme())
    services.mark(session, places.gp(11111), HeadCount(10, {ParticipantRole.SARPANCH: 1}), MarkSource.POSTER)
    db.session.commit()
    page = browser.new_page(viewport={"width": width, "height": height})
    sign_in(page, live_server, "district_officer")
    page.goto(f"{live_server}/attendance/sessions/{session.id}/live")
    assert "अभी दर्ज नहीं" in page.inner_text("main") and "ग्राम 1113" in page.inner_text("#not-marked ~ .not-marked")
    for table in page.locator("table.places-live").all():
        assert table.evaluate("t => t.scrollWidth <= t.parentElement.clientWidth + 1")
    assert fits(page, width)
    shoot(page, "live", width)
    page.close()


@pytest.mark.parametrize("width, height", WIDTHS)
def test_the_report_charts_keep_their_labels_inside_on_a_phone(live_server, browser, marked, width, height):
    page = browser.new_page(viewport={"width": width, "height": height})
    sign_in(page, live_server, "director")
    page.goto(f"{live_server}/reports/programmes/{marked.id}")
    charts = page.locator("figure.chart svg").all()
    assert charts
    for chart in charts:
        box = chart.bounding_box()
        assert box["x"] + box["width"] <= width + 1
        for text in chart.locator("text").all():
            inner = text.bounding_box()
            assert inner["x"] >= box["x"] - 1 and inner["x"] + inner["width"] <= box["x"] + box["width"] + 1, \
                text.inner_text()
            assert inner["y"] >= box["y"] - 1, text.inner_text()
    assert fits(page, width)
    shoot(page, "report", width)
    page.close()


@pytest.mark.parametrize("width, height", WIDTHS)
def test_button_rows_keep_apart_from_the_heading_below_and_the_month_marks_today(
        live_server, browser, make_programme, monkeypatch, width, height):
    programme = make_programme(publish=False)
    page = browser.new_page(viewport={"width": width, "height": height})
    sign_in(page, live_server, "trainer")
    page.goto(f"{live_server}/plan/{programme.id}")
    gap = page.evaluate("""() => {
        const row = document.querySelector('main > div.actions');
        const next = row.nextElementSibling.querySelector('h2') || row.nextElementSibling;
        return next.getBoundingClientRect().top - row.getBoundingClientRect().bottom; }""")
    assert gap >= 12, gap
    assert page.locator(".publish-warnings").is_visible()  # no feedback form yet
    shoot(page, "plan", width)
    first = programme.sessions[0]
    monkeypatch.setattr(clock, "now", lambda: first.starts_at)
    page.goto(f"{live_server}/plan/{programme.id}/month")
    today = page.locator(".month-day.today")
    assert today.count() == 1 and today.is_visible() and "आज" in today.inner_text()
    assert fits(page, width)
    shoot(page, "month", width)
    page.close()
