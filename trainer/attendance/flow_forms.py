"""The secretary's attendance form: the head-count, and the GP and its access code the first time.

The page draws its inputs itself (trainer's busiest page, see templates/attendance/flow_form.html); this form
parses and checks what comes back, with WTForms' own messages in the catalogue.
"""
import re
from datetime import UTC, datetime

from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, IntegerField, RadioField, StringField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional, Regexp

from trainer.attendance.models import WatchMode
from trainer.attendance.rules import PARTICIPANTS, ROLE_COUNT
from trainer.core.bounds import INT_MAX
from trainer.core.forms import Form
from trainer.core.i18n import current_language
from trainer.programmes.models import ParticipantRole

LABELS = {
    "gp_query": _l("Your gram panchayat's LGD code or name"),
    "gp_choice": _l("Choose your gram panchayat"),
    "access_code": _l("Access code of the gram panchayat"),
    "participants": _l("Total participants"),
    ParticipantRole.SARPANCH.value: _l("Sarpanch"),
    ParticipantRole.SECRETARY.value: _l("Panchayat secretary"),
    ParticipantRole.WARD_MEMBER.value: _l("Ward members"),
    ParticipantRole.SHG_MEMBER.value: _l("Self-help group members"),
    ParticipantRole.OTHER.value: _l("Others"),
    "mode": _l("How did you watch?"),
    "mark_key": _l("The mark's one-time key"),
    "made_at": _l("When the mark was made on the phone"),
}
ROLE_FIELDS = tuple(role.value for role in ParticipantRole)
COUNT_FIELDS = ("participants", *ROLE_FIELDS)
MODES = tuple((mode.value, mode.label) for mode in WatchMode)
_COUNT = [Optional(), NumberRange(min=ROLE_COUNT.minimum, max=ROLE_COUNT.maximum)]
# What the page's script adds to a form sent from a phone that may lose its network (static/js/attend.js).
MARK_KEY = r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"  # crypto.randomUUID(), lower case
MADE_AT = r"^[0-9]{12,14}$"  # milliseconds since 1970 (Date.now())
_SHOWN: dict[str, tuple[dict[str, str], tuple[tuple[str, str], ...]]] = {}


def labels_and_modes() -> tuple[dict[str, str], tuple[tuple[str, str], ...]]:
    """Return the form's labels and the ways of watching in the page's language, translated once per language."""
    language = current_language()
    shown = _SHOWN.get(language)
    if shown is None:
        shown = _SHOWN[language] = ({name: str(label) for name, label in LABELS.items()},
                                    tuple((value, str(label)) for value, label in MODES))
    return shown


class MarkForm(Form):
    """One screen: who is marking (first time only) and how many came."""

    class Meta:
        # The flow's own guard (trainer.attendance.device.check_form_guard) stands in for Flask-WTF's token,
        # which would need a Flask session for every phone.
        csrf = False

    pass_token = HiddenField()
    gp_query = StringField(LABELS["gp_query"])
    gp_choice = RadioField(LABELS["gp_choice"], coerce=int, validate_choice=False,
                           validators=[Optional(), NumberRange(min=1, max=INT_MAX)])
    access_code = StringField(LABELS["access_code"])
    participants = IntegerField(LABELS["participants"], validators=[
        InputRequired(), NumberRange(min=PARTICIPANTS.minimum, max=PARTICIPANTS.maximum)])
    sarpanch = IntegerField(LABELS["sarpanch"], validators=_COUNT)
    secretary = IntegerField(LABELS["secretary"], validators=_COUNT)
    ward_member = IntegerField(LABELS["ward_member"], validators=_COUNT)
    shg_member = IntegerField(LABELS["shg_member"], validators=_COUNT)
    other = IntegerField(LABELS["other"], validators=_COUNT)
    mark_key = HiddenField(LABELS["mark_key"], validators=[
        Optional(), Regexp(MARK_KEY, message=_l("The phone sent a damaged key. Open the form again and send it."))])
    made_at = HiddenField(LABELS["made_at"], validators=[
        Optional(), Regexp(MADE_AT, message=_l("The phone sent a damaged time. Open the form again and send it."))])
    mode = RadioField(LABELS["mode"], validators=[Optional(strip_whitespace=False)],  # " " is no choice
                      choices=[SelectChoice(value, label) for value, label in MODES])

    def role_counts(self) -> dict[ParticipantRole, int | None]:
        return {role: self[role.value].data for role in ParticipantRole}

    def made_moment(self) -> datetime | None:
        """Return the moment the phone says it made the mark, if it says one (see `made_moment`)."""
        return made_moment(self.made_at.data)

    def typed(self) -> dict[str, str]:
        """Return what was sent, to show again in the inputs of the page."""
        return {name: self[name]._value() for name in ("gp_query", *COUNT_FIELDS)} | {"mode": self.mode.data or ""}

    def problems(self) -> list[tuple[str, str]]:
        """Return (label, message) for every error, in the order of the fields."""
        return [(str(self[name].label.text), message) for name, errors in self.errors.items() for message in errors]


def made_moment(text: str | None) -> datetime | None:
    """Read the phone's moment of making a mark, milliseconds since 1970 (None: none given, or not such a number)."""
    if not text or re.fullmatch(MADE_AT, text) is None:
        return None
    return datetime.fromtimestamp(int(text) / 1000, UTC)
