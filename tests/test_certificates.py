"""Certificates as people use them: a planner designs and issues them in bulk (once, however often asked), an
officer prints a district's, a secretary downloads the GP's on a phone, and anyone checks one from its QR code —
decoded from the PDF rendered to an image — or its serial: valid, revoked, replaced or not valid."""
import base64
import io
import re
from urllib.parse import urlsplit

import pypdfium2
import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from PIL import Image
from sqlalchemy import func, select

from tests.browser_support import ARTIFACTS
from tests.test_printables import decode, pdf_text, pdf_to_png
from trainer.attendance import device
from trainer.attendance import services as attendance
from trainer.attendance.qr import make_qr
from trainer.certificates import documents, services, signing, verification
from trainer.certificates.models import (
    Certificate,
    CertificateBatch,
    CertificateBundle,
    CertificateDesign,
    CertificateKind,
    CertificateState,
    RecipientKind,
    WorkState,
)
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.regions.areas import STATE

NOT_VALID = "मान्य नहीं"
VALID = "यह प्रमाण-पत्र मान्य है।"


def certificates() -> list[Certificate]:
    return list(db.session.scalars(select(Certificate).order_by(Certificate.id)))


def issue_all(programme) -> list[Certificate]:
    services.issue_participation(programme, list(db.session.scalars(
        services.completed_without_certificate(programme, STATE))))
    db.session.commit()
    return certificates()


def png(color=(20, 60, 160), size=(300, 120)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, format="PNG")
    return buffer.getvalue()


# Issuing in bulk


def test_a_planner_issues_a_programmes_certificates_in_bulk_once_however_often_asked(client, login_as, marked,
                                                                                  places):
    login_as(Role.TRAINER)
    page = client.get(f"/certificates/programmes/{marked.id}")
    assert page.status_code == 200 and "3 ग्राम पंचायतों ने कार्यक्रम पूरा" in page.get_data(as_text=True)
    answer = client.post(f"/certificates/programmes/{marked.id}/batches", data={"district": ""})
    assert answer.status_code == 302
    batch = db.session.scalar(select(CertificateBatch))
    assert answer.headers["Location"].endswith(f"/certificates/batches/{batch.id}")
    assert (batch.state, batch.total, batch.issued, batch.already) == (WorkState.DONE, 3, 3, 0)
    progress = client.get(f"/certificates/batches/{batch.id}").get_data(as_text=True)
    assert "<progress" in progress and 'http-equiv="refresh"' not in progress
    assert {c.gram_panchayat_id for c in certificates()} == {places.gp(code).id for code in (11111, 11112, 12111)}

    client.post(f"/certificates/programmes/{marked.id}/batches", data={"district": ""})
    again = db.session.scalars(select(CertificateBatch).order_by(CertificateBatch.id.desc())).first()
    assert (again.issued, again.already) == (0, 3)
    assert len(certificates()) == 3
    assert len({c.serial for c in certificates()}) == 3


def test_issuing_the_same_gps_again_makes_nothing(app, marked, places):
    gp_ids = [places.gp(11111).id, places.gp(11112).id]
    with app.test_request_context():
        first = services.issue_participation(marked, gp_ids)
        second = services.issue_participation(marked, gp_ids)
    db.session.commit()
    assert len(first) == 2 and second == []
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 2


def test_only_gps_that_met_the_reports_completion_rule_get_one(app, marked, places):
    marked.completion_sessions = 2  # only GP 11112 attended two sessions
    db.session.commit()
    with app.test_request_context():
        made = issue_all(marked)
    assert [c.gram_panchayat_id for c in made] == [places.gp(11112).id]
    facts = made[0].facts
    assert facts["participants"] == 10 and len(facts["sessions"]) == 2
    assert facts["gp"]["code"] == 11112 and facts["district"]["code"] == 111


def test_a_district_batch_issues_only_that_districts_gps(client, login_as, marked, places):
    login_as(Role.ADMIN)
    client.post(f"/certificates/programmes/{marked.id}/batches", data={"district": "111"})
    assert {c.gram_panchayat_id for c in certificates()} == {places.gp(11111).id, places.gp(11112).id}


def test_a_revoked_certificate_is_not_issued_again_by_a_batch(app, marked, places):
    with app.test_request_context():
        first = issue_all(marked)[0]
        services.revoke(first, "गलत उपस्थिति", None)
        db.session.commit()
        assert issue_all(marked) == certificates() and len(certificates()) == 3


# The document and its QR code


def test_the_pdf_is_a_landscape_a4_under_200_kb_whose_qr_opens_a_page_that_says_valid(client, app, marked, places,
                                                                                     tmp_path):
    with app.test_request_context(base_url="https://prashikshan.mp.gov.in"):
        certificate = issue_all(marked)[0]
        pdf = documents.certificate_pdf(certificate)
        qr = make_qr(signing.qr_text(documents.verify_url(certificate.payload)))
    assert len(pdf) < 200 * 1024
    document = pypdfium2.PdfDocument(pdf)
    try:
        width, height = document[0].get_size()
    finally:
        document.close()
    assert round(width) == 842 and round(height) == 595  # A4 landscape, in points
    assert qr.version <= 10
    image = pdf_to_png(pdf, tmp_path, dpi=150)
    ARTIFACTS.mkdir(exist_ok=True)
    (ARTIFACTS / "certificate-participation.png").write_bytes(image)
    [text] = decode(image)
    assert text == signing.qr_text(f"https://prashikshan.mp.gov.in/C/{certificate.payload}")
    assert re.fullmatch(r"[0-9A-Z $%*+\-./:]+", text)  # the QR's alphanumeric mode
    page = client.get(urlsplit(text).path)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and VALID in body
    assert "ग्राम 1111" in body and certificate.shown_serial in body
    words = pdf_text(pdf, tmp_path)
    assert "सहभागिता प्रमाण-पत्र" in words and "ग्राम 1111" in words and certificate.shown_serial in words


def test_a_district_bundle_prints_every_valid_certificate_of_the_district(client, login_as, marked, places):
    with client.application.test_request_context():
        made = issue_all(marked)
        services.revoke(next(c for c in made if c.gram_panchayat_id == places.gp(11112).id), "दोहराव", None)
        db.session.commit()
    login_as(Role.DISTRICT_OFFICER)
    answer = client.post(f"/certificates/programmes/{marked.id}/bundles", data={"district": "111"})
    bundle = db.session.scalar(select(CertificateBundle))
    assert answer.headers["Location"].endswith(f"/certificates/bundles/{bundle.id}")
    assert bundle.state is WorkState.DONE and bundle.pages == 1
    pdf = client.get(f"/certificates/bundles/{bundle.id}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    client.post(f"/certificates/programmes/{marked.id}/bundles", data={"district": "111"})
    assert db.session.scalar(select(func.count()).select_from(CertificateBundle)) == 1  # still fresh: the same
    assert client.post(f"/certificates/programmes/{marked.id}/bundles", data={"district": "121"}).status_code == 403


# Verifying


@pytest.fixture
def issued(app, marked):
    with app.test_request_context():
        return issue_all(marked)


def verdict(client, code: str) -> str:
    answer = client.get(f"/C/{code}")
    assert answer.status_code == 200
    return answer.get_data(as_text=True)


def test_an_altered_qr_another_keys_qr_and_an_unknown_serial_each_say_not_valid(client, issued):
    certificate = issued[0]
    raw = base64.b32decode(certificate.payload + "=" * (-len(certificate.payload) % 8))
    message = raw[:-64].replace("ग्राम 1111".encode(), "ग्राम 9999".encode())
    altered = base64.b32encode(message + raw[-64:]).decode().rstrip("=")
    assert NOT_VALID in verdict(client, altered)
    stranger = Ed25519PrivateKey.generate()
    forged = base64.b32encode(raw[:-64] + stranger.sign(raw[:-64])).decode().rstrip("=")
    assert NOT_VALID in verdict(client, forged)
    assert NOT_VALID in verdict(client, "ZZZZZ-ZZZZZ".replace("-", ""))
    assert NOT_VALID in verdict(client, "not-a-code")
    assert VALID in verdict(client, certificate.payload) and VALID in verdict(client, certificate.serial)


def test_a_serial_typed_by_hand_in_any_case_with_its_dash_works(client, issued):
    serial = issued[0].shown_serial.lower().replace("0", "o")
    answer = client.get("/certificates/verify", query_string={"serial": serial})
    assert answer.status_code == 200 and VALID in answer.get_data(as_text=True)
    assert answer.headers["Cache-Control"] == "no-store"


def test_a_revoked_certificate_says_why_and_a_replaced_one_names_its_successor(client, login_as, issued):
    first, second = issued[0], issued[1]
    login_as(Role.TRAINER)
    client.post(f"/certificates/{first.serial}/revoke", data={"reason": "उपस्थिति गलत दर्ज हुई"})
    answer = client.post(f"/certificates/{second.serial}/replace", data={"recipient_hi": "ग्राम 1112 (सुधार)"})
    following = db.session.scalar(select(Certificate).where(Certificate.replaces_id == second.id))
    assert answer.headers["Location"].endswith(f"/certificates/{following.serial}")
    client.post("/logout")
    revoked = verdict(client, first.payload)
    assert "निरस्त" in revoked and "उपस्थिति गलत दर्ज हुई" in revoked
    replaced = verdict(client, second.payload)
    assert following.shown_serial in replaced and NOT_VALID not in replaced
    assert VALID in verdict(client, following.payload) and "ग्राम 1112 (सुधार)" in verdict(client, following.serial)
    assert second.state is CertificateState.REPLACED and following.revision == 2


def test_the_verify_page_is_rate_limited(make_app, places, marked):
    app = make_app(CERTIFICATE_VERIFY_LIMIT="3 per minute")
    client = app.test_client()
    with app.app_context():
        statuses = [client.get("/C/ABCDEFGHJK").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]


def test_the_public_key_is_published_and_checks_the_code(client, issued):
    key = client.get("/api/v1/certificates/key").get_json()
    public = signing.parse_public_key(key["public_key_pem"])
    raw = base64.b32decode(issued[0].payload + "=" * (-len(issued[0].payload) % 8))
    public.verify(raw[-64:], raw[:-64])  # raises if the published key did not sign it
    assert key["key_id"] == issued[0].key_id
    assert client.get("/certificates/key.pem").get_data(as_text=True) == key["public_key_pem"]
    answer = client.get(f"/api/v1/certificates/verify/{issued[0].serial}").get_json()
    assert answer["status"] == "valid" and answer["certificate"]["recipient_hi"] == "ग्राम 1111"


def test_a_retired_key_still_verifies_what_it_signed(make_app, issued):
    code, old_public = issued[0].payload, signing.public_key_text(signing.keys().public)
    new_key = base64.b64encode(bytes(range(32))).decode()
    rotated = make_app(CERTIFICATE_SIGNING_KEY=new_key, CERTIFICATE_RETIRED_PUBLIC_KEYS=old_public)
    with rotated.app_context():
        assert verification.verify(code).status == verification.VALID
    stranger = make_app(CERTIFICATE_SIGNING_KEY=new_key)
    with stranger.app_context():
        assert verification.verify(code).status == verification.NOT_VALID


# The secretary's phone


def test_a_secretary_downloads_the_gps_certificate_from_the_remembered_phone(client, issued, places):
    code = attendance.issue_code(places.gp(11111))
    db.session.commit()
    assert "LGD" in client.get("/certificates/mine").get_data(as_text=True)
    wrong = client.post("/certificates/mine", data={"gp_code": "11111", "access_code": "0000 0000"})
    assert wrong.status_code == 400 and "गलत" in wrong.get_data(as_text=True)
    page = client.post("/certificates/mine", data={"gp_code": "11111", "access_code": code})
    assert page.status_code == 200 and device.GP_COOKIE in page.headers.get("Set-Cookie", "")
    mine = next(c for c in issued if c.gram_panchayat_id == places.gp(11111).id)
    other = next(c for c in issued if c.gram_panchayat_id == places.gp(11112).id)
    listing = client.get("/certificates/mine").get_data(as_text=True)
    assert mine.shown_serial in listing and other.shown_serial not in listing
    pdf = client.get(f"/certificates/mine/{mine.serial}.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert client.get(f"/certificates/mine/{other.serial}.pdf").status_code == 404
    assert "डाउनलोड" in verdict(client, mine.serial)


def test_a_phone_that_never_marked_gets_no_pdf(client, issued):
    assert client.get(f"/certificates/mine/{issued[0].serial}.pdf").status_code == 404


# Designs and certificates of appreciation


def test_a_design_refuses_unknown_fields_and_an_image_that_is_not_one(client, login_as, marked):
    login_as(Role.TRAINER)
    client.post(f"/certificates/programmes/{marked.id}/design")
    design = db.session.scalar(select(CertificateDesign))
    form = {"office_hi": "पंचायत राज संचालनालय", "title_hi": "प्रमाण-पत्र", "body_hi": "ग्राम पंचायत {gp} ने {marks} पाए"}
    answer = client.post(f"/certificates/designs/{design.id}", data=form)
    assert answer.status_code == 400 and "{marks}" in answer.get_data(as_text=True)
    disguised = {**form, "body_hi": "ग्राम पंचायत {gp}", "emblem": (io.BytesIO(b"MZ\x90\x00" + b"\x00" * 64), "emblem.png")}
    answer = client.post(f"/certificates/designs/{design.id}", data=disguised, content_type="multipart/form-data")
    assert answer.status_code == 400 and "PNG" in answer.get_data(as_text=True)
    db.session.refresh(design)
    assert design.emblem is None and design.body_hi != "ग्राम पंचायत {gp}"  # nothing of a refused form is kept
    good = {**form, "body_hi": "ग्राम पंचायत {gp}", "emblem": (io.BytesIO(png(size=(1200, 1200))), "emblem.png")}
    assert client.post(f"/certificates/designs/{design.id}", data=good,
                       content_type="multipart/form-data").status_code == 302
    db.session.refresh(design)
    assert Image.open(io.BytesIO(design.emblem)).size == (400, 400)
    signatory = {"name_hi": "श्री अ. ब. शर्मा", "designation_hi": "आयुक्त", "signature": (io.BytesIO(png()), "s.png")}
    assert client.post(f"/certificates/designs/{design.id}/signatories", data=signatory,
                       content_type="multipart/form-data").status_code == 302
    preview = client.get(f"/certificates/designs/{design.id}/preview.pdf")
    assert preview.status_code == 200 and preview.data.startswith(b"%PDF")
    assert client.get(f"/certificates/designs/{design.id}/preview.png").data.startswith(b"\x89PNG")


def test_a_director_gives_a_certificate_of_appreciation_once_even_if_the_form_is_sent_twice(client, login_as,
                                                                                           places, tmp_path):
    with client.application.test_request_context():
        services.new_office_design("शक्ति सेवा सम्मान पत्र", None)
        db.session.commit()
    login_as(Role.DIRECTOR)
    form = client.get("/certificates/appreciation").get_data(as_text=True)
    key = re.search(r'name="request_key"[^>]*value="([0-9a-f]+)"', form) or re.search(
        r'value="([0-9a-f]{32})"', form)
    design = db.session.scalar(select(CertificateDesign))
    data = {"design": design.id, "recipient_kind": "person", "recipient_hi": "श्रीमती सुनीता वर्मा",
            "detail_hi": "परामर्शदाता, वन स्टॉप सेंटर", "reason_hi": "एक माह तक निःशुल्क परामर्श सेवा",
            "district": "111", "request_key": key.group(1)}
    first = client.post("/certificates/appreciation", data=data)
    second = client.post("/certificates/appreciation", data=data)
    assert first.status_code == second.status_code == 302
    [certificate] = certificates()
    assert certificate.kind is CertificateKind.APPRECIATION and certificate.recipient_kind is RecipientKind.PERSON
    assert certificate.district_id == places.district(111).id
    pdf = client.get(f"/certificates/{certificate.serial}.pdf")
    assert pdf.status_code == 200 and len(pdf.data) < 200 * 1024
    image = pdf_to_png(pdf.data, tmp_path)
    (ARTIFACTS / "certificate-appreciation.png").write_bytes(image)
    [text] = decode(image)
    assert "एक माह तक निःशुल्क परामर्श सेवा" in client.get(urlsplit(text).path).get_data(as_text=True)


# Officers and directors


def test_officers_see_and_count_only_their_areas_certificates(client, login_as, issued, places):
    login_as(Role.DISTRICT_OFFICER)  # district 111
    page = client.get("/certificates/").get_data(as_text=True)
    other = next(c for c in issued if c.gram_panchayat_id == places.gp(12111).id)
    assert issued[0].shown_serial in page and other.shown_serial not in page
    assert client.get(f"/certificates/{other.serial}").status_code == 403
    listed = client.get("/api/v1/certificates").get_json()
    assert listed["total"] == 2 and {c["serial"] for c in listed["certificates"]} == {
        c.serial for c in issued if c.district_id == places.district(111).id}
    summary = client.get("/api/v1/certificates/summary").get_json()
    assert summary["issued"] == 2 and [d["code"] for d in summary["districts"]] == [111]


def test_a_director_sees_how_many_were_issued_by_district(client, login_as, issued):
    login_as(Role.DIRECTOR)
    summary = client.get("/api/v1/certificates/summary").get_json()
    assert summary["issued"] == 3 and {d["code"]: d["issued"] for d in summary["districts"]} == {111: 2, 121: 1}
    page = client.get("/certificates/").get_data(as_text=True)
    assert "जिला 11" in page and "जिला 21" in page


def test_the_command_line_issues_a_programmes_certificates(runner, marked):
    result = runner.invoke(args=["certificates", "issue", str(marked.id)])
    assert result.exit_code == 0, result.output
    assert "3 certificates issued" in result.output
    again = runner.invoke(args=["certificates", "issue", str(marked.id)])
    assert "0 certificates issued, 3 had theirs already" in again.output
    serial = certificates()[0].serial
    assert runner.invoke(args=["certificates", "verify", serial]).output.startswith("valid")


def test_without_a_signing_key_nothing_is_issued_and_the_page_says_why(client, login_as, marked, monkeypatch):
    monkeypatch.setattr(signing, "keys", lambda: signing.Keys(None, {}))
    login_as(Role.TRAINER)
    page = client.get(f"/certificates/programmes/{marked.id}").get_data(as_text=True)
    assert "CERTIFICATE_SIGNING_KEY" in page
    answer = client.post(f"/certificates/programmes/{marked.id}/batches", data={"district": ""},
                         follow_redirects=True)
    assert answer.status_code == 200 and "हस्ताक्षर कुंजी" in answer.get_data(as_text=True)
    assert certificates() == [] and db.session.scalar(select(func.count()).select_from(CertificateBatch)) == 0
    assert NOT_VALID in verdict(client, "ABCDEFGHJK")


def test_a_long_bundle_is_laid_out_in_parts_and_joined_page_for_page(app, issued, monkeypatch, tmp_path):
    monkeypatch.setattr(documents, "PAGES_PER_PART", 2)
    with app.test_request_context():
        pdf = documents.certificates_pdf(issued, "बंडल")
    document = pypdfium2.PdfDocument(pdf)
    try:
        assert len(document) == 3
        pages = [document[n].get_textpage().get_text_range() for n in range(3)]
    finally:
        document.close()
    assert [c.shown_serial in text for c, text in zip(issued, pages, strict=True)] == [True, True, True]
