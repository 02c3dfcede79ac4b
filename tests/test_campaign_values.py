"""Values reported from the field: a file of values checked whole and applied whole, a value reported again
replacing the old one and keeping it in the history, the officers' area, approvals level by level, the places that
have not reported and their reminders, and the phone form."""
import io
from datetime import date

from sqlalchemy import func, select

from tests.browser_support import browser, live_server  # noqa: F401 (fixtures)
from tests.test_campaigns import make_campaign, make_indicator
from tests.test_messaging import app, messages, sms, smtp, whatsapp  # noqa: F401 (fixtures: the providers' stand-ins)
from trainer.campaigns import services, uploads
from trainer.campaigns.models import IndicatorValue, IndicatorValueRevision, Level, Source
from trainer.campaigns.uploads import ValuesRejected
from trainer.core.roles import Role
from trainer.extensions import db

HEADER = "area_code,indicator,period,value\n"


def lines_of(campaign, text, user=None):
    """Import a CSV text; return the summary, or the problems as {line: [reasons]}."""
    try:
        summary = uploads.import_values(campaign, (HEADER + text).encode(), user, "values.csv")
    except ValuesRejected as rejected:
        db.session.rollback()
        found = {}
        for problem in rejected.problems:
            found.setdefault(problem.line, []).append(problem.reason)
        return found
    db.session.commit()
    return summary


def value_count() -> int:
    return db.session.scalar(select(func.count(IndicatorValue.id)))


def test_a_broken_file_is_refused_whole_with_every_bad_line_named_in_hindi(app, places, make_programme, make_user):
    campaign = make_campaign(places)
    linked = make_indicator(campaign)
    make_indicator(campaign, code="blocks", level=Level.BLOCK)
    programme = make_programme()
    services.save_campaign(services.CampaignValues(
        title_hi=campaign.title_hi, starts_on=campaign.starts_on, ends_on=campaign.ends_on, place=campaign.place,
        programme_ids=(programme.id,)), None, campaign)
    make_indicator(campaign, code="trained", source=Source.GPS_TRAINED, programme_id=programme.id)
    services.set_target(linked, places.gp(11112), 10)
    db.session.commit()
    officer = make_user(role=Role.BLOCK_OFFICER)  # block 1111
    problems = lines_of(campaign, "\n".join([
        "11111,linked,2026-W49,5",     # 2: good
        "99999,linked,2026-W49,5",     # 3: no such place
        "1111,linked,2026-W49,5",      # 4: a block for a GP indicator
        "11111,nothing,2026-W49,5",    # 5: no such indicator
        "11111,linked,2025-W01,5",     # 6: a period outside the campaign
        "11113,linked,2026-W49,-3",    # 7: negative
        "11113,linked,2026-W50,many",  # 8: not a number
        "11112,linked,2026-W49,11",    # 9: above the target
        "11111,trained,2026-W49,5",    # 10: computed
        "11111,linked,2026-W49,6",     # 11: repeats line 2
        "11121,linked,2026-W49,5",     # 12: outside the officer's block
        "12111,linked,2026-W49,5",     # 13: outside the campaign's district
    ]) + "\n", officer)
    assert sorted(problems) == list(range(3, 14))
    assert "99999" in problems[3][0]
    assert "ग्राम पंचायत" in problems[4][0]
    assert "nothing" in problems[5][0]
    assert "2025-W01" in problems[6][0]
    assert "ऋणात्मक" in problems[7][0]
    assert "many" in problems[8][0]
    assert "11" in problems[9][0] and "10" in problems[9][0]
    assert "गणना" in problems[10][0]
    assert "2" in problems[11][0]
    assert "आपके क्षेत्र" in problems[12][0]
    assert "अभियान के क्षेत्र" in problems[13][0]
    assert value_count() == 0


def test_a_good_file_is_applied_and_a_repeat_replaces_keeping_the_history(app, places, make_user):
    campaign = make_campaign(places)
    linked = make_indicator(campaign)
    make_indicator(campaign, code="blocks", level=Level.BLOCK)
    officer = make_user(role=Role.DISTRICT_OFFICER)  # district 111
    summary = lines_of(campaign, "11111,linked,2026-W49,5\n11112,linked,2026-W49,7\n1111,blocks,2026-12,3\n"
                       if False else "11111,linked,2026-W49,5\n11112,linked,2026-W49,7\n1111,blocks,2026-W49,3\n",
                       officer)
    assert (summary.added, summary.replaced) == (3, 0)
    row = db.session.scalar(select(IndicatorValue).where(IndicatorValue.indicator_id == linked.id,
                                                         IndicatorValue.gram_panchayat_id == places.gp(11111).id))
    assert (row.value, row.period_start, row.reported_by_id) == (5, date(2026, 11, 30), officer.id)
    services.record_value(linked, places.gp(11111), date(2026, 11, 30), 4, officer)
    db.session.commit()
    summary = lines_of(campaign, "11111,linked,2026-W49,9\n", officer)
    assert (summary.added, summary.replaced) == (0, 1)
    db.session.refresh(row)
    assert row.value == 9 and row.state.value == "reported"
    assert [r.value for r in services.history_of(row)] == [9, 4, 5]
    assert [r.revision for r in services.history_of(row)] == [3, 2, 1]
    assert value_count() == 3


def test_the_upload_page_names_bad_lines_and_imports_a_good_file(app, places, login_as, client):
    campaign = make_campaign(places)
    make_indicator(campaign)
    login_as(Role.BLOCK_OFFICER)
    page = client.get(f"/campaigns/{campaign.id}/values/import")
    assert page.status_code == 200 and "area_code" in page.get_data(as_text=True)
    sent = client.post(f"/campaigns/{campaign.id}/values/import", data={
        "file": (io.BytesIO((HEADER + "11121,linked,2026-W49,5\n").encode()), "values.csv")},
        content_type="multipart/form-data")
    assert sent.status_code == 400 and "पंक्ति 2" in sent.get_data(as_text=True)
    assert value_count() == 0
    sent = client.post(f"/campaigns/{campaign.id}/values/import", data={
        "file": (io.BytesIO((HEADER + "11111,linked,2026-W49,5\n").encode()), "values.csv")},
        content_type="multipart/form-data")
    assert sent.status_code == 200 and value_count() == 1


def test_flask_campaigns_import_takes_a_file_as_a_user(app, places, make_user, runner, tmp_path):
    campaign = make_campaign(places)
    make_indicator(campaign)
    make_user(role=Role.BLOCK_OFFICER, username="bo")
    path = tmp_path / "values.csv"
    path.write_text(HEADER + "11111,linked,2026-W49,5\n11121,linked,2026-W49,5\n", encoding="utf-8")
    result = runner.invoke(args=["campaigns", "import", str(campaign.id), str(path), "--as", "bo"])
    assert result.exit_code == 1 and "3" in result.output and value_count() == 0
    path.write_text(HEADER + "11111,linked,2026-W49,5\n", encoding="utf-8")
    result = runner.invoke(args=["campaigns", "import", str(campaign.id), str(path), "--as", "bo"])
    assert result.exit_code == 0 and "1 value(s) added" in result.output and value_count() == 1


def test_a_whole_state_period_is_checked_and_applied_whole(app, places):
    # The small state has 24 GPs; as many GPs as the state has are made for this test, in one block. (How long it
    # takes is measured by bench/campaign_upload.py, never here.)
    from trainer.campaigns.models import LatestValue, PeriodSum
    from trainer.core.database import bulk_insert
    from trainer.regions.models import GramPanchayat
    block = places.block(1111)
    bulk_insert(GramPanchayat.__table__, [{"lgd_code": 500000 + n, "name_en": f"G{n}", "name_hi": f"ग{n}",
                                           "block_id": block.id, "search_key": ""} for n in range(22_812)])
    campaign = make_campaign(places, place=None)
    for code in ("a", "b", "c", "d"):
        make_indicator(campaign, code=code, may_exceed_target=True)
    for value in (1, 2):
        text = "".join(f"{500000 + n},{code},2026-W49,{n % 50 + value}\n" for n in range(22_812) for code in "abcd")
        summary = lines_of(campaign, text)
        assert summary.total == 91_248
    assert summary.replaced == 91_248 and value_count() == 91_248
    assert db.session.scalar(select(func.count(IndicatorValueRevision.id))) == 2 * 91_248
    # The dashboard's figures hold the second file's values: each GP's latest, for the campaign and its phase.
    assert db.session.scalar(select(func.count(LatestValue.id))) == 2 * 91_248
    assert db.session.scalar(select(func.sum(PeriodSum.value))) == sum(n % 50 + 2 for n in range(22_812)) * 4


def test_approvals_go_level_by_level_and_enter_the_history(app, places, make_user):
    from trainer.campaigns import approvals
    from trainer.campaigns.models import Approval, ValueState
    campaign = make_campaign(places, approval=Approval.DISTRICT_THEN_STATE)
    linked = make_indicator(campaign)
    officer = make_user(role=Role.BLOCK_OFFICER)
    district = make_user(role=Role.DISTRICT_OFFICER)
    other_district = make_user(role=Role.DISTRICT_OFFICER, username="do112", area_code=112)
    director = make_user(role=Role.DIRECTOR)
    lines_of(campaign, "11111,linked,2026-W49,5\n11112,linked,2026-W49,7\n", officer)
    assert approvals.waiting_for(director) == [] and approvals.waiting_for(other_district) == []
    assert approvals.approve_values(linked, date(2026, 11, 30), other_district) == 0
    assert [(w.count, w.period_key) for w in approvals.waiting_for(district)] == [(2, "2026-W49")]
    assert approvals.approve_values(linked, date(2026, 11, 30), district) == 2
    db.session.commit()
    assert approvals.waiting_for(district) == []
    assert [w.count for w in approvals.waiting_for(director)] == [2]
    assert approvals.approve_values(linked, date(2026, 11, 30), director) == 2
    db.session.commit()
    row = db.session.scalar(select(IndicatorValue).where(IndicatorValue.gram_panchayat_id == places.gp(11111).id))
    assert row.state is ValueState.APPROVED_STATE
    history = services.history_of(row)
    assert [(r.state, r.reported_by_id) for r in history] == [
        (ValueState.APPROVED_STATE, director.id), (ValueState.APPROVED_DISTRICT, district.id),
        (ValueState.REPORTED, officer.id)]
    # Reported again, the value waits for the district again.
    lines_of(campaign, "11111,linked,2026-W49,6\n", officer)
    db.session.refresh(row)
    assert row.state is ValueState.REPORTED and [w.count for w in approvals.waiting_for(district)] == [1]


def test_a_campaign_without_approval_asks_nobody(app, places, make_user):
    from trainer.campaigns import approvals
    campaign = make_campaign(places)
    linked = make_indicator(campaign)
    district = make_user(role=Role.DISTRICT_OFFICER)
    lines_of(campaign, "11111,linked,2026-W49,5\n", district)
    assert approvals.waiting_for(district) == []
    with __import__("pytest").raises(services.CampaignError):
        approvals.approve_values(linked, date(2026, 11, 30), district)


def test_the_places_that_have_not_reported_are_listed_for_the_officer_above(app, places, login_as, client):
    from trainer.campaigns import approvals
    campaign = make_campaign(places)
    linked = make_indicator(campaign)
    officer = login_as(Role.BLOCK_OFFICER)
    lines_of(campaign, "11111,linked,2026-W49,5\n", officer)
    missing = approvals.missing_places(linked, date(2026, 11, 30), officer.area)
    assert [gp.lgd_code for gp in missing] == [11112, 11113]
    page = client.get(f"/campaigns/{campaign.id}/values/missing?period=2026-W49")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "11112" in text and "11113" in text and "11121" not in text


def test_an_approver_reads_each_places_value_beside_the_period_before(app, places, make_user, login_as, client):
    from trainer.campaigns.models import Approval
    campaign = make_campaign(places, approval=Approval.DISTRICT)
    linked = make_indicator(campaign)
    officer = make_user(role=Role.BLOCK_OFFICER)
    lines_of(campaign, "11111,linked,2026-W49,5\n11112,linked,2026-W49,7\n", officer)
    lines_of(campaign, "11111,linked,2026-W50,9\n11121,linked,2026-W50,3\n")
    login_as(Role.DISTRICT_OFFICER)
    waiting = client.get("/campaigns/approvals").get_data(as_text=True)
    assert f"/campaigns/{campaign.id}/indicators/{linked.id}/values?period=2026-W50" in waiting
    page = client.get(f"/campaigns/{campaign.id}/indicators/{linked.id}/values?period=2026-W50")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "2026-W50 के लिए 2 मान भेजे गए।" in text
    rows = [" ".join(row.split()) for row in text.split("<tr>")[2:]]
    assert "11111" in rows[0] and "<strong>9</strong>" in rows[0] and ">5<" in rows[0] and "कमांड से" in rows[0]
    assert "11121" in rows[1] and ">—<" in rows[1]
    client.post("/logout")
    login_as(Role.BLOCK_OFFICER, username="bo2")
    own = client.get(f"/campaigns/{campaign.id}/indicators/{linked.id}/values?period=2026-W50").get_data(as_text=True)
    assert "11111" in own and "11121" not in own  # a block officer reads their block's values only


def test_the_phone_form_saves_a_periods_values_whole_or_not_at_all(app, places, login_as, client):
    campaign = make_campaign(places)
    linked = make_indicator(campaign)
    services.set_target(linked, places.gp(11112), 4)
    db.session.commit()
    login_as(Role.DISTRICT_OFFICER)
    page = client.get(f"/campaigns/{campaign.id}/values/form?period=2026-W49&block=1112")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and f'name="v-{linked.id}-11121"' in text and f"v-{linked.id}-11111" not in text
    refused = client.post(f"/campaigns/{campaign.id}/values/form", data={
        "period": "2026-W49", "block": "1111", f"v-{linked.id}-11111": "3", f"v-{linked.id}-11112": "9"})
    assert refused.status_code == 400 and "ग्राम 1112" in refused.get_data(as_text=True) and value_count() == 0
    saved = client.post(f"/campaigns/{campaign.id}/values/form", data={
        "period": "2026-W49", "block": "1111", f"v-{linked.id}-11111": "3", f"v-{linked.id}-11112": "4"})
    assert saved.status_code == 302 and value_count() == 2
    # Sent again unchanged, nothing is reported again.
    client.post(f"/campaigns/{campaign.id}/values/form", data={
        "period": "2026-W49", "block": "1111", f"v-{linked.id}-11111": "3", f"v-{linked.id}-11112": "4"})
    assert db.session.scalar(select(func.count(IndicatorValueRevision.id))) == 2


def test_an_officer_fills_the_form_on_a_360_px_phone(browser, live_server, places):
    from tests.browser_support import ARTIFACTS, page_width, sign_in
    campaign = make_campaign(places)
    linked = make_indicator(campaign)
    make_indicator(campaign, code="identified", name_hi="चिह्नित परिवार", unit_hi="परिवार")
    ARTIFACTS.mkdir(exist_ok=True)
    phone = browser.new_page(viewport={"width": 360, "height": 740})
    sign_in(phone, live_server, "block_officer")
    phone.goto(f"{live_server}/campaigns/{campaign.id}/values/form?period=2026-W49")
    assert page_width(phone) <= 360
    phone.fill(f"input[name='v-{linked.id}-11111']", "7")
    phone.click("main form[method=post] button[type=submit]")
    assert page_width(phone) <= 360
    phone.screenshot(path=str(ARTIFACTS / "campaign-value-form-360.png"), full_page=True)
    db.session.rollback()
    assert value_count() == 1
    for name, path in (("import", f"/campaigns/{campaign.id}/values/import"),
                       ("missing", f"/campaigns/{campaign.id}/values/missing?period=2026-W49")):
        phone.goto(live_server + path)
        assert page_width(phone) <= 360, name
        phone.screenshot(path=str(ARTIFACTS / f"campaign-values-{name}-360.png"), full_page=True)
    phone.close()


def test_the_officers_of_places_that_have_not_reported_are_reminded_once(app, places, make_user, login_as, client,
                                                                          runner):
    from tests.test_messaging import messages
    from trainer.contacts.services import ContactValues, save_officer_contact
    from trainer.messaging.kinds import MessageKind
    campaign = make_campaign(places)
    make_indicator(campaign)
    reporting = make_user(role=Role.BLOCK_OFFICER, username="bo1111")
    late = make_user(role=Role.BLOCK_OFFICER, username="bo1112", area_code=1112)
    for user, mobile in ((reporting, "9876500001"), (late, "9876500002")):
        save_officer_contact(user, ContactValues(user.username, mobile, None, "hi", ("sms",)), None)
    db.session.commit()
    lines_of(campaign, "11111,linked,2026-W49,1\n11112,linked,2026-W49,1\n11113,linked,2026-W49,1\n", reporting)
    login_as(Role.DISTRICT_OFFICER)
    page = client.get(f"/campaigns/{campaign.id}/values/missing?period=2026-W49").get_data(as_text=True)
    assert "11121" in page and "11111" not in page
    for _twice in range(2):
        answer = client.post(f"/campaigns/{campaign.id}/values/remind", data={"period": "2026-W49"})
        assert answer.status_code == 302
    result = runner.invoke(args=["campaigns", "remind", str(campaign.id), "--period", "2026-W49"])
    assert result.exit_code == 0 and "0 reminder(s) queued" in result.output
    told = [m for m in messages() if m.kind is MessageKind.CAMPAIGN_VALUE_DUE]
    assert [(m.address, m.channel.value) for m in told] == [("9876500002", "sms")]
    assert "2026-W49" in told[0].text and "3" in told[0].text
