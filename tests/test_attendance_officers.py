"""Officers' attendance: the sessions of their area, the block checklist, CSV upload, the CLI and live numbers."""
import io
from datetime import timedelta

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from trainer.attendance import importer, services
from trainer.attendance.models import Attendance, AttendanceRevision, MarkSource, WatchMode
from trainer.attendance.rules import HeadCount
from trainer.core import clock
from trainer.core.database import utc_now
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.programmes.models import ParticipantRole, SessionStatus
from trainer.regions.areas import STATE, Area

# The small state of conftest: division 1 > district 111 > blocks 1111, 1112 > GPs 11111..11113, 11121..11123;
# district 112 > blocks 1121, 1122; division 2 > districts 121, 122 > blocks 1211 ... > GPs 12111 ...


def session_of(programme, division_code):
    """Return the programme's first session for one division."""
    return next(s for s in programme.sessions if [d.lgd_code for d in s.divisions] == [division_code])


def marks():
    """Return {GP code: (participants, source, revision)} of every attendance."""
    rows = db.session.execute(select(Attendance).order_by(Attendance.id)).scalars()
    return {a.gram_panchayat.lgd_code: (a.participants, a.source, a.revision) for a in rows}


def attendance_rows() -> int:
    return db.session.scalar(select(func.count()).select_from(Attendance))


def mark(session, gp, participants, mode=WatchMode.YOUTUBE, roles=None, source=MarkSource.POSTER):
    services.mark(session, gp, HeadCount(participants, roles or {}, mode), source)
    db.session.commit()


def csv_file(text: str, bom=True, crlf=True) -> dict:
    """Return form data uploading `text` as a CSV file."""
    if crlf:
        text = text.replace("\n", "\r\n")
    data = ("\ufeff" if bom else "").encode() + text.encode("utf-8")
    return {"file": (io.BytesIO(data), "attendance.csv")}


def upload(client, session, text, **options):
    return client.post(f"/attendance/sessions/{session.id}/upload", data=csv_file(text, **options),
                       content_type="multipart/form-data")


@pytest.fixture
def programme(make_programme):
    return make_programme()


@pytest.fixture
def english(app):
    """Give the reasons of the importer's pure functions in English, as the command does."""
    with force_locale("en"):
        yield


# Sessions an officer sees


def test_officer_lists_only_the_sessions_of_their_division(client, login_as, programme):
    login_as(Role.BLOCK_OFFICER)
    page = client.get("/attendance/").get_data(as_text=True)
    ours, theirs = session_of(programme, 1), session_of(programme, 2)
    assert f"/attendance/sessions/{ours.id}/live" in page
    assert f"/attendance/sessions/{theirs.id}/live" not in page
    assert f"/attendance/sessions/{ours.id}/checklist" in page and f"/attendance/sessions/{ours.id}/upload" in page


def test_state_wide_roles_list_every_division_but_not_drafts(client, login_as, make_programme, programme):
    draft = make_programme(title="मसौदा", publish=False).sessions[0]
    login_as(Role.DIRECTOR)
    page = client.get("/attendance/").get_data(as_text=True)
    assert f"/attendance/sessions/{session_of(programme, 1).id}/live" in page
    assert f"/attendance/sessions/{session_of(programme, 2).id}/live" in page
    assert f"/attendance/sessions/{draft.id}/live" not in page
    assert "/checklist" not in page and "/upload" not in page  # a director only reads


def test_a_block_officer_cannot_see_another_divisions_session(client, login_as, programme):
    login_as(Role.BLOCK_OFFICER)
    theirs = session_of(programme, 2)
    for page in ("live", "live.json", "checklist", "upload"):
        assert client.get(f"/attendance/sessions/{theirs.id}/{page}").status_code == 403, page


def test_draft_and_cancelled_sessions_have_no_attendance_pages(client, login_as, make_programme, programme):
    draft = make_programme(title="मसौदा", publish=False).sessions[0]
    cancelled = session_of(programme, 1)
    cancelled.status = SessionStatus.CANCELLED
    db.session.commit()
    login_as(Role.ADMIN)
    for session in (draft, cancelled):
        assert client.get(f"/attendance/sessions/{session.id}/live").status_code == 404
        response = client.post(f"/attendance/sessions/{session.id}/checklist?block=1111",
                               data={"mode": "block_office", "mark_11111": "y", "participants_11111": "5"})
        assert response.status_code == 404
    assert attendance_rows() == 0


# The block checklist


def test_checklist_marks_several_gps_at_once_and_a_second_submit_updates(client, login_as, programme, places):
    officer = login_as(Role.BLOCK_OFFICER)
    session = session_of(programme, 1)
    url = f"/attendance/sessions/{session.id}/checklist"
    page = client.get(url).get_data(as_text=True)
    assert all(f'name="mark_{code}"' in page for code in (11111, 11112, 11113))
    assert '<option selected value="block_office">' in page  # "together at the block office" by default
    response = client.post(url, data={"mode": "block_office", "mark_11111": "y", "participants_11111": "12",
                                      "mark_11112": "y", "participants_11112": "7"})
    assert response.status_code == 302
    assert marks() == {11111: (12, MarkSource.CHECKLIST, 1), 11112: (7, MarkSource.CHECKLIST, 1)}
    attendance = db.session.scalar(select(Attendance).filter_by(gram_panchayat_id=places.gp(11111).id))
    assert attendance.mode is WatchMode.BLOCK_OFFICE and attendance.marked_by_id == officer.id

    response = client.post(url, data={"mode": "youtube", "mark_11111": "y", "participants_11111": "15"})
    assert response.status_code == 302
    assert marks() == {11111: (15, MarkSource.CHECKLIST, 2), 11112: (7, MarkSource.CHECKLIST, 1)}
    assert db.session.scalar(select(func.count()).select_from(AttendanceRevision)) == 3
    page = client.get(url).get_data(as_text=True)
    row = page.split('name="mark_11111"')[1].split("</tr>")[0]
    already = row.split('class="already">')[1].split("<small")[0]  # the "already marked" cell
    assert "15" in already and "12" not in already


def test_mark_all_gives_every_unmarked_gp_of_the_block_the_same_number(client, login_as, programme, places):
    login_as(Role.BLOCK_OFFICER)
    session = session_of(programme, 1)
    url = f"/attendance/sessions/{session.id}/checklist"
    client.post(url, data={"mode": "block_office", "mark_11111": "y", "participants_11111": "12"})
    page = client.get(url).get_data(as_text=True)
    assert 'name="mark_all"' in page and 'name="all_participants"' in page
    response = client.post(url, data={"mode": "block_office", "mark_all": "y", "all_participants": "4",
                                      "all_unmarked_only": "y"})
    assert response.status_code == 302
    assert marks() == {11111: (12, MarkSource.CHECKLIST, 1), 11112: (4, MarkSource.CHECKLIST, 1),
                       11113: (4, MarkSource.CHECKLIST, 1)}
    # Without "only those not marked yet", every GP gets the number (the officer's own marks need no question).
    assert client.post(url, data={"mode": "block_office", "mark_all": "y", "all_participants": "6"}).status_code == 302
    assert {code: count for code, (count, _source, _revision) in marks().items()} == {11111: 6, 11112: 6, 11113: 6}
    refused = client.post(url, data={"mode": "block_office", "mark_all": "y", "all_participants": ""})
    assert refused.status_code == 200 and attendance_rows() == 3


def test_marking_a_gp_its_secretary_marked_asks_first_and_keeps_the_role_counts_and_mode(client, login_as, programme,
                                                                                        places):
    session = session_of(programme, 1)
    services.mark(session, places.gp(11111), HeadCount(5, {ParticipantRole.SARPANCH: 1, ParticipantRole.SECRETARY: 1},
                                                       WatchMode.YOUTUBE), MarkSource.POSTER)
    db.session.commit()
    login_as(Role.BLOCK_OFFICER)
    url = f"/attendance/sessions/{session.id}/checklist"
    data = {"mode": "block_office", "mark_11111": "y", "participants_11111": "9",
            "mark_11112": "y", "participants_11112": "3"}
    asked = client.post(url, data=data)
    page = asked.get_data(as_text=True)
    # Nothing is saved yet: the page names the secretary's count and source and asks.
    assert asked.status_code == 200 and marks() == {11111: (5, MarkSource.POSTER, 1)}
    confirm = page.split('class="replace-confirm"')[1].split("</article>")[0]
    assert "ग्राम 1111" in confirm and "ग्राम 1112" not in confirm
    assert "5 प्रतिभागी" in confirm and "छपा हुआ QR कोड" in confirm and "9 प्रतिभागी" in confirm
    assert 'name="replace" value="yes"' in confirm and 'name="replace" value="no"' in confirm

    only_others = client.post(url, data={**data, "replace": "no"})
    assert only_others.status_code == 302
    assert marks() == {11111: (5, MarkSource.POSTER, 1), 11112: (3, MarkSource.CHECKLIST, 1)}

    client.post(url, data={**data, "replace": "yes"})
    assert marks()[11111] == (9, MarkSource.CHECKLIST, 2)
    kept = db.session.scalar(select(Attendance).filter_by(gram_panchayat_id=places.gp(11111).id))
    db.session.refresh(kept)
    assert kept.count_sarpanch == 1 and kept.count_secretary == 1 and kept.mode is WatchMode.YOUTUBE


def test_checklist_with_a_bad_row_saves_nothing_and_names_the_gp(client, login_as, programme):
    login_as(Role.BLOCK_OFFICER)
    session = session_of(programme, 1)
    response = client.post(f"/attendance/sessions/{session.id}/checklist", data={
        "mode": "block_office", "mark_11111": "y", "participants_11111": "12",
        "mark_11112": "y", "participants_11112": "",  # ticked without a number
        "participants_11113": "4",  # a number without a tick
    })
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "ग्राम 1112:" in page and "ग्राम 1113:" in page and "ग्राम 1111:" not in page
    assert attendance_rows() == 0


@pytest.mark.parametrize("participants", ["0", "501", "-2", "बारह"])
def test_checklist_refuses_impossible_numbers(client, login_as, programme, participants):
    login_as(Role.BLOCK_OFFICER)
    session = session_of(programme, 1)
    response = client.post(f"/attendance/sessions/{session.id}/checklist", data={
        "mode": "block_office", "mark_11111": "y", "participants_11111": participants,
        "mark_11112": "y", "participants_11112": "3"})
    assert response.status_code == 200 and "ग्राम 1111:" in response.get_data(as_text=True)
    assert attendance_rows() == 0


def test_a_block_officer_cannot_mark_another_blocks_gp(client, login_as, programme):
    login_as(Role.BLOCK_OFFICER)
    session = session_of(programme, 1)
    url = f"/attendance/sessions/{session.id}/checklist"
    assert client.get(url + "?block=1112").status_code == 403
    assert client.post(url + "?block=1112", data={"mode": "block_office", "mark_11121": "y",
                                                  "participants_11121": "5"}).status_code == 403
    # Fields of a foreign GP slipped into the own block's form are ignored.
    client.post(url, data={"mode": "block_office", "mark_11121": "y", "participants_11121": "5",
                           "mark_11111": "y", "participants_11111": "3"})
    assert marks() == {11111: (3, MarkSource.CHECKLIST, 1)}


def test_district_officer_chooses_a_block_of_their_district(client, login_as, programme):
    login_as(Role.DISTRICT_OFFICER)
    session = session_of(programme, 1)
    url = f"/attendance/sessions/{session.id}/checklist"
    page = client.get(url).get_data(as_text=True)
    assert "block=1111" in page and "block=1112" in page and "block=1121" not in page
    assert client.get(url + "?block=1121").status_code == 403  # district 112
    assert client.get(url + "?block=9999").status_code == 404
    response = client.post(url + "?block=1112", data={"mode": "webcast", "mark_11121": "y", "participants_11121": "9"})
    assert response.status_code == 302 and response.headers["Location"].endswith("block=1112")
    assert marks() == {11121: (9, MarkSource.CHECKLIST, 1)}


def test_admin_may_not_choose_a_block_outside_the_sessions_divisions(client, login_as, programme):
    login_as(Role.ADMIN)
    session = session_of(programme, 1)
    assert client.get(f"/attendance/sessions/{session.id}/checklist?block=1211").status_code == 403
    page = client.get(f"/attendance/sessions/{session.id}/checklist").get_data(as_text=True)
    assert "block=1121" in page and "block=1211" not in page


def test_officers_may_record_late_but_not_before_the_window_opens(client, login_as, programme, monkeypatch):
    login_as(Role.BLOCK_OFFICER)
    session = session_of(programme, 1)
    url = f"/attendance/sessions/{session.id}/checklist"
    data = {"mode": "block_office", "mark_11111": "y", "participants_11111": "5"}
    monkeypatch.setattr(clock, "now", lambda: session.starts_at - timedelta(hours=2))
    assert client.post(url, data=data).status_code == 200
    assert attendance_rows() == 0
    monkeypatch.setattr(clock, "now", lambda: session.ends_at + timedelta(days=3))
    assert client.post(url, data=data).status_code == 302
    assert attendance_rows() == 1


# CSV upload

GOOD_FILE = """gp_code,participants,mode,sarpanch,secretary,ward_member,shg_member,other
11111,12,youtube,1,1,5,3,2
11112,8,जनपद कार्यालय में एक साथ,,1,,,
11113,20,Video conference,1,,,,
11121,4,,,,,,
"""


def test_a_good_file_with_bom_and_crlf_is_applied_whole(client, login_as, programme, places):
    officer = login_as(Role.DISTRICT_OFFICER)
    session = session_of(programme, 1)
    mark(session, places.gp(11113), 10)
    response = upload(client, session, GOOD_FILE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert '<strong>3</strong>' in page and '<strong>1</strong>' in page and '<strong>44</strong>' in page
    assert marks() == {11113: (20, MarkSource.UPLOAD, 2), 11111: (12, MarkSource.UPLOAD, 1),
                       11112: (8, MarkSource.UPLOAD, 1), 11121: (4, MarkSource.UPLOAD, 1)}
    first = db.session.scalar(select(Attendance).filter_by(gram_panchayat_id=places.gp(11111).id))
    assert first.role_counts() == {ParticipantRole.SARPANCH: 1, ParticipantRole.SECRETARY: 1,
                                   ParticipantRole.WARD_MEMBER: 5, ParticipantRole.SHG_MEMBER: 3,
                                   ParticipantRole.OTHER: 2}
    assert first.mode is WatchMode.YOUTUBE and first.marked_by_id == officer.id
    modes = {a.gram_panchayat.lgd_code: a.mode for a in db.session.scalars(select(Attendance))}
    assert modes == {11111: WatchMode.YOUTUBE, 11112: WatchMode.BLOCK_OFFICE, 11113: WatchMode.VIDEO_CONFERENCE,
                     11121: None}


BAD_FILE = """gp_code,participants,mode,sarpanch,secretary
11111,10,youtube,1,1
99999,5,,,
12111,5,,,
11112,-3,,,
11113,900,,,
11111,4,,,
11121,5,,4,3
11122,5,satellite,,
11123,5,,,
abc,5,,,
"""


def test_a_file_with_bad_lines_is_rejected_whole_naming_each_line(client, login_as, programme):
    login_as(Role.BLOCK_OFFICER, area_code=1112)  # GPs 11121..11123
    session = session_of(programme, 1)
    response = upload(client, session, BAD_FILE)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    bad_lines = (2, 3, 4, 5, 6, 7, 8, 9, 11)  # 11111 and 11112/11113 are outside block 1112; 9 roles; 10 mode
    for line in bad_lines:
        assert f"पंक्ति {line}:" in page, line
    assert "पंक्ति 10:" not in page  # 11123 is a good line
    assert attendance_rows() == 0


def test_each_bad_line_gets_its_reason(english, programme):
    session = session_of(programme, 1)
    with pytest.raises(importer.AttendanceImportError) as caught:
        importer.validate_attendance_file(BAD_FILE.encode(), session, STATE)
    reasons = {problem.line: problem.reason for problem in caught.value.problems}
    assert sorted(reasons) == [3, 4, 5, 6, 7, 8, 9, 11]
    assert "there is no gram panchayat with code 99999" in reasons[3]
    assert "not in this session's divisions" in reasons[4]
    assert "negative" in reasons[5]
    assert "900" in reasons[6] and "500" in reasons[6]
    assert "repeated" in reasons[7] and "line 2" in reasons[7]
    assert "7" in reasons[8] and "5" in reasons[8]
    assert "satellite" in reasons[9]
    assert "abc" in reasons[11]


def test_gps_outside_the_users_area_are_named(english, programme, places):
    session = session_of(programme, 1)
    rows, problems = importer.parse_attendance_rows([(2, {"gp_code": "11111", "participants": "4"}),
                                                     (3, {"gp_code": "11121", "participants": "4"})])
    assert problems == []
    reach = importer.load_reach(session, Area.of(places.block(1111)), [11111, 11121])
    assert [(p.line, p.reason) for p in importer.check_reach(rows, reach)] == [
        (3, "gram panchayat 11121 is outside your area")]


def test_roles_adding_up_to_more_than_participants_are_refused(english):
    rows, problems = importer.parse_attendance_rows([(2, {"gp_code": "11111", "participants": "5", "sarpanch": "3",
                                                          "other": "3"})])
    assert rows == [] and [p.line for p in problems] == [2] and "6" in problems[0].reason


def test_a_file_without_the_needed_columns_is_refused_at_line_1(english, programme):
    session = session_of(programme, 1)
    for text, words in (("gp,participants\n11111,4\n", ("gp_code", "gp")),
                        ("gp_code,participants,colour\n11111,4,red\n", ("colour",)),
                        ("", ("empty",))):
        with pytest.raises(importer.AttendanceImportError) as caught:
            importer.validate_attendance_file(text.encode(), session, STATE)
        assert {p.line for p in caught.value.problems} == {1}
        assert all(any(word in p.reason for p in caught.value.problems) for word in words)


def test_lines_that_are_not_utf8_are_named(client, login_as, programme):
    login_as(Role.ADMIN)
    session = session_of(programme, 1)
    data = "gp_code,participants\n11111,4\n".encode() + "11112,5,ग्राम\n".encode("utf-16-le") + b"\n"
    response = client.post(f"/attendance/sessions/{session.id}/upload",
                           data={"file": (io.BytesIO(data), "a.csv")}, content_type="multipart/form-data")
    assert "पंक्ति 3:" in response.get_data(as_text=True)
    assert attendance_rows() == 0


def test_a_file_with_too_many_rows_is_refused(app, programme, monkeypatch):
    monkeypatch.setattr(importer, "MAX_ROWS", 2)
    session = session_of(programme, 1)
    with pytest.raises(importer.AttendanceImportError) as caught:
        importer.validate_attendance_file(b"gp_code,participants\n11111,1\n11112,1\n11113,1\n", session,
                                          STATE)
    assert [p.line for p in caught.value.problems] == [4]


def test_trainers_and_directors_cannot_upload(client, login_as, programme):
    session = session_of(programme, 1)
    login_as(Role.TRAINER)
    assert upload(client, session, GOOD_FILE).status_code == 403
    assert attendance_rows() == 0


# The command


def test_the_command_imports_a_file_for_the_whole_state(runner, programme, tmp_path):
    session = session_of(programme, 2)
    path = tmp_path / "a.csv"
    path.write_bytes("\ufeffgp_code,participants,mode\r\n12111,9,webcast\r\n12211,3,\r\n".encode())
    result = runner.invoke(args=["attendance", "import", str(session.id), str(path)])
    assert result.exit_code == 0, result.output
    assert "2 new" in result.output
    assert marks() == {12111: (9, MarkSource.COMMAND, 1), 12211: (3, MarkSource.COMMAND, 1)}


def test_the_command_rejects_a_bad_file_printing_each_line_in_english(runner, programme, tmp_path):
    session = session_of(programme, 2)
    path = tmp_path / "a.csv"
    path.write_text("gp_code,participants\n12111,9\n11111,4\n12112,600\n12113,2\n")
    result = runner.invoke(args=["attendance", "import", str(session.id), str(path)])
    assert result.exit_code != 0
    assert "line 3: gram panchayat 11111 is not in this session's divisions" in result.output
    assert "line 4: participants is 600, more than 500" in result.output
    assert "line 2:" not in result.output and "line 5:" not in result.output
    assert attendance_rows() == 0


def test_the_command_refuses_a_draft_session(runner, make_programme, tmp_path):
    session = make_programme(publish=False).sessions[0]
    path = tmp_path / "a.csv"
    path.write_text("gp_code,participants\n11111,9\n")
    result = runner.invoke(args=["attendance", "import", str(session.id), str(path)])
    assert result.exit_code != 0 and "draft or cancelled" in result.output
    assert runner.invoke(args=["attendance", "import", "999", str(path)]).exit_code != 0
    assert attendance_rows() == 0


# Live attendance


@pytest.fixture
def marked_session(programme, places):
    """Return a division 1 session with marks in blocks 1111, 1112 (district 111) and 1121 (district 112)."""
    session = session_of(programme, 1)
    mark(session, places.gp(11111), 10, roles={ParticipantRole.SARPANCH: 1})
    mark(session, places.gp(11112), 5, mode=WatchMode.BLOCK_OFFICE)
    mark(session, places.gp(11121), 7)
    mark(session, places.gp(11211), 20, roles={ParticipantRole.SARPANCH: 1, ParticipantRole.SECRETARY: 1})
    return session


def test_live_numbers_for_the_whole_division(client, login_as, marked_session):
    login_as(Role.TRAINER)
    data = client.get(f"/attendance/sessions/{marked_session.id}/live.json").get_json()
    assert (data["gram_panchayats_marked"], data["participants"], data["gram_panchayats_invited"]) == (4, 42, 12)
    assert data["roles"]["sarpanch"] == 2 and data["roles"]["secretary"] == 1
    assert data["modes"]["youtube"] == 3 and data["modes"]["block_office"] == 1
    assert [(d["lgd_code"], d["marked"], d["participants"], d["invited"]) for d in data["districts"]] == [
        (111, 3, 22, 6), (112, 1, 20, 6)]
    assert data["blocks"] is None
    assert {r["gp_code"] for r in data["recent"]} == {11111, 11112, 11121, 11211}
    page = client.get(f"/attendance/sessions/{marked_session.id}/live").get_data(as_text=True)
    assert '<meta http-equiv="refresh" content="30">' in page
    assert "<strong>42</strong>" in page and "<strong>4</strong>" in page


def test_live_numbers_respect_a_district_officers_area(client, login_as, marked_session):
    login_as(Role.DISTRICT_OFFICER)
    data = client.get(f"/attendance/sessions/{marked_session.id}/live.json").get_json()
    assert (data["gram_panchayats_marked"], data["participants"], data["gram_panchayats_invited"]) == (3, 22, 6)
    assert [d["lgd_code"] for d in data["districts"]] == [111]
    assert [(b["lgd_code"], b["marked"], b["participants"]) for b in data["blocks"]] == [(1111, 2, 15), (1112, 1, 7)]
    assert {r["gp_code"] for r in data["recent"]} == {11111, 11112, 11121}
    page = client.get(f"/attendance/sessions/{marked_session.id}/live").get_data(as_text=True)
    # GP 11211 (named ग्राम 1211) lies in district 112
    assert "<strong>22</strong>" in page and "ग्राम 1211" not in page and "ग्राम 1111" in page


def test_live_numbers_respect_a_block_officers_area(client, login_as, marked_session):
    login_as(Role.BLOCK_OFFICER)
    data = client.get(f"/attendance/sessions/{marked_session.id}/live.json").get_json()
    assert (data["gram_panchayats_marked"], data["participants"], data["gram_panchayats_invited"]) == (2, 15, 3)
    assert [(b["lgd_code"], b["marked"]) for b in data["blocks"]] == [(1111, 2)]


def test_live_lists_the_gps_not_marked_yet_with_their_blocks(client, login_as, marked_session):
    login_as(Role.DISTRICT_OFFICER)
    data = client.get(f"/attendance/sessions/{marked_session.id}/live.json").get_json()
    assert data["not_marked_count"] == 3
    assert [(gp["gp_code"], gp["block_code"]) for gp in data["not_marked"]] == [
        (11113, 1111), (11122, 1112), (11123, 1112)]
    page = client.get(f"/attendance/sessions/{marked_session.id}/live").get_data(as_text=True)
    listed = page.split('id="not-marked"')[1].split("</div>")[0]
    assert "(3)" in listed and "जनपद 111" in listed and "11113" in listed and "11122" in listed
    assert "11111" not in listed  # marked already


def test_live_role_counts_tell_none_given_from_zero(client, login_as, marked_session, places):
    login_as(Role.BLOCK_OFFICER)
    data = client.get(f"/attendance/sessions/{marked_session.id}/live.json").get_json()
    # Block 1111: one mark gave a sarpanch count, the other gave none; nobody counted ward members.
    assert data["roles"]["sarpanch"] == 1 and data["roles"]["ward_member"] is None and data["roles_given"] == 1
    page = client.get(f"/attendance/sessions/{marked_session.id}/live").get_data(as_text=True)
    roles_table = page.split('<div class="grid">')[1].split("</table>")[0]
    assert roles_table.count('<td class="num">—</td>') == 4 and '<td class="num">1</td>' in roles_table
    services.mark(marked_session, places.gp(11113), HeadCount(3, {ParticipantRole.WARD_MEMBER: 0}), MarkSource.LIVE)
    db.session.commit()
    data = client.get(f"/attendance/sessions/{marked_session.id}/live.json").get_json()
    assert data["roles"]["ward_member"] == 0 and data["roles_given"] == 2  # a zero given is a zero


def test_the_latest_marks_come_first(client, login_as, marked_session, places):
    services.mark(marked_session, places.gp(11113), HeadCount(3), MarkSource.LIVE, now=utc_now() + timedelta(minutes=1))
    db.session.commit()
    login_as(Role.DIRECTOR)
    data = client.get(f"/attendance/sessions/{marked_session.id}/live.json").get_json()
    assert data["recent"][0]["gp_code"] == 11113 and data["recent"][0]["source"] == "live"


# Access, role by role

PAGES = {"sessions": "/attendance/", "live": "/attendance/sessions/{id}/live",
         "live_json": "/attendance/sessions/{id}/live.json", "checklist": "/attendance/sessions/{id}/checklist",
         "upload": "/attendance/sessions/{id}/upload"}
ALLOWED = {
    Role.ADMIN: {"sessions", "live", "live_json", "checklist", "upload"},
    Role.TRAINER: {"sessions", "live", "live_json", "checklist"},
    Role.DIRECTOR: {"sessions", "live", "live_json"},
    Role.DISTRICT_OFFICER: {"sessions", "live", "live_json", "checklist", "upload"},
    Role.BLOCK_OFFICER: {"sessions", "live", "live_json", "checklist", "upload"},
    Role.SECRETARY: set(),
}


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_role_reaches_only_its_pages(client, login_as, programme, role):
    login_as(role)
    session = session_of(programme, 1)
    for name, url in PAGES.items():
        status = client.get(url.format(id=session.id)).status_code
        assert (status == 200) is (name in ALLOWED[role]), (role, name, status)
        if name not in ALLOWED[role]:
            assert status == 403, (role, name, status)


def test_anonymous_visitors_are_sent_to_sign_in(client, programme):
    session = session_of(programme, 1)
    for url in PAGES.values():
        response = client.get(url.format(id=session.id))
        assert response.status_code == 302 and response.headers["Location"].startswith("/login")
