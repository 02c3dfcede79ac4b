"""Telling gram panchayats (and partner organisations) that their certificates are ready, through the outbox (SMS, WhatsApp or e-mail, as each
contact accepts), with the link that verifies the certificate and lets the secretary's phone download it."""
from flask_babel import force_locale
from sqlalchemy import select

from trainer.certificates.documents import verify_url
from trainer.certificates.models import Certificate, CertificateState
from trainer.core.i18n import pick
from trainer.extensions import db
from trainer.messaging.content import Places, recipients_of
from trainer.messaging.kinds import MessageKind
from trainer.messaging.outbox import Queued, Recipient, queue_messages
from trainer.partners.models import OrganisationContact
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


PARTNER_LANGUAGE = "hi"  # an organisation's contacts do not say which language they read; the department writes Hindi


def queue_partners_ready(programme: Programme, certificate_ids: list[int]) -> Queued:
    """Queue "certificate ready" to the contacts of the partner organisations holding these certificates of a
    programme: an SMS to each contact's mobile, an e-mail to each address, with the link that verifies the
    certificate; once per contact and certificate (the outbox's idempotency key), however often it is asked."""
    held = db.session.execute(
        select(Certificate.id, Certificate.organisation_id, Certificate.serial, Certificate.recipient_hi,
               Certificate.recipient_en).where(
            Certificate.id.in_(certificate_ids), Certificate.organisation_id.is_not(None),
            Certificate.state == CertificateState.ISSUED)).all()
    if not held:
        return Queued()
    with force_locale(PARTNER_LANGUAGE):
        title = pick(programme.title_hi, programme.title_en)
    contacts: dict[int, list[OrganisationContact]] = {}
    for contact in db.session.scalars(select(OrganisationContact).where(
            OrganisationContact.organisation_id.in_({row.organisation_id for row in held}))
            .order_by(OrganisationContact.id)):
        contacts.setdefault(contact.organisation_id, []).append(contact)
    queued = Queued()
    for row in held:
        recipients = []
        for contact in contacts.get(row.organisation_id, []):
            if contact.mobile:
                recipients.append(Recipient(None, None, None, PARTNER_LANGUAGE, ("sms",), mobile=contact.mobile))
            if contact.email:
                recipients.append(Recipient(None, None, None, PARTNER_LANGUAGE, ("email",), email=contact.email))
        values = {"organisation": row.recipient_hi or row.recipient_en, "programme": title,
                  "link": verify_url(row.serial)}
        # One call per certificate: its subject keeps one message per contact and certificate, even for a mobile
        # that two partners give.
        found = queue_messages(MessageKind.PARTNER_CERTIFICATE_READY, recipients, f"cert{row.id}",
                               lambda recipient, values=values: values, programme_id=programme.id)
        queued.add(found)
    return queued
