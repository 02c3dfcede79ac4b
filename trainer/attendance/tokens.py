"""Short signed tokens that a QR code carries: they name a session (and, on the live screen, a minute).

A token is base64url of: kind (1 byte), session id (4 bytes), for live tokens the period (4 bytes), and the
first 8 bytes of an HMAC-SHA256 over those, keyed from the app's secret. 18 characters for the poster,
23 for the live screen: the whole URL stays within a version 4 QR code at error correction M.
"""
import base64
import binascii
import hashlib
import hmac
import struct
from dataclasses import dataclass
from datetime import datetime

from flask import current_app

POSTER = 0
LIVE = 1
PERIOD_SECONDS = 60
MAC_BYTES = 8


class InvalidToken(Exception):
    """The token is damaged, forged, for another purpose, or its minute has passed."""


@dataclass(frozen=True)
class Token:
    session_id: int
    kind: int
    period: int | None = None


def period_of(moment: datetime) -> int:
    """Return the number of the minute-long period a moment falls in."""
    return int(moment.timestamp()) // PERIOD_SECONDS


def make_token(session_id: int, period: int | None = None) -> str:
    """Return the poster token of a session, or its live token for a period."""
    if period is None:
        payload = struct.pack(">BI", POSTER, session_id)
    else:
        payload = struct.pack(">BII", LIVE, session_id, period)
    return base64.urlsafe_b64encode(payload + _mac(payload)).rstrip(b"=").decode("ascii")


def read_token(text: str, now: datetime, fresh: bool = True) -> Token:
    """Return what a token names, or raise InvalidToken. A live token is good in its period and the next;
    with fresh=False its age is not checked (the form it opened carries its own, longer pass)."""
    if not text or len(text) > 40:
        raise InvalidToken("length")
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError) as error:
        raise InvalidToken("encoding") from error
    payload, mac = raw[:-MAC_BYTES], raw[-MAC_BYTES:]
    if len(payload) not in (5, 9) or not hmac.compare_digest(mac, _mac(payload)):
        raise InvalidToken("signature")
    if len(payload) == 5:
        kind, session_id = struct.unpack(">BI", payload)
        if kind != POSTER:
            raise InvalidToken("kind")
        return Token(session_id, POSTER)
    kind, session_id, period = struct.unpack(">BII", payload)
    if kind != LIVE:
        raise InvalidToken("kind")
    if fresh and period not in (period_of(now), period_of(now) - 1):
        raise InvalidToken("expired")
    return Token(session_id, LIVE, period)


def _mac(payload: bytes) -> bytes:
    key = hashlib.sha256(b"trainer attendance token:" + current_app.config["SECRET_KEY"].encode()).digest()
    return hmac.new(key, payload, hashlib.sha256).digest()[:MAC_BYTES]
