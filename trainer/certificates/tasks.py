"""The certificates' work on the job queue: issuing a batch (with its progress, a chunk at a time) and making an
area's printable bundle."""
import logging

from trainer.certificates import bundles, notify, services
from trainer.certificates.models import Audience, Certificate, CertificateBatch, WorkState
from trainer.extensions import db
from trainer.jobs.queue import task
from trainer.messaging.tasks import kick

log = logging.getLogger(__name__)


@task(retries=3, retry_delay=30)
def issue_batch(batch_id: int) -> None:
    """Issue a batch's certificates, committing after each chunk so that its page shows the progress; then tell
    the GPs (or partner organisations) if asked. A retry after a stopped worker goes on where it stopped: what
    exists is never made again."""
    batch = db.session.get(CertificateBatch, batch_id)
    if batch is None or batch.state is WorkState.DONE:
        return
    try:
        services.start_batch(batch)
        db.session.commit()
        while services.issue_next_chunk(batch):
            db.session.commit()
        if batch.notify:
            made = list(db.session.scalars(db.select(Certificate.id).where(Certificate.batch_id == batch.id)))
            tell = notify.queue_partners_ready if batch.audience is Audience.PARTNERS else notify.queue_ready
            batch.messages = tell(batch.programme, made).queued
        services.finish_batch(batch)
        db.session.commit()
    except Exception as error:
        db.session.rollback()
        log.exception("certificate batch %s failed", batch_id)
        batch = db.session.get(CertificateBatch, batch_id)
        services.finish_batch(batch, error=str(error)[:500])
        db.session.commit()
        raise
    if batch.messages:
        kick()


@task(retries=1, retry_delay=30)
def make_bundle(bundle_id: int) -> None:
    """Lay out a bundle's certificates as one PDF."""
    bundles.make(bundle_id)
