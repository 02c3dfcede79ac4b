"""Public programme pages and iCalendar feeds: what anyone may see without signing in, and never a draft."""
import html
import re
from datetime import UTC, date, datetime, time, timedelta
from urllib.parse import unquote
from zoneinfo import ZoneInfo

import pytest
from icalendar import Calendar

from trainer.core import clock
from trainer.core.i18n import format_day
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.programmes import calendar, services
from trainer.programmes.models import SessionStatus, TrainingSession
from trainer.programmes.share import whatsapp_message, whatsapp_url

IST = ZoneInfo("Asia/Kolkata")
VIDEO = "dQw4w9WgXcQ"
YOUTUBE = f"https://www.youtube.com/watch?v={VIDEO}"
WEBCAST = "https://webcast.gov.in/mp/panchayat?id=42&lang=hi"
MEETING = "https://vc.nic.in/join/123456789"


def ist(day: date, hour: int, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=IST).astimezone(UTC)


def freeze(monkeypatch, moment: datetime) -> None:
    """Make the public pages believe it is this moment."""
    monkeypatch.setattr(clock, "now", lambda: moment)


def session_of(programme, division: int, position: int):
    """Return the programme's session teaching module `position` to division `division`."""
    return next(s for s in programme.sessions
                if s.divisions[0].lgd_code == division and s.modules[0].position == position)


def href(session) -> str:
    return f'href="/sessions/{session.id}"'


def set_channels(session, **values) -> None:
    for name, value in values.items():
        setattr(session, name, value)
    db.session.commit()


def page(client, url: str, status: int = 200) -> str:
    response = client.get(url)
    assert response.status_code == status, (url, response.status_code)
    return response.get_data(as_text=True)


def add_draft(programme):
    """Add a draft session on a free morning (23 July, 11:00) for division 1, module 1."""
    draft = TrainingSession(starts_at=ist(date(2026, 7, 23), 11), ends_at=ist(date(2026, 7, 23), 12, 30),
                            status=SessionStatus.DRAFT, divisions=[programme.divisions[0]],
                            modules=[programme.modules[0]])
    programme.sessions.append(draft)
    db.session.commit()
    return draft


def events_of(response) -> dict[str, object]:
    """Parse a feed and return its VEVENTs by UID."""
    parsed = Calendar.from_ical(response.data)
    return {str(event["UID"]): event for event in parsed.walk("VEVENT")}


# The list


def test_list_shows_published_programmes_with_dates_divisions_and_links(app, client, make_programme):
    published = make_programme(title="प्रकाशित प्रशिक्षण")
    unpublished = make_programme(title="अप्रकाशित प्रशिक्षण", publish=False)
    text = page(client, "/programmes/")
    assert "प्रकाशित प्रशिक्षण" in text and "अप्रकाशित प्रशिक्षण" not in text
    assert f'/programmes/{unpublished.id}"' not in text
    assert "संभाग 1" in text and "संभाग 2" in text
    for url in (f"/programmes/{published.id}", f"/programmes/{published.id}/month",
                f"/programmes/{published.id}/calendar.ics", f"/programmes/{published.id}/divisions/1",
                f"/programmes/{published.id}/divisions/2"):
        assert f'href="{url}"' in text, url
    with app.test_request_context():
        assert f"{format_day(date(2026, 7, 21))} – {format_day(date(2026, 7, 22))}" in text


def test_list_without_published_programmes_still_answers(client, places):
    assert client.get("/programmes/").status_code == 200


# The programme page


def test_programme_page_shows_modules_sessions_divisions_and_feeds(client, make_programme):
    programme = make_programme(partners="NIRDPR Hyderabad\nUNICEF", audience=["sarpanch", "secretary"],
                               experts={1: "डॉ. आशा वर्मा", 2: "Dev Sharma", 3: "Dev Sharma"})
    text = page(client, f"/programmes/{programme.id}")
    assert "पंचायत प्रशिक्षण" in text and "विवरण" in text
    assert "NIRDPR Hyderabad" in text and "UNICEF" in text
    positions = [text.index(f"मॉड्यूल {n}") for n in (1, 2, 3)]
    assert positions == sorted(positions)
    assert "डॉ. आशा वर्मा" in text and "Dev Sharma" in text
    for session in programme.sessions:
        assert href(session) in text
    assert f'href="/programmes/{programme.id}/divisions/1"' in text
    assert f'href="/programmes/{programme.id}/divisions/2"' in text
    assert f'href="/programmes/{programme.id}/month"' in text
    assert f'href="http://localhost/programmes/{programme.id}/calendar.ics"' in text
    assert f'href="webcal://localhost/programmes/{programme.id}/calendar.ics"' in text
    # grouped by local day, in time order: 21 July's sessions come before 22 July's
    assert text.index(href(session_of(programme, 1, 2))) < text.index(href(session_of(programme, 1, 3)))
    assert text.count('class="day-row"') == len({s.starts_at.astimezone(IST).date() for s in programme.sessions})
    assert "सुबह 11:00" in text and "दोपहर 12:30" in text and "दोपहर 3:00" in text and " am" not in text


def test_programme_page_in_english_shows_english_names(client, make_programme):
    programme = make_programme()
    client.set_cookie("lang", "en")
    text = page(client, f"/programmes/{programme.id}")
    assert "Panchayat training" in text and "Division 1" in text and "Module 1" in text


def test_programme_without_public_sessions_has_no_public_pages(client, make_programme):
    programme = make_programme(publish=False)
    for url in (f"/programmes/{programme.id}", f"/programmes/{programme.id}/month",
                f"/programmes/{programme.id}/divisions/1", f"/programmes/{programme.id}/calendar.ics",
                f"/programmes/{programme.id}/divisions/1/calendar.ics", f"/sessions/{programme.sessions[0].id}",
                "/programmes/9999", "/sessions/9999"):
        assert client.get(url).status_code == 404, url


def test_drafts_never_appear_on_any_public_page_or_feed(client, make_programme):
    programme = make_programme()
    draft = add_draft(programme)
    assert client.get(f"/sessions/{draft.id}").status_code == 404
    for url in (f"/programmes/{programme.id}", f"/programmes/{programme.id}/month",
                f"/programmes/{programme.id}/divisions/1"):
        text = page(client, url)
        assert href(draft) not in text, url
        assert href(session_of(programme, 1, 1)) in text, url
    for url in (f"/programmes/{programme.id}/calendar.ics", f"/programmes/{programme.id}/divisions/1/calendar.ics"):
        feed = client.get(url).get_data(as_text=True)
        assert draft.uid not in feed and session_of(programme, 1, 1).uid in feed


def test_cancelled_session_is_shown_cancelled_everywhere_without_links(client, make_programme, monkeypatch):
    freeze(monkeypatch, ist(date(2026, 7, 20), 9))
    programme = make_programme()
    session = session_of(programme, 1, 2)
    set_channels(session, youtube_url=YOUTUBE, webcast_url=WEBCAST, meeting_url=MEETING, venue="जिला पंचायत सभागार")
    services.cancel_session(session)
    db.session.commit()

    text = page(client, f"/programmes/{programme.id}")
    row = re.search(rf'<tr class="([^"]*)">\s*<td class="time"><a {re.escape(href(session))}', text)
    assert row and "status-cancelled" in row.group(1)
    assert str(SessionStatus.CANCELLED.label) in text

    text = page(client, f"/sessions/{session.id}")
    assert "cancelled-banner" in text
    for absent in (YOUTUBE, VIDEO, WEBCAST, MEETING, "जिला पंचायत सभागार", "<iframe", "wa.me"):
        assert absent not in text, absent

    text = page(client, f"/programmes/{programme.id}/divisions/1")
    assert href(session) in text and "is-cancelled" in text
    for absent in (YOUTUBE, WEBCAST, MEETING):
        assert absent not in text, absent


# The session page


def test_session_page_shows_every_channel_and_the_embedded_player(client, make_programme):
    programme = make_programme(experts={1: "डॉ. आशा वर्मा"})
    session = session_of(programme, 1, 1)
    set_channels(session, youtube_url=f"https://youtu.be/{VIDEO}", webcast_url=WEBCAST, meeting_url=MEETING,
                 meeting_details="कक्ष: जिला पंचायत\nMeeting ID 123 456 789\nPasscode 4321",
                 venue="जिला पंचायत सभागार, भोपाल")
    text = page(client, f"/sessions/{session.id}")
    assert "पंचायत प्रशिक्षण" in text and "मॉड्यूल 1" in text and "संभाग 1" in text
    assert "डॉ. आशा वर्मा" in text
    assert "21" in text and "सुबह 11:00" in text and "दोपहर 12:30" in text
    assert str(SessionStatus.COMPLETED.label) in text  # July 2026 is over: shown completed before any sync
    iframe = re.search(r"<iframe[^>]*>", text).group(0)
    assert f'src="https://www.youtube-nocookie.com/embed/{VIDEO}"' in iframe
    assert 'loading="lazy"' in iframe and "allowfullscreen" in iframe and 'title="' in iframe
    assert "style=" not in iframe
    assert f'href="{YOUTUBE}"' in text  # the watch link, whatever form was pasted
    assert f'href="{html.escape(WEBCAST)}"' in text
    assert f'href="{MEETING}"' in text
    assert "कक्ष: जिला पंचायत\nMeeting ID 123 456 789\nPasscode 4321" in text  # line breaks kept
    assert "जिला पंचायत सभागार, भोपाल" in text
    assert f'href="/programmes/{programme.id}/divisions/1"' in text


def test_session_page_has_no_player_without_a_youtube_video(client, make_programme):
    programme = make_programme()
    only_webcast, channel_page, nothing = (session_of(programme, 1, 1), session_of(programme, 1, 2),
                                           session_of(programme, 2, 1))
    set_channels(only_webcast, webcast_url=WEBCAST)
    set_channels(channel_page, youtube_url="https://www.youtube.com/@mppanchayat/live")
    text = page(client, f"/sessions/{only_webcast.id}")
    assert "<iframe" not in text and f'href="{html.escape(WEBCAST)}"' in text
    text = page(client, f"/sessions/{channel_page.id}")
    assert "<iframe" not in text and 'href="https://www.youtube.com/@mppanchayat/live"' in text
    text = page(client, f"/sessions/{nothing.id}")
    assert "<iframe" not in text and "youtube.com" not in text


def test_links_that_are_not_web_addresses_are_never_rendered(client, make_programme):
    programme = make_programme()
    session = session_of(programme, 1, 1)
    set_channels(session, meeting_url="javascript:alert(1)", webcast_url="data:text/html,hi")
    for url in (f"/sessions/{session.id}", f"/programmes/{programme.id}/calendar.ics"):
        text = client.get(url).get_data(as_text=True)
        assert "javascript:" not in text and "data:text" not in text, url


def test_session_page_offers_the_whatsapp_message_and_link(client, make_programme):
    programme = make_programme()
    session = session_of(programme, 1, 1)
    set_channels(session, youtube_url=YOUTUBE, webcast_url=WEBCAST)
    text = page(client, f"/sessions/{session.id}")
    area = re.search(r"<textarea[^>]*readonly[^>]*>(.*?)</textarea>", text, re.S)
    assert area
    message = html.unescape(area.group(1))
    assert "पंचायत प्रशिक्षण" in message and YOUTUBE in message and WEBCAST in message
    link = html.unescape(re.search(r'href="(https://wa\.me/\?text=[^"]*)"', text).group(1))
    assert unquote(link.removeprefix("https://wa.me/?text=")) == message
    assert link == whatsapp_url(message)


def test_whatsapp_message_gives_title_programme_divisions_time_and_one_line_per_channel(app, make_programme):
    programme = make_programme()
    session = session_of(programme, 1, 1)
    set_channels(session, youtube_url=f"https://www.youtube.com/live/{VIDEO}", webcast_url=WEBCAST,
                 meeting_url=MEETING, meeting_details="Passcode 4321", venue="जनपद पंचायत सभाकक्ष")
    message = whatsapp_message(session, "https://trainer.example/sessions/1")
    lines = message.splitlines()
    assert lines[0] == "*मॉड्यूल 1*"
    assert "पंचायत प्रशिक्षण" in lines[1]
    assert "संभाग 1" in lines[2]
    assert "2026" in lines[3] and "सुबह 11:00" in lines[3] and "दोपहर 12:30" in lines[3]
    for value in (f"https://www.youtube.com/watch?v={VIDEO}", WEBCAST, MEETING, "Passcode 4321",
                  "जनपद पंचायत सभाकक्ष", "https://trainer.example/sessions/1"):
        matching = [line for line in lines if value in line]
        assert len(matching) == 1, value
        assert matching[0] != value, value  # every channel has its label on the same line
    assert len({line for line in lines if "https://" in line}) == 4


def test_whatsapp_message_of_a_cancelled_session_has_no_links(app, make_programme):
    programme = make_programme()
    session = session_of(programme, 1, 1)
    set_channels(session, youtube_url=YOUTUBE, webcast_url=WEBCAST)
    services.cancel_session(session)
    db.session.commit()
    message = whatsapp_message(session)
    assert "मॉड्यूल 1" in message and YOUTUBE not in message and WEBCAST not in message


def test_whatsapp_link_encodes_every_character_of_the_message(app):
    message = "*सत्र 1*\nलिंक: https://x.in/?a=1&b=2 #3"
    link = whatsapp_url(message)
    assert link.startswith("https://wa.me/?text=")
    encoded = link.removeprefix("https://wa.me/?text=")
    assert unquote(encoded) == message
    assert "%0A" in encoded and "%26" in encoded and "%23" in encoded and "%E0%A4" in encoded
    assert not set(" \n&#?/:=") & set(encoded)


def test_whatsapp_message_follows_the_page_language(client, make_programme):
    programme = make_programme()
    session = session_of(programme, 2, 1)
    client.set_cookie("lang", "en")
    text = html.unescape(page(client, f"/sessions/{session.id}"))
    message = re.search(r"<textarea[^>]*>(.*?)</textarea>", text, re.S).group(1)
    assert message.startswith("*Module 1*")
    assert "Panchayat training" in message and "Division 2" in message and "संभाग" not in message


# The month view


def test_month_view_defaults_to_the_first_session_month_with_a_monday_first_grid(client, make_programme,
                                                                              monkeypatch):
    freeze(monkeypatch, ist(date(2026, 5, 4), 10))  # before the programme
    programme = make_programme()
    text = page(client, f"/programmes/{programme.id}/month")
    headers = re.findall(r'<div role="columnheader">(.*?)</div>', text)
    assert len(headers) == 7
    cells = re.findall(r'<div role="cell" class="([^"]*)"', text)
    assert len(cells) % 7 == 0 and len(cells) >= 28
    # July 2026 starts on a Wednesday: two days of June lead the first week, and every 7th cell is a Sunday
    assert all("other-month" in cell for cell in cells[:2]) and "other-month" not in cells[2]
    assert all("sunday" in cell for cell in cells[6::7])
    assert not any("sunday" in cell for index, cell in enumerate(cells) if index % 7 != 6)
    for session in programme.sessions:
        assert f'href="/sessions/{session.id}"' in text
    assert f'/programmes/{programme.id}/month?month=2026-08' in text  # the programme runs to 7 August
    assert "month=2026-06" not in text


def test_month_view_shows_the_current_month_while_the_programme_runs(client, make_programme, monkeypatch):
    freeze(monkeypatch, ist(date(2026, 8, 3), 10))
    programme = make_programme()
    text = page(client, f"/programmes/{programme.id}/month")
    assert f'/programmes/{programme.id}/month?month=2026-07' in text
    assert "month=2026-09" not in text
    assert not any(href(s) in text for s in programme.sessions)  # all of them are in July


def test_month_view_lists_sessions_of_the_asked_month_and_clamps_to_the_programme(client, make_programme,
                                                                              monkeypatch):
    freeze(monkeypatch, ist(date(2026, 5, 4), 10))
    programme = make_programme()
    moved = session_of(programme, 2, 3)
    moved.starts_at, moved.ends_at = ist(date(2026, 8, 4), 11), ist(date(2026, 8, 4), 12, 30)
    db.session.commit()
    august = page(client, f"/programmes/{programme.id}/month?month=2026-08")
    assert href(moved) in august and href(session_of(programme, 1, 1)) not in august
    later = page(client, f"/programmes/{programme.id}/month?month=2031-01")
    assert href(moved) in later and "month=2026-07" in later
    earlier = page(client, f"/programmes/{programme.id}/month?month=2020-01")
    assert href(session_of(programme, 1, 1)) in earlier and href(moved) not in earlier


@pytest.mark.parametrize("month", ["2026-13", "2026-00", "July", "2026-07-01", "-1", "9999999-01"])
def test_month_view_rejects_a_malformed_month(client, make_programme, month):
    programme = make_programme()
    assert client.get(f"/programmes/{programme.id}/month", query_string={"month": month}).status_code == 400


# The division page


def test_division_page_puts_todays_sessions_first_with_their_links(client, make_programme, monkeypatch):
    freeze(monkeypatch, ist(date(2026, 7, 21), 10))
    programme = make_programme()
    first, second, third = (session_of(programme, 1, n) for n in (1, 2, 3))
    set_channels(first, youtube_url=YOUTUBE, meeting_url=MEETING, meeting_details="Room 7\nPIN 1234")
    set_channels(third, webcast_url=WEBCAST, venue="जिला पंचायत सभागार")
    text = page(client, f"/programmes/{programme.id}/divisions/1")
    today, upcoming = text.index('class="today"'), text.index('class="upcoming"')
    assert today < text.index(href(first)) < text.index(href(second)) < upcoming < text.index(href(third))
    assert f'href="{YOUTUBE}"' in text and f'href="{MEETING}"' in text and "Room 7\nPIN 1234" in text
    assert f'href="{html.escape(WEBCAST)}"' in text and "जिला पंचायत सभागार" in text  # upcoming links too
    assert 'class="past"' not in text
    for other in (session_of(programme, 2, n) for n in (1, 2, 3)):
        assert href(other) not in text
    assert f'href="http://localhost/programmes/{programme.id}/divisions/1/calendar.ics"' in text
    assert f'href="webcal://localhost/programmes/{programme.id}/divisions/1/calendar.ics"' in text


def test_division_page_moves_finished_days_to_past(client, make_programme, monkeypatch):
    freeze(monkeypatch, ist(date(2026, 7, 22), 12))  # module 3 runs 11:00–12:30 today
    programme = make_programme()
    first, second, third = (session_of(programme, 1, n) for n in (1, 2, 3))
    text = page(client, f"/programmes/{programme.id}/divisions/1")
    upcoming, past = text.index('class="upcoming"'), text.index('class="past"')
    assert text.index(href(third)) < upcoming
    assert past < text.index(href(second)) < text.index(href(first))  # latest past session first


def test_a_session_running_past_midnight_counts_as_today(client, make_programme, monkeypatch):
    programme = make_programme()
    late = session_of(programme, 1, 3)
    late.starts_at, late.ends_at = ist(date(2026, 7, 23), 23, 30), ist(date(2026, 7, 24), 0, 45)
    db.session.commit()
    freeze(monkeypatch, ist(date(2026, 7, 24), 0, 10))
    text = page(client, f"/programmes/{programme.id}/divisions/1")
    assert text.index('class="today"') < text.index(href(late)) < text.index('class="upcoming"')


def test_division_outside_the_programme_is_404(client, make_programme, places):
    programme = make_programme(divisions=[places.division(1)])
    assert client.get(f"/programmes/{programme.id}/divisions/1").status_code == 200
    for code in (2, 999):
        assert client.get(f"/programmes/{programme.id}/divisions/{code}").status_code == 404
        assert client.get(f"/programmes/{programme.id}/divisions/{code}/calendar.ics").status_code == 404


# The iCalendar feeds


def test_programme_feed_is_a_valid_calendar_with_one_event_per_public_session(client, make_programme):
    programme = make_programme(experts={1: "डॉ. आशा वर्मा"})
    session = session_of(programme, 1, 1)
    set_channels(session, youtube_url=YOUTUBE, webcast_url=WEBCAST, meeting_url=MEETING)
    response = client.get(f"/programmes/{programme.id}/calendar.ics")
    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"].startswith("inline; filename=")
    assert response.headers["Content-Disposition"].endswith('.ics"')
    assert response.headers["ETag"] and response.headers["Last-Modified"]
    assert "max-age=" in response.headers["Cache-Control"]
    parsed = Calendar.from_ical(response.data)
    assert str(parsed["VERSION"]) == "2.0" and str(parsed["PRODID"])
    assert str(parsed["METHOD"]) == "PUBLISH" and str(parsed["CALSCALE"]) == "GREGORIAN"
    assert str(parsed["X-WR-TIMEZONE"]) == "Asia/Kolkata" and "पंचायत प्रशिक्षण" in str(parsed["X-WR-CALNAME"])
    events = events_of(response)
    assert set(events) == {f"{s.uid}@trainer" for s in programme.sessions}
    for event in events.values():
        for name in ("UID", "DTSTAMP", "DTSTART", "DTEND", "SEQUENCE", "SUMMARY", "URL", "STATUS", "LAST-MODIFIED"):
            assert name in event, name
        assert str(event["STATUS"]) == "CONFIRMED"
        assert str(event["URL"]).startswith("http://localhost/sessions/")
    event = events[f"{session.uid}@trainer"]
    assert event.decoded("DTSTART") == session.starts_at and event.decoded("DTEND") == session.ends_at
    assert event.decoded("DTSTART").utcoffset() == timedelta(0)
    assert str(event["URL"]) == f"http://localhost/sessions/{session.id}"
    assert "मॉड्यूल 1" in str(event["SUMMARY"])
    description = str(event["DESCRIPTION"])
    for value in ("पंचायत प्रशिक्षण", "संभाग 1", "डॉ. आशा वर्मा", YOUTUBE, WEBCAST, MEETING):
        assert value in description, value
    assert str(event["LOCATION"]) == YOUTUBE


def test_feed_location_is_the_venue_when_there_is_one(client, make_programme):
    programme = make_programme()
    session = session_of(programme, 1, 1)
    set_channels(session, youtube_url=YOUTUBE, venue="जिला पंचायत सभागार\nभोपाल")
    event = events_of(client.get(f"/programmes/{programme.id}/calendar.ics"))[f"{session.uid}@trainer"]
    assert str(event["LOCATION"]) == "जिला पंचायत सभागार भोपाल"


def test_editing_a_session_keeps_its_uid_and_raises_its_sequence(client, make_programme):
    programme = make_programme()
    session = session_of(programme, 1, 1)
    url = f"/programmes/{programme.id}/calendar.ics"
    before = client.get(url)
    uid = f"{session.uid}@trainer"
    assert int(events_of(before)[uid]["SEQUENCE"]) == 0
    session.starts_at += timedelta(hours=2)
    session.ends_at += timedelta(hours=2)
    calendar.note_public_change(session)
    db.session.commit()
    after = client.get(url)
    event = events_of(after)[uid]
    assert int(event["SEQUENCE"]) == 1
    assert event.decoded("DTSTART") == ist(date(2026, 7, 21), 13)
    assert len(events_of(after)) == len(events_of(before))
    assert after.headers["ETag"] != before.headers["ETag"]
    assert client.get(url, headers={"If-None-Match": before.headers["ETag"]}).status_code == 200


def test_cancelled_session_stays_in_the_feed_as_cancelled(client, make_programme):
    programme = make_programme()
    session = session_of(programme, 2, 2)
    set_channels(session, youtube_url=YOUTUBE)
    services.cancel_session(session)
    db.session.commit()
    events = events_of(client.get(f"/programmes/{programme.id}/calendar.ics"))
    event = events[f"{session.uid}@trainer"]
    assert str(event["STATUS"]) == "CANCELLED" and int(event["SEQUENCE"]) == 1
    assert YOUTUBE not in str(event.get("DESCRIPTION")) and "LOCATION" not in event
    assert [str(e["STATUS"]) for e in events.values()].count("CONFIRMED") == len(events) - 1


def test_division_feed_has_only_that_divisions_sessions(client, make_programme):
    programme = make_programme()
    response = client.get(f"/programmes/{programme.id}/divisions/2/calendar.ics")
    assert response.status_code == 200 and response.headers["Content-Type"] == "text/calendar; charset=utf-8"
    expected = {f"{s.uid}@trainer" for s in programme.sessions if s.divisions[0].lgd_code == 2}
    assert len(expected) == 3 and set(events_of(response)) == expected
    assert "संभाग 2" in str(Calendar.from_ical(response.data)["X-WR-CALNAME"])


def test_feeds_answer_conditional_requests_with_304(client, make_programme):
    programme = make_programme()
    for url in (f"/programmes/{programme.id}/calendar.ics", f"/programmes/{programme.id}/divisions/1/calendar.ics"):
        first = client.get(url)
        assert client.get(url).get_data() == first.get_data()  # stable, so the ETag means something
        again = client.get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.get_data() == b""
        since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
        assert since.status_code == 304


def test_feed_lines_end_in_crlf_and_are_folded_at_75_octets(client, make_programme):
    long_title = "ग्राम पंचायतों में कोविड-19 की रोकथाम और नियंत्रण में पंचायतों की भूमिका पर राज्य स्तरीय प्रशिक्षण"
    programme = make_programme(title=long_title)
    session = session_of(programme, 1, 1)
    set_channels(session, youtube_url=YOUTUBE, webcast_url=WEBCAST + "&" + "x" * 120, meeting_url=MEETING,
                 meeting_details="बैठक कक्ष: जिला पंचायत कार्यालय, प्रथम तल, सभा कक्ष क्रमांक 2\nपासकोड 4321",
                 venue="जिला पंचायत सभागार, " * 6)
    for url in (f"/programmes/{programme.id}/calendar.ics", f"/programmes/{programme.id}/divisions/1/calendar.ics"):
        raw = client.get(url).get_data()
        assert raw.endswith(b"\r\n")
        assert b"\n" not in raw.replace(b"\r\n", b"")
        assert b"\r" not in raw.replace(b"\r\n", b"")
        lines = raw.split(b"\r\n")[:-1]
        assert max(len(line) for line in lines) <= 75
        assert any(line.startswith(b" ") for line in lines)  # long lines were folded, not cut
        raw.decode("utf-8")  # folding never splits a character
        assert long_title in str(Calendar.from_ical(raw)["X-WR-CALNAME"])


def test_a_programme_shows_the_same_dates_in_planning_public_pages_and_reports(client, login_as, make_programme):
    """Planned 21 July – 7 August, the calendar ends on the 22nd: every page says 21 – 22 July."""
    programme = make_programme()
    first, last = programme.runs
    assert (first, last) != (programme.first_day, programme.last_day) and last < programme.last_day
    with client.application.test_request_context():
        span = f"{format_day(first)} – {format_day(last)}"
    for url in ("/programmes/", f"/programmes/{programme.id}"):
        assert span in page(client, url), url
    login_as(Role.TRAINER)
    for url in ("/plan/", f"/plan/{programme.id}", f"/reports/programmes/{programme.id}"):
        assert span in page(client, url), url
    assert "7 अग॰ 2026" in page(client, f"/plan/{programme.id}")  # the planned window, said as such


def test_the_month_view_marks_today(client, login_as, make_programme, monkeypatch):
    programme = make_programme()
    first = programme.sessions[0]
    monkeypatch.setattr(clock, "now", lambda: first.starts_at)
    for url in (f"/programmes/{programme.id}/month", f"/plan/{programme.id}/month"):
        if url.startswith("/plan"):
            login_as(Role.TRAINER)
        text = page(client, url)
        [cell] = re.findall(r'<div role="cell" class="month-day[^"]*today[^"]*" aria-current="date">(.*?)</ul>', text,
                            re.S)
        assert f">{clock.local_day(first.starts_at).day}<" in cell and "आज" in cell, url
