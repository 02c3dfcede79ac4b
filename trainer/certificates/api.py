"""Certificates as JSON: staff read those of their area, their counts by district and a batch's progress; anyone
reads the public key and checks a code or a serial (rate-limited, as the verify page is).

Nested in trainer.core.api's /api/v1; `docs/openapi.json` describes it.
"""
from flask import Blueprint, current_app, jsonify, request
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import func, select

from trainer.certificates import services, signing, verification
from trainer.certificates.models import Certificate, CertificateBatch, CertificateState, RecipientKind
from trainer.certificates.pages import public_key_facts
from trainer.core.api import api_bp, error, forbidden, not_found, staff_only
from trainer.core.bounds import database_int
from trainer.core.roles import PLANNERS
from trainer.core.urls import page_arg
from trainer.extensions import db, limiter

bp = Blueprint("certificates", __name__)
api_bp.register_blueprint(bp)  # once, when this module is first imported (create_app does it)

PER_PAGE = 100


def _moment(value):
    return value.isoformat() if value is not None else None


def certificate_json(certificate: Certificate, following: Certificate | None = None) -> dict:
    """A certificate as issued: what the verify page shows, and its standing."""
    return {
        "serial": certificate.serial, "kind": certificate.kind.value, "state": certificate.state.value,
        "issued_on": certificate.issued_on.isoformat(), "recipient_kind": certificate.recipient_kind.value,
        "recipient_hi": certificate.recipient_hi, "recipient_en": certificate.recipient_en,
        "gram_panchayat_code": ((certificate.facts or {}).get("gp") or {}).get("code")
        if certificate.gram_panchayat_id else None,
        "organisation_id": certificate.organisation_id,
        "programme_id": certificate.programme_id, "facts": certificate.facts or {},
        "revoked_at": _moment(certificate.revoked_at), "revoke_reason": certificate.revoke_reason or None,
        "replaced_by": following.serial if following is not None else None,
        "replaces": certificate.replaces.serial if certificate.replaces is not None else None,
        "key_id": certificate.key_id, "code": certificate.payload,
    }


@bp.get("/certificates")
@staff_only
def certificates():
    """Return a page of the certificates of the viewer's area, newest first (`programme_id`, `recipient_kind`,
    `state`, `page`): a programme's gram panchayats' and partner organisations' alike."""
    query = select(Certificate).where(services.in_area(current_user.area))
    programme_text = request.args.get("programme_id")
    if programme_text is not None:
        programme_id = database_int(programme_text)
        if programme_id is None:
            return error(400, "bad_request", _("The programme is named by its number."))
        query = query.where(Certificate.programme_id == programme_id)
    recipient_kind = request.args.get("recipient_kind")
    if recipient_kind is not None:
        if recipient_kind not in set(RecipientKind):
            return error(400, "bad_request", _("Choose a kind of recipient: %(kinds)s.",
                                               kinds=", ".join(RecipientKind)))
        query = query.where(Certificate.recipient_kind == RecipientKind(recipient_kind))
    state = request.args.get("state")
    if state is not None:
        if state not in set(CertificateState):
            return error(400, "bad_request", _("Choose a state of certificates: %(states)s.",
                                               states=", ".join(CertificateState)))
        query = query.where(Certificate.state == CertificateState(state))
    page = page_arg(strict=True)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(Certificate.id.desc()).limit(PER_PAGE).offset((page - 1) * PER_PAGE))
    return jsonify(total=total, page=page, per_page=PER_PAGE, certificates=[certificate_json(c) for c in rows])


@bp.get("/certificates/summary")
@staff_only
def summary():
    """Return how many certificates the viewer's area holds, by district and state."""
    rows = services.counts_by_district(current_user.area)
    return jsonify(districts=[{"code": row.code, "name_hi": row.name_hi, "name_en": row.name_en,
                               "issued": row.issued, "revoked": row.revoked, "replaced": row.replaced}
                              for row in rows],
                   issued=sum(row.issued for row in rows), revoked=sum(row.revoked for row in rows),
                   replaced=sum(row.replaced for row in rows))


@bp.get("/certificates/<serial>")
@staff_only
def certificate(serial: str):
    """Return one certificate of the viewer's area."""
    found = services.find_by_serial(serial)
    if found is None:
        return not_found(_("There is no such certificate."))
    if not services.lies_in(found, current_user.area):
        return forbidden(_("This certificate is outside your area."))
    return jsonify(certificate_json(found, services.successor(found)))


@bp.get("/certificate-batches/<int:batch_id>")
@staff_only
def batch(batch_id: int):
    """Return a batch's progress (planners only: they issue)."""
    if not current_user.has_role(*PLANNERS):
        return forbidden(_("Only planners issue certificates in bulk."))
    found = db.session.get(CertificateBatch, batch_id)
    if found is None:
        return not_found(_("There is no such batch."))
    place = found.place
    return jsonify(id=found.id, programme_id=found.programme_id, audience=found.audience.value,
                   state=found.state.value, total=found.total,
                   issued=found.issued, already=found.already, messages=found.messages, error=found.error or None,
                   place={"code": place.lgd_code, "name_hi": place.name_hi, "kind": "block" if found.block_id
                          else "district"} if place is not None else None,
                   requested_at=_moment(found.requested_at), finished_at=_moment(found.finished_at))


@bp.get("/certificates/key")
def key():
    """Return the public key that verifies certificates' QR codes, and how a code is made."""
    facts = public_key_facts()
    if not facts:
        return not_found(_("No key signs certificates here yet."))
    return jsonify(algorithm="Ed25519", key_id=facts["id"], public_key_pem=facts["pem"],
                   public_key_base64=facts["raw"],
                   retired_key_ids=sorted(set(signing.keys().verifying) - {facts["id"]}),
                   code_format="base32(message + signature(message)), message = "
                               "'1|serial|YYYYMMDD|P or A|GP LGD code or empty|recipient'")


def _verify_limit() -> str:
    return current_app.config["CERTIFICATE_VERIFY_LIMIT"]


@bp.get("/certificates/verify/<code>")
@limiter.limit(_verify_limit)
def verify(code: str):
    """Check a QR code or a serial: valid, revoked, replaced or not valid (nothing else is told)."""
    result = verification.verify(code)
    body = {"status": result.status, "valid": result.is_valid}
    if result.certificate is not None:
        body["certificate"] = certificate_json(result.certificate, result.replaced_by
                                               if result.status == verification.REPLACED else None)
        body["certificate"].pop("code")
        if result.replaced_by is not None:
            body["replaced_by"] = result.replaced_by.serial
    return jsonify(body)
