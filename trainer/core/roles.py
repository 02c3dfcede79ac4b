"""The roles of Trainer's users, and the groups of roles that many pages admit.

Roles live here, below every feature, so that any feature's pages can say who may use them; which place a
role is bound to is the accounts' business (trainer.accounts.models).
"""
import enum

from flask_babel import lazy_gettext as _l


class Role(enum.StrEnum):
    """What a user does; officers and secretaries are bound to an area."""

    ADMIN = "admin"
    TRAINER = "trainer"
    DIRECTOR = "director"
    DISTRICT_OFFICER = "district_officer"
    BLOCK_OFFICER = "block_officer"
    SECRETARY = "secretary"

    @property
    def label(self):
        """Return the role's name for people, translated."""
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.ADMIN: _l("Administrator"),
    Role.TRAINER: _l("Trainer"),
    Role.DIRECTOR: _l("Director"),
    Role.DISTRICT_OFFICER: _l("District officer"),
    Role.BLOCK_OFFICER: _l("Block officer"),
    Role.SECRETARY: _l("Panchayat secretary"),
}

# Everyone who works for the department: they read places, attendance and reports of their area.
STAFF_ROLES = (Role.ADMIN, Role.TRAINER, Role.DIRECTOR, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER)
# Those who plan programmes, their calendars, feedback forms and posters.
PLANNERS = (Role.ADMIN, Role.TRAINER)
