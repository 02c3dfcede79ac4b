"""Configuration read from the environment."""
import os
import secrets
from pathlib import Path


def normalise_database_url(url: str) -> str:
    """Return a SQLAlchemy URL that uses psycopg 3 for PostgreSQL."""
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url


def instance_secret_key(instance_path: str) -> str:
    """Return the secret key kept in the instance folder, creating it once."""
    path = Path(instance_path) / "secret_key"
    if not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        # O_EXCL: two processes starting together must not each write a different key.
        try:
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "w") as f:
                f.write(secrets.token_hex(32))
    return path.read_text().strip()


def check_instance_key_allowed(database_url: str) -> None:
    """Refuse the instance folder's key for a server database: every app server must share one SECRET_KEY."""
    if database_url.startswith("sqlite"):
        return
    # Sessions, forms, the phones' GP cookies, GP access codes (stored as keyed hashes) and the YouTube token
    # all depend on the key: app servers with keys of their own would each refuse what the others made.
    raise RuntimeError(
        "SECRET_KEY is not set. With a server database (DATABASE_URL) every app server must share one "
        "SECRET_KEY, kept with the database's settings; generate one with "
        "`python3 -c 'import secrets; print(secrets.token_hex(32))'` and set it in the environment "
        "of every app server and of `flask` commands (docs/DEPLOY.md).")


class Config:
    """Settings for a running Trainer; every one can come from the environment."""

    SECRET_KEY = os.environ.get("SECRET_KEY")
    SQLALCHEMY_DATABASE_URI = os.environ.get("DATABASE_URL")
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    REDIS_URL = os.environ.get("REDIS_URL")
    # The job queue's storage (trainer.jobs): sqlite:///FILE, redis://…, postgresql://…, or "immediate" (tasks run
    # where they are enqueued). Unset: REDIS_URL when set, else instance/jobs.db.
    JOBS_URL = os.environ.get("JOBS_URL")
    RATELIMIT_STORAGE_URI = os.environ.get("RATELIMIT_STORAGE_URI") or REDIS_URL or "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # If Redis stops answering, each app server counts limits in its own memory, logs a warning, and goes back to
    # Redis when it answers again; short timeouts keep an unreachable Redis from holding every request up.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    LOGIN_RATE_LIMIT = os.environ.get("LOGIN_RATE_LIMIT", "10 per minute")
    # Argon2 parameters for passwords: RFC 9106's low-memory profile (64 MiB, 3 passes).
    ARGON2_PROFILE = "RFC_9106_LOW_MEMORY"
    # Wrong GP access codes allowed, per gram panchayat and per address, before marking is refused a while.
    # (trainer.attendance.limits says why three.)
    ACCESS_CODE_LIMIT_PER_ADDRESS_AND_GP = os.environ.get("ACCESS_CODE_LIMIT_PER_ADDRESS_AND_GP", "5 per 5 minutes")
    ACCESS_CODE_LIMIT_PER_GP = os.environ.get("ACCESS_CODE_LIMIT_PER_GP", "30 per 15 minutes")
    ACCESS_CODE_LIMIT_PER_ADDRESS = os.environ.get("ACCESS_CODE_LIMIT_PER_ADDRESS", "20 per 15 minutes")
    # Wrong session codes typed at /a, per address.
    SESSION_CODE_LIMIT_PER_ADDRESS = os.environ.get("SESSION_CODE_LIMIT_PER_ADDRESS", "20 per minute")
    # Wrong application codes typed at /apply/status, per address; the largest PDF an applicant may attach.
    APPLICATION_CODE_LIMIT_PER_ADDRESS = os.environ.get("APPLICATION_CODE_LIMIT_PER_ADDRESS", "10 per 15 minutes")
    APPLICATION_DOCUMENT_MAX_BYTES = int(os.environ.get("APPLICATION_DOCUMENT_MAX_BYTES", 5 * 1024 * 1024))
    # Partners' quarterly updates are due this many days after the quarter ends; wrong plan codes allowed per address.
    PLAN_UPDATE_DUE_DAYS = int(os.environ.get("PLAN_UPDATE_DUE_DAYS", "15"))
    PLAN_CODE_LIMIT_PER_ADDRESS = os.environ.get("PLAN_CODE_LIMIT_PER_ADDRESS", "10 per 15 minutes")
    # Questions to a session's experts: how many one gram panchayat may ask at a session, and how fast (counted for
    # the GP from every phone and app server, as the access codes are).
    QUESTIONS_PER_GP_PER_SESSION = int(os.environ.get("QUESTIONS_PER_GP_PER_SESSION", "5"))
    QUESTION_LIMIT_PER_GP = os.environ.get("QUESTION_LIMIT_PER_GP", "10 per 10 minutes")
    # How long a phone remembers its gram panchayat, and how long an opened attendance form may be sent.
    GP_COOKIE_DAYS = 400
    ATTENDANCE_FORM_MINUTES = 30
    # How late a mark saved on a phone without network may arrive and still count at the moment it was made.
    ATTENDANCE_OFFLINE_GRACE_MINUTES = int(os.environ.get("ATTENDANCE_OFFLINE_GRACE_MINUTES", "120"))

    BABEL_DEFAULT_LOCALE = "hi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Kolkata"
    LANGUAGES = ("hi", "en")

    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = os.environ.get("SESSION_COOKIE_SECURE", "0") == "1"
    # How many proxies in front of the app servers (nginx: 1) set X-Forwarded-For, -Proto, -Host and -Port.
    # 0 trusts none of these headers: a client could otherwise choose its own address and scheme.
    TRUSTED_PROXIES = int(os.environ.get("TRUSTED_PROXIES", "0"))
    # The site's address (https://trainer.example.gov.in) for absolute links: feeds, session pages, QR codes. Unset,
    # links follow the request's host, as in development.
    PUBLIC_BASE_URL = os.environ.get("PUBLIC_BASE_URL", "")
    # How long shared caches may keep a public page seen by a signed-out visitor (staff pages: never).
    PUBLIC_PAGE_MAX_AGE = int(os.environ.get("PUBLIC_PAGE_MAX_AGE", "60"))
    REMEMBER_COOKIE_SECURE = SESSION_COOKIE_SECURE
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_DURATION = 30 * 24 * 3600  # "remember me" lasts a month, not Flask-Login's year
    # A sign-in without "remember me" ends on the server this many hours after it began (its cookie ends with the
    # browser, but a copy of it would not); one with it, after REMEMBER_COOKIE_DURATION.
    LOGIN_HOURS = int(os.environ.get("LOGIN_HOURS", "12"))
    # Strict-Transport-Security max-age, sent when the site is served over HTTPS (0: never sent).
    HSTS_SECONDS = int(os.environ.get("HSTS_SECONDS", 365 * 24 * 3600))
    MAX_CONTENT_LENGTH = int(os.environ.get("MAX_CONTENT_LENGTH", 16 * 1024 * 1024))
    WTF_CSRF_TIME_LIMIT = None  # a form left open through a long session must still submit

    REGIONS_PAGE_SIZE = 100

    # YouTube Live: the department's OAuth client (a "web application" client in Google Cloud, with
    # <site>/youtube/callback as redirect URI). The endpoints can point at a local stand-in of Google.
    YOUTUBE_CLIENT_ID = os.environ.get("YOUTUBE_CLIENT_ID", "")
    YOUTUBE_CLIENT_SECRET = os.environ.get("YOUTUBE_CLIENT_SECRET", "")
    YOUTUBE_API_ENDPOINT = os.environ.get("YOUTUBE_API_ENDPOINT") or None
    YOUTUBE_AUTH_URI = os.environ.get("YOUTUBE_AUTH_URI", "https://accounts.google.com/o/oauth2/auth")
    YOUTUBE_TOKEN_URI = os.environ.get("YOUTUBE_TOKEN_URI", "https://oauth2.googleapis.com/token")
    # How long a worker holds a session while it works on its broadcast; a dead worker's hold lapses after it.
    YOUTUBE_LEASE_SECONDS = int(os.environ.get("YOUTUBE_LEASE_SECONDS", 300))

    # Messages (trainer.messaging; docs/DEPLOY.md, "Messages"). A channel is sent through once its provider is set.
    MESSAGE_TEMPLATES_FILE = os.environ.get("MESSAGE_TEMPLATES_FILE", "")  # the operator's registered templates
    SMS_GATEWAY_URL = os.environ.get("SMS_GATEWAY_URL", "")
    SMS_GATEWAY_USERNAME = os.environ.get("SMS_GATEWAY_USERNAME", "")
    SMS_GATEWAY_API_KEY = os.environ.get("SMS_GATEWAY_API_KEY", "")
    SMS_DLT_ENTITY_ID = os.environ.get("SMS_DLT_ENTITY_ID", "")  # the department's DLT principal entity ID
    SMS_WEBHOOK_SECRET = os.environ.get("SMS_WEBHOOK_SECRET", "")  # signs the gateway's receipts and received SMS
    SMS_KEYWORD = os.environ.get("SMS_KEYWORD", "TRN")  # "TRN <session code> <GP code> <access code> <count>"
    WHATSAPP_API_URL = os.environ.get("WHATSAPP_API_URL", "")  # https://graph.facebook.com
    WHATSAPP_API_VERSION = os.environ.get("WHATSAPP_API_VERSION", "v21.0")
    WHATSAPP_PHONE_NUMBER_ID = os.environ.get("WHATSAPP_PHONE_NUMBER_ID", "")
    WHATSAPP_ACCESS_TOKEN = os.environ.get("WHATSAPP_ACCESS_TOKEN", "")
    WHATSAPP_APP_SECRET = os.environ.get("WHATSAPP_APP_SECRET", "")  # signs the Cloud API's webhooks
    WHATSAPP_VERIFY_TOKEN = os.environ.get("WHATSAPP_VERIFY_TOKEN", "")  # answers the webhook's subscription check
    SMTP_HOST = os.environ.get("SMTP_HOST", "")
    SMTP_PORT = int(os.environ.get("SMTP_PORT", "25"))
    SMTP_USERNAME = os.environ.get("SMTP_USERNAME", "")
    SMTP_PASSWORD = os.environ.get("SMTP_PASSWORD", "")
    SMTP_SECURITY = os.environ.get("SMTP_SECURITY", "")  # "", "starttls" or "ssl"
    MAIL_FROM = os.environ.get("MAIL_FROM", "Trainer <trainer@localhost>")
    MESSAGE_PROVIDER_TIMEOUT = float(os.environ.get("MESSAGE_PROVIDER_TIMEOUT", "10"))
    # Each channel's pace (a rate-limit string; counted in the shared rate-limit storage) and daily cap (0: none).
    # WhatsApp's business-initiated conversations start at 1,000 recipients a day; the operator raises the tier.
    MESSAGE_RATE_WHATSAPP = os.environ.get("MESSAGE_RATE_WHATSAPP", "80 per second")
    MESSAGE_RATE_SMS = os.environ.get("MESSAGE_RATE_SMS", "100 per second")
    MESSAGE_RATE_EMAIL = os.environ.get("MESSAGE_RATE_EMAIL", "10 per second")
    MESSAGE_DAILY_CAP_WHATSAPP = int(os.environ.get("MESSAGE_DAILY_CAP_WHATSAPP", "1000"))
    MESSAGE_DAILY_CAP_SMS = int(os.environ.get("MESSAGE_DAILY_CAP_SMS", "0"))
    MESSAGE_DAILY_CAP_EMAIL = int(os.environ.get("MESSAGE_DAILY_CAP_EMAIL", "0"))
    MESSAGE_LEASE_SECONDS = int(os.environ.get("MESSAGE_LEASE_SECONDS", "120"))  # a stopped sender's hold lapses
    MESSAGE_RETRY_SECONDS = int(os.environ.get("MESSAGE_RETRY_SECONDS", "30"))  # doubled on each failure
    MESSAGE_RETRY_MAX_SECONDS = int(os.environ.get("MESSAGE_RETRY_MAX_SECONDS", "3600"))
    MESSAGE_MAX_ATTEMPTS = int(os.environ.get("MESSAGE_MAX_ATTEMPTS", "6"))
    MESSAGE_SENDERS = int(os.environ.get("MESSAGE_SENDERS", "2"))  # sender tasks started for new messages
    MESSAGE_SENDER_SECONDS = int(os.environ.get("MESSAGE_SENDER_SECONDS", "50"))  # then it hands on
    REMINDER_DAY_BEFORE_AT = os.environ.get("REMINDER_DAY_BEFORE_AT", "17:00")  # local time, the day before
    REMINDER_STARTING_MINUTES = int(os.environ.get("REMINDER_STARTING_MINUTES", "15"))
    FEEDBACK_REMINDER_HOURS = int(os.environ.get("FEEDBACK_REMINDER_HOURS", "2"))
    MESSAGES_PAGE_SIZE = 100

    # Certificates (trainer.certificates; docs/CERTIFICATES.md). The Ed25519 key that signs their QR codes: a PEM, or
    # the base64 of its 32-byte seed (`flask certificates new-key`). Unset, a Trainer on SQLite keeps one in its
    # instance folder; with a server database it must be set, the same for every app server and worker.
    CERTIFICATE_SIGNING_KEY = os.environ.get("CERTIFICATE_SIGNING_KEY", "")
    # Earlier keys' public halves (PEM or base64, comma-separated): the certificates they signed still verify.
    CERTIFICATE_RETIRED_PUBLIC_KEYS = os.environ.get("CERTIFICATE_RETIRED_PUBLIC_KEYS", "")
    # How often one address may ask the public verify page (a QR scanned, a serial typed).
    CERTIFICATE_VERIFY_LIMIT = os.environ.get("CERTIFICATE_VERIFY_LIMIT", "30 per minute")
    CERTIFICATES_PAGE_SIZE = 100


class TestConfig(Config):
    """Settings for the test suite: a database of its own, no rate limit surprises."""

    TESTING = True
    SECRET_KEY = "test-secret-key"
    SQLALCHEMY_DATABASE_URI = os.environ.get("TEST_DATABASE_URL", "sqlite://")
    RATELIMIT_STORAGE_URI = "memory://"
    JOBS_URL = "immediate"  # tasks run in the request; tests of the real workers set a queue of their own
    WTF_CSRF_ENABLED = False
    ARGON2_PROFILE = "CHEAPEST"  # the suite hashes many passwords; it tests behaviour, not strength
    SERVER_NAME = None
    # A fixed certificate key (its seed is 32 bytes of 0x01), so that tests can sign and check codes themselves.
    CERTIFICATE_SIGNING_KEY = "AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE="
