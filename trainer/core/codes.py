"""Secret codes that people type (an applicant's code, a GP's or an organisation's access code): drawn at random,
and stored only as a keyed hash; access codes are issued (and reissued, with their history) by one function.

The key is derived from the app's SECRET_KEY and the code's purpose, so a copy of a table alone reveals nothing,
and a code of one purpose never fits another's.
"""
import hashlib
import hmac
import secrets
from functools import cache

from flask import current_app

from trainer.core.database import utc_now
from trainer.extensions import db


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


def issue(record_model, history_model, subject: dict, purpose: str, user_id: int | None, digits: int = 8,
          **history) -> tuple[str, int]:
    """Give a holder (a gram panchayat, an organisation) a new access code in place of its old one, and keep the
    issue in the history; return the code in clear, once, and its version.

    `record_model` holds one hashed code per holder (`code_hash`, `version`, `issued_at`, `issued_by_id`, keyed by
    the one column of `subject`), `history_model` a row per issue (the same key, `version`, `issued_at`,
    `issued_by_id`, and `history`'s other columns). The version goes up on every issue: phones remembered under
    an older code must identify again. Flushes, never commits.
    """
    [(key, holder_id)] = subject.items()
    code, now = new_code(digits), utc_now()
    hashed = code_hash(purpose, str(holder_id), code)
    record = db.session.get(record_model, holder_id)
    if record is None:
        record = record_model(**subject, code_hash=hashed, version=1, issued_at=now, issued_by_id=user_id)
        db.session.add(record)
    else:
        record.code_hash, record.issued_at, record.issued_by_id = hashed, now, user_id
        record.version += 1
    db.session.add(history_model(**subject, version=record.version, issued_at=now, issued_by_id=user_id, **history))
    db.session.flush()
    return code, record.version
