"""`flask sandbox`, what `make run` sends through without providers: messages reach its phones' page and their
receipts come back to Trainer's webhooks; an SMS typed on the page marks attendance."""
import threading
import time
from datetime import timedelta

import pytest
import requests
from sqlalchemy import select
from werkzeug.serving import make_server

from tests.conftest import sessions_of
from tests.test_messaging import add_contact, messages, queue_code_message
from trainer.attendance import services as attendance
from trainer.attendance.models import Attendance, MarkSource
from trainer.core import clock
from trainer.extensions import db
from trainer.messaging.models import MessageState
from trainer.messaging.tasks import kick
from trainer.tools.provider_sandbox import Sandbox

SECRETS = dict(SMS_WEBHOOK_SECRET="sandbox-sms", WHATSAPP_APP_SECRET="sandbox-wa", SMS_GATEWAY_API_KEY="key",
               WHATSAPP_ACCESS_TOKEN="token", WHATSAPP_PHONE_NUMBER_ID="1234567890",
               SMS_DLT_ENTITY_ID="1101000000000000000", MESSAGE_DAILY_CAP_WHATSAPP=0)


@pytest.fixture
def app(served):
    return served[0]


@pytest.fixture
def served(make_app):
    """The app on a loopback port, its providers the sandbox's (conftest's `places` fills its database)."""
    server = make_server("127.0.0.1", 0, None, threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    with Sandbox(base, SECRETS["SMS_WEBHOOK_SECRET"], SECRETS["WHATSAPP_APP_SECRET"], "key", "token", "1234567890",
                 sms_port=0, whatsapp_port=0) as sandbox:
        app = make_app(SMS_GATEWAY_URL=sandbox.send_url, WHATSAPP_API_URL=sandbox.whatsapp.url, **SECRETS)
        server.app = app
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        with app.app_context():
            yield app, sandbox
        server.shutdown()


def wait_for(condition, seconds=60):
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "waited too long"
        time.sleep(0.1)


def test_messages_reach_the_sandbox_phones_and_their_receipts_come_back(served, places):
    app, sandbox = served
    queue_code_message(add_contact(places.gp(11111), mobile="9000000001"),
                       add_contact(places.gp(11112), mobile="9000000002", channels=("whatsapp",)))
    kick()
    wait_for(lambda: {m.state for m in messages()} == {MessageState.DELIVERED, MessageState.READ})
    page = requests.get(sandbox.url + "/", timeout=5).text
    assert "ग्राम 1111" in page and "SMS → 919000000001" in page and "WhatsApp → 919000000002" in page


def test_an_sms_typed_on_the_sandbox_page_marks_attendance(served, places, make_programme, monkeypatch):
    app, sandbox = served
    session = sessions_of(make_programme(modules=1), 1)[0]
    attendance.ensure_session_code(session)
    code = attendance.issue_code(places.gp(11111))
    db.session.commit()
    monkeypatch.setattr(clock, "now", lambda: session.starts_at + timedelta(minutes=5))
    answer = requests.post(sandbox.url + "/inbound-form", timeout=10, allow_redirects=False,
                           data={"from": "9000000001", "text": f"TRN {session.attendance_code} 11111 {code} 14"})
    assert answer.status_code == 303 and "recorded" in sandbox.last_answer
    db.session.expire_all()
    mark = db.session.scalar(select(Attendance))
    assert mark.participants == 14 and mark.source is MarkSource.SMS
    wait_for(lambda: any("उपस्थिति दर्ज" in item.get("message", "") for item in sandbox.delivered.values()))
