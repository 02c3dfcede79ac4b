"""Local stand-ins for the providers Trainer sends through, speaking their protocols over real sockets:

- SmsGatewayStandIn: an Indian bulk-SMS HTTP gateway (form POST with the DLT fields, JSON answers), which keeps
  one message per client reference, and posts signed delivery reports to Trainer's webhook when told where;
- WhatsAppStandIn: the WhatsApp Business Cloud API's /{version}/{phone-number-id}/messages, with Bearer tokens,
  its error shapes, and signed status webhooks;
- SmtpStandIn: an SMTP server (aiosmtpd).

Each records what it received, and can be told to answer the next requests with a failure: throttling (429 with
Retry-After; 450 for SMTP), a permanent refusal, a timeout (it answers only after the client gave up), a
gateway that is down. `delivered` holds what would have reached a phone: a repeat never reaches it twice.
"""
import asyncio
import hashlib
import hmac
import itertools
import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import requests
from aiosmtpd.controller import Controller

SMS_SECRET = "sms-webhook-secret"
WHATSAPP_SECRET = "whatsapp-app-secret"
WHATSAPP_TOKEN = "whatsapp-access-token"


def sms_signature(body: bytes, secret: str = SMS_SECRET) -> dict:
    return {"X-Gateway-Signature": hmac.new(secret.encode(), body, hashlib.sha256).hexdigest(),
            "Content-Type": "application/json"}


def whatsapp_signature(body: bytes, secret: str = WHATSAPP_SECRET) -> dict:
    return {"X-Hub-Signature-256": "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest(),
            "Content-Type": "application/json"}


def sms_receipt(message_id: str, status: str = "DELIVRD", at: str = "2026-12-03T10:00:00+05:30") -> bytes:
    return json.dumps({"receipts": [{"message_id": message_id, "status": status, "at": at}]}).encode()


def sms_inbound(message_id: str, sender: str, text: str) -> bytes:
    return json.dumps({"message_id": message_id, "from": sender, "to": "9199999", "text": text,
                       "received_at": "2026-12-03T10:00:00+05:30"}).encode()


def whatsapp_status(wamid: str, status: str = "delivered", timestamp: int = 1764751200, errors=None) -> bytes:
    value = {"messaging_product": "whatsapp", "metadata": {"phone_number_id": "1234567890"},
             "statuses": [{"id": wamid, "status": status, "timestamp": str(timestamp), "recipient_id": "919000000001",
                           **({"errors": errors} if errors else {})}]}
    return json.dumps({"object": "whatsapp_business_account",
                       "entry": [{"id": "WABA", "changes": [{"field": "messages", "value": value}]}]}).encode()


class _HttpStandIn:
    """A threaded HTTP server on 127.0.0.1 at a free port; use as a context manager."""

    def __init__(self) -> None:
        self.requests: list[dict] = []
        self.failures: list[tuple] = []  # the next requests' answers: ("throttle", s) ("refuse",) ("timeout", s) ("down",)
        self.delay = 0.0  # seconds before each answer
        self.delivered: dict[str, dict] = {}  # reference or message id -> what reached the phone
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    def fail_next(self, *failure, times: int = 1) -> None:
        with self._lock:
            self.failures.extend([failure] * times)

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _next_failure(self):
        with self._lock:
            return self.failures.pop(0) if self.failures else None

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, payload, headers = standin.answer(self.path, dict(self.headers), raw)
                body = json.dumps(payload).encode()
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout)
                    pass

            def log_message(self, format, *args):
                pass

        return Handler

    def answer(self, path, headers, raw):
        raise NotImplementedError


class SmsGatewayStandIn(_HttpStandIn):
    """POST /send with the gateway's form; a repeated reference is answered with its first message id."""

    def __init__(self, api_key: str = "sms-api-key", receipt_url: str | None = None, duplicate_receipts: bool = False):
        super().__init__()
        self.api_key, self.receipt_url, self.duplicate_receipts = api_key, receipt_url, duplicate_receipts
        self.by_reference: dict[str, str] = {}

    @property
    def send_url(self) -> str:
        return self.url + "/send"

    def answer(self, path, headers, raw):
        form = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
        with self._lock:
            self.requests.append({"path": path, "form": form})
        if self.delay:
            time.sleep(self.delay)
        if form.get("apikey") != self.api_key:
            return 401, {"status": "error", "code": "AUTH", "message": "invalid API key"}, {}
        if not form.get("template_id") or not form.get("entity_id") or not form.get("sender"):
            return 400, {"status": "error", "code": "DLT", "message": "DLT template, entity and sender required"}, {}
        failure = self._next_failure()
        if failure and failure[0] == "throttle":
            return 429, {"status": "error", "code": "RATE", "message": "too many requests"}, {"Retry-After": str(failure[1])}
        if failure and failure[0] == "refuse":
            return 400, {"status": "error", "code": "NDNC", "message": "number is in the do-not-disturb registry"}, {}
        if failure and failure[0] == "down":
            return 503, {"status": "error", "code": "DOWN", "message": "service unavailable"}, {}
        reference = form.get("reference", "")
        with self._lock:
            message_id = self.by_reference.get(reference)
            if message_id is None:
                message_id = f"gw{next(self._ids):08d}"
                self.by_reference[reference] = message_id
                self.delivered[reference] = {"message_id": message_id, **form}
                new = True
            else:
                new = False
        if failure and failure[0] == "timeout":
            time.sleep(failure[1])  # accepted, but the answer comes after the client stopped waiting
        if new and self.receipt_url:
            threading.Thread(target=self._post_receipt, args=(message_id,), daemon=True).start()
        return 200, {"status": "accepted", "message_id": message_id}, {}

    def _post_receipt(self, message_id: str) -> None:
        body = sms_receipt(message_id)
        for _ in range(2 if self.duplicate_receipts else 1):
            try:
                requests.post(self.receipt_url, data=body, headers=sms_signature(body), timeout=5)
            except requests.RequestException:
                pass


class WhatsAppStandIn(_HttpStandIn):
    """POST /{version}/{phone-number-id}/messages, as the Cloud API."""

    def __init__(self, phone_number_id: str = "1234567890", token: str = WHATSAPP_TOKEN):
        super().__init__()
        self.phone_number_id, self.token = phone_number_id, token

    def answer(self, path, headers, raw):
        body = json.loads(raw or b"{}")
        with self._lock:
            self.requests.append({"path": path, "body": body})
        if self.delay:
            time.sleep(self.delay)
        if not path.endswith(f"/{self.phone_number_id}/messages"):
            return 400, _meta_error(100, "Unsupported post request", "GraphMethodException"), {}
        if headers.get("Authorization") != f"Bearer {self.token}":
            return 401, _meta_error(190, "Invalid OAuth access token", "OAuthException"), {}
        failure = self._next_failure()
        if failure and failure[0] == "throttle":
            return 429, _meta_error(130429, "Rate limit hit"), {"Retry-After": str(failure[1])}
        if failure and failure[0] == "refuse":
            return 400, _meta_error(131026, "Message undeliverable"), {}
        if failure and failure[0] == "down":
            return 503, _meta_error(131000, "Something went wrong"), {}
        template = body.get("template") or {}
        if body.get("messaging_product") != "whatsapp" or not template.get("name"):
            return 400, _meta_error(132000, "Number of parameters does not match the expected number of params"), {}
        wamid = f"wamid.HBgM{next(self._ids):010d}"
        with self._lock:
            self.delivered[wamid] = body
        if failure and failure[0] == "timeout":
            time.sleep(failure[1])
        return 200, {"messaging_product": "whatsapp", "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                     "messages": [{"id": wamid}]}, {}


def _meta_error(code: int, message: str, kind: str = "OAuthException") -> dict:
    return {"error": {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf"}}


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
