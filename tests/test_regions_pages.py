"""Browsing and searching the hierarchy, limited to the viewer's area."""
from trainer.core.roles import Role


def test_director_browses_state_to_gram_panchayats(client, login_as):
    login_as(Role.DIRECTOR)
    page = client.get("/regions/").get_data(as_text=True)
    assert "संभाग 1" in page and "संभाग 2" in page
    assert "2 संभाग, 4 जिले, 8 जनपद पंचायतें, 24 ग्राम पंचायतें" in page
    page = client.get("/regions/divisions/1").get_data(as_text=True)
    assert "जिला 11" in page and "जिला 12" in page and "जिला 21" not in page
    page = client.get("/regions/districts/111").get_data(as_text=True)
    assert "जनपद 111" in page and "जनपद 112" in page
    page = client.get("/regions/blocks/1111").get_data(as_text=True)
    assert all(f"ग्राम 111{g}" in page for g in (1, 2, 3))
    assert "11111" in page


def test_english_switch_shows_english_names(client, login_as):
    login_as(Role.DIRECTOR)
    client.post("/language", data={"lang": "en", "next": "/regions/blocks/1111"})
    page = client.get("/regions/blocks/1111").get_data(as_text=True)
    assert "Gram 1111" in page and "Janpad panchayat Block 111" in page


def test_unknown_place_is_404(client, login_as):
    login_as(Role.DIRECTOR)
    assert client.get("/regions/blocks/999999").status_code == 404
    assert "नहीं मिला" in client.get("/regions/districts/4242").get_data(as_text=True)


def test_search_finds_places_by_hindi_name_english_name_and_code(client, login_as):
    login_as(Role.TRAINER)
    page = client.get("/regions/search", query_string={"q": "ग्राम 1121"}).get_data(as_text=True)
    assert "ग्राम 1121" in page and "जनपद 112" in page
    page = client.get("/regions/search", query_string={"q": "block 21"}).get_data(as_text=True)
    assert "जनपद 211" in page and "जनपद 212" in page
    page = client.get("/regions/search", query_string={"q": "12121"}).get_data(as_text=True)
    assert "ग्राम 2121" in page
    page = client.get("/regions/search", query_string={"q": "100%_"}).get_data(as_text=True)
    assert "के लिए कुछ नहीं मिला" in page


def test_block_officer_sees_only_their_block(client, login_as):
    login_as(Role.BLOCK_OFFICER)
    page = client.get("/regions/").get_data(as_text=True)
    assert "संभाग 1" in page and "संभाग 2" not in page
    assert "1 संभाग, 1 जिले, 1 जनपद पंचायतें, 3 ग्राम पंचायतें" in page
    page = client.get("/regions/districts/111").get_data(as_text=True)
    assert "जनपद 111" in page and "जनपद 112" not in page
    assert client.get("/regions/blocks/1112").status_code == 403
    page = client.get("/regions/search", query_string={"q": "ग्राम"}).get_data(as_text=True)
    assert "ग्राम 1111" in page and "ग्राम 1121" not in page and "ग्राम 2111" not in page


def test_district_officer_sees_their_district_and_nothing_beside_it(client, login_as):
    login_as(Role.DISTRICT_OFFICER)
    page = client.get("/regions/divisions/1").get_data(as_text=True)
    assert "जिला 11" in page and "जिला 12" not in page
    assert client.get("/regions/districts/112").status_code == 403
    assert client.get("/regions/divisions/2").status_code == 403
    assert client.get("/regions/search", query_string={"q": "12111"}).get_data(as_text=True).count("ग्राम 2111") == 0


def test_secretary_sees_their_gram_panchayat_on_the_home_page(client, login_as):
    login_as(Role.SECRETARY)
    page = client.get("/").get_data(as_text=True)
    assert "ग्राम 1111" in page and "जनपद 111" in page
    assert client.get("/regions/").status_code == 403
