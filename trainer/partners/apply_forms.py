"""Forms of the public application pages: the application, and the reference with its code."""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from wtforms import SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from trainer.contacts.forms import CheckboxesField
from trainer.contacts.services import normalise_mobile, valid_email
from trainer.core.forms import Form
from trainer.core.i18n import localized_name
from trainer.extensions import db
from trainer.partners.applications import ApplicationValues, Upload
from trainer.partners.models import (
    EMAIL_LENGTH_MAX,
    IDENTIFIER_LENGTH_MAX,
    NAME_LENGTH_MAX,
    PERSON_LENGTH_MAX,
    THEME_LABELS,
    Application,
    Call,
    OrganisationKind,
)
from trainer.partners.services import normalise_identifier, valid_pan
from trainer.regions.models import District


class ApplicationForm(Form):
    """An organisation's application to a call (the PDFs are read from the request by the view)."""

    name_hi = StringField(_l("Name of the organisation in Hindi"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    name_en = StringField(_l("Name of the organisation in English"),
                          validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    kind = SelectField(_l("Kind"), validators=[InputRequired()],
                       choices=[SelectChoice(kind.value, kind.label) for kind in OrganisationKind])
    darpan_id = StringField(_l("NGO Darpan unique ID"), validators=[Optional(), Length(max=IDENTIFIER_LENGTH_MAX)])
    pan = StringField(_l("PAN"), validators=[Optional(), Length(max=20)], description=_l("10 characters: AAAAA9999A"))
    registration_number = StringField(_l("Registration number"),
                                      validators=[Optional(), Length(max=IDENTIFIER_LENGTH_MAX)])
    district = SelectField(_l("District it is based in"), validators=[Optional()], choices=[])
    contact_name = StringField(_l("Contact person's name"), validators=[Optional(), Length(max=PERSON_LENGTH_MAX)])
    contact_mobile = StringField(_l("Contact person's mobile number"), validators=[Optional(), Length(max=30)],
                                 render_kw={"inputmode": "tel"})
    contact_email = StringField(_l("Contact person's e-mail"), validators=[Optional(), Length(max=EMAIL_LENGTH_MAX)],
                                render_kw={"inputmode": "email"})
    themes = CheckboxesField(_l("Themes applied for"), choices=[])

    def set_choices(self, districts, themes) -> None:
        """Offer the state's districts (id, name) and the call's themes."""
        self.district.choices = [SelectChoice("", "—")] + [SelectChoice(str(i), name) for i, name in districts]
        self.themes.choices = [SelectChoice(key, THEME_LABELS[key]) for key in themes]

    def validate_pan(self, field):
        if field.data:
            pan = normalise_identifier(field.data)
            if pan is None or not valid_pan(pan):
                raise ValidationError(gettext("A PAN is five letters, four digits and a letter: AAAAA9999A."))

    def validate_contact_mobile(self, field):
        if field.data and normalise_mobile(field.data) is None:
            raise ValidationError(gettext("This is not a valid Indian mobile number (10 digits starting with 6, 7, "
                                          "8 or 9)."))

    def validate_contact_email(self, field):
        if field.data and not valid_email(field.data.strip()):
            raise ValidationError(gettext("This is not a valid e-mail address."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.name_hi.data or "").strip() and not (self.name_en.data or "").strip():
            self.name_hi.errors.append(gettext("Give the organisation's name in Hindi or in English."))
            valid = False
        return valid

    def values(self) -> ApplicationValues:
        """Return what was typed, normalised."""
        return ApplicationValues(
            kind=OrganisationKind(self.kind.data), name_hi=self.name_hi.data or "", name_en=self.name_en.data or "",
            darpan_id=self.darpan_id.data or None, pan=self.pan.data or None,
            registration_number=self.registration_number.data or None,
            district_id=int(self.district.data) if self.district.data else None,
            contact_name=self.contact_name.data or "",
            contact_mobile=normalise_mobile(self.contact_mobile.data) if self.contact_mobile.data else None,
            contact_email=self.contact_email.data or None, themes=tuple(self.themes.data or ()))

    @staticmethod
    def data_of(application: Application) -> dict:
        """Return an application's details as the form's data."""
        return dict(name_hi=application.name_hi, name_en=application.name_en, kind=application.kind.value,
                    darpan_id=application.darpan_id or "", pan=application.pan or "",
                    registration_number=application.registration_number or "",
                    district=str(application.district_id or ""), contact_name=application.contact_name,
                    contact_mobile=application.contact_mobile or "", contact_email=application.contact_email or "",
                    themes=application.theme_keys)


def district_choices() -> list[tuple[int, str]]:
    """Return the state's districts (id, name in the page's language), by their LGD codes."""
    return [(district.id, localized_name(district))
            for district in db.session.scalars(select(District).order_by(District.lgd_code))]


def uploads_of(files, call: Call) -> tuple[Upload, ...]:
    """Return the PDFs sent with the application form (the request's files), one per document the call asks for."""
    found = []
    for document in call.documents:
        sent = files.get(f"document-{document.id}")
        if sent is not None and sent.filename:
            found.append(Upload(document.id, sent.filename, sent.read()))
    return tuple(found)


class StatusForm(Form):
    """An application's reference number and secret code."""

    reference = StringField(_l("Reference number"), validators=[InputRequired(), Length(max=30)],
                            description=_l("for example EOI-1-000123"))
    code = StringField(_l("Secret code"), validators=[InputRequired(), Length(max=20)],
                       render_kw={"inputmode": "numeric", "autocomplete": "off"})
