"""Forms of screening: a change of an application's state, a decision (one, or many ticked on the list), and the
applicant's answer and withdrawal on the status page."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import BooleanField, HiddenField, RadioField, SelectMultipleField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional

from trainer.core.forms import Form
from trainer.partners.models import ApplicationState, DecisionOutcome
from trainer.partners.screening import NOTE_LENGTH_MAX
from trainer.partners.states import STAFF_MOVES

OUTCOME_CHOICES = [SelectChoice(outcome.value, outcome.label) for outcome in DecisionOutcome]


class MoveForm(Form):
    """One of the changes staff make on an application's page."""

    to = HiddenField(validators=[InputRequired()])
    note = TextAreaField(_l("Note"), validators=[Optional(), Length(max=NOTE_LENGTH_MAX)])
    duplicate_of = StringField(_l("Duplicate of (reference number)"), validators=[Optional(), Length(max=30)],
                               description=_l("for example EOI-1-000123"))

    def target(self) -> ApplicationState | None:
        """Return the state asked for, if it is one staff may move to."""
        return next((state for state in STAFF_MOVES if state.value == self.to.data), None)


class DecisionForm(Form):
    """The decision prepared for one application."""

    outcome = RadioField(_l("Decision"), choices=OUTCOME_CHOICES, validators=[InputRequired()])
    note = TextAreaField(_l("Note to the applicant (optional)"),
                         validators=[Optional(), Length(max=NOTE_LENGTH_MAX)],
                         description=_l("Sent with the decision when it is published."))


class BulkDecisionForm(DecisionForm):
    """The same decision for the applications ticked on the list."""

    applications = SelectMultipleField(_l("Applications"), coerce=int, validate_choice=False,
                                       validators=[InputRequired(message=_l("Tick at least one application."))])


class AnswerForm(Form):
    """The applicant's answer to a request for more information."""

    answer = TextAreaField(_l("Your answer"), validators=[Optional(), Length(max=NOTE_LENGTH_MAX)])
    document = FileField(_l("A PDF file (optional)"))


class WithdrawForm(Form):
    """The applicant's withdrawal, confirmed."""

    confirm = BooleanField(_l("Yes, withdraw our application. This cannot be undone."),
                           validators=[InputRequired(message=_l("Tick the box to confirm the withdrawal."))])
