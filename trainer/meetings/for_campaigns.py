"""What review meetings give the campaigns they review, registered with campaigns when the app starts (campaigns lie
below review meetings and never import them): the series that review a campaign, listed on its page; and the
directives of those series counted for its dashboard — an indicator of source "directives done on time" counts, by
block or district, the directives reported done by their due date that stand done (reported done or verified),
against the directives due by then (dropped ones left out)."""
from datetime import date

from flask import url_for
from sqlalchemy import func, select

from trainer.campaigns import coverage
from trainer.campaigns import routes as campaign_pages
from trainer.campaigns.models import Campaign, Indicator, Level, Source
from trainer.core import clock
from trainer.extensions import db
from trainer.meetings import services
from trainer.meetings.models import Directive, DirectiveEvent, DirectiveStatus, Meeting, MeetingSeries
from trainer.regions.areas import Area
from trainer.regions.models import Block, District

DONE = (DirectiveStatus.REPORTED_DONE, DirectiveStatus.VERIFIED)


def _directives(indicator: Indicator, area: Area, key, condition=None):
    """Select `key`, each directive's due date and status and when it was last reported done, for the directives of
    the campaign's review meetings that concern a place of the indicator's level in the area."""
    done_at = (select(func.max(DirectiveEvent.at)).where(DirectiveEvent.directive_id == Directive.id,
                                                          DirectiveEvent.to_status == DirectiveStatus.REPORTED_DONE)
               .scalar_subquery())
    query = (select(key, Directive.due_on, Directive.status, done_at).select_from(Directive)
             .join(Meeting, Meeting.id == Directive.meeting_id).join(MeetingSeries, MeetingSeries.id == Meeting.series_id)
             .where(MeetingSeries.campaign_id == indicator.campaign_id, Directive.status != DirectiveStatus.DROPPED))
    if indicator.level is Level.BLOCK:
        query = (query.join(Block, Block.id == Directive.block_id).join(District, District.id == Block.district_id)
                 .where(area.condition(Block)))
    else:  # a district's directives, and its blocks'
        query = (query.outerjoin(Block, Block.id == Directive.block_id)
                 .join(District, District.id == func.coalesce(Directive.district_id, Block.district_id))
                 .where(area.condition(District)))
    if condition is not None:
        query = query.where(condition)
    return db.session.execute(query).all()


def _due_by(due_on: date, last_day: date | None) -> bool:
    return last_day is None or due_on <= last_day


def done_on_time(indicator: Indicator, last_day: date | None, area: Area, key, condition=None) -> dict:
    """Count, by `key`, the directives due by `last_day` (None: any) that were reported done on or before their due
    date and stand done."""
    counts: dict = {}
    for place, due_on, status, done_at in _directives(indicator, area, key, condition):
        if status in DONE and done_at is not None and _due_by(due_on, last_day) and \
                clock.local_day(done_at) <= due_on:
            counts[place] = counts.get(place, 0) + 1
    return counts


def due(indicator: Indicator, last_day: date | None, area: Area, by=None) -> dict:
    """Count, by `by` (None: each block or district), the directives due by `last_day` (None: all)."""
    key = by if by is not None else (Block.id if indicator.level is Level.BLOCK else District.id)
    counts: dict = {}
    for place, due_on, _status, _done_at in _directives(indicator, area, key):
        if _due_by(due_on, last_day):
            counts[place] = counts.get(place, 0) + 1
    return counts


def reviews(campaign: Campaign, viewer) -> list[tuple[str, str]]:
    """Return the series reviewing a campaign that the viewer sees: (title, URL of its page)."""
    query = services.series_query(viewer).where(MeetingSeries.campaign_id == campaign.id)
    return [(series.title, url_for("meetings.series", series_id=series.id)) for series in db.session.scalars(query)]


def register() -> None:
    """Let campaigns list the series that review them and count their directives."""
    coverage.count_with(Source.DIRECTIVES_ON_TIME, coverage.Counter(values=done_on_time, targets=due))
    if reviews not in campaign_pages.REVIEWS:
        campaign_pages.REVIEWS.append(reviews)
