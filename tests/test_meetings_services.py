"""Review meetings' rules: series and numbered meetings, agenda order and the automatic follow-up item, attendance by
QR and ticks, minutes revisions, finalisation and corrections; directives — reference numbers, due dates, the state
machine (every allowed and refused move), action-taken reports by the owner office and their files, extensions,
overdue in SQL and Python, my directives and the board."""
import io
from datetime import UTC, date, datetime, timedelta

import pytest
from PIL import Image
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.meetings import directives, services
from trainer.meetings.directives import MOVES, Attachment, DirectiveValues, ReportValues
from trainer.meetings.models import (
    ActionTakenReport,
    AgendaKind,
    AttendanceHow,
    Directive,
    DirectiveEvent,
    DirectiveStatus,
    MeetingAttendance,
    MeetingStatus,
    MinutesRevision,
)
from trainer.meetings.services import MeetingError, MeetingValues, MinutesValues, PersonValues, SeriesValues
from trainer.offices import services as offices
from trainer.offices.services import OfficeValues

S = DirectiveStatus
TODAY = date(2026, 12, 8)
NOW = datetime(2026, 12, 8, 5, 0, tzinfo=UTC)  # 10:30 in Asia/Kolkata


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW)


def refusal(call, *args, **kwargs) -> str:
    """Return the message of the MeetingError that a service raises (in Hindi, the default language)."""
    with pytest.raises(MeetingError) as refused:
        call(*args, **kwargs)
    db.session.rollback()
    return str(refused.value.message)


class World:
    """Two offices with officers, a series chaired by the first, one meeting."""

    def __init__(self, places, make_user):
        self.district = places.district(111)
        self.chair_user = make_user("dc", Role.DISTRICT_OFFICER)
        self.owner_user = make_user("bdo", Role.BLOCK_OFFICER)
        self.other_user = make_user("other", Role.BLOCK_OFFICER, area_code=1112)
        self.admin = make_user("admin", Role.ADMIN)
        self.chair = offices.save_office(OfficeValues("उपायुक्त कार्यालय", "DC office", "DC", self.district))
        self.owner = offices.save_office(OfficeValues("प्रखंड कार्यालय", "Block office", "BDO", places.block(1111)))
        self.other = offices.save_office(OfficeValues("दूसरा प्रखंड", "Other block", "BDO2", places.block(1112)))
        offices.add_officer(self.chair, self.chair_user, "उपायुक्त")
        offices.add_officer(self.owner, self.owner_user, "प्रखंड विकास पदाधिकारी")
        offices.add_officer(self.other, self.other_user, "प्रखंड विकास पदाधिकारी")
        self.series = services.save_series(SeriesValues(
            code="gda", chair_office_id=self.chair.id, title_hi="जेएसएलपीएस मासिक समीक्षा", title_en="JSLPS review",
            place=self.district, member_office_ids=(self.owner.id, self.other.id)), self.chair_user)
        self.meeting = self.new_meeting(NOW + timedelta(hours=1))
        db.session.commit()

    def new_meeting(self, starts_at):
        return services.create_meeting(self.series, MeetingValues(
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), venue="समाहरणालय सभागार",
            meeting_url="https://vc.nic.in/room/42", chair_name="श्री क", chair_designation="उपायुक्त"),
            self.chair_user)

    def directive(self, meeting=None, **values):
        values = {"owner_office_id": self.owner.id, "text_hi": "शेष परिवारों को समूह से जोड़ें",
                  "within_days": 7, **values}
        return directives.create_directive(meeting or self.meeting, DirectiveValues(**values), self.chair_user)


@pytest.fixture
def world(app, places, make_user):
    return World(places, make_user)



def a_pdf() -> bytes:
    import pypdfium2
    document = pypdfium2.PdfDocument.new()
    document.new_page(200, 200)
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()


def a_png() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def a_jpeg() -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "blue").save(buffer, format="JPEG")
    return buffer.getvalue()


# Series and meetings

def test_meetings_are_numbered_in_their_series_and_the_code_is_kept_upper_case(world):
    second = world.new_meeting(NOW + timedelta(days=30))
    db.session.commit()
    assert (world.meeting.number, second.number) == (1, 2)
    assert world.series.code == "GDA" and world.meeting.status is MeetingStatus.DRAFT
    assert len(world.meeting.attendance_token) >= 20 and world.meeting.attendance_token != second.attendance_token
    assert [o.id for o in world.series.member_offices] == [world.owner.id, world.other.id]


def test_a_series_refuses_a_taken_code_a_missing_chair_and_a_bad_code(world):
    assert "GDA" in refusal(services.save_series, SeriesValues(code="GDA", chair_office_id=world.chair.id,
                                                               title_en="Another"), None)
    refusal(services.save_series, SeriesValues(code="X Y", chair_office_id=world.chair.id, title_en="A"), None)
    refusal(services.save_series, SeriesValues(code="XY", chair_office_id=999, title_en="A"), None)
    refusal(services.save_series, SeriesValues(code="XY", chair_office_id=world.chair.id), None)


def test_a_meeting_refuses_a_link_that_is_not_a_web_address_and_an_end_before_its_start(world):
    values = MeetingValues(starts_at=NOW, ends_at=NOW + timedelta(hours=1), youtube_url="javascript:alert(1)")
    refusal(services.update_meeting, world.meeting, values)
    refusal(services.update_meeting, world.meeting, MeetingValues(starts_at=NOW, ends_at=NOW))
    assert world.meeting.youtube_url == "" and world.meeting.meeting_url == "https://vc.nic.in/room/42"


def test_who_sees_and_edits_a_series(world, make_user, places):
    director = make_user("director", Role.DIRECTOR)
    far = make_user("far", Role.DISTRICT_OFFICER, area_code=121)
    assert services.may_see_series(director, world.series) and services.may_see_series(world.owner_user, world.series)
    assert not services.may_see_series(far, world.series)
    offices.add_officer(world.other, far)
    assert services.may_see_series(far, world.series)  # a member office's officer
    assert services.may_edit_series(world.chair_user, world.series) and services.may_edit_series(world.admin,
                                                                                                world.series)
    assert not services.may_edit_series(world.owner_user, world.series)
    seen = {s.id for s in db.session.scalars(services.series_query(far))}
    assert seen == {world.series.id}
    offices.remove_officer(world.other, far)
    assert not list(db.session.scalars(services.series_query(far)))


# Agenda and the follow-up

def test_agenda_items_keep_their_order_and_move(world):
    items = [services.add_agenda_item(world.meeting, f"विषय {n}", presenting_office_id=world.owner.id)
             for n in (1, 2, 3)]
    services.move_agenda_item(items[2], 1)
    assert [i.title_hi for i in world.meeting.agenda_items] == ["विषय 3", "विषय 1", "विषय 2"]
    services.move_agenda_item(items[2], 99)
    services.remove_agenda_item(items[0])
    db.session.commit()
    assert [(i.position, i.title_hi) for i in world.meeting.agenda_items] == [(1, "विषय 2"), (2, "विषय 3")]
    refusal(services.add_agenda_item, world.meeting)


def test_the_follow_up_item_lists_earlier_open_and_overdue_directives_and_is_made_once(world, monkeypatch):
    first = world.meeting
    done, pending, overdue = world.directive(), world.directive(within_days=30), world.directive(within_days=2)
    dropped = world.directive()
    directives.change_status(dropped, S.DROPPED, world.chair_user, reason="दोहराव")
    directives.report_action_taken(done, world.owner_user, ReportValues("सब जोड़े गए", 120), done=True)
    directives.change_status(done, S.VERIFIED, world.chair_user)
    db.session.commit()
    later = NOW + timedelta(days=10)
    monkeypatch.setattr(clock, "now", lambda: later)
    second = world.new_meeting(later + timedelta(hours=1))
    services.add_agenda_item(second, "नया विषय")
    item = services.open_follow_up(second)
    db.session.commit()
    assert services.open_follow_up(second) is item
    assert [(i.position, i.kind) for i in second.agenda_items] == [(1, AgendaKind.FOLLOW_UP), (2, AgendaKind.NORMAL)]
    carried = services.carried_directives(second)
    assert [d.id for d in carried] == [overdue.id, pending.id]  # overdue first; verified and dropped left out
    assert carried[0].overdue and not carried[1].overdue
    # Settled in this meeting, it stays on this meeting's list; the first meeting has nothing to follow up.
    directives.change_status(pending, S.DROPPED, world.chair_user, reason="अब आवश्यक नहीं", meeting=second)
    assert [d.id for d in services.carried_directives(second)] == [overdue.id, pending.id]
    assert services.open_follow_up(first) is None
    assert first.directives[0].reference == "GDA/2026/01/01"


# Attendance

def test_an_officer_is_recognised_by_the_qr_once_and_others_give_their_name(world):
    mark = services.mark_by_qr(world.meeting, world.owner_user)
    again = services.mark_by_qr(world.meeting, world.owner_user)
    guest = services.mark_by_qr(world.meeting, person=PersonValues("रीना देवी", "डीपीएम", "जेएसएलपीएस"))
    db.session.commit()
    assert again is mark and mark.office_id == world.owner.id
    assert (mark.designation, mark.office_text, mark.how) == ("प्रखंड विकास पदाधिकारी", "प्रखंड कार्यालय",
                                                              AttendanceHow.QR)
    assert guest.user_id is None and guest.name == "रीना देवी"
    assert db.session.scalar(select(func.count()).select_from(MeetingAttendance)) == 2
    refusal(services.mark_by_qr, world.meeting, person=PersonValues(""))


def test_attendance_is_unique_per_officer_in_the_database(world):
    services.mark_by_qr(world.meeting, world.owner_user)
    db.session.commit()
    db.session.add(MeetingAttendance(meeting_id=world.meeting.id, user_id=world.owner_user.id, how=AttendanceHow.TICKED))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_the_qr_is_closed_outside_the_meeting_and_ticks_are_the_secretarys(world, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=1))
    refusal(services.mark_by_qr, world.meeting, world.owner_user)
    refusal(services.tick_attendance, world.meeting, world.owner_user, world.other_user)
    ticked = services.tick_attendance(world.meeting, world.chair_user, world.other_user)
    assert ticked.how is AttendanceHow.TICKED and ticked.marked_by_id == world.chair_user.id
    assert services.meeting_by_token(world.meeting.attendance_token) is world.meeting
    assert services.meeting_by_token("nothing") is None


# Minutes

def test_minutes_keep_every_revision_and_only_the_chairs_office_finalises(world):
    item = services.add_agenda_item(world.meeting, "एसएचजी से जोड़ना")
    services.write_minutes(item, world.chair_user, MinutesValues("चर्चा हुई", "निर्णय हुआ"))
    services.write_minutes(item, world.chair_user, MinutesValues("चर्चा हुई", "निर्णय हुआ"))  # no change, no revision
    services.write_minutes(item, world.chair_user, MinutesValues("चर्चा हुई, विस्तार से", "निर्णय हुआ"))
    db.session.commit()
    assert [r.number for r in item.revisions] == [1, 2] and item.current_minutes.discussion_hi.endswith("विस्तार से")
    refusal(services.write_minutes, item, world.owner_user, MinutesValues("मेरी बात"))
    refusal(services.finalise_minutes, world.meeting, world.owner_user)
    services.finalise_minutes(world.meeting, world.chair_user)
    db.session.commit()
    assert world.meeting.status is MeetingStatus.MINUTES_FINAL and world.meeting.minutes_finalised_by_id == \
        world.chair_user.id


def test_final_minutes_are_not_edited_and_a_correction_keeps_the_old_text(world):
    item = services.add_agenda_item(world.meeting, "एसएचजी से जोड़ना")
    services.write_minutes(item, world.chair_user, MinutesValues("पुरानी चर्चा", "पुराना निर्णय"))
    services.finalise_minutes(world.meeting, world.admin)
    db.session.commit()
    assert "अंतिम" in refusal(services.write_minutes, item, world.chair_user, MinutesValues("नई चर्चा"))
    refusal(services.add_agenda_item, world.meeting, "और")
    refusal(world.directive)
    refusal(services.correct_minutes, item, world.chair_user, MinutesValues("नई चर्चा"), "")
    refusal(services.correct_minutes, item, world.owner_user, MinutesValues("नई चर्चा"), "भूल")
    corrected = services.correct_minutes(item, world.chair_user, MinutesValues("नई चर्चा", "पुराना निर्णय"),
                                         "टंकण की भूल")
    db.session.commit()
    revisions = list(db.session.scalars(select(MinutesRevision).order_by(MinutesRevision.number)))
    assert [(r.discussion_hi, r.correction, r.reason) for r in revisions] == [
        ("पुरानी चर्चा", False, ""), ("नई चर्चा", True, "टंकण की भूल")]
    assert item.current_minutes is corrected


# Directives: creation

def test_reference_numbers_are_made_by_the_service_and_unique(world):
    made = [world.directive() for _ in range(3)]
    db.session.commit()
    assert [d.reference for d in made] == ["GDA/2026/01/01", "GDA/2026/01/02", "GDA/2026/01/03"]
    second = world.new_meeting(NOW + timedelta(days=3))
    assert world.directive(second).reference == "GDA/2026/02/01"
    db.session.commit()
    db.session.add(Directive(meeting_id=second.id, number=9, reference="GDA/2026/01/01", text_hi="x",
                             owner_office_id=world.owner.id, due_on=TODAY))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_within_n_days_is_a_date_from_the_meeting_day_and_the_area_defaults_to_the_owners(world, places):
    directive = world.directive(within_days=7, priority="high", target_percent=100)
    assert directive.due_on == TODAY + timedelta(days=7) and directive.block is places.block(1111)
    assert directive.events[0].from_status is None and directive.events[0].to_status is S.OPEN
    assert directive.target_percent == 100 and directive.priority.value == "high"


def test_a_directive_without_an_owner_or_due_in_the_past_is_refused_and_nothing_is_written(world, places):
    assert "कार्यालय" in refusal(world.directive, owner_office_id=None)
    refusal(world.directive, within_days=None, due_on=TODAY - timedelta(days=1))
    refusal(world.directive, within_days=None)
    refusal(world.directive, within_days=3, due_on=TODAY)
    refusal(world.directive, owner_office_id=10**6)
    refusal(world.directive, within_days=0)
    refusal(world.directive, owner_user_id=world.other_user.id)  # not an officer of the owner office
    refusal(world.directive, place=places.district(121))  # outside the series' district
    refusal(world.directive, target_percent=101)
    refusal(world.directive, text_hi="")
    refusal(directives.create_directive, world.meeting, DirectiveValues(world.owner.id, "x", within_days=1),
            world.owner_user)
    assert db.session.scalar(select(func.count()).select_from(Directive)) == 0
    assert db.session.scalar(select(func.count()).select_from(DirectiveEvent)) == 0
    assert world.directive(within_days=None, due_on=TODAY).due_on == TODAY  # today itself is not past


# Directives: the state machine

ALL_MOVES = [(a, b) for a in S for b in S if a is not b]


def _put(directive, status):
    """Put a directive in a status directly (the moves to get there are tested on their own)."""
    directive.status = status
    directive.drop_reason = "पहले से" if status is S.DROPPED else ""
    db.session.flush()


@pytest.mark.parametrize(("start", "to"), ALL_MOVES, ids=[f"{a}-{b}" for a, b in ALL_MOVES])
def test_every_move_of_the_table_is_allowed_and_every_other_refused(world, start, to):
    """Reporting done goes through an action-taken report; open reaches it through in progress (its own test)."""
    directive = world.directive()
    _put(directive, start)
    allowed = to in MOVES[start]
    if to is S.REPORTED_DONE:
        if allowed:
            directives.report_action_taken(directive, world.owner_user, ReportValues("कार्य पूर्ण"), done=True)
            assert directive.status is S.REPORTED_DONE
        else:
            with pytest.raises(MeetingError):
                directives.change_status(directive, to, world.owner_user)
            if start in (S.VERIFIED, S.DROPPED):  # settled: no report reopens it
                with pytest.raises(MeetingError):
                    directives.report_action_taken(directive, world.owner_user, ReportValues("कार्य पूर्ण"), done=True)
            assert directive.status is start
        return
    by = world.owner_user if to in directives.OWNER_MOVES else world.chair_user
    if allowed:
        event = directives.change_status(directive, to, by, reason="आवश्यक नहीं" if to is S.DROPPED else "")
        assert (event.from_status, event.to_status, directive.status) == (start, to, to)
        assert event.by_id == by.id
    else:
        assert refusal(directives.change_status, directive, to, by, reason="x")


def test_the_table_of_moves_is_the_one_the_department_uses():
    assert MOVES == {
        S.OPEN: {S.IN_PROGRESS, S.DROPPED}, S.IN_PROGRESS: {S.REPORTED_DONE, S.DROPPED},
        S.REPORTED_DONE: {S.VERIFIED, S.REOPENED}, S.REOPENED: {S.IN_PROGRESS, S.REPORTED_DONE, S.DROPPED},
        S.VERIFIED: set(), S.DROPPED: set()}


def test_moves_are_refused_to_the_wrong_office_and_dropping_needs_a_reason(world):
    directive = world.directive()
    db.session.commit()
    refusal(directives.change_status, directive, S.IN_PROGRESS, world.other_user)
    refusal(directives.change_status, directive, S.DROPPED, world.owner_user, reason="नहीं")
    refusal(directives.change_status, directive, S.DROPPED, world.chair_user)
    assert db.session.get(Directive, directive.id).status is S.OPEN and len(directive.events) == 1


def test_reporting_done_needs_an_action_taken_report_by_the_owner_office(world):
    directive = world.directive()
    db.session.commit()
    assert "उत्तरदायी कार्यालय" in refusal(directives.report_action_taken, directive, world.other_user,
                              ReportValues("हमने किया"), done=True)
    refusal(directives.report_action_taken, directive, world.chair_user, ReportValues("हमने किया"), done=True)
    refusal(directives.change_status, directive, S.REPORTED_DONE, world.owner_user)
    refusal(directives.report_action_taken, directive, world.owner_user, ReportValues(""), done=True)
    directive = db.session.get(Directive, directive.id)
    assert directive.status is S.OPEN and not directive.reports
    report = directives.report_action_taken(directive, world.owner_user, ReportValues("1,200 परिवार जोड़े", 1200),
                                            done=True)
    db.session.commit()
    assert directive.status is S.REPORTED_DONE and report.office_id == world.owner.id and report.figures == 1200
    assert [(e.from_status, e.to_status) for e in directive.events] == [
        (None, S.OPEN), (S.OPEN, S.IN_PROGRESS), (S.IN_PROGRESS, S.REPORTED_DONE)]
    directives.change_status(directive, S.REOPENED, world.chair_user, note="सत्यापन में कमी")
    directives.report_action_taken(directive, world.owner_user, ReportValues("शेष भी जोड़े"), done=True)
    directives.change_status(directive, S.VERIFIED, world.chair_user)
    assert directive.status is S.VERIFIED and len(directive.reports) == 2
    refusal(directives.report_action_taken, directive, world.owner_user, ReportValues("और"))


def test_an_attachment_is_taken_by_its_content_and_refused_when_it_is_not_what_it_claims(world):
    directive = world.directive()
    db.session.commit()
    for name, content, kind in (("atr.pdf", a_pdf(), "application/pdf"), ("photo.JPG", a_jpeg(), "image/jpeg"),
                                ("photo.png", a_png(), "image/png"), ("scan", a_png(), "image/png")):
        report = directives.report_action_taken(directive, world.owner_user,
                                                ReportValues("प्रगति", attachment=Attachment(name, content)))
        assert (report.content_type, report.size) == (kind, len(content)) and len(report.sha256) == 64
    db.session.commit()
    for name, content in (("atr.pdf", a_png()), ("photo.png", a_pdf()), ("atr.pdf", b"MZ\x90\x00 not a pdf"),
                          ("atr.exe", a_pdf()), ("atr.pdf", b"%PDF-1.4 broken"), ("p.png", a_png()[:30]),
                          ("empty.pdf", b"")):
        refusal(directives.report_action_taken, directive, world.owner_user,
                ReportValues("प्रगति", attachment=Attachment(name, content)))
    assert db.session.scalar(select(func.count()).select_from(ActionTakenReport)) == 4


def test_an_extension_keeps_the_old_due_date_in_the_event(world):
    directive = world.directive(within_days=3)
    db.session.commit()
    old = directive.due_on
    refusal(directives.extend, directive, TODAY + timedelta(days=20), world.owner_user)
    refusal(directives.extend, directive, TODAY - timedelta(days=1), world.chair_user)
    event = directives.extend(directive, TODAY + timedelta(days=20), world.chair_user, note="बैंक की छुट्टी")
    assert directive.due_on == TODAY + timedelta(days=20)
    assert (event.old_due_on, event.new_due_on, event.from_status, event.to_status) == (
        old, TODAY + timedelta(days=20), S.OPEN, S.OPEN)


# Overdue, my directives, the board

def test_overdue_in_sql_agrees_with_python(world, monkeypatch):
    made = {status: world.directive(within_days=2) for status in S}
    for status, directive in made.items():
        _put(directive, status)
    future = world.directive(within_days=30)
    db.session.commit()
    for moment in (NOW, NOW + timedelta(days=3), NOW + timedelta(days=40)):
        monkeypatch.setattr(clock, "now", lambda moment=moment: moment)
        in_sql = set(db.session.scalars(select(Directive.id).where(Directive.overdue)))
        in_python = {d.id for d in db.session.scalars(select(Directive)) if d.overdue}
        assert in_sql == in_python
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=3))
    assert set(db.session.scalars(select(Directive.id).where(Directive.overdue))) == {
        made[S.OPEN].id, made[S.IN_PROGRESS].id, made[S.REOPENED].id}
    assert not future.overdue


def test_my_directives_are_grouped_and_the_board_counts_by_office_and_area(world, monkeypatch):
    soon, later, late = world.directive(within_days=3), world.directive(within_days=30), world.directive(within_days=1)
    reported = world.directive(within_days=5)
    directives.report_action_taken(reported, world.owner_user, ReportValues("हो गया"), done=True)
    elsewhere = world.directive(owner_office_id=world.other.id, within_days=1)
    db.session.commit()
    monkeypatch.setattr(clock, "now", lambda: NOW + timedelta(days=2))
    mine = directives.my_directives(world.owner_user)
    assert ([d.id for d in mine.overdue], [d.id for d in mine.due_soon], [d.id for d in mine.later],
            [d.id for d in mine.reported]) == ([late.id], [soon.id], [later.id], [reported.id])
    assert directives.my_directives(world.chair_user).count == 0
    by_office = directives.board_by_office(world.admin)
    assert [(r.key, r.total, r.overdue, r.pending, r.reported) for r in by_office] == [
        (world.owner.id, 4, 1, 3, 1), (world.other.id, 1, 1, 1, 0)]
    assert by_office[0].label == "BDO" and by_office[0].oldest_open_days == 2
    by_area = directives.board_by_area(world.admin)
    assert {r.label: r.total for r in by_area} == {"जनपद 111": 4, "जनपद 112": 1}
    # An officer of the other block sees only what concerns its block or office, or series it belongs to.
    seen = {d.id for d in db.session.scalars(directives.directive_query(world.other_user))}
    assert elsewhere.id in seen
    overdue_first = list(db.session.scalars(directives.directive_query(world.admin)))
    assert [d.overdue for d in overdue_first] == sorted((d.overdue for d in overdue_first), reverse=True)
    assert directives.days_open(soon) == 2


def test_invitees_are_offices_accounts_or_named_people_each_once(world, make_user):
    assert services.invite_office(world.meeting, world.owner) is services.invite_office(world.meeting, world.owner)
    assert services.invite_user(world.meeting, world.other_user) is services.invite_user(world.meeting,
                                                                                        world.other_user)
    person = services.invite_person(world.meeting, PersonValues("श्री ख", "एलडीएम", "अग्रणी बैंक", "9000000003",
                                                                 "ldm@example.gov.in"))
    db.session.commit()
    assert [(i.office_id, i.user_id, i.name) for i in world.meeting.invitees] == [
        (world.owner.id, None, ""), (None, world.other_user.id, ""), (None, None, "श्री ख")]
    refusal(services.invite_user, world.meeting, make_user("sec", Role.SECRETARY))
    refusal(services.invite_person, world.meeting, PersonValues("श्री ग", email="not-an-address"))
    refusal(services.invite_person, world.meeting, PersonValues(""))
    services.remove_invitee(world.meeting, person)
    db.session.commit()
    assert len(world.meeting.invitees) == 2


def test_the_present_list_is_by_office_and_a_tick_can_be_taken_back(world):
    services.mark_by_qr(world.meeting, world.owner_user)
    guest = services.tick_attendance(world.meeting, world.chair_user, person=PersonValues("रीना", "डीपीएम", "अ-कार्यालय"))
    db.session.commit()
    assert [a.name for a in services.present(world.meeting)] == ["रीना", world.owner_user.full_name or "bdo"]
    refusal(services.remove_attendance, world.meeting, world.owner_user, guest)
    services.remove_attendance(world.meeting, world.chair_user, guest)
    db.session.commit()
    assert len(world.meeting.attendances) == 1
