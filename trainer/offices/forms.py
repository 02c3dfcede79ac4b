"""Forms of the offices' pages: an office, and an officer added to it."""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import BooleanField, IntegerField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from trainer.core.forms import Form
from trainer.extensions import db
from trainer.offices.models import (
    DESIGNATION_LENGTH_MAX,
    EMAIL_LENGTH_MAX,
    NAME_LENGTH_MAX,
    PHONE_LENGTH_MAX,
    SHORT_NAME_LENGTH_MAX,
)
from trainer.offices.services import OfficeValues
from trainer.regions.models import Block, District, Division

AREA_LEVELS = {"state": _l("The whole state"), "division": _l("A division"), "district": _l("A district"),
               "block": _l("A block")}
AREA_MODELS = {"division": Division, "district": District, "block": Block}


class OfficeForm(Form):
    """An office: its names, place, phone and e-mail, and whether it is active."""

    name_hi = StringField(_l("Name in Hindi"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    short_name = StringField(_l("Short name"), validators=[Optional(), Length(max=SHORT_NAME_LENGTH_MAX)],
                             description=_l("As the minutes print it: DC Godda, JSLPS DPMU."))
    area_level = SelectField(_l("Place of the office"), choices=[SelectChoice(k, v) for k, v in AREA_LEVELS.items()],
                             default="state")
    area_code = IntegerField(_l("LGD code of the area"), validators=[Optional(), NumberRange(1, 2**31 - 1)],
                             description=_l("Not needed for the whole state."), render_kw={"inputmode": "numeric"})
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=PHONE_LENGTH_MAX)],
                        render_kw={"inputmode": "tel"})
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=EMAIL_LENGTH_MAX)],
                        render_kw={"inputmode": "email"})
    active = BooleanField(_l("Active"), default=True)

    def validate_area_code(self, field) -> None:
        if self.area_level.data == "state":
            return
        model = AREA_MODELS[self.area_level.data]
        if db.session.scalar(select(model).where(model.lgd_code == field.data)) is None:
            raise ValidationError(gettext("There is no place with this LGD code at that level."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.name_hi.data or "").strip() and not (self.name_en.data or "").strip():
            self.name_hi.errors.append(gettext("Give the office's name in Hindi or in English."))
            valid = False
        if self.area_level.data != "state" and self.area_code.data is None and not self.area_code.errors:
            self.area_code.errors.append(gettext("Give the LGD code of the area."))
            valid = False
        return valid

    def place(self):
        """Return the division, district or block chosen, or None for the state."""
        if self.area_level.data == "state":
            return None
        model = AREA_MODELS[self.area_level.data]
        return db.session.scalar(select(model).where(model.lgd_code == self.area_code.data))

    def values(self) -> OfficeValues:
        """Return what the form gives, for offices.services.save_office."""
        return OfficeValues(name_hi=self.name_hi.data or "", name_en=self.name_en.data or "",
                            short_name=self.short_name.data or "", place=self.place(), phone=self.phone.data or "",
                            email=self.email.data or "", active=bool(self.active.data))


class OfficerForm(Form):
    """A member of staff made an officer of the office, by username, with a designation."""

    username = StringField(_l("Username"), validators=[InputRequired(), Length(max=64)])
    designation = StringField(_l("Designation"), validators=[Optional(), Length(max=DESIGNATION_LENGTH_MAX)])


class RemoveOfficerForm(Form):
    """The officer to remove, by account number."""

    user_id = IntegerField(validators=[InputRequired(), NumberRange(1, 2**31 - 1)])
