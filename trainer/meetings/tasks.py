"""The review meetings' work on the job queue: the owner offices' reminders of their directives, every morning."""
from trainer.jobs.queue import crontab, periodic_task


@periodic_task(crontab(minute="30", hour="3"))  # 09:00 in Asia/Kolkata (the queue keeps UTC)
def remind_directive_owners() -> int:
    """Queue the reminders of directives due within three days, today or overdue (each goes once per directive,
    due date and day-kind, however often this runs), and start the senders."""
    from trainer.extensions import db
    from trainer.meetings import directive_board
    from trainer.messaging import tasks as messages

    queued = directive_board.remind_owners()
    db.session.commit()
    if queued.queued:
        messages.kick()
    return queued.queued
