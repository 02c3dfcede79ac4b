"""Values of a campaign reported from the field in bulk: a CSV or XLSX file (or a phone form's rows) checked whole,
every bad line named, then applied whole or not at all.

Columns: area_code (the LGD code of the GP, block or district, at the indicator's level), indicator (its code),
period (a key of services.periods_of: "2026-W49", "2026-12", a phase's number), value (a whole number, 0 or more).
Each line obeys the rules of services.record_value (the same checks are called); the places, targets and values
already reported are read once for the whole file, and the values written by multi-row INSERT … ON CONFLICT, so
that a whole state's period (some 90,000 lines) is taken in seconds. Nothing here commits.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import gettext
from sqlalchemy import func, null, select

from trainer.campaigns import services
from trainer.campaigns.models import (
    PLACE_MODELS,
    Campaign,
    Indicator,
    IndicatorValue,
    IndicatorValueRevision,
    Level,
    ValueState,
)
from trainer.campaigns.services import CampaignError, Period
from trainer.core.bounds import database_int
from trainer.core.database import lock_for_transaction, utc_now
from trainer.core.files import FileRejected, Problem, table_rows
from trainer.extensions import db
from trainer.regions.areas import Area
from trainer.regions.models import Block, District, GramPanchayat

COLUMNS = ("area_code", "indicator", "period", "value")
MAX_ROWS = 200_000
SAMPLE_FILE = "static/samples/campaign_values.csv"


class ValuesRejected(FileRejected):
    """A file (or form) of values refused whole; `problems` names every bad line."""


@dataclass(frozen=True)
class PlaceRow:
    """A GP, block or district as the checks need it: its id, names and the ids of its area."""

    id: int
    name_hi: str
    name_en: str
    area: Area


@dataclass(frozen=True)
class ValueLine:
    """One good line: which indicator, place and period, and the value."""

    line: int
    indicator: Indicator
    place_id: int
    period: Period
    value: int


@dataclass
class ValuesSummary:
    """What a file of values did."""

    added: int = 0
    replaced: int = 0

    @property
    def total(self) -> int:
        """Return how many values were written."""
        return self.added + self.replaced


def places_of_level(level: Level, codes: set[int] | None = None) -> dict[int, PlaceRow]:
    """Return the places of a level by LGD code (all of them, or those of `codes`), with their areas' ids."""
    model = PLACE_MODELS[level]
    if level is Level.GP:
        query = (select(GramPanchayat.lgd_code, GramPanchayat.id, GramPanchayat.name_hi, GramPanchayat.name_en,
                        GramPanchayat.block_id, Block.district_id, District.division_id)
                 .join(Block, Block.id == GramPanchayat.block_id).join(District, District.id == Block.district_id))
    elif level is Level.BLOCK:
        query = (select(Block.lgd_code, Block.id, Block.name_hi, Block.name_en, Block.id.label("block_id"),
                        Block.district_id, District.division_id).join(District, District.id == Block.district_id))
    else:
        query = select(District.lgd_code, District.id, District.name_hi, District.name_en, null(),
                       District.id.label("district_id"), District.division_id)
    if codes is not None and len(codes) < 1_000:
        query = query.where(model.lgd_code.in_(sorted(codes)))
    places = {}
    for code, place_id, name_hi, name_en, block_id, district_id, division_id in db.session.execute(query):
        area = Area(division_id=division_id, district_id=district_id, block_id=block_id,
                    gram_panchayat_id=place_id if level is Level.GP else None)
        places[code] = PlaceRow(place_id, name_hi, name_en, area)
    return places


def _period_keys(campaign: Campaign) -> dict[str, Period]:
    periods = {}
    for period in services.periods_of(campaign):
        periods[period.key] = period
        if period.phase is not None:
            for name in (period.phase.name_hi, period.phase.name_en):
                if name:
                    periods.setdefault(name.strip().casefold(), period)
    return periods


def check_values(campaign: Campaign, rows: list[tuple[int, dict[str, str]]], user=None) -> list[ValueLine]:
    """Check lines of values (line number, row by column) for a campaign, reported by `user` (None: a command);
    return them, or raise ValuesRejected naming every bad line."""
    indicators = {indicator.code: indicator for indicator in campaign.indicators}
    periods = _period_keys(campaign)
    every = services.periods_of(campaign)
    first_key, last_key = every[0].key, every[-1].key
    campaign_area, user_area = services.area_of(campaign), (user.area if user is not None else None)
    wanted_levels = {indicators[row.get("indicator", "").strip().lower()].level for _line, row in rows
                     if row.get("indicator", "").strip().lower() in indicators}
    codes = {code for _line, row in rows if (code := database_int(row.get("area_code", "")))}
    places = {level: places_of_level(level, codes) for level in wanted_levels}
    other_levels: dict[Level, dict[int, PlaceRow]] = {}
    targets: dict[tuple[int, int | None], dict[int, int]] = {}
    good, problems, first_line = [], [], {}
    for line, row in rows:
        reasons = []
        indicator = indicators.get(row.get("indicator", "").strip().lower())
        if indicator is None:
            reasons.append(gettext("there is no indicator %(code)s in this campaign", code=row.get("indicator", "")))
        period = periods.get(row.get("period", "").strip()) or periods.get(row.get("period", "").strip().casefold())
        if period is None:
            reasons.append(gettext("the period %(period)s is not one of the campaign's (%(first)s to %(last)s)",
                                   period=row.get("period", ""), first=first_key, last=last_key))
        value, text = None, row.get("value", "").strip()
        number = database_int(text, minimum=0)
        if number is None and text.startswith("-") and database_int(text[1:], minimum=0) is not None:
            number = -database_int(text[1:], minimum=0)
        if number is None:
            reasons.append(gettext("the value %(value)s is not a whole number, 0 or more", value=text))
        else:
            try:
                value = services.check_value(number)
            except CampaignError as refused:
                reasons.append(str(refused.message))
        code = database_int(row.get("area_code", ""))
        place = None
        if code is None:
            reasons.append(gettext("the area code %(code)s is not an LGD code", code=row.get("area_code", "")))
        elif indicator is not None:
            try:
                services.check_reported(indicator)
                place = places[indicator.level].get(code)
                if place is None:
                    level = _level_of_code(code, indicator.level, other_levels, codes)
                    if level is None:
                        raise CampaignError(gettext("there is no place with the LGD code %(code)s", code=code))
                    services.check_level(indicator, level)
                services.check_places(campaign_area, user_area, place, place.area)
            except CampaignError as refused:
                reasons.append(str(refused.message))
                place = None
        if not reasons and place is not None:
            key = (indicator.id, period.starts_on, place.id)
            other = first_line.setdefault(key, line)
            if other != line:
                reasons.append(gettext("the line repeats line %(other)s (the same place, indicator and period)",
                                       other=other))
            elif not indicator.may_exceed_target:
                phase = services.phase_on(campaign, period)
                phase_id = phase.id if phase is not None else None
                if (indicator.id, phase_id) not in targets:
                    targets[indicator.id, phase_id] = services.targets_by_place(indicator, indicator.level, phase)
                try:
                    services.check_within_target(indicator, value, targets[indicator.id, phase_id].get(place.id))
                except CampaignError as refused:
                    reasons.append(str(refused.message))
        if reasons:
            problems.extend(Problem(line, reason) for reason in reasons)
        else:
            good.append(ValueLine(line, indicator, place.id, period, value))
    if problems:
        raise ValuesRejected(problems)
    if not good:
        raise ValuesRejected([Problem(1, gettext("the file has no rows"))])
    return good


def _level_of_code(code: int, skip: Level, cache: dict[Level, dict[int, PlaceRow]], codes: set[int]) -> Level | None:
    """Return the level of another kind of place with this LGD code, or None (to say "the wrong level")."""
    for level in Level:
        if level is skip:
            continue
        if level not in cache:
            cache[level] = places_of_level(level, codes)
        if code in cache[level]:
            return level
    return None


def apply_values(lines: list[ValueLine], user=None) -> ValuesSummary:
    """Write checked values: each replaces the one reported for its place and period, goes back to "reported",
    and enters the history; flush, never commit."""
    summary = ValuesSummary()
    now, user_id = utc_now(), (user.id if user is not None else None)
    by_level: dict[Level, list[ValueLine]] = {}
    for line in lines:
        by_level.setdefault(line.indicator.level, []).append(line)
    table, history = IndicatorValue.__table__, IndicatorValueRevision.__table__
    written = set()
    for level, group in by_level.items():
        column = level.column
        for indicator_id, period_start in sorted({(line.indicator.id, line.period.starts_on) for line in group}):
            lock_for_transaction(f"indicator-values:{indicator_id}:{period_start.isoformat()}")
            written.add((indicator_id, period_start))
        before = _count(group, column)
        _upsert(group, column, user_id, now)
        added = _count(group, column) - before
        summary.added += added
        summary.replaced += len(group) - added
    # Every value written enters the history, numbered after the revisions its row has: the rows written are those
    # of these indicators and periods stamped with this moment and this user.
    latest = (select(func.coalesce(func.max(history.c.revision), 0))
              .where(history.c.value_id == table.c.id).scalar_subquery())
    by_user = table.c.reported_by_id.is_(None) if user_id is None else table.c.reported_by_id == user_id
    for indicator_id, period_start in sorted(written):
        db.session.execute(history.insert().from_select(
            ["value_id", "revision", "value", "state", "reported_by_id", "reported_at"],
            select(table.c.id, latest + 1, table.c.value, table.c.state, table.c.reported_by_id, table.c.reported_at)
            .where(table.c.indicator_id == indicator_id, table.c.period_start == period_start,
                   table.c.reported_at == now, by_user)))
    written_places: dict[tuple[int, date], tuple[ValueLine, list[int]]] = {}
    for line in lines:
        written_places.setdefault((line.indicator.id, line.period.starts_on), (line, []))[1].append(line.place_id)
    for line, place_ids in written_places.values():
        services.refresh_standing(line.indicator, line.period, place_ids)
    db.session.expire_all()
    return summary


def _upsert(lines: list[ValueLine], column: str, user_id: int | None, now) -> None:
    """Write values of one level, each replacing the one its place and period had, in as few statements as the
    database allows: PostgreSQL takes them all as arrays (one INSERT … SELECT FROM unnest … ON CONFLICT DO
    UPDATE); SQLite, in-process, takes one executemany. A multi-row VALUES built by SQLAlchemy spends longer
    compiling than the database does writing, at a whole state's size."""
    connection = db.session.connection()
    names = f"indicator_id, period_start, {column}, value, state, reported_by_id, reported_at"
    conflict = (f"ON CONFLICT (indicator_id, period_start, {column}) DO UPDATE SET value = excluded.value, "
                "state = excluded.state, reported_by_id = excluded.reported_by_id, "
                "reported_at = excluded.reported_at")
    state = ValueState.REPORTED.value
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            f"INSERT INTO indicator_values ({names}) SELECT line.indicator_id, line.period_start, line.place_id, "
            "line.value, %s, %s, %s FROM unnest(%s::integer[], %s::date[], %s::integer[], %s::integer[]) "
            f"AS line(indicator_id, period_start, place_id, value) {conflict}",
            (state, user_id, now, [line.indicator.id for line in lines], [line.period.starts_on for line in lines],
             [line.place_id for line in lines], [line.value for line in lines]))
        return
    dialect = connection.dialect
    day = IndicatorValue.__table__.c.period_start.type._cached_bind_processor(dialect)
    moment = IndicatorValue.__table__.c.reported_at.type._cached_bind_processor(dialect)(now)
    connection.exec_driver_sql(
        f"INSERT INTO indicator_values ({names}) VALUES (?, ?, ?, ?, ?, ?, ?) {conflict}",
        [(line.indicator.id, day(line.period.starts_on) if day else line.period.starts_on, line.place_id,
          line.value, state, user_id, moment) for line in lines])


def _count(lines: list[ValueLine], column: str) -> int:
    """Return how many values of the lines' level the lines' indicators and periods have."""
    place = getattr(IndicatorValue, column)
    return sum(db.session.scalar(select(func.count()).select_from(IndicatorValue).where(
        IndicatorValue.indicator_id == indicator_id, IndicatorValue.period_start == period_start,
        place.is_not(None)))
        for indicator_id, period_start in {(line.indicator.id, line.period.starts_on) for line in lines})


def named_rows(rows: list[tuple[int, list[str]]]) -> list[tuple[int, dict[str, str]]]:
    """Check the header of a file of values; return (line number, row by column) of every non-empty line after
    it, or raise ValuesRejected."""
    if not rows:
        raise ValuesRejected([Problem(1, gettext("the file is empty"))])
    header_line, header = rows[0]
    names = [name.strip().lower() for name in header]
    problems = []
    missing = [column for column in COLUMNS if column not in names]
    if missing:
        problems.append(Problem(header_line, gettext("missing columns: %(columns)s", columns=", ".join(missing))))
    unknown = [name or '""' for name in names if name not in COLUMNS]
    if unknown:
        problems.append(Problem(header_line, gettext("unknown columns: %(columns)s (the columns are %(allowed)s)",
                                                     columns=", ".join(unknown), allowed=", ".join(COLUMNS))))
    repeated = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    if repeated:
        problems.append(Problem(header_line, gettext("repeated columns: %(columns)s", columns=", ".join(repeated))))
    if problems:
        raise ValuesRejected(problems)
    named = []
    for line, values in rows[1:]:
        if not any(values):
            continue
        if len(named) == MAX_ROWS:
            raise ValuesRejected([Problem(line, gettext("the file has more than %(max)s lines", max=MAX_ROWS))])
        named.append((line, {name: (values[position] if position < len(values) else "")
                             for position, name in enumerate(names)}))
    return named


def import_values(campaign: Campaign, data: bytes, user=None, filename: str = "") -> ValuesSummary:
    """Check a whole file of values for a campaign and, only if every line is good, write them all."""
    try:
        rows = table_rows(data, filename, MAX_ROWS)
    except FileRejected as rejected:
        raise ValuesRejected(rejected.problems) from None
    return apply_values(check_values(campaign, named_rows(rows), user), user)


def save_form_values(campaign: Campaign, period: Period, entries: list[tuple[Indicator, int, str]],
                     user) -> ValuesSummary:
    """Write the values typed into the phone form for one period: (indicator, LGD code, text) entries, blank ones
    left out, checked like a file's lines (numbered in the form's order)."""
    rows = [(number, {"area_code": str(code), "indicator": indicator.code, "period": period.key, "value": text})
            for number, (indicator, code, text) in enumerate(entries, start=1) if (text or "").strip()]
    if not rows:
        raise ValuesRejected([Problem(1, gettext("no value was typed"))])
    return apply_values(check_values(campaign, rows, user), user)
