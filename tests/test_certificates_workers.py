"""Issuing certificates in bulk on the real job queue: a planner asks, the batch page shows it waiting, a worker
process (`flask jobs worker`) issues every certificate once and puts "certificate ready" in the outbox, and the
SMS gateway's stand-in receives each GP's message with its verify link."""
import re

import pytest
from sqlalchemy import func, select

from tests.test_jobs import wait_until
from tests.test_messaging_workers import app, settings, sms, start_worker, whatsapp  # noqa: F401
from trainer.certificates.models import Certificate, CertificateBatch, WorkState
from trainer.config import TestConfig
from trainer.contacts.models import Contact, ContactRole
from trainer.core.roles import Role
from trainer.extensions import db


@pytest.fixture
def queued_app(app, settings):  # noqa: F811 (the messaging workers' app, with the test key shared with the worker)
    settings["CERTIFICATE_SIGNING_KEY"] = TestConfig.CERTIFICATE_SIGNING_KEY
    settings["PUBLIC_BASE_URL"] = "https://prashikshan.mp.gov.in"
    return app


def test_a_worker_issues_a_batch_once_and_the_gps_are_told_with_the_verify_link(queued_app, client, login_as, marked,
                                                                               places, sms, start_worker):
    for number, code in enumerate((11111, 11112, 12111), 1):
        db.session.add(Contact(gram_panchayat_id=places.gp(code).id, role=ContactRole.SECRETARY,
                               mobile=f"900000000{number}", accepts_sms=True))
    db.session.commit()
    login_as(Role.TRAINER)
    answer = client.post(f"/certificates/programmes/{marked.id}/batches", data={"district": "", "notify": "y"})
    batch = db.session.scalar(select(CertificateBatch))
    assert batch.state is WorkState.QUEUED
    waiting = client.get(answer.headers["Location"]).get_data(as_text=True)
    assert 'http-equiv="refresh"' in waiting and "प्रतीक्षा में" in waiting

    start_worker()

    def done():
        db.session.expire_all()
        return db.session.get(CertificateBatch, batch.id).state is WorkState.DONE
    wait_until(done, what="the worker to issue the batch")
    batch = db.session.get(CertificateBatch, batch.id)
    assert (batch.total, batch.issued, batch.already, batch.messages) == (3, 3, 0, 3)
    assert db.session.scalar(select(func.count()).select_from(Certificate)) == 3
    wait_until(lambda: len(sms.delivered) == 3, what="the worker to send the messages")
    serials = set(db.session.scalars(select(Certificate.serial)))
    texts = [message["message"] for message in sms.delivered.values()]
    linked = {re.search(r"/C/([0-9A-Z]{10})", text).group(1) for text in texts}
    assert linked == serials and all("prashikshan.mp.gov.in/C/" in text for text in texts)
    assert client.get(f"/certificates/batches/{batch.id}").get_data(as_text=True).count('http-equiv="refresh"') == 0
