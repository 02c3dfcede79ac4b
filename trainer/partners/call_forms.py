"""Forms of the calls' pages: a call, a screening criterion, a document asked for."""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, IntegerField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from trainer.contacts.forms import CheckboxesField
from trainer.core.forms import Form
from trainer.partners.calls import CallValues, CriterionValues
from trainer.partners.models import (
    CRITERION_LENGTH_MAX,
    NAME_LENGTH_MAX,
    SCORE_MAX,
    THEME_LABELS,
    TITLE_LENGTH_MAX,
    WEIGHT_MAX,
)


class CallForm(Form):
    """A call for expressions of interest."""

    title_hi = StringField(_l("Title in Hindi"), validators=[Optional(), Length(max=TITLE_LENGTH_MAX)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=TITLE_LENGTH_MAX)])
    description_hi = TextAreaField(_l("Description in Hindi"), validators=[Optional(), Length(max=10000)])
    description_en = TextAreaField(_l("Description in English"), validators=[Optional(), Length(max=10000)])
    themes = CheckboxesField(_l("Themes"), choices=[SelectChoice(key, label) for key, label in THEME_LABELS.items()])
    opens_on = DateField(_l("Opens on"), validators=[InputRequired()])
    closes_on = DateField(_l("Closes on"), validators=[InputRequired()],
                          description=_l("Applications are taken until the end of this day."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.title_hi.data or "").strip() and not (self.title_en.data or "").strip():
            self.title_hi.errors.append(gettext("Give the title in Hindi or in English."))
            valid = False
        if valid and self.closes_on.data < self.opens_on.data:
            self.closes_on.errors.append(gettext("The call cannot close before it opens."))
            valid = False
        return valid

    def values(self) -> CallValues:
        """Return what was typed."""
        return CallValues(opens_on=self.opens_on.data, closes_on=self.closes_on.data,
                          title_hi=self.title_hi.data or "", title_en=self.title_en.data or "",
                          description_hi=self.description_hi.data or "", description_en=self.description_en.data or "",
                          themes=tuple(self.themes.data or ()))


class CriterionForm(Form):
    """A screening criterion of a call."""

    text_hi = StringField(_l("Criterion in Hindi"), validators=[Optional(), Length(max=CRITERION_LENGTH_MAX)])
    text_en = StringField(_l("Criterion in English"), validators=[Optional(), Length(max=CRITERION_LENGTH_MAX)])
    weight = IntegerField(_l("Weight"), default=1, validators=[InputRequired(), NumberRange(1, WEIGHT_MAX)])
    max_score = IntegerField(_l("Maximum score"), default=10, validators=[InputRequired(), NumberRange(1, SCORE_MAX)])
    required = BooleanField(_l("Must be met"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.text_hi.data or "").strip() and not (self.text_en.data or "").strip():
            self.text_hi.errors.append(gettext("Give the criterion in Hindi or in English."))
            valid = False
        return valid

    def values(self) -> CriterionValues:
        """Return what was typed."""
        return CriterionValues(text_hi=self.text_hi.data or "", text_en=self.text_en.data or "",
                               weight=self.weight.data, max_score=self.max_score.data,
                               required=bool(self.required.data))


class CallDocumentForm(Form):
    """A document a call asks for."""

    name_hi = StringField(_l("Document in Hindi"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    name_en = StringField(_l("Document in English"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    required = BooleanField(_l("Required"), default=True)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.name_hi.data or "").strip() and not (self.name_en.data or "").strip():
            self.name_hi.errors.append(gettext("Give the document's name in Hindi or in English."))
            valid = False
        return valid


class RemoveForm(Form):
    """A button that removes a criterion or a document (the CSRF token only)."""
