"""Approving the values reported for a campaign, where it asks for it: a district officer approves the values of
their district (reported → approved by the district); the state (an administrator or the director) then approves
those (→ approved by the state) when the campaign asks for both. Each approval enters the value's history, with who
approved it and when (the revision's reported_by and reported_at). And which places have not reported for a
period. Nothing here commits."""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import selectinload

from trainer.campaigns import services
from trainer.campaigns.models import (
    PLACE_MODELS,
    Approval,
    Campaign,
    Indicator,
    IndicatorValue,
    IndicatorValueRevision,
    Level,
    Source,
    ValueState,
)
from trainer.core import clock
from trainer.core.database import utc_now
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.regions.areas import Area


@dataclass(frozen=True)
class Step:
    """One approval: the values of one state that a role moves to the next."""

    waiting: ValueState
    approved: ValueState


DISTRICT_STEP = Step(ValueState.REPORTED, ValueState.APPROVED_DISTRICT)
STATE_STEP = Step(ValueState.APPROVED_DISTRICT, ValueState.APPROVED_STATE)
APPROVERS = (Role.DISTRICT_OFFICER, Role.ADMIN, Role.DIRECTOR)


def step_of(campaign_approval: Approval, user) -> Step | None:
    """Return the approval a user gives for a campaign's values, or None."""
    if user.role is Role.DISTRICT_OFFICER and campaign_approval in (Approval.DISTRICT, Approval.DISTRICT_THEN_STATE):
        return DISTRICT_STEP
    if user.role in (Role.ADMIN, Role.DIRECTOR) and campaign_approval is Approval.DISTRICT_THEN_STATE:
        return STATE_STEP
    return None


def values_in(area: Area):
    """Return a WHERE clause keeping the values of places that lie wholly in an area."""
    if area.is_state:
        return IndicatorValue.id.is_not(None)
    conditions = []
    for level, model in PLACE_MODELS.items():
        rank = {Level.GP: 3, Level.BLOCK: 2, Level.DISTRICT: 1}[level]
        depth = 3 if area.gram_panchayat_id else 2 if area.block_id else 1 if area.district_id else 0
        if rank >= depth:  # a place at the area's level or below it
            conditions.append(getattr(IndicatorValue, level.column).in_(select(model.id).where(area.condition(model))))
    return or_(*conditions) if conditions else IndicatorValue.id.is_(None)


@dataclass(frozen=True)
class Waiting:
    """Values waiting for a user's approval: of one campaign, period and indicator, how many."""

    campaign: Campaign
    period_start: date
    indicator: Indicator
    count: int
    step: Step
    period_key: str


def waiting_for(user) -> list[Waiting]:
    """Return what waits for the user's approval in their area, by campaign, period and indicator."""
    found = []
    for approval in (Approval.DISTRICT, Approval.DISTRICT_THEN_STATE):
        step = step_of(approval, user)
        if step is None:
            continue
        rows = db.session.execute(
            select(Indicator, IndicatorValue.period_start, func.count(IndicatorValue.id))
            .join(IndicatorValue, IndicatorValue.indicator_id == Indicator.id)
            .join(Campaign, Campaign.id == Indicator.campaign_id)
            .where(Campaign.approval == approval, IndicatorValue.state == step.waiting, values_in(user.area),
                   services.visible_condition(user.area))
            .group_by(Indicator.id, IndicatorValue.period_start)
            .order_by(Indicator.campaign_id, IndicatorValue.period_start, Indicator.position)).all()
        keys: dict[int, dict[date, str]] = {}
        for indicator, period_start, count in rows:
            campaign = indicator.campaign
            if campaign.id not in keys:
                keys[campaign.id] = {period.starts_on: period.key for period in services.periods_of(campaign)}
            found.append(Waiting(campaign, period_start, indicator, count, step,
                                 keys[campaign.id].get(period_start, "")))
    return found


def approve_values(indicator: Indicator, period_start: date, user) -> int:
    """Approve the values of an indicator and period that wait for the user in their area; return how many."""
    step = step_of(indicator.campaign.approval, user)
    if step is None:
        raise services.CampaignError(_l("You do not approve this campaign's values."))
    services.period_starting(indicator.campaign, period_start)
    condition = and_(IndicatorValue.indicator_id == indicator.id, IndicatorValue.period_start == period_start,
                     IndicatorValue.state == step.waiting, values_in(user.area))
    found = db.session.execute(select(IndicatorValue.id, getattr(IndicatorValue, indicator.level.column))
                               .where(condition)).all()
    if not found:
        return 0
    ids = [value_id for value_id, _place_id in found]
    now = utc_now()
    table, history = IndicatorValue.__table__, IndicatorValueRevision.__table__
    latest = (select(func.coalesce(func.max(history.c.revision), 0))
              .where(history.c.value_id == table.c.id).scalar_subquery())
    for start in range(0, len(ids), 10_000):
        chunk = ids[start:start + 10_000]
        db.session.execute(table.update().where(table.c.id.in_(chunk)).values(state=step.approved))
        db.session.execute(history.insert().from_select(
            ["value_id", "revision", "value", "state", "reported_by_id", "reported_at"],
            select(table.c.id, latest + 1, table.c.value, table.c.state, db.literal(user.id), db.literal(now,
                   IndicatorValueRevision.__table__.c.reported_at.type))
            .where(table.c.id.in_(chunk))))
    services.refresh_standing(indicator, services.period_starting(indicator.campaign, period_start),
                              [place_id for _value_id, place_id in found])
    db.session.expire_all()
    return len(ids)


# What an approver reads

@dataclass(frozen=True)
class PeriodValue:
    """A value reported for one place and period, with the place's value of the period before."""

    place: object
    value: IndicatorValue
    previous: int | None


def period_values_query(indicator: Indicator, period_start: date, area: Area):
    """Select the values of an indicator and period in an area, in order of their places' names."""
    model = PLACE_MODELS[indicator.level]
    return (select(IndicatorValue).join(model, model.id == getattr(IndicatorValue, indicator.level.column))
            .where(IndicatorValue.indicator_id == indicator.id, IndicatorValue.period_start == period_start,
                   values_in(area))
            .options(selectinload(IndicatorValue.reported_by)).order_by(model.name_en, model.id))


def with_places(indicator: Indicator, period: services.Period, values: list[IndicatorValue]) -> list[PeriodValue]:
    """Pair each value with its place and the place's value of the period before (None: the first period, or none
    reported then)."""
    model, column = PLACE_MODELS[indicator.level], getattr(IndicatorValue, indicator.level.column)
    ids = [value.place_id for value in values]
    places = {place.id: place for place in db.session.scalars(select(model).where(model.id.in_(ids)))} if ids else {}
    periods = services.periods_of(indicator.campaign)
    before = next((p for p, following in zip(periods, periods[1:], strict=False)
                   if following.starts_on == period.starts_on), None)
    previous = dict(db.session.execute(select(column, IndicatorValue.value).where(
        IndicatorValue.indicator_id == indicator.id, IndicatorValue.period_start == before.starts_on,
        column.in_(ids))).all()) if before is not None and ids else {}
    return [PeriodValue(places[value.place_id], value, previous.get(value.place_id)) for value in values]


# Completeness

def current_period(campaign: Campaign) -> services.Period | None:
    """Return the campaign's period of today, else its last one begun (None before the campaign)."""
    today = clock.today()
    begun = [period for period in services.periods_of(campaign) if period.starts_on <= today]
    return begun[-1] if begun else None


def missing_places(indicator: Indicator, period_start: date, area: Area) -> list:
    """Return the places of an indicator's level, in both the campaign's area and `area`, that have not reported
    for the period, in order of their names."""
    level = indicator.level
    model = PLACE_MODELS[level]
    campaign_area = services.area_of(indicator.campaign)
    reported = select(getattr(IndicatorValue, level.column)).where(
        IndicatorValue.indicator_id == indicator.id, IndicatorValue.period_start == period_start,
        getattr(IndicatorValue, level.column).is_not(None))
    query = select(model).where(campaign_area.condition(model), area.condition(model), model.id.not_in(reported))
    places = [place for place in db.session.scalars(query.order_by(model.name_en, model.id))
              if campaign_area.holds(place) and area.holds(place)]
    return places


def reported_indicators(campaign: Campaign) -> list[Indicator]:
    """Return the campaign's indicators reported from the field."""
    return [indicator for indicator in campaign.indicators if indicator.source is Source.REPORTED]


# Reminders

def remind_missing(campaign: Campaign, period: services.Period, area: Area, dry_run: bool = False):
    """Queue, through the outbox, a reminder to the officers of the places of `area` that have not reported for
    the period: the block officers of a block (for its GPs or itself), the district officers of a district; once
    per place and period, however often asked."""
    from trainer.accounts.models import User
    from trainer.contacts.services import contact_points_of_users
    from trainer.messaging.content import absolute_url
    from trainer.messaging.kinds import MessageKind
    from trainer.messaging.outbox import Queued, Recipient, queue_messages
    missing: dict[tuple[str, int], set] = {}
    for indicator in reported_indicators(campaign):
        for place in missing_places(indicator, period.starts_on, area):
            if indicator.level is Level.DISTRICT:
                key = ("district", place.id)
            else:
                key = ("block", place.block_id if indicator.level is Level.GP else place.id)
            missing.setdefault(key, set()).add((indicator.level, place.id))
    queued = Queued()
    if not missing:
        return queued
    blocks = [place_id for kind, place_id in missing if kind == "block"]
    districts = [place_id for kind, place_id in missing if kind == "district"]
    officers = db.session.execute(select(User.id, User.role, User.block_id, User.district_id).where(
        User.active.is_(True), or_(and_(User.role == Role.BLOCK_OFFICER, User.block_id.in_(blocks)),
                                   and_(User.role == Role.DISTRICT_OFFICER, User.district_id.in_(districts))))).all()
    place_of = {row.id: ("block", row.block_id) if row.role is Role.BLOCK_OFFICER else ("district", row.district_id)
                for row in officers}
    by_place: dict[tuple[str, int], list] = {}
    for point in contact_points_of_users(list(place_of)):
        by_place.setdefault(place_of[point.user_id], []).append(
            Recipient(point.contact_id, None, point.user_id, point.language, point.channels, point.mobile,
                      point.email))
    link = absolute_url("campaigns.value_form", campaign_id=campaign.id, period=period.key)
    for key, recipients in sorted(by_place.items()):
        values = {"campaign": campaign.title_hi or campaign.title_en, "period": period.key,
                  "places": str(len(missing[key])), "link": link}
        found = queue_messages(MessageKind.CAMPAIGN_VALUE_DUE, recipients,
                               f"cv{campaign.id}-{period.key}-{key[0]}{key[1]}",
                               lambda recipient, values=values: values, dry_run=dry_run)
        queued.add(found)
    return queued
