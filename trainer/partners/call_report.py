"""A call's report: its applications by kind of organisation, by district (or state-wide) and by theme, applied
against shortlisted and selected, with the sentence the department publishes ("330 applications, 175 selected");
SQL aggregates only. Its tables are the files' (CSV, XLSX, PDF through trainer.reports.exports).

An application counts once it is submitted and is not a second one of the same organisation (a duplicate);
shortlisted counts those shortlisted or selected since (a selected one was on the shortlist first).
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import case, func, select

from trainer.core.database import utc_now
from trainer.core.i18n import format_moment, format_number, pick
from trainer.core.tables import Table, csv_bytes, xlsx_bytes
from trainer.extensions import db
from trainer.partners.models import (
    CHANNEL_LABELS,
    THEME_LABELS,
    Application,
    ApplicationChannel,
    ApplicationState,
    ApplicationTheme,
    Call,
    OrganisationKind,
)
from trainer.regions.models import District
from trainer.reports.exports import report_pdf

NOT_COUNTED = (ApplicationState.DRAFT, ApplicationState.DUPLICATE)
SHORTLISTED = (ApplicationState.SHORTLISTED, ApplicationState.SELECTED)


@dataclass(frozen=True)
class GroupRow:
    """One group of applications (a kind, a district, a theme) and how far they went."""

    key: str
    label: str
    applied: int
    shortlisted: int
    selected: int


@dataclass(frozen=True)
class CallReport:
    """Everything a call's report shows."""

    call: Call
    applied: int
    shortlisted: int
    selected: int
    duplicates: int
    drafts: int
    by_kind: list[GroupRow]
    by_district: list[GroupRow]
    by_theme: list[GroupRow]
    by_channel: list[tuple[ApplicationChannel, int]]


def _counts():
    counted = Application.state.not_in(NOT_COUNTED)
    return (func.count(Application.id).filter(counted),
            func.coalesce(func.sum(case((Application.state.in_(SHORTLISTED), 1), else_=0)), 0),
            func.coalesce(func.sum(case((Application.state == ApplicationState.SELECTED, 1), else_=0)), 0))


def _of(call: Call):
    return Application.call_id == call.id


def call_report(call: Call) -> CallReport:
    """Count a call's applications, in total and by kind, district and theme."""
    counted = _counts()
    applied, shortlisted, selected, duplicates, drafts = db.session.execute(select(
        *counted, func.count(Application.id).filter(Application.state == ApplicationState.DUPLICATE),
        func.count(Application.id).filter(Application.state == ApplicationState.DRAFT)).where(_of(call))).one()
    kinds = {kind: (a, s, c) for kind, a, s, c in db.session.execute(
        select(Application.kind, *counted).where(_of(call), Application.state.not_in(NOT_COUNTED))
        .group_by(Application.kind))}
    by_kind = [GroupRow(kind.value, str(kind.label), *kinds[kind]) for kind in OrganisationKind if kind in kinds]
    by_district = [
        GroupRow(str(code) if code is not None else "", pick(hindi, english) if code is not None else _("State-wide"),
                 a, s, c)
        for code, hindi, english, a, s, c in db.session.execute(
            select(District.lgd_code, District.name_hi, District.name_en, *counted)
            .select_from(Application).outerjoin(District, District.id == Application.district_id)
            .where(_of(call), Application.state.not_in(NOT_COUNTED))
            .group_by(District.lgd_code, District.name_hi, District.name_en)
            .order_by(District.lgd_code.is_(None), District.lgd_code))]
    themes = {theme: (a, s, c) for theme, a, s, c in db.session.execute(
        select(ApplicationTheme.theme, *counted).join(Application, Application.id == ApplicationTheme.application_id)
        .where(_of(call), Application.state.not_in(NOT_COUNTED)).group_by(ApplicationTheme.theme))}
    by_theme = [GroupRow(theme, str(label), *themes[theme]) for theme, label in THEME_LABELS.items() if theme in themes]
    channels = dict(db.session.execute(select(Application.channel, func.count(Application.id))
                                       .where(_of(call), Application.state.not_in(NOT_COUNTED))
                                       .group_by(Application.channel)).all())
    return CallReport(call, applied, shortlisted, selected, duplicates, drafts, by_kind, by_district, by_theme,
                      [(channel, channels[channel]) for channel in ApplicationChannel if channel in channels])


def sentence(report: CallReport) -> str:
    """«330 आवेदन, 175 चयनित» — the applications and those selected, in the page's language."""
    # %(count)s, not %(num)s: ngettext fills num itself, without Indian digit grouping.
    return ngettext("%(count)s application, %(selected)s selected", "%(count)s applications, %(selected)s selected",
                    report.applied, count=format_number(report.applied), selected=format_number(report.selected))


def sentences(report: CallReport) -> dict[str, str]:
    """The sentence in both languages."""
    found = {}
    for language, locale in (("hi", "hi"), ("en", "en_IN")):
        with force_locale(locale):
            found[language] = sentence(report)
    return found


# The files


def _group_table(title: str, heading: str, rows: list[GroupRow], codes: bool = False) -> Table:
    return Table(title, [*([_("LGD code")] if codes else []), heading, _("Applied"), _("Shortlisted"), _("Selected")],
                 [[*([row.key] if codes else []), row.label, row.applied, row.shortlisted, row.selected]
                  for row in rows])


def tables(report: CallReport, generated_at: datetime | None = None) -> list[Table]:
    """Every table of the report, in the order of the workbook's sheets."""
    call = report.call
    summary = Table(_("Summary"), [_("Figure"), _("Value")], [
        [_("Call"), pick(call.title_hi, call.title_en)],
        [_("Open"), f"{call.opens_on.isoformat()} – {call.closes_on.isoformat()}"],
        [_("Summary"), sentence(report)],
        [_("Applied"), report.applied],
        [_("Shortlisted"), report.shortlisted],
        [_("Selected"), report.selected],
        [_("Duplicates (not counted)"), report.duplicates],
        [_("Drafts not submitted (not counted)"), report.drafts],
        *[[str(CHANNEL_LABELS[channel]), count] for channel, count in report.by_channel],
        [_("Generated at (IST)"), format_moment(generated_at or utc_now())],
    ])
    return [summary, _group_table(_("By kind"), _("Kind"), report.by_kind),
            _group_table(_("By district"), _("District"), report.by_district, codes=True),
            _group_table(_("By theme"), _("Theme"), report.by_theme)]


def report_csv(report: CallReport) -> bytes:
    """The groups as one CSV: what they are grouped by, the group, applied, shortlisted, selected."""
    rows = [[group, row.key, row.label, row.applied, row.shortlisted, row.selected]
            for group, found in (("kind", report.by_kind), ("district", report.by_district),
                                 ("theme", report.by_theme)) for row in found]
    return csv_bytes(Table("", [_("Grouped by"), _("Key"), _("Group"), _("Applied"), _("Shortlisted"),
                                _("Selected")], rows))


def report_xlsx(report: CallReport) -> bytes:
    """The report as a workbook, one sheet per table."""
    return xlsx_bytes(tables(report))


def report_file_pdf(report: CallReport, generated_at: datetime | None = None) -> bytes:
    """The report on A4 in the page's language."""
    return report_pdf("partners/calls/pdf_report.html", generated_at, report=report, call=report.call,
                      sentence=sentence(report))
