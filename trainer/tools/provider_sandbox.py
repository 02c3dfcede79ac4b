"""Local stand-ins for the providers Trainer sends through, speaking their protocols over real sockets: the tests'
providers, and `flask sandbox`, which `make run` starts when no provider is configured so that messages are
"delivered" on this machine.

- SmsGatewayStandIn: an Indian bulk-SMS HTTP gateway (form POST with the DLT fields, JSON answers), which keeps
  one message per client reference, and posts signed delivery reports to Trainer's webhook when told where;
- WhatsAppStandIn: the WhatsApp Business Cloud API's /{version}/{phone-number-id}/messages, with Bearer tokens,
  its error shapes, and signed status webhooks (delivered, then read) when told where.

Each records what it received, and can be told to answer the next requests with a failure: throttling (429 with
Retry-After), a permanent refusal, a timeout (it answers only after the client gave up), a provider that is
down. `delivered` holds what would have reached a phone: a repeat never reaches it twice. Nothing here is part
of a request of the app: it stands where the operators' servers stand.
"""
import hashlib
import hmac
import itertools
import json
import threading
import time
from html import escape
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

import click
import requests
from flask import current_app
from flask.cli import with_appcontext

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

    def __init__(self, port: int = 0) -> None:
        self.requests: list[dict] = []
        self.failures: list[tuple] = []  # the next requests' answers: ("throttle", s) ("refuse",) ("timeout", s) ("down",)
        self.delay = 0.0  # seconds before each answer
        self.delivered: dict[str, dict] = {}  # reference or message id -> what reached the phone
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", port), self._handler())
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

            def do_GET(self):
                status, page = standin.page(self.path)
                self._send(status, page.encode(), {"Content-Type": "text/html; charset=utf-8"})

            def do_POST(self):
                raw = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status, payload, headers = standin.answer(self.path, dict(self.headers), raw)
                if isinstance(payload, str):  # a page's form: send the browser back to the page
                    self._send(303, b"", {"Location": payload})
                    return
                self._send(status, json.dumps(payload).encode(), {**headers, "Content-Type": "application/json"})

            def _send(self, status, body, headers):
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
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

    def page(self, path) -> tuple[int, str]:
        return 404, "<!doctype html><title>Not found</title>"


class SmsGatewayStandIn(_HttpStandIn):
    """POST /send with the gateway's form; a repeated reference is answered with its first message id."""

    def __init__(self, api_key: str = "sms-api-key", receipt_url: str | None = None, duplicate_receipts: bool = False,
                 secret: str = SMS_SECRET, port: int = 0):
        super().__init__(port)
        self.api_key, self.receipt_url, self.duplicate_receipts = api_key, receipt_url, duplicate_receipts
        self.secret = secret
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
                requests.post(self.receipt_url, data=body, headers=sms_signature(body, self.secret), timeout=5)
            except requests.RequestException:
                pass


class WhatsAppStandIn(_HttpStandIn):
    """POST /{version}/{phone-number-id}/messages, as the Cloud API."""

    def __init__(self, phone_number_id: str = "1234567890", token: str = WHATSAPP_TOKEN,
                 status_url: str | None = None, secret: str = WHATSAPP_SECRET, port: int = 0):
        super().__init__(port)
        self.phone_number_id, self.token, self.status_url, self.secret = phone_number_id, token, status_url, secret

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
        if self.status_url:
            threading.Thread(target=self._post_statuses, args=(wamid,), daemon=True).start()
        return 200, {"messaging_product": "whatsapp", "contacts": [{"input": body.get("to"), "wa_id": body.get("to")}],
                     "messages": [{"id": wamid}]}, {}


    def _post_statuses(self, wamid: str) -> None:
        for status, wait in (("delivered", 1.0), ("read", 4.0)):
            time.sleep(wait)
            body = whatsapp_status(wamid, status, int(time.time()))
            try:
                requests.post(self.status_url, data=body, headers=whatsapp_signature(body, self.secret), timeout=5)
            except requests.RequestException:
                pass


def _meta_error(code: int, message: str, kind: str = "OAuthException") -> dict:
    return {"error": {"message": message, "type": kind, "code": code, "fbtrace_id": "AbCdEf"}}




# `flask sandbox`: both providers on this machine, and a page of what reached the phones

SANDBOX_SMS_PORT, SANDBOX_WHATSAPP_PORT = 5025, 5026
PAGE = """<!doctype html><html lang="hi"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Sandbox phones</title>
<style>body{{font-family:"Noto Sans Devanagari","Noto Sans",sans-serif;max-width:46rem;margin:1rem auto;padding:0 1rem}}
li{{margin:.5rem 0;padding:.5rem;border:1px solid #ccc;border-radius:.4rem}} small{{color:#555}}
input{{font-size:1rem;padding:.3rem}}</style></head><body>
<h1>Sandbox: what reached the phones</h1>
<p>Trainer's SMS gateway and WhatsApp Cloud API are stand-ins on this machine ({sms_url}, {whatsapp_url}):
each message is "delivered" here and its receipt posted back to Trainer. Nothing leaves this machine.</p>
<form method="post" action="/inbound-form"><h2>Send an SMS to the department's number</h2>
<p><label>From <input name="from" value="9000000001" size="12"></label>
<label>Text <input name="text" value="TRN " size="40"></label> <button>Send</button></p>
<p><small>Mark attendance: TRN &lt;session code&gt; &lt;GP code&gt; &lt;access code&gt; &lt;participants&gt;;
or STOP.</small></p>{answer}</form>
<h2>Messages ({count})</h2><ol reversed>{items}</ol></body></html>"""


class Sandbox(SmsGatewayStandIn):
    """The SMS gateway, the page of the phones and its form, beside a WhatsApp stand-in; for `make run`."""

    def __init__(self, app_url: str, sms_secret: str, whatsapp_secret: str, api_key: str, token: str,
                 phone_number_id: str, sms_port: int = SANDBOX_SMS_PORT,
                 whatsapp_port: int = SANDBOX_WHATSAPP_PORT) -> None:
        super().__init__(api_key=api_key, receipt_url=app_url + "/hooks/sms/receipts", secret=sms_secret,
                         port=sms_port)
        self.app_url, self.last_answer = app_url, ""
        self.whatsapp = WhatsAppStandIn(phone_number_id, token, app_url + "/hooks/whatsapp", whatsapp_secret,
                                        port=whatsapp_port)
        self._inbound = itertools.count(1)

    def __enter__(self):
        self.whatsapp.__enter__()
        return super().__enter__()

    def __exit__(self, *exc_info) -> None:
        self.whatsapp.__exit__(*exc_info)
        super().__exit__(*exc_info)

    def answer(self, path, headers, raw):
        if path != "/inbound-form":
            return super().answer(path, headers, raw)
        form = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
        body = sms_inbound(f"sandbox-{time.time_ns()}-{next(self._inbound)}", form.get("from", ""),
                           form.get("text", ""))
        try:
            reply = requests.post(self.app_url + "/hooks/sms/inbound", data=body,
                                  headers=sms_signature(body, self.secret), timeout=10)
            self.last_answer = f"Trainer answered {reply.status_code}: {reply.text.strip()}"
        except requests.RequestException as error:
            self.last_answer = f"Trainer did not answer: {error.__class__.__name__}"
        return 303, "/", {}

    def page(self, path) -> tuple[int, str]:
        if path not in ("/", ""):
            return 404, "<!doctype html><title>Not found</title>"
        items = [(item.get("message_id", ""), "SMS", item.get("mobile", ""), item.get("message", ""))
                 for item in self.delivered.values()]
        items += [(wamid, "WhatsApp", body.get("to", ""), " · ".join(
            p.get("text", "") for p in body["template"]["components"][0]["parameters"]) + f" ({body['template']['name']})")
            for wamid, body in self.whatsapp.delivered.items()]
        rows = "".join(f"<li><small>{escape(channel)} → {escape(to)}</small><br>{escape(text)}</li>"
                       for _id, channel, to, text in reversed(items[-200:]))
        answer = f"<p><strong>{escape(self.last_answer)}</strong></p>" if self.last_answer else ""
        return 200, PAGE.format(sms_url=escape(self.send_url), whatsapp_url=escape(self.whatsapp.url),
                                answer=answer, count=len(items), items=rows)


@click.command("sandbox")
@click.option("--app-url", default="http://127.0.0.1:5000", show_default=True,
              help="Where Trainer's webhooks are (/hooks/…).")
@with_appcontext
def sandbox_command(app_url: str) -> None:
    """Stand in for the SMS gateway (port 5025) and the WhatsApp Cloud API (5026) on this machine, with a page of
    what reached the phones at http://127.0.0.1:5025/; point SMS_GATEWAY_URL and WHATSAPP_API_URL at them."""
    config = current_app.config
    with Sandbox(app_url, config["SMS_WEBHOOK_SECRET"], config["WHATSAPP_APP_SECRET"],
                 config["SMS_GATEWAY_API_KEY"], config["WHATSAPP_ACCESS_TOKEN"],
                 config["WHATSAPP_PHONE_NUMBER_ID"]) as sandbox:
        click.echo(f"sandbox providers: SMS {sandbox.send_url}, WhatsApp {sandbox.whatsapp.url}; "
                   f"the phones: {sandbox.url}/", err=True)
        try:
            while True:
                time.sleep(3600)
        except KeyboardInterrupt:
            pass
