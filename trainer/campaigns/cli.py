"""`flask campaigns`: the campaigns, and the periods a campaign's values are reported for (the keys that files of
values name in their `period` column)."""
import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from trainer.accounts.models import User
from trainer.campaigns import approvals, services, uploads
from trainer.core.i18n import localized_name
from trainer.extensions import db
from trainer.regions.areas import STATE


@click.group("campaigns")
def campaigns_cli():
    """List the campaigns and the periods of one."""


@campaigns_cli.command("list")
@with_appcontext
def list_command():
    """List every campaign: its number, days, area, indicators and title."""
    with force_locale("en"):
        for campaign in db.session.scalars(services.campaign_query(STATE)):
            area = localized_name(campaign.place) if campaign.place else "the whole state"
            click.echo(f"{campaign.id}\t{campaign.starts_on.isoformat()} – {campaign.ends_on.isoformat()}\t{area}\t"
                       f"{len(campaign.indicators)} indicator(s)\t{campaign.title}")


@campaigns_cli.command("periods")
@click.argument("campaign_id", type=click.IntRange(1, 2**31 - 1))
@with_appcontext
def periods_command(campaign_id: int):
    """List a campaign's periods: the key, first and last day of each."""
    campaign = services.load_campaign(campaign_id)
    if campaign is None:
        raise click.ClickException(f"There is no campaign {campaign_id}.")
    for period in services.periods_of(campaign):
        click.echo(f"{period.key}\t{period.starts_on.isoformat()}\t{period.ends_on.isoformat()}")


@campaigns_cli.command("import")
@click.argument("campaign_id", type=click.IntRange(1, 2**31 - 1))
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--as", "username", required=True, help="The user who reports the values (their area must hold the "
              "places).")
@with_appcontext
def import_command(campaign_id: int, file: str, username: str):
    """Take a CSV or XLSX file of values (area_code, indicator, period, value): written whole, or not at all."""
    campaign = services.load_campaign(campaign_id)
    if campaign is None:
        raise click.ClickException(f"There is no campaign {campaign_id}.")
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise click.ClickException(f"There is no user {username}.")
    with open(file, "rb") as sent:
        data = sent.read()
    try:
        summary = uploads.import_values(campaign, data, user, file)
    except uploads.ValuesRejected as rejected:
        db.session.rollback()
        for problem in rejected.problems:
            click.echo(str(problem), err=True)
        raise click.ClickException("The file was not imported: nothing was changed.") from None
    db.session.commit()
    click.echo(f"{summary.added} value(s) added, {summary.replaced} replaced.")


@campaigns_cli.command("remind")
@click.argument("campaign_id", type=click.IntRange(1, 2**31 - 1))
@click.option("--period", default="", help="The period's key (default: the current one).")
@with_appcontext
def remind_command(campaign_id: int, period: str):
    """Queue reminders to the officers of the places that have not reported for a period (once per place)."""
    campaign = services.load_campaign(campaign_id)
    if campaign is None:
        raise click.ClickException(f"There is no campaign {campaign_id}.")
    chosen = services.find_period(campaign, period) if period else approvals.current_period(campaign)
    if chosen is None:
        raise click.ClickException("There is no such period." if period else "The campaign has not begun.")
    queued = approvals.remind_missing(campaign, chosen, STATE)
    db.session.commit()
    click.echo(f"{chosen.key}: {queued.queued} reminder(s) queued, {queued.repeated} already sent, "
               f"{queued.unreachable} officer(s) without a channel.")
