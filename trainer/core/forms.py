"""The base of every form: WTForms' own messages translated through Trainer's catalogue, and text fields that
take no control characters.

Every text field of every form is cleaned as it is read (Form.Meta.bind_field): a one-line field (StringField
and its kinds: search, URL, hidden) gets `one_line`, a multi-line one (TextAreaField) `multi_line`; passwords are
taken as typed. A title with a line break would otherwise break the lines of iCalendar feeds, CSV files and
headers made from it; bidirectional overrides would make a name read backwards on screen.
"""
import re

from flask_babel import get_translations
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext as _ln
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField, TextAreaField

# Bidirectional embeddings, overrides and isolates (U+202A–U+202E, U+2066–U+2069): text after one of them can be
# shown in another order than it is stored ("Gram" + U+202E + "txt.exe" reads "Gram exe.txt").
BIDI_CONTROLS = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Breaks of a line (CR, LF, VT, FF, NEL, the Unicode line and paragraph separators) and tabs: spaces in one line.
_BREAKS = re.compile("\r\n|[\t\n\v\f\r\x85\u2028\u2029]")
# C0 controls, DEL, C1 controls, and the bidirectional controls: never kept.
_CONTROLS = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI_CONTROLS}]")


def one_line(text):
    """Return text fit for one line: line breaks and tabs become spaces, other control and bidirectional
    override characters are dropped (what is not text, None say, is left as it is)."""
    if not isinstance(text, str):
        return text
    return _CONTROLS.sub("", _BREAKS.sub(" ", text))


def multi_line(text):
    """Return text whose lines end with LF only, with no other control or bidirectional override character
    (tabs become spaces; what is not text is left as it is)."""
    if not isinstance(text, str):
        return text
    text = re.sub("\r\n|[\r\v\f\x85\u2028\u2029]", "\n", text).replace("\t", " ")
    return _CONTROLS.sub(lambda match: match.group(0) if match.group(0) == "\n" else "", text)


def has_control_characters(text: str) -> bool:
    """Say whether text holds a control or bidirectional override character (a line break included)."""
    return _CONTROLS.search(text) is not None


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

        def bind_field(self, form, unbound_field, options):
            cleaner = text_cleaner(unbound_field.field_class)
            if cleaner is not None:
                options = {**options, "filters": [cleaner, *unbound_field.kwargs.get("filters", ())]}
            return unbound_field.bind(form=form, **options)


def text_cleaner(field_class):
    """Return the filter that cleans a field of this class (None: taken as typed)."""
    if issubclass(field_class, TextAreaField):
        return multi_line
    if issubclass(field_class, StringField) and not issubclass(field_class, PasswordField):
        return one_line
    return None


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
