"""Reports as files: CSV, XLSX and PDF, made only from `trainer.reports.queries` results.

Nothing here counts anything: every figure is the query layer's, so a page, its JSON and its files agree.
Text follows the page's language (Hindi by default); numbers are plain digits in CSV, numeric cells in
XLSX and Indian-grouped in PDF. WeasyPrint and openpyxl are imported where they are used: they are heavy,
and only these files need them.
"""
import csv
import functools
import io
import os
import re
from contextvars import ContextVar
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby
from types import SimpleNamespace

from flask import current_app, render_template
from flask_babel import gettext as _

from trainer.attendance.models import WatchMode
from trainer.core.database import utc_now
from trainer.core.i18n import current_language, format_moment
from trainer.programmes.models import ParticipantRole
from trainer.reports import charts
from trainer.reports.queries import (GpRow, ModuleFeedback, PlaceCoverage, ProgrammeReport, SessionReport)
from trainer.reports.words import programme_sentence

STYLESHEET = "report-pdf.css"
SHEET_NAME_LENGTH = 31  # Excel's limit
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class Share:
    """A fraction shown as a percentage: 66.7 in CSV, 0.667 formatted 0.0% in XLSX."""

    value: float | None


@dataclass
class Table:
    """One table of a report: a sheet of the workbook, or the whole of a CSV file."""

    title: str
    headers: list[str]
    rows: list[list] = field(default_factory=list)


# Words shared by the tables and the PDF


def pick(hindi: str | None, english: str | None) -> str:
    """Return the Hindi or English of a pair, in the page's language, falling back to the other."""
    hindi, english = hindi or "", english or ""
    return (english or hindi) if current_language() == "en" else (hindi or english)


def role_label(value: str) -> str:
    """Name a participant role in the page's language."""
    return str(ParticipantRole(value).label)


def mode_label(value: str | None) -> str:
    """Name how a gram panchayat watched, in the page's language."""
    return str(WatchMode(value).label) if value else _("Not stated")


# The tables


def coverage_table(title: str, rows: list[PlaceCoverage], present: bool = False) -> Table:
    """Targets, gram panchayats reached (trained, or present at a session) and participants, place by place."""
    reached, share = ((_("Gram panchayats present"), _("Per cent present")) if present
                      else (_("Gram panchayats trained"), _("Per cent trained")))
    return Table(title, [_("LGD code"), _("Name in Hindi"), _("Name in English"), _("Target gram panchayats"),
                         reached, share, _("Participants")],
                 [[row.code, row.name_hi, row.name_en, row.target, row.reached, Share(row.share), row.participants]
                  for row in rows])


def gp_table(title: str, rows: list[GpRow]) -> Table:
    """Gram panchayats with their district and janpad: those still to be trained, or absent from a session."""
    return Table(title, [_("District"), _("Janpad panchayat"), _("Janpad LGD code"), _("Gram panchayat (Hindi)"),
                         _("Gram panchayat (English)"), _("LGD code")],
                 [[pick(row.district_hi, row.district_en), pick(row.block_hi, row.block_en), row.block_code,
                   row.name_hi, row.name_en, row.code] for row in rows])


def roles_table(by_role: dict[str, int]) -> Table:
    """Participants by their role in the panchayat."""
    return Table(_("By role"), [_("Participant role"), _("Participants")],
                 [[role_label(role), count] for role, count in by_role.items()])


def programme_tables(report: ProgrammeReport, untrained: list[GpRow], modules: list[ModuleFeedback],
                     area_label: str, generated_at: datetime | None = None) -> list[Table]:
    """Every table of the programme report, in the order of the workbook's sheets."""
    programme = report.programme
    summary = Table(_("Summary"), [_("Figure"), _("Value")], [
        [_("Programme"), programme.title],
        [_("Area"), area_label],
        [_("Summary"), programme_sentence(report)],
        [_("Target gram panchayats"), report.target_gps],
        [_("Gram panchayats trained"), report.trained_gps],
        [_("Per cent trained"), Share(report.share)],
        [_("Districts reached"), report.districts_reached],
        [_("Janpads reached"), report.blocks_reached],
        [_("Participants"), report.participants],
        [_("Sessions scheduled"), report.sessions_total],
        [_("Sessions held"), report.sessions_held],
        [_("Sessions a gram panchayat must attend to count as trained"), programme.completion_sessions],
        [_("First day"), programme.first_day],
        [_("Last day"), programme.last_day],
        [_("Generated at (IST)"), format_moment(generated_at or utc_now())],
    ])
    coverage = report.coverage
    tables = [summary]
    for level, title in (("division", _("Divisions")), ("district", _("Districts")), ("block", _("Janpads"))):
        if level in coverage:
            tables.append(coverage_table(title, coverage[level]))
    tables += [
        gp_table(_("Not yet trained"), untrained),
        roles_table(report.by_role),
        Table(_("Daily progress"),
              [_("Date"), _("Gram panchayats trained that day"), _("Gram panchayats trained so far")],
              [[day, count, total] for day, count, total in report.progress]),
        Table(_("Feedback by module"), [_("Module"), _("Title"), _("Feedback responses"), _("Mean rating (1–5)")],
              [[module.position, pick(module.title_hi, module.title_en), module.responses, module.mean_rating]
               for module in modules]),
    ]
    return tables


def session_tables(report: SessionReport, area_label: str, generated_at: datetime | None = None) -> list[Table]:
    """Every table of the session report, in the order of the workbook's sheets."""
    session, feedback = report.session, report.feedback
    summary = Table(_("Summary"), [_("Figure"), _("Value")], [
        [_("Programme"), session.programme.title],
        [_("Session"), session.title],
        [_("Starts at"), format_moment(session.starts_at)],
        [_("Divisions"), ", ".join(pick(d.name_hi, d.name_en) for d in session.divisions)],
        [_("Area"), area_label],
        [_("Target gram panchayats"), report.target_gps],
        [_("Gram panchayats present"), report.present_gps],
        [_("Per cent present"), Share(report.share)],
        [_("Participants"), report.participants],
        [_("Feedback responses"), feedback.responses],
        [_("Responses without attendance"), feedback.without_attendance],
        [_("YouTube views"), session.youtube_views],
        [_("YouTube peak viewers"), session.youtube_peak_viewers],
        [_("Generated at (IST)"), format_moment(generated_at or utc_now())],
    ])
    questions = {**{r.question_id: (r.text_hi, r.text_en) for r in feedback.ratings},
                 **feedback.text_questions}
    return [
        summary,
        coverage_table(_("Districts"), report.by_district, present=True),
        coverage_table(_("Janpads"), report.by_block, present=True),
        Table(_("How they watched"), [_("How they watched"), _("Gram panchayats"), _("Participants")],
              [[mode_label(mode), gps, participants] for mode, gps, participants in report.by_mode]),
        roles_table(report.by_role),
        gp_table(_("Absent gram panchayats"), report.absent),
        Table(_("Ratings"), [_("Question"), _("Answers"), _("Mean rating (1–5)"), "1", "2", "3", "4", "5"],
              [[pick(r.text_hi, r.text_en), r.count, r.mean, *(r.distribution.get(v, 0) for v in range(1, 6))]
               for r in feedback.ratings]),
        Table(_("Choices"), [_("Question"), _("Option"), _("Answers")],
              [[pick(c.text_hi, c.text_en), pick(hindi, english), count]
               for c in feedback.choices for hindi, english, count in c.counts]),
        Table(_("Written answers"), [_("Question"), _("Answer"), _("Gram panchayat")],
              [[pick(*questions.get(t.question_id, ("", ""))), t.text,
                _("Anonymous") if t.anonymous else (t.gram_panchayat_hi or "")] for t in feedback.texts]),
    ]


# CSV


def csv_bytes(table: Table) -> bytes:
    """Write a table as CSV in UTF-8 with a BOM (so that Excel reads Hindi), neutralising formula-like text."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_cell(header) for header in table.headers])
    writer.writerows([_csv_cell(value) for value in row] for row in table.rows)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _csv_cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, Share):
        return "" if value.value is None else f"{value.value * 100:.1f}"
    if isinstance(value, bool):
        return str(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    text = str(value)
    # A spreadsheet opening the file would run =, +, - or @ as a formula: keep such text as text.
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def programme_csv(report: ProgrammeReport, level: str = "block") -> bytes:
    """The programme's coverage at one level (janpads by default) as CSV."""
    return csv_bytes(coverage_table("", report.coverage[level]))


def session_csv(report: SessionReport, level: str = "block") -> bytes:
    """The session's presence by janpad (or by district) as CSV."""
    return csv_bytes(coverage_table("", report.by_block if level == "block" else report.by_district, present=True))


def untrained_csv(rows: list[GpRow]) -> bytes:
    """The gram panchayats still to be trained as CSV: district, janpad, names and LGD code."""
    return csv_bytes(gp_table("", rows))


# XLSX


def xlsx_bytes(tables: list[Table]) -> bytes:
    """Write each table on its own sheet: bold frozen header, numeric cells, shares as percentages."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    workbook = Workbook(write_only=True)
    bold, wrap = Font(bold=True), Alignment(wrap_text=True, vertical="top")
    used: set[str] = set()
    for table in tables:
        sheet = workbook.create_sheet(_sheet_name(table.title, used))
        sheet.freeze_panes = "A2"
        for index, width in enumerate(_column_widths(table), start=1):
            sheet.column_dimensions[get_column_letter(index)].width = width

        def cell(value, header=False):
            if isinstance(value, Share):
                made = WriteOnlyCell(sheet, value.value)
                made.number_format = "0.0%"
            elif isinstance(value, str):
                made = WriteOnlyCell(sheet, ILLEGAL_CHARACTERS_RE.sub("", value))
                made.data_type = "s"  # never a formula, even when the text starts with "="
                if len(value) > 60:
                    made.alignment = wrap
            else:
                made = WriteOnlyCell(sheet, value)
                if isinstance(value, float):
                    made.number_format = "0.00"
                elif isinstance(value, date):
                    made.number_format = "yyyy-mm-dd"
            if header:
                made.font = bold
            return made

        sheet.append([cell(header, header=True) for header in table.headers])
        for row in table.rows:
            sheet.append([cell(value) for value in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _sheet_name(title: str, used: set[str]) -> str:
    """Make a unique sheet name Excel accepts: at most 31 characters, none of []:*?/\\."""
    base = re.sub(r"[\[\]:*?/\\]", " ", title).strip().strip("'")[:SHEET_NAME_LENGTH] or "Sheet"
    name, number = base, 2
    while name.casefold() in used:
        suffix = f" {number}"
        name, number = base[:SHEET_NAME_LENGTH - len(suffix)] + suffix, number + 1
    used.add(name.casefold())
    return name


def _column_widths(table: Table) -> list[float]:
    """Fit each column to its longest value, within reason (long text wraps)."""
    widths = []
    for index, header in enumerate(table.headers):
        longest = max([len(str(header))] + [len(_csv_cell(row[index])) for row in table.rows[:2000]])
        widths.append(min(60, max(8, longest + 2)))
    return widths


def programme_xlsx(report: ProgrammeReport, untrained: list[GpRow], modules: list[ModuleFeedback],
                   area_label: str) -> bytes:
    """The programme report as a workbook, one sheet per table."""
    return xlsx_bytes(programme_tables(report, untrained, modules, area_label))


def session_xlsx(report: SessionReport, area_label: str) -> bytes:
    """The session report as a workbook, one sheet per table."""
    return xlsx_bytes(session_tables(report, area_label))


def untrained_xlsx(rows: list[GpRow]) -> bytes:
    """The gram panchayats still to be trained as a one-sheet workbook."""
    return xlsx_bytes([gp_table(_("Not yet trained"), rows)])


# PDF


def programme_pdf(report: ProgrammeReport, modules: list[ModuleFeedback], area_label: str,
                  generated_at: datetime | None = None) -> bytes:
    """The programme report on A4: the sentence, key figures, charts and the coverage tables."""
    language, programme = current_language(), report.programme
    coverage = report.coverage
    return _pdf(
        "reports/pdf_programme.html", generated_at, report=report, programme=programme,
        sentence=programme_sentence(report), area_label=area_label, modules=modules,
        progress_days=(min([programme.first_day, *(day for day, _n, _total in report.progress)]),
                       max([programme.last_day, *(day for day, _n, _total in report.progress)])),
        division_chart=charts.coverage_bars_html(coverage["division"], language) if coverage.get("division") else None,
        progress_chart=charts.progress_line(report.progress, report.target_gps, programme.first_day,
                                            programme.last_day, labels=False) if report.progress else None)


def session_pdf(report: SessionReport, area_label: str, generated_at: datetime | None = None) -> bytes:
    """The session report on A4: figures, presence by district and janpad, modes, feedback, absent GPs."""
    return _pdf(
        "reports/pdf_session.html", generated_at, report=report, session=report.session,
        programme=report.session.programme, area_label=area_label, absent_by_block=_absent_by_block(report.absent),
        district_chart=(charts.coverage_bars_html(report.by_district, current_language())
                        if report.by_district else None),
        rating_charts={r.question_id: charts.rating_bars_html(r.distribution) for r in report.feedback.ratings},
        questions={**{r.question_id: (r.text_hi, r.text_en) for r in report.feedback.ratings},
                   **report.feedback.text_questions})


def _absent_by_block(rows: list[GpRow]) -> list[SimpleNamespace]:
    """Group the absent GPs (already ordered by district and janpad) under their janpads."""
    return [SimpleNamespace(code=code, name_hi=hindi, name_en=english, district_hi=district_hi,
                            district_en=district_en, gps=list(gps))
            for (code, hindi, english, district_hi, district_en), gps in groupby(
                rows, key=lambda r: (r.block_code, r.block_hi, r.block_en, r.district_hi, r.district_en))]


def _pdf(template: str, generated_at: datetime | None, **context) -> bytes:
    """Render a template in the page's language and lay it out on A4 with static/css/report-pdf.css, offline."""
    from weasyprint import CSS, HTML
    from weasyprint.urls import URLFetcher

    _install_actual_text()
    generated = format_moment(generated_at or utc_now())
    html = render_template(template, generated=generated, pick=pick, role_label=role_label, mode_label=mode_label,
                           html_lang="en-IN" if current_language() == "en" else "hi", **context)
    static = current_app.static_folder
    # Only files and data: URIs; a report never reaches the network, whatever a template links to.
    fetcher = URLFetcher(allowed_protocols={"file", "data"})
    stylesheets = [CSS(filename=os.path.join(static, "css", STYLESHEET), url_fetcher=fetcher),
                   CSS(string=_margin_css(generated), url_fetcher=fetcher)]
    token = _ACTUAL_TEXT.set(True)
    try:
        return HTML(string=html, base_url=static + os.sep, url_fetcher=fetcher).write_pdf(stylesheets=stylesheets)
    finally:
        _ACTUAL_TEXT.reset(token)


def _margin_css(generated: str) -> str:
    """The footer: when the file was made (IST) and "page n of N", in the page's language."""
    page = _("Page %(page)s of %(pages)s", page="\x01", pages="\x02")
    content = " ".join({"\x01": "counter(page)", "\x02": "counter(pages)"}.get(piece) or _css_string(piece)
                       for piece in re.split("(\x01|\x02)", page) if piece)
    made = _css_string(_("Generated on %(moment)s (IST)", moment=generated))
    return f"@page {{ @bottom-left {{ content: {made}; }} @bottom-right {{ content: {content}; }} }}"


def _css_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ") + '"'


# Extractable Hindi
#
# WeasyPrint maps each glyph to text once, by the cluster it first appears in; Devanagari reorders and
# joins glyphs (ि before its consonant, conjuncts such as प्र), so copied or extracted text comes out garbled.
# While a report is drawn, each line of text is wrapped in a marked-content span whose /ActualText is the
# line's real text (PDF 32000-1 §14.9.4): PDF readers, pdftotext and screen readers then read the Hindi
# exactly. Other documents (posters) are left as they were.

_ACTUAL_TEXT: ContextVar[bool] = ContextVar("report_actual_text", default=False)


def _install_actual_text() -> None:
    """Wrap WeasyPrint's line drawing (once per process) so report lines carry their /ActualText."""
    import pydyf
    from weasyprint.draw import text as drawing

    original = getattr(drawing, "draw_first_line", None)
    if original is None or getattr(original, "adds_actual_text", False):
        return

    @functools.wraps(original)
    def draw_first_line(stream, textbox, *args, **kwargs):
        text = getattr(textbox, "text", "")
        if not _ACTUAL_TEXT.get() or not text.strip():
            return original(stream, textbox, *args, **kwargs)
        stream.begin_marked_content("Span", pydyf.Dictionary({"ActualText": pydyf.String(text)}))
        try:
            return original(stream, textbox, *args, **kwargs)
        finally:
            stream.end_marked_content()

    draw_first_line.adds_actual_text = True
    drawing.draw_first_line = draw_first_line
