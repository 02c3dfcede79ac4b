"""Contacts of gram panchayats and officers: the rules, the contract of the outbox, the import, pages, files,
JSON and the commands."""
import csv
import io
import json

import pytest
from openpyxl import Workbook, load_workbook
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from trainer.accounts.models import User
from trainer.contacts import services
from trainer.contacts.importer import ContactImportError, import_contacts
from trainer.contacts.models import Contact, ContactRole, OptOutSource
from trainer.contacts.services import ContactValues, mask_email, mask_mobile, normalise_mobile
from trainer.core.roles import Role
from trainer.core.tables import UnreadableWorkbook, xlsx_rows
from trainer.extensions import db
from trainer.regions.areas import STATE, Area
from trainer.regions.models import Block, GramPanchayat

HEADER = "gp_code,role,name,mobile,email,language,channels"


def csv_file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def count_contacts() -> int:
    return db.session.scalar(select(func.count(Contact.id)))


def contact(gp, role=ContactRole.SECRETARY, mobile="9876543210", **values) -> Contact:
    made = Contact(gram_panchayat_id=gp.id, role=role, mobile=mobile, **values)
    db.session.add(made)
    db.session.flush()
    return made


# Numbers and masks


@pytest.mark.parametrize("text", ["+91 98765-43210", "09876543210", "919876543210", "98765 43210", "9876543210",
                                  "+91-98765 43210", "(+91) 98765.43210", "0091 9876543210"])
def test_every_usual_spelling_of_a_mobile_number_becomes_its_ten_digits(text):
    assert normalise_mobile(text) == "9876543210"


@pytest.mark.parametrize("text", ["", "12345", "5876543210", "0876543210", "98765432101", "+44 9876543210",
                                  "98765abcde", "९८७६५४३२१०", "+91 5876543210", "919876543", "9876543210x"])
def test_what_is_not_an_indian_mobile_number_is_refused(text):
    assert normalise_mobile(text) is None


def test_masks_keep_only_the_ends():
    assert mask_mobile("9876543210") == "98******10"
    assert mask_email("ram.kumar@gmail.com") == "r*******r@gmail.com"
    assert mask_email("ab@x.in") == "a*@x.in"
    assert "9876543210" not in mask_mobile("9876543210")


# The model's rules


def test_a_contact_belongs_to_a_gp_or_a_user_never_both_nor_neither(app, places, make_user):
    user = make_user(role=Role.BLOCK_OFFICER)
    db.session.add(Contact(gram_panchayat_id=places.gp(11111).id, user_id=user.id, role=ContactRole.OFFICER,
                           mobile="9876543210"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.add(Contact(role=ContactRole.SECRETARY, mobile="9876543210"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_a_gp_has_one_secretary_and_one_sarpanch_but_many_others(app, places):
    gp = places.gp(11111)
    contact(gp, ContactRole.OTHER, "9876543211")
    contact(gp, ContactRole.OTHER, "9876543212")
    contact(gp, ContactRole.SECRETARY)
    db.session.commit()
    db.session.add(Contact(gram_panchayat_id=gp.id, role=ContactRole.SECRETARY, mobile="9876543213"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_an_officer_has_one_contact_and_a_gp_contact_is_never_an_officer(app, places, make_user):
    user = make_user(role=Role.BLOCK_OFFICER)
    db.session.add(Contact(user_id=user.id, role=ContactRole.OFFICER, mobile="9876543210"))
    db.session.commit()
    db.session.add(Contact(user_id=user.id, role=ContactRole.OFFICER, mobile="9876543211"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    db.session.add(Contact(gram_panchayat_id=places.gp(11111).id, role=ContactRole.OFFICER, mobile="9876543211"))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


# The contract of the outbox


def test_contact_points_take_a_select_of_gps_and_leave_out_the_opted_out(app, places):
    one, two, other = places.gp(11111), places.gp(11112), places.gp(12111)
    contact(one, ContactRole.SARPANCH, "9000000002", accepts_whatsapp=True, email="a@b.in", accepts_email=True)
    contact(one, ContactRole.SECRETARY, "9000000001")
    contact(two, ContactRole.SECRETARY, "9000000003", opted_out_at=services.utc_now(),
            opt_out_source=OptOutSource.SMS)
    contact(other, ContactRole.SECRETARY, "9000000004")
    contact(one, ContactRole.OTHER, "9000000005")
    db.session.commit()
    of_block = select(GramPanchayat.id).where(GramPanchayat.block_id == places.block(1111).id)
    points = services.contact_points_of_gps(of_block)
    assert [(p.gram_panchayat_id, p.role, p.mobile) for p in points] == [
        (one.id, "secretary", "9000000001"), (one.id, "sarpanch", "9000000002")]
    assert points[1].channels == ("whatsapp", "sms", "email")
    assert points[0].channels == ("sms",) and points[0].language == "hi" and points[0].user_id is None
    by_ids = services.contact_points_of_gps([other.id, one.id], roles=("secretary", "other"))
    assert [(p.gram_panchayat_id, p.role) for p in by_ids] == [(one.id, "secretary"), (one.id, "other"),
                                                              (other.id, "secretary")]


def test_whole_state_contact_points_are_one_query(app, places):
    for code in (11111, 11112, 11113, 12111):
        contact(places.gp(code), mobile=f"90000{code}")
    db.session.commit()
    statements = []
    from sqlalchemy import event

    def note(*args):
        statements.append(args[2])
    event.listen(db.engine, "before_cursor_execute", note)
    try:
        points = services.contact_points_of_gps(select(GramPanchayat.id))
    finally:
        event.remove(db.engine, "before_cursor_execute", note)
    assert len(points) == 4 and len(statements) == 1


def test_a_channel_without_an_address_is_not_offered(app, places):
    contact(places.gp(11111), accepts_email=True, accepts_whatsapp=True, accepts_sms=False)
    db.session.commit()
    [point] = services.contact_points_of_gps([places.gp(11111).id])
    assert point.channels == ("whatsapp",)


def test_opting_out_by_number_reaches_every_contact_with_it_and_opting_in_undoes_it(app, places):
    first = contact(places.gp(11111), mobile="9876543210")
    contact(places.gp(12111), ContactRole.SARPANCH, mobile="9876543210")
    contact(places.gp(11112), mobile="9876543219")
    db.session.commit()
    assert services.gps_of_mobile("+91 98765 43210") == sorted([places.gp(11111).id, places.gp(12111).id])
    assert services.opt_out("919876543210", "sms") == 2
    assert services.opt_out("9876543210", "whatsapp") == 0  # already out: the first opt-out stays
    db.session.commit()
    assert services.gps_of_mobile("9876543210") == []
    db.session.refresh(first)
    assert first.opted_out and first.opt_out_source == OptOutSource.SMS
    assert [p.mobile for p in services.contact_points_of_gps(select(GramPanchayat.id))] == ["9876543219"]
    services.opt_in(first)
    db.session.commit()
    assert services.gps_of_mobile("9876543210") == [places.gp(11111).id]
    with pytest.raises(ValueError):
        services.opt_out("9876543210", "carrier pigeon")


def test_officers_contact_points(app, places, make_user):
    officer, other = make_user("officer-1", Role.BLOCK_OFFICER), make_user("officer-2", Role.DISTRICT_OFFICER)
    services.save_officer_contact(officer, ContactValues("अधिकारी", "9812345678", "o@x.in", "en", ("email",)),
                                  officer.id)
    services.save_officer_contact(other, ContactValues("", "9812345679", None, "hi", ("sms",)), officer.id)
    services.opt_out("9812345679", "staff")
    db.session.commit()
    [point] = services.contact_points_of_users(select(User.id))
    assert (point.user_id, point.role, point.channels, point.language) == (officer.id, "officer", ("email",), "en")
    assert services.contact_points_of_users([other.id]) == []


# The import


def test_a_good_file_imports_every_line_and_a_reimport_replaces_the_role(app, places):
    summary = import_contacts(csv_file("11111,secretary,रमेश,+91 98765-43210,,hi,whatsapp;sms",
                                       "11111,sarpanch,गीता,09876543211,geeta@example.in,en,email",
                                       "11112,secretary,,9876543212,,,"), STATE, None)
    db.session.commit()
    assert (summary.created, summary.replaced, summary.gram_panchayats) == (3, 0, 2)
    secretary = db.session.scalar(select(Contact).where(Contact.role == ContactRole.SECRETARY,
                                                        Contact.gram_panchayat_id == places.gp(11111).id))
    assert (secretary.mobile, secretary.channels, secretary.name) == ("9876543210", ("whatsapp", "sms"), "रमेश")
    blank = db.session.scalar(select(Contact).where(Contact.gram_panchayat_id == places.gp(11112).id))
    assert blank.channels == ("sms",) and blank.language == "hi"
    summary = import_contacts(csv_file("11111,secretary,सुरेश,9876543299,,,"), STATE, None)
    db.session.commit()
    assert (summary.created, summary.replaced) == (0, 1)
    assert count_contacts() == 3
    assert db.session.scalar(select(Contact.name).where(Contact.mobile == "9876543299")) == "सुरेश"


def test_every_bad_line_is_named_in_hindi_and_nothing_is_written(app, places):
    contact(places.gp(11111), mobile="9000000001")
    db.session.commit()
    data = csv_file("11111,secretary,ठीक,9876543210,,,",        # 2: good
                    "11112,secretary,,12345,,,",                  # 3: bad mobile
                    "99999,secretary,,9876543211,,,",             # 4: unknown GP
                    "11111,secretary,,9876543212,,,",             # 5: repeated (gp, role)
                    "11113,chowkidar,,9876543213,,,",             # 6: unknown role
                    "11113,sarpanch,,9876543214,,fr,",            # 7: unknown language
                    "11113,other,,9876543215,,,pigeon",           # 8: unknown channel
                    "11121,sarpanch,,9876543216,not-an-email,,",  # 9: bad e-mail
                    "11122,sarpanch,,9876543217,,,email",         # 10: e-mail channel without e-mail
                    "12111,secretary,,9876543218,,,")             # 11: outside the area
    with app.test_request_context():
        with pytest.raises(ContactImportError) as rejected:
            import_contacts(data, Area.of(places.district(111)), None)
    lines = {problem.line for problem in rejected.value.problems}
    assert lines == {3, 4, 5, 6, 7, 8, 9, 10, 11}
    reasons = {problem.line: problem.reason for problem in rejected.value.problems}
    assert "मोबाइल" in reasons[3] and "11111" in reasons[5] and "12111" in reasons[11]
    assert all(any("\u0900" <= ch <= "\u097f" for ch in reason) for reason in reasons.values())
    db.session.rollback()
    assert count_contacts() == 1
    assert db.session.scalar(select(Contact.mobile)) == "9000000001"


def test_a_file_with_wrong_columns_is_refused_on_its_first_line(app, places):
    with pytest.raises(ContactImportError) as rejected:
        import_contacts(b"gp_code,mobile,colour\n11111,9876543210,red\n", STATE, None)
    assert {p.line for p in rejected.value.problems} == {1}
    with pytest.raises(ContactImportError):
        import_contacts(b"", STATE, None)


def test_an_opted_out_number_stays_opted_out_when_a_file_names_it_again(app, places):
    contact(places.gp(11111), mobile="9876543210")
    services.opt_out("9876543210", "sms")
    db.session.commit()
    import_contacts(csv_file("11111,secretary,,9876543210,,,", "11112,sarpanch,,9876543210,,,"), STATE, None)
    db.session.commit()
    assert set(db.session.scalars(select(Contact.opt_out_source))) == {OptOutSource.SMS}
    assert services.contact_points_of_gps(select(GramPanchayat.id)) == []


def xlsx(rows) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def test_a_workbook_imports_like_a_csv_file_numbers_included(app, places):
    data = xlsx([HEADER.split(","), [11111, "secretary", "रमेश", 9876543210, None, "hi", "sms"],
                 [11112, "sarpanch", None, "12", None, None, None]])
    assert xlsx_rows(data)[1][:4] == ["11111", "secretary", "रमेश", "9876543210"]
    with pytest.raises(ContactImportError) as rejected:
        import_contacts(data, STATE, None, "contacts.xlsx")
    assert [p.line for p in rejected.value.problems] == [3]
    summary = import_contacts(data[:0] + xlsx([HEADER.split(","), [11111, "secretary", "", 9876543210]]), STATE,
                              None, "contacts.xlsx")
    assert summary.created == 1
    with pytest.raises(UnreadableWorkbook):
        xlsx_rows(b"PK\x03\x04 not a workbook")
    with pytest.raises(ContactImportError):
        import_contacts(b"PK\x03\x04 not a workbook", STATE, None, "contacts.xlsx")


def test_a_state_sized_file_imports_in_seconds(app, places):
    # The small state has 24 GPs; the file names each of them thousands of times would be repeats, so the scale
    # is the state's: as many GPs as the model case, made for this test.
    import time

    from trainer.core.database import bulk_insert
    block = places.block(1111)
    bulk_insert(GramPanchayat.__table__, [{"lgd_code": 500000 + n, "name_en": f"G{n}", "name_hi": f"ग{n}",
                                           "block_id": block.id, "search_key": ""} for n in range(22_812)])
    db.session.commit()
    lines = [f"{500000 + n},{role},,{9_100_000_000 + n * 2 + k},,,sms"
             for n in range(22_812) for k, role in enumerate(("secretary", "sarpanch"))]
    started = time.perf_counter()
    summary = import_contacts(csv_file(*lines), STATE, None)
    db.session.commit()
    assert summary.created == 45_624 and count_contacts() == 45_624
    assert time.perf_counter() - started < 30


# Pages


def test_the_list_shows_only_the_area_with_full_numbers_and_counts(client, login_as, places):
    contact(places.gp(11111), mobile="9876543210")
    contact(places.gp(12111), mobile="9876543219")
    db.session.commit()
    login_as(Role.BLOCK_OFFICER)
    page = client.get("/contacts/").get_data(as_text=True)
    assert "9876543210" in page and "9876543219" not in page and "ग्राम 2111" not in page
    assert "3 में से 1 ग्राम पंचायतों के सचिव का नंबर है" in page
    assert client.get("/contacts/", query_string={"block": 1211}).status_code == 403
    missing = client.get("/contacts/", query_string={"missing": "1"}).get_data(as_text=True)
    assert "ग्राम 1111" in missing  # no sarpanch yet
    found = client.get("/contacts/", query_string={"q": "1112"}).get_data(as_text=True)
    assert "ग्राम 1112" in found and "ग्राम 1113" not in found
    by_code = client.get("/contacts/", query_string={"q": "11113"}).get_data(as_text=True)
    assert "ग्राम 1113" in by_code and "ग्राम 1112" not in by_code


def test_secretaries_and_the_signed_out_get_nothing(client, login_as, places):
    contact(places.gp(11111))
    db.session.commit()
    assert client.get("/contacts/").status_code == 302
    login_as(Role.SECRETARY)
    for url in ("/contacts/", "/contacts/gps/11111", "/contacts/export.csv", "/api/v1/contacts"):
        assert client.get(url).status_code == 403, url


def test_an_officer_adds_changes_opts_out_and_back_in_a_contact(client, login_as, places):
    login_as(Role.BLOCK_OFFICER)
    response = client.post("/contacts/gps/11111", data={"role": "secretary", "name": "रमेश", "mobile": "098765 43210",
                                                         "language": "hi", "channels": ["sms", "whatsapp"]})
    assert response.status_code == 302
    made = db.session.scalar(select(Contact))
    assert (made.mobile, made.channels) == ("9876543210", ("whatsapp", "sms"))
    bad = client.post("/contacts/gps/11111", data={"role": "secretary", "mobile": "12345", "language": "hi"})
    assert bad.status_code == 400 and "मोबाइल" in bad.get_data(as_text=True)
    page = client.get(f"/contacts/gps/11111?edit={made.id}").get_data(as_text=True)
    assert 'value="9876543210"' in page
    client.post("/contacts/gps/11111", data={"contact_id": made.id, "role": "secretary", "mobile": "9876543211",
                                             "language": "en", "channels": ["sms"]})
    db.session.refresh(made)
    assert made.mobile == "9876543211" and made.language == "en" and count_contacts() == 1
    client.post("/contacts/gps/11111/opt-out", data={"contact_id": made.id})
    db.session.refresh(made)
    assert made.opt_out_source == OptOutSource.STAFF
    client.post("/contacts/gps/11111/opt-in", data={"contact_id": made.id})
    db.session.refresh(made)
    assert not made.opted_out
    # Another GP's contact cannot be reached through this GP's page.
    other = contact(places.gp(11112), mobile="9876543212")
    db.session.commit()
    assert client.post("/contacts/gps/11111/delete", data={"contact_id": other.id}).status_code == 404
    assert client.post("/contacts/gps/11112/delete", data={"contact_id": other.id}).status_code == 302
    assert count_contacts() == 1
    assert client.post("/contacts/gps/12111", data={"role": "secretary", "mobile": "9876543213",
                                                    "language": "hi"}).status_code == 403


def test_a_staff_opt_out_stops_the_number_everywhere_and_roles_stay_single(client, login_as, places):
    secretary = contact(places.gp(11111), mobile="9876543210")
    sarpanch = contact(places.gp(11112), ContactRole.SARPANCH, mobile="9876543210")
    other = contact(places.gp(11111), ContactRole.OTHER, mobile="9876543219")
    db.session.commit()
    login_as(Role.BLOCK_OFFICER)
    client.post("/contacts/gps/11111/opt-out", data={"contact_id": secretary.id})
    db.session.expire_all()
    assert secretary.opted_out and sarpanch.opt_out_source == OptOutSource.STAFF and not other.opted_out
    # The "other" contact cannot become a second secretary.
    refused = client.post("/contacts/gps/11111", data={"contact_id": other.id, "role": "secretary",
                                                       "mobile": "9876543219", "language": "hi"})
    assert refused.status_code == 400 and "सचिव पहले से है" in refused.get_data(as_text=True)
    db.session.expire_all()
    assert other.role == ContactRole.OTHER


def test_a_director_reads_but_does_not_change(client, login_as, places):
    made = contact(places.gp(11111))
    db.session.commit()
    login_as(Role.DIRECTOR)
    assert "9876543210" in client.get("/contacts/gps/11111").get_data(as_text=True)
    assert client.post("/contacts/gps/11111/opt-out", data={"contact_id": made.id}).status_code == 403


def test_the_import_page_names_bad_lines_and_then_imports(client, login_as, places):
    login_as(Role.DISTRICT_OFFICER)
    bad = client.post("/contacts/import", data={"file": (io.BytesIO(csv_file("11111,secretary,,9876543210,,,",
                                                                             "12111,secretary,,9876543211,,,")),
                                                         "c.csv")})
    text = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "12111" in text and count_contacts() == 0
    good = client.post("/contacts/import", data={"file": (io.BytesIO(csv_file("11111,secretary,,9876543210,,,")),
                                                          "c.csv")}, follow_redirects=True)
    assert good.status_code == 200 and count_contacts() == 1


def test_the_import_page_takes_a_workbook(client, login_as, places):
    login_as(Role.TRAINER)
    data = xlsx([HEADER.split(","), [12111, "sarpanch", "गीता", 9876543210, "geeta@example.in", "en", "sms;email"]])
    response = client.post("/contacts/import", data={"file": (io.BytesIO(data), "contacts.xlsx")})
    assert response.status_code == 200 and '<li class="success">' in response.get_data(as_text=True)
    made = db.session.scalar(select(Contact))
    assert (made.mobile, made.channels, made.language) == ("9876543210", ("sms", "email"), "en")


def test_exports_mask_numbers_and_keep_to_the_area(client, login_as, places):
    contact(places.gp(11111), mobile="9876543210", email="ram.kumar@gmail.com")
    contact(places.gp(12111), mobile="9876543219")
    db.session.commit()
    login_as(Role.DISTRICT_OFFICER)
    body = client.get("/contacts/export.csv").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.lstrip("\ufeff"))))
    assert len(rows) == 2 and "98******10" in rows[1] and "r*******r@gmail.com" in rows[1]
    assert "9876543210" not in body and "9876543219" not in body and "98******19" not in body
    response = client.get("/contacts/export.xlsx")
    sheet = load_workbook(io.BytesIO(response.data)).active
    values = [cell for row in sheet.iter_rows(values_only=True) for cell in row]
    assert "98******10" in values and "9876543210" not in map(str, values)
    assert client.get("/contacts/export.pdf").status_code == 404


def test_the_api_is_masked_paged_and_area_limited(client, login_as, places):
    contact(places.gp(11111), mobile="9876543210")
    contact(places.gp(12111), mobile="9876543219")
    db.session.commit()
    login_as(Role.BLOCK_OFFICER)
    listed = client.get("/api/v1/contacts").get_json()
    assert listed["total"] == 1 and listed["contacts"][0]["mobile"] == "98******10"
    assert "9876543210" not in json.dumps(listed)
    assert client.get("/api/v1/contacts?page=2").get_json()["contacts"] == []
    assert client.get("/api/v1/gps/11111/contacts").get_json()["contacts"][0]["role"] == "secretary"
    assert client.get("/api/v1/gps/12111/contacts").status_code == 403
    assert client.get("/api/v1/gps/99999/contacts").status_code == 404


def test_an_officer_keeps_their_own_contact_and_the_admin_any(client, login_as, places, make_user, auth):
    officer = login_as(Role.BLOCK_OFFICER)
    assert client.post("/contacts/me", data={"mobile": "9811111111", "email": "", "language": "en",
                                             "channels": ["sms"]}).status_code == 302
    assert services.officer_contact(officer).mobile == "9811111111"
    assert client.post("/contacts/me", data={"mobile": "", "email": "", "language": "hi"}).status_code == 200
    auth.logout()
    make_user("boss", Role.ADMIN)
    auth.login("boss")
    assert "9811111111" in client.get("/contacts/officers/").get_data(as_text=True)
    assert client.post(f"/contacts/officers/{officer.id}", data={"mobile": "9822222222", "language": "hi",
                                                                 "channels": ["sms"]}).status_code == 302
    db.session.expire_all()
    assert services.officer_contact(officer).mobile == "9822222222"


# Commands


def test_the_import_command_prints_bad_lines_and_exits_1(app, runner, places, make_user, tmp_path):
    make_user("district-1", Role.DISTRICT_OFFICER)
    path = tmp_path / "contacts.csv"
    path.write_bytes(csv_file("11111,secretary,,9876543210,,,", "12111,secretary,,123,,,"))
    result = runner.invoke(args=["contacts", "import", str(path), "--as", "district-1"])
    assert result.exit_code == 1 and "3" in result.output and count_contacts() == 0
    path.write_bytes(csv_file("11111,secretary,,9876543210,,,"))
    result = runner.invoke(args=["contacts", "import", str(path), "--as", "district-1"])
    assert result.exit_code == 0, result.output
    assert count_contacts() == 1
    out = tmp_path / "out.csv"
    result = runner.invoke(args=["contacts", "export", str(out)])
    assert result.exit_code == 0 and "98******10" in out.read_text("utf-8-sig")
    assert "9876543210" not in out.read_text("utf-8-sig")
    assert runner.invoke(args=["contacts", "import", str(path), "--as", "nobody"]).exit_code == 1


def test_the_demo_contacts_are_deterministic_and_valid(app, places, make_user):
    from trainer.tools.demo_contacts import ensure_demo_contacts
    make_user("block", Role.BLOCK_OFFICER)
    first = ensure_demo_contacts()
    mobiles = sorted(db.session.scalars(select(Contact.mobile)))
    assert ensure_demo_contacts() == first and sorted(db.session.scalars(select(Contact.mobile))) == mobiles
    assert mobiles[0] == "9000000001" and all(normalise_mobile(m) == m for m in mobiles)
    assert db.session.scalar(select(func.count()).where(Contact.user_id.is_not(None))) == 1
    assert db.session.get(Block, places.block(1111).id) is not None


def test_the_api_answers_keep_to_the_openapi_description_with_contacts_in_them(client, login_as, places):
    from pathlib import Path

    from jsonschema_rs import Draft202012Validator  # what schemathesis itself validates with
    spec = json.loads((Path(__file__).resolve().parent.parent / "docs" / "openapi.json").read_text())
    contact(places.gp(11111), mobile="9876543210", email="ram.kumar@gmail.com", accepts_email=True,
            opted_out_at=services.utc_now(), opt_out_source=OptOutSource.STAFF)
    contact(places.gp(11112), ContactRole.OTHER, mobile="9876543211", name="ग्राम सेवक")
    db.session.commit()
    login_as(Role.DIRECTOR)
    for url, schema in (("/api/v1/contacts", "ContactList"), ("/api/v1/gps/11111/contacts", "GpContacts")):
        body = client.get(url).get_json()
        Draft202012Validator({**spec, "$ref": f"#/components/schemas/{schema}"}).validate(body)
    assert client.get("/api/v1/contacts?page=abc").status_code == 400


def test_numbers_never_reach_the_logs(client, login_as, places, caplog):
    import logging
    caplog.set_level(logging.DEBUG)
    login_as(Role.ADMIN)
    client.post("/contacts/import", data={"file": (io.BytesIO(csv_file("11111,secretary,,9876543210,,,",
                                                                       "11112,secretary,,9876543211,x@,,")),
                                                   "c.csv")})
    client.post("/contacts/gps/11111", data={"role": "sarpanch", "mobile": "9876543212", "language": "hi",
                                             "channels": ["sms"]})
    client.get("/contacts/gps/11111")
    client.get("/api/v1/gps/11111/contacts")
    assert count_contacts() == 1
    for number in ("9876543210", "9876543211", "9876543212"):
        assert number not in caplog.text
