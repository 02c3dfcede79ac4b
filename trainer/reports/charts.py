"""Report charts drawn on the server as inline SVG: no JavaScript, the same markup in the page and the PDF.

Every chart carries role="img", an aria-label and a <title>, so a screen reader announces what it shows;
the figures themselves are always in a table next to it. Text uses Noto Sans Devanagari first.

WeasyPrint lays SVG text out letter by letter, which breaks Devanagari (matras and conjuncts come apart),
so the PDFs use the `*_html` twins of the bar charts, whose labels are HTML text that Pango shapes, and
`progress_line(..., labels=False)`, whose only SVG text is digits; the dates go in the HTML around it.
"""
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from flask_babel import gettext as _
from markupsafe import Markup

from trainer.core.i18n import format_day, format_number, format_share
from trainer.reports.queries import PlaceCoverage

FONT = '"Noto Sans Devanagari", "Noto Sans", sans-serif'
INK, MUTED, TRACK, BAR, LINE, TARGET, RATING = "#1b1b1b", "#555", "#e6e6e6", "#1565c0", "#2e7d32", "#c62828", "#ef6c00"
CHAR_WIDTH = 7.2  # a rough advance per character at 13px, enough to size the label column


def coverage_bars(rows: list[PlaceCoverage], language: str) -> Markup:
    """Draw one horizontal bar per place: the share of its target gram panchayats reached.

    Each place's name and figures stand on a line above its bar, so the chart is narrow enough to scale down
    to a phone's width with every label kept (a label column beside the bars would push the figures off)."""
    names = [_name(row, language) for row in rows]
    values = [f"{format_number(row.reached)} / {format_number(row.target)} ({format_share(row.reached, row.target)})"
              for row in rows]
    widest = max((len(name) + len(value) + 4 for name, value in zip(names, values, strict=True)), default=0)
    width = max(360, min(560, widest * CHAR_WIDTH))
    row_height, top = 40, 2
    height = top + row_height * len(rows) + 2
    parts = []
    for index, (row, name, value) in enumerate(zip(rows, names, values, strict=True)):
        y = top + index * row_height
        filled = width * min(row.share or 0, 1)
        parts.append(
            f'<text x="0" y="{y + 15}">{escape(name)}</text>'
            f'<text x="{width:.1f}" y="{y + 15}" text-anchor="end" fill="{MUTED}">{escape(value)}</text>'
            f'<rect x="0" y="{y + 21}" width="{width:.1f}" height="14" fill="{TRACK}"/>'
            f'<rect x="0" y="{y + 21}" width="{filled:.1f}" height="14" fill="{BAR}"/>')
    label = _("Share of target gram panchayats reached, by place")
    return _svg(width, height, label, "".join(parts))


def progress_line(progress: list[tuple[date, int, int]], target: int, first_day: date | None = None,
                  last_day: date | None = None, labels: bool = True) -> Markup:
    """Draw the gram panchayats trained so far, day by day, against the target; the days may span the calendar.

    Without `labels` the chart carries no words (only numbers): the dates and the legend are the caller's."""
    days = [day for day, _count, _total in progress] + [day for day in (first_day, last_day) if day]
    first = min(days, default=date.today())
    last = max(days, default=first)
    top_value = max([target, *(total for _day, _count, total in progress), 1])
    # Room above the plot for the figure at the end of the line, which may stand at the very top (the target).
    left, right, top, bottom, plot_width, plot_height = 64, 16, 26, 40 if labels else 8, 420, 200
    width, height = left + plot_width + right, top + plot_height + bottom
    span = (last - first).days or 1

    def x(day: date) -> float:
        return left + plot_width * ((day - first).days / span if last != first else 0.5)

    def y(value: int) -> float:
        return top + plot_height * (1 - value / top_value)

    parts = [f'<line x1="{left}" y1="{y(0):.1f}" x2="{left + plot_width}" y2="{y(0):.1f}" stroke="{MUTED}"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{y(0):.1f}" stroke="{MUTED}"/>']
    for value in sorted({0, top_value // 2, top_value}):
        parts.append(f'<text x="{left - 6}" y="{y(value) + 4:.1f}" text-anchor="end" fill="{MUTED}">'
                     f'{escape(format_number(value))}</text>')
    if target:
        parts.append(f'<line x1="{left}" y1="{y(target):.1f}" x2="{left + plot_width}" y2="{y(target):.1f}" '
                     f'stroke="{TARGET}" stroke-dasharray="6 4"/>')
        if labels:
            # At the left end, where the line starts low: the figure reached stands at the right end.
            parts.append(f'<text x="{left + 6}" y="{y(target) - 5:.1f}" fill="{TARGET}">'
                         f'{escape(_("Target: %(num)s", num=format_number(target)))}</text>')
    # A step line: the count holds from one day to the next, then rises.
    points, previous = [(x(first), y(0))], 0
    for day, _count, total in progress:
        points += [(x(day), y(previous)), (x(day), y(total))]
        previous = total
    points.append((x(last), y(previous)))
    parts.append(f'<polyline points="{" ".join(f"{px:.1f},{py:.1f}" for px, py in points)}" fill="none" '
                 f'stroke="{LINE}" stroke-width="2.5"/>')
    for day, _count, total in progress:
        parts.append(f'<circle cx="{x(day):.1f}" cy="{y(total):.1f}" r="3" fill="{LINE}"/>')
    if progress:
        _day, _count, total = progress[-1]
        # Above the last point, inside the drawing (the top margin leaves room even at the target).
        parts.append(f'<text x="{x(progress[-1][0]) - 6:.1f}" y="{max(y(total) - 8, 15):.1f}" text-anchor="end" '
                     f'fill="{LINE}" font-weight="bold">{escape(format_number(total))}</text>')
    if labels:
        parts.append(f'<text x="{left}" y="{height - 14}" fill="{MUTED}">{escape(format_day(first))}</text>')
    if labels and last != first:
        parts.append(f'<text x="{left + plot_width}" y="{height - 14}" text-anchor="end" fill="{MUTED}">'
                     f'{escape(format_day(last))}</text>')
    reached = progress[-1][2] if progress else 0
    label = _("Gram panchayats trained so far: %(num)s of %(target)s, from %(first)s to %(last)s",
              num=format_number(reached), target=format_number(target), first=format_day(first),
              last=format_day(last))
    return _svg(width, height, label, "".join(parts))


def rating_bars(distribution: dict[int, int]) -> Markup:
    """Draw how many answers gave each rating, 5 at the top down to 1."""
    total = sum(distribution.get(value, 0) for value in range(1, 6))
    left, bar_width, row_height = 28, 220, 22
    width, height = left + bar_width + 110, row_height * 5 + 4
    parts = []
    for index, value in enumerate(range(5, 0, -1)):
        count, y = distribution.get(value, 0), 2 + index * row_height
        filled = bar_width * count / total if total else 0
        parts.append(
            f'<text x="{left - 8}" y="{y + 14}" text-anchor="end">{value}</text>'
            f'<rect x="{left}" y="{y + 3}" width="{bar_width}" height="14" fill="{TRACK}"/>'
            f'<rect x="{left}" y="{y + 3}" width="{filled:.1f}" height="14" fill="{RATING}"/>'
            f'<text x="{left + bar_width + 6}" y="{y + 14}" fill="{MUTED}">'
            f'{escape(format_number(count))} ({escape(format_share(count, total))})</text>')
    label = _("Answers by rating, from 5 (best) to 1: %(counts)s",
              counts=", ".join(f"{value}: {format_number(distribution.get(value, 0))}" for value in range(5, 0, -1)))
    return _svg(width, height, label, "".join(parts))


def coverage_bars_html(rows: list[PlaceCoverage], language: str) -> Markup:
    """The coverage bars with HTML labels, for the PDF (see the module's note on WeasyPrint)."""
    return _html_bars(
        [(_name(row, language), row.share or 0,
          f"{format_number(row.reached)} / {format_number(row.target)} ({format_share(row.reached, row.target)})")
         for row in rows], _("Share of target gram panchayats reached, by place"), BAR)


def rating_bars_html(distribution: dict[int, int]) -> Markup:
    """The rating bars with HTML labels, for the PDF."""
    total = sum(distribution.get(value, 0) for value in range(1, 6))
    counts = [(value, distribution.get(value, 0)) for value in range(5, 0, -1)]
    label = _("Answers by rating, from 5 (best) to 1: %(counts)s",
              counts=", ".join(f"{value}: {format_number(count)}" for value, count in counts))
    return _html_bars([(str(value), count / total if total else 0,
                        f"{format_number(count)} ({format_share(count, total)})") for value, count in counts],
                      label, RATING, narrow=True)


def _html_bars(items: list[tuple[str, float, str]], label: str, colour: str, narrow: bool = False) -> Markup:
    """Lay bars out as a table: the label, a track filled to the share, the figures.

    Only WeasyPrint reads these (the PDFs): the fill's width is a style attribute, which the pages'
    Content-Security-Policy would refuse; the pages use the SVG charts above."""
    rows = "".join(
        f'<tr><th scope="row">{escape(name)}</th><td class="bar-track">'
        f'<div style="width: {min(share, 1) * 100:.1f}%; background: {colour}"></div></td>'
        f'<td class="bar-value">{escape(value)}</td></tr>' for name, share, value in items)
    kind = "bar-chart narrow" if narrow else "bar-chart"
    return Markup(f'<table class="{kind}" role="img" aria-label={quoteattr(label)}><tbody>{rows}</tbody></table>')


def _name(row: PlaceCoverage, language: str) -> str:
    if language == "en":
        return row.name_en or row.name_hi
    return row.name_hi or row.name_en


def _svg(width: float, height: float, label: str, body: str) -> Markup:
    """Wrap a chart's shapes in an accessible, scalable <svg> element."""
    return Markup(
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" aria-label={quoteattr(label)} '
        f'viewBox="0 0 {width:.0f} {height:.0f}" width="{width:.0f}" height="{height:.0f}" '
        f'preserveAspectRatio="xMinYMin meet" font-family={quoteattr(FONT)} font-size="13" fill="{INK}">'
        f'<title>{escape(label)}</title>{body}</svg>')
