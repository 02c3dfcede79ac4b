"""Words and links that describe a public session: its time, its channels, and the message people forward."""
from urllib.parse import quote

from flask_babel import format_datetime, gettext, ngettext

from trainer.core.clock import IST
from trainer.core.i18n import clock_pattern, localized_name
from trainer.programmes.links import youtube_watch_url
from trainer.programmes.models import SessionStatus, TrainingSession


def web_link(url: str | None) -> str | None:
    """Return a link only if it is an http(s) address; anything else must never become an href."""
    url = (url or "").strip()
    return url if url.lower().startswith(("https://", "http://")) else None


def youtube_link(session: TrainingSession) -> str | None:
    """Return the ordinary watch link of the session's YouTube video, else its link as given."""
    video_id = session.youtube_video_id
    return youtube_watch_url(video_id) if video_id else web_link(session.youtube_url)


def division_names(session: TrainingSession) -> str:
    """Name a session's divisions in the page's language."""
    return ", ".join(localized_name(division) for division in session.divisions)


def file_stem(word: str, session: TrainingSession) -> str:
    """Name a session's file (poster, report): day, start time and divisions first, so that no two sessions of a
    day share a name even when a long programme title is cut short."""
    start = session.starts_at.astimezone(IST)
    return f"{word}-{start:%Y-%m-%d-%H%M}-{division_names(session)}-{session.programme.title}"


def time_range(session: TrainingSession) -> str:
    """Say when a session runs, in Asia/Kolkata: 21 जुल॰ 2026, सुबह 11:00 – दोपहर 12:30 (11:00 am – 12:30 pm)."""
    start, end = session.starts_at.astimezone(IST), session.ends_at.astimezone(IST)
    clock = clock_pattern()
    end_format = clock if start.date() == end.date() else f"d MMM y, {clock}"
    return f"{format_datetime(session.starts_at, f'd MMM y, {clock}')} – {format_datetime(session.ends_at, end_format)}"


def channel_lines(session: TrainingSession) -> list[str]:
    """Return a line per channel, each with its label and link (room details and venue as given)."""
    if session.status is SessionStatus.CANCELLED:
        return []
    lines = []
    if link := youtube_link(session):
        lines.append(gettext("YouTube: %(link)s", link=link))
    if link := web_link(session.webcast_url):
        lines.append(gettext("NIC webcast: %(link)s", link=link))
    if link := web_link(session.meeting_url):
        lines.append(gettext("Video conference: %(link)s", link=link))
    if details := session.meeting_details.strip():
        lines.append(gettext("Video conference details: %(details)s", details=details))
    if venue := session.venue.strip():
        lines.append(gettext("Venue: %(venue)s", venue=venue))
    return lines


def whatsapp_message(session: TrainingSession, page_url: str | None = None, marking_url: str | None = None) -> str:
    """Write the ready-to-paste message about a session, in the page's language, one channel a line; with
    `marking_url`, how to mark attendance from the phone the session is watched on."""
    lines = [f"*{session.title}*",
             gettext("Programme: %(title)s", title=session.programme.title),
             ngettext("Division: %(names)s", "Divisions: %(names)s", len(session.divisions),
                      names=division_names(session)),
             gettext("When: %(when)s (IST)", when=time_range(session))]
    if session.status is SessionStatus.CANCELLED:
        lines.append(gettext("This session has been cancelled."))
    else:
        lines.append("")
        lines.extend(channel_lines(session))
        if marking_url:
            lines.extend(["", gettext("Attendance: open %(link)s and type the code shown on the screen during the "
                                      "session.", link=marking_url)])
    if page_url:
        lines.extend(["", gettext("Details: %(link)s", link=page_url)])
    return "\n".join(lines).replace("\n\n\n", "\n\n").strip()


def whatsapp_url(message: str) -> str:
    """Return the wa.me link that opens WhatsApp with the message ready to send to anyone."""
    return "https://wa.me/?text=" + quote(message, safe="")
