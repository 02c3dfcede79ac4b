"""The outbox with real worker processes (`flask jobs worker`) and the providers' stand-ins: a worker killed in
the middle of a batch and a new one started send every message, and none twice."""
import os
import signal
import subprocess
import time

import pytest
from sqlalchemy import func, select

from tests.messaging_standins import SMS_SECRET, WHATSAPP_SECRET, WHATSAPP_TOKEN, SmsGatewayStandIn, WhatsAppStandIn
from tests.test_jobs import FLASK, ROOT, wait_until
from trainer.contacts.models import Contact, ContactRole
from trainer.extensions import db
from trainer.jobs.queue import queue_of
from trainer.messaging import outbox, sender
from trainer.messaging.kinds import MessageKind
from trainer.messaging.models import MessageState, OutboxMessage
from trainer.messaging.tasks import kick
from trainer.regions.models import GramPanchayat

LEASE_SECONDS = 2
MESSAGES = 24  # one to each GP of the small state


@pytest.fixture
def sms():
    with SmsGatewayStandIn() as server:
        server.delay = 0.15  # a slow gateway: the kill lands in the middle of the batch
        yield server


@pytest.fixture
def whatsapp():
    with WhatsAppStandIn() as server:
        server.delay = 0.15
        yield server


@pytest.fixture
def settings(sms, whatsapp, tmp_path):
    return {"JOBS_URL": f"sqlite:///{tmp_path / 'jobs.db'}", "SMS_GATEWAY_URL": sms.send_url,
            "SMS_GATEWAY_API_KEY": "sms-api-key", "SMS_DLT_ENTITY_ID": "1101000000000000001",
            "SMS_WEBHOOK_SECRET": SMS_SECRET, "WHATSAPP_API_URL": whatsapp.url,
            "WHATSAPP_PHONE_NUMBER_ID": "1234567890", "WHATSAPP_ACCESS_TOKEN": WHATSAPP_TOKEN,
            "WHATSAPP_APP_SECRET": WHATSAPP_SECRET, "MESSAGE_LEASE_SECONDS": str(LEASE_SECONDS),
            "MESSAGE_DAILY_CAP_WHATSAPP": "0", "MESSAGE_PROVIDER_TIMEOUT": "5"}


@pytest.fixture
def app(make_app, settings):
    """The app as an app server runs it, with a queue of its own (conftest's `places` fills its database)."""
    app = make_app(**{name: int(value) if value.isdigit() else value for name, value in settings.items()})
    with app.app_context():
        queue_of(app).flush()
        yield app
        db.session.remove()
        queue_of(app).storage.close()


@pytest.fixture
def queued_app(app):
    return app


@pytest.fixture
def start_worker(queued_app, database_url, settings, tmp_path):
    started = []
    environment = {**os.environ, **settings, "DATABASE_URL": database_url, "FLASK_APP": "wsgi",
                   "SECRET_KEY": queued_app.config["SECRET_KEY"]}
    environment.pop("TEST_DATABASE_URL", None)

    def start() -> subprocess.Popen:
        log = open(tmp_path / f"worker-{len(started)}.log", "w")
        process = subprocess.Popen([str(FLASK), "jobs", "worker", "--workers", "2", "--no-periodic"], cwd=ROOT,
                                   env=environment, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
        started.append((process, log))
        return process

    yield start
    for process, log in started:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()
        log.close()


def queue_to_every_gp(channel: str) -> None:
    for number, gp_id in enumerate(db.session.scalars(select(GramPanchayat.id).order_by(GramPanchayat.id)), 1):
        db.session.add(Contact(gram_panchayat_id=gp_id, role=ContactRole.SECRETARY, mobile=f"90000{number:05d}",
                               accepts_sms=channel == "sms", accepts_whatsapp=channel == "whatsapp"))
    db.session.flush()
    recipients = [outbox.Recipient(c.id, c.gram_panchayat_id, None, "hi", (channel,), c.mobile)
                  for c in db.session.scalars(select(Contact))]
    outbox.queue_messages(MessageKind.ACCESS_CODE_REISSUED, recipients, "workers", lambda r: {"gp": "ग्राम", "code": "1"})
    db.session.commit()


def states() -> dict[MessageState, int]:
    db.session.expire_all()
    return dict(db.session.execute(select(OutboxMessage.state, func.count()).group_by(OutboxMessage.state)).all())


def test_a_worker_killed_mid_batch_and_a_new_one_send_every_sms_once(queued_app, places, sms, start_worker):
    queue_to_every_gp("sms")
    kick()  # two sender tasks on the queue
    worker = start_worker()
    wait_until(lambda: len(sms.delivered) >= 6, what="the first messages")
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    left = states()
    assert 0 < left.get(MessageState.SENT, 0) < MESSAGES  # killed in the middle
    time.sleep(LEASE_SECONDS + 0.5)  # the dead worker's leases lapse
    sender.sweep()  # what the minute's sweep does: the gateway drops a repeated reference, so they are due again
    start_worker()
    kick()
    wait_until(lambda: states() == {MessageState.SENT: MESSAGES}, what="the new worker to send the rest")
    assert len(sms.delivered) == MESSAGES  # every message reached its phone once
    references = [request["form"]["reference"] for request in sms.requests]
    assert len(references) - len(set(references)) <= 2  # at most the messages in flight when it died were asked again


def test_a_whatsapp_message_in_flight_when_its_worker_died_is_not_sent_again(queued_app, places, whatsapp,
                                                                             start_worker):
    queue_to_every_gp("whatsapp")
    kick()
    worker = start_worker()
    wait_until(lambda: len(whatsapp.delivered) >= 6, what="the first messages")
    os.killpg(worker.pid, signal.SIGKILL)
    worker.wait()
    time.sleep(LEASE_SECONDS + 0.5)
    sender.sweep()
    start_worker()
    kick()
    wait_until(lambda: not {MessageState.QUEUED, MessageState.SENDING, MessageState.RETRYING} & set(states()),
               what="the new worker")
    final = states()
    assert final.get(MessageState.SENT, 0) + final.get(MessageState.UNKNOWN, 0) == MESSAGES
    assert final.get(MessageState.UNKNOWN, 0) <= 2  # the two sender threads' messages in flight, if any
    recipients = [body["to"] for body in whatsapp.delivered.values()]
    assert len(recipients) == len(set(recipients))  # no phone got its message twice
