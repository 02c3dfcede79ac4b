"""Attendance of partner organisations: on the same QR pages as the gram panchayats', for programmes that reach
partners; one record per organisation per session with its history, the window, wrong codes, a mark sent twice
kept once, two phones at once making one record (on PostgreSQL), and staff correcting a mark."""
import re
import threading
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from conftest import sessions_of
from tests.test_programme_partners import make_organisation
from trainer.attendance import session_facts
from trainer.attendance.models import MarkSource
from trainer.attendance.tokens import make_token
from trainer.core import clock
from trainer.extensions import db
from trainer.partners import attendance, programme_partners
from trainer.partners.models import OrganisationAttendance, OrganisationAttendanceRevision
from trainer.programmes.models import Reach


@pytest.fixture
def partnered(app, make_programme, monkeypatch):
    """A programme reaching GPs and one partner with a code; the clock five minutes into its first session."""
    programme = make_programme()
    organisation = make_organisation()
    programme_partners.add_partners(programme, [organisation.id], None)
    programme_partners.set_reach(programme, Reach.BOTH)
    code = programme_partners.issue_code(organisation)
    db.session.commit()
    session = sessions_of(programme, 1)[0]
    monkeypatch.setattr(clock, "now", lambda: session.starts_at + timedelta(minutes=5))
    return programme, session, organisation, code


def _form(client, url):
    page = client.get(url)
    assert page.status_code == 200, page.get_data(as_text=True)
    text = page.get_data(as_text=True)
    return {name: re.search(rf'name="{name}" value="([^"]*)"', text).group(1) for name in ("csrf_token", "pass_token")}


def count_of(session, organisation):
    return db.session.scalar(select(OrganisationAttendance.participants).filter_by(
        session_id=session.id, organisation_id=organisation.id))


def test_the_gp_form_leads_to_the_organisations_form_and_a_mark_is_recorded(client, partnered):
    programme, session, organisation, code = partnered
    token = make_token(session.id)
    gp_page = client.get(f"/a/{token}").get_data(as_text=True)
    assert f"/a/o/{token}" in gp_page and "संस्था" in gp_page
    fields = _form(client, f"/a/o/{token}")
    response = client.post(f"/a/o/{token}", data={**fields, "organisation_query": "नर्मदा", "access_code": code,
                                                   "participants": "12"})
    assert response.status_code == 200, response.get_data(as_text=True)
    assert "नर्मदा" in response.get_data(as_text=True)
    assert count_of(session, organisation) == 12
    # A second mark corrects the one row, and both stay in the history.
    fields = _form(client, f"/a/o/{token}")
    client.post(f"/a/o/{token}", data={**fields, "organisation_query": "narmada", "access_code": code,
                                       "participants": "15"})
    assert count_of(session, organisation) == 15
    assert [r.participants for r in attendance.history_of(session.id, organisation.id)] == [15, 12]


def test_a_wrong_code_or_an_organisation_that_is_no_partner_records_nothing(client, partnered):
    programme, session, organisation, code = partnered
    make_organisation("बाहरी संस्था", "Outsider")
    token = make_token(session.id)
    fields = _form(client, f"/a/o/{token}")
    wrong = client.post(f"/a/o/{token}", data={**fields, "organisation_query": "narmada",
                                               "access_code": "00000000" if code != "00000000" else "11111111",
                                               "participants": "5"})
    assert wrong.status_code == 422 and "एक्सेस कोड" in wrong.get_data(as_text=True)
    outsider = client.post(f"/a/o/{token}", data={**fields, "organisation_query": "Outsider", "access_code": code,
                                                  "participants": "5"})
    assert outsider.status_code == 422
    too_many = client.post(f"/a/o/{token}", data={**fields, "organisation_query": "narmada", "access_code": code,
                                                  "participants": "501"})
    assert too_many.status_code == 422
    assert db.session.scalar(select(func.count()).select_from(OrganisationAttendance)) == 0


def test_a_programme_of_gram_panchayats_only_has_no_organisation_form(client, partnered):
    programme, session, _organisation, _code = partnered
    programme_partners.set_reach(programme, Reach.GRAM_PANCHAYATS)
    db.session.commit()
    session_facts.forget(session.id)
    token = make_token(session.id)
    assert client.get(f"/a/o/{token}").status_code == 404
    assert f"/a/o/{token}" not in client.get(f"/a/{token}").get_data(as_text=True)


def test_a_programme_of_partners_only_sends_the_gp_form_to_the_organisations(client, partnered):
    programme, session, _organisation, _code = partnered
    programme_partners.set_reach(programme, Reach.PARTNERS)
    db.session.commit()
    session_facts.forget(session.id)
    token = make_token(session.id)
    response = client.get(f"/a/{token}")
    assert response.status_code == 303 and response.headers["Location"].endswith(f"/a/o/{token}")


def test_outside_the_window_nothing_is_marked(client, partnered, monkeypatch):
    programme, session, organisation, code = partnered
    token = make_token(session.id)
    fields = _form(client, f"/a/o/{token}")
    monkeypatch.setattr(clock, "now", lambda: session.ends_at + timedelta(hours=3))
    response = client.post(f"/a/o/{token}", data={**fields, "organisation_query": "narmada", "access_code": code,
                                                   "participants": "5"})
    assert 'name="participants"' not in response.get_data(as_text=True)
    assert count_of(session, organisation) is None


def test_the_same_mark_sent_twice_is_kept_once(client, partnered):
    programme, session, organisation, code = partnered
    token = make_token(session.id)
    key = str(uuid.uuid4())
    fields = _form(client, f"/a/o/{token}")
    data = {**fields, "organisation_query": "narmada", "access_code": code, "participants": "9", "mark_key": key}
    assert client.post(f"/a/o/{token}", data=data).status_code == 200
    again = client.post(f"/a/o/{token}", data=data)
    assert again.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(OrganisationAttendanceRevision)) == 1
    altered = client.post(f"/a/o/{token}", data={**data, "participants": "10"})
    assert altered.status_code == 409 and count_of(session, organisation) == 9


def test_staff_correct_an_organisations_mark_with_its_history(app, partnered, make_user):
    programme, session, organisation, _code = partnered
    officer = make_user()
    attendance.mark(session, organisation, 4, MarkSource.POSTER)
    attendance.mark(session, organisation, 6, MarkSource.CHECKLIST, user_id=officer.id)
    db.session.commit()
    assert count_of(session, organisation) == 6
    assert [(r.participants, r.marked_by_id) for r in attendance.history_of(session.id, organisation.id)] == [
        (6, officer.id), (4, None)]


def test_two_phones_marking_one_organisation_at_once_make_one_record(app, partnered):
    if db.engine.dialect.name != "postgresql":
        pytest.skip("concurrent upserts are proved on PostgreSQL: set TEST_DATABASE_URL")
    programme, session, organisation, _code = partnered
    facts = session_facts.load(session.id)
    now = clock.now()
    barrier = threading.Barrier(2)
    results = []

    def phone(count):
        with app.app_context():
            barrier.wait()
            results.append(attendance.mark_if_still_open(facts, organisation.id, count, MarkSource.POSTER, None,
                                                         now))
            db.session.commit()

    threads = [threading.Thread(target=phone, args=(count,)) for count in (3, 4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(marked.revision for marked in results) == [1, 2]
    assert db.session.scalar(select(func.count()).select_from(OrganisationAttendance)) == 1
    assert db.session.scalar(select(func.count()).select_from(OrganisationAttendanceRevision)) == 2
