"""The messaging's forms: a template's text, a programme's reminders, a broadcast."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, DateField, SelectField, StringField, TextAreaField, TimeField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, Optional, Regexp

from trainer.core.forms import Form
from trainer.messaging.kinds import BROADCAST_KINDS
from trainer.messaging.models import Audience, ReminderKind


class TemplateForm(Form):
    subject = StringField(_l("E-mail subject"), validators=[Optional(), Length(max=300)])
    body = TextAreaField(_l("Text"), validators=[DataRequired(), Length(max=2000)], render_kw={"rows": 6})
    dlt_template_id = StringField(_l("DLT template ID"), validators=[
        Optional(), Regexp(r"^\d{19}$", message=_l("A DLT template ID is the 19 digits given by the operator."))],
        description=_l("A changed SMS text must be registered again on the DLT portal: give its new ID."))


class RemindersForm(Form):
    day_before = BooleanField(ReminderKind.DAY_BEFORE.label)
    starting = BooleanField(ReminderKind.STARTING.label)
    missed = BooleanField(ReminderKind.MISSED.label)
    feedback = BooleanField(ReminderKind.FEEDBACK.label)


class BroadcastForm(Form):
    session = SelectField(_l("Session"), coerce=int, validate_choice=True)
    audience = SelectField(_l("Recipients"), choices=[SelectChoice(a.value, a.label) for a in Audience])
    kind = SelectField(_l("Message"), choices=[SelectChoice(k.value, k.label) for k in BROADCAST_KINDS])
    place = SelectField(_l("Area"), validate_choice=True,
                        description=_l("Your whole area, or one of its districts or blocks."))
    send_day = DateField(_l("Send on (optional)"), validators=[Optional()])
    send_time = TimeField(_l("at"), validators=[Optional()])
