"""Calls for expressions of interest: opening and changing one, its screening criteria and the documents it asks
for, and whether it is open on a day.

Planners open and change calls; every member of staff reads them. Nothing here commits.
"""
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, exists, select
from sqlalchemy.orm import selectinload

from trainer.core import clock
from trainer.core.roles import PLANNERS
from trainer.extensions import db
from trainer.partners.models import THEMES, Application, ApplicationState, Call, CallCriterion, CallDocument, CallTheme

EDITOR_ROLES = PLANNERS


class CallError(Exception):
    """A change to a call that its rules refuse; `message` says why, in the page's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class CallValues:
    """What a planner gives for a call."""

    opens_on: date
    closes_on: date
    title_hi: str = ""
    title_en: str = ""
    description_hi: str = ""
    description_en: str = ""
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class CriterionValues:
    """One screening criterion: its wording, weight, maximum score, and whether it must be met."""

    text_hi: str = ""
    text_en: str = ""
    weight: int = 1
    max_score: int = 10
    required: bool = False


def _check(values: CallValues) -> None:
    if not values.title_hi.strip() and not values.title_en.strip():
        raise CallError(_l("Give the title in Hindi or in English."))
    if values.closes_on < values.opens_on:
        raise CallError(_l("The call cannot close before it opens."))
    unknown = set(values.themes) - set(THEMES)
    if unknown:
        raise CallError(_l("Unknown themes: %(themes)s.", themes=", ".join(sorted(unknown))))


def save_call(values: CallValues, user_id: int | None, call: Call | None = None) -> Call:
    """Open a call (call None) or change one, with its themes."""
    _check(values)
    if call is None:
        call = Call(created_by_id=user_id)
        db.session.add(call)
    call.title_hi, call.title_en = values.title_hi.strip(), values.title_en.strip()
    call.description_hi, call.description_en = values.description_hi.strip(), values.description_en.strip()
    call.opens_on, call.closes_on = values.opens_on, values.closes_on
    chosen = [theme for theme in THEMES if theme in set(values.themes)]
    kept = {row.theme: row for row in call.themes}
    call.themes = [kept.get(theme) or CallTheme(theme=theme) for theme in chosen]
    db.session.flush()
    return call


def is_open(call: Call, day: date | None = None) -> bool:
    """Say whether the call takes applications on a day (today in Asia/Kolkata by default)."""
    day = day or clock.today()
    return call.opens_on <= day <= call.closes_on


def has_applications(call: Call) -> bool:
    """Say whether an application to the call was submitted (its criteria and documents are then kept as they are:
    drafts still being written do not count, as nothing was judged against them yet)."""
    return db.session.scalar(select(exists().where(Application.call_id == call.id,
                                                   Application.state != ApplicationState.DRAFT)))


def _keep_settled(call: Call) -> None:
    if has_applications(call):
        raise CallError(_l("Applications have come in for this call: its criteria and documents stay as they "
                           "are."))


def add_criterion(call: Call, values: CriterionValues) -> CallCriterion:
    """Add a screening criterion to a call."""
    _keep_settled(call)
    if not values.text_hi.strip() and not values.text_en.strip():
        raise CallError(_l("Give the criterion in Hindi or in English."))
    criterion = CallCriterion(text_hi=values.text_hi.strip(), text_en=values.text_en.strip(), weight=values.weight,
                              max_score=values.max_score, required=values.required)
    call.criteria.append(criterion)
    db.session.flush()
    return criterion


def remove_criterion(call: Call, criterion: CallCriterion) -> None:
    """Remove a screening criterion from a call that nobody has applied to yet."""
    _keep_settled(call)
    call.criteria.remove(criterion)
    db.session.flush()


def add_document(call: Call, name_hi: str, name_en: str, required: bool) -> CallDocument:
    """Ask the call's applicants for one more document (a PDF)."""
    _keep_settled(call)
    if not name_hi.strip() and not name_en.strip():
        raise CallError(_l("Give the document's name in Hindi or in English."))
    document = CallDocument(name_hi=name_hi.strip(), name_en=name_en.strip(), required=required)
    call.documents.append(document)
    db.session.flush()
    return document


def remove_document(call: Call, document: CallDocument) -> None:
    """Stop asking for a document, on a call that nobody has applied to yet."""
    _keep_settled(call)
    call.documents.remove(document)
    db.session.flush()


_DETAILS = (selectinload(Call.themes), selectinload(Call.criteria), selectinload(Call.documents),
            selectinload(Call.questions))


def call_query() -> Select:
    """Return the calls, the latest to open first."""
    return select(Call).options(selectinload(Call.themes)).order_by(Call.opens_on.desc(), Call.id.desc())


def load_call(call_id: int) -> Call | None:
    """Return a call with its themes, criteria and documents, or None."""
    if not 0 < call_id < 2**31:
        return None
    return db.session.scalar(select(Call).where(Call.id == call_id).options(*_DETAILS))
