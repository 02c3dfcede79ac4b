"""A campaign's coverage: each indicator's value against its target for an area, by period, by phase and for the
whole campaign, summed up the LGD tree, with the children of a place to drill down into.

Every value is summed in SQL; Python only combines rows already grouped by block or district (a few hundred).

How a value is totalled
    A period's value is the value reported for that period. A phase's (or the whole campaign's) value is, per
    place, the value of the latest period reported within the phase (the campaign), summed over the places: the
    indicators a campaign counts are stocks ("families linked so far"), so adding up the weeks would count a
    family once a week. A place that reported in week 2 and not since counts with its week-2 value.

How a target is found
    A place's target for a phase is its own for that phase, else its own for the whole campaign; without one of
    its own, it is the sum of its children's (GP → block → district → division → state). For the whole campaign
    only the whole campaign's targets count.

Computed indicators count a linked programme through the programme report's own queries
(`trainer.reports.queries`): `gps_trained` the GPs trained (`trained_gp_ids`, by the end of a period or phase),
`participants` the participants of the GPs' sessions (`gp_progress`), `feedback_responses` the feedback sent for
the GPs about the programme's sessions (`programme_responses`), so a campaign's coverage and the programme
report's are the same query layer.
"""
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import case, func, literal, select

from trainer.attendance import rules
from trainer.campaigns.models import (
    WHOLE_CAMPAIGN,
    Approval,
    Campaign,
    CampaignPhase,
    Indicator,
    IndicatorTarget,
    IndicatorValue,
    LatestValue,
    Level,
    PeriodSum,
    Source,
    ValueState,
)
from trainer.campaigns.services import Period, area_of, periods_of, phase_on
from trainer.core import clock
from trainer.core.i18n import shown_share
from trainer.extensions import db
from trainer.regions.areas import Area
from trainer.regions.models import Block, District, Division, GramPanchayat
from trainer.reports.queries import gp_progress, programme_responses, trained_gp_ids

# The level of the children of a place, and the column that names them.
CHILD_LEVEL = {None: "division", Division: "district", District: "block", Block: "gp", GramPanchayat: None}
LEVEL_MODELS = {"division": Division, "district": District, "block": Block, "gp": GramPanchayat}
KEY_COLUMNS = {"division": District.division_id, "district": District.id, "block": Block.id, "gp": GramPanchayat.id}
LEVEL_RANK = {"gp": 0, "block": 1, "district": 2, "division": 3}


@dataclass(frozen=True)
class Span:
    """The periods a figure covers, up to the last day of the last: one period, one phase's, or (phase and period
    None) the whole campaign's."""

    last_day: date
    phase: CampaignPhase | None = None
    period: Period | None = None


def whole_span(campaign: Campaign) -> Span:
    """Return the span of every period of the campaign."""
    return Span(periods_of(campaign)[-1].ends_on)


def phase_span(campaign: Campaign, phase: CampaignPhase) -> Span | None:
    """Return the span of the periods that fall in a phase (None when none does)."""
    periods = [p for p in periods_of(campaign) if phase_on(campaign, p) is phase]
    if not periods:
        return None
    return Span(periods[-1].ends_on, phase=phase)


def period_span(campaign: Campaign, period: Period) -> Span:
    """Return the span of one period."""
    return Span(period.ends_on, phase=phase_on(campaign, period), period=period)


@dataclass
class Figure:
    """One place's (or the area's) value and target: `unapproved` values are counted in `value` but not yet
    approved; `reporting` is how many places reported."""

    value: int | None = None
    target: int | None = None
    unapproved: int = 0
    reporting: int = 0
    whole: int | None = None  # what the share is taken of: the target, or another indicator's value

    @property
    def share(self) -> float | None:
        """Return value ÷ whole, or None without a whole."""
        if self.value is None or not self.whole:
            return None
        return self.value / self.whole

    @property
    def shown(self) -> float | None:
        """Return the share as shown (never 100 % while something is left)."""
        return shown_share(self.share)


@dataclass
class PlaceFigure:
    """A child place of the drill-down and its figure; `places`: how many places of the indicator's level it holds,
    where that was counted."""

    level: str
    id: int
    lgd_code: int
    name_hi: str
    name_en: str
    figure: Figure = field(default_factory=Figure)
    places: int | None = None

    @property
    def not_reported(self) -> int | None:
        """Return how many of the place's places have not reported (None where they were not counted)."""
        return None if self.places is None else max(self.places - self.figure.reporting, 0)


# Where a value lies: its place joined up to its district


def _placed(indicator: Indicator, table, *columns):
    """Select columns over the indicator's values (or its latest values, `table` LatestValue) joined to their place,
    block and district."""
    query = select(*columns).select_from(table)
    if indicator.level is Level.GP:
        query = (query.join(GramPanchayat, GramPanchayat.id == table.gram_panchayat_id)
                 .join(Block, Block.id == GramPanchayat.block_id))
    elif indicator.level is Level.BLOCK:
        query = query.join(Block, Block.id == table.block_id)
    if indicator.level is Level.DISTRICT:
        query = query.join(District, District.id == table.district_id)
    else:
        query = query.join(District, District.id == Block.district_id)
    return query


def _in_area(indicator: Indicator, area: Area):
    model = {Level.GP: GramPanchayat, Level.BLOCK: Block, Level.DISTRICT: District}[indicator.level]
    return area.condition(model)


def _unapproved(campaign: Campaign, table):
    """Count the values not yet approved as far as the campaign's rule asks (none, without approval)."""
    if campaign.approval is Approval.NONE:
        return literal(0)
    waiting = [ValueState.REPORTED] if campaign.approval is Approval.DISTRICT else \
        [ValueState.REPORTED, ValueState.APPROVED_DISTRICT]
    return func.coalesce(func.sum(case((table.state.in_(waiting), 1), else_=0)), 0)


def _reported(indicator: Indicator, span: Span, area: Area, key, condition=None) -> dict:
    """Sum the reported values by `key` (a column of the place tree): {key: (value, unapproved, reporting)}. A
    period's are its values; a phase's or the whole campaign's, each place's latest within it, as kept.

    Above the level of blocks, the values are summed by block in SQL (joined to their GP at most) and the few
    hundred blocks' sums added up by `key` here: the joins up to the district cost more than the sums do."""
    table = IndicatorValue if span.period is not None else LatestValue
    by_block = indicator.level is not Level.DISTRICT and key is not KEY_COLUMNS["gp"]
    place_key = (GramPanchayat.block_id if indicator.level is Level.GP else table.block_id) if by_block else key
    columns = (place_key.label("key"), func.sum(table.value), _unapproved(indicator.campaign, table), func.count())
    if by_block:
        query = select(*columns).select_from(table)
        if indicator.level is Level.GP:
            query = query.join(GramPanchayat, GramPanchayat.id == table.gram_panchayat_id)
    else:
        query = _placed(indicator, table, *columns)
    query = query.where(table.indicator_id == indicator.id)
    if span.period is not None:
        query = query.where(IndicatorValue.period_start == span.period.starts_on)
    else:
        query = query.where(LatestValue.span == (span.phase.position if span.phase is not None else WHOLE_CAMPAIGN))
    if not by_block:
        query = query.where(_in_area(indicator, area))
        if condition is not None:
            query = query.where(condition)
    rows = db.session.execute(query.group_by(place_key)).all()
    if not by_block:
        return {row[0]: (int(row[1] or 0), int(row[2] or 0), int(row[3])) for row in rows}
    keys = dict(db.session.execute(
        select(Block.id, key).join(District, District.id == Block.district_id)
        .where(area.condition(Block), *([condition] if condition is not None else []))).all())
    sums: dict = {}
    for block_id, value, unapproved, reporting in rows:
        if block_id in keys:
            entry = sums.setdefault(keys[block_id], [0, 0, 0])
            entry[0] += int(value or 0)
            entry[1] += int(unapproved or 0)
            entry[2] += int(reporting)
    return {place: tuple(entry) for place, entry in sums.items()}


def _end_of(day: date) -> datetime:
    """The first instant after a day in Asia/Kolkata, in UTC, for comparing with session starts."""
    return datetime.combine(day + timedelta(days=1), time(), tzinfo=clock.IST)


@dataclass(frozen=True)
class Counter:
    """How a feature above campaigns counts an indicator from its own data (the review meetings count their
    directives): `values(indicator, last_day, area, key, condition)` → {key: count}, by the end of `last_day` (None:
    so far), and `targets(indicator, last_day, area, by)` → {key: count} of the places of the indicator's level
    (`by` None: each place)."""

    values: Callable[..., dict]
    targets: Callable[..., dict]


COUNTERS: dict[Source, Counter] = {}


def count_with(source: Source, counter: Counter) -> None:
    """Let a feature count a computed source that no programme holds."""
    COUNTERS[source] = counter


def _computed(indicator: Indicator, span: Span | None, area: Area, key, condition=None) -> dict:
    """Count a linked programme through the programme report's queries, by `key` (or, for a source no programme
    holds, through the feature that counts it)."""
    if not indicator.source.counts_programme:
        counter = COUNTERS.get(indicator.source)
        if counter is None:
            return {}
        last_day = span.last_day if span is not None and span.last_day < clock.today() else None
        return {place: (value, 0, value) for place, value in
                counter.values(indicator, last_day, area, key, condition).items()}
    programme = indicator.programme
    query = (select(key.label("key")).select_from(GramPanchayat).join(Block, Block.id == GramPanchayat.block_id)
             .join(District, District.id == Block.district_id).where(area.condition(GramPanchayat)))
    progress = gp_progress(programme)
    if indicator.source is Source.GPS_TRAINED:
        query = query.add_columns(func.count(GramPanchayat.id)).where(
            GramPanchayat.id.in_(trained_gp_ids(programme, area)))
        if span is not None and span.last_day < clock.today():
            query = query.where(GramPanchayat.id.in_(
                select(progress.c.unit_id).where(progress.c.trained_at < _end_of(span.last_day))))
    elif indicator.source is Source.PARTICIPANTS:
        query = (query.add_columns(func.coalesce(func.sum(progress.c.participants), 0))
                 .join(progress, progress.c.unit_id == GramPanchayat.id).where(rules.programme_targets(programme)))
    else:  # Source.FEEDBACK_RESPONSES
        responses = programme_responses(programme)
        query = query.add_columns(func.count(responses.c.id)).join(
            responses, responses.c.gram_panchayat_id == GramPanchayat.id)
        if span is not None and span.last_day < clock.today():
            query = query.where(responses.c.created_at < _end_of(span.last_day))
    if condition is not None:
        query = query.where(condition)
    return {row[0]: (int(row[1] or 0), 0, int(row[1] or 0)) for row in db.session.execute(query.group_by(key))}


def value_sums(indicator: Indicator, span: Span, area: Area, key, condition=None) -> dict:
    """Return the indicator's values over a span, summed by a column of the place tree."""
    if indicator.source.computed:
        return _computed(indicator, None if span.phase is None and span.period is None else span, area, key,
                         condition)
    return _reported(indicator, span, area, key, condition)


# Targets


def _own_targets(indicator: Indicator, span: Span, level: Level, area: Area, by=None) -> dict:
    """Each place's own target of one level (the phase's, else the whole campaign's), summed by `by` (default:
    the place itself). GPs trained in a programme, without targets of their own, have the programme's: each GP it
    is meant for, as in the programme report."""
    if level is Level.GP and indicator.source is Source.GPS_TRAINED and not _has_targets(indicator):
        return _programme_targets(indicator, area, by)
    if level is indicator.level and indicator.source in COUNTERS and not _has_targets(indicator):
        last_day = span.last_day if span.last_day < clock.today() else None
        return COUNTERS[indicator.source].targets(indicator, last_day, area, by)
    column = getattr(IndicatorTarget, level.column)
    phase = span.phase
    if phase is not None:
        own = func.coalesce(func.max(case((IndicatorTarget.phase_id == phase.id, IndicatorTarget.value))),
                            func.max(case((IndicatorTarget.phase_id.is_(None), IndicatorTarget.value))))
        phases = IndicatorTarget.phase_id.is_(None) | (IndicatorTarget.phase_id == phase.id)
    else:
        own = func.max(IndicatorTarget.value)
        phases = IndicatorTarget.phase_id.is_(None)
    per_place = (select(column.label("place_id"), own.label("value"))
                 .where(IndicatorTarget.indicator_id == indicator.id, column.is_not(None), phases)
                 .group_by(column).subquery())
    model = {Level.GP: GramPanchayat, Level.BLOCK: Block, Level.DISTRICT: District}[level]
    key = by if by is not None else model.id
    query = select(key, func.sum(per_place.c.value)).select_from(per_place).join(model, model.id == per_place.c.place_id)
    if level is Level.GP:
        query = query.join(Block, Block.id == GramPanchayat.block_id).join(District, District.id == Block.district_id)
    elif level is Level.BLOCK:
        query = query.join(District, District.id == Block.district_id)
    query = query.where(area.condition(model)).group_by(key)
    return {row[0]: int(row[1]) for row in db.session.execute(query)}


def phases_with_targets(indicator: Indicator) -> set[int]:
    """Return the ids of the phases for which the indicator has targets of their own."""
    return set(db.session.scalars(select(IndicatorTarget.phase_id).distinct().where(
        IndicatorTarget.indicator_id == indicator.id, IndicatorTarget.phase_id.is_not(None))))


def _has_targets(indicator: Indicator) -> bool:
    return db.session.scalar(select(IndicatorTarget.id).where(IndicatorTarget.indicator_id == indicator.id)
                             .limit(1)) is not None


def _programme_targets(indicator: Indicator, area: Area, by=None) -> dict:
    """Count the GPs the indicator's programme is meant for, by `by` (default: each GP, once)."""
    key = by if by is not None else GramPanchayat.id
    query = (select(key, func.count(GramPanchayat.id)).select_from(GramPanchayat)
             .join(Block, Block.id == GramPanchayat.block_id).join(District, District.id == Block.district_id)
             .where(rules.programme_targets(indicator.programme), area.condition(GramPanchayat)).group_by(key))
    return {row[0]: int(row[1]) for row in db.session.execute(query)}


@dataclass
class TargetTree:
    """The targets of the area's blocks and districts, each its own or its children's sum."""

    blocks: dict[int, int | None]
    districts: dict[int, int | None]
    district_of: dict[int, int]
    division_of: dict[int, int]

    def of(self, level: str, place_id: int | None) -> int | None:
        """Return the target of a division, district or block (None: the whole area)."""
        if level == "block":
            return self.blocks.get(place_id)
        if level == "district":
            return self.districts.get(place_id)
        wanted = [v for d, v in self.districts.items() if (level != "division" or self.division_of[d] == place_id)]
        return _sum(wanted)


def _sum(values) -> int | None:
    known = [value for value in values if value is not None]
    return sum(known) if known else None


def target_tree(indicator: Indicator, span: Span, area: Area) -> TargetTree:
    """Find the target of every block and district of the area, from the GPs' up (a few hundred rows)."""
    district_of = dict(db.session.execute(select(Block.id, Block.district_id).where(area.condition(Block))).all())
    division_of = dict(db.session.execute(select(District.id, District.division_id)
                                          .where(area.condition(District))).all())
    gp_sums = _own_targets(indicator, span, Level.GP, area, by=GramPanchayat.block_id) \
        if indicator.level is Level.GP else {}
    block_own = _own_targets(indicator, span, Level.BLOCK, area) if indicator.level.rank <= 1 else {}
    district_own = _own_targets(indicator, span, Level.DISTRICT, area)
    blocks = {b: block_own.get(b, gp_sums.get(b)) for b in district_of}
    districts = {}
    for district_id in division_of:
        districts[district_id] = district_own.get(district_id, _sum(
            v for b, v in blocks.items() if district_of[b] == district_id))
    return TargetTree(blocks, districts, district_of, division_of)


# The figures a dashboard shows


def visible_area(campaign: Campaign, viewer: Area, place=None) -> Area:
    """Return the area a viewer sees of a campaign: the place asked, else the narrower of theirs and the
    campaign's."""
    if place is not None:
        return Area.of(place)
    campaign_area = area_of(campaign)
    if viewer.is_state:
        return campaign_area
    if campaign_area.is_state:
        return viewer
    return viewer if _lies_in(viewer, campaign_area) else campaign_area


def place_of(area: Area):
    """Return the deepest place an area names (None: the state)."""
    for model, place_id in ((GramPanchayat, area.gram_panchayat_id), (Block, area.block_id),
                            (District, area.district_id), (Division, area.division_id)):
        if place_id is not None:
            return db.session.get(model, place_id)
    return None


def figure(indicator: Indicator, span: Span, area: Area, place, tree: TargetTree | None = None,
           rows: list["PlaceFigure"] | None = None) -> Figure:
    """Return the indicator's figure over a span for a place (None: the whole area). Given the place's children
    (`rows`, which partition it), their values are summed rather than queried again."""
    if rows:
        level = _level_name(place)
        tree = tree or target_tree(indicator, span, area)
        return Figure(sum(row.figure.value or 0 for row in rows), tree.of(level or "state", place and place.id),
                      sum(row.figure.unapproved for row in rows), sum(row.figure.reporting for row in rows))
    level = _level_name(place)
    key = literal(1) if place is None else KEY_COLUMNS[level]
    condition = None if place is None else KEY_COLUMNS[level] == place.id
    values = value_sums(indicator, span, area, key, condition)
    value, unapproved, reporting = next(iter(values.values()), (0, 0, 0))
    if level == "gp":
        targets = _own_targets(indicator, span, Level.GP, area)
        target = targets.get(place.id)
    else:
        tree = tree or target_tree(indicator, span, area)
        target = tree.of(level or "state", place.id if place is not None else None)
    return Figure(value, target, unapproved, reporting)


def _level_name(place) -> str | None:
    for name, model in LEVEL_MODELS.items():
        if isinstance(place, model):
            return name
    return None


def children(indicator: Indicator, span: Span, area: Area, place, tree: TargetTree | None = None) -> list[PlaceFigure]:
    """Return the children of a place (None: the whole area) with their figures, in order of their names; none
    below the indicator's level."""
    level = CHILD_LEVEL[type(place) if place is not None else None]
    if level is None or LEVEL_RANK[level] < indicator.level.rank:
        return []
    model = LEVEL_MODELS[level]
    parent = None if place is None else {Division: District.division_id, District: Block.district_id,
                                         Block: GramPanchayat.block_id}[type(place)] == place.id
    rows = db.session.scalars(select(model).where(area.condition(model), *([parent] if parent is not None else []))
                              .order_by(model.name_hi, model.lgd_code)).all() if level != "division" else \
        db.session.scalars(select(Division).where(area.condition(Division)).order_by(Division.name_hi)).all()
    values = value_sums(indicator, span, area, KEY_COLUMNS[level], parent)
    if level == "gp":
        targets = _own_targets(indicator, span, Level.GP, area)
    else:
        tree = tree or target_tree(indicator, span, area)
        targets = {row.id: tree.of(level, row.id) for row in rows}
    found = []
    for row in rows:
        value, unapproved, reporting = values.get(row.id, (0, 0, 0))
        found.append(PlaceFigure(level, row.id, row.lgd_code, row.name_hi, row.name_en,
                                 Figure(value, targets.get(row.id), unapproved, reporting)))
    return found


def place_counts(indicator: Indicator, area: Area, key, condition=None) -> dict:
    """Count the places of the indicator's level in the area, by `key` (a column of the place tree): those that
    ought to report each period. A child's places less its `reporting` are those that have not reported."""
    model = {Level.GP: GramPanchayat, Level.BLOCK: Block, Level.DISTRICT: District}[indicator.level]
    query = select(key, func.count(model.id)).select_from(model)
    if model is GramPanchayat:
        query = query.join(Block, Block.id == GramPanchayat.block_id)
    if model is not District:
        query = query.join(District, District.id == Block.district_id)
    query = query.where(area.condition(model), area_of(indicator.campaign).condition(model))
    if condition is not None:
        query = query.where(condition)
    return {row[0]: int(row[1]) for row in db.session.execute(query.group_by(key))}


def trend(indicator: Indicator, area: Area, place) -> list[tuple[Period, int]]:
    """Return the value of each period reported so far, for a place (None: the whole area)."""
    campaign = indicator.campaign
    periods = [p for p in periods_of(campaign) if p.starts_on <= clock.today()] or periods_of(campaign)[:1]
    level = _level_name(place)
    condition = None if place is None else KEY_COLUMNS[level] == place.id
    if indicator.source.computed:
        return [(p, next(iter(value_sums(indicator, period_span(campaign, p), area, literal(1), condition).values()),
                         (0,))[0]) for p in periods]
    if level == "gp" or area.gram_panchayat_id is not None:
        period_start, total = IndicatorValue.period_start, func.sum(IndicatorValue.value)
        query = _placed(indicator, IndicatorValue, period_start, total).where(
            IndicatorValue.indicator_id == indicator.id, _in_area(indicator, area))
    else:
        period_start, total = PeriodSum.period_start, func.sum(PeriodSum.value)
        query = _summed(indicator, period_start, total).where(
            PeriodSum.indicator_id == indicator.id, area.condition(District if indicator.level is Level.DISTRICT
                                                                   else Block))
    if condition is not None:
        query = query.where(condition)
    sums = {row[0]: int(row[1]) for row in db.session.execute(query.group_by(period_start))}
    # The trend ends at the last period reported in: a period begun and not yet reported is not a fall to 0.
    while len(periods) > 1 and periods[-1].starts_on not in sums:
        periods.pop()
    return [(p, sums.get(p.starts_on, 0)) for p in periods]


def _summed(indicator: Indicator, *columns):
    """Select columns over an indicator's period sums joined to their block and district."""
    if indicator.level is Level.DISTRICT:
        return select(*columns).select_from(PeriodSum).join(District, District.id == PeriodSum.district_id)
    return (select(*columns).select_from(PeriodSum).join(Block, Block.id == PeriodSum.block_id)
            .join(District, District.id == Block.district_id))


def latest_period(campaign: Campaign) -> Period:
    """Return the latest period that has started (the first, before the campaign starts)."""
    periods = periods_of(campaign)
    started = [p for p in periods if p.starts_on <= clock.today()]
    return started[-1] if started else periods[0]


def _lies_in(inner: Area, outer: Area) -> bool:
    """Say whether an area lies wholly in another."""
    return all(mine is None or mine == theirs for mine, theirs in (
        (outer.division_id, inner.division_id), (outer.district_id, inner.district_id),
        (outer.block_id, inner.block_id), (outer.gram_panchayat_id, inner.gram_panchayat_id)))
