"""`flask jobs`: run the queue's workers, and see what waits."""
import logging

import click
from flask import current_app
from flask.cli import with_appcontext

from trainer.jobs.queue import queue_of


@click.group("jobs")
def jobs_cli():
    """Run the job queue's workers and look at the queue."""


@jobs_cli.command("worker")
@click.option("--workers", "-w", default=2, show_default=True, help="Tasks run at once in this process.")
@click.option("--periodic/--no-periodic", default=True, show_default=True,
              help="Also run the periodic tasks (the minute's YouTube sweep …); one worker per site is enough.")
@with_appcontext
def worker_command(workers: int, periodic: bool) -> None:
    """Run tasks from the queue until stopped (SIGTERM or SIGINT: finish the running tasks, then stop)."""
    queue = queue_of(current_app)
    if queue.immediate:
        raise click.ClickException("JOBS_URL=immediate runs tasks where they are enqueued: there is no queue to "
                                   "work on. Unset JOBS_URL, or give sqlite:///FILE, redis://… or postgresql://….")
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(levelname)s %(message)s")
    consumer = queue.create_consumer(workers=workers, worker_type="thread", periodic=periodic,
                                     graceful_signal="TERM", shutdown_timeout=30)
    click.echo(f"jobs worker: {workers} worker(s), periodic tasks {'on' if periodic else 'off'}, "
               f"storage {type(queue.storage).__name__}", err=True)
    consumer.run()


@jobs_cli.command("status")
@with_appcontext
def status_command() -> None:
    """Say how many tasks wait in the queue and how many are scheduled for later."""
    queue = queue_of(current_app)
    if queue.immediate:
        click.echo("immediate mode: tasks run where they are enqueued")
        return
    click.echo(f"{queue.pending_count()} task(s) waiting, {queue.scheduled_count()} scheduled for later "
               f"({type(queue.storage).__name__})")
