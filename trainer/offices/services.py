"""Offices and their officers: keeping an office (name, short name, place, phone, e-mail), adding and removing its
officers, the offices a user acts for, and the offices a user's area sees.

An office at a place is seen by every member of staff whose area meets that place (contains it or lies in it); a
state office (no place) is seen by everyone. Nothing here commits.
"""
import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, Select, and_, func, or_, select, true
from sqlalchemy.orm import selectinload

from trainer.accounts.models import User
from trainer.accounts.services import find_user
from trainer.core.files import FileRejected, Problem
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.offices.models import (
    DESIGNATION_LENGTH_MAX,
    EMAIL_LENGTH_MAX,
    NAME_LENGTH_MAX,
    PHONE_LENGTH_MAX,
    SHORT_NAME_LENGTH_MAX,
    Office,
    OfficeOfficer,
)
from trainer.regions.areas import STATE, Area
from trainer.regions.models import Block, District, Division

# Who keeps offices and their officers.
EDITOR_ROLES = (Role.ADMIN, Role.DIRECTOR)
# Who may act for an office: every member of staff, not a panchayat secretary.
OFFICER_ROLES = (Role.ADMIN, Role.TRAINER, Role.DIRECTOR, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER)
EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PHONE = re.compile(r"\+?[0-9][0-9 -]{5,18}")


class OfficeError(Exception):
    """A change to an office that its rules refuse; `message` says why, in the page's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class OfficeValues:
    """What an editor gives for an office. `place`: its division, district or block (None: a state office)."""

    name_hi: str = ""
    name_en: str = ""
    short_name: str = ""
    place: Division | District | Block | None = None
    phone: str = ""
    email: str = ""
    active: bool = True


def _bounded(value: str, limit: int, message) -> str:
    value = " ".join((value or "").split())
    if len(value) > limit:
        raise OfficeError(message)
    return value


def save_office(values: OfficeValues, office: Office | None = None, editor: User | None = None) -> Office:
    """Create an office (office None) or change one; `editor` (None: a command) must see the office's place."""
    too_long = _l("A name is at most %(length)s characters.", length=NAME_LENGTH_MAX)
    name_hi = _bounded(values.name_hi, NAME_LENGTH_MAX, too_long)
    name_en = _bounded(values.name_en, NAME_LENGTH_MAX, too_long)
    if not name_hi and not name_en:
        raise OfficeError(_l("Give the office's name in Hindi or in English."))
    short_name = _bounded(values.short_name, SHORT_NAME_LENGTH_MAX,
                          _l("The short name is at most %(length)s characters.", length=SHORT_NAME_LENGTH_MAX))
    place = values.place
    if place is not None and not isinstance(place, Division | District | Block):
        raise OfficeError(_l("An office is at the state, a division, a district or a block."))
    if editor is not None and not editor.area.holds_area(Area.of(place) if place is not None else STATE):
        raise OfficeError(_l("This office's place lies outside your area."))
    phone = _bounded(values.phone, PHONE_LENGTH_MAX, _l("Give the phone number as digits."))
    if phone and not PHONE.fullmatch(phone):
        raise OfficeError(_l("Give the phone number as digits."))
    email = (values.email or "").strip()
    if email and (len(email) > EMAIL_LENGTH_MAX or not EMAIL.fullmatch(email)):
        raise OfficeError(_l("Give an e-mail address such as name@example.gov.in."))
    if office is None:
        office = Office()
        db.session.add(office)
    office.name_hi, office.name_en, office.short_name = name_hi, name_en, short_name
    office.division = place if isinstance(place, Division) else None
    office.district = place if isinstance(place, District) else None
    office.block = place if isinstance(place, Block) else None
    office.phone, office.email, office.active = phone, email, bool(values.active)
    db.session.flush()
    return office


def add_officer(office: Office, user: User, designation: str = "") -> OfficeOfficer:
    """Make a member of staff an officer of the office with a designation; adding one again changes the
    designation."""
    if user.role not in OFFICER_ROLES:
        raise OfficeError(_l("Only members of staff act for an office."))
    designation = _bounded(designation, DESIGNATION_LENGTH_MAX,
                           _l("The designation is at most %(length)s characters.", length=DESIGNATION_LENGTH_MAX))
    row = next((o for o in office.officers if o.user_id == user.id), None)
    if row is None:
        row = OfficeOfficer(user=user)
        office.officers.append(row)
    row.designation = designation
    db.session.flush()
    return row


def remove_officer(office: Office, user: User) -> None:
    """Stop a user acting for the office (nothing happens if the user did not)."""
    row = next((o for o in office.officers if o.user_id == user.id), None)
    if row is not None:
        office.officers.remove(row)
        db.session.flush()


def offices_of(user: User | None) -> list[Office]:
    """Return the active offices a user acts for, by name."""
    if user is None or user.id is None:
        return []
    return list(db.session.scalars(
        select(Office).join(OfficeOfficer).where(OfficeOfficer.user_id == user.id, Office.active.is_(True))
        .order_by(Office.name_hi, Office.id)))


def office_ids_of(user: User | None) -> set[int]:
    """Return the ids of the active offices a user acts for."""
    return {office.id for office in offices_of(user)}


def is_officer_of(user: User | None, office_id: int | None) -> bool:
    """Say whether a user acts for this office (an active one)."""
    return office_id is not None and office_id in office_ids_of(user)


def designation_of(user: User, office_id: int | None) -> str:
    """Return a user's designation in an office, or "" ."""
    if office_id is None:
        return ""
    return db.session.scalar(select(OfficeOfficer.designation).where(
        OfficeOfficer.user_id == user.id, OfficeOfficer.office_id == office_id)) or ""


# Who sees an office

def area_of(office: Office) -> Area:
    """Return the area of an office's place (the state for a state office)."""
    return Area.of(office.place) if office.place is not None else STATE


def area_condition(model, area: Area) -> ColumnElement[bool]:
    """Return a WHERE clause keeping the rows of `model` (with division_id, district_id, block_id) whose place
    meets an area: the state's rows, and those of a place that contains the area or lies in it. Offices, meeting
    series and directives share it."""
    if area.is_state:
        return true()
    return or_(
        and_(model.division_id.is_(None), model.district_id.is_(None), model.block_id.is_(None)),
        model.division_id.in_(select(Division.id).where(area.condition(Division))),
        model.district_id.in_(select(District.id).where(area.condition(District))),
        model.block_id.in_(select(Block.id).where(area.condition(Block))),
    )


def may_see(area: Area, office: Office) -> bool:
    """Say whether a user of this area sees the office."""
    return office.place is None or area.contains(office.place)


def may_edit(user: User, office: Office) -> bool:
    """Say whether a user keeps this office: an administrator, or a director whose area holds its place."""
    if user.role is Role.ADMIN:
        return True
    return user.role is Role.DIRECTOR and user.area.holds_area(area_of(office))


def office_query(area: Area, search: str = "", active_only: bool = False) -> Select:
    """Return the offices a user of this area sees, matching `search` in either name or the short name, by
    name."""
    query = (select(Office).where(area_condition(Office, area))
             .options(selectinload(Office.division), selectinload(Office.district), selectinload(Office.block))
             .order_by(Office.name_hi, Office.name_en, Office.id))
    words = " ".join((search or "").replace("\x00", "").split())  # PostgreSQL refuses NUL in text
    if words:
        pattern = f"%{words.lower()}%"
        query = query.where(or_(func.lower(Office.name_hi).like(pattern), func.lower(Office.name_en).like(pattern),
                                func.lower(Office.short_name).like(pattern)))
    if active_only:
        query = query.where(Office.active.is_(True))
    return query


def visible_offices(user: User, search: str = "") -> list[Office]:
    """Return the offices a user sees (every office for a state-wide user), by name."""
    return list(db.session.scalars(office_query(user.area, search)))


def load_office(office_id: int) -> Office | None:
    """Return an office with its officers, or None."""
    if not 0 < office_id < 2**31:
        return None
    return db.session.scalar(select(Office).where(Office.id == office_id).options(
        selectinload(Office.officers).selectinload(OfficeOfficer.user)))


def find_office(name: str) -> Office | None:
    """Return the office with this short name or Hindi or English name (the first by id), or None."""
    name = " ".join((name or "").split())
    if not name:
        return None
    return db.session.scalar(select(Office).where(or_(Office.short_name == name, Office.name_hi == name,
                                                      Office.name_en == name)).order_by(Office.id).limit(1))


# A file of offices

IMPORT_COLUMNS = ("short_name", "name_hi", "name_en", "level", "lgd_code", "phone", "email", "officer",
                  "designation")
LEVEL_MODELS = {"state": None, "division": Division, "district": District, "block": Block}


def import_offices(rows: list[tuple[int, list[str]]]) -> int:
    """Create or change offices from the lines of a file (a header naming IMPORT_COLUMNS, short_name and level
    required; an office is found again by its short name and place) and add the officer named by username; refuse
    the whole file, naming every bad line (core.files.FileRejected; the caller then rolls back), or return how many
    lines were taken."""
    if not rows:
        raise FileRejected([Problem(1, str(_l("The file is empty.")))])
    header = [name.strip().lower() for name in rows[0][1]]
    missing = [name for name in ("short_name", "level") if name not in header]
    if missing:
        raise FileRejected([Problem(rows[0][0], str(_l("The header lacks the columns %(columns)s.",
                                                       columns=", ".join(missing))))])
    problems, count = [], 0
    for line, values in rows[1:]:
        if not any(values):
            continue
        row = dict(zip(header, values + [""] * (len(header) - len(values)), strict=False))
        level = row.get("level", "").lower()
        if level not in LEVEL_MODELS:
            problems.append(Problem(line, str(_l("The level is state, division, district or block."))))
            continue
        place = None
        if LEVEL_MODELS[level] is not None:
            model = LEVEL_MODELS[level]
            code = row.get("lgd_code", "")
            place = db.session.scalar(select(model).where(model.lgd_code == int(code))) \
                if code.isdigit() and int(code) < 2**31 else None
            if place is None:
                problems.append(Problem(line, str(_l("There is no place with this LGD code at that level."))))
                continue
        found = db.session.scalar(select(Office).where(
            Office.short_name == row.get("short_name", "").strip(),
            *(getattr(Office, column).is_(None) if not isinstance(place, model) else getattr(Office, column) == place.id
              for column, model in (("division_id", Division), ("district_id", District), ("block_id", Block)))))
        # A refused line leaves the file refused: the caller rolls back whatever the good lines wrote.
        try:
            user = find_user(row["officer"]) if row.get("officer") else None
            if row.get("officer") and user is None:
                raise OfficeError(_l("There is no account with this username."))
            office = save_office(OfficeValues(row.get("name_hi", ""), row.get("name_en", ""),
                                              row.get("short_name", ""), place, row.get("phone", ""),
                                              row.get("email", "")), found)
            if user is not None:
                add_officer(office, user, row.get("designation", ""))
        except OfficeError as refused:
            problems.append(Problem(line, str(refused.message)))
            continue
        count += 1
    if problems:
        raise FileRejected(problems)
    return count
