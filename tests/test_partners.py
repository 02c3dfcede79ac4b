"""The registry of partner organisations: identifiers and names made comparable, possible duplicates, the pages
(with the duplicate question), the import checked whole, JSON, the commands and the demo."""
import io
import time

import pytest
from openpyxl import Workbook
from sqlalchemy import func, select

from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.partners import services
from trainer.partners.importer import OrganisationImportError, import_organisations
from trainer.partners.models import Organisation, OrganisationArea, OrganisationContact, OrganisationKind
from trainer.partners.services import (
    MatchReason,
    NameIndex,
    OrganisationValues,
    Person,
    name_key,
    normalise_identifier,
    possible_duplicates,
)

HEADER = "name_hi,name_en,kind,darpan_id,pan,registration_number,district_code,themes,email,phone,website"


def csv_file(*lines: str) -> bytes:
    return ("\n".join([HEADER, *lines]) + "\n").encode()


def organisation(name_en="Samarthan Centre for Development Support", name_hi="समर्थन", **values) -> Organisation:
    made = services.save_organisation(OrganisationValues(name_en=name_en, name_hi=name_hi, **values), None)
    db.session.commit()
    return made


def count() -> int:
    return db.session.scalar(select(func.count(Organisation.id)))


# Identifiers and names


@pytest.mark.parametrize("text, key", [("mp/2017/0123456", "MP20170123456"), (" MP 2017-0123456 ", "MP20170123456"),
                                       ("aaatd1234z", "AAATD1234Z"), ("", None), (" -/ ", None)])
def test_identifiers_are_compared_in_upper_case_without_spaces_or_punctuation(text, key):
    assert normalise_identifier(text) == key


def test_names_lose_case_punctuation_spacing_and_common_words_in_both_scripts():
    assert name_key("Samarthan – Centre for  Development Support") == "samarthan centre development support"
    assert name_key("Jal Seva Foundation") == name_key("JAL SEVA TRUST") == "jal seva"
    assert name_key("ग्राम विकास समिति") == name_key("ग्राम  विकास संस्था।") == "ग्राम विकास"
    assert name_key("नर्मदा ट्रस्ट") == "नर्मदा"


# Possible duplicates


def test_the_same_identifier_in_any_spelling_is_a_possible_duplicate(app, places):
    first = organisation(darpan_id="MP/2017/0123456")
    second = organisation("Another name", "दूसरा नाम", pan="AAATD1234Z")
    third = organisation("A third", "तीसरा", registration_number="REG/12/2001")
    for values, found in ((OrganisationValues(name_en="Xyz", darpan_id="mp 2017 0123456"), first),
                          (OrganisationValues(name_en="Xyz", pan="aaatd 1234 z"), second),
                          (OrganisationValues(name_en="Xyz", registration_number="reg-12-2001"), third)):
        [match] = possible_duplicates(values)
        assert match.organisation.id == found.id and match.reason is MatchReason.SAME_IDENTIFIER
    assert possible_duplicates(OrganisationValues(name_en="Xyz", darpan_id="MP/2017/0123456"),
                               exclude_id=first.id) == []


def test_a_near_identical_name_in_hindi_or_english_is_a_possible_duplicate(app, places):
    samarthan = organisation()
    hindi = organisation("Gram Vikas", "ग्राम विकास समिति")
    [match] = possible_duplicates(OrganisationValues(name_en="Samarthan - Centre for Developmant Support"))
    assert match.organisation.id == samarthan.id and match.reason is MatchReason.SIMILAR_NAME
    [match] = possible_duplicates(OrganisationValues(name_hi="ग्राम-विकास संस्था"))
    assert match.organisation.id == hindi.id
    assert possible_duplicates(OrganisationValues(name_en="Pradan")) == []
    assert possible_duplicates(OrganisationValues(name_en="Foundation")) == []  # only common words: no name left


def test_an_organisation_matching_by_identifier_and_name_is_listed_once_as_same_identifier(app, places):
    samarthan = organisation(pan="AAATS1234Q")
    matches = possible_duplicates(OrganisationValues(name_en=samarthan.name_en, pan="AAATS1234Q"))
    assert [(m.organisation.id, m.reason) for m in matches] == [(samarthan.id, MatchReason.SAME_IDENTIFIER)]


def test_names_of_a_state_sized_registry_are_searched_in_milliseconds(app, places):
    rows = [{"name_hi": "", "name_en": f"Gram Seva Sangathan {number}", "kind": "ngo", "name_hi_key": "",
             "name_en_key": name_key(f"Gram Seva Sangathan {number:05d} Bhopal"), "registering_authority": "",
             "address": "", "website": "", "phone": ""} for number in range(5000)]
    from trainer.core.database import bulk_insert, utc_now
    bulk_insert(Organisation.__table__, [{**row, "created_at": utc_now(), "updated_at": utc_now()} for row in rows])
    names = NameIndex()
    started = time.perf_counter()
    for number in range(20):
        names.similar("", name_key(f"Gram Seva Sangathan {number:05d} Bhopal"))
    assert len(names.ids) == 5000
    # Generous for a busy machine; measured at about 1 ms a search.
    assert (time.perf_counter() - started) / 20 < 0.2


def test_a_duplicate_points_to_the_original_at_the_end_of_a_chain_and_never_to_itself(app, places):
    first, second, third = organisation("One"), organisation("Two"), organisation("Three")
    services.mark_duplicate(second, first)
    services.mark_duplicate(third, second)
    assert third.duplicate_of_id == first.id
    with pytest.raises(services.OrganisationError):
        services.mark_duplicate(first, third)
    services.mark_duplicate(second, None)
    assert second.duplicate_of_id is None
    assert [(d.id, o.id) for d, o in services.flagged_pairs()] == [(third.id, first.id)]


def test_themes_areas_and_people_are_kept_with_the_organisation(app, places):
    made = organisation(themes=("water", "health"), whole_state=True, district_ids=(places.district(111).id,),
                        block_ids=(places.block(1211).id,),
                        people=(Person("मीना जोशी", "समन्वयक", "9876543210", "meena@example.org"),))
    assert made.theme_keys == ["water", "health"]
    assert sorted((a.district_id is not None, a.block_id is not None) for a in made.areas) == [
        (False, False), (False, True), (True, False)]
    assert [(p.name, p.mobile) for p in made.people] == [("मीना जोशी", "9876543210")]
    services.save_organisation(OrganisationValues(name_en="Samarthan", themes=("gender",)), None, made)
    db.session.commit()
    assert made.theme_keys == ["gender"]
    assert db.session.scalar(select(func.count(OrganisationArea.id))) == 0
    assert db.session.scalar(select(func.count(OrganisationContact.id))) == 0


# The import


def test_a_good_file_adds_every_line_and_flags_a_near_identical_name(app, places):
    samarthan = organisation()
    summary = import_organisations(csv_file(
        "यूनिसेफ,UNICEF,un_agency,,,,,water;sanitation;health,wash@unicef.example,,https://unicef.example",
        ",Transform Rural India Foundation,csr_foundation,MP/2016/0000001,AAATT1234A,,111,livelihoods,,,",
        "समर्थन,Samarthan – Centre for Development Support,ngo,,,,,governance,,,"), None)
    db.session.commit()
    assert (summary.created, summary.flagged) == (3, 1)
    trif = db.session.scalar(select(Organisation).filter_by(name_en="Transform Rural India Foundation"))
    assert trif.district_id == places.district(111).id and trif.pan == "AAATT1234A" and trif.darpan_key == \
        "MP20160000001"
    flagged = db.session.scalar(select(Organisation).where(Organisation.duplicate_of_id.is_not(None)))
    assert flagged.duplicate_of_id == samarthan.id
    unicef = db.session.scalar(select(Organisation).filter_by(name_en="UNICEF"))
    assert unicef.kind is OrganisationKind.UN_AGENCY and unicef.theme_keys == ["water", "sanitation", "health"]


def test_the_same_name_twice_in_one_file_is_added_once_and_flagged_once(app, places):
    summary = import_organisations(csv_file(",Narmada Jal Seva Trust,trust,,,,,,,,",
                                            ",Narmada Jal Seva Society,ngo,,,,,,,,"), None)
    db.session.commit()
    assert (summary.created, summary.flagged) == (2, 1)
    [(duplicate, original)] = services.flagged_pairs()
    assert (duplicate.name_en, original.name_en) == ("Narmada Jal Seva Society", "Narmada Jal Seva Trust")


def test_a_broken_file_is_refused_whole_and_every_bad_line_is_named(app, places):
    known = organisation(darpan_id="MP/2017/0123456")
    with pytest.raises(OrganisationImportError) as refused:
        import_organisations(csv_file(
            "अच्छी संस्था,Good one,ngo,,,,,,,,",  # 2: good
            ",Bad kind,company,,,,,,,,",  # 3
            ",Bad theme,ngo,,,,,water;roads,,,",  # 4
            ",Bad district,ngo,,,,999,,,,",  # 5
            ",Bad PAN,ngo,,ABC123,,,,,,",  # 6
            ",First,ngo,,AAATF1234F,,,,,,",  # 7: good on its own
            ",Second,ngo,,aaatf1234f,,,,,,",  # 8: repeats line 7's PAN
            ",Known,ngo,mp-2017-0123456,,,,,,,",  # 9: the registry's
            ",,ngo,,,,,,,,"), None)  # 10: no name
    db.session.rollback()
    problems = {problem.line: problem.reason for problem in refused.value.problems}
    assert sorted(problems) == [3, 4, 5, 6, 8, 9, 10]
    assert "company" in problems[3] and "roads" in problems[4] and "999" in problems[5]
    assert "ABC123" in problems[6] and "7" in problems[8]
    assert known.name_hi in problems[9] and f"{known.id}" in problems[9]
    assert count() == 1


def test_problems_are_named_in_hindi(app, places):
    with app.test_request_context(), pytest.raises(OrganisationImportError) as refused:
        import_organisations(csv_file(",Bad kind,company,,,,,,,,"), None)
    assert "प्रकार" in refused.value.problems[0].reason or "में से" in refused.value.problems[0].reason


def test_a_workbook_imports_like_a_csv_file(app, places):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER.split(","))
    sheet.append(["प्रदान", "Pradan", "ngo", "", "", "", 111, "livelihoods;gender", "", "", ""])
    buffer = io.BytesIO()
    book.save(buffer)
    summary = import_organisations(buffer.getvalue(), None, "partners.xlsx")
    db.session.commit()
    assert summary.created == 1
    assert db.session.scalar(select(Organisation.district_id)) == places.district(111).id


# Pages


STAFF = [Role.ADMIN, Role.TRAINER, Role.DIRECTOR, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER]


@pytest.mark.parametrize("role", STAFF, ids=str)
def test_staff_of_any_area_read_the_whole_registry(client, login_as, places, role):
    far = organisation("Vindhya Trust", "विंध्य ट्रस्ट", district_id=places.district(121).id,
                       district_ids=(places.district(121).id,))
    login_as(role)
    page = client.get("/partners/organisations").get_data(as_text=True)
    assert "विंध्य ट्रस्ट" in page
    assert client.get(f"/partners/organisations/{far.id}").status_code == 200
    assert client.get(f"/api/v1/organisations/{far.id}").get_json()["name_en"] == "Vindhya Trust"


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER, Role.SECRETARY], ids=str)
def test_only_planners_change_the_registry(client, login_as, places, role):
    made = organisation()
    login_as(role)
    assert client.get("/partners/organisations/new").status_code == 403
    assert client.post("/partners/organisations/new", data={"name_hi": "नई", "kind": "ngo"}).status_code == 403
    assert client.post(f"/partners/organisations/{made.id}/edit", data={"name_hi": "नई", "kind": "ngo"}).status_code \
        == 403
    assert client.post("/partners/organisations/import", data={"file": (io.BytesIO(csv_file(",X,ngo,,,,,,,,")),
                                                                        "x.csv")}).status_code == 403
    assert count() == 1


def test_the_secretary_and_the_signed_out_read_nothing(client, login_as, places):
    organisation()
    assert client.get("/partners/organisations").status_code == 302
    assert client.get("/api/v1/organisations").status_code == 401
    login_as(Role.SECRETARY)
    assert client.get("/partners/organisations").status_code == 403
    assert client.get("/api/v1/organisations").status_code == 403


def test_the_list_searches_by_name_or_identifier_and_filters_by_kind_theme_and_district(client, login_as, places):
    organisation("Narmada Jal Seva", "नर्मदा जल सेवा", kind=OrganisationKind.TRUST, themes=("water",),
                 pan="AAATN1234N", district_ids=(places.district(111).id,))
    organisation("Eklavya", "एकलव्य", themes=("education",), darpan_id="MP/2010/0000099")
    organisation("Statewide", "राज्यव्यापी", whole_state=True)
    login_as(Role.DIRECTOR)

    def names(**query):
        page = client.get("/partners/organisations", query_string=query).get_data(as_text=True)
        return {name for name in ("नर्मदा जल सेवा", "एकलव्य", "राज्यव्यापी") if name in page}

    assert names() == {"नर्मदा जल सेवा", "एकलव्य", "राज्यव्यापी"}
    assert names(q="jal seva") == {"नर्मदा जल सेवा"}
    assert names(q="aaatn 1234n") == {"नर्मदा जल सेवा"}
    assert names(q="mp/2010/0000099") == {"एकलव्य"}
    assert names(kind="trust") == {"नर्मदा जल सेवा"}
    assert names(theme="education") == {"एकलव्य"}
    assert names(district=111) == {"नर्मदा जल सेवा", "राज्यव्यापी"}  # works there, or in the whole state
    assert names(kind="nonsense", theme="nonsense") == {"नर्मदा जल सेवा", "एकलव्य", "राज्यव्यापी"}
    assert client.get("/partners/organisations", query_string={"district": 999}).status_code == 404


def test_a_new_organisation_is_saved_with_its_people_and_areas(client, login_as, places):
    login_as(Role.TRAINER)
    response = client.post("/partners/organisations/new", data={
        "name_hi": "प्रदान", "name_en": "Pradan", "kind": "ngo", "pan": "aaatp 1234 p", "themes": ["livelihoods"],
        "districts": [str(places.district(111).id)], "block_codes": "1211", "district": "",
        "people-0-name": "सुनीता रावत", "people-0-designation": "टीम समन्वयक", "people-0-mobile": "+91 98765 43210"})
    assert response.status_code == 302
    made = db.session.scalar(select(Organisation))
    assert response.headers["Location"] == f"/partners/organisations/{made.id}"
    assert made.pan == "AAATP1234P" and made.theme_keys == ["livelihoods"] and made.created_by_id is not None
    assert {(a.district_id, a.block_id) for a in made.areas} == {(places.district(111).id, None),
                                                                (None, places.block(1211).id)}
    assert [(p.name, p.mobile) for p in made.people] == [("सुनीता रावत", "9876543210")]
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "सुनीता रावत" in page and "AAATP1234P" in page


def test_a_bad_form_is_shown_again_with_its_errors_in_hindi(client, login_as, places):
    login_as(Role.ADMIN)
    response = client.post("/partners/organisations/new", data={"kind": "ngo", "pan": "ABC", "block_codes": "99999",
                                                                "people-0-mobile": "12345"})
    assert response.status_code == 400
    assert count() == 0
    page = response.get_data(as_text=True)
    assert "AAAAA9999A" in page and "हिन्दी" in page


def test_an_unknown_block_is_named(client, login_as, places):
    login_as(Role.ADMIN)
    response = client.post("/partners/organisations/new", data={"name_en": "X", "kind": "ngo", "block_codes": "9999"})
    assert response.status_code == 400 and "9999" in response.get_data(as_text=True)


def test_a_possible_duplicate_is_shown_and_saved_only_once_the_planner_says_what_it_is(client, login_as, places):
    samarthan = organisation(darpan_id="MP/2017/0123456")
    login_as(Role.TRAINER)
    form = {"name_en": "Samarthan - Centre for Development Support", "kind": "ngo"}
    asked = client.post("/partners/organisations/new", data=form)
    assert asked.status_code == 200 and count() == 1
    page = asked.get_data(as_text=True)
    assert f'value="{samarthan.id}"' in page and 'value="different"' in page
    # Told it is the same: saved, flagged as a duplicate of it.
    assert client.post("/partners/organisations/new", data={**form, "decision": str(samarthan.id)}).status_code == 302
    flagged = db.session.scalar(select(Organisation).where(Organisation.id != samarthan.id))
    assert flagged.duplicate_of_id == samarthan.id
    # Told it is a different one: saved, not flagged. A decision naming no match asks again.
    other = {"name_en": "Other", "kind": "ngo", "darpan_id": "mp/2017/0123456"}
    assert client.post("/partners/organisations/new", data={**other, "decision": "999"}).status_code == 200
    assert client.post("/partners/organisations/new", data={**other, "decision": "different"}).status_code == 302
    assert count() == 3
    assert db.session.scalar(select(Organisation).filter_by(name_en="Other")).duplicate_of_id is None


def test_editing_asks_only_about_the_matches_a_change_brings(client, login_as, places):
    samarthan = organisation(darpan_id="MP/2017/0123456")
    copy = organisation("Samarthan Centre for Development Support (Bhopal)", "")
    services.mark_duplicate(copy, samarthan)
    pradan = organisation("Pradan", "प्रदान")
    db.session.commit()
    login_as(Role.ADMIN)
    form = client.get(f"/partners/organisations/{copy.id}/edit").get_data(as_text=True)
    assert 'value="Samarthan Centre for Development Support (Bhopal)"' in form
    # Nothing new matches: saved at once, still flagged.
    assert client.post(f"/partners/organisations/{copy.id}/edit", data={
        "name_en": "Samarthan Centre for Development Support (Bhopal)", "kind": "trust"}).status_code == 302
    assert db.session.get(Organisation, copy.id).duplicate_of_id == samarthan.id
    # Pradan given Samarthan's Darpan ID: asked.
    assert client.post(f"/partners/organisations/{pradan.id}/edit", data={
        "name_en": "Pradan", "kind": "ngo", "darpan_id": "MP/2017/0123456"}).status_code == 200


def test_a_planner_flags_and_clears_a_duplicate_on_the_organisations_page(client, login_as, places):
    first, second = organisation("One", "एक"), organisation("Two", "दो")
    login_as(Role.TRAINER)
    assert client.post(f"/partners/organisations/{second.id}/duplicate",
                       data={"duplicate_of": str(first.id)}).status_code == 302
    assert db.session.get(Organisation, second.id).duplicate_of_id == first.id
    assert "दो" in client.get(f"/partners/organisations/{first.id}").get_data(as_text=True)
    client.post(f"/partners/organisations/{first.id}/duplicate", data={"duplicate_of": str(second.id)})
    assert db.session.get(Organisation, first.id).duplicate_of_id is None  # never a loop
    client.post(f"/partners/organisations/{second.id}/duplicate", data={"duplicate_of": "99999"})
    client.post(f"/partners/organisations/{second.id}/duplicate", data={"duplicate_of": ""})
    assert db.session.get(Organisation, second.id).duplicate_of_id is None


def test_the_import_page_names_bad_lines_then_imports(client, login_as, places):
    login_as(Role.ADMIN)
    bad = client.post("/partners/organisations/import", data={
        "file": (io.BytesIO(csv_file(",Good,ngo,,,,,,,,", ",Bad,ngo,,,,,roads,,,")), "partners.csv")})
    page = bad.get_data(as_text=True)
    assert bad.status_code == 200 and "पंक्ति 3" in page and "roads" in page and count() == 0
    good = client.post("/partners/organisations/import", data={
        "file": (io.BytesIO(csv_file(",Good,ngo,,,,,,,,")), "partners.csv")})
    assert good.status_code == 200 and count() == 1


# JSON


def test_the_api_lists_and_filters_organisations_with_masked_people(client, login_as, places):
    made = organisation(kind=OrganisationKind.NGO, themes=("water",), whole_state=True,
                        people=(Person("मीना", "", "9876543210", "meena@example.org"),))
    organisation("UNICEF", "यूनिसेफ", kind=OrganisationKind.UN_AGENCY)
    login_as(Role.BLOCK_OFFICER)
    listed = client.get("/api/v1/organisations").get_json()
    assert listed["total"] == 2 and listed["pages"] == 1
    assert [o["name_en"] for o in client.get("/api/v1/organisations?kind=un_agency").get_json()["organisations"]] \
        == ["UNICEF"]
    assert [o["id"] for o in client.get("/api/v1/organisations?theme=water&q=samarthan").get_json()[
        "organisations"]] == [made.id]
    one = client.get(f"/api/v1/organisations/{made.id}").get_json()
    assert one["people"] == [{"name": "मीना", "designation": "", "mobile": "98******10",
                              "email": "m***a@example.org"}]
    assert one["areas"] == [{"level": "state", "code": None, "name_hi": None, "name_en": None}]
    assert client.get("/api/v1/organisations/999999").status_code == 404
    assert client.get("/api/v1/organisations?page=").status_code == 400
    assert client.get("/api/v1/organisations?page=5").get_json()["organisations"] == []


# Commands and the demo


def test_the_import_command_prints_bad_lines_and_the_duplicates_command_lists_pairs(app, runner, places, tmp_path):
    path = tmp_path / "partners.csv"
    path.write_bytes(csv_file(",Bad,company,,,,,,,,"))
    result = runner.invoke(args=["partners", "import", str(path)])
    assert result.exit_code == 1 and "line 2" in result.output and count() == 0
    samarthan = organisation()
    path.write_bytes(csv_file(",Samarthan Centre for Development Support.,ngo,,,,,,,,"))
    result = runner.invoke(args=["partners", "import", str(path)])
    assert result.exit_code == 0, result.output
    assert "1 organisation(s) added, 1 flagged" in result.output
    result = runner.invoke(args=["partners", "duplicates"])
    assert f"→ {samarthan.id}" in result.output and "1 flagged duplicate(s)." in result.output


def test_the_demo_registry_holds_the_model_cases_organisations_once(app, places):
    from trainer.tools.demo_partners import ensure_demo_partners
    first = ensure_demo_partners()
    db.session.commit()
    assert ensure_demo_partners() == first >= 14
    names = set(db.session.scalars(select(Organisation.name_en)))
    assert {"UNICEF – United Nations Children's Fund", "Transform Rural India Foundation (TRIF)",
            "Samarthan – Centre for Development Support"} <= names
    assert len(services.flagged_pairs()) == 1


# On a phone


@pytest.mark.browser
def test_the_registry_reads_on_a_360_px_phone_and_a_duplicate_is_caught_there(browser, live_server):
    from trainer.tools.demo_partners import ensure_demo_partners
    ensure_demo_partners()
    db.session.commit()
    ARTIFACTS.mkdir(exist_ok=True)
    phone = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False).new_page()
    sign_in(phone, live_server, "trainer")
    for path, name, seen in (("/partners/organisations", "list", "यूनिसेफ"),
                             (f"/partners/organisations/{_id('UNICEF')}", "detail", "संयुक्त राष्ट्र एजेंसी"),
                             ("/partners/organisations/import", "import", "name_hi"),
                             ("/partners/organisations/new", "new", "संपर्क व्यक्ति")):
        phone.goto(live_server + path)
        assert seen in phone.inner_text("main")
        assert page_width(phone) <= 360, path
        phone.screenshot(path=str(ARTIFACTS / f"partners-{name}-360.png"), full_page=True)
    # Samarthan entered again under another spelling: the page shows it and asks before saving.
    phone.fill("#name_en", "Samarthan Centre for Development Support, Bhopal")
    phone.select_option("#kind", "ngo")
    phone.fill("#people-0-name", "रीना शर्मा")
    phone.click("main form button[type=submit] >> nth=-1")
    assert "यह पंजीकरण सूची में पहले से मौजूद संस्था हो सकती है" in phone.inner_text("main")
    assert page_width(phone) <= 360
    phone.screenshot(path=str(ARTIFACTS / "partners-possible-duplicate-360.png"), full_page=True)
    samarthan = _id("Samarthan –")
    phone.check(f"input[name=decision][value='{samarthan}']")
    phone.click("text=पुष्टि करें और सहेजें")
    assert "संस्था सहेजी गई।" in phone.inner_text("main")
    assert "इसकी दोहरी प्रविष्टि के रूप में चिह्नित" in phone.inner_text("main")
    db.session.expire_all()
    saved = db.session.scalar(select(Organisation).filter_by(name_en="Samarthan Centre for Development Support, "
                                                                     "Bhopal"))
    assert saved.duplicate_of_id == samarthan and [p.name for p in saved.people] == ["रीना शर्मा"]


def _id(prefix: str) -> int:
    return db.session.scalar(select(Organisation.id).where(Organisation.name_en.startswith(prefix)))
