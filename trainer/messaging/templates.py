"""Finding the template of a message: the registry's (trainer.messaging.registry), as staff edited it."""
from dataclasses import replace

from flask import current_app
from sqlalchemy import select

from trainer.extensions import db
from trainer.messaging.kinds import Channel, MessageKind
from trainer.messaging.models import EditedTemplate
from trainer.messaging.registry import Template


def registered() -> dict:
    return current_app.extensions["message_templates"]


def has(kind: MessageKind, channel: Channel) -> bool:
    return any((kind.value, channel.value, language) in registered() for language in ("hi", "en"))


def loaded() -> dict[tuple[str, str, str], Template]:
    """Every template as it will be sent: the registry's, with the edits of staff (one query)."""
    found = dict(registered())
    for edit in db.session.scalars(select(EditedTemplate)):
        key = (edit.kind.value, edit.channel.value, edit.language)
        if key in found:
            found[key] = edited(found[key], edit)
    return found


def edited(template: Template, edit: EditedTemplate) -> Template:
    return replace(template, body=edit.body, subject=edit.subject or template.subject,
                   dlt_template_id=edit.dlt_template_id or template.dlt_template_id)


def find(kind: MessageKind, channel: Channel, language: str, templates: dict | None = None) -> Template:
    """The template for a recipient's language, or the Hindi one when there is none in it."""
    templates = templates if templates is not None else loaded()
    return templates.get((kind.value, channel.value, language)) or templates[(kind.value, channel.value, "hi")]
