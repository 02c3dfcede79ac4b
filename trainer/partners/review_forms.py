"""Forms of the screening pages: reviewers, conflicts of interest, giving out applications, a review."""
from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, SelectField, StringField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from trainer.core.forms import Form
from trainer.partners.models import (
    COMMENT_LENGTH_MAX,
    REASON_LENGTH_MAX,
    RECOMMENDATION_LABELS,
    Call,
    Recommendation,
)
from trainer.partners.reviews import DEFAULT_REVIEWERS, REVIEWERS_MAX


def _int_or_none(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


class ReviewerForm(Form):
    """A member of staff to name a reviewer."""

    user = SelectField(_l("Reviewer"), coerce=_int_or_none, validate_choice=False, validators=[InputRequired()])


class PersonForm(Form):
    """A button about one reviewer (who, in a hidden field)."""

    user = HiddenField(validators=[InputRequired()])

    def user_id(self) -> int:
        """Return the reviewer's id (0 when it is not a number)."""
        return _int_or_none(self.user.data) or 0


class ConflictForm(Form):
    """A conflict of interest: whose (for a call manager), with what, and why."""

    user = SelectField(_l("Reviewer"), coerce=_int_or_none, validate_choice=False, validators=[Optional()])
    party = SelectField(_l("Conflict with"), validate_choice=False, validators=[InputRequired()],
                        description=_l("An organisation (all its applications) or one application."))
    reason = StringField(_l("Reason"), validators=[InputRequired(), Length(max=REASON_LENGTH_MAX)])

    def party_ids(self) -> tuple[int | None, int | None]:
        """Return (organisation id, application id) from the choice: "o<id>" or "a<id>"."""
        chosen = self.party.data or ""
        number = _int_or_none(chosen[1:]) or 0
        if chosen[:1] == "o":
            return number, None
        if chosen[:1] == "a":
            return None, number
        return 0, 0


class AssignForm(Form):
    """How many reviewers each application gets."""

    reviewers_each = IntegerField(_l("Reviewers for each application"), default=DEFAULT_REVIEWERS,
                                  validators=[InputRequired(), NumberRange(1, REVIEWERS_MAX)])


class AssignOneForm(Form):
    """One application for one reviewer."""

    application = SelectField(_l("Application"), coerce=_int_or_none, validate_choice=False,
                              validators=[InputRequired()])
    user = SelectField(_l("Reviewer"), coerce=_int_or_none, validate_choice=False, validators=[InputRequired()])


class UnassignForm(Form):
    """A button that takes an application back from a reviewer."""

    application = HiddenField(validators=[InputRequired()])
    user = HiddenField(validators=[InputRequired()])

    def ids(self) -> tuple[int, int]:
        """Return (application id, reviewer id), 0 for what is not a number."""
        return _int_or_none(self.application.data) or 0, _int_or_none(self.user.data) or 0


class _ReviewForm(Form):
    recommendation = RadioField(_l("Recommendation"), validators=[InputRequired()],
                                choices=[SelectChoice(key.value, label) for key, label in RECOMMENDATION_LABELS.items()])
    comment = TextAreaField(_l("Comment"), validators=[Optional(), Length(max=COMMENT_LENGTH_MAX)])

    criteria: list = []

    def score_fields(self) -> list:
        """Return the score fields, one per criterion, in the call's order."""
        return [self[f"c{criterion.id}"] for criterion in self.criteria]

    def scores(self) -> dict[int, int | None]:
        """Return the scores typed, by criterion id."""
        return {criterion.id: self[f"c{criterion.id}"].data for criterion in self.criteria}

    def recommendation_value(self) -> Recommendation | None:
        """Return the recommendation chosen."""
        return Recommendation(self.recommendation.data) if self.recommendation.data in set(Recommendation) else None


def review_form(call: Call, **kwargs) -> _ReviewForm:
    """Return the review form of a call: a whole-number score from 0 to its maximum for every criterion."""
    fields = {f"c{criterion.id}": IntegerField(
        criterion.text("text"), validators=[InputRequired(), NumberRange(0, criterion.max_score)],
        description=_l("0 to %(max)s", max=criterion.max_score) if not criterion.required
        else _l("0 to %(max)s; 0 means the requirement is not met", max=criterion.max_score),
        render_kw={"inputmode": "numeric", "min": 0, "max": criterion.max_score})
        for criterion in call.criteria}
    form_class = type("ReviewForm", (_ReviewForm,), {**fields, "criteria": list(call.criteria)})
    return form_class(**kwargs)
