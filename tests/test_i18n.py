"""Hindi first: the default language, the English switch, Indian numbers, a complete catalogue."""
import subprocess
import sys
from datetime import date, datetime, timezone
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask_babel import force_locale

from trainer.core.i18n import format_day, format_moment, format_number

ROOT = Path(__file__).resolve().parent.parent


def test_pages_are_in_hindi_by_default(client):
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="hi">' in page
    assert "लॉग-इन" in page and "उपयोगकर्ता नाम" in page


def test_english_is_a_switch_away_and_remembered(client):
    response = client.post("/language", data={"lang": "en", "next": "/login"})
    assert response.headers["Location"] == "/login"
    assert "lang=en" in response.headers["Set-Cookie"]
    page = client.get("/login").get_data(as_text=True)
    assert '<html lang="en-IN">' in page and "Username" in page
    client.post("/language", data={"lang": "hi"})
    assert "उपयोगकर्ता नाम" in client.get("/login").get_data(as_text=True)


def test_language_switch_does_not_redirect_elsewhere(client):
    assert client.post("/language", data={"lang": "en", "next": "https://evil.example/"}).headers["Location"] == "/"


@pytest.mark.parametrize("locale", ["hi", "en_IN"])
def test_numbers_use_indian_grouping_in_both_languages(app, locale):
    with app.test_request_context(), force_locale(locale):
        assert format_number(22812) == "22,812"
        assert format_number(532630) == "5,32,630"
        assert format_number(12345678) == "1,23,45,678"


def test_hindi_times_use_the_hindi_locales_own_day_periods(app):
    from trainer.core.i18n import format_clock

    with app.test_request_context(), force_locale("hi"):
        shown = [format_clock(datetime(2026, 7, 21, hour, minute, tzinfo=timezone.utc))
                 for hour, minute in ((3, 30), (9, 30), (13, 0), (15, 30))]
    assert shown == ["सुबह 9:00", "दोपहर 3:00", "शाम 6:30", "रात 9:00"]
    assert not any("am" in time or "pm" in time for time in shown)
    with app.test_request_context(), force_locale("en_IN"):
        assert format_clock(datetime(2026, 7, 21, 3, 30, tzinfo=timezone.utc)) == "9:00 am"


def test_dates_are_indian_style_and_times_are_in_kolkata(app):
    with app.test_request_context(), force_locale("hi"):
        assert format_day(date(2026, 7, 21)) == "21 जुल॰ 2026"
        assert format_moment(datetime(2026, 7, 21, 5, 30, tzinfo=timezone.utc)) == "21 जुल॰ 2026, सुबह 11:00"
    with app.test_request_context(), force_locale("en_IN"):
        assert format_day(date(2026, 8, 7)) == "7 Aug 2026"
        # 20:00 UTC is already the next day in India
        assert format_day(datetime(2026, 8, 6, 20, 0, tzinfo=timezone.utc)) == "7 Aug 2026"


def test_hindi_catalogue_translates_every_message(tmp_path):
    pot = tmp_path / "messages.pot"
    subprocess.run([sys.executable, "-m", "babel.messages.frontend", "extract", "-F", "babel.cfg",
                    "-k", "_l", "-k", "_ln:1,2", "-o", str(pot), "."],
                   cwd=ROOT, check=True, capture_output=True)
    with pot.open("rb") as f:
        wanted = {m.id if isinstance(m.id, str) else m.id[0] for m in read_po(f) if m.id}
    with (ROOT / "trainer/translations/hi/LC_MESSAGES/messages.po").open("rb") as f:
        catalogue = read_po(f)
    translated = {m.id if isinstance(m.id, str) else m.id[0] for m in catalogue
                  if m.id and "fuzzy" not in m.flags and (all(m.string) if isinstance(m.string, tuple) else m.string)}
    assert sorted(wanted - translated) == []
