"""The providers' stand-ins for the tests: the SMS gateway and the WhatsApp Cloud API of
trainer.tools.provider_sandbox (the same servers `make run` uses), and an SMTP server (aiosmtpd).

Each records what it received, and can be told to answer the next requests with a failure: throttling (429 with
Retry-After; 450 for SMTP), a permanent refusal, a timeout (it answers only after the client gave up), a
provider that is down.
"""
import asyncio
import socket
import threading

from aiosmtpd.controller import Controller

from trainer.tools.provider_sandbox import (  # noqa: F401 (what the tests use of it)
    SMS_SECRET,
    WHATSAPP_SECRET,
    WHATSAPP_TOKEN,
    SmsGatewayStandIn,
    WhatsAppStandIn,
    sms_inbound,
    sms_receipt,
    sms_signature,
    whatsapp_signature,
    whatsapp_status,
)


class _SmtpHandler:
    def __init__(self, standin: "SmtpStandIn") -> None:
        self.standin = standin

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        failure = self.standin.next_failure()
        if failure and failure[0] == "throttle":
            return "450 4.2.1 Mailbox busy, try later"
        if failure and failure[0] == "refuse":
            return "550 5.1.1 No such user here"
        if failure and failure[0] == "timeout":
            await asyncio.sleep(failure[1])
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.standin.received.append({"from": envelope.mail_from, "to": list(envelope.rcpt_tos),
                                      "data": envelope.content.decode("utf-8", errors="replace")})
        return "250 Message accepted for delivery"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SmtpStandIn:
    """An SMTP server on 127.0.0.1 at a free port; use as a context manager."""

    def __init__(self) -> None:
        self.received: list[dict] = []
        self.failures: list[tuple] = []
        self._lock = threading.Lock()
        self.port = _free_port()
        self._controller = Controller(_SmtpHandler(self), hostname="127.0.0.1", port=self.port)

    def fail_next(self, *failure, times: int = 1) -> None:
        with self._lock:
            self.failures.extend([failure] * times)

    def next_failure(self):
        with self._lock:
            return self.failures.pop(0) if self.failures else None

    def __enter__(self):
        self._controller.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._controller.stop()
