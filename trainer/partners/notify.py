"""Telling applicants what became of their application, through the outbox: an SMS to the contact's mobile and an
e-mail to the contact's address, where the application gives them, with the link to the status page."""
from flask_babel import force_locale

from trainer.core.i18n import pick
from trainer.messaging.content import absolute_url
from trainer.messaging.kinds import MessageKind
from trainer.messaging.outbox import Queued, Recipient, queue_messages
from trainer.partners.models import Application, ApplicationState

LANGUAGE = "hi"  # an application does not say which language its contact reads; the department writes in Hindi


def _recipients(application: Application) -> list[Recipient]:
    found = []
    if application.contact_mobile:
        found.append(Recipient(None, None, None, LANGUAGE, ("sms",), mobile=application.contact_mobile))
    if application.contact_email:
        found.append(Recipient(None, None, None, LANGUAGE, ("email",), email=application.contact_email))
    return found


def _call_title(application: Application) -> str:
    with force_locale(LANGUAGE):
        return pick(application.call.title_hi, application.call.title_en)


def _state_label(state: ApplicationState) -> str:
    with force_locale(LANGUAGE):
        return str(state.label)


def queue_information_asked(application: Application, event_id: int) -> Queued:
    """Queue "more information asked" to the application's contact; once per request."""
    values = {"reference": application.reference, "call": _call_title(application),
              "link": absolute_url("apply.status")}
    return queue_messages(MessageKind.APPLICATION_INFORMATION_ASKED, _recipients(application),
                          f"application{application.id}-ask{event_id}", lambda recipient: values)


def queue_decided(application: Application) -> Queued:
    """Queue "decision published" to the application's contact; once per application, however often asked."""
    values = {"reference": application.reference, "call": _call_title(application),
              "decision": _state_label(application.state), "link": absolute_url("apply.status")}
    return queue_messages(MessageKind.APPLICATION_DECIDED, _recipients(application),
                          f"application{application.id}-decision", lambda recipient: values)
