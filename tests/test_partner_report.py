"""The partners' attendance report of a programme: its figures on a known set, the same on the page, in the JSON,
the CSV, the workbook and the PDF; an officer counts the partners based in their area only."""
import csv
import io
import subprocess

import openpyxl
import pytest

from conftest import sessions_of
from tests.test_programme_partners import make_organisation
from trainer.attendance.models import MarkSource
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.partners import attendance, partner_report, programme_partners
from trainer.programmes.models import Reach


@pytest.fixture
def known(app, make_programme, places):
    """A programme reaching GPs and four partners: A (district 111) at two sessions of division 1 (400 and 450
    people), B (district 121) at one of division 2 (300), C (state-wide) at the first (100), D (district 111) at
    none. An organisation that is no partner marks too, and is not counted."""
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
    db.session.commit()
    return programme, (first, second, other), (a, b, c, d)


def test_the_figures_of_the_whole_state(known):
    programme, (first, second, other), (a, b, c, d) = known
    report = partner_report.partner_report(programme)
    assert (report.partners, report.attended, report.participants) == (4, 3, 1250)
    sessions = {row.session.id: (row.partners, row.participants) for row in report.by_session}
    assert sessions[first.id] == (2, 500) and sessions[second.id] == (1, 450) and sessions[other.id] == (1, 300)
    assert sum(p for p, _ in sessions.values()) == 4 and len(sessions) == len(programme.sessions)
    partners = {row.organisation_id: (row.sessions, row.participants) for row in report.by_partner}
    assert partners == {a.id: (2, 850), b.id: (1, 300), c.id: (1, 100), d.id: (0, 0)}
    assert [row.organisation_id for row in report.not_reached] == [d.id]
    assert partner_report.sentences(report) == {"hi": "4 में से 3 साझेदार संस्थाओं ने भाग लिया; 1,250 प्रतिभागी",
                                                "en": "3 of 4 partners attended; 1,250 participants"}


def test_an_officer_counts_the_partners_based_in_their_area(known, client, login_as):
    programme, _sessions, (a, b, c, d) = known
    login_as(Role.DISTRICT_OFFICER)
    body = client.get(f"/api/v1/programmes/{programme.id}/partner-attendance").get_json()
    assert (body["partners"], body["attended"], body["participants"]) == (2, 1, 850)
    assert [row["organisation"] for row in body["by_partner"]] == [a.id, d.id]
    assert body["sentence"]["hi"] == "2 में से 1 साझेदार संस्था ने भाग लिया; 850 प्रतिभागी"
    page = client.get(f"/partners/programmes/{programme.id}/report").get_data(as_text=True)
    assert "Betwa" not in page and "बेतवा" not in page and "चंबल" not in page and "अमृत सेवा संस्थान" in page


def test_the_json_of_the_whole_state(known, client, login_as):
    programme, (first, _second, _other), (a, b, c, d) = known
    login_as(Role.DIRECTOR)
    body = client.get(f"/api/v1/programmes/{programme.id}/partner-attendance").get_json()
    assert (body["programme"], body["reaches"], body["partners"], body["attended"], body["participants"]) == \
        (programme.id, "both", 4, 3, 1250)
    assert body["sentence"]["en"] == "3 of 4 partners attended; 1,250 participants"
    assert {"session": first.id, "partners": 2, "participants": 500}.items() <= body["by_session"][0].items()
    assert body["not_reached"] == [{"organisation": d.id, "name": "धार युवा मंडल", "district_code": 111,
                                    "sessions": 0, "participants": 0}]
    assert {row["organisation"]: row["district_code"] for row in body["by_partner"]}[c.id] is None


def test_the_page_and_its_links(known, client, login_as):
    programme, _sessions, _organisations = known
    login_as(Role.TRAINER)
    page = client.get(f"/partners/programmes/{programme.id}/report")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "4 में से 3 साझेदार संस्थाओं ने भाग लिया; 1,250 प्रतिभागी" in text
    assert 'data-figure="participants">1,250<' in text and 'data-figure="not_reached">1<' in text
    assert "धार युवा मंडल" in text and "बाहरी संस्था" not in text
    link = f"/partners/programmes/{programme.id}/report"
    assert link in client.get(f"/partners/programmes/{programme.id}").get_data(as_text=True)
    assert link in client.get(f"/reports/programmes/{programme.id}").get_data(as_text=True)
    assert client.get(f"/partners/programmes/{programme.id}/report.doc").status_code == 400


def test_a_programme_that_reaches_no_partner_has_no_link_on_its_report(known, client, login_as):
    programme, _sessions, _organisations = known
    programme_partners.set_reach(programme, Reach.GRAM_PANCHAYATS)
    db.session.commit()
    login_as(Role.ADMIN)
    assert f"/partners/programmes/{programme.id}/report" not in \
        client.get(f"/reports/programmes/{programme.id}").get_data(as_text=True)


def test_the_csv_and_the_workbook(known, client, login_as):
    programme, _sessions, (a, b, c, d) = known
    login_as(Role.ADMIN)
    response = client.get(f"/partners/programmes/{programme.id}/report.csv")
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    assert rows[0] == ["साझेदार संस्था", "एलजीडी कोड", "जिला", "उपस्थित सत्र", "प्रतिभागी"]
    assert {row[0]: (row[3], row[4]) for row in rows[1:]} == {
        "अमृत सेवा संस्थान": ("2", "850"), "बेतवा जन समिति": ("1", "300"), "चंबल विकास मंच": ("1", "100"),
        "धार युवा मंडल": ("0", "0")}
    workbook = openpyxl.load_workbook(io.BytesIO(
        client.get(f"/partners/programmes/{programme.id}/report.xlsx").data))
    summary, by_session, by_partner, not_reached = workbook.worksheets
    figures = [row[1] for row in summary.iter_rows(min_row=2, values_only=True)]
    assert figures[2] == "4 में से 3 साझेदार संस्थाओं ने भाग लिया; 1,250 प्रतिभागी" and figures[3:8] == [4, 3, 3, 1, 1250]
    assert sum(row[2] for row in by_session.iter_rows(min_row=2, values_only=True)) == 4
    assert sum(row[3] for row in by_session.iter_rows(min_row=2, values_only=True)) == 1250
    assert sum(row[4] for row in by_partner.iter_rows(min_row=2, values_only=True)) == 1250
    assert [row[0] for row in not_reached.iter_rows(min_row=2, values_only=True)] == ["धार युवा मंडल"]


def test_the_pdf(known, client, login_as, tmp_path):
    programme, _sessions, _organisations = known
    login_as(Role.ADMIN)
    client.post("/language", data={"lang": "en"})
    response = client.get(f"/partners/programmes/{programme.id}/report.pdf")
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    source = tmp_path / "report.pdf"
    source.write_bytes(response.data)
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(source), "-"], check=True, capture_output=True,
                          timeout=60).stdout.decode("utf-8")
    assert "3 of 4 partners attended; 1,250 participants" in " ".join(text.split())
    assert "Dhar Yuva Mandal" in text


def test_a_draft_programme_has_no_report(make_programme, client, login_as):
    programme = make_programme(publish=False)
    login_as(Role.ADMIN)
    assert client.get(f"/partners/programmes/{programme.id}/report").status_code == 404
    assert client.get(f"/api/v1/programmes/{programme.id}/partner-attendance").status_code == 404
