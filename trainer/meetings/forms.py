"""Forms of the meetings' pages: a series, a meeting, its invitees and agenda, attendance, minutes, directives and
the chair's decisions on the directives carried to the meeting."""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional, ValidationError

from trainer.core.forms import Form
from trainer.meetings.models import CODE_LENGTH_MAX, REASON_LENGTH_MAX, TITLE_LENGTH_MAX, VALUE_MAX, Priority
from trainer.offices.forms import AREA_LEVELS
from trainer.offices.models import DESIGNATION_LENGTH_MAX, EMAIL_LENGTH_MAX, NAME_LENGTH_MAX, PHONE_LENGTH_MAX
from trainer.programmes.forms import _LINK as LINK_VALIDATORS

ID = [Optional(), NumberRange(1, 2**31 - 1)]
TEXT_MAX = 20000


class SeriesForm(Form):
    """A series: its titles, code, chair's office, area, member offices, and what it reviews."""

    title_hi = StringField(_l("Title in Hindi"), validators=[Optional(), Length(max=TITLE_LENGTH_MAX)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=TITLE_LENGTH_MAX)])
    code = StringField(_l("Code"), validators=[InputRequired(), Length(max=CODE_LENGTH_MAX)],
                       description=_l("Starts the directives' reference numbers, such as GDA."))
    chair_office_id = SelectField(_l("Chair's office"), coerce=int, validators=[InputRequired()])
    area_level = SelectField(_l("Area of the series"), choices=[SelectChoice(k, v) for k, v in AREA_LEVELS.items()],
                             default="state")
    area_code = IntegerField(_l("LGD code of the area"), validators=[Optional(), NumberRange(1, 2**31 - 1)],
                             description=_l("Not needed for the whole state."), render_kw={"inputmode": "numeric"})
    member_office_ids = SelectMultipleField(_l("Member offices"), coerce=int, validators=[Optional()])
    programme_id = IntegerField(_l("Programme it reviews (number)"), validators=ID)
    campaign_id = IntegerField(_l("Campaign it reviews (number)"), validators=ID)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not (self.title_hi.data or "").strip() and not (self.title_en.data or "").strip():
            self.title_hi.errors.append(gettext("Give the title in Hindi or in English."))
            valid = False
        if self.area_level.data != "state" and self.area_code.data is None and not self.area_code.errors:
            self.area_code.errors.append(gettext("Give the LGD code of the area."))
            valid = False
        return valid


class MeetingForm(Form):
    """When and where a meeting is held (a hall and/or a session's online links), its chair and secretary."""

    day = DateField(_l("Date"), validators=[InputRequired()])
    start = TimeField(_l("Starts at"), validators=[InputRequired()])
    end = TimeField(_l("Ends at"), validators=[InputRequired()])
    venue = TextAreaField(_l("Venue"), validators=[Optional(), Length(max=1000)])
    youtube_url = StringField(_l("YouTube link"), validators=LINK_VALIDATORS)
    webcast_url = StringField(_l("NIC webcast link"), validators=LINK_VALIDATORS)
    meeting_url = StringField(_l("Video-conference link"), validators=LINK_VALIDATORS)
    meeting_details = TextAreaField(_l("Video-conference room details"), validators=[Optional(), Length(max=1000)],
                                    description=_l("Meeting ID, passcode, room name."))
    public = BooleanField(_l("Public meeting (its links may be shared)"))
    chair_name = StringField(_l("Chair's name"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    chair_designation = StringField(_l("Chair's designation"),
                                    validators=[Optional(), Length(max=DESIGNATION_LENGTH_MAX)])
    secretary = StringField(_l("Secretary of the meeting (username)"), validators=[Optional(), Length(max=64)],
                            description=_l("Keeps the minutes and ticks attendance."))

    def validate_end(self, field) -> None:
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(gettext("The meeting cannot end before it starts."))


INVITEE_KINDS = {"office": _l("An office"), "user": _l("An officer with an account"), "person": _l("A named person")}


class InviteeForm(Form):
    """Someone invited: an office, an officer by username, or a named person."""

    kind = SelectField(_l("Invite"), choices=[SelectChoice(k, v) for k, v in INVITEE_KINDS.items()], default="office")
    office_id = SelectField(_l("Office"), coerce=int, validators=[Optional()])
    username = StringField(_l("Username"), validators=[Optional(), Length(max=64)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    designation = StringField(_l("Designation"), validators=[Optional(), Length(max=DESIGNATION_LENGTH_MAX)])
    office_text = StringField(_l("Office or department"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    phone = StringField(_l("Phone"), validators=[Optional(), Length(max=PHONE_LENGTH_MAX)],
                        render_kw={"inputmode": "tel"})
    email = StringField(_l("E-mail"), validators=[Optional(), Length(max=EMAIL_LENGTH_MAX)],
                        render_kw={"inputmode": "email"})


class AgendaItemForm(Form):
    """An agenda item: its title and the office that presents it."""

    title_hi = StringField(_l("Title in Hindi"), validators=[Optional(), Length(max=TITLE_LENGTH_MAX)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=TITLE_LENGTH_MAX)])
    presenting_office_id = SelectField(_l("Presenting office"), coerce=int, validators=[Optional()])


class MoveForm(Form):
    """The position an agenda item moves to (1 is the first)."""

    position = IntegerField(_l("Position"), validators=[InputRequired(), NumberRange(1, 1000)])


FOLLOW_UP_ACTIONS = {"verify": _l("Close (verified)"), "extend": _l("Extend"), "reopen": _l("Reopen"),
                     "drop": _l("Drop (the note is the reason)")}


class FollowUpForm(Form):
    """The chair's decision in the meeting on a carried directive."""

    directive_id = IntegerField(validators=[InputRequired(), NumberRange(1, 2**31 - 1)])
    action = SelectField(_l("Decision"), choices=[SelectChoice(k, v) for k, v in FOLLOW_UP_ACTIONS.items()])
    due_on = DateField(_l("New due date"), validators=[Optional()])
    note = StringField(_l("Note"), validators=[Optional(), Length(max=REASON_LENGTH_MAX)])


class AttendForm(Form):
    """Someone without an account marking their presence from the meeting's QR."""

    name = StringField(_l("Your name"), validators=[InputRequired(), Length(max=NAME_LENGTH_MAX)])
    designation = StringField(_l("Designation"), validators=[InputRequired(), Length(max=DESIGNATION_LENGTH_MAX)])
    office_text = StringField(_l("Office or department"), validators=[InputRequired(), Length(max=NAME_LENGTH_MAX)])


class TickForm(Form):
    """A presence ticked by the secretary: an officer by username, or a named person."""

    username = StringField(_l("Username"), validators=[Optional(), Length(max=64)])
    name = StringField(_l("Name"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])
    designation = StringField(_l("Designation"), validators=[Optional(), Length(max=DESIGNATION_LENGTH_MAX)])
    office_text = StringField(_l("Office or department"), validators=[Optional(), Length(max=NAME_LENGTH_MAX)])


class MinutesForm(Form):
    """The minutes of one agenda item; `reason` only for a correction of final minutes."""

    discussion_hi = TextAreaField(_l("Discussion (Hindi)"), validators=[Optional(), Length(max=TEXT_MAX)])
    decisions_hi = TextAreaField(_l("Decisions (Hindi)"), validators=[Optional(), Length(max=TEXT_MAX)])
    discussion_en = TextAreaField(_l("Discussion (English, optional)"), validators=[Optional(), Length(max=TEXT_MAX)])
    decisions_en = TextAreaField(_l("Decisions (English, optional)"), validators=[Optional(), Length(max=TEXT_MAX)])
    reason = StringField(_l("Reason for the correction"), validators=[Optional(), Length(max=REASON_LENGTH_MAX)])


PRIORITY_CHOICES = [SelectChoice(p.value, p.label) for p in Priority]


class DirectiveForm(Form):
    """A directive given under an agenda item: its words, owner office, due date or days, priority, target."""

    agenda_item_id = SelectField(_l("Agenda item"), coerce=int, validators=[Optional()])
    text_hi = TextAreaField(_l("Directive (Hindi)"), validators=[Optional(), Length(max=TEXT_MAX)])
    text_en = TextAreaField(_l("Directive (English, optional)"), validators=[Optional(), Length(max=TEXT_MAX)])
    owner_office_id = SelectField(_l("Owner office"), coerce=int, validators=[Optional()])
    due_on = DateField(_l("Due date"), validators=[Optional()])
    within_days = IntegerField(_l("Or within how many days"), validators=[Optional(), NumberRange(1, 3660)],
                               render_kw={"inputmode": "numeric"})
    priority = SelectField(_l("Priority"), choices=PRIORITY_CHOICES, default=Priority.NORMAL.value)
    indicator_id = SelectField(_l("Campaign indicator (optional)"), coerce=int, validators=[Optional()])
    target_value = IntegerField(_l("Target (number)"), validators=[Optional(), NumberRange(0, VALUE_MAX)],
                                render_kw={"inputmode": "numeric"})
    target_percent = IntegerField(_l("Target (per cent)"), validators=[Optional(), NumberRange(0, 100)],
                                  render_kw={"inputmode": "numeric"})
