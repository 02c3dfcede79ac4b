"""The secretary finding the GP and proving it: names typed in either script, wrong codes under concurrency,
a stranger unable to lock the real secretary out, typed session codes, and the same phone watching and marking."""
import threading
from datetime import timedelta

import pytest
from sqlalchemy import select

from tests.conftest import _rows
from tests.test_attendance_flow import form_of, open_form
from trainer.attendance import services, tokens
from trainer.attendance.models import Attendance, MarkSource
from trainer.core import clock
from trainer.extensions import db
from trainer.regions.importer import import_region_rows
from trainer.regions.names import search_key

HARIDIH = "हरिडीह"


@pytest.fixture
def session(app, make_programme, monkeypatch):
    """A published session of divisions 1 and 2, with the clock five minutes after its start."""
    session = make_programme(modules=1).sessions[0]
    monkeypatch.setattr(clock, "now", lambda: session.starts_at + timedelta(minutes=5))
    return session


@pytest.fixture
def code(places):
    issued = services.issue_code(places.gp(11111))
    db.session.commit()
    return issued


def mark(client, token, hidden, address="198.51.100.7", **values):
    return client.post(f"/a/{token}", data={**hidden, "participants": "5", **values},
                       environ_base={"REMOTE_ADDR": address})


# Finding the GP


@pytest.fixture
def same_names(places):
    """Three GPs called हरिडीह in three janpads of division 1, and twelve more whose names start with हरि."""
    rows = _rows()
    extra = []
    for number, block in enumerate((1111, 1112, 1121), start=1):
        base = next(row for row in rows if row["block_code"] == str(block))
        extra.append({**base, "gp_code": str(30000 + number), "gp_name_hi": HARIDIH, "gp_name_en": "Haridih"})
    for number in range(12):
        base = next(row for row in rows if row["block_code"] == "1211")
        extra.append({**base, "gp_code": str(31000 + number), "gp_name_hi": f"हरिपुर {number}",
                      "gp_name_en": f"Haripur {number}"})
    import_region_rows(rows + extra)
    db.session.commit()


def test_a_name_typed_in_latin_letters_finds_the_hindi_name():
    assert search_key("haridih") == search_key(HARIDIH) == search_key("Haridih") == search_key("हरीडीह")
    assert search_key("Ram Nagar") == search_key("रामनगर")
    assert search_key("chhindwara") == search_key("छिंदवाड़ा")
    assert search_key("bhopal") != search_key("jabalpur")


def test_the_same_name_in_three_janpads_is_shown_with_janpad_and_district(client, session, same_names, code):
    token = tokens.make_token(session.id)
    _page, hidden = open_form(client, token)
    page = mark(client, token, hidden, gp_query="haridih", access_code=code).get_data(as_text=True)
    assert page.count(f"> {HARIDIH} <small>") == 3
    for block, district in (("जनपद 111", "जिला 11"), ("जनपद 112", "जिला 11"), ("जनपद 121", "जिला 12")):
        assert f"जनपद {block}, जिला {district}" in page
    assert "कई ग्राम पंचायतें मिलती हैं" in page and 'value="haridih"' in page


def test_sending_without_ticking_a_choice_keeps_the_typed_name_and_the_choices(client, session, same_names, code):
    token = tokens.make_token(session.id)
    _page, hidden = open_form(client, token)
    page = mark(client, token, hidden, gp_query=HARIDIH, access_code=code).get_data(as_text=True)
    again = mark(client, token, form_of(page), gp_query=HARIDIH, access_code=code)
    text = again.get_data(as_text=True)
    assert again.status_code == 422 and "कोई ग्राम पंचायत नहीं" not in text
    assert f'value="{HARIDIH}"' in text and text.count(f"> {HARIDIH} <small>") == 3
    assert db.session.scalar(select(Attendance.id)) is None


def test_more_matches_than_choices_says_so_and_how_to_narrow(client, session, same_names, code, monkeypatch):
    session_of_division_2 = next(s for s in session.programme.sessions if s.divisions[0].lgd_code == 2)
    monkeypatch.setattr(clock, "now", lambda: session_of_division_2.starts_at + timedelta(minutes=5))
    token = tokens.make_token(session_of_division_2.id)
    _page, hidden = open_form(client, token)
    page = mark(client, token, hidden, gp_query="हरि", access_code=code).get_data(as_text=True)
    assert page.count('name="gp_choice"') == 10
    assert "10 से अधिक ग्राम पंचायतें मिलती हैं" in page and "एलजीडी कोड" in page


def test_a_gp_found_by_its_latin_spelling_is_marked(client, session, places):
    import_region_rows(_rows() + [{**_rows()[0], "gp_code": "30001", "gp_name_hi": HARIDIH, "gp_name_en": "Hari Deeh"}])
    gp = places.gp(30001)
    haridih_code = services.issue_code(gp)
    db.session.commit()
    token = tokens.make_token(session.id)
    _page, hidden = open_form(client, token)
    response = mark(client, token, hidden, gp_query="haridih", access_code=haridih_code)
    assert response.status_code == 200 and f"{HARIDIH} उपस्थित दर्ज" in response.get_data(as_text=True)


# Wrong access codes


@pytest.fixture
def limited(make_app, make_programme, monkeypatch):
    """An app whose wrong-code limits are small: 5 per address and GP, 8 per GP, 20 per address."""
    app = make_app(ACCESS_CODE_LIMIT_PER_ADDRESS_AND_GP="5 per 5 minutes", ACCESS_CODE_LIMIT_PER_GP="8 per 15 minutes",
                   ACCESS_CODE_LIMIT_PER_ADDRESS="20 per 15 minutes", SESSION_CODE_LIMIT_PER_ADDRESS="4 per minute")
    with app.app_context():
        session = make_programme(modules=1).sessions[0]
        monkeypatch.setattr(clock, "now", lambda: session.starts_at + timedelta(minutes=5))
        yield app, session
        db.session.remove()


def test_a_burst_of_wrong_codes_from_many_addresses_gets_exactly_the_gps_ceiling_checked(limited, places):
    app, session = limited
    right = services.issue_code(places.gp(11111))
    db.session.commit()
    token = tokens.make_token(session.id)
    client = app.test_client()
    _page, hidden = open_form(client, token)
    start = threading.Barrier(30)
    answers = [None] * 30

    def guess(number):
        phone = app.test_client()
        start.wait(timeout=30)
        answers[number] = mark(phone, token, hidden, address=f"203.0.113.{number + 1}", gp_query="11111",
                               access_code=right[::-1] if right[::-1] != right else "00000001").get_data(as_text=True)

    threads = [threading.Thread(target=guess, args=(number,)) for number in range(30)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sum("एक्सेस कोड गलत है" in page for page in answers) == 8  # checked: the GP's ceiling, no more
    assert sum("बहुत अधिक गलत एक्सेस कोड" in page for page in answers) == 22


def test_a_stranger_guessing_locks_out_only_their_own_address(limited, places):
    app, session = limited
    right = services.issue_code(places.gp(11111))
    db.session.commit()
    token = tokens.make_token(session.id)
    stranger, secretary = app.test_client(), app.test_client()
    _page, hidden = open_form(stranger, token)
    wrong = "12345678" if right != "12345678" else "87654321"
    pages = [mark(stranger, token, hidden, address="203.0.113.9", gp_query="11111", access_code=wrong)
             .get_data(as_text=True) for _ in range(6)]
    assert "बहुत अधिक गलत एक्सेस कोड" in pages[-1]  # the stranger waits …
    _page, hidden = open_form(secretary, token)
    done = mark(secretary, token, hidden, address="198.51.100.20", gp_query="11111", access_code=right)
    assert done.status_code == 200 and "उपस्थित दर्ज" in done.get_data(as_text=True)  # … the secretary does not


def test_a_right_code_gives_its_attempt_back(limited, places):
    app, session = limited
    gp = places.gp(11111)
    right = services.issue_code(gp)
    db.session.commit()
    token = tokens.make_token(session.id)
    for _ in range(8):  # more right codes than any limit allows wrong ones: each from a new phone
        phone = app.test_client()
        _page, hidden = open_form(phone, token)
        assert mark(phone, token, hidden, gp_query="11111", access_code=right).status_code == 200


def test_typed_session_codes_are_limited_per_address_and_a_right_one_counts_nothing(limited, places):
    app, session = limited
    services.ensure_session_code(session)
    db.session.commit()
    client = app.test_client()
    for _ in range(6):
        assert client.get(f"/a?code={session.attendance_code}").status_code == 302
    answers = [client.get("/a?code=00000000") for _ in range(5)]
    assert [answer.status_code for answer in answers] == [200] * 4 + [429]
    assert "बहुत अधिक गलत कोड" in answers[-1].get_data(as_text=True)
    other = client.get(f"/a?code={session.attendance_code}", environ_base={"REMOTE_ADDR": "198.51.100.3"})
    assert other.status_code == 302


# What was scanned


def test_a_mark_counts_as_what_was_scanned_and_an_old_live_code_cannot_borrow_the_posters_pass(
        client, session, code, monkeypatch):
    poster = tokens.make_token(session.id)
    moment = session.starts_at + timedelta(minutes=5)
    live = tokens.make_token(session.id, tokens.period_of(moment))
    _page, poster_form = open_form(client, poster)
    later = moment + timedelta(minutes=100)
    monkeypatch.setattr(clock, "now", lambda: later)
    old_live = tokens.make_token(session.id, tokens.period_of(moment - timedelta(minutes=100)))
    refused = mark(client, old_live, poster_form, gp_query="11111", access_code=code)
    assert refused.status_code == 400 and db.session.scalar(select(Attendance.id)) is None
    monkeypatch.setattr(clock, "now", lambda: moment)
    _page, live_form = open_form(client, live)
    assert mark(client, live, live_form, gp_query="11111", access_code=code).status_code == 200
    assert db.session.scalar(select(Attendance.source)) is MarkSource.LIVE


# Watching on the same phone


def test_the_public_session_page_and_its_message_tell_a_phone_how_to_mark(client, session):
    page = client.get(f"/sessions/{session.id}").get_data(as_text=True)
    assert "इसी फ़ोन पर देख रहे हैं?" in page and 'href="/a"' in page
    assert "उपस्थिति: http://localhost/a खोलें" in page  # in the message for WhatsApp


def test_the_live_screen_shows_the_typed_code_on_its_own_in_large_digits(app, client, session, login_as):
    from trainer.core.roles import Role

    login_as(Role.TRAINER)
    page = client.get(f"/attendance/sessions/{session.id}/live-qr").get_data(as_text=True)
    db.session.refresh(session)
    code = session.attendance_code
    assert f'<p class="digits">{code[:4]} {code[4:]}</p>' in page and "localhost/a" in page
