"""Connecting the YouTube channel: the OAuth web flow with PKCE, and the token cipher."""
import base64
import hashlib
import json
import socket
import threading
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest

from trainer.youtube import oauth
from trainer.youtube.api import ErrorKind, YouTubeError

YOUTUBE_SCOPE = "https://www.googleapis.com/auth/youtube"
REDIRECT_URI = "https://trainer.example.in/youtube/callback"
TOKEN = {"access_token": "ya29.access", "expires_in": 3599, "refresh_token": "1//refresh",
         "scope": YOUTUBE_SCOPE, "token_type": "Bearer"}


class TokenServer:
    """A local OAuth token endpoint that records what it is sent."""

    def __init__(self):
        self.status = 200
        self.body = TOKEN
        self.requests = []
        self._server = HTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self):
        """The token URI."""
        return f"http://127.0.0.1:{self._server.server_port}/token"

    def _handler(self):
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers["Content-Length"])
                form = {key: values[0] for key, values in parse_qs(self.rfile.read(length).decode()).items()}
                server.requests.append({"path": self.path, "form": form,
                                        "authorization": self.headers.get("Authorization")})
                payload = server.body if isinstance(server.body, str) else json.dumps(server.body)
                self.send_response(server.status)
                self.send_header("Content-Type", "application/json")
                self.end_headers()
                self.wfile.write(payload.encode())

            def log_message(self, format, *args):
                pass

        return Handler

    def __enter__(self):
        self._thread.start()
        return self

    def __exit__(self, *exc_info):
        self._server.shutdown()
        self._server.server_close()
        self._thread.join()


@pytest.fixture
def token_server(monkeypatch):
    """A running local token endpoint reachable over plain http."""
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    monkeypatch.delenv("OAUTHLIB_RELAX_TOKEN_SCOPE", raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with TokenServer() as server:
        yield server


def config(token_uri=oauth.GOOGLE_TOKEN_URI):
    """Return a client configuration for a test client."""
    return oauth.client_config("client-id.apps.googleusercontent.com", "client-secret", token_uri=token_uri)


def callback(state, **params):
    """Return the URL Google redirects back to."""
    return REDIRECT_URI + "?" + urlencode({"state": state, **params})


def finish(server, state="state-1", verifier="v" * 64, url=None):
    """Run finish_authorization against the local token server."""
    url = url or callback(state, code="4/0Acode", scope=YOUTUBE_SCOPE)
    return oauth.finish_authorization(config(server.url), REDIRECT_URI, state, verifier, url)


def test_client_config_is_a_web_client():
    assert config("http://127.0.0.1:1/token") == {"web": {
        "client_id": "client-id.apps.googleusercontent.com",
        "client_secret": "client-secret",
        "auth_uri": "https://accounts.google.com/o/oauth2/auth",
        "token_uri": "http://127.0.0.1:1/token",
    }}


def test_start_authorization_asks_google_for_offline_access_with_pkce():
    url, state, verifier = oauth.start_authorization(config(), REDIRECT_URI)

    parts = urlsplit(url)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert (parts.scheme, parts.netloc, parts.path) == ("https", "accounts.google.com", "/o/oauth2/auth")
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).decode().rstrip("=")
    assert query == {
        "response_type": "code",
        "client_id": "client-id.apps.googleusercontent.com",
        "redirect_uri": REDIRECT_URI,
        "scope": YOUTUBE_SCOPE,
        "state": state,
        "code_challenge": challenge,
        "code_challenge_method": "S256",
        "access_type": "offline",
        "prompt": "consent",
        "include_granted_scopes": "true",
    }
    assert 43 <= len(verifier) <= 128
    assert len(state) >= 20


def test_each_authorization_gets_its_own_state_and_verifier():
    _url, state_one, verifier_one = oauth.start_authorization(config(), REDIRECT_URI)
    _url, state_two, verifier_two = oauth.start_authorization(config(), REDIRECT_URI)

    assert state_one != state_two
    assert verifier_one != verifier_two


def test_finish_authorization_exchanges_code_with_verifier_for_refresh_token(token_server):
    credentials = finish(token_server, verifier="x" * 80)

    assert credentials.token == "ya29.access"
    assert credentials.refresh_token == "1//refresh"
    assert credentials.token_uri == token_server.url
    assert credentials.client_id == "client-id.apps.googleusercontent.com"
    assert credentials.client_secret == "client-secret"
    assert credentials.scopes == [YOUTUBE_SCOPE]
    expected_expiry = datetime.now(timezone.utc).replace(tzinfo=None) + timedelta(seconds=3599)
    assert abs(credentials.expiry - expected_expiry) < timedelta(seconds=30)
    [request] = token_server.requests
    assert request["path"] == "/token"
    assert request["form"]["code_verifier"] == "x" * 80
    assert request["form"]["code"] == "4/0Acode"
    assert request["form"]["grant_type"] == "authorization_code"
    assert request["form"]["redirect_uri"] == REDIRECT_URI


def test_extra_previously_granted_scopes_are_accepted(token_server):
    token_server.body = {**TOKEN, "scope": f"openid {YOUTUBE_SCOPE} email"}

    credentials = finish(token_server)

    assert credentials.refresh_token == "1//refresh"
    assert set(credentials.granted_scopes) == {"openid", YOUTUBE_SCOPE, "email"}


def test_token_without_youtube_scope_is_refused(token_server):
    token_server.body = {**TOKEN, "scope": "openid"}

    with pytest.raises(YouTubeError) as caught:
        finish(token_server)

    assert caught.value.kind is ErrorKind.TOKEN_REVOKED
    assert caught.value.reason == "scope_not_granted"


def test_token_without_refresh_token_is_refused(token_server):
    token_server.body = {key: value for key, value in TOKEN.items() if key != "refresh_token"}

    with pytest.raises(YouTubeError) as caught:
        finish(token_server)

    assert caught.value.kind is ErrorKind.TOKEN_REVOKED
    assert caught.value.reason == "no_refresh_token"
    assert caught.value.retryable is False


def test_used_or_expired_code_asks_to_connect_again(token_server):
    token_server.status = 400
    token_server.body = {"error": "invalid_grant", "error_description": "Bad Request"}

    with pytest.raises(YouTubeError) as caught:
        finish(token_server)

    assert caught.value.kind is ErrorKind.TOKEN_REVOKED
    assert caught.value.reason == "invalid_grant"


def test_callback_with_foreign_state_is_refused_without_exchanging(token_server):
    url = callback("someone-elses-state", code="4/0Acode")

    with pytest.raises(YouTubeError) as caught:
        finish(token_server, state="state-1", url=url)

    assert caught.value.kind is ErrorKind.TOKEN_REVOKED
    assert caught.value.reason == "mismatching_state"
    assert token_server.requests == []


def test_denied_consent_asks_to_connect_again(token_server):
    with pytest.raises(YouTubeError) as caught:
        finish(token_server, url=callback("state-1", error="access_denied"))

    assert caught.value.kind is ErrorKind.TOKEN_REVOKED
    assert caught.value.reason == "access_denied"
    assert token_server.requests == []


def test_unreachable_token_endpoint_is_a_network_error(monkeypatch):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]

    with pytest.raises(YouTubeError) as caught:
        oauth.finish_authorization(config(f"http://127.0.0.1:{closed_port}/token"), REDIRECT_URI, "state-1",
                                   "v" * 64, callback("state-1", code="4/0Acode"))

    assert caught.value.kind is ErrorKind.NETWORK
    assert caught.value.retryable is True


def test_plain_http_token_endpoint_is_refused_without_the_testing_switch(token_server, monkeypatch):
    monkeypatch.delenv("OAUTHLIB_INSECURE_TRANSPORT")

    with pytest.raises(YouTubeError) as caught:
        finish(token_server)

    assert caught.value.reason == "insecure_transport"
    assert token_server.requests == []


def test_credentials_from_refresh_token_refresh_against_token_uri():
    credentials = oauth.credentials_from_refresh_token("1//refresh", "client", "secret",
                                                       token_uri="http://127.0.0.1:1/token")

    assert credentials.token is None
    assert credentials.refresh_token == "1//refresh"
    assert (credentials.client_id, credentials.client_secret) == ("client", "secret")
    assert credentials.token_uri == "http://127.0.0.1:1/token"
    assert credentials.scopes == oauth.SCOPES


def test_token_cipher_round_trip_hides_the_plaintext():
    cipher = oauth.TokenCipher("app-secret-key")
    plaintext = "1//0gRefreshTokenपंचायत"

    encrypted = cipher.encrypt(plaintext)

    assert plaintext not in encrypted
    assert "RefreshToken" not in encrypted
    assert encrypted.isascii()
    assert cipher.decrypt(encrypted) == plaintext
    assert oauth.TokenCipher("app-secret-key").decrypt(encrypted) == plaintext
    assert cipher.encrypt(plaintext) != encrypted


def test_token_cipher_with_another_secret_cannot_read_the_token():
    encrypted = oauth.TokenCipher("old-secret").encrypt("1//refresh")

    with pytest.raises(oauth.TokenUnreadable):
        oauth.TokenCipher("new-secret").decrypt(encrypted)


@pytest.mark.parametrize("damaged", ["", "not a token", "gAAAAAB" + "A" * 80])
def test_token_cipher_refuses_damaged_text(damaged):
    with pytest.raises(oauth.TokenUnreadable):
        oauth.TokenCipher("app-secret-key").decrypt(damaged)


def test_token_cipher_needs_a_secret():
    with pytest.raises(ValueError):
        oauth.TokenCipher("")
