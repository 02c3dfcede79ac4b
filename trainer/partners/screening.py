"""Screening a call's applications: staff start it, ask the applicant for more information (who answers, with a PDF
if they like), shortlist, mark duplicates, withdraw on the applicant's behalf; decisions are prepared one by one or
many at once, seen by staff only, and published together. Every change goes through trainer.partners.states.

Nothing here commits; the caller commits, then kicks the message senders.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from trainer.core.database import lock_for_transaction, utc_now
from trainer.extensions import db
from trainer.partners import applications, notify, states
from trainer.partners.models import (
    Application,
    ApplicationDecision,
    ApplicationEvent,
    ApplicationState,
    Call,
    DecisionOutcome,
)
from trainer.partners.states import Attachment, StateError

NOTE_LENGTH_MAX = 4000


def _note(note: str | None) -> str:
    note = (note or "").strip()
    if len(note) > NOTE_LENGTH_MAX:
        raise StateError(_l("The note is longer than %(count)s characters.", count=NOTE_LENGTH_MAX))
    return note


def counts_by_state(call: Call) -> dict[ApplicationState, int]:
    """Return how many of the call's applications are in each state (every state, zero included)."""
    found = dict(db.session.execute(select(Application.state, func.count()).where(Application.call_id == call.id)
                                    .group_by(Application.state)).all())
    return {state: found.get(state, 0) for state in ApplicationState}


def application_of(call_id: int, application_id: int) -> Application | None:
    """Return an application by the ids in its address, or None."""
    if not all(0 < number < 2**31 for number in (call_id, application_id)):
        return None
    return db.session.scalar(select(Application).where(Application.id == application_id,
                                                       Application.call_id == call_id))


def move(application: Application, to_state: ApplicationState, user_id: int, note: str = "",
         duplicate_of_reference: str = "") -> ApplicationEvent:
    """Make one of the moves staff make on an application's page (a duplicate names the first application)."""
    if to_state not in states.STAFF_MOVES:
        raise StateError(_l("Decisions are prepared and then published together."))
    note = _note(note)
    if to_state is ApplicationState.MORE_INFORMATION:
        return ask_more_information(application, user_id, note)
    if to_state is ApplicationState.DUPLICATE:
        return mark_duplicate(application, user_id, duplicate_of_reference, note)
    return states.change_state(application, to_state, by_id=user_id, note=note)


def ask_more_information(application: Application, user_id: int, question: str) -> ApplicationEvent:
    """Ask the applicant for more information (the question is shown to them) and tell them so."""
    question = _note(question)
    if not question:
        raise StateError(_l("Write what the applicant should send."))
    event = states.change_state(application, ApplicationState.MORE_INFORMATION, by_id=user_id, note=question)
    notify.queue_information_asked(application, event.id)
    return event


def mark_duplicate(application: Application, user_id: int, first_reference: str, note: str = "") -> ApplicationEvent:
    """Mark an application a duplicate of another application to the same call."""
    reference = (first_reference or "").strip().upper()[:30]
    first = db.session.scalar(select(Application).where(Application.reference == reference,
                                                        Application.call_id == application.call_id))
    if first is None or first.id == application.id:
        raise StateError(_l("Give the reference number of another application to the same call."))
    while first.duplicate_of is not None and first.duplicate_of_id != application.id:
        first = first.duplicate_of
    if first.state in (ApplicationState.DUPLICATE, ApplicationState.DRAFT):
        raise StateError(_l("Application %(reference)s is itself a draft or a duplicate.", reference=first.reference))
    event = states.change_state(application, ApplicationState.DUPLICATE, by_id=user_id,
                                note=_note(note) or first.reference)
    application.duplicate_of = first
    db.session.flush()
    return event


def answer(application: Application, text: str, upload: tuple[str, bytes] | None = None) -> ApplicationEvent:
    """Take the applicant's answer to a request for more information (with one PDF, checked like the others); the
    application goes back to screening."""
    text = _note(text)
    if application.state is not ApplicationState.MORE_INFORMATION:
        raise StateError(_l("No information is asked of this application now."))
    if not text and upload is None:
        raise StateError(_l("Write your answer, or attach a PDF file."))
    attachment = None
    if upload is not None:
        applications.check_pdf(upload[1])
        attachment = Attachment(applications.clean_file_name(upload[0]), upload[1])
    return states.change_state(application, ApplicationState.IN_SCREENING, by_applicant=True, note=text,
                               attachment=attachment)


def withdraw(application: Application, user_id: int | None = None, note: str = "") -> ApplicationEvent:
    """Withdraw an application: by the applicant, or by staff on their behalf (`user_id`)."""
    return states.change_state(application, ApplicationState.WITHDRAWN, by_id=user_id,
                               by_applicant=user_id is None, note=_note(note))


# Decisions


def prepare_decision(application: Application, outcome: DecisionOutcome, user_id: int,
                     note: str = "") -> ApplicationDecision:
    """Prepare (or change) the decision on a shortlisted or screened application; staff only see it until the call's
    decisions are published."""
    if application.state not in states.DECIDABLE:
        raise StateError(_l("Application %(reference)s is %(state)s: only an application in screening or shortlisted "
                            "can be decided.", reference=application.reference, state=application.state.label))
    decision = application.decision or ApplicationDecision(application=application)
    if decision.published_at is not None:
        raise StateError(_l("The decision on %(reference)s is already published.", reference=application.reference))
    decision.outcome, decision.note = outcome, _note(note)
    decision.prepared_by_id, decision.prepared_at = user_id, utc_now()
    db.session.add(decision)
    db.session.flush()
    return decision


def prepare_decisions(call: Call, application_ids: list[int], outcome: DecisionOutcome, user_id: int,
                      note: str = "") -> list[ApplicationDecision]:
    """Prepare the same decision for several applications of a call: all of them, or none (every refusal named)."""
    if not application_ids:
        raise StateError(_l("Tick at least one application."))
    found = {application.id: application for application in db.session.scalars(
        select(Application).where(Application.call_id == call.id, Application.id.in_(application_ids)))}
    if len(found) != len(set(application_ids)):
        raise StateError(_l("Some of the ticked applications are not of this call."))
    prepared, refusals = [], []
    for application_id in sorted(set(application_ids)):
        try:
            prepared.append(prepare_decision(found[application_id], outcome, user_id, note))
        except StateError as refused:
            refusals.append(str(refused.message))
    if refusals:
        raise StateError(" ".join(refusals))
    return prepared


def clear_decision(application: Application) -> None:
    """Take back a prepared decision that is not published yet."""
    decision = application.decision
    if decision is None or decision.published_at is not None:
        raise StateError(_l("There is no prepared decision to take back."))
    application.decision = None
    db.session.flush()


def prepared_count(call: Call) -> int:
    """Return how many decisions of the call wait to be published."""
    return db.session.scalar(select(func.count()).select_from(ApplicationDecision).join(Application).where(
        Application.call_id == call.id, ApplicationDecision.published_at.is_(None)))


@dataclass
class Published:
    published: int = 0
    skipped: list[str] | None = None  # references whose application can no longer be decided (withdrawn, duplicate)
    messages: int = 0


def publish_decisions(call: Call, user_id: int) -> Published:
    """Apply every prepared decision of the call together (states, history, the time published) and queue a message
    to each applicant; a decision whose application was withdrawn or is a duplicate is not published. Publishing
    again changes nothing."""
    lock_for_transaction(f"publish-decisions-{call.id}")
    pending = list(db.session.scalars(
        select(ApplicationDecision).join(Application).where(Application.call_id == call.id,
                                                           ApplicationDecision.published_at.is_(None))
        .order_by(Application.number).with_for_update(of=ApplicationDecision)))
    result, now = Published(skipped=[]), utc_now()
    for decision in pending:
        application = decision.application
        if application.state not in states.DECIDABLE:
            result.skipped.append(application.reference)
            continue
        states.change_state(application, decision.outcome.state, by_id=user_id, note=decision.note, at=now)
        decision.published_at = now
        result.published += 1
        result.messages += notify.queue_decided(application).queued
    db.session.flush()
    return result
