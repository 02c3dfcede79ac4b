"""The secretary's attendance form: the head-count, and the GP and its access code the first time."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from trainer.attendance.models import WatchMode
from trainer.attendance.rules import PARTICIPANTS, ROLE_COUNT
from trainer.core.bounds import INT_MAX
from trainer.core.forms import Form
from trainer.programmes.models import ParticipantRole

_COUNT = [Optional(), NumberRange(min=ROLE_COUNT.minimum, max=ROLE_COUNT.maximum)]


class MarkForm(Form):
    """One screen: who is marking (first time only) and how many came."""

    pass_token = HiddenField()
    gp_query = StringField(_l("Your gram panchayat's LGD code or name"))
    gp_choice = RadioField(_l("Choose your gram panchayat"), coerce=int, validate_choice=False,
                           validators=[Optional(), NumberRange(min=1, max=INT_MAX)])
    access_code = StringField(_l("Access code of the gram panchayat"))
    participants = IntegerField(_l("Total participants"), validators=[
        InputRequired(), NumberRange(min=PARTICIPANTS.minimum, max=PARTICIPANTS.maximum)])
    sarpanch = IntegerField(_l("Sarpanch"), validators=_COUNT)
    secretary = IntegerField(_l("Panchayat secretary"), validators=_COUNT)
    ward_member = IntegerField(_l("Ward members"), validators=_COUNT)
    shg_member = IntegerField(_l("Self-help group members"), validators=_COUNT)
    other = IntegerField(_l("Others"), validators=_COUNT)
    mode = RadioField(_l("How did you watch?"), validators=[Optional(strip_whitespace=False)],  # " " is no choice
                      choices=[SelectChoice(mode.value, mode.label) for mode in WatchMode])

    def role_fields(self):
        return [getattr(self, role.value) for role in ParticipantRole]
