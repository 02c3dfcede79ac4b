"""Forms of the hierarchy pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf.file import FileAllowed, FileField, FileRequired

from trainer.core.forms import Form


class RegionImportForm(Form):
    """Upload of an LGD-style hierarchy CSV."""

    file = FileField(_l("CSV file"), validators=[
        FileRequired(_l("Choose a CSV file.")),
        FileAllowed(["csv", "txt"], _l("The file must be a .csv file.")),
    ])
