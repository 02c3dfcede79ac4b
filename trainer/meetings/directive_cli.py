"""`flask directives remind`: reminders to the owner offices of directives due soon, today or overdue."""
from datetime import date

import click
from flask.cli import AppGroup, with_appcontext

from trainer.extensions import db
from trainer.meetings import directive_board as board

directives_cli = AppGroup("directives", help="Remind the owner offices of their directives.")


@directives_cli.command("remind")
@click.option("--day", default="", help="The day to remind for, YYYY-MM-DD (default: today in Asia/Kolkata).")
@click.option("--dry-run", is_flag=True, help="Only count the reminders.")
@with_appcontext
def remind_command(day: str, dry_run: bool):
    """Queue reminders to the owner offices of directives due within 3 days, today or overdue (once per directive,
    due date and day-kind: before, on, after)."""
    try:
        today = date.fromisoformat(day) if day else None
    except ValueError:
        raise click.ClickException("The day is a date, YYYY-MM-DD.") from None
    queued = board.remind_owners(today, dry_run=dry_run)
    if not dry_run:
        db.session.commit()
    click.echo(f"{queued.queued} reminder(s) queued, {queued.repeated} already sent, "
               f"{queued.unreachable} officer(s) without a channel.")
