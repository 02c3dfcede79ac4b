"""Attendance rules: tokens, the window, one row per GP per session with its history, access codes."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from trainer.attendance import rules, services, tokens
from trainer.attendance.models import AccessCode, Attendance, AttendanceRevision, MarkSource, WatchMode
from trainer.attendance.rules import HeadCount, WindowState
from trainer.attendance.services import AttendanceError
from trainer.core.database import utc_now
from trainer.extensions import db
from trainer.programmes.models import ParticipantRole


def test_a_poster_token_names_its_session_and_cannot_be_forged(app):
    now = utc_now()
    token = tokens.make_token(42)
    assert len(token) <= 18
    assert tokens.read_token(token, now) == tokens.Token(42, tokens.POSTER)
    other = tokens.make_token(43)
    for forged in (token[:-1] + ("A" if token[-1] != "A" else "B"), other[:7] + token[7:], "", "!!!", "A" * 50):
        with pytest.raises(tokens.InvalidToken):
            tokens.read_token(forged, now)


def test_a_token_signed_with_another_secret_is_refused(app, make_app):
    token = tokens.make_token(42)
    other = make_app(SECRET_KEY="another-secret")
    with other.app_context(), pytest.raises(tokens.InvalidToken):
        tokens.read_token(token, utc_now())


def test_a_live_token_is_good_for_its_minute_and_the_next_only(app):
    now = utc_now()
    token = tokens.make_token(7, tokens.period_of(now))
    assert len(token) <= 23
    assert tokens.read_token(token, now).session_id == 7
    assert tokens.read_token(token, now + timedelta(seconds=60)).period == tokens.period_of(now)
    with pytest.raises(tokens.InvalidToken):
        tokens.read_token(token, now + timedelta(seconds=120))
    with pytest.raises(tokens.InvalidToken):
        tokens.read_token(token, now - timedelta(seconds=60))


def test_the_window_opens_15_minutes_before_and_closes_30_after(app, make_programme):
    session = make_programme(modules=1).sessions[0]
    assert rules.window_state(session, session.starts_at - timedelta(minutes=16)) is WindowState.EARLY
    assert rules.window_state(session, session.starts_at - timedelta(minutes=15)) is WindowState.OPEN
    assert rules.window_state(session, session.ends_at + timedelta(minutes=30)) is WindowState.OPEN
    assert rules.window_state(session, session.ends_at + timedelta(minutes=31)) is WindowState.CLOSED


def test_marking_again_updates_the_one_row_and_keeps_every_mark(app, make_programme, places):
    session = make_programme(modules=1).sessions[0]
    gp = places.gp(11111)
    services.mark(session, gp, HeadCount(12, {ParticipantRole.SARPANCH: 1}, WatchMode.YOUTUBE), MarkSource.POSTER)
    again = services.mark(session, gp, HeadCount(15, {}, WatchMode.BLOCK_OFFICE), MarkSource.CHECKLIST)
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 1
    assert (again.participants, again.revision, again.mode, again.source) == (
        15, 2, WatchMode.BLOCK_OFFICE, MarkSource.CHECKLIST)
    assert again.count_sarpanch is None
    history = db.session.scalars(select(AttendanceRevision).order_by(AttendanceRevision.revision)).all()
    assert [(h.revision, h.participants, h.source) for h in history] == [
        (1, 12, MarkSource.POSTER), (2, 15, MarkSource.CHECKLIST)]


@pytest.mark.parametrize("count", [HeadCount(0), HeadCount(501), HeadCount(5, {ParticipantRole.SARPANCH: 6}),
                                   HeadCount(5, {ParticipantRole.OTHER: -1})])
def test_impossible_counts_are_refused_and_nothing_is_written(app, make_programme, places, count):
    session = make_programme(modules=1).sessions[0]
    with pytest.raises(AttendanceError):
        services.mark(session, places.gp(11111), count, MarkSource.POSTER)
    assert db.session.scalar(select(func.count()).select_from(Attendance)) == 0


def test_a_reissued_access_code_replaces_the_old_one_and_is_stored_hashed(app, places):
    gp = places.gp(11111)
    first = services.issue_code(gp)
    assert services.code_matches(gp, first) and not services.code_matches(gp, "00000000")
    second = services.issue_code(gp)
    db.session.commit()
    record = db.session.get(AccessCode, gp.id)
    assert record.version == 2 and first not in record.code_hash and second not in record.code_hash
    assert services.code_matches(gp, second) and (first == second or not services.code_matches(gp, first))
    assert not services.code_matches(places.gp(11112), second)


def test_block_codes_are_issued_to_every_gp_of_the_block(app, places):
    issued = services.issue_block_codes(places.block(1111))
    assert sorted(gp.lgd_code for gp, _code in issued) == [11111, 11112, 11113]
    assert all(len(code) == 8 and code.isdigit() for _gp, code in issued)


def test_gps_are_found_by_code_or_name_within_the_sessions_divisions(app, make_programme, places):
    session = make_programme(modules=1).sessions[0]
    session.divisions = [places.division(1)]
    db.session.commit()
    assert [gp.lgd_code for gp in services.find_gram_panchayats(session, "11112")] == [11112]
    assert services.find_gram_panchayats(session, "12111") == []  # division 2
    assert {gp.lgd_code for gp in services.find_gram_panchayats(session, "ग्राम 111")} == {11111, 11112, 11113}
    assert {gp.lgd_code for gp in services.find_gram_panchayats(session, "gram 1111")} == {11111}
