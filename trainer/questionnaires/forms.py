"""The question editor's forms, and reading a questionnaire's answers from a submitted form."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from trainer.core.forms import Form
from trainer.questionnaires.models import QuestionKind
from trainer.questionnaires.rules import MAX_OPTIONS


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

    def fill(self, question) -> None:
        """Show a question's current wording."""
        self.text_hi.data, self.text_en.data, self.required.data = (
            question.text_hi, question.text_en, question.required)
        self.options.data = "\n".join(f"{o['hi']} | {o['en']}" if o.get("en") else o["hi"]
                                      for o in question.options)


class QuestionForm(QuestionTextForm):
    """A new question: its kind as well as its wording."""

    kind = SelectField(_l("Kind of answer"), validators=[InputRequired()],
                       choices=[SelectChoice(kind.value, kind.label) for kind in QuestionKind])


def field_name(question) -> str:
    """Return the name of a question's field in a submitted form."""
    return f"q{question.id}"


def answers_from(formdata, questions: list) -> dict[int, object]:
    """Read each question's posted value: a list of keys for multiple choice, else one string."""
    answers: dict[int, object] = {}
    for question in questions:
        key = field_name(question)
        if question.kind is QuestionKind.MULTIPLE:
            answers[question.id] = formdata.getlist(key)
        else:
            answers[question.id] = formdata.get(key, "")
    return answers
