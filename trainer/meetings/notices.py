"""The notice of a meeting through the outbox: one message to each invitee that can be reached — an invited office
(its phone or e-mail, and its officers' own contacts), an invited officer (their contacts), a named person (their
phone or e-mail). The outbox's key is the meeting and the address: sending again never sends twice to the same
person. Never commits."""
from dataclasses import dataclass

from flask_babel import force_locale

from trainer.contacts.services import contact_points_of_users
from trainer.core import clock
from trainer.meetings import services
from trainer.meetings.models import Meeting
from trainer.messaging.content import absolute_url
from trainer.messaging.kinds import MessageKind
from trainer.messaging.outbox import Recipient, queue_messages

KIND = MessageKind.MEETING_NOTICE
LANGUAGE = "hi"  # an office's or a named person's address does not say which language they read
CHANNELS = ("whatsapp", "sms", "email")


@dataclass
class Noticed:
    """What sending a meeting's notice did."""

    queued: int = 0
    repeated: int = 0
    unreachable: int = 0


def subject(meeting: Meeting) -> str:
    return f"mt{meeting.id}"


def _bare(phone: str, email: str) -> Recipient | None:
    if not phone and not email:
        return None
    return Recipient(None, None, None, LANGUAGE, CHANNELS, mobile=phone or None, email=email or None)


def recipients_of(meeting: Meeting) -> tuple[list[Recipient], int]:
    """Return the invitees' recipients (one per person or address) and how many invitees have no address."""
    found: dict[str, Recipient] = {}
    user_ids: list[int] = []
    unreachable = 0
    for invitee in meeting.invitees:
        if invitee.office is not None:
            bare = _bare(invitee.office.phone, invitee.office.email)
            officers = [row.user_id for row in invitee.office.officers]
            if bare is None and not officers:
                unreachable += 1
            if bare is not None:
                found.setdefault(bare.key, bare)
            user_ids += officers
        elif invitee.user_id is not None:
            user_ids.append(invitee.user_id)
        else:
            bare = _bare(invitee.phone, invitee.email)
            if bare is None:
                unreachable += 1
            else:
                found.setdefault(bare.key, bare)
    seen_users: set[int] = set()
    for point in contact_points_of_users(list(dict.fromkeys(user_ids))):
        if point.user_id in seen_users:
            continue  # an officer's first contact is enough
        seen_users.add(point.user_id)
        recipient = Recipient(point.contact_id, None, point.user_id, point.language or LANGUAGE,
                              tuple(point.channels), point.mobile, point.email)
        found.setdefault(recipient.key, recipient)
    return list(found.values()), unreachable


def values_of(meeting: Meeting) -> dict:
    """Return the notice's variables: the series, the day, the time, the place and the meeting's page (its public
    page when it is public, which those without an account can open)."""
    start = meeting.starts_at.astimezone(clock.IST)
    with force_locale(LANGUAGE):
        place = meeting.venue.splitlines()[0] if meeting.venue else ("ऑनलाइन" if meeting.meeting_url else "—")
    return {"series": meeting.series.title_hi or meeting.series.title_en, "number": str(meeting.number),
            "date": start.strftime("%d.%m.%Y"), "time": start.strftime("%H:%M"), "venue": place[:80],
            "link": absolute_url("meetings.public_meeting" if meeting.public else "meetings.meeting",
                                 meeting_id=meeting.id)}


def send_notice(meeting: Meeting) -> Noticed:
    """Queue the notice to every reachable invitee and note the meeting's notice sent (`record_notice_sent`)."""
    recipients, unreachable = recipients_of(meeting)
    values = values_of(meeting)
    queued = queue_messages(KIND, recipients, subject(meeting), lambda _r: values)
    services.record_notice_sent(meeting)
    return Noticed(queued=queued.queued, repeated=queued.repeated, unreachable=unreachable + queued.unreachable)
