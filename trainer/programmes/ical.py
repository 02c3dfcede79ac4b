"""iCalendar (RFC 5545) feeds of published sessions, for people to subscribe to in their calendar apps."""
from collections.abc import Callable, Iterable
from datetime import timedelta

from flask_babel import gettext, ngettext
from icalendar import Calendar, Event, vDuration

from trainer.core.clock import TIMEZONE
from trainer.core.forms import multi_line, one_line
from trainer.programmes.models import SessionStatus, TrainingSession
from trainer.programmes.share import channel_lines, division_names, web_link, youtube_link

PRODID = "-//Department of Panchayat and Rural Development//Trainer//EN"
UID_DOMAIN = "trainer"
# How often subscribers' apps should look again; calendars mostly ignore shorter intervals anyway.
REFRESH = timedelta(hours=6)


def session_uid(session: TrainingSession) -> str:
    """Return the event UID of a session: the same however often the session changes."""
    return f"{session.uid}@{UID_DOMAIN}"


def _description(session: TrainingSession) -> str:
    lines = [gettext("Programme: %(title)s", title=session.programme.title),
             ngettext("Division: %(names)s", "Divisions: %(names)s", len(session.divisions),
                      names=division_names(session))]
    if session.experts:
        lines.append(gettext("Experts: %(names)s", names=", ".join(session.experts)))
    if session.status is SessionStatus.CANCELLED:
        lines.append(gettext("This session has been cancelled."))
    lines.extend(channel_lines(session))
    # Cleaned here too: the forms clean what they take, but stored rows may predate them or come from elsewhere,
    # and one stray control character would make the whole feed fail.
    return multi_line("\n".join(lines))


def _location(session: TrainingSession) -> str | None:
    if session.venue.strip():
        return " ".join(one_line(session.venue).split())
    return youtube_link(session) or web_link(session.webcast_url)


def session_event(session: TrainingSession, url: str) -> Event:
    """Describe one public session as a VEVENT; its UID never changes and its SEQUENCE counts the changes."""
    event = Event()
    event.add("uid", session_uid(session))
    # DTSTAMP is the moment the event last changed (not the moment of the download), so an unchanged
    # feed is byte for byte the same and its ETag holds.
    event.add("dtstamp", session.updated_at)
    event.add("created", session.created_at)
    event.add("last-modified", session.updated_at)
    event.add("sequence", session.sequence)
    event.add("dtstart", session.starts_at)
    event.add("dtend", session.ends_at)
    event.add("summary", one_line(f"{session.title} ({division_names(session)})"))
    event.add("description", _description(session))
    if session.status is not SessionStatus.CANCELLED and (location := _location(session)):
        event.add("location", location)
    event.add("url", url)
    event.add("status", "CANCELLED" if session.status is SessionStatus.CANCELLED else "CONFIRMED")
    event.add("transp", "OPAQUE")
    return event


def build_calendar(sessions: Iterable[TrainingSession], name: str,
                   url_for_session: Callable[[TrainingSession], str]) -> bytes:
    """Return an iCalendar feed (CRLF lines folded at 75 octets) with one VEVENT per public session."""
    calendar, name = Calendar(), one_line(name)
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("name", name)
    calendar.add("x-wr-timezone", TIMEZONE)
    calendar.add("refresh-interval", REFRESH, parameters={"VALUE": "DURATION"})
    calendar.add("x-published-ttl", vDuration(REFRESH))  # Outlook's name for it
    for session in sessions:
        if session.is_public:
            calendar.add_component(session_event(session, url_for_session(session)))
    return calendar.to_ical()
