"""The registry of partner organisations (who they are, their identifiers, themes, areas of work and people) and
the calls for expressions of interest they answer."""
import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import CheckConstraint, Column, Date, ForeignKey, LargeBinary, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.accounts.models import User
from trainer.attendance.models import COUNT_CHECKS, AttendanceCounts
from trainer.core.database import UtcDateTime, enum_column, utc_now
from trainer.core.i18n import Bilingual
from trainer.extensions import db
from trainer.programmes.models import Module, Programme
from trainer.questionnaires.models import AnswerColumns, QuestionColumns, answer_checks
from trainer.regions.models import Block, District

NAME_LENGTH_MAX = 200
IDENTIFIER_LENGTH_MAX = 60
EMAIL_LENGTH_MAX = 254
PHONE_LENGTH_MAX = 20
WEBSITE_LENGTH_MAX = 200
PERSON_LENGTH_MAX = 120
FILE_NAME_LENGTH_MAX = 200


class OrganisationKind(enum.StrEnum):
    """What kind of body an organisation is."""

    UN_AGENCY = "un_agency"
    NGO = "ngo"
    TRUST = "trust"
    CSR_FOUNDATION = "csr_foundation"
    ACADEMIC = "academic"
    GOVERNMENT = "government"
    OTHER = "other"

    @property
    def label(self):
        """Return the kind's name for people, translated."""
        return KIND_LABELS[self]


KIND_LABELS = {
    OrganisationKind.UN_AGENCY: _l("UN agency"),
    OrganisationKind.NGO: _l("NGO"),
    OrganisationKind.TRUST: _l("Trust"),
    OrganisationKind.CSR_FOUNDATION: _l("CSR foundation"),
    OrganisationKind.ACADEMIC: _l("Academic institution"),
    OrganisationKind.GOVERNMENT: _l("Government body"),
    OrganisationKind.OTHER: _l("Other"),
}

# The themes an organisation works on: a fixed list, so that calls and reports can count by them.
THEME_LABELS = {
    "water": _l("Drinking water"),
    "sanitation": _l("Sanitation"),
    "health": _l("Health"),
    "nutrition": _l("Nutrition"),
    "livelihoods": _l("Livelihoods"),
    "gender": _l("Gender"),
    "education": _l("Education"),
    "governance": _l("Local governance"),
    "climate": _l("Climate and environment"),
    "other": _l("Other themes"),
}
THEMES = tuple(THEME_LABELS)


def _quoted(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


class Organisation(db.Model):
    """One organisation of the registry; one that is another's duplicate points to it."""

    __tablename__ = "organisations"
    __table_args__ = (
        CheckConstraint("name_hi <> '' OR name_en <> ''", name="named"),
        CheckConstraint(f"kind IN ({_quoted(OrganisationKind)})", name="kind"),
        CheckConstraint("pan IS NULL OR length(pan) = 10", name="pan_length"),
        CheckConstraint("duplicate_of_id IS NULL OR duplicate_of_id <> id", name="not_own_duplicate"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name_hi: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    name_en: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    # Identifiers as typed, and normalised (upper case, letters and digits only) for finding the same one again.
    darpan_id: Mapped[str | None] = mapped_column(String(IDENTIFIER_LENGTH_MAX))
    darpan_key: Mapped[str | None] = mapped_column(String(IDENTIFIER_LENGTH_MAX), index=True)
    registration_number: Mapped[str | None] = mapped_column(String(IDENTIFIER_LENGTH_MAX))
    registration_key: Mapped[str | None] = mapped_column(String(IDENTIFIER_LENGTH_MAX), index=True)
    registering_authority: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    pan: Mapped[str | None] = mapped_column(String(10), index=True)  # always normalised: AAAAA9999A
    # Names reduced for comparison (trainer.partners.services.name_key).
    name_hi_key: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    name_en_key: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    address: Mapped[str] = mapped_column(Text, default="")
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="SET NULL"), index=True)
    website: Mapped[str] = mapped_column(String(WEBSITE_LENGTH_MAX), default="")
    email: Mapped[str | None] = mapped_column(String(EMAIL_LENGTH_MAX))
    phone: Mapped[str] = mapped_column(String(PHONE_LENGTH_MAX), default="")
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"),
                                                        index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    district: Mapped[District | None] = relationship()
    duplicate_of: Mapped["Organisation | None"] = relationship(remote_side=[id])
    themes: Mapped[list["OrganisationTheme"]] = relationship(cascade="all, delete-orphan",
                                                             order_by="OrganisationTheme.theme")
    areas: Mapped[list["OrganisationArea"]] = relationship(cascade="all, delete-orphan",
                                                           order_by="OrganisationArea.id")
    people: Mapped[list["OrganisationContact"]] = relationship(cascade="all, delete-orphan",
                                                               order_by="OrganisationContact.id")

    def __repr__(self) -> str:
        return f"<Organisation {self.id} {self.name_en or self.name_hi}>"

    @property
    def theme_keys(self) -> list[str]:
        """Return the organisation's themes, in the fixed list's order."""
        chosen = {row.theme for row in self.themes}
        return [theme for theme in THEMES if theme in chosen]


class OrganisationTheme(db.Model):
    """One theme an organisation works on."""

    __tablename__ = "organisation_themes"
    __table_args__ = (CheckConstraint(f"theme IN ({_quoted(THEMES)})", name="theme"),)

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 primary_key=True)
    theme: Mapped[str] = mapped_column(String(20), primary_key=True, index=True)


class OrganisationArea(db.Model):
    """Where an organisation works: a district, a block, or (neither) the whole state."""

    __tablename__ = "organisation_areas"
    __table_args__ = (CheckConstraint("district_id IS NULL OR block_id IS NULL", name="one_level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"), index=True)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id", ondelete="CASCADE"), index=True)

    district: Mapped[District | None] = relationship()
    block: Mapped[Block | None] = relationship()

    @property
    def whole_state(self) -> bool:
        """Say whether the organisation works in the whole state."""
        return self.district_id is None and self.block_id is None


class OrganisationContact(db.Model):
    """A person of an organisation whom the department deals with."""

    __tablename__ = "organisation_contacts"
    __table_args__ = (CheckConstraint("mobile IS NULL OR length(mobile) = 10", name="mobile_digits"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(String(PERSON_LENGTH_MAX))
    designation: Mapped[str] = mapped_column(String(PERSON_LENGTH_MAX), default="")
    mobile: Mapped[str | None] = mapped_column(String(10))
    email: Mapped[str | None] = mapped_column(String(EMAIL_LENGTH_MAX))


TITLE_LENGTH_MAX = 300
CRITERION_LENGTH_MAX = 500
WEIGHT_MAX = 100
SCORE_MAX = 100


class Call(Bilingual, db.Model):
    """A call for expressions of interest: what it is about, its themes, the days it is open, how applications
    are screened and which documents they bring."""

    __tablename__ = "calls"
    __table_args__ = (
        CheckConstraint("title_hi <> '' OR title_en <> ''", name="titled"),
        CheckConstraint("closes_on >= opens_on", name="closes_after_opening"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title_hi: Mapped[str] = mapped_column(String(TITLE_LENGTH_MAX), default="")
    title_en: Mapped[str] = mapped_column(String(TITLE_LENGTH_MAX), default="")
    description_hi: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    # Asia/Kolkata days, both included (trainer.core.clock.today).
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    themes: Mapped[list["CallTheme"]] = relationship(cascade="all, delete-orphan", order_by="CallTheme.theme")
    criteria: Mapped[list["CallCriterion"]] = relationship(cascade="all, delete-orphan", order_by="CallCriterion.id")
    documents: Mapped[list["CallDocument"]] = relationship(cascade="all, delete-orphan",
                                                           order_by="CallDocument.id")
    # The application form's own questions, hidden ones too (trainer.partners.call_questions).
    questions: Mapped[list["CallQuestion"]] = relationship(cascade="all, delete-orphan", back_populates="call",
                                                           order_by="CallQuestion.position")

    def __repr__(self) -> str:
        return f"<Call {self.id} {self.title_en or self.title_hi}>"

    @property
    def theme_keys(self) -> list[str]:
        """Return the call's themes, in the fixed list's order."""
        chosen = {row.theme for row in self.themes}
        return [theme for theme in THEMES if theme in chosen]


class CallTheme(db.Model):
    """One theme a call is about."""

    __tablename__ = "call_themes"
    __table_args__ = (CheckConstraint(f"theme IN ({_quoted(THEMES)})", name="theme"),)

    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), primary_key=True)
    theme: Mapped[str] = mapped_column(String(20), primary_key=True)


class CallCriterion(Bilingual, db.Model):
    """One screening criterion of a call: scored up to its maximum, counted by its weight; a required one must be
    met (e.g. "registered for 3 years")."""

    __tablename__ = "call_criteria"
    __table_args__ = (
        CheckConstraint("text_hi <> '' OR text_en <> ''", name="worded"),
        CheckConstraint(f"weight BETWEEN 1 AND {WEIGHT_MAX}", name="weight_range"),
        CheckConstraint(f"max_score BETWEEN 1 AND {SCORE_MAX}", name="max_score_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    text_hi: Mapped[str] = mapped_column(String(CRITERION_LENGTH_MAX), default="")
    text_en: Mapped[str] = mapped_column(String(CRITERION_LENGTH_MAX), default="")
    weight: Mapped[int] = mapped_column(default=1)
    max_score: Mapped[int] = mapped_column(default=10)
    required: Mapped[bool] = mapped_column(default=False)


class CallDocument(db.Model):
    """A document a call asks applicants for: one PDF each."""

    __tablename__ = "call_documents"
    __table_args__ = (CheckConstraint("name_hi <> '' OR name_en <> ''", name="named"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    name_hi: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    name_en: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    required: Mapped[bool] = mapped_column(default=True)


class CallQuestion(QuestionColumns, db.Model):
    """One question of a call's application form, of any kind a feedback form has. Once applications are
    submitted it is hidden or moved, never reworded, so every answer keeps the question as it was asked."""

    __tablename__ = "call_questions"
    __table_args__ = (UniqueConstraint("call_id", "position"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)

    call: Mapped[Call] = relationship(back_populates="questions")


class ApplicationState(enum.StrEnum):
    """Where an application stands."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    IN_SCREENING = "in_screening"
    MORE_INFORMATION = "more_information"
    SHORTLISTED = "shortlisted"
    SELECTED = "selected"
    NOT_SELECTED = "not_selected"
    WITHDRAWN = "withdrawn"
    DUPLICATE = "duplicate"

    @property
    def label(self):
        """Return the state's name for people, translated."""
        return STATE_LABELS[self]


STATE_LABELS = {
    ApplicationState.DRAFT: _l("Draft"),
    ApplicationState.SUBMITTED: _l("Submitted"),
    ApplicationState.IN_SCREENING: _l("In screening"),
    ApplicationState.MORE_INFORMATION: _l("More information asked"),
    ApplicationState.SHORTLISTED: _l("Shortlisted"),
    ApplicationState.SELECTED: _l("Selected"),
    ApplicationState.NOT_SELECTED: _l("Not selected"),
    ApplicationState.WITHDRAWN: _l("Withdrawn"),
    ApplicationState.DUPLICATE: _l("Duplicate"),
}


class ApplicationChannel(enum.StrEnum):
    """How an application reached the department."""

    ONLINE = "online"  # the public page
    PAPER = "paper"
    EMAIL = "email"
    FILE = "file"  # a line of a CSV or XLSX file that staff imported

    @property
    def label(self):
        """Return the way for people, translated."""
        return CHANNEL_LABELS[self]


CHANNEL_LABELS = {
    ApplicationChannel.ONLINE: _l("On the public page"),
    ApplicationChannel.PAPER: _l("On paper"),
    ApplicationChannel.EMAIL: _l("By e-mail"),
    ApplicationChannel.FILE: _l("From an imported file"),
}


class Application(db.Model):
    """An organisation's application to a call: its details as the applicant gave them, the themes it applies for,
    and, once submitted, the organisation of the registry it is."""

    __tablename__ = "applications"
    __table_args__ = (
        UniqueConstraint("call_id", "number", name="one_number_per_call"),
        CheckConstraint(f"kind IN ({_quoted(OrganisationKind)})", name="kind"),
        CheckConstraint("duplicate_of_id IS NULL OR duplicate_of_id <> id", name="not_own_duplicate"),
        CheckConstraint("contact_mobile IS NULL OR length(contact_mobile) = 10", name="mobile_digits"),
        CheckConstraint(f"channel IN ({_quoted(ApplicationChannel)})", name="channel"),
        CheckConstraint("channel = 'online' OR received_on IS NOT NULL", name="received_on_given"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    number: Mapped[int]  # sequential within the call
    reference: Mapped[str] = mapped_column(String(30), unique=True)  # EOI-<call>-<number>, what the applicant keeps
    code_hash: Mapped[str] = mapped_column(String(64))  # HMAC of the 8-digit code, shown once (trainer.core.codes)
    state: Mapped[ApplicationState] = mapped_column(enum_column(ApplicationState), index=True)
    name_hi: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    name_en: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    kind: Mapped[OrganisationKind] = mapped_column(enum_column(OrganisationKind))
    darpan_id: Mapped[str | None] = mapped_column(String(IDENTIFIER_LENGTH_MAX))
    pan: Mapped[str | None] = mapped_column(String(10))
    registration_number: Mapped[str | None] = mapped_column(String(IDENTIFIER_LENGTH_MAX))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="SET NULL"), index=True)
    contact_name: Mapped[str] = mapped_column(String(PERSON_LENGTH_MAX), default="")
    contact_mobile: Mapped[str | None] = mapped_column(String(10))
    contact_email: Mapped[str | None] = mapped_column(String(EMAIL_LENGTH_MAX))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"),
                                                        index=True)
    duplicate_of_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id", ondelete="SET NULL"))
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    channel: Mapped[ApplicationChannel] = mapped_column(enum_column(ApplicationChannel),
                                                        default=ApplicationChannel.ONLINE)
    received_on: Mapped[date | None] = mapped_column(Date)  # the day a paper, e-mail or file application came in
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    submitted_at: Mapped[datetime | None] = mapped_column(UtcDateTime)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    call: Mapped[Call] = relationship()
    district: Mapped[District | None] = relationship()
    organisation: Mapped[Organisation | None] = relationship()
    duplicate_of: Mapped["Application | None"] = relationship(remote_side=[id])
    themes: Mapped[list["ApplicationTheme"]] = relationship(cascade="all, delete-orphan",
                                                            order_by="ApplicationTheme.theme")
    documents: Mapped[list["ApplicationDocument"]] = relationship(cascade="all, delete-orphan",
                                                                  order_by="ApplicationDocument.id")
    answers: Mapped[list["ApplicationAnswer"]] = relationship(cascade="all, delete-orphan",
                                                              order_by="ApplicationAnswer.id")
    events: Mapped[list["ApplicationEvent"]] = relationship(cascade="all, delete-orphan",
                                                            order_by="ApplicationEvent.id", back_populates="application")
    decision: Mapped["ApplicationDecision | None"] = relationship(cascade="all, delete-orphan",
                                                                  back_populates="application")

    @property
    def theme_keys(self) -> list[str]:
        """Return the themes applied for, in the fixed list's order."""
        chosen = {row.theme for row in self.themes}
        return [theme for theme in THEMES if theme in chosen]

    def sent_files(self) -> dict[int, str]:
        """Return the name of the file sent for each document asked for, by the document's id."""
        return {document.call_document_id: document.file_name for document in self.documents}


class ApplicationTheme(db.Model):
    """One theme an application is for."""

    __tablename__ = "application_themes"
    __table_args__ = (CheckConstraint(f"theme IN ({_quoted(THEMES)})", name="theme"),)

    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    theme: Mapped[str] = mapped_column(String(20), primary_key=True)


class ApplicationAnswer(AnswerColumns, db.Model):
    """One value an application gives to one of its call's questions: a rating, one chosen option (a multiple
    choice gives one row per option), or a text; saved with the draft and kept once submitted."""

    __tablename__ = "application_answers"
    __table_args__ = answer_checks()

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    question_id: Mapped[int] = mapped_column(ForeignKey("call_questions.id", ondelete="CASCADE"), index=True)

    question: Mapped[CallQuestion] = relationship()


class ApplicationDocument(db.Model):
    """A PDF an applicant sent for one of the documents the call asks for; kept in the database, never served to
    the public."""

    __tablename__ = "application_documents"
    __table_args__ = (CheckConstraint("size = length(content)", name="size_of_content"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    call_document_id: Mapped[int | None] = mapped_column(ForeignKey("call_documents.id", ondelete="SET NULL"),
                                                         index=True)
    file_name: Mapped[str] = mapped_column(String(FILE_NAME_LENGTH_MAX))
    size: Mapped[int]
    sha256: Mapped[str] = mapped_column(String(64))
    content: Mapped[bytes] = mapped_column(LargeBinary, deferred=True)
    uploaded_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    call_document: Mapped[CallDocument | None] = relationship()


COMMENT_LENGTH_MAX = 4000
REASON_LENGTH_MAX = 500


class Recommendation(enum.StrEnum):
    """What a reviewer recommends for an application."""

    SELECT = "select"
    MAYBE = "maybe"
    REJECT = "reject"

    @property
    def label(self):
        """Return the recommendation's name for people, translated."""
        return RECOMMENDATION_LABELS[self]


RECOMMENDATION_LABELS = {
    Recommendation.SELECT: _l("Select"),
    Recommendation.MAYBE: _l("Maybe"),
    Recommendation.REJECT: _l("Reject"),
}


class CallReviewer(db.Model):
    """A member of staff a call manager named to review a call's applications."""

    __tablename__ = "call_reviewers"
    __table_args__ = (UniqueConstraint("call_id", "user_id", name="one_reviewer_per_call"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    named_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    named_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    user: Mapped[User] = relationship(foreign_keys=[user_id])


class ReviewConflict(db.Model):
    """A reviewer's conflict of interest in a call: with an organisation of the registry, or with one
    application; such a reviewer is never given the application."""

    __tablename__ = "review_conflicts"
    __table_args__ = (
        CheckConstraint("(organisation_id IS NULL) <> (application_id IS NULL)", name="one_party"),
        CheckConstraint("reason <> ''", name="reasoned"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    call_id: Mapped[int] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                                        index=True)
    application_id: Mapped[int | None] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"),
                                                       index=True)
    reason: Mapped[str] = mapped_column(String(REASON_LENGTH_MAX))
    declared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    declared_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    user: Mapped[User] = relationship(foreign_keys=[user_id])
    organisation: Mapped[Organisation | None] = relationship()
    application: Mapped[Application | None] = relationship()


class Review(db.Model):
    """One reviewer given one application: the recommendation and comment once reviewed, with a score per
    criterion (ReviewScore)."""

    __tablename__ = "reviews"
    __table_args__ = (
        UniqueConstraint("application_id", "user_id", name="one_review_per_reviewer"),
        CheckConstraint(f"recommendation IS NULL OR recommendation IN ({_quoted(Recommendation)})",
                        name="recommendation"),
        CheckConstraint("reviewed_at IS NULL OR recommendation IS NOT NULL", name="reviewed_with_recommendation"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    assigned_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    assigned_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    recommendation: Mapped[Recommendation | None] = mapped_column(enum_column(Recommendation), nullable=True)
    comment: Mapped[str] = mapped_column(Text, default="")
    reviewed_at: Mapped[datetime | None] = mapped_column(UtcDateTime)

    application: Mapped[Application] = relationship()
    user: Mapped[User] = relationship(foreign_keys=[user_id])
    scores: Mapped[list["ReviewScore"]] = relationship(cascade="all, delete-orphan",
                                                       order_by="ReviewScore.criterion_id")


class ReviewScore(db.Model):
    """A reviewer's whole-number score of an application on one criterion (0 to the criterion's maximum; a
    required criterion scored 0 is not met)."""

    __tablename__ = "review_scores"
    __table_args__ = (CheckConstraint(f"score BETWEEN 0 AND {SCORE_MAX}", name="score_range"),)

    review_id: Mapped[int] = mapped_column(ForeignKey("reviews.id", ondelete="CASCADE"), primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("call_criteria.id", ondelete="CASCADE"), primary_key=True,
                                              index=True)
    score: Mapped[int]


class ApplicationEvent(db.Model):
    """One change of an application's state, as it happened: from which state to which, the note that came with it
    (the question asked, the applicant's answer, the reason), who made it (a member of staff, or the applicant when
    nobody is named) and when; with the answer to a request for more information, the PDF the applicant sent."""

    __tablename__ = "application_events"
    __table_args__ = (
        CheckConstraint("from_state <> to_state", name="changes_state"),
        CheckConstraint("file_size IS NULL OR file_size = length(file_content)", name="size_of_file"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), index=True)
    from_state: Mapped[ApplicationState] = mapped_column(enum_column(ApplicationState))
    to_state: Mapped[ApplicationState] = mapped_column(enum_column(ApplicationState))
    note: Mapped[str] = mapped_column(Text, default="")
    by_applicant: Mapped[bool] = mapped_column(default=False)
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    file_name: Mapped[str | None] = mapped_column(String(FILE_NAME_LENGTH_MAX))
    file_size: Mapped[int | None]
    file_sha256: Mapped[str | None] = mapped_column(String(64))
    file_content: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)

    application: Mapped[Application] = relationship(back_populates="events")
    by = relationship("User")


class DecisionOutcome(enum.StrEnum):
    """What the department decided about a shortlisted application."""

    SELECTED = "selected"
    NOT_SELECTED = "not_selected"

    @property
    def state(self) -> ApplicationState:
        """Return the state the application takes when the decision is published."""
        return ApplicationState(self.value)

    @property
    def label(self):
        """Return the outcome's name for people, translated."""
        return STATE_LABELS[self.state]


class ApplicationDecision(db.Model):
    """A decision prepared for an application (seen by staff only) and, once the call's decisions are published
    together, when it was."""

    __tablename__ = "application_decisions"

    application_id: Mapped[int] = mapped_column(ForeignKey("applications.id", ondelete="CASCADE"), primary_key=True)
    outcome: Mapped[DecisionOutcome] = mapped_column(enum_column(DecisionOutcome))
    note: Mapped[str] = mapped_column(Text, default="")
    prepared_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    prepared_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    published_at: Mapped[datetime | None] = mapped_column(UtcDateTime, index=True)

    application: Mapped[Application] = relationship(back_populates="decision")
# Partners' annual plans, their quarterly updates, and master trainers.

ACTIVITY_LENGTH_MAX = 300
NOTE_LENGTH_MAX = 1000
PARTICIPANTS_MAX = 10_000_000
QUARTERS = (1, 2, 3, 4)


class PlanState(enum.StrEnum):
    """Where an annual plan stands: written, sent to the department, returned with comments, sent again, approved."""

    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    RESUBMITTED = "resubmitted"
    APPROVED = "approved"

    @property
    def label(self):
        """Return the state's name for people, translated."""
        return PLAN_STATE_LABELS[self]


PLAN_STATE_LABELS = {
    PlanState.DRAFT: _l("Draft"),
    PlanState.SUBMITTED: _l("Submitted"),
    PlanState.RETURNED: _l("Returned with comments"),
    PlanState.RESUBMITTED: _l("Resubmitted"),
    PlanState.APPROVED: _l("Approved"),
}


class ActivityLevel(enum.StrEnum):
    """At which level an activity of a plan is held."""

    NATIONAL = "national"
    STATE = "state"
    DISTRICT = "district"
    BLOCK = "block"

    @property
    def label(self):
        """Return the level's name for people, translated."""
        return LEVEL_LABELS[self]


LEVEL_LABELS = {
    ActivityLevel.NATIONAL: _l("National"),
    ActivityLevel.STATE: _l("State"),
    ActivityLevel.DISTRICT: _l("District"),
    ActivityLevel.BLOCK: _l("Block"),
}


class Progress(enum.StrEnum):
    """How far an activity got in a quarter."""

    DONE = "done"
    PARTLY = "partly"
    NOT_STARTED = "not_started"

    @property
    def label(self):
        """Return the progress's name for people, translated."""
        return PROGRESS_LABELS[self]


PROGRESS_LABELS = {
    Progress.DONE: _l("Done"),
    Progress.PARTLY: _l("Partly done"),
    Progress.NOT_STARTED: _l("Not started"),
}


class AnnualPlan(db.Model):
    """A partner organisation's plan for one financial year (April to March); the organisation opens it with its
    reference and secret code."""

    __tablename__ = "annual_plans"
    __table_args__ = (
        UniqueConstraint("organisation_id", "year", name="one_plan_per_year"),
        CheckConstraint(f"state IN ({_quoted(PlanState)})", name="state"),
        CheckConstraint("year BETWEEN 2000 AND 2100", name="year_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    year: Mapped[int]  # the financial year's first calendar year: 2026 is April 2026 to March 2027
    reference: Mapped[str] = mapped_column(String(30), unique=True)  # PLAN-<year>-<organisation>
    code_hash: Mapped[str] = mapped_column(String(64))  # HMAC of the 8-digit code (trainer.core.codes)
    state: Mapped[PlanState] = mapped_column(enum_column(PlanState), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    organisation: Mapped[Organisation] = relationship()
    activities: Mapped[list["PlanActivity"]] = relationship(cascade="all, delete-orphan",
                                                           order_by="(PlanActivity.planned_from, PlanActivity.id)")
    events: Mapped[list["PlanEvent"]] = relationship(cascade="all, delete-orphan", order_by="PlanEvent.id")
    updates: Mapped[list["QuarterlyUpdate"]] = relationship(cascade="all, delete-orphan",
                                                           order_by="QuarterlyUpdate.quarter")

    def __repr__(self) -> str:
        return f"<AnnualPlan {self.reference} {self.state}>"

    @property
    def year_label(self) -> str:
        """Return the financial year as the department writes it: 2026-27."""
        return f"{self.year}-{(self.year + 1) % 100:02d}"


class PlanActivity(db.Model):
    """One activity of an annual plan: what, on which theme, at which level and where, when, for how many."""

    __tablename__ = "plan_activities"
    __table_args__ = (
        CheckConstraint("title <> ''", name="titled"),
        CheckConstraint(f"theme IN ({_quoted(THEMES)})", name="theme"),
        CheckConstraint(f"level IN ({_quoted(ActivityLevel)})", name="level"),
        CheckConstraint("planned_to >= planned_from", name="ends_after_start"),
        CheckConstraint(f"participants BETWEEN 0 AND {PARTICIPANTS_MAX}", name="participants_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plans.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(ACTIVITY_LENGTH_MAX))
    theme: Mapped[str] = mapped_column(String(20))
    level: Mapped[ActivityLevel] = mapped_column(enum_column(ActivityLevel))
    planned_from: Mapped[date] = mapped_column(Date)
    planned_to: Mapped[date] = mapped_column(Date)
    participants: Mapped[int] = mapped_column(default=0)

    areas: Mapped[list["PlanActivityArea"]] = relationship(cascade="all, delete-orphan", order_by="PlanActivityArea.id")

    @property
    def theme_label(self):
        """Return the activity's theme for people."""
        return THEME_LABELS.get(self.theme, self.theme)


class PlanActivityArea(db.Model):
    """An LGD district or block where an activity is held."""

    __tablename__ = "plan_activity_areas"
    __table_args__ = (CheckConstraint("(district_id IS NULL) <> (block_id IS NULL)", name="one_level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("plan_activities.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"), index=True)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id", ondelete="CASCADE"), index=True)

    district: Mapped[District | None] = relationship()
    block: Mapped[Block | None] = relationship()


class PlanEvent(db.Model):
    """One step of a plan's history: who moved it to which state, and the department's comments."""

    __tablename__ = "plan_events"
    __table_args__ = (CheckConstraint(f"state IN ({_quoted(PlanState)})", name="state"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plans.id", ondelete="CASCADE"), index=True)
    state: Mapped[PlanState] = mapped_column(enum_column(PlanState))
    comment: Mapped[str] = mapped_column(Text, default="")
    by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    by_partner: Mapped[bool] = mapped_column(default=False)  # through the organisation's own page
    at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class QuarterlyUpdate(db.Model):
    """A partner's report on one quarter of its approved plan."""

    __tablename__ = "quarterly_updates"
    __table_args__ = (
        UniqueConstraint("plan_id", "quarter", name="one_update_per_quarter"),
        CheckConstraint("quarter BETWEEN 1 AND 4", name="quarter_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("annual_plans.id", ondelete="CASCADE"), index=True)
    quarter: Mapped[int]  # 1: April–June … 4: January–March
    submitted_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    by_partner: Mapped[bool] = mapped_column(default=False)

    progress: Mapped[list["ActivityProgress"]] = relationship(cascade="all, delete-orphan",
                                                             order_by="ActivityProgress.activity_id")


class ActivityProgress(db.Model):
    """How far one activity got in the quarter of an update."""

    __tablename__ = "activity_progress"
    __table_args__ = (
        CheckConstraint(f"status IN ({_quoted(Progress)})", name="status"),
        CheckConstraint(f"reached BETWEEN 0 AND {PARTICIPANTS_MAX}", name="reached_range"),
    )

    update_id: Mapped[int] = mapped_column(ForeignKey("quarterly_updates.id", ondelete="CASCADE"), primary_key=True)
    activity_id: Mapped[int] = mapped_column(ForeignKey("plan_activities.id", ondelete="CASCADE"), primary_key=True,
                                             index=True)
    status: Mapped[Progress] = mapped_column(enum_column(Progress))
    reached: Mapped[int] = mapped_column(default=0)  # participants reached in the quarter
    note: Mapped[str] = mapped_column(String(NOTE_LENGTH_MAX), default="")

    activity: Mapped[PlanActivity] = relationship()


master_trainer_programmes = Table(
    "master_trainer_programmes", db.metadata,
    Column("master_trainer_id", ForeignKey("master_trainers.id", ondelete="CASCADE"), primary_key=True),
    Column("programme_id", ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# The modules a master trainer may teach …
master_trainer_modules = Table(
    "master_trainer_modules", db.metadata,
    Column("master_trainer_id", ForeignKey("master_trainers.id", ondelete="CASCADE"), primary_key=True),
    Column("module_id", ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# … and those that name the master trainer as one of their experts (Module.master_trainers, read by the
# calendar's clash check through Module.expert_list).
module_experts = Table(
    "module_experts", db.metadata,
    Column("module_id", ForeignKey("modules.id", ondelete="CASCADE"), primary_key=True),
    Column("master_trainer_id", ForeignKey("master_trainers.id", ondelete="CASCADE"), primary_key=True,
              index=True),
)


class MasterTrainer(db.Model):
    """A person trained through Trainer's programmes who teaches their modules in turn."""

    __tablename__ = "master_trainers"
    __table_args__ = (
        CheckConstraint("name <> ''", name="named"),
        CheckConstraint("mobile IS NULL OR length(mobile) = 10", name="mobile_digits"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(PERSON_LENGTH_MAX))
    mobile: Mapped[str | None] = mapped_column(String(10))
    email: Mapped[str | None] = mapped_column(String(EMAIL_LENGTH_MAX))
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="SET NULL"),
                                                        index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="SET NULL"), index=True)
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    organisation: Mapped[Organisation | None] = relationship()
    district: Mapped[District | None] = relationship()
    programmes: Mapped[list[Programme]] = relationship(secondary=master_trainer_programmes, order_by=Programme.id)
    modules: Mapped[list[Module]] = relationship(secondary=master_trainer_modules, order_by=Module.id)
    expert_of: Mapped[list[Module]] = relationship(secondary=module_experts, order_by=Module.id,
                                                   back_populates="master_trainers")

    def __repr__(self) -> str:
        return f"<MasterTrainer {self.id} {self.name}>"


class ProgrammePartner(db.Model):
    """An organisation of the registry that takes part in a programme: invited to its sessions, marking its
    attendance there and counted in its report."""

    __tablename__ = "programme_partners"

    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"),
                                                 primary_key=True, index=True)
    # The call whose selection brought it in, when it was added as one of "all selected of a call".
    call_id: Mapped[int | None] = mapped_column(ForeignKey("calls.id", ondelete="SET NULL"), index=True)
    added_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    programme: Mapped[Programme] = relationship()
    organisation: Mapped[Organisation] = relationship()
    call: Mapped[Call | None] = relationship()


class OrganisationAccessCode(db.Model):
    """The secret an organisation's representative types once per phone to mark its attendance; stored hashed, as
    a gram panchayat's."""

    __tablename__ = "organisation_access_codes"

    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), primary_key=True)
    code_hash: Mapped[str] = mapped_column(String(128))
    # Raised on every reissue: phones remembered under an older code must identify again.
    version: Mapped[int] = mapped_column(default=1)
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))


class OrganisationAccessCodeIssue(db.Model):
    """Every access code given to an organisation: when and by whom."""

    __tablename__ = "organisation_access_code_issues"

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    version: Mapped[int]
    issued_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    issued_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    issued_by: Mapped[User | None] = relationship()


class OrganisationAttendance(AttendanceCounts, db.Model):
    """One partner organisation present at one session, with the number of its people: one row, whoever marks it
    and however often (the role columns of a gram panchayat's head-count stay empty)."""

    __tablename__ = "organisation_attendances"
    __table_args__ = (
        UniqueConstraint("session_id", "organisation_id"),
        CheckConstraint(COUNT_CHECKS, name="counts_in_range"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[int] = mapped_column(ForeignKey("training_sessions.id", ondelete="CASCADE"))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    revision: Mapped[int] = mapped_column(default=1)
    first_marked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    marked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)

    organisation: Mapped[Organisation] = relationship()
    marked_by: Mapped[User | None] = relationship()


class OrganisationAttendanceRevision(AttendanceCounts, db.Model):
    """Every mark of an organisation as it was made: who, when, from where and how many."""

    __tablename__ = "organisation_attendance_revisions"
    __table_args__ = (UniqueConstraint("attendance_id", "revision"), UniqueConstraint("mark_key"))

    id: Mapped[int] = mapped_column(primary_key=True)
    attendance_id: Mapped[int] = mapped_column(ForeignKey("organisation_attendances.id", ondelete="CASCADE"))
    revision: Mapped[int]
    marked_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    mark_key: Mapped[str | None] = mapped_column(String(36))

    marked_by: Mapped[User | None] = relationship()
