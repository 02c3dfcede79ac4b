"""`flask partners`: the registry of partner organisations from files, and its flagged duplicates."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from trainer.extensions import db
from trainer.partners import services
from trainer.partners.importer import OrganisationImportError, import_organisations


@click.group("partners")
def partners_cli():
    """Import partner organisations and list their duplicates."""


@partners_cli.command("import")
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_command(path: Path):
    """Add the organisations of a CSV or XLSX file (name_hi, name_en, kind, darpan_id, pan, registration_number,
    district_code, themes, email, phone, website); the whole file is rejected if any line is bad."""
    with force_locale("en"):
        try:
            summary = import_organisations(path.read_bytes(), None, path.name)
        except OrganisationImportError as exc:
            db.session.rollback()
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException(f"{len(exc.problems)} problem(s); nothing was imported.") from None
        db.session.commit()
        click.echo(f"{summary.created} organisation(s) added, {summary.flagged} flagged as possible duplicates.")


@partners_cli.command("duplicates")
@with_appcontext
def duplicates_command():
    """List the organisations flagged as duplicates, each with the one it duplicates."""
    pairs = services.flagged_pairs()
    for duplicate, original in pairs:
        click.echo(f"{duplicate.id}\t{duplicate.name_en or duplicate.name_hi}\t→ {original.id}\t"
                   f"{original.name_en or original.name_hi}")
    click.echo(f"{len(pairs)} flagged duplicate(s).")
