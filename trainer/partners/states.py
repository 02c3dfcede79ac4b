"""An application's life: the one table of the states it may move between, who may move it (staff, or the applicant
themselves), and the one service every change goes through, which checks the move and writes it in the history.

draft → submitted → in screening ⇄ more information → shortlisted → selected | not selected; withdrawn (by the
applicant, or by staff on their behalf) from any state still open; duplicate (another application of the same
organisation to the same call) from any state still open. Nothing here commits.
"""
import hashlib
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l

from trainer.core.database import utc_now
from trainer.extensions import db
from trainer.partners.models import Application, ApplicationEvent, ApplicationState

S = ApplicationState

# Every move an application may make, and no other.
TRANSITIONS: dict[ApplicationState, tuple[ApplicationState, ...]] = {
    S.DRAFT: (S.SUBMITTED, S.DUPLICATE),
    S.SUBMITTED: (S.IN_SCREENING, S.DUPLICATE, S.WITHDRAWN),
    S.IN_SCREENING: (S.MORE_INFORMATION, S.SHORTLISTED, S.SELECTED, S.NOT_SELECTED, S.DUPLICATE, S.WITHDRAWN),
    S.MORE_INFORMATION: (S.IN_SCREENING, S.DUPLICATE, S.WITHDRAWN),
    S.SHORTLISTED: (S.SELECTED, S.NOT_SELECTED, S.DUPLICATE, S.WITHDRAWN),
}
# The moves the applicant makes themselves: submitting (which may find it a duplicate), answering a request for
# more information, withdrawing.
APPLICANT_MOVES = {(S.DRAFT, S.SUBMITTED), (S.DRAFT, S.DUPLICATE), (S.MORE_INFORMATION, S.IN_SCREENING)} | {
    (state, S.WITHDRAWN) for state, targets in TRANSITIONS.items() if S.WITHDRAWN in targets}
# The moves staff make one by one on an application's page; selection is published with the call's decisions.
STAFF_MOVES = (S.IN_SCREENING, S.MORE_INFORMATION, S.SHORTLISTED, S.DUPLICATE, S.WITHDRAWN)
# The states a decision may be prepared (and published) in.
DECIDABLE = (S.IN_SCREENING, S.SHORTLISTED)
FINAL = tuple(state for state in ApplicationState if state not in TRANSITIONS)
# The notes an applicant reads in their history: the question asked, the decision's note, their own words.
NOTES_FOR_APPLICANT = (S.MORE_INFORMATION, S.SELECTED, S.NOT_SELECTED)


class StateError(Exception):
    """A change of state the rules refuse; `message` says why, in the page's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class Attachment:
    """A file that comes with a change (the applicant's answer), already checked."""

    file_name: str
    content: bytes


def may_move(from_state: ApplicationState, to_state: ApplicationState, by_applicant: bool = False) -> bool:
    """Say whether an application in `from_state` may move to `to_state` (by the applicant, or by staff)."""
    if to_state not in TRANSITIONS.get(from_state, ()):
        return False
    return (from_state, to_state) in APPLICANT_MOVES if by_applicant else True


def staff_moves(application: Application) -> list[ApplicationState]:
    """Return the states staff may move the application to from its page."""
    return [state for state in STAFF_MOVES if may_move(application.state, state)]


def change_state(application: Application, to_state: ApplicationState, *, by_id: int | None = None,
                 by_applicant: bool = False, note: str = "", attachment: Attachment | None = None,
                 at=None) -> ApplicationEvent:
    """Move an application to another state if the rules allow it, and write the move in its history."""
    from_state = application.state
    if not may_move(from_state, to_state, by_applicant):
        if from_state in FINAL:
            raise StateError(_l("This application is %(state)s: its state can no longer change.",
                                state=from_state.label))
        raise StateError(_l("An application that is %(state)s cannot become %(target)s.", state=from_state.label,
                            target=to_state.label))
    event = ApplicationEvent(from_state=from_state, to_state=to_state, note=(note or "").strip(),
                             by_applicant=by_applicant, by_id=None if by_applicant else by_id, at=at or utc_now())
    if attachment is not None:
        event.file_name, event.file_content = attachment.file_name, attachment.content
        event.file_size, event.file_sha256 = len(attachment.content), hashlib.sha256(attachment.content).hexdigest()
    application.state = to_state
    application.events.append(event)
    db.session.flush()
    return event


def shown_to_applicant(event: ApplicationEvent) -> str:
    """Return the note of a change as the applicant may read it (staff's own notes are kept from them)."""
    return event.note if event.by_applicant or event.to_state in NOTES_FOR_APPLICANT else ""
