"""`flask partners`: the registry of partner organisations from files, its flagged duplicates, applications to calls
from files, and the partners' access codes and invitations."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from trainer.core import clock
from trainer.core.tables import Table, csv_bytes
from trainer.extensions import db
from trainer.messaging import tasks
from trainer.partners import calls, invitations, programme_partners, services
from trainer.partners.importer import OrganisationImportError, import_organisations
from trainer.partners.intake import ApplicationImportError, import_applications
from trainer.programmes.models import Programme, TrainingSession


@click.group("partners")
def partners_cli():
    """Import partner organisations and applications to calls, list duplicates, issue access codes and invite
    partners to sessions."""


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


@partners_cli.command("codes")
@click.argument("programme_id", type=int)
@click.option("--csv", "csv_path", required=True, type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the codes to this CSV file (UTF-8 with BOM).")
@click.option("--all", "everyone", is_flag=True,
              help="Give every partner a new code (the old ones stop working), not only those that have none.")
@with_appcontext
def codes_command(programme_id: int, csv_path: Path, everyone: bool):
    """Issue access codes to a programme's partner organisations, for marking their attendance.

    The codes exist in clear only in the file written.
    """
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        raise click.ClickException(f"no programme has the id {programme_id}.")
    issued = programme_partners.issue_programme_codes(programme, only_missing=not everyone)
    if not issued:
        db.session.rollback()
        raise click.ClickException("no partner of the programme needs a code.")
    # Write the file before committing: if that fails, the old codes stay as they were.
    csv_path.write_bytes(csv_bytes(Table("", ["organisation_id", "name_hi", "name_en", "access_code"],
                                         [[organisation.id, organisation.name_hi, organisation.name_en, code]
                                          for organisation, code in issued])))
    db.session.commit()
    click.echo(f"issued {len(issued)} access code(s) to the partners of programme {programme_id}; written to {csv_path}")


@partners_cli.command("invite")
@click.argument("session_id", type=int)
@with_appcontext
def invite_command(session_id: int):
    """Invite the partner organisations of a session's programme to it, through the outbox.

    Partners that have no access code yet get one in the invitation; inviting again sends nothing twice.
    """
    session = db.session.get(TrainingSession, session_id)
    if session is None:
        raise click.ClickException(f"no session has the id {session_id}.")
    if not session.programme.reaches.partners:
        raise click.ClickException("the session's programme does not reach partner organisations.")
    if not invitations.invitable(session, clock.now()):
        raise click.ClickException("the session is over, cancelled or not yet published.")
    done = invitations.invite(session, None)
    db.session.commit()
    tasks.kick()
    click.echo(f"queued {done.messages} message(s) to {done.organisations} partner(s) "
               f"({done.repeated} already queued, {done.codes} new access code(s)); "
               f"{len(done.unreachable)} partner(s) cannot be written to")
