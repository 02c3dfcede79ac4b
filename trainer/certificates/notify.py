"""Telling gram panchayats that their certificates are ready, through the outbox (SMS, WhatsApp or e-mail, as each
contact accepts), with the link that verifies the certificate and lets the secretary's phone download it."""
from flask_babel import force_locale
from sqlalchemy import select

from trainer.certificates.documents import verify_url
from trainer.certificates.models import Certificate, CertificateState
from trainer.core.i18n import pick
from trainer.extensions import db
from trainer.messaging.content import Places, recipients_of
from trainer.messaging.kinds import MessageKind
from trainer.messaging.outbox import Queued, queue_messages
from trainer.programmes.models import Programme


def queue_ready(programme: Programme, certificate_ids: list[int]) -> Queued:
    """Queue "certificate ready" to the contacts of the GPs holding these certificates of a programme; once per
    contact and programme (the outbox's idempotency key), however often it is asked."""
    serials = dict(db.session.execute(
        select(Certificate.gram_panchayat_id, Certificate.serial).where(
            Certificate.id.in_(certificate_ids), Certificate.gram_panchayat_id.is_not(None),
            Certificate.state == CertificateState.ISSUED)).all())
    if not serials:
        return Queued()
    places = Places(list(serials))
    titles = {}
    for language in ("hi", "en"):
        with force_locale("en_IN" if language == "en" else "hi"):
            titles[language] = pick(programme.title_hi, programme.title_en)

    def values(recipient):
        return {"gp": places.name(recipient.gram_panchayat_id, recipient.language),
                "programme": titles.get(recipient.language, titles["hi"]),
                "link": verify_url(serials[recipient.gram_panchayat_id])}
    return queue_messages(MessageKind.CERTIFICATE_READY, recipients_of(list(serials)), f"cert-p{programme.id}",
                          values, programme_id=programme.id)
