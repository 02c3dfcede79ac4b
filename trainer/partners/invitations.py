"""Inviting a programme's partner organisations to a session through the outbox: an SMS (or WhatsApp) to each
contact person's mobile and an e-mail to their address, with the session's day, time and link, and the
organisation's access code where this invitation is the first to give it one.

A code exists in clear only when it is issued, so an organisation that already has one is told to use the code it
was given; one without a code gets one now, but only when at least one of its people can be written to (a code
that nobody receives would only stop the one staff print later from being the first). Inviting again sends
nothing twice: each message's key is the session, the organisation and the address. Never commits.
"""
from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from trainer.attendance.posters import grouped
from trainer.core.i18n import pick
from trainer.extensions import db
from trainer.messaging.content import SessionTexts, absolute_url
from trainer.messaging.kinds import MessageKind
from trainer.messaging.models import OutboxMessage
from trainer.messaging.outbox import Recipient, choose_channel, queue_messages, sendable_channels
from trainer.partners import programme_partners
from trainer.partners.models import Organisation, ProgrammePartner
from trainer.programmes.models import SessionStatus, TrainingSession

LANGUAGE = "hi"  # an organisation's contacts do not say which language they read; the department writes in Hindi
KIND = MessageKind.PARTNER_INVITED


@dataclass
class Invited:
    """What inviting a session's partners did."""

    organisations: int = 0  # partners that got at least one new message
    messages: int = 0  # messages put in the outbox now
    repeated: int = 0  # messages that were in the outbox already (an invitation sent again)
    codes: int = 0  # access codes issued with the invitation
    unreachable: list[Organisation] = field(default_factory=list)  # partners none of whose people can be written to


def invitable(session: TrainingSession, now: datetime) -> bool:
    """Say whether a session can still be invited to: not a draft, not cancelled, not over."""
    return session.status not in (SessionStatus.DRAFT, SessionStatus.CANCELLED) and session.ends_at > now


def sessions_of(programme_id: int) -> list[TrainingSession]:
    """The programme's sessions, by start."""
    return list(db.session.scalars(select(TrainingSession).where(TrainingSession.programme_id == programme_id)
                                   .order_by(TrainingSession.starts_at, TrainingSession.id)))


def subject(session_id: int, organisation_id: int) -> str:
    return f"s{session_id}-o{organisation_id}"


def invitation_counts(session_ids: list[int]) -> dict[int, int]:
    """How many invitations each of these sessions has in the outbox."""
    if not session_ids:
        return {}
    return dict(db.session.execute(select(OutboxMessage.session_id, func.count()).where(
        OutboxMessage.kind == KIND.value, OutboxMessage.session_id.in_(session_ids))
        .group_by(OutboxMessage.session_id)).all())


def recipients_of(organisation: Organisation) -> list[Recipient]:
    """The organisation's people who have a mobile (SMS or WhatsApp) or an e-mail address."""
    found = []
    for person in organisation.people:
        if person.mobile:
            found.append(Recipient(None, None, None, LANGUAGE, ("whatsapp", "sms"), mobile=person.mobile))
        if person.email:
            found.append(Recipient(None, None, None, LANGUAGE, ("email",), email=person.email))
    return found


def reachable(organisation: Organisation, possible: list) -> list[Recipient]:
    """The organisation's people that a message can reach through one of the `possible` channels."""
    return [r for r in recipients_of(organisation) if choose_channel(r, possible) is not None]


def unreachable_partners(programme_id: int) -> list[Organisation]:
    """The programme's partners none of whose people can be written to now."""
    possible = sendable_channels(KIND)
    organisations = db.session.scalars(
        select(Organisation).join(ProgrammePartner, ProgrammePartner.organisation_id == Organisation.id)
        .where(ProgrammePartner.programme_id == programme_id).options(selectinload(Organisation.people))
        .order_by(Organisation.name_hi_key, Organisation.name_en_key, Organisation.id))
    return [organisation for organisation in organisations if not reachable(organisation, possible)]


def _link(session: TrainingSession) -> str:
    """The session's public page (its live links and the way to mark attendance); the attendance page when the
    session is not public."""
    if session.is_public:
        return absolute_url("public.session", session_id=session.id)
    return absolute_url("attend.enter_code")



def invite(session: TrainingSession, user_id: int | None) -> Invited:
    """Queue the invitation to the session to every partner of its programme; issue an access code to each
    reachable partner that has none."""
    programme = session.programme
    possible = sendable_channels(KIND)
    codes = programme_partners.codes_of(programme)
    texts = SessionTexts().of(session, LANGUAGE)
    link = _link(session)
    result = Invited()
    for partner in programme_partners.partners_of(programme):
        organisation = partner.organisation
        recipients = reachable(organisation, possible)
        if not recipients:
            result.unreachable.append(organisation)
            continue
        if organisation.id in codes:
            with force_locale(LANGUAGE):
                code = _("the code given to you before")
        else:
            code = grouped(programme_partners.issue_code(organisation, user_id))
            result.codes += 1
        with force_locale(LANGUAGE):
            name = pick(organisation.name_hi, organisation.name_en)
        values = {**texts, "organisation": name, "code": code, "link": link}
        queued = queue_messages(KIND, recipients, subject(session.id, organisation.id), lambda _r, values=values: values,
                                session_id=session.id, programme_id=programme.id)
        result.messages += queued.queued
        result.repeated += queued.repeated
        result.organisations += bool(queued.queued)
    return result
