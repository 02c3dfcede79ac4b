"""`flask attendance`: attendance from files, for administrators."""
import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from trainer.attendance.importer import AttendanceImportError, apply_attendance_rows, validate_attendance_file
from trainer.attendance.models import MarkSource
from trainer.attendance.rules import recording_refusal
from trainer.core import clock
from trainer.extensions import db
from trainer.programmes.models import TrainingSession
from trainer.regions.areas import STATE


@click.group("attendance")
def attendance_cli():
    """Import attendance of gram panchayats."""


@attendance_cli.command("import")
@click.argument("session_id", type=int)
@click.argument("csv_file", type=click.File("rb"))
@with_appcontext
def import_command(session_id: int, csv_file):
    """Mark the gram panchayats of a CSV file (gp_code, participants, optional mode and role columns) present
    at a session; the whole file is rejected if any line is bad."""
    data = csv_file.read()
    with force_locale("en"):
        session = db.session.get(TrainingSession, session_id)
        if session is None:
            raise click.ClickException(f"there is no session {session_id}")
        refusal = recording_refusal(session, clock.now())
        if refusal:
            raise click.ClickException(refusal)
        try:
            rows, reach = validate_attendance_file(data, session, STATE)
            summary = apply_attendance_rows(session, rows, reach, MarkSource.COMMAND, now=clock.now())
        except AttendanceImportError as exc:
            db.session.rollback()
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException(f"{len(exc.problems)} problem(s); nothing was imported.") from None
        db.session.commit()
        click.echo(f"{summary.marked} gram panchayat(s) marked: {summary.created} new, {summary.updated} updated; "
                   f"{summary.participants} participants.")
