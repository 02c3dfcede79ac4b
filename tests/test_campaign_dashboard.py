"""A campaign's dashboard: figures summed up the LGD tree against targets set at GP and block level, the latest
value of a phase, the sentence in Hindi and English, the drill-down, the viewer's area, and the files and JSON
that hold the same figures."""
import io
import shutil
import subprocess
from datetime import date, datetime, timezone

import pytest

from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from tests.test_campaigns import make_campaign, make_indicator
from trainer.campaigns import coverage, dashboard
from trainer.campaigns.models import Approval, Source
from trainer.campaigns.services import IndicatorValues, record_value, save_indicator, set_target
from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.regions.areas import STATE

W1, W2, W3 = date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 14)
W1_DATETIME, W2_DATETIME, W3_DATETIME = (datetime(day.year, day.month, day.day) for day in (W1, W2, W3))


@pytest.fixture
def today(monkeypatch):
    """Put the clock in the campaign's third week."""
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 16))
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 16, 6, tzinfo=timezone.utc))


@pytest.fixture
def world(app, places, today):
    """District 111: block 1111 (GPs 11111-3, a target of 100 each) and block 1112 (a block target of 500)."""
    campaign = make_campaign(places, approval=Approval.DISTRICT)
    indicator = make_indicator(campaign, unit_hi="परिवारों", unit_en="families", may_exceed_target=True)
    for code in (11111, 11112, 11113):
        set_target(indicator, places.gp(code), 100)
    set_target(indicator, places.block(1112), 500)
    # Week 1: two GPs; week 2: the first again (a stock: it replaces), week 3: a GP of the other block.
    record_value(indicator, places.gp(11111), W1, 40)
    record_value(indicator, places.gp(11112), W1, 30)
    record_value(indicator, places.gp(11111), W2, 70)
    record_value(indicator, places.gp(11121), W3, 200)
    db.session.commit()
    return campaign, indicator


def test_figures_sum_the_latest_value_of_each_place_against_targets_from_gps_and_blocks(world, places):
    campaign, indicator = world
    board = dashboard.build(campaign, STATE)
    item = board.indicators[0]
    # 70 (GP 11111, week 2) + 30 (GP 11112, week 1) + 200; targets 300 (the GPs') + 500 (block 1112's own).
    assert (item.whole.value, item.whole.target) == (300, 800)
    assert [(row.lgd_code, row.figure.value, row.figure.target) for row in item.children] == [
        (1111, 100, 300), (1112, 200, 500)]
    assert [(p.key, value) for p, value in item.trend] == [("2026-W49", 70), ("2026-W50", 70), ("2026-W51", 200)]
    assert item.whole.unapproved == 3  # approval by the district: none of the three latest values approved yet
    # Week 3 is the latest: only GP 11121 reported in it; block 1111's three GPs did not, nor did 1112's others.
    assert [(row.lgd_code, row.not_reported, row.places) for row in item.silent] == [(1111, 3, 3), (1112, 2, 3)]
    assert [row.lgd_code for row in item.behind] == [1111, 1112]  # 33.3 % before 40 %


def test_the_sentence_in_hindi_and_english_groups_digits_the_indian_way(app, places, today):
    campaign = make_campaign(places)
    indicator = make_indicator(campaign, unit_hi="परिवारों", unit_en="families", may_exceed_target=True)
    set_target(indicator, places.block(1111), 532630)
    record_value(indicator, places.gp(11111), W1, 339650)
    db.session.commit()
    item = dashboard.build(campaign, STATE).indicators[0]
    assert item.sentence_hi == "5,32,630 परिवारों में से 3,39,650 (63.8%)"
    assert item.sentence_en == "3,39,650 of 5,32,630 families (63.8%)"


def test_a_share_of_99_96_per_cent_is_shown_below_100(app, places, today):
    campaign = make_campaign(places)
    indicator = make_indicator(campaign, unit_en="families")
    set_target(indicator, places.gp(11111), 2500)
    record_value(indicator, places.gp(11111), W1, 2499)
    db.session.commit()
    item = dashboard.build(campaign, STATE).indicators[0]
    assert item.whole.share == pytest.approx(0.9996)
    assert item.whole.shown < 1 and "99.9%" in item.sentence_en and "100" not in item.sentence_en


def test_the_drill_down_shows_the_gps_of_a_block(world, places):
    campaign, _indicator = world
    item = dashboard.build(campaign, STATE, places.block(1111)).indicators[0]
    assert (item.whole.value, item.whole.target) == (100, 300)
    assert [(row.lgd_code, row.figure.value, row.figure.target) for row in item.children] == [
        (11111, 70, 100), (11112, 30, 100), (11113, 0, 100)]


def test_an_officer_sees_only_their_area(world, places, client, auth, make_user):
    campaign, _indicator = world
    make_user("janpad", Role.BLOCK_OFFICER, 1112)
    auth.login("janpad")
    found = client.get(f"/api/v1/campaigns/{campaign.id}/dashboard").get_json()
    assert found["indicators"][0]["whole"]["value"] == 200
    assert [row["code"] for row in found["indicators"][0]["children"]] == [11121, 11122, 11123]
    assert client.get(f"/campaigns/{campaign.id}/dashboard?level=block&code=1111").status_code == 403
    assert client.get(f"/api/v1/campaigns/{campaign.id}/dashboard?level=block&code=1111").status_code == 403
    page = client.get(f"/campaigns/{campaign.id}/dashboard").get_data(as_text=True)
    assert "ग्राम 1121" in page and "जनपद 1111" not in page


def test_the_files_hold_the_page_figures(world, client, auth, make_user):
    from trainer.core.tables import xlsx_rows

    campaign, _indicator = world
    make_user("admin")
    auth.login("admin")
    page = client.get(f"/campaigns/{campaign.id}/dashboard").get_data(as_text=True)
    assert "800 परिवारों में से 300 (37.5%)" in page and "3 मान अभी अनुमोदित नहीं हैं।" in page
    csv = client.get(f"/campaigns/{campaign.id}/dashboard.csv")
    assert csv.status_code == 200
    text = csv.get_data().decode("utf-8-sig")
    assert ",300,800,37.5,3" in text
    workbook = client.get(f"/campaigns/{campaign.id}/dashboard.xlsx").get_data()
    rows = xlsx_rows(workbook)
    assert rows[1][2:4] == ["300", "800"]
    from openpyxl import load_workbook
    book = load_workbook(io.BytesIO(workbook))
    trend, places_sheet = book[book.sheetnames[1]], book[book.sheetnames[2]]
    assert [[cell.value for cell in row] for row in trend.iter_rows(min_row=2, max_col=3)] == [
        ["2026-W49", W1_DATETIME, 70], ["2026-W50", W2_DATETIME, 70], ["2026-W51", W3_DATETIME, 200]]
    assert places_sheet["C2"].value == 100 and "##,##0" in places_sheet["C2"].number_format
    if shutil.which("pdftotext"):
        pdf = client.get(f"/campaigns/{campaign.id}/dashboard.pdf").get_data()
        text = subprocess.run(["pdftotext", "-", "-"], input=pdf, capture_output=True, check=True).stdout.decode()
        assert "300" in text and "800" in text and "37.5%" in text
        assert "2026-W51" in text  # the trend's table; its chart is drawn above it


def test_a_computed_gps_trained_indicator_equals_the_programme_reports_count(app, places, make_programme, today):
    from trainer.reports.queries import programme_report

    programme = make_programme()
    campaign = make_campaign(places, programme_ids=(programme.id,), place=None)
    indicator = save_indicator(campaign, IndicatorValues(code="trained", name_en="GPs trained",
                                                         source=Source.GPS_TRAINED, programme_id=programme.id))
    db.session.commit()
    item = dashboard.build(campaign, STATE).indicators[0]
    report = programme_report(programme, STATE)
    assert item.whole.value == report.trained_gps
    assert item.whole.value == coverage.figure(indicator, coverage.whole_span(campaign), STATE, None).value


def test_computed_indicators_are_the_programme_reports_own_figures_place_by_place(marked, places, today):
    """GPs trained, participants and feedback responses of a linked programme: by division and in total, what the
    programme report says (its coverage by division, its participants) — one query layer."""
    import secrets

    from trainer.feedback.models import Response
    from trainer.reports.queries import programme_report

    programme = marked
    session = programme.sessions[0]
    for gp in (places.gp(11111), places.gp(11111), places.gp(12111)):
        db.session.add(Response(session_id=session.id, gram_panchayat_id=gp.id, nonce=secrets.token_urlsafe(8)))
    db.session.add(Response(session_id=session.id, gram_panchayat_id=None, nonce=secrets.token_urlsafe(8)))
    campaign = make_campaign(places, programme_ids=(programme.id,), place=None)
    for code, source in (("trained", Source.GPS_TRAINED), ("people", Source.PARTICIPANTS),
                         ("answers", Source.FEEDBACK_RESPONSES)):
        save_indicator(campaign, IndicatorValues(code=code, name_en=code, source=source, programme_id=programme.id))
    db.session.commit()
    trained, people, answers = dashboard.build(campaign, STATE).indicators
    report = programme_report(programme, STATE)
    assert (trained.whole.value, people.whole.value, answers.whole.value) == (
        report.trained_gps, report.participants, 3) == (3, 27, 3)
    # Without targets of its own, GPs trained are counted against the programme's target GPs, as the report does.
    assert trained.whole.target == report.target_gps
    by_division = {row.code: (row.target, row.reached, row.participants) for row in report.coverage["division"]}
    assert {row.lgd_code: (row.figure.target, row.figure.value, people_row.figure.value) for row, people_row in zip(
        trained.children, people.children, strict=True)} == by_division
    assert [(row.lgd_code, row.figure.value) for row in answers.children] == [(1, 2), (2, 1)]


@pytest.mark.browser
def test_the_dashboard_reads_on_a_phone(world, live_server, browser):  # noqa: F811
    campaign, _indicator = world
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_page(viewport={"width": 360, "height": 800})
    sign_in(page, live_server, "admin")
    page.goto(f"{live_server}/campaigns/{campaign.id}/dashboard")
    assert page_width(page) <= 360
    page.screenshot(path=str(ARTIFACTS / "campaign-dashboard-360.png"), full_page=True)
    assert "300" in page.inner_text("main")


def test_furthest_behind_reads_the_direction_of_the_indicator(app, places, today):
    from trainer.campaigns.coverage import Figure, PlaceFigure

    campaign = make_campaign(places)
    rows = [PlaceFigure("block", n, n, f"ब{n}", f"B{n}", Figure(value=value, whole=100)) for n, value in
            ((1, 10), (2, 90), (3, 50))]
    linked = make_indicator(campaign)
    left = make_indicator(campaign, code="left", higher_is_better=False)
    assert [row.id for row in dashboard.furthest_behind(linked, rows)] == [1, 3, 2]
    assert [row.id for row in dashboard.furthest_behind(left, rows)] == [2, 3, 1]
