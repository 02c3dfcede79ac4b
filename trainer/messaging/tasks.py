"""The messaging's work on the job queue: senders, the minute's sweep, reminders, broadcasts."""
from flask import current_app

from trainer.jobs.queue import crontab, is_immediate, periodic_task, task
from trainer.messaging import sender


@task()
def send_messages() -> int:
    """Send due messages for a while; hand on to a fresh task if some are still due (so that a long outbox is
    shared among the workers, and a worker's restart loses at most a task that the sweep replaces)."""
    immediate = is_immediate()
    run = sender.run_sender(budget_seconds=None if not immediate else 3600)
    if not immediate and run.handled and sender.due_count():
        send_messages()
    return run.sent


def kick() -> None:
    """Start the senders (MESSAGE_SENDERS of them) once new messages are committed."""
    senders = 1 if is_immediate() else current_app.config["MESSAGE_SENDERS"]
    for _ in range(senders):
        send_messages()


@periodic_task(crontab(minute="*"))
def sweep_messages() -> None:
    """Every minute: messages of stopped senders, scheduled broadcasts and retries that are due."""
    from trainer.messaging import broadcasts
    sender.sweep()
    broadcasts.queue_due()
    if sender.due_count():
        kick()


@periodic_task(crontab(minute="*/5"))
def send_reminders() -> None:
    """Every five minutes: the programmes' automatic reminders that are due (each is queued once)."""
    from trainer.messaging import reminders
    if reminders.queue_due().queued:
        kick()


@task()
def queue_broadcast(broadcast_id: int) -> None:
    from trainer.messaging import broadcasts
    if broadcasts.queue_now(broadcast_id):
        kick()
