"""What the secretary's flow shows of a session, kept a few seconds per app process: the busiest request of
the whole state need not load the session, its programme, modules and divisions every time.

Only what is shown and what decides the page comes from here: the titles, the divisions, the status and the
window (`trainer.attendance.rules.window` reads a `SessionFacts` as it reads a session). Nothing is ever
marked on the word of this cache: the mark's own statement (`services.mark_if_still_open`) writes only while
the database still holds the session markable, at the same times and with the same window, so a session
cancelled, moved or closed on any app server stops taking marks at once, everywhere; the process that sees
its mark refused forgets the facts and loads them again. Every text is kept in both languages and picked
when the page is drawn (what a page makes of them, such as the start's date, is kept under its language),
so a page never shows another language's words.
"""
import time
from dataclasses import dataclass, field
from datetime import datetime

from flask import current_app
from sqlalchemy.orm import joinedload, selectinload

from trainer.core.i18n import current_language, format_moment, pick
from trainer.extensions import db
from trainer.programmes.models import Reach, SessionStatus, TrainingSession
from trainer.programmes.signals import sessions_changed

# How long a process shows a session as it last read it. A change shows on the pages within this time;
# marks are judged by the database at once (see above).
KEEP_SECONDS = 10.0


@dataclass(frozen=True)
class ProgrammeFacts:
    """The programme's part: its title and how long around a session attendance is taken."""

    id: int
    title_hi: str
    title_en: str
    attendance_opens_minutes: int
    attendance_closes_minutes: int
    reaches: Reach = Reach.GRAM_PANCHAYATS  # who marks: gram panchayats, partner organisations or both


@dataclass(frozen=True)
class SessionFacts:
    """A session as the flow shows and judges it; read like a TrainingSession by the rules and templates."""

    id: int
    status: SessionStatus
    starts_at: datetime
    ends_at: datetime
    programme: ProgrammeFacts
    module_titles: tuple[tuple[str, str], ...]  # (Hindi, English) of each module, in order
    division_names: tuple[tuple[str, str], ...]  # (Hindi, English) of each division, by LGD code

    # What the pages show, made once per language: {(what, language): text}.
    _shown: dict = field(default_factory=dict, compare=False, repr=False)

    @property
    def title(self) -> str:
        """The session's title in the page's language, as TrainingSession.title makes it."""
        return self._in_language("title", lambda: (
            " · ".join(pick(hindi, english) for hindi, english in self.module_titles)
            or pick(self.programme.title_hi, self.programme.title_en)))

    @property
    def divisions_text(self) -> str:
        """The session's divisions, in the page's language."""
        return self._in_language("divisions", lambda: ", ".join(
            pick(hindi, english) for hindi, english in self.division_names))

    @property
    def starts_text(self) -> str:
        """When the session starts, as the pages write it (`|moment`) in the page's language."""
        return self._in_language("starts", lambda: format_moment(self.starts_at))

    def _in_language(self, what: str, make) -> str:
        key = (what, current_language())
        text = self._shown.get(key)
        if text is None:
            text = self._shown[key] = make()
        return text


def facts_of(session_id: int) -> SessionFacts | None:
    """Return what the flow shows of a session, from this process's memory if read in the last few seconds."""
    kept = _kept()
    found = kept.get(session_id)
    moment = time.monotonic()
    if found is not None and moment - found[0] < KEEP_SECONDS:
        return found[1]
    facts = load(session_id)
    if facts is None:
        kept.pop(session_id, None)
    else:
        kept[session_id] = (moment, facts)
    return facts


def forget(session_id: int) -> None:
    """Drop what this process remembers of a session: the next request reads it again."""
    _kept().pop(session_id, None)


def load(session_id: int) -> SessionFacts | None:
    """Read a session's facts from the database (None if there is no such session)."""
    session = db.session.get(TrainingSession, session_id, options=(
        joinedload(TrainingSession.programme), selectinload(TrainingSession.modules),
        selectinload(TrainingSession.divisions)))
    if session is None:
        return None
    programme = session.programme
    return SessionFacts(
        id=session.id, status=session.status, starts_at=session.starts_at, ends_at=session.ends_at,
        programme=ProgrammeFacts(programme.id, programme.title_hi, programme.title_en,
                                 programme.attendance_opens_minutes,
                                 programme.attendance_closes_minutes, programme.reaches),
        module_titles=tuple((module.title_hi, module.title_en) for module in session.modules),
        division_names=tuple((division.name_hi, division.name_en) for division in session.divisions))


def _kept() -> dict[int, tuple[float, SessionFacts]]:
    # One memory per app: two apps in one process (tests, tools) may hold different databases.
    return current_app.extensions.setdefault("trainer.attendance.session_facts", {})


@sessions_changed.connect
def _forget_changed(app, session_ids, **_extra) -> None:
    """Forget sessions a planner just changed in this process; other processes learn it from the database."""
    kept = app.extensions.get("trainer.attendance.session_facts", {})
    for session_id in session_ids:
        kept.pop(session_id, None)
