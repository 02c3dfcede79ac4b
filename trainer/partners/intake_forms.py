"""Forms of the staff's intake pages: an application received on paper or by e-mail (the public form, with how and
when it came), and a file of applications."""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import DateField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, ValidationError

from trainer.core import clock
from trainer.partners.apply_forms import ApplicationForm
from trainer.partners.models import ApplicationChannel

RECEIVED_CHANNELS = (ApplicationChannel.PAPER, ApplicationChannel.EMAIL)


class ReceivedApplicationForm(ApplicationForm):
    """An application that came on paper or by e-mail, as staff type it in."""

    channel = SelectField(_l("How it came"), validators=[InputRequired()],
                          choices=[SelectChoice(channel.value, channel.label) for channel in RECEIVED_CHANNELS])
    received_on = DateField(_l("Day it was received"), validators=[InputRequired()], default=lambda: clock.today())

    def validate_received_on(self, field):
        if field.data and field.data > clock.today():
            raise ValidationError(gettext("The day the application was received cannot be in the future."))
