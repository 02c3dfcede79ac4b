"""Forms of a programme's partners page: whom it reaches, adding one organisation or all a call selected, and
staff's head-counts of the partners at a session."""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, IntegerField, RadioField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional, Regexp

from trainer.attendance.flow_forms import MARK_KEY
from trainer.attendance.rules import PARTICIPANTS
from trainer.core.forms import Form
from trainer.core.i18n import localized_name
from trainer.partners.models import Organisation
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


class OrganisationMarkForm(Form):
    """The organisation's screen: which partner, its access code and how many of its people are present."""

    class Meta:
        csrf = False  # guarded by trainer.attendance.device.check_form_guard, as the gram panchayats' form

    pass_token = HiddenField()
    organisation_query = StringField(_l("Name of your organisation"), validators=[Optional(), Length(max=200)])
    organisation_choice = RadioField(_l("Choose your organisation"), coerce=int, validate_choice=False,
                                     validators=[Optional(), NumberRange(min=1, max=2**31 - 1)])
    access_code = StringField(_l("Access code"), validators=[Optional(), Length(max=40)])
    participants = IntegerField(_l("Number of your people present"), validators=[
        InputRequired(_l("Give the number of your people present.")),
        NumberRange(min=PARTICIPANTS.minimum, max=PARTICIPANTS.maximum,
                    message=_l("The number of participants must be between 1 and %(max)s.",
                               max=PARTICIPANTS.maximum))])
    mark_key = HiddenField(validators=[Optional(), Regexp(MARK_KEY, message=_l(
        "The phone sent a damaged key. Open the form again and send it."))])


class PartnerChecklistForm(Form):
    """A number of participants for each partner of the programme: those given are saved together, those left
    empty stay as they are.

    Build it with `partner_checklist_form`, which adds a number for each partner.
    """

    organisations: list[Organisation] = []

    def count_field(self, organisation: Organisation) -> IntegerField:
        return self[f"participants_{organisation.id}"]

    def validate(self, extra_validators=None) -> bool:
        """Check each number, and that at least one partner has one."""
        valid = super().validate(extra_validators)
        if valid and not self.chosen():
            self.form_errors.append(gettext("Give the number of participants of at least one partner."))
            valid = False
        return valid

    def chosen(self) -> list[tuple[Organisation, int]]:
        """Return the partners given a number, with it."""
        return [(organisation, self.count_field(organisation).data) for organisation in self.organisations
                if self.count_field(organisation).data is not None]

    def problems(self) -> list[str]:
        """Return each partner's errors as "name: error", for the list above the table."""
        return [gettext("%(name)s: %(error)s", name=localized_name(organisation), error=error)
                for organisation in self.organisations for error in self.count_field(organisation).errors]


def partner_checklist_form(organisations: list[Organisation]) -> PartnerChecklistForm:
    """Return a checklist form with a participants number for each partner."""

    class ProgrammeChecklistForm(PartnerChecklistForm):
        pass

    for organisation in organisations:
        setattr(ProgrammeChecklistForm, f"participants_{organisation.id}", IntegerField(
            _l("Participants from %(name)s", name=localized_name(organisation)),
            validators=[Optional(), NumberRange(min=PARTICIPANTS.minimum, max=PARTICIPANTS.maximum,
                                                message=_l("Give a number between %(min)s and %(max)s."))]))
    ProgrammeChecklistForm.organisations = list(organisations)
    return ProgrammeChecklistForm()


class InviteForm(Form):
    """The button that invites a session's partner organisations (the CSRF token only)."""
