"""An application's life after submission: every move allowed or refused by the one table of states, the history
each move writes, staff screening it from its page, the applicant answering a request for more information and
withdrawing on the status page, decisions prepared (one by one or ticked in bulk), seen by staff only and published
together with a message to each applicant, once."""
import io
import re

import pytest
from sqlalchemy import func, select

from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from tests.test_calls import in_december, open_call, pdf_bytes  # noqa: F401 (fixtures)
from tests.test_messaging import app, messages, sms, smtp, whatsapp  # noqa: F401 (fixtures: providers' stand-ins)
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.messaging.kinds import MessageKind
from trainer.partners import applications, screening, states
from trainer.partners.models import (
    Application,
    ApplicationDecision,
    ApplicationEvent,
    ApplicationState,
    DecisionOutcome,
    OrganisationKind,
)
from trainer.partners.states import StateError

S = ApplicationState


def submitted(call, name="जल सेवा समिति", darpan="MP/2017/0123456", email="rekha@example.org",
              mobile="9876500011") -> tuple[Application, str]:
    application, code = applications.start_application(call, applications.ApplicationValues(
        kind=OrganisationKind.NGO, name_hi=name, darpan_id=darpan, contact_name="रेखा", contact_mobile=mobile,
        contact_email=email, themes=("water",)), (applications.Upload(call.documents[0].id, "a.pdf", pdf_bytes()),))
    applications.submit(application)
    db.session.commit()
    return application, code


def another_browser(client) -> None:
    with client.session_transaction() as browser:
        browser.clear()


def put_in(application: Application, state: ApplicationState) -> None:
    """Walk an application to a state by allowed moves only."""
    path = {S.SUBMITTED: [], S.IN_SCREENING: [S.IN_SCREENING], S.MORE_INFORMATION: [S.IN_SCREENING, S.MORE_INFORMATION],
            S.SHORTLISTED: [S.IN_SCREENING, S.SHORTLISTED], S.SELECTED: [S.IN_SCREENING, S.SHORTLISTED, S.SELECTED],
            S.NOT_SELECTED: [S.IN_SCREENING, S.NOT_SELECTED], S.WITHDRAWN: [S.WITHDRAWN],
            S.DUPLICATE: [S.DUPLICATE]}[state]
    for step in path:
        states.change_state(application, step, by_id=None)
    db.session.commit()


# The table of states


ALL_PAIRS = [(a, b) for a in ApplicationState for b in ApplicationState if a is not b and a is not S.DRAFT]
ALLOWED = {(a, b) for a, targets in states.TRANSITIONS.items() for b in targets}


def test_the_table_holds_the_life_cycle_of_the_brief():
    assert ALLOWED == {
        (S.DRAFT, S.SUBMITTED), (S.DRAFT, S.DUPLICATE),
        (S.SUBMITTED, S.IN_SCREENING), (S.SUBMITTED, S.DUPLICATE), (S.SUBMITTED, S.WITHDRAWN),
        (S.IN_SCREENING, S.MORE_INFORMATION), (S.IN_SCREENING, S.SHORTLISTED), (S.IN_SCREENING, S.SELECTED),
        (S.IN_SCREENING, S.NOT_SELECTED), (S.IN_SCREENING, S.DUPLICATE), (S.IN_SCREENING, S.WITHDRAWN),
        (S.MORE_INFORMATION, S.IN_SCREENING), (S.MORE_INFORMATION, S.DUPLICATE), (S.MORE_INFORMATION, S.WITHDRAWN),
        (S.SHORTLISTED, S.SELECTED), (S.SHORTLISTED, S.NOT_SELECTED), (S.SHORTLISTED, S.DUPLICATE),
        (S.SHORTLISTED, S.WITHDRAWN)}
    assert set(states.FINAL) == {S.SELECTED, S.NOT_SELECTED, S.WITHDRAWN, S.DUPLICATE}


@pytest.mark.parametrize("from_state, to_state", ALL_PAIRS, ids=lambda s: s.value)
def test_every_move_is_allowed_or_refused_by_the_table_and_each_allowed_one_is_written_in_the_history(
        app, places, in_december, from_state, to_state):
    application, _code = submitted(open_call())
    put_in(application, from_state)
    before = len(application.events)
    if (from_state, to_state) in ALLOWED:
        event = states.change_state(application, to_state, by_id=None, note="कारण")
        db.session.commit()
        assert application.state is to_state and len(application.events) == before + 1
        assert (event.from_state, event.to_state, event.note) == (from_state, to_state, "कारण")
    else:
        with pytest.raises(StateError) as refused:
            states.change_state(application, to_state, by_id=None)
        message = str(refused.value.message)
        assert re.search("[\u0900-\u097f]", message), message  # Hindi
        db.session.rollback()
        assert application.state is from_state and len(application.events) == before


@pytest.mark.parametrize("from_state, to_state, allowed", [
    (S.MORE_INFORMATION, S.IN_SCREENING, True), (S.SHORTLISTED, S.WITHDRAWN, True),
    (S.SUBMITTED, S.IN_SCREENING, False), (S.IN_SCREENING, S.SHORTLISTED, False),
    (S.SHORTLISTED, S.SELECTED, False)], ids=str)
def test_the_applicant_only_answers_and_withdraws(app, places, in_december, from_state, to_state, allowed):
    application, _code = submitted(open_call())
    put_in(application, from_state)
    assert states.may_move(from_state, to_state, by_applicant=True) is allowed
    if not allowed:
        with pytest.raises(StateError):
            states.change_state(application, to_state, by_applicant=True)


def test_a_submission_is_the_first_line_of_the_history(app, places, in_december):
    application, _code = submitted(open_call())
    [event] = application.events
    assert (event.from_state, event.to_state, event.by_applicant, event.by_id) == (S.DRAFT, S.SUBMITTED, True, None)


# Staff on the application's page


def test_staff_screen_ask_for_more_information_and_the_applicant_answers_with_a_pdf(
        client, login_as, places, in_december):
    call = open_call()
    application, code = submitted(call)
    trainer = login_as(Role.TRAINER)
    page_url = f"/partners/calls/{call.id}/applications/{application.id}"
    page = client.get(page_url).get_data(as_text=True)
    assert "छँटाई शुरू करें" in page and application.reference in page
    assert client.post(f"{page_url}/state", data={"to": "in_screening"}).status_code == 302
    # A question is required.
    assert client.post(f"{page_url}/state", data={"to": "more_information", "note": " "}).status_code == 302
    db.session.refresh(application)
    assert application.state is S.IN_SCREENING
    response = client.post(f"{page_url}/state", data={"to": "more_information", "note": "2024-25 का ऑडिट भेजें"})
    assert response.status_code == 302
    db.session.refresh(application)
    assert application.state is S.MORE_INFORMATION
    asked = [m for m in messages() if m.kind is MessageKind.APPLICATION_INFORMATION_ASKED]
    assert sorted((m.channel.value, m.address) for m in asked) == [("email", "rekha@example.org"),
                                                                   ("sms", "9876500011")]
    assert application.reference in asked[0].text and "/apply/status" in asked[0].text
    # The applicant, in another browser, opens the status page and answers.
    another_browser(client)
    page = client.post("/apply/status", data={"reference": application.reference, "code": code})
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "और जानकारी माँगी गई" in text and "2024-25 का ऑडिट भेजें" in text
    refused = client.post("/apply/status/answer", data={"answer": "संलग्न", "document": (io.BytesIO(b"MZ\x90"), "x.pdf")},
                          content_type="multipart/form-data")
    assert refused.status_code == 400 and "PDF" in refused.get_data(as_text=True)
    db.session.refresh(application)
    assert application.state is S.MORE_INFORMATION
    content = pdf_bytes()
    answered = client.post("/apply/status/answer", data={"answer": "ऑडिट संलग्न है",
                                                         "document": (io.BytesIO(content), "audit.pdf")},
                           content_type="multipart/form-data")
    assert answered.status_code == 302
    db.session.refresh(application)
    assert application.state is S.IN_SCREENING
    answer = application.events[-1]
    assert answer.by_applicant and answer.note == "ऑडिट संलग्न है" and answer.file_size == len(content)
    assert "छँटाई में" in client.get("/apply/status").get_data(as_text=True)
    # Staff see the history, download the PDF, and shortlist.
    login_as(Role.TRAINER, username="trainer2")
    page = client.get(page_url).get_data(as_text=True)
    assert "ऑडिट संलग्न है" in page and trainer.username in page and "audit.pdf" in page
    download = client.get(f"{page_url}/events/{answer.id}/file")
    assert download.status_code == 200 and download.data == content
    assert download.headers["Content-Disposition"].startswith("attachment")
    assert client.get(f"{page_url}/events/{application.events[0].id}/file").status_code == 404
    assert client.post(f"{page_url}/state", data={"to": "shortlisted"}).status_code == 302
    db.session.refresh(application)
    assert [(e.from_state, e.to_state) for e in application.events] == [
        (S.DRAFT, S.SUBMITTED), (S.SUBMITTED, S.IN_SCREENING), (S.IN_SCREENING, S.MORE_INFORMATION),
        (S.MORE_INFORMATION, S.IN_SCREENING), (S.IN_SCREENING, S.SHORTLISTED)]


def test_a_refused_move_is_told_in_hindi_and_changes_nothing(client, login_as, places, in_december):
    call = open_call()
    application, _code = submitted(call)
    login_as(Role.TRAINER)
    url = f"/partners/calls/{call.id}/applications/{application.id}"
    response = client.post(f"{url}/state", data={"to": "shortlisted"}, follow_redirects=True)
    assert "जमा किया गया" in response.get_data(as_text=True) and "नहीं" in response.get_data(as_text=True)
    assert client.post(f"{url}/state", data={"to": "selected"}).status_code == 400
    db.session.refresh(application)
    assert application.state is S.SUBMITTED and len(application.events) == 1


def test_staff_mark_a_duplicate_of_another_application_and_withdraw_on_behalf(client, login_as, places, in_december):
    call = open_call()
    first, _code = submitted(call)
    second, _code = submitted(call, name="जल सेवा समिति भोपाल", darpan="MP/2018/0999999", email=None)
    third, _code = submitted(call, name="तीसरी संस्था", darpan="MP/2019/0888888")
    login_as(Role.ADMIN)
    url = f"/partners/calls/{call.id}/applications"
    assert client.post(f"{url}/{second.id}/state", data={"to": "duplicate", "duplicate_of": "EOI-999-000001"}
                       ).status_code == 302
    assert client.post(f"{url}/{second.id}/state", data={"to": "duplicate", "duplicate_of": second.reference}
                       ).status_code == 302
    db.session.refresh(second)
    assert second.state is S.SUBMITTED
    assert client.post(f"{url}/{second.id}/state", data={"to": "duplicate",
                                                         "duplicate_of": first.reference.lower()}).status_code == 302
    db.session.refresh(second)
    assert second.state is S.DUPLICATE and second.duplicate_of_id == first.id
    assert client.post(f"{url}/{third.id}/state", data={"to": "withdrawn", "note": "फ़ोन पर कहा"}).status_code == 302
    db.session.refresh(third)
    assert third.state is S.WITHDRAWN and third.events[-1].note == "फ़ोन पर कहा" and not third.events[-1].by_applicant


def test_the_list_filters_by_state_and_counts_each_state(client, login_as, places, in_december):
    call = open_call()
    first, _code = submitted(call)
    second, _code = submitted(call, name="दूसरी संस्था", darpan="MP/2018/0999999")
    put_in(second, S.SHORTLISTED)
    login_as(Role.DIRECTOR)
    page = client.get(f"/partners/calls/{call.id}/applications").get_data(as_text=True)
    assert "सभी (2)" in page and "जमा किया गया (1)" in page and "सूचीबद्ध (1)" in page
    shortlisted = client.get(f"/partners/calls/{call.id}/applications?state=shortlisted").get_data(as_text=True)
    assert second.reference in shortlisted and first.reference not in shortlisted
    assert screening.counts_by_state(call)[S.SHORTLISTED] == 1


def test_staff_who_only_read_calls_do_not_screen(client, login_as, places, in_december):
    call = open_call()
    application, _code = submitted(call)
    login_as(Role.DIRECTOR)
    url = f"/partners/calls/{call.id}/applications/{application.id}"
    assert "छँटाई शुरू करें" not in client.get(url).get_data(as_text=True)
    assert client.post(f"{url}/state", data={"to": "in_screening"}).status_code == 403
    assert client.post(f"/partners/calls/{call.id}/decisions/publish").status_code == 403


# The applicant withdraws


def test_the_applicant_withdraws_only_once_confirmed(client, places, in_december):
    call = open_call()
    application, code = submitted(call)
    client.post("/apply/status", data={"reference": application.reference, "code": code})
    assert client.post("/apply/status/withdraw", data={}).status_code == 400
    db.session.refresh(application)
    assert application.state is S.SUBMITTED
    assert client.post("/apply/status/withdraw", data={"confirm": "y"}).status_code == 302
    db.session.refresh(application)
    assert application.state is S.WITHDRAWN and application.events[-1].by_applicant
    page = client.get("/apply/status").get_data(as_text=True)
    assert "वापस लिया गया" in page and 'action="/apply/status/withdraw"' not in page
    again = client.post("/apply/status/withdraw", data={"confirm": "y"}, follow_redirects=True)
    assert "स्थिति अब नहीं बदल सकती" in again.get_data(as_text=True)
    assert len(application.events) == 2


def test_a_browser_that_gave_no_code_answers_and_withdraws_nothing(client, places, in_december):
    call = open_call()
    application, _code = submitted(call)
    assert client.post("/apply/status/withdraw", data={"confirm": "y"}).status_code == 302
    assert client.post("/apply/status/answer", data={"answer": "x"}).status_code == 302
    db.session.refresh(application)
    assert application.state is S.SUBMITTED


# Decisions


def test_decisions_are_seen_by_staff_only_then_published_together_with_a_message_each_and_only_once(
        client, login_as, places, in_december):
    call = open_call()
    first, code = submitted(call)
    second, _code = submitted(call, name="दूसरी संस्था", darpan="MP/2018/0999999", email=None, mobile="9876500022")
    third, _code = submitted(call, name="तीसरी संस्था", darpan="MP/2019/0888888", mobile="9876500033")
    put_in(first, S.SHORTLISTED)
    put_in(second, S.SHORTLISTED)
    put_in(third, S.IN_SCREENING)
    login_as(Role.TRAINER)
    url = f"/partners/calls/{call.id}"
    assert client.post(f"{url}/applications/{first.id}/decision",
                       data={"outcome": "selected", "note": "अभिविन्यास 5 जनवरी को"}).status_code == 302
    # Ticked in bulk: one application that cannot be decided refuses all.
    assert client.post(f"{url}/decisions", data={"applications": [second.id, third.id, first.id],
                                                 "outcome": "not_selected"}).status_code == 302
    assert client.post(f"{url}/decisions", data={"applications": [second.id, 999], "outcome": "not_selected"}
                       ).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ApplicationDecision)) == 3  # first's changed
    db.session.refresh(first)
    assert first.decision.outcome is DecisionOutcome.NOT_SELECTED
    assert client.post(f"{url}/applications/{first.id}/decision", data={"outcome": "selected",
                                                                        "note": "अभिविन्यास 5 जनवरी को"}
                       ).status_code == 302
    assert "3 तैयार निर्णय" in client.get(f"{url}/applications").get_data(as_text=True)
    # Nothing shows to the applicant yet.
    another_browser(client)
    page = client.post("/apply/status", data={"reference": first.reference, "code": code}).get_data(as_text=True)
    assert "चयनित" not in page and "अभिविन्यास" not in page
    # A withdrawal before publication keeps its application out of it.
    screening.withdraw(third)
    db.session.commit()
    login_as(Role.TRAINER, username="publisher")
    response = client.post(f"{url}/decisions/publish", follow_redirects=True)
    assert third.reference in response.get_data(as_text=True)
    for application in (first, second, third):
        db.session.refresh(application)
    assert (first.state, second.state, third.state) == (S.SELECTED, S.NOT_SELECTED, S.WITHDRAWN)
    assert first.decision.published_at == second.decision.published_at is not None
    assert third.decision.published_at is None
    assert first.events[-1].note == "अभिविन्यास 5 जनवरी को"
    decided = sorted((m.address, m.channel.value) for m in messages() if m.kind is MessageKind.APPLICATION_DECIDED)
    assert decided == [("9876500011", "sms"), ("9876500022", "sms"), ("rekha@example.org", "email")]
    assert any("चयनित" in m.text for m in messages() if m.kind is MessageKind.APPLICATION_DECIDED)
    # Publishing twice changes nothing.
    events = db.session.scalar(select(func.count()).select_from(ApplicationEvent))
    assert client.post(f"{url}/decisions/publish").status_code == 302
    assert db.session.scalar(select(func.count()).select_from(ApplicationEvent)) == events
    assert len([m for m in messages() if m.kind is MessageKind.APPLICATION_DECIDED]) == 3
    # The applicant now reads the decision and its note.
    another_browser(client)
    page = client.post("/apply/status", data={"reference": first.reference, "code": code}).get_data(as_text=True)
    assert "चयनित" in page and "अभिविन्यास 5 जनवरी को" in page


def test_a_decision_cannot_be_prepared_for_a_withdrawn_or_duplicate_application(app, places, in_december):
    call = open_call()
    application, _code = submitted(call)
    put_in(application, S.WITHDRAWN)
    with pytest.raises(StateError):
        screening.prepare_decision(application, DecisionOutcome.SELECTED, None)


# JSON


def test_the_staff_api_gives_each_application_s_state_decision_and_history(client, login_as, places, in_december):
    call = open_call()
    application, _code = submitted(call)
    put_in(application, S.SHORTLISTED)
    screening.prepare_decision(application, DecisionOutcome.SELECTED, None)
    db.session.commit()
    login_as(Role.BLOCK_OFFICER)
    listed = client.get(f"/api/v1/calls/{call.id}/applications?state=shortlisted").get_json()
    [one] = listed["applications"]
    assert listed["counts"]["shortlisted"] == 1 and one["state"] == "shortlisted"
    assert [(e["from_state"], e["to_state"]) for e in one["history"]] == [
        ("draft", "submitted"), ("submitted", "in_screening"), ("in_screening", "shortlisted")]
    assert one["history"][0]["by"] == "applicant" and one["decision"]["outcome"] == "selected"
    assert one["decision"]["published_at"] is None
    assert client.get(f"/api/v1/calls/{call.id}/applications?state=nothing").status_code == 400
    assert client.get(f"/api/v1/calls/{call.id}/applications/{application.id}").get_json()["id"] == application.id
    assert client.get(f"/api/v1/calls/{call.id}/applications/999").status_code == 404


# On a phone and a desktop


@pytest.mark.browser
def test_staff_screen_and_the_applicant_answers_on_a_360_px_phone_without_javascript(browser, live_server, tmp_path,
                                                                                     in_december):
    call = open_call()
    application, code = submitted(call)
    second, _code = submitted(call, name="दूसरी संस्था", darpan="MP/2018/0999999", mobile="9876500022")
    put_in(second, S.SHORTLISTED)
    ARTIFACTS.mkdir(exist_ok=True)
    (tmp_path / "ऑडिट.pdf").write_bytes(pdf_bytes())
    shots = []

    def fits(page, name: str, width: int) -> None:
        if width == 360:
            assert page_width(page) <= 360, name
        path = ARTIFACTS / f"screening-{name}-{width}.png"
        page.screenshot(path=str(path), full_page=True)
        shots.append(path)

    for width in (360, 1280):
        staff = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=False).new_page()
        sign_in(staff, live_server, "trainer")
        staff.goto(f"{live_server}/partners/calls/{call.id}/applications/{application.id}")
        if width == 360:
            staff.click("text=छँटाई शुरू करें")
            staff.fill("#note-more_information", "2024-25 का ऑडिट प्रतिवेदन भेजें")
            staff.click("text=और जानकारी माँगें")
            assert "और जानकारी माँगी गई" in staff.inner_text("#state")
        fits(staff, "application", width)
        staff.goto(f"{live_server}/partners/calls/{call.id}/applications")
        fits(staff, "list", width)
        applicant = browser.new_context(viewport={"width": width, "height": 800},
                                        java_script_enabled=False).new_page()
        applicant.goto(f"{live_server}/apply/status")
        applicant.fill("#reference", application.reference)
        applicant.fill("#code", code)
        applicant.click("main button[type=submit]")
        fits(applicant, "status", width)
        if width == 360:
            applicant.fill("#answer", "ऑडिट प्रतिवेदन संलग्न है।")
            applicant.set_input_files("#document", str(tmp_path / "ऑडिट.pdf"))
            applicant.click("text=उत्तर भेजें")
            assert "छँटाई में" in applicant.inner_text("#state")
            fits(applicant, "answered", width)
    db.session.expire_all()
    assert db.session.get(Application, application.id).events[-1].file_name == "ऑडिट.pdf"
