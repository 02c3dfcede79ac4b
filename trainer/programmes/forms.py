"""Forms of the planning pages."""
import re
from datetime import datetime

from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    DateField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    TimeField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import URL, DataRequired, InputRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from trainer.core.forms import Form
from trainer.programmes.models import CalendarOrder, ParticipantRole, Privacy

_SLOT = re.compile(r"^([01]?\d|2[0-3])[:.]([0-5]\d)$")
_DAY_FORMATS = ("%Y-%m-%d", "%d-%m-%Y", "%d/%m/%Y", "%d.%m.%Y")


class CheckboxesField(SelectMultipleField):
    """A group of checkboxes (easier on a phone than a multiple select)."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def parse_slots(text: str) -> list[str]:
    """Read daily start times such as "11:00, 15:00" into sorted "HH:MM" strings, or raise ValueError."""
    slots = set()
    for item in re.split(r"[,\s]+", text.strip()):
        if not item:
            continue
        match = _SLOT.match(item)
        if not match:
            raise ValueError(gettext("“%(value)s” is not a time like 11:00.", value=item))
        slots.add(f"{int(match[1]):02d}:{match[2]}")
    return sorted(slots)


def parse_holidays(text: str) -> list[str]:
    """Read holidays, one date per line (2026-08-15 or 15/08/2026), into ISO strings, or raise ValueError
    naming every bad line."""
    days, problems = set(), []
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.split("#", 1)[0].strip()  # "2026-08-15 # Independence Day" keeps its note out
        if not line:
            continue
        for pattern in _DAY_FORMATS:
            try:
                days.add(datetime.strptime(line, pattern).date().isoformat())
                break
            except ValueError:
                continue
        else:
            problems.append(gettext("line %(number)s: “%(value)s” is not a date like 15/08/2026.",
                                    number=number, value=line))
    if problems:
        raise ValueError(" ".join(problems))
    return sorted(days)


class ProgrammeForm(Form):
    """A programme's description, audience and the frame of its calendar."""

    title_hi = StringField(_l("Title in Hindi"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=200)])
    description_hi = TextAreaField(_l("Description in Hindi"), validators=[Optional(), Length(max=5000)])
    description_en = TextAreaField(_l("Description in English"), validators=[Optional(), Length(max=5000)])
    partners = TextAreaField(_l("Partner organisations"), validators=[Optional(), Length(max=2000)],
                             description=_l("One per line."))
    audience = CheckboxesField(_l("Who should attend"), choices=[SelectChoice(r.value, r.label) for r in ParticipantRole])
    divisions = CheckboxesField(_l("Divisions to be trained"), coerce=int,
                                validators=[DataRequired(_l("Choose at least one division."))])
    completion_sessions = IntegerField(
        _l("Sessions a gram panchayat must attend to count as trained"), default=1,
        validators=[InputRequired(), NumberRange(min=1, max=100)])
    youtube_privacy = SelectField(_l("Who may watch the YouTube broadcasts"), default=Privacy.UNLISTED.value,
                                  choices=[SelectChoice(p.value, p.label) for p in Privacy])
    first_day = DateField(_l("First day"), validators=[InputRequired()])
    last_day = DateField(_l("Last day"), validators=[InputRequired()])
    slots = StringField(_l("Daily start times"), default="11:00, 15:00", validators=[DataRequired()],
                        description=_l("For example: 11:00, 15:00"))
    holidays = TextAreaField(_l("Holidays"), validators=[Optional()],
                             description=_l("One date per line, for example 15/08/2026. Sundays are "
                                            "always skipped."))
    calendar_order = RadioField(_l("Order of the calendar"), default=CalendarOrder.DIVISION_WISE.value,
                                choices=[SelectChoice(o.value, o.label) for o in CalendarOrder])
    parallel = IntegerField(_l("Sessions that may run at the same time"), default=1,
                            validators=[InputRequired(), NumberRange(min=1, max=20)],
                            description=_l("For different divisions, each with its own experts."))

    def validate_last_day(self, field) -> None:
        if self.first_day.data and field.data and field.data < self.first_day.data:
            raise ValidationError(gettext("The last day must not be before the first day."))
        if self.first_day.data and field.data and (field.data - self.first_day.data).days > 366:
            raise ValidationError(gettext("A calendar may span at most a year."))

    def validate_slots(self, field) -> None:
        try:
            slots = parse_slots(field.data or "")
        except ValueError as error:
            raise ValidationError(str(error)) from error
        if not slots:
            raise ValidationError(gettext("Give at least one daily start time."))

    def validate_holidays(self, field) -> None:
        # Not reached for an empty field (Optional stops the chain): an empty list is valid.
        try:
            parse_holidays(field.data or "")
        except ValueError as error:
            raise ValidationError(str(error)) from error

    def values(self) -> dict:
        """Return the form as keyword arguments for services.save_programme (divisions as ids)."""
        return dict(
            title_hi=self.title_hi.data.strip(), title_en=(self.title_en.data or "").strip(),
            description_hi=self.description_hi.data or "", description_en=self.description_en.data or "",
            partners=self.partners.data or "", audience=list(self.audience.data or []),
            completion_sessions=self.completion_sessions.data, youtube_privacy=Privacy(self.youtube_privacy.data),
            first_day=self.first_day.data, last_day=self.last_day.data, slots=parse_slots(self.slots.data),
            holidays=parse_holidays(self.holidays.data or ""), calendar_order=CalendarOrder(self.calendar_order.data),
            parallel=self.parallel.data)

    def fill(self, programme) -> None:
        """Show a programme's values in the form's text fields that do not map one to one."""
        self.slots.data = ", ".join(programme.slots)
        self.holidays.data = "\n".join(day.strftime("%d/%m/%Y") for day in programme.holiday_dates)
        self.divisions.data = [division.id for division in programme.divisions]
        self.youtube_privacy.data = programme.youtube_privacy.value
        self.calendar_order.data = programme.calendar_order.value


class ModuleForm(Form):
    """One technical session of a programme."""

    title_hi = StringField(_l("Title in Hindi"), validators=[DataRequired(), Length(max=200)])
    title_en = StringField(_l("Title in English"), validators=[Optional(), Length(max=200)])
    duration_minutes = IntegerField(_l("Duration in minutes"), default=90,
                                    validators=[InputRequired(), NumberRange(min=15, max=480)])
    experts = TextAreaField(_l("Experts and trainers"), validators=[Optional(), Length(max=2000)],
                            description=_l("One name per line. Nobody is booked in two sessions at once."))


_LINK = [Optional(), URL(require_tld=True, message=_l("Give a full web address starting with https://.")),
         Length(max=300)]


class SessionForm(Form):
    """When and for whom one session runs, and where it can be watched."""

    day = DateField(_l("Date"), validators=[InputRequired()])
    start = TimeField(_l("Starts at"), validators=[InputRequired()])
    end = TimeField(_l("Ends at"), validators=[InputRequired()])
    divisions = CheckboxesField(_l("Divisions"), coerce=int,
                                validators=[DataRequired(_l("Choose at least one division."))])
    modules = CheckboxesField(_l("Modules"), coerce=int, validators=[DataRequired(_l("Choose at least one module."))])
    youtube_url = StringField(_l("YouTube link"), validators=_LINK,
                              description=_l("Filled in by itself when the channel is connected."))
    webcast_url = StringField(_l("NIC webcast link"), validators=_LINK)
    meeting_url = StringField(_l("Video-conference link"), validators=_LINK)
    meeting_details = TextAreaField(_l("Video-conference room details"), validators=[Optional(), Length(max=1000)],
                                    description=_l("Meeting ID, passcode, room name."))
    venue = TextAreaField(_l("In-person venue"), validators=[Optional(), Length(max=1000)])

    def validate_end(self, field) -> None:
        if self.start.data and field.data and field.data <= self.start.data:
            raise ValidationError(gettext("The session must end after it starts."))

    def local_times(self) -> tuple[datetime, datetime]:
        """Return start and end as naive local datetimes on the chosen day."""
        return datetime.combine(self.day.data, self.start.data), datetime.combine(self.day.data, self.end.data)


class MoveDivisionForm(Form):
    """Shift all of one division's sessions by some working days."""

    division = SelectField(_l("Division"), coerce=int, validators=[InputRequired()])
    days = IntegerField(_l("Working days (negative for earlier)"), default=1,
                        validators=[InputRequired(), NumberRange(min=-60, max=60)])

    def validate_days(self, field) -> None:
        if field.data == 0:
            raise ValidationError(gettext("Give a number of days other than zero."))

