"""The form of the directives' pages: an owner office's action-taken report (what was done, a figure, a PDF or
photo, in progress or done)."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileField
from wtforms import IntegerField, RadioField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from trainer.core.forms import Form
from trainer.meetings.directives import Attachment, ReportValues
from trainer.meetings.models import VALUE_MAX

TEXT_LENGTH_MAX = 5000
PROGRESS, DONE = "progress", "done"


class ActionTakenForm(Form):
    """What an owner office reports on a directive."""

    text = TextAreaField(_l("What was done"), validators=[InputRequired(_l("Write what was done.")),
                                                           Length(max=TEXT_LENGTH_MAX)],
                         render_kw={"rows": 4})
    figures = IntegerField(_l("Figure (how many, if any)"),
                           validators=[Optional(), NumberRange(0, VALUE_MAX, _l("The figure is a whole number, 0 or more."))],
                           render_kw={"inputmode": "numeric"})
    file = FileField(_l("PDF or photo (optional)"), render_kw={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"})
    outcome = RadioField(_l("The directive is"), default=PROGRESS, validators=[InputRequired()],
                         choices=[SelectChoice(PROGRESS, _l("In progress")), SelectChoice(DONE, _l("Done"))])

    def values(self) -> ReportValues:
        """Return the report as the service takes it."""
        upload = self.file.data
        attachment = None
        if upload is not None and getattr(upload, "filename", ""):
            attachment = Attachment(upload.filename, upload.read())
        return ReportValues(text=self.text.data or "", figures=self.figures.data, attachment=attachment)

    @property
    def done(self) -> bool:
        """Say whether the office reports the directive done."""
        return self.outcome.data == DONE
