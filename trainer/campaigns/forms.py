"""Forms of the campaigns' pages: a campaign, a phase, an office, an indicator and a target."""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from sqlalchemy import select
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from trainer.campaigns.models import (
    APPROVAL_LABELS,
    CODE_LENGTH_MAX,
    LEVEL_LABELS,
    NAME_LENGTH_MAX,
    PERIOD_LABELS,
    SOURCE_LABELS,
    TITLE_LENGTH_MAX,
    UNIT_LENGTH_MAX,
    VALUE_MAX,
    Level,
)
from trainer.campaigns.services import CampaignValues, IndicatorValues, OfficeValues, PhaseValues, place_by_code
from trainer.contacts.forms import CheckboxesField
from trainer.core.forms import Form
from trainer.extensions import db
from trainer.regions.models import Block, District, Division

AREA_LEVELS = {"state": _l("The whole state"), "division": _l("A division"), "district": _l("A district"),
               "block": _l("A block")}
AREA_MODELS = {"division": Division, "district": District, "block": Block}


def _either(form, hindi, english, message) -> bool:
    if not (hindi.data or "").strip() and not (english.data or "").strip():
        hindi.errors.append(gettext(message))
        return False
    return True


class CampaignForm(Form):
    """A campaign: its titles, days, area, periods, approvals and linked programmes."""

    title_hi = StringField(_l("Title in Hindi"), validators=[Optional(), Length(max=TITLE_LENGTH_MAX)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=TITLE_LENGTH_MAX)])
    description_hi = TextAreaField(_l("Description in Hindi"), validators=[Optional(), Length(max=10000)])
    description_en = TextAreaField(_l("Description in English"), validators=[Optional(), Length(max=10000)])
    starts_on = DateField(_l("Starts on"), validators=[InputRequired()])
    ends_on = DateField(_l("Ends on"), validators=[InputRequired()])
    area_level = SelectField(_l("Area"), choices=[SelectChoice(k, v) for k, v in AREA_LEVELS.items()], default="state")
    area_code = IntegerField(_l("LGD code of the area"), validators=[Optional(), NumberRange(1, 2**31 - 1)],
                             description=_l("Not needed for the whole state."), render_kw={"inputmode": "numeric"})
    period_kind = SelectField(_l("Values are reported"), choices=[SelectChoice(k.value, v) for k, v in PERIOD_LABELS.items()])
    approval = SelectField(_l("Approval of values"), choices=[SelectChoice(k.value, v) for k, v in APPROVAL_LABELS.items()])
    programmes = CheckboxesField(_l("Linked programmes"), coerce=int)

    def validate_area_code(self, field) -> None:
        if self.area_level.data == "state":
            return
        model = AREA_MODELS[self.area_level.data]
        if db.session.scalar(select(model).where(model.lgd_code == field.data)) is None:
            raise ValidationError(gettext("There is no place with this LGD code at that level."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        valid = _either(self, self.title_hi, self.title_en, "Give the title in Hindi or in English.") and valid
        if self.area_level.data != "state" and self.area_code.data is None and not self.area_code.errors:
            self.area_code.errors.append(gettext("Give the LGD code of the area."))
            valid = False
        if valid and self.ends_on.data < self.starts_on.data:
            self.ends_on.errors.append(gettext("The campaign cannot end before it starts."))
            valid = False
        return valid

    def place(self):
        """Return the division, district or block chosen, or None for the state."""
        if self.area_level.data == "state":
            return None
        model = AREA_MODELS[self.area_level.data]
        return db.session.scalar(select(model).where(model.lgd_code == self.area_code.data))

    def values(self) -> CampaignValues:
        """Return what was typed (phases and offices are kept as they are)."""
        return CampaignValues(
            starts_on=self.starts_on.data, ends_on=self.ends_on.data, title_hi=self.title_hi.data or "",
            title_en=self.title_en.data or "", description_hi=self.description_hi.data or "",
            description_en=self.description_en.data or "", place=self.place(), period_kind=self.period_kind.data,
            approval=self.approval.data, programme_ids=tuple(self.programmes.data or ()))


class PhaseForm(Form):
    """A phase of a campaign."""

    name_hi = StringField(_l("Phase in Hindi"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    name_en = StringField(_l("Phase in English"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    starts_on = DateField(_l("Starts on"), validators=[InputRequired()])
    ends_on = DateField(_l("Ends on"), validators=[InputRequired()])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return _either(self, self.name_hi, self.name_en, "Give each phase's name in Hindi or in English.") and valid

    def values(self) -> PhaseValues:
        """Return what was typed."""
        return PhaseValues(self.starts_on.data, self.ends_on.data, self.name_hi.data or "", self.name_en.data or "")


class OfficeForm(Form):
    """An office or department taking part in a campaign."""

    name_hi = StringField(_l("Office in Hindi"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    name_en = StringField(_l("Office in English"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    responsibilities = TextAreaField(_l("Responsibilities"), validators=[Optional(), Length(max=10000)])

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return _either(self, self.name_hi, self.name_en, "Give each office's name in Hindi or in English.") and valid

    def values(self) -> OfficeValues:
        """Return what was typed."""
        return OfficeValues(self.name_hi.data or "", self.name_en.data or "", self.responsibilities.data or "")


class IndicatorForm(Form):
    """An indicator of a campaign."""

    code = StringField(_l("Code"), validators=[InputRequired(), Length(max=CODE_LENGTH_MAX)],
                       description=_l("Small letters, digits, - and _: the indicator column of uploaded files."))
    name_hi = StringField(_l("Indicator in Hindi"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    name_en = StringField(_l("Indicator in English"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    unit_hi = StringField(_l("Unit in Hindi"), validators=[Optional(), Length(max=UNIT_LENGTH_MAX)])
    unit_en = StringField(_l("Unit in English"), validators=[Optional(), Length(max=UNIT_LENGTH_MAX)])
    level = SelectField(_l("Reported by"), choices=[SelectChoice(k.value, v) for k, v in LEVEL_LABELS.items()])
    source = SelectField(_l("Source"), choices=[SelectChoice(k.value, v) for k, v in SOURCE_LABELS.items()])
    programme = SelectField(_l("Programme counted"), coerce=int,
                            description=_l("For an indicator computed by Trainer: a programme linked to the "
                                           "campaign."))
    share_of = SelectField(_l("Share of"), coerce=int)
    higher_is_better = BooleanField(_l("Higher is better"), default=True)
    may_exceed_target = BooleanField(_l("May exceed the target"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return _either(self, self.name_hi, self.name_en, "Give the indicator's name in Hindi or in English.") and valid

    def values(self) -> IndicatorValues:
        """Return what was typed."""
        return IndicatorValues(
            code=self.code.data or "", name_hi=self.name_hi.data or "", name_en=self.name_en.data or "",
            unit_hi=self.unit_hi.data or "", unit_en=self.unit_en.data or "",
            higher_is_better=bool(self.higher_is_better.data), may_exceed_target=bool(self.may_exceed_target.data),
            share_of_id=self.share_of.data or None, level=self.level.data, source=self.source.data,
            programme_id=self.programme.data or None)


class TargetForm(Form):
    """One target of an indicator: a place by its level and LGD code, a phase or the whole campaign, a number."""

    level = SelectField(_l("Level"), choices=[SelectChoice(k.value, v) for k, v in LEVEL_LABELS.items()])
    place_code = IntegerField(_l("LGD code"), validators=[InputRequired(), NumberRange(1, 2**31 - 1)],
                              render_kw={"inputmode": "numeric"})
    phase = SelectField(_l("Phase"), coerce=int)
    value = IntegerField(_l("Target"), validators=[InputRequired(), NumberRange(0, VALUE_MAX)],
                         render_kw={"inputmode": "numeric"})

    def validate_place_code(self, field) -> None:
        if self.level.data in {level.value for level in Level} and \
                place_by_code(Level(self.level.data), field.data) is None:
            raise ValidationError(gettext("There is no place with this LGD code at that level."))

    def place(self):
        """Return the GP, block or district named."""
        return place_by_code(Level(self.level.data), self.place_code.data)


class ValuesUploadForm(Form):
    """A CSV or XLSX file of values reported from the field."""

    file = FileField(_l("CSV or XLSX file"), validators=[
        FileRequired(_l("Choose a CSV or XLSX file.")),
        FileAllowed(["csv", "txt", "xlsx"], _l("The file must be a .csv or .xlsx file.")),
    ])
