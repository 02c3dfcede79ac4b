"""The YouTube Data API wrapper, against googleapiclient's own HTTP mocks (no network)."""
import json
import socket
from datetime import datetime, timedelta, timezone
from urllib.parse import parse_qs, urlsplit
from zoneinfo import ZoneInfo

import google_auth_httplib2
import httplib2
import pytest
from google.oauth2.credentials import Credentials
from googleapiclient import http as googleapiclient_http
from googleapiclient.errors import HttpError
from googleapiclient.http import HttpMockSequence

from trainer.youtube import api
from trainer.youtube.api import ErrorKind, YouTubeError

IST = ZoneInfo("Asia/Kolkata")
MARKER = "trainer-session:3f2a9c"
DEFAULT_BASE = "https://youtube.googleapis.com/youtube/v3/"


class RecordingHttp(HttpMockSequence):
    """HttpMockSequence that also raises exceptions placed in its sequence."""

    def request(self, uri, method="GET", body=None, headers=None, **kwargs):
        if self._iterable and isinstance(self._iterable[0], BaseException):
            self.request_sequence.append((uri, method, body, headers))
            raise self._iterable.pop(0)
        return super().request(uri, method, body, headers, **kwargs)


@pytest.fixture(autouse=True)
def no_backoff(monkeypatch):
    """Record the library's retry sleeps instead of sleeping."""
    sleeps = []
    monkeypatch.setattr(googleapiclient_http.time, "sleep", sleeps.append)
    return sleeps


def ok(body=None, status=200):
    """Return a mock response with a JSON body."""
    return ({"status": str(status)}, json.dumps(body) if body is not None else "")


def error(status, reason, message="Error", domain="youtube.liveBroadcast"):
    """Return a mock error response shaped like YouTube's."""
    body = {"error": {"code": status, "message": message,
                      "errors": [{"message": message, "domain": domain, "reason": reason}]}}
    return ({"status": str(status)}, json.dumps(body))


def youtube(*responses, endpoint=None):
    """Return a service over a recording mock, and the mock."""
    http = RecordingHttp(list(responses))
    return api.build_service(None, http=http, endpoint=endpoint), http


def sent(http, index):
    """Return (method, path, query, json_body) of the index-th request."""
    uri, method, body, _headers = http.request_sequence[index]
    parts = urlsplit(uri)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    return method, parts.path, query, json.loads(body) if body else None


def details(**overrides):
    """Return BroadcastDetails for a 10:30–12:00 IST session."""
    values = {
        "title": "ग्राम पंचायत विकास योजना – प्रशिक्षण सत्र 1",
        "description": "जीपीडीपी की तैयारी पर सत्र।",
        "start": datetime(2026, 2, 2, 10, 30, tzinfo=IST),
        "end": datetime(2026, 2, 2, 12, 0, tzinfo=IST),
        "marker": MARKER,
    }
    values.update(overrides)
    return api.BroadcastDetails(**values)


def broadcast_item(broadcast_id, description):
    """Return a liveBroadcast resource as the list call returns it."""
    return {"kind": "youtube#liveBroadcast", "id": broadcast_id,
            "snippet": {"title": "Old", "description": description,
                        "scheduledStartTime": "2026-02-02T05:00:00Z"}}


STREAM = {
    "kind": "youtube#liveStream", "id": "stream-1",
    "snippet": {"title": "Trainer"},
    "cdn": {"ingestionType": "rtmp", "resolution": "variable", "frameRate": "variable",
            "ingestionInfo": {"streamName": "abcd-efgh-ijkl-mnop",
                              "ingestionAddress": "rtmp://a.rtmp.youtube.com/live2",
                              "backupIngestionAddress": "rtmp://b.rtmp.youtube.com/live2?backup=1"}},
    "contentDetails": {"isReusable": True},
}


def test_service_uses_bundled_discovery_and_google_endpoint():
    service, http = youtube(ok({"items": [{"id": "UC1", "snippet": {"title": "पंचायती राज"}}]}))

    api.get_channel(service)

    assert len(http.request_sequence) == 1  # no discovery document fetched
    assert http.request_sequence[0][0].startswith(DEFAULT_BASE + "channels?")


@pytest.mark.parametrize(("endpoint", "prefix"), [
    ("http://127.0.0.1:9", "http://127.0.0.1:9/youtube/v3/channels?"),
    ("http://127.0.0.1:9/", "http://127.0.0.1:9/youtube/v3/channels?"),
    ("http://127.0.0.1:9/stand-in", "http://127.0.0.1:9/stand-in/youtube/v3/channels?"),
])
def test_configured_endpoint_replaces_google_root(endpoint, prefix):
    service, http = youtube(ok({"items": [{"id": "UC1", "snippet": {"title": "T"}}]}), endpoint=endpoint)

    api.get_channel(service)

    assert http.request_sequence[0][0].startswith(prefix)


def test_build_service_refuses_credentials_together_with_http():
    credentials = Credentials("access")
    with pytest.raises(ValueError):
        api.build_service(credentials, http=HttpMockSequence([]))


def test_get_channel_returns_id_and_title():
    service, http = youtube(ok({"items": [{"id": "UC1", "snippet": {"title": "पंचायती राज"}}]}))

    channel = api.get_channel(service)

    assert channel == api.Channel(id="UC1", title="पंचायती राज")
    method, path, query, _body = sent(http, 0)
    assert (method, path, query["part"], query["mine"]) == ("GET", "/youtube/v3/channels", "snippet", "true")


def test_get_channel_without_channel_raises_no_channel():
    service, _http = youtube(ok({"kind": "youtube#channelListResponse", "items": []}))

    with pytest.raises(YouTubeError) as caught:
        api.get_channel(service)

    assert caught.value.kind is ErrorKind.NO_CHANNEL
    assert caught.value.retryable is False


def test_create_broadcast_lists_then_inserts_when_nothing_exists():
    service, http = youtube(
        ok({"items": []}),
        ok({"id": "bc1", "snippet": {}, "status": {"privacyStatus": "unlisted"}}),
    )

    broadcast = api.create_broadcast(service, details())

    assert broadcast == api.Broadcast(id="bc1", watch_url="https://www.youtube.com/watch?v=bc1")
    method, path, query, _body = sent(http, 0)
    assert (method, path) == ("GET", "/youtube/v3/liveBroadcasts")
    assert query == {"part": "id,snippet", "mine": "true", "maxResults": "50",
                     "broadcastType": "all", "alt": "json"}
    method, path, query, body = sent(http, 1)
    assert (method, path, query["part"]) == ("POST", "/youtube/v3/liveBroadcasts", "snippet,status,contentDetails")
    assert body["snippet"] == {
        "title": "ग्राम पंचायत विकास योजना – प्रशिक्षण सत्र 1",
        "description": "जीपीडीपी की तैयारी पर सत्र।\n\n" + MARKER,
        "scheduledStartTime": "2026-02-02T05:00:00Z",
        "scheduledEndTime": "2026-02-02T06:30:00Z",
    }
    assert body["status"] == {"privacyStatus": "unlisted", "selfDeclaredMadeForKids": False}
    assert body["contentDetails"] == {"enableAutoStart": False, "enableAutoStop": True, "enableDvr": True,
                                      "recordFromStart": True, "latencyPreference": "normal"}
    assert len(http.request_sequence) == 2


def test_create_broadcast_updates_the_one_a_lost_create_made_instead_of_inserting():
    service, http = youtube(
        ok({"items": [broadcast_item("other", "Another session\n\ntrainer-session:777"),
                      broadcast_item("bc1", "Old text\n\n" + MARKER)]}),
        ok({"id": "bc1", "snippet": {}, "status": {}}),
    )

    broadcast = api.create_broadcast(service, details(title="नया शीर्षक"))

    assert broadcast.id == "bc1"
    methods = [request[1] for request in http.request_sequence]
    assert methods == ["GET", "PUT"]
    _method, _path, query, body = sent(http, 1)
    assert query["part"] == "snippet,status"
    assert body["id"] == "bc1"
    assert body["snippet"]["title"] == "नया शीर्षक"


def test_find_broadcast_matches_whole_marker_line_only():
    service, _http = youtube(ok({"items": [broadcast_item("bc9", "text\n\n" + MARKER + "99")]}))

    assert api.find_broadcast(service, MARKER) is None


def test_find_broadcast_follows_next_page_token():
    service, http = youtube(
        ok({"nextPageToken": "PAGE2", "items": [broadcast_item("a", "no marker")]}),
        ok({"items": [broadcast_item("b", "text\r\n\r\n" + MARKER)]}),
    )

    found = api.find_broadcast(service, MARKER)

    assert found == api.Broadcast(id="b", watch_url="https://www.youtube.com/watch?v=b")
    assert "pageToken" not in sent(http, 0)[2]
    assert sent(http, 1)[2]["pageToken"] == "PAGE2"


def test_find_broadcast_stops_after_last_page():
    service, http = youtube(
        ok({"nextPageToken": "PAGE2", "items": [broadcast_item("a", "x")]}),
        ok({"items": [broadcast_item("b", "y")]}),
    )

    assert api.find_broadcast(service, MARKER) is None
    assert len(http.request_sequence) == 2


def test_update_broadcast_sends_whole_snippet_and_status():
    service, http = youtube(ok({"id": "bc1"}))

    api.update_broadcast(service, "bc1", details(privacy="public"))

    method, path, query, body = sent(http, 0)
    assert (method, path, query["part"]) == ("PUT", "/youtube/v3/liveBroadcasts", "snippet,status")
    assert body["id"] == "bc1"
    assert set(body["snippet"]) == {"title", "description", "scheduledStartTime", "scheduledEndTime"}
    assert body["snippet"]["scheduledStartTime"] == "2026-02-02T05:00:00Z"
    assert body["snippet"]["description"].splitlines()[-1] == MARKER
    assert body["status"] == {"privacyStatus": "public", "selfDeclaredMadeForKids": False}


def test_delete_broadcast_sends_delete():
    service, http = youtube(({"status": "204"}, ""))

    assert api.delete_broadcast(service, "bc1") is None

    method, path, query, _body = sent(http, 0)
    assert (method, path, query["id"]) == ("DELETE", "/youtube/v3/liveBroadcasts", "bc1")


def test_delete_of_missing_broadcast_counts_as_done():
    service, http = youtube(error(404, "liveBroadcastNotFound", "Broadcast not found"))

    api.delete_broadcast(service, "gone")

    assert len(http.request_sequence) == 1


def test_delete_refused_by_youtube_raises():
    service, _http = youtube(error(403, "liveBroadcastDeletionNotAllowed"))

    with pytest.raises(YouTubeError) as caught:
        api.delete_broadcast(service, "bc1")

    assert caught.value.kind is ErrorKind.OTHER
    assert caught.value.reason == "liveBroadcastDeletionNotAllowed"


def test_ensure_stream_returns_existing_stream_without_inserting():
    service, http = youtube(ok({"items": [STREAM]}))

    stream = api.ensure_stream(service, "stream-1", "Trainer")

    assert stream == api.Stream(id="stream-1", ingestion_address="rtmp://a.rtmp.youtube.com/live2",
                                stream_name="abcd-efgh-ijkl-mnop",
                                backup_ingestion_address="rtmp://b.rtmp.youtube.com/live2?backup=1")
    assert "abcd-efgh" not in repr(stream)
    method, path, query, _body = sent(http, 0)
    assert (method, path) == ("GET", "/youtube/v3/liveStreams")
    assert (query["part"], query["id"]) == ("id,snippet,cdn,contentDetails", "stream-1")
    assert len(http.request_sequence) == 1


def test_ensure_stream_inserts_reusable_stream_when_the_old_one_is_gone():
    service, http = youtube(ok({"items": []}), ok(STREAM))

    stream = api.ensure_stream(service, "deleted-stream", "Trainer <live>")

    assert stream.id == "stream-1"
    method, path, query, body = sent(http, 1)
    assert (method, path, query["part"]) == ("POST", "/youtube/v3/liveStreams", "snippet,cdn,contentDetails")
    assert body == {"snippet": {"title": "Trainer ‹live›"},
                    "cdn": {"ingestionType": "rtmp", "resolution": "variable", "frameRate": "variable"},
                    "contentDetails": {"isReusable": True}}


def test_ensure_stream_without_id_inserts_directly():
    service, http = youtube(ok(STREAM))

    api.ensure_stream(service, None, "Trainer")

    assert [request[1] for request in http.request_sequence] == ["POST"]


def test_bind_broadcast_posts_stream_id():
    service, http = youtube(ok({"id": "bc1", "contentDetails": {"boundStreamId": "stream-1"}}))

    api.bind_broadcast(service, "bc1", "stream-1")

    method, path, query, _body = sent(http, 0)
    assert (method, path) == ("POST", "/youtube/v3/liveBroadcasts/bind")
    assert (query["id"], query["part"], query["streamId"]) == ("bc1", "id,contentDetails", "stream-1")


def test_stats_while_live_include_concurrent_viewers():
    service, http = youtube(ok({"items": [{
        "id": "bc1",
        "statistics": {"viewCount": "1234", "likeCount": "5"},
        "liveStreamingDetails": {"actualStartTime": "2026-02-02T05:01:02Z", "concurrentViewers": "87",
                                 "scheduledStartTime": "2026-02-02T05:00:00Z"},
    }]}))

    stats = api.get_stats(service, "bc1")

    assert stats == api.BroadcastStats(views=1234, concurrent_viewers=87,
                                       actual_start=datetime(2026, 2, 2, 5, 1, 2, tzinfo=timezone.utc),
                                       actual_end=None)
    _method, path, query, _body = sent(http, 0)
    assert (path, query["part"], query["id"]) == ("/youtube/v3/videos", "statistics,liveStreamingDetails", "bc1")


def test_stats_after_the_broadcast_have_end_time_and_no_concurrent_viewers():
    service, _http = youtube(ok({"items": [{
        "id": "bc1",
        "statistics": {"viewCount": "2500"},
        "liveStreamingDetails": {"actualStartTime": "2026-02-02T05:01:02.5Z",
                                 "actualEndTime": "2026-02-02T10:35:00+05:30"},
    }]}))

    stats = api.get_stats(service, "bc1")

    assert stats.views == 2500
    assert stats.concurrent_viewers is None
    assert stats.actual_start == datetime(2026, 2, 2, 5, 1, 2, 500000, tzinfo=timezone.utc)
    assert stats.actual_end == datetime(2026, 2, 2, 5, 5, tzinfo=timezone.utc)
    assert stats.actual_end.tzinfo == timezone.utc


def test_stats_of_a_deleted_video_are_none():
    service, _http = youtube(ok({"items": []}))

    assert api.get_stats(service, "gone") is None


QUOTA_BODY = {"error": {
    "code": 403,
    "message": "The request cannot be completed because you have exceeded your "
               "<a href=\"/youtube/v3/getting-started#quota\">quota</a>.",
    "errors": [{"message": "The request cannot be completed because you have exceeded your quota.",
                "domain": "youtube.quota", "reason": "quotaExceeded"}],
}}
AUTH_BODY = {"error": {
    "code": 401,
    "message": "Request had invalid authentication credentials. Expected OAuth 2 access token, "
               "login cookie or other valid authentication credential.",
    "errors": [{"message": "Invalid Credentials", "domain": "global", "reason": "authError",
                "location": "Authorization", "locationType": "header"}],
    "status": "UNAUTHENTICATED",
}}
SCOPE_BODY = {"error": {
    "code": 403,
    "message": "Request had insufficient authentication scopes.",
    "errors": [{"message": "Insufficient Permission", "domain": "global", "reason": "insufficientPermissions"}],
    "status": "PERMISSION_DENIED",
    "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo",
                 "reason": "ACCESS_TOKEN_SCOPE_INSUFFICIENT", "domain": "googleapis.com"}],
}}
BACKEND_BODY = {"error": {
    "code": 500, "message": "Internal error encountered.",
    "errors": [{"message": "Internal error encountered.", "domain": "global", "reason": "backendError"}],
    "status": "INTERNAL",
}}


def raw(status, body):
    """Return a mock response with the given JSON (or text) body."""
    return ({"status": str(status)}, body if isinstance(body, str) else json.dumps(body))


@pytest.mark.parametrize(("responses", "kind", "retryable", "status", "reason"), [
    ([raw(403, QUOTA_BODY)], ErrorKind.QUOTA_EXCEEDED, True, 403, "quotaExceeded"),
    ([error(403, "rateLimitExceeded", domain="usageLimits")] * 3, ErrorKind.QUOTA_EXCEEDED, True, 403,
     "rateLimitExceeded"),
    ([error(429, "userRequestsExceedRateLimit")] * 3, ErrorKind.QUOTA_EXCEEDED, True, 429,
     "userRequestsExceedRateLimit"),
    ([error(403, "liveStreamingNotEnabled", "The user is not enabled for live streaming.")],
     ErrorKind.LIVE_NOT_ENABLED, False, 403, "liveStreamingNotEnabled"),
    ([error(403, "livePermissionBlocked")], ErrorKind.LIVE_NOT_ENABLED, False, 403, "livePermissionBlocked"),
    ([raw(401, AUTH_BODY)], ErrorKind.TOKEN_REVOKED, False, 401, "authError"),
    ([raw(403, SCOPE_BODY)], ErrorKind.TOKEN_REVOKED, False, 403, "insufficientPermissions"),
    ([raw(500, BACKEND_BODY)] * 3, ErrorKind.NETWORK, True, 500, "backendError"),
    ([raw(503, "<html>Service Unavailable</html>")] * 3, ErrorKind.NETWORK, True, 503, None),
    ([error(400, "invalidScheduledStartTime", "Invalid scheduled start time.")],
     ErrorKind.INVALID_REQUEST, False, 400, "invalidScheduledStartTime"),
    ([error(404, "liveBroadcastNotFound")], ErrorKind.NOT_FOUND, False, 404, "liveBroadcastNotFound"),
    ([error(409, "conflict")], ErrorKind.OTHER, False, 409, "conflict"),
])
def test_http_errors_are_classified(responses, kind, retryable, status, reason):
    service, http = youtube(*responses)

    with pytest.raises(YouTubeError) as caught:
        api.bind_broadcast(service, "bc1", "stream-1")

    assert caught.value.kind is kind
    assert caught.value.retryable is retryable
    assert caught.value.status == status
    assert caught.value.reason == reason
    assert str(status) in caught.value.detail
    assert isinstance(caught.value.__cause__, HttpError)
    assert len(http.request_sequence) == len(responses)  # retried only what is transient


@pytest.mark.parametrize(("failures", "attempts"), [
    ([ConnectionRefusedError(111, "Connection refused")] * 3, 3),
    ([httplib2.ServerNotFoundError("Unable to find the server at youtube.googleapis.com")] * 3, 3),
    ([TimeoutError("timed out")] * 3, 3),
    ([socket.gaierror(-3, "Temporary failure in name resolution")], 1),
    ([httplib2.RedirectLimit("Redirected more times than redirection_limit allows.", {}, b"")], 1),
])
def test_network_failures_are_retryable_network_errors(failures, attempts):
    service, http = youtube(*failures)

    with pytest.raises(YouTubeError) as caught:
        api.get_channel(service)

    assert caught.value.kind is ErrorKind.NETWORK
    assert caught.value.retryable is True
    assert caught.value.status is None
    assert len(http.request_sequence) == attempts


def test_transient_failure_is_retried_with_backoff(no_backoff):
    service, http = youtube(raw(500, BACKEND_BODY), ConnectionResetError(104, "reset"),
                            ok({"items": [{"id": "UC1", "snippet": {"title": "T"}}]}))

    assert api.get_channel(service).id == "UC1"
    assert len(http.request_sequence) == 3
    assert len(no_backoff) == 2


def test_retries_follow_module_setting(monkeypatch):
    monkeypatch.setattr(api, "RETRIES", 0)
    service, http = youtube(raw(500, BACKEND_BODY))

    with pytest.raises(YouTubeError):
        api.get_channel(service)

    assert len(http.request_sequence) == 1


def test_revoked_refresh_token_is_token_revoked():
    credentials = Credentials(None, refresh_token="1//revoked", token_uri="https://oauth2.googleapis.com/token",
                              client_id="client", client_secret="secret")
    mock = RecordingHttp([raw(400, {"error": "invalid_grant",
                                    "error_description": "Token has been expired or revoked."})])
    service = api.build_service(None, http=google_auth_httplib2.AuthorizedHttp(credentials, http=mock))

    with pytest.raises(YouTubeError) as caught:
        api.get_channel(service)

    assert caught.value.kind is ErrorKind.TOKEN_REVOKED
    assert caught.value.retryable is False
    assert caught.value.reason == "invalid_grant"
    assert mock.request_sequence[0][0] == "https://oauth2.googleapis.com/token"
    assert len(mock.request_sequence) == 1


def test_classify_keeps_youtube_errors_and_maps_unknown_exceptions_to_other():
    original = YouTubeError(ErrorKind.NOT_FOUND, "gone")

    assert api.classify(original) is original
    assert api.classify(RuntimeError("surprise")).kind is ErrorKind.OTHER


def test_title_is_one_line_without_angle_brackets_and_at_most_100_characters():
    service, http = youtube(ok({"id": "bc1"}))
    long_title = "<सत्र>\nपंचायत " + "क" * 200

    api.update_broadcast(service, "bc1", details(title=long_title))

    title = sent(http, 0)[3]["snippet"]["title"]
    assert len(title) == 100
    assert title.startswith("‹सत्र› पंचायत कक")
    assert title.endswith("…")
    assert not {"<", ">", "\n"} & set(title)


def test_short_title_is_sent_unchanged():
    service, http = youtube(ok({"id": "bc1"}))

    api.update_broadcast(service, "bc1", details(title="क" * 100))

    assert sent(http, 0)[3]["snippet"]["title"] == "क" * 100


def test_long_description_is_cut_to_5000_bytes_and_keeps_the_marker_line():
    service, http = youtube(ok({"id": "bc1"}))
    text = "<b>प्रशिक्षण</b> " + "पंचायत " * 1000  # far beyond 5000 bytes in UTF-8

    api.update_broadcast(service, "bc1", details(description=text))

    description = sent(http, 0)[3]["snippet"]["description"]
    assert len(description.encode()) <= api.DESCRIPTION_MAX_BYTES
    assert len(description.encode()) > api.DESCRIPTION_MAX_BYTES - 10
    assert description.splitlines()[-1] == MARKER
    assert description.startswith("‹b›प्रशिक्षण‹/b›")
    assert "…\n\n" + MARKER in description
    assert "<" not in description and ">" not in description


def test_empty_description_is_just_the_marker():
    assert api.compose_description("  ", MARKER) == MARKER


@pytest.mark.parametrize("overrides", [
    {"start": datetime(2026, 2, 2, 10, 30)},
    {"end": datetime(2026, 2, 2, 9, 0, tzinfo=IST)},
    {"privacy": "secret"},
    {"marker": ""},
    {"marker": "trainer-session:1\nsecond line"},
    {"marker": "<trainer-session:1>"},
])
def test_broadcast_details_refuse_invalid_values(overrides):
    with pytest.raises(ValueError):
        details(**overrides)


def test_format_time_converts_to_utc_rfc3339():
    moment = datetime(2026, 3, 1, 0, 15, tzinfo=IST) + timedelta(microseconds=123)

    assert api.format_time(moment) == "2026-02-28T18:45:00Z"
