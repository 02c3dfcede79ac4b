"""`flask access-codes`: issue gram panchayats' access codes."""
from pathlib import Path

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from trainer.attendance import posters, services
from trainer.attendance.posters import IssuedCode
from trainer.extensions import db
from trainer.regions.models import Block


@click.group("access-codes")
def access_codes_cli():
    """Issue access codes to gram panchayats, block by block."""


@access_codes_cli.command("issue")
@click.argument("block_code", type=int)
@click.option("--pdf", "pdf_path", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the printable sheet (one slip per gram panchayat) to this PDF file.")
@click.option("--csv", "csv_path", type=click.Path(dir_okay=False, writable=True, path_type=Path),
              help="Write the codes to this CSV file (UTF-8 with BOM).")
@with_appcontext
def issue_command(block_code: int, pdf_path: Path | None, csv_path: Path | None):
    """Give every gram panchayat of a block a new access code; the old codes stop working.

    The codes exist in clear only in the files written, so at least one of --pdf and --csv is needed.
    """
    if pdf_path is None and csv_path is None:
        raise click.UsageError("give --pdf FILE, --csv FILE or both: the new codes are written nowhere else.")
    block = db.session.scalar(select(Block).where(Block.lgd_code == block_code))
    if block is None:
        raise click.ClickException(f"no block has the LGD code {block_code}.")
    issued = [IssuedCode(gp, code) for gp, code in services.issue_block_codes(block)]
    if not issued:
        db.session.rollback()
        raise click.ClickException(f"block {block_code} has no gram panchayats.")
    # Write the files before committing: if that fails, the old codes stay as they were.
    files = {}
    if pdf_path is not None:
        files[pdf_path] = posters.access_codes_pdf(block, issued)
    if csv_path is not None:
        files[csv_path] = posters.access_codes_csv(issued)
    for path, content in files.items():
        path.write_bytes(content)
    db.session.commit()
    click.echo(f"issued {len(issued)} access code(s) to the gram panchayats of block {block_code} "
               f"({block.name_en}); written to {', '.join(str(path) for path in files)}")
