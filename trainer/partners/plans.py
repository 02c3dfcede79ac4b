"""Partners' annual plans and their quarterly updates: writing a plan's activities, sending it to the department,
the department returning it with comments or approving it (every step kept), the partner's report on each
quarter, and which reports are overdue.

A plan is written by staff on the partner's behalf or by the partner itself, which opens it with the plan's
reference and secret code. The financial year runs from April to March; a quarter's update is due a number of
days after the quarter ends (PLAN_UPDATE_DUE_DAYS). Overdue is computed from the clock, never typed.

Nothing here commits.
"""
from dataclasses import dataclass
from datetime import date, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, func, select
from sqlalchemy.orm import selectinload

from trainer.core import clock, codes
from trainer.core.i18n import localized_name, pick
from trainer.core.roles import PLANNERS
from trainer.extensions import db
from trainer.partners.models import (
    ACTIVITY_LENGTH_MAX,
    NOTE_LENGTH_MAX,
    PARTICIPANTS_MAX,
    QUARTERS,
    THEMES,
    ActivityLevel,
    ActivityProgress,
    AnnualPlan,
    Organisation,
    PlanActivity,
    PlanActivityArea,
    PlanEvent,
    PlanState,
    Progress,
    QuarterlyUpdate,
)
from trainer.regions.models import Block, District

EDITOR_ROLES = PLANNERS  # write plans on a partner's behalf
REVIEWER_ROLES = PLANNERS  # return plans with comments, approve them
CODE_PURPOSE = "plan code"
CODE_DIGITS = 8

# Which states a plan may move to, and from which.
EDITABLE = frozenset({PlanState.DRAFT, PlanState.RETURNED})
UNDER_REVIEW = frozenset({PlanState.SUBMITTED, PlanState.RESUBMITTED})


class PlanError(Exception):
    """What a plan's rules refuse; `message` says why, in the page's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Actor:
    """Who acts on a plan: a member of staff (user_id) or the partner through its own page."""

    user_id: int | None = None
    partner: bool = False


@dataclass(frozen=True)
class ActivityValues:
    """One activity as written: what, theme, level, where (LGD districts and blocks), when, for how many."""

    title: str
    theme: str
    level: ActivityLevel
    planned_from: date
    planned_to: date
    participants: int = 0
    district_ids: tuple[int, ...] = ()
    block_codes: tuple[int, ...] = ()  # LGD codes


@dataclass(frozen=True)
class ProgressValues:
    """How far one activity got in a quarter."""

    activity_id: int
    status: Progress
    reached: int = 0
    note: str = ""


# The financial year and its quarters


def financial_year(day: date) -> int:
    """Return the financial year a day falls in, by its first calendar year (1 March 2027 is in 2026)."""
    return day.year if day.month >= 4 else day.year - 1


def year_bounds(year: int) -> tuple[date, date]:
    """Return the first and last days of a financial year."""
    return date(year, 4, 1), date(year + 1, 3, 31)


def quarter_bounds(year: int, quarter: int) -> tuple[date, date]:
    """Return the first and last days of a quarter of a financial year (1: April–June … 4: January–March)."""
    first_month = 4 + 3 * (quarter - 1)
    start = date(year + (first_month - 1) // 12, (first_month - 1) % 12 + 1, 1)
    after = 4 + 3 * quarter
    end = date(year + (after - 1) // 12, (after - 1) % 12 + 1, 1) - timedelta(days=1)
    return start, end


def due_date(year: int, quarter: int) -> date:
    """Return the last day on which a quarter's update is on time."""
    return quarter_bounds(year, quarter)[1] + timedelta(days=current_app.config["PLAN_UPDATE_DUE_DAYS"])


# Writing a plan


def _reference(organisation: Organisation, year: int) -> str:
    return f"PLAN-{year}-{organisation.id:05d}"


def _record(plan: AnnualPlan, state: PlanState, actor: Actor, comment: str = "") -> None:
    plan.state = state
    plan.events.append(PlanEvent(state=state, comment=comment, by_id=actor.user_id, by_partner=actor.partner))


def start_plan(organisation: Organisation, year: int, actor: Actor) -> tuple[AnnualPlan, str]:
    """Open a draft plan of an organisation for a financial year; return it with its secret code (shown once)."""
    if organisation.duplicate_of_id is not None:
        raise PlanError(_l("This organisation is a duplicate of another: write the plan for the other one."))
    if not 2000 <= year <= 2100:
        raise PlanError(_l("Choose a financial year between 2000 and 2100."))
    taken = db.session.scalar(select(AnnualPlan.id).where(AnnualPlan.organisation_id == organisation.id,
                                                          AnnualPlan.year == year))
    if taken is not None:
        raise PlanError(_l("This organisation already has a plan for this year."))
    reference = _reference(organisation, year)
    code = codes.new_code(CODE_DIGITS)
    plan = AnnualPlan(organisation=organisation, year=year, reference=reference,
                      code_hash=codes.code_hash(CODE_PURPOSE, reference, code), created_by_id=actor.user_id)
    db.session.add(plan)
    _record(plan, PlanState.DRAFT, actor)
    db.session.flush()
    return plan, code


def new_code(plan: AnnualPlan) -> str:
    """Give a plan a new secret code (the old one stops working) and return it, to be shown once."""
    code = codes.new_code(CODE_DIGITS)
    plan.code_hash = codes.code_hash(CODE_PURPOSE, plan.reference, code)
    db.session.flush()
    return code


def find(reference: str, code: str) -> AnnualPlan | None:
    """Return the plan with this reference if the code is its own, else None."""
    reference = (reference or "").strip().upper()[:30]
    plan = db.session.scalar(select(AnnualPlan).where(AnnualPlan.reference == reference))
    if plan is None or not codes.code_is_right(CODE_PURPOSE, reference, plan.code_hash, code):
        return None
    return plan


def _require_editable(plan: AnnualPlan) -> None:
    if plan.state not in EDITABLE:
        raise PlanError(_l("This plan is with the department or approved: its activities cannot be changed now."))


def _check_activity(plan: AnnualPlan, values: ActivityValues) -> None:
    if not values.title.strip():
        raise PlanError(_l("Say what the activity is."))
    if len(values.title.strip()) > ACTIVITY_LENGTH_MAX:
        raise PlanError(_l("The activity's description is too long."))
    if values.theme not in THEMES:
        raise PlanError(_l("Choose one of the themes."))
    if values.planned_to < values.planned_from:
        raise PlanError(_l("The activity cannot end before it starts."))
    first, last = year_bounds(plan.year)
    if values.planned_from < first or values.planned_to > last:
        raise PlanError(_l("The activity's dates must fall within the financial year %(year)s.",
                           year=plan.year_label))
    if not 0 <= values.participants <= PARTICIPANTS_MAX:
        raise PlanError(_l("The number of participants is out of range."))
    if values.level is ActivityLevel.DISTRICT and (not values.district_ids or values.block_codes):
        raise PlanError(_l("A district-level activity names its districts, and no blocks."))
    if values.level is ActivityLevel.BLOCK and not values.block_codes:
        raise PlanError(_l("A block-level activity names its blocks."))
    if values.level in (ActivityLevel.NATIONAL, ActivityLevel.STATE) and (values.district_ids or values.block_codes):
        raise PlanError(_l("A national or state-level activity names no districts or blocks."))


def add_activity(plan: AnnualPlan, values: ActivityValues) -> PlanActivity:
    """Add an activity to a plan that is being written or was returned."""
    _require_editable(plan)
    _check_activity(plan, values)
    districts = list(db.session.scalars(select(District).where(District.id.in_(set(values.district_ids)))
                                        .order_by(District.lgd_code)))
    if len(districts) != len(set(values.district_ids)):
        raise PlanError(_l("Unknown district."))
    blocks = {block.lgd_code: block
              for block in db.session.scalars(select(Block).where(Block.lgd_code.in_(set(values.block_codes))))}
    unknown = [str(code) for code in dict.fromkeys(values.block_codes) if code not in blocks]
    if unknown:
        raise PlanError(_l("There is no block with code %(codes)s.", codes=", ".join(unknown)))
    blocks = [blocks[code] for code in dict.fromkeys(values.block_codes)]
    activity = PlanActivity(title=values.title.strip(), theme=values.theme, level=values.level,
                            planned_from=values.planned_from, planned_to=values.planned_to,
                            participants=values.participants,
                            areas=[PlanActivityArea(district=d) for d in districts]
                            + [PlanActivityArea(block=b) for b in blocks])
    plan.activities.append(activity)
    db.session.flush()
    return activity


def remove_activity(plan: AnnualPlan, activity: PlanActivity) -> None:
    """Take an activity out of a plan that is being written or was returned."""
    _require_editable(plan)
    plan.activities.remove(activity)
    db.session.flush()


# The plan's way through the department


def submit(plan: AnnualPlan, actor: Actor) -> None:
    """Send a draft or returned plan to the department."""
    if plan.state not in EDITABLE:
        raise PlanError(_l("Only a draft or a returned plan can be submitted."))
    if not plan.activities:
        raise PlanError(_l("Add at least one activity before submitting the plan."))
    _record(plan, PlanState.SUBMITTED if plan.state is PlanState.DRAFT else PlanState.RESUBMITTED, actor)
    db.session.flush()


def return_plan(plan: AnnualPlan, comment: str, user_id: int) -> None:
    """Return a submitted plan to the partner with the department's comments."""
    if plan.state not in UNDER_REVIEW:
        raise PlanError(_l("Only a submitted plan can be returned."))
    if not comment.strip():
        raise PlanError(_l("Say what should be changed: the comments go to the partner."))
    _record(plan, PlanState.RETURNED, Actor(user_id=user_id), comment.strip())
    db.session.flush()


def approve(plan: AnnualPlan, user_id: int, comment: str = "") -> None:
    """Approve a submitted plan: its quarterly updates are due from now on."""
    if plan.state not in UNDER_REVIEW:
        raise PlanError(_l("Only a submitted plan can be approved."))
    _record(plan, PlanState.APPROVED, Actor(user_id=user_id), comment.strip())
    db.session.flush()


# Quarterly updates


def update_is_open(plan: AnnualPlan, quarter: int, today: date | None = None) -> bool:
    """Say whether a quarter's update can be sent: the plan is approved and the quarter has begun."""
    today = today or clock.today()
    return plan.state is PlanState.APPROVED and quarter in QUARTERS and quarter_bounds(plan.year, quarter)[0] <= today


def submit_update(plan: AnnualPlan, quarter: int, progress: tuple[ProgressValues, ...],
                  actor: Actor) -> QuarterlyUpdate:
    """Record (or correct) the progress of every activity of a plan in one quarter."""
    if plan.state is not PlanState.APPROVED:
        raise PlanError(_l("Quarterly updates are sent for an approved plan."))
    if quarter not in QUARTERS:
        raise PlanError(_l("There is no such quarter."))
    if not update_is_open(plan, quarter):
        raise PlanError(_l("This quarter has not begun yet."))
    given = {item.activity_id: item for item in progress}
    activities = {activity.id for activity in plan.activities}
    if set(given) != activities:
        raise PlanError(_l("Give the progress of every activity of the plan."))
    for item in progress:
        if not 0 <= item.reached <= PARTICIPANTS_MAX:
            raise PlanError(_l("The number of participants is out of range."))
        if len(item.note.strip()) > NOTE_LENGTH_MAX:
            raise PlanError(_l("The note is too long."))
    update = next((row for row in plan.updates if row.quarter == quarter), None)
    if update is None:
        update = QuarterlyUpdate(quarter=quarter)
        plan.updates.append(update)
    update.submitted_at = clock.now()
    update.submitted_by_id, update.by_partner = actor.user_id, actor.partner
    kept = {row.activity_id: row for row in update.progress}
    for activity_id in sorted(given):
        item = given[activity_id]
        row = kept.get(activity_id)
        if row is None:
            row = ActivityProgress(activity_id=activity_id)
            update.progress.append(row)
        row.status, row.reached, row.note = item.status, item.reached, item.note.strip()
    db.session.flush()
    return update


@dataclass(frozen=True)
class OverdueUpdate:
    """A quarter whose update did not come in time."""

    plan_id: int
    reference: str
    organisation_id: int
    organisation_name_hi: str
    organisation_name_en: str
    year: int
    quarter: int
    due_on: date
    days_late: int


def overdue_updates(today: date | None = None) -> list[OverdueUpdate]:
    """Return every quarter of an approved plan whose due date has passed without an update, the latest first."""
    today = today or clock.today()
    days = current_app.config["PLAN_UPDATE_DUE_DAYS"]
    # The last year that can have a quarter past due: a quarter ends at least `days` days before today.
    last_year = financial_year(today - timedelta(days=days + 1))
    plans = db.session.execute(
        select(AnnualPlan.id, AnnualPlan.reference, AnnualPlan.year, Organisation.id, Organisation.name_hi,
               Organisation.name_en)
        .join(Organisation, Organisation.id == AnnualPlan.organisation_id)
        .where(AnnualPlan.state == PlanState.APPROVED, AnnualPlan.year <= last_year)).all()
    sent = set(db.session.execute(
        select(QuarterlyUpdate.plan_id, QuarterlyUpdate.quarter).join(AnnualPlan)
        .where(AnnualPlan.state == PlanState.APPROVED, AnnualPlan.year <= last_year)).all())
    found = []
    for plan_id, reference, year, organisation_id, name_hi, name_en in plans:
        for quarter in QUARTERS:
            due = due_date(year, quarter)
            if due < today and (plan_id, quarter) not in sent:
                found.append(OverdueUpdate(plan_id, reference, organisation_id, name_hi, name_en, year, quarter, due,
                                           (today - due).days))
    found.sort(key=lambda row: (row.due_on, row.reference), reverse=True)
    return found


def next_due(plan: AnnualPlan, today: date | None = None) -> tuple[int, date] | None:
    """Return the first quarter of an approved plan still waiting for its update, with its due date."""
    if plan.state is not PlanState.APPROVED:
        return None
    sent = {update.quarter for update in plan.updates}
    return next(((quarter, due_date(plan.year, quarter)) for quarter in QUARTERS if quarter not in sent), None)


# Reading


def plan_query(year: int | None = None, organisation_id: int | None = None) -> Select:
    """Return the plans, the latest year first, then by reference."""
    query = select(AnnualPlan).options(selectinload(AnnualPlan.organisation)) \
        .order_by(AnnualPlan.year.desc(), AnnualPlan.reference)
    if year is not None:
        query = query.where(AnnualPlan.year == year)
    if organisation_id is not None:
        query = query.where(AnnualPlan.organisation_id == organisation_id)
    return query


def load_plan(plan_id: int) -> AnnualPlan | None:
    """Return a plan with its activities, history and updates, or None."""
    if not 0 < plan_id < 2**31:
        return None
    return db.session.scalar(select(AnnualPlan).where(AnnualPlan.id == plan_id).options(
        selectinload(AnnualPlan.activities).selectinload(PlanActivity.areas),
        selectinload(AnnualPlan.events), selectinload(AnnualPlan.updates).selectinload(QuarterlyUpdate.progress)))


@dataclass(frozen=True)
class ActivityTotals:
    """An activity with what its updates report: participants reached in all, and the latest progress."""

    activity_id: int
    reached: int
    updates: int


def activity_totals(plan_ids: list[int]) -> dict[int, ActivityTotals]:
    """Return, for the activities of these plans, the participants reached in all quarters and how many updates
    speak of them."""
    rows = db.session.execute(
        select(ActivityProgress.activity_id, func.coalesce(func.sum(ActivityProgress.reached), 0), func.count())
        .join(PlanActivity, PlanActivity.id == ActivityProgress.activity_id)
        .where(PlanActivity.plan_id.in_(plan_ids)).group_by(ActivityProgress.activity_id)).all()
    return {activity_id: ActivityTotals(activity_id, int(reached), count) for activity_id, reached, count in rows}


def district_choices() -> list[tuple[int, str]]:
    """Return the state's districts as (id, name), by LGD code."""
    return [(district.id, localized_name(district))
            for district in db.session.scalars(select(District).order_by(District.lgd_code))]


def organisation_choices() -> list[tuple[int, str]]:
    """Return the registry's organisations that are not duplicates, as (id, name), by name."""
    rows = db.session.execute(select(Organisation.id, Organisation.name_hi, Organisation.name_en)
                              .where(Organisation.duplicate_of_id.is_(None))
                              .order_by(Organisation.name_hi, Organisation.name_en, Organisation.id)).all()
    return [(organisation_id, pick(name_hi, name_en)) for organisation_id, name_hi, name_en in rows]


def due_days() -> int:
    """Return how many days after a quarter ends its update is due."""
    return current_app.config["PLAN_UPDATE_DUE_DAYS"]


def update_data(update: QuarterlyUpdate | None) -> dict:
    """Return a quarter's update as the update form's data (empty when none was sent)."""
    if update is None:
        return {}
    data = {}
    for row in update.progress:
        data.update({f"status_{row.activity_id}": row.status.value, f"reached_{row.activity_id}": row.reached,
                     f"note_{row.activity_id}": row.note})
    return data


@dataclass(frozen=True)
class ActivityRow:
    """One activity of a year's plans, with its plan and what the quarterly updates report."""

    organisation_hi: str
    organisation_en: str
    reference: str
    state: PlanState
    title: str
    theme: str
    level: ActivityLevel
    planned_from: date
    planned_to: date
    participants: int
    reached: int
    progress: dict[int, Progress]  # by quarter


def year_rows(year: int) -> list[ActivityRow]:
    """Return every activity of a financial year's plans with the participants reached in all and the progress of
    each quarter, by organisation and date."""
    reached = (select(ActivityProgress.activity_id, func.sum(ActivityProgress.reached).label("reached"))
               .group_by(ActivityProgress.activity_id).subquery())
    rows = db.session.execute(
        select(PlanActivity, AnnualPlan.reference, AnnualPlan.state, Organisation.name_hi, Organisation.name_en,
               func.coalesce(reached.c.reached, 0))
        .join(AnnualPlan, AnnualPlan.id == PlanActivity.plan_id)
        .join(Organisation, Organisation.id == AnnualPlan.organisation_id)
        .outerjoin(reached, reached.c.activity_id == PlanActivity.id)
        .where(AnnualPlan.year == year)
        .order_by(Organisation.name_hi, Organisation.name_en, AnnualPlan.id, PlanActivity.planned_from,
                  PlanActivity.id)).all()
    statuses: dict[int, dict[int, Progress]] = {}
    for activity_id, quarter, status in db.session.execute(
            select(ActivityProgress.activity_id, QuarterlyUpdate.quarter, ActivityProgress.status)
            .join(QuarterlyUpdate, QuarterlyUpdate.id == ActivityProgress.update_id)
            .join(AnnualPlan, AnnualPlan.id == QuarterlyUpdate.plan_id).where(AnnualPlan.year == year)):
        statuses.setdefault(activity_id, {})[quarter] = status
    return [ActivityRow(name_hi, name_en, reference, state, activity.title, activity.theme, activity.level,
                        activity.planned_from, activity.planned_to, activity.participants, int(total),
                        statuses.get(activity.id, {}))
            for activity, reference, state, name_hi, name_en, total in rows]
