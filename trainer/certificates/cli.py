"""`flask certificates`: issue a programme's certificates, make and show the signing key, check a code."""
import base64

import click
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from flask.cli import with_appcontext

from trainer.certificates import services, signing, tasks, verification
from trainer.certificates.models import Audience, CertificateBatch
from trainer.extensions import db
from trainer.programmes.models import Programme
from trainer.regions.models import District


@click.group("certificates")
def certificates_cli():
    """Certificates of participation and appreciation."""


@certificates_cli.command("issue")
@click.argument("programme_id", type=int)
@click.option("--district", "district_code", type=int, help="Only this district's GPs (its LGD code).")
@click.option("--notify/--no-notify", default=False, help="Tell the GPs (or partners) through the outbox.")
@click.option("--partners", is_flag=True, help="To the programme's partner organisations that completed it.")
@with_appcontext
def issue_command(programme_id: int, district_code: int | None, notify: bool, partners: bool) -> None:
    """Issue a programme's certificates to every GP (or partner organisation) that completed it (here, not on the
    queue)."""
    programme = db.session.get(Programme, programme_id)
    if programme is None:
        raise click.ClickException(f"there is no programme {programme_id}")
    place = None
    if partners and district_code is not None:
        raise click.ClickException("--partners issues to every partner of the programme: give no --district")
    if district_code is not None:
        place = db.session.scalar(db.select(District).where(District.lgd_code == district_code))
        if place is None:
            raise click.ClickException(f"there is no district {district_code}")
    try:
        batch = services.request_batch(programme, place, notify, None,
                                       audience=Audience.PARTNERS if partners else Audience.GRAM_PANCHAYATS)
        db.session.commit()
        tasks.issue_batch.run(batch.id)
    except signing.KeyMissing as error:
        raise click.ClickException(str(error)) from error
    batch = db.session.get(CertificateBatch, batch.id)
    who = "partner organisations" if partners else "GPs"
    click.echo(f"{batch.total} {who} completed the programme: {batch.issued} certificates issued, "
               f"{batch.already} had theirs already, {batch.messages} messages queued")


@certificates_cli.command("new-key")
def new_key() -> None:
    """Print a new signing key (the base64 of its seed) for CERTIFICATE_SIGNING_KEY, and its public half."""
    key = Ed25519PrivateKey.generate()
    raw = key.private_bytes(serialization.Encoding.Raw, serialization.PrivateFormat.Raw, serialization.NoEncryption())
    click.echo(f"CERTIFICATE_SIGNING_KEY={base64.b64encode(raw).decode()}")
    click.echo(f"key id {signing.key_id(key.public_key())}; public key:")
    click.echo(signing.public_key_text(key.public_key()), nl=False)


@certificates_cli.command("public-key")
@with_appcontext
def public_key() -> None:
    """Print the public key that verifies this Trainer's certificates (publish it with the docs)."""
    public = signing.keys().public
    if public is None:
        raise click.ClickException("no signing key is configured (CERTIFICATE_SIGNING_KEY)")
    click.echo(f"key id {signing.key_id(public)}")
    click.echo(signing.public_key_text(public), nl=False)


@certificates_cli.command("verify")
@click.argument("code_or_serial")
@with_appcontext
def verify_command(code_or_serial: str) -> None:
    """Say whether a QR's code (or the address it holds) or a serial is a valid certificate."""
    code = code_or_serial.rsplit("/", 1)[-1]
    result = verification.verify(code)
    click.echo(result.status)
    if result.certificate is not None:
        click.echo(f"{result.certificate.shown_serial} {result.certificate.recipient_hi} "
                   f"{result.certificate.issued_on.isoformat()}")
    if result.status != verification.VALID:
        raise SystemExit(1)
