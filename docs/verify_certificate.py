#!/usr/bin/env python3
"""Check a Trainer certificate's QR code offline, with the department's public key.

    python3 verify_certificate.py --key key.pem "HTTPS://TRAINER.EXAMPLE.GOV.IN/C/GEXCAQ..."
    python3 verify_certificate.py --key key.pem GEXCAQ...              (the code alone)
    python3 verify_certificate.py --key key.pem --image scan.png       (a photo or scan of the QR)
    python3 verify_certificate.py --key key.pem -                      (the QR's text on standard input)

It needs Python 3.11 and the `cryptography` package; `--image` also needs `zxing-cpp` and `Pillow`
(pip install cryptography zxing-cpp pillow). It does not need Trainer, its server or a network.

The QR holds "<SCHEME://HOST>/C/<code>", where

    code    = base32(message + signature), RFC 4648, upper case, without "=" padding
    message = "1|<serial>|<issued YYYYMMDD>|<P or A>|<GP LGD code or empty>|<recipient's name>"  (UTF-8)
    signature = the Ed25519 signature of the message by the department's key, 64 bytes

`--key` names a file holding a public key as a PEM (from /certificates/key.pem, or the output of
`flask certificates public-key`) or as the base64 of its 32 bytes (from /api/v1/certificates/key); give
`--key` again for each earlier key the department has published. A key is named by its id: the first
8 characters of the base32 of the SHA-256 of its 32 bytes, as the verify page prints it.

What a valid signature proves: the department's key signed these facts (serial, date, kind, GP,
recipient), so the certificate was issued by the department and says what it said when issued. What it
cannot prove: that the certificate still stands. The department may have revoked it since, or replaced it
with a corrected one; only Trainer's server can tell, through its verify page (open the QR's address, or
type the serial at /certificates/verify).

Exit status: 0 if every code checked has a valid signature; 1 if one has not ("NOT VALID: ..."), or if
the key or the image cannot be read ("cannot check: ..." on standard error); 2 for a wrong command line.
"""
import argparse
import base64
import binascii
import hashlib
import re
import sys
import unicodedata
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

VERSION = "1"
SEPARATOR = "|"
SIGNATURE_BYTES = 64
KINDS = {"P": "participation", "A": "appreciation"}
MAX_CODE_LENGTH = 4296  # the most a QR code holds in alphanumeric mode
PEM_BLOCK = re.compile(r"-----BEGIN PUBLIC KEY-----.*?-----END PUBLIC KEY-----", re.DOTALL)
JOINERS = {"\u200c", "\u200d"}  # zero-width (non-)joiners: Devanagari names need them


class Unreadable(Exception):
    """A key or an image that cannot be used; the message says why."""


@dataclass(frozen=True)
class Claims:
    """What a code's message says."""

    serial: str
    issued_on: date
    kind: str
    gp_code: str
    recipient: str


# Keys


def key_id(public: Ed25519PublicKey) -> str:
    """Name a public key by the first 8 characters of the base32 of its SHA-256, as the server does."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return base64.b32encode(hashlib.sha256(raw).digest()).decode()[:8]


def parse_keys(text: str) -> list[Ed25519PublicKey]:
    """Read the public keys of a text: its PEM blocks, or else base64 keys of 32 bytes (comma or space apart)."""
    blocks = PEM_BLOCK.findall(text)
    found = []
    if blocks:
        for block in blocks:
            try:
                key = serialization.load_pem_public_key(block.encode())
            except (ValueError, UnsupportedAlgorithm) as error:
                raise Unreadable(f"a PEM block is not a public key ({error})") from error
            if not isinstance(key, Ed25519PublicKey):
                raise Unreadable("a PEM block is not an Ed25519 public key")
            found.append(key)
        return found
    if "-----BEGIN" in text:
        raise Unreadable("it holds a PEM that is not a public key (never pass the private key)")
    for word in text.replace(",", " ").split():
        try:
            raw = base64.b64decode(word, validate=True)
        except (binascii.Error, ValueError) as error:
            raise Unreadable("it is neither a PEM nor the base64 of a 32-byte key") from error
        if len(raw) != 32:
            raise Unreadable(f"a base64 key holds {len(raw)} bytes, not 32")
        found.append(Ed25519PublicKey.from_public_bytes(raw))
    if not found:
        raise Unreadable("it holds no key")
    return found


def load_keys(sources: list[str]) -> dict[str, Ed25519PublicKey]:
    """Read each --key (a file, or the base64 key itself) into keys by their ids."""
    keys = {}
    for source in sources:
        path = Path(source)
        try:
            text = path.read_text(encoding="utf-8") if path.is_file() else source
        except (OSError, UnicodeDecodeError) as error:
            raise Unreadable(f"cannot read the key file {source}: {error}") from error
        try:
            for public in parse_keys(text):
                keys[key_id(public)] = public
        except Unreadable as error:
            where = f"the key file {source}" if path.is_file() else f"--key {source!r} (no such file)"
            raise Unreadable(f"{where}: {error}") from error
    return keys


# Codes


def code_of(text: str) -> str:
    """Take the code from a QR's text: the address's last part, or the code itself."""
    text = text.strip().split("#", 1)[0].split("?", 1)[0].rstrip("/")
    return text.rsplit("/", 1)[-1].strip().upper()


def unbase32(code: str) -> bytes | None:
    if not code or len(code) > MAX_CODE_LENGTH:
        return None
    try:
        return base64.b32decode(code + "=" * (-len(code) % 8))
    except (binascii.Error, ValueError):
        return None


def parse_message(message: bytes) -> Claims | None:
    """Read a message's fields (None if they are not a certificate's)."""
    try:
        version, serial, issued, letter, gp_code, recipient = message.decode("utf-8").split(SEPARATOR)
    except ValueError:  # not UTF-8, or not six fields
        return None
    if version != VERSION or letter not in KINDS or len(issued) != 8 or not issued.isascii() or not issued.isdigit():
        return None
    try:
        issued_on = date(int(issued[:4]), int(issued[4:6]), int(issued[6:8]))
    except ValueError:
        return None
    return Claims(serial, issued_on, KINDS[letter], gp_code, recipient)


def _printable(ch: str) -> bool:
    category = unicodedata.category(ch)
    return ch in JOINERS or not (category.startswith("C") or category in ("Zl", "Zp"))


def shown(text: str) -> str:
    """Escape control and formatting characters, so that a forged name cannot rewrite or hide what is printed."""
    return "".join(ch if _printable(ch) else f"\\u{ord(ch):04x}" for ch in text)


def shown_serial(serial: str) -> str:
    serial = shown(serial)
    return f"{serial[:5]}-{serial[5:]}" if len(serial) == 10 else serial


def describe(claims: Claims, note: str = "") -> list[str]:
    return [
        f"serial:      {shown_serial(claims.serial)}{note}",
        f"issued on:   {claims.issued_on.isoformat()}",
        f"kind:        {claims.kind}",
        f"GP LGD code: {shown(claims.gp_code) or '(none: given to a person or an organisation)'}",
        f"recipient:   {shown(claims.recipient)}",
    ]


def check(text: str, keys: dict[str, Ed25519PublicKey]) -> tuple[bool, list[str]]:
    """Check one QR's text; return whether its signature holds and the lines to print."""
    code = code_of(text)
    if re.fullmatch(r"[0-9A-Z]{5}-?[0-9A-Z]{5}", code):
        return False, ["NOT VALID: this is a certificate's serial, not its QR code; a serial can only be checked on "
                       "the department's verify page (/certificates/verify)"]
    raw = unbase32(code)
    if raw is None or len(raw) <= SIGNATURE_BYTES:
        return False, ["NOT VALID: this is not a certificate's QR code (not a code of the right form)"]
    message, signature = raw[:-SIGNATURE_BYTES], raw[-SIGNATURE_BYTES:]
    claims = parse_message(message)
    for found_id, public in keys.items():
        try:
            public.verify(signature, message)
        except InvalidSignature:
            continue
        if claims is None:
            return False, [f"NOT VALID: signed by key {found_id}, but not a certificate's fields "
                           "(a newer format? check it on the verify page)"]
        return True, [*describe(claims), f"valid signature (key id {found_id})",
                      "Only the department's verify page can tell whether it was later revoked or replaced."]
    if claims is None:
        return False, ["NOT VALID: this is not a certificate's QR code (its fields cannot be read)"]
    ids = ", ".join(keys)
    return False, [*describe(claims, "   (as the code claims: NOT signed by the given keys)"),
                   f"NOT VALID: the signature does not match the key{'s' if len(keys) > 1 else ''} given ({ids}): "
                   "the code was altered, or signed by another key"]


# Images


def texts_in_image(path: str) -> list[str]:
    """Return the texts of the QR codes in an image (a photo or a scan)."""
    try:
        import zxingcpp
        from PIL import Image, UnidentifiedImageError
    except ImportError as error:
        raise Unreadable("reading an image needs the zxing-cpp and Pillow packages (pip install zxing-cpp pillow); "
                         "or scan the QR with a phone and pass its text") from error
    try:
        with Image.open(path) as image:
            image.load()
            grey = image.convert("L")
    except (OSError, UnidentifiedImageError, ValueError) as error:
        raise Unreadable(f"cannot read the image {path}: {error}") from error
    try:
        return [found.text for found in zxingcpp.read_barcodes(grey, formats=zxingcpp.BarcodeFormat.QRCode)]
    except Exception as error:  # noqa: BLE001 (a decoder's failure on a strange image: say so, not a traceback)
        raise Unreadable(f"cannot decode the image {path}: {error}") from error


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Check a Trainer certificate's QR code offline: is it signed by the department's key?",
        epilog="A valid signature proves what the department issued; only its verify page tells whether the "
               "certificate was later revoked or replaced.")
    parser.add_argument("text", nargs="?", help="the QR's text: its address (…/C/<code>) or the code; - reads it "
                                                "from standard input")
    parser.add_argument("--image", help="a photo or scan holding the QR (needs zxing-cpp and Pillow)")
    parser.add_argument("--key", action="append", required=True, metavar="FILE",
                        help="the department's public key: a PEM file, or base64 of its 32 bytes (repeat for "
                             "earlier keys)")
    args = parser.parse_args(argv)
    if (args.text is None) == (args.image is None):
        parser.error("give either the QR's text or --image")
    for stream in (sys.stdin, sys.stdout, sys.stderr):
        if hasattr(stream, "reconfigure"):  # a console that cannot show Devanagari shows "?", not a traceback
            stream.reconfigure(errors="replace")
    try:
        keys = load_keys(args.key)
        if args.image is not None:
            texts = texts_in_image(args.image)
            if not texts:
                raise Unreadable(f"no QR code found in {args.image}")
        else:
            texts = [sys.stdin.read() if args.text == "-" else args.text]
    except Unreadable as error:
        print(f"cannot check: {error}", file=sys.stderr)
        return 1
    every_valid = True
    for number, text in enumerate(texts):
        if len(texts) > 1:
            print(f"{'' if number == 0 else chr(10)}QR code {number + 1} of {len(texts)}:")
        valid, lines = check(text, keys)
        print("\n".join(lines))
        every_valid = every_valid and valid
    return 0 if every_valid else 1


if __name__ == "__main__":
    sys.exit(main())
