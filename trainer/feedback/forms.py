"""Forms of the feedback builder and of the response page."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp

from trainer.core.forms import Form
from trainer.feedback.models import Question, QuestionKind
from trainer.feedback.services import MAX_OPTIONS
from trainer.programmes.models import ParticipantRole

# One person's role, in the singular (the attendance form's labels count groups of people).
PERSON_ROLE_LABELS = {
    ParticipantRole.SARPANCH: _l("Sarpanch"),
    ParticipantRole.SECRETARY: _l("Panchayat secretary"),
    ParticipantRole.WARD_MEMBER: _l("Ward member"),
    ParticipantRole.SHG_MEMBER: _l("Self-help group member"),
    ParticipantRole.OTHER: _l("Other"),
}


# The builder


class QuestionTextForm(Form):
    """The wording of a question, its options and whether an answer is required."""

    text_hi = StringField(_l("Question in Hindi"), validators=[Length(max=500)])
    text_en = StringField(_l("Question in English (optional)"), validators=[Optional(), Length(max=500)])
    options = TextAreaField(
        _l("Options, one per line"), validators=[Optional(), Length(max=MAX_OPTIONS * 210)],
        description=_l("Only for choice questions. Write each option as “हिन्दी | English”; the English "
                       "part may be left out."))
    required = BooleanField(_l("An answer is required"))

    def option_list(self) -> list[dict]:
        """Return the options as [{"hi", "en"}], one per non-empty line."""
        options = []
        for line in (self.options.data or "").splitlines():
            hindi, _bar, english = line.partition("|")
            if hindi.strip() or english.strip():
                options.append({"hi": hindi.strip(), "en": english.strip()})
        return options

    def fill(self, question: Question) -> None:
        """Show a question's current wording."""
        self.text_hi.data, self.text_en.data, self.required.data = (
            question.text_hi, question.text_en, question.required)
        self.options.data = "\n".join(f"{o['hi']} | {o['en']}" if o.get("en") else o["hi"]
                                      for o in question.options)


class QuestionForm(QuestionTextForm):
    """A new question: its kind as well as its wording."""

    kind = SelectField(_l("Kind of answer"), validators=[InputRequired()],
                       choices=[SelectChoice(kind.value, kind.label) for kind in QuestionKind])


class CopyForm(Form):
    """Choose the programme whose form is copied."""

    source = SelectField(_l("Programme to copy from"), coerce=int, validators=[InputRequired()])


# The response page


class ResponseForm(Form):
    """Who answers (all optional) and the nonce of the opened form. The answers themselves are read by
    `answers_from`, since the questions differ from programme to programme, and checked by the services."""

    nonce = HiddenField(validators=[InputRequired(), Length(min=16, max=43), Regexp(r"^[A-Za-z0-9_-]+$")])
    role = SelectField(_l("You are (optional)"), validators=[Optional(strip_whitespace=False)],  # " " is no choice
                       choices=[SelectChoice("", "—")]
                       + [SelectChoice(role.value, label) for role, label in PERSON_ROLE_LABELS.items()])
    name = StringField(_l("Your name (optional)"), validators=[Optional(), Length(max=120)])
    anonymous = BooleanField(_l("Answer anonymously (your name is not saved)"))

    def chosen_role(self) -> ParticipantRole | None:
        return ParticipantRole(self.role.data) if self.role.data else None


def answers_from(formdata, questions: list[Question]) -> dict[int, object]:
    """Read each question's posted value: a list of keys for multiple choice, else one string."""
    answers: dict[int, object] = {}
    for question in questions:
        key = f"q{question.id}"
        if question.kind is QuestionKind.MULTIPLE:
            answers[question.id] = formdata.getlist(key)
        else:
            answers[question.id] = formdata.get(key, "")
    return answers
