"""The figures a campaign's dashboard reads in place of every value, kept as values are written.

A phase's (or the whole campaign's) figure is, per place, the value of the latest period reported within it; at a
state's size that is a search through every value of the span (about 6 lakh per indicator for 26 weeks). So each
place's latest value within the whole campaign (span 0) and within its phase (span: the phase's position) is kept in
`indicator_latest_values`, and each period's values summed by block in `indicator_period_sums` (the trend).

`refresh` runs in the same transaction as every write of values (reported, replaced, approved): it takes the
period's values as they now are into both. `rebuild` draws both again from the values, for a campaign whose phases
changed. Values are never deleted; a place's latest value only moves to a later period, or changes in place.
Neither function commits.
"""
from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, func, literal, or_, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from trainer.campaigns.models import (
    WHOLE_CAMPAIGN,
    Indicator,
    IndicatorValue,
    LatestValue,
    Level,
    PeriodSum,
)
from trainer.core.database import lock_for_transaction
from trainer.extensions import db
from trainer.regions.models import GramPanchayat


@dataclass(frozen=True)
class SpanRange:
    """A span of latest values: its number (0, or a phase's position) and the first days of its first and last
    periods."""

    span: int
    first_start: date
    last_start: date


def refresh(indicator: Indicator, period_start: date, phase_position: int | None,
            place_ids: list[int] | None = None) -> None:
    """Take an indicator's values of one period (of the given places, or all) into the kept figures: as the
    latest of the whole campaign and of the period's phase where no later period holds one, and into the period's
    sums. Writers of one period wait for each other here, so that each sums what the others committed."""
    lock_for_transaction(f"indicator-period-sums:{indicator.id}:{period_start.isoformat()}")
    for span in (WHOLE_CAMPAIGN, *([phase_position] if phase_position else [])):
        _take_latest(indicator, span, IndicatorValue.period_start == period_start, place_ids)
    _sum_period(indicator, period_start)


def rebuild(indicator: Indicator, spans: list[SpanRange], period_starts: list[date]) -> None:
    """Draw an indicator's kept figures again from its values: the latest within each span, the sums of each
    period."""
    db.session.execute(delete(LatestValue).where(LatestValue.indicator_id == indicator.id))
    db.session.execute(delete(PeriodSum).where(PeriodSum.indicator_id == indicator.id))
    if indicator.source.computed:
        return
    place = getattr(IndicatorValue, indicator.level.column)
    for span in spans:
        within = IndicatorValue.period_start.between(span.first_start, span.last_start)
        latest = (select(place.label("place_id"), func.max(IndicatorValue.period_start).label("period_start"))
                  .where(IndicatorValue.indicator_id == indicator.id, within).group_by(place).subquery())
        _insert_latest(indicator, span.span, select(IndicatorValue).join(latest, (latest.c.place_id == place) & (
            latest.c.period_start == IndicatorValue.period_start)).where(IndicatorValue.indicator_id == indicator.id)
            .subquery())
    for period_start in period_starts:
        _sum_period(indicator, period_start)


def _columns(indicator: Indicator) -> list[str]:
    return ["indicator_id", "span", indicator.level.column, "period_start", "value", "state"]


def _insert_latest(indicator: Indicator, span: int, rows) -> None:
    column = indicator.level.column
    db.session.execute(LatestValue.__table__.insert().from_select(
        _columns(indicator), select(rows.c.indicator_id, literal(span), rows.c[column], rows.c.period_start,
                                    rows.c.value, rows.c.state)))


def _take_latest(indicator: Indicator, span: int, condition, place_ids: list[int] | None) -> None:
    """Upsert the values that meet a condition as the span's latest, where they are at least as late as the kept
    one; a row whose period, value and status are unchanged is not written again."""
    column = indicator.level.column
    place = getattr(IndicatorValue, column)
    query = select(IndicatorValue.indicator_id, literal(span), place, IndicatorValue.period_start,
                   IndicatorValue.value, IndicatorValue.state).where(
        IndicatorValue.indicator_id == indicator.id, place.is_not(None), condition)
    if place_ids is not None:
        query = query.where(place.in_(place_ids))
    insert = postgresql_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    statement = insert(LatestValue).from_select(_columns(indicator), query)
    kept = LatestValue.__table__.c
    statement = statement.on_conflict_do_update(
        index_elements=["indicator_id", "span", column], index_where=kept[column].is_not(None),
        set_={"period_start": statement.excluded.period_start, "value": statement.excluded.value,
              "state": statement.excluded.state},
        where=or_(statement.excluded.period_start > kept.period_start,
                  (statement.excluded.period_start == kept.period_start)
                  & ((statement.excluded.value != kept.value) | (statement.excluded.state != kept.state))))
    db.session.execute(statement)


def _sum_period(indicator: Indicator, period_start: date) -> None:
    """Sum one period's values by block (by district, for a district-level indicator), in place of the sums kept."""
    db.session.execute(delete(PeriodSum).where(PeriodSum.indicator_id == indicator.id,
                                               PeriodSum.period_start == period_start))
    gp_level = indicator.level is Level.GP
    column = "block_id" if gp_level else indicator.level.column
    key = GramPanchayat.block_id if gp_level else getattr(IndicatorValue, column)
    query = select(IndicatorValue.indicator_id, IndicatorValue.period_start, key, func.sum(IndicatorValue.value),
                   func.count()).select_from(IndicatorValue)
    if gp_level:
        query = query.join(GramPanchayat, GramPanchayat.id == IndicatorValue.gram_panchayat_id)
    query = (query.where(IndicatorValue.indicator_id == indicator.id, IndicatorValue.period_start == period_start)
             .group_by(IndicatorValue.indicator_id, IndicatorValue.period_start, key))
    db.session.execute(PeriodSum.__table__.insert().from_select(
        ["indicator_id", "period_start", column, "value", "reporting"], query))
