"""Contacts' rules and queries: mobile numbers, masks, who can be reached on which channel, opt-outs.

The first part is the interface the messaging outbox builds on (normalise_mobile … opt_in): pure functions
that read, or add and flush, and never commit. The second part serves the contacts pages, the exports and the
JSON API; area limits are trainer.regions.areas.Area's.
"""
import re
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import Select, and_, case, exists, func, or_, select, update
from sqlalchemy.orm import contains_eager

from trainer.accounts.models import User
from trainer.contacts.models import CHANNELS, LANGUAGES, SINGLE_ROLES, Contact, ContactRole, OptOutSource
from trainer.core.database import like_escaped, utc_now
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.regions.areas import Area
from trainer.regions.models import Block, District, GramPanchayat
from trainer.regions.names import search_key

# Who may add, change and import contacts (directors read them); the importer's area limits the file.
EDITOR_ROLES = (Role.ADMIN, Role.TRAINER, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER)
_QUERY_CHUNK = 500  # ids per IN (...): well under every database's limit of bound parameters
_SEPARATORS = re.compile(r"[\s\-.()/]+")
_MOBILE = re.compile(r"[6-9][0-9]{9}")
_EMAIL = re.compile(r"[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+")
EMAIL_LENGTH = 254


# The contract of the messaging outbox


def normalise_mobile(text: str) -> str | None:
    """Return an Indian mobile number as its 10 national digits ("+91 98765-43210" → "9876543210"), or None."""
    if not isinstance(text, str):
        return None
    digits = _SEPARATORS.sub("", text.strip())
    if digits.startswith("+"):
        if not digits.startswith("+91"):
            return None
        digits = digits[3:]
    elif digits.startswith("0091") and len(digits) == 14:
        digits = digits[4:]
    elif digits.startswith("91") and len(digits) == 12:
        digits = digits[2:]
    elif digits.startswith("0") and len(digits) == 11:
        digits = digits[1:]
    return digits if _MOBILE.fullmatch(digits) else None


def mask_mobile(mobile: str) -> str:
    """Hide all but the first two and last two digits: "9876543210" → "98******10"."""
    if not mobile:
        return ""
    if len(mobile) <= 4:
        return "*" * len(mobile)
    return mobile[:2] + "*" * (len(mobile) - 4) + mobile[-2:]


def mask_email(email: str) -> str:
    """Hide the middle of an address's name: "ram.kumar@gmail.com" → "r*******r@gmail.com"."""
    if not email:
        return ""
    name, at, domain = email.rpartition("@")
    if not at:
        name, domain = email, ""
    if len(name) <= 2:
        shown = name[:1] + "*" * (len(name) - 1)
    else:
        shown = name[0] + "*" * (len(name) - 2) + name[-1]
    return f"{shown}@{domain}" if at else shown


@dataclass(frozen=True)
class ContactPoint:
    """One person who can be reached."""

    contact_id: int
    gram_panchayat_id: int | None
    user_id: int | None
    role: str
    name: str
    mobile: str | None
    email: str | None
    language: str  # 'hi' | 'en'
    # Accepted channels among ('whatsapp', 'sms', 'email'), in that order of preference: only those the contact
    # accepts AND has an address for.
    channels: tuple[str, ...]


# The columns a ContactPoint is made of: read as plain rows, without loading a Contact per person.
_POINT_COLUMNS = (Contact.id, Contact.gram_panchayat_id, Contact.user_id, Contact.role, Contact.name, Contact.mobile,
                  Contact.email, Contact.language, Contact.accepts_whatsapp, Contact.accepts_sms, Contact.accepts_email)


def _point_of_row(row) -> ContactPoint:
    (contact_id, gp_id, user_id, role, name, mobile, email, language, whatsapp, sms, email_ok) = row
    channels = tuple(channel for channel, accepted, address in (
        ("whatsapp", whatsapp, mobile), ("sms", sms, mobile), ("email", email_ok, email)) if accepted and address)
    return ContactPoint(contact_id, gp_id, user_id, ContactRole(role).value, name, mobile, email, language, channels)


def _chunks(ids: Iterable[int]) -> list[list[int]]:
    ordered = sorted(set(ids))
    return [ordered[start:start + _QUERY_CHUNK] for start in range(0, len(ordered), _QUERY_CHUNK)]


def contact_points_of_gps(gram_panchayat_ids, roles=("secretary", "sarpanch")) -> list[ContactPoint]:
    """Return the reachable (not opted-out) contacts of these GPs in these roles, by GP id, then in the order
    of `roles`.

    `gram_panchayat_ids` is an iterable of ids or a SQLAlchemy Select of GP ids, used as a subquery: the
    whole state is then one query.
    """
    roles = [ContactRole(role) for role in roles]
    if not roles:
        return []
    role_order = case({role.value: position for position, role in enumerate(roles)}, value=Contact.role)
    query = (select(*_POINT_COLUMNS).where(Contact.role.in_(roles), Contact.opted_out_at.is_(None))
             .order_by(Contact.gram_panchayat_id, role_order, Contact.id))
    if isinstance(gram_panchayat_ids, Select):
        return [_point_of_row(row) for row in db.session.execute(query.where(
            Contact.gram_panchayat_id.in_(gram_panchayat_ids.scalar_subquery())))]
    points = []
    for chunk in _chunks(gram_panchayat_ids):  # chunks in id order, so the whole stays in GP order
        points += [_point_of_row(row) for row in db.session.execute(
            query.where(Contact.gram_panchayat_id.in_(chunk)))]
    return points


def contact_points_of_users(user_ids) -> list[ContactPoint]:
    """Return the officers' own (not opted-out) contacts, by user id; an iterable of ids or a Select of them."""
    query = select(*_POINT_COLUMNS).where(Contact.user_id.is_not(None), Contact.opted_out_at.is_(None)).order_by(
        Contact.user_id)
    if isinstance(user_ids, Select):
        return [_point_of_row(row) for row in db.session.execute(
            query.where(Contact.user_id.in_(user_ids.scalar_subquery())))]
    points = []
    for chunk in _chunks(user_ids):
        points += [_point_of_row(row) for row in db.session.execute(query.where(Contact.user_id.in_(chunk)))]
    return points


def gps_of_mobile(mobile: str) -> list[int]:
    """Return the ids of the GPs whose (not opted-out) contacts have this mobile number (in any spelling)."""
    number = normalise_mobile(mobile)
    if number is None:
        return []
    return list(db.session.scalars(
        select(Contact.gram_panchayat_id).where(Contact.mobile == number, Contact.opted_out_at.is_(None),
                                                Contact.gram_panchayat_id.is_not(None))
        .distinct().order_by(Contact.gram_panchayat_id)))


def opt_out(mobile: str, source: str) -> int:
    """Mark every contact with this mobile number opted out (from `source`: sms, staff, whatsapp); return how many
    were not opted out before. Those already opted out keep their first opt-out."""
    source = OptOutSource(source)
    number = normalise_mobile(mobile)
    if number is None:
        return 0
    result = db.session.execute(
        update(Contact).where(Contact.mobile == number, Contact.opted_out_at.is_(None))
        .values(opted_out_at=utc_now(), opt_out_source=source, updated_at=utc_now())
        .execution_options(synchronize_session="fetch"))
    return result.rowcount


def opt_in(contact) -> None:
    """Let a contact be reached again (they asked to, in person or by a reply)."""
    contact.opted_out_at = None
    contact.opt_out_source = None
    db.session.flush()


# Checks shared by the forms and the importer


def valid_email(text: str) -> bool:
    """Say whether text looks like one e-mail address."""
    return len(text) <= EMAIL_LENGTH and _EMAIL.fullmatch(text) is not None


def channel_flags(channels: Iterable[str]) -> dict[str, bool]:
    """Return the accepts_* columns for a set of channel names."""
    chosen = set(channels)
    return {f"accepts_{channel}": channel in chosen for channel in CHANNELS}


class ContactError(Exception):
    """A contact that cannot be saved; `message` says why, in the page's language."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class ContactValues:
    """What a person typed for a contact, already checked by the form."""

    name: str
    mobile: str | None
    email: str | None
    language: str
    channels: tuple[str, ...]


def _apply(contact: Contact, values: ContactValues, user_id: int | None) -> None:
    if values.language not in LANGUAGES:
        raise ValueError(values.language)
    contact.name = values.name
    contact.mobile = values.mobile
    contact.email = values.email or None
    contact.language = values.language
    for column, accepted in channel_flags(values.channels).items():
        setattr(contact, column, accepted)
    contact.updated_by_id = user_id
    contact.updated_at = utc_now()


def save_gp_contact(gram_panchayat: GramPanchayat, role: ContactRole, values: ContactValues,
                    user_id: int | None, contact: Contact | None = None) -> Contact:
    """Add a contact to a GP, or change one of its contacts; a GP's secretary or sarpanch is replaced."""
    if role not in (ContactRole.SECRETARY, ContactRole.SARPANCH, ContactRole.OTHER):
        raise ValueError(role)
    if contact is None and role in SINGLE_ROLES:
        contact = db.session.scalar(select(Contact).where(Contact.gram_panchayat_id == gram_panchayat.id,
                                                          Contact.role == role))
    elif contact is not None and role in SINGLE_ROLES and contact.role != role:
        taken = db.session.scalar(select(Contact.id).where(Contact.gram_panchayat_id == gram_panchayat.id,
                                                           Contact.role == role, Contact.id != contact.id))
        if taken:
            raise ContactError(gettext("This gram panchayat already has a %(role)s: change that contact instead.",
                                       role=role.label))
    if contact is None:
        contact = Contact(gram_panchayat_id=gram_panchayat.id)
        db.session.add(contact)
    contact.role = role
    _apply(contact, values, user_id)
    db.session.flush()
    return contact


def delete_contact(contact: Contact) -> None:
    """Remove a contact."""
    db.session.delete(contact)
    db.session.flush()


def officer_contact(user: User) -> Contact | None:
    """Return an officer's own contact, if they gave one."""
    return db.session.scalar(select(Contact).where(Contact.user_id == user.id))


def save_officer_contact(user: User, values: ContactValues, updated_by_id: int | None) -> Contact:
    """Set an officer's own contact (their mobile, e-mail, language and channels)."""
    contact = officer_contact(user)
    if contact is None:
        contact = Contact(user_id=user.id, role=ContactRole.OFFICER)
        db.session.add(contact)
    _apply(contact, values, updated_by_id)
    db.session.flush()
    return contact


def staff_opt_out(contact: Contact, user_id: int | None) -> int:
    """Stop messages to a person at their request, told to staff: this contact and every other with the same
    mobile number (as an SMS "STOP" would); return how many contacts were opted out."""
    if contact.opted_out_at is not None:
        return 0
    now = utc_now()
    if contact.mobile is None:
        contact.opted_out_at, contact.opt_out_source, contact.updated_by_id = now, OptOutSource.STAFF, user_id
        db.session.flush()
        return 1
    result = db.session.execute(
        update(Contact).where(Contact.mobile == contact.mobile, Contact.opted_out_at.is_(None))
        .values(opted_out_at=now, opt_out_source=OptOutSource.STAFF, updated_at=now, updated_by_id=user_id)
        .execution_options(synchronize_session="fetch"))
    return result.rowcount


# The pages' and exports' queries


@dataclass(frozen=True)
class ContactFilter:
    """Which GPs of an area a list shows: of a district or block, only those missing contacts, by name."""

    district_id: int | None = None
    block_id: int | None = None
    missing: bool = False
    query: str = ""

    def conditions(self, area: Area) -> list:
        """Return the WHERE clauses on GramPanchayat."""
        clauses = [area.condition(GramPanchayat)]
        if self.block_id:
            clauses.append(GramPanchayat.block_id == self.block_id)
        elif self.district_id:
            clauses.append(GramPanchayat.block_id.in_(select(Block.id).where(Block.district_id == self.district_id)))
        if self.missing:
            clauses.append(~and_(_has(ContactRole.SECRETARY), _has(ContactRole.SARPANCH)))
        text = self.query.replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
        if text:
            pattern = "%" + like_escaped(text) + "%"
            matches = [GramPanchayat.name_hi.ilike(pattern, escape="\\"),
                       GramPanchayat.name_en.ilike(pattern, escape="\\")]
            key = search_key(text)
            if key:
                matches.append(GramPanchayat.search_key.contains(key, autoescape=True))
            if text.isascii() and text.isdigit() and len(text) <= 9:
                matches.append(GramPanchayat.lgd_code == int(text))
            clauses.append(or_(*matches))
        return clauses


def _has(role: ContactRole):
    """A GP that has a reachable number for this role."""
    return exists().where(Contact.gram_panchayat_id == GramPanchayat.id, Contact.role == role,
                          Contact.mobile.is_not(None), Contact.opted_out_at.is_(None))


@dataclass(frozen=True)
class Coverage:
    """How many GPs of a list have a secretary's and a sarpanch's number."""

    gram_panchayats: int
    with_secretary: int
    with_sarpanch: int


def coverage(area: Area, chosen: ContactFilter) -> Coverage:
    """Count the GPs of the list, and those with a secretary's and a sarpanch's reachable number."""
    row = db.session.execute(
        select(func.count(GramPanchayat.id),
               func.coalesce(func.sum(case((_has(ContactRole.SECRETARY), 1), else_=0)), 0),
               func.coalesce(func.sum(case((_has(ContactRole.SARPANCH), 1), else_=0)), 0))
        .where(*chosen.conditions(area))).one()
    return Coverage(*(int(value) for value in row))


def gp_list_query(area: Area, chosen: ContactFilter) -> Select:
    """Return the query of the GPs of a list, by district, block and name."""
    return (select(GramPanchayat).options(contains_eager(GramPanchayat.block))
            .join(Block, GramPanchayat.block_id == Block.id)
            .join(District, Block.district_id == District.id)
            .where(*chosen.conditions(area))
            .order_by(District.lgd_code, Block.lgd_code, GramPanchayat.lgd_code))


def contacts_of(gram_panchayat_ids: Iterable[int]) -> dict[int, list[Contact]]:
    """Return every contact (opted out too) of these GPs, by GP id, secretary first, then sarpanch, then others."""
    order = case({"secretary": 0, "sarpanch": 1}, value=Contact.role, else_=2)
    found: dict[int, list[Contact]] = {}
    for chunk in _chunks(gram_panchayat_ids):
        for contact in db.session.scalars(select(Contact).where(Contact.gram_panchayat_id.in_(chunk))
                                          .order_by(Contact.gram_panchayat_id, order, Contact.id)):
            found.setdefault(contact.gram_panchayat_id, []).append(contact)
    return found


@dataclass(frozen=True)
class ContactRow:
    """A GP contact with its place, as exports and the JSON API give it (never the number itself)."""

    contact_id: int
    gp_code: int
    gp_hi: str
    gp_en: str
    block_code: int
    block_hi: str
    block_en: str
    district_code: int
    district_hi: str
    district_en: str
    role: str
    name: str
    mobile_masked: str
    email_masked: str
    language: str
    channels: tuple[str, ...]
    opted_out: bool
    opt_out_source: str | None


def contact_rows_query(area: Area, chosen: ContactFilter | None = None) -> Select:
    """Return the query of the GP contacts of an area, by district, block, GP and role."""
    chosen = chosen or ContactFilter()
    order = case({"secretary": 0, "sarpanch": 1}, value=Contact.role, else_=2)
    return (select(Contact, GramPanchayat.lgd_code, GramPanchayat.name_hi, GramPanchayat.name_en,
                   Block.lgd_code, Block.name_hi, Block.name_en,
                   District.lgd_code, District.name_hi, District.name_en)
            .join(GramPanchayat, Contact.gram_panchayat_id == GramPanchayat.id)
            .join(Block, GramPanchayat.block_id == Block.id)
            .join(District, Block.district_id == District.id)
            .where(*chosen.conditions(area))
            .order_by(District.lgd_code, Block.lgd_code, GramPanchayat.lgd_code, order, Contact.id))


def contact_row(result) -> ContactRow:
    """Turn a row of contact_rows_query into a masked ContactRow."""
    contact, *place = result
    return ContactRow(contact.id, *place, contact.role.value, contact.name, mask_mobile(contact.mobile or ""),
                      mask_email(contact.email or ""), contact.language, contact.channels, contact.opted_out,
                      contact.opt_out_source.value if contact.opt_out_source else None)


def contact_rows(area: Area, chosen: ContactFilter | None = None) -> list[ContactRow]:
    """Return every GP contact of an area, masked, in list order."""
    return [contact_row(result) for result in db.session.execute(contact_rows_query(area, chosen))]


def officers_with_contacts(page: int, per_page: int = 50):
    """Return a page of the officers' accounts (staff, not secretaries) with their contacts."""
    from trainer.core.roles import STAFF_ROLES
    query = (select(User, Contact).outerjoin(Contact, Contact.user_id == User.id)
             .where(User.role.in_(STAFF_ROLES)).order_by(User.username))
    return db.paginate(query, page=page, per_page=per_page, error_out=False)
