"""Applications that staff bring in from a CSV or XLSX file: checked whole (every bad line named), then each
recorded and submitted as a public one would be (linked to the registry, flagged as a duplicate when the same
organisation already applied), or none at all.

Columns: name_hi, name_en (at least one on each line), kind, darpan_id, pan, registration_number, district_code
(the LGD code of the district the organisation is based in; empty: it works state-wide), contact_name,
contact_mobile, contact_email, themes (keys of the call's themes separated by semicolons: water;health), received_on
(the day it came, 2026-12-01 or 01/12/2026; empty: the day of the import). The PDFs follow on paper. Used by the
import page and `flask partners import-applications`; nothing is committed here.
"""
import re
from dataclasses import dataclass, field
from datetime import date, datetime, time

from flask_babel import gettext
from sqlalchemy import select

from trainer.contacts.services import normalise_mobile, valid_email
from trainer.core import clock
from trainer.core.bounds import database_int
from trainer.core.files import FileRejected, Problem
from trainer.core.forms import has_control_characters
from trainer.extensions import db
from trainer.partners import applications, importer
from trainer.partners.applications import ApplicationError, ApplicationValues
from trainer.partners.models import (
    EMAIL_LENGTH_MAX,
    IDENTIFIER_LENGTH_MAX,
    NAME_LENGTH_MAX,
    PERSON_LENGTH_MAX,
    Application,
    ApplicationChannel,
    ApplicationState,
    Call,
    OrganisationKind,
)
from trainer.partners.services import OrganisationValues, name_key, normalise_identifier, valid_pan
from trainer.regions.models import District

COLUMNS = ("name_hi", "name_en", "kind", "darpan_id", "pan", "registration_number", "district_code",
           "contact_name", "contact_mobile", "contact_email", "themes", "received_on")
REQUIRED_COLUMNS = ("kind", "contact_name", "contact_mobile", "themes")
SAMPLE_FILE = "static/samples/applications.csv"
_INDIAN_DAY = re.compile(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})")


class ApplicationImportError(FileRejected):
    """The applications file was rejected; `problems` names every bad line, in line order."""


@dataclass(frozen=True)
class ApplicationLine:
    """One good line of the file."""

    line: int
    values: ApplicationValues
    received_on: date


@dataclass
class ApplicationImportSummary:
    """What an import did: the applications recorded, each with its secret code (shown once)."""

    recorded: list[tuple[Application, str]] = field(default_factory=list)

    @property
    def created(self) -> int:
        """Say how many applications were recorded."""
        return len(self.recorded)

    @property
    def duplicates(self) -> int:
        """Say how many were flagged as a second application of the same organisation."""
        return sum(application.state is ApplicationState.DUPLICATE for application, _code in self.recorded)


def _day(text: str) -> date | None:
    try:
        if (indian := _INDIAN_DAY.fullmatch(text)) is not None:
            day, month, year = (int(part) for part in indian.groups())
            return date(year, month, day)
        if len(text) > 10:  # a workbook's date cell, read as a moment at midnight
            moment = datetime.fromisoformat(text)
            return moment.date() if moment.time() == time(0) else None
        return date.fromisoformat(text)
    except ValueError:
        return None


def _too_long(row: dict[str, str], reasons: list[str]) -> None:
    for column, limit in (("name_hi", NAME_LENGTH_MAX), ("name_en", NAME_LENGTH_MAX),
                          ("darpan_id", IDENTIFIER_LENGTH_MAX), ("registration_number", IDENTIFIER_LENGTH_MAX),
                          ("contact_name", PERSON_LENGTH_MAX), ("contact_email", EMAIL_LENGTH_MAX)):
        if len(row.get(column, "")) > limit:
            reasons.append(gettext("%(column)s is longer than %(max)s characters", column=column, max=limit))


def _check_line(row: dict[str, str], call_themes: list[str], districts: dict[int, int], today: date,
                reasons: list[str]) -> ApplicationLine | None:
    """Check one line on its own; return its values, or None after naming what is wrong in `reasons`."""
    if "" in row:
        reasons.append(gettext("the line has more values than the header has columns"))
    if any(has_control_characters(value) for value in row.values()):
        reasons.append(gettext("the line holds control characters (a line break or direction mark inside a value)"))
    name_hi, name_en = row.get("name_hi", ""), row.get("name_en", "")
    if not name_hi and not name_en:
        reasons.append(gettext("the line has no name (name_hi or name_en)"))
    _too_long(row, reasons)
    kinds = {kind.value: kind for kind in OrganisationKind}
    kind = kinds.get(row.get("kind", "").strip().lower())
    if kind is None:
        reasons.append(gettext("kind “%(value)s” is not one of: %(kinds)s", value=row.get("kind", "")[:40],
                               kinds=", ".join(kinds)))
    raw_pan = row.get("pan", "")
    pan = normalise_identifier(raw_pan)
    if raw_pan and (pan is None or not valid_pan(pan)):
        reasons.append(gettext("“%(value)s” is not a PAN (five letters, four digits, a letter: AAAAA9999A)",
                               value=raw_pan[:40]))
    district_id = None
    if raw_district := row.get("district_code", ""):
        code = database_int(raw_district)
        if code is None:
            reasons.append(gettext("district code “%(value)s” is not a number", value=raw_district[:40]))
        elif (district_id := districts.get(code)) is None:
            reasons.append(gettext("there is no district with code %(code)s", code=code))
    contact_name = row.get("contact_name", "")
    if not contact_name:
        reasons.append(gettext("the line has no contact person (contact_name)"))
    raw_mobile = row.get("contact_mobile", "")
    mobile = normalise_mobile(raw_mobile) if raw_mobile else None
    if mobile is None:
        reasons.append(gettext("“%(value)s” is not an Indian mobile number (10 digits starting with 6, 7, 8 or 9)",
                               value=raw_mobile[:40]) if raw_mobile
                       else gettext("the line has no mobile number (contact_mobile)"))
    email = row.get("contact_email", "") or None
    if email is not None and not valid_email(email):
        reasons.append(gettext("“%(value)s” is not a valid e-mail address", value=email[:60]))
    themes = [part.strip().lower() for part in row.get("themes", "").replace(",", ";").split(";")]
    themes = [part for part in themes if part]
    unknown = [part for part in themes if part not in call_themes]
    if unknown:
        reasons.append(gettext("theme “%(value)s” is not one of this call's: %(themes)s", value=unknown[0][:40],
                               themes=", ".join(call_themes)))
    elif not themes:
        reasons.append(gettext("the line has no themes (themes)"))
    received_on = today
    if raw_day := row.get("received_on", ""):
        received_on = _day(raw_day)
        if received_on is None:
            reasons.append(gettext("“%(value)s” is not a day (2026-12-01 or 01/12/2026)", value=raw_day[:40]))
        elif received_on > today:
            reasons.append(gettext("the day received, %(day)s, is in the future", day=received_on.isoformat()))
    if reasons:
        return None
    return ApplicationLine(0, ApplicationValues(
        kind=kind, name_hi=name_hi, name_en=name_en, darpan_id=row.get("darpan_id", "") or None, pan=pan,
        registration_number=row.get("registration_number", "") or None, district_id=district_id,
        contact_name=contact_name, contact_mobile=mobile, contact_email=email,
        themes=tuple(theme for theme in call_themes if theme in themes)), received_on)


def _repeats(values: ApplicationValues) -> list[tuple[str, str]]:
    """What makes two lines of a file one organisation: an identifier, or the same name once reduced."""
    keys = OrganisationValues(name_hi=values.name_hi, name_en=values.name_en, darpan_id=values.darpan_id,
                              pan=values.pan, registration_number=values.registration_number).identifier_keys()
    found = [(importer.IDENTIFIER_COLUMNS[column], key) for column, key in keys.items()]
    found += [(column, key) for column, key in (("name_hi", name_key(values.name_hi)),
                                                  ("name_en", name_key(values.name_en))) if key]
    return found


def validate_applications_file(call: Call, data: bytes, filename: str = "") -> list[ApplicationLine]:
    """Check a whole file for a call; return its lines, or raise naming every bad line."""
    try:
        rows = importer.named_rows(importer.file_rows(data, filename), COLUMNS, REQUIRED_COLUMNS,
                                   ApplicationImportError)
    except importer.OrganisationImportError as rejected:
        raise ApplicationImportError(rejected.problems) from None
    codes = sorted({code for _line, row in rows if (code := database_int(row.get("district_code", "")))})
    districts = dict(db.session.execute(select(District.lgd_code, District.id)
                                        .where(District.lgd_code.in_(codes))).all()) if codes else {}
    today, call_themes = clock.today(), call.theme_keys
    good, problems, first_line = [], [], {}
    for line, row in rows:
        reasons: list[str] = []
        checked = _check_line(row, call_themes, districts, today, reasons)
        if checked is not None:
            for column, key in _repeats(checked.values):
                other = first_line.setdefault((column, key), line)
                if other != line:
                    reasons.append(gettext("the line repeats line %(other)s (the same %(column)s)", other=other,
                                           column=column))
                    break
        if reasons:
            problems.extend(Problem(line, reason) for reason in reasons)
        else:
            good.append(ApplicationLine(line, checked.values, checked.received_on))
    if problems:
        raise ApplicationImportError(problems)
    if not good:
        raise ApplicationImportError([Problem(1, gettext("the file has no rows"))])
    return good


def import_applications(call: Call, data: bytes, user_id: int | None, filename: str = "") -> ApplicationImportSummary:
    """Validate a whole file and, only if every line is good, record and submit each application; flush, never
    commit."""
    summary = ApplicationImportSummary()
    for line in validate_applications_file(call, data, filename):
        try:
            application, code = applications.start_application(
                call, line.values, entered_by_id=user_id, channel=ApplicationChannel.FILE,
                received_on=line.received_on)
            applications.submit(application, user_id)
        except ApplicationError as refused:
            raise ApplicationImportError([Problem(line.line, str(refused.message))]) from None
        summary.recorded.append((application, code))
    return summary
