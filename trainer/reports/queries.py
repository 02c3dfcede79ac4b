"""The one query layer behind every report: pages, JSON, CSV, XLSX and PDF all read these results.

Every figure is a SQL aggregate, always limited to the viewer's area. A gram panchayat is trained under a
programme once it has attended `completion_sessions` of the programme's sessions; a district or block
counts as reached once any of its gram panchayats is trained.
"""
from dataclasses import dataclass, field
from datetime import date, datetime
from itertools import groupby

from sqlalchemy import and_, case, distinct, func, select, true
from sqlalchemy.orm import selectinload

from trainer.attendance import rules
from trainer.attendance.models import ROLE_COLUMNS, Attendance, WatchMode
from trainer.attendance.services import GRAM_PANCHAYAT, MarkedUnit
from trainer.core import clock
from trainer.extensions import db
from trainer.feedback.models import Answer, Question, QuestionKind, Response
from trainer.programmes.models import (
    ParticipantRole,
    Programme,
    SessionStatus,
    TrainingSession,
    session_divisions,
    session_modules,
)
from trainer.questions.models import SHOWN_STATES, LiveQuestion, QuestionState, QuestionSupport
from trainer.regions.areas import Area
from trainer.regions.models import Block, District, Division, GramPanchayat
from trainer.youtube.models import YouTubeBroadcast

LEVELS = ("division", "district", "block")
_LEVEL_MODEL = {"division": Division, "district": District, "block": Block}
_LEVEL_KEY = {"division": District.division_id, "district": Block.district_id, "block": GramPanchayat.block_id}


@dataclass(frozen=True)
class PlaceCoverage:
    """A place with its target gram panchayats, those trained (or present) and the participants."""

    code: int
    name_hi: str
    name_en: str
    target: int
    reached: int
    participants: int

    @property
    def share(self) -> float | None:
        return self.reached / self.target if self.target else None


@dataclass(frozen=True)
class GpRow:
    """A gram panchayat with its block and district, for lists of those still to be reached."""

    code: int
    name_hi: str
    name_en: str
    block_code: int
    block_hi: str
    block_en: str
    district_hi: str
    district_en: str


@dataclass(frozen=True)
class AbsentBlock:
    """A block with its gram panchayats absent from a session."""

    code: int
    name_hi: str
    name_en: str
    district_hi: str
    district_en: str
    gps: list[GpRow]


def absent_by_block(rows: list[GpRow]) -> list[AbsentBlock]:
    """Group absent GPs (already ordered by district and block) under their blocks."""
    return [AbsentBlock(code, hindi, english, district_hi, district_en, list(gps))
            for (code, hindi, english, district_hi, district_en), gps in groupby(
                rows, key=lambda r: (r.block_code, r.block_hi, r.block_en, r.district_hi, r.district_en))]


@dataclass(frozen=True)
class RatingSummary:
    question_id: int
    text_hi: str
    text_en: str
    count: int
    mean: float | None
    distribution: dict[int, int]  # 1..5 → answers


@dataclass(frozen=True)
class ChoiceSummary:
    question_id: int
    text_hi: str
    text_en: str
    kind: str
    counts: list[tuple[str, str, int]]  # (option hi, option en, answers)


@dataclass(frozen=True)
class TextAnswer:
    question_id: int
    text: str
    gram_panchayat_hi: str | None
    anonymous: bool


@dataclass
class FeedbackSummary:
    responses: int = 0
    without_attendance: int = 0
    ratings: list[RatingSummary] = field(default_factory=list)
    choices: list[ChoiceSummary] = field(default_factory=list)
    texts: list[TextAnswer] = field(default_factory=list)
    text_questions: dict[int, tuple[str, str]] = field(default_factory=dict)


# Building blocks


def _gp_places():
    """GramPanchayat joined to its block and district (and so to its division id)."""
    return (select().select_from(GramPanchayat).join(Block, GramPanchayat.block_id == Block.id)
            .join(District, Block.district_id == District.id))


def counted_sessions(programme: Programme):
    """The programme's sessions whose attendance counts: those that take attendance (not drafts, not cancelled)."""
    return select(TrainingSession.id).where(TrainingSession.programme_id == programme.id,
                                            TrainingSession.status.in_(rules.MARKABLE_STATUSES))


def unit_progress(programme: Programme, unit: MarkedUnit = GRAM_PANCHAYAT):
    """A subquery with one row per unit (a gram panchayat, or a partner organisation) that attended any of the
    programme's sessions: `unit_id`, sessions attended, participants over them, and trained_at — the start of the
    session that completed the programme's rule (NULL while the unit has not attended enough). The one completion
    rule: GPs' reports and certificates and partners' certificates all read it."""
    rule = programme.completion_sessions
    marks = unit.marks
    unit_id = marks.c[unit.key]
    counted = marks.c.session_id.in_(counted_sessions(programme))
    if rule == 1:  # the usual rule needs no window function: the first session trains
        query = (select(unit_id.label("unit_id"), func.count().label("sessions"),
                        func.sum(marks.c.participants).label("participants"),
                        func.min(TrainingSession.starts_at).label("trained_at"))
                 .select_from(marks).join(TrainingSession, TrainingSession.id == marks.c.session_id).where(counted)
                 .group_by(unit_id))
        return query.subquery()
    ranked = (select(unit_id.label("unit_id"), marks.c.participants, TrainingSession.starts_at,
                     func.row_number().over(partition_by=unit_id,
                                            order_by=(TrainingSession.starts_at, TrainingSession.id)).label("rank"))
              .select_from(marks).join(TrainingSession, TrainingSession.id == marks.c.session_id)
              .where(counted)).subquery()
    return (select(ranked.c.unit_id, func.count().label("sessions"),
                   func.sum(ranked.c.participants).label("participants"),
                   func.max(case((ranked.c.rank == rule, ranked.c.starts_at))).label("trained_at"))
            .group_by(ranked.c.unit_id)).subquery()


def programme_responses(programme: Programme):
    """A subquery of the feedback responses about the programme's counted sessions sent for a GP: `id`,
    `gram_panchayat_id`, `created_at`."""
    return (select(Response.id, Response.gram_panchayat_id, Response.created_at)
            .where(Response.session_id.in_(counted_sessions(programme)), Response.gram_panchayat_id.is_not(None))
            .subquery())


def gp_progress(programme: Programme):
    """The programme's progress of gram panchayats (unit_progress), one row per GP that attended."""
    return unit_progress(programme, GRAM_PANCHAYAT)


# Programme


@dataclass
class ProgrammeReport:
    programme: Programme
    target_gps: int
    trained_gps: int
    districts_reached: int
    blocks_reached: int
    participants: int
    sessions_total: int
    sessions_held: int
    by_role: dict[str, int]
    coverage: dict[str, list[PlaceCoverage]]
    progress: list[tuple[date, int, int]]  # day, GPs trained that day, trained so far

    @property
    def share(self) -> float | None:
        return self.trained_gps / self.target_gps if self.target_gps else None


@dataclass
class _BlockFigures:
    """One block's figures, from which districts, divisions and totals are summed."""

    block: Block
    target: int = 0
    reached: int = 0
    participants: int = 0


def programme_report(programme: Programme, area: Area) -> ProgrammeReport:
    """Everything the programme report shows, for an area, in four statements."""
    blocks, per_day = _block_figures(programme, area)
    sums = _attendance_sums(and_(Attendance.session_id.in_(counted_sessions(programme)),
                                 rules.programme_targets(programme), area.condition(GramPanchayat)))
    sessions = db.session.execute(
        select(func.count(), func.sum(case((TrainingSession.status == SessionStatus.COMPLETED, 1), else_=0)))
        .where(TrainingSession.programme_id == programme.id,
               TrainingSession.status.in_(rules.MARKABLE_STATUSES),
               _serves_area(area))
    ).one()
    total, progress = 0, []
    for day in sorted(per_day):
        total += per_day[day]
        progress.append((day, per_day[day], total))
    reached_blocks = [figures for figures in blocks if figures.reached]
    return ProgrammeReport(
        programme=programme, target_gps=sum(f.target for f in blocks), trained_gps=total,
        districts_reached=len({f.block.district_id for f in reached_blocks}), blocks_reached=len(reached_blocks),
        participants=sums[0], sessions_total=sessions[0] or 0, sessions_held=sessions[1] or 0,
        by_role={role.value: value for role, value in zip(ParticipantRole, sums[1:], strict=True)},
        coverage={level: _roll_up(blocks, level) for level in LEVELS}, progress=progress)


def _serves_area(area: Area):
    """Keep the sessions held for the area's division (every session for the whole state)."""
    if area.is_state:
        return true()
    return TrainingSession.id.in_(select(session_divisions.c.session_id)
                                  .where(session_divisions.c.division_id == area.division_id))


def _block_figures(programme: Programme, area: Area) -> tuple[list[_BlockFigures], dict[date, int]]:
    """One statement: target GPs, trained GPs and participants per block and per day the GPs were trained."""
    progress = gp_progress(programme)
    rows = db.session.execute(
        _gp_places().add_columns(GramPanchayat.block_id, progress.c.trained_at, func.count(GramPanchayat.id),
                                 func.coalesce(func.sum(progress.c.participants), 0))
        .outerjoin(progress, progress.c.unit_id == GramPanchayat.id)
        .where(rules.programme_targets(programme), area.condition(GramPanchayat))
        .group_by(GramPanchayat.block_id, progress.c.trained_at)).all()
    figures: dict[int, _BlockFigures] = {}
    per_day: dict[date, int] = {}
    blocks = {block.id: block for block in db.session.scalars(
        select(Block).where(Block.id.in_({row[0] for row in rows})).options(
            selectinload(Block.district).selectinload(District.division)))}
    for block_id, trained_at, gps, participants in rows:
        entry = figures.setdefault(block_id, _BlockFigures(blocks[block_id]))
        entry.target += gps
        entry.participants += int(participants)  # PostgreSQL sums a sum as numeric
        if trained_at is not None:
            entry.reached += gps
            day = clock.local_day(trained_at)
            per_day[day] = per_day.get(day, 0) + gps
    return list(figures.values()), per_day


def _roll_up(blocks: list[_BlockFigures], level: str, parent_id: int | None = None) -> list[PlaceCoverage]:
    """Sum block figures up to the level asked (a few hundred rows, already aggregated in SQL)."""
    place_of = {"block": lambda b: b, "district": lambda b: b.district, "division": lambda b: b.district.division}
    parent_of = {"block": lambda b: b.district_id, "district": lambda b: b.district.division_id,
                 "division": lambda b: None}
    totals: dict[int, list] = {}
    for figures in blocks:
        if parent_id is not None and parent_of[level](figures.block) != parent_id:
            continue
        place = place_of[level](figures.block)
        entry = totals.setdefault(place.id, [place, 0, 0, 0])
        entry[1] += figures.target
        entry[2] += figures.reached
        entry[3] += figures.participants
    rows = sorted(totals.values(), key=lambda e: (e[0].name_hi, e[0].lgd_code))
    return [PlaceCoverage(place.lgd_code, place.name_hi, place.name_en, target, reached, participants)
            for place, target, reached, participants in rows]


def _attendance_sums(condition) -> tuple[int, ...]:
    """Sum participants, and each role's count, over the attendances that meet a condition on them and their GP."""
    return db.session.execute(
        select(func.coalesce(func.sum(Attendance.participants), 0),
               *(func.coalesce(func.sum(getattr(Attendance, column)), 0) for column in ROLE_COLUMNS.values()))
        .select_from(Attendance).join(GramPanchayat, GramPanchayat.id == Attendance.gram_panchayat_id)
        .join(Block, GramPanchayat.block_id == Block.id).join(District, Block.district_id == District.id)
        .where(condition)).one()


def _coverage(level: str, in_area, reached_gp_id, participants, parent=None) -> list[PlaceCoverage]:
    """Targets, reached GPs and participants grouped by division, district or block (for one session)."""
    model, key = _LEVEL_MODEL[level], _LEVEL_KEY[level]
    query = (_gp_places().add_columns(key.label("place_id"), func.count(GramPanchayat.id),
                                      func.count(reached_gp_id),
                                      func.coalesce(func.sum(participants.c.participants), 0))
             .outerjoin(reached_gp_id.table, reached_gp_id == GramPanchayat.id)
             .outerjoin(participants, participants.c.gp_id == GramPanchayat.id)
             .where(in_area).group_by(key))
    if parent is not None:
        query = query.where(parent)
    counts = {place_id: row for place_id, *row in db.session.execute(query)}
    places = db.session.scalars(select(model).where(model.id.in_(counts)).order_by(model.name_hi, model.lgd_code))
    return [PlaceCoverage(place.lgd_code, place.name_hi, place.name_en, *counts[place.id]) for place in places]


def _untrained(query, programme: Programme, area: Area):
    """Keep, in a query from _gp_places(), the programme's target GPs of the area that are not trained yet."""
    progress = gp_progress(programme)
    return (query.outerjoin(progress, progress.c.unit_id == GramPanchayat.id)
            .where(rules.programme_targets(programme), area.condition(GramPanchayat), progress.c.trained_at.is_(None)))


def untrained_gps(programme: Programme, area: Area, block_code: int | None = None) -> list[GpRow]:
    """The programme's target gram panchayats in the area that are not trained yet, by district and block."""
    query = _untrained(_gp_places().add_columns(GramPanchayat.lgd_code, GramPanchayat.name_hi, GramPanchayat.name_en,
                                                Block.lgd_code, Block.name_hi, Block.name_en, District.name_hi,
                                                District.name_en), programme, area)
    query = query.order_by(District.name_hi, Block.name_hi, GramPanchayat.name_hi, GramPanchayat.lgd_code)
    if block_code is not None:
        query = query.where(Block.lgd_code == block_code)
    return [GpRow(*row) for row in db.session.execute(query)]


# Audiences: the GPs a message goes to, as selects of their ids (used as subqueries, never loaded whole)


def untrained_gp_ids(programme: Programme, area: Area, session: TrainingSession | None = None):
    """Select the ids of the programme's target GPs in the area not trained yet (of the session's divisions,
    when a session is named)."""
    query = _untrained(_gp_places().add_columns(GramPanchayat.id), programme, area)
    if session is not None:
        query = query.where(rules.invited_districts(session))
    return query


def trained_gp_ids(programme: Programme, area: Area):
    """Select the ids of the programme's target GPs in the area that are trained: those that met its completion
    rule (the certificates of participation go to these)."""
    progress = gp_progress(programme)
    return (_gp_places().add_columns(GramPanchayat.id).join(progress, progress.c.unit_id == GramPanchayat.id)
            .where(rules.programme_targets(programme), area.condition(GramPanchayat),
                   progress.c.trained_at.is_not(None)))


def present_gp_ids(session: TrainingSession, area: Area):
    """Select the ids of the area's GPs marked present at the session."""
    return (select(Attendance.gram_panchayat_id).join(GramPanchayat, GramPanchayat.id == Attendance.gram_panchayat_id)
            .where(Attendance.session_id == session.id, area.condition(GramPanchayat)))


def gp_ids_without_feedback(session: TrainingSession, area: Area):
    """Select the ids of the area's GPs marked present at the session that sent it no feedback."""
    answered = select(Response.gram_panchayat_id).where(Response.session_id == session.id,
                                                        Response.gram_panchayat_id.is_not(None))
    return present_gp_ids(session, area).where(Attendance.gram_panchayat_id.not_in(answered))


def absent_gp_ids(session: TrainingSession, area: Area):
    """Select the ids of the session's invited GPs of the area that were not marked at it and are still not
    trained in its programme: those who missed it."""
    marked = select(Attendance.gram_panchayat_id).where(Attendance.session_id == session.id)
    return untrained_gp_ids(session.programme, area, session).where(GramPanchayat.id.not_in(marked))


def coverage_within(programme: Programme, area: Area, level: str, parent_id: int) -> list[PlaceCoverage]:
    """Coverage of the districts of a division, or of the blocks of a district (drilling down)."""
    blocks, _per_day = _block_figures(programme, area)
    return _roll_up(blocks, level, parent_id)


@dataclass(frozen=True)
class GpProgress:
    """A gram panchayat of a block: sessions attended under the programme, participants, trained or not."""

    code: int
    name_hi: str
    name_en: str
    sessions: int
    participants: int
    trained: bool


def block_gps(programme: Programme, area: Area, block: Block) -> list[GpProgress]:
    """Every gram panchayat of a block with how far it has come under the programme."""
    progress = gp_progress(programme)
    rows = db.session.execute(
        select(GramPanchayat.lgd_code, GramPanchayat.name_hi, GramPanchayat.name_en,
               func.coalesce(progress.c.sessions, 0), func.coalesce(progress.c.participants, 0),
               progress.c.trained_at)
        .outerjoin(progress, progress.c.unit_id == GramPanchayat.id)
        .where(GramPanchayat.block_id == block.id, area.condition(GramPanchayat))
        .order_by(GramPanchayat.name_hi, GramPanchayat.lgd_code))
    return [GpProgress(code, hi, en, sessions, participants, trained_at is not None)
            for code, hi, en, sessions, participants, trained_at in rows]


# Session


@dataclass(frozen=True)
class YouTubeFigures:
    """What YouTube counted of a session's broadcast, and when it was last read (all None without one)."""

    views: int | None = None
    peak_viewers: int | None = None
    stats_at: datetime | None = None


@dataclass
class SessionReport:
    session: TrainingSession
    target_gps: int
    present_gps: int
    participants: int
    by_role: dict[str, int]
    by_mode: list[tuple[str | None, int, int]]  # mode, GPs, participants
    by_district: list[PlaceCoverage]
    by_block: list[PlaceCoverage]
    absent: list[GpRow]
    feedback: FeedbackSummary
    youtube: YouTubeFigures
    questions: "QuestionSummary"

    @property
    def share(self) -> float | None:
        return self.present_gps / self.target_gps if self.target_gps else None


def session_report(session: TrainingSession, area: Area, text_query: str = "") -> SessionReport:
    """Everything the session report shows, for an area."""
    in_area = and_(rules.invited_districts(session), area.condition(GramPanchayat))
    present = select(Attendance.gram_panchayat_id.label("gp_id")).where(
        Attendance.session_id == session.id).subquery()
    participants = (select(Attendance.gram_panchayat_id.label("gp_id"),
                           Attendance.participants.label("participants"))
                    .where(Attendance.session_id == session.id)).subquery()
    targets = db.session.scalar(_gp_places().add_columns(func.count(GramPanchayat.id)).where(in_area)) or 0
    sums = _attendance_sums(and_(Attendance.session_id == session.id, in_area))
    present_count = db.session.scalar(
        _gp_places().add_columns(func.count(GramPanchayat.id))
        .join(present, present.c.gp_id == GramPanchayat.id).where(in_area))
    by_mode = db.session.execute(
        select(Attendance.mode, func.count(), func.sum(Attendance.participants))
        .join(GramPanchayat, GramPanchayat.id == Attendance.gram_panchayat_id)
        .join(Block, GramPanchayat.block_id == Block.id).join(District, Block.district_id == District.id)
        .where(Attendance.session_id == session.id, in_area).group_by(Attendance.mode)).all()
    absent = (_gp_places().add_columns(GramPanchayat.lgd_code, GramPanchayat.name_hi, GramPanchayat.name_en,
                                       Block.lgd_code, Block.name_hi, Block.name_en, District.name_hi,
                                       District.name_en)
              .outerjoin(present, present.c.gp_id == GramPanchayat.id)
              .where(in_area, present.c.gp_id.is_(None))
              .order_by(District.name_hi, Block.name_hi, GramPanchayat.name_hi, GramPanchayat.lgd_code))
    return SessionReport(
        session=session, target_gps=targets, present_gps=present_count or 0, participants=sums[0],
        by_role={role.value: total for role, total in zip(ParticipantRole, sums[1:], strict=True)},
        by_mode=[(mode.value if isinstance(mode, WatchMode) else mode, gps, total or 0)
                 for mode, gps, total in by_mode],
        by_district=_coverage("district", in_area, present.c.gp_id, participants),
        by_block=_coverage("block", in_area, present.c.gp_id, participants),
        absent=[GpRow(*row) for row in db.session.execute(absent)],
        feedback=feedback_summary(Response.session_id == session.id, area, text_query),
        youtube=YouTubeFigures(*(db.session.execute(
            select(YouTubeBroadcast.views, YouTubeBroadcast.peak_viewers, YouTubeBroadcast.stats_at)
            .where(YouTubeBroadcast.session_id == session.id)).one_or_none() or ())),
        questions=question_summary(session, area))


# Questions


@dataclass(frozen=True)
class DistrictQuestions:
    """A district's questions at a session, and the supports they drew."""

    code: int
    name_hi: str
    name_en: str
    questions: int
    supports: int


@dataclass(frozen=True)
class ReportedQuestion:
    """A question as the report lists it: the most supported, and the answered."""

    id: int
    text: str
    state: str
    answer: str
    supports: int
    gp_hi: str
    gp_en: str
    block_hi: str
    block_en: str
    district_hi: str
    district_en: str


@dataclass
class QuestionSummary:
    """A session's questions from an area: how many in each state, by district, the most supported, the answers."""

    total: int = 0
    supports: int = 0
    by_state: dict[str, int] = field(default_factory=dict)
    by_district: list[DistrictQuestions] = field(default_factory=list)
    most_supported: list[ReportedQuestion] = field(default_factory=list)
    answered: list[ReportedQuestion] = field(default_factory=list)


MOST_SUPPORTED = 10
ANSWERED_LIMIT = 500


def question_summary(session: TrainingSession, area: Area) -> QuestionSummary:
    """Summarise a session's questions asked by the gram panchayats of an area: five SQL statements."""
    in_session = and_(LiveQuestion.session_id == session.id, area.condition(GramPanchayat))
    counted = (select(QuestionSupport.question_id.label("question_id"), func.count().label("supports"))
               .group_by(QuestionSupport.question_id).subquery())
    supports = func.coalesce(counted.c.supports, 0)

    def joined(query):
        return (query.join(GramPanchayat, GramPanchayat.id == LiveQuestion.gram_panchayat_id)
                .join(Block, Block.id == GramPanchayat.block_id).join(District, District.id == Block.district_id)
                .outerjoin(counted, counted.c.question_id == LiveQuestion.id))

    by_state = dict(db.session.execute(joined(select(LiveQuestion.state, func.count(LiveQuestion.id)))
                                       .where(in_session).group_by(LiveQuestion.state)).all())
    by_district = db.session.execute(
        joined(select(District.lgd_code, District.name_hi, District.name_en, func.count(LiveQuestion.id),
                      func.coalesce(func.sum(counted.c.supports), 0)))
        .where(in_session).group_by(District.id, District.lgd_code, District.name_hi, District.name_en)
        .order_by(func.count(LiveQuestion.id).desc(), District.name_hi)).all()
    listed = joined(select(LiveQuestion.id, LiveQuestion.text, LiveQuestion.state, LiveQuestion.answer, supports,
                           GramPanchayat.name_hi, GramPanchayat.name_en, Block.name_hi, Block.name_en,
                           District.name_hi, District.name_en))

    def rows(query):
        return [ReportedQuestion(qid, text, state.value if isinstance(state, QuestionState) else state, answer,
                                 count, *names) for qid, text, state, answer, count, *names in db.session.execute(query)]

    most = rows(listed.where(in_session, LiveQuestion.state.in_(SHOWN_STATES))
                .order_by(supports.desc(), LiveQuestion.id).limit(MOST_SUPPORTED))
    answered = rows(listed.where(in_session, LiveQuestion.state == QuestionState.ANSWERED)
                    .order_by(supports.desc(), LiveQuestion.answered_at, LiveQuestion.id).limit(ANSWERED_LIMIT))
    districts = [DistrictQuestions(*row) for row in by_district]
    return QuestionSummary(
        total=sum(by_state.values()), supports=sum(d.supports for d in districts),
        by_state={state.value: by_state.get(state, 0) for state in QuestionState},
        by_district=districts, most_supported=most, answered=answered)


# Feedback


def feedback_summary(condition, area: Area, text_query: str = "", module_id: int | None = None) -> FeedbackSummary:
    """Summarise the responses that meet a condition: each rating's mean and distribution, each choice's
    counts, and the free text (filtered by `text_query`). Responses without a GP count for the whole state only."""
    in_area = _response_in_area(area)
    responses = select(Response.id).where(condition, in_area)
    if module_id is not None:
        responses = responses.where(Response.session_id.in_(
            select(session_modules.c.session_id).where(session_modules.c.module_id == module_id)))
    responses = responses.subquery()
    counts = db.session.execute(
        select(func.count(), func.coalesce(func.sum(case((Response.without_attendance, 1), else_=0)), 0))
        .where(Response.id.in_(select(responses.c.id)))).one()
    summary = FeedbackSummary(responses=counts[0], without_attendance=counts[1])
    answered = Answer.response_id.in_(select(responses.c.id))
    ratings = db.session.execute(
        select(Answer.question_id, Answer.rating, func.count()).where(answered, Answer.rating.is_not(None))
        .group_by(Answer.question_id, Answer.rating))
    choices = db.session.execute(
        select(Answer.question_id, Answer.option_key, func.count()).where(answered, Answer.option_key.is_not(None))
        .group_by(Answer.question_id, Answer.option_key))
    by_rating: dict[int, dict[int, int]] = {}
    for question_id, rating, count in ratings:
        by_rating.setdefault(question_id, {})[rating] = count
    by_choice: dict[int, dict[str, int]] = {}
    for question_id, key, count in choices:
        by_choice.setdefault(question_id, {})[key] = count
    questions = db.session.scalars(select(Question).where(Question.id.in_(set(by_rating) | set(by_choice)))
                                   .order_by(Question.programme_id, Question.position))
    for question in questions:
        if question.kind is QuestionKind.RATING:
            distribution = {value: by_rating.get(question.id, {}).get(value, 0) for value in range(1, 6)}
            total = sum(distribution.values())
            mean = sum(value * count for value, count in distribution.items()) / total if total else None
            summary.ratings.append(RatingSummary(question.id, question.text_hi, question.text_en, total, mean,
                                                 distribution))
        else:
            chosen = by_choice.get(question.id, {})
            summary.choices.append(ChoiceSummary(
                question.id, question.text_hi, question.text_en, question.kind.value,
                [(option["hi"], option.get("en", ""), chosen.get(option["key"], 0)) for option in question.options]))
    texts = (select(Answer.question_id, Answer.text, GramPanchayat.name_hi, Response.anonymous)
             .join(Response, Response.id == Answer.response_id)
             .outerjoin(GramPanchayat, GramPanchayat.id == Response.gram_panchayat_id)
             .where(answered, Answer.text.is_not(None)).order_by(Response.created_at.desc()))
    if text_query.strip():
        texts = texts.where(Answer.text.contains(text_query.strip(), autoescape=True))
    summary.texts = [TextAnswer(question_id, text, None if anonymous else gp, anonymous)
                     for question_id, text, gp, anonymous in db.session.execute(texts.limit(500))]
    summary.text_questions = {q.id: (q.text_hi, q.text_en) for q in db.session.scalars(
        select(Question).where(Question.id.in_({t.question_id for t in summary.texts})))}
    return summary


def _response_in_area(area: Area):
    if area.is_state:
        return true()
    return Response.gram_panchayat_id.in_(select(GramPanchayat.id).where(area.condition(GramPanchayat)))


@dataclass(frozen=True)
class ModuleFeedback:
    module_id: int
    position: int
    title_hi: str
    title_en: str
    responses: int
    mean_rating: float | None


def module_feedback(programme: Programme, area: Area) -> list[ModuleFeedback]:
    """Per module: responses and the mean of all its rating answers."""
    rows = db.session.execute(
        select(session_modules.c.module_id, func.count(distinct(Response.id)), func.avg(Answer.rating))
        .select_from(Response).join(session_modules, session_modules.c.session_id == Response.session_id)
        .outerjoin(Answer, and_(Answer.response_id == Response.id, Answer.rating.is_not(None)))
        .where(Response.session_id.in_(select(TrainingSession.id).where(TrainingSession.programme_id == programme.id)),
               _response_in_area(area))
        .group_by(session_modules.c.module_id))
    found = {module_id: (responses, mean) for module_id, responses, mean in rows}
    return [ModuleFeedback(m.id, m.position, m.title_hi, m.title_en, *found.get(m.id, (0, None)))
            for m in programme.modules]


# The dashboard


@dataclass(frozen=True)
class ProgrammeAtAGlance:
    programme: Programme
    target_gps: int
    trained_gps: int
    participants: int
    sessions_total: int
    sessions_held: int

    @property
    def share(self) -> float | None:
        return self.trained_gps / self.target_gps if self.target_gps else None


def dashboard(area: Area) -> list[ProgrammeAtAGlance]:
    """Every programme with published sessions, at a glance, for an area."""
    programmes = db.session.scalars(select(Programme).where(Programme.id.in_(
        select(TrainingSession.programme_id).where(TrainingSession.status != SessionStatus.DRAFT)))
        .order_by(Programme.first_day.desc(), Programme.id.desc()))
    glances = []
    for programme in programmes:  # a handful of programmes: one small set of aggregates each
        report = programme_report(programme, area)
        glances.append(ProgrammeAtAGlance(programme, report.target_gps, report.trained_gps, report.participants,
                                          report.sessions_total, report.sessions_held))
    return glances
