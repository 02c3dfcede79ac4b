"""Forms of the questions pages: asking, supporting, moderating and adding moderators.

The length, markup and control-character rules of a question are the services' (trainer.questions.services),
so that every way in says the same; the forms read the values and carry the CSRF token.
"""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice

from trainer.core.bounds import database_int
from trainer.core.forms import Form
from trainer.questions.models import AskerKind, SetAsideReason


class AskForm(Form):
    """A gram panchayat's question: its text, optionally its module and who asks."""

    text = TextAreaField(_l("Your question or suggestion"))
    module = SelectField(_l("Which module is it about? (optional)"), choices=[], validate_choice=False)
    asker = SelectField(_l("Who is asking? (optional)"), validate_choice=False,
                        choices=[SelectChoice("", "—"), *(SelectChoice(kind.value, kind.label) for kind in AskerKind)])

    def module_id(self) -> int | None:
        return database_int(self.module.data or "")

    def asker_kind(self) -> AskerKind | None:
        return AskerKind(self.asker.data) if self.asker.data in set(AskerKind) else None


class SupportForm(Form):
    """"My question too": the question supported."""

    question = HiddenField()

    def question_id(self) -> int | None:
        return database_int(self.question.data or "")


class ModerateForm(Form):
    """One moderator's action on one question."""

    question = HiddenField()
    action = HiddenField()
    answer = TextAreaField(_l("Written answer"))
    reason = SelectField(_l("Why is it set aside?"), validate_choice=False,
                         choices=[SelectChoice(reason.value, reason.label) for reason in SetAsideReason])
    merged_into = StringField(_l("Number of the question it duplicates"))
    next = HiddenField()

    def question_id(self) -> int | None:
        return database_int(self.question.data or "")

    def merged_into_id(self) -> int | None:
        return database_int((self.merged_into.data or "").lstrip("#"))


class ModeratorForm(Form):
    """A staff member to add as a moderator of the session."""

    username = StringField(_l("User name"))


class RemoveModeratorForm(Form):
    """A moderator to remove."""

    moderator = HiddenField()

    def moderator_id(self) -> int | None:
        return database_int(self.moderator.data or "")
