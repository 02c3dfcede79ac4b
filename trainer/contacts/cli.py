"""`flask contacts`: contacts of gram panchayats from and to files."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from trainer.accounts import services as accounts
from trainer.contacts.exports import contacts_tables
from trainer.contacts.importer import ContactImportError, import_contacts
from trainer.contacts.services import EDITOR_ROLES
from trainer.core.tables import csv_bytes, xlsx_bytes
from trainer.extensions import db
from trainer.regions.areas import STATE


@click.group("contacts")
def contacts_cli():
    """Import and export contacts of gram panchayats."""


@contacts_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--as", "username", required=True, help="The account whose area limits the file (an administrator, "
              "trainer, district or block officer).")
@with_appcontext
def import_command(path: Path, username: str):
    """Replace the contacts named by a CSV or XLSX file (gp_code, role, name, mobile, email, language, channels);
    the whole file is rejected if any line is bad."""
    with force_locale("en"):
        user = accounts.find_user(username)
        if user is None or not user.active:
            raise click.ClickException(f"there is no active account {username!r}")
        if not user.has_role(*EDITOR_ROLES):
            raise click.ClickException(f"{username} ({user.role.value}) may not import contacts")
        try:
            summary = import_contacts(path.read_bytes(), user.area, user.id, path.name)
        except ContactImportError as exc:
            db.session.rollback()
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException(f"{len(exc.problems)} problem(s); nothing was imported.") from None
        db.session.commit()
        click.echo(f"{summary.contacts} contact(s) of {summary.gram_panchayats} gram panchayat(s) imported: "
                   f"{summary.created} new, {summary.replaced} replaced.")


@contacts_cli.command("export")
@click.argument("path", type=click.Path(dir_okay=False, writable=True, path_type=Path))
@with_appcontext
def export_command(path: Path):
    """Write every GP contact of the state to a CSV or XLSX file (by its extension), numbers masked."""
    tables = contacts_tables(STATE)
    path.write_bytes(xlsx_bytes(tables) if path.suffix.lower() == ".xlsx" else csv_bytes(tables[0]))
    click.echo(f"{len(tables[0].rows)} contact(s) written to {path}.")
