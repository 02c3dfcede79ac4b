"""Review meetings and their rules: series (chair's office, area, member offices), meetings numbered in their series
with their links, invitees and agenda, the automatic follow-up item of earlier directives, attendance by the
meeting's QR or ticked by its secretary, and minutes with every revision kept, finalised by the chair's office and
then only corrected (a new, visible revision with its reason).

Who does what (one home for each rule):
- `may_see_series`: admins, state-wide directors see every series; others those of their area, or whose chair or
  member office they act for.
- `may_edit_series`: admins, and the officers of the chair's office.
- `may_keep_minutes`: those who edit the series, and the meeting's secretary (minutes, agenda, attendance ticks).
- `may_finalise`: admins and the officers of the chair's office only.

Directives live in `trainer.meetings.directives`. Every refusal raises MeetingError. Nothing here commits.
"""
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, or_, select, true
from sqlalchemy.orm import selectinload

from trainer.accounts.models import User
from trainer.campaigns.models import Campaign
from trainer.core import clock
from trainer.core.database import lock_for_transaction, utc_now
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.meetings.errors import MeetingError
from trainer.meetings.models import (
    CODE_LENGTH_MAX,
    LINK_LENGTH_MAX,
    REASON_LENGTH_MAX,
    TITLE_LENGTH_MAX,
    AgendaItem,
    AgendaKind,
    AttendanceHow,
    Directive,
    DirectiveEvent,
    DirectiveStatus,
    Meeting,
    MeetingAttendance,
    MeetingInvitee,
    MeetingSeries,
    MeetingStatus,
    MinutesRevision,
    meeting_series_offices,
)
from trainer.offices import services as offices
from trainer.offices.models import (
    DESIGNATION_LENGTH_MAX,
    EMAIL_LENGTH_MAX,
    NAME_LENGTH_MAX,
    PHONE_LENGTH_MAX,
    Office,
)
from trainer.programmes.models import Programme
from trainer.programmes.share import web_link
from trainer.regions.areas import STATE, Area
from trainer.regions.models import Block, District, Division

__all__ = ["MeetingError"]  # re-exported: callers catch services.MeetingError

# The meeting's QR takes marks from this long before it starts until this long after it ends.
ATTENDANCE_OPENS_BEFORE = timedelta(hours=1)
ATTENDANCE_CLOSES_AFTER = timedelta(hours=3)
FOLLOW_UP_TITLE_HI = "पिछली बैठकों के निर्देशों पर की गई कार्यवाही की समीक्षा"
FOLLOW_UP_TITLE_EN = "Review of action taken on the directives of earlier meetings"
# Directives carried to the next meeting: still to be done, or reported done and awaiting the chair's verification.
CARRIED = (DirectiveStatus.OPEN, DirectiveStatus.IN_PROGRESS, DirectiveStatus.REOPENED, DirectiveStatus.REPORTED_DONE)


def _clean(value: str | None, limit: int, message) -> str:
    value = " ".join((value or "").split())
    if len(value) > limit:
        raise MeetingError(message)
    return value


def _text(value: str | None) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def _office(office_id: int | None, message=None) -> Office | None:
    if office_id is None:
        return None
    office = db.session.get(Office, office_id) if 0 < office_id < 2**31 else None
    if office is None:
        raise MeetingError(message or _l("There is no such office."))
    return office


def _area(place) -> Area:
    return Area.of(place) if place is not None else STATE


# Who does what

def is_state_wide(user: User) -> bool:
    """Say whether a user sees every series and directive: an administrator, or a director bound to no division."""
    return user.role is Role.ADMIN or (user.role is Role.DIRECTOR and user.area.is_state)


def may_edit_series(user: User | None, series: MeetingSeries) -> bool:
    """Say whether a user edits a series and its meetings: an administrator, or an officer of its chair's office."""
    if user is None:
        return False
    return user.role is Role.ADMIN or offices.is_officer_of(user, series.chair_office_id)


def may_finalise(user: User | None, meeting: Meeting) -> bool:
    """Say whether a user finalises (and corrects) a meeting's minutes: only an administrator or an officer of the
    chair's office."""
    return may_edit_series(user, meeting.series)


def may_keep_minutes(user: User | None, meeting: Meeting) -> bool:
    """Say whether a user writes the minutes and agenda and ticks attendance: an editor of the series, or the
    meeting's secretary."""
    if user is None:
        return False
    return may_edit_series(user, meeting.series) or (meeting.secretary_id is not None
                                                      and meeting.secretary_id == user.id)


def series_condition(user: User):
    """Return a WHERE clause keeping the series a user sees."""
    if is_state_wide(user):
        return true()
    mine = offices.office_ids_of(user)
    conditions = [offices.area_condition(MeetingSeries, user.area)]
    if mine:
        conditions += [MeetingSeries.chair_office_id.in_(mine),
                       MeetingSeries.id.in_(select(meeting_series_offices.c.series_id)
                                            .where(meeting_series_offices.c.office_id.in_(mine)))]
    return or_(*conditions)


def series_query(user: User) -> Select:
    """Return the series a user sees, by title."""
    return (select(MeetingSeries).where(series_condition(user))
            .options(selectinload(MeetingSeries.chair_office))
            .order_by(MeetingSeries.title_hi, MeetingSeries.id))


def may_see_series(user: User | None, series: MeetingSeries) -> bool:
    """Say whether a user sees a series (its meetings, minutes and directives)."""
    if user is None:
        return False
    if is_state_wide(user) or (series.place is None and user.role in offices.OFFICER_ROLES):
        return True
    if series.place is not None and user.area.contains(series.place):
        return True
    mine = offices.office_ids_of(user)
    return series.chair_office_id in mine or any(o.id in mine for o in series.member_offices)


def meeting_query(user: User) -> Select:
    """Return the meetings a user sees, the latest first."""
    return (select(Meeting).join(MeetingSeries).where(series_condition(user))
            .options(selectinload(Meeting.series))
            .order_by(Meeting.starts_at.desc(), Meeting.id.desc()))


# Series

@dataclass(frozen=True)
class SeriesValues:
    """What an editor gives for a series. `code` (letters, digits, -) starts its directives' reference numbers
    ("GDA" → GDA/2026/03/07); `place`: its division, district or block (None: the state)."""

    code: str
    chair_office_id: int
    title_hi: str = ""
    title_en: str = ""
    place: Division | District | Block | None = None
    member_office_ids: tuple[int, ...] = ()
    programme_id: int | None = None
    campaign_id: int | None = None


def _code(value: str) -> str:
    code = (value or "").strip().upper()
    if not code or len(code) > CODE_LENGTH_MAX or not all(c.isascii() and (c.isalnum() or c == "-") for c in code):
        raise MeetingError(_l("The code is up to %(length)s letters, digits and -, such as GDA.",
                              length=CODE_LENGTH_MAX))
    return code


def save_series(values: SeriesValues, user: User | None, series: MeetingSeries | None = None) -> MeetingSeries:
    """Create a series (series None) or change one; `user` (None: a command) creates it."""
    too_long = _l("A title is at most %(length)s characters.", length=TITLE_LENGTH_MAX)
    title_hi, title_en = _clean(values.title_hi, TITLE_LENGTH_MAX, too_long), \
        _clean(values.title_en, TITLE_LENGTH_MAX, too_long)
    if not title_hi and not title_en:
        raise MeetingError(_l("Give the title in Hindi or in English."))
    code = _code(values.code)
    other = db.session.scalar(select(MeetingSeries.id).where(MeetingSeries.code == code))
    if other is not None and (series is None or other != series.id):
        raise MeetingError(_l("Another series has the code %(code)s.", code=code))
    if series is not None and code != series.code and series.meetings and any(m.directives for m in series.meetings):
        raise MeetingError(_l("Directives carry this series' code in their numbers: it stays as it is."))
    chair = _office(values.chair_office_id, _l("Choose the chair's office."))
    if chair is None:
        raise MeetingError(_l("Choose the chair's office."))
    place = values.place
    if place is not None and not isinstance(place, Division | District | Block):
        raise MeetingError(_l("A series covers the state, a division, a district or a block."))
    members = [_office(office_id) for office_id in dict.fromkeys(values.member_office_ids)]
    programme = campaign = None
    if values.programme_id is not None:
        programme = db.session.get(Programme, values.programme_id) if 0 < values.programme_id < 2**31 else None
        if programme is None:
            raise MeetingError(_l("There is no such programme."))
    if values.campaign_id is not None:
        campaign = db.session.get(Campaign, values.campaign_id) if 0 < values.campaign_id < 2**31 else None
        if campaign is None:
            raise MeetingError(_l("There is no such campaign."))
    if series is None:
        series = MeetingSeries(created_by_id=user.id if user is not None else None)
        db.session.add(series)
    series.title_hi, series.title_en, series.code = title_hi, title_en, code
    series.chair_office = chair
    series.division = place if isinstance(place, Division) else None
    series.district = place if isinstance(place, District) else None
    series.block = place if isinstance(place, Block) else None
    series.member_offices = members
    series.programme, series.campaign = programme, campaign
    db.session.flush()
    return series


def load_series(series_id: int) -> MeetingSeries | None:
    """Return a series with its offices and meetings, or None."""
    if not 0 < series_id < 2**31:
        return None
    return db.session.scalar(select(MeetingSeries).where(MeetingSeries.id == series_id).options(
        selectinload(MeetingSeries.chair_office), selectinload(MeetingSeries.member_offices),
        selectinload(MeetingSeries.meetings)))


# Meetings

@dataclass(frozen=True)
class MeetingValues:
    """What an editor gives for a meeting: when, where (venue and/or the links a session has), whether its page is
    public, its chair and secretary."""

    starts_at: datetime
    ends_at: datetime
    venue: str = ""
    youtube_url: str = ""
    webcast_url: str = ""
    meeting_url: str = ""
    meeting_details: str = ""
    public: bool = False
    chair_name: str = ""
    chair_designation: str = ""
    secretary_id: int | None = None


def _link(url: str) -> str:
    url = (url or "").strip()
    if url and (len(url) > LINK_LENGTH_MAX or web_link(url) is None):
        raise MeetingError(_l("Give a full web address starting with https://."))
    return url


def _apply_meeting(meeting: Meeting, values: MeetingValues) -> None:
    if values.starts_at.tzinfo is None or values.ends_at.tzinfo is None:
        raise ValueError("meeting times are aware datetimes")
    if values.ends_at <= values.starts_at:
        raise MeetingError(_l("The meeting cannot end before it starts."))
    secretary = None
    if values.secretary_id is not None:
        secretary = db.session.get(User, values.secretary_id) if 0 < values.secretary_id < 2**31 else None
        if secretary is None or secretary.role not in offices.OFFICER_ROLES:
            raise MeetingError(_l("The meeting's secretary is a member of staff with an account."))
    meeting.starts_at, meeting.ends_at = values.starts_at, values.ends_at
    meeting.venue = _text(values.venue)
    meeting.youtube_url, meeting.webcast_url, meeting.meeting_url = \
        _link(values.youtube_url), _link(values.webcast_url), _link(values.meeting_url)
    meeting.meeting_details = _text(values.meeting_details)
    meeting.public = bool(values.public)
    meeting.chair_name = _clean(values.chair_name, NAME_LENGTH_MAX,
                                _l("A name is at most %(length)s characters.", length=NAME_LENGTH_MAX))
    meeting.chair_designation = _clean(values.chair_designation, DESIGNATION_LENGTH_MAX, _l(
        "The designation is at most %(length)s characters.", length=DESIGNATION_LENGTH_MAX))
    meeting.secretary = secretary


def create_meeting(series: MeetingSeries, values: MeetingValues, user: User | None) -> Meeting:
    """Add the next meeting of a series (numbered after its last), in draft."""
    lock_for_transaction(f"meeting-number:{series.id}")
    number = (db.session.scalar(select(func.max(Meeting.number)).where(Meeting.series_id == series.id)) or 0) + 1
    meeting = Meeting(number=number, created_by_id=user.id if user is not None else None,
                      status=MeetingStatus.DRAFT)
    _apply_meeting(meeting, values)
    series.meetings.append(meeting)
    db.session.flush()
    return meeting


def update_meeting(meeting: Meeting, values: MeetingValues) -> Meeting:
    """Change a meeting's time, place, links, chair or secretary (not once its minutes are final)."""
    _refuse_final(meeting)
    _apply_meeting(meeting, values)
    db.session.flush()
    return meeting


def record_notice_sent(meeting: Meeting) -> None:
    """Note that the meeting's notice went to its invitees (the messages themselves go through the outbox)."""
    _refuse_final(meeting)
    meeting.notice_sent_at = utc_now()
    if meeting.status is MeetingStatus.DRAFT:
        meeting.status = MeetingStatus.NOTICE_SENT
    db.session.flush()


def mark_held(meeting: Meeting) -> None:
    """Note that the meeting took place (its minutes may still be written)."""
    _refuse_final(meeting)
    meeting.status = MeetingStatus.HELD
    db.session.flush()


def load_meeting(meeting_id: int) -> Meeting | None:
    """Return a meeting with its series, invitees, agenda (with minutes), attendance and directives, or None."""
    if not 0 < meeting_id < 2**31:
        return None
    return db.session.scalar(select(Meeting).where(Meeting.id == meeting_id).options(
        selectinload(Meeting.series).selectinload(MeetingSeries.chair_office),
        selectinload(Meeting.invitees), selectinload(Meeting.attendances),
        selectinload(Meeting.agenda_items).selectinload(AgendaItem.revisions),
        selectinload(Meeting.directives)))


def meeting_by_token(token: str) -> Meeting | None:
    """Return the meeting whose attendance QR carries this token, or None."""
    token = (token or "").strip()
    if not token or len(token) > 64:
        return None
    return db.session.scalar(select(Meeting).where(Meeting.attendance_token == token))


def _refuse_final(meeting: Meeting) -> None:
    if meeting.finalised:
        raise MeetingError(_l("The minutes of this meeting are final: it can no longer be changed, only corrected."))


# Invitees

@dataclass(frozen=True)
class PersonValues:
    """A named person (invited, or present without an account): name, designation, office, phone, e-mail."""

    name: str
    designation: str = ""
    office_text: str = ""
    phone: str = ""
    email: str = ""


def _person(values: PersonValues) -> dict:
    name = _clean(values.name, NAME_LENGTH_MAX, _l("A name is at most %(length)s characters.", length=NAME_LENGTH_MAX))
    if not name:
        raise MeetingError(_l("Give the person's name."))
    designation = _clean(values.designation, DESIGNATION_LENGTH_MAX, _l(
        "The designation is at most %(length)s characters.", length=DESIGNATION_LENGTH_MAX))
    office_text = _clean(values.office_text, NAME_LENGTH_MAX,
                         _l("A name is at most %(length)s characters.", length=NAME_LENGTH_MAX))
    return {"name": name, "designation": designation, "office_text": office_text}


def invite_office(meeting: Meeting, office: Office) -> MeetingInvitee:
    """Invite an office (its officers receive the notice); inviting it again changes nothing."""
    _refuse_final(meeting)
    found = next((i for i in meeting.invitees if i.office_id == office.id), None)
    if found is None:
        found = MeetingInvitee(office=office)
        meeting.invitees.append(found)
        db.session.flush()
    return found


def invite_user(meeting: Meeting, user: User) -> MeetingInvitee:
    """Invite an officer with an account; inviting one again changes nothing."""
    _refuse_final(meeting)
    if user.role not in offices.OFFICER_ROLES:
        raise MeetingError(_l("Only members of staff are invited by their account."))
    found = next((i for i in meeting.invitees if i.user_id == user.id), None)
    if found is None:
        found = MeetingInvitee(user=user)
        meeting.invitees.append(found)
        db.session.flush()
    return found


def invite_person(meeting: Meeting, values: PersonValues) -> MeetingInvitee:
    """Invite a named person without an account."""
    _refuse_final(meeting)
    fields = _person(values)
    phone = _clean(values.phone, PHONE_LENGTH_MAX, _l("Give the phone number as digits."))
    if phone and not offices.PHONE.fullmatch(phone):
        raise MeetingError(_l("Give the phone number as digits."))
    email = (values.email or "").strip()
    if email and (len(email) > EMAIL_LENGTH_MAX or not offices.EMAIL.fullmatch(email)):
        raise MeetingError(_l("Give an e-mail address such as name@example.gov.in."))
    invitee = MeetingInvitee(**fields, phone=phone, email=email)
    meeting.invitees.append(invitee)
    db.session.flush()
    return invitee


def remove_invitee(meeting: Meeting, invitee: MeetingInvitee) -> None:
    """Take an invitee off a meeting's list."""
    _refuse_final(meeting)
    if invitee in meeting.invitees:
        meeting.invitees.remove(invitee)
        db.session.flush()


# Agenda

def _agenda_title(title_hi: str, title_en: str) -> tuple[str, str]:
    too_long = _l("A title is at most %(length)s characters.", length=TITLE_LENGTH_MAX)
    title_hi, title_en = _clean(title_hi, TITLE_LENGTH_MAX, too_long), _clean(title_en, TITLE_LENGTH_MAX, too_long)
    if not title_hi and not title_en:
        raise MeetingError(_l("Give the item's title in Hindi or in English."))
    return title_hi, title_en


def _renumber(meeting: Meeting, items: list[AgendaItem]) -> None:
    """Give the items positions 1, 2, … in this order (moving them out of the way first, for the unique
    (meeting, position))."""
    for offset, item in enumerate(items):
        item.position = -1 - offset
    db.session.flush()
    for number, item in enumerate(items, start=1):
        item.position = number
    db.session.flush()
    meeting.agenda_items.sort(key=lambda i: i.position)


def add_agenda_item(meeting: Meeting, title_hi: str = "", title_en: str = "",
                    presenting_office_id: int | None = None) -> AgendaItem:
    """Add an item at the end of the agenda, with the office that presents it."""
    _refuse_final(meeting)
    title_hi, title_en = _agenda_title(title_hi, title_en)
    item = AgendaItem(title_hi=title_hi, title_en=title_en, kind=AgendaKind.NORMAL,
                      presenting_office=_office(presenting_office_id),
                      position=max((i.position for i in meeting.agenda_items), default=0) + 1)
    meeting.agenda_items.append(item)
    db.session.flush()
    return item


def update_agenda_item(item: AgendaItem, title_hi: str = "", title_en: str = "",
                       presenting_office_id: int | None = None) -> AgendaItem:
    """Change an item's title or presenting office."""
    _refuse_final(item.meeting)
    item.title_hi, item.title_en = _agenda_title(title_hi, title_en)
    item.presenting_office = _office(presenting_office_id)
    db.session.flush()
    return item


def move_agenda_item(item: AgendaItem, position: int) -> None:
    """Move an item to a position (1 is the first; beyond the end is the last); the follow-up item stays first."""
    meeting = item.meeting
    _refuse_final(meeting)
    items = [i for i in meeting.agenda_items if i is not item]
    lowest = 1 if items and items[0].kind is AgendaKind.FOLLOW_UP and item.kind is not AgendaKind.FOLLOW_UP else 0
    if item.kind is AgendaKind.FOLLOW_UP:
        position = 1
    index = min(max(position - 1, lowest), len(items))
    items.insert(index, item)
    _renumber(meeting, items)


def remove_agenda_item(item: AgendaItem) -> None:
    """Remove an item that has no minutes and no directives."""
    meeting = item.meeting
    _refuse_final(meeting)
    if item.revisions or db.session.scalar(select(func.count()).select_from(Directive)
                                           .where(Directive.agenda_item_id == item.id)):
        raise MeetingError(_l("Minutes or directives are written under this item: it stays."))
    rest = [i for i in meeting.agenda_items if i is not item]
    meeting.agenda_items.remove(item)
    db.session.flush()
    _renumber(meeting, rest)


def follow_up_item(meeting: Meeting) -> AgendaItem | None:
    """Return the meeting's follow-up item, or None."""
    return next((i for i in meeting.agenda_items if i.kind is AgendaKind.FOLLOW_UP), None)


def carried_directives(meeting: Meeting) -> list[Directive]:
    """Return what the follow-up item lists: the directives of the series' earlier meetings that are still open,
    in progress, reopened or reported done (awaiting verification), and those settled in this meeting — overdue
    first, then by due date and reference."""
    earlier = select(Meeting.id).where(Meeting.series_id == meeting.series_id, Meeting.number < meeting.number)
    settled_here = select(DirectiveEvent.directive_id).where(DirectiveEvent.meeting_id == meeting.id)
    return list(db.session.scalars(
        select(Directive).where(Directive.meeting_id.in_(earlier),
                                or_(Directive.status.in_([s.value for s in CARRIED]), Directive.id.in_(settled_here)))
        .options(selectinload(Directive.owner_office), selectinload(Directive.reports),
                 selectinload(Directive.meeting))
        .order_by(Directive.overdue.desc(), Directive.due_on, Directive.reference)))


def open_follow_up(meeting: Meeting) -> AgendaItem | None:
    """Give a meeting (not the first of its series) its first agenda item, the follow-up of the earlier meetings'
    directives listed by `carried_directives`; return it, or None when there is nothing earlier to follow up.
    Calling it again returns the same item."""
    found = follow_up_item(meeting)
    if found is not None:
        return found
    if meeting.number <= 1:
        return None
    _refuse_final(meeting)
    lock_for_transaction(f"meeting-follow-up:{meeting.id}")
    item = AgendaItem(title_hi=FOLLOW_UP_TITLE_HI, title_en=FOLLOW_UP_TITLE_EN, kind=AgendaKind.FOLLOW_UP,
                      presenting_office=meeting.series.chair_office,
                      position=max((i.position for i in meeting.agenda_items), default=0) + 1)
    meeting.agenda_items.append(item)
    db.session.flush()
    _renumber(meeting, [item, *[i for i in meeting.agenda_items if i is not item]])
    return item


# Attendance

def attendance_open(meeting: Meeting, now: datetime | None = None) -> bool:
    """Say whether the meeting's QR takes marks now: from an hour before it starts to three hours after it ends,
    and not once its minutes are final."""
    now = now or clock.now()
    return (not meeting.finalised and meeting.starts_at - ATTENDANCE_OPENS_BEFORE <= now
            <= meeting.ends_at + ATTENDANCE_CLOSES_AFTER)


def _office_for(meeting: Meeting, user: User) -> Office | None:
    """Return the office a recognised officer attends for: an invited or member office of theirs, else their
    first."""
    mine = offices.offices_of(user)
    wanted = {i.office_id for i in meeting.invitees if i.office_id} | {o.id for o in meeting.series.member_offices} \
        | {meeting.series.chair_office_id}
    return next((o for o in mine if o.id in wanted), mine[0] if mine else None)


def _mark(meeting: Meeting, how: AttendanceHow, marked_by: User | None, user: User | None,
          person: PersonValues | None) -> MeetingAttendance:
    if user is not None:
        lock_for_transaction(f"meeting-attendance:{meeting.id}:{user.id}")
        found = db.session.scalar(select(MeetingAttendance).where(MeetingAttendance.meeting_id == meeting.id,
                                                                  MeetingAttendance.user_id == user.id))
        if found is not None:
            return found
        office = _office_for(meeting, user)
        row = MeetingAttendance(user=user, office=office, name=user.full_name or user.username,
                                designation=offices.designation_of(user, office.id if office else None),
                                office_text=office.text("name") if office is not None else "")
    elif person is not None:
        row = MeetingAttendance(**_person(person))
    else:
        raise MeetingError(_l("Give the person's name."))
    row.how, row.marked_by = how, marked_by
    meeting.attendances.append(row)
    db.session.flush()
    return row


def mark_by_qr(meeting: Meeting, user: User | None = None, person: PersonValues | None = None,
               now: datetime | None = None) -> MeetingAttendance:
    """Record one presence from the meeting's QR: a signed-in officer is recognised (name, office, designation
    from the account; a second scan returns the first mark), anyone else gives name, designation and office."""
    if not attendance_open(meeting, now):
        raise MeetingError(_l("The attendance of this meeting is closed."))
    if user is not None and user.role not in offices.OFFICER_ROLES:
        user = None
    return _mark(meeting, AttendanceHow.QR, user, user, person if user is None else None)


def tick_attendance(meeting: Meeting, by: User, user: User | None = None,
                    person: PersonValues | None = None) -> MeetingAttendance:
    """Record a presence ticked by the meeting's secretary (or an editor of the series): an officer with an
    account, or a named person."""
    if not may_keep_minutes(by, meeting):
        raise MeetingError(_l("Only the meeting's secretary or the chair's office records attendance."))
    _refuse_final(meeting)
    return _mark(meeting, AttendanceHow.TICKED, by, user, person)


def remove_attendance(meeting: Meeting, by: User, attendance: MeetingAttendance) -> None:
    """Take a presence off the list (a mistake of the secretary's)."""
    if not may_keep_minutes(by, meeting):
        raise MeetingError(_l("Only the meeting's secretary or the chair's office records attendance."))
    _refuse_final(meeting)
    if attendance in meeting.attendances:
        meeting.attendances.remove(attendance)
        db.session.flush()


def present(meeting: Meeting) -> list[MeetingAttendance]:
    """Return who was present, as the minutes list them: by office, then name."""
    return sorted(meeting.attendances, key=lambda a: (a.office_text or "~", a.name, a.id))


# Minutes

@dataclass(frozen=True)
class MinutesValues:
    """The text of an agenda item's minutes: the discussion and the decisions, in Hindi (English optional)."""

    discussion_hi: str = ""
    decisions_hi: str = ""
    discussion_en: str = ""
    decisions_en: str = ""


def _revise(item: AgendaItem, by: User | None, values: MinutesValues, correction: bool,
            reason: str = "") -> MinutesRevision:
    lock_for_transaction(f"minutes:{item.id}")
    texts = {name: _text(getattr(values, name))
             for name in ("discussion_hi", "discussion_en", "decisions_hi", "decisions_en")}
    if not any(texts.values()):
        raise MeetingError(_l("Write the discussion or the decisions."))
    current = item.current_minutes
    if current is not None and not correction and all(getattr(current, k) == v for k, v in texts.items()):
        return current
    number = (db.session.scalar(select(func.max(MinutesRevision.number))
                                .where(MinutesRevision.agenda_item_id == item.id)) or 0) + 1
    revision = MinutesRevision(number=number, correction=correction, reason=reason,
                               written_by_id=by.id if by is not None else None, **texts)
    item.revisions.append(revision)
    db.session.flush()
    return revision


def write_minutes(item: AgendaItem, by: User | None, values: MinutesValues) -> MinutesRevision:
    """Save an agenda item's minutes as a new revision (the earlier ones are kept; the same text again adds none).
    Refused once the minutes are final: then only `correct_minutes`."""
    meeting = item.meeting
    if by is not None and not may_keep_minutes(by, meeting):
        raise MeetingError(_l("Only the meeting's secretary or the chair's office writes the minutes."))
    _refuse_final(meeting)
    return _revise(item, by, values, correction=False)


def finalise_minutes(meeting: Meeting, by: User | None) -> None:
    """Make a meeting's minutes final (only the chair's office or an administrator; `by` None: a command): they
    are then locked, and a change is a correction."""
    if by is not None and not may_finalise(by, meeting):
        raise MeetingError(_l("Only the chair's office finalises the minutes."))
    if meeting.finalised:
        raise MeetingError(_l("The minutes of this meeting are final already."))
    if not any(item.revisions for item in meeting.agenda_items):
        raise MeetingError(_l("Write the minutes of at least one agenda item before finalising them."))
    meeting.minutes_finalised_at = utc_now()
    meeting.minutes_finalised_by_id = by.id if by is not None else None
    meeting.status = MeetingStatus.MINUTES_FINAL
    db.session.flush()


def correct_minutes(item: AgendaItem, by: User | None, values: MinutesValues, reason: str) -> MinutesRevision:
    """Correct final minutes: a new revision flagged as a correction, with its reason; the text before it stays."""
    meeting = item.meeting
    if by is not None and not may_finalise(by, meeting):
        raise MeetingError(_l("Only the chair's office corrects final minutes."))
    if not meeting.finalised:
        raise MeetingError(_l("The minutes are not final yet: change them instead of correcting them."))
    reason = _clean(reason, REASON_LENGTH_MAX,
                    _l("The reason is at most %(length)s characters.", length=REASON_LENGTH_MAX))
    if not reason:
        raise MeetingError(_l("Give the reason for the correction."))
    return _revise(item, by, values, correction=True, reason=reason)
