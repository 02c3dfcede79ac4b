"""Forms of the certificates' pages: a design and its signatories, issuing in bulk and one by one, revoking,
replacing, and the secretary's GP."""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from trainer.certificates.models import NAME_LENGTH, TITLE_LENGTH, CertificateKind, RecipientKind
from trainer.certificates.services import FIELDS, fields_of, unknown_fields
from trainer.core.forms import Form

BODY_LENGTH = 1500
REASON_LENGTH = 500


def field_names(kind: CertificateKind) -> str:
    """List the {fields} a text of this kind may use, for the form's help."""
    return ", ".join(f"{{{name}}} ({FIELDS[name]})" for name in fields_of(kind))


class DesignForm(Form):
    """What a design's certificates say and show."""

    name = StringField(_l("Name of the design (for staff)"), validators=[Optional(), Length(max=TITLE_LENGTH)])
    office_hi = StringField(_l("Issuing office (Hindi)"), validators=[InputRequired(), Length(max=TITLE_LENGTH)])
    office_en = StringField(_l("Issuing office (English)"), validators=[Optional(), Length(max=TITLE_LENGTH)])
    title_hi = StringField(_l("Title (Hindi)"), validators=[InputRequired(), Length(max=TITLE_LENGTH)])
    title_en = StringField(_l("Title (English)"), validators=[Optional(), Length(max=TITLE_LENGTH)])
    body_hi = TextAreaField(_l("Text (Hindi)"), validators=[InputRequired(), Length(max=BODY_LENGTH)])
    body_en = TextAreaField(_l("Text (English)"), validators=[Optional(), Length(max=BODY_LENGTH)])
    emblem = FileField(_l("Emblem of the office (PNG or JPEG)"))
    remove_emblem = BooleanField(_l("Remove the emblem"))

    def __init__(self, kind: CertificateKind, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind

    def validate_body_hi(self, field):
        self._check_fields(field)

    def validate_body_en(self, field):
        self._check_fields(field)

    def _check_fields(self, field):
        unknown = unknown_fields(field.data or "", self.kind)
        if unknown is None:
            raise ValidationError(gettext("A { or } is left open: write fields as {gp}, {programme} …"))
        if unknown:
            raise ValidationError(gettext("The text names fields that a certificate cannot fill: %(fields)s. "
                                          "It may use: %(known)s.", fields=", ".join(f"{{{name}}}" for name in unknown),
                                          known=field_names(self.kind)))


class NewDesignForm(Form):
    """An office's new design for certificates of appreciation."""

    name = StringField(_l("Name of the design"), validators=[InputRequired(), Length(max=TITLE_LENGTH)],
                       description=_l("For example: शक्ति सेवा सम्मान पत्र"))


class SignatoryForm(Form):
    """One who signs a design's certificates."""

    name_hi = StringField(_l("Name (Hindi)"), validators=[InputRequired(), Length(max=NAME_LENGTH)])
    name_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=NAME_LENGTH)])
    designation_hi = StringField(_l("Designation (Hindi)"), validators=[InputRequired(), Length(max=NAME_LENGTH)])
    designation_en = StringField(_l("Designation (English)"), validators=[Optional(), Length(max=NAME_LENGTH)])
    signature = FileField(_l("Signature (PNG or JPEG, on white)"))


class BatchForm(Form):
    """Issue a programme's certificates to every GP that completed it, in the whole programme or one district."""

    district = SelectField(_l("Gram panchayats of"), default="", validate_choice=True)
    notify = BooleanField(_l("Tell each gram panchayat by SMS / WhatsApp that its certificate is ready"),
                          default=False)

    def __init__(self, districts, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.district.choices = [SelectChoice("", gettext("Every district of the programme"))] + [
            SelectChoice(str(district.lgd_code), district.name_hi) for district in districts]


class PartnerBatchForm(Form):
    """Issue a programme's certificates to every partner organisation that completed it."""

    notify = BooleanField(_l("Tell each organisation's contacts by SMS and e-mail that its certificate is ready"),
                          default=False)


class RevokeForm(Form):
    reason = TextAreaField(_l("Why is it revoked?"), validators=[InputRequired(), Length(max=REASON_LENGTH)])


class ReplaceForm(Form):
    recipient_hi = StringField(_l("Recipient's name (Hindi)"), validators=[InputRequired(), Length(max=NAME_LENGTH)])
    recipient_en = StringField(_l("Recipient's name (English)"), validators=[Optional(), Length(max=NAME_LENGTH)])


class AppreciationForm(Form):
    """A certificate of appreciation for a person or an organisation."""

    design = SelectField(_l("Design"), coerce=int, validate_choice=True)
    recipient_kind = SelectField(_l("Given to"), default=RecipientKind.PERSON.value, choices=[
        SelectChoice(kind.value, kind.label) for kind in (RecipientKind.PERSON, RecipientKind.ORGANISATION)])
    recipient_hi = StringField(_l("Name (Hindi)"), validators=[InputRequired(), Length(max=NAME_LENGTH)])
    recipient_en = StringField(_l("Name (English)"), validators=[Optional(), Length(max=NAME_LENGTH)])
    detail_hi = StringField(_l("Designation or office (Hindi)"), validators=[Optional(), Length(max=NAME_LENGTH)])
    detail_en = StringField(_l("Designation or office (English)"), validators=[Optional(), Length(max=NAME_LENGTH)])
    reason_hi = TextAreaField(_l("For what (Hindi)"), validators=[InputRequired(), Length(max=REASON_LENGTH)],
                              description=_l("For example: एक माह तक निःशुल्क परामर्श सेवा"))
    reason_en = TextAreaField(_l("For what (English)"), validators=[Optional(), Length(max=REASON_LENGTH)])
    district = SelectField(_l("District (for the officers who will see it)"), default="", validate_choice=True)
    request_key = HiddenField()

    def __init__(self, designs, districts, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.design.choices = [SelectChoice(design.id, design.label) for design in designs]
        self.district.choices = [SelectChoice("", gettext("The whole state"))] + [
            SelectChoice(str(district.lgd_code), district.name_hi) for district in districts]


class IdentifyForm(Form):
    """The secretary's gram panchayat, by its LGD code and access code, on a phone that has not marked yet."""

    gp_code = StringField(_l("LGD code of the gram panchayat"), validators=[InputRequired(), Length(max=12)],
                          render_kw={"inputmode": "numeric", "autocomplete": "off"})
    access_code = StringField(_l("Access code"), validators=[InputRequired(), Length(max=20)],
                              render_kw={"inputmode": "numeric", "autocomplete": "off"})
