"""WhatsApp through the WhatsApp Business Cloud API: approved templates sent from the department's number.

POST {WHATSAPP_API_URL}/{WHATSAPP_API_VERSION}/{WHATSAPP_PHONE_NUMBER_ID}/messages with the access token as
Bearer, a template message (its approved name and language, the body's parameters in order). The answer's
messages[0].id is the "wamid" that status webhooks name. The Cloud API keeps no idempotency key: a request that
timed out may have been sent, so it is reported Unsure and never sent again by itself.
"""
import requests

from trainer.messaging.providers import Accepted, Outgoing, Provider, Refused, Retry, Unsure

# Cloud API error codes that mean "later", not "never": throughput and rate limits, a temporary outage.
TEMPORARY_CODES = {4, 80007, 130429, 131016, 131048, 131056, 133004}


class WhatsAppCloud(Provider):
    channel = "whatsapp"

    def __init__(self, base_url: str, version: str, phone_number_id: str, token: str, timeout: float) -> None:
        self.url = f"{base_url.rstrip('/')}/{version}/{phone_number_id}/messages"
        self.token, self.timeout = token, timeout
        self.http = requests.Session()

    def send(self, outgoing: Outgoing):
        body = {"messaging_product": "whatsapp", "recipient_type": "individual", "to": "91" + outgoing.address,
                "type": "template",
                "template": {"name": outgoing.registration.get("whatsapp_name", ""),
                             "language": {"code": outgoing.registration.get("whatsapp_language", outgoing.language)},
                             "components": [{"type": "body", "parameters": [
                                 {"type": "text", "text": value} for value in outgoing.parameters]}]},
                "biz_opaque_callback_data": outgoing.reference}
        try:
            response = self.http.post(self.url, json=body, timeout=self.timeout,
                                      headers={"Authorization": f"Bearer {self.token}"})
        except requests.ConnectTimeout:
            return Retry("Cloud API unreachable")
        except requests.ConnectionError as error:
            if "Connection refused" in str(error):
                return Retry("Cloud API unreachable")
            return Unsure(f"connection lost after sending: {error.__class__.__name__}")
        except requests.Timeout:
            return Unsure("no answer in time: the message may have been sent")
        return _outcome(response)


def _outcome(response):
    try:
        body = response.json()
    except ValueError:
        body = {}
    if response.status_code == 200 and body.get("messages"):
        return Accepted(str(body["messages"][0]["id"]))
    error = body.get("error") or {}
    text = f"{error.get('code', response.status_code)}: {error.get('message', '')}"[:500]
    if response.status_code == 429 or response.status_code >= 500 or error.get("code") in TEMPORARY_CODES:
        try:
            after = float(response.headers.get("Retry-After", ""))
        except ValueError:
            after = None
        return Retry(text, after)
    if 400 <= response.status_code < 500:
        return Refused(text)
    return Unsure(text)


def from_config(config):
    if not (config.get("WHATSAPP_API_URL") and config.get("WHATSAPP_PHONE_NUMBER_ID")):
        return None
    return WhatsAppCloud(config["WHATSAPP_API_URL"], config.get("WHATSAPP_API_VERSION", "v21.0"),
                         config["WHATSAPP_PHONE_NUMBER_ID"], config.get("WHATSAPP_ACCESS_TOKEN", ""),
                         config.get("MESSAGE_PROVIDER_TIMEOUT", 10))
