"""A campaign counts the directives of the review meetings that review it: by block (or district), those reported
done by their due date and standing done, against those due — computed, never reported."""
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from tests.test_campaigns import make_campaign, refusal
from tests.test_meetings_services import World
from trainer.campaigns import dashboard
from trainer.campaigns.models import Level, Source
from trainer.campaigns.services import IndicatorValues, save_indicator
from trainer.core import clock
from trainer.extensions import db
from trainer.meetings import directives
from trainer.meetings.directives import ReportValues
from trainer.meetings.models import DirectiveEvent, DirectiveStatus
from trainer.regions.areas import STATE

NOW = datetime(2026, 12, 8, 5, 0, tzinfo=UTC)


@pytest.fixture
def world(app, places, make_user, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 8))
    world = World(places, make_user)
    campaign = make_campaign(places)
    world.series.campaign_id = campaign.id
    indicator = save_indicator(campaign, IndicatorValues(
        code="on-time", name_hi="समय पर पूरे निर्देश", name_en="Directives done on time", unit_en="directives",
        level=Level.BLOCK, source=Source.DIRECTIVES_ON_TIME))
    on_time = world.directive(place=places.block(1111), due_on=date(2026, 12, 15), within_days=None)
    late = world.directive(place=places.block(1111), due_on=date(2026, 12, 10), within_days=None)
    world.directive(place=places.block(1112), owner_office_id=world.other.id, due_on=date(2026, 12, 20),
                    within_days=None)
    dropped = world.directive(place=places.block(1112), owner_office_id=world.other.id, due_on=date(2026, 12, 20),
                    within_days=None)
    directives.change_status(dropped, DirectiveStatus.DROPPED, world.chair_user, reason="दोहराया गया")
    for directive in (on_time, late):
        directives.report_action_taken(directive, world.owner_user, ReportValues("कार्य पूर्ण"), done=True)
    db.session.flush()
    # The late one was reported done two days after its due date.
    for event in db.session.scalars(select(DirectiveEvent).where(
            DirectiveEvent.directive_id == late.id, DirectiveEvent.to_status == DirectiveStatus.REPORTED_DONE)):
        event.at = datetime(2026, 12, 12, 6, tzinfo=UTC)
    db.session.commit()
    return campaign, indicator


def test_directives_done_on_time_are_counted_by_block_against_those_due(world):
    campaign, _indicator = world
    item = dashboard.build(campaign, STATE).indicators[0]
    assert (item.whole.value, item.whole.target) == (1, 3)  # the dropped one is not due
    assert [(row.lgd_code, row.figure.value, row.figure.target) for row in item.children] == [(1111, 1, 2),
                                                                                            (1112, 0, 1)]
    assert item.sentence_en == "1 of 3 directives (33.3%)"


def test_a_phase_counts_the_directives_due_by_its_end(world, monkeypatch):
    campaign, _indicator = world
    monkeypatch.setattr(clock, "today", lambda: date(2027, 1, 10))  # the first phase (December) is over
    item = dashboard.build(campaign, STATE).indicators[0]
    first, _second = item.phases
    assert (first[1].value, first[1].target) == (1, 3)
    assert (item.whole.value, item.whole.target) == (1, 3)
    monkeypatch.setattr(clock, "today", lambda: date(2026, 12, 8))


def test_directives_are_counted_by_block_or_district_and_count_no_programme(app, places, make_programme):
    campaign = make_campaign(places)
    assert "जनपद या जिले" in refusal(save_indicator, campaign, IndicatorValues(
        code="x", name_hi="x", level=Level.GP, source=Source.DIRECTIVES_ON_TIME))
    programme = make_programme()
    linked = make_campaign(places, programme_ids=(programme.id,))
    assert "केवल कार्यक्रम" in refusal(save_indicator, linked, IndicatorValues(
        code="x", name_hi="x", level=Level.BLOCK, source=Source.DIRECTIVES_ON_TIME, programme_id=programme.id))
