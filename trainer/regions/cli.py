"""`flask regions`: load the hierarchy from files."""
import sys

import click
from flask.cli import with_appcontext
from flask_babel import force_locale

from trainer.core.files import FileRejected, decode_csv
from trainer.extensions import db
from trainer.regions.importer import ImportSummary, apply_region_places, read_region_rows, validate_region_rows


@click.group("regions")
def regions_cli():
    """Load and update divisions, districts, blocks and gram panchayats."""


def _with_progress(rows, total: int):
    """Yield rows while drawing a progress bar on a terminal (large files take a few seconds)."""
    if not sys.stderr.isatty() or total < 1000:
        yield from rows
        return
    with click.progressbar(length=total, label="checking", file=sys.stderr) as bar:
        for line, row in rows:
            bar.pos = line - 1
            bar.render_progress()
            yield line, row
        bar.update(total - bar.pos)


def _echo_level_saved(level: str, places: int) -> None:
    click.echo(f"saved {places} {level} record(s)", err=True)


def echo_summary(summary: ImportSummary) -> None:
    """Print created/updated/unchanged counts per level."""
    click.echo(f"{'level':<16}{'created':>10}{'updated':>10}{'unchanged':>11}")
    for counts in summary.levels.values():
        click.echo(f"{str(counts.label):<16}{counts.created:>10}{counts.updated:>10}{counts.unchanged:>11}")


@regions_cli.command("import")
@click.argument("csv_file", type=click.File("rb"))
@with_appcontext
def import_command(csv_file):
    """Load or update the hierarchy from an LGD-style CSV file (rejected whole if any line is bad)."""
    data = csv_file.read()
    with force_locale("en"):
        try:
            text = decode_csv(data)
            places = validate_region_rows(_with_progress(read_region_rows(text), text.count("\n") + 1))
            summary = apply_region_places(places, _echo_level_saved)
        except FileRejected as exc:
            db.session.rollback()
            for problem in exc.problems:
                click.echo(str(problem), err=True)
            raise click.ClickException(
                f"{len(exc.problems)} bad line(s); nothing was imported.") from None
        db.session.commit()
        echo_summary(summary)
