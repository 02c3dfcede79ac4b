"""The partners of programmes: which organisations of the registry a programme reaches, added one by one or as all
those a call selected, whether the programme reaches gram panchayats, partners or both, and the organisations'
access codes (issued as the gram panchayats' are, by trainer.core.codes).

Planners change a programme's partners; every member of staff reads them. Nothing here commits.
"""
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from trainer.core import codes
from trainer.core.roles import PLANNERS
from trainer.extensions import db
from trainer.partners.models import (
    Application,
    ApplicationState,
    Call,
    Organisation,
    OrganisationAccessCode,
    OrganisationAccessCodeIssue,
    ProgrammePartner,
)
from trainer.programmes.models import Programme, Reach

EDITOR_ROLES = PLANNERS


class PartnerError(Exception):
    """A change to a programme's partners that the rules refuse; `message` says why, in the page's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


def partners_of(programme: Programme) -> list[ProgrammePartner]:
    """Return a programme's partners with their organisations, by name."""
    return list(db.session.scalars(
        select(ProgrammePartner).join(Organisation, Organisation.id == ProgrammePartner.organisation_id)
        .where(ProgrammePartner.programme_id == programme.id)
        .options(joinedload(ProgrammePartner.organisation).joinedload(Organisation.district),
                 joinedload(ProgrammePartner.call))
        .order_by(Organisation.name_hi_key, Organisation.name_en_key, Organisation.id)))


def partner_count(programme: Programme) -> int:
    """Count a programme's partners."""
    return db.session.scalar(select(func.count()).where(ProgrammePartner.programme_id == programme.id))


def is_partner(programme_id: int, organisation_id: int) -> bool:
    """Say whether an organisation is one of a programme's partners."""
    return db.session.get(ProgrammePartner, (programme_id, organisation_id)) is not None


def selected_by(call: Call) -> list[int]:
    """Return the organisations of the registry that a call selected (their applications' organisations)."""
    return list(db.session.scalars(
        select(Application.organisation_id).where(Application.call_id == call.id,
                                                  Application.state == ApplicationState.SELECTED,
                                                  Application.organisation_id.is_not(None))
        .distinct().order_by(Application.organisation_id)))


def add_partners(programme: Programme, organisation_ids: list[int], user_id: int | None,
                 call: Call | None = None) -> int:
    """Make organisations partners of a programme (those already partners stay as they were); return how many
    were added."""
    wanted = set(organisation_ids)
    known = set(db.session.scalars(select(Organisation.id).where(Organisation.id.in_(wanted)))) if wanted else set()
    if wanted - known:
        raise PartnerError(_l("There is no such organisation."))
    present = set(db.session.scalars(select(ProgrammePartner.organisation_id).where(
        ProgrammePartner.programme_id == programme.id, ProgrammePartner.organisation_id.in_(wanted)))) \
        if wanted else set()
    added = sorted(wanted - present)
    for organisation_id in added:
        db.session.add(ProgrammePartner(programme_id=programme.id, organisation_id=organisation_id,
                                        call_id=call.id if call is not None else None, added_by_id=user_id))
    db.session.flush()
    return len(added)


def add_selected(programme: Programme, call: Call, user_id: int | None) -> int:
    """Make every organisation a call selected a partner of a programme; return how many were added."""
    chosen = selected_by(call)
    if not chosen:
        raise PartnerError(_l("This call has selected no organisation yet."))
    return add_partners(programme, chosen, user_id, call)


def remove_partner(programme: Programme, organisation_id: int) -> None:
    """Take an organisation off a programme's partners."""
    partner = db.session.get(ProgrammePartner, (programme.id, organisation_id))
    if partner is None:
        raise PartnerError(_l("This organisation is not a partner of the programme."))
    db.session.delete(partner)
    db.session.flush()


def set_reach(programme: Programme, reach: Reach) -> None:
    """Say whom a programme reaches: gram panchayats, its partner organisations or both."""
    programme.reaches = reach
    db.session.flush()


# Access codes

CODE_PURPOSE = "organisation access code"
CODE_DIGITS = 8


def issue_code(organisation: Organisation, user_id: int | None = None) -> str:
    """Give an organisation a new access code (the old one stops working) and record who issued it; return it in
    clear, once."""
    code, _version = codes.issue(OrganisationAccessCode, OrganisationAccessCodeIssue,
                                 {"organisation_id": organisation.id}, CODE_PURPOSE, user_id, CODE_DIGITS)
    return code


def issue_programme_codes(programme: Programme, user_id: int | None = None,
                          only_missing: bool = False) -> list[tuple[Organisation, str]]:
    """Issue new codes to a programme's partners (only to those that have none, with `only_missing`); return them
    in clear, by name."""
    partners = [partner.organisation for partner in partners_of(programme)]
    if only_missing:
        holding = set(db.session.scalars(select(OrganisationAccessCode.organisation_id).where(
            OrganisationAccessCode.organisation_id.in_([organisation.id for organisation in partners]))))
        partners = [organisation for organisation in partners if organisation.id not in holding]
    return [(organisation, issue_code(organisation, user_id)) for organisation in partners]


def code_is_right(organisation_id: int, code_hash: str | None, typed: str) -> bool:
    """Say whether a typed code (spaces and dashes allowed) is the organisation's."""
    return codes.code_is_right(CODE_PURPOSE, str(organisation_id), code_hash, typed)


def code_of(organisation_id: int) -> OrganisationAccessCode | None:
    """Return an organisation's access code record (its hash and version), if one was issued."""
    return db.session.get(OrganisationAccessCode, organisation_id)


def codes_of(programme: Programme) -> dict[int, OrganisationAccessCode]:
    """Return the access codes of a programme's partners, by organisation id."""
    return {record.organisation_id: record for record in db.session.scalars(
        select(OrganisationAccessCode).join(ProgrammePartner,
                                            ProgrammePartner.organisation_id == OrganisationAccessCode.organisation_id)
        .where(ProgrammePartner.programme_id == programme.id))}


def code_history(organisation: Organisation) -> list[OrganisationAccessCodeIssue]:
    """Return every code issued to an organisation, newest first, with who issued it."""
    return list(db.session.scalars(
        select(OrganisationAccessCodeIssue).where(OrganisationAccessCodeIssue.organisation_id == organisation.id)
        .options(joinedload(OrganisationAccessCodeIssue.issued_by))
        .order_by(OrganisationAccessCodeIssue.version.desc())))
