"""Certificates of participation for a programme's partner organisations: those that met the programme's one
completion rule get one each (however often asked, never again after a revocation or a replacement), in bulk from
the programme's certificates page on the job queue, their contacts are told once per certificate, and the PDF's QR
opens a verify page that shows the organisation; the JSON lists them with the programme's others."""
import re
from urllib.parse import urlsplit

import pytest
from sqlalchemy import func, select

from conftest import sessions_of
from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from tests.test_messaging import app, messages, sms, smtp, whatsapp  # noqa: F401 (fixtures: providers' stand-ins)
from tests.test_printables import decode, pdf_text, pdf_to_png
from tests.test_programme_partners import make_organisation
from trainer.attendance.models import MarkSource
from trainer.certificates import documents, services, signing
from trainer.certificates.models import (
    Audience,
    Certificate,
    CertificateBatch,
    CertificateKind,
    CertificateState,
    RecipientKind,
    WorkState,
)
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.messaging.kinds import MessageKind
from trainer.partners import attendance, partner_report, programme_partners
from trainer.partners.models import OrganisationContact
from trainer.programmes.models import Reach

VALID = "यह प्रमाण-पत्र मान्य है।"


@pytest.fixture
def partnered(app, make_programme, places):  # noqa: F811 (the messaging app fixture)
    """A programme reaching GPs and partners: A (district 111) at two sessions (400 and 450 people), B (district 121)
    at one (300), C (state-wide) at one (100), D at none; an organisation that is no partner marks too. A has a
    contact with a mobile and an e-mail, B one with a mobile only."""
    programme = make_programme()
    a = make_organisation("अमृत सेवा संस्थान", "Amrit Seva Sansthan", places.district(111))
    b = make_organisation("बेतवा जन समिति", "Betwa Jan Samiti", places.district(121))
    c = make_organisation("चंबल विकास मंच", "Chambal Vikas Manch")
    d = make_organisation("धार युवा मंडल", "Dhar Yuva Mandal", places.district(111))
    outsider = make_organisation("बाहरी संस्था", "Outsider", places.district(111))
    programme_partners.add_partners(programme, [a.id, b.id, c.id, d.id], None)
    programme_partners.set_reach(programme, Reach.BOTH)
    first, second = sessions_of(programme, 1)[:2]
    other = sessions_of(programme, 2)[0]
    for session, organisation, people in ((first, a, 400), (second, a, 450), (other, b, 300), (first, c, 100),
                                          (first, outsider, 50)):
        attendance.mark(session, organisation, people, MarkSource.CHECKLIST)
    db.session.add_all([
        OrganisationContact(organisation_id=a.id, name="रेखा वर्मा", mobile="9876500011", email="rekha@example.org"),
        OrganisationContact(organisation_id=b.id, name="सुनील", mobile="9876500022")])
    db.session.commit()
    return programme, (a, b, c, d, outsider)


def organisation_certificates() -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).where(Certificate.organisation_id.is_not(None))
                                   .order_by(Certificate.organisation_id)))


def issue_all(programme) -> list[int]:
    made = services.issue_to_partners(programme, list(db.session.scalars(
        services.partners_without_certificate(programme))))
    db.session.commit()
    return made


def test_each_partner_that_completed_gets_one_certificate_however_often_asked(app, partnered, places):
    programme, (a, b, c, d, outsider) = partnered
    with app.test_request_context():
        assert services.partners_completed_count(programme) == 3
        assert len(issue_all(programme)) == 3
        assert issue_all(programme) == []
        assert services.issue_to_partners(programme, [a.id, b.id]) == []
    issued = organisation_certificates()
    assert [cert.organisation_id for cert in issued] == [a.id, b.id, c.id]  # D attended nothing, outsider no partner
    first = issued[0]
    assert first.subject_key == f"p{programme.id}:o{a.id}" and first.recipient_kind is RecipientKind.ORGANISATION
    assert first.kind is CertificateKind.PARTICIPATION and first.gram_panchayat_id is None
    assert (first.recipient_hi, first.recipient_en) == ("अमृत सेवा संस्थान", "Amrit Seva Sansthan")
    assert first.district_id == places.district(111).id and first.block_id is None
    assert first.facts["organisation"] == {"id": a.id, "hi": "अमृत सेवा संस्थान", "en": "Amrit Seva Sansthan"}
    assert first.facts["district"]["code"] == 111 and first.facts["participants"] == 850
    assert [s["hi"] for s in first.facts["sessions"]] == ["मॉड्यूल 1", "मॉड्यूल 2"]
    assert "district" not in issued[2].facts and issued[2].district_id is None  # C is state-wide
    checked = signing.check(first.payload).essentials
    assert (checked.recipient, checked.recipient_code) == ("अमृत सेवा संस्थान", "")


def test_the_programmes_completion_rule_decides_for_partners_as_for_gram_panchayats(app, partnered):
    programme, (a, b, c, d, _outsider) = partnered
    programme.completion_sessions = 2
    db.session.commit()
    with app.test_request_context():
        assert services.partners_completed_count(programme) == 1
        issue_all(programme)
    assert [cert.organisation_id for cert in organisation_certificates()] == [a.id]
    report = partner_report.partner_report(programme)
    assert (report.attended, report.completed) == (3, 1)


def test_the_partner_report_says_how_many_partners_completed(client, login_as, partnered):
    programme, _organisations = partnered
    login_as(Role.ADMIN)
    assert client.get(f"/api/v1/programmes/{programme.id}/partner-attendance").get_json()["completed"] == 3
    page = client.get(f"/partners/programmes/{programme.id}/report").get_data(as_text=True)
    assert re.search(r'data-figure="completed">3</strong>ने कार्यक्रम पूरा किया', page)


def test_a_revoked_or_replaced_certificate_is_never_issued_again(app, partnered):
    programme, (a, b, c, d, _outsider) = partnered
    with app.test_request_context():
        issue_all(programme)
        first, second, _third = organisation_certificates()
        services.revoke(first, "गलत उपस्थिति", None)
        following = services.replace(second, None, recipient_hi="बेतवा जन समिति (पंजी.)", recipient_en="")
        db.session.commit()
        assert following.organisation_id == b.id and following.facts["participants"] == 300
        assert following.subject_key == second.subject_key and following.revision == 2
        assert issue_all(programme) == []
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 4


def test_a_planner_issues_the_partners_certificates_from_the_programme_page_and_tells_their_contacts(
        client, login_as, partnered):
    programme, (a, b, c, d, _outsider) = partnered
    login_as(Role.TRAINER)
    page = client.get(f"/certificates/programmes/{programme.id}").get_data(as_text=True)
    assert "3 साझेदार संस्थाओं ने कार्यक्रम पूरा किया।" in page
    assert "पूरा करने वाली साझेदार संस्थाएँ: 3।" in page and 'data-form="partners"' in page
    answer = client.post(f"/certificates/programmes/{programme.id}/partner-batches", data={"notify": "y"})
    batch = db.session.scalar(select(CertificateBatch))
    assert answer.headers["Location"].endswith(f"/certificates/batches/{batch.id}")
    assert batch.audience is Audience.PARTNERS and batch.last_organisation_id == c.id
    assert (batch.state, batch.total, batch.issued, batch.already) == (WorkState.DONE, 3, 3, 0)
    assert batch.messages == 3
    progress = client.get(f"/certificates/batches/{batch.id}").get_data(as_text=True)
    assert "<progress" in progress and "3 में से 3 साझेदार संस्थाओं" in progress
    told = [m for m in messages() if m.kind is MessageKind.PARTNER_CERTIFICATE_READY]
    assert sorted((m.channel.value, m.address) for m in told) == [
        ("email", "rekha@example.org"), ("sms", "9876500011"), ("sms", "9876500022")]
    serial_of = {cert.organisation_id: cert.serial for cert in organisation_certificates()}
    to_rekha = next(m for m in told if m.address == "9876500011")
    assert "अमृत सेवा संस्थान" in to_rekha.text and f"/C/{serial_of[a.id]}" in to_rekha.text
    assert "ग्राम पंचायत" not in to_rekha.text

    client.post(f"/certificates/programmes/{programme.id}/partner-batches", data={"notify": "y"})
    again = db.session.scalars(select(CertificateBatch).order_by(CertificateBatch.id.desc())).first()
    assert (again.issued, again.already, again.messages) == (0, 3, 0)
    assert len([m for m in messages() if m.kind is MessageKind.PARTNER_CERTIFICATE_READY]) == 3
    assert len(organisation_certificates()) == 3


def test_the_command_line_issues_the_partners_certificates(app, partnered):
    programme, _organisations = partnered
    runner = app.test_cli_runner()
    result = runner.invoke(args=["certificates", "issue", str(programme.id), "--partners"])
    assert result.exit_code == 0, result.output
    assert "3 partner organisations completed the programme: 3 certificates issued" in result.output
    again = runner.invoke(args=["certificates", "issue", str(programme.id), "--partners"])
    assert "0 certificates issued, 3 had theirs already" in again.output
    refused = runner.invoke(args=["certificates", "issue", str(programme.id), "--partners", "--district", "111"])
    assert refused.exit_code != 0 and len(organisation_certificates()) == 3


def test_only_planners_issue_the_partners_certificates(client, login_as, partnered):
    programme, _organisations = partnered
    login_as(Role.DISTRICT_OFFICER)
    assert client.post(f"/certificates/programmes/{programme.id}/partner-batches").status_code == 403
    assert db.session.scalar(select(func.count()).select_from(CertificateBatch)) == 0


def test_the_pdf_of_an_organisation_speaks_of_it_and_its_qr_opens_a_page_that_says_valid(client, app, partnered,
                                                                                        tmp_path):
    programme, (a, *_others) = partnered
    with app.test_request_context(base_url="https://prashikshan.mp.gov.in"):
        issue_all(programme)
        certificate = organisation_certificates()[0]
        pdf = documents.certificate_pdf(certificate)
    image = pdf_to_png(pdf, tmp_path, dpi=150)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "certificate-partner.png").write_bytes(image)
    [text] = decode(image)
    assert text == signing.qr_text(f"https://prashikshan.mp.gov.in/C/{certificate.payload}")
    words = pdf_text(pdf, tmp_path)
    assert "सहभागिता प्रमाण-पत्र" in words and "अमृत सेवा संस्थान" in words and "साझेदार संस्था" in words
    assert "ग्राम पंचायत" not in words and certificate.shown_serial in words
    page = client.get(urlsplit(text).path)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and VALID in body
    assert "अमृत सेवा संस्थान" in body and "साझेदार संस्था" in body and certificate.shown_serial in body
    assert re.search(r"<dd>\s*850\s*</dd>", body)
    typed = client.get("/certificates/verify", query_string={"serial": certificate.shown_serial})
    assert VALID in typed.get_data(as_text=True)


def test_the_json_lists_a_programmes_partner_certificates_with_its_others(client, login_as, auth, partnered, marked):
    programme, (a, b, c, d, _outsider) = partnered
    with client.application.test_request_context():
        issue_all(programme)
    login_as(Role.ADMIN)
    body = client.get("/api/v1/certificates", query_string={"programme_id": programme.id}).get_json()
    assert body["total"] == 3
    kinds = client.get("/api/v1/certificates", query_string={"programme_id": programme.id,
                                                              "recipient_kind": "organisation"}).get_json()
    assert sorted(row["organisation_id"] for row in kinds["certificates"]) == [a.id, b.id, c.id]
    assert all(row["gram_panchayat_code"] is None for row in kinds["certificates"])
    assert client.get("/api/v1/certificates", query_string={"recipient_kind": "x"}).status_code == 400
    auth.logout()
    login_as(Role.DISTRICT_OFFICER, area_code=111)  # A only
    mine = client.get("/api/v1/certificates", query_string={"programme_id": programme.id}).get_json()
    assert [row["organisation_id"] for row in mine["certificates"]] == [a.id]


def test_a_revoked_partner_certificate_says_so_on_its_verify_page(client, app, partnered):
    programme, _organisations = partnered
    with app.test_request_context():
        issue_all(programme)
        certificate = organisation_certificates()[0]
        services.revoke(certificate, "दोहराव", None)
        db.session.commit()
    body = client.get(f"/C/{certificate.payload}").get_data(as_text=True)
    assert "निरस्त" in body and "दोहराव" in body and certificate.state is CertificateState.REVOKED


@pytest.mark.browser
def test_on_a_phone_a_trainer_issues_the_partners_certificates_and_their_verify_page_fits(browser, live_server,
                                                                                         partnered):
    programme, _organisations = partnered
    ARTIFACTS.mkdir(exist_ok=True)
    page = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    sign_in(page, live_server, "trainer")
    page.goto(f"{live_server}/certificates/programmes/{programme.id}")
    assert "पूरा करने वाली साझेदार संस्थाएँ: 3।" in page.inner_text("main")
    assert page_width(page) <= 360
    page.screenshot(path=str(ARTIFACTS / "certificates-partners-programme-360.png"), full_page=True)
    page.check("form[data-form=partners] input[name=notify]")
    page.click("form[data-form=partners] button[type=submit]")
    assert "कार्यक्रम पूरा करने वाली 3 में से 3 साझेदार संस्थाओं के पास प्रमाण-पत्र है" in page.inner_text("main")
    assert "3 संदेश साझेदार संस्थाओं को भेजे जा रहे हैं।" in page.inner_text("main")
    assert page_width(page) <= 360
    page.screenshot(path=str(ARTIFACTS / "certificates-partners-batch-360.png"), full_page=True)
    serial = organisation_certificates()[0].serial
    phone = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False).new_page()
    phone.goto(f"{live_server}/C/{serial}")
    assert VALID in phone.inner_text("main") and "साझेदार संस्था" in phone.inner_text("main")
    assert page_width(phone) <= 360
    phone.screenshot(path=str(ARTIFACTS / "certificates-partner-verify-360.png"), full_page=True)
