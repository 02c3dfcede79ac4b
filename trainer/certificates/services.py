"""The rules of certificates: who completed a programme, what a certificate says, issuing (once, however often it
is asked), revoking, replacing, and finding a certificate by its serial.

Services add and flush; the request, command or task that calls them commits.
"""
import secrets
import string
import uuid
from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from trainer.accounts.models import User
from trainer.attendance.services import GRAM_PANCHAYAT, MarkedUnit
from trainer.certificates import signing
from trainer.certificates.models import (
    Audience,
    Certificate,
    CertificateBatch,
    CertificateDesign,
    CertificateKind,
    CertificateSignatory,
    CertificateState,
    RecipientKind,
    WorkState,
)
from trainer.core import clock
from trainer.core.database import insert_on_conflict, utc_now
from trainer.core.i18n import format_long_day, format_number
from trainer.extensions import db
from trainer.partners.attendance import ORGANISATION
from trainer.partners.completion import completed_partner_ids
from trainer.partners.models import Organisation
from trainer.programmes.models import Module, Programme, SessionStatus, TrainingSession, session_modules
from trainer.regions.areas import STATE, Area
from trainer.regions.models import Block, District, GramPanchayat
from trainer.reports.queries import counted_sessions, trained_gp_ids

# Crockford's base32: no I, L, O or U, so that a serial read aloud or typed from paper is not mistaken.
SERIAL_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
_SERIAL_READINGS = str.maketrans({"O": "0", "I": "1", "L": "1"})
CHUNK = 500  # certificates per INSERT


class CertificateError(Exception):
    """A certificate cannot be issued, revoked or replaced as asked; the message says why, in the page's language."""


# Serials


def new_serial() -> str:
    """Return a fresh serial: 10 random characters (50 bits), so that serials cannot be guessed from others."""
    return "".join(secrets.choice(SERIAL_ALPHABET) for _ in range(10))


def normalise_serial(text: str | None) -> str | None:
    """Read a serial as typed (7kq2m-xd4pa, with O for 0 or spaces), or None if it cannot be one."""
    cleaned = "".join((text or "").upper().split()).replace("-", "").translate(_SERIAL_READINGS)
    if len(cleaned) != 10 or any(ch not in SERIAL_ALPHABET for ch in cleaned):
        return None
    return cleaned


def find_by_serial(text: str | None) -> Certificate | None:
    """Return the certificate with this serial (as typed), or None."""
    serial = normalise_serial(text)
    return None if serial is None else db.session.scalar(select(Certificate).where(Certificate.serial == serial))


def successor(certificate: Certificate) -> Certificate | None:
    """Return the certificate that replaced this one, if any."""
    return db.session.scalar(select(Certificate).where(Certificate.replaces_id == certificate.id))


def current_version(certificate: Certificate) -> Certificate:
    """Follow replacements to the certificate that stands now."""
    seen = set()
    while certificate.state is CertificateState.REPLACED and certificate.id not in seen:
        seen.add(certificate.id)
        following = successor(certificate)
        if following is None:
            break
        certificate = following
    return certificate


# Designs and their text


FIELDS = {
    "recipient": _l("the recipient's name"),
    "gp": _l("the gram panchayat"),
    "block": _l("its janpad panchayat (block)"),
    "district": _l("its district"),
    "programme": _l("the programme"),
    "sessions": _l("how many sessions it attended"),
    "dates": _l("the dates of those sessions"),
    "participants": _l("the head-count over those sessions"),
    "detail": _l("the recipient's designation or office"),
    "reason": _l("why the certificate is given"),
    "date": _l("the date of issue"),
}
PARTICIPATION_FIELDS = ("recipient", "gp", "block", "district", "programme", "sessions", "dates", "participants",
                        "date")
APPRECIATION_FIELDS = ("recipient", "detail", "reason", "district", "block", "programme", "date")

DEFAULT_TEXTS = {
    CertificateKind.PARTICIPATION: {
        "title_hi": "सहभागिता प्रमाण-पत्र", "title_en": "Certificate of Participation",
        "body_hi": "प्रमाणित किया जाता है कि ग्राम पंचायत {gp}, जनपद पंचायत {block}, जिला {district} ने "
                   "“{programme}” प्रशिक्षण कार्यक्रम के {sessions} सत्रों ({dates}) में {participants} प्रतिभागियों "
                   "के साथ भाग लेकर प्रशिक्षण पूर्ण किया।",
        "body_en": "This is to certify that Gram Panchayat {gp}, Janpad Panchayat {block}, District {district}, "
                   "completed the training programme “{programme}”, attending {sessions} sessions ({dates}) with "
                   "{participants} participants.",
    },
    CertificateKind.APPRECIATION: {
        "title_hi": "सम्मान पत्र", "title_en": "Certificate of Appreciation",
        "body_hi": "{recipient}, {detail} को {reason} हेतु यह सम्मान पत्र सादर प्रदान किया जाता है।",
        "body_en": "This certificate of appreciation is presented to {recipient}, {detail}, for {reason}.",
    },
}
# A partner organisation's certificate of participation, when the design's text speaks of a gram panchayat.
ORGANISATION_TEXTS = {
    "body_hi": "प्रमाणित किया जाता है कि {recipient} ने साझेदार संस्था के रूप में “{programme}” प्रशिक्षण कार्यक्रम के "
               "{sessions} सत्रों ({dates}) में {participants} प्रतिभागियों के साथ भाग लेकर प्रशिक्षण पूर्ण किया।",
    "body_en": "This is to certify that {recipient}, as a partner organisation, completed the training programme "
               "“{programme}”, attending {sessions} sessions ({dates}) with {participants} participants.",
}
GP_FIELDS = ("gp", "block")  # what only a gram panchayat's certificate fills
DEFAULT_OFFICE = {"office_hi": "पंचायत एवं ग्रामीण विकास विभाग", "office_en": "Department of Panchayat and Rural Development"}


def fields_of(kind: CertificateKind) -> tuple[str, ...]:
    return PARTICIPATION_FIELDS if kind is CertificateKind.PARTICIPATION else APPRECIATION_FIELDS


def unknown_fields(text: str, kind: CertificateKind) -> list[str] | None:
    """Return the {fields} of a text that a certificate of this kind cannot fill, or None if the braces do not
    pair up."""
    try:
        named = [name for _literal, name, _spec, _conv in string.Formatter().parse(text) if name is not None]
    except ValueError:
        return None
    return [name for name in named if name not in fields_of(kind)]


def body_of(design: CertificateDesign, certificate: Certificate, language: str) -> str:
    """The design's text in a language as a certificate prints it: an organisation's certificate of participation
    takes the organisations' usual text when the design's names a gram panchayat's fields ({gp}, {block})."""
    text = design.body_en if language == "en" else design.body_hi
    if (certificate.recipient_kind is RecipientKind.ORGANISATION and certificate.kind is CertificateKind.PARTICIPATION
            and any(f"{{{name}}}" in text for name in GP_FIELDS)):
        if language == "en" and not text.strip():
            return ""
        return ORGANISATION_TEXTS["body_en" if language == "en" else "body_hi"]
    return text


def fill(text: str, values: dict) -> str:
    """Fill a design's text with a certificate's values (a field without a value stays empty)."""
    try:
        return text.format_map(defaultdict(str, values))
    except (ValueError, IndexError, KeyError, AttributeError):
        return text  # a design saved before its text was checked: show it as written


def programme_design(programme: Programme) -> CertificateDesign:
    """Return the programme's design, making it (with the usual texts) the first time."""
    design = db.session.scalar(select(CertificateDesign).where(CertificateDesign.programme_id == programme.id))
    if design is None:
        design = CertificateDesign(kind=CertificateKind.PARTICIPATION, programme=programme, **DEFAULT_OFFICE,
                                   **DEFAULT_TEXTS[CertificateKind.PARTICIPATION])
        db.session.add(design)
        db.session.flush()
    return design


def new_office_design(name: str, user: User | None) -> CertificateDesign:
    """Make an office's design for certificates of appreciation, with the usual texts."""
    design = CertificateDesign(kind=CertificateKind.APPRECIATION, name=name, updated_by_id=user.id if user else None,
                               **DEFAULT_OFFICE, **DEFAULT_TEXTS[CertificateKind.APPRECIATION])
    db.session.add(design)
    db.session.flush()
    return design


def add_signatory(design: CertificateDesign, name_hi: str, name_en: str, designation_hi: str, designation_en: str,
                  signature: bytes | None) -> CertificateSignatory:
    """Add a signatory after the design's others."""
    position = max((s.position for s in design.signatories), default=0) + 1
    signatory = CertificateSignatory(position=position, name_hi=name_hi, name_en=name_en,
                                     designation_hi=designation_hi, designation_en=designation_en,
                                     signature=signature)
    design.signatories.append(signatory)
    db.session.flush()
    return signatory


MAX_SIGNATORIES = 3  # what fits side by side on a landscape page


# What a certificate says


def _pair(hindi: str, english: str) -> dict:
    return {"hi": hindi or "", "en": english or ""}


def _place(place) -> dict:
    return {"code": place.lgd_code, "hi": place.name_hi, "en": place.name_en}


@dataclass(frozen=True)
class Attended:
    """A session a GP attended: its day and its modules' titles."""

    day: date
    modules_hi: str
    modules_en: str


def participation_facts(programme: Programme, gp_ids: list[int]) -> dict[int, dict]:
    """What the certificates of these GPs say: their places, the sessions attended (day, modules) and the
    head-count over them. Three statements for the whole list."""
    return {gp_id: fact for gp_id, (fact, _block_id, _district_id) in _participations(programme, gp_ids).items()}


def _modules_of_sessions(programme: Programme) -> dict[int, list[Module]]:
    """The modules of each of the programme's counted sessions, in order."""
    modules: dict[int, list[Module]] = defaultdict(list)
    for session_id, module in db.session.execute(
            select(session_modules.c.session_id, Module).join(Module, Module.id == session_modules.c.module_id)
            .where(session_modules.c.session_id.in_(counted_sessions(programme))).order_by(Module.position)):
        modules[session_id].append(module)
    return modules


def _attended(programme: Programme, unit: MarkedUnit, unit_ids: list[int]) -> dict[int, dict]:
    """What these units (GPs or organisations) attended of the programme: its title, the sessions (day, modules)
    and the head-count over them, by unit id. Two statements for the whole list."""
    modules = _modules_of_sessions(programme)
    marks = unit.marks
    attended: dict[int, list] = defaultdict(list)
    for unit_id, session_id, starts_at, participants in db.session.execute(
            select(marks.c[unit.key], marks.c.session_id, TrainingSession.starts_at, marks.c.participants)
            .select_from(marks).join(TrainingSession, TrainingSession.id == marks.c.session_id)
            .where(marks.c[unit.key].in_(unit_ids), marks.c.session_id.in_(counted_sessions(programme)))
            .order_by(marks.c[unit.key], TrainingSession.starts_at)):
        attended[unit_id].append((session_id, starts_at, participants))
    return {unit_id: {
        "programme": _pair(programme.title_hi, programme.title_en),
        "sessions": [{"day": clock.local_day(starts_at).isoformat(),
                      "hi": ", ".join(m.title_hi for m in modules[session_id]),
                      "en": ", ".join(m.title_en or m.title_hi for m in modules[session_id])}
                     for session_id, starts_at, _count in attended.get(unit_id, [])],
        "participants": sum(count for *_rest, count in attended.get(unit_id, [])),
    } for unit_id in unit_ids}


def _participations(programme: Programme, gp_ids: list[int]) -> dict[int, tuple[dict, int, int]]:
    """The facts of these GPs' certificates, each with the GP's block and district ids."""
    places = db.session.execute(
        select(GramPanchayat, Block, District).join(Block, Block.id == GramPanchayat.block_id)
        .join(District, District.id == Block.district_id).where(GramPanchayat.id.in_(gp_ids))
        .order_by(GramPanchayat.id))
    attended = _attended(programme, GRAM_PANCHAYAT, gp_ids)
    facts = {}
    for gp, block, district in places:
        taken = attended[gp.id]
        facts[gp.id] = ({
            "programme": taken["programme"],
            "gp": _place(gp), "block": _place(block), "district": _place(district),
            "sessions": taken["sessions"], "participants": taken["participants"],
        }, block.id, district.id)
    return facts


def organisation_facts(programme: Programme, organisation_ids: list[int]) -> dict[int, tuple[dict, int | None]]:
    """What the certificates of these partner organisations say: their names, their district where known, the
    sessions attended (day, modules) and the head-count over them; each with the organisation's district id."""
    rows = db.session.execute(
        select(Organisation, District).outerjoin(District, District.id == Organisation.district_id)
        .where(Organisation.id.in_(organisation_ids)).order_by(Organisation.id))
    attended = _attended(programme, ORGANISATION, organisation_ids)
    facts = {}
    for organisation, district in rows:
        taken = attended[organisation.id]
        fact = {"programme": taken["programme"],
                "organisation": {"id": organisation.id, **_pair(organisation.name_hi, organisation.name_en)},
                "sessions": taken["sessions"], "participants": taken["participants"]}
        if district is not None:
            fact["district"] = _place(district)
        facts[organisation.id] = (fact, district.id if district is not None else None)
    return facts


def text_values(certificate: Certificate, language: str) -> dict:
    """The values of a certificate's fields in a language (dates and numbers written as that language writes
    them)."""
    facts = certificate.facts or {}

    def named(key):
        value = facts.get(key) or {}
        return (value.get("en") or value.get("hi", "")) if language == "en" else (value.get("hi") or value.get("en", ""))

    with force_locale("en_IN" if language == "en" else "hi"):
        sessions = facts.get("sessions", [])
        return {
            "recipient": (certificate.recipient_en or certificate.recipient_hi) if language == "en"
            else certificate.recipient_hi,
            "gp": named("gp"), "block": named("block"), "district": named("district"),
            "programme": named("programme"), "detail": named("detail"), "reason": named("reason"),
            "sessions": format_number(len(sessions)),
            "dates": ", ".join(format_long_day(day) for day in sorted({date.fromisoformat(s["day"]) for s in sessions})),
            "participants": format_number(facts.get("participants", 0)),
            "date": format_long_day(certificate.issued_on),
        }


def essentials(certificate: Certificate) -> signing.Essentials:
    gp = (certificate.facts or {}).get("gp") or {}
    return signing.Essentials(certificate.serial, certificate.issued_on, certificate.kind.value,
                              str(gp.get("code", "")), certificate.recipient_hi or certificate.recipient_en)


def _signed(certificate: Certificate) -> Certificate:
    """Give a new certificate its serial and its signed code."""
    certificate.serial = new_serial()
    certificate.payload, certificate.key_id = signing.sign(essentials(certificate))
    return certificate


def _signed_row(row: dict) -> dict:
    """Give a certificate's row its serial and signed code."""
    row["serial"] = new_serial()
    kind = row["kind"]
    gp = (row["facts"] or {}).get("gp") or {}
    code, key = signing.sign(signing.Essentials(row["serial"], row["issued_on"], kind, str(gp.get("code", "")),
                                                row["recipient_hi"] or row["recipient_en"]))
    row.update(payload=code, key_id=key)
    return row


# Issuing


def participation_key(programme_id: int, gram_panchayat_id: int) -> str:
    return f"p{programme_id}:g{gram_panchayat_id}"


def completed_without_certificate(programme: Programme, area: Area):
    """Select the ids of the area's GPs that completed the programme and have no participation certificate of it
    yet (issued, revoked or replaced: a revoked one is not issued again)."""
    has_one = select(Certificate.id).where(Certificate.gram_panchayat_id == GramPanchayat.id,
                                           Certificate.programme_id == programme.id,
                                           Certificate.kind == CertificateKind.PARTICIPATION)
    return trained_gp_ids(programme, area).where(~has_one.exists())


def completed_count(programme: Programme, area: Area) -> int:
    """Count the area's GPs that completed the programme (by the reports' rule)."""
    return db.session.scalar(select(func.count()).select_from(trained_gp_ids(programme, area).subquery())) or 0


def issue_participation(programme: Programme, gp_ids: list[int], *, issued_by: User | None = None,
                        batch: CertificateBatch | None = None) -> list[int]:
    """Issue the programme's participation certificate to each of these GPs that has none; return the ids of the
    certificates made. Asking again, from any worker at once, makes nothing more: a certificate's
    (subject, revision) is unique and the INSERT skips what exists."""
    if not gp_ids:
        return []
    design = programme_design(programme)
    found = _participations(programme, gp_ids)
    today, now = clock.local_day(utc_now()), utc_now()
    rows = [_signed_row(dict(
        subject_key=participation_key(programme.id, gp_id), revision=1, kind=CertificateKind.PARTICIPATION.value,
        state=CertificateState.ISSUED.value, design_id=design.id, programme_id=programme.id,
        batch_id=batch.id if batch else None, recipient_kind=RecipientKind.GRAM_PANCHAYAT.value,
        gram_panchayat_id=gp_id, block_id=block_id, district_id=district_id,
        recipient_hi=fact["gp"]["hi"], recipient_en=fact["gp"]["en"], facts=fact, issued_on=today, issued_at=now,
        issued_by_id=issued_by.id if issued_by else None, revoke_reason="", changed_at=now))
        for gp_id, (fact, block_id, district_id) in found.items()]
    return _insert_new(rows)


def organisation_key(programme_id: int, organisation_id: int) -> str:
    return f"p{programme_id}:o{organisation_id}"


def partners_without_certificate(programme: Programme, area: Area = STATE):
    """Select the ids of the programme's partner organisations (of the area) that completed it and have no
    participation certificate of it yet (issued, revoked or replaced: a revoked one is not issued again)."""
    has_one = select(Certificate.id).where(Certificate.organisation_id == Organisation.id,
                                           Certificate.programme_id == programme.id,
                                           Certificate.kind == CertificateKind.PARTICIPATION)
    return completed_partner_ids(programme, area).where(~has_one.exists())


def partners_completed_count(programme: Programme, area: Area = STATE) -> int:
    """Count the programme's partner organisations (of the area) that completed it (by the one completion rule)."""
    return db.session.scalar(select(func.count()).select_from(completed_partner_ids(programme, area).subquery())) or 0


def issue_to_partners(programme: Programme, organisation_ids: list[int], *, issued_by: User | None = None,
                      batch: CertificateBatch | None = None) -> list[int]:
    """Issue the programme's participation certificate to each of these partner organisations that has none;
    return the ids of the certificates made. Asked again, from any worker at once, it makes nothing more (as
    issue_participation)."""
    if not organisation_ids:
        return []
    design = programme_design(programme)
    found = organisation_facts(programme, organisation_ids)
    today, now = clock.local_day(utc_now()), utc_now()
    rows = []
    for organisation_id, (fact, district_id) in found.items():
        names = fact["organisation"]
        rows.append(_signed_row(dict(
            subject_key=organisation_key(programme.id, organisation_id), revision=1,
            kind=CertificateKind.PARTICIPATION.value, state=CertificateState.ISSUED.value, design_id=design.id,
            programme_id=programme.id, batch_id=batch.id if batch else None,
            recipient_kind=RecipientKind.ORGANISATION.value, gram_panchayat_id=None, organisation_id=organisation_id,
            block_id=None, district_id=district_id, recipient_hi=names["hi"] or names["en"], recipient_en=names["en"],
            facts=fact, issued_on=today, issued_at=now, issued_by_id=issued_by.id if issued_by else None,
            revoke_reason="", changed_at=now)))
    return _insert_new(rows)


def _insert_new(rows: list[dict]) -> list[int]:
    """Insert certificates' rows, skipping those whose (subject, revision) exists; return the ids made."""
    made = []
    table = Certificate.__table__
    for start in range(0, len(rows), CHUNK):
        made += db.session.execute(insert_on_conflict(table).values(rows[start:start + CHUNK])
                                   .on_conflict_do_nothing().returning(table.c.id)).scalars().all()
    return made


@dataclass(frozen=True)
class Appreciation:
    """What staff say of a certificate of appreciation."""

    recipient_kind: RecipientKind
    recipient_hi: str
    recipient_en: str
    detail_hi: str
    detail_en: str
    reason_hi: str
    reason_en: str
    district: District | None = None
    block: Block | None = None


def issue_appreciation(design: CertificateDesign, given: Appreciation, user: User | None,
                       request_key: str | None = None) -> Certificate:
    """Issue a certificate of appreciation; a form sent twice (the same `request_key`) issues it once."""
    if design.kind is not CertificateKind.APPRECIATION:
        raise CertificateError(_("This design is for certificates of participation."))
    key = f"a:{request_key or uuid.uuid4().hex}"[:80]
    existing = db.session.scalar(select(Certificate).where(Certificate.subject_key == key, Certificate.revision == 1))
    if existing is not None:
        return existing
    certificate = _signed(Certificate(
        subject_key=key, revision=1, kind=CertificateKind.APPRECIATION, design_id=design.id,
        programme_id=design.programme_id, recipient_kind=given.recipient_kind,
        recipient_hi=given.recipient_hi, recipient_en=given.recipient_en,
        district_id=given.district.id if given.district else (given.block.district_id if given.block else None),
        block_id=given.block.id if given.block else None,
        facts=_appreciation_facts(design, given), issued_on=clock.local_day(utc_now()),
        issued_by_id=user.id if user else None))
    db.session.add(certificate)
    db.session.flush()
    return certificate


def _appreciation_facts(design: CertificateDesign, given: Appreciation) -> dict:
    facts = {"detail": _pair(given.detail_hi, given.detail_en), "reason": _pair(given.reason_hi, given.reason_en)}
    if given.block is not None:
        facts["block"] = _place(given.block)
        facts["district"] = _place(given.block.district)
    elif given.district is not None:
        facts["district"] = _place(given.district)
    if design.programme is not None:
        facts["programme"] = _pair(design.programme.title_hi, design.programme.title_en)
    return facts


# Revoking and replacing


def revoke(certificate: Certificate, reason: str, user: User | None) -> None:
    """Revoke a valid certificate, saying why; it stays, and its verify page says it is revoked and why."""
    if certificate.state is not CertificateState.ISSUED:
        raise CertificateError(_("Only a valid certificate can be revoked."))
    if not reason.strip():
        raise CertificateError(_("Say why the certificate is revoked."))
    certificate.state = CertificateState.REVOKED
    certificate.revoke_reason = reason.strip()
    certificate.revoked_at = utc_now()
    certificate.revoked_by_id = user.id if user else None
    db.session.flush()


def replace(certificate: Certificate, user: User | None, *, recipient_hi: str, recipient_en: str,
            facts: dict | None = None) -> Certificate:
    """Reissue a valid certificate after a correction: a new certificate (new serial, today's date) that names the
    old one, which becomes "replaced". A participation certificate's facts are read again from the attendance."""
    if certificate.state is not CertificateState.ISSUED:
        raise CertificateError(_("Only a valid certificate can be replaced."))
    if not recipient_hi.strip():
        raise CertificateError(_("The recipient's name in Hindi is needed."))
    if facts is None:
        facts = dict(certificate.facts or {})
        if certificate.kind is CertificateKind.PARTICIPATION and certificate.gram_panchayat_id:
            facts = participation_facts(certificate.programme, [certificate.gram_panchayat_id]).get(
                certificate.gram_panchayat_id, facts)
        elif certificate.kind is CertificateKind.PARTICIPATION and certificate.organisation_id:
            facts = organisation_facts(certificate.programme, [certificate.organisation_id]).get(
                certificate.organisation_id, (facts, None))[0]
    certificate.state = CertificateState.REPLACED
    db.session.flush()
    following = _signed(Certificate(
        subject_key=certificate.subject_key, revision=certificate.revision + 1, kind=certificate.kind,
        design_id=certificate.design_id, programme_id=certificate.programme_id,
        recipient_kind=certificate.recipient_kind, gram_panchayat_id=certificate.gram_panchayat_id,
        organisation_id=certificate.organisation_id, block_id=certificate.block_id, district_id=certificate.district_id, recipient_hi=recipient_hi.strip(),
        recipient_en=recipient_en.strip(), facts=facts, issued_on=clock.local_day(utc_now()),
        issued_by_id=user.id if user else None, replaces_id=certificate.id))
    db.session.add(following)
    db.session.flush()
    return following


# Batches


def request_batch(programme: Programme, place: District | Block | None, notify: bool, user: User | None,
                  audience: Audience = Audience.GRAM_PANCHAYATS) -> CertificateBatch:
    """Record a request to issue the programme's certificates to every GP of a place (or of the programme) that
    completed it, or to every partner organisation (of a district, or all) that did; a task works it through
    (trainer.certificates.tasks)."""
    programme_design(programme)
    batch = CertificateBatch(programme=programme, notify=notify, requested_by_id=user.id if user else None,
                             audience=audience,
                             district=place if isinstance(place, District) else None,
                             block=place if isinstance(place, Block) else None)
    db.session.add(batch)
    db.session.flush()
    return batch


def batch_area(batch: CertificateBatch) -> Area:
    return Area.of(batch.place)


def start_batch(batch: CertificateBatch) -> None:
    """Count what the batch has to do: the GPs (or partner organisations) of its area that completed the
    programme."""
    batch.state = WorkState.RUNNING
    batch.started_at = batch.started_at or utc_now()
    if batch.audience is Audience.PARTNERS:
        batch.total = partners_completed_count(batch.programme, batch_area(batch))
    else:
        batch.total = completed_count(batch.programme, batch_area(batch))
    db.session.flush()


def issue_next_chunk(batch: CertificateBatch, size: int = CHUNK) -> int:
    """Issue the certificates of the batch's next `size` GPs (in id order, after the last it reached); return how
    many GPs it went through (0: none is left).

    The GPs are walked by id instead of asking each time for those still without a certificate: an anti-join
    against a table growing by the minute is what PostgreSQL plans worst. Those that hold one already are found
    by their ids (an index), and counted as such. A partners' batch walks the organisations alike.
    """
    if batch.audience is Audience.PARTNERS:
        return _issue_next_partners(batch, size)
    after = trained_gp_ids(batch.programme, batch_area(batch)).where(GramPanchayat.id > batch.last_gp_id)
    gp_ids = list(db.session.scalars(after.order_by(GramPanchayat.id).limit(size)))
    if not gp_ids:
        return 0
    holding = set(db.session.scalars(select(Certificate.gram_panchayat_id).where(
        Certificate.programme_id == batch.programme_id, Certificate.kind == CertificateKind.PARTICIPATION,
        Certificate.gram_panchayat_id.in_(gp_ids))))
    made = issue_participation(batch.programme, [gp_id for gp_id in gp_ids if gp_id not in holding],
                               issued_by=batch.requested_by, batch=batch)
    batch.issued += len(made)
    batch.already += len(gp_ids) - len(made)  # held before, or made meanwhile by another batch
    batch.last_gp_id = gp_ids[-1]
    db.session.flush()
    return len(gp_ids)


def _issue_next_partners(batch: CertificateBatch, size: int) -> int:
    after = completed_partner_ids(batch.programme, batch_area(batch)).where(
        Organisation.id > batch.last_organisation_id)
    organisation_ids = list(db.session.scalars(after.order_by(Organisation.id).limit(size)))
    if not organisation_ids:
        return 0
    holding = set(db.session.scalars(select(Certificate.organisation_id).where(
        Certificate.programme_id == batch.programme_id, Certificate.kind == CertificateKind.PARTICIPATION,
        Certificate.organisation_id.in_(organisation_ids))))
    made = issue_to_partners(batch.programme, [o for o in organisation_ids if o not in holding],
                             issued_by=batch.requested_by, batch=batch)
    batch.issued += len(made)
    batch.already += len(organisation_ids) - len(made)
    batch.last_organisation_id = organisation_ids[-1]
    db.session.flush()
    return len(organisation_ids)


def finish_batch(batch: CertificateBatch, error: str = "") -> None:
    batch.state = WorkState.FAILED if error else WorkState.DONE
    batch.error = error
    batch.finished_at = utc_now()
    db.session.flush()


# Reading


def in_area(area: Area):
    """Keep the certificates whose place lies in the area (those without a place: the whole state's only)."""
    if area.is_state:
        return Certificate.id.is_not(None)
    if area.gram_panchayat_id:
        return Certificate.gram_panchayat_id == area.gram_panchayat_id
    if area.block_id:
        return Certificate.block_id == area.block_id
    if area.district_id:
        return Certificate.district_id == area.district_id
    return Certificate.district_id.in_(select(District.id).where(District.division_id == area.division_id))


def lies_in(certificate: Certificate, area: Area) -> bool:
    """Say whether a certificate lies in the area (the one rule of the pages and the JSON)."""
    return area.is_state or db.session.scalar(
        select(Certificate.id).where(Certificate.id == certificate.id, in_area(area))) is not None


@dataclass(frozen=True)
class DistrictCount:
    """How many certificates a district's recipients hold, by state."""

    code: int | None
    name_hi: str
    name_en: str
    issued: int
    revoked: int
    replaced: int


def counts_by_district(area: Area, programme_id: int | None = None) -> list[DistrictCount]:
    """Count certificates by district and state in one aggregate (certificates without a district last)."""
    query = (select(District.lgd_code, District.name_hi, District.name_en, Certificate.state, func.count())
             .select_from(Certificate).outerjoin(District, District.id == Certificate.district_id)
             .where(in_area(area)).group_by(District.lgd_code, District.name_hi, District.name_en, Certificate.state))
    if programme_id is not None:
        query = query.where(Certificate.programme_id == programme_id)
    found: dict = {}
    for code, name_hi, name_en, state, count in db.session.execute(query):
        entry = found.setdefault(code, {"name_hi": name_hi or "", "name_en": name_en or "", "counts": {}})
        entry["counts"][CertificateState(state)] = count
    rows = [DistrictCount(code, entry["name_hi"], entry["name_en"],
                          *(entry["counts"].get(state, 0) for state in CertificateState))
            for code, entry in found.items()]
    return sorted(rows, key=lambda row: (row.code is None, row.name_hi))


def certificates_of_gp(gram_panchayat_id: int) -> list[Certificate]:
    """The certificates a gram panchayat holds, newest first."""
    return list(db.session.scalars(
        select(Certificate).where(Certificate.gram_panchayat_id == gram_panchayat_id)
        .options(selectinload(Certificate.programme)).order_by(Certificate.issued_at.desc(), Certificate.id.desc())))


def reported_programmes() -> list[Programme]:
    """The programmes with published sessions (those whose certificates can be issued), newest first."""
    return list(db.session.scalars(select(Programme).where(Programme.id.in_(
        select(TrainingSession.programme_id).where(TrainingSession.status != SessionStatus.DRAFT)))
        .order_by(Programme.first_day.desc(), Programme.id.desc())))


def latest_change(programme: Programme, area: Area):
    """When a certificate of the programme in the area last changed (issued, revoked or replaced)."""
    return db.session.scalar(select(func.max(Certificate.changed_at)).where(
        Certificate.programme_id == programme.id, in_area(area)))
