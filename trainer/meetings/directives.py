"""Directives (निर्देश) and their lifecycle: giving one in a meeting (owner office required, a due date not in the
past, or "within N days" of the meeting), the allowed moves between statuses (`MOVES`, the one table of them), the
action-taken reports of the owner office (with an attached PDF or photo checked by its content), extensions that
keep the old due date, and the queries of the board and of "my directives".

Who moves a directive:
- the officers of its owner office: to in progress, and to reported done (only by an action-taken report);
- the chair's office of its series (or an administrator): verify, reopen, drop (with a reason), extend.
Every change is a DirectiveEvent (who, when, from → to, note, old → new due date). Nothing here commits.
"""
import hashlib
import io
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

import pypdfium2
from flask import current_app
from flask_babel import lazy_gettext as _l
from PIL import Image, UnidentifiedImageError
from sqlalchemy import Select, case, func, or_, select, true
from sqlalchemy.orm import selectinload

from trainer.accounts.models import User
from trainer.campaigns.models import Indicator
from trainer.core import clock
from trainer.core.database import lock_for_transaction, utc_now
from trainer.core.forms import one_line
from trainer.core.i18n import localized_name, pick
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.meetings import services as meetings
from trainer.meetings.errors import MeetingError
from trainer.meetings.models import (
    FILE_NAME_LENGTH_MAX,
    REASON_LENGTH_MAX,
    SETTLED,
    VALUE_MAX,
    ActionTakenReport,
    Directive,
    DirectiveEvent,
    DirectiveStatus,
    Meeting,
    MeetingSeries,
    Priority,
)
from trainer.offices import services as offices
from trainer.offices.models import Office
from trainer.regions.areas import Area
from trainer.regions.models import Block, District, Division

S = DirectiveStatus
# The one table of allowed moves: from a status, to the statuses it may go to.
MOVES: dict[DirectiveStatus, frozenset[DirectiveStatus]] = {
    S.OPEN: frozenset({S.IN_PROGRESS, S.DROPPED}),
    S.IN_PROGRESS: frozenset({S.REPORTED_DONE, S.DROPPED}),
    S.REPORTED_DONE: frozenset({S.VERIFIED, S.REOPENED}),
    S.REOPENED: frozenset({S.IN_PROGRESS, S.REPORTED_DONE, S.DROPPED}),
    S.VERIFIED: frozenset(),
    S.DROPPED: frozenset(),
}
# Moves made by the owner office; every other move is the chair's.
OWNER_MOVES = frozenset({S.IN_PROGRESS, S.REPORTED_DONE})
DUE_SOON_DAYS = 7
ATTACHMENT_MAX_BYTES = 5 * 1024 * 1024
PDF, JPEG, PNG = "application/pdf", "image/jpeg", "image/png"
# What a file's name may claim, and what it must then hold.
EXTENSIONS = {".pdf": PDF, ".jpg": JPEG, ".jpeg": JPEG, ".png": PNG}


def may_move(directive: Directive, to: DirectiveStatus) -> bool:
    """Say whether the table of moves lets a directive go from its status to `to`."""
    return to in MOVES[directive.status]


# Giving a directive

@dataclass(frozen=True)
class DirectiveValues:
    """What the minutes give for a directive: its words, owner office (required) and officer, area, due date — a
    date, or `within_days` of the meeting's day — priority, and an optional measurable target (an indicator of a
    campaign, a value and/or a percentage)."""

    owner_office_id: int | None
    text_hi: str = ""
    text_en: str = ""
    owner_user_id: int | None = None
    place: Division | District | Block | None = None
    due_on: date | None = None
    within_days: int | None = None
    priority: Priority = Priority.NORMAL
    agenda_item_id: int | None = None
    indicator_id: int | None = None
    target_value: int | None = None
    target_percent: int | None = None


def meeting_day(meeting: Meeting) -> date:
    """Return the day (Asia/Kolkata) a meeting is held."""
    return clock.local_day(meeting.starts_at)


def resolve_due_on(meeting: Meeting, due_on: date | None, within_days: int | None) -> date:
    """Return the due date: the date given, or the meeting's day plus `within_days`; refuse neither or both."""
    if within_days is not None:
        if due_on is not None:
            raise MeetingError(_l("Give a due date or a number of days, not both."))
        if isinstance(within_days, bool) or not isinstance(within_days, int) or not 0 < within_days <= 3660:
            raise MeetingError(_l("The number of days is a whole number from 1 to 3660."))
        return meeting_day(meeting) + timedelta(days=within_days)
    if due_on is None:
        raise MeetingError(_l("Give the due date, or within how many days it is due."))
    return due_on


def reference_for(meeting: Meeting, number: int) -> str:
    """Return a directive's reference number: the series' code, the meeting's year, its number, the directive's
    number in it ("GDA/2026/03/07")."""
    return f"{meeting.series.code}/{meeting_day(meeting).year}/{meeting.number:02d}/{number:02d}"


def _number(value, message) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= VALUE_MAX:
        raise MeetingError(message)
    return value


def _event(directive: Directive, by: User | None, from_status, to_status, note: str = "", old_due_on=None,
           new_due_on=None, meeting: Meeting | None = None) -> DirectiveEvent:
    event = DirectiveEvent(by_id=by.id if by is not None else None, from_status=from_status, to_status=to_status,
                           note=(note or "").strip(), old_due_on=old_due_on, new_due_on=new_due_on,
                           meeting_id=meeting.id if meeting is not None else None)
    directive.events.append(event)
    return event


def create_directive(meeting: Meeting, values: DirectiveValues, by: User | None,
                     today: date | None = None) -> Directive:
    """Give a directive in a meeting, numbered after its others, with its reference number; refuse one without an
    owner office, due before `today` (default: today in Asia/Kolkata), or in final minutes. `by` None: a
    command."""
    if by is not None and not meetings.may_keep_minutes(by, meeting):
        raise MeetingError(_l("Only the meeting's secretary or the chair's office writes the minutes."))
    if meeting.finalised:
        raise MeetingError(_l("The minutes of this meeting are final: it can no longer be changed, only corrected."))
    text_hi, text_en = (values.text_hi or "").strip(), (values.text_en or "").strip()
    if not text_hi and not text_en:
        raise MeetingError(_l("Write the directive in Hindi or in English."))
    if values.owner_office_id is None:
        raise MeetingError(_l("Every directive has an owner office: choose one."))
    owner = db.session.get(Office, values.owner_office_id) if 0 < values.owner_office_id < 2**31 else None
    if owner is None:
        raise MeetingError(_l("There is no such office."))
    owner_user = None
    if values.owner_user_id is not None:
        owner_user = db.session.get(User, values.owner_user_id) if 0 < values.owner_user_id < 2**31 else None
        if owner_user is None or not offices.is_officer_of(owner_user, owner.id):
            raise MeetingError(_l("The owner officer acts for the owner office."))
    due_on = resolve_due_on(meeting, values.due_on, values.within_days)
    if due_on < (today or clock.today()):
        raise MeetingError(_l("The due date %(day)s has passed: give a later one.", day=due_on.isoformat()))
    place = values.place if values.place is not None else owner.place
    if place is not None and not isinstance(place, Division | District | Block):
        raise MeetingError(_l("A directive concerns the state, a division, a district or a block."))
    series_place = meeting.series.place
    if series_place is not None and place is not None and not Area.of(series_place).holds(place):
        raise MeetingError(_l("The directive's area lies outside the series' area."))
    if place is None:
        place = series_place
    item = None
    if values.agenda_item_id is not None:
        item = next((i for i in meeting.agenda_items if i.id == values.agenda_item_id), None)
        if item is None:
            raise MeetingError(_l("That agenda item is not one of this meeting's."))
    indicator = None
    if values.indicator_id is not None:
        indicator = db.session.get(Indicator, values.indicator_id) if 0 < values.indicator_id < 2**31 else None
        if indicator is None:
            raise MeetingError(_l("There is no such indicator."))
    target_value = _number(values.target_value, _l("The target is a whole number, 0 or more."))
    target_percent = _number(values.target_percent, _l("The target share is a whole per cent from 0 to 100."))
    if target_percent is not None and target_percent > 100:
        raise MeetingError(_l("The target share is a whole per cent from 0 to 100."))
    lock_for_transaction(f"directive-number:{meeting.id}")
    number = (db.session.scalar(select(func.max(Directive.number)).where(Directive.meeting_id == meeting.id))
              or 0) + 1
    reference = reference_for(meeting, number)
    if db.session.scalar(select(Directive.id).where(Directive.reference == reference)) is not None:
        raise MeetingError(_l("The reference number %(reference)s is taken already.", reference=reference))
    directive = Directive(
        meeting=meeting, agenda_item=item, number=number, reference=reference, text_hi=text_hi, text_en=text_en,
        owner_office=owner, owner_user=owner_user, due_on=due_on, priority=Priority(values.priority),
        indicator=indicator, target_value=target_value, target_percent=target_percent, status=S.OPEN,
        drop_reason="", created_by_id=by.id if by is not None else None,
        division=place if isinstance(place, Division) else None,
        district=place if isinstance(place, District) else None,
        block=place if isinstance(place, Block) else None)
    db.session.add(directive)
    _event(directive, by, None, S.OPEN, meeting=meeting)
    db.session.flush()
    return directive


# Moves

def _may_chair(user: User | None, directive: Directive) -> bool:
    return user is None or meetings.may_edit_series(user, directive.meeting.series)


def _may_own(user: User | None, directive: Directive) -> bool:
    return user is not None and offices.is_officer_of(user, directive.owner_office_id)


def change_status(directive: Directive, to: DirectiveStatus, by: User | None, note: str = "", reason: str = "",
                  meeting: Meeting | None = None) -> DirectiveEvent:
    """Move a directive to another status by the table `MOVES`: the owner office's officers start it (in
    progress); the chair's office (or an administrator; `by` None: a command) verifies, reopens or drops it (with
    a reason). Reporting done goes through `report_action_taken`. `meeting`: the meeting it was decided in."""
    to = DirectiveStatus(to)
    if not may_move(directive, to):
        raise MeetingError(_l("A directive that is %(from)s cannot become %(to)s.",
                              **{"from": directive.status.label, "to": to.label}))
    if to is S.REPORTED_DONE:
        raise MeetingError(_l("Report the action taken to report the directive done."))
    if to in OWNER_MOVES:
        if not (_may_own(by, directive) or (by is not None and by.role is Role.ADMIN) or by is None):
            raise MeetingError(_l("Only an officer of the owner office does this."))
    elif not _may_chair(by, directive):
        raise MeetingError(_l("Only the chair's office does this."))
    reason = " ".join((reason or "").split())
    if to is S.DROPPED:
        if not reason:
            raise MeetingError(_l("Give the reason for dropping the directive."))
        if len(reason) > REASON_LENGTH_MAX:
            raise MeetingError(_l("The reason is at most %(length)s characters.", length=REASON_LENGTH_MAX))
    return _move(directive, to, by, note or reason, meeting, reason)


def _move(directive: Directive, to: DirectiveStatus, by: User | None, note: str, meeting: Meeting | None,
          drop_reason: str = "") -> DirectiveEvent:
    event = _event(directive, by, directive.status, to, note, meeting=meeting)
    # Status and drop reason change together (a CHECK binds them).
    directive.status, directive.status_changed_at = to, utc_now()
    directive.drop_reason = drop_reason if to is S.DROPPED else ""
    db.session.flush()
    return event


def extend(directive: Directive, new_due_on: date, by: User | None, note: str = "",
           meeting: Meeting | None = None, today: date | None = None) -> DirectiveEvent:
    """Give a directive still to be done a new due date (the chair's office); the old one stays in the event."""
    if not _may_chair(by, directive):
        raise MeetingError(_l("Only the chair's office does this."))
    if directive.status in SETTLED:
        raise MeetingError(_l("A directive that is %(status)s keeps its due date.", status=directive.status.label))
    if new_due_on < (today or clock.today()):
        raise MeetingError(_l("The due date %(day)s has passed: give a later one.", day=new_due_on.isoformat()))
    if new_due_on == directive.due_on:
        raise MeetingError(_l("The new due date is the one the directive has."))
    event = _event(directive, by, directive.status, directive.status, note, old_due_on=directive.due_on,
                   new_due_on=new_due_on, meeting=meeting)
    directive.due_on = new_due_on
    db.session.flush()
    return event


# Action-taken reports

@dataclass(frozen=True)
class Attachment:
    """A file sent with an action-taken report."""

    file_name: str
    content: bytes


@dataclass(frozen=True)
class ReportValues:
    """What an owner office reports: what was done, a figure (how many), an optional PDF or photo."""

    text: str
    figures: int | None = None
    attachment: Attachment | None = None


def content_type_of(content: bytes) -> str | None:
    """Return application/pdf, image/jpeg or image/png by a file's first bytes, or None for anything else."""
    if content.startswith(b"%PDF-"):
        return PDF
    if content.startswith(b"\xff\xd8\xff"):
        return JPEG
    if content.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    return None


def check_attachment(attachment: Attachment) -> tuple[str, str]:
    """Return (clean file name, content type) of an attached file that is a whole PDF, JPEG or PNG by its content,
    and is what its name says; refuse anything else."""
    content = attachment.content or b""
    limit = current_app.config.get("ACTION_TAKEN_FILE_MAX_BYTES", ATTACHMENT_MAX_BYTES)
    if not content:
        raise MeetingError(_l("The file is empty."))
    if len(content) > limit:
        raise MeetingError(_l("The file is larger than %(size)s MB.", size=limit // (1024 * 1024)))
    kind = content_type_of(content)
    if kind is None:
        raise MeetingError(_l("Attach a PDF file or a JPEG or PNG photo."))
    name = one_line(attachment.file_name or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    extension = ("." + name.rsplit(".", 1)[-1].lower()) if "." in name else ""
    if extension in EXTENSIONS and EXTENSIONS[extension] != kind or extension not in EXTENSIONS and extension:
        raise MeetingError(_l("The file is not what its name says: attach a PDF file or a JPEG or PNG photo."))
    if kind == PDF:
        try:
            document = pypdfium2.PdfDocument(io.BytesIO(content))
        except pypdfium2.PdfiumError:
            raise MeetingError(_l("This PDF file is damaged or cannot be opened.")) from None
        try:
            if len(document) < 1:
                raise MeetingError(_l("This PDF file has no pages."))
        finally:
            document.close()
    else:
        try:
            with Image.open(io.BytesIO(content)) as probe:
                if probe.format not in ("JPEG", "PNG"):
                    raise MeetingError(_l("Attach a PDF file or a JPEG or PNG photo."))
                probe.verify()
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
            raise MeetingError(_l("The photo is damaged or cannot be opened.")) from None
    default = {PDF: "report.pdf", JPEG: "photo.jpg", PNG: "photo.png"}[kind]
    return (name[:FILE_NAME_LENGTH_MAX] or default), kind


def report_action_taken(directive: Directive, by: User, values: ReportValues, done: bool = False,
                        office_id: int | None = None) -> ActionTakenReport:
    """Record what an officer of the owner office reports about a directive; a progress report moves an open or
    reopened directive to in progress, and `done` reports it done (through in progress, if it was open). Refuse
    anyone but an officer of the owner office, and a directive verified or dropped."""
    if not _may_own(by, directive):
        raise MeetingError(_l("Only an officer of the owner office reports action taken on this directive."))
    if office_id is not None and office_id != directive.owner_office_id:
        raise MeetingError(_l("Only an officer of the owner office reports action taken on this directive."))
    if directive.status in (S.VERIFIED, S.DROPPED):
        raise MeetingError(_l("A directive that is %(status)s takes no more reports.", status=directive.status.label))
    if done and directive.status is S.REPORTED_DONE:
        raise MeetingError(_l("This directive is reported done already."))
    text = (values.text or "").strip()
    if not text:
        raise MeetingError(_l("Write what was done."))
    figures = _number(values.figures, _l("The figure is a whole number, 0 or more."))
    report = ActionTakenReport(text=text, figures=figures, office_id=directive.owner_office_id, reported_by=by)
    if values.attachment is not None:
        name, kind = check_attachment(values.attachment)
        content = values.attachment.content
        report.file_name, report.content_type, report.size, report.sha256, report.content = \
            name, kind, len(content), hashlib.sha256(content).hexdigest(), content
    directive.reports.append(report)
    if directive.status in (S.OPEN, S.REOPENED) and not (done and directive.status is S.REOPENED):
        _move(directive, S.IN_PROGRESS, by, "", None)
    if done:
        _move(directive, S.REPORTED_DONE, by, text[:200], None)
    db.session.flush()
    return report


# Who sees directives, and the queries of the pages

def visible_condition(user: User):
    """Return a WHERE clause keeping the directives a user sees: all for administrators and state-wide directors;
    else those of the user's area, of offices the user acts for (as owner or chair), and of series the user
    sees."""
    if meetings.is_state_wide(user):
        return true()
    mine = offices.office_ids_of(user)
    conditions = [offices.area_condition(Directive, user.area),
                  Directive.meeting_id.in_(select(Meeting.id).join(MeetingSeries)
                                           .where(meetings.series_condition(user)))]
    if mine:
        conditions.append(Directive.owner_office_id.in_(mine))
    return or_(*conditions)


def may_see(user: User | None, directive: Directive) -> bool:
    """Say whether a user sees a directive (and its action-taken reports)."""
    if user is None:
        return False
    return bool(db.session.scalar(select(func.count()).select_from(Directive)
                                  .where(Directive.id == directive.id, visible_condition(user))))


def directive_query(user: User, owner_office_id: int | None = None, status: DirectiveStatus | None = None,
                    overdue_only: bool = False) -> Select:
    """Return the directives a user sees (optionally of one owner office, in one status, or only overdue):
    overdue first, then by due date and reference."""
    query = (select(Directive).where(visible_condition(user))
             .options(selectinload(Directive.owner_office), selectinload(Directive.meeting)
                      .selectinload(Meeting.series))
             .order_by(Directive.overdue.desc(), Directive.due_on, Directive.reference))
    if owner_office_id is not None:
        query = query.where(Directive.owner_office_id == owner_office_id)
    if status is not None:
        query = query.where(Directive.status == DirectiveStatus(status))
    if overdue_only:
        query = query.where(Directive.overdue)
    return query


def load_directive(directive_id: int) -> Directive | None:
    """Return a directive with its events and reports, or None."""
    if not 0 < directive_id < 2**31:
        return None
    return db.session.scalar(select(Directive).where(Directive.id == directive_id).options(
        selectinload(Directive.events), selectinload(Directive.reports), selectinload(Directive.owner_office),
        selectinload(Directive.meeting).selectinload(Meeting.series)))


def days_open(directive: Directive, today: date | None = None) -> int:
    """Return for how many days a directive has been open: from the day it was given to today, or to the day it
    was settled (reported done, verified, dropped)."""
    end = clock.local_day(directive.status_changed_at) if directive.status in SETTLED else (today or clock.today())
    return max((end - clock.local_day(directive.created_at)).days, 0)


@dataclass
class MyDirectives:
    """The directives of the offices a user acts for, as the phone page shows them."""

    overdue: list[Directive] = field(default_factory=list)
    due_soon: list[Directive] = field(default_factory=list)
    later: list[Directive] = field(default_factory=list)
    reported: list[Directive] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Return how many directives there are in all."""
        return len(self.overdue) + len(self.due_soon) + len(self.later) + len(self.reported)


def my_directives(user: User, today: date | None = None, soon_days: int = DUE_SOON_DAYS) -> MyDirectives:
    """Return the directives owned by the offices a user acts for, grouped: overdue, due within `soon_days`,
    due later, and reported done (awaiting verification); verified and dropped ones are left out."""
    today = today or clock.today()
    mine = offices.office_ids_of(user)
    grouped = MyDirectives()
    if not mine:
        return grouped
    rows = db.session.scalars(
        select(Directive).where(Directive.owner_office_id.in_(mine),
                                Directive.status.not_in([S.VERIFIED.value, S.DROPPED.value]))
        .options(selectinload(Directive.owner_office), selectinload(Directive.meeting).selectinload(Meeting.series))
        .order_by(Directive.due_on, Directive.reference))
    for directive in rows:
        if directive.status is S.REPORTED_DONE:
            grouped.reported.append(directive)
        elif directive.due_on < today:
            grouped.overdue.append(directive)
        elif directive.due_on <= today + timedelta(days=soon_days):
            grouped.due_soon.append(directive)
        else:
            grouped.later.append(directive)
    return grouped


@dataclass(frozen=True)
class BoardRow:
    """One line of the board: a group (an owner office, or an area) and its directives by status."""

    key: int | tuple | None
    label: str
    total: int
    overdue: int
    pending: int
    reported: int
    verified: int
    dropped: int
    oldest_open_days: int | None


def _counts():
    pending = [S.OPEN.value, S.IN_PROGRESS.value, S.REOPENED.value]
    return (func.count(Directive.id),
            func.sum(case((Directive.overdue, 1), else_=0)),
            func.sum(case((Directive.status.in_(pending), 1), else_=0)),
            func.sum(case((Directive.status == S.REPORTED_DONE.value, 1), else_=0)),
            func.sum(case((Directive.status == S.VERIFIED.value, 1), else_=0)),
            func.sum(case((Directive.status == S.DROPPED.value, 1), else_=0)),
            func.min(case((Directive.status.in_(pending), Directive.created_at), else_=None)))


def _oldest(created_at, today: date) -> int | None:
    if created_at is None:
        return None
    if isinstance(created_at, str):  # SQLite hands MIN() of a datetime column back as text
        created_at = datetime.fromisoformat(created_at)
    if created_at.tzinfo is None:
        created_at = created_at.replace(tzinfo=UTC)
    return max((today - clock.local_day(created_at)).days, 0)


def board_by_office(user: User, today: date | None = None) -> list[BoardRow]:
    """Return the directives a user sees, counted by owner office (SQL GROUP BY): the most overdue first."""
    today = today or clock.today()
    counts = _counts()
    rows = db.session.execute(
        select(Office.id, Office.name_hi, Office.name_en, Office.short_name, *counts)
        .join(Directive, Directive.owner_office_id == Office.id).where(visible_condition(user))
        .group_by(Office.id, Office.name_hi, Office.name_en, Office.short_name)
        .order_by(counts[1].desc(), counts[2].desc(), Office.name_hi, Office.id)).all()
    return [BoardRow(row[0], row[3] or pick(row[1], row[2]), row[4], int(row[5] or 0), int(row[6] or 0),
                     int(row[7] or 0), int(row[8] or 0), int(row[9] or 0), _oldest(row[10], today)) for row in rows]


def board_by_area(user: User, today: date | None = None) -> list[BoardRow]:
    """Return the directives a user sees, counted by the area they concern (the state, a division, district or
    block; SQL GROUP BY): the most overdue first. `key` is (division_id, district_id, block_id)."""
    today = today or clock.today()
    counts = _counts()
    rows = db.session.execute(
        select(Directive.division_id, Directive.district_id, Directive.block_id, *counts)
        .where(visible_condition(user))
        .group_by(Directive.division_id, Directive.district_id, Directive.block_id)
        .order_by(counts[1].desc(), counts[2].desc(), Directive.district_id, Directive.block_id)).all()
    names = _place_names(rows)
    return [BoardRow((row[0], row[1], row[2]), names[(row[0], row[1], row[2])], row[3], int(row[4] or 0),
                     int(row[5] or 0), int(row[6] or 0), int(row[7] or 0), int(row[8] or 0),
                     _oldest(row[9], today)) for row in rows]


def _place_names(rows) -> dict[tuple, str]:
    ids = defaultdict(set)
    for division_id, district_id, block_id, *_rest in rows:
        for model, place_id in ((Division, division_id), (District, district_id), (Block, block_id)):
            if place_id is not None:
                ids[model].add(place_id)
    places = {(model, place.id): place for model, wanted in ids.items()
              for place in db.session.scalars(select(model).where(model.id.in_(wanted)))}
    names = {}
    for division_id, district_id, block_id, *_rest in rows:
        place = places.get((Block, block_id)) or places.get((District, district_id)) or \
            places.get((Division, division_id))
        names[(division_id, district_id, block_id)] = localized_name(place) if place is not None else \
            str(_l("Whole state"))
    return names
