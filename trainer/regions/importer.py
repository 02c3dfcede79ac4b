"""Load or update the hierarchy from an LGD-style CSV: validated whole, then applied whole."""
import csv
import io
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update

from trainer.core.bounds import database_int
from trainer.core.files import FileRejected, Problem, decode_csv, unreadable_line
from trainer.core.forms import has_control_characters
from trainer.extensions import db
from trainer.regions.models import Block, District, Division, GramPanchayat
from trainer.regions.names import place_key

REGION_COLUMNS = (
    "division_code", "division_name_en", "division_name_hi",
    "district_code", "district_name_en", "district_name_hi",
    "block_code", "block_name_en", "block_name_hi",
    "gp_code", "gp_name_en", "gp_name_hi",
)
NAME_MAX = 120
_DIGITS = re.compile(r"[0-9]+")


@dataclass(frozen=True)
class Level:
    """One level of the hierarchy as it appears in the CSV."""

    key: str            # column prefix: division, district, block, gp
    model: type
    parent_key: str | None
    parent_column: str | None

    @property
    def label(self):
        """Return the level's translatable name."""
        return self.model.level_label


LEVELS = (
    Level("division", Division, None, None),
    Level("district", District, "division", "division_id"),
    Level("block", Block, "district", "district_id"),
    Level("gp", GramPanchayat, "block", "block_id"),
)


class RegionImportError(FileRejected):
    """The hierarchy file was rejected; `problems` names every bad line."""


@dataclass
class LevelSummary:
    """What an import did to one level."""

    label: object
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportSummary:
    """What an import did, level by level."""

    levels: dict[str, LevelSummary] = field(default_factory=dict)

    @property
    def changed(self) -> int:
        """Return how many places were created or updated."""
        return sum(s.created + s.updated for s in self.levels.values())


@dataclass
class _Entry:
    line: int
    name_en: str
    name_hi: str
    parent_code: int | None


# Told, after each level is saved, the level's name and how many of its places the file holds.
Progress = Callable[[str, int], None]


def _no_progress(level: str, places: int) -> None:
    pass


def read_region_rows(text: str) -> Iterable[tuple[int, dict[str, str]]]:
    """Yield (line number, row) for each non-empty row, after checking the header."""
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise RegionImportError([Problem(1, str(_l("the file is empty")))]) from None
    except csv.Error:
        raise RegionImportError([unreadable_line(1)]) from None
    names = [h.strip().lower() for h in header]
    missing = [c for c in REGION_COLUMNS if c not in names]
    if missing:
        raise RegionImportError([Problem(1, str(_l("missing columns: %(columns)s", columns=", ".join(missing))))])
    repeated = [c for c in REGION_COLUMNS if names.count(c) > 1]
    if repeated:  # which of the two would be meant?
        raise RegionImportError([Problem(1, str(_l("repeated columns: %(columns)s", columns=", ".join(repeated))))])
    index = {c: names.index(c) for c in REGION_COLUMNS}
    try:
        for values in reader:
            if not any(v.strip() for v in values):
                continue
            row = {c: (values[i].strip() if i < len(values) else "") for c, i in index.items()}
            yield reader.line_num, row
    except csv.Error:
        raise RegionImportError([unreadable_line(reader.line_num)]) from None


def _code(value: str, level: Level, problems: list[Problem], line: int) -> int | None:
    if not value:
        problems.append(Problem(line, str(_l("%(level)s code is empty", level=level.label))))
        return None
    code = database_int(value) if _DIGITS.fullmatch(value) else None
    if code is None:
        problems.append(Problem(line, str(_l("%(level)s code “%(value)s” is not a number",
                                             level=level.label, value=value))))
    return code


def validate_region_rows(rows: Iterable[tuple[int, dict[str, str]]]) -> dict[str, dict[int, _Entry]]:
    """Check every row and the file's consistency; return each level's places by code."""
    problems: list[Problem] = []
    places: dict[str, dict[int, _Entry]] = {level.key: {} for level in LEVELS}
    for line, row in rows:
        codes = {level.key: _code(row[f"{level.key}_code"], level, problems, line) for level in LEVELS}
        for level in LEVELS:
            code = codes[level.key]
            name_en, name_hi = row[f"{level.key}_name_en"], row[f"{level.key}_name_hi"]
            for name in (name_en, name_hi):
                if len(name) > NAME_MAX:
                    problems.append(Problem(line, str(_l("%(level)s name is longer than %(max)s characters",
                                                         level=level.label, max=NAME_MAX))))
                # NUL (which PostgreSQL refuses), line breaks, tabs, escapes, and bidirectional overrides (a name
                # that reads backwards on screen).
                if has_control_characters(name):
                    problems.append(Problem(line, str(_l("%(level)s name contains a control character",
                                                         level=level.label))))
            if not name_en or not name_hi:
                problems.append(Problem(line, str(_l("%(level)s name is empty (both English and Hindi are needed)",
                                                     level=level.label))))
            if code is None:
                continue
            parent_code = codes[level.parent_key] if level.parent_key else None
            seen = places[level.key].get(code)
            if seen is None:
                places[level.key][code] = _Entry(line, name_en, name_hi, parent_code)
                continue
            if (seen.name_en, seen.name_hi) != (name_en, name_hi):
                problems.append(Problem(line, str(_l(
                    "%(level)s %(code)s is named “%(name)s” here but “%(seen)s” on line %(seen_line)s",
                    level=level.label, code=code, name=f"{name_en} / {name_hi}",
                    seen=f"{seen.name_en} / {seen.name_hi}", seen_line=seen.line))))
            if parent_code is not None and seen.parent_code is not None and seen.parent_code != parent_code:
                parent = next(lv for lv in LEVELS if lv.key == level.parent_key)
                problems.append(Problem(line, str(_l(
                    "%(level)s %(code)s is under %(parent)s %(here)s here but under %(there)s on line %(seen_line)s",
                    level=level.label, code=code, parent=parent.label, here=parent_code,
                    there=seen.parent_code, seen_line=seen.line))))
    if problems:
        raise RegionImportError(problems)
    if not places["gp"]:
        raise RegionImportError([Problem(1, str(_l("the file has no rows")))])
    return places


def apply_region_places(places: dict[str, dict[int, _Entry]], progress: Progress = _no_progress) -> ImportSummary:
    """Create or update every place, level by level; flush, never commit."""
    summary = ImportSummary()
    parent_ids: dict[int, int] = {}
    for level in LEVELS:
        model = level.model
        entries = places[level.key]
        columns = [model.id, model.lgd_code, model.name_en, model.name_hi]
        if level.parent_column:
            columns.append(getattr(model, level.parent_column))
        existing = {row.lgd_code: row for row in db.session.execute(select(*columns))}
        counts = LevelSummary(level.label)
        inserts, updates = [], []
        for code, entry in entries.items():
            values = {"lgd_code": code, "name_en": entry.name_en, "name_hi": entry.name_hi}
            if level.parent_column:
                values[level.parent_column] = parent_ids[entry.parent_code]
            row = existing.get(code)
            if row is None:
                inserts.append(values)
            elif any(getattr(row, k) != v for k, v in values.items()):
                updates.append({"id": row.id, **values})
            else:
                counts.unchanged += 1
        if model is GramPanchayat:  # the key of the names, for the secretaries' search (new or renamed only)
            for values in (*inserts, *updates):
                values["search_key"] = place_key(values["name_hi"], values["name_en"])
        if inserts:
            db.session.execute(insert(model), inserts)
        if updates:
            db.session.execute(update(model), updates)
        counts.created, counts.updated = len(inserts), len(updates)
        progress(str(level.label), len(entries))
        summary.levels[level.key] = counts
        parent_ids = dict(db.session.execute(select(model.lgd_code, model.id)).all())
    db.session.flush()
    return summary


def import_regions_csv(data: bytes, progress: Progress = _no_progress) -> ImportSummary:
    """Validate a whole CSV file and, only if every line is good, apply it."""
    places = validate_region_rows(read_region_rows(decode_csv(data)))
    return apply_region_places(places, progress)


def import_region_rows(rows: list[dict[str, str]], progress: Progress = _no_progress) -> ImportSummary:
    """Validate and apply rows given as dicts (line numbers count from 2, as in a file with a header)."""
    return apply_region_places(validate_region_rows(enumerate(rows, start=2)), progress)
