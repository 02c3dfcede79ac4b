"""Organisations from a CSV or XLSX file: checked whole (every bad line named), then added whole, or not at all.

Columns: name_hi, name_en (at least one on each line), kind, darpan_id, pan, registration_number, district_code
(the LGD code of the district the organisation is based in), themes (keys separated by semicolons: water;health),
email, phone, website. A line whose identifier repeats another line's, or belongs to an organisation already in
the registry, is refused; a line whose name is near-identical to an organisation's (or to an earlier line's) is
added, flagged as its possible duplicate. Used by the import page and `flask partners import`; nothing is
committed here.
"""
from collections.abc import Iterable
from dataclasses import dataclass

from flask_babel import gettext
from sqlalchemy import select

from trainer.contacts.services import valid_email
from trainer.core.bounds import database_int
from trainer.core.files import FileRejected, Problem, table_rows
from trainer.core.forms import has_control_characters
from trainer.core.i18n import pick
from trainer.extensions import db
from trainer.partners import services
from trainer.partners.models import (
    EMAIL_LENGTH_MAX,
    IDENTIFIER_LENGTH_MAX,
    NAME_LENGTH_MAX,
    PHONE_LENGTH_MAX,
    THEMES,
    WEBSITE_LENGTH_MAX,
    Organisation,
    OrganisationKind,
)
from trainer.partners.services import OrganisationValues, normalise_identifier, valid_pan
from trainer.regions.models import District

MAX_ROWS = 10_000  # a national call had 330 applicants; a registry of ten thousand is already a wrong file
COLUMNS = ("name_hi", "name_en", "kind", "darpan_id", "pan", "registration_number", "district_code", "themes",
           "email", "phone", "website")
REQUIRED_COLUMNS = ("kind",)
IDENTIFIER_COLUMNS = {"darpan_key": "darpan_id", "pan": "pan", "registration_key": "registration_number"}


class OrganisationImportError(FileRejected):
    """The organisations file was rejected; `problems` names every bad line, in line order."""


@dataclass(frozen=True)
class OrganisationLine:
    """One good line of the file."""

    line: int
    values: OrganisationValues
    district_code: int | None


@dataclass
class OrganisationImportSummary:
    """What an import did."""

    created: int = 0
    flagged: int = 0  # added, and flagged as possible duplicates of an organisation by their names


def file_rows(data: bytes, filename: str = "") -> list[tuple[int, list[str]]]:
    """Return (line number, values) of every line of a CSV or XLSX file (told apart by their first bytes)."""
    try:
        return table_rows(data, filename, MAX_ROWS)
    except FileRejected as rejected:
        raise OrganisationImportError(rejected.problems) from None


def named_rows(rows: list[tuple[int, list[str]]], columns: tuple[str, ...] = COLUMNS,
               required: tuple[str, ...] = REQUIRED_COLUMNS,
               error: type[FileRejected] = OrganisationImportError) -> list[tuple[int, dict[str, str]]]:
    """Check the header (the columns known, the required ones there, a name in Hindi or English); return (line
    number, row by column) of every non-empty line after it, or raise `error`."""
    if not rows:
        raise error([Problem(1, gettext("the file is empty"))])
    header_line, header = rows[0]
    names = [name.strip().lower() for name in header]
    problems = []
    missing = [column for column in required if column not in names]
    if "name_hi" not in names and "name_en" not in names:
        missing.append("name_hi / name_en")
    if missing:
        problems.append(Problem(header_line, gettext("missing columns: %(columns)s", columns=", ".join(missing))))
    unknown = [name or '""' for name in names if name not in columns]
    if unknown:
        problems.append(Problem(header_line, gettext("unknown columns: %(columns)s (the columns are %(allowed)s)",
                                                     columns=", ".join(unknown), allowed=", ".join(columns))))
    repeated = sorted({name for name in names if name in columns and names.count(name) > 1})
    if repeated:
        problems.append(Problem(header_line, gettext("repeated columns: %(columns)s", columns=", ".join(repeated))))
    if problems:
        raise error(problems)
    index = {name: position for position, name in enumerate(names)}
    named = []
    for line, values in rows[1:]:
        if not any(values):
            continue
        if len(named) == MAX_ROWS:
            raise error([Problem(line, gettext(
                "the file has more than %(max)s rows: split it into smaller files", max=f"{MAX_ROWS:,}"))])
        row = {name: (values[i] if i < len(values) else "") for name, i in index.items()}
        if any(values[len(names):]):
            row[""] = ""
        named.append((line, row))
    return named


def _too_long(row: dict[str, str], column: str, limit: int) -> str | None:
    if len(row.get(column, "")) > limit:
        return gettext("%(column)s is longer than %(max)s characters", column=column, max=limit)
    return None


def parse_organisation_rows(rows: Iterable[tuple[int, dict[str, str]]]) -> tuple[list[OrganisationLine],
                                                                                 list[Problem]]:
    """Check each line on its own and against the others; return the good lines and every problem."""
    kinds = {kind.value: kind for kind in OrganisationKind}
    good, problems = [], []
    first_line: dict[tuple[str, str], int] = {}
    for line, row in rows:
        reasons = []
        if "" in row:
            reasons.append(gettext("the line has more values than the header has columns"))
        if any(has_control_characters(value) for value in row.values()):
            reasons.append(gettext("the line holds control characters (a line break or direction mark inside a "
                                   "value)"))
        name_hi, name_en = row.get("name_hi", ""), row.get("name_en", "")
        if not name_hi and not name_en:
            reasons.append(gettext("the line has no name (name_hi or name_en)"))
        for column, limit in (("name_hi", NAME_LENGTH_MAX), ("name_en", NAME_LENGTH_MAX),
                              ("darpan_id", IDENTIFIER_LENGTH_MAX), ("registration_number", IDENTIFIER_LENGTH_MAX),
                              ("phone", PHONE_LENGTH_MAX), ("website", WEBSITE_LENGTH_MAX)):
            if (reason := _too_long(row, column, limit)) is not None:
                reasons.append(reason)
        raw_kind = row.get("kind", "").strip().lower()
        kind = kinds.get(raw_kind)
        if kind is None:
            reasons.append(gettext("kind “%(value)s” is not one of: %(kinds)s", value=row.get("kind", "")[:40],
                                   kinds=", ".join(kinds)))
        raw_pan = row.get("pan", "")
        pan = normalise_identifier(raw_pan)
        if raw_pan and (pan is None or not valid_pan(pan)):
            reasons.append(gettext("“%(value)s” is not a PAN (five letters, four digits, a letter: AAAAA9999A)",
                                   value=raw_pan[:40]))
        themes = [part.strip().lower() for part in row.get("themes", "").replace(",", ";").split(";")]
        themes = [part for part in themes if part]
        unknown = [part for part in themes if part not in THEMES]
        if unknown:
            reasons.append(gettext("theme “%(value)s” is not one of: %(themes)s", value=unknown[0][:40],
                                   themes=", ".join(THEMES)))
        district_code = None
        raw_district = row.get("district_code", "")
        if raw_district and (district_code := database_int(raw_district)) is None:
            reasons.append(gettext("district code “%(value)s” is not a number", value=raw_district[:40]))
        email = row.get("email", "") or None
        if email is not None and (len(email) > EMAIL_LENGTH_MAX or not valid_email(email)):
            reasons.append(gettext("“%(value)s” is not a valid e-mail address", value=email[:60]))
        values = OrganisationValues(name_hi=name_hi, name_en=name_en, kind=kind or OrganisationKind.OTHER,
                                    darpan_id=row.get("darpan_id", "") or None, pan=pan,
                                    registration_number=row.get("registration_number", "") or None,
                                    website=row.get("website", ""), email=email, phone=row.get("phone", ""),
                                    themes=tuple(theme for theme in THEMES if theme in themes))
        for column, key in values.identifier_keys().items():
            other = first_line.setdefault((column, key), line)
            if other != line:
                reasons.append(gettext("%(column)s %(value)s is also on line %(other)s",
                                       column=IDENTIFIER_COLUMNS[column], value=key, other=other))
        if reasons:
            problems.extend(Problem(line, reason) for reason in reasons)
        else:
            good.append(OrganisationLine(line, values, district_code))
    return good, problems


def check_registry(lines: list[OrganisationLine]) -> tuple[list[OrganisationLine], list[Problem]]:
    """Look the districts up, and name every line whose district is unknown or whose identifier an organisation
    of the registry already has; return the lines with their districts' ids."""
    codes = sorted({line.district_code for line in lines if line.district_code is not None})
    districts = dict(db.session.execute(
        select(District.lgd_code, District.id).where(District.lgd_code.in_(codes))).all())
    by_key: dict[tuple[str, str], Organisation] = {}
    for column in IDENTIFIER_COLUMNS:
        keys = sorted({key for line in lines if (key := line.values.identifier_keys().get(column))})
        for start in range(0, len(keys), 500):
            for organisation in db.session.scalars(select(Organisation).where(
                    getattr(Organisation, column).in_(keys[start:start + 500]))):
                by_key.setdefault((column, getattr(organisation, column)), organisation)
    checked, problems = [], []
    for line in lines:
        reasons = []
        if line.district_code is not None and line.district_code not in districts:
            reasons.append(gettext("there is no district with code %(code)s", code=line.district_code))
        for column, key in line.values.identifier_keys().items():
            if (known := by_key.get((column, key))) is not None:
                reasons.append(gettext("%(column)s %(value)s belongs to “%(name)s” (number %(id)s), already in the "
                                       "registry", column=IDENTIFIER_COLUMNS[column], value=key,
                                       name=pick(known.name_hi, known.name_en), id=known.id))
        if reasons:
            problems.extend(Problem(line.line, reason) for reason in reasons)
        else:
            district_id = districts.get(line.district_code) if line.district_code is not None else None
            checked.append(OrganisationLine(line.line, OrganisationValues(
                **{**vars(line.values), "district_id": district_id}), line.district_code))
    return checked, problems


def validate_organisations_file(data: bytes, filename: str = "") -> list[OrganisationLine]:
    """Check a whole file; return its lines, or raise naming every bad line."""
    lines, problems = parse_organisation_rows(named_rows(file_rows(data, filename)))
    lines, more = check_registry(lines)
    problems += more
    if problems:
        raise OrganisationImportError(problems)
    if not lines:
        raise OrganisationImportError([Problem(1, gettext("the file has no rows"))])
    return lines


def apply_organisation_lines(lines: list[OrganisationLine], user_id: int | None) -> OrganisationImportSummary:
    """Add the organisations of the lines, each flagged if its name is near-identical to one already there;
    flush, never commit."""
    names = services.NameIndex()  # the registry, and then each line added before: the same name twice is caught
    summary = OrganisationImportSummary()
    for line in lines:
        similar = names.similar(services.name_key(line.values.name_hi), services.name_key(line.values.name_en))
        original = db.session.get(Organisation, similar[0][0]) if similar else None
        names.add(services.save_organisation(line.values, user_id, duplicate_of=original))
        summary.created += 1
        summary.flagged += original is not None
    return summary


def import_organisations(data: bytes, user_id: int | None, filename: str = "") -> OrganisationImportSummary:
    """Validate a whole file and, only if every line is good, add the organisations it names."""
    return apply_organisation_lines(validate_organisations_file(data, filename), user_id)
