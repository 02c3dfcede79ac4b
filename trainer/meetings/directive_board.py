"""What the directives' pages read and write out: the board's filters (owner office, area, status, overdue,
meeting), its tables for CSV and XLSX, the action-taken report (ATR) of a meeting, and the reminders to owner
offices before, on and after a due date (through the outbox, once per directive, due date and day-kind).
Nothing here commits."""
from dataclasses import dataclass
from datetime import date, timedelta

from flask_babel import gettext as _
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import selectinload

from trainer.accounts.models import User
from trainer.core import clock
from trainer.core.i18n import format_day, pick
from trainer.core.tables import Table
from trainer.extensions import db
from trainer.meetings import directives
from trainer.meetings.models import PENDING, ActionTakenReport, Directive, DirectiveStatus, Meeting
from trainer.offices.models import Office, OfficeOfficer
from trainer.regions.models import Block, District

# How many days before the due date the owner is reminded.
REMIND_BEFORE_DAYS = 3
BEFORE, ON, AFTER = "before", "on", "after"


@dataclass(frozen=True)
class BoardFilters:
    """What the board is narrowed to: an owner office, a district or block, a status, only the overdue, one
    meeting."""

    office_id: int | None = None
    district: District | None = None
    block: Block | None = None
    status: DirectiveStatus | None = None
    overdue_only: bool = False
    meeting_id: int | None = None


def filtered_query(user: User, filters: BoardFilters) -> Select:
    """Return the directives a user sees, narrowed by the filters: overdue first, then by due date."""
    query = directives.directive_query(user, filters.office_id, filters.status, filters.overdue_only)
    if filters.block is not None:
        query = query.where(Directive.block_id == filters.block.id)
    elif filters.district is not None:
        query = query.where(or_(Directive.district_id == filters.district.id, Directive.block_id.in_(
            select(Block.id).where(Block.district_id == filters.district.id))))
    if filters.meeting_id is not None:
        query = query.where(Directive.meeting_id == filters.meeting_id)
    return query


def latest_reports(directive_ids: list[int]) -> dict[int, ActionTakenReport]:
    """Return the latest action-taken report of each directive (by id), without the files' contents."""
    latest: dict[int, ActionTakenReport] = {}
    if not directive_ids:
        return latest
    for report in db.session.scalars(select(ActionTakenReport).where(
            ActionTakenReport.directive_id.in_(directive_ids)).order_by(ActionTakenReport.id)):
        latest[report.directive_id] = report
    return latest


def place_label(directive: Directive) -> str:
    """Return the name of the area a directive concerns, in the page's language."""
    place = directive.block or directive.district or directive.division
    if place is None:
        return _("Whole state")
    return pick(place.name_hi, place.name_en)


def directive_rows_table(title: str, found: list[Directive], today: date | None = None) -> Table:
    """Return the directives as a table: reference, text, owner, area, due date, status, overdue, days open, the
    latest action taken."""
    today = today or clock.today()
    latest = latest_reports([d.id for d in found])
    table = Table(title, [_("Reference number"), _("Directive"), _("Owner office"), _("Area"), _("Due on"),
                          _("Status"), _("Overdue"), _("Days open"), _("Latest action taken"), _("Number reported"),
                          _("Reported on")])
    for directive in found:
        report = latest.get(directive.id)
        table.rows.append([
            directive.reference, directive.text, office_label(directive.owner_office), place_label(directive),
            directive.due_on, str(directive.status.label), _("Yes") if directive.overdue else _("No"),
            directives.days_open(directive, today), report.text if report else "",
            report.figures if report else None, clock.local_day(report.reported_at) if report else None])
    return table


def office_label(office: Office) -> str:
    """Return an office's name in the page's language."""
    return pick(office.name_hi, office.name_en)


def board_tables(user: User, found: list[Directive]) -> list[Table]:
    """Return the board as tables: the directives, then the counts by owner office and by area."""
    headers = [_("Directives"), _("Overdue"), _("Pending"), _("Reported done"), _("Verified"), _("Dropped"),
               _("Oldest open (days)")]
    by_office = Table(_("By owner office"), [_("Owner office"), *headers])
    by_area = Table(_("By area"), [_("Area"), *headers])
    for table, rows in ((by_office, directives.board_by_office(user)), (by_area, directives.board_by_area(user))):
        for row in rows:
            table.rows.append([row.label, row.total, row.overdue, row.pending, row.reported, row.verified,
                               row.dropped, row.oldest_open_days])
    return [directive_rows_table(_("Directives"), found), by_office, by_area]


# The action-taken report of a meeting

@dataclass(frozen=True)
class AtrLine:
    """One directive of a meeting in its action-taken report."""

    directive: Directive
    overdue: bool
    days_open: int
    latest: ActionTakenReport | None


def atr_lines(meeting: Meeting, today: date | None = None) -> list[AtrLine]:
    """Return every directive of a meeting, in the order given, with whether it is overdue and its latest
    action-taken report."""
    today = today or clock.today()
    found = list(db.session.scalars(select(Directive).where(Directive.meeting_id == meeting.id).options(
        selectinload(Directive.owner_office)).order_by(Directive.number)))
    latest = latest_reports([d.id for d in found])
    return [AtrLine(d, d.overdue, directives.days_open(d, today), latest.get(d.id)) for d in found]


def atr_table(meeting: Meeting, lines: list[AtrLine]) -> Table:
    """Return a meeting's action-taken report as one table."""
    table = Table(_("Action-taken report"), [
        _("No."), _("Reference number"), _("Directive"), _("Owner office"), _("Due on"), _("Status"), _("Overdue"),
        _("Days open"), _("Latest action taken"), _("Number reported"), _("Reported on")])
    for line in lines:
        d, report = line.directive, line.latest
        table.rows.append([d.number, d.reference, d.text, office_label(d.owner_office), d.due_on,
                           str(d.status.label), _("Yes") if line.overdue else _("No"), line.days_open,
                           report.text if report else "", report.figures if report else None,
                           clock.local_day(report.reported_at) if report else None])
    return table


# Reminders

def day_kind(due_on: date, today: date) -> str | None:
    """Say which reminder a due date calls for today: before (within REMIND_BEFORE_DAYS), on the day, after it
    (overdue); None when none is due yet."""
    if due_on < today:
        return AFTER
    if due_on == today:
        return ON
    if due_on - timedelta(days=REMIND_BEFORE_DAYS) <= today:
        return BEFORE
    return None


def remind_owners(today: date | None = None, dry_run: bool = False):
    """Queue, through the outbox, reminders to the officers of the owner offices of the directives still to be
    done whose due date is near, today or past: each directive's owner officer if it names one, else every
    officer of the office; once per directive, due date and day-kind (before, on, after), however often run."""
    from trainer.contacts.services import contact_points_of_users
    from trainer.messaging.content import absolute_url
    from trainer.messaging.kinds import MessageKind
    from trainer.messaging.outbox import Queued, Recipient, queue_messages
    today = today or clock.today()
    queued = Queued()
    pending = list(db.session.scalars(select(Directive).where(
        Directive.status.in_([s.value for s in PENDING]),
        Directive.due_on <= today + timedelta(days=REMIND_BEFORE_DAYS))
        .options(selectinload(Directive.owner_office)).order_by(Directive.due_on, Directive.id)))
    if not pending:
        return queued
    officers: dict[int, list[int]] = {}
    for office_id, user_id in db.session.execute(
            select(OfficeOfficer.office_id, OfficeOfficer.user_id).join(User, User.id == OfficeOfficer.user_id)
            .where(OfficeOfficer.office_id.in_({d.owner_office_id for d in pending}), User.active.is_(True))):
        officers.setdefault(office_id, []).append(user_id)
    wanted = {user_id for ids in officers.values() for user_id in ids} | \
        {d.owner_user_id for d in pending if d.owner_user_id is not None}
    points: dict[int, list] = {}
    for point in contact_points_of_users(sorted(wanted)):
        points.setdefault(point.user_id, []).append(Recipient(
            point.contact_id, None, point.user_id, point.language, point.channels, point.mobile, point.email))
    for directive in pending:
        if not directive.owner_office.active:
            continue
        kind = day_kind(directive.due_on, today)
        if kind is None:
            continue
        users = [directive.owner_user_id] if directive.owner_user_id is not None else \
            officers.get(directive.owner_office_id, [])
        recipients = [r for user_id in users for r in points.get(user_id, [])]
        if not recipients:
            queued.unreachable += len(users)
            continue
        overdue_days = str(max((today - directive.due_on).days, 0))
        values = {"reference": directive.reference, "directive": _short(directive.text_hi or directive.text_en),
                  "due": format_day(directive.due_on), "days": overdue_days,
                  "link": absolute_url("directives.detail", directive_id=directive.id)}
        found = queue_messages(MessageKind.DIRECTIVE_DUE, recipients,
                               f"dd{directive.id}-{directive.due_on.isoformat()}-{kind}",
                               lambda recipient, values=values: values, dry_run=dry_run)
        queued.add(found)
    return queued


def _short(text: str, length: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= length else text[:length - 1] + "…"


def review_summary(series) -> str:
    """Say, in English for the command line, what a series' directives have become: how many, done, overdue."""
    base = select(func.count(Directive.id)).join(Meeting).where(Meeting.series_id == series.id)
    total = db.session.scalar(base)
    settled = db.session.scalar(base.where(Directive.status.in_(
        [DirectiveStatus.REPORTED_DONE.value, DirectiveStatus.VERIFIED.value])))
    overdue = db.session.scalar(base.where(Directive.overdue))
    return (f"Review “{series.title_en}” ({series.code}): {len(series.meetings)} meetings with final minutes, "
            f"{total} directives — {settled} reported done or verified, {overdue} overdue.")
