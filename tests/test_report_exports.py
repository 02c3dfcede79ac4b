"""Report downloads: CSV, XLSX and PDF show the query layer's figures, in Hindi, for the viewer's area only."""
import csv
import io
import logging
import re
import subprocess
import time
from xml.etree import ElementTree

import pytest
from openpyxl import load_workbook

from tests.conftest import sessions_of
from trainer.core import tables
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.feedback import services as feedback
from trainer.feedback.models import QuestionKind
from trainer.regions.areas import STATE, Area
from trainer.reports import charts, exports, queries
from trainer.reports.queries import PlaceCoverage

BOM = b"\xef\xbb\xbf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
HINDI_SENTENCE = "अब तक 2 जिलों एवं 2 जनपदों की 3 ग्राम पंचायतें प्रशिक्षण प्राप्त कर चुकी हैं; 27 प्रतिभागी जुड़े।"


@pytest.fixture
def answered(marked, places):
    """The first session of division 1 with three feedback responses: a rating, a choice and free text."""
    session = sessions_of(marked, 1)[0]
    rating = feedback.add_question(marked, QuestionKind.RATING, "प्रशिक्षण कैसा लगा?")
    choice = feedback.add_question(marked, QuestionKind.SINGLE, "माध्यम", options=[{"hi": "यूट्यूब"}, {"hi": "वीसी"}])
    text = feedback.add_question(marked, QuestionKind.SHORT_TEXT, "सुझाव")
    for number, (score, option, words) in enumerate([(5, "o1", "बहुत अच्छा"), (3, "o1", "=cmd"), (4, "o2", "")]):
        feedback.submit(session, places.gp(11111), feedback.Submission({rating.id: score, choice.id: option,
                                                                        text.id: words}), nonce=f"n{number}")
    db.session.commit()
    return session


def read_csv(response) -> list[list[str]]:
    body = response.get_data()
    assert body.startswith(BOM)
    return list(csv.reader(io.StringIO(body[len(BOM):].decode("utf-8"))))


def read_xlsx(response):
    assert response.headers["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.get_data()))


def pdf_text(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "report.pdf"
    source.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-layout", "-enc", "UTF-8", str(source), "-"], check=True,
                          capture_output=True, timeout=60).stdout.decode("utf-8")


def pdf_first_page_png(pdf: bytes, tmp_path, dpi: int = 60) -> bytes:
    source = tmp_path / "page.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(tmp_path / "page")], check=True, timeout=60)
    return (tmp_path / "page.png").read_bytes()


def squeeze(text: str) -> str:
    return re.sub(r"\s+", " ", text)


def coverage_cells(row: PlaceCoverage) -> list[str]:
    share = f"{row.share * 100:.1f}" if row.share is not None else ""
    return [str(row.code), row.name_hi, row.name_en, str(row.target), str(row.reached), share, str(row.participants)]


# CSV


def test_programme_csv_is_the_coverage_by_janpad_with_a_bom_and_the_query_layers_numbers(marked, client, login_as):
    login_as(Role.DIRECTOR)
    report = queries.programme_report(marked, STATE)
    response = client.get(f"/reports/programmes/{marked.id}.csv")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = read_csv(response)
    assert rows[0][0] == "एलजीडी कोड" and rows[0][-1] == "प्रतिभागी"  # the page's language: Hindi
    assert rows[1:] == [coverage_cells(row) for row in report.coverage["block"]]
    assert ["1111", "जनपद 111", "Block 111", "3", "2", "66.7", "20"] in rows


def test_programme_csv_can_be_had_by_district_and_refuses_other_levels(marked, client, login_as):
    login_as(Role.ADMIN)
    rows = read_csv(client.get(f"/reports/programmes/{marked.id}.csv?level=district"))
    assert rows[1:] == [coverage_cells(row) for row in queries.programme_report(marked, STATE).coverage["district"]]
    assert client.get(f"/reports/programmes/{marked.id}.csv?level=gp").status_code == 400


def test_session_csv_is_the_presence_by_janpad(answered, client, login_as):
    login_as(Role.ADMIN)
    report = queries.session_report(answered, STATE)
    rows = read_csv(client.get(f"/reports/sessions/{answered.id}.csv"))
    assert rows[1:] == [coverage_cells(row) for row in report.by_block]
    rows = read_csv(client.get(f"/reports/sessions/{answered.id}.csv?level=district"))
    assert rows[1:] == [coverage_cells(row) for row in report.by_district]
    assert ["111", "जिला 11", "District 11", "6", "2", "33.3", "14"] in rows


def test_headers_follow_the_page_language(marked, client, login_as):
    login_as(Role.ADMIN)
    client.post("/language", data={"lang": "en"})
    rows = read_csv(client.get(f"/reports/programmes/{marked.id}/untrained.csv"))
    assert rows[0][0] == "District" and rows[0][-1] == "LGD code"
    assert rows[1][:2] == ["District 11", "Block 111"]


def test_untrained_csv_lists_district_janpad_names_and_lgd_codes(marked, client, login_as):
    login_as(Role.ADMIN)
    rows = read_csv(client.get(f"/reports/programmes/{marked.id}/untrained.csv"))
    expected = queries.untrained_gps(marked, STATE)
    assert len(rows) == 1 + len(expected) == 1 + 21
    assert rows[0][0] == "जिला" and rows[0][-1] == "एलजीडी कोड"
    assert rows[1] == ["जिला 11", "जनपद 111", "1111", "ग्राम 1113", "Gram 1113", "11113"]
    assert [int(row[-1]) for row in rows[1:]] == [row.code for row in expected]


def test_untrained_list_of_one_janpad(marked, client, login_as):
    login_as(Role.ADMIN)
    rows = read_csv(client.get(f"/reports/programmes/{marked.id}/untrained.csv?block=1112"))
    assert [row[-1] for row in rows[1:]] == ["11121", "11122", "11123"]
    assert client.get(f"/reports/programmes/{marked.id}/untrained.csv?block=99999").status_code == 404
    assert client.get(f"/reports/programmes/{marked.id}/untrained.csv?block=abc").status_code == 400


def test_text_that_looks_like_a_formula_stays_text_in_csv_and_xlsx(marked, places, client, login_as):
    places.gp(11113).name_hi = "=cmd"
    places.gp(11121).name_en = "+SUM(A1)"
    db.session.commit()
    login_as(Role.ADMIN)
    rows = read_csv(client.get(f"/reports/programmes/{marked.id}/untrained.csv"))
    assert ["जिला 11", "जनपद 111", "1111", "'=cmd", "Gram 1113", "11113"] in rows
    assert any(row[4] == "'+SUM(A1)" for row in rows)
    sheet = read_xlsx(client.get(f"/reports/programmes/{marked.id}/untrained.xlsx")).active
    cell = next(c for c in sheet["D"] if c.value == "=cmd")
    assert cell.data_type == "s"  # a string, never a formula


def test_csv_cells_neutralise_every_formula_start():
    table = exports.Table("", ["a"], [[value] for value in ("=1+1", "+1", "-1", "@SUM", "\tx", "\rx", "ok", -5)])
    body = exports.csv_bytes(table).decode("utf-8-sig")
    assert [row[0] for row in csv.reader(io.StringIO(body))][1:] == [
        "'=1+1", "'+1", "'-1", "'@SUM", "'\tx", "'\rx", "ok", "-5"]


def test_a_written_answer_like_a_formula_stays_text(answered, client, login_as):
    login_as(Role.ADMIN)
    workbook = read_xlsx(client.get(f"/reports/sessions/{answered.id}.xlsx"))
    texts = workbook["लिखित उत्तर"] if "लिखित उत्तर" in workbook.sheetnames else workbook.worksheets[-1]
    cell = next(c for c in texts["B"] if c.value == "=cmd")
    assert cell.data_type == "s"
    tables = exports.session_tables(queries.session_report(answered, STATE), "")
    written = exports.csv_bytes(next(t for t in tables if t.title == "लिखित उत्तर")).decode("utf-8-sig")
    assert "'=cmd" in written and "\n=cmd" not in written


# XLSX


def test_programme_workbook_has_a_sheet_per_table_with_numeric_cells_and_a_frozen_header(marked, client, login_as):
    login_as(Role.ADMIN)
    report = queries.programme_report(marked, STATE)
    workbook = read_xlsx(client.get(f"/reports/programmes/{marked.id}.xlsx"))
    assert len(workbook.sheetnames) == 8
    assert workbook.sheetnames[1:3] == ["संभाग", "जिले"]  # "Divisions", "Districts" in Hindi
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2" and len(sheet.title) <= 31
        assert all(cell.font.bold for cell in sheet[1])
    divisions = workbook.worksheets[1]
    assert [[c.value for c in row] for row in divisions.iter_rows(min_row=2)] == [
        [r.code, r.name_hi, r.name_en, r.target, r.reached, pytest.approx(r.share), r.participants]
        for r in report.coverage["division"]]
    first = divisions[2]
    assert isinstance(first[3].value, int) and first[3].data_type == "n"
    assert first[5].number_format == "0.0%" and first[5].value == pytest.approx(2 / 12)
    summary = {row[0].value: row[1].value for row in workbook.worksheets[0].iter_rows(min_row=2)}
    assert HINDI_SENTENCE in summary.values()
    assert report.target_gps in summary.values() and report.participants in summary.values()
    blocks = workbook.worksheets[3]
    assert blocks.max_row == 1 + len(report.coverage["block"])
    untrained = workbook.worksheets[4]
    assert untrained.max_row == 1 + 21


def test_session_workbook_holds_presence_modes_absent_gps_and_feedback(answered, client, login_as):
    login_as(Role.ADMIN)
    report = queries.session_report(answered, STATE)
    workbook = read_xlsx(client.get(f"/reports/sessions/{answered.id}.xlsx"))
    # Nine sheets of presence and feedback, then four of the session's questions.
    assert len(workbook.sheetnames) == 13 and len(set(workbook.sheetnames)) == 13
    assert all(sheet.freeze_panes == "A2" for sheet in workbook.worksheets)
    districts = workbook.worksheets[1]
    assert [row[4].value for row in districts.iter_rows(min_row=2)] == [r.reached for r in report.by_district]
    absent = workbook.worksheets[5]
    assert absent.max_row == 1 + len(report.absent) == 11
    ratings = workbook.worksheets[6]
    assert [c.value for c in ratings[2]] == ["प्रशिक्षण कैसा लगा?", 3, 4, 0, 0, 1, 1, 1]
    choices = workbook.worksheets[7]
    assert [[c.value for c in row] for row in choices.iter_rows(min_row=2)] == [["माध्यम", "यूट्यूब", 2],
                                                                                ["माध्यम", "वीसी", 1]]


def test_sheet_names_fit_excel_and_stay_unique():
    used = set()
    names = [tables._sheet_name("बहुत लंबा नाम जो इकतीस अक्षरों से अधिक है: [जाँच]", used) for _ in range(3)]
    assert all(len(name) <= 31 and not set(name) & set("[]:*?/\\") for name in names)
    assert len(set(names)) == 3


# PDF


def test_programme_pdf_shows_the_hindi_sentence_and_the_same_figures_as_csv_and_xlsx(marked, client, login_as,
                                                                                     tmp_path, caplog):
    login_as(Role.ADMIN)
    report = queries.programme_report(marked, STATE)
    started = time.perf_counter()
    with caplog.at_level(logging.WARNING, logger="weasyprint"):
        response = client.get(f"/reports/programmes/{marked.id}.pdf")
    elapsed = time.perf_counter() - started
    assert [r.getMessage() for r in caplog.records if r.name.startswith("weasyprint")] == []  # CSS all understood
    assert response.status_code == 200 and response.headers["Content-Type"] == "application/pdf"
    pdf = response.get_data()
    assert pdf.startswith(b"%PDF")
    text = pdf_text(pdf, tmp_path)
    assert HINDI_SENTENCE in squeeze(text)  # the Hindi is there, shaped, and extracts exactly
    assert "ग्राम पंचायतें प्रशिक्षण प्राप्त कर चुकी हैं" in text
    csv_rows = read_csv(client.get(f"/reports/programmes/{marked.id}.csv?level=division"))[1:]
    sheet = read_xlsx(client.get(f"/reports/programmes/{marked.id}.xlsx")).worksheets[1]
    xlsx_rows = [[c.value for c in row] for row in sheet.iter_rows(min_row=2)]
    for row, csv_row, xlsx_row in zip(report.coverage["division"], csv_rows, xlsx_rows, strict=True):
        assert csv_row == coverage_cells(row)
        assert xlsx_row[:5] + xlsx_row[6:] == [row.code, row.name_hi, row.name_en, row.target, row.reached,
                                               row.participants]
        # the same row in the PDF's division table: name, code, target, trained, share, participants
        line = (rf"{row.name_hi}\s+{row.code}\s+{row.target}\s+{row.reached}\s+{row.share * 100:.1f}%"
                rf"\s+{row.participants}")
        assert re.search(line, text), line
    totals = rf"कुल\s+{report.target_gps}\s+{report.trained_gps}\s+12.5%\s+{report.participants}"
    assert re.search(totals, text)
    assert re.search(r"पृष्ठ 1 / \d", text)  # the footer's page numbers
    assert "भारतीय" in text or "IST" in text  # and when it was made
    png = pdf_first_page_png(pdf, tmp_path)
    assert png.startswith(b"\x89PNG") and len(png) > 10_000  # a page with text and charts, not a blank one
    assert elapsed < 20


def test_session_pdf_shows_presence_feedback_and_absent_gps(answered, client, login_as, tmp_path):
    login_as(Role.ADMIN)
    report = queries.session_report(answered, STATE)
    response = client.get(f"/reports/sessions/{answered.id}.pdf")
    assert response.status_code == 200
    text = pdf_text(response.get_data(), tmp_path)
    assert "प्रशिक्षण कैसा लगा?" in text and "बहुत अच्छा" in text
    assert re.search(rf"कुल\s+{report.target_gps}\s+{report.present_gps}\s+16.7%\s+{report.participants}", text)
    # the absent GPs under their janpads: of janpad 111 only 1113, its GPs 1111 and 1112 having come
    assert re.search(r"जनपद 111 \(जिला 11\) · 1 ग्राम 1113 11113 जनपद 112", squeeze(text))
    assert len(report.absent) == 10 and "ग्राम 1223 11223" in text


def test_pdf_in_english_when_the_page_is_english(marked, client, login_as, tmp_path):
    login_as(Role.ADMIN)
    client.post("/language", data={"lang": "en"})
    text = pdf_text(client.get(f"/reports/programmes/{marked.id}.pdf").get_data(), tmp_path)
    assert ("So far 3 gram panchayats of 2 janpads in 2 districts have been trained; 27 participants joined."
            in squeeze(text))
    assert "Page 1 of" in text


# Areas and access


def test_a_block_officers_exports_hold_only_their_block(marked, client, login_as, tmp_path):
    login_as(Role.BLOCK_OFFICER)
    rows = read_csv(client.get(f"/reports/programmes/{marked.id}/untrained.csv"))
    assert [row[-1] for row in rows[1:]] == ["11113"]
    rows = read_csv(client.get(f"/reports/programmes/{marked.id}.csv"))
    assert [row[0] for row in rows[1:]] == ["1111"]
    workbook = read_xlsx(client.get(f"/reports/programmes/{marked.id}.xlsx"))
    codes = [c.value for c in workbook.worksheets[4]["F"][1:]]
    assert codes == [11113]
    summary = {row[0].value: row[1].value for row in workbook.worksheets[0].iter_rows(min_row=2)}
    assert "जनपद पंचायत जनपद 111 (1111)" in summary.values()
    block = queries.programme_report(marked, Area.of(marked.divisions[0].districts[0].blocks[0]))
    assert block.target_gps in summary.values()
    text = pdf_text(client.get(f"/reports/programmes/{marked.id}.pdf").get_data(), tmp_path)
    assert "जनपद 112" not in text and "जनपद 111" in text
    assert client.get(f"/reports/programmes/{marked.id}/untrained.csv?block=1112").status_code == 403


def test_an_officer_outside_a_sessions_divisions_is_refused(marked, client, login_as):
    login_as(Role.DISTRICT_OFFICER)  # district 111, in division 1
    assert client.get(f"/reports/sessions/{sessions_of(marked, 2)[0].id}.csv").status_code == 403
    assert client.get(f"/reports/sessions/{sessions_of(marked, 1)[0].id}.csv").status_code == 200


EXPORTS = ["/reports/programmes/{p}.csv", "/reports/programmes/{p}.xlsx", "/reports/programmes/{p}.pdf",
           "/reports/programmes/{p}/untrained.csv", "/reports/programmes/{p}/untrained.xlsx",
           "/reports/sessions/{s}.csv", "/reports/sessions/{s}.xlsx", "/reports/sessions/{s}.pdf"]


@pytest.mark.parametrize("url", EXPORTS)
def test_anonymous_visitors_are_sent_to_sign_in(marked, client, url):
    response = client.get(url.format(p=marked.id, s=marked.sessions[0].id))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


@pytest.mark.parametrize("url", EXPORTS)
def test_a_secretary_may_not_download_reports(marked, client, login_as, url):
    login_as(Role.SECRETARY)
    assert client.get(url.format(p=marked.id, s=marked.sessions[0].id)).status_code == 403


def test_unknown_draft_only_and_badly_formatted_requests(make_programme, marked, client, login_as):
    draft = make_programme(title="मसौदा", publish=False)
    login_as(Role.ADMIN)
    assert client.get("/reports/programmes/999999.csv").status_code == 404
    assert client.get(f"/reports/programmes/{draft.id}.pdf").status_code == 404
    assert client.get(f"/reports/sessions/{draft.sessions[0].id}.xlsx").status_code == 404
    assert client.get(f"/reports/programmes/{marked.id}.docx").status_code == 400
    assert client.get(f"/reports/programmes/{marked.id}/untrained.pdf").status_code == 400
    assert client.get(f"/reports/sessions/{marked.sessions[0].id}.json").status_code == 400


def test_downloads_are_named_in_ascii_and_in_the_page_language(marked, client, login_as):
    login_as(Role.ADMIN)
    disposition = client.get(f"/reports/programmes/{marked.id}.xlsx").headers["Content-Disposition"]
    assert disposition.startswith(f'attachment; filename="programme-{marked.id}-report.xlsx"')
    assert "filename*=UTF-8''" in disposition and disposition.isascii()


# Charts


def test_coverage_bars_are_accessible_svg_with_hindi_names_and_indian_numbers(app):
    rows = [PlaceCoverage(1, "इंदौर", "Indore", 532630, 266315, 10), PlaceCoverage(2, "भोपाल", "Bhopal", 0, 0, 0)]
    with app.test_request_context():
        svg = str(charts.coverage_bars(rows, "hi"))
        english = str(charts.coverage_bars(rows, "en"))
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img" and root.get("aria-label")
    assert root.find("{http://www.w3.org/2000/svg}title").text == root.get("aria-label")
    assert "Noto Sans Devanagari" in root.get("font-family")
    assert "इंदौर" in svg and "2,66,315 / 5,32,630 (50.0%)" in svg and "Indore" in english
    bars = root.findall("{http://www.w3.org/2000/svg}rect")
    assert float(bars[1].get("width")) == pytest.approx(float(bars[0].get("width")) / 2)  # half of the track


def test_progress_line_rises_to_the_total_and_marks_the_target(app):
    from datetime import date
    with app.test_request_context():
        svg = str(charts.progress_line([(date(2026, 7, 21), 2, 2), (date(2026, 7, 23), 1, 3)], 24,
                                       date(2026, 7, 21), date(2026, 8, 7)))
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img" and "24" in root.get("aria-label")
    assert len(root.findall("{http://www.w3.org/2000/svg}circle")) == 2
    assert root.find("{http://www.w3.org/2000/svg}polyline") is not None


def test_rating_bars_show_each_rating_with_its_count(app):
    with app.test_request_context():
        svg = str(charts.rating_bars({1: 0, 2: 0, 3: 1, 4: 1, 5: 2}))
    root = ElementTree.fromstring(svg)
    assert root.get("role") == "img"
    assert len(root.findall("{http://www.w3.org/2000/svg}rect")) == 10
    assert "2 (50.0%)" in svg


def test_the_pdf_twins_of_the_bar_charts_keep_their_labels_as_html_text(app):
    rows = [PlaceCoverage(1, "प्रशिक्षण क्षेत्र", "Area", 532630, 266315, 10)]
    with app.test_request_context():
        bars = str(charts.coverage_bars_html(rows, "hi"))
        ratings = str(charts.rating_bars_html({1: 0, 2: 0, 3: 1, 4: 1, 5: 2}))
    assert "<svg" not in bars and '<th scope="row">प्रशिक्षण क्षेत्र</th>' in bars
    assert "width: 50.0%" in bars and "2,66,315 / 5,32,630 (50.0%)" in bars and 'role="img"' in bars
    assert ratings.count("<tr>") == 5 and "2 (50.0%)" in ratings


# Shares never round up to 100 % while something is left; numbers in Indian grouping in XLSX


def test_a_share_short_of_the_whole_never_shows_as_100_per_cent(app):
    from trainer.core.i18n import format_share, shown_share

    with app.test_request_context():
        assert format_share(22809, 22812) == "99.9%"
        assert format_share(22812, 22812) == "100.0%" and format_share(1, 3) == "33.3%"
    assert shown_share(22809 / 22812) == 0.999 and shown_share(1.0) == 1.0 and shown_share(None) is None
    table = tables.Table("t", ["share"], [[tables.Share(22809 / 22812)], [tables.Share(1.0)], [tables.Share(2 / 3)]])
    assert tables.csv_bytes(table).decode("utf-8-sig").split("\r\n")[1:4] == ["99.9", "100.0", "66.7"]
    sheet = load_workbook(io.BytesIO(tables.xlsx_bytes([table]))).active
    assert sheet["A2"].value == 0.999 and sheet["A3"].value == 1.0 and sheet["A4"].value == pytest.approx(2 / 3)


def test_the_ends_of_the_progress_line_keep_apart_and_inside_the_drawing(app):
    from datetime import date

    with app.test_request_context():
        svg = str(charts.progress_line([(date(2026, 7, 21), 22000, 22000), (date(2026, 8, 7), 809, 22809)], 22812,
                                       date(2026, 7, 21), date(2026, 8, 7)))
    root = ElementTree.fromstring(svg)
    texts = {text.text: text for text in root.iter("{http://www.w3.org/2000/svg}text")}
    reached, target = texts["22,809"], texts["लक्ष्य: 22,812"]
    assert float(reached.get("y")) >= 13  # the figure's top stays inside the drawing (13px type)
    # The target's label starts at the left, the figure ends at the right: they cannot overlap.
    assert target.get("text-anchor") is None and reached.get("text-anchor") == "end"
    assert float(target.get("x")) + len(target.text) * 8 < float(reached.get("x")) - len(reached.text) * 8


def test_xlsx_numbers_use_indian_digit_grouping():
    table = tables.Table("t", ["gps", "ratio"], [[532630, 3.5], [12, 0.25]])
    sheet = load_workbook(io.BytesIO(tables.xlsx_bytes([table]))).active
    assert sheet["A2"].value == 532630 and sheet["A2"].number_format == tables.INDIAN_INTEGER
    assert tables.INDIAN_INTEGER.startswith("[>=10000000]##\\,##\\,##\\,##0;[>=100000]##\\,##\\,##0;")
    assert sheet["B2"].number_format == tables.INDIAN_DECIMAL
