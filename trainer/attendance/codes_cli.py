"""`flask access-codes`: issue gram panchayats' access codes."""
import click


@click.group("access-codes")
def access_codes_cli():
    """Issue access codes to gram panchayats, block by block."""
