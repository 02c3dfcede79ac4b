"""Staff mark and correct the attendance of a programme's partners at its sessions: several head-counts at once,
one row per partner per session with a history that grows, a question before a representative's (or another
member of staff's) mark is replaced, the session's window, bad numbers, a session of another programme, and the
page on a 360 px phone (screenshots in tests/artifacts/partner-checklist-*)."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from tests.test_programme_partners import make_organisation
from trainer.attendance.models import MarkSource
from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.partners import attendance, programme_partners
from trainer.partners.models import OrganisationAttendance, OrganisationAttendanceRevision
from trainer.programmes.models import Reach


@pytest.fixture
def partnered(app, make_programme, monkeypatch):
    """A programme reaching GPs and partners with two partners; the clock five minutes into its first session."""
    programme = make_programme()
    first = make_organisation()
    second = make_organisation("ग्राम विकास मंडल", "Gram Vikas Mandal")
    programme_partners.add_partners(programme, [first.id, second.id], None)
    programme_partners.set_reach(programme, Reach.BOTH)
    db.session.commit()
    session = programme.sessions[0]
    monkeypatch.setattr(clock, "now", lambda: session.starts_at + timedelta(minutes=5))
    return programme, session, first, second


def url_of(programme, session):
    return f"/partners/programmes/{programme.id}/sessions/{session.id}/attendance"


def counts(session):
    return dict(db.session.execute(select(OrganisationAttendance.organisation_id, OrganisationAttendance.participants)
                                   .where(OrganisationAttendance.session_id == session.id)).all())


def revisions():
    return db.session.scalar(select(func.count(OrganisationAttendanceRevision.id)))


def test_a_trainer_marks_several_partners_at_once_and_sees_who_marked(client, login_as, partnered):
    programme, session, first, second = partnered
    trainer = login_as(Role.TRAINER)
    page = client.get(url_of(programme, session))
    assert page.status_code == 200
    text = page.get_data(as_text=True)
    assert "नर्मदा सेवा संस्थान" in text and "ग्राम विकास मंडल" in text
    response = client.post(url_of(programme, session), data={f"participants_{first.id}": "12",
                                                             f"participants_{second.id}": "7"})
    assert response.status_code == 302
    assert counts(session) == {first.id: 12, second.id: 7}
    marks = db.session.scalars(select(OrganisationAttendance)).all()
    assert {(mark.source, mark.marked_by_id) for mark in marks} == {(MarkSource.CHECKLIST, trainer.id)}
    listed = client.get(url_of(programme, session)).get_data(as_text=True)
    assert "trainer" in listed and "/history" in listed


def test_a_partner_left_empty_keeps_its_mark(client, login_as, partnered):
    programme, session, first, second = partnered
    attendance.mark(session, second, 4, MarkSource.POSTER)
    db.session.commit()
    login_as(Role.ADMIN)
    assert client.post(url_of(programme, session), data={f"participants_{first.id}": "3"}).status_code == 302
    assert counts(session) == {first.id: 3, second.id: 4}


def test_correcting_a_mark_keeps_one_row_and_grows_the_history(client, login_as, partnered):
    programme, session, first, _second = partnered
    login_as(Role.ADMIN)
    client.post(url_of(programme, session), data={f"participants_{first.id}": "12"})
    response = client.post(url_of(programme, session), data={f"participants_{first.id}": "15"})
    assert response.status_code == 302  # one's own mark is corrected without a question
    assert counts(session) == {first.id: 15}
    assert db.session.scalar(select(func.count(OrganisationAttendance.id))) == 1
    assert [mark.participants for mark in attendance.history_of(session.id, first.id)] == [15, 12]
    history = client.get(f"{url_of(programme, session)}/{first.id}/history")
    assert history.status_code == 200
    text = history.get_data(as_text=True)
    assert 'data-revision="2"' in text and 'data-revision="1"' in text and "admin" in text


def test_replacing_a_representatives_mark_asks_first(client, login_as, partnered):
    programme, session, first, second = partnered
    attendance.mark(session, first, 9, MarkSource.POSTER)
    db.session.commit()
    login_as(Role.TRAINER)
    data = {f"participants_{first.id}": "5", f"participants_{second.id}": "6"}
    asked = client.post(url_of(programme, session), data=data)
    assert asked.status_code == 200
    assert f'data-replacing="{first.id}"' in asked.get_data(as_text=True)
    assert counts(session) == {first.id: 9} and revisions() == 1
    # "Save only the others" leaves the representative's number as it was.
    assert client.post(url_of(programme, session), data={**data, "replace": "no"}).status_code == 302
    assert counts(session) == {first.id: 9, second.id: 6}
    # Confirmed, the number is replaced and both marks stay in the history.
    assert client.post(url_of(programme, session), data={**data, "replace": "yes"}).status_code == 302
    assert counts(session)[first.id] == 5
    assert [mark.source for mark in attendance.history_of(session.id, first.id)] == [MarkSource.CHECKLIST,
                                                                                     MarkSource.POSTER]


def test_replacing_another_staff_members_mark_asks_first(client, login_as, make_user, partnered):
    programme, session, first, _second = partnered
    colleague = make_user("colleague", Role.TRAINER)
    attendance.mark(session, first, 9, MarkSource.CHECKLIST, user_id=colleague.id)
    db.session.commit()
    login_as(Role.ADMIN)
    asked = client.post(url_of(programme, session), data={f"participants_{first.id}": "5"})
    assert asked.status_code == 200 and "colleague" in asked.get_data(as_text=True)
    assert counts(session) == {first.id: 9}


def test_a_session_whose_window_has_not_opened_is_refused_with_the_gp_message(client, login_as, partnered,
                                                                              monkeypatch):
    programme, session, first, _second = partnered
    monkeypatch.setattr(clock, "now", lambda: session.starts_at - timedelta(days=2))
    login_as(Role.ADMIN)
    page = client.get(url_of(programme, session)).get_data(as_text=True)
    assert "इस सत्र की उपस्थिति" in page  # "Attendance of this session can be recorded from …", as for GPs
    response = client.post(url_of(programme, session), data={f"participants_{first.id}": "5"})
    assert "इस सत्र की उपस्थिति" in response.get_data(as_text=True)
    assert counts(session) == {} and revisions() == 0


@pytest.mark.parametrize("number", ["0", "-3", "abc", "100000"])
def test_a_bad_number_saves_nothing_and_says_why(client, login_as, partnered, number):
    programme, session, first, second = partnered
    login_as(Role.ADMIN)
    response = client.post(url_of(programme, session), data={f"participants_{first.id}": "4",
                                                             f"participants_{second.id}": number})
    assert response.status_code == 422
    text = response.get_data(as_text=True)
    assert "कुछ भी सहेजा नहीं गया" in text and "ग्राम विकास मंडल" in text
    assert counts(session) == {} and revisions() == 0


def test_no_number_at_all_saves_nothing(client, login_as, partnered):
    programme, session, _first, _second = partnered
    login_as(Role.ADMIN)
    assert client.post(url_of(programme, session), data={}).status_code == 422
    assert revisions() == 0


def test_a_session_of_another_programme_is_not_found(client, login_as, make_programme, partnered):
    programme, _session, first, _second = partnered
    other = make_programme("दूसरा प्रशिक्षण")
    login_as(Role.ADMIN)
    assert client.get(url_of(programme, other.sessions[0])).status_code == 404
    assert client.post(url_of(programme, other.sessions[0]),
                       data={f"participants_{first.id}": "5"}).status_code == 404
    assert client.get(f"{url_of(programme, other.sessions[0])}/{first.id}/history").status_code == 404
    assert revisions() == 0


def test_the_history_of_an_organisation_that_is_no_partner_is_not_found(client, login_as, partnered):
    programme, session, _first, _second = partnered
    outsider = make_organisation("बाहरी संस्था", "Outsider")
    login_as(Role.ADMIN)
    assert client.get(f"{url_of(programme, session)}/{outsider.id}/history").status_code == 404


def test_officers_may_not_mark_partners(client, login_as, partnered):
    programme, session, first, _second = partnered
    login_as(Role.DISTRICT_OFFICER)
    assert client.get(url_of(programme, session)).status_code == 403
    assert client.post(url_of(programme, session), data={f"participants_{first.id}": "5"}).status_code == 403
    assert revisions() == 0


def test_the_partners_page_and_the_partner_report_link_each_session_to_its_attendance(client, login_as, partnered):
    programme, session, _first, _second = partnered
    login_as(Role.TRAINER)
    assert url_of(programme, session) in client.get(f"/partners/programmes/{programme.id}").get_data(as_text=True)
    assert url_of(programme, session) in client.get(f"/partners/programmes/{programme.id}/report").get_data(
        as_text=True)


def test_the_partner_report_shows_directors_no_link_to_mark(client, login_as, partnered):
    programme, session, _first, _second = partnered
    login_as(Role.DIRECTOR)
    report = client.get(f"/partners/programmes/{programme.id}/report")
    assert report.status_code == 200 and url_of(programme, session) not in report.get_data(as_text=True)


@pytest.mark.browser
def test_on_a_phone_a_trainer_marks_partners_and_confirms_replacing_a_representatives_mark(
        live_server, browser, partnered):
    programme, session, first, second = partnered
    attendance.mark(session, first, 9, MarkSource.POSTER)
    db.session.commit()
    page = browser.new_page(viewport={"width": 360, "height": 740})
    sign_in(page, live_server, "trainer")
    page.goto(f"{live_server}/partners/programmes/{programme.id}")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "partner-checklist-programme-360.png"), full_page=True)
    page.click(f"a[href='{url_of(programme, session)}']")
    assert "साझेदार संस्थाओं की उपस्थिति" in page.inner_text("main") and page_width(page) <= 361
    page.screenshot(path=str(ARTIFACTS / "partner-checklist-360.png"), full_page=True)
    page.fill(f"#participants_{first.id}", "5")
    page.fill(f"#participants_{second.id}", "6")
    page.get_by_role("button", name="उपस्थिति सहेजें").click()
    confirm = page.locator(".replace-confirm")
    assert confirm.is_visible() and "9 प्रतिभागी" in confirm.inner_text() and page_width(page) <= 361
    page.screenshot(path=str(ARTIFACTS / "partner-checklist-replace-360.png"), full_page=True)
    page.click("button[name=replace][value=yes]")
    assert "2 साझेदार संस्थाओं की उपस्थिति दर्ज हुई।" in page.inner_text("main")
    page.click(f"tr[data-organisation='{first.id}'] a")  # its history: the representative's mark, then the trainer's
    assert page.locator("tr[data-revision]").count() == 2 and page_width(page) <= 361
    page.screenshot(path=str(ARTIFACTS / "partner-checklist-history-360.png"), full_page=True)
    page.close()
    db.session.expire_all()
    assert counts(session) == {first.id: 5, second.id: 6}
