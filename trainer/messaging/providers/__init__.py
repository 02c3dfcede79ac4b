"""The providers that carry messages: an HTTP SMS gateway, the WhatsApp Business Cloud API, SMTP.

Each `send(outgoing)` answers with what became of the message: Accepted (with the provider's id), Retry (a
temporary failure: throttled, the provider down, refused before anything was sent), Refused (for good, with the
provider's error) or Unsure (the provider may have taken it — a timeout after the request went out). The sender
(trainer.messaging.sender) turns that into the message's state; nothing here touches the database.
"""
from dataclasses import dataclass, field

from flask import Flask


@dataclass(frozen=True)
class Outgoing:
    """What a provider needs of one message."""

    reference: str  # Trainer's own, unique: the gateway's client reference, the e-mail's Message-ID
    address: str
    text: str
    language: str = "hi"
    subject: str = ""
    parameters: list = field(default_factory=list)
    registration: dict = field(default_factory=dict)
    unicode: bool = True


@dataclass(frozen=True)
class Accepted:
    provider_message_id: str


@dataclass(frozen=True)
class Retry:
    error: str
    after: float | None = None  # seconds the provider asked to wait (Retry-After)


@dataclass(frozen=True)
class Refused:
    error: str


@dataclass(frozen=True)
class Unsure:
    error: str


class Provider:
    channel = ""
    # True when sending the same reference again cannot reach the recipient twice (the gateway drops repeats):
    # a message whose sender stopped mid-way may then be sent again.
    repeats_are_dropped = False

    def send(self, outgoing: Outgoing):
        raise NotImplementedError


def providers_of(app: Flask) -> dict[str, Provider]:
    """Return the app's configured providers by channel (a channel without its settings has none)."""
    found = app.extensions.get("message_providers")
    if found is None:
        from trainer.messaging.providers import mail, sms, whatsapp
        found = {}
        for module in (whatsapp, sms, mail):
            provider = module.from_config(app.config)
            if provider is not None:
                found[provider.channel] = provider
        app.extensions["message_providers"] = found
    return found
