"""Calls for expressions of interest: opening and changing one, its screening criteria and documents, the days it
is open, who reads and changes them; applications on the public page (drafts, codes, PDFs checked by their
content, linking to the registry, duplicates) and the PDFs served to staff only."""
import hashlib
import io
import re
from datetime import UTC, date, datetime

import pypdfium2
import pytest
from sqlalchemy import func, select

from tests.browser_support import ARTIFACTS, browser, live_server, page_width  # noqa: F401 (fixtures)
from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.partners import applications, calls, services
from trainer.partners.calls import CallError, CallValues, CriterionValues
from trainer.partners.models import (
    Application,
    ApplicationDocument,
    ApplicationState,
    Call,
    CallCriterion,
    CallDocument,
    Organisation,
    OrganisationKind,
)

JJM = "Jal Jeevan Mission sector partners 2026"


def make_call(**values) -> Call:
    values = {"title_hi": "जल जीवन मिशन सेक्टर पार्टनर 2026", "title_en": JJM, "opens_on": date(2026, 12, 1),
              "closes_on": date(2026, 12, 31), "themes": ("water", "sanitation"), **values}
    call = calls.save_call(CallValues(**values), None)
    db.session.commit()
    return call


def test_a_call_keeps_its_titles_dates_and_themes_in_the_fixed_order(app):
    call = make_call(themes=("sanitation", "water"), description_hi="विवरण")
    assert call.theme_keys == ["water", "sanitation"] and call.description_hi == "विवरण"
    calls.save_call(CallValues(title_en="Renamed", opens_on=date(2026, 12, 2), closes_on=date(2026, 12, 2),
                               themes=("health",)), None, call)
    db.session.commit()
    assert (call.title_hi, call.title_en, call.theme_keys) == ("", "Renamed", ["health"])


@pytest.mark.parametrize("values", [dict(title_hi="", title_en=" "), dict(closes_on=date(2026, 11, 30)),
                                    dict(themes=("water", "space"))])
def test_a_call_without_a_title_closing_before_it_opens_or_with_an_unknown_theme_is_refused(app, values):
    with pytest.raises(CallError):
        make_call(**values)
    db.session.rollback()
    assert db.session.scalar(select(func.count(Call.id))) == 0


def test_a_call_is_open_from_its_first_to_its_last_day_in_india(app, monkeypatch):
    call = make_call()
    assert [calls.is_open(call, day) for day in (date(2026, 11, 30), date(2026, 12, 1), date(2026, 12, 31),
                                                 date(2027, 1, 1))] == [False, True, True, False]
    # 31 December 19:00 UTC is already 1 January in Asia/Kolkata.
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 31, 19, 0, tzinfo=UTC))
    assert not calls.is_open(call)


def test_criteria_and_documents_are_added_and_removed(app):
    call = make_call()
    criterion = calls.add_criterion(call, CriterionValues(text_hi="3 वर्ष से पंजीकृत", text_en="Registered for 3 years",
                                                          weight=2, max_score=5, required=True))
    document = calls.add_document(call, "पंजीयन प्रमाण-पत्र", "Registration certificate", True)
    db.session.commit()
    assert [(c.text_en, c.weight, c.max_score, c.required) for c in call.criteria] == [
        ("Registered for 3 years", 2, 5, True)]
    assert [d.name_hi for d in call.documents] == ["पंजीयन प्रमाण-पत्र"]
    calls.remove_criterion(call, criterion)
    calls.remove_document(call, document)
    db.session.commit()
    assert db.session.scalar(select(func.count(CallCriterion.id))) == 0
    assert db.session.scalar(select(func.count(CallDocument.id))) == 0
    with pytest.raises(CallError):
        calls.add_criterion(call, CriterionValues())
    with pytest.raises(CallError):
        calls.add_document(call, " ", "", False)


# Pages


def test_a_planner_opens_a_call_and_adds_a_criterion_and_a_document(client, login_as):
    login_as(Role.TRAINER)
    assert client.get("/partners/calls/new").status_code == 200
    response = client.post("/partners/calls/new", data={
        "title_hi": "जल जीवन मिशन", "title_en": JJM, "description_hi": "पहली पंक्ति\nदूसरी पंक्ति",
        "opens_on": "2026-12-01", "closes_on": "2026-12-31", "themes": ["water", "health"]})
    assert response.status_code == 302
    call = db.session.scalar(select(Call))
    assert call.title_en == JJM and call.theme_keys == ["water", "health"]
    assert client.post(f"/partners/calls/{call.id}/criteria", data={
        "text_hi": "3 वर्ष से पंजीकृत", "weight": "3", "max_score": "10", "required": "y"}).status_code == 302
    assert client.post(f"/partners/calls/{call.id}/documents", data={
        "name_hi": "पंजीयन प्रमाण-पत्र", "required": "y"}).status_code == 302
    page = client.get(f"/partners/calls/{call.id}").get_data(as_text=True)
    assert "जल जीवन मिशन" in page and "3 वर्ष से पंजीकृत" in page and "पंजीयन प्रमाण-पत्र" in page
    assert "<p>पहली पंक्ति</p>" in page
    db.session.refresh(call)
    criterion, document = call.criteria[0], call.documents[0]
    assert criterion.required and criterion.weight == 3
    assert client.post(f"/partners/calls/{call.id}/criteria/{criterion.id}/remove").status_code == 302
    assert client.post(f"/partners/calls/{call.id}/documents/{document.id}/remove").status_code == 302
    assert db.session.scalar(select(func.count(CallCriterion.id))) == 0
    assert db.session.scalar(select(func.count(CallDocument.id))) == 0


def test_a_call_form_with_mistakes_is_shown_again_in_hindi(client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/partners/calls/new", data={"title_hi": "", "title_en": "", "opens_on": "2026-12-31",
                                                       "closes_on": "2026-12-01"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count(Call.id))) == 0
    call = make_call()
    response = client.post(f"/partners/calls/{call.id}/edit", data={
        "title_hi": "नया", "opens_on": "2026-12-31", "closes_on": "2026-12-01"})
    assert response.status_code == 400
    db.session.refresh(call)
    assert call.title_hi != "नया"
    response = client.post(f"/partners/calls/{call.id}/criteria", data={"text_hi": "", "weight": "0",
                                                                      "max_score": "10"})
    assert response.status_code == 400 and call.criteria == []


def test_a_planner_changes_a_call(client, login_as):
    login_as(Role.ADMIN)
    call = make_call()
    assert JJM in client.get(f"/partners/calls/{call.id}/edit").get_data(as_text=True)
    response = client.post(f"/partners/calls/{call.id}/edit", data={
        "title_hi": "नया शीर्षक", "title_en": "", "opens_on": "2026-12-05", "closes_on": "2027-01-15",
        "themes": ["climate"]})
    assert response.status_code == 302
    db.session.refresh(call)
    assert (call.title_hi, call.title_en, call.closes_on, call.theme_keys) == (
        "नया शीर्षक", "", date(2027, 1, 15), ["climate"])


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER])
def test_staff_of_any_area_read_calls_but_only_planners_change_them(client, login_as, role):
    call = make_call()
    calls.add_criterion(call, CriterionValues(text_hi="अनुभव"))
    db.session.commit()
    login_as(role)
    assert JJM not in client.get("/partners/calls").get_data(as_text=True)  # the page speaks Hindi first
    assert "जल जीवन मिशन" in client.get("/partners/calls").get_data(as_text=True)
    page = client.get(f"/partners/calls/{call.id}").get_data(as_text=True)
    assert "अनुभव" in page and "/remove" not in page and "/edit" not in page
    assert client.get("/partners/calls/new").status_code == 403
    assert client.post(f"/partners/calls/{call.id}/criteria", data={"text_hi": "x", "weight": "1",
                                                                    "max_score": "1"}).status_code == 403
    assert len(call.criteria) == 1


def test_the_secretary_and_the_signed_out_read_no_calls(client, login_as):
    call = make_call()
    assert client.get(f"/partners/calls/{call.id}").status_code == 302
    login_as(Role.SECRETARY)
    assert client.get("/partners/calls").status_code == 403


def test_an_unknown_call_criterion_or_document_is_not_found(client, login_as):
    login_as(Role.ADMIN)
    call = make_call()
    assert client.get("/partners/calls/999999").status_code == 404
    assert client.get("/partners/calls/2147483648").status_code == 404
    assert client.post(f"/partners/calls/{call.id}/criteria/999/remove").status_code == 404
    assert client.post(f"/partners/calls/{call.id}/documents/999/remove").status_code == 404


# Applications


def pdf_bytes() -> bytes:
    document = pypdfium2.PdfDocument.new()
    document.new_page(200, 200).close()
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()


def open_call() -> Call:
    call = make_call(opens_on=date(2026, 12, 1), closes_on=date(2026, 12, 31))
    calls.add_criterion(call, CriterionValues(text_hi="3 वर्ष से पंजीकृत", required=True))
    calls.add_document(call, "पंजीयन प्रमाण-पत्र", "Registration certificate", True)
    db.session.commit()
    return call


@pytest.fixture
def in_december(monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 12, 10, 6, 0, tzinfo=UTC))


APPLICANT = {"name_hi": "जल सेवा समिति", "name_en": "Jal Seva Samiti", "kind": "ngo", "darpan_id": "MP/2017/0123456",
             "pan": "", "registration_number": "", "district": "", "contact_name": "सुनीता वर्मा",
             "contact_mobile": "98765 43210", "contact_email": "", "themes": ["water"]}


def post_application(client, call, action="draft", content=None, file_name="certificate.pdf", **changes):
    data = {**APPLICANT, **changes, "action": action}
    if content is not None:
        data[f"document-{call.documents[0].id}"] = (io.BytesIO(content), file_name)
    return client.post(f"/apply/{call.id}", data=data, content_type="multipart/form-data")


def test_an_organisation_saves_a_draft_comes_back_with_its_code_and_submits(client, places, in_december):
    call = open_call()
    page = client.get(f"/apply/{call.id}").get_data(as_text=True)
    assert "जल जीवन मिशन" in page and "पंजीयन प्रमाण-पत्र" in page and 'enctype="multipart/form-data"' in page
    response = post_application(client, call, content=pdf_bytes())
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    application = db.session.scalar(select(Application))
    assert application.reference == f"EOI-{call.id}-000001" and application.state is ApplicationState.DRAFT
    code = re.search(r'id="code">(\d{8})<', page).group(1)
    assert code not in application.code_hash and len(application.code_hash) == 64
    [document] = application.documents
    assert document.size == len(document.content) and document.file_name == "certificate.pdf"
    assert document.sha256 == hashlib.sha256(document.content).hexdigest()
    # Another browser: the reference and the code open the draft, which is then submitted.
    client.delete_cookie("session")
    with client.session_transaction() as browser:
        browser.clear()
    assert client.post("/apply/status", data={"reference": application.reference, "code": "00000000"}
                       ).status_code == 400
    page = client.post("/apply/status", data={"reference": application.reference.lower(), "code": code})
    assert page.status_code == 200 and "प्रारूप" in page.get_data(as_text=True)
    assert "सुनीता वर्मा" in client.get(f"/apply/{call.id}").get_data(as_text=True)
    response = post_application(client, call, action="submit")
    assert response.status_code == 200 and 'id="code"' not in response.get_data(as_text=True)
    db.session.refresh(application)
    assert application.state is ApplicationState.SUBMITTED and application.submitted_at is not None
    organisation = application.organisation
    assert organisation.name_hi == "जल सेवा समिति" and organisation.darpan_id == "MP/2017/0123456"
    assert [person.mobile for person in organisation.people] == ["9876543210"]
    assert calls.has_applications(call)


def test_a_submission_reuses_the_organisation_with_the_same_identifier_and_flags_a_second_application(
        client, places, in_december):
    call = open_call()
    known = services.save_organisation(services.OrganisationValues(name_en="Jal Seva", darpan_id="mp 2017 0123456"),
                                       None)
    db.session.commit()
    assert post_application(client, call, action="submit", content=pdf_bytes()).status_code == 200
    with client.session_transaction() as browser:
        browser.clear()
    assert post_application(client, call, action="submit", content=pdf_bytes(), name_en="Jal Seva Samiti Bhopal"
                            ).status_code == 200
    first, second = db.session.scalars(select(Application).order_by(Application.id))
    assert first.organisation_id == second.organisation_id == known.id
    assert (first.state, second.state) == (ApplicationState.SUBMITTED, ApplicationState.DUPLICATE)
    assert second.duplicate_of_id == first.id
    assert db.session.scalar(select(func.count(Organisation.id))) == 1


def test_an_application_without_the_required_document_is_not_submitted(client, places, in_december):
    call = open_call()
    response = post_application(client, call, action="submit")
    assert response.status_code == 400 and "पंजीयन प्रमाण-पत्र" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Application.id))) == 0


@pytest.mark.parametrize("content, file_name", [(b"MZ\x90\x00" + b"\x00" * 200, "certificate.pdf"),
                                                (b"%PDF-1.4\nMZ not a real pdf", "certificate.pdf"),
                                                (b"%PDF-" + b"0" * (64 * 1024), "big.pdf")])
def test_an_executable_a_broken_pdf_or_a_file_too_large_is_refused_in_hindi(client, app, places, in_december, content,
                                                                             file_name):
    app.config["APPLICATION_DOCUMENT_MAX_BYTES"] = 32 * 1024
    call = open_call()
    response = post_application(client, call, content=content, file_name=file_name)
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "PDF" in page and ("फ़ाइल" in page or "MB" in page)
    assert db.session.scalar(select(func.count(ApplicationDocument.id))) == 0


def test_before_and_after_its_days_a_call_shows_a_clear_page_and_takes_nothing(client, places, monkeypatch):
    call = open_call()
    monkeypatch.setattr(clock, "now", lambda: datetime(2026, 11, 30, 6, 0, tzinfo=UTC))
    page = client.get(f"/apply/{call.id}")
    assert page.status_code == 200 and "से आवेदन" in page.get_data(as_text=True)
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 1, 1, 6, 0, tzinfo=UTC))
    response = post_application(client, call, content=pdf_bytes())
    assert response.status_code == 200 and "बंद" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count(Application.id))) == 0


def test_wrong_codes_are_limited_per_address(client, app, places, in_december):
    app.config["APPLICATION_CODE_LIMIT_PER_ADDRESS"] = "3 per 15 minutes"
    call = open_call()
    application, code = applications.start_application(call, applications.ApplicationValues(
        kind=OrganisationKind.NGO, name_hi="जल सेवा समिति"))
    db.session.commit()
    answers = [client.post("/apply/status", data={"reference": application.reference, "code": "12345678"}).status_code
               for _ in range(3)]
    assert answers == [400, 400, 400]
    assert client.post("/apply/status", data={"reference": application.reference, "code": code}).status_code == 429


def test_only_staff_download_an_application_s_pdf_as_an_attachment(client, login_as, places, in_december):
    call = open_call()
    content = pdf_bytes()
    application, _code = applications.start_application(call, applications.ApplicationValues(
        kind=OrganisationKind.NGO, name_hi="जल सेवा समिति"), (applications.Upload(call.documents[0].id, "प्रमाण.pdf",
                                                                                  content),))
    db.session.commit()
    url = f"/partners/calls/{call.id}/applications/{application.id}/documents/{application.documents[0].id}"
    assert client.get(url).status_code == 302
    login_as(Role.BLOCK_OFFICER)
    page = client.get(f"/partners/calls/{call.id}").get_data(as_text=True)
    assert application.reference in page and url in page
    response = client.get(url)
    assert response.status_code == 200 and response.data == content
    assert response.headers["Content-Disposition"].startswith("attachment")
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert client.get(f"/partners/calls/{call.id}/applications/{application.id}/documents/999").status_code == 404


def test_a_call_with_submitted_applications_keeps_its_criteria_and_documents(client, login_as, places, in_december):
    call = open_call()
    draft, _code = applications.start_application(call, applications.ApplicationValues(
        kind=OrganisationKind.NGO, name_hi="क", contact_name="रेखा", contact_mobile="9876500011", themes=("water",)),
        (applications.Upload(call.documents[0].id, "a.pdf", pdf_bytes()),))
    db.session.commit()
    assert not calls.has_applications(call)  # a draft settles nothing yet
    applications.submit(draft)
    db.session.commit()
    with pytest.raises(CallError):
        calls.remove_criterion(call, call.criteria[0])
    db.session.rollback()
    login_as(Role.ADMIN)
    response = client.post(f"/partners/calls/{call.id}/documents/{call.documents[0].id}/remove")
    assert response.status_code == 302
    assert len(call.documents) == 1
    assert "जैसे हैं वैसे ही" in client.get(f"/partners/calls/{call.id}").get_data(as_text=True)


# JSON


def test_staff_read_calls_and_their_applications_as_json_with_contacts_masked(client, login_as, places, in_december):
    call = open_call()
    application, _code = applications.start_application(call, applications.ApplicationValues(
        kind=OrganisationKind.NGO, name_hi="जल सेवा समिति", contact_name="रेखा", contact_mobile="9876500011",
        contact_email="rekha@example.org", themes=("water",)), (applications.Upload(call.documents[0].id, "a.pdf",
                                                                                  pdf_bytes()),))
    db.session.commit()
    assert client.get("/api/v1/calls").status_code == 401
    login_as(Role.BLOCK_OFFICER)
    listed = client.get("/api/v1/calls").get_json()
    assert listed["total"] == 1 and listed["calls"][0]["title_en"] == JJM and listed["calls"][0]["open"] is True
    one = client.get(f"/api/v1/calls/{call.id}").get_json()
    assert [c["text_hi"] for c in one["criteria"]] == ["3 वर्ष से पंजीकृत"] and one["documents"][0]["required"]
    [sent] = client.get(f"/api/v1/calls/{call.id}/applications").get_json()["applications"]
    assert sent["reference"] == application.reference and sent["state"] == "draft"
    assert "9876500011" not in str(sent) and "rekha@example.org" not in str(sent)
    assert sent["documents"][0]["sha256"] == application.documents[0].sha256
    assert client.get("/api/v1/calls/999/applications").status_code == 404
    assert client.get(f"/api/v1/calls/{call.id}/applications?page=x").status_code == 400
    assert client.get("/api/v1/calls?page=").status_code == 400


# On a phone


@pytest.mark.browser
def test_an_organisation_applies_from_a_360_px_phone_without_javascript(browser, live_server, tmp_path, in_december):
    call = open_call()
    ARTIFACTS.mkdir(exist_ok=True)
    (tmp_path / "प्रमाण-पत्र.pdf").write_bytes(pdf_bytes())
    (tmp_path / "setup.pdf").write_bytes(b"MZ\x90\x00\x03" + b"\x00" * 500)  # an executable renamed .pdf
    phone = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False).new_page()

    def fits(name: str) -> None:
        assert page_width(phone) <= 360, name
        phone.screenshot(path=str(ARTIFACTS / f"apply-{name}-360.png"), full_page=True)

    phone.goto(f"{live_server}/apply/{call.id}")
    assert "पंजीयन प्रमाण-पत्र" in phone.inner_text("main")
    fits("form")
    phone.fill("#name_hi", "जल सेवा समिति")
    phone.select_option("#kind", "ngo")
    phone.fill("#darpan_id", "MP/2017/0123456")
    phone.fill("#contact_name", "सुनीता वर्मा")
    phone.fill("#contact_mobile", "9876543210")
    phone.check("input[name=themes][value=water]")
    phone.set_input_files(f"#document-{call.documents[0].id}", str(tmp_path / "setup.pdf"))
    phone.click("button[value=draft]")
    assert "यह फ़ाइल PDF नहीं है" in phone.inner_text("main")
    fits("disguised-executable")
    phone.set_input_files(f"#document-{call.documents[0].id}", str(tmp_path / "प्रमाण-पत्र.pdf"))
    phone.click("button[value=draft]")
    reference, code = phone.inner_text("#reference"), phone.inner_text("#code")
    assert re.fullmatch(r"EOI-\d+-000001", reference) and re.fullmatch(r"\d{8}", code)
    fits("draft-saved")
    # Later, from another phone: the reference and the code open the draft, which is then submitted.
    other = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False).new_page()
    other.goto(f"{live_server}/apply/status")
    other.fill("#reference", reference)
    other.fill("#code", code)
    other.click("main button[type=submit]")
    assert "प्रारूप" in other.inner_text("#state")
    other.click("text=आवेदन पूरा करें")
    assert other.input_value("#contact_name") == "सुनीता वर्मा"
    assert "प्रमाण-पत्र.pdf" in other.inner_text("main")
    other.click("button[value=submit]")
    assert "आपका आवेदन जमा हो गया।" in other.inner_text("main")
    phone = other
    fits("submitted")
    db.session.expire_all()
    application = db.session.scalar(select(Application))
    assert application.state is ApplicationState.SUBMITTED and application.organisation.darpan_id == "MP/2017/0123456"
