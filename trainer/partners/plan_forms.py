"""Forms of the plans' pages: a new plan, an activity, the department's answer, a quarterly update, the partner's
reference and code, and a master trainer."""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import DateField, IntegerField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from trainer.contacts.forms import CheckboxesField
from trainer.contacts.services import normalise_mobile, valid_email
from trainer.core.forms import Form
from trainer.partners.masters import MasterTrainerValues
from trainer.partners.models import (
    ACTIVITY_LENGTH_MAX,
    EMAIL_LENGTH_MAX,
    LEVEL_LABELS,
    NOTE_LENGTH_MAX,
    PARTICIPANTS_MAX,
    PERSON_LENGTH_MAX,
    PROGRESS_LABELS,
    THEME_LABELS,
    ActivityLevel,
    PlanActivity,
    Progress,
)
from trainer.partners.plans import ActivityValues, ProgressValues


class NewPlanForm(Form):
    """An organisation and the financial year of its plan."""

    organisation = SelectField(_l("Organisation"), validators=[InputRequired()], choices=[])
    year = IntegerField(_l("Financial year from April of"), validators=[InputRequired(), NumberRange(2000, 2100)],
                        description=_l("for example 2026 for 2026-27"))

    def set_organisations(self, organisations) -> None:
        """Offer the registry's organisations (id, name)."""
        self.organisation.choices = [SelectChoice(str(i), name) for i, name in organisations]


def _parts(text: str | None) -> list[str]:
    return [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]


class ActivityForm(Form):
    """One activity of a plan."""

    title = StringField(_l("Activity"), validators=[InputRequired(), Length(max=ACTIVITY_LENGTH_MAX)])
    theme = SelectField(_l("Theme"), validators=[InputRequired()],
                        choices=[SelectChoice(key, label) for key, label in THEME_LABELS.items()])
    level = SelectField(_l("Level"), validators=[InputRequired()],
                        choices=[SelectChoice(level.value, label) for level, label in LEVEL_LABELS.items()])
    planned_from = DateField(_l("Planned from"), validators=[InputRequired()])
    planned_to = DateField(_l("Planned to"), validators=[InputRequired()])
    participants = IntegerField(_l("Planned participants"), default=0,
                                validators=[InputRequired(), NumberRange(0, PARTICIPANTS_MAX)])
    districts = CheckboxesField(_l("Districts"), choices=[],
                                description=_l("For a district-level activity"))
    block_codes = StringField(_l("Blocks"), validators=[Optional(), Length(max=2000)],
                              description=_l("For a block-level activity: LGD codes of janpad panchayats, separated "
                                             "by commas"))

    def set_places(self, districts) -> None:
        """Offer the state's districts (id, name)."""
        self.districts.choices = [SelectChoice(str(i), name) for i, name in districts]

    def validate_block_codes(self, field):
        if any(not part.isascii() or not part.isdigit() or len(part) > 9 for part in _parts(field.data)):
            raise ValidationError(gettext("Give LGD codes of blocks (numbers), separated by commas."))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if valid and self.planned_to.data < self.planned_from.data:
            self.planned_to.errors.append(gettext("The activity cannot end before it starts."))
            valid = False
        return valid

    def values(self) -> ActivityValues:
        """Return what was typed."""
        return ActivityValues(title=self.title.data or "", theme=self.theme.data, level=ActivityLevel(self.level.data),
                              planned_from=self.planned_from.data, planned_to=self.planned_to.data,
                              participants=self.participants.data,
                              district_ids=tuple(int(value) for value in self.districts.data or ()),
                              block_codes=tuple(int(part) for part in _parts(self.block_codes.data)))


class ReturnForm(Form):
    """The department's comments on a plan it returns."""

    comment = TextAreaField(_l("Comments for the partner"), validators=[InputRequired(), Length(max=5000)])


class ApproveForm(Form):
    """The department's approval, with a comment if it likes."""

    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=5000)])


class PlanCodeForm(Form):
    """A plan's reference number and secret code, as its partner types them."""

    reference = StringField(_l("Reference number"), validators=[InputRequired(), Length(max=30)],
                            description=_l("for example PLAN-2026-00012"))
    code = StringField(_l("Secret code"), validators=[InputRequired(), Length(max=20)],
                       render_kw={"inputmode": "numeric", "autocomplete": "off"})


def update_form(activities: list[PlanActivity], formdata=None, data=None) -> Form:
    """Return a form with the progress, participants reached and a note for each of these activities."""

    class UpdateForm(Form):
        def progress(self) -> tuple[ProgressValues, ...]:
            """Return what was given for each activity."""
            return tuple(ProgressValues(activity.id, Progress(self[f"status_{activity.id}"].data),
                                        self[f"reached_{activity.id}"].data or 0,
                                        self[f"note_{activity.id}"].data or "") for activity in activities)

    for activity in activities:
        setattr(UpdateForm, f"status_{activity.id}", SelectField(
            _l("Progress"), validators=[InputRequired()],
            choices=[SelectChoice(status.value, label) for status, label in PROGRESS_LABELS.items()]))
        setattr(UpdateForm, f"reached_{activity.id}", IntegerField(
            _l("Participants reached in the quarter"), default=0,
            validators=[InputRequired(), NumberRange(0, PARTICIPANTS_MAX)]))
        setattr(UpdateForm, f"note_{activity.id}", TextAreaField(
            _l("Note"), validators=[Optional(), Length(max=NOTE_LENGTH_MAX)]))
    return UpdateForm(formdata=formdata, data=data) if formdata is not None or data is not None else UpdateForm()


class MasterTrainerForm(Form):
    """A master trainer: who, how to reach them, where from, what they were trained in and may teach."""

    name = StringField(_l("Name"), validators=[InputRequired(), Length(max=PERSON_LENGTH_MAX)])
    mobile = StringField(_l("Mobile number"), validators=[Optional(), Length(max=30)],
                         description=_l("10 digits; +91 or 0 in front is fine"), render_kw={"inputmode": "tel"})
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=EMAIL_LENGTH_MAX)],
                        render_kw={"inputmode": "email"})
    organisation = SelectField(_l("Organisation"), validators=[Optional()], choices=[])
    district = SelectField(_l("District"), validators=[Optional()], choices=[])
    programmes = CheckboxesField(_l("Trained in the programmes"), choices=[])
    modules = CheckboxesField(_l("Modules they may teach"), choices=[])
    expert_modules = CheckboxesField(_l("Named as expert of the modules"), choices=[],
                                     description=_l("Among those they may teach: the calendar then keeps them out "
                                                    "of two sessions at once"))

    def set_choices(self, organisations, districts, programmes, modules) -> None:
        """Offer the organisations, districts, programmes and modules (id, name) to choose from."""
        self.organisation.choices = [SelectChoice("", "—")] + [SelectChoice(str(i), n) for i, n in organisations]
        self.district.choices = [SelectChoice("", "—")] + [SelectChoice(str(i), n) for i, n in districts]
        self.programmes.choices = [SelectChoice(str(i), n) for i, n in programmes]
        self.modules.choices = [SelectChoice(str(i), n) for i, n in modules]
        self.expert_modules.choices = [SelectChoice(str(i), n) for i, n in modules]

    def validate_mobile(self, field):
        if field.data and normalise_mobile(field.data) is None:
            raise ValidationError(gettext("The mobile number should have 10 digits."))

    def validate_email(self, field):
        if field.data and not valid_email(field.data.strip()):
            raise ValidationError(gettext("This is not a valid e-mail address."))

    def validate_expert_modules(self, field):
        if not set(field.data or ()) <= set(self.modules.data or ()):
            raise ValidationError(gettext("A master trainer is named an expert only of modules they may teach."))

    def values(self) -> MasterTrainerValues:
        """Return what was given."""
        return MasterTrainerValues(
            name=self.name.data or "", mobile=self.mobile.data or None, email=self.email.data or None,
            organisation_id=int(self.organisation.data) if self.organisation.data else None,
            district_id=int(self.district.data) if self.district.data else None,
            programme_ids=tuple(int(v) for v in self.programmes.data or ()),
            module_ids=tuple(int(v) for v in self.modules.data or ()),
            expert_module_ids=tuple(int(v) for v in self.expert_modules.data or ()))

    @staticmethod
    def data_of(trainer) -> dict:
        """Return a master trainer's values as the form's data."""
        return dict(name=trainer.name, mobile=trainer.mobile or "", email=trainer.email or "",
                    organisation=str(trainer.organisation_id or ""), district=str(trainer.district_id or ""),
                    programmes=[str(p.id) for p in trainer.programmes], modules=[str(m.id) for m in trainer.modules],
                    expert_modules=[str(m.id) for m in trainer.expert_of])
