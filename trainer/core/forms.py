"""The base of every form: WTForms' own messages translated through Trainer's catalogue."""
from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from flask_wtf import FlaskForm


class _CatalogueTranslations:
    """Look WTForms' messages up in Trainer's catalogue (WTForms ships no Hindi)."""

    def gettext(self, string):
        return get_translations().gettext(string)

    def ngettext(self, singular, plural, n):
        return get_translations().ngettext(singular, plural, n)


class Form(FlaskForm):
    """A Flask-WTF form (CSRF included) whose built-in messages speak the page's language."""

    class Meta:
        def get_translations(self, form):
            return _CatalogueTranslations()


class ConfirmForm(Form):
    """A bare form whose only job is to carry the CSRF token of a POST button."""


# WTForms' built-in messages that Trainer's forms can show, listed so that extraction puts them
# in the catalogue; the strings must stay exactly as WTForms writes them.
WTFORMS_MESSAGES = (
    _l("This field is required."),
    _l("Invalid input."),
    _l("Not a valid choice."),
    _l("Invalid Choice: could not coerce."),
    _l("Not a valid integer value."),
    _l("Not a valid date value."),
    _l("Not a valid time value."),
    _l("Not a valid datetime value."),
    _l("Field must be equal to %(other_name)s."),
    _l("Field must be between %(min)d and %(max)d characters long."),
    _l("Number must be at least %(min)s."),
    _l("Number must be at most %(max)s."),
    _l("Number must be between %(min)s and %(max)s."),
    _l("File does not have an approved extension."),
    _ln("Field must be at least %(min)d character long.", "Field must be at least %(min)d characters long.", 1),
    _ln("Field cannot be longer than %(max)d character.", "Field cannot be longer than %(max)d characters.", 1),
)
