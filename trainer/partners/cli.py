"""`flask partners`: the registry of partner organisations from files, and its flagged duplicates."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from trainer.extensions import db
from trainer.partners import calls, services
from trainer.partners.importer import OrganisationImportError, import_organisations
from trainer.partners.intake import ApplicationImportError, import_applications


@click.group("partners")
def partners_cli():
    """Import partner organisations and applications to calls, and list duplicates."""


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


@partners_cli.command("import-applications")
@click.argument("call_id", type=click.IntRange(1, 2**31 - 1))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@with_appcontext
def import_applications_command(call_id: int, path: Path):
    """Record and submit the applications to a call of a CSV or XLSX file (name_hi, name_en, kind, darpan_id, pan,
    registration_number, district_code, contact_name, contact_mobile, contact_email, themes, received_on); the
    whole file is rejected if any line is bad. Prints each reference with its secret code, once."""
    with force_locale("en"):
        call = calls.load_call(call_id)
        if call is None:
            raise click.ClickException(f"There is no call {call_id}.")
        try:
            summary = import_applications(call, path.read_bytes(), None, path.name)
        except ApplicationImportError as exc:
            db.session.rollback()
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException(f"{len(exc.problems)} problem(s); nothing was imported.") from None
        db.session.commit()
        for application, code in summary.recorded:
            click.echo(f"{application.reference}\t{code}\t{application.state.value}\t"
                       f"{application.name_en or application.name_hi}")
        click.echo(f"{summary.created} application(s) recorded, {summary.duplicates} flagged as duplicates.")
