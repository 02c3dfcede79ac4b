"""SMS through an HTTP bulk-SMS gateway, with India's DLT fields.

The gateway takes a form POST at SMS_GATEWAY_URL, authenticated by SMS_GATEWAY_USERNAME and SMS_GATEWAY_API_KEY:

    username, apikey, sender (the 6-letter DLT header), mobile (91XXXXXXXXXX), message, unicode (1|0),
    entity_id (the department's DLT principal entity ID), template_id (the text's DLT template ID),
    reference (Trainer's own: the gateway keeps one message per reference and answers a repeat with it)

and answers JSON: 200 {"status": "accepted", "message_id": "…"}; 4xx {"status": "error", "code": "…",
"message": "…"} for a message refused for good; 429 (Retry-After) when throttled; 5xx when down. Delivery
reports and received SMS come back by webhook (trainer.messaging.hooks), signed with SMS_WEBHOOK_SECRET.
"""
import requests

from trainer.messaging.providers import Accepted, Outgoing, Provider, Refused, Retry, Unsure


class SmsGateway(Provider):
    channel = "sms"
    repeats_are_dropped = True  # the gateway keeps one message per reference

    def __init__(self, url: str, username: str, api_key: str, entity_id: str, timeout: float) -> None:
        self.url, self.username, self.api_key, self.entity_id, self.timeout = url, username, api_key, entity_id, timeout
        self.http = requests.Session()

    def send(self, outgoing: Outgoing):
        form = {"username": self.username, "apikey": self.api_key,
                "sender": outgoing.registration.get("sender_id", ""), "mobile": "91" + outgoing.address,
                "message": outgoing.text, "unicode": "1" if outgoing.unicode else "0",
                "entity_id": self.entity_id, "template_id": outgoing.registration.get("dlt_template_id", ""),
                "reference": outgoing.reference}
        try:
            response = self.http.post(self.url, data=form, timeout=self.timeout)
        except requests.ConnectionError as error:
            if isinstance(error, requests.ConnectTimeout) or "Connection refused" in str(error):
                return Retry(f"gateway unreachable: {error.__class__.__name__}")
            return Retry(f"connection lost: {error.__class__.__name__}")  # a repeat of the reference is dropped
        except requests.Timeout:
            return Retry("no answer in time")  # the same reference again cannot deliver it twice
        return _outcome(response)


def _outcome(response):
    if response.status_code == 429 or response.status_code >= 500:
        return Retry(f"gateway answered HTTP {response.status_code}", _retry_after(response))
    try:
        body = response.json()
    except ValueError:
        return Retry(f"gateway answered HTTP {response.status_code} without JSON")
    if response.status_code == 200 and body.get("status") == "accepted" and body.get("message_id"):
        return Accepted(str(body["message_id"]))
    if 400 <= response.status_code < 500:
        return Refused(f"{body.get('code', response.status_code)}: {body.get('message', '')}"[:500])
    return Unsure(f"gateway answered HTTP {response.status_code}: {str(body)[:200]}")


def _retry_after(response) -> float | None:
    try:
        return max(0.0, float(response.headers.get("Retry-After", "")))
    except ValueError:
        return None


def from_config(config):
    if not config.get("SMS_GATEWAY_URL"):
        return None
    return SmsGateway(config["SMS_GATEWAY_URL"], config.get("SMS_GATEWAY_USERNAME", ""),
                      config.get("SMS_GATEWAY_API_KEY", ""), config.get("SMS_DLT_ENTITY_ID", ""),
                      config.get("MESSAGE_PROVIDER_TIMEOUT", 10))
