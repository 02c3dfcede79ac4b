"""`flask users`: manage accounts from the command line."""
import sys
from contextlib import contextmanager

import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from trainer.accounts import services
from trainer.accounts.models import User
from trainer.core.roles import Role
from trainer.extensions import db


@click.group("users")
def users_cli():
    """Create and manage accounts."""


def _read_password() -> str:
    """Read a password from a prompt on a terminal, or one line of standard input otherwise."""
    if sys.stdin.isatty():
        return click.prompt("Password", hide_input=True, confirmation_prompt=True)
    return sys.stdin.readline().rstrip("\r\n")


def _existing_user(username: str):
    user = services.find_user(username)
    if user is None:
        raise click.ClickException(f"No account named {username}.")
    return user


@contextmanager
def _account_rules():
    """Turn a broken account rule into a clean command error, in English, with nothing saved."""
    with force_locale("en"):
        try:
            yield
        except services.AccountError as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from None


@users_cli.command("create")
@click.argument("username")
@click.option("--role", required=True, type=click.Choice([r.value for r in Role]), help="What the user does.")
@click.option("--area", "area_code", type=int, help="LGD code of the area (district, block, GP or division).")
@click.option("--name", "full_name", default="", help="The person's full name.")
@with_appcontext
def create_command(username, role, area_code, full_name):
    """Create an account; the password comes from a prompt or from standard input."""
    password = _read_password()
    with _account_rules():
        user = services.create_user(username, password, Role(role), area_code, full_name)
    db.session.commit()
    where = f" ({type(user.place).__name__} {user.place.lgd_code})" if user.place else ""
    click.echo(f"Created {user.username}: {user.role.value}{where}")


@users_cli.command("list")
@with_appcontext
def list_command():
    """List accounts with their roles and areas."""
    for user in db.session.scalars(select(User).order_by(User.username)):
        place = user.place
        area = f"{type(place).__name__} {place.lgd_code} {place.name_en}" if place else "state"
        state = "" if user.active else " (disabled)"
        click.echo(f"{user.username:<24}{user.role.value:<18}{area}{state}")


@users_cli.command("set-password")
@click.argument("username")
@with_appcontext
def set_password_command(username):
    """Set a new password for an account, from a prompt or standard input."""
    user = _existing_user(username)
    with _account_rules():
        services.set_password(user, _read_password())
    db.session.commit()
    click.echo(f"Password of {user.username} changed.")


@users_cli.command("disable")
@click.argument("username")
@with_appcontext
def disable_command(username):
    """Disable an account and sign it out everywhere."""
    user = _existing_user(username)
    services.set_active(user, False)
    db.session.commit()
    click.echo(f"{user.username} disabled.")
