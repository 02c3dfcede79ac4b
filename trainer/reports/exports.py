"""Reports as files: CSV, XLSX and PDF, made only from `trainer.reports.queries` results.

Nothing here counts anything: every figure is the query layer's, so a page, its JSON and its files agree.
Text follows the page's language (Hindi by default); numbers are plain digits in CSV, numeric cells in
XLSX and Indian-grouped in PDF. Writing the files is trainer.core.tables' and trainer.core.pdf's.
"""
from datetime import datetime

from flask_babel import gettext as _

from trainer.attendance.models import WatchMode
from trainer.core.database import utc_now
from trainer.core.i18n import current_language, format_moment, pick
from trainer.core.pdf import render_pdf
from trainer.core.tables import Share, Table, csv_bytes, xlsx_bytes
from trainer.programmes.models import ParticipantRole
from trainer.questions.models import QuestionState
from trainer.reports import charts
from trainer.reports.queries import (
    GpRow,
    ModuleFeedback,
    PlaceCoverage,
    ProgrammeReport,
    QuestionSummary,
    ReportedQuestion,
    SessionReport,
    absent_by_block,
)
from trainer.reports.words import programme_sentence

STYLESHEET = "report-pdf.css"


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
                 [[ParticipantRole.label_of(role), count] for role, count in by_role.items()])


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
        [_("First day"), programme.runs[0]],
        [_("Last day"), programme.runs[1]],
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
        [_("YouTube views"), report.youtube.views],
        [_("YouTube peak viewers"), report.youtube.peak_viewers],
        [_("Generated at (IST)"), format_moment(generated_at or utc_now())],
    ])
    questions = {**{r.question_id: (r.text_hi, r.text_en) for r in feedback.ratings},
                 **feedback.text_questions}
    return [
        summary,
        coverage_table(_("Districts"), report.by_district, present=True),
        coverage_table(_("Janpads"), report.by_block, present=True),
        Table(_("How they watched"), [_("How they watched"), _("Gram panchayats"), _("Participants")],
              [[WatchMode.label_of(mode), gps, participants] for mode, gps, participants in report.by_mode]),
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
        *question_tables(report.questions),
    ]


def question_tables(summary: QuestionSummary) -> list[Table]:
    """The session's questions: counts by state and by district, the most supported, the answers."""
    return [
        Table(_("Questions by state"), [_("Status"), _("Questions")],
              [[str(QuestionState(state).label), count] for state, count in summary.by_state.items()]
              + [[_("All questions"), summary.total]]),
        Table(_("Questions by district"), [_("LGD code"), _("District"), _("Questions"), _("Supports")],
              [[row.code, pick(row.name_hi, row.name_en), row.questions, row.supports] for row in summary.by_district]),
        questions_table(_("Most supported questions"), summary.most_supported),
        questions_table(_("Answered questions"), summary.answered, answers=True),
    ]


def questions_table(title: str, rows: list[ReportedQuestion], answers: bool = False) -> Table:
    """Questions with their gram panchayat, janpad and district, supports and (for the answered) the answer."""
    return Table(title, [_("Number"), _("Question"), _("Status"), _("Supports"), _("Gram panchayat"),
                         _("Janpad panchayat"), _("District"), *([_("Answer")] if answers else [])],
                 [[row.id, row.text, str(QuestionState(row.state).label), row.supports, pick(row.gp_hi, row.gp_en),
                   pick(row.block_hi, row.block_en), pick(row.district_hi, row.district_en),
                   *([row.answer] if answers else [])] for row in rows])


# CSV


def programme_csv(report: ProgrammeReport, level: str = "block") -> bytes:
    """The programme's coverage at one level (janpads by default) as CSV."""
    return csv_bytes(coverage_table("", report.coverage[level]))


def session_csv(report: SessionReport, level: str = "block") -> bytes:
    """The session's presence by janpad (or by district) as CSV; `questions`: its answered questions."""
    if level == "questions":
        return csv_bytes(questions_table("", report.questions.answered, answers=True))
    return csv_bytes(coverage_table("", report.by_block if level == "block" else report.by_district, present=True))


def untrained_csv(rows: list[GpRow]) -> bytes:
    """The gram panchayats still to be trained as CSV: district, janpad, names and LGD code."""
    return csv_bytes(gp_table("", rows))


# XLSX


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
    return report_pdf(
        "reports/pdf_programme.html", generated_at, report=report, programme=programme,
        sentence=programme_sentence(report), area_label=area_label, modules=modules,
        progress_days=(min([programme.runs[0], *(day for day, _n, _total in report.progress)]),
                       max([programme.runs[1], *(day for day, _n, _total in report.progress)])),
        division_chart=charts.coverage_bars_html(coverage["division"], language) if coverage.get("division") else None,
        progress_chart=charts.progress_line(report.progress, report.target_gps, *programme.runs,
                                            labels=False) if report.progress else None)


def session_pdf(report: SessionReport, area_label: str, generated_at: datetime | None = None) -> bytes:
    """The session report on A4: figures, presence by district and janpad, modes, feedback, absent GPs."""
    return report_pdf(
        "reports/pdf_session.html", generated_at, report=report, session=report.session,
        programme=report.session.programme, area_label=area_label, absent_by_block=absent_by_block(report.absent),
        district_chart=(charts.coverage_bars_html(report.by_district, current_language())
                        if report.by_district else None),
        rating_charts={r.question_id: charts.rating_bars_html(r.distribution) for r in report.feedback.ratings},
        questions={**{r.question_id: (r.text_hi, r.text_en) for r in report.feedback.ratings},
                   **report.feedback.text_questions})


def report_pdf(template: str, generated_at: datetime | None, **context) -> bytes:
    """Lay a report out on A4 in the page's language, with when it was made (IST) and the page numbers below."""
    generated = format_moment(generated_at or utc_now())
    return render_pdf(template, STYLESHEET, footer=_("Generated on %(moment)s (IST)", moment=generated),
                      actual_text=True, generated=generated, role_label=ParticipantRole.label_of,
                      mode_label=WatchMode.label_of, **context)
