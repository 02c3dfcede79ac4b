"""The phone's gram panchayat, the pass that lets an opened attendance form be sent, and the guard that keeps
other sites from sending it.

The phone remembers its gram panchayat in a signed cookie that names the access code's version, so that
reissuing a code forgets old phones. A signed-in secretary's account names the GP instead. The secretary's
flow, feedback and (later) questions all ask here which GP this phone speaks for: `remembered_gp` for pages
that work on the session's model, `remembered_for` for the flow, which needs no model of the session.

The attendance form needs no Flask session: instead of Flask-WTF's token, kept in the session cookie, its
`csrf_token` is an HMAC of a random value the phone keeps in a cookie of its own (a signed double-submit
cookie). A page of another site can neither read that cookie nor compute the token, and the cookie is
SameSite=Lax, so a POST from elsewhere is refused as Flask-WTF refuses it (`check_form_guard`).
"""
import hashlib
import hmac
import secrets
from datetime import timedelta
from functools import cache, lru_cache
from typing import NamedTuple

from flask import current_app, request, url_for
from flask_login import current_user
from flask_wtf.csrf import CSRFError, same_origin
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import bindparam, select

from trainer.attendance import rules
from trainer.attendance.models import ROLE_COLUMNS, AccessCode, Attendance
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.programmes.models import ParticipantRole, TrainingSession
from trainer.regions.models import Block, District, GramPanchayat

GP_COOKIE = "gp"


def _device_serializer() -> URLSafeSerializer:
    return _device_serializer_for(current_app.config["SECRET_KEY"])


@cache
def _device_serializer_for(secret: str) -> URLSafeSerializer:
    return URLSafeSerializer(secret, salt="trainer gp device")


def signed_in_secretary() -> bool:
    """Say whether the request comes from a signed-in panchayat secretary (whose account names the GP)."""
    return current_user.is_authenticated and current_user.has_role(Role.SECRETARY)


def remembered_gp(session: TrainingSession) -> GramPanchayat | None:
    """Return the gram panchayat this phone (or the signed-in secretary) marks for, if known and invited to
    the session."""
    if signed_in_secretary():
        gp = current_user.gram_panchayat
        return gp if gp is not None and rules.is_invited(session, gp) else None
    remembered = _cookie_gp()
    return None if remembered is None else invited_gp_with_code(session, *remembered)


def phone_gram_panchayat() -> GramPanchayat | None:
    """Return the gram panchayat this phone (or the signed-in secretary) speaks for, outside any session (its
    certificates, say): the GP its cookie names while that GP's access code is still at the cookie's version."""
    if signed_in_secretary():
        return current_user.gram_panchayat
    remembered = _cookie_gp()
    if remembered is None:
        return None
    gp_id, version = remembered
    return db.session.scalar(select(GramPanchayat).join(AccessCode, AccessCode.gram_panchayat_id == GramPanchayat.id)
                             .where(GramPanchayat.id == gp_id, AccessCode.version == version))


def _cookie_gp() -> tuple[int, int] | None:
    """Return the (gram panchayat id, access code version) the phone's cookie names, if it is good."""
    raw = request.cookies.get(GP_COOKIE)
    if not raw:
        return None
    try:
        gp_id, version = _device_serializer().loads(raw)
    except (BadSignature, TypeError, ValueError):
        return None
    if not (isinstance(gp_id, int) and isinstance(version, int)):
        return None
    return gp_id, version


class Remembered(NamedTuple):
    """The GP a phone marks for, and what is recorded of it at the session (None: not marked yet)."""

    id: int
    lgd_code: int
    name_hi: str
    name_en: str
    participants: int | None
    roles: dict[ParticipantRole, int | None]
    mode: str | None


def remembered_for(session_id: int) -> Remembered | None:
    """Return the gram panchayat this phone (or the signed-in secretary) marks for, if known and invited to the
    session, with its attendance there: one query, for the secretary's flow."""
    if signed_in_secretary():
        gp_id, version = current_user.gram_panchayat_id, None
        if gp_id is None:
            return None
    else:
        remembered = _cookie_gp()
        if remembered is None:
            return None
        gp_id, version = remembered
    parameters = {"gram_panchayat_id": gp_id} | ({} if version is None else {"version": version})
    row = db.session.execute(_remembered_query(session_id, version is not None), parameters).first()
    if row is None:
        return None
    gp_id, lgd_code, name_hi, name_en, participants, *counts, mode = row
    return Remembered(gp_id, lgd_code, name_hi, name_en, participants, dict(zip(ROLE_COLUMNS, counts, strict=True)),
                      mode)


def invited_gp_with_code(session: TrainingSession, gram_panchayat_id: int, version: int) -> GramPanchayat | None:
    """Return the gram panchayat if its access code is still at `version` and the session invites it, in one
    query: the check behind every repeat scan of a remembered phone."""
    return db.session.scalar(
        select(GramPanchayat)
        .join(AccessCode, AccessCode.gram_panchayat_id == GramPanchayat.id)
        .join(Block, Block.id == GramPanchayat.block_id)
        .join(District, District.id == Block.district_id)
        .where(GramPanchayat.id == gram_panchayat_id, AccessCode.version == version,
               rules.invited_districts(session)))


@lru_cache(maxsize=256)
def _remembered_query(session_id: int, by_code_version: bool):
    """Build a session's query of the remembered GP once: every repeat scan of the session sends it."""
    # On the tables, not the models: a Core statement skips the ORM's work on each of its many executions.
    gps, marks, codes = GramPanchayat.__table__.c, Attendance.__table__, AccessCode.__table__
    query = (select(gps.id, gps.lgd_code, gps.name_hi, gps.name_en, marks.c.participants,
                    *(marks.c[column] for column in ROLE_COLUMNS.values()), marks.c.mode)
             .select_from(GramPanchayat.__table__)
             .outerjoin(marks, (marks.c.gram_panchayat_id == gps.id) & (marks.c.session_id == session_id))
             .where(gps.id == bindparam("gram_panchayat_id"), rules.invited_gram_panchayats(session_id)))
    if by_code_version:
        query = query.join(codes, (codes.c.gram_panchayat_id == gps.id) & (codes.c.version == bindparam("version")))
    return query


def device_cookie(code: AccessCode) -> str:
    """Return the signed value that lets this phone mark for the code's gram panchayat until it is reissued."""
    return device_cookie_for(code.gram_panchayat_id, code.version)


def device_cookie_for(gram_panchayat_id: int, version: int) -> str:
    """Return the signed value that lets this phone mark for the GP until its code passes this version."""
    return _device_serializer().dumps([gram_panchayat_id, version])


def remember(response, value: str):
    """Set the phone's gram panchayat cookie on a response."""
    response.set_cookie(GP_COOKIE, value,
                        max_age=int(timedelta(days=current_app.config["GP_COOKIE_DAYS"]).total_seconds()),
                        httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


# The pass that lets an opened form be sent after a live token's minute has passed


def _pass_serializer() -> URLSafeTimedSerializer:
    return _pass_serializer_for(current_app.config["SECRET_KEY"])


@cache
def _pass_serializer_for(secret: str) -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(secret, salt="trainer attendance form")


def form_pass(token: str) -> str:
    """Return the pass a form opened from a scanned token carries, good for ATTENDANCE_FORM_MINUTES.

    It names the token itself, so that the form is sent back to the address it was opened from: a pass taken
    from the poster's token cannot make an old live token (or another session's) count.
    """
    return _pass_serializer().dumps(token)


def pass_is_good(text: str, token: str, late: timedelta | None = None) -> bool:
    """Say whether a form's pass was given for this very token and was still fresh when the mark was made:
    `late` is how long before its arrival a mark kept on the phone without network was made (within the grace,
    see rules.moment_made), so that a form sent in time is not refused for the network's delay."""
    max_age = current_app.config["ATTENDANCE_FORM_MINUTES"] * 60 + (late.total_seconds() if late else 0)
    try:
        return _pass_serializer().loads(text or "", max_age=max_age) == token
    except (BadSignature, SignatureExpired):
        return False


# The guard against forms sent from other sites

FORM_COOKIE = "attend_guard"
_GUARD_LENGTH = 22  # secrets.token_urlsafe(16)


def form_guard() -> tuple[str, str | None]:
    """Return the `csrf_token` this phone's forms carry, and the cookie value to set when it has none yet."""
    value = request.cookies.get(FORM_COOKIE, "")
    if len(value) == _GUARD_LENGTH:
        return _guard_token(value), None
    value = secrets.token_urlsafe(16)
    return _guard_token(value), value


def keep_form_guard(response, value: str | None):
    """Give the phone its guard cookie, if `form_guard` made one; it lasts as long as the browser runs."""
    if value is not None:
        response.set_cookie(FORM_COOKIE, value, path=url_for("attend.enter_code"), httponly=True, samesite="Lax",
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def check_form_guard() -> None:
    """Refuse a POST whose `csrf_token` is not this phone's guard, as Flask-WTF's CSRFProtect refuses it
    (and, over HTTPS, one whose referrer is another site). Off where WTF_CSRF_ENABLED is off (the tests')."""
    config = current_app.config
    if not config.get("WTF_CSRF_ENABLED", True):
        return
    value = request.cookies.get(FORM_COOKIE, "")
    if len(value) != _GUARD_LENGTH or not hmac.compare_digest(request.form.get("csrf_token", ""),
                                                               _guard_token(value)):
        raise CSRFError("The attendance form's guard is missing or does not match.")
    if request.is_secure and config.get("WTF_CSRF_SSL_STRICT", True) and not (
            request.referrer and same_origin(request.referrer, f"https://{request.host}/")):
        raise CSRFError("The referrer is missing or does not match the host.")


def _guard_token(value: str) -> str:
    key = _guard_key(current_app.config["SECRET_KEY"])
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()[:32]


@cache
def _guard_key(secret: str) -> bytes:
    return hashlib.sha256(b"trainer attendance form guard:" + secret.encode()).digest()
