"""The phone's gram panchayat, and the pass that lets an opened attendance form be sent.

The phone remembers its gram panchayat in a signed cookie that names the access code's version, so that
reissuing a code forgets old phones. A signed-in secretary's account names the GP instead. The secretary's
flow, feedback and (later) questions all ask `remembered_gp` which GP this phone speaks for.
"""
from datetime import timedelta

from flask import current_app, request
from flask_login import current_user
from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from sqlalchemy import select

from trainer.attendance import rules
from trainer.attendance.models import AccessCode
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.programmes.models import TrainingSession
from trainer.regions.models import Block, District, GramPanchayat

GP_COOKIE = "gp"


def _device_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt="trainer gp device")


def signed_in_secretary() -> bool:
    """Say whether the request comes from a signed-in panchayat secretary (whose account names the GP)."""
    return current_user.is_authenticated and current_user.has_role(Role.SECRETARY)


def remembered_gp(session: TrainingSession) -> GramPanchayat | None:
    """Return the gram panchayat this phone (or the signed-in secretary) marks for, if known and invited to
    the session."""
    if signed_in_secretary():
        gp = current_user.gram_panchayat
        return gp if gp is not None and rules.is_invited(session, gp) else None
    raw = request.cookies.get(GP_COOKIE)
    if not raw:
        return None
    try:
        gp_id, version = _device_serializer().loads(raw)
    except (BadSignature, TypeError, ValueError):
        return None
    if not (isinstance(gp_id, int) and isinstance(version, int)):
        return None
    return invited_gp_with_code(session, gp_id, version)


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


def device_cookie(code: AccessCode) -> str:
    """Return the signed value that lets this phone mark for the code's gram panchayat until it is reissued."""
    return _device_serializer().dumps([code.gram_panchayat_id, code.version])


def remember(response, value: str):
    """Set the phone's gram panchayat cookie on a response."""
    response.set_cookie(GP_COOKIE, value,
                        max_age=int(timedelta(days=current_app.config["GP_COOKIE_DAYS"]).total_seconds()),
                        httponly=True, samesite="Lax", secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


# The pass that lets an opened form be sent after a live token's minute has passed


def _pass_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.config["SECRET_KEY"], salt="trainer attendance form")


def form_pass(session_id: int) -> str:
    """Return the pass an opened form carries, good for ATTENDANCE_FORM_MINUTES."""
    return _pass_serializer().dumps(session_id)


def pass_is_good(text: str, session_id: int) -> bool:
    """Say whether a form's pass is this session's and still fresh."""
    try:
        return _pass_serializer().loads(text or "",
                                        max_age=current_app.config["ATTENDANCE_FORM_MINUTES"] * 60) == session_id
    except (BadSignature, SignatureExpired):
        return False
