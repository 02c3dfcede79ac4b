"""The template registry: each kind's text per channel and language, with the operators' registration.

Operators register every text before it may be sent: an Indian SMS against its DLT template ID and sender ID
(the text's variables written `{#var#}`, as registered), a WhatsApp message as an approved template (a name and
a language; its body's variables `{{1}}`, `{{2}}`…). Trainer ships the department's texts in
default_templates.json; an operator's own registration (MESSAGE_TEMPLATES_FILE, the same shape) replaces
entries of it; staff may edit a text on the templates page, within what its registration allows.

Every template is checked when the app starts (`check`): a variable the kind does not fill in, a number of
`{#var#}` or `{{n}}` that differs from the registered variables, a DLT ID or sender ID of the wrong shape —
each stops the app with TemplateRegistrationError, rather than a message failing at a provider later.
"""
import json
import re
import string
from dataclasses import dataclass, field
from pathlib import Path

from trainer.messaging.kinds import Channel, MessageKind

DEFAULTS = Path(__file__).with_name("default_templates.json")
LANGUAGES = ("hi", "en")
SMS_VARIABLE = "{#var#}"
DLT_TEMPLATE_ID = re.compile(r"\d{19}")
SENDER_ID = re.compile(r"[A-Z]{6}")
WHATSAPP_NAME = re.compile(r"[a-z0-9_]{1,512}")
WHATSAPP_PARAMETER = re.compile(r"\{\{(\d+)\}\}")
# DLT lets a {#var#} carry at most 30 characters; a longer value is cut, never refused at send.
SMS_VARIABLE_LENGTH = 30


class TemplateRegistrationError(Exception):
    """A template does not match its registration; the message says which and how."""


@dataclass(frozen=True)
class Template:
    """One kind's text for one channel and language, and what its operator registered."""

    kind: MessageKind
    channel: Channel
    language: str
    body: str
    variables: tuple[str, ...] = ()  # SMS and WhatsApp: the kind's variables in the order of the placeholders
    subject: str = ""  # e-mail
    dlt_template_id: str = ""  # SMS
    sender_id: str = ""  # SMS
    whatsapp_name: str = ""  # WhatsApp
    whatsapp_language: str = ""  # WhatsApp

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.kind.value, self.channel.value, self.language)

    @property
    def registration(self) -> dict:
        """What a provider must be told the text was registered as."""
        if self.channel is Channel.SMS:
            return {"dlt_template_id": self.dlt_template_id, "sender_id": self.sender_id}
        if self.channel is Channel.WHATSAPP:
            return {"whatsapp_name": self.whatsapp_name, "whatsapp_language": self.whatsapp_language}
        return {}

    def problems(self) -> list[str]:
        """Say, in English for operators and logs, how the template differs from its registration."""
        where = f"{self.kind.value}/{self.channel.value}/{self.language}"
        unknown = [name for name in self.variables if name not in self.kind.variables]
        problems = [f"{where}: {name!r} is not a variable of {self.kind.value} "
                    f"(it has {', '.join(self.kind.variables)})" for name in unknown]
        if not self.body.strip():
            problems.append(f"{where}: the text is empty")
        if self.channel is Channel.SMS:
            count = self.body.count(SMS_VARIABLE)
            if count != len(self.variables):
                problems.append(f"{where}: the text has {count} {SMS_VARIABLE} but {len(self.variables)} registered "
                                f"variables ({', '.join(self.variables) or 'none'})")
            if not DLT_TEMPLATE_ID.fullmatch(self.dlt_template_id):
                problems.append(f"{where}: the DLT template ID must be the 19 digits given by the operator")
            if not SENDER_ID.fullmatch(self.sender_id):
                problems.append(f"{where}: the sender ID must be the 6 registered capital letters")
            leftover = re.findall(r"\{[^}]*\}", self.body.replace(SMS_VARIABLE, ""))
            if leftover:
                problems.append(f"{where}: only {SMS_VARIABLE} may stand for a variable, not {leftover[0]}")
        elif self.channel is Channel.WHATSAPP:
            numbers = sorted({int(n) for n in WHATSAPP_PARAMETER.findall(self.body)})
            if numbers != list(range(1, len(self.variables) + 1)):
                problems.append(f"{where}: the text's parameters {{{{1}}}}…{{{{{len(self.variables)}}}}} must "
                                f"match the {len(self.variables)} registered variables")
            if not WHATSAPP_NAME.fullmatch(self.whatsapp_name):
                problems.append(f"{where}: the approved template's name must be lower-case letters, digits and _")
            if not self.whatsapp_language:
                problems.append(f"{where}: the approved template's language code is missing")
        else:
            for text in (self.subject, self.body):
                try:
                    fields = [name for _, name, _, _ in string.Formatter().parse(text) if name is not None]
                except ValueError as error:
                    problems.append(f"{where}: {error}")
                    continue
                problems += [f"{where}: {{{name}}} is not a variable of {self.kind.value}"
                             for name in fields if name not in self.kind.variables]
            if not self.subject.strip():
                problems.append(f"{where}: the e-mail has no subject")
        return problems

    def render(self, values: dict[str, str]) -> "Rendered":
        """Fill the template in: the text as the recipient reads it, and the parameters a provider takes."""
        if self.channel is Channel.SMS:
            parameters = [_sms_value(name, values.get(name, "")) for name in self.variables]
            text = self.body
            for value in parameters:
                text = text.replace(SMS_VARIABLE, value, 1)
            return Rendered(text, parameters)
        if self.channel is Channel.WHATSAPP:
            parameters = [str(values.get(name, "")) for name in self.variables]
            text = WHATSAPP_PARAMETER.sub(lambda m: parameters[int(m.group(1)) - 1], self.body)
            return Rendered(text, parameters)
        filled = {name: str(values.get(name, "")) for name in self.kind.variables}
        return Rendered(self.body.format(**filled), [], self.subject.format(**filled))


@dataclass(frozen=True)
class Rendered:
    text: str
    parameters: list[str] = field(default_factory=list)
    subject: str = ""


def _sms_value(name: str, value) -> str:
    text = " ".join(str(value).split())
    if name == "link" or len(text) <= SMS_VARIABLE_LENGTH:
        return text
    return text[:SMS_VARIABLE_LENGTH - 1] + "…"


def _from_entry(entry: dict, where: str) -> Template:
    try:
        return Template(
            kind=MessageKind(entry["kind"]), channel=Channel(entry["channel"]), language=entry["language"],
            body=entry["body"], variables=tuple(entry.get("variables", ())), subject=entry.get("subject", ""),
            dlt_template_id=str(entry.get("dlt_template_id", "")), sender_id=entry.get("sender_id", ""),
            whatsapp_name=entry.get("whatsapp_name", ""), whatsapp_language=entry.get("whatsapp_language", ""))
    except (KeyError, ValueError, TypeError) as error:
        raise TemplateRegistrationError(f"{where}: not a template entry ({error!r})") from error


def load(path: Path) -> dict[tuple[str, str, str], Template]:
    """Read a file of templates (a JSON list of entries)."""
    try:
        entries = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise TemplateRegistrationError(f"{path}: cannot be read as JSON ({error})") from error
    templates = {}
    for number, entry in enumerate(entries, start=1):
        template = _from_entry(entry, f"{path}, entry {number}")
        if template.language not in LANGUAGES:
            raise TemplateRegistrationError(f"{path}, entry {number}: language must be one of {LANGUAGES}")
        templates[template.key] = template
    return templates


def check(templates: dict) -> None:
    """Refuse the templates if any differs from its registration, or a kind lacks its Hindi SMS."""
    problems = [problem for template in templates.values() for problem in template.problems()]
    problems += [f"{kind.value}: there is no Hindi SMS template" for kind in MessageKind
                 if (kind.value, Channel.SMS.value, "hi") not in templates]
    if problems:
        raise TemplateRegistrationError("Message templates do not match their registration:\n  "
                                        + "\n  ".join(problems))


def init_app(app) -> None:
    """Load and check the shipped templates and the operator's own; a mismatch stops the app here."""
    templates = load(DEFAULTS)
    override = app.config.get("MESSAGE_TEMPLATES_FILE")
    if override:
        templates.update(load(override))
    check(templates)
    app.extensions["message_templates"] = templates
