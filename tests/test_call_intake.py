"""Applications that staff bring in: one received on paper or by e-mail (submitted at once, its code shown once,
duplicates flagged), a CSV or XLSX file of many (checked whole, every bad line named, nothing half-written), the
import command; and the call's report by kind, district and theme as a page, CSV, XLSX, PDF and JSON."""
import csv
import io
import re
from datetime import date

import pypdfium2
import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select

from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from tests.test_calls import in_december, make_call, pdf_bytes  # noqa: F401 (in_december is a fixture)
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.partners import applications, calls, intake
from trainer.partners.applications import ApplicationValues
from trainer.partners.intake import ApplicationImportError, import_applications
from trainer.partners.models import (
    Application,
    ApplicationChannel,
    ApplicationDocument,
    ApplicationState,
    Organisation,
    OrganisationKind,
)
from trainer.partners.services import OrganisationValues, save_organisation
from trainer.regions.models import District

HEADER = ",".join(intake.COLUMNS)


def intake_call():
    call = make_call(themes=("water", "sanitation", "health", "governance"))
    calls.add_document(call, "पंजीयन प्रमाण-पत्र", "Registration certificate", True)
    db.session.commit()
    return call


def csv_file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def count(model=Application) -> int:
    return db.session.scalar(select(func.count(model.id)))


GOOD = [
    "जल सेवा समिति,Jal Seva Samiti,ngo,MP/2017/0123456,,,111,सुनीता वर्मा,9876543210,,water,2026-12-02",
    "स्वच्छ ग्राम ट्रस्ट,Swachh Gram Trust,trust,,AAATS1234Z,,,रीना,+91 98260 00002,rina@example.org,"
    "sanitation;health,03/12/2026",
    ",Gram Vikas Kendra,academic,,,REG/9/2020,112,अजय,9826000003,,governance,",
]


# Import


def test_a_good_file_records_and_submits_every_application_with_its_channel_and_day(app, places, in_december):
    call = intake_call()
    known = save_organisation(OrganisationValues(name_en="Jal Seva", darpan_id="mp 2017 0123456"), None)
    db.session.commit()
    summary = import_applications(call, csv_file(*GOOD), None, "applications.csv")
    db.session.commit()
    assert summary.created == 3 and summary.duplicates == 0
    first, second, third = db.session.scalars(select(Application).order_by(Application.number))
    assert {a.state for a in (first, second, third)} == {ApplicationState.SUBMITTED}
    assert {a.channel for a in (first, second, third)} == {ApplicationChannel.FILE}
    assert (first.received_on, second.received_on, third.received_on) == (date(2026, 12, 2), date(2026, 12, 3),
                                                                           date(2026, 12, 10))
    assert first.organisation_id == known.id and first.district.lgd_code == 111
    assert second.contact_mobile == "9826000002" and second.theme_keys == ["sanitation", "health"]
    assert second.district_id is None and third.district.lgd_code == 112 and third.pan is None
    assert [len(code) for _a, code in summary.recorded] == [8, 8, 8]
    # The same organisation in a second file: recorded, and flagged as the first one's duplicate.
    again = import_applications(call, csv_file(GOOD[0].replace("Jal Seva Samiti", "Jal Seva Samiti Bhopal")), None)
    db.session.commit()
    [(duplicate, _code)] = again.recorded
    assert again.duplicates == 1 and duplicate.state is ApplicationState.DUPLICATE
    assert duplicate.duplicate_of_id == first.id and count() == 4


def test_a_broken_file_names_every_bad_line_and_records_nothing(app, places, in_december):
    call = intake_call()
    lines = [
        GOOD[0],
        ",Bad Kind,company,,,,,अ,9876500001,,water,",                      # 3 unknown kind
        ",Bad Theme,ngo,,,,,अ,9876500002,,roads,",                         # 4 unknown theme
        ",Bad Place,ngo,,,,999,अ,9876500003,,water,",                      # 5 unknown district
        ",Bad Mobile,ngo,,,,,अ,12345,,water,",                             # 6 bad mobile
        ",Bad Mail,ngo,,,,,अ,9876500005,not-mail,water,",                  # 7 bad e-mail
        ",Bad Pan,ngo,,ABC,,,अ,9876500006,,water,",                        # 8 bad PAN
        GOOD[0],                                                           # 9 repeats line 2
        ",,ngo,,,,,अ,9876500008,,water,",                                  # 10 no name
        ",Future,ngo,,,,,अ,9876500009,,water,2027-01-01",                  # 11 received in the future
        ",Off Call Theme,ngo,,,,,अ,9876500010,,education,",                # 12 not one of the call's themes
    ]
    with app.test_request_context(), pytest.raises(ApplicationImportError) as refused:
        import_applications(call, csv_file(*lines), None)
    problems = refused.value.problems
    assert sorted({problem.line for problem in problems}) == list(range(3, 13))
    text = {problem.line: problem.reason for problem in problems}
    assert "company" in text[3] and "roads" in text[4] and "999" in text[5] and "12345" in text[6]
    assert "not-mail" in text[7] and "ABC" in text[8] and "2" in text[9] and "education" in text[12]
    db.session.rollback()
    assert count() == 0 and count(Organisation) == 0


def test_a_file_without_the_required_columns_is_refused_in_hindi(app, places):
    call = intake_call()
    with app.test_request_context(), pytest.raises(ApplicationImportError) as refused:
        import_applications(call, b"name_en,kind,colour\nX,ngo,red\n", None)
    reasons = " ".join(problem.reason for problem in refused.value.problems)
    assert "contact_mobile" in reasons and "colour" in reasons and count() == 0


def test_a_workbook_imports_like_a_csv_file(app, places, in_december):
    call = intake_call()
    book = Workbook()
    sheet = book.active
    sheet.append(list(intake.COLUMNS))
    sheet.append(["प्रदान", "Pradan", "ngo", "", "", "", 111, "मीना", 9876543210, "", "water;health",
                  date(2026, 12, 5)])
    buffer = io.BytesIO()
    book.save(buffer)
    summary = import_applications(call, buffer.getvalue(), None, "applications.xlsx")
    db.session.commit()
    [(application, _code)] = summary.recorded
    assert application.contact_mobile == "9876543210" and application.received_on == date(2026, 12, 5)
    assert application.district.lgd_code == 111


def test_the_sample_file_imports_into_the_demo_state(app, in_december):
    from pathlib import Path

    from trainer.regions.importer import import_region_rows
    from trainer.tools.demo_regions import demo_region_rows
    import_region_rows(demo_region_rows())
    call = intake_call()
    sample = Path(app.root_path).parent / intake.SAMPLE_FILE
    summary = import_applications(call, sample.read_bytes(), None, sample.name)
    assert summary.created == len(sample.read_text().splitlines()) - 1


def test_the_import_page_names_bad_lines_then_shows_each_reference_and_code_once(client, login_as, places,
                                                                                   in_december):
    call = intake_call()
    login_as(Role.TRAINER)
    assert "contact_mobile" in client.get(f"/partners/calls/{call.id}/applications/import").get_data(as_text=True)
    bad = client.post(f"/partners/calls/{call.id}/applications/import", data={
        "file": (io.BytesIO(csv_file(GOOD[0], ",Bad,ngo,,,,,अ,9876500002,,roads,")), "applications.csv")})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "पंक्ति 3" in page and "roads" in page and count() == 0
    good = client.post(f"/partners/calls/{call.id}/applications/import", data={
        "file": (io.BytesIO(csv_file(*GOOD)), "applications.csv")})
    page = good.get_data(as_text=True)
    assert good.status_code == 200 and count() == 3
    assert len(re.findall(r'<td class="code" data-label="[^"]*">(\d{8})</td>', page)) == 3
    assert f"EOI-{call.id}-000003" in page


def test_the_import_command_prints_bad_lines_or_each_reference_with_its_code(app, runner, places, tmp_path,
                                                                             in_december):
    call = intake_call()
    path = tmp_path / "applications.csv"
    path.write_bytes(csv_file(",Bad,company,,,,,अ,9876500001,,water,"))
    result = runner.invoke(args=["partners", "import-applications", str(call.id), str(path)])
    assert result.exit_code == 1 and "line 2" in result.output and count() == 0
    path.write_bytes(csv_file(*GOOD))
    result = runner.invoke(args=["partners", "import-applications", str(call.id), str(path)])
    assert result.exit_code == 0, result.output
    assert re.search(rf"EOI-{call.id}-000001\t\d{{8}}\tsubmitted", result.output)
    assert "3 application(s) recorded, 0 flagged as duplicates." in result.output
    assert runner.invoke(args=["partners", "import-applications", "999999", str(path)]).exit_code == 1


# Paper and e-mail


def post_received(client, call, content=None, file_name="certificate.pdf", **changes):
    data = {"name_hi": "जल सेवा समिति", "name_en": "Jal Seva Samiti", "kind": "ngo", "darpan_id": "MP/2017/0123456",
            "pan": "", "registration_number": "", "district": "", "contact_name": "सुनीता वर्मा",
            "contact_mobile": "98765 43210", "contact_email": "", "themes": ["water"], "channel": "paper",
            "received_on": "2026-12-08", **changes}
    if content is not None:
        data[f"document-{call.documents[0].id}"] = (io.BytesIO(content), file_name)
    return client.post(f"/partners/calls/{call.id}/applications/new", data=data, content_type="multipart/form-data")


def test_staff_record_a_paper_application_submitted_at_once_with_its_code_shown_once(client, login_as, places,
                                                                                     in_december):
    call = intake_call()
    user = login_as(Role.TRAINER)
    page = client.get(f"/partners/calls/{call.id}/applications/new").get_data(as_text=True)
    assert "पंजीयन प्रमाण-पत्र" in page and re.search(r'name="received_on"[^>]*value="2026-12-10"', page)
    response = post_received(client, call, content=pdf_bytes())
    assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    application = db.session.scalar(select(Application))
    assert application.state is ApplicationState.SUBMITTED and application.channel is ApplicationChannel.PAPER
    assert application.received_on == date(2026, 12, 8) and application.entered_by_id == user.id
    assert application.organisation.darpan_id == "MP/2017/0123456" and len(application.documents) == 1
    assert re.search(r'id="code">(\d{8})<', page) and application.reference in page
    # The same organisation by e-mail: recorded, flagged as a duplicate of the first.
    response = post_received(client, call, content=pdf_bytes(), channel="email", name_en="Jal Seva Samiti, Bhopal")
    assert response.status_code == 200 and application.reference in response.get_data(as_text=True)
    second = db.session.scalar(select(Application).where(Application.id != application.id))
    assert second.state is ApplicationState.DUPLICATE and second.duplicate_of_id == application.id
    assert second.channel is ApplicationChannel.EMAIL


def test_a_paper_application_is_recorded_after_the_call_closed_but_not_from_the_future(client, login_as, places,
                                                                                      monkeypatch):
    from datetime import UTC, datetime

    from trainer.core import clock
    call = intake_call()
    monkeypatch.setattr(clock, "now", lambda: datetime(2027, 1, 5, 6, 0, tzinfo=UTC))
    login_as(Role.ADMIN)
    future = post_received(client, call, content=pdf_bytes(), received_on="2027-01-06")
    assert future.status_code == 400 and count() == 0
    assert post_received(client, call, content=pdf_bytes(), received_on="2026-12-30").status_code == 200
    assert count() == 1


@pytest.mark.parametrize("content", [b"MZ\x90\x00" + b"\x00" * 200, b"%PDF-1.4\nMZ not a real pdf"])
def test_staff_attaching_an_executable_named_pdf_are_told_in_hindi_and_nothing_is_kept(client, login_as, places,
                                                                                       in_december, content):
    call = intake_call()
    login_as(Role.TRAINER)
    response = post_received(client, call, content=content, file_name="certificate.pdf")
    page = response.get_data(as_text=True)
    assert response.status_code == 400 and "PDF" in page and "फ़ाइल" in page
    assert count() == 0 and count(ApplicationDocument) == 0 and count(Organisation) == 0


def test_a_paper_application_without_its_required_document_is_not_recorded(client, login_as, places, in_december):
    call = intake_call()
    login_as(Role.TRAINER)
    response = post_received(client, call)
    assert response.status_code == 400 and "पंजीयन प्रमाण-पत्र" in response.get_data(as_text=True)
    assert count() == 0


def test_only_planners_record_and_import_applications(client, login_as, places, in_december):
    call = intake_call()
    login_as(Role.DIRECTOR)
    assert client.get(f"/partners/calls/{call.id}/applications/new").status_code == 403
    assert client.get(f"/partners/calls/{call.id}/applications/import").status_code == 403
    assert client.get(f"/partners/calls/{call.id}/report").status_code == 200
    assert client.get("/partners/calls/999999/report").status_code == 404


# The report


def known_set(call) -> None:
    """Ten applications: 6 NGOs (4 in district 111, 2 state-wide), 4 trusts (district 112); 4 shortlisted or
    selected, 2 selected; one duplicate and one draft, which do not count."""
    people = {"contact_name": "अ", "contact_mobile": "9876543210"}
    made = []
    for number in range(10):
        kind = OrganisationKind.NGO if number < 6 else OrganisationKind.TRUST
        district = None if 4 <= number < 6 else db.session.scalar(
            select(District.id).filter_by(lgd_code=111 if number < 4 else 112))
        themes = ("water",) if number % 2 == 0 else ("water", "health")
        application, _code = applications.start_application(call, ApplicationValues(
            kind=kind, name_en=f"Organisation {number}", darpan_id=f"MP/2099/{number:07d}", district_id=district,
            themes=themes, **people), entered_by_id=None, channel=ApplicationChannel.FILE, received_on=date(2026, 12, 1))
        applications.submit(application)
        made.append(application)
    for application, state in zip(made, [ApplicationState.SELECTED, ApplicationState.SHORTLISTED,
                                         ApplicationState.NOT_SELECTED, ApplicationState.IN_SCREENING,
                                         ApplicationState.SUBMITTED, ApplicationState.SUBMITTED,
                                         ApplicationState.SELECTED, ApplicationState.SHORTLISTED,
                                         ApplicationState.SUBMITTED, ApplicationState.SUBMITTED], strict=True):
        application.state = state
    duplicate, _code = applications.start_application(call, ApplicationValues(
        kind=OrganisationKind.NGO, name_en="Organisation 0 again", darpan_id="MP/2099/0000000", themes=("water",),
        **people), channel=ApplicationChannel.FILE, received_on=date(2026, 12, 2))
    applications.submit(duplicate)
    applications.start_application(call, ApplicationValues(kind=OrganisationKind.NGO, name_en="Draft"))
    db.session.commit()


EXPECTED_KIND = {"ngo": (6, 2, 1), "trust": (4, 2, 1)}
EXPECTED_DISTRICT = {"111": (4, 2, 1), "112": (4, 2, 1), "": (2, 0, 0)}
EXPECTED_THEME = {"water": (10, 4, 2), "health": (5, 2, 0)}


def test_the_report_counts_a_known_set_on_the_page_and_as_json(client, login_as, places, in_december):
    call = intake_call()
    known_set(call)
    login_as(Role.BLOCK_OFFICER)
    found = client.get(f"/api/v1/calls/{call.id}/report").get_json()
    assert (found["applied"], found["shortlisted"], found["selected"], found["duplicates"], found["drafts"]) == \
        (10, 4, 2, 1, 1)
    assert {row["key"]: (row["applied"], row["shortlisted"], row["selected"]) for row in found["by_kind"]} == \
        EXPECTED_KIND
    assert {row["key"] or "": (row["applied"], row["shortlisted"], row["selected"])
            for row in found["by_district"]} == EXPECTED_DISTRICT
    assert {row["key"]: (row["applied"], row["shortlisted"], row["selected"]) for row in found["by_theme"]} == \
        EXPECTED_THEME
    assert found["sentence"] == {"hi": "10 आवेदन, 2 चयनित", "en": "10 applications, 2 selected"}
    assert found["by_channel"] == {"file": 10}
    page = client.get(f"/partners/calls/{call.id}/report").get_data(as_text=True)
    assert "10 आवेदन, 2 चयनित" in page and "राज्य-स्तरीय" in page
    assert re.search(r'data-figure="selected">2<', page)
    assert client.get("/api/v1/calls/999999/report").status_code == 404


def test_the_report_files_hold_the_same_figures(client, login_as, places, in_december):
    call = intake_call()
    known_set(call)
    login_as(Role.DIRECTOR)
    response = client.get(f"/partners/calls/{call.id}/report.csv")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.get_data(as_text=True).lstrip("\ufeff"))))
    by = {(row[0], row[1]): tuple(int(value) for value in row[3:]) for row in rows[1:]}
    assert {key: value for (group, key), value in by.items() if group == "kind"} == EXPECTED_KIND
    assert {key: value for (group, key), value in by.items() if group == "district"} == EXPECTED_DISTRICT
    assert {key: value for (group, key), value in by.items() if group == "theme"} == EXPECTED_THEME
    book = load_workbook(io.BytesIO(client.get(f"/partners/calls/{call.id}/report.xlsx").data))
    summary = {row[0]: row[1] for row in book.worksheets[0].iter_rows(values_only=True)}
    assert summary["आवेदित"] == 10 and summary["चयनित"] == 2 and summary["सारांश"] == "10 आवेदन, 2 चयनित"
    districts = list(book.worksheets[2].iter_rows(values_only=True))
    assert districts[-1][1:] == ("राज्य-स्तरीय", 2, 0, 0)
    pdf = client.get(f"/partners/calls/{call.id}/report.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF-")
    document = pypdfium2.PdfDocument(pdf.data)
    text = "".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    document.close()
    assert "10 आवेदन, 2 चयनित" in text and "राज्य-स्तरीय" in text
    assert client.get(f"/partners/calls/{call.id}/report.doc").status_code == 400


# The demo


def test_the_demo_call_has_thirty_applications_by_every_way_one_a_duplicate_once(app, places, in_december):
    from trainer.core import clock
    from trainer.tools.demo_calls import ensure_demo_call
    from trainer.tools.demo_partners import ensure_demo_partners
    ensure_demo_partners()
    call = ensure_demo_call(clock.today())
    db.session.commit()
    assert ensure_demo_call(clock.today()).id == call.id
    made = applications.applications_of(call)
    assert len(made) == 30 and calls.is_open(call)
    channels = [application.channel for application in made]
    assert channels.count(ApplicationChannel.ONLINE) >= 20 and channels.count(ApplicationChannel.FILE) == 5
    assert {ApplicationChannel.PAPER, ApplicationChannel.EMAIL} <= set(channels)
    assert [a.state for a in made].count(ApplicationState.DUPLICATE) == 1
    online = [a for a in made if a.channel is ApplicationChannel.ONLINE]
    assert all(document.content.startswith(b"%PDF-") for a in online for document in a.documents)
    assert all(a.documents for a in online)


# On a phone and a desktop


@pytest.mark.browser
def test_the_intake_pages_and_the_report_read_on_a_360_px_phone_and_a_desktop(browser, live_server, tmp_path,
                                                                              in_december):
    call = intake_call()
    known_set(call)
    ARTIFACTS.mkdir(exist_ok=True)
    (tmp_path / "setup.pdf").write_bytes(b"MZ\x90\x00\x03" + b"\x00" * 500)  # an executable renamed .pdf
    (tmp_path / "applications.csv").write_bytes(csv_file(GOOD[0], ",Bad,ngo,,,,,अ,12345,,roads,"))
    for width, height in ((360, 740), (1280, 900)):
        page = browser.new_context(viewport={"width": width, "height": height}, java_script_enabled=False).new_page()
        sign_in(page, live_server, "trainer")

        def fits(name: str, page=page, width=width) -> None:
            assert page_width(page) <= width, name
            page.screenshot(path=str(ARTIFACTS / f"intake-{name}-{width}.png"), full_page=True)

        page.goto(f"{live_server}/partners/calls/{call.id}")
        fits("call")
        page.click("text=काग़ज़ पर या ई-मेल से प्राप्त आवेदन दर्ज करें")
        fits("receive")
        page.fill("#name_hi", "नई संस्था")
        page.select_option("#kind", "ngo")
        page.fill("#contact_name", "सुनीता")
        page.fill("#contact_mobile", "9876543210")
        page.fill("#received_on", "2026-12-09")
        page.check("input[name=themes][value=water]")
        page.set_input_files(f"#document-{call.documents[0].id}", str(tmp_path / "setup.pdf"))
        page.click("main button[type=submit]")
        assert "यह फ़ाइल PDF नहीं है" in page.inner_text("main")
        fits("receive-refused")
        page.goto(f"{live_server}/partners/calls/{call.id}/applications/import")
        page.set_input_files("#file", str(tmp_path / "applications.csv"))
        page.click("main button[type=submit]")
        assert "पंक्ति 3" in page.inner_text("main")
        fits("import-refused")
        page.goto(f"{live_server}/partners/calls/{call.id}/report")
        assert "10 आवेदन, 2 चयनित" in page.inner_text("main")
        fits("report")
