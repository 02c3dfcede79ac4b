"""`flask messages`: check the templates, send what is due, sweep stopped senders, queue reminders, see the outbox."""
import click
from flask import current_app
from flask.cli import with_appcontext

from trainer.extensions import db
from trainer.messaging import registry, reminders, sender, templates
from trainer.messaging.outbox import counts_by_state
from trainer.messaging.providers import providers_of


@click.group("messages")
def messages_cli():
    """Messages to panchayats and officers: the outbox and its senders."""


@messages_cli.command("check-templates")
@with_appcontext
def check_templates() -> None:
    """Check every template, with the edits made on the templates page, against its registration."""
    try:
        registry.check(templates.loaded())
    except registry.TemplateRegistrationError as error:
        raise click.ClickException(str(error)) from error
    click.echo(f"{len(templates.loaded())} templates match their registration")


@messages_cli.command("send")
@click.option("--seconds", default=50, show_default=True, help="Stop sending after this long.")
@with_appcontext
def send_command(seconds: int) -> None:
    """Send the due messages here (a worker does this by itself)."""
    if not providers_of(current_app):
        raise click.ClickException("no provider is configured (SMS_GATEWAY_URL, WHATSAPP_API_URL, SMTP_HOST)")
    run = sender.run_sender(budget_seconds=seconds)
    click.echo(f"sent {run.sent}, to retry {run.retrying}, failed {run.failed}, unknown {run.unknown}")


@messages_cli.command("sweep")
@with_appcontext
def sweep_command() -> None:
    """Make due again, or unknown, the messages of senders that stopped."""
    again, unknown = sender.sweep()
    click.echo(f"{again} due again, {unknown} of unknown outcome")


@messages_cli.command("reminders")
@with_appcontext
def reminders_command() -> None:
    """Queue the programmes' reminders that are due now (a worker does this every five minutes)."""
    queued = reminders.queue_due()
    click.echo(f"queued {queued.queued}, already queued {queued.repeated}, unreachable {queued.unreachable}")


@messages_cli.command("status")
@with_appcontext
def status_command() -> None:
    """Count the outbox's messages by state."""
    counts = counts_by_state()
    db.session.rollback()
    for state, count in sorted(counts.items()):
        click.echo(f"{state.value:10} {count}")
    click.echo(f"providers: {', '.join(sorted(providers_of(current_app))) or 'none'}")
