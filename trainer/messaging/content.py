"""What fills a message in: the GP's name, the programme's title, a session's day, time and link, in the
recipient's language; and the recipients of a select of GP ids, with their contacts."""
from flask import current_app, has_request_context, url_for
from flask_babel import force_locale
from sqlalchemy import select

from trainer.contacts import services as contacts
from trainer.core.i18n import format_clock, format_day, pick
from trainer.extensions import db
from trainer.messaging.kinds import MessageKind
from trainer.messaging.outbox import Queued, Recipient, queue_messages, recipient_of
from trainer.programmes.models import TrainingSession
from trainer.regions.models import Block, District, GramPanchayat


def absolute_url(endpoint: str, **values) -> str:
    """An absolute link, from a request or from a worker (PUBLIC_BASE_URL names the site there)."""
    if has_request_context():
        return url_for(endpoint, _external=True, **values)
    base = current_app.config.get("PUBLIC_BASE_URL") or "http://127.0.0.1:5000"
    with current_app.test_request_context(base_url=base):
        return url_for(endpoint, _external=True, **values)


def recipients_of(gp_ids) -> list[Recipient]:
    """The GPs' secretaries and sarpanches who may be written to (opted-out contacts left out)."""
    return [recipient_of(point) for point in contacts.contact_points_of_gps(gp_ids)]


class Places:
    """Names and divisions of GPs, read once for a whole batch of recipients."""

    def __init__(self, gp_ids) -> None:
        query = (select(GramPanchayat.id, GramPanchayat.name_hi, GramPanchayat.name_en, District.division_id)
                 .join(Block, Block.id == GramPanchayat.block_id).join(District, District.id == Block.district_id)
                 .where(GramPanchayat.id.in_(gp_ids)))
        self.rows = {gp_id: (name_hi, name_en, division_id) for gp_id, name_hi, name_en, division_id
                     in db.session.execute(query)}

    def name(self, gp_id: int | None, language: str) -> str:
        name_hi, name_en, _ = self.rows.get(gp_id, ("", "", None))
        return name_en or name_hi if language == "en" else name_hi

    def division(self, gp_id: int | None) -> int | None:
        return self.rows.get(gp_id, (None, None, None))[2]


class SessionTexts:
    """A session's programme, day, time and links as each language writes them (made once per language)."""

    def __init__(self) -> None:
        self.made: dict[tuple[int, str, str], dict] = {}

    def of(self, session: TrainingSession, language: str, link: str = "session") -> dict:
        key = (session.id, language, link)
        if key not in self.made:
            with force_locale("en_IN" if language == "en" else "hi"):
                programme = session.programme
                self.made[key] = {
                    "programme": pick(programme.title_hi, programme.title_en),
                    "date": format_day(session.starts_at), "time": format_clock(session.starts_at),
                    "link": absolute_url("feedback.respond", session_id=session.id) if link == "feedback"
                    else absolute_url("public.session", session_id=session.id)}
        return self.made[key]


def queue_to_gps(kind: MessageKind, gp_ids, about: TrainingSession, texts: SessionTexts, *, link: str = "session",
                 subject: str | None = None, broadcast_id: int | None = None, dry_run: bool = False) -> Queued:
    """Queue `kind` to the contacts of the GPs that `gp_ids` selects, filled in with the session `about`; the
    subject of the idempotency key is the session ("s12") unless another is given (a broadcast's "b3")."""
    places = Places(gp_ids)

    def values(recipient):
        return {**texts.of(about, recipient.language, link), "gp": places.name(recipient.gram_panchayat_id,
                                                                               recipient.language)}
    return queue_messages(kind, recipients_of(gp_ids), subject or f"s{about.id}", values, session_id=about.id,
                          programme_id=about.programme_id, broadcast_id=broadcast_id, dry_run=dry_run)
