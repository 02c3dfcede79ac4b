"""Forms of the feedback builder and of the response page."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, HiddenField, SelectField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, Regexp

from trainer.core.forms import Form
from trainer.programmes.models import ParticipantRole

# One person's role, in the singular (the attendance form's labels count groups of people).
PERSON_ROLE_LABELS = {
    ParticipantRole.SARPANCH: _l("Sarpanch"),
    ParticipantRole.SECRETARY: _l("Panchayat secretary"),
    ParticipantRole.WARD_MEMBER: _l("Ward member"),
    ParticipantRole.SHG_MEMBER: _l("Self-help group member"),
    ParticipantRole.OTHER: _l("Other"),
}


# The builder (its question editor's forms are in trainer.questionnaires.forms)


class CopyForm(Form):
    """Choose the programme whose form is copied."""

    source = SelectField(_l("Programme to copy from"), coerce=int, validators=[InputRequired()])


# The response page


class ResponseForm(Form):
    """Who answers (all optional) and the nonce of the opened form. The answers themselves are read by
    `trainer.questionnaires.forms.answers_from`, since the questions differ from programme to programme, and
    checked by the services."""

    nonce = HiddenField(validators=[InputRequired(), Length(min=16, max=43), Regexp(r"^[A-Za-z0-9_-]+$")])
    role = SelectField(_l("You are (optional)"), validators=[Optional(strip_whitespace=False)],  # " " is no choice
                       choices=[SelectChoice("", "—")]
                       + [SelectChoice(role.value, label) for role, label in PERSON_ROLE_LABELS.items()])
    name = StringField(_l("Your name (optional)"), validators=[Optional(), Length(max=120)])
    anonymous = BooleanField(_l("Answer anonymously (your name is not saved)"))

    def chosen_role(self) -> ParticipantRole | None:
        return ParticipantRole(self.role.data) if self.role.data else None
