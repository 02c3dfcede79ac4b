"""`flask attendance`: attendance from files, for administrators."""
import click


@click.group("attendance")
def attendance_cli():
    """Import attendance of gram panchayats."""
