"""Forms of a programme's partners page: whom it reaches, adding one organisation or all a call selected."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, RadioField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, NumberRange

from trainer.core.forms import Form
from trainer.programmes.models import Reach


class ReachForm(Form):
    """Whom the programme reaches."""

    reaches = RadioField(_l("The programme reaches"), choices=[SelectChoice(reach.value, reach.label) for reach in Reach],
                         validators=[InputRequired(_l("Choose whom the programme reaches."))])


class AddPartnerForm(Form):
    """One organisation of the registry, chosen from the list found."""

    organisation = IntegerField(validators=[InputRequired(_l("Choose an organisation.")),
                                            NumberRange(min=1, max=2**31 - 1, message=_l("There is no such organisation."))])


class AddSelectedForm(Form):
    """Every organisation a call selected."""

    call = SelectField(_l("Call for expressions of interest"), coerce=int,
                       validators=[InputRequired(_l("Choose a call."))])


class RemovePartnerForm(Form):
    """The button that takes an organisation off the programme (the CSRF token only)."""


class IssueCodeForm(Form):
    """The confirmation before an organisation's code is replaced: the old one stops working at once."""

    confirm = BooleanField(_l("I understand that the old codes stop working at once."),
                           validators=[DataRequired(_l("Tick the box to confirm."))])
