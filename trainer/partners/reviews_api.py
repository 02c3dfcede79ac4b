"""A call's screening as JSON, for call managers: its criteria, reviewers, and every application with each
reviewer's scores, weighted total and recommendation, the mean and the spread.

The blueprint is nested in trainer.core.api's /api/v1; `docs/openapi.json` describes it.
"""
from flask import Blueprint, jsonify
from flask_babel import gettext as _
from flask_login import current_user

from trainer.core.api import api_bp, forbidden, not_found, staff_only
from trainer.partners import calls, reviews

bp = Blueprint("reviews", __name__)
api_bp.register_blueprint(bp)  # once, when this module is first imported (create_app does it)


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


@bp.get("/calls/<int:call_id>/reviews")
@staff_only
def call_reviews(call_id: int):
    """Return the call's reviews and scores, the applications by their mean weighted total, best first."""
    if not current_user.has_role(*reviews.MANAGER_ROLES):
        return forbidden(_("Only those who manage calls read their reviews."))
    call = calls.load_call(call_id)
    if call is None:
        return not_found(_("There is no such call."))
    rows = reviews.screening(call)
    return jsonify(
        call_id=call.id, spread_flag=reviews.SPREAD_FLAG,
        criteria=[{"id": c.id, "text_hi": c.text_hi, "text_en": c.text_en, "weight": c.weight,
                   "max_score": c.max_score, "required": c.required} for c in call.criteria],
        reviewers=[{"user_id": r.user_id, "name": r.user.full_name or r.user.username}
                   for r in reviews.reviewers_of(call)],
        applications=[{
            "id": row.application.id, "reference": row.application.reference,
            "name_hi": row.application.name_hi, "name_en": row.application.name_en,
            "state": row.application.state.value, "mean": _number(row.mean), "spread": _number(row.spread),
            "large_spread": row.spread_is_large, "reviews_made": row.reviewed, "reviews_missing": row.missing,
            "required_not_met": row.not_met,
            "reviews": [{"id": review.review_id, "reviewer_id": review.user_id, "reviewer": review.name,
                         "reviewed": review.reviewed,
                         "recommendation": review.recommendation.value if review.recommendation else None,
                         "comment": review.comment, "total": _number(review.total),
                         "scores": [{"criterion_id": criterion_id, "score": score}
                                    for criterion_id, score in sorted(review.scores.items())]}
                        for review in row.reviews]}
            for row in rows])
