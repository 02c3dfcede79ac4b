"""Connect the department's YouTube channel (OAuth web flow with PKCE) and keep its token safe."""
import base64
from collections.abc import Mapping
from datetime import datetime, timezone
from typing import Any

import requests
from cryptography.fernet import Fernet, InvalidToken
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from google.oauth2.credentials import Credentials
from google_auth_oauthlib.flow import Flow
from oauthlib.oauth2.rfc6749.errors import OAuth2Error

from trainer.youtube.api import ErrorKind, YouTubeError

SCOPES = ["https://www.googleapis.com/auth/youtube"]
GOOGLE_AUTH_URI = "https://accounts.google.com/o/oauth2/auth"
GOOGLE_TOKEN_URI = "https://oauth2.googleapis.com/token"
TOKEN_TIMEOUT = 30  # seconds for the code exchange

# OAuth errors after which the person has to start connecting again.
_RESTART_ERRORS = frozenset({"access_denied", "invalid_grant", "mismatching_state", "missing_code", "invalid_scope"})
_CIPHER_INFO = b"trainer youtube refresh token"


class TokenUnreadable(Exception):
    """The stored token cannot be decrypted: the secret changed or the text is damaged."""


def client_config(
    client_id: str,
    client_secret: str,
    *,
    auth_uri: str = GOOGLE_AUTH_URI,
    token_uri: str = GOOGLE_TOKEN_URI,
) -> dict[str, dict[str, str]]:
    """Return the "web" client configuration that google_auth_oauthlib expects."""
    return {
        "web": {
            "client_id": client_id,
            "client_secret": client_secret,
            "auth_uri": auth_uri,
            "token_uri": token_uri,
        }
    }


def start_authorization(config: Mapping[str, Any], redirect_uri: str) -> tuple[str, str, str]:
    """Return (authorization_url, state, code_verifier); keep the last two for the callback."""
    flow = Flow.from_client_config(config, SCOPES, redirect_uri=redirect_uri, autogenerate_code_verifier=True)
    url, state = flow.authorization_url(
        access_type="offline",
        # Google returns a refresh token only on consent; forcing it makes reconnecting work.
        prompt="consent",
        include_granted_scopes="true",
    )
    return url, state, flow.code_verifier


def finish_authorization(
    config: Mapping[str, Any],
    redirect_uri: str,
    state: str,
    code_verifier: str,
    authorization_response_url: str,
) -> Credentials:
    """Exchange the code in the callback URL for credentials that carry a refresh token."""
    flow = Flow.from_client_config(
        config,
        SCOPES,
        redirect_uri=redirect_uri,
        state=state,
        code_verifier=code_verifier,
        autogenerate_code_verifier=False,
    )
    try:
        token = flow.fetch_token(authorization_response=authorization_response_url, timeout=TOKEN_TIMEOUT)
    except Warning as scope_changed:
        # oauthlib raises (not warns) when Google reports other scopes than requested, as
        # it does with include_granted_scopes; the token is fine if it has ours.
        token = scope_changed.token
    except Exception as exc:  # requests and oauthlib raise many types; callers see one
        raise _exchange_error(exc) from exc
    finally:
        flow.oauth2session.close()
    return _credentials_from_token(token, config["web"])


def credentials_from_refresh_token(
    refresh_token: str,
    client_id: str,
    client_secret: str,
    token_uri: str = GOOGLE_TOKEN_URI,
) -> Credentials:
    """Return credentials that fetch an access token from the stored refresh token."""
    return Credentials(
        None,
        refresh_token=refresh_token,
        token_uri=token_uri,
        client_id=client_id,
        client_secret=client_secret,
        scopes=SCOPES,
    )


class TokenCipher:
    """Encrypt the refresh token with a Fernet key derived from the application secret."""

    def __init__(self, secret: str) -> None:
        if not secret:
            raise ValueError("a secret is required")
        key = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_CIPHER_INFO).derive(secret.encode())
        self._fernet = Fernet(base64.urlsafe_b64encode(key))

    def encrypt(self, text: str) -> str:
        """Return ``text`` encrypted and authenticated, as URL-safe ASCII."""
        return self._fernet.encrypt(text.encode()).decode("ascii")

    def decrypt(self, token: str) -> str:
        """Return the text encrypted in ``token``; raise TokenUnreadable if it cannot be."""
        try:
            return self._fernet.decrypt(token.encode()).decode()
        except (InvalidToken, UnicodeError) as exc:
            raise TokenUnreadable("the stored token cannot be decrypted with this secret") from exc


def _credentials_from_token(token: Mapping[str, Any], web: Mapping[str, str]) -> Credentials:
    """Return credentials for a token response, refusing one without refresh token or scope."""
    scope = token.get("scope")
    granted = scope.split() if isinstance(scope, str) else list(scope or SCOPES)
    if not set(SCOPES).issubset(granted):
        raise YouTubeError(ErrorKind.TOKEN_REVOKED, "YouTube access was not granted", reason="scope_not_granted")
    if not token.get("access_token") or not token.get("refresh_token"):
        raise YouTubeError(ErrorKind.TOKEN_REVOKED, "Google sent no refresh token", reason="no_refresh_token")
    credentials = Credentials(
        token["access_token"],
        refresh_token=token["refresh_token"],
        token_uri=web["token_uri"],
        client_id=web["client_id"],
        client_secret=web["client_secret"],
        scopes=SCOPES,
        granted_scopes=granted,
    )
    if token.get("expires_at"):
        # google-auth compares expiry with a naive UTC datetime.
        expiry = datetime.fromtimestamp(float(token["expires_at"]), timezone.utc)
        credentials.expiry = expiry.replace(tzinfo=None)
    return credentials


def _exchange_error(exc: Exception) -> YouTubeError:
    """Classify a failed code exchange."""
    if isinstance(exc, requests.RequestException):
        return YouTubeError(ErrorKind.NETWORK, f"token exchange failed: {exc}")
    if isinstance(exc, OAuth2Error):
        kind = ErrorKind.TOKEN_REVOKED if exc.error in _RESTART_ERRORS else ErrorKind.OTHER
        return YouTubeError(kind, f"token exchange refused: {exc}", status=exc.status_code, reason=exc.error)
    return YouTubeError(ErrorKind.OTHER, f"token exchange failed: {type(exc).__name__}: {exc}")
