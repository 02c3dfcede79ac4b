"""`flask offices`: the offices and their officers, and a file of offices to load."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from trainer.core.files import FileRejected, table_rows
from trainer.core.i18n import localized_name
from trainer.extensions import db
from trainer.offices import services
from trainer.regions.areas import STATE

MAX_ROWS = 10_000


@click.group("offices")
def offices_cli():
    """List the offices, or load a file of them."""


@offices_cli.command("list")
@with_appcontext
def list_command():
    """List every office: its number, short name, place, officers and name."""
    with force_locale("en"):
        for office in db.session.scalars(services.office_query(STATE)):
            place = localized_name(office.place) if office.place else "the whole state"
            officers = ", ".join(f"{o.user.username} ({o.designation})" if o.designation else o.user.username
                                 for o in office.officers)
            click.echo(f"{office.id}\t{office.short_name or '—'}\t{place}\t{officers or '—'}\t{office.text('name')}"
                       + ("" if office.active else "\t(inactive)"))


@offices_cli.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@with_appcontext
def import_command(file: str):
    """Load a CSV or XLSX file of offices (short_name, name_hi, name_en, level, lgd_code, phone, email, officer,
    designation): taken whole, or not at all."""
    data = Path(file).read_bytes()
    try:
        count = services.import_offices(table_rows(data, file, MAX_ROWS))
    except FileRejected as rejected:
        db.session.rollback()
        raise click.ClickException("\n".join(str(p) for p in rejected.problems)) from None
    db.session.commit()
    click.echo(f"{count} offices taken.")
