"""`flask meetings`: sending a meeting's notice to its invitees through the outbox."""
import click
from flask.cli import with_appcontext

from trainer.extensions import db
from trainer.meetings import notices, services
from trainer.meetings.errors import MeetingError


@click.group("meetings")
def meetings_cli():
    """Review meetings: their notices."""


@meetings_cli.command("notice")
@click.argument("meeting_id", type=click.IntRange(1, 2**31 - 1))
@with_appcontext
def notice_command(meeting_id: int):
    """Queue the notice of meeting MEETING_ID to its invitees (never twice to the same person)."""
    meeting = services.load_meeting(meeting_id)
    if meeting is None:
        raise click.ClickException(f"There is no meeting {meeting_id}.")
    try:
        result = notices.send_notice(meeting)
    except MeetingError as refused:
        db.session.rollback()
        raise click.ClickException(str(refused.message)) from None
    db.session.commit()
    click.echo(f"{result.queued} queued, {result.repeated} sent before, {result.unreachable} without an address")
