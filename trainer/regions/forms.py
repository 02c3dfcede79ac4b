"""Forms of the hierarchy pages."""
from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from flask_wtf.file import FileAllowed, FileField, FileRequired


class RegionImportForm(FlaskForm):
    """Upload of an LGD-style hierarchy CSV."""

    file = FileField(_l("CSV file"), validators=[
        FileRequired(_l("Choose a CSV file.")),
        FileAllowed(["csv", "txt"], _l("The file must be a .csv file.")),
    ])
