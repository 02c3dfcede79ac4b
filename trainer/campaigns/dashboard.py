"""A campaign's dashboard: for each indicator, the sentence the department publishes (in Hindi and in English),
the figures by phase, the drill-down into the children of a place, the trend over periods, the places furthest
behind and those that have not reported; and the same as JSON and as tables for files.

Every figure is `trainer.campaigns.coverage`'s, so the page, its JSON and its files agree.
"""
from dataclasses import dataclass, field

from flask_babel import force_locale
from flask_babel import gettext as _

from trainer.campaigns import coverage
from trainer.campaigns.coverage import Figure, PlaceFigure, Span
from trainer.campaigns.models import Campaign, CampaignPhase, Indicator
from trainer.campaigns.services import Period
from trainer.core.i18n import format_number, format_share, pick
from trainer.core.tables import Share, Table
from trainer.regions.areas import Area

BEHIND_SHOWN = 5


@dataclass
class IndicatorDashboard:
    """One indicator's part of the dashboard."""

    indicator: Indicator
    whole: Figure
    phases: list[tuple[CampaignPhase, Figure]]
    latest: Figure
    children: list[PlaceFigure]
    trend: list[tuple[Period, int]]
    sentence_hi: str = ""
    sentence_en: str = ""
    behind: list[PlaceFigure] = field(default_factory=list)
    silent: list[PlaceFigure] = field(default_factory=list)


@dataclass
class Dashboard:
    """The dashboard of a campaign for one place of the viewer's area."""

    campaign: Campaign
    place: object
    latest_period: Period
    indicators: list[IndicatorDashboard]


def sentence(indicator: Indicator, figure: Figure, language: str) -> str:
    """Say an indicator's figure as the department publishes it: "5,32,630 परिवारों में से 3,39,650 (63.8%)",
    "3,39,650 of 5,32,630 families (63.8%)"."""
    with force_locale("en_IN" if language == "en" else "hi"):
        unit = (indicator.unit_en or indicator.unit_hi) if language == "en" else (indicator.unit_hi or
                                                                                 indicator.unit_en)
        if not figure.whole:
            return _("%(value)s %(unit)s", value=format_number(figure.value or 0), unit=unit).strip()
        return _("%(value)s of %(whole)s %(unit)s (%(share)s)", value=format_number(figure.value or 0),
                 whole=format_number(figure.whole), unit=unit, share=format_share(figure.value or 0, figure.whole))


def _with_whole(figure: Figure, of: Figure | None) -> Figure:
    figure.whole = of.value if of is not None else figure.target
    return figure


def build(campaign: Campaign, viewer: Area, place=None) -> Dashboard:
    """Gather every indicator's figures for a place (None: the whole of what the viewer sees)."""
    area = coverage.visible_area(campaign, viewer, place)
    whole_span = coverage.whole_span(campaign)
    latest = coverage.latest_period(campaign)
    latest_span = coverage.period_span(campaign, latest)
    spans = [(phase, coverage.phase_span(campaign, phase)) for phase in campaign.phases]
    spans = [(phase, span) for phase, span in spans if span is not None]
    shown = place if place is not None else coverage.place_of(area)

    trees: dict[tuple[int, int | None], coverage.TargetTree] = {}

    phased = {indicator.id: coverage.phases_with_targets(indicator) for indicator in campaign.indicators}

    def figures(indicator: Indicator, span: Span):
        # A target depends on the phase only, and only where the phase has targets of its own: the latest period
        # shares its phase's tree, a phase without targets of its own the whole campaign's.
        phase_id = span.phase.id if span.phase is not None else None
        key = (indicator.id, phase_id if phase_id in phased[indicator.id] else None)
        if key not in trees:
            trees[key] = coverage.target_tree(indicator, span, area)
        tree = trees[key]
        rows = coverage.children(indicator, span, area, shown, tree)
        return coverage.figure(indicator, span, area, shown, tree, rows), rows

    found = []
    cache: dict[tuple[int, str], tuple] = {}
    for indicator in campaign.indicators:
        for key, span in [("whole", whole_span), ("latest", latest_span),
                          *((f"phase-{phase.id}", span) for phase, span in spans)]:
            cache[indicator.id, key] = figures(indicator, span)
    for indicator in campaign.indicators:
        of = indicator.share_of

        def paired(key, indicator=indicator, of=of):
            figure, rows = cache[indicator.id, key]
            _with_whole(figure, cache[of.id, key][0] if of is not None else None)
            other = {row.id: row.figure for row in cache[of.id, key][1]} if of is not None else {}
            for row in rows:
                _with_whole(row.figure, other.get(row.id) if of is not None else None)
            return figure, rows

        whole, children = paired("whole")
        latest_figure, latest_children = paired("latest")
        board = IndicatorDashboard(
            indicator=indicator, whole=whole, latest=latest_figure, children=children,
            phases=[(phase, paired(f"phase-{phase.id}")[0]) for phase, _span in spans],
            trend=coverage.trend(indicator, area, shown))
        board.sentence_hi, board.sentence_en = sentence(indicator, whole, "hi"), sentence(indicator, whole, "en")
        board.behind = furthest_behind(indicator, children)
        if not indicator.source.computed and latest_children:
            level = latest_children[0].level
            parent = None if shown is None else coverage.KEY_COLUMNS[coverage._level_name(shown)] == shown.id
            counts = coverage.place_counts(indicator, area, coverage.KEY_COLUMNS[level], parent)
            for row in latest_children:
                row.places = counts.get(row.id, 0)
            board.silent = [row for row in latest_children if row.not_reported]
        found.append(board)
    return Dashboard(campaign, shown, latest, found)


def furthest_behind(indicator: Indicator, rows: list[PlaceFigure]) -> list[PlaceFigure]:
    """Return the places furthest from their target: the lowest shares first, or the highest where lower is
    better."""
    def distance(row: PlaceFigure):
        share = row.figure.share
        return (share if indicator.higher_is_better else -share, row.name_hi)

    return sorted((row for row in rows if row.figure.share is not None), key=distance)[:BEHIND_SHOWN]


# JSON


def _figure(figure: Figure) -> dict:
    return {"value": figure.value, "target": figure.target, "whole": figure.whole,
            "share": figure.shown, "unapproved": figure.unapproved, "reporting": figure.reporting}


def as_json(board: Dashboard) -> dict:
    """Return the dashboard as plain JSON."""
    place = board.place
    return {
        "campaign": {"id": board.campaign.id, "title_hi": board.campaign.title_hi,
                     "title_en": board.campaign.title_en},
        "place": None if place is None else {"level": coverage._level_name(place), "code": place.lgd_code,
                                             "name_hi": place.name_hi, "name_en": place.name_en},
        "latest_period": board.latest_period.key,
        "indicators": [{
            "id": item.indicator.id, "code": item.indicator.code, "name_hi": item.indicator.name_hi,
            "name_en": item.indicator.name_en, "source": item.indicator.source.value,
            "sentence_hi": item.sentence_hi, "sentence_en": item.sentence_en,
            "whole": _figure(item.whole), "latest": _figure(item.latest),
            "phases": [{"position": phase.position, "name_hi": phase.name_hi, "name_en": phase.name_en,
                        **_figure(figure)} for phase, figure in item.phases],
            "children": [{"level": row.level, "code": row.lgd_code, "name_hi": row.name_hi, "name_en": row.name_en,
                          **_figure(row.figure)} for row in item.children],
            "trend": [{"period": period.key, "starts_on": period.starts_on.isoformat(), "value": value}
                      for period, value in item.trend],
            "behind": [row.lgd_code for row in item.behind],
            "not_reported": [{"code": row.lgd_code, "not_reported": row.not_reported, "places": row.places}
                             for row in item.silent],
        } for item in board.indicators],
    }


# Tables for files


def tables(board: Dashboard) -> list[Table]:
    """Return the dashboard's tables: the indicators with their figures, then each indicator's places."""
    summary = Table(_("Indicators"), [_("Indicator"), _("Phase"), _("Value"), _("Target"), _("Share (%)"),
                                      _("Not yet approved")])
    for item in board.indicators:
        name = pick(item.indicator.name_hi, item.indicator.name_en)
        summary.rows.append([name, _("Whole campaign"), item.whole.value, item.whole.whole, Share(item.whole.share),
                             item.whole.unapproved])
        for phase, figure in item.phases:
            begun = figure.reporting or item.indicator.source.computed  # a phase nobody reported in is left blank
            summary.rows.append([name, pick(phase.name_hi, phase.name_en), figure.value if begun else None,
                                 figure.whole, Share(figure.share if begun else None), figure.unapproved])
    found = [summary]
    trended = [item for item in board.indicators if item.trend]
    if trended:
        periods = max((item.trend for item in trended), key=len)
        trend = Table(_("Reported in each period"), [_("Period"), _("From"), *(
            pick(item.indicator.name_hi, item.indicator.name_en) for item in trended)])
        values = [dict(item.trend) for item in trended]
        trend.rows = [[period.key, period.starts_on, *(by_period.get(period) for by_period in values)]
                      for period, _value in periods]
        found.append(trend)
    for item in board.indicators:
        if not item.children:
            continue
        table = Table(pick(item.indicator.name_hi, item.indicator.name_en),
                      [_("LGD code"), _("Place"), _("Value"), _("Target"), _("Share (%)"), _("Not yet approved")])
        table.rows = [[row.lgd_code, pick(row.name_hi, row.name_en), row.figure.value, row.figure.whole,
                       Share(row.figure.share), row.figure.unapproved] for row in item.children]
        found.append(table)
    return found
