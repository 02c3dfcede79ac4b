"""Campaigns and their rules: creating and changing one with its phases, offices and programmes; its indicators and
their targets; its periods; and recording a value reported from the field, with the value it replaces kept.

Planners (administrators and trainers) keep campaigns; every member of staff whose area meets a campaign's reads it.
Nothing here commits.
"""
import re
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, and_, func, or_, select, true
from sqlalchemy.orm import selectinload

from trainer.campaigns import standing
from trainer.campaigns.models import (
    CODE_LENGTH_MAX,
    PLACE_MODELS,
    VALUE_MAX,
    WHOLE_CAMPAIGN,
    Approval,
    Campaign,
    CampaignOffice,
    CampaignPhase,
    CampaignProgramme,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    IndicatorValueRevision,
    Level,
    PeriodKind,
    Source,
    ValueState,
    level_of,
)
from trainer.core.database import lock_for_transaction, utc_now
from trainer.core.i18n import localized_name
from trainer.core.roles import PLANNERS
from trainer.extensions import db
from trainer.programmes.models import Programme
from trainer.regions.areas import STATE, Area
from trainer.regions.models import Block, District, Division, GramPanchayat

EDITOR_ROLES = PLANNERS
CODE = re.compile(rf"[a-z0-9][a-z0-9_-]{{0,{CODE_LENGTH_MAX - 1}}}")


class CampaignError(Exception):
    """A change to a campaign that its rules refuse; `message` says why, in the page's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# Campaigns, their phases, offices and programmes

@dataclass(frozen=True)
class PhaseValues:
    """One phase as a planner gives it."""

    starts_on: date
    ends_on: date
    name_hi: str = ""
    name_en: str = ""


@dataclass(frozen=True)
class OfficeValues:
    """One office or department taking part, and what it is responsible for."""

    name_hi: str = ""
    name_en: str = ""
    responsibilities: str = ""


@dataclass(frozen=True)
class CampaignValues:
    """What a planner gives for a campaign. `place`: the division, district or block covered (None: the state);
    `phases` and `offices`: None keeps those the campaign has."""

    starts_on: date
    ends_on: date
    title_hi: str = ""
    title_en: str = ""
    description_hi: str = ""
    description_en: str = ""
    place: Division | District | Block | None = None
    period_kind: PeriodKind = PeriodKind.WEEK
    approval: Approval = Approval.NONE
    programme_ids: tuple[int, ...] = ()
    phases: tuple[PhaseValues, ...] | None = None
    offices: tuple[OfficeValues, ...] | None = None


def _named(hindi: str, english: str, message) -> tuple[str, str]:
    hindi, english = (hindi or "").strip(), (english or "").strip()
    if not hindi and not english:
        raise CampaignError(message)
    return hindi, english


def _has_values(campaign: Campaign) -> bool:
    return campaign.id is not None and db.session.scalar(
        select(func.count()).select_from(IndicatorValue).join(Indicator)
        .where(Indicator.campaign_id == campaign.id)) > 0


def _has_targets(campaign: Campaign) -> bool:
    return campaign.id is not None and db.session.scalar(
        select(func.count()).select_from(IndicatorTarget).join(Indicator)
        .where(Indicator.campaign_id == campaign.id)) > 0


def _check_phases(starts_on: date, ends_on: date, phases) -> None:
    """Refuse phases outside the campaign's days or overlapping one another."""
    previous = None
    for phase in sorted(phases, key=lambda p: p.starts_on):
        _named(phase.name_hi, phase.name_en, _l("Give each phase's name in Hindi or in English."))
        if phase.ends_on < phase.starts_on:
            raise CampaignError(_l("A phase cannot end before it starts."))
        if phase.starts_on < starts_on or phase.ends_on > ends_on:
            raise CampaignError(_l("Every phase lies within the campaign's days."))
        if previous is not None and phase.starts_on <= previous.ends_on:
            raise CampaignError(_l("Two phases cannot share a day."))
        previous = phase


def save_campaign(values: CampaignValues, user_id: int | None, campaign: Campaign | None = None) -> Campaign:
    """Create a campaign (campaign None) or change one, with its programmes and, when given, its phases and
    offices."""
    title_hi, title_en = _named(values.title_hi, values.title_en, _l("Give the title in Hindi or in English."))
    if values.ends_on < values.starts_on:
        raise CampaignError(_l("The campaign cannot end before it starts."))
    if values.place is not None and not isinstance(values.place, Division | District | Block):
        raise CampaignError(_l("A campaign covers the state, a division, a district or a block."))
    phases = values.phases if values.phases is not None else (campaign.phases if campaign else ())
    _check_phases(values.starts_on, values.ends_on, phases)
    programmes = _programmes(values.programme_ids)
    spans_change = campaign is not None and (values.phases is not None or (campaign.starts_on, campaign.ends_on) != (
        values.starts_on, values.ends_on))
    if campaign is not None:
        _keep_what_is_counted(campaign, values, programmes)
    else:
        campaign = Campaign(created_by_id=user_id)
        db.session.add(campaign)
    campaign.title_hi, campaign.title_en = title_hi, title_en
    campaign.description_hi = (values.description_hi or "").strip()
    campaign.description_en = (values.description_en or "").strip()
    campaign.starts_on, campaign.ends_on = values.starts_on, values.ends_on
    campaign.division = values.place if isinstance(values.place, Division) else None
    campaign.district = values.place if isinstance(values.place, District) else None
    campaign.block = values.place if isinstance(values.place, Block) else None
    campaign.period_kind, campaign.approval = PeriodKind(values.period_kind), Approval(values.approval)
    kept = {link.programme_id: link for link in campaign.programme_links}
    campaign.programme_links = [kept.get(p.id) or CampaignProgramme(programme=p) for p in programmes]
    if values.phases is not None:
        _replace_phases(campaign, values.phases)
    if values.offices is not None:
        campaign.offices = [_office(office) for office in values.offices]
    db.session.flush()
    if spans_change and _has_values(campaign):
        rebuild_standing(campaign)
    return campaign


def _programmes(ids) -> list[Programme]:
    wanted = sorted(set(ids))
    found = list(db.session.scalars(select(Programme).where(Programme.id.in_(wanted)).order_by(Programme.id))) \
        if wanted else []
    if len(found) != len(wanted):
        raise CampaignError(_l("There is no such programme."))
    return found


def _keep_what_is_counted(campaign: Campaign, values: CampaignValues, programmes: list[Programme]) -> None:
    """Refuse changes that would leave targets or values behind: another area, period kind or days."""
    place = values.place
    if (place is not campaign.place) and (_has_targets(campaign) or _has_values(campaign)):
        raise CampaignError(_l("Targets or values are set for this campaign: its area stays as it is."))
    if _has_values(campaign):
        if PeriodKind(values.period_kind) is not campaign.period_kind:
            raise CampaignError(_l("Values are reported for this campaign: its periods stay as they are."))
        outside = db.session.scalar(
            select(func.count()).select_from(IndicatorValue).join(Indicator)
            .where(Indicator.campaign_id == campaign.id,
                   or_(IndicatorValue.period_start > values.ends_on,
                       IndicatorValue.period_start < _first_period_start(campaign.period_kind, values.starts_on))))
        if outside:
            raise CampaignError(_l("Values are reported for periods outside these days."))
    linked = {p.id for p in programmes}
    if any(i.programme_id is not None and i.programme_id not in linked for i in campaign.indicators):
        raise CampaignError(_l("An indicator counts this programme: it stays linked."))


def _phase_in_use(phase: CampaignPhase) -> bool:
    if phase.id is None:
        return False
    if db.session.scalar(select(func.count()).select_from(IndicatorTarget)
                         .where(IndicatorTarget.phase_id == phase.id)):
        return True
    campaign = phase.campaign
    return campaign.period_kind is PeriodKind.PHASE and bool(db.session.scalar(
        select(func.count()).select_from(IndicatorValue).join(Indicator)
        .where(Indicator.campaign_id == campaign.id, IndicatorValue.period_start == phase.starts_on)))


def _replace_phases(campaign: Campaign, phases: tuple[PhaseValues, ...]) -> None:
    """Give the campaign these phases in order of their days, changing the rows it has in place."""
    ordered = sorted(phases, key=lambda p: p.starts_on)
    existing = list(campaign.phases)
    for phase in existing[len(ordered):]:
        if _phase_in_use(phase):
            raise CampaignError(_l("Targets or values are set for this phase: it stays."))
    if campaign.period_kind is PeriodKind.PHASE:
        for phase, given in zip(existing, ordered, strict=False):
            if phase.starts_on != given.starts_on and _phase_in_use(phase):
                raise CampaignError(_l("Values are reported for this phase: its first day stays as it is."))
    # Positions move out of the way first, so that the unique (campaign, position) never meets itself.
    for offset, phase in enumerate(existing):
        phase.position = -1 - offset
    db.session.flush()
    rows = []
    for number, given in enumerate(ordered, start=1):
        phase = existing[number - 1] if number <= len(existing) else CampaignPhase()
        phase.position = number
        phase.name_hi, phase.name_en = (given.name_hi or "").strip(), (given.name_en or "").strip()
        phase.starts_on, phase.ends_on = given.starts_on, given.ends_on
        rows.append(phase)
    campaign.phases = rows


def _phase_values(phase: CampaignPhase) -> PhaseValues:
    return PhaseValues(phase.starts_on, phase.ends_on, phase.name_hi, phase.name_en)


def add_phase(campaign: Campaign, values: PhaseValues) -> CampaignPhase:
    """Add a phase to a campaign (phases are numbered in the order of their days)."""
    phases = [*map(_phase_values, campaign.phases), values]
    _check_phases(campaign.starts_on, campaign.ends_on, phases)
    _replace_phases(campaign, tuple(phases))
    db.session.flush()
    if _has_values(campaign):
        rebuild_standing(campaign)
    return next(p for p in campaign.phases if p.starts_on == values.starts_on)


def remove_phase(campaign: Campaign, phase: CampaignPhase) -> None:
    """Remove a phase that no target or value counts."""
    if _phase_in_use(phase):
        raise CampaignError(_l("Targets or values are set for this phase: it stays."))
    rest = [p for p in campaign.phases if p.id != phase.id]
    campaign.phases.remove(phase)
    db.session.flush()
    for number, kept in enumerate(rest, start=1):
        kept.position = number
    db.session.flush()
    if _has_values(campaign):
        rebuild_standing(campaign)


def _office(values: OfficeValues) -> CampaignOffice:
    name_hi, name_en = _named(values.name_hi, values.name_en, _l("Give each office's name in Hindi or in English."))
    return CampaignOffice(name_hi=name_hi, name_en=name_en, responsibilities=(values.responsibilities or "").strip())


def add_office(campaign: Campaign, values: OfficeValues) -> CampaignOffice:
    """Add an office or department taking part in the campaign."""
    office = _office(values)
    campaign.offices.append(office)
    db.session.flush()
    return office


def remove_office(campaign: Campaign, office: CampaignOffice) -> None:
    """Remove an office from the campaign."""
    campaign.offices.remove(office)
    db.session.flush()


# Who sees a campaign

def area_of(campaign: Campaign) -> Area:
    """Return the area a campaign covers."""
    return Area.of(campaign.place) if campaign.place is not None else STATE


def visible_condition(area: Area):
    """Return a WHERE clause keeping the campaigns that meet an area: the state's, and those of a place that
    contains the area or lies in it."""
    if area.is_state:
        return true()
    return or_(
        and_(Campaign.division_id.is_(None), Campaign.district_id.is_(None), Campaign.block_id.is_(None)),
        Campaign.division_id.in_(select(Division.id).where(area.condition(Division))),
        Campaign.district_id.in_(select(District.id).where(area.condition(District))),
        Campaign.block_id.in_(select(Block.id).where(area.condition(Block))),
    )


def may_see(area: Area, campaign: Campaign) -> bool:
    """Say whether a user of this area reads the campaign."""
    return campaign.place is None or area.contains(campaign.place)


def campaign_query(area: Area) -> Select:
    """Return the campaigns that meet an area, the latest to start first."""
    return (select(Campaign).where(visible_condition(area))
            .options(selectinload(Campaign.division), selectinload(Campaign.district), selectinload(Campaign.block))
            .order_by(Campaign.starts_on.desc(), Campaign.id.desc()))


def load_campaign(campaign_id: int) -> Campaign | None:
    """Return a campaign with its phases, offices, programmes and indicators, or None."""
    if not 0 < campaign_id < 2**31:
        return None
    return db.session.scalar(select(Campaign).where(Campaign.id == campaign_id).options(
        selectinload(Campaign.phases), selectinload(Campaign.offices),
        selectinload(Campaign.programme_links).selectinload(CampaignProgramme.programme),
        selectinload(Campaign.indicators)))


def target_counts(campaign: Campaign) -> dict[int, int]:
    """Return how many targets each indicator of the campaign has, by indicator id."""
    return dict(db.session.execute(
        select(IndicatorTarget.indicator_id, func.count()).join(Indicator)
        .where(Indicator.campaign_id == campaign.id).group_by(IndicatorTarget.indicator_id)).all())


# Indicators

@dataclass(frozen=True)
class IndicatorValues:
    """What a planner gives for an indicator."""

    code: str
    name_hi: str = ""
    name_en: str = ""
    unit_hi: str = ""
    unit_en: str = ""
    higher_is_better: bool = True
    may_exceed_target: bool = False
    share_of_id: int | None = None
    level: Level = Level.GP
    source: Source = Source.REPORTED
    programme_id: int | None = None


def _indicator_in_use(indicator: Indicator) -> bool:
    if indicator.id is None:
        return False
    return bool(db.session.scalar(select(func.count()).select_from(IndicatorTarget)
                                  .where(IndicatorTarget.indicator_id == indicator.id))
                or db.session.scalar(select(func.count()).select_from(IndicatorValue)
                                     .where(IndicatorValue.indicator_id == indicator.id)))


def save_indicator(campaign: Campaign, values: IndicatorValues, indicator: Indicator | None = None) -> Indicator:
    """Add an indicator to a campaign (indicator None) or change one."""
    code = (values.code or "").strip().lower()
    if not CODE.fullmatch(code):
        raise CampaignError(_l("The code is up to %(length)s small letters, digits, - and _, starting with a letter "
                               "or digit.", length=CODE_LENGTH_MAX))
    if any(other.code == code and other is not indicator for other in campaign.indicators):
        raise CampaignError(_l("Another indicator of this campaign has the code %(code)s.", code=code))
    name_hi, name_en = _named(values.name_hi, values.name_en, _l("Give the indicator's name in Hindi or in English."))
    level, source = Level(values.level), Source(values.source)
    share_of = None
    if values.share_of_id is not None:
        share_of = next((other for other in campaign.indicators if other.id == values.share_of_id), None)
        if share_of is None or share_of is indicator:
            raise CampaignError(_l("The share is taken of another indicator of the same campaign."))
        seen, step = set(), share_of
        while step is not None and step.id not in seen:
            if step is indicator:
                raise CampaignError(_l("Two indicators cannot each be the share of the other."))
            seen.add(step.id)
            step = step.share_of
    linked = {link.programme_id for link in campaign.programme_links}
    if source.counts_programme:
        if values.programme_id is None or values.programme_id not in linked:
            raise CampaignError(_l("An indicator computed by Trainer counts a programme linked to the campaign."))
        programme_id = values.programme_id
    else:
        if values.programme_id is not None:
            raise CampaignError(_l("Only the indicators of a programme count a programme."))
        if source is Source.DIRECTIVES_ON_TIME and level is Level.GP:
            raise CampaignError(_l("Directives are counted by block or by district."))
        programme_id = None
    if indicator is None:
        indicator = Indicator(position=max((i.position for i in campaign.indicators), default=0) + 1)
        campaign.indicators.append(indicator)
    elif indicator.level is not level and _indicator_in_use(indicator):
        raise CampaignError(_l("Targets or values are set for this indicator: its level stays as it is."))
    elif indicator.source is not source and _indicator_in_use(indicator):
        raise CampaignError(_l("Targets or values are set for this indicator: its source stays as it is."))
    indicator.code, indicator.name_hi, indicator.name_en = code, name_hi, name_en
    indicator.unit_hi, indicator.unit_en = (values.unit_hi or "").strip(), (values.unit_en or "").strip()
    indicator.higher_is_better, indicator.may_exceed_target = bool(values.higher_is_better), \
        bool(values.may_exceed_target)
    indicator.share_of, indicator.level, indicator.source, indicator.programme_id = share_of, level, source, \
        programme_id
    db.session.flush()
    return indicator


def load_indicator(campaign: Campaign, indicator_id: int) -> Indicator | None:
    """Return one indicator of the campaign, or None."""
    return next((i for i in campaign.indicators if i.id == indicator_id), None)


# Targets

def _whole_number(value) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise CampaignError(_l("A number is a whole number, 0 or more."))
    if value < 0:
        raise CampaignError(_l("A number cannot be negative."))
    if value > VALUE_MAX:
        raise CampaignError(_l("The number is too large."))
    return value


def _in_campaign(campaign: Campaign, place) -> None:
    if not area_of(campaign).holds(place):
        raise CampaignError(_l("%(place)s lies outside the campaign's area.", place=localized_name(place)))


def set_target(indicator: Indicator, place, value: int, phase: CampaignPhase | None = None) -> IndicatorTarget:
    """Set an indicator's target for a GP, block or district (at the indicator's level or above), over a phase of
    its campaign or (phase None) the whole campaign; a target set again replaces the old one."""
    value = _whole_number(value)
    campaign = indicator.campaign
    try:
        level = level_of(place)
    except TypeError:
        raise CampaignError(_l("A target is set for a gram panchayat, a block or a district.")) from None
    if level.rank < indicator.level.rank:
        raise CampaignError(_l("This indicator is counted by %(level)s: its targets are set there or above.",
                               level=indicator.level.label))
    _in_campaign(campaign, place)
    if phase is not None and phase.campaign_id != campaign.id:
        raise CampaignError(_l("That phase is not one of this campaign's."))
    column = level.column
    target = db.session.scalar(select(IndicatorTarget).where(
        IndicatorTarget.indicator_id == indicator.id, getattr(IndicatorTarget, column) == place.id,
        IndicatorTarget.phase_id.is_(None) if phase is None else IndicatorTarget.phase_id == phase.id))
    if target is None:
        target = IndicatorTarget(indicator=indicator, phase=phase, **{column: place.id})
        db.session.add(target)
    target.value = value
    db.session.flush()
    return target


def set_targets(indicator: Indicator, rows) -> int:
    """Set many targets of an indicator from (place, phase or None, value) rows; return how many were set."""
    count = 0
    for place, phase, value in rows:
        set_target(indicator, place, value, phase)
        count += 1
    return count


def targets_of(indicator: Indicator) -> list[IndicatorTarget]:
    """Return an indicator's targets with their places and phases, the whole campaign's first."""
    return list(db.session.scalars(
        select(IndicatorTarget).where(IndicatorTarget.indicator_id == indicator.id)
        .options(selectinload(IndicatorTarget.phase), selectinload(IndicatorTarget.gram_panchayat),
                 selectinload(IndicatorTarget.block), selectinload(IndicatorTarget.district))
        .order_by(IndicatorTarget.phase_id.is_not(None), IndicatorTarget.phase_id, IndicatorTarget.id)))


# Periods

@dataclass(frozen=True)
class Period:
    """One period in which values are reported: its key ("2026-W49", "2026-12", a phase's position), first day
    (what values are stored under), last day, and the phase it is, for a campaign reported by phase."""

    key: str
    starts_on: date
    ends_on: date
    phase: CampaignPhase | None = None


def _first_period_start(kind: PeriodKind, day: date) -> date:
    if kind is PeriodKind.WEEK:
        return day - timedelta(days=day.weekday())
    if kind is PeriodKind.MONTH:
        return day.replace(day=1)
    return day


def periods_of(campaign: Campaign) -> list[Period]:
    """Return a campaign's periods in order: the weeks (from their Monday), months (from their 1st) or phases
    that its days meet."""
    if campaign.period_kind is PeriodKind.PHASE:
        return [Period(str(phase.position), phase.starts_on, phase.ends_on, phase) for phase in campaign.phases]
    periods = []
    start = _first_period_start(campaign.period_kind, campaign.starts_on)
    while start <= campaign.ends_on:
        if campaign.period_kind is PeriodKind.WEEK:
            year, week, _day = start.isocalendar()
            following = start + timedelta(days=7)
            periods.append(Period(f"{year}-W{week:02d}", start, following - timedelta(days=1)))
        else:
            following = (start.replace(day=28) + timedelta(days=4)).replace(day=1)
            periods.append(Period(f"{start.year}-{start.month:02d}", start, following - timedelta(days=1)))
        start = following
    return periods


def find_period(campaign: Campaign, text: str) -> Period | None:
    """Return the campaign's period with this key (for phases, also the phase's Hindi or English name)."""
    text = (text or "").strip()
    for period in periods_of(campaign):
        if period.key == text or (period.phase is not None and text and text.casefold() in {
                period.phase.name_hi.casefold(), period.phase.name_en.casefold()}):
            return period
    return None


def phase_on(campaign: Campaign, period: Period) -> CampaignPhase | None:
    """Return the phase of the campaign that a period falls in (by its first day within the campaign)."""
    if period.phase is not None:
        return period.phase
    day = max(period.starts_on, campaign.starts_on)
    return next((p for p in campaign.phases if p.starts_on <= day <= p.ends_on), None)


# Values

def targets_by_place(indicator: Indicator, level: Level, phase: CampaignPhase | None,
                     place_ids: list[int] | None = None) -> dict[int, int]:
    """Return the targets of the places of one level (all of them, or those of `place_ids`), by place id: each
    place's own for the phase, else its own for the whole campaign, else the sum of its GPs' targets (for the
    phase, else for the whole campaign); a place with none is left out."""
    column = getattr(IndicatorTarget, level.column)
    phases = ([IndicatorTarget.phase_id == phase.id] if phase is not None else []) + [IndicatorTarget.phase_id.is_(None)]
    found: dict[int, int] = {}
    for phase_condition in phases:
        query = select(column, IndicatorTarget.value).where(
            IndicatorTarget.indicator_id == indicator.id, column.is_not(None), phase_condition)
        if place_ids is not None:
            query = query.where(column.in_(place_ids))
        for place_id, value in db.session.execute(query):
            found.setdefault(place_id, value)
    if level is Level.GP:
        return found
    parent = GramPanchayat.block_id if level is Level.BLOCK else Block.district_id
    sums: dict[int, int] = {}
    for phase_condition in phases:
        query = (select(parent, func.sum(IndicatorTarget.value))
                 .join(GramPanchayat, GramPanchayat.id == IndicatorTarget.gram_panchayat_id)
                 .join(Block, Block.id == GramPanchayat.block_id)
                 .where(IndicatorTarget.indicator_id == indicator.id, phase_condition).group_by(parent))
        if place_ids is not None:
            query = query.where(parent.in_(place_ids))
        for place_id, total in db.session.execute(query):
            sums.setdefault(place_id, int(total))
    for place_id, total in sums.items():
        found.setdefault(place_id, total)
    return found


def target_for(indicator: Indicator, place, phase: CampaignPhase | None) -> int | None:
    """Return a place's target: its own for the phase, else its own for the whole campaign, else the sum of its
    GPs' targets (for the phase, else for the whole campaign); None when there is none."""
    return targets_by_place(indicator, level_of(place), phase, [place.id]).get(place.id)


# The rules of a value reported from the field: record_value and the files of values (uploads.py) both call these.

def check_reported(indicator: Indicator) -> None:
    """Refuse a value for an indicator that Trainer computes."""
    if indicator.source.computed:
        raise CampaignError(_l("Trainer computes this indicator: it is not reported."))


def check_level(indicator: Indicator, level: Level | None) -> None:
    """Refuse a value for a place of another level than the indicator's."""
    if level is not indicator.level:
        raise CampaignError(_l("This indicator is reported by %(level)s.", level=indicator.level.label))


def period_starting(campaign: Campaign, period_start: date) -> Period:
    """Return the campaign's period that starts on this day, or refuse it."""
    period = next((p for p in periods_of(campaign) if p.starts_on == period_start), None)
    if period is None:
        raise CampaignError(_l("That period is not one of the campaign's."))
    return period


def check_places(campaign_area: Area, user_area: Area | None, place, place_area: Area) -> None:
    """Refuse a place (of area `place_area`) outside the campaign's area, or outside the area of the user who
    reports it (None: a command)."""
    if not campaign_area.holds_area(place_area):
        raise CampaignError(_l("%(place)s lies outside the campaign's area.", place=localized_name(place)))
    if user_area is not None and not user_area.holds_area(place_area):
        raise CampaignError(_l("%(place)s lies outside your area.", place=localized_name(place)))


def check_within_target(indicator: Indicator, value: int, target: int | None) -> None:
    """Refuse a value above the place's target where the indicator cannot exceed it."""
    if not indicator.may_exceed_target and target is not None and value > target:
        raise CampaignError(_l("The value %(value)s is above the target %(target)s.", value=value, target=target))


def check_value(value) -> int:
    """Return a value as a whole number, 0 or more, that the database holds, or refuse it."""
    return _whole_number(value)


def record_value(indicator: Indicator, place, period_start: date, value: int, user=None) -> IndicatorValue:
    """Record a value reported for a place (at the indicator's level) and period (by its first day); a value
    reported again replaces the current one, and every value stays in the history. `user`: who reports it (None:
    a command), whose area must hold the place."""
    value = check_value(value)
    campaign = indicator.campaign
    check_reported(indicator)
    try:
        level = level_of(place)
    except TypeError:
        level = None
    check_level(indicator, level)
    period = period_starting(campaign, period_start)
    check_places(area_of(campaign), user.area if user is not None else None, place, Area.of(place))
    if not indicator.may_exceed_target:
        check_within_target(indicator, value, target_for(indicator, place, phase_on(campaign, period)))
    column = level.column
    lock_for_transaction(f"indicator-value:{indicator.id}:{period_start.isoformat()}:{column}:{place.id}")
    row = db.session.scalar(select(IndicatorValue).where(
        IndicatorValue.indicator_id == indicator.id, IndicatorValue.period_start == period_start,
        getattr(IndicatorValue, column) == place.id))
    if row is None:
        row = IndicatorValue(indicator=indicator, period_start=period_start, **{column: place.id})
        db.session.add(row)
    now = utc_now()
    user_id = user.id if user is not None else None
    row.value, row.state, row.reported_by_id, row.reported_at = value, ValueState.REPORTED, user_id, now
    db.session.flush()
    revision = (db.session.scalar(select(func.max(IndicatorValueRevision.revision))
                                  .where(IndicatorValueRevision.value_id == row.id)) or 0) + 1
    db.session.add(IndicatorValueRevision(value_id=row.id, revision=revision, value=value, state=ValueState.REPORTED,
                                          reported_by_id=user_id, reported_at=now))
    db.session.flush()
    refresh_standing(indicator, period, [place.id])
    return row


# Beyond this many places, the kept figures of the whole period are refreshed: one pass over the period's values
# costs less than a list of that many places to look up.
REFRESH_BY_PLACE_MAX = 1_000


def refresh_standing(indicator: Indicator, period: Period, place_ids=None) -> None:
    """Take the values of an indicator and period just written (of these places, or all) into the figures the
    dashboard reads."""
    phase = phase_on(indicator.campaign, period)
    places = sorted(set(place_ids)) if place_ids is not None and len(place_ids) <= REFRESH_BY_PLACE_MAX else None
    standing.refresh(indicator, period.starts_on, phase.position if phase is not None else None, places)


def span_ranges(campaign: Campaign) -> list[standing.SpanRange]:
    """Return the spans a place's latest value is kept for: the whole campaign's periods, then each phase's."""
    periods = periods_of(campaign)
    ranges = [standing.SpanRange(WHOLE_CAMPAIGN, periods[0].starts_on, periods[-1].starts_on)]
    for phase in campaign.phases:
        inside = [period for period in periods if phase_on(campaign, period) is phase]
        if inside:
            ranges.append(standing.SpanRange(phase.position, inside[0].starts_on, inside[-1].starts_on))
    return ranges


def rebuild_standing(campaign: Campaign) -> None:
    """Draw the figures the dashboard reads again from every value, after the campaign's phases or days changed."""
    db.session.flush()
    ranges, starts = span_ranges(campaign), [period.starts_on for period in periods_of(campaign)]
    for indicator in campaign.indicators:
        standing.rebuild(indicator, ranges, starts)


def history_of(row: IndicatorValue) -> list[IndicatorValueRevision]:
    """Return every value reported for the row's place and period, the latest first."""
    return list(db.session.scalars(select(IndicatorValueRevision).where(IndicatorValueRevision.value_id == row.id)
                                   .options(selectinload(IndicatorValueRevision.reported_by))
                                   .order_by(IndicatorValueRevision.revision.desc())))


def place_by_code(level: Level, lgd_code: int):
    """Return the GP, block or district of this level with this LGD code, or None."""
    model = PLACE_MODELS[Level(level)]
    return db.session.scalar(select(model).where(model.lgd_code == lgd_code))
