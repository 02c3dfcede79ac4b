"""The signed code a certificate's QR carries, and the department's Ed25519 key that signs it.

The code is the certificate's essentials and their signature, so that anyone holding the department's public
key can check a certificate without Trainer's server (docs/CERTIFICATES.md; docs/verify_certificate.py):

    message   = "1|<serial>|<issued YYYYMMDD>|<P or A>|<GP LGD code or empty>|<recipient's name>"  (UTF-8; the
                name's first 40 characters, cut at a word with "…")
    signature = Ed25519(message), 64 bytes
    code      = base32(message + signature), RFC 4648, upper case, without "=" padding
    QR text   = "<SCHEME://HOST IN CAPITALS>/C/<code>"

Only capitals, digits and ":/." make up the QR text, so the QR takes its alphanumeric mode (5.5 bits a
character instead of 8): a certificate's QR stays near version 10, which a cheap phone reads off a printed
page. The key comes from CERTIFICATE_SIGNING_KEY (a PEM, or the base64 of the 32-byte seed); without it, a
Trainer on SQLite keeps one in its instance folder, made once. Public keys of earlier keys
(CERTIFICATE_RETIRED_PUBLIC_KEYS) still verify the certificates they signed.
"""
import base64
import binascii
import hashlib
import os
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from flask import current_app

VERSION = "1"
SEPARATOR = "|"
SIGNATURE_BYTES = 64
KIND_LETTERS = {"participation": "P", "appreciation": "A"}
KEY_FILE = "certificate_signing_key.pem"


class KeyMissing(RuntimeError):
    """No signing key is configured where one must be (a server database, shared by several app servers)."""


@dataclass(frozen=True)
class Essentials:
    """What the QR says of a certificate."""

    serial: str
    issued_on: date
    kind: str  # a CertificateKind value
    recipient_code: str  # a GP's LGD code, or "" for a person or an organisation
    recipient: str

    def message(self) -> bytes:
        fields = (VERSION, self.serial, self.issued_on.strftime("%Y%m%d"), KIND_LETTERS[self.kind],
                  self.recipient_code, _clean(self.recipient))
        return SEPARATOR.join(fields).encode()


@dataclass(frozen=True)
class Checked:
    """A code whose signature holds: its essentials and the id of the key that signed it."""

    essentials: Essentials
    key_id: str


NAME_IN_CODE = 40  # characters of the recipient's name the QR carries: enough to tell, short enough to scan


def _clean(text: str) -> str:
    """Keep the separator and control characters out of a name, and its first NAME_IN_CODE characters only (a
    long name would make the QR too dense to scan; the verify page shows it whole)."""
    name = " ".join("".join(" " if ch == SEPARATOR or not ch.isprintable() else ch for ch in text).split())
    if len(name) <= NAME_IN_CODE:
        return name
    cut = name[:NAME_IN_CODE]
    return (cut.rsplit(" ", 1)[0] if " " in cut[NAME_IN_CODE // 2:] else cut) + "…"


# Keys


def key_id(public: Ed25519PublicKey) -> str:
    """Name a public key by the first 8 characters of the base32 of its SHA-256: printed beside it."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b32encode(hashlib.sha256(raw).digest()).decode()[:8]


def public_key_text(public: Ed25519PublicKey) -> str:
    """Return the public key as a PEM (SubjectPublicKeyInfo), as the docs and the verify page publish it."""
    return public.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()


def public_key_raw(public: Ed25519PublicKey) -> str:
    """Return the 32 bytes of the public key in base64, the form the JSON API gives."""
    return base64.b64encode(public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)).decode()


def parse_private_key(text: str) -> Ed25519PrivateKey:
    """Read an Ed25519 private key from a PEM or from the base64 of its 32-byte seed."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_private_key(text.encode(), password=None)
        if not isinstance(key, Ed25519PrivateKey):
            raise ValueError("CERTIFICATE_SIGNING_KEY is not an Ed25519 key")
        return key
    try:
        seed = base64.b64decode(text, validate=True)
    except binascii.Error as error:
        raise ValueError("CERTIFICATE_SIGNING_KEY is neither a PEM nor base64") from error
    if len(seed) != 32:
        raise ValueError("CERTIFICATE_SIGNING_KEY must hold 32 bytes")
    return Ed25519PrivateKey.from_private_bytes(seed)


def parse_public_key(text: str) -> Ed25519PublicKey:
    """Read an Ed25519 public key from a PEM or from the base64 of its 32 bytes."""
    text = text.strip()
    if text.startswith("-----BEGIN"):
        key = serialization.load_pem_public_key(text.encode())
        if not isinstance(key, Ed25519PublicKey):
            raise ValueError("not an Ed25519 public key")
        return key
    return Ed25519PublicKey.from_public_bytes(base64.b64decode(text, validate=True))


def private_key_pem(key: Ed25519PrivateKey) -> str:
    return key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                             serialization.NoEncryption()).decode()


def _instance_key(instance_path: str) -> Ed25519PrivateKey:
    """Return the key kept in the instance folder, making it once (O_EXCL: two processes make one key)."""
    path = Path(instance_path) / KEY_FILE
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written whole under a name of its own, then linked into place: a process that loses the race reads
        # the winner's complete key, never a half-written file.
        draft = path.with_name(f".{KEY_FILE}.{os.getpid()}")
        fd = os.open(draft, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(private_key_pem(Ed25519PrivateKey.generate()))
        try:
            os.link(draft, path)
        except FileExistsError:
            pass
        finally:
            draft.unlink()
    return parse_private_key(path.read_text())


@dataclass
class Keys:
    """The app's signing key (None where none is configured) and every public key that verifies."""

    signing: Ed25519PrivateKey | None
    verifying: dict[str, Ed25519PublicKey]

    @property
    def public(self) -> Ed25519PublicKey | None:
        return self.signing.public_key() if self.signing else None


def keys() -> Keys:
    """Return the current app's keys, read once."""
    app = current_app._get_current_object()
    found = app.extensions.get("certificate_keys")
    if found is None:
        found = app.extensions["certificate_keys"] = _load_keys(app)
    return found


def _load_keys(app) -> Keys:
    configured = app.config.get("CERTIFICATE_SIGNING_KEY") or ""
    if configured:
        signing = parse_private_key(configured)
    elif app.config["SQLALCHEMY_DATABASE_URI"].startswith("sqlite"):
        signing = _instance_key(app.instance_path)
    else:
        signing = None
    verifying = {key_id(signing.public_key()): signing.public_key()} if signing else {}
    for text in (app.config.get("CERTIFICATE_RETIRED_PUBLIC_KEYS") or "").split(","):
        if text.strip():
            public = parse_public_key(text)
            verifying[key_id(public)] = public
    return Keys(signing, verifying)


def signing_key() -> Ed25519PrivateKey:
    """Return the key that signs new certificates, or raise KeyMissing with what to do."""
    key = keys().signing
    if key is None:
        raise KeyMissing(
            "CERTIFICATE_SIGNING_KEY is not set. With a server database every app server and worker must sign "
            "with one key: make one with `flask certificates new-key` and set it in their environment "
            "(docs/CERTIFICATES.md).")
    return key


# Codes


def sign(essentials: Essentials) -> tuple[str, str]:
    """Return the code for a certificate's essentials, and the id of the key that signed it."""
    key = signing_key()
    message = essentials.message()
    code = base64.b32encode(message + key.sign(message)).decode().rstrip("=")
    return code, key_id(key.public_key())


def qr_text(url: str) -> str:
    """Return what the QR holds: the code's verify address with its scheme and host in capitals (they mean the
    same in either case), so that the whole text takes the QR's alphanumeric mode (see the module's note)."""
    scheme, _sep, rest = url.partition("://")
    host, slash, path = rest.partition("/")
    return f"{scheme.upper()}://{host.upper()}{slash}{path}"


def check(code: str) -> Checked | None:
    """Return the essentials of a code whose signature one of the app's keys verifies, else None (altered,
    signed with another key, or not a code at all)."""
    raw = _unbase32(code)
    if raw is None or len(raw) <= SIGNATURE_BYTES:
        return None
    message, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    for found_id, public in keys().verifying.items():
        try:
            public.verify(signature, message)
        except InvalidSignature:
            continue
        essentials = parse_message(message)
        return Checked(essentials, found_id) if essentials else None
    return None


def parse_message(message: bytes) -> Essentials | None:
    """Read a signed message's fields (None if they are not a certificate's)."""
    try:
        version, serial, issued, letter, code, recipient = message.decode().split(SEPARATOR)
        issued_on = date(int(issued[:4]), int(issued[4:6]), int(issued[6:8]))
    except ValueError:
        return None
    kind = {letter_: kind for kind, letter_ in KIND_LETTERS.items()}.get(letter)
    if version != VERSION or kind is None or len(issued) != 8:
        return None
    return Essentials(serial, issued_on, kind, code, recipient)


def _unbase32(code: str) -> bytes | None:
    code = code.strip().upper()
    if not code or len(code) > 1000:
        return None
    try:
        return base64.b32decode(code + "=" * (-len(code) % 8))
    except (binascii.Error, ValueError):
        return None
