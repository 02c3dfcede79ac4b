"""Certificates: their designs (title, text, signatories, emblem), the certificates issued, the batches that issue
them in bulk and the printable bundles of an area's certificates.

Nothing here is ever deleted. A certificate is issued, then perhaps revoked (with a reason) or replaced by a
corrected one: the replacement names the certificate it replaces. What a certificate says is kept as it was
issued (`facts`), so that its verify page shows the certificate as printed, whatever the places or the
attendance later become.
"""
import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.accounts.models import User
from trainer.core.database import UtcDateTime, enum_column, utc_now
from trainer.core.i18n import Bilingual, pick
from trainer.extensions import db
from trainer.programmes.models import Programme
from trainer.regions.models import Block, District, GramPanchayat

TITLE_LENGTH = 200
NAME_LENGTH = 200
SERIAL_LENGTH = 10


class CertificateKind(enum.StrEnum):
    """Why a certificate is given: a programme completed, or work appreciated."""

    PARTICIPATION = "participation"
    APPRECIATION = "appreciation"

    @property
    def label(self):
        return {CertificateKind.PARTICIPATION: _l("Certificate of participation"),
                CertificateKind.APPRECIATION: _l("Certificate of appreciation")}[self]


class RecipientKind(enum.StrEnum):
    """Whom a certificate is given to."""

    GRAM_PANCHAYAT = "gram_panchayat"
    PERSON = "person"
    ORGANISATION = "organisation"

    @property
    def label(self):
        return {RecipientKind.GRAM_PANCHAYAT: _l("Gram panchayat"), RecipientKind.PERSON: _l("Person"),
                RecipientKind.ORGANISATION: _l("Organisation")}[self]


class CertificateState(enum.StrEnum):
    """Where a certificate stands."""

    ISSUED = "issued"
    REVOKED = "revoked"
    REPLACED = "replaced"

    @property
    def label(self):
        return {CertificateState.ISSUED: _l("Valid"), CertificateState.REVOKED: _l("Revoked"),
                CertificateState.REPLACED: _l("Replaced")}[self]


class WorkState(enum.StrEnum):
    """Where a batch or a bundle made on the job queue stands."""

    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"

    @property
    def label(self):
        return {WorkState.QUEUED: _l("Waiting for a worker"), WorkState.RUNNING: _l("In progress"),
                WorkState.DONE: _l("Done"), WorkState.FAILED: _l("Failed")}[self]


class CertificateDesign(Bilingual, db.Model):
    """How a programme's (or an issuing office's) certificates look: title, text with fields, office, emblem and
    signatories. A programme has at most one design; an office's designs (programme_id NULL) serve appreciation."""

    __tablename__ = "certificate_designs"

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[CertificateKind] = mapped_column(enum_column(CertificateKind))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"), unique=True)
    name: Mapped[str] = mapped_column(String(TITLE_LENGTH), default="")  # how staff tell an office's designs apart
    office_hi: Mapped[str] = mapped_column(String(TITLE_LENGTH), default="")
    office_en: Mapped[str] = mapped_column(String(TITLE_LENGTH), default="")
    title_hi: Mapped[str] = mapped_column(String(TITLE_LENGTH))
    title_en: Mapped[str] = mapped_column(String(TITLE_LENGTH), default="")
    body_hi: Mapped[str] = mapped_column(Text)
    body_en: Mapped[str] = mapped_column(Text, default="")
    emblem: Mapped[bytes | None] = mapped_column(LargeBinary)  # PNG, already made small (trainer.certificates.images)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    programme: Mapped[Programme | None] = relationship()
    signatories: Mapped[list["CertificateSignatory"]] = relationship(
        back_populates="design", order_by="CertificateSignatory.position", cascade="all, delete-orphan")

    @property
    def label(self) -> str:
        """Return what staff call the design: its programme's title, else its name, else its title."""
        if self.programme is not None:
            return self.programme.title
        return self.name or self.title


class CertificateSignatory(Bilingual, db.Model):
    """One who signs a design's certificates: name, designation and signature image."""

    __tablename__ = "certificate_signatories"
    __table_args__ = (UniqueConstraint("design_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    design_id: Mapped[int] = mapped_column(ForeignKey("certificate_designs.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name_hi: Mapped[str] = mapped_column(String(NAME_LENGTH))
    name_en: Mapped[str] = mapped_column(String(NAME_LENGTH), default="")
    designation_hi: Mapped[str] = mapped_column(String(NAME_LENGTH))
    designation_en: Mapped[str] = mapped_column(String(NAME_LENGTH), default="")
    signature: Mapped[bytes | None] = mapped_column(LargeBinary)  # PNG

    design: Mapped[CertificateDesign] = relationship(back_populates="signatories")


class Audience(enum.StrEnum):
    """Whom a batch issues certificates to: the gram panchayats, or the programme's partner organisations."""

    GRAM_PANCHAYATS = "gram_panchayats"
    PARTNERS = "partners"

    @property
    def label(self):
        return {Audience.GRAM_PANCHAYATS: _l("Gram panchayats"),
                Audience.PARTNERS: _l("Partner organisations")}[self]


class CertificateBatch(db.Model):
    """A request to issue a programme's participation certificates to every GP of an area that completed it (or
    to every partner organisation that did), worked through on the job queue with its progress."""

    __tablename__ = "certificate_batches"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id"))
    audience: Mapped[Audience] = mapped_column(enum_column(Audience), default=Audience.GRAM_PANCHAYATS,
                                               server_default=Audience.GRAM_PANCHAYATS.value)
    notify: Mapped[bool] = mapped_column(Boolean, default=False)
    state: Mapped[WorkState] = mapped_column(enum_column(WorkState), default=WorkState.QUEUED)
    total: Mapped[int] = mapped_column(Integer, default=0)  # GPs that completed the programme in the area
    issued: Mapped[int] = mapped_column(Integer, default=0)  # certificates this batch made
    already: Mapped[int] = mapped_column(Integer, default=0)  # GPs that had theirs before it
    messages: Mapped[int] = mapped_column(Integer, default=0)  # messages it put in the outbox
    last_gp_id: Mapped[int] = mapped_column(Integer, default=0)  # how far it has gone, in GP id order
    last_organisation_id: Mapped[int] = mapped_column(Integer, default=0, server_default="0")  # partners' batches
    error: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    started_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    programme: Mapped[Programme] = relationship()
    district: Mapped[District | None] = relationship()
    block: Mapped[Block | None] = relationship()
    requested_by: Mapped[User | None] = relationship()

    @property
    def place(self):
        return self.block or self.district

    @property
    def done(self) -> int:
        return self.issued + self.already


class Certificate(db.Model):
    """A certificate as issued: its serial, recipient, what it says, its signed QR payload and its state.

    `subject_key` names what the certificate is for ("p12:g345": programme 12, GP 345; "p12:o67": programme 12,
    partner organisation 67); with `revision` it is
    unique, so that issuing again, from any worker, makes nothing new, and a replacement is the next revision.
    """

    __tablename__ = "certificates"
    __table_args__ = (
        UniqueConstraint("subject_key", "revision"),
        CheckConstraint("revision >= 1", name="revision_from_one"),
        Index("ix_certificates_programme_district", "programme_id", "district_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    serial: Mapped[str] = mapped_column(String(SERIAL_LENGTH), unique=True)
    subject_key: Mapped[str] = mapped_column(String(80))
    revision: Mapped[int] = mapped_column(Integer, default=1)
    kind: Mapped[CertificateKind] = mapped_column(enum_column(CertificateKind))
    state: Mapped[CertificateState] = mapped_column(enum_column(CertificateState), default=CertificateState.ISSUED)
    design_id: Mapped[int] = mapped_column(ForeignKey("certificate_designs.id"))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id"))
    batch_id: Mapped[int | None] = mapped_column(ForeignKey("certificate_batches.id"))
    # The recipient: a gram panchayat, or a person or organisation named by staff. The places are those of the
    # recipient when it was issued, so that an officer's area finds it.
    recipient_kind: Mapped[RecipientKind] = mapped_column(enum_column(RecipientKind))
    gram_panchayat_id: Mapped[int | None] = mapped_column(ForeignKey("gram_panchayats.id"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id"), index=True)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    recipient_hi: Mapped[str] = mapped_column(String(NAME_LENGTH))
    recipient_en: Mapped[str] = mapped_column(String(NAME_LENGTH), default="")
    facts: Mapped[dict] = mapped_column(JSON, default=dict)  # what the text's fields said (services.Facts)
    issued_on: Mapped[date] = mapped_column(Date)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    payload: Mapped[str] = mapped_column(String(400))  # the signed code the QR carries (trainer.certificates.signing)
    key_id: Mapped[str] = mapped_column(String(16))
    revoked_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    revoked_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    revoke_reason: Mapped[str] = mapped_column(Text, default="")
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("certificates.id"), unique=True)
    changed_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    design: Mapped[CertificateDesign] = relationship()
    programme: Mapped[Programme | None] = relationship()
    gram_panchayat: Mapped[GramPanchayat | None] = relationship()
    block: Mapped[Block | None] = relationship()
    district: Mapped[District | None] = relationship()
    issued_by: Mapped[User | None] = relationship(foreign_keys=[issued_by_id])
    revoked_by: Mapped[User | None] = relationship(foreign_keys=[revoked_by_id])
    replaces: Mapped["Certificate | None"] = relationship(remote_side=[id], back_populates="replaced_by")
    replaced_by: Mapped["Certificate | None"] = relationship(back_populates="replaces")

    def __repr__(self) -> str:
        return f"<Certificate {self.serial} {self.state.value}>"

    @property
    def shown_serial(self) -> str:
        """Return the serial as it is printed, in two groups of five: 7KQ2M-XD4PA."""
        return f"{self.serial[:5]}-{self.serial[5:]}"

    @property
    def recipient(self) -> str:
        return pick(self.recipient_hi, self.recipient_en)


class CertificateBundle(db.Model):
    """One PDF of every valid certificate of a programme in a district or block, made on the job queue for
    printing, and kept until a certificate of the place changes."""

    __tablename__ = "certificate_bundles"

    id: Mapped[int] = mapped_column(primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id"))
    state: Mapped[WorkState] = mapped_column(enum_column(WorkState), default=WorkState.QUEUED)
    pages: Mapped[int] = mapped_column(Integer, default=0)
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    error: Mapped[str] = mapped_column(Text, default="")
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    requested_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    finished_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    programme: Mapped[Programme] = relationship()
    district: Mapped[District | None] = relationship()
    block: Mapped[Block | None] = relationship()

    @property
    def place(self):
        return self.block or self.district

    @property
    def size(self) -> int:
        return len(self.content or b"")
