"""QR posters, the live QR screen and access-code sheets: every QR the app draws is decoded and followed."""
import base64
import csv
import io
import re
import subprocess
import zipfile
from datetime import timedelta
from urllib.parse import urlsplit

import pytest
import zxingcpp
from PIL import Image
from sqlalchemy import func, select

from tests.conftest import issued_codes_zip
from trainer.attendance import posters, services, tokens
from trainer.attendance.models import AccessCode, AccessCodeIssue
from trainer.attendance.posters import IssuedCode
from trainer.attendance.qr import make_qr, qr_png
from trainer.core import clock
from trainer.core.database import utc_now
from trainer.core.roles import Role
from trainer.extensions import db

# pdftotext reads Devanagari from WeasyPrint PDFs only approximately (each glyph is mapped to text once, where
# it first appears, so a pre-base ि can go missing); this title reads back exactly, being the first bold text.
HINDI_TITLE = "ग्राम पंचायत विकास योजना"
REALISTIC_HOST = "https://prashikshan.mp.gov.in"
SESSION_PAGES = ("poster.pdf", "poster.png", "live-qr", "live-qr.svg")


def decode(png: bytes) -> list[str]:
    """Return the text of every QR code found in a PNG image."""
    image = Image.open(io.BytesIO(png))
    return [found.text for found in zxingcpp.read_barcodes(image, formats=zxingcpp.BarcodeFormat.QRCode)]


def pdf_to_png(pdf: bytes, tmp_path, dpi: int = 150) -> bytes:
    """Render the first page of a PDF with poppler, as a person's printer would see it."""
    source = tmp_path / "document.pdf"
    source.write_bytes(pdf)
    subprocess.run(["pdftoppm", "-r", str(dpi), "-png", "-f", "1", "-l", "1", "-singlefile", str(source),
                    str(tmp_path / "page")], check=True, timeout=60)
    return (tmp_path / "page.png").read_bytes()


def pdf_text(pdf: bytes, tmp_path) -> str:
    source = tmp_path / "text.pdf"
    source.write_bytes(pdf)
    return subprocess.run(["pdftotext", "-enc", "UTF-8", str(source), "-"], check=True, capture_output=True,
                          timeout=60).stdout.decode("utf-8")


def svg_to_png(svg: str) -> bytes:
    """Rasterise an SVG through WeasyPrint and pdfium (no network, no cairosvg)."""
    from weasyprint import CSS, HTML

    html = f'<img src="data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}">'
    pdf = HTML(string=html).write_pdf(stylesheets=[CSS(string="@page { size: 90mm; margin: 5mm } img { width: 80mm }")])
    return posters.pdf_page_png(pdf, dpi=100)


def session_of_scan_url(url: str, now=None):
    """Return the session id that a scanned address names, checking it leads to the scan page."""
    parts = urlsplit(url)
    assert (parts.scheme, parts.netloc) == ("http", "localhost")
    assert parts.path.startswith("/a/") and not parts.query
    return tokens.read_token(parts.path[len("/a/"):], now or utc_now())


@pytest.fixture
def session(make_programme):
    """A published session of a programme with a Hindi title."""
    return make_programme(title=HINDI_TITLE, modules=2).sessions[0]


# QR codes


def test_a_realistic_poster_or_live_address_fits_a_small_qr_code(app):
    for token in (tokens.make_token(2_000_000), tokens.make_token(2_000_000, tokens.period_of(utc_now()) + 10**6)):
        code = make_qr(f"{REALISTIC_HOST}/a/{token}")
        assert code.version <= 4
        assert code.size == code.version * 4 + 17 + 2 * 4  # the quiet zone of 4 modules on each side


def test_the_png_and_svg_of_a_qr_code_decode_to_its_text(app):
    text = f"{REALISTIC_HOST}/a/{tokens.make_token(5)}"
    assert decode(qr_png(text, module_pixels=4)) == [text]
    assert decode(svg_to_png(make_qr(text).svg("label"))) == [text]


# Posters


def test_the_pdf_poster_carries_a_scannable_qr_the_hindi_title_and_the_grouped_code(client, login_as, session,
                                                                                     tmp_path):
    login_as(Role.TRAINER)
    response = client.get(f"/attendance/sessions/{session.id}/poster.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    disposition = response.headers["Content-Disposition"]
    assert disposition.startswith('attachment; filename="poster-') and ".pdf\"" in disposition
    assert "filename*=UTF-8''" in disposition and "%E0%A4" in disposition  # the Hindi name, encoded
    db.session.refresh(session)
    assert re.fullmatch(r"\d{8}", session.attendance_code)  # ensured and committed

    [scanned] = decode(pdf_to_png(response.data, tmp_path))
    assert scanned == f"http://localhost/a/{tokens.make_token(session.id)}"
    assert session_of_scan_url(scanned) == tokens.Token(session.id, tokens.POSTER)

    text = pdf_text(response.data, tmp_path)
    assert HINDI_TITLE in text
    code = session.attendance_code
    assert f"{code[:4]} {code[4:]}" in text
    assert "localhost/a" in text


def test_the_png_poster_shows_the_same_qr_code(client, login_as, session):
    login_as(Role.ADMIN)
    response = client.get(f"/attendance/sessions/{session.id}/poster.png")
    assert response.status_code == 200 and response.mimetype == "image/png"
    assert 'filename="poster-' in response.headers["Content-Disposition"]
    image = Image.open(io.BytesIO(response.data))
    assert image.size[0] == pytest.approx(210 / 25.4 * 150, abs=2)  # A4 at 150 dpi
    assert decode(response.data) == [f"http://localhost/a/{tokens.make_token(session.id)}"]


def test_a_poster_keeps_the_session_code_it_already_has(client, login_as, session):
    code = services.ensure_session_code(session)
    db.session.commit()
    login_as(Role.TRAINER)
    assert client.get(f"/attendance/sessions/{session.id}/poster.pdf").status_code == 200
    db.session.refresh(session)
    assert session.attendance_code == code


def test_drafts_have_no_poster_and_no_live_code(client, login_as, make_programme):
    draft = make_programme(publish=False).sessions[0]
    login_as(Role.TRAINER)
    for page in SESSION_PAGES:
        assert client.get(f"/attendance/sessions/{draft.id}/{page}").status_code == 404, page
        assert client.get(f"/attendance/sessions/999999/{page}").status_code == 404, page
    db.session.refresh(draft)
    assert draft.attendance_code is None


# The live screen


def test_the_live_svg_is_uncached_scannable_and_changes_after_its_minute(client, login_as, session, monkeypatch):
    login_as(Role.TRAINER)
    moment = utc_now().replace(second=5, microsecond=0)
    monkeypatch.setattr(clock, "now", lambda: moment)
    first = client.get(f"/attendance/sessions/{session.id}/live-qr.svg")
    assert first.status_code == 200 and first.mimetype == "image/svg+xml"
    assert first.headers["Cache-Control"] == "no-store"
    [scanned] = decode(svg_to_png(first.get_data(as_text=True)))
    assert session_of_scan_url(scanned, moment) == tokens.Token(session.id, tokens.LIVE, tokens.period_of(moment))

    monkeypatch.setattr(clock, "now", lambda: moment + timedelta(seconds=50))
    assert client.get(f"/attendance/sessions/{session.id}/live-qr.svg").data == first.data  # the same minute

    later = moment + timedelta(seconds=tokens.PERIOD_SECONDS)
    monkeypatch.setattr(clock, "now", lambda: later)
    second = client.get(f"/attendance/sessions/{session.id}/live-qr.svg")
    assert second.data != first.data
    [rescanned] = decode(svg_to_png(second.get_data(as_text=True)))
    assert rescanned != scanned
    assert session_of_scan_url(rescanned, later).period == tokens.period_of(later)


def test_the_live_page_is_full_screen_with_the_code_and_swaps_the_qr_by_script(client, login_as, session):
    login_as(Role.TRAINER)
    response = client.get(f"/attendance/sessions/{session.id}/live-qr")
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    db.session.refresh(session)
    code = session.attendance_code
    assert f"{code[:4]} {code[4:]}" in page and "localhost/a" in page
    assert f'data-svg-url="/attendance/sessions/{session.id}/live-qr.svg"' in page
    assert "js/live-qr.js" in page
    assert re.search(r'<noscript><meta http-equiv="refresh" content="60"></noscript>', page)
    assert 'class="site' not in page  # no header or footer of the site
    # A strict Content-Security-Policy must be possible: no inline script, style or handler.
    assert not re.search(r"<script(?![^>]*\bsrc=)", page)
    assert not re.search(r"\sstyle=|<style|\son[a-z]+=", page)

    [svg] = re.findall(r"<svg.*?</svg>", page, re.S)
    [scanned] = decode(svg_to_png(svg))
    assert session_of_scan_url(scanned).kind == tokens.LIVE


# Access codes


def _issue(client, block_code=1111, confirm=True):
    return client.post(f"/access-codes/blocks/{block_code}", data={"confirm": "y"} if confirm else {})


def _issued_zip(response) -> zipfile.ZipFile:
    """Return the ZIP that the page after issuing a block offers for download."""
    assert re.search(r'download="access-codes-\d+\.zip"', response.get_data(as_text=True))
    return zipfile.ZipFile(io.BytesIO(issued_codes_zip(response)))


def test_issuing_a_block_shows_the_block_with_its_codes_and_offers_one_zip_of_the_sheet_and_a_csv(
        client, login_as, places, tmp_path):
    admin = login_as(Role.ADMIN)
    response = _issue(client)
    assert response.status_code == 200 and response.mimetype == "text/html"
    assert response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    # The page after issuing is the block as it now is: every GP has a code (not "0 with a code").
    assert "<article><strong>3</strong>कोड सहित</article>" in page
    assert 'download="access-codes-1111.zip"' in page
    assert 'action="/access-codes/blocks/1111"' not in page and "checked" not in page  # no second issue at hand
    archive = _issued_zip(response)
    assert sorted(archive.namelist()) == ["access-codes-1111.csv", "access-codes-1111.pdf"]

    raw = archive.read("access-codes-1111.csv")
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == ["gp_code", "gp_name_hi", "gp_name_en", "access_code"]
    assert sorted(int(row["gp_code"]) for row in rows) == [11111, 11112, 11113]
    for row in rows:
        gp = places.gp(int(row["gp_code"]))
        assert row["gp_name_hi"] == gp.name_hi and row["gp_name_en"] == gp.name_en
        assert re.fullmatch(r"\d{8}", row["access_code"])
        record = services.code_matches(gp, row["access_code"])
        assert record is not None and record.issued_by_id == admin.id

    stored = db.session.scalars(select(AccessCode)).all()
    assert len(stored) == 3
    for record in stored:
        for row in rows:
            assert row["access_code"] not in record.code_hash

    text = pdf_text(archive.read("access-codes-1111.pdf"), tmp_path)
    assert "जनपद 111 (1111)" in text and "ग्राम 1111" in text and "ग्राम 1113" in text
    for row in rows:
        code = row["access_code"]
        assert f"{code[:4]} {code[4:]}" in text and row["gp_code"] in text


def test_codes_are_not_issued_without_the_confirmation(client, login_as, places):
    login_as(Role.ADMIN)
    response = _issue(client, confirm=False)
    assert response.status_code == 302 and response.headers["Location"] == "/access-codes/?block=1111"
    assert db.session.scalars(select(AccessCode)).all() == []
    assert _issue(client, block_code=9999).status_code == 404


def test_issuing_again_makes_the_old_codes_stop_working(client, login_as, places):
    login_as(Role.ADMIN)
    old = services.issue_code(places.gp(11111))
    db.session.commit()
    archive = _issued_zip(_issue(client))
    rows = list(csv.DictReader(io.StringIO(archive.read("access-codes-1111.csv").decode("utf-8-sig"))))
    new = next(row["access_code"] for row in rows if row["gp_code"] == "11111")
    assert services.code_matches(places.gp(11111), old) is None
    assert services.code_matches(places.gp(11111), new).version == 2


def test_the_access_code_pages_show_blocks_and_how_many_gps_have_codes(client, login_as, places):
    login_as(Role.ADMIN)
    services.issue_code(places.gp(11112))
    db.session.commit()
    index = client.get("/access-codes/").get_data(as_text=True)
    assert "/access-codes/?block=1111" in index and "/access-codes/?block=1221" in index
    page = client.get("/access-codes/?block=1111").get_data(as_text=True)
    assert "ग्राम 1111" in page and "ग्राम 1113" in page
    assert 'action="/access-codes/blocks/1111"' in page and 'name="confirm"' in page
    assert "<strong>1</strong>" in page and "<strong>3</strong>" in page  # 1 of 3 GPs has a code
    confirm = client.get("/access-codes/?gp=11112").get_data(as_text=True)
    assert 'action="/access-codes/gps/11112/reissue"' in confirm
    unknown = client.get("/access-codes/?block=4242", follow_redirects=True)
    assert unknown.status_code == 200 and "4242" in unknown.get_data(as_text=True)


def test_reissuing_one_gp_shows_the_new_code_once_and_the_old_one_stops_working(client, login_as, places):
    login_as(Role.ADMIN)
    gp = places.gp(11111)
    old = services.issue_code(gp)
    db.session.commit()
    refused = client.post("/access-codes/gps/11111/reissue", data={})
    assert refused.status_code == 302 and services.code_matches(gp, old) is not None

    response = client.post("/access-codes/gps/11111/reissue", data={"confirm": "y"})
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    [shown] = re.findall(r"\b(\d{4}) (\d{4})\b", page)
    new = "".join(shown)
    assert services.code_matches(gp, old) is None
    assert services.code_matches(gp, new).version == 2
    assert "ग्राम 1111" in page and "11111" in page
    assert new not in db.session.scalar(select(AccessCode.code_hash).where(AccessCode.gram_panchayat_id == gp.id))
    assert client.post("/access-codes/gps/99999/reissue", data={"confirm": "y"}).status_code == 404


def test_csv_cells_cannot_become_spreadsheet_formulas(app, places):
    gp = places.gp(11111)
    gp.name_en, gp.name_hi = "=HYPERLINK(\"http://x\")", "@SUM(A1)"
    rows = list(csv.reader(io.StringIO(posters.access_codes_csv([IssuedCode(gp, "12345678")]).decode("utf-8-sig"))))
    assert rows[1] == ["11111", "'@SUM(A1)", "'=HYPERLINK(\"http://x\")", "12345678"]


URLS = [("get", "/attendance/sessions/{id}/poster.pdf"), ("get", "/attendance/sessions/{id}/poster.png"),
        ("get", "/attendance/sessions/{id}/live-qr"), ("get", "/attendance/sessions/{id}/live-qr.svg"),
        ("get", "/access-codes/"), ("post", "/access-codes/blocks/1111"),
        ("post", "/access-codes/gps/11111/reissue")]


def test_anonymous_visitors_are_sent_to_sign_in(client, session):
    for method, url in URLS:
        response = getattr(client, method)(url.format(id=session.id), data={"confirm": "y"})
        assert response.status_code == 302 and response.headers["Location"].startswith("/login"), url
    assert db.session.scalars(select(AccessCode)).all() == []
    db.session.refresh(session)
    assert session.attendance_code is None


@pytest.mark.parametrize("role", [Role.TRAINER, Role.DIRECTOR, Role.SECRETARY], ids=str)
def test_only_admins_and_officers_reach_access_codes(client, login_as, places, role):
    login_as(role)
    assert client.get("/access-codes/").status_code == 403
    assert _issue(client).status_code == 403
    assert client.post("/access-codes/gps/11111/reissue", data={"confirm": "y"}).status_code == 403
    assert db.session.scalars(select(AccessCode)).all() == []


@pytest.mark.parametrize("role", [Role.BLOCK_OFFICER, Role.DISTRICT_OFFICER], ids=str)
def test_officers_see_their_gps_codes_and_reissue_one_but_never_a_whole_block(client, login_as, places, role):
    officer = login_as(role)
    services.issue_code(places.gp(11112))
    db.session.commit()
    own = client.get("/access-codes/" if role is Role.BLOCK_OFFICER else "/access-codes/?block=1111")
    page = own.get_data(as_text=True)
    assert own.status_code == 200 and "ग्राम 1111" in page and "ग्राम 1113" in page
    assert "<article><strong>1</strong>कोड सहित</article>" in page
    assert "/access-codes/blocks/1111" not in page  # no way to issue the whole block
    assert _issue(client).status_code == 403
    assert db.session.scalar(select(func.count()).select_from(AccessCode)) == 1
    # Another district's block and GP are refused.
    assert client.get("/access-codes/?block=1211").status_code == 403
    assert client.get("/access-codes/?gp=12111").status_code == 403
    assert client.post("/access-codes/gps/12111/reissue", data={"confirm": "y"}).status_code == 403

    response = client.post("/access-codes/gps/11111/reissue", data={"confirm": "y"})
    assert response.status_code == 200
    [shown] = re.findall(r"\b(\d{4}) (\d{4})\b", response.get_data(as_text=True))
    assert services.code_matches(places.gp(11111), "".join(shown)) is not None
    # The issue is recorded in the database: who and when, and it shows on the block's page.
    [issue] = db.session.scalars(select(AccessCodeIssue).where(AccessCodeIssue.issued_by_id == officer.id)).all()
    assert issue.gram_panchayat.lgd_code == 11111 and issue.version == 1 and not issue.whole_block
    history = client.get("/access-codes/?block=1111").get_data(as_text=True)
    assert f"{officer.username} <small" in history and "केवल यह ग्राम पंचायत" in history


def test_a_district_officer_lists_only_the_blocks_of_the_district(client, login_as, places):
    login_as(Role.DISTRICT_OFFICER)
    index = client.get("/access-codes/").get_data(as_text=True)
    assert "/access-codes/?block=1111" in index and "/access-codes/?block=1112" in index
    assert "/access-codes/?block=1121" not in index and "/access-codes/?block=1211" not in index


def test_every_issue_of_a_block_is_recorded_for_each_gp(client, login_as, places):
    admin = login_as(Role.ADMIN)
    _issue(client)
    _issue(client)
    issues = db.session.scalars(select(AccessCodeIssue).order_by(AccessCodeIssue.id)).all()
    assert sorted((i.version, i.gram_panchayat.lgd_code, i.whole_block, i.issued_by_id) for i in issues) == [
        (version, gp, True, admin.id) for version in (1, 2) for gp in (11111, 11112, 11113)]


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.BLOCK_OFFICER, Role.SECRETARY], ids=str)
def test_only_planners_print_posters_and_show_the_live_code(client, login_as, session, role):
    login_as(role)
    for page in SESSION_PAGES:
        assert client.get(f"/attendance/sessions/{session.id}/{page}").status_code == 403


# The command


def test_the_command_issues_a_block_and_writes_both_files(app, runner, places, tmp_path):
    pdf, sheet = tmp_path / "codes.pdf", tmp_path / "codes.csv"
    result = runner.invoke(args=["access-codes", "issue", "1111", "--pdf", str(pdf), "--csv", str(sheet)])
    assert result.exit_code == 0, result.output
    assert "issued 3 access code(s)" in result.output
    assert pdf.read_bytes().startswith(b"%PDF")
    rows = list(csv.DictReader(io.StringIO(sheet.read_bytes().decode("utf-8-sig"))))
    assert len(rows) == 3
    db.session.expire_all()
    assert all(services.code_matches(places.gp(int(row["gp_code"])), row["access_code"]) for row in rows)


def test_the_command_refuses_to_issue_codes_it_would_not_write_anywhere(app, runner, places):
    result = runner.invoke(args=["access-codes", "issue", "1111"])
    assert result.exit_code == 2 and "--pdf" in result.output
    assert runner.invoke(args=["access-codes", "issue", "4242", "--csv", "x.csv"]).exit_code == 1
    assert db.session.scalars(select(AccessCode)).all() == []


def test_two_sessions_of_one_day_get_posters_and_reports_of_different_names(client, login_as, make_programme):
    from urllib.parse import unquote

    programme = make_programme()
    first_day = clock.local_day(programme.sessions[0].starts_at)
    same_day = [s for s in programme.sessions if clock.local_day(s.starts_at) == first_day]
    assert len(same_day) >= 2
    login_as(Role.ADMIN)
    names = set()
    for session in same_day:
        for url in (f"/attendance/sessions/{session.id}/poster.png", f"/reports/sessions/{session.id}.csv"):
            response = client.get(url)
            response.close()
            disposition = response.headers["Content-Disposition"]
            names.add(unquote(disposition.split("filename*=UTF-8''")[1]))
    assert len(names) == 2 * len(same_day), names
    assert any("1100" in name for name in names)
