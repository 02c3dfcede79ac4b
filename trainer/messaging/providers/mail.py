"""E-mail over SMTP (STARTTLS or SSL when configured), one connection per message, a Message-ID of Trainer's own."""
import smtplib
import socket
from email.message import EmailMessage
from email.utils import formatdate

from trainer.messaging.providers import Accepted, Outgoing, Provider, Refused, Retry, Unsure


class Smtp(Provider):
    channel = "email"

    def __init__(self, host, port, username, password, security, sender, timeout) -> None:
        self.host, self.port, self.username, self.password = host, port, username, password
        self.security, self.sender, self.timeout = security, sender, timeout

    def send(self, outgoing: Outgoing):
        message = EmailMessage()
        message["From"] = self.sender
        message["To"] = outgoing.address
        message["Subject"] = outgoing.subject
        message["Date"] = formatdate(localtime=False)
        domain = self.sender.rsplit("@", 1)[-1].strip("> ") or "trainer.local"
        message_id = f"<{outgoing.reference}@{domain}>"
        message["Message-ID"] = message_id
        message.set_content(outgoing.text)
        connect = smtplib.SMTP_SSL if self.security == "ssl" else smtplib.SMTP
        try:
            connection = connect(self.host, self.port, timeout=self.timeout)
        except (OSError, smtplib.SMTPException) as error:
            return Retry(f"SMTP server unreachable: {error.__class__.__name__}")
        try:
            with connection:
                if self.security == "starttls":
                    connection.starttls()
                if self.username:
                    connection.login(self.username, self.password)
                refused = connection.send_message(message)
        except smtplib.SMTPRecipientsRefused as error:
            return _by_code(next(iter(error.recipients.values()))[0], str(error.recipients))
        except smtplib.SMTPResponseException as error:
            return _by_code(error.smtp_code, error.smtp_error.decode(errors="replace"))
        except (socket.timeout, TimeoutError) as error:
            return Unsure(f"SMTP server stopped answering: {error.__class__.__name__}")
        except (OSError, smtplib.SMTPException) as error:
            return Unsure(f"SMTP connection lost: {error.__class__.__name__}")
        if refused:
            code, text = next(iter(refused.values()))
            return _by_code(code, text.decode(errors="replace"))
        return Accepted(message_id)


def _by_code(code: int, text: str):
    if 400 <= code < 500:
        return Retry(f"{code} {text}"[:500])
    return Refused(f"{code} {text}"[:500])


def from_config(config):
    if not config.get("SMTP_HOST"):
        return None
    return Smtp(config["SMTP_HOST"], int(config.get("SMTP_PORT", 25)), config.get("SMTP_USERNAME", ""),
                config.get("SMTP_PASSWORD", ""), config.get("SMTP_SECURITY", ""),
                config.get("MAIL_FROM", "Trainer <trainer@localhost>"), config.get("MESSAGE_PROVIDER_TIMEOUT", 10))
