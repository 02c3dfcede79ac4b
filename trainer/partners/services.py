"""The registry's rules and queries: identifiers and names made comparable, possible duplicates, saving an
organisation with its themes, areas and people, and the lists of the pages, the JSON API and the command line.

Staff of any area read the whole registry (an organisation is not placed in an area); planners change it. Nothing
here commits.
"""
import re
import unicodedata
from dataclasses import dataclass, field
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from rapidfuzz import fuzz, process
from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import aliased, selectinload

from trainer.core.database import like_escaped, utc_now
from trainer.core.roles import PLANNERS
from trainer.extensions import db
from trainer.partners.models import (
    THEMES,
    Organisation,
    OrganisationArea,
    OrganisationContact,
    OrganisationKind,
    OrganisationTheme,
)
from trainer.regions.models import Block

# Who may add, change and import organisations; every member of staff reads them.
EDITOR_ROLES = PLANNERS
SIMILAR_NAME_SCORE = 90  # rapidfuzz's fuzz.ratio, 0-100, on the names reduced by name_key
PAN = re.compile(r"[A-Z]{5}[0-9]{4}[A-Z]")
_NOT_ALPHANUMERIC = re.compile(r"[^0-9A-Z]+")
# Words that most names carry and that tell nothing apart ("X Foundation" and "X Trust" are one X).
COMMON_WORDS = frozenset(unicodedata.normalize("NFC", word) for word in {
    "the", "of", "and", "for", "foundation", "trust", "society", "samiti", "sanstha", "sansthan", "organisation",
    "organization", "ngo", "संस्था", "संस्थान", "समिति", "ट्रस्ट", "फाउंडेशन", "फ़ाउंडेशन", "सोसाइटी", "एवं", "और", "की", "का",
})


def normalise_identifier(text: str | None) -> str | None:
    """Return an identifier in upper case without spaces or punctuation ("mp/2017/0123" → "MP20170123"), or None."""
    key = _NOT_ALPHANUMERIC.sub("", unicodedata.normalize("NFKC", text or "").upper())
    return key or None


def valid_pan(text: str) -> bool:
    """Say whether text (normalised) is a PAN: five letters, four digits, a letter."""
    return PAN.fullmatch(text) is not None


def name_key(text: str | None) -> str:
    """Reduce a name for comparison: case, punctuation, spacing and common words (foundation, समिति …) dropped."""
    plain = unicodedata.normalize("NFC", (text or "").casefold())
    # Punctuation and symbols become spaces; letters, digits and the vowel signs of Devanagari (marks) stay.
    plain = "".join(" " if unicodedata.category(ch)[0] in "PSZC" else ch for ch in plain)
    return " ".join(word for word in plain.split() if word not in COMMON_WORDS)


class MatchReason(StrEnum):
    """Why two organisations may be one."""

    SAME_IDENTIFIER = "same identifier"
    SIMILAR_NAME = "similar name"

    @property
    def label(self):
        """Return the reason for people, translated."""
        return _l("the same identifier") if self is MatchReason.SAME_IDENTIFIER else _l("a similar name")


@dataclass(frozen=True)
class Match:
    """An organisation of the registry that may be the one being entered, and why."""

    organisation: Organisation
    reason: MatchReason


@dataclass(frozen=True)
class Person:
    """A contact person, as typed and checked."""

    name: str
    designation: str = ""
    mobile: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class OrganisationValues:
    """What a person typed (or a file said) for an organisation, already checked and normalised."""

    name_hi: str = ""
    name_en: str = ""
    kind: OrganisationKind = OrganisationKind.NGO
    darpan_id: str | None = None
    registration_number: str | None = None
    registering_authority: str = ""
    pan: str | None = None
    address: str = ""
    district_id: int | None = None
    website: str = ""
    email: str | None = None
    phone: str = ""
    themes: tuple[str, ...] = ()
    whole_state: bool = False
    district_ids: tuple[int, ...] = ()
    block_ids: tuple[int, ...] = ()
    people: tuple[Person, ...] = field(default_factory=tuple)

    def identifier_keys(self) -> dict[str, str]:
        """Return the normalised identifiers given, by column."""
        keys = {"darpan_key": normalise_identifier(self.darpan_id), "pan": normalise_identifier(self.pan),
                "registration_key": normalise_identifier(self.registration_number)}
        return {column: key for column, key in keys.items() if key}


class NameIndex:
    """The reduced names of every organisation, loaded once, searched with rapidfuzz.

    Measured on 5,000 organisations: loading the names takes about 10 ms, one search over all of them under
    2 ms (rapidfuzz's C++ scorer), so no SQL prefilter is needed at a state's scale; an importer builds one
    index for a whole file.
    """

    def __init__(self):
        self.ids: list[int] = []
        self.hindi: list[str] = []
        self.english: list[str] = []
        for organisation_id, hindi, english in db.session.execute(
                select(Organisation.id, Organisation.name_hi_key, Organisation.name_en_key).order_by(Organisation.id)):
            self.ids.append(organisation_id)
            self.hindi.append(hindi)
            self.english.append(english)

    def add(self, organisation: Organisation) -> None:
        """Take in an organisation added since the index was loaded."""
        self.ids.append(organisation.id)
        self.hindi.append(organisation.name_hi_key)
        self.english.append(organisation.name_en_key)

    def similar(self, hindi_key: str, english_key: str, exclude_id: int | None = None) -> list[tuple[int, float]]:
        """Return (organisation id, best score) of the organisations whose Hindi or English key is near these."""
        best: dict[int, float] = {}
        for key, keys in ((hindi_key, self.hindi), (english_key, self.english)):
            if not key:
                continue
            for _key, score, position in process.extract(key, keys, scorer=fuzz.ratio,
                                                         score_cutoff=SIMILAR_NAME_SCORE, limit=None):
                if not _key:
                    continue
                organisation_id = self.ids[position]
                if organisation_id != exclude_id:
                    best[organisation_id] = max(score, best.get(organisation_id, 0))
        return sorted(best.items(), key=lambda item: (-item[1], item[0]))


def identifier_condition(keys: dict[str, str]):
    """Return the WHERE clause of the organisations that share any of these normalised identifiers."""
    return or_(*(getattr(Organisation, column) == key for column, key in keys.items()))


def possible_duplicates(values: OrganisationValues, exclude_id: int | None = None,
                        names: NameIndex | None = None) -> list[Match]:
    """Return the organisations that may be this one: the same Darpan ID, PAN or registration number first, then
    near-identical names; each organisation once."""
    matches, seen = [], set()
    keys = values.identifier_keys()
    if keys:
        query = select(Organisation).where(identifier_condition(keys)).order_by(Organisation.id)
        if exclude_id is not None:
            query = query.where(Organisation.id != exclude_id)
        for organisation in db.session.scalars(query):
            matches.append(Match(organisation, MatchReason.SAME_IDENTIFIER))
            seen.add(organisation.id)
    names = names or NameIndex()
    similar = [organisation_id for organisation_id, _score in
               names.similar(name_key(values.name_hi), name_key(values.name_en), exclude_id)
               if organisation_id not in seen]
    if similar:
        found = {o.id: o for o in db.session.scalars(select(Organisation).where(Organisation.id.in_(similar)))}
        matches += [Match(found[organisation_id], MatchReason.SIMILAR_NAME) for organisation_id in similar
                    if organisation_id in found]
    return matches


def values_of(organisation: Organisation) -> OrganisationValues:
    """Return an organisation's stored values, as a form would give them."""
    return OrganisationValues(
        name_hi=organisation.name_hi, name_en=organisation.name_en, kind=organisation.kind,
        darpan_id=organisation.darpan_id, registration_number=organisation.registration_number,
        registering_authority=organisation.registering_authority, pan=organisation.pan,
        address=organisation.address, district_id=organisation.district_id, website=organisation.website,
        email=organisation.email, phone=organisation.phone, themes=tuple(organisation.theme_keys),
        whole_state=any(area.whole_state for area in organisation.areas),
        district_ids=tuple(a.district_id for a in organisation.areas if a.district_id is not None),
        block_ids=tuple(a.block_id for a in organisation.areas if a.block_id is not None),
        people=tuple(Person(p.name, p.designation, p.mobile, p.email) for p in organisation.people))


def new_matches(values: OrganisationValues, organisation: Organisation | None) -> list[Match]:
    """Return the possible duplicates to ask about: for a change, only those the change brings (not the ones
    the stored organisation already matched, nor the one it is flagged a duplicate of)."""
    names = NameIndex()
    if organisation is None or organisation.id is None:
        return possible_duplicates(values, names=names)
    before = {m.organisation.id for m in possible_duplicates(values_of(organisation), organisation.id, names)}
    before.add(organisation.duplicate_of_id)
    return [m for m in possible_duplicates(values, organisation.id, names) if m.organisation.id not in before]


class OrganisationError(Exception):
    """An organisation that cannot be saved so; `message` says why."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def _apply(organisation: Organisation, values: OrganisationValues) -> None:
    if not (values.name_hi or values.name_en):
        raise ValueError("an organisation needs a name")
    organisation.name_hi, organisation.name_en = values.name_hi, values.name_en
    organisation.name_hi_key, organisation.name_en_key = name_key(values.name_hi), name_key(values.name_en)
    organisation.kind = OrganisationKind(values.kind)
    organisation.darpan_id = values.darpan_id or None
    organisation.darpan_key = normalise_identifier(values.darpan_id)
    organisation.registration_number = values.registration_number or None
    organisation.registration_key = normalise_identifier(values.registration_number)
    organisation.registering_authority = values.registering_authority
    organisation.pan = normalise_identifier(values.pan)
    organisation.address, organisation.district_id = values.address, values.district_id
    organisation.website, organisation.email, organisation.phone = values.website, values.email or None, values.phone
    wanted = [theme for theme in THEMES if theme in set(values.themes)]
    organisation.themes = [OrganisationTheme(theme=theme) for theme in wanted]
    areas = [OrganisationArea()] if values.whole_state else []
    areas += [OrganisationArea(district_id=district_id) for district_id in dict.fromkeys(values.district_ids)]
    areas += [OrganisationArea(block_id=block_id) for block_id in dict.fromkeys(values.block_ids)]
    organisation.areas = areas
    organisation.people = [OrganisationContact(name=p.name, designation=p.designation, mobile=p.mobile,
                                               email=p.email) for p in values.people]
    organisation.updated_at = utc_now()


def save_organisation(values: OrganisationValues, user_id: int | None, organisation: Organisation | None = None,
                      duplicate_of: Organisation | None = None) -> Organisation:
    """Add an organisation to the registry, or change one; `duplicate_of` flags it as a duplicate of another."""
    if organisation is None:
        organisation = Organisation(created_by_id=user_id)
        db.session.add(organisation)
    _apply(organisation, values)
    db.session.flush()
    if duplicate_of is not None:
        mark_duplicate(organisation, duplicate_of)
    return organisation


def mark_duplicate(organisation: Organisation, original: Organisation | None) -> None:
    """Flag an organisation as a duplicate of another (None: not a duplicate); the flag points to the original
    at the end of any chain, never to itself."""
    if original is not None:
        seen = {organisation.id}
        while original.duplicate_of is not None and original.id not in seen:
            seen.add(original.id)
            original = original.duplicate_of
        if original.id in seen:
            raise OrganisationError(str(_l("An organisation cannot be a duplicate of itself.")))
        for duplicate in duplicates_of(organisation):  # what pointed here now points to the original too
            duplicate.duplicate_of = original
    organisation.duplicate_of = original
    db.session.flush()


# The pages', the API's and the command line's queries


@dataclass(frozen=True)
class OrganisationFilter:
    """Which organisations a list shows: by name or identifier, kind, theme, district of work or base."""

    query: str = ""
    kind: OrganisationKind | None = None
    theme: str | None = None
    district_id: int | None = None

    def conditions(self) -> list:
        """Return the WHERE clauses on Organisation."""
        clauses = []
        text = self.query.replace("\x00", "").strip()  # PostgreSQL refuses NUL in text
        if text:
            pattern = "%" + like_escaped(text) + "%"
            matches = [Organisation.name_hi.ilike(pattern, escape="\\"),
                       Organisation.name_en.ilike(pattern, escape="\\")]
            key = name_key(text)
            if key:
                matches += [Organisation.name_hi_key.contains(key, autoescape=True),
                            Organisation.name_en_key.contains(key, autoescape=True)]
            identifier = normalise_identifier(text)
            if identifier and len(identifier) >= 4:
                matches += [Organisation.darpan_key == identifier, Organisation.pan == identifier,
                            Organisation.registration_key == identifier]
            clauses.append(or_(*matches))
        if self.kind is not None:
            clauses.append(Organisation.kind == self.kind)
        if self.theme:
            clauses.append(exists().where(OrganisationTheme.organisation_id == Organisation.id,
                                          OrganisationTheme.theme == self.theme))
        if self.district_id:
            # Based in the district, or working there: in the district, one of its blocks, or the whole state.
            in_district = or_(OrganisationArea.district_id == self.district_id,
                              OrganisationArea.block_id.in_(select(Block.id).where(
                                  Block.district_id == self.district_id)),
                              (OrganisationArea.district_id.is_(None) & OrganisationArea.block_id.is_(None)))
            clauses.append(or_(Organisation.district_id == self.district_id,
                               exists().where(OrganisationArea.organisation_id == Organisation.id, in_district)))
        return clauses


def organisation_query(chosen: OrganisationFilter | None = None) -> Select:
    """Return the query of the organisations of a list, by name."""
    chosen = chosen or OrganisationFilter()
    return (select(Organisation).options(selectinload(Organisation.themes), selectinload(Organisation.district))
            .where(*chosen.conditions())
            .order_by(Organisation.name_en_key, Organisation.name_hi_key, Organisation.id))


def load_organisation(organisation_id: int) -> Organisation | None:
    """Return one organisation with its themes, areas and people."""
    return db.session.scalar(select(Organisation).where(Organisation.id == organisation_id).options(
        selectinload(Organisation.themes), selectinload(Organisation.people),
        selectinload(Organisation.areas).selectinload(OrganisationArea.district),
        selectinload(Organisation.areas).selectinload(OrganisationArea.block)))


def duplicates_of(organisation: Organisation) -> list[Organisation]:
    """Return the organisations flagged as duplicates of this one."""
    return list(db.session.scalars(select(Organisation).where(Organisation.duplicate_of_id == organisation.id)
                                   .order_by(Organisation.id)))


def flagged_pairs() -> list[tuple[Organisation, Organisation]]:
    """Return every (duplicate, original) pair flagged in the registry, by the duplicate's id."""
    original = aliased(Organisation)
    return [(duplicate, first) for duplicate, first in db.session.execute(
        select(Organisation, original).join(original, Organisation.duplicate_of_id == original.id)
        .order_by(Organisation.id))]

