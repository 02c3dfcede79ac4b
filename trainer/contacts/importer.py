"""Contacts of gram panchayats from a CSV or XLSX file: checked whole (every bad line named), then applied whole.

Columns: gp_code, role, name, mobile, email, language, channels (e.g. `whatsapp;sms`; blank: sms). A line of a
GP's secretary or sarpanch replaces the contact of that role; a GP's "other" lines replace its other contacts.
An opt-out stays: a number that asked not to be contacted is not contacted again because a file names it.
Used by the import page and `flask contacts import`; nothing is committed here.
"""
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import case, delete, select

from trainer.contacts.models import CHANNELS, LANGUAGES, Contact, ContactRole
from trainer.contacts.services import channel_flags, normalise_mobile, valid_email
from trainer.core.bounds import database_int
from trainer.core.database import bulk_insert, utc_now
from trainer.core.files import FileRejected, Problem, table_rows
from trainer.core.forms import has_control_characters
from trainer.extensions import db
from trainer.regions.areas import Area
from trainer.regions.models import GramPanchayat

MAX_ROWS = 100_000  # a secretary and a sarpanch for every GP of a large state, and more; beyond is a wrong file
COLUMNS = ("gp_code", "role", "name", "mobile", "email", "language", "channels")
REQUIRED_COLUMNS = ("gp_code", "role", "mobile")
NAME_LENGTH = 120
IMPORT_ROLES = (ContactRole.SECRETARY, ContactRole.SARPANCH, ContactRole.OTHER)
_QUERY_CHUNK = 500


class ContactImportError(FileRejected):
    """The contacts file was rejected; `problems` names every bad line, in line order."""


@dataclass(frozen=True)
class ContactLine:
    """One good line of the file."""

    line: int
    gp_code: int
    role: ContactRole
    name: str
    mobile: str
    email: str | None
    language: str
    channels: tuple[str, ...]


@dataclass
class ContactImportSummary:
    """What an import did."""

    created: int = 0
    replaced: int = 0
    gram_panchayats: int = 0

    @property
    def contacts(self) -> int:
        """Return how many contacts the file holds."""
        return self.created + self.replaced


# Reading


def file_rows(data: bytes, filename: str = "") -> list[tuple[int, list[str]]]:
    """Return (line number, values) of every line of a CSV or XLSX file (told apart by their first bytes)."""
    try:
        return table_rows(data, filename, MAX_ROWS)
    except FileRejected as rejected:
        raise ContactImportError(rejected.problems) from None


def named_rows(rows: list[tuple[int, list[str]]]) -> list[tuple[int, dict[str, str]]]:
    """Check the header; return (line number, row by column) of every non-empty line after it."""
    if not rows:
        raise ContactImportError([Problem(1, gettext("the file is empty"))])
    header_line, header = rows[0]
    names = [name.strip().lower() for name in header]
    problems = []
    missing = [column for column in REQUIRED_COLUMNS if column not in names]
    if missing:
        problems.append(Problem(header_line, gettext("missing columns: %(columns)s", columns=", ".join(missing))))
    unknown = [name or '""' for name in names if name not in COLUMNS]
    if unknown:
        problems.append(Problem(header_line, gettext("unknown columns: %(columns)s (the columns are %(allowed)s)",
                                                     columns=", ".join(unknown), allowed=", ".join(COLUMNS))))
    repeated = sorted({name for name in names if name in COLUMNS and names.count(name) > 1})
    if repeated:
        problems.append(Problem(header_line, gettext("repeated columns: %(columns)s", columns=", ".join(repeated))))
    if problems:
        raise ContactImportError(problems)
    index = {name: position for position, name in enumerate(names)}
    named = []
    for line, values in rows[1:]:
        if not any(values):
            continue
        if len(named) == MAX_ROWS:
            raise ContactImportError([Problem(line, gettext(
                "the file has more than %(max)s rows: split it into smaller files", max=f"{MAX_ROWS:,}"))])
        row = {name: (values[i] if i < len(values) else "") for name, i in index.items()}
        if any(values[len(names):]):
            row[""] = ""  # more values than the header has columns
        named.append((line, row))
    return named


# Checking (pure)


def parse_contact_rows(rows: Iterable[tuple[int, dict[str, str]]]) -> tuple[list[ContactLine], list[Problem]]:
    """Check each line on its own and against the others; return the good lines and every problem."""
    roles = {role.value: role for role in IMPORT_ROLES}
    good, problems = [], []
    first_line: dict[tuple[int, str], int] = {}
    for line, row in rows:
        reasons = []
        if "" in row:
            reasons.append(gettext("the line has more values than the header has columns"))
        if any(has_control_characters(value) for value in row.values()):
            reasons.append(gettext("the line holds control characters (a line break or direction mark inside a "
                                   "value)"))
        code = None
        raw_code = row.get("gp_code", "")
        if not raw_code:
            reasons.append(gettext("the gram panchayat code (gp_code) is empty"))
        elif (code := database_int(raw_code)) is None:
            reasons.append(gettext("gram panchayat code “%(value)s” is not a number", value=raw_code[:40]))
        raw_role = row.get("role", "").lower()
        role = roles.get(raw_role)
        if role is None:
            reasons.append(gettext("role “%(value)s” is not one of: %(roles)s", value=row.get("role", "")[:40],
                                   roles=", ".join(roles)))
        elif code is not None:
            key = (code, role.value)
            if key in first_line:
                reasons.append(gettext("the %(role)s of gram panchayat %(code)s is repeated: it is also on line "
                                       "%(other)s", role=role.value, code=code, other=first_line[key]))
            else:
                first_line[key] = line
        name = row.get("name", "")
        if len(name) > NAME_LENGTH:
            reasons.append(gettext("the name is longer than %(max)s characters", max=NAME_LENGTH))
        raw_mobile = row.get("mobile", "")
        mobile = normalise_mobile(raw_mobile)
        if not raw_mobile:
            reasons.append(gettext("the mobile number is empty"))
        elif mobile is None:
            reasons.append(gettext("“%(value)s” is not a valid Indian mobile number (10 digits starting with 6, 7, "
                                   "8 or 9)", value=raw_mobile[:40]))
        email = row.get("email", "") or None
        if email is not None and not valid_email(email):
            reasons.append(gettext("“%(value)s” is not a valid e-mail address", value=email[:60]))
        language = (row.get("language", "") or "hi").lower()
        if language not in LANGUAGES:
            reasons.append(gettext("language “%(value)s” is not one of: %(languages)s", value=language[:40],
                                   languages=", ".join(LANGUAGES)))
        raw_channels = [part.strip().lower() for part in row.get("channels", "").replace(",", ";").split(";")]
        channels = [part for part in raw_channels if part] or ["sms"]
        unknown = [part for part in channels if part not in CHANNELS]
        if unknown:
            reasons.append(gettext("channel “%(value)s” is not one of: %(channels)s", value=unknown[0][:40],
                                   channels=", ".join(CHANNELS)))
        elif "email" in channels and email is None:
            reasons.append(gettext("the channels include email but the line has no e-mail address"))
        if reasons:
            problems.extend(Problem(line, reason) for reason in reasons)
        else:
            good.append(ContactLine(line, code, role, name, mobile, email, language,
                                    tuple(c for c in CHANNELS if c in channels)))
    return good, problems


def load_places(area: Area, codes: Iterable[int]) -> dict[int, tuple[int, bool]]:
    """Look GPs up by LGD code: their id, and whether they lie in the area."""
    found = {}
    inside = case((area.condition(GramPanchayat), True), else_=False)
    codes = sorted(set(codes))
    for start in range(0, len(codes), _QUERY_CHUNK):
        chunk = codes[start:start + _QUERY_CHUNK]
        for code, gp_id, in_area in db.session.execute(
                select(GramPanchayat.lgd_code, GramPanchayat.id, inside).where(GramPanchayat.lgd_code.in_(chunk))):
            found[code] = (gp_id, bool(in_area))
    return found


def check_places(lines: Iterable[ContactLine], places: dict[int, tuple[int, bool]]) -> list[Problem]:
    """Name every line whose GP is unknown or outside the importer's area."""
    problems = []
    for line in lines:
        place = places.get(line.gp_code)
        if place is None:
            problems.append(Problem(line.line, gettext("there is no gram panchayat with code %(code)s",
                                                       code=line.gp_code)))
        elif not place[1]:
            problems.append(Problem(line.line, gettext("gram panchayat %(code)s is outside your area",
                                                       code=line.gp_code)))
    return problems


def validate_contacts_file(data: bytes, area: Area, filename: str = "") -> tuple[list[ContactLine], dict]:
    """Check a whole file; return its lines and their GPs, or raise naming every bad line."""
    lines, problems = parse_contact_rows(named_rows(file_rows(data, filename)))
    places = load_places(area, (line.gp_code for line in lines))
    problems += check_places(lines, places)
    if problems:
        raise ContactImportError(problems)
    if not lines:
        raise ContactImportError([Problem(1, gettext("the file has no rows"))])
    return lines, places


# Applying


def apply_contact_lines(lines: list[ContactLine], places: dict[int, tuple[int, bool]],
                        user_id: int | None) -> ContactImportSummary:
    """Replace the GPs' contacts of the roles in the file, in bulk statements; flush, never commit."""
    db.session.flush()
    pairs = {(places[line.gp_code][0], line.role.value) for line in lines}
    gp_ids = sorted({gp_id for gp_id, _role in pairs})
    replaced, kept_opt_out = set(), {}
    old_ids = []
    for start in range(0, len(gp_ids), _QUERY_CHUNK):
        chunk = gp_ids[start:start + _QUERY_CHUNK]
        for contact_id, gp_id, role, mobile, opted_out_at, source in db.session.execute(
                select(Contact.id, Contact.gram_panchayat_id, Contact.role, Contact.mobile, Contact.opted_out_at,
                       Contact.opt_out_source).where(Contact.gram_panchayat_id.in_(chunk))):
            if (gp_id, role.value) in pairs:
                old_ids.append(contact_id)
                replaced.add((gp_id, role.value))
                if opted_out_at is not None:
                    kept_opt_out[mobile] = (opted_out_at, source)
    # Numbers that opted out anywhere stay opted out, whichever GP or role the file gives them.
    mobiles = sorted({line.mobile for line in lines})
    for start in range(0, len(mobiles), _QUERY_CHUNK):
        for mobile, opted_out_at, source in db.session.execute(
                select(Contact.mobile, Contact.opted_out_at, Contact.opt_out_source)
                .where(Contact.mobile.in_(mobiles[start:start + _QUERY_CHUNK]), Contact.opted_out_at.is_not(None))):
            kept_opt_out.setdefault(mobile, (opted_out_at, source))
    for start in range(0, len(old_ids), _QUERY_CHUNK):
        db.session.execute(delete(Contact).where(Contact.id.in_(old_ids[start:start + _QUERY_CHUNK]))
                           .execution_options(synchronize_session=False))
    now = utc_now()
    rows = []
    for line in lines:
        opted_out_at, source = kept_opt_out.get(line.mobile, (None, None))
        rows.append({"gram_panchayat_id": places[line.gp_code][0], "user_id": None, "role": line.role,
                     "name": line.name, "mobile": line.mobile, "email": line.email, "language": line.language,
                     **channel_flags(line.channels), "opted_out_at": opted_out_at, "opt_out_source": source,
                     "created_at": now, "updated_at": now, "updated_by_id": user_id})
    bulk_insert(Contact.__table__, rows)
    db.session.expire_all()
    # "other" lines replace every other contact of the GP: count each replaced pair once.
    replaced_lines = sum(1 for line in lines if (places[line.gp_code][0], line.role.value) in replaced)
    return ContactImportSummary(created=len(lines) - replaced_lines, replaced=replaced_lines,
                                gram_panchayats=len(gp_ids))


def import_contacts(data: bytes, area: Area, user_id: int | None, filename: str = "") -> ContactImportSummary:
    """Validate a whole file and, only if every line is good, replace the contacts it names."""
    lines, places = validate_contacts_file(data, area, filename)
    return apply_contact_lines(lines, places, user_id)
