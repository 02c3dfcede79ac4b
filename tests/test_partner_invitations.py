"""Inviting a programme's partner organisations to a session: one message per person and address through the
outbox, with the session's day, time and link; a first access code given with it (and it works); inviting again
sends nothing twice; partners nobody can be written to are named; a session that is over, cancelled or of another
programme is refused; the command does the same. The messages leave through the providers' stand-ins."""
from datetime import timedelta

import pytest
from sqlalchemy import select

from conftest import sessions_of
from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from tests.test_messaging import app, messages, sms, smtp, whatsapp  # noqa: F401 (fixtures: providers' stand-ins)
from tests.test_programme_partners import make_organisation
from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.messaging import sender
from trainer.messaging.kinds import MessageKind
from trainer.messaging.models import MessageState
from trainer.partners import invitations, programme_partners
from trainer.partners.models import OrganisationAccessCode, OrganisationContact
from trainer.programmes.models import Reach, SessionStatus


def person(organisation, name, mobile=None, email=None):
    db.session.add(OrganisationContact(organisation_id=organisation.id, name=name, mobile=mobile, email=email))


@pytest.fixture
def partnered(app, make_programme, monkeypatch):
    """A programme reaching partners with three: A (a mobile and an e-mail, an access code already), B (a mobile,
    no code), C (nobody to write to); the clock the day before its first session."""
    programme = make_programme()
    a = make_organisation("अमृत सेवा संस्थान", "Amrit Seva Sansthan")
    b = make_organisation("बेतवा जन समिति", "Betwa Jan Samiti")
    c = make_organisation("चंबल विकास मंच", "Chambal Vikas Manch")
    person(a, "रेखा", mobile="9876500011", email="rekha@example.org")
    person(b, "सुनील", mobile="9876500022")
    person(c, "कोई नहीं")
    programme_partners.add_partners(programme, [a.id, b.id, c.id], None)
    programme_partners.set_reach(programme, Reach.PARTNERS)
    programme_partners.issue_code(a)
    db.session.commit()
    session = sessions_of(programme, 1)[0]
    monkeypatch.setattr(clock, "now", lambda: session.starts_at - timedelta(days=1))
    return programme, session, (a, b, c)


def invited():
    return [m for m in messages() if m.kind is MessageKind.PARTNER_INVITED]


def test_each_partner_s_people_are_invited_once_with_a_first_code_where_it_has_none(partnered, whatsapp, smtp):
    programme, session, (a, b, c) = partnered
    done = invitations.invite(session, None)
    db.session.commit()
    assert (done.organisations, done.messages, done.codes) == (2, 3, 1)
    assert [organisation.id for organisation in done.unreachable] == [c.id]
    sent = sorted((m.address, m.channel.value) for m in invited())
    assert sent == [("9876500011", "whatsapp"), ("9876500022", "whatsapp"), ("rekha@example.org", "email")]
    assert all(m.session_id == session.id and m.programme_id == programme.id for m in invited())
    email = next(m for m in invited() if m.channel.value == "email")
    assert "अमृत सेवा संस्थान" in email.text and f"/sessions/{session.id}" in email.text
    assert "पहले दिया गया कोड" in email.text  # A had its code before: it is not sent again
    # B's message carries its new code in clear, and that code is the one that now opens B's marking.
    to_b = next(m for m in invited() if m.address == "9876500022")
    code = next(p for p in to_b.parameters if p.replace(" ", "").isdigit()).replace(" ", "")
    assert programme_partners.code_is_right(b.id, programme_partners.code_of(b.id).code_hash, code)
    assert programme_partners.code_of(c.id) is None  # nobody would have received C's
    # Asked again: nothing new, no code replaced.
    versions = db.session.execute(select(OrganisationAccessCode.organisation_id, OrganisationAccessCode.version)).all()
    again = invitations.invite(session, None)
    db.session.commit()
    assert (again.messages, again.repeated, again.codes) == (0, 3, 0) and len(invited()) == 3
    assert db.session.execute(select(OrganisationAccessCode.organisation_id,
                                     OrganisationAccessCode.version)).all() == versions
    assert invitations.invitation_counts([session.id]) == {session.id: 3}
    # The senders deliver them through the providers' stand-ins.
    sender.run_sender(budget_seconds=60)
    assert {m.state for m in invited()} == {MessageState.SENT}
    assert len(whatsapp.delivered) == 2 and len(smtp.received) == 1


def test_the_page_lists_the_sessions_and_the_unreachable_partners_and_sends(partnered, client, login_as):
    programme, session, (a, b, c) = partnered
    login_as(Role.TRAINER)
    page = client.get(f"/partners/programmes/{programme.id}/invitations").get_data(as_text=True)
    assert "साझेदारों को आमंत्रित करें" in page and "चंबल विकास मंच" in page
    assert f"/partners/programmes/{programme.id}/sessions/{session.id}/invite" in page
    assert f"/partners/programmes/{programme.id}/invitations" in client.get(
        f"/partners/programmes/{programme.id}").get_data(as_text=True)
    response = client.post(f"/partners/programmes/{programme.id}/sessions/{session.id}/invite", follow_redirects=True)
    body = response.get_data(as_text=True)
    assert response.status_code == 200 and "3 संदेश" in body and "1 साझेदार" in body
    assert len(invited()) == 3
    row = client.get(f"/partners/programmes/{programme.id}/invitations").get_data(as_text=True)
    assert f'data-session="{session.id}"' in row


def test_a_session_over_cancelled_or_of_another_programme_is_refused(partnered, client, login_as, make_programme,
                                                                    monkeypatch):
    programme, session, _partners = partnered
    other = sessions_of(make_programme(title="दूसरा कार्यक्रम"), 1)[0]
    login_as(Role.TRAINER)
    assert client.post(f"/partners/programmes/{programme.id}/sessions/{other.id}/invite").status_code == 404
    monkeypatch.setattr(clock, "now", lambda: session.ends_at + timedelta(minutes=1))
    body = client.post(f"/partners/programmes/{programme.id}/sessions/{session.id}/invite",
                       follow_redirects=True).get_data(as_text=True)
    assert "कुछ नहीं भेजा गया" in body and not invited()
    monkeypatch.setattr(clock, "now", lambda: session.starts_at - timedelta(days=1))
    session.status = SessionStatus.CANCELLED
    db.session.commit()
    client.post(f"/partners/programmes/{programme.id}/sessions/{session.id}/invite")
    assert not invited()


def test_a_programme_that_reaches_only_gram_panchayats_invites_no_partner(partnered, client, login_as):
    programme, session, _partners = partnered
    programme_partners.set_reach(programme, Reach.GRAM_PANCHAYATS)
    db.session.commit()
    login_as(Role.TRAINER)
    body = client.post(f"/partners/programmes/{programme.id}/sessions/{session.id}/invite",
                       follow_redirects=True).get_data(as_text=True)
    assert "कुछ नहीं भेजा गया" in body and not invited()


def test_the_command_invites_and_says_what_it_did(partnered, app):
    _programme, session, _partners = partnered
    runner = app.test_cli_runner()
    result = runner.invoke(args=["partners", "invite", str(session.id)])
    assert result.exit_code == 0, result.output
    assert "queued 3 message(s) to 2 partner(s)" in result.output and "1 partner(s) cannot be written to" in result.output
    result = runner.invoke(args=["partners", "invite", str(session.id)])
    assert "queued 0 message(s)" in result.output and "3 already queued" in result.output
    assert runner.invoke(args=["partners", "invite", "999999"]).exit_code != 0


@pytest.mark.browser
def test_a_planner_invites_the_partners_from_a_360_px_phone(partnered, browser, live_server):
    programme, session, _partners = partnered
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    sign_in(page, live_server, "trainer")
    page.goto(f"{live_server}/partners/programmes/{programme.id}")
    page.click("text=साझेदारों को किसी सत्र में आमंत्रित करें")
    assert "चंबल विकास मंच" in page.inner_text("main")
    assert page_width(page) <= 360
    page.screenshot(path=str(ARTIFACTS / "partner-invitations-360.png"), full_page=True)
    page.click(f"tr[data-session='{session.id}'] button[type=submit]")
    body = page.inner_text("main")
    assert "3 संदेश" in body and "पहला एक्सेस कोड" in body
    assert page_width(page) <= 360
    page.screenshot(path=str(ARTIFACTS / "partner-invitations-sent-360.png"), full_page=True)
    context.close()
    assert len(invited()) == 3
