"""Campaigns: a target counted by indicators over an LGD area and a span of days, in phases, with the offices
taking part and the programmes linked to it; each indicator's targets by place and phase, and its values reported
by place and period, with every earlier value kept."""
import enum
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from trainer.accounts.models import User
from trainer.core.database import UtcDateTime, enum_column, utc_now
from trainer.core.i18n import Bilingual
from trainer.extensions import db
from trainer.programmes.models import Programme
from trainer.regions.models import Block, District, Division, GramPanchayat

TITLE_LENGTH_MAX = 200
NAME_LENGTH_MAX = 200
UNIT_LENGTH_MAX = 60
CODE_LENGTH_MAX = 30
VALUE_MAX = 2**31 - 1


def _quoted(values) -> str:
    return ", ".join(f"'{value}'" for value in values)


def _one_of(*columns: str) -> str:
    """A CHECK that exactly one of the columns is set."""
    return " + ".join(f"(CASE WHEN {column} IS NULL THEN 0 ELSE 1 END)" for column in columns) + " = 1"


class PeriodKind(enum.StrEnum):
    """How often a campaign's values are reported."""

    WEEK = "week"
    MONTH = "month"
    PHASE = "phase"

    @property
    def label(self):
        """Return the kind's name for people, translated."""
        return PERIOD_LABELS[self]


PERIOD_LABELS = {PeriodKind.WEEK: _l("Every week"), PeriodKind.MONTH: _l("Every month"),
                 PeriodKind.PHASE: _l("Every phase")}


class Approval(enum.StrEnum):
    """Who approves the values reported for a campaign."""

    NONE = "none"
    DISTRICT = "district"
    DISTRICT_THEN_STATE = "district_then_state"

    @property
    def label(self):
        """Return the rule's name for people, translated."""
        return APPROVAL_LABELS[self]


APPROVAL_LABELS = {Approval.NONE: _l("No approval"), Approval.DISTRICT: _l("By the district"),
                   Approval.DISTRICT_THEN_STATE: _l("By the district, then the state")}


class Level(enum.StrEnum):
    """The LGD level at which an indicator's values are reported."""

    GP = "gp"
    BLOCK = "block"
    DISTRICT = "district"

    @property
    def label(self):
        """Return the level's name for people, translated."""
        return LEVEL_LABELS[self]

    @property
    def rank(self) -> int:
        """Return 0 for a GP, 1 for a block, 2 for a district: a target lies at its indicator's rank or above."""
        return list(Level).index(self)

    @property
    def column(self) -> str:
        """Return the name of the column that holds a place of this level."""
        return PLACE_COLUMNS[self]


LEVEL_LABELS = {Level.GP: _l("Gram panchayat"), Level.BLOCK: _l("Block"), Level.DISTRICT: _l("District")}
PLACE_COLUMNS = {Level.GP: "gram_panchayat_id", Level.BLOCK: "block_id", Level.DISTRICT: "district_id"}
PLACE_MODELS = {Level.GP: GramPanchayat, Level.BLOCK: Block, Level.DISTRICT: District}


def level_of(place) -> Level:
    """Return the level of a gram panchayat, block or district."""
    for level, model in PLACE_MODELS.items():
        if isinstance(place, model):
            return level
    raise TypeError(f"not a place of an indicator: {place!r}")


class Source(enum.StrEnum):
    """Where an indicator's values come from: reported from the field, or computed by Trainer from a programme."""

    REPORTED = "reported"
    GPS_TRAINED = "gps_trained"
    PARTICIPANTS = "participants"
    FEEDBACK_RESPONSES = "feedback_responses"
    DIRECTIVES_ON_TIME = "directives_on_time"

    @property
    def label(self):
        """Return the source's name for people, translated."""
        return SOURCE_LABELS[self]

    @property
    def computed(self) -> bool:
        """Say whether Trainer computes the values from its own data."""
        return self is not Source.REPORTED

    @property
    def counts_programme(self) -> bool:
        """Say whether the values are counted in a programme linked to the campaign (the others: in the review
        meetings of the campaign)."""
        return self in PROGRAMME_SOURCES


SOURCE_LABELS = {Source.REPORTED: _l("Reported from the field"),
                 Source.GPS_TRAINED: _l("GPs trained in a programme"),
                 Source.PARTICIPANTS: _l("Participants of a programme"),
                 Source.FEEDBACK_RESPONSES: _l("Feedback responses of a programme"),
                 Source.DIRECTIVES_ON_TIME: _l("Directives of the review meetings done on time")}
PROGRAMME_SOURCES = frozenset({Source.GPS_TRAINED, Source.PARTICIPANTS, Source.FEEDBACK_RESPONSES})


class ValueState(enum.StrEnum):
    """How far a reported value has been approved."""

    REPORTED = "reported"
    APPROVED_DISTRICT = "approved_district"
    APPROVED_STATE = "approved_state"

    @property
    def label(self):
        """Return the state's name for people, translated."""
        return VALUE_STATE_LABELS[self]


VALUE_STATE_LABELS = {ValueState.REPORTED: _l("Reported"), ValueState.APPROVED_DISTRICT: _l("Approved by the district"),
                      ValueState.APPROVED_STATE: _l("Approved by the state")}


class Campaign(Bilingual, db.Model):
    """A campaign over the whole state or one division, district or block, between two days."""

    __tablename__ = "campaigns"
    __table_args__ = (
        CheckConstraint("title_hi <> '' OR title_en <> ''", name="titled"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        CheckConstraint("(CASE WHEN division_id IS NULL THEN 0 ELSE 1 END) + (CASE WHEN district_id IS NULL THEN 0 "
                        "ELSE 1 END) + (CASE WHEN block_id IS NULL THEN 0 ELSE 1 END) <= 1", name="one_area"),
        CheckConstraint(f"period_kind IN ({_quoted(PeriodKind)})", name="period_kind"),
        CheckConstraint(f"approval IN ({_quoted(Approval)})", name="approval"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    title_hi: Mapped[str] = mapped_column(String(TITLE_LENGTH_MAX), default="")
    title_en: Mapped[str] = mapped_column(String(TITLE_LENGTH_MAX), default="")
    description_hi: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    # Asia/Kolkata days, both included.
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)
    # The area covered: none of them set is the whole state.
    division_id: Mapped[int | None] = mapped_column(ForeignKey("divisions.id", ondelete="RESTRICT"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="RESTRICT"), index=True)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id", ondelete="RESTRICT"), index=True)
    period_kind: Mapped[PeriodKind] = mapped_column(enum_column(PeriodKind))
    approval: Mapped[Approval] = mapped_column(enum_column(Approval, length=30))
    created_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))
    updated_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now, onupdate=utc_now)

    division: Mapped[Division | None] = relationship()
    district: Mapped[District | None] = relationship()
    block: Mapped[Block | None] = relationship()
    created_by: Mapped[User | None] = relationship()
    phases: Mapped[list["CampaignPhase"]] = relationship(cascade="all, delete-orphan", back_populates="campaign",
                                                         order_by="CampaignPhase.position")
    offices: Mapped[list["CampaignOffice"]] = relationship(cascade="all, delete-orphan",
                                                           order_by="CampaignOffice.id")
    programme_links: Mapped[list["CampaignProgramme"]] = relationship(cascade="all, delete-orphan",
                                                                      order_by="CampaignProgramme.programme_id")
    indicators: Mapped[list["Indicator"]] = relationship(cascade="all, delete-orphan", back_populates="campaign",
                                                         order_by="Indicator.position")

    def __repr__(self) -> str:
        return f"<Campaign {self.id} {self.title_en or self.title_hi}>"

    @property
    def place(self):
        """Return the division, district or block covered, or None for the whole state."""
        return self.block or self.district or self.division

    @property
    def programmes(self) -> list[Programme]:
        """Return the linked programmes."""
        return [link.programme for link in self.programme_links]


class CampaignPhase(db.Model):
    """One named phase of a campaign, inside its days and apart from its other phases."""

    __tablename__ = "campaign_phases"
    __table_args__ = (
        CheckConstraint("name_hi <> '' OR name_en <> ''", name="named"),
        CheckConstraint("ends_on >= starts_on", name="ends_after_start"),
        UniqueConstraint("campaign_id", "position"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    position: Mapped[int] = mapped_column(Integer)
    name_hi: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    name_en: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    starts_on: Mapped[date] = mapped_column(Date)
    ends_on: Mapped[date] = mapped_column(Date)

    campaign: Mapped[Campaign] = relationship(back_populates="phases")


class CampaignOffice(db.Model):
    """An office or department taking part in a campaign, and what it is responsible for."""

    __tablename__ = "campaign_offices"
    __table_args__ = (CheckConstraint("name_hi <> '' OR name_en <> ''", name="named"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), index=True)
    name_hi: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    name_en: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    responsibilities: Mapped[str] = mapped_column(Text, default="")


class CampaignProgramme(db.Model):
    """A training programme linked to a campaign (its computed indicators count it)."""

    __tablename__ = "campaign_programmes"

    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"), primary_key=True)
    programme_id: Mapped[int] = mapped_column(ForeignKey("programmes.id", ondelete="CASCADE"), primary_key=True,
                                              index=True)

    programme: Mapped[Programme] = relationship()


class Indicator(Bilingual, db.Model):
    """What a campaign counts, in which unit, at which level, and against what its share is taken."""

    __tablename__ = "indicators"
    __table_args__ = (
        CheckConstraint("name_hi <> '' OR name_en <> ''", name="named"),
        CheckConstraint(f"level IN ({_quoted(Level)})", name="level"),
        CheckConstraint(f"source IN ({_quoted(Source)})", name="source"),
        CheckConstraint(f"(source IN ({_quoted(sorted(PROGRAMME_SOURCES))})) = (programme_id IS NOT NULL)",
                        name="programme_of_computed"),
        CheckConstraint("share_of_id IS NULL OR share_of_id <> id", name="not_share_of_itself"),
        UniqueConstraint("campaign_id", "code"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("campaigns.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(CODE_LENGTH_MAX))
    position: Mapped[int] = mapped_column(Integer, default=0)
    name_hi: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    name_en: Mapped[str] = mapped_column(String(NAME_LENGTH_MAX), default="")
    unit_hi: Mapped[str] = mapped_column(String(UNIT_LENGTH_MAX), default="")
    unit_en: Mapped[str] = mapped_column(String(UNIT_LENGTH_MAX), default="")
    higher_is_better: Mapped[bool] = mapped_column(Boolean, default=True)
    may_exceed_target: Mapped[bool] = mapped_column(Boolean, default=False)
    # NULL: the share is value ÷ target; else value ÷ that indicator's value ("linked ÷ identified").
    share_of_id: Mapped[int | None] = mapped_column(ForeignKey("indicators.id", ondelete="SET NULL"), index=True)
    level: Mapped[Level] = mapped_column(enum_column(Level))
    source: Mapped[Source] = mapped_column(enum_column(Source, length=30))
    programme_id: Mapped[int | None] = mapped_column(ForeignKey("programmes.id", ondelete="RESTRICT"), index=True)

    campaign: Mapped[Campaign] = relationship(back_populates="indicators")
    share_of: Mapped["Indicator | None"] = relationship(remote_side=[id])
    programme: Mapped[Programme | None] = relationship()
    targets: Mapped[list["IndicatorTarget"]] = relationship(cascade="all, delete-orphan", back_populates="indicator",
                                                            order_by="IndicatorTarget.id")

    def __repr__(self) -> str:
        return f"<Indicator {self.id} {self.code}>"


class PlacedAt:
    """A row about one gram panchayat, block or district (its gram_panchayat_id, block_id, district_id)."""

    @property
    def level(self) -> Level:
        """Return the level of the row's place."""
        return Level.GP if self.gram_panchayat_id else Level.BLOCK if self.block_id else Level.DISTRICT

    @property
    def place_id(self) -> int:
        """Return the id of the row's place."""
        return self.gram_panchayat_id or self.block_id or self.district_id


class IndicatorTarget(PlacedAt, db.Model):
    """An indicator's target for one place, over one phase or (phase NULL) the whole campaign."""

    __tablename__ = "indicator_targets"
    __table_args__ = (
        CheckConstraint(_one_of("gram_panchayat_id", "block_id", "district_id"), name="one_place"),
        CheckConstraint(f"value BETWEEN 0 AND {VALUE_MAX}", name="value_range"),
        # One target per indicator, phase and place; the whole campaign's (phase NULL) needs indexes of its own,
        # as NULLs never collide in a unique constraint.
        UniqueConstraint("indicator_id", "phase_id", "gram_panchayat_id", name="uq_indicator_targets_phase_gp"),
        UniqueConstraint("indicator_id", "phase_id", "block_id", name="uq_indicator_targets_phase_block"),
        UniqueConstraint("indicator_id", "phase_id", "district_id", name="uq_indicator_targets_phase_district"),
        *(Index(f"uq_indicator_targets_whole_{name}", "indicator_id", column, unique=True,
                sqlite_where=text("phase_id IS NULL"), postgresql_where=text("phase_id IS NULL"))
          for name, column in (("gp", "gram_panchayat_id"), ("block", "block_id"), ("district", "district_id"))),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    phase_id: Mapped[int | None] = mapped_column(ForeignKey("campaign_phases.id", ondelete="CASCADE"), index=True)
    gram_panchayat_id: Mapped[int | None] = mapped_column(ForeignKey("gram_panchayats.id", ondelete="CASCADE"),
                                                          index=True)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"), index=True)
    value: Mapped[int] = mapped_column(Integer)

    indicator: Mapped[Indicator] = relationship(back_populates="targets")
    phase: Mapped[CampaignPhase | None] = relationship()
    gram_panchayat: Mapped[GramPanchayat | None] = relationship()
    block: Mapped[Block | None] = relationship()
    district: Mapped[District | None] = relationship()

    @property
    def place(self):
        """Return the target's gram panchayat, block or district."""
        return self.gram_panchayat or self.block or self.district


class ValueColumns:
    """A value as reported: how much, how far approved, by whom and when."""

    value: Mapped[int] = mapped_column(Integer)
    state: Mapped[ValueState] = mapped_column(enum_column(ValueState), default=ValueState.REPORTED)
    reported_at: Mapped[datetime] = mapped_column(UtcDateTime, default=utc_now)


class IndicatorValue(PlacedAt, ValueColumns, db.Model):
    """The current value of an indicator for one place and period (the period's first day)."""

    __tablename__ = "indicator_values"
    __table_args__ = (
        CheckConstraint(_one_of("gram_panchayat_id", "block_id", "district_id"), name="one_place"),
        CheckConstraint(f"value BETWEEN 0 AND {VALUE_MAX}", name="value_range"),
        CheckConstraint(f"state IN ({_quoted(ValueState)})", name="state"),
        # Each binds the rows of its own level (a NULL place never collides).
        UniqueConstraint("indicator_id", "period_start", "gram_panchayat_id", name="uq_indicator_values_gp"),
        UniqueConstraint("indicator_id", "period_start", "block_id", name="uq_indicator_values_block"),
        UniqueConstraint("indicator_id", "period_start", "district_id", name="uq_indicator_values_district"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    gram_panchayat_id: Mapped[int | None] = mapped_column(ForeignKey("gram_panchayats.id", ondelete="CASCADE"),
                                                          index=True)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"), index=True)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    indicator: Mapped[Indicator] = relationship()
    reported_by: Mapped[User | None] = relationship()
    revisions: Mapped[list["IndicatorValueRevision"]] = relationship(
        cascade="all, delete-orphan", order_by="IndicatorValueRevision.revision")


class IndicatorValueRevision(ValueColumns, db.Model):
    """Every value as it was reported or approved: what, how far approved, by whom and when."""

    __tablename__ = "indicator_value_revisions"
    __table_args__ = (
        UniqueConstraint("value_id", "revision"),
        CheckConstraint(f"value BETWEEN 0 AND {VALUE_MAX}", name="value_range"),
        CheckConstraint(f"state IN ({_quoted(ValueState)})", name="state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    value_id: Mapped[int] = mapped_column(ForeignKey("indicator_values.id", ondelete="CASCADE"))
    revision: Mapped[int] = mapped_column(Integer)
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("users.id", ondelete="SET NULL"))

    reported_by: Mapped[User | None] = relationship()


# What the dashboard reads in place of every value: kept by `trainer.campaigns.standing` as values are written.

WHOLE_CAMPAIGN = 0  # the span of a latest value that is the whole campaign's; a phase's span is its position


class LatestValue(PlacedAt, db.Model):
    """A place's latest value within the whole campaign (span 0) or within one phase (span: its position): the
    value of the latest period the place reported in, with how far it is approved."""

    __tablename__ = "indicator_latest_values"
    __table_args__ = (
        CheckConstraint(_one_of("gram_panchayat_id", "block_id", "district_id"), name="one_place"),
        CheckConstraint(f"state IN ({_quoted(ValueState)})", name="state"),
        # One row per indicator, span and place, each place's level in an index of its own, holding only its rows:
        # a whole state's week rewrites these rows, and every index a row is in is written with it. (PostgreSQL
        # leaves room in each page for rows rewritten in place: the migration sets a fill factor.)
        *(Index(f"uq_indicator_latest_values_{name}", "indicator_id", "span", column, unique=True,
                sqlite_where=text(f"{column} IS NOT NULL"), postgresql_where=text(f"{column} IS NOT NULL"))
          for name, column in (("gp", "gram_panchayat_id"), ("block", "block_id"), ("district", "district_id"))),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    span: Mapped[int] = mapped_column(Integer)
    gram_panchayat_id: Mapped[int | None] = mapped_column(ForeignKey("gram_panchayats.id", ondelete="CASCADE"))
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id", ondelete="CASCADE"))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    value: Mapped[int] = mapped_column(Integer)
    state: Mapped[ValueState] = mapped_column(enum_column(ValueState))


class PeriodSum(db.Model):
    """One period's values of an indicator summed over a block's places (a district's, for district-level
    indicators): what the trend is drawn from."""

    __tablename__ = "indicator_period_sums"
    __table_args__ = (
        CheckConstraint(_one_of("block_id", "district_id"), name="one_place"),
        UniqueConstraint("indicator_id", "period_start", "block_id", name="uq_indicator_period_sums_block"),
        UniqueConstraint("indicator_id", "period_start", "district_id", name="uq_indicator_period_sums_district"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    indicator_id: Mapped[int] = mapped_column(ForeignKey("indicators.id", ondelete="CASCADE"))
    period_start: Mapped[date] = mapped_column(Date)
    block_id: Mapped[int | None] = mapped_column(ForeignKey("blocks.id", ondelete="CASCADE"), index=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id", ondelete="CASCADE"), index=True)
    value: Mapped[int] = mapped_column(BigInteger)
    reporting: Mapped[int] = mapped_column(Integer)
