"""Forms of the contacts pages: a contact, an officer's own contact, the file upload, the list's filters."""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import HiddenField, SelectField, SelectMultipleField, StringField, widgets
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from trainer.contacts.models import GP_ROLES, NAME_LENGTH_MAX
from trainer.contacts.services import EMAIL_LENGTH, ContactValues, normalise_mobile, valid_email
from trainer.core.forms import Form

CHANNEL_LABELS = {"whatsapp": _l("WhatsApp"), "sms": _l("SMS"), "email": _l("E-mail")}
LANGUAGE_LABELS = {"hi": _l("Hindi"), "en": _l("English")}


class CheckboxesField(SelectMultipleField):
    """Several choices as checkboxes (no JavaScript, easy on a phone)."""

    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class OfficerContactForm(Form):
    """A person's mobile number, e-mail, language and the channels they accept."""

    name = StringField(_l("Name"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    mobile = StringField(_l("Mobile number"), validators=[Optional(), Length(max=30)],
                         description=_l("10 digits; +91 or 0 in front is fine"), render_kw={"inputmode": "tel"})
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=EMAIL_LENGTH)],
                        render_kw={"inputmode": "email"})
    language = SelectField(_l("Language of messages"), default="hi", validators=[InputRequired()],
                           choices=[SelectChoice(code, label) for code, label in LANGUAGE_LABELS.items()])
    channels = CheckboxesField(_l("Channels accepted"), default=["sms"],
                               choices=[SelectChoice(code, label) for code, label in CHANNEL_LABELS.items()])

    mobile_required = False

    def validate_mobile(self, field):
        if not field.data:
            if self.mobile_required:
                raise ValidationError(gettext("Give the mobile number."))
            return
        if normalise_mobile(field.data) is None:
            raise ValidationError(gettext("This is not a valid Indian mobile number (10 digits starting with 6, 7, "
                                          "8 or 9)."))

    def validate_email(self, field):
        if field.data and not valid_email(field.data):
            raise ValidationError(gettext("This is not a valid e-mail address."))

    def validate_channels(self, field):
        chosen = set(field.data or ())
        if "email" in chosen and not self.email.data:
            raise ValidationError(gettext("To accept e-mail, give an e-mail address."))
        if chosen & {"sms", "whatsapp"} and not self.mobile.data:
            raise ValidationError(gettext("To accept SMS or WhatsApp, give a mobile number."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and not self.mobile.data and not self.email.data:
            self.mobile.errors.append(gettext("Give a mobile number or an e-mail address."))
            valid = False
        return valid

    def values(self) -> ContactValues:
        """Return what was typed, normalised."""
        return ContactValues(name=(self.name.data or "").strip(),
                             mobile=normalise_mobile(self.mobile.data) if self.mobile.data else None,
                             email=(self.email.data or "").strip() or None, language=self.language.data,
                             channels=tuple(self.channels.data or ()))


class GpContactForm(OfficerContactForm):
    """A contact of a GP: its role too, and a mobile number always."""

    contact_id = HiddenField()
    role = SelectField(_l("Role"), validators=[InputRequired()],
                       choices=[SelectChoice(role.value, role.label) for role in GP_ROLES])

    mobile_required = True


class ContactChoiceForm(Form):
    """A button that acts on one contact (opt out, opt back in, remove)."""

    contact_id = HiddenField(validators=[InputRequired()])


class ContactUploadForm(Form):
    """A CSV or XLSX file of contacts."""

    file = FileField(_l("CSV or XLSX file"), validators=[
        FileRequired(_l("Choose a CSV or XLSX file.")),
        FileAllowed(["csv", "txt", "xlsx"], _l("The file must be a .csv or .xlsx file.")),
    ])
