"""The figures a campaign's dashboard reads (each place's latest value per span, each period's sums by block) are kept
as values are written — one at a time, by file, approved, out of the order of the weeks — and are always what
drawing them again from every value gives; the migration that adds them draws the same from the values already
reported."""
import os
from datetime import date

import pytest
from flask_migrate import downgrade, upgrade
from sqlalchemy import select

from tests.test_campaigns import make_campaign, make_indicator
from trainer.campaigns import approvals, services, uploads
from trainer.campaigns.models import WHOLE_CAMPAIGN, Approval, LatestValue, Level, PeriodSum
from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db

W1, W2, W5, W6 = date(2026, 11, 30), date(2026, 12, 7), date(2026, 12, 28), date(2027, 1, 4)
MIGRATIONS = os.path.join(os.path.dirname(__file__), "..", "migrations")


def kept() -> tuple[set, set]:
    """Return the kept figures as comparable rows."""
    latest = {(row.indicator_id, row.span, row.level, row.place_id, row.period_start, row.value, row.state.value)
              for row in db.session.scalars(select(LatestValue))}
    sums = {(row.indicator_id, row.period_start, row.block_id, row.district_id, row.value, row.reporting)
            for row in db.session.scalars(select(PeriodSum))}
    return latest, sums


def drawn_again(campaign) -> tuple[set, set]:
    services.rebuild_standing(campaign)
    db.session.flush()
    found = kept()
    db.session.rollback()
    return found


@pytest.fixture
def world(app, places, make_user, monkeypatch):
    """Two phases (December, January), weekly values of GPs and of blocks, written every way there is."""
    monkeypatch.setattr(clock, "today", lambda: date(2027, 1, 6))
    campaign = make_campaign(places, approval=Approval.DISTRICT)
    linked = make_indicator(campaign, may_exceed_target=True)
    blocks = make_indicator(campaign, code="groups", level=Level.BLOCK, may_exceed_target=True)
    officer = make_user(role=Role.BLOCK_OFFICER)
    district = make_user(role=Role.DISTRICT_OFFICER)
    services.record_value(linked, places.gp(11111), W5, 50)
    services.record_value(linked, places.gp(11111), W2, 20)  # an earlier week, reported later: not the latest
    services.record_value(linked, places.gp(11112), W1, 10)
    services.record_value(linked, places.gp(11112), W1, 12)  # reported again: replaces
    services.record_value(blocks, places.block(1111), W6, 4)
    db.session.commit()
    uploads.import_values(campaign, (
        "area_code,indicator,period,value\n11113,linked,2026-W53,30\n11111,linked,2027-W01,70\n"
        "11121,linked,2026-W49,5\n1112,groups,2026-W49,2\n").encode())
    db.session.commit()
    approvals.approve_values(linked, W1, district)
    db.session.commit()
    return campaign, linked, blocks, officer


def test_each_place_keeps_its_latest_value_for_the_campaign_and_for_its_phase(world, places):
    campaign, linked, _blocks, _officer = world
    latest = {(row.span, row.place_id): (row.period_start, row.value)
              for row in db.session.scalars(select(LatestValue).where(LatestValue.indicator_id == linked.id))}
    gp = places.gp(11111).id
    assert latest[WHOLE_CAMPAIGN, gp] == (W6, 70)  # January's week, in phase 2
    assert latest[1, gp] == (W5, 50)  # December's latest, not the earlier week reported after it
    assert latest[2, gp] == (W6, 70)
    assert latest[WHOLE_CAMPAIGN, places.gp(11112).id] == (W1, 12)


def test_what_is_kept_is_what_every_value_gives(world):
    campaign = world[0]
    assert kept() == drawn_again(campaign)


def test_an_approval_and_a_value_reported_again_are_kept(world, places, make_user):
    campaign, linked, _blocks, officer = world
    services.record_value(linked, places.gp(11113), date(2026, 12, 28), 35, officer)
    db.session.commit()
    row = db.session.scalar(select(LatestValue).where(LatestValue.indicator_id == linked.id,
                                                      LatestValue.span == WHOLE_CAMPAIGN,
                                                      LatestValue.gram_panchayat_id == places.gp(11113).id))
    assert (row.value, row.state.value) == (35, "reported")
    approved = {row.state.value for row in db.session.scalars(select(LatestValue).where(
        LatestValue.indicator_id == linked.id, LatestValue.period_start == W1))}
    assert approved == {"approved_district"}
    assert kept() == drawn_again(campaign)


def test_a_change_of_phases_draws_the_figures_again(world):
    campaign = world[0]
    services.remove_phase(campaign, campaign.phases[1])
    db.session.commit()
    assert {row.span for row in db.session.scalars(select(LatestValue))} == {WHOLE_CAMPAIGN, 1}
    services.add_phase(campaign, services.PhaseValues(date(2027, 1, 1), date(2027, 1, 31), "दूसरा", "Second"))
    db.session.commit()
    assert {row.span for row in db.session.scalars(select(LatestValue))} == {WHOLE_CAMPAIGN, 1, 2}
    assert kept() == drawn_again(campaign)


def test_the_migration_draws_the_same_figures_from_the_values_already_reported(world, app):
    expected = kept()
    db.session.remove()
    try:
        downgrade(directory=MIGRATIONS, revision="dffa9cef943b")
        upgrade(directory=MIGRATIONS)
    finally:
        upgrade(directory=MIGRATIONS)
    assert kept() == expected
