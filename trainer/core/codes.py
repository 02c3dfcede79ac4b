"""Secret codes that people type (an applicant's code, say): drawn at random, and stored only as a keyed hash.

The key is derived from the app's SECRET_KEY and the code's purpose, so a copy of a table alone reveals nothing,
and a code of one purpose never fits another's.
"""
import hashlib
import hmac
import secrets
from functools import cache

from flask import current_app


def new_code(digits: int = 8) -> str:
    """Draw a code of random digits."""
    return "".join(secrets.choice("0123456789") for _ in range(digits))


@cache
def _key(secret: str, purpose: str) -> bytes:
    return hashlib.sha256(f"trainer {purpose}:".encode() + secret.encode()).digest()


def code_hash(purpose: str, subject: str, code: str) -> str:
    """Hash a code for what it opens (the subject, e.g. an application's reference)."""
    return hmac.new(_key(current_app.config["SECRET_KEY"], purpose), f"{subject}:{code}".encode(),
                    hashlib.sha256).hexdigest()


def code_is_right(purpose: str, subject: str, stored_hash: str | None, typed: str) -> bool:
    """Say whether a typed code (spaces and dashes allowed) is the one whose hash is stored."""
    digits = "".join(ch for ch in (typed or "") if ch.isascii() and ch.isdigit())
    return stored_hash is not None and hmac.compare_digest(stored_hash, code_hash(purpose, subject, digits))
