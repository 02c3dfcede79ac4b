"""Forms of the registry's pages: an organisation with its people, the duplicate decision, the file upload."""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, FieldList, FormField, SelectField, StringField, TextAreaField
from wtforms import Form as SubForm
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from trainer.contacts.forms import CheckboxesField
from trainer.contacts.services import normalise_mobile, valid_email
from trainer.core.forms import Form, one_line
from trainer.partners.models import (
    EMAIL_LENGTH_MAX,
    IDENTIFIER_LENGTH_MAX,
    NAME_LENGTH_MAX,
    PERSON_LENGTH_MAX,
    PHONE_LENGTH_MAX,
    THEME_LABELS,
    WEBSITE_LENGTH_MAX,
    OrganisationKind,
)
from trainer.partners.services import OrganisationValues, Person, normalise_identifier, valid_pan

PEOPLE_ROWS = 3  # blank rows for contact people on a new organisation (no script adds rows)


class PersonForm(SubForm):
    """One contact person: all fields blank means no one."""

    name = StringField(_l("Name"), validators=[Optional(), Length(max=PERSON_LENGTH_MAX)], filters=[one_line])
    designation = StringField(_l("Designation"), validators=[Optional(), Length(max=PERSON_LENGTH_MAX)],
                              filters=[one_line])
    mobile = StringField(_l("Mobile number"), validators=[Optional(), Length(max=30)], filters=[one_line],
                         render_kw={"inputmode": "tel"})
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=EMAIL_LENGTH_MAX)], filters=[one_line],
                        render_kw={"inputmode": "email"})

    def validate_name(self, field):
        if not field.data and (self.designation.data or self.mobile.data or self.email.data):
            raise ValidationError(gettext("Give the person's name."))

    def validate_mobile(self, field):
        if field.data and normalise_mobile(field.data) is None:
            raise ValidationError(gettext("This is not a valid Indian mobile number (10 digits starting with 6, 7, "
                                          "8 or 9)."))

    def validate_email(self, field):
        if field.data and not valid_email(field.data.strip()):
            raise ValidationError(gettext("This is not a valid e-mail address."))


class OrganisationForm(Form):
    """An organisation of the registry."""

    name_hi = StringField(_l("Name in Hindi"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    name_en = StringField(_l("Name in English"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    kind = SelectField(_l("Kind"), validators=[InputRequired()],
                       choices=[SelectChoice(kind.value, kind.label) for kind in OrganisationKind])
    darpan_id = StringField(_l("NGO Darpan unique ID"), validators=[Optional(), Length(max=IDENTIFIER_LENGTH_MAX)],
                            description=_l("for example MP/2017/0123456"))
    registration_number = StringField(_l("Registration number"),
                                      validators=[Optional(), Length(max=IDENTIFIER_LENGTH_MAX)])
    registering_authority = StringField(_l("Registering authority"),
                                        validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    pan = StringField(_l("PAN"), validators=[Optional(), Length(max=20)], description=_l("10 characters: AAAAA9999A"))
    address = TextAreaField(_l("Address"), validators=[Optional(), Length(max=1000)])
    district = SelectField(_l("District it is based in"), validators=[Optional()], choices=[])
    website = StringField(_l("Website"), validators=[Optional(), Length(max=WEBSITE_LENGTH_MAX)],
                          render_kw={"inputmode": "url"})
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=EMAIL_LENGTH_MAX)],
                        render_kw={"inputmode": "email"})
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=PHONE_LENGTH_MAX)],
                        render_kw={"inputmode": "tel"})
    themes = CheckboxesField(_l("Themes"), choices=[SelectChoice(key, label) for key, label in THEME_LABELS.items()])
    whole_state = BooleanField(_l("Works in the whole state"))
    districts = CheckboxesField(_l("Districts where it works"), choices=[])
    block_codes = StringField(_l("Blocks where it works"), validators=[Optional(), Length(max=2000)],
                              description=_l("LGD codes of janpad panchayats, separated by commas"))
    people = FieldList(FormField(PersonForm), min_entries=PEOPLE_ROWS)
    # The answer to the possible duplicates shown ("different", or the number of the one it duplicates) is read
    # from the request by the view: it is asked afresh whenever the matches are shown, never carried along.

    def set_places(self, districts) -> None:
        """Offer the state's districts (id, name) to choose from."""
        self.district.choices = [SelectChoice("", "—")] + [SelectChoice(str(i), name) for i, name in districts]
        self.districts.choices = [SelectChoice(str(i), name) for i, name in districts]

    def validate_pan(self, field):
        if field.data:
            pan = normalise_identifier(field.data)
            if pan is None or not valid_pan(pan):
                raise ValidationError(gettext("A PAN is five letters, four digits and a letter: AAAAA9999A."))

    def validate_email(self, field):
        if field.data and not valid_email(field.data.strip()):
            raise ValidationError(gettext("This is not a valid e-mail address."))

    def validate_block_codes(self, field):
        if any(not part.isascii() or not part.isdigit() or len(part) > 9 for part in self._block_parts()):
            raise ValidationError(gettext("Give LGD codes of blocks (numbers), separated by commas."))

    def _block_parts(self) -> list[str]:
        return [part.strip() for part in (self.block_codes.data or "").replace(";", ",").split(",") if part.strip()]

    def block_code_list(self) -> list[int]:
        """Return the LGD codes of the blocks typed (once the form is valid)."""
        return [int(part) for part in self._block_parts()]

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.name_hi.data or "").strip() and not (self.name_en.data or "").strip():
            self.name_hi.errors.append(gettext("Give the name in Hindi or in English."))
            valid = False
        return valid

    def values(self, block_ids: tuple[int, ...] = ()) -> OrganisationValues:
        """Return what was typed, normalised (the blocks' ids looked up by the caller)."""
        people = tuple(Person(entry.form.name.data.strip(), (entry.form.designation.data or "").strip(),
                              normalise_mobile(entry.form.mobile.data) if entry.form.mobile.data else None,
                              (entry.form.email.data or "").strip() or None)
                       for entry in self.people if (entry.form.name.data or "").strip())
        return OrganisationValues(
            name_hi=(self.name_hi.data or "").strip(), name_en=(self.name_en.data or "").strip(),
            kind=OrganisationKind(self.kind.data), darpan_id=(self.darpan_id.data or "").strip() or None,
            registration_number=(self.registration_number.data or "").strip() or None,
            registering_authority=(self.registering_authority.data or "").strip(),
            pan=normalise_identifier(self.pan.data), address=(self.address.data or "").strip(),
            district_id=int(self.district.data) if self.district.data else None,
            website=(self.website.data or "").strip(), email=(self.email.data or "").strip() or None,
            phone=(self.phone.data or "").strip(), themes=tuple(self.themes.data or ()),
            whole_state=bool(self.whole_state.data),
            district_ids=tuple(int(value) for value in self.districts.data or ()), block_ids=block_ids,
            people=people)


class DuplicateForm(Form):
    """Flag an organisation as a duplicate of another (by its number), or clear the flag (empty)."""

    duplicate_of = StringField(_l("Number of the organisation it duplicates"), validators=[Optional(), Length(max=10)])

    def validate_duplicate_of(self, field):
        if field.data and not (field.data.strip().isascii() and field.data.strip().isdigit()):
            raise ValidationError(gettext("Give the organisation's number."))


class OrganisationUploadForm(Form):
    """A CSV or XLSX file of organisations (or of applications to a call)."""

    file = FileField(_l("CSV or XLSX file"), validators=[
        FileRequired(_l("Choose a CSV or XLSX file.")),
        FileAllowed(["csv", "txt", "xlsx"], _l("The file must be a .csv or .xlsx file.")),
    ])
