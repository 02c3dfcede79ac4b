"""Offices and their officers: the rules of an office, officers added and removed, the offices a user acts for and
those an area sees; the admin pages and the JSON."""
import pytest
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from trainer.core.roles import Role
from trainer.extensions import db
from trainer.offices import services
from trainer.offices.models import Office, OfficeOfficer
from trainer.offices.services import OfficeError, OfficeValues


def refusal(call, *args, **kwargs) -> str:
    with pytest.raises(OfficeError) as refused:
        call(*args, **kwargs)
    db.session.rollback()
    return str(refused.value.message)


def test_an_office_keeps_its_names_place_phone_and_email(app, places):
    office = services.save_office(OfficeValues("  उपायुक्त   कार्यालय ", "DC office", "DC Godda", places.district(111),
                                               "06422-222222", "dc-godda@nic.in"))
    db.session.commit()
    assert (office.name_hi, office.short_name, office.place, office.label) == (
        "उपायुक्त कार्यालय", "DC Godda", places.district(111), "DC Godda")
    services.save_office(OfficeValues(name_en="State mission"), office)
    assert office.place is None and office.district is None and office.label == "State mission"


def test_an_office_refuses_no_name_a_bad_phone_or_email_and_a_place_outside_the_editor(app, places, make_user):
    assert "नाम" in refusal(services.save_office, OfficeValues())
    refusal(services.save_office, OfficeValues("क", phone="call me"))
    refusal(services.save_office, OfficeValues("क", email="not-an-address"))
    refusal(services.save_office, OfficeValues("क", place=places.gp(11111)))
    director = make_user("jd", Role.DIRECTOR, area_code=1)
    refusal(services.save_office, OfficeValues("क", place=places.district(121)), editor=director)
    refusal(services.save_office, OfficeValues("क"), editor=director)  # a state office is beyond a division
    assert services.save_office(OfficeValues("क", place=places.district(111)), editor=director).id
    db.session.commit()
    assert db.session.scalar(select(func.count()).select_from(Office)) == 1


def test_officers_are_added_once_with_their_designation_and_removed(app, places, make_user):
    office = services.save_office(OfficeValues("प्रखंड कार्यालय", place=places.block(1111)))
    other = services.save_office(OfficeValues("जिला कार्यालय", place=places.district(111)))
    officer = make_user("bdo", Role.BLOCK_OFFICER)
    services.add_officer(office, officer, "प्रखंड विकास पदाधिकारी")
    services.add_officer(office, officer, "बीडीओ")
    services.add_officer(other, officer)
    db.session.commit()
    assert [(o.user_id, o.designation) for o in office.officers] == [(officer.id, "बीडीओ")]
    assert [o.id for o in services.offices_of(officer)] == sorted([office.id, other.id], key=lambda i: (
        db.session.get(Office, i).name_hi, i))
    assert services.is_officer_of(officer, office.id) and services.designation_of(officer, office.id) == "बीडीओ"
    other.active = False
    assert services.office_ids_of(officer) == {office.id}
    services.remove_officer(office, officer)
    db.session.commit()
    assert services.office_ids_of(officer) == set()
    refusal(services.add_officer, office, make_user("sec", Role.SECRETARY), "सचिव")


def test_an_officer_is_one_row_per_office_in_the_database(app, places, make_user):
    office = services.save_office(OfficeValues("कार्यालय"))
    user = make_user("bdo", Role.BLOCK_OFFICER)
    services.add_officer(office, user)
    db.session.commit()
    db.session.add(OfficeOfficer(office_id=office.id, user_id=user.id))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_offices_visible_by_area_and_search(app, places, make_user):
    state = services.save_office(OfficeValues("राज्य मिशन", "State mission", "SRLM"))
    own = services.save_office(OfficeValues("उपायुक्त कार्यालय", "DC office", "DC", places.district(111)))
    block = services.save_office(OfficeValues("प्रखंड कार्यालय", "Block office", "BDO", places.block(1111)))
    far = services.save_office(OfficeValues("दूर का कार्यालय", "Far office", "FAR", places.district(121)))
    db.session.commit()
    officer = make_user("bdo", Role.BLOCK_OFFICER)
    admin = make_user("admin", Role.ADMIN)
    assert {o.id for o in services.visible_offices(officer)} == {state.id, own.id, block.id}
    assert {o.id for o in services.visible_offices(admin)} == {state.id, own.id, block.id, far.id}
    assert [o.id for o in services.visible_offices(admin, "dc")] == [own.id]
    assert [o.id for o in services.visible_offices(admin, "प्रखंड")] == [block.id]
    assert services.may_see(officer.area, own) and not services.may_see(officer.area, far)
    director = make_user("jd", Role.DIRECTOR, area_code=1)
    assert services.may_edit(director, own) and not services.may_edit(director, far)
    assert not services.may_edit(director, state) and services.may_edit(admin, state)
    assert services.find_office("DC") is own and services.find_office("Far office") is far


def test_the_admin_pages_create_an_office_and_add_an_officer(client, login_as, make_user, places):
    login_as(Role.ADMIN)
    make_user("bdo", Role.BLOCK_OFFICER)
    response = client.post("/offices/new", data={"name_hi": "मुख्य चिकित्सा पदाधिकारी", "short_name": "CMO",
                                                 "area_level": "district", "area_code": "111", "active": "y"})
    assert response.status_code == 302
    office = db.session.scalar(select(Office))
    assert office.short_name == "CMO" and office.district is places.district(111)
    response = client.post(f"/offices/{office.id}/officers", data={"officer-username": "bdo",
                                                                  "officer-designation": "चिकित्सा पदाधिकारी"})
    assert response.status_code == 302
    page = client.get(f"/offices/{office.id}").get_data(as_text=True)
    assert "चिकित्सा पदाधिकारी" in page and "bdo" in page
    assert "CMO" in client.get("/offices?q=cmo").get_data(as_text=True)
    assert client.post(f"/offices/{office.id}/officers", data={"officer-username": "nobody"}).status_code == 400
    assert client.post("/offices/new", data={"area_level": "state"}).status_code == 400
    user_id = office.officers[0].user_id
    assert client.post(f"/offices/{office.id}/officers/remove", data={"user_id": str(user_id)}).status_code == 302
    db.session.expire_all()
    assert not db.session.get(Office, office.id).officers


def test_the_json_lists_offices_of_the_readers_area(client, login_as, places):
    far = services.save_office(OfficeValues("दूर का कार्यालय", place=places.district(121)))
    own = services.save_office(OfficeValues("उपायुक्त कार्यालय", place=places.district(111)))
    db.session.commit()
    login_as(Role.DISTRICT_OFFICER)
    listed = client.get("/api/v1/offices").get_json()
    assert [o["id"] for o in listed["offices"]] == [own.id] and listed["total"] == 1
    assert listed["offices"][0]["area"] == {"level": "district", "code": 111, "name_hi": "जिला 11",
                                            "name_en": "District 11"}
    assert client.get(f"/api/v1/offices/{own.id}").get_json()["officers"] == []
    assert client.get(f"/api/v1/offices/{far.id}").status_code == 403
    assert client.get("/api/v1/offices/999").status_code == 404


def test_a_file_of_offices_is_taken_whole_or_not_at_all(app, places, make_user, runner, tmp_path):
    make_user("bdo", Role.BLOCK_OFFICER)
    good = tmp_path / "offices.csv"
    good.write_text("short_name,name_hi,name_en,level,lgd_code,phone,email,officer,designation\n"
                    "DC,उपायुक्त कार्यालय,DC office,district,111,06422-222222,dc@nic.in,,\n"
                    "BDO,प्रखंड कार्यालय,,block,1111,,,bdo,बीडीओ\n"
                    "SRLM,राज्य मिशन,,state,,,,,\n", encoding="utf-8")
    result = runner.invoke(args=["offices", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(Office)) == 3
    again = runner.invoke(args=["offices", "import", str(good)])
    assert again.exit_code == 0 and db.session.scalar(select(func.count()).select_from(Office)) == 3
    bad = tmp_path / "bad.csv"
    bad.write_text("short_name,name_hi,level,lgd_code,officer\nCMO,मुख्य चिकित्सा,district,111,\n"
                   "X,एक्स,district,999,\nY,वाई,village,1,\nZ,ज़ेड,state,,nobody\n", encoding="utf-8")
    result = runner.invoke(args=["offices", "import", str(bad)])
    assert result.exit_code != 0 and all(f" {line}: " in result.output for line in (3, 4, 5))
    assert " 2: " not in result.output
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(Office)) == 3
    listed = runner.invoke(args=["offices", "list"])
    assert "bdo (बीडीओ)" in listed.output and "DC office" in listed.output
