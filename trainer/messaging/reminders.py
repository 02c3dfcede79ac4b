"""The programmes' automatic reminders, each switchable per programme (on unless switched off):

- the day before the division's session (from REMINDER_DAY_BEFORE_AT, local time), to its GPs not yet trained;
- 15 minutes before it starts (REMINDER_STARTING_MINUTES), with the link of its page and streams;
- after a session's attendance has closed, to its GPs that missed it, with the next session for their division
  (none is sent where no later session is planned);
- a feedback reminder (FEEDBACK_REMINDER_HOURS after the session ends) to GPs marked present without feedback,
  where the programme has a feedback form.

`queue_due` runs every five minutes on the job queue; each reminder is queued once per GP contact and session
(the outbox's idempotency key), however often it runs.
"""
from datetime import datetime, time, timedelta

from flask import current_app
from sqlalchemy import select

from trainer.attendance import rules
from trainer.core import clock
from trainer.extensions import db
from trainer.feedback.services import has_feedback_form
from trainer.messaging import content
from trainer.messaging.kinds import MessageKind
from trainer.messaging.models import ProgrammeReminder, ReminderKind
from trainer.messaging.outbox import Queued, queue_messages
from trainer.programmes.models import SessionStatus, TrainingSession, session_divisions
from trainer.regions.areas import STATE
from trainer.reports import queries

UPCOMING = (SessionStatus.PUBLISHED, SessionStatus.LIVE)


def enabled(programme_id: int) -> dict[ReminderKind, bool]:
    """Which of a programme's reminders are on."""
    switched = dict(db.session.execute(select(ProgrammeReminder.kind, ProgrammeReminder.enabled)
                                       .where(ProgrammeReminder.programme_id == programme_id)).all())
    return {kind: switched.get(kind, True) for kind in ReminderKind}


def set_enabled(programme_id: int, kind: ReminderKind, on: bool, user_id: int | None) -> None:
    row = db.session.scalar(select(ProgrammeReminder).where(ProgrammeReminder.programme_id == programme_id,
                                                            ProgrammeReminder.kind == kind))
    if row is None:
        row = ProgrammeReminder(programme_id=programme_id, kind=kind)
        db.session.add(row)
    row.enabled, row.updated_by_id = on, user_id


def _sessions(condition) -> list[TrainingSession]:
    return list(db.session.scalars(select(TrainingSession).where(condition).order_by(TrainingSession.starts_at)))


def queue_due(now: datetime | None = None) -> Queued:
    """Queue every reminder that is due now; committed."""
    now = now or clock.now()
    config = current_app.config
    total = Queued()
    texts = content.SessionTexts()
    tomorrow = clock.local_day(now) + timedelta(days=1)
    day_before_at = time.fromisoformat(config["REMINDER_DAY_BEFORE_AT"])
    if now.astimezone(clock.IST).time() >= day_before_at:
        start = datetime.combine(tomorrow, time(0), clock.IST)
        for session in _sessions(TrainingSession.status.in_(UPCOMING) & (TrainingSession.starts_at >= start)
                                 & (TrainingSession.starts_at < start + timedelta(days=1))):
            _add(total, _remind_invited(session, ReminderKind.DAY_BEFORE, MessageKind.SESSION_TOMORROW, texts))
    soon = now + timedelta(minutes=config["REMINDER_STARTING_MINUTES"])
    for session in _sessions(TrainingSession.status.in_(UPCOMING) & (TrainingSession.starts_at > now)
                             & (TrainingSession.starts_at <= soon)):
        _add(total, _remind_invited(session, ReminderKind.STARTING, MessageKind.SESSION_STARTING, texts))
    # Sessions whose attendance closed within the last two days: who missed them, who owes feedback.
    for session in _sessions(TrainingSession.status.in_(rules.MARKABLE_STATUSES)
                             & (TrainingSession.ends_at <= now) & (TrainingSession.ends_at > now - timedelta(days=2))):
        closes = rules.window(session)[1]
        if closes <= now:
            _add(total, _remind_missed(session, now, texts))
        if session.ends_at + timedelta(hours=config["FEEDBACK_REMINDER_HOURS"]) <= now:
            _add(total, _remind_feedback(session, texts))
    db.session.commit()
    return total


def _add(total: Queued, more: Queued | None) -> None:
    if more is not None:
        total.queued += more.queued
        total.repeated += more.repeated
        total.unreachable += more.unreachable


def _remind_invited(session, reminder: ReminderKind, kind: MessageKind, texts) -> Queued | None:
    if not enabled(session.programme_id)[reminder]:
        return None
    gp_ids = queries.untrained_gp_ids(session.programme, STATE, session)
    return content.queue_to_gps(kind, gp_ids, session, texts)


def _remind_missed(session, now: datetime, texts) -> Queued | None:
    if not enabled(session.programme_id)[ReminderKind.MISSED]:
        return None
    gp_ids = queries.absent_gp_ids(session, STATE)
    # The next session of the programme for each of the missed session's divisions.
    upcoming = db.session.execute(
        select(session_divisions.c.division_id, TrainingSession)
        .join(TrainingSession, TrainingSession.id == session_divisions.c.session_id)
        .where(TrainingSession.programme_id == session.programme_id, TrainingSession.status.in_(UPCOMING),
               TrainingSession.starts_at > now, session_divisions.c.division_id.in_([d.id for d in session.divisions]))
        .order_by(TrainingSession.starts_at)).all()
    next_for: dict[int, TrainingSession] = {}
    for division_id, later in upcoming:
        next_for.setdefault(division_id, later)
    if not next_for:
        return None
    places = content.Places(gp_ids)
    recipients = [r for r in content.recipients_of(gp_ids) if places.division(r.gram_panchayat_id) in next_for]

    def values(recipient):
        later = next_for[places.division(recipient.gram_panchayat_id)]
        return {**texts.of(later, recipient.language), "gp": places.name(recipient.gram_panchayat_id,
                                                                         recipient.language)}
    return queue_messages(MessageKind.SESSION_MISSED, recipients, f"s{session.id}", values, session_id=session.id,
                          programme_id=session.programme_id)


def _remind_feedback(session, texts) -> Queued | None:
    if not enabled(session.programme_id)[ReminderKind.FEEDBACK] or not has_feedback_form(session.programme):
        return None
    gp_ids = queries.gp_ids_without_feedback(session, STATE)
    return content.queue_to_gps(MessageKind.FEEDBACK_REMINDER, gp_ids, session, texts, link="feedback")
