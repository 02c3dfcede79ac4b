"""`flask youtube`: do the channel's owed work here and now (a worker's sweep does it every minute anyway)."""
import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from trainer.youtube import sync


@click.group("youtube")
def youtube_cli():
    """Keep YouTube broadcasts in step with the sessions."""


@youtube_cli.command("sync")
@click.option("--limit", default=200, show_default=True, help="Most sessions to work on in one run.")
@with_appcontext
def sync_command(limit: int) -> None:
    """Mark running sessions live and ended ones completed, do pending broadcast work, read statistics."""
    changed, outcomes, read = sync.sync_all(limit)
    if sync.connected_channel() is None:
        click.echo(f"{changed} session statuses changed; no YouTube channel connected.")
        return
    failed = [outcome for outcome in outcomes if outcome.error]
    click.echo(f"{changed} session statuses changed; {sum(o.done for o in outcomes)} broadcasts brought up to "
               f"date, {len(failed)} failed (retried later); statistics read for {read} broadcasts.")
    with force_locale("en"):
        for error in sorted({outcome.error for outcome in failed}):
            click.echo(f"  {error}: {sync.explain(error)}", err=True)
