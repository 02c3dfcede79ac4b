"""Campaigns: the rules of a campaign, its phases, offices and programmes; indicators and their targets; the periods
of a campaign; values reported with their history and every check; the pages and the JSON."""
from datetime import date

import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from trainer.campaigns import services
from trainer.campaigns.models import (
    Approval,
    Campaign,
    CampaignPhase,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    IndicatorValueRevision,
    Level,
    PeriodKind,
    Source,
    ValueState,
)
from trainer.campaigns.services import (
    CampaignError,
    CampaignValues,
    IndicatorValues,
    OfficeValues,
    PhaseValues,
    periods_of,
    record_value,
    set_target,
)
from trainer.core.roles import Role
from trainer.extensions import db

SHG = "स्वयं सहायता समूह से जोड़ना"


def make_campaign(places, **values) -> Campaign:
    values = {"title_hi": SHG, "title_en": "SHG linkage", "starts_on": date(2026, 12, 1),
              "ends_on": date(2027, 1, 31), "place": places.district(111), "period_kind": PeriodKind.WEEK,
              "phases": (PhaseValues(date(2026, 12, 1), date(2026, 12, 31), "पहला चरण", "Phase 1"),
                         PhaseValues(date(2027, 1, 1), date(2027, 1, 31), "दूसरा चरण", "Phase 2")),
              "offices": (OfficeValues("ग्राम संगठन", "Village organisations", "सर्वे करना"),), **values}
    campaign = services.save_campaign(CampaignValues(**values), None)
    db.session.commit()
    return campaign


def make_indicator(campaign, **values) -> Indicator:
    values = {"code": "linked", "name_hi": "जोड़े गए परिवार", "name_en": "Families linked", "unit_hi": "परिवार",
              "level": Level.GP, **values}
    indicator = services.save_indicator(campaign, IndicatorValues(**values))
    db.session.commit()
    return indicator


def refusal(call, *args, **kwargs) -> str:
    """Return the Hindi message of the CampaignError that a service raises."""
    with pytest.raises(CampaignError) as refused:
        call(*args, **kwargs)
    db.session.rollback()
    return str(refused.value.message)


# Campaigns, phases, offices, programmes

def test_a_campaign_keeps_its_area_phases_in_order_offices_and_programmes(app, places, make_programme):
    programme = make_programme()
    campaign = make_campaign(places, programme_ids=(programme.id,), approval=Approval.DISTRICT_THEN_STATE,
                             phases=(PhaseValues(date(2027, 1, 1), date(2027, 1, 31), "दूसरा"),
                                     PhaseValues(date(2026, 12, 1), date(2026, 12, 31), "पहला")))
    assert campaign.place is places.district(111) and campaign.division is None
    assert [(p.position, p.name_hi) for p in campaign.phases] == [(1, "पहला"), (2, "दूसरा")]
    assert [o.name_en for o in campaign.offices] == ["Village organisations"]
    assert campaign.programmes == [programme] and campaign.approval is Approval.DISTRICT_THEN_STATE
    services.save_campaign(CampaignValues(title_en="Renamed", starts_on=date(2026, 12, 1), ends_on=date(2027, 1, 31),
                                          place=places.block(1111)), None, campaign)
    db.session.commit()
    assert (campaign.title_hi, campaign.place, campaign.programmes) == ("", places.block(1111), [])
    assert len(campaign.phases) == 2 and len(campaign.offices) == 1  # kept when not given


@pytest.mark.parametrize("values, message", [
    (dict(title_hi=" ", title_en=""), "शीर्षक"),
    (dict(ends_on=date(2026, 11, 30)), "अभियान आरंभ होने से पहले समाप्त नहीं हो सकता।"),
    (dict(phases=(PhaseValues(date(2026, 11, 30), date(2026, 12, 5), "पहला"),)),
     "हर चरण अभियान के दिनों के भीतर होना चाहिए।"),
    (dict(phases=(PhaseValues(date(2026, 12, 1), date(2026, 12, 10), "पहला"),
                  PhaseValues(date(2026, 12, 10), date(2026, 12, 20), "दूसरा"))), "दो चरणों में एक ही दिन नहीं हो सकता।"),
    (dict(phases=(PhaseValues(date(2026, 12, 10), date(2026, 12, 1), "पहला"),)), "चरण आरंभ होने से पहले"),
    (dict(phases=(PhaseValues(date(2026, 12, 1), date(2026, 12, 10)),)), "हर चरण का नाम"),
    (dict(offices=(OfficeValues(" ", ""),)), "हर कार्यालय का नाम"),
    (dict(programme_ids=(999,)), "कार्यक्रम"),
])
def test_a_campaign_that_breaks_a_rule_is_refused_in_hindi(app, places, values, message):
    assert message in refusal(make_campaign, places, **values)
    assert db.session.scalar(select(func.count(Campaign.id))) == 0


def test_the_database_keeps_a_campaign_to_one_area_and_its_days_in_order(app, places):
    campaign = make_campaign(places)
    campaign.division = places.division(1)
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    campaign = db.session.get(Campaign, campaign.id)
    campaign.ends_on = date(2026, 11, 1)
    with pytest.raises(IntegrityError):
        db.session.commit()


def test_phases_are_added_renumbered_and_removed_unless_a_target_counts_them(app, places):
    campaign = make_campaign(places, phases=(PhaseValues(date(2027, 1, 1), date(2027, 1, 31), "दूसरा"),))
    first = services.add_phase(campaign, PhaseValues(date(2026, 12, 1), date(2026, 12, 15), "पहला"))
    db.session.commit()
    assert [(p.position, p.name_hi) for p in campaign.phases] == [(1, "पहला"), (2, "दूसरा")] and first.position == 1
    assert "एक ही दिन" in refusal(services.add_phase, campaign, PhaseValues(date(2026, 12, 15), date(2026, 12, 20),
                                                                             "तीसरा"))
    campaign = db.session.get(Campaign, campaign.id)
    indicator = make_indicator(campaign)
    set_target(indicator, places.gp(11111), 10, campaign.phases[0])
    db.session.commit()
    assert "नहीं हटेगा" in refusal(services.remove_phase, campaign, campaign.phases[0])
    campaign = db.session.get(Campaign, campaign.id)
    services.remove_phase(campaign, campaign.phases[1])
    db.session.commit()
    assert [(p.position, p.name_hi) for p in campaign.phases] == [(1, "पहला")]


def test_a_campaign_keeps_its_area_periods_and_counted_programmes_once_they_are_used(app, places, make_programme):
    programme = make_programme()
    campaign = make_campaign(places, programme_ids=(programme.id,))
    indicator = make_indicator(campaign)
    make_indicator(campaign, code="trained", source=Source.GPS_TRAINED, programme_id=programme.id)
    base = dict(title_hi=SHG, starts_on=campaign.starts_on, ends_on=campaign.ends_on, place=places.district(111))
    assert "जुड़ा रहेगा" in refusal(services.save_campaign, CampaignValues(**base), None, campaign)
    record_value(indicator, places.gp(11111), date(2026, 11, 30), 5)
    db.session.commit()
    campaign = db.session.get(Campaign, campaign.id)
    ids = (programme.id,)
    assert "क्षेत्र नहीं बदलेगा" in refusal(services.save_campaign, CampaignValues(
        **{**base, "place": places.district(112)}, programme_ids=ids), None, campaign)
    campaign = db.session.get(Campaign, campaign.id)
    assert "अवधियाँ नहीं बदलेंगी" in refusal(services.save_campaign, CampaignValues(
        **base, programme_ids=ids, period_kind=PeriodKind.MONTH), None, campaign)
    campaign = db.session.get(Campaign, campaign.id)
    assert "बाहर की अवधियों" in refusal(services.save_campaign, CampaignValues(
        **{**base, "starts_on": date(2026, 12, 8)}, programme_ids=ids, phases=()), None, campaign)


# Indicators

@pytest.mark.parametrize("values, message", [
    (dict(code="Linked Families"), "कोड में अधिकतम"),
    (dict(code="linked"), "कोड linked है"),
    (dict(code="x", name_hi="", name_en=" "), "संकेतक का नाम"),
    (dict(code="x", source=Source.GPS_TRAINED), "अभियान से जुड़े किसी कार्यक्रम"),
    (dict(code="x", share_of_id=999), "इसी अभियान के किसी अन्य संकेतक"),
])
def test_an_indicator_that_breaks_a_rule_is_refused_in_hindi(app, places, values, message):
    campaign = make_campaign(places)
    make_indicator(campaign)
    assert message in refusal(make_indicator, campaign, **values)
    assert db.session.scalar(select(func.count(Indicator.id))) == 1


def test_an_indicator_takes_a_share_of_another_and_a_computed_one_counts_a_linked_programme(app, places,
                                                                                           make_programme):
    programme, other = make_programme(), make_programme(title="दूसरा कार्यक्रम")
    campaign = make_campaign(places, programme_ids=(programme.id,))
    identified = make_indicator(campaign, code="identified", name_hi="चिह्नित परिवार")
    linked = make_indicator(campaign, code="Linked ", share_of_id=identified.id)
    assert (linked.code, linked.share_of, linked.position) == ("linked", identified, 2)
    assert "एक-दूसरे के अंश" in refusal(services.save_indicator, campaign, IndicatorValues(
        code="identified", name_hi="चिह्नित", share_of_id=linked.id), identified)
    campaign = db.session.get(Campaign, campaign.id)
    assert "अभियान से जुड़े" in refusal(make_indicator, campaign, code="trained", source=Source.GPS_TRAINED,
                                        programme_id=other.id)
    campaign = db.session.get(Campaign, campaign.id)
    assert "केवल कार्यक्रम के संकेतक" in refusal(make_indicator, campaign, code="x", programme_id=programme.id)
    campaign = db.session.get(Campaign, campaign.id)
    trained = make_indicator(campaign, code="trained", source=Source.GPS_TRAINED, programme_id=programme.id)
    assert trained.programme is programme and trained.source.computed


def test_an_indicators_level_stays_once_targets_are_set(app, places):
    campaign = make_campaign(places)
    indicator = make_indicator(campaign)
    set_target(indicator, places.gp(11111), 10)
    db.session.commit()
    assert "स्तर नहीं बदलेगा" in refusal(services.save_indicator, campaign, IndicatorValues(
        code="linked", name_hi="जोड़े गए", level=Level.BLOCK), indicator)


# Targets

def test_targets_are_set_replaced_and_many_at_once_for_phases_and_the_whole_campaign(app, places):
    campaign = make_campaign(places)
    indicator = make_indicator(campaign)
    first = set_target(indicator, places.gp(11111), 100)
    again = set_target(indicator, places.gp(11111), 120)
    assert first is again and again.value == 120
    phase = campaign.phases[0]
    assert services.set_targets(indicator, [(places.gp(11111), phase, 60), (places.gp(11112), None, 80),
                                            (places.block(1111), None, 500), (places.district(111), phase, 900)]) == 4
    db.session.commit()
    assert db.session.scalar(select(func.count(IndicatorTarget.id))) == 5
    assert services.target_counts(campaign) == {indicator.id: 5}


@pytest.mark.parametrize("place, value, message", [
    ("gp:12111", 5, "अभियान के क्षेत्र से बाहर"),
    ("division:1", 5, "ग्राम पंचायत, जनपद पंचायत या जिले"),
    ("gp:11111", -1, "ऋणात्मक"),
    ("gp:11111", 2.5, "पूर्ण संख्या"),
    ("gp:11111", True, "पूर्ण संख्या"),
    ("gp:11111", 2**31, "बहुत बड़ी"),
])
def test_a_target_outside_the_area_at_no_level_or_not_a_whole_number_is_refused(app, places, place, value, message):
    campaign = make_campaign(places)
    indicator = make_indicator(campaign)
    level, code = place.split(":")
    assert message in refusal(set_target, indicator, getattr(places, level)(int(code)), value)


def test_a_target_lies_at_the_indicators_level_or_above_and_in_one_of_its_phases(app, places):
    campaign = make_campaign(places)
    other = make_campaign(places, title_hi="दूसरा")
    indicator = make_indicator(campaign, level=Level.BLOCK)
    assert "उसी स्तर पर या उससे ऊपर" in refusal(set_target, indicator, places.gp(11111), 5)
    indicator = db.session.get(Indicator, indicator.id)
    assert "इस अभियान का नहीं" in refusal(set_target, indicator, places.block(1111), 5,
                                          db.session.get(Campaign, other.id).phases[0])


def test_the_database_keeps_one_target_per_place_and_phase_even_for_the_whole_campaign(app, places):
    campaign = make_campaign(places)
    indicator = make_indicator(campaign)
    set_target(indicator, places.gp(11111), 10)
    db.session.commit()
    db.session.add(IndicatorTarget(indicator_id=indicator.id, gram_panchayat_id=places.gp(11111).id, value=3))
    with pytest.raises(IntegrityError):
        db.session.commit()
    db.session.rollback()
    db.session.add(IndicatorTarget(indicator_id=indicator.id, value=3))
    with pytest.raises(IntegrityError):
        db.session.commit()


# Periods

def test_weeks_start_on_mondays_months_on_the_first_and_phases_are_their_own(app, places):
    campaign = make_campaign(places)
    weeks = periods_of(campaign)
    assert weeks[0].key == "2026-W49" and weeks[0].starts_on == date(2026, 11, 30)
    assert weeks[0].ends_on == date(2026, 12, 6) and weeks[-1].key == "2027-W04"
    assert all(p.starts_on.weekday() == 0 for p in weeks) and len(weeks) == 9
    assert weeks[4].key == "2026-W53" and weeks[5].key == "2027-W01"  # ISO years: 28 Dec 2026 begins week 53
    campaign.period_kind = PeriodKind.MONTH
    assert [(p.key, p.starts_on, p.ends_on) for p in periods_of(campaign)] == [
        ("2026-12", date(2026, 12, 1), date(2026, 12, 31)), ("2027-01", date(2027, 1, 1), date(2027, 1, 31))]
    campaign.period_kind = PeriodKind.PHASE
    phases = periods_of(campaign)
    assert [(p.key, p.starts_on, p.phase.name_hi) for p in phases] == [
        ("1", date(2026, 12, 1), "पहला चरण"), ("2", date(2027, 1, 1), "दूसरा चरण")]
    assert services.find_period(campaign, "Phase 2") == phases[1] and services.find_period(campaign, "3") is None


# Values

def test_a_value_reported_again_replaces_the_current_one_and_keeps_the_history(app, places, make_user):
    officer = make_user(role=Role.BLOCK_OFFICER)
    campaign = make_campaign(places)
    indicator = make_indicator(campaign)
    first = record_value(indicator, places.gp(11111), date(2026, 12, 7), 40, officer)
    first.state = ValueState.APPROVED_DISTRICT
    db.session.commit()
    again = record_value(indicator, places.gp(11111), date(2026, 12, 7), 45, None)
    db.session.commit()
    assert again.id == first.id and (again.value, again.state, again.reported_by_id) == (45, ValueState.REPORTED,
                                                                                         None)
    assert db.session.scalar(select(func.count(IndicatorValue.id))) == 1
    history = services.history_of(again)
    assert [(r.revision, r.value, r.reported_by_id) for r in history] == [(2, 45, None), (1, 40, officer.id)]
    assert db.session.scalar(select(func.count(IndicatorValueRevision.id))) == 2


def test_a_value_above_the_target_is_refused_where_the_indicator_cannot_exceed_it(app, places):
    campaign = make_campaign(places)
    indicator = make_indicator(campaign)
    gp, block = places.gp(11111), places.block(1111)
    set_target(indicator, gp, 50)  # the whole campaign
    set_target(indicator, gp, 30, campaign.phases[0])
    db.session.commit()
    assert "मान 31 लक्ष्य 30 से अधिक है" in refusal(record_value, indicator, gp, date(2026, 12, 7), 31)
    indicator = db.session.get(Indicator, indicator.id)
    record_value(indicator, gp, date(2026, 12, 7), 30)
    assert "लक्ष्य 50" in refusal(record_value, indicator, gp, date(2027, 1, 4), 51)  # phase 2 has no own target
    indicator = db.session.get(Indicator, indicator.id)
    record_value(indicator, places.gp(11112), date(2026, 12, 7), 10 ** 6)  # no target at all
    indicator.may_exceed_target = True
    record_value(indicator, gp, date(2027, 1, 4), 90)
    db.session.commit()
    # A block's target is its own, else the sum of its GPs' (for the phase, else for the whole campaign).
    indicator = db.session.get(Indicator, indicator.id)
    set_target(indicator, places.gp(11112), 25)
    phase_1, phase_2 = indicator.campaign.phases
    assert services.target_for(indicator, block, phase_2) == 75 and services.target_for(indicator, block, phase_1) == 30
    set_target(indicator, block, 70)
    assert services.target_for(indicator, block, phase_2) == 70
    by_block = make_indicator(db.session.get(Campaign, campaign.id), code="blocks", level=Level.BLOCK)
    set_target(by_block, places.district(111), 100)
    assert services.target_for(by_block, block, None) is None
    set_target(by_block, block, 100)
    assert record_value(by_block, block, date(2026, 12, 7), 100).value == 100
    assert "लक्ष्य 100" in refusal(record_value, by_block, block, date(2026, 12, 14), 101)


@pytest.mark.parametrize("case, message", [
    ("negative", "ऋणात्मक"), ("text", "पूर्ण संख्या"), ("before", "वह अवधि इस अभियान की नहीं"),
    ("not a monday", "वह अवधि इस अभियान की नहीं"), ("after", "वह अवधि इस अभियान की नहीं"),
    ("block", "ग्राम पंचायत स्तर से भेजा जाता है"), ("outside", "अभियान के क्षेत्र से बाहर"),
    ("officer", "आपके क्षेत्र से बाहर"), ("computed", "गणना ट्रेनर करता है"),
])
def test_a_value_that_breaks_a_rule_is_refused_in_hindi(app, places, make_user, make_programme, case, message):
    programme = make_programme()
    officer = make_user(role=Role.BLOCK_OFFICER, area_code=1112)
    campaign = make_campaign(places, programme_ids=(programme.id,))
    indicator = make_indicator(campaign)
    gp, day, value, user = places.gp(11111), date(2026, 12, 7), 5, None
    if case == "negative":
        value = -1
    elif case == "text":
        value = "5"
    elif case == "before":
        day = date(2026, 11, 23)
    elif case == "not a monday":
        day = date(2026, 12, 8)
    elif case == "after":
        day = date(2027, 2, 1)
    elif case == "block":
        gp = places.block(1111)
    elif case == "outside":
        gp = places.gp(11211)
    elif case == "officer":
        user = officer
    elif case == "computed":
        indicator = make_indicator(campaign, code="trained", source=Source.GPS_TRAINED, programme_id=programme.id)
    assert message in refusal(record_value, indicator, gp, day, value, user)
    assert db.session.scalar(select(func.count(IndicatorValue.id))) == 0


def test_a_campaign_reported_by_phase_takes_values_on_each_phases_first_day(app, places):
    campaign = make_campaign(places, period_kind=PeriodKind.PHASE, place=None)
    indicator = make_indicator(campaign, level=Level.DISTRICT)
    row = record_value(indicator, places.district(121), date(2027, 1, 1), 7)
    assert row.district_id == places.district(121).id and row.level is Level.DISTRICT
    assert "नहीं" in refusal(record_value, db.session.get(Indicator, indicator.id), places.district(121),
                             date(2027, 1, 2), 7)


# Who sees a campaign

def test_staff_see_the_campaigns_that_meet_their_area(app, places, make_user):
    state = make_campaign(places, title_hi="राज्य", place=None)
    own = make_campaign(places, title_hi="जिला 111 का", place=places.district(111))
    division = make_campaign(places, title_hi="संभाग 1 का", place=places.division(1))
    block = make_campaign(places, title_hi="जनपद 1112 का", place=places.block(1112))
    other = make_campaign(places, title_hi="जिला 121 का", place=places.district(121))
    officer = make_user(role=Role.BLOCK_OFFICER)  # block 1111
    seen = set(db.session.scalars(services.campaign_query(officer.area)))
    assert seen == {state, own, division}
    assert not services.may_see(officer.area, block) and not services.may_see(officer.area, other)
    district = make_user(role=Role.DISTRICT_OFFICER)  # district 111
    assert set(db.session.scalars(services.campaign_query(district.area))) == {state, own, division, block}
    assert len(db.session.scalars(services.campaign_query(make_user(role=Role.DIRECTOR).area)).all()) == 5


# Pages

def test_a_planner_creates_a_campaign_adds_a_phase_office_indicator_and_target_on_the_pages(app, client, login_as,
                                                                                           places, make_programme):
    programme = make_programme()
    login_as(Role.TRAINER)
    page = client.get("/campaigns/new")
    assert page.status_code == 200 and "नया अभियान" in page.get_data(as_text=True)
    response = client.post("/campaigns/new", data={
        "title_hi": SHG, "starts_on": "2026-12-01", "ends_on": "2027-01-31", "area_level": "district",
        "area_code": "111", "period_kind": "week", "approval": "district", "programmes": [str(programme.id)]})
    assert response.status_code == 302
    campaign = db.session.scalar(select(Campaign))
    assert campaign.district is places.district(111) and campaign.programmes == [programme]
    url = f"/campaigns/{campaign.id}"
    assert client.post(f"{url}/phases", data={"phase-name_hi": "पहला", "phase-starts_on": "2026-12-01",
                                              "phase-ends_on": "2026-12-31"}).status_code == 302
    refused = client.post(f"{url}/phases", data={"phase-name_hi": "बाहर", "phase-starts_on": "2026-11-01",
                                                 "phase-ends_on": "2026-11-30"}, follow_redirects=True)
    assert "हर चरण अभियान के दिनों के भीतर होना चाहिए।" in refused.get_data(as_text=True)
    assert client.post(f"{url}/offices", data={"office-name_hi": "ग्राम संगठन", "office-responsibilities": "सर्वे"}).status_code == 302
    assert client.post(f"{url}/indicators/new", data={
        "code": "linked", "name_hi": "जोड़े गए परिवार", "level": "gp", "source": "reported", "programme": "0",
        "share_of": "0", "higher_is_better": "y"}).status_code == 302
    indicator = db.session.scalar(select(Indicator))
    phase = db.session.scalar(select(CampaignPhase))
    assert client.post(f"{url}/indicators/{indicator.id}/targets", data={
        "level": "gp", "place_code": "11111", "phase": str(phase.id), "value": "532630"}).status_code == 302
    outside = client.post(f"{url}/indicators/{indicator.id}/targets", data={
        "level": "gp", "place_code": "12111", "phase": "0", "value": "5"})
    assert outside.status_code == 400 and "अभियान के क्षेत्र से बाहर" in outside.get_data(as_text=True)
    shown = client.get(url).get_data(as_text=True)
    for text in (SHG, "पहला", "ग्राम संगठन", "जोड़े गए परिवार", "linked", "पंचायत प्रशिक्षण", "जिला 11"):
        assert text in shown
    assert "5,32,630" in client.get(f"{url}/indicators/{indicator.id}").get_data(as_text=True)
    assert client.post(f"{url}/indicators/{indicator.id}/edit", data={
        "code": "linked", "name_hi": "जुड़े परिवार", "level": "gp", "source": "reported", "programme": "0",
        "share_of": "0"}).status_code == 302
    assert db.session.get(Indicator, indicator.id).name_hi == "जुड़े परिवार"


def test_the_campaign_form_names_what_is_missing(app, client, login_as, places):
    login_as(Role.ADMIN)
    response = client.post("/campaigns/new", data={"title_hi": "", "starts_on": "2026-12-05", "ends_on": "2026-12-01",
                                                   "area_level": "block", "area_code": "", "period_kind": "week",
                                                   "approval": "none"})
    text = response.get_data(as_text=True)
    assert response.status_code == 400 and "शीर्षक" in text and "क्षेत्र का एलजीडी कोड दें।" in text
    response = client.post("/campaigns/new", data={"title_hi": "अ", "starts_on": "2026-12-01", "ends_on": "2026-12-05",
                                                   "area_level": "block", "area_code": "999", "period_kind": "week",
                                                   "approval": "none"})
    assert response.status_code == 400 and "इस स्तर पर इस एलजीडी कोड का कोई स्थान नहीं है।" in response.get_data(
        as_text=True)
    assert db.session.scalar(select(func.count(Campaign.id))) == 0


def test_officers_read_only_campaigns_that_meet_their_area_and_change_none(app, client, login_as, places):
    own = make_campaign(places, title_hi="अपना अभियान")
    other = make_campaign(places, title_hi="दूसरे संभाग का अभियान", place=places.district(121))
    login_as(Role.BLOCK_OFFICER)
    listed = client.get("/campaigns").get_data(as_text=True)
    assert "अपना अभियान" in listed and "दूसरे संभाग का अभियान" not in listed
    assert client.get(f"/campaigns/{own.id}").status_code == 200
    assert client.get(f"/campaigns/{other.id}").status_code == 403
    assert client.get(f"/campaigns/{own.id}/edit").status_code == 403
    assert client.get("/campaigns/999").status_code == 404


# JSON

def test_the_json_lists_the_readers_campaigns_and_gives_one_with_its_parts(app, client, login_as, places,
                                                                         make_programme):
    programme = make_programme()
    own = make_campaign(places, programme_ids=(programme.id,))
    other = make_campaign(places, title_hi="दूसरा", place=places.district(121))
    indicator = make_indicator(own, unit_en="families")
    set_target(indicator, places.gp(11111), 10)
    db.session.commit()
    login_as(Role.DISTRICT_OFFICER)
    listed = client.get("/api/v1/campaigns").get_json()
    assert listed["total"] == 1 and listed["campaigns"][0]["id"] == own.id
    assert listed["campaigns"][0]["area"] == {"level": "district", "code": 111, "name_hi": "जिला 11",
                                              "name_en": "District 11"}
    found = client.get(f"/api/v1/campaigns/{own.id}").get_json()
    assert [p["name_hi"] for p in found["phases"]] == ["पहला चरण", "दूसरा चरण"]
    assert found["offices"][0]["responsibilities"] == "सर्वे करना"
    assert found["programmes"] == [{"id": programme.id, "title_hi": programme.title_hi,
                                    "title_en": programme.title_en}]
    assert found["indicators"][0] | {} == {**found["indicators"][0], "code": "linked", "level": "gp",
                                           "source": "reported", "targets": 1, "unit_en": "families"}
    assert found["periods"][0] == {"key": "2026-W49", "starts_on": "2026-11-30", "ends_on": "2026-12-06"}
    refused = client.get(f"/api/v1/campaigns/{other.id}")
    assert refused.status_code == 403 and refused.get_json()["error"] == "forbidden"
    assert client.get("/api/v1/campaigns/999").status_code == 404


# A phone

def test_a_planner_reads_and_fills_a_campaigns_pages_on_a_360_px_phone(browser, live_server, places, make_programme):
    programme = make_programme()
    campaign = make_campaign(places, programme_ids=(programme.id,),
                             description_hi="राशन कार्ड वाले हर परिवार को स्वयं सहायता समूह से जोड़ना।")
    indicator = make_indicator(campaign)
    make_indicator(campaign, code="identified", name_hi="चिह्नित परिवार", unit_hi="परिवार")
    set_target(indicator, places.gp(11111), 532630)
    set_target(indicator, places.block(1111), 600000, campaign.phases[0])
    db.session.commit()
    ARTIFACTS.mkdir(exist_ok=True)
    phone = browser.new_page(viewport={"width": 360, "height": 740})
    sign_in(phone, live_server, "trainer")
    for name, path in (("list", "/campaigns"), ("detail", f"/campaigns/{campaign.id}"),
                       ("form", f"/campaigns/{campaign.id}/edit"),
                       ("indicator", f"/campaigns/{campaign.id}/indicators/{indicator.id}"),
                       ("indicator-form", f"/campaigns/{campaign.id}/indicators/new")):
        phone.goto(live_server + path)
        assert page_width(phone) <= 360, name
        phone.screenshot(path=str(ARTIFACTS / f"campaign-{name}-360.png"), full_page=True)
    phone.goto(f"{live_server}/campaigns/{campaign.id}")
    phone.click("text=चरण जोड़ें")
    phone.fill("#phase-name_hi", "तीसरा चरण")
    phone.fill("#phase-starts_on", "2027-02-01")
    phone.fill("#phase-ends_on", "2027-02-10")
    phone.click("form[action$='/phases'] button[type=submit]")
    assert "हर चरण अभियान के दिनों के भीतर होना चाहिए।" in phone.content() and page_width(phone) <= 360
    phone.close()


def test_a_campaigns_page_speaks_english_when_asked(app, client, login_as, places):
    campaign = make_campaign(places)
    make_indicator(campaign)
    login_as(Role.DIRECTOR)
    client.post("/language", data={"lang": "en", "next": "/"})
    shown = client.get(f"/campaigns/{campaign.id}").get_data(as_text=True)
    for text in ("SHG linkage", "Families linked", "Phase 1", "Village organisations", "Every week", "9 periods",
                 "Offices taking part", "District 11"):
        assert text in shown


def test_an_area_holds_the_places_below_it_but_not_those_above(app, places):
    from trainer.regions.areas import STATE, Area
    district = Area.of(places.district(111))
    assert district.holds(places.gp(11111)) and district.holds(places.district(111))
    assert not district.holds(places.division(1)) and not district.holds(places.gp(11211))
    assert district.contains(places.division(1))  # an ancestor meets the area, but does not lie in it
    assert STATE.holds(places.gp(12111))


def test_the_command_lists_the_campaigns_and_the_keys_of_a_campaigns_periods(app, runner, places):
    campaign = make_campaign(places)
    listed = runner.invoke(args=["campaigns", "list"])
    assert listed.exit_code == 0 and f"{campaign.id}\t2026-12-01 – 2027-01-31\tDistrict 11\t0 indicator(s)" in \
        listed.output
    periods = runner.invoke(args=["campaigns", "periods", str(campaign.id)])
    assert periods.exit_code == 0 and periods.output.splitlines()[0] == "2026-W49\t2026-11-30\t2026-12-06"
    assert len(periods.output.splitlines()) == 9
    missing = runner.invoke(args=["campaigns", "periods", "999"])
    assert missing.exit_code != 0 and "There is no campaign 999." in missing.output
