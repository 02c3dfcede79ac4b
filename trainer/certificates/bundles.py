"""A district's (or block's) certificates of a programme as one PDF for printing, made on the job queue and kept
until a certificate of the place changes; asking again meanwhile gives the same bundle."""
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainer.accounts.models import User
from trainer.certificates import documents, services
from trainer.certificates.models import Certificate, CertificateBundle, CertificateState, WorkState
from trainer.core.database import utc_now
from trainer.extensions import db
from trainer.programmes.models import Programme
from trainer.regions.areas import Area
from trainer.regions.models import Block, District, GramPanchayat


def _scope(place) -> dict:
    return {"district_id": place.id if isinstance(place, District) else None,
            "block_id": place.id if isinstance(place, Block) else None}


def request_bundle(programme: Programme, place: District | Block, user: User | None) -> CertificateBundle:
    """Return the bundle of the place's valid certificates: one still fresh or in the making, else a new one
    (the caller commits, then enqueues tasks.make_bundle for a new one: see `is_new`)."""
    latest = services.latest_change(programme, Area.of(place))
    found = db.session.scalars(select(CertificateBundle).filter_by(programme_id=programme.id, **_scope(place))
                               .where(CertificateBundle.state != WorkState.FAILED)
                               .order_by(CertificateBundle.id.desc()).limit(1)).first()
    if found is not None and (found.state is not WorkState.DONE or latest is None or found.requested_at >= latest):
        found.is_new = False
        return found
    bundle = CertificateBundle(programme=programme, requested_by_id=user.id if user else None, **_scope(place))
    db.session.add(bundle)
    db.session.flush()
    bundle.is_new = True
    return bundle


def certificates_of(bundle: CertificateBundle) -> list[Certificate]:
    """The bundle's certificates: valid ones of the programme in its place, by block and GP name."""
    return list(db.session.scalars(
        select(Certificate).outerjoin(GramPanchayat, GramPanchayat.id == Certificate.gram_panchayat_id)
        .outerjoin(Block, Block.id == Certificate.block_id)
        .where(Certificate.programme_id == bundle.programme_id, Certificate.state == CertificateState.ISSUED,
               services.in_area(Area.of(bundle.place)))
        .options(selectinload(Certificate.design))
        .order_by(Block.name_hi, GramPanchayat.name_hi, Certificate.recipient_hi, Certificate.id)))


def make(bundle_id: int) -> None:
    """Lay the bundle out (committing: a task's own transaction), or record why it failed."""
    bundle = db.session.get(CertificateBundle, bundle_id)
    if bundle is None or bundle.state is WorkState.DONE:
        return
    bundle.state = WorkState.RUNNING
    db.session.commit()
    try:
        certificates = certificates_of(bundle)
        title = f"{bundle.programme.title_hi} — {bundle.place.name_hi}"
        bundle.content = documents.certificates_pdf(certificates, title) if certificates else None
        bundle.pages = len(certificates)
        bundle.state = WorkState.DONE
    except Exception as error:
        db.session.rollback()
        bundle = db.session.get(CertificateBundle, bundle_id)
        bundle.state, bundle.error = WorkState.FAILED, str(error)[:500]
        db.session.commit()
        raise
    bundle.finished_at = utc_now()
    db.session.commit()
