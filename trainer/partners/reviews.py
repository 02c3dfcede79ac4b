"""The screening of a call's applications: its reviewers, their conflicts of interest, giving each application
its reviewers (balanced, never to a reviewer with a conflict), the reviews with a score per criterion, and the
screening table that sets the reviewers' totals side by side.

Call managers (the call's editors) name reviewers, give out applications and read the screening; a reviewer scores
the applications given to them. Nothing here commits.
"""
from collections import defaultdict
from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import Float, and_, case, cast, delete, func, or_, select
from sqlalchemy.orm import selectinload

from trainer.accounts.models import User
from trainer.core.database import utc_now
from trainer.core.roles import STAFF_ROLES
from trainer.extensions import db
from trainer.partners.calls import EDITOR_ROLES
from trainer.partners.models import (
    COMMENT_LENGTH_MAX,
    REASON_LENGTH_MAX,
    Application,
    ApplicationState,
    Call,
    CallCriterion,
    CallReviewer,
    Organisation,
    Recommendation,
    Review,
    ReviewConflict,
    ReviewScore,
)

MANAGER_ROLES = EDITOR_ROLES
REVIEWER_ROLES = STAFF_ROLES
# The applications that are given reviewers.
ASSIGNED_STATES = (ApplicationState.SUBMITTED, ApplicationState.IN_SCREENING)
# A review can be changed while its application is still being screened (the call has no "decisions published"
# mark yet: an application that leaves these states has been decided).
OPEN_STATES = (ApplicationState.SUBMITTED, ApplicationState.IN_SCREENING, ApplicationState.MORE_INFORMATION,
               ApplicationState.SHORTLISTED)
DEFAULT_REVIEWERS = 2
REVIEWERS_MAX = 10
# Reviewers' weighted totals further apart than this (points of 100) are flagged on the screening page.
SPREAD_FLAG = 20.0


class ReviewError(Exception):
    """What the screening's rules refuse; `message` says why, in the page's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


# Reviewers and conflicts


def reviewers_of(call: Call) -> list[CallReviewer]:
    """Return a call's reviewers, in the order they were named."""
    return list(db.session.scalars(select(CallReviewer).where(CallReviewer.call_id == call.id)
                                   .options(selectinload(CallReviewer.user)).order_by(CallReviewer.id)))


def is_reviewer(call: Call, user_id: int) -> bool:
    """Say whether a user reviews a call."""
    return db.session.scalar(select(CallReviewer.id).where(CallReviewer.call_id == call.id,
                                                           CallReviewer.user_id == user_id)) is not None


def calls_reviewed_by(user_id: int) -> list[Call]:
    """Return the calls a user reviews, the latest to open first."""
    return list(db.session.scalars(select(Call).join(CallReviewer).where(CallReviewer.user_id == user_id)
                                   .order_by(Call.opens_on.desc(), Call.id.desc())))


def candidates() -> list[User]:
    """Return the active staff accounts that can be named reviewers, by name."""
    return list(db.session.scalars(select(User).where(User.active.is_(True), User.role.in_(REVIEWER_ROLES))
                                   .order_by(User.full_name, User.username)))


def add_reviewer(call: Call, user_id: int, named_by_id: int | None) -> CallReviewer:
    """Name a member of staff a reviewer of the call."""
    user = db.session.get(User, user_id) if 0 < user_id < 2**31 else None
    if user is None or not user.active or user.role not in REVIEWER_ROLES:
        raise ReviewError(_l("Only an active staff account can review applications."))
    if is_reviewer(call, user.id):
        raise ReviewError(_l("%(name)s already reviews this call.", name=user.full_name or user.username))
    reviewer = CallReviewer(call_id=call.id, user_id=user.id, named_by_id=named_by_id)
    db.session.add(reviewer)
    db.session.flush()
    return reviewer


def remove_reviewer(call: Call, user_id: int) -> None:
    """Stop a reviewer reviewing the call: the applications given to them and not yet reviewed are taken back;
    reviews already made stay and still count."""
    reviewer = db.session.scalar(select(CallReviewer).where(CallReviewer.call_id == call.id,
                                                            CallReviewer.user_id == user_id))
    if reviewer is None:
        raise ReviewError(_l("This person does not review this call."))
    db.session.execute(delete(Review).where(Review.user_id == user_id, Review.reviewed_at.is_(None),
                                            Review.application_id.in_(_application_ids(call))))
    db.session.delete(reviewer)
    db.session.flush()


def _application_ids(call: Call):
    return select(Application.id).where(Application.call_id == call.id).scalar_subquery()


def conflicts_of(call: Call, user_id: int | None = None) -> list[ReviewConflict]:
    """Return the conflicts of interest declared in a call (one reviewer's, if named), the latest first."""
    query = select(ReviewConflict).where(ReviewConflict.call_id == call.id)
    if user_id is not None:
        query = query.where(ReviewConflict.user_id == user_id)
    return list(db.session.scalars(query.options(selectinload(ReviewConflict.user),
                                                 selectinload(ReviewConflict.organisation),
                                                 selectinload(ReviewConflict.application))
                                   .order_by(ReviewConflict.id.desc())))


def has_conflict(application: Application, user_id: int) -> bool:
    """Say whether a reviewer declared a conflict with the application or with its organisation."""
    query = select(ReviewConflict.id).where(ReviewConflict.call_id == application.call_id,
                                            ReviewConflict.user_id == user_id)
    parties = [ReviewConflict.application_id == application.id]
    if application.organisation_id is not None:
        parties.append(ReviewConflict.organisation_id == application.organisation_id)
    return db.session.scalar(query.where(or_(*parties)).limit(1)) is not None


def conflict_organisations(call: Call) -> list[Organisation]:
    """Return the organisations of the registry that applied to the call, by name: those a conflict names."""
    return list(db.session.scalars(select(Organisation).where(Organisation.id.in_(
        select(Application.organisation_id).where(Application.call_id == call.id))).order_by(
        Organisation.name_hi, Organisation.name_en)))


def registry_organisations() -> list[Organisation]:
    """Return the organisations of the registry (duplicates aside), by name."""
    return list(db.session.scalars(select(Organisation).where(Organisation.duplicate_of_id.is_(None))
                                   .order_by(Organisation.name_hi, Organisation.name_en)))


def declare_conflict(call: Call, user_id: int, reason: str, declared_by_id: int | None, *,
                     organisation_id: int | None = None, application_id: int | None = None) -> ReviewConflict:
    """Record a reviewer's conflict of interest with an organisation or an application of the call; the
    applications it concerns are taken back from the reviewer (with any review of them, which no longer counts)."""
    if not is_reviewer(call, user_id):
        raise ReviewError(_l("This person does not review this call."))
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReviewError(_l("Give the reason for the conflict of interest."))
    if len(reason) > REASON_LENGTH_MAX:
        raise ReviewError(_l("Give the reason in at most %(count)s characters.", count=REASON_LENGTH_MAX))
    if (organisation_id is None) == (application_id is None):
        raise ReviewError(_l("Choose either an organisation or an application."))
    if application_id is not None:
        application = _application_of(call, application_id)
        if application is None:
            raise ReviewError(_l("There is no such application to this call."))
        concerned = Review.application_id == application.id
    else:
        if not 0 < organisation_id < 2**31 or db.session.get(Organisation, organisation_id) is None:
            raise ReviewError(_l("There is no such organisation."))
        concerned = Review.application_id.in_(select(Application.id).where(
            Application.call_id == call.id, Application.organisation_id == organisation_id))
    conflict = ReviewConflict(call_id=call.id, user_id=user_id, organisation_id=organisation_id,
                              application_id=application_id, reason=reason, declared_by_id=declared_by_id)
    db.session.add(conflict)
    db.session.execute(delete(Review).where(Review.user_id == user_id, concerned))
    db.session.flush()
    return conflict


def _application_of(call: Call, application_id: int) -> Application | None:
    if not 0 < application_id < 2**31:
        return None
    return db.session.scalar(select(Application).where(Application.id == application_id,
                                                       Application.call_id == call.id))


# Giving out applications


@dataclass(frozen=True)
class Shortfall:
    """An application that could not get as many reviewers as asked."""

    application: Application
    reviewers: int


@dataclass
class Assignment:
    """What giving out the applications did."""

    added: int = 0
    shortfalls: list[Shortfall] = field(default_factory=list)


def assign(call: Call, reviewers_each: int, assigned_by_id: int | None) -> Assignment:
    """Give every submitted application (or one in screening) `reviewers_each` reviewers: the least loaded
    first (ties by the order they were named), never one with a conflict; what an application already has is
    kept, so assigning again adds only what is missing. The same data always gives the same result."""
    if not 1 <= reviewers_each <= REVIEWERS_MAX:
        raise ReviewError(_l("Each application gets between 1 and %(count)s reviewers.", count=REVIEWERS_MAX))
    reviewer_ids = [reviewer.user_id for reviewer in reviewers_of(call)]
    if not reviewer_ids:
        raise ReviewError(_l("Name the call's reviewers first."))
    load = dict.fromkeys(reviewer_ids, 0)
    for user_id, count in db.session.execute(
            select(Review.user_id, func.count(Review.id)).join(Application, Application.id == Review.application_id)
            .where(Application.call_id == call.id, Review.user_id.in_(reviewer_ids)).group_by(Review.user_id)):
        load[user_id] = count
    order = {user_id: index for index, user_id in enumerate(reviewer_ids)}
    given: dict[int, set[int]] = defaultdict(set)
    for application_id, user_id in db.session.execute(
            select(Review.application_id, Review.user_id).join(Application, Application.id == Review.application_id).where(Application.call_id == call.id)):
        given[application_id].add(user_id)
    barred: dict[int, set[int]] = defaultdict(set)
    for application_id, user_id in db.session.execute(
            select(Application.id, ReviewConflict.user_id).join(ReviewConflict, and_(
                ReviewConflict.call_id == Application.call_id,
                or_(ReviewConflict.application_id == Application.id,
                    ReviewConflict.organisation_id == Application.organisation_id)))
            .where(Application.call_id == call.id)):
        barred[application_id].add(user_id)
    result = Assignment()
    waiting = db.session.scalars(select(Application).where(Application.call_id == call.id,
                                                           Application.state.in_(ASSIGNED_STATES))
                                 .order_by(Application.number))
    for application in waiting:
        have = given[application.id]
        free = sorted((user_id for user_id in reviewer_ids
                       if user_id not in have and user_id not in barred[application.id]),
                      key=lambda user_id: (load[user_id], order[user_id]))
        for user_id in free[:max(0, reviewers_each - len(have))]:
            db.session.add(Review(application_id=application.id, user_id=user_id, assigned_by_id=assigned_by_id))
            load[user_id] += 1
            have.add(user_id)
            result.added += 1
        if len(have) < reviewers_each:
            result.shortfalls.append(Shortfall(application, len(have)))
    db.session.flush()
    return result


def assign_one(call: Call, application_id: int, user_id: int, assigned_by_id: int | None) -> Review:
    """Give one application to one reviewer of the call, by hand (never to one with a conflict)."""
    application = _application_of(call, application_id)
    if application is None or application.state not in OPEN_STATES:
        raise ReviewError(_l("Only a submitted application still being screened can be given to a reviewer."))
    if not is_reviewer(call, user_id):
        raise ReviewError(_l("This person does not review this call."))
    if has_conflict(application, user_id):
        raise ReviewError(_l("This reviewer declared a conflict of interest with this application."))
    if db.session.scalar(select(Review.id).where(Review.application_id == application.id,
                                                 Review.user_id == user_id)) is not None:
        raise ReviewError(_l("This reviewer already has this application."))
    review = Review(application_id=application.id, user_id=user_id, assigned_by_id=assigned_by_id)
    db.session.add(review)
    db.session.flush()
    return review


def unassign(call: Call, application_id: int, user_id: int) -> None:
    """Take an application back from a reviewer, with the review if it was made."""
    review = db.session.scalar(select(Review).join(Application, Application.id == Review.application_id).where(
        Application.call_id == call.id, Review.application_id == application_id, Review.user_id == user_id)) \
        if 0 < application_id < 2**31 and 0 < user_id < 2**31 else None
    if review is None:
        raise ReviewError(_l("This reviewer does not have this application."))
    db.session.delete(review)
    db.session.flush()


# Reviews


def reviews_of(user_id: int) -> list[Review]:
    """Return the reviews given to a reviewer, those still to be made first, then by call and application."""
    return list(db.session.scalars(
        select(Review).join(Application, Application.id == Review.application_id).where(Review.user_id == user_id)
        .options(selectinload(Review.application).selectinload(Application.call))
        .order_by(Review.reviewed_at.is_not(None), Application.call_id.desc(), Application.number)))


def review_of(review_id: int, user_id: int) -> Review | None:
    """Return a review if it was given to this reviewer, else None (no one else sees it)."""
    if not 0 < review_id < 2**31:
        return None
    return db.session.scalar(select(Review).where(Review.id == review_id, Review.user_id == user_id)
                             .options(selectinload(Review.scores)))


def can_change(review: Review) -> bool:
    """Say whether a review can still be made or changed: while its application is being screened."""
    return review.application.state in OPEN_STATES


def save_review(review: Review, scores: dict[int, int | None], recommendation: Recommendation | None,
                comment: str) -> Review:
    """Record a reviewer's whole-number score on every criterion of the call, a recommendation and a comment."""
    if not can_change(review):
        raise ReviewError(_l("This application has been decided: its reviews can no longer be changed."))
    problems = []
    for criterion in review.application.call.criteria:
        score = scores.get(criterion.id)
        if score is None or isinstance(score, bool) or not isinstance(score, int) \
                or not 0 <= score <= criterion.max_score:
            problems.append(_l("“%(criterion)s”: give a whole number from 0 to %(max)s.",
                               criterion=criterion.text("text"), max=criterion.max_score))
    if recommendation is None:
        problems.append(_l("Choose a recommendation."))
    comment = (comment or "").strip()
    if len(comment) > COMMENT_LENGTH_MAX:
        problems.append(_l("Give the comment in at most %(count)s characters.", count=COMMENT_LENGTH_MAX))
    if problems:
        raise ReviewError(" ".join(str(problem) for problem in problems))
    kept = {row.criterion_id: row for row in review.scores}
    review.scores = [kept.get(criterion.id) or ReviewScore(criterion_id=criterion.id)
                     for criterion in review.application.call.criteria]
    for row in review.scores:
        row.score = scores[row.criterion_id]
    review.recommendation = recommendation
    review.comment = comment
    review.reviewed_at = utc_now()
    db.session.flush()
    return review


# The screening table


@dataclass
class ReviewerColumn:
    """One reviewer's review of one application on the screening page."""

    review_id: int
    user_id: int
    name: str
    reviewed: bool
    recommendation: Recommendation | None
    comment: str
    total: float | None  # the weighted total, 0 to 100
    scores: dict[int, int] = field(default_factory=dict)  # by criterion id
    not_met: int = 0  # required criteria scored 0


@dataclass
class ScreeningRow:
    """One application on the screening page: each reviewer's scores and total, the mean and the spread."""

    application: Application
    reviews: list[ReviewerColumn]
    mean: float | None
    spread: float | None
    reviewed: int
    missing: int
    not_met: int  # required criteria scored 0, by any reviewer

    @property
    def spread_is_large(self) -> bool:
        """Say whether the reviewers' totals lie far apart."""
        return self.spread is not None and self.spread > SPREAD_FLAG

    @property
    def recommendations(self) -> dict[Recommendation, int]:
        """Count the reviewers' recommendations, in the fixed order."""
        counts = dict.fromkeys(Recommendation, 0)
        for review in self.reviews:
            if review.recommendation is not None:
                counts[review.recommendation] += 1
        return counts


SORTS = ("mean", "name", "spread")


def _totals(call: Call):
    # Each made review's weighted total: Σ weight·score/max ÷ Σ weight × 100, and its required criteria not met.
    weighted = func.sum(CallCriterion.weight * cast(ReviewScore.score, Float) / CallCriterion.max_score)
    return (select(Review.id.label("review_id"), Review.application_id.label("application_id"),
                   (weighted * 100 / func.sum(CallCriterion.weight)).label("total"),
                   func.sum(case((and_(CallCriterion.required.is_(True), ReviewScore.score == 0), 1), else_=0))
                   .label("not_met"))
            .join(ReviewScore, ReviewScore.review_id == Review.id)
            .join(CallCriterion, CallCriterion.id == ReviewScore.criterion_id)
            .where(CallCriterion.call_id == call.id, Review.reviewed_at.is_not(None))
            .group_by(Review.id, Review.application_id).subquery())


def screening(call: Call, sort: str = "mean") -> list[ScreeningRow]:
    """Return every application of the call that has reviewers or is waiting for them, with each reviewer's
    scores and weighted total, the mean, the spread and what is missing; sorted by the mean (best first), the
    name or the spread (widest first)."""
    totals = _totals(call)
    per_review = {row.review_id: row for row in db.session.execute(select(totals))}
    summary = {row.application_id: row for row in db.session.execute(
        select(totals.c.application_id, func.avg(totals.c.total).label("mean"),
               (func.max(totals.c.total) - func.min(totals.c.total)).label("spread"),
               func.count(totals.c.review_id).label("reviewed"), func.sum(totals.c.not_met).label("not_met"))
        .group_by(totals.c.application_id))}
    scores: dict[int, dict[int, int]] = defaultdict(dict)
    for review_id, criterion_id, score in db.session.execute(
            select(ReviewScore.review_id, ReviewScore.criterion_id, ReviewScore.score).join(Review)
            .join(Application, Application.id == Review.application_id).where(Application.call_id == call.id, Review.reviewed_at.is_not(None))):
        scores[review_id][criterion_id] = score
    columns: dict[int, list[ReviewerColumn]] = defaultdict(list)
    for review, user in db.session.execute(
            select(Review, User).join(User, User.id == Review.user_id)
            .join(Application, Application.id == Review.application_id)
            .where(Application.call_id == call.id).order_by(Review.application_id, User.full_name, User.id)):
        made = per_review.get(review.id)
        columns[review.application_id].append(ReviewerColumn(
            review_id=review.id, user_id=user.id, name=user.full_name or user.username,
            reviewed=review.reviewed_at is not None and made is not None, recommendation=review.recommendation,
            comment=review.comment, total=float(made.total) if made is not None else None,
            scores=scores.get(review.id, {}), not_met=int(made.not_met) if made is not None else 0))
    listed = db.session.scalars(select(Application).where(
        Application.call_id == call.id,
        or_(Application.state.in_(OPEN_STATES), Application.id.in_(select(Review.application_id))))
        .options(selectinload(Application.organisation)).order_by(Application.number))
    rows = []
    for application in listed:
        found = summary.get(application.id)
        reviews = columns.get(application.id, [])
        reviewed = int(found.reviewed) if found is not None else 0
        rows.append(ScreeningRow(
            application=application, reviews=reviews,
            mean=float(found.mean) if found is not None else None,
            spread=float(found.spread) if found is not None and reviewed > 1 else None,
            reviewed=reviewed, missing=len(reviews) - reviewed,
            not_met=int(found.not_met) if found is not None else 0))
    if sort == "name":
        rows.sort(key=lambda row: ((row.application.name_hi or row.application.name_en).casefold(),
                                   row.application.number))
    elif sort == "spread":
        rows.sort(key=lambda row: (row.spread is None, -(row.spread or 0), row.application.number))
    else:
        rows.sort(key=lambda row: (row.mean is None, -(row.mean or 0), row.application.number))
    return rows
