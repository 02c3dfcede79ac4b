"""A programme's report of its partner organisations: how many it reaches, how many attended at least one session,
the participants they brought (the sum of their head-counts), session by session and partner by partner, and the
partners not yet reached; with the sentence the department publishes ("142 of 175 partners attended; 1,420
participants"). SQL aggregates only; its tables are the files' (CSV, XLSX, PDF through trainer.reports.exports).

Who may see the programme is the programme report's rule (trainer.reports.access); within it, a partner based in a
district counts for officers of that area, and one without a district for state-level staff only. Drafts of
sessions count nothing.
"""
from dataclasses import dataclass
from datetime import datetime

from flask_babel import force_locale, ngettext
from flask_babel import gettext as _
from sqlalchemy import func, select

from trainer.core.database import utc_now
from trainer.core.i18n import format_moment, format_number, pick
from trainer.core.tables import Table, csv_bytes, xlsx_bytes
from trainer.extensions import db
from trainer.partners.completion import completed_partner_ids, in_area
from trainer.partners.models import Organisation, OrganisationAttendance, ProgrammePartner
from trainer.programmes.models import Programme, SessionStatus, TrainingSession
from trainer.regions.areas import STATE, Area
from trainer.regions.models import District
from trainer.reports.exports import report_pdf


@dataclass(frozen=True)
class SessionRow:
    """One session of the programme and the partners present there."""

    session: TrainingSession
    partners: int
    participants: int


@dataclass(frozen=True)
class PartnerRow:
    """One partner of the programme and what it attended."""

    organisation_id: int
    name: str
    district_code: int | None
    district: str
    sessions: int
    participants: int


@dataclass(frozen=True)
class PartnerReport:
    """Everything a programme's partner report shows, for one area."""

    programme: Programme
    partners: int
    attended: int
    completed: int  # met the programme's completion rule (the partners whose certificates of participation are due)
    participants: int
    by_session: list[SessionRow]
    by_partner: list[PartnerRow]

    @property
    def not_reached(self) -> list[PartnerRow]:
        """The partners that attended no session yet."""
        return [row for row in self.by_partner if row.sessions == 0]


def _sessions(programme: Programme):
    return select(TrainingSession.id).where(TrainingSession.programme_id == programme.id,
                                            TrainingSession.status != SessionStatus.DRAFT)


def partner_report(programme: Programme, area: Area = STATE) -> PartnerReport:
    """Count a programme's partners in an area, those that attended, their participants, by session and partner."""
    partners = db.session.scalar(
        select(func.count()).select_from(ProgrammePartner)
        .join(Organisation, Organisation.id == ProgrammePartner.organisation_id)
        .where(ProgrammePartner.programme_id == programme.id, in_area(area)))
    marks = (select(OrganisationAttendance.session_id, OrganisationAttendance.organisation_id,
                    OrganisationAttendance.participants)
             .join(ProgrammePartner, (ProgrammePartner.organisation_id == OrganisationAttendance.organisation_id)
                   & (ProgrammePartner.programme_id == programme.id))
             .join(Organisation, Organisation.id == OrganisationAttendance.organisation_id)
             .where(OrganisationAttendance.session_id.in_(_sessions(programme)), in_area(area))).subquery()
    attended, participants = db.session.execute(
        select(func.count(marks.c.organisation_id.distinct()), func.coalesce(func.sum(marks.c.participants), 0))).one()
    per_session = {session_id: (count, people) for session_id, count, people in db.session.execute(
        select(marks.c.session_id, func.count(), func.coalesce(func.sum(marks.c.participants), 0))
        .group_by(marks.c.session_id))}
    sessions = db.session.scalars(select(TrainingSession).where(TrainingSession.id.in_(_sessions(programme)))
                                  .order_by(TrainingSession.starts_at, TrainingSession.id))
    by_session = [SessionRow(session, *per_session.get(session.id, (0, 0))) for session in sessions]
    per_partner = {organisation_id: (count, people) for organisation_id, count, people in db.session.execute(
        select(marks.c.organisation_id, func.count(), func.coalesce(func.sum(marks.c.participants), 0))
        .group_by(marks.c.organisation_id))}
    by_partner = [
        PartnerRow(organisation_id, pick(name_hi, name_en), code,
                   pick(district_hi, district_en) if code is not None else _("State-wide"),
                   *per_partner.get(organisation_id, (0, 0)))
        for organisation_id, name_hi, name_en, code, district_hi, district_en in db.session.execute(
            select(Organisation.id, Organisation.name_hi, Organisation.name_en, District.lgd_code, District.name_hi,
                   District.name_en)
            .join(ProgrammePartner, ProgrammePartner.organisation_id == Organisation.id)
            .outerjoin(District, District.id == Organisation.district_id)
            .where(ProgrammePartner.programme_id == programme.id, in_area(area))
            .order_by(Organisation.name_hi_key, Organisation.name_en_key, Organisation.id))]
    completed = db.session.scalar(select(func.count()).select_from(completed_partner_ids(programme, area).subquery()))
    return PartnerReport(programme, partners, attended, completed or 0, participants, by_session, by_partner)


def sentence(report: PartnerReport) -> str:
    """«175 में से 142 साझेदार संस्थाओं ने भाग लिया; 1,420 प्रतिभागी», in the page's language."""
    # %(count)s, not %(num)s: ngettext fills num itself, without Indian digit grouping.
    people = ngettext("%(count)s participant", "%(count)s participants", report.participants,
                      count=format_number(report.participants))
    return ngettext("%(count)s of %(total)s partners attended; %(participants)s",
                    "%(count)s of %(total)s partners attended; %(participants)s", report.attended,
                    count=format_number(report.attended), total=format_number(report.partners), participants=people)


def sentences(report: PartnerReport) -> dict[str, str]:
    """The sentence in both languages."""
    found = {}
    for language, locale in (("hi", "hi"), ("en", "en_IN")):
        with force_locale(locale):
            found[language] = sentence(report)
    return found


# The files


def _partner_table(title: str, rows: list[PartnerRow]) -> Table:
    return Table(title, [_("Partner"), _("LGD code"), _("District"), _("Sessions attended"), _("Participants")],
                 [[row.name, row.district_code if row.district_code is not None else "", row.district, row.sessions,
                   row.participants] for row in rows])


def tables(report: PartnerReport, area_label: str, generated_at: datetime | None = None) -> list[Table]:
    """Every table of the report, in the order of the workbook's sheets."""
    summary = Table(_("Summary"), [_("Figure"), _("Value")], [
        [_("Programme"), report.programme.title],
        [_("Area"), area_label],
        [_("Summary"), sentence(report)],
        [_("Partners"), report.partners],
        [_("Partners that attended"), report.attended],
        [_("Partners that completed the programme"), report.completed],
        [_("Partners not yet reached"), len(report.not_reached)],
        [_("Participants"), report.participants],
        [_("Generated at (IST)"), format_moment(generated_at or utc_now())],
    ])
    by_session = Table(_("By session"), [_("Session"), _("Starts (IST)"), _("Partners present"), _("Participants")],
                       [[row.session.title, format_moment(row.session.starts_at), row.partners, row.participants]
                        for row in report.by_session])
    return [summary, by_session, _partner_table(_("By partner"), report.by_partner),
            _partner_table(_("Not yet reached"), report.not_reached)]


def report_csv(report: PartnerReport) -> bytes:
    """The partners as one CSV: each with its district, the sessions it attended and its participants."""
    return csv_bytes(_partner_table("", report.by_partner))


def report_xlsx(report: PartnerReport, area_label: str) -> bytes:
    """The report as a workbook, one sheet per table."""
    return xlsx_bytes(tables(report, area_label))


def report_file_pdf(report: PartnerReport, area_label: str, generated_at: datetime | None = None) -> bytes:
    """The report on A4 in the page's language."""
    return report_pdf("partners/pdf_partner_report.html", generated_at, report=report, programme=report.programme,
                      area_label=area_label, sentence=sentence(report))
