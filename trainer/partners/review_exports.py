"""The screening of a call as a workbook: every score (one row per application, reviewer and criterion) and a
summary per application; numbers are numeric cells, headers in the page's language (Hindi by default).

The figures are trainer.partners.reviews.screening's, so the page and the file agree; writing the file is
trainer.core.tables'.
"""
from flask_babel import gettext as _

from trainer.core.tables import Table, xlsx_bytes
from trainer.partners.models import Call, Recommendation
from trainer.partners.reviews import ScreeningRow


def _yes(value: bool) -> str:
    return _("Yes") if value else _("No")


def _number(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def _name(row: ScreeningRow) -> str:
    return row.application.name_hi or row.application.name_en


def scores_table(call: Call, rows: list[ScreeningRow]) -> Table:
    """Every score of every review made: one row per application, reviewer and criterion."""
    lines = []
    for row in rows:
        for review in row.reviews:
            if not review.reviewed:
                continue
            for criterion in call.criteria:
                score = review.scores.get(criterion.id)
                lines.append([row.application.reference, _name(row), review.name, criterion.text("text"),
                              criterion.weight, criterion.max_score, score, _yes(criterion.required),
                              _yes(criterion.required and score == 0), str(review.recommendation.label)
                              if review.recommendation else "", _number(review.total)])
    return Table(_("Scores"), [_("Reference number"), _("Organisation"), _("Reviewer"), _("Criterion"), _("Weight"),
                               _("Maximum score"), _("Score"), _("Must be met"), _("Not met"), _("Recommendation"),
                               _("Reviewer's weighted total")], lines)


def summary_table(rows: list[ScreeningRow]) -> Table:
    """One row per application: reviews made and missing, the mean, lowest and highest totals, the spread, the
    required criteria not met and the recommendations."""
    lines = []
    for row in rows:
        totals = [review.total for review in row.reviews if review.total is not None]
        counts = row.recommendations
        lines.append([row.application.reference, _name(row), str(row.application.state.label), len(row.reviews),
                      row.reviewed, row.missing, _number(row.mean), _number(min(totals)) if totals else None,
                      _number(max(totals)) if totals else None, _number(row.spread), _yes(row.spread_is_large),
                      row.not_met, counts[Recommendation.SELECT], counts[Recommendation.MAYBE],
                      counts[Recommendation.REJECT]])
    return Table(_("Summary"), [_("Reference number"), _("Organisation"), _("Status"), _("Reviewers"),
                                _("Reviews made"), _("Reviews missing"), _("Mean weighted total"), _("Lowest total"),
                                _("Highest total"), _("Spread"), _("Large spread"), _("Required criteria not met"),
                                *(str(choice.label) for choice in Recommendation)], lines)


def screening_xlsx(call: Call, rows: list[ScreeningRow]) -> bytes:
    """The call's screening as a workbook: the summary first, then every score."""
    return xlsx_bytes([summary_table(rows), scores_table(call, rows)])
