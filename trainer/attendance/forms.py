"""Forms of the officers' attendance pages: the block checklist and the CSV upload."""
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired
from wtforms import BooleanField, HiddenField, IntegerField, SelectField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, NumberRange, Optional

from trainer.attendance.models import WatchMode
from trainer.attendance.rules import PARTICIPANTS
from trainer.core.forms import Form
from trainer.core.i18n import localized_name
from trainer.regions.models import GramPanchayat


class AttendanceUploadForm(Form):
    """An officer's CSV file of gram panchayats and their head-counts."""

    file = FileField(_l("CSV file"), validators=[
        FileRequired(_l("Choose a CSV file.")),
        FileAllowed(["csv", "txt"], _l("The file must be a .csv file.")),
    ])


class ChecklistForm(Form):
    """Every gram panchayat of a block, ticked with its number of participants; one mode for all.

    Build it with `checklist_form`, which adds a checkbox and a number for each gram panchayat.
    """

    mode = SelectField(_l("How they watched"), default=WatchMode.BLOCK_OFFICE.value, validators=[InputRequired()],
                       choices=[SelectChoice(mode.value, mode.label) for mode in WatchMode])
    # "Mark all": the block's gram panchayats that watched together, each with the same number.
    all_participants = IntegerField(_l("Participants from each gram panchayat"), validators=[
        Optional(), NumberRange(min=PARTICIPANTS.minimum, max=PARTICIPANTS.maximum,
                                message=_l("Give a number between %(min)s and %(max)s."))])
    all_unmarked_only = BooleanField(_l("Only the gram panchayats not marked yet"), default=True)
    # Which button was pressed: "rows" (the ticked rows) or "all"; kept through the confirmation.
    action = HiddenField(default="rows")

    gram_panchayats: list[GramPanchayat] = []

    @property
    def marks_all(self) -> bool:
        return self.action.data == "all"

    def mark_field(self, gram_panchayat: GramPanchayat) -> BooleanField:
        return self[f"mark_{gram_panchayat.lgd_code}"]

    def count_field(self, gram_panchayat: GramPanchayat) -> IntegerField:
        return self[f"participants_{gram_panchayat.lgd_code}"]

    def validate(self, extra_validators=None) -> bool:
        """Check each row: a ticked gram panchayat needs its number, a number needs its tick (or, to mark all,
        the one number for every gram panchayat)."""
        valid = super().validate(extra_validators)
        if self.marks_all:
            if valid and self.all_participants.data is None:
                self.all_participants.errors.append(gettext("Give the number of participants from each."))
                valid = False
            return valid
        for gram_panchayat in self.gram_panchayats:
            ticked, count = self.mark_field(gram_panchayat), self.count_field(gram_panchayat)
            if count.errors:
                continue
            if ticked.data and count.data is None:
                count.errors.append(gettext("Give the number of participants."))
                valid = False
            elif not ticked.data and count.data is not None:
                count.errors.append(gettext("Tick the gram panchayat to mark it, or clear the number."))
                valid = False
        if valid and not self.chosen():
            self.form_errors.append(gettext("Tick at least one gram panchayat."))
            valid = False
        return valid

    def chosen(self, marked_ids: set[int] = frozenset()) -> list[tuple[GramPanchayat, int]]:
        """Return the ticked gram panchayats with their numbers of participants; to mark all, every gram
        panchayat (or those not in `marked_ids`) with the one number."""
        if self.marks_all:
            if self.all_participants.data is None:
                return []
            return [(gram_panchayat, self.all_participants.data) for gram_panchayat in self.gram_panchayats
                    if not (self.all_unmarked_only.data and gram_panchayat.id in marked_ids)]
        return [(gram_panchayat, self.count_field(gram_panchayat).data) for gram_panchayat in self.gram_panchayats
                if self.mark_field(gram_panchayat).data and self.count_field(gram_panchayat).data is not None]

    def problems(self) -> list[str]:
        """Return each gram panchayat's errors as "name: error", for the list above the table."""
        return [gettext("%(name)s: %(error)s", name=localized_name(gram_panchayat), error=error)
                for gram_panchayat in self.gram_panchayats for error in self.count_field(gram_panchayat).errors]


def checklist_form(gram_panchayats: list[GramPanchayat]) -> ChecklistForm:
    """Return a checklist form with a checkbox and a participants number for each gram panchayat."""

    class BlockChecklistForm(ChecklistForm):
        pass

    for gram_panchayat in gram_panchayats:
        name = localized_name(gram_panchayat)
        setattr(BlockChecklistForm, f"mark_{gram_panchayat.lgd_code}", BooleanField(name))
        setattr(BlockChecklistForm, f"participants_{gram_panchayat.lgd_code}", IntegerField(
            _l("Participants from %(name)s", name=name),
            validators=[Optional(), NumberRange(min=PARTICIPANTS.minimum, max=PARTICIPANTS.maximum,
                                                message=_l("Give a number between %(min)s and %(max)s."))]))
    BlockChecklistForm.gram_panchayats = list(gram_panchayats)
    return BlockChecklistForm()
