"""Bad input never breaks Trainer. Property-based tests (Hypothesis) send the public attendance and feedback
forms, every CSV importer (page and command) and the archive importer, whatever may arrive: any text, missing fields, huge numbers,
control characters and NUL, other encodings, BOMs, other delimiters, endless lines, binary files. The answer is
always a page or a message saying what is wrong (in Hindi on the pages; naming the lines of a file), never a
server error; a refused request changes nothing, and an accepted one is written whole.

Each form and file is tried with one field (or cell) wrong at a time, over every field, and with several
things wrong at once. The `repeatable` profile of conftest.py derandomizes the examples, so every run tries the same
ones; the explicit @example values are the classic breakers, always tried.
"""
import csv
import io
import json
import re
import string
import zipfile
from datetime import timedelta

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from tests import test_archive as archive
from tests.test_archive import source  # noqa: F401 (a fixture: an archive with rows in every table)
from trainer.attendance import services, tokens
from trainer.attendance.importer import COLUMNS as ATTENDANCE_COLUMNS
from trainer.attendance.models import Attendance, AttendanceRevision, MarkSource
from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.feedback import services as feedback
from trainer.feedback.models import Answer, QuestionKind, Response
from trainer.regions.importer import REGION_COLUMNS
from trainer.regions.models import Block, District, Division, GramPanchayat

pytestmark = pytest.mark.filterwarnings("ignore:Generating overly large repr")  # an endless line, when one fails

DEVANAGARI = re.compile(r"[\u0900-\u097f]")

# Values that break programs: numbers of every shape and size, NUL and other controls, markup, formulas.
BREAKERS = ["", " ", "0", "-1", "+7", " 7 ", "1.5", "1e3", "NaN", "٣", "²", "१२", "9" * 19, str(2**31),
            "9" * 5000, "-" + "9" * 5000, "0" * 5000, "\x00", "5\x00", "ग्राम\x00", "\u202e12", "\x1b[31m", "\ufeff",
            "\r\n", "ग्राम", "%", "_", "' OR 1=1 --", "<b>x</b>", "=1+1", "x" * 3000]
# Every character but lone surrogates (which no form or file can carry): controls and NUL included.
ANY_TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=40)
NASTY = st.one_of(st.sampled_from(BREAKERS), ANY_TEXT, st.integers(min_value=-10**30, max_value=10**30).map(str))
# A field left out, or sent with a nasty value.
WRONG = st.one_of(st.none(), NASTY)


CLASSICS = (None, " ", "\x00", "ग्राम\x00", "9" * 5000, "²", str(2**31), str(10**30), "x" * 3000)  # None: left out


def classic_breakers(test):
    """Always try the values that broke Trainer once, whatever Hypothesis draws besides."""
    for value in CLASSICS:
        test = example(value=value)(test)
    return test


def classic_breakers_in(*columns):
    """Always try the values that broke Trainer once in these columns of a file's first row."""
    def decorate(test):
        for column in columns:
            for value in CLASSICS[1:]:
                test = example(row=0, column=column, value=value)(test)
        return test
    return decorate


def share_of_examples(share: float) -> settings:
    """Try this share of the profile's examples: for tests run once per field, or whose examples cost more."""
    return settings(max_examples=max(1, round(settings.default.max_examples * share)))


@st.composite
def spoilt(draw, good: dict):
    """A form whose fields are first all right, then up to four of them wrong or missing."""
    values = {name: draw(strategy) for name, strategy in good.items()}
    for name in draw(st.lists(st.sampled_from(sorted(good)), max_size=4, unique=True)):
        values[name] = draw(WRONG)
    return {name: value for name, value in values.items() if value is not None}


@pytest.fixture
def app(make_app):
    """The app with the wrong-code and feedback limits out of the way: each example is a new phone."""
    app = make_app(ACCESS_CODE_LIMIT_PER_GP="100000 per minute", ACCESS_CODE_LIMIT_PER_ADDRESS="100000 per minute",
                   ACCESS_CODE_LIMIT_PER_ADDRESS_AND_GP="100000 per minute",
                   SESSION_CODE_LIMIT_PER_ADDRESS="100000 per minute", FEEDBACK_RATE_LIMIT="100000 per minute")
    with app.app_context():
        yield app
        db.session.remove()


@pytest.fixture
def session(app, make_programme, monkeypatch):
    """A published session of division 1, with every clock five minutes after its start."""
    session = next(s for s in make_programme(modules=1).sessions if 1 in [d.lgd_code for d in s.divisions])
    moment = session.starts_at + timedelta(minutes=5)
    monkeypatch.setattr(clock, "now", lambda: moment)
    monkeypatch.setattr(clock, "now", lambda: moment)
    monkeypatch.setattr(clock, "now", lambda: moment)
    return session


def hidden_fields(page: str) -> dict:
    fields = {}
    for tag in re.findall(r"<input[^>]*>", page):
        attributes = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        if attributes.get("type") == "hidden" and attributes.get("name") not in (None, "next"):
            fields[attributes["name"]] = attributes.get("value", "")
    return fields


def error_paragraphs(page: str) -> list[str]:
    return re.findall(r'<p class="error"[^>]*>(.*?)</p>', page, re.S)


def assert_hindi_errors(page: str) -> None:
    """The page says what is wrong, in Hindi: each error (and the field it names, if any) in Devanagari."""
    errors = error_paragraphs(page)
    assert errors
    for error in errors:
        assert all(DEVANAGARI.search(part) for part in error.split(": ", 1)), error


# The secretary's flow


@pytest.fixture
def flow(app, session, places):
    """Open the attendance form on a new phone; return the phone, the form's address and its right values."""
    code = services.issue_code(places.gp(11111))
    db.session.commit()
    gp_choice = str(places.gp(11111).id)

    def open_form(field=None):
        client = app.test_client()  # a new phone each time: nothing remembered
        token = tokens.make_token(session.id)
        opened = client.get(f"/a/{token}")
        assert opened.status_code == 200
        good = {"pass_token": hidden_fields(opened.get_data(as_text=True))["pass_token"], "access_code": code,
                "participants": "14", "sarpanch": "1", "ward_member": "5", "mode": "youtube"}
        good.update({"gp_choice": gp_choice} if field == "gp_choice" else {"gp_query": "11111"})
        return client, f"/a/{token}", good

    return open_form


def attendance_state() -> tuple:
    """Every attendance row and the number of revisions: what a refused request must leave as it was."""
    rows = db.session.execute(select(Attendance.gram_panchayat_id, Attendance.participants, Attendance.count_sarpanch,
                                     Attendance.count_secretary, Attendance.count_ward_member,
                                     Attendance.count_shg_member, Attendance.count_other, Attendance.mode,
                                     Attendance.source, Attendance.revision)).all()
    revisions = db.session.scalar(select(func.count()).select_from(AttendanceRevision))
    return sorted(tuple(row) for row in rows), revisions


def check_marking(response, values: dict, before: tuple, places) -> None:
    """Marked whole (GP 11111, whose code it is, exactly as sent), or refused with a Hindi page, nothing written."""
    page = response.get_data(as_text=True)
    assert response.status_code in (200, 400, 422), page
    if response.status_code == 200:
        assert "उपस्थित दर्ज" in page
        gp = places.gp(11111)
        rows, revisions = attendance_state()
        assert revisions == before[1] + 1
        marked = db.session.scalar(select(Attendance).filter_by(gram_panchayat_id=gp.id))
        assert marked.participants == int(values["participants"])
        assert [row for row in rows if row[0] != gp.id] == [row for row in before[0] if row[0] != gp.id]
    else:
        assert attendance_state() == before
        assert DEVANAGARI.search(page)
        if response.status_code == 422:
            assert_hindi_errors(page)


@pytest.mark.parametrize("field", ["gp_query", "gp_choice", "access_code", "pass_token", "participants",
                                   "sarpanch", "ward_member", "mode"])
@share_of_examples(0.3)
@given(value=WRONG)
@classic_breakers
def test_any_one_field_of_the_attendance_form_is_answered_clearly_and_marks_whole_or_not_at_all(
        flow, places, field, value):
    client, url, values = flow(field)
    values[field] = value
    values = {name: v for name, v in values.items() if v is not None}
    before = attendance_state()
    check_marking(client.post(url, data=values), values, before, places)


@given(data=st.data())
def test_an_attendance_form_with_several_fields_wrong_is_answered_clearly_and_marks_whole_or_not_at_all(
        flow, places, data):
    client, url, good = flow(data.draw(st.sampled_from(["gp_query", "gp_choice"])))
    values = data.draw(spoilt({name: st.just(value) for name, value in good.items()}))
    before = attendance_state()
    check_marking(client.post(url, data=values), values, before, places)


@share_of_examples(0.5)
@given(value=NASTY)
@classic_breakers
def test_any_typed_session_code_leads_to_the_form_or_says_in_hindi_it_is_wrong(app, session, value):
    response = app.test_client().get("/a", query_string={} if value is None else {"code": value})
    assert response.status_code in (200, 302)
    if response.status_code == 200 and value:
        assert_hindi_errors(response.get_data(as_text=True))


@share_of_examples(0.5)
@given(value=st.one_of(NASTY, st.text(string.ascii_letters + string.digits + "-_=", max_size=60)))
@classic_breakers
def test_any_token_in_the_address_is_refused_with_a_hindi_page(app, session, value):
    token = (value or "").replace("/", "")  # a slash makes another address, which no view of the flow matches
    if not token:
        return
    response = app.test_client().get("/a/" + "".join(f"%{byte:02X}" for byte in token.encode()))
    assert response.status_code in (400, 404)
    assert DEVANAGARI.search(response.get_data(as_text=True))


@share_of_examples(0.5)
@given(value=st.one_of(st.integers(min_value=0, max_value=10**30).map(str), NASTY))
@classic_breakers
def test_any_number_in_a_public_address_is_its_page_or_a_hindi_404(app, session, value):
    client = app.test_client()
    number = "".join(f"%{byte:02X}" for byte in (value or "").replace("/", "").encode()) or "0"
    for url in (f"/feedback/sessions/{number}", f"/feedback/sessions/{number}/thanks", f"/sessions/{number}",
                f"/programmes/{number}", f"/programmes/{number}/divisions/{number}"):
        response = client.get(url)
        assert response.status_code in (200, 404), url
        assert DEVANAGARI.search(response.get_data(as_text=True))


# The feedback form


@pytest.fixture
def questions(session):
    """A rating (required), one choice, several choices, a short and a long text."""
    programme = session.programme
    made = {
        "rating": feedback.add_question(programme, QuestionKind.RATING, "प्रशिक्षण कैसा लगा?", required=True),
        "single": feedback.add_question(programme, QuestionKind.SINGLE, "वीडियो साफ़ दिखा?",
                                        options=[{"hi": "हाँ"}, {"hi": "नहीं"}]),
        "multiple": feedback.add_question(programme, QuestionKind.MULTIPLE, "उपयोगी विषय",
                                          options=[{"hi": "जीपीडीपी"}, {"hi": "लेखा"}, {"hi": "ग्राम सभा"}]),
        "short_text": feedback.add_question(programme, QuestionKind.SHORT_TEXT, "आपका पद"),
        "long_text": feedback.add_question(programme, QuestionKind.LONG_TEXT, "सुझाव"),
    }
    db.session.commit()
    return made


@pytest.fixture
def feedback_form(app, session, questions):
    """Return a new phone's opened feedback form: the phone, its address and right values of every field."""
    serial = iter(range(10**6))

    def open_form():
        client = app.test_client()
        url = f"/feedback/sessions/{session.id}"
        assert client.get(url).status_code == 200
        q = {kind: f"q{question.id}" for kind, question in questions.items()}
        good = {"nonce": f"nonce-{next(serial):06d}-{session.id}-abcdef", "role": "sarpanch", "name": "रामलाल",
                "anonymous": "", q["rating"]: "4", q["single"]: "o1", q["multiple"]: ["o1", "o3"],
                q["short_text"]: "सचिव", q["long_text"]: "सुझाव: और समय दें"}
        return client, url, good, q

    return open_form


def feedback_state(nonce=None) -> tuple:
    """The numbers of responses and answers, and whether a response with this nonce exists."""
    known = isinstance(nonce, str) and "\x00" not in nonce and db.session.scalar(
        select(Response.id).filter_by(nonce=nonce)) is not None
    return (db.session.scalar(select(func.count()).select_from(Response)),
            db.session.scalar(select(func.count()).select_from(Answer)), known)


def check_feedback(response, values: dict, before: tuple) -> None:
    """Saved whole (one response with all its answers; none more for a form sent again), or refused with a Hindi
    page and nothing written."""
    page = response.get_data(as_text=True)
    assert response.status_code in (302, 422), page
    responses, answers, _known = feedback_state()
    if response.status_code == 302 and not before[2]:
        saved = db.session.scalar(select(Response).filter_by(nonce=values["nonce"]))
        assert responses == before[0] + 1 and len(saved.answers) >= 1
        assert answers == before[1] + len(saved.answers)
        assert "\x00" not in saved.name and all("\x00" not in (answer.text or "") for answer in saved.answers)
    else:
        assert (responses, answers) == before[:2]
        if response.status_code == 422:
            assert_hindi_errors(page)


@pytest.mark.parametrize("field", ["nonce", "role", "name", "anonymous", "rating", "single", "multiple",
                                   "short_text", "long_text"])
@share_of_examples(0.3)
@given(value=WRONG)
@classic_breakers
def test_any_one_field_of_the_feedback_form_is_answered_clearly_and_saves_whole_or_not_at_all(
        feedback_form, field, value):
    client, url, values, q = feedback_form()
    values[q.get(field, field)] = value
    values = {name: v for name, v in values.items() if v is not None}
    before = feedback_state(values.get("nonce"))
    check_feedback(client.post(url, data=values), values, before)


@given(data=st.data())
def test_a_feedback_form_with_several_fields_wrong_is_answered_clearly_and_saves_whole_or_not_at_all(
        feedback_form, data):
    client, url, good, _q = feedback_form()
    values = data.draw(spoilt({name: st.just(value) for name, value in good.items() if name != "nonce"}))
    values["nonce"] = good["nonce"]  # a fresh form each time, so that a save is a new response
    before = feedback_state(values.get("nonce"))
    check_feedback(client.post(url, data=values), values, before)


# CSV files, through the pages and the commands


@st.composite
def csv_files(draw, good_rows: list[dict], columns, extra_values):
    """A CSV file made from good rows, then spoilt (or not): wrong cells, missing, unknown or repeated columns,
    ragged and blank lines, an endless value; another delimiter, line ending or encoding, a BOM, a cut; or any
    bytes at all."""
    kind = draw(st.sampled_from(["csv"] * 8 + ["bytes", "text"]))
    if kind == "bytes":
        return draw(st.binary(max_size=2000))
    if kind == "text":
        return draw(st.text(st.characters(exclude_categories=("Cs",)), max_size=400)).encode(
            draw(st.sampled_from(["utf-8", "utf-16"])))
    header = list(draw(st.permutations(columns)))
    rows = [[row.get(column, "") for column in header] for row in good_rows]
    cell = st.one_of(NASTY, st.sampled_from(extra_values))
    for _ in range(draw(st.integers(0, 3))):
        change = draw(st.sampled_from(["cell", "cell", "cell", "drop_column", "extra_column", "short_row",
                                       "long_row", "blank_row", "repeat_row", "empty"]))
        if change == "cell" and rows:
            row = rows[draw(st.integers(0, len(rows) - 1))]
            if row:
                row[draw(st.integers(0, len(row) - 1))] = draw(cell)
        elif change == "drop_column" and len(header) > 1:
            index = draw(st.integers(0, len(header) - 1))
            del header[index]
            for row in rows:
                del row[index:index + 1]
        elif change == "extra_column":
            header.append(draw(st.sampled_from(["", "remarks", "GP_CODE", *header[:1]])))
            for row in rows:
                row.append(draw(cell))
        elif change == "short_row" and rows:
            rows[-1] = rows[-1][:draw(st.integers(0, len(header)))]
        elif change == "long_row" and rows:
            rows[0] = rows[0] + [draw(cell)]
        elif change == "blank_row":
            rows.insert(draw(st.integers(0, len(rows))), [""] * len(header))
        elif change == "repeat_row" and rows:
            rows.append(list(rows[0]))
        elif change == "empty":
            header, rows = draw(st.sampled_from([([], []), (header, [])]))
    if rows and rows[0] and draw(st.integers(0, 9)) == 0:  # longer than any CSV field may be
        rows[0][draw(st.integers(0, len(rows[0]) - 1))] = draw(st.sampled_from(["9", "x"])) * 132_000
    return write_csv(header, rows, delimiter=draw(st.sampled_from([",", ",", ",", ";", "\t", "|"])),
                     newline=draw(st.sampled_from(["\n", "\r\n", "\r"])),
                     quoting=draw(st.sampled_from([csv.QUOTE_MINIMAL, csv.QUOTE_ALL])),
                     encoding=draw(st.sampled_from(["utf-8"] * 6 + ["utf-8-sig", "utf-16", "cp1252", "latin-1"])),
                     cut=draw(st.one_of(st.none(), st.none(), st.none(), st.integers(0, 2000))))


def write_csv(header, rows, delimiter=",", newline="\r\n", quoting=csv.QUOTE_MINIMAL, encoding="utf-8",
              cut=None) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator=newline, quoting=quoting)
    if header:
        writer.writerow(header)
    writer.writerows(rows)
    data = out.getvalue().encode(encoding, errors="replace")
    return data if cut is None else data[:cut]


def one_wrong_cell(good_rows: list[dict], columns, row: int, column: str, value: str | None) -> bytes:
    """A good file but for one cell."""
    rows = [[values.get(name, "") for name in columns] for values in good_rows]
    rows[row][list(columns).index(column)] = value or ""
    return write_csv(columns, rows)


def rows_of(data: bytes) -> list[dict]:
    """Read a file the importers accepted, independently of them: UTF-8, header names trimmed and lowered."""
    reader = csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))
    names = [name.strip().lower() for name in next(reader)]
    return [dict(zip(names, (value.strip() for value in values), strict=False)) for values in reader
            if any(value.strip() for value in values)]


def uploaded(client, url: str, data: bytes, name: str) -> tuple[bool, list[str]]:
    """Upload a file on a page; return whether it was imported, and the problems the page lists."""
    response = client.post(url, data={"file": (io.BytesIO(data), name)}, content_type="multipart/form-data")
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    found = re.search(r'<ul class="problems">(.*?)</ul>', page, re.S)
    problems = re.findall(r"<li>(.*?)</li>", found.group(1), re.S) if found else []
    assert bool(problems) != ('<li class="success">' in page), page
    return not problems, problems


def commanded(runner, tmp_path, args: list[str], data: bytes) -> tuple[bool, list[str]]:
    """Run an import command on a file; return whether it imported, and the problems it printed."""
    path = tmp_path / "import.csv"
    path.write_bytes(data)
    result = runner.invoke(args=[*args, str(path)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.exit_code in (0, 1), result.output
    if result.exit_code:
        assert "nothing was imported" in result.output
        return False, [line for line in result.output.splitlines() if line.startswith("line ")] or [""]
    return True, []


def assert_lines_named(problems: list[str], data: bytes, prefix: str, hindi: bool) -> None:
    """Every problem names a line of the file (1 for the file as a whole) and says what is wrong with it."""
    last = len(data.splitlines()) + 1
    for problem in problems:
        found = re.match(rf"{prefix} (\d+): (.+)", problem, re.S)
        assert found, problem
        assert 1 <= int(found.group(1)) <= last, problem
        if hindi:
            assert DEVANAGARI.search(found.group(2)), problem


def region_state() -> dict:
    return {model.__tablename__: sorted(tuple(row) for row in db.session.execute(select(*model.__table__.c)))
            for model in (Division, District, Block, GramPanchayat)}


GOOD_PLACES = [{"division_code": "1", "division_name_en": "Division 1", "division_name_hi": "संभाग 1",
                "district_code": "111", "district_name_en": "District 11", "district_name_hi": "जिला 11",
                "block_code": "1111", "block_name_en": "Block 111", "block_name_hi": "जनपद 111",
                "gp_code": str(code), "gp_name_en": f"Gram {code}", "gp_name_hi": f"ग्राम {code}"}
               for code in (11111, 11112, 11119)]


@pytest.fixture(params=["page", "command"])
def import_places(request, app, places, tmp_path):
    """Import a places file as an admin on /regions/import, or with `flask regions import`."""
    if request.param == "page":
        client = app.test_client()
        request.getfixturevalue("make_user")("admin", Role.ADMIN)
        client.post("/login", data={"username": "admin", "password": "correct-horse-1"})
        return lambda data: (*uploaded(client, "/regions/import", data, "places.csv"), "पंक्ति", True)
    runner = app.test_cli_runner()
    return lambda data: (*commanded(runner, tmp_path, ["regions", "import"], data), "line", False)


def check_places_import(import_places, data: bytes) -> None:
    before = region_state()
    imported, problems, prefix, hindi = import_places(data)
    if imported:
        for row in rows_of(data):
            gp = db.session.scalar(select(GramPanchayat).filter_by(lgd_code=int(row["gp_code"])))
            assert (gp.name_en, gp.name_hi, gp.block.lgd_code) == (row["gp_name_en"], row["gp_name_hi"],
                                                                   int(row["block_code"]))
    else:
        assert region_state() == before
        assert_lines_named(problems, data, prefix, hindi)


@share_of_examples(0.6)
@given(row=st.integers(0, len(GOOD_PLACES) - 1), column=st.sampled_from(REGION_COLUMNS), value=NASTY)
@classic_breakers_in("gp_code", "gp_name_hi", "district_name_en")
def test_any_value_in_any_cell_of_a_places_file_is_imported_or_its_line_named_and_nothing_changed(
        import_places, row, column, value):
    check_places_import(import_places, one_wrong_cell(GOOD_PLACES, REGION_COLUMNS, row, column, value))


@given(data=csv_files(GOOD_PLACES, REGION_COLUMNS, ["3", "112", "1112", "11121", "Gram", "ग्राम"]))
def test_any_places_file_is_imported_whole_or_its_bad_lines_named_and_nothing_changed(import_places, data):
    check_places_import(import_places, data)


GOOD_ATTENDANCE = [{"gp_code": "11111", "participants": "12", "mode": "youtube", "sarpanch": "1", "secretary": "1",
                    "ward_member": "4", "shg_member": "3", "other": "2"},
                   {"gp_code": "11112", "participants": "7", "mode": "जनपद कार्यालय में एक साथ"},
                   {"gp_code": "11113", "participants": "1"}]


@pytest.fixture(params=["page", "command"])
def import_attendance(request, app, session, tmp_path):
    """Import an attendance file as the officer of block 1111 (GPs 11111 to 11113) on the upload page, or with
    `flask attendance import`; return what happened and the source the marks should carry."""
    if request.param == "page":
        client = app.test_client()
        request.getfixturevalue("make_user")("officer", Role.BLOCK_OFFICER, 1111)
        client.post("/login", data={"username": "officer", "password": "correct-horse-1"})
        url = f"/attendance/sessions/{session.id}/upload"
        return lambda data: (*uploaded(client, url, data, "attendance.csv"), "पंक्ति", True, MarkSource.UPLOAD)
    runner = app.test_cli_runner()
    return lambda data: (*commanded(runner, tmp_path, ["attendance", "import", str(session.id)], data), "line",
                         False, MarkSource.COMMAND)


def check_attendance_import(import_attendance, data: bytes) -> None:
    before = attendance_state()
    imported, problems, prefix, hindi, source = import_attendance(data)
    if imported:
        for row in rows_of(data):
            marked = db.session.scalar(select(Attendance).join(GramPanchayat).where(
                GramPanchayat.lgd_code == int(row["gp_code"])))
            assert (marked.participants, marked.source) == (int(row["participants"]), source)
    else:
        assert attendance_state() == before
        assert_lines_named(problems, data, prefix, hindi)


@share_of_examples(0.6)
@given(row=st.integers(0, len(GOOD_ATTENDANCE) - 1), column=st.sampled_from(ATTENDANCE_COLUMNS), value=NASTY)
@classic_breakers_in("gp_code", "participants", "mode", "other")
def test_any_value_in_any_cell_of_an_attendance_file_is_imported_or_its_line_named_and_nothing_marked(
        import_attendance, row, column, value):
    check_attendance_import(import_attendance, one_wrong_cell(GOOD_ATTENDANCE, ATTENDANCE_COLUMNS, row, column, value))


@given(data=csv_files(GOOD_ATTENDANCE, ATTENDANCE_COLUMNS,
                      ["11121", "12111", "99999", "500", "501", "satellite", "Video conference"]))
def test_any_attendance_file_is_imported_whole_or_its_bad_lines_named_and_nothing_marked(import_attendance, data):
    check_attendance_import(import_attendance, data)


# Archives (`flask import`)

# Every kind of JSON value, nasty ones included: what a line of an archive's table may hold in place of another.
JSON_VALUES = st.one_of(NASTY, st.none(), st.booleans(), st.integers(min_value=-2**80, max_value=2**80),
                        st.floats(), st.lists(st.integers(), max_size=2),
                        st.dictionaries(st.text(max_size=3), st.integers(), max_size=2))


TABLES = [table.name for table in db.metadata.sorted_tables]  # the source archive has rows in every one


def damage(entry: dict, kind: str, line: int, column, value):
    """A change to one line of a table file of an archive: one value replaced by any other (`column` a name, or
    any number standing for one), the line replaced by any text, or the line cut short or made longer."""
    def change(manifest, files):
        lines = files[entry["file"]].decode().splitlines()
        index = line % len(lines)
        row = json.loads(lines[index])
        if kind == "text":
            lines[index] = str(value).replace("\n", " ")
        elif kind == "arity":
            lines[index] = json.dumps(row[:-1] if value else [*row, 0])
        else:
            names = [c["name"] for c in entry["columns"]]
            row[names.index(column) if isinstance(column, str) else column % len(names)] = value
            lines[index] = json.dumps(row, ensure_ascii=False)
        files[entry["file"]] = ("\n".join(lines) + "\n").encode()
    return change


@share_of_examples(0.5)
@given(table=st.sampled_from(TABLES), kind=st.sampled_from(["value", "value", "value", "text", "arity"]),
       line=st.integers(0, 10**6), column=st.integers(0, 100), value=JSON_VALUES)
@example(table="gram_panchayats", kind="value", line=0, column="lgd_code", value=2**70)
@example(table="feedback_answers", kind="value", line=0, column="rating", value=-(2**70))
@example(table="users", kind="value", line=0, column="full_name", value="राम\x00")
@example(table="attendances", kind="value", line=0, column="marked_at", value="9" * 5000)
def test_any_value_in_an_archive_is_imported_whole_or_refused_in_words_with_the_database_untouched(
        app, places, source, tmp_path, table, kind, line, column, value):
    entry = next(entry for entry in archive_manifest(source.archive)["tables"] if entry["name"] == table)
    path = archive.rewrite(source.archive, tmp_path / "damaged.zip", damage(entry, kind, line, column, value),
                           reseal=True)
    before = archive.table_rows()
    result = archive.flask(app, "import", "--replace", str(path))  # --replace: what it deleted must come back
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    if result.exit_code:
        assert result.exit_code == 1 and "Nothing was imported." in result.output
        assert archive.table_rows() == before
    else:
        manifest = archive_manifest(path)
        assert {name: len(rows) for name, rows in archive.table_rows().items()} == {
            entry["name"]: entry["rows"] for entry in manifest["tables"]}


def archive_manifest(path) -> dict:
    with zipfile.ZipFile(path) as opened:
        return json.loads(opened.read("manifest.json"))


# Contacts files (the import page and `flask contacts import`)

CONTACT_COLUMNS = ("gp_code", "role", "name", "mobile", "email", "language", "channels")
GOOD_CONTACTS = [{"gp_code": "11111", "role": "secretary", "name": "रमेश कुमार", "mobile": "+91 98765-43210",
                  "email": "ramesh@example.in", "language": "hi", "channels": "whatsapp;sms;email"},
                 {"gp_code": "11111", "role": "sarpanch", "mobile": "09876543211", "language": "en"},
                 {"gp_code": "11113", "role": "other", "mobile": "9876543212", "channels": "sms"}]


def contacts_state() -> list[tuple]:
    from trainer.contacts.models import Contact
    return sorted(tuple(row) for row in db.session.execute(select(*Contact.__table__.c)))


@pytest.fixture(params=["page", "command"])
def import_contacts(request, app, places, tmp_path):
    """Import a contacts file as the officer of block 1111 (GPs 11111 to 11113) on the import page, or with
    `flask contacts import --as officer`."""
    request.getfixturevalue("make_user")("officer", Role.BLOCK_OFFICER, 1111)
    if request.param == "page":
        client = app.test_client()
        client.post("/login", data={"username": "officer", "password": "correct-horse-1"})
        return lambda data: (*uploaded(client, "/contacts/import", data, "contacts.csv"), "पंक्ति", True)
    runner = app.test_cli_runner()
    return lambda data: (*commanded(runner, tmp_path, ["contacts", "import", "--as", "officer"], data), "line",
                         False)


def check_contacts_import(import_contacts, data: bytes) -> None:
    from trainer.contacts.models import Contact
    from trainer.contacts.services import normalise_mobile
    before = contacts_state()
    imported, problems, prefix, hindi = import_contacts(data)
    if imported:
        for row in rows_of(data):
            found = db.session.scalar(select(Contact).join(GramPanchayat).where(
                GramPanchayat.lgd_code == int(row["gp_code"]), Contact.role == row["role"].lower()))
            assert found.mobile == normalise_mobile(row["mobile"])
    else:
        assert contacts_state() == before
        assert_lines_named(problems, data, prefix, hindi)


@share_of_examples(0.6)
@given(row=st.integers(0, len(GOOD_CONTACTS) - 1), column=st.sampled_from(CONTACT_COLUMNS), value=NASTY)
@classic_breakers_in("gp_code", "mobile", "email", "channels")
def test_any_value_in_any_cell_of_a_contacts_file_is_imported_or_its_line_named_and_nothing_changed(
        import_contacts, row, column, value):
    check_contacts_import(import_contacts, one_wrong_cell(GOOD_CONTACTS, CONTACT_COLUMNS, row, column, value))


@given(data=csv_files(GOOD_CONTACTS, CONTACT_COLUMNS,
                      ["11121", "12111", "99999", "sarpanch", "9876543219", "email", "en", "a@b.in"]))
def test_any_contacts_file_is_imported_whole_or_its_bad_lines_named_and_nothing_changed(import_contacts, data):
    check_contacts_import(import_contacts, data)
