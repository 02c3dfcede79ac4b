"""Forms for signing in and managing accounts."""
from flask_babel import lazy_gettext as _l
from wtforms import BooleanField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import EqualTo, InputRequired, Length, NumberRange, Optional, Regexp

from trainer.accounts.services import PASSWORD_MIN_LENGTH
from trainer.core.bounds import INT_MAX
from trainer.core.forms import Form
from trainer.core.roles import Role

USERNAME_RULE = Regexp(r"^[A-Za-z0-9_.-]+$", message=_l("Use only English letters, digits, dot, dash and underscore."))


def role_choices():
    """Return (value, label) pairs for a role select box."""
    return [(role.value, role.label) for role in Role]


class LoginForm(Form):
    """Username and password."""

    username = StringField(_l("Username"), validators=[InputRequired(), Length(max=64)])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(max=256)])
    remember = BooleanField(_l("Keep me signed in on this device"))


class PasswordChangeForm(Form):
    """A user changing their own password."""

    current_password = PasswordField(_l("Current password"), validators=[InputRequired()])
    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(min=PASSWORD_MIN_LENGTH, max=256)])
    confirm = PasswordField(_l("New password again"),
                            validators=[InputRequired(), EqualTo("password", _l("The two passwords differ."))])


class UserForm(Form):
    """An admin editing an account's role and area."""

    full_name = StringField(_l("Full name"), validators=[Optional(), Length(max=120)])
    role = SelectField(_l("Role"), choices=role_choices, validators=[InputRequired()])
    area_code = IntegerField(
        _l("LGD code of the area"), validators=[Optional(), NumberRange(min=1, max=INT_MAX)],
        description=_l("District for a district officer, block for a block officer, gram panchayat for a "
                       "secretary, division (or empty for the whole state) for a director."))


class UserCreateForm(UserForm):
    """An admin creating an account."""

    username = StringField(_l("Username"), validators=[InputRequired(), Length(max=64), USERNAME_RULE])
    password = PasswordField(_l("Password"), validators=[InputRequired(), Length(min=PASSWORD_MIN_LENGTH, max=256)])


class PasswordResetForm(Form):
    """An admin setting a new password for an account."""

    password = PasswordField(_l("New password"), validators=[InputRequired(), Length(min=PASSWORD_MIN_LENGTH, max=256)])
