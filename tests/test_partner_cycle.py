"""The partners' cycle as staff and organisations go through it, page by page: a call is opened; 25 organisations
apply on the public page with a PDF each, one of them twice (caught as a duplicate), and 5 arrive in a CSV file (a
broken one refused first); two reviewers score every application; the best are shortlisted and selected, the
selection is published (a message to each applicant); the selected organisations become the partners of a webinar
and are invited to it; their representatives scan the poster's QR code (decoded with zxing-cpp) and mark their
attendance with the code the invitation gave them; the webinar's report says how many partners attended, in
Hindi, on the page and in the JSON, CSV, XLSX and PDF."""
import csv
import io
import re
import subprocess
from datetime import date, timedelta
from urllib.parse import urlsplit

import openpyxl
import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import select

from tests.test_calls import APPLICANT, in_december, open_call, pdf_bytes  # noqa: F401 (fixtures)
from tests.test_messaging import app, messages, sms, smtp, whatsapp  # noqa: F401 (fixtures: providers' stand-ins)
from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.messaging.kinds import MessageKind
from trainer.partners.models import Application, ApplicationState, Review
from trainer.programmes.models import TrainingSession

ONLINE, IMPORTED, SELECTED, MARKING = 25, 5, 12, 9
CSV_HEADER = ("name_hi,name_en,kind,darpan_id,registration_number,pan,district_code,contact_name,contact_mobile,"
              "contact_email,themes,received_on")


def applicant(number: int) -> dict:
    return {"name_hi": f"जल संस्था {number:02d}", "name_en": f"Jal Sanstha {number:02d}",
            "darpan_id": f"MP/2015/{number:07d}", "contact_name": f"प्रतिनिधि {number}",
            "contact_mobile": f"98765{number:05d}", "contact_email": ""}


def apply_online(app, call, values: dict):
    """Apply from a browser of one's own (each organisation has its phone)."""
    phone = app.test_client()
    data = {**APPLICANT, **values, "action": "submit",
            f"document-{call.documents[0].id}": (io.BytesIO(pdf_bytes()), "registration.pdf")}
    response = phone.post(f"/apply/{call.id}", data=data, content_type="multipart/form-data")
    assert response.status_code == 200, response.get_data(as_text=True)


def csv_line(number: int) -> str:
    values = applicant(number)
    return (f"{values['name_hi']},{values['name_en']},ngo,{values['darpan_id']},,,,{values['contact_name']},"
            f"{values['contact_mobile']},,water,2026-12-09")


def switch(auth, username: str) -> None:
    auth.logout()
    assert auth.login(username).status_code == 302


def score_form(review: Review, quality: int) -> dict:
    return {**{f"c{criterion.id}": str(min(quality, criterion.max_score)) for criterion in review.application.call.criteria},
            "recommendation": "select" if quality >= 5 else "reject", "comment": "अनुभव देखा"}


@pytest.mark.usefixtures("in_december")
def test_from_the_call_to_the_webinar_s_report(app, client, auth, make_user, make_programme, monkeypatch, tmp_path):
    planner = make_user("planner", Role.TRAINER)
    reviewers = [make_user(f"reviewer{n}", Role.TRAINER) for n in (1, 2)]
    director = make_user("director", Role.DIRECTOR)
    call = open_call()

    # 25 organisations apply on the public page with their PDF; the fifth applies twice.
    for number in range(1, ONLINE + 1):
        apply_online(app, call, applicant(number))
    apply_online(app, call, {**applicant(5), "name_en": "Jal Sanstha Five, Bhopal"})
    auth.login(planner.username)
    imports = f"/partners/calls/{call.id}/applications/import"
    broken = "\n".join([CSV_HEADER, csv_line(31), ",Bad,ngo,,,,,अ,12345,,roads,"]).encode()
    page = client.post(imports, data={"file": (io.BytesIO(broken), "broken.csv")}, content_type="multipart/form-data")
    assert page.status_code == 400 and "पंक्ति 3" in page.get_data(as_text=True)
    good = "\n".join([CSV_HEADER, *(csv_line(n) for n in range(ONLINE + 1, ONLINE + IMPORTED + 1))]).encode()
    page = client.post(imports, data={"file": (io.BytesIO(good), "applications.csv")}, content_type="multipart/form-data")
    assert page.status_code == 200, page.get_data(as_text=True)
    made = list(db.session.scalars(select(Application).where(Application.call_id == call.id).order_by(Application.id)))
    assert len(made) == ONLINE + IMPORTED + 1
    [duplicate] = [a for a in made if a.state is ApplicationState.DUPLICATE]
    assert duplicate.duplicate_of.name_en == "Jal Sanstha 05"
    assert all(a.documents[0].content.startswith(b"%PDF-") for a in made if a.channel.value == "online")

    # Two reviewers score every application but the duplicate.
    for user in reviewers:
        assert client.post(f"/partners/reviews/calls/{call.id}/reviewers", data={"user": user.id}).status_code == 302
    assert client.post(f"/partners/reviews/calls/{call.id}/assign", data={"reviewers_each": "2"}).status_code == 302
    given = list(db.session.scalars(select(Review).join(Application).where(Application.call_id == call.id)))
    assert len(given) == 2 * (ONLINE + IMPORTED)
    for user in reviewers:
        switch(auth, user.username)
        for review in (r for r in given if r.user_id == user.id):
            number = int(review.application.name_en[-2:])
            quality = 10 - number % 10 if number % 10 else 1  # a spread of totals, the same for both reviewers
            assert client.post(f"/partners/reviews/{review.id}", data=score_form(review, quality)).status_code == 302

    # The screening page sorts by the weighted total; the best are shortlisted, selected, and published.
    switch(auth, planner.username)
    screening = client.get(f"/partners/reviews/calls/{call.id}/screening").get_data(as_text=True)
    assert "Jal Sanstha 01" in screening or "जल संस्था 01" in screening
    ranked = sorted((a for a in made if a.state is not ApplicationState.DUPLICATE),
                    key=lambda a: (-(10 - int(a.name_en[-2:]) % 10 if int(a.name_en[-2:]) % 10 else 1), a.id))
    chosen, others = ranked[:SELECTED], ranked[SELECTED:]
    base = f"/partners/calls/{call.id}"
    for application in made:
        if application.state is ApplicationState.DUPLICATE:
            continue
        assert client.post(f"{base}/applications/{application.id}/state", data={"to": "in_screening"}
                           ).status_code == 302
    for application in ranked:
        assert client.post(f"{base}/applications/{application.id}/state", data={"to": "shortlisted"}
                           ).status_code == 302
    assert client.post(f"{base}/decisions", data={"applications": [a.id for a in chosen], "outcome": "selected"}
                       ).status_code == 302
    assert client.post(f"{base}/decisions", data={"applications": [a.id for a in others], "outcome": "not_selected"}
                       ).status_code == 302
    assert client.post(f"{base}/decisions/publish").status_code == 302
    db.session.expire_all()
    assert {a.state for a in chosen} == {ApplicationState.SELECTED}
    decided = [m for m in messages() if m.kind is MessageKind.APPLICATION_DECIDED]
    assert len(decided) == ONLINE + IMPORTED  # every applicant but the duplicate is told
    report = client.get(f"{base}/report").get_data(as_text=True)
    assert f"{ONLINE + IMPORTED} आवेदन, {SELECTED} चयनित" in report  # a duplicate is not counted twice

    # The selected organisations become the webinar's partners and are invited to its first session.
    webinar = make_programme(title="साझेदारों का वेबिनार", modules=1, first_day=date(2026, 12, 14),
                             last_day=date(2026, 12, 18))
    partners = f"/partners/programmes/{webinar.id}"
    assert client.post(f"{partners}/reach", data={"reaches": "partners"}).status_code == 302
    assert client.post(f"{partners}/selected", data={"call": call.id}).status_code == 302
    session = db.session.scalar(select(TrainingSession).where(TrainingSession.programme_id == webinar.id)
                                .order_by(TrainingSession.starts_at))
    invited = client.post(f"{partners}/sessions/{session.id}/invite", follow_redirects=True).get_data(as_text=True)
    assert f"{SELECTED} साझेदार संस्थाओं" in invited
    invitations = {m.address: m for m in messages() if m.kind is MessageKind.PARTNER_INVITED}
    assert len(invitations) == SELECTED

    # During the session, representatives scan the poster's QR code and mark with the code they were sent.
    monkeypatch.setattr(clock, "now", lambda: session.starts_at + timedelta(minutes=10))
    poster = client.get(f"/attendance/sessions/{session.id}/poster.png")
    assert poster.status_code == 200
    [address] = [found.text for found in zxingcpp.read_barcodes(Image.open(io.BytesIO(poster.data)),
                                                                formats=zxingcpp.BarcodeFormat.QRCode)]
    scanned = urlsplit(address).path
    for application in chosen[:MARKING]:
        phone = app.test_client()
        gp_page = phone.get(scanned).get_data(as_text=True)
        organisation_url = re.search(r'href="(/a/o/[^"]+)"', gp_page).group(1)
        form = phone.get(organisation_url).get_data(as_text=True)
        fields = {name: re.search(rf'name="{name}" value="([^"]*)"', form).group(1)
                  for name in ("csrf_token", "pass_token")}
        code = invitations[application.contact_mobile].parameters[5].replace(" ", "")
        done = phone.post(organisation_url, data={**fields, "organisation_query": application.name_hi,
                                                  "access_code": code, "participants": "6"})
        assert done.status_code == 200 and application.name_hi in done.get_data(as_text=True)

    # The webinar's report, in every form, says how many partners attended.
    switch(auth, director.username)
    sentence = f"{SELECTED} में से {MARKING} साझेदार संस्थाओं ने भाग लिया; {MARKING * 6} प्रतिभागी"
    assert sentence in client.get(f"{partners}/report").get_data(as_text=True)
    body = client.get(f"/api/v1/programmes/{webinar.id}/partner-attendance").get_json()
    assert (body["partners"], body["attended"], body["participants"]) == (SELECTED, MARKING, MARKING * 6)
    assert body["sentence"]["hi"] == sentence
    rows = list(csv.reader(io.StringIO(client.get(f"{partners}/report.csv").get_data(as_text=True).lstrip("\ufeff"))))
    assert len(rows) == SELECTED + 1 and sum(int(row[-1]) for row in rows[1:]) == MARKING * 6
    workbook = openpyxl.load_workbook(io.BytesIO(client.get(f"{partners}/report.xlsx").data))
    cells = [str(c.value) for sheet in workbook for row in sheet.iter_rows() for c in row if c.value is not None]
    assert any(str(MARKING) == cell for cell in cells) and any(sentence in cell for cell in cells)
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(client.get(f"{partners}/report.pdf").data)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "साझेदार" in text and f"{MARKING * 6}" in text
