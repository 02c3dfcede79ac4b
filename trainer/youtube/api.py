"""A thin, typed wrapper over the YouTube Data API v3 for scheduling live broadcasts.

Every call goes through ``_execute``, so callers only ever see ``YouTubeError``.
"""
import enum
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any

import httplib2
from google.auth import exceptions as auth_exceptions
from googleapiclient import discovery
from googleapiclient.errors import HttpError

# How often a request is retried after a 5xx, a 429 or a network error (with exponential
# backoff). Read at call time, so tests can lower it; HttpMockSequence consumes one
# response per attempt.
RETRIES = 2

WATCH_URL = "https://www.youtube.com/watch?v={}"
TITLE_MAX_CHARS = 100
DESCRIPTION_MAX_BYTES = 5000
PRIVACY_STATUSES = ("public", "unlisted", "private")
PAGE_SIZE = 50

_ELLIPSIS = "…"
# YouTube refuses < and > in titles and descriptions; single guillemets keep the meaning.
_ANGLE_BRACKETS = str.maketrans({"<": "‹", ">": "›"})

_QUOTA_REASONS = frozenset({
    "quotaExceeded", "dailyLimitExceeded", "rateLimitExceeded", "userRateLimitExceeded",
    "userRequestsExceedRateLimit", "RATE_LIMIT_EXCEEDED",
})
_LIVE_REASONS = frozenset({"liveStreamingNotEnabled", "insufficientLivePermissions", "livePermissionBlocked"})
# The token lacks the YouTube scope: connecting the channel again grants it.
_SCOPE_REASONS = frozenset({"insufficientPermissions", "ACCESS_TOKEN_SCOPE_INSUFFICIENT"})


class ErrorKind(enum.StrEnum):
    """What went wrong, in terms the Flask layer can explain to a person."""

    QUOTA_EXCEEDED = "quota_exceeded"
    LIVE_NOT_ENABLED = "live_not_enabled"
    TOKEN_REVOKED = "token_revoked"
    NETWORK = "network"
    NOT_FOUND = "not_found"
    INVALID_REQUEST = "invalid_request"
    NO_CHANNEL = "no_channel"
    OTHER = "other"


# "Retryable" means an automatic retry later may succeed with nobody doing anything.
# LIVE_NOT_ENABLED and TOKEN_REVOKED need a person first (enable live streaming on the
# channel, connect the channel again); the caller retries after that.
RETRYABLE_KINDS = frozenset({ErrorKind.QUOTA_EXCEEDED, ErrorKind.NETWORK})


class YouTubeError(Exception):
    """A failed YouTube call, classified; ``detail`` is English for the logs."""

    def __init__(
        self,
        kind: ErrorKind,
        detail: str,
        *,
        retryable: bool | None = None,
        status: int | None = None,
        reason: str | None = None,
    ) -> None:
        super().__init__(f"{kind}: {detail}")
        self.kind = kind
        self.detail = detail
        self.retryable = kind in RETRYABLE_KINDS if retryable is None else retryable
        self.status = status
        self.reason = reason


@dataclass(frozen=True, kw_only=True)
class BroadcastDetails:
    """What Trainer wants a broadcast to say; ``marker`` identifies the training session."""

    title: str
    description: str
    start: datetime
    end: datetime
    privacy: str = "unlisted"
    marker: str

    def __post_init__(self) -> None:
        if self.start.tzinfo is None or self.end.tzinfo is None:
            raise ValueError("start and end must be timezone-aware")
        if self.end <= self.start:
            raise ValueError("end must be after start")
        if self.privacy not in PRIVACY_STATUSES:
            raise ValueError(f"privacy must be one of {PRIVACY_STATUSES}")
        if not self.marker or self.marker != self.marker.strip() or len(self.marker.splitlines()) != 1:
            raise ValueError("marker must be one non-blank line without surrounding spaces")
        if "<" in self.marker or ">" in self.marker or len(self.marker) > 200:
            raise ValueError("marker must be short and free of angle brackets")


@dataclass(frozen=True)
class Broadcast:
    """A scheduled YouTube broadcast (its id is also the video id)."""

    id: str
    watch_url: str


@dataclass(frozen=True)
class Stream:
    """A reusable live stream: where the encoder sends video, and its key."""

    id: str
    ingestion_address: str
    stream_name: str = field(repr=False)
    backup_ingestion_address: str | None = None


@dataclass(frozen=True)
class BroadcastStats:
    """Viewing figures of a broadcast; ``concurrent_viewers`` is known only while live."""

    views: int | None
    concurrent_viewers: int | None
    actual_start: datetime | None
    actual_end: datetime | None


@dataclass(frozen=True)
class Channel:
    """The channel that the credentials belong to."""

    id: str
    title: str


def build_service(
    credentials: Any,
    *,
    endpoint: str | None = None,
    http: Any = None,
    request_builder: Any = None,
) -> discovery.Resource:
    """Build a youtube v3 client from the bundled discovery document (never fetched).

    ``endpoint`` replaces "https://youtube.googleapis.com/": requests then go to
    "<endpoint>/youtube/v3/...". ``http`` (an httplib2-like object, e.g. a test mock)
    excludes ``credentials``.
    """
    if http is not None and credentials is not None:
        raise ValueError("pass either credentials or http, not both")
    kwargs: dict[str, Any] = {"static_discovery": True, "cache_discovery": False}
    if endpoint:
        kwargs["client_options"] = {"api_endpoint": endpoint}
    if http is not None:
        kwargs["http"] = http
    else:
        kwargs["credentials"] = credentials
    if request_builder is not None:
        kwargs["requestBuilder"] = request_builder
    return discovery.build("youtube", "v3", **kwargs)


def get_channel(service: discovery.Resource) -> Channel:
    """Return the channel of the connected account."""
    response = _execute(service.channels().list(part="snippet", mine=True))
    items = response.get("items") or []
    if not items:
        raise YouTubeError(ErrorKind.NO_CHANNEL, "the account has no YouTube channel")
    return Channel(id=_required(items[0], "id"), title=items[0].get("snippet", {}).get("title", ""))


def find_broadcast(service: discovery.Resource, marker: str) -> Broadcast | None:
    """Return the broadcast whose description carries ``marker`` as a line, if any."""
    for item in _list_broadcasts(service):
        description = item.get("snippet", {}).get("description", "")
        if any(line.strip() == marker for line in description.splitlines()):
            return _broadcast(item)
    return None


def create_broadcast(service: discovery.Resource, details: BroadcastDetails) -> Broadcast:
    """Create the broadcast, or update the one an earlier, lost create already made."""
    existing = find_broadcast(service, details.marker)
    if existing is not None:
        return update_broadcast(service, existing.id, details)
    body = {
        "snippet": _snippet(details),
        "status": _status(details),
        "contentDetails": {
            # Someone presses "Go live" in YouTube Studio: the reusable stream is bound to
            # several broadcasts, so starting by itself could start the wrong one.
            "enableAutoStart": False,
            "enableAutoStop": True,
            "enableDvr": True,
            "recordFromStart": True,
            "latencyPreference": "normal",
        },
    }
    request = service.liveBroadcasts().insert(part="snippet,status,contentDetails", body=body)
    return _broadcast(_execute(request, retry=False))


def update_broadcast(service: discovery.Resource, broadcast_id: str, details: BroadcastDetails) -> Broadcast:
    """Replace the broadcast's snippet and status with ``details``."""
    # update replaces whole parts: every snippet and status field must be sent again.
    body = {"id": broadcast_id, "snippet": _snippet(details), "status": _status(details)}
    request = service.liveBroadcasts().update(part="snippet,status", body=body)
    return _broadcast(_execute(request))


def delete_broadcast(service: discovery.Resource, broadcast_id: str) -> None:
    """Delete the broadcast; one that is already gone counts as deleted."""
    try:
        _execute(service.liveBroadcasts().delete(id=broadcast_id))
    except YouTubeError as error:
        if error.kind is not ErrorKind.NOT_FOUND:
            raise


def ensure_stream(service: discovery.Resource, stream_id: str | None, title: str) -> Stream:
    """Return the stream ``stream_id``, or create a reusable RTMP stream if it is gone."""
    if stream_id:
        try:
            response = _execute(service.liveStreams().list(part="id,snippet,cdn,contentDetails", id=stream_id))
        except YouTubeError as error:
            if error.kind is not ErrorKind.NOT_FOUND:
                raise
        else:
            items = response.get("items") or []
            if items:
                return _stream(items[0])
    body = {
        "snippet": {"title": _clean_title(title)},
        "cdn": {"ingestionType": "rtmp", "resolution": "variable", "frameRate": "variable"},
        "contentDetails": {"isReusable": True},
    }
    request = service.liveStreams().insert(part="snippet,cdn,contentDetails", body=body)
    return _stream(_execute(request, retry=False))


def bind_broadcast(service: discovery.Resource, broadcast_id: str, stream_id: str) -> None:
    """Bind the broadcast to the stream, so the encoder's video reaches it."""
    _execute(service.liveBroadcasts().bind(id=broadcast_id, part="id,contentDetails", streamId=stream_id))


def get_stats(service: discovery.Resource, broadcast_id: str) -> BroadcastStats | None:
    """Return the broadcast's views and live details, or None if the video is gone."""
    request = service.videos().list(part="statistics,liveStreamingDetails", id=broadcast_id)
    items = _execute(request).get("items") or []
    if not items:
        return None
    statistics = items[0].get("statistics", {})
    live = items[0].get("liveStreamingDetails", {})
    return BroadcastStats(
        views=_int_or_none(statistics.get("viewCount")),
        concurrent_viewers=_int_or_none(live.get("concurrentViewers")),
        actual_start=parse_time(live.get("actualStartTime")),
        actual_end=parse_time(live.get("actualEndTime")),
    )


def classify(exc: BaseException) -> YouTubeError:
    """Turn any exception raised by a YouTube call into a YouTubeError."""
    if isinstance(exc, YouTubeError):
        return exc
    if isinstance(exc, HttpError):
        return _classify_http_error(exc)
    if isinstance(exc, auth_exceptions.RefreshError):
        reason = _refresh_error_reason(exc)
        if exc.retryable:
            return YouTubeError(ErrorKind.NETWORK, f"token refresh failed: {exc}", reason=reason)
        return YouTubeError(ErrorKind.TOKEN_REVOKED, f"token refresh refused: {exc}", reason=reason)
    if isinstance(exc, (auth_exceptions.TransportError, httplib2.HttpLib2Error, OSError)):
        return YouTubeError(ErrorKind.NETWORK, f"{type(exc).__name__}: {exc}")
    return YouTubeError(ErrorKind.OTHER, f"{type(exc).__name__}: {exc}")


def format_time(moment: datetime) -> str:
    """Format an aware datetime as RFC 3339 in UTC, e.g. 2026-01-31T04:30:00Z."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def parse_time(text: str | None) -> datetime | None:
    """Parse an RFC 3339 time from YouTube into an aware UTC datetime."""
    if not text:
        return None
    return datetime.fromisoformat(text).astimezone(timezone.utc)


def compose_description(text: str, marker: str) -> str:
    """Return a description YouTube accepts, ending with the marker line."""
    body = text.translate(_ANGLE_BRACKETS).strip()
    if not body:
        return marker
    separator = "\n\n"
    budget = DESCRIPTION_MAX_BYTES - len((separator + marker).encode())
    return _truncate_bytes(body, budget) + separator + marker


def _clean_title(text: str) -> str:
    """Return a one-line title without angle brackets, at most 100 characters."""
    title = " ".join(text.translate(_ANGLE_BRACKETS).split())
    if len(title) > TITLE_MAX_CHARS:
        title = title[: TITLE_MAX_CHARS - len(_ELLIPSIS)].rstrip() + _ELLIPSIS
    return title


def _truncate_bytes(text: str, limit: int) -> str:
    """Cut ``text`` to at most ``limit`` UTF-8 bytes, never inside a character."""
    encoded = text.encode()
    if len(encoded) <= limit:
        return text
    cut = encoded[: limit - len(_ELLIPSIS.encode())]
    return cut.decode(errors="ignore").rstrip() + _ELLIPSIS


def _snippet(details: BroadcastDetails) -> dict[str, str]:
    """Return the broadcast snippet for ``details``."""
    return {
        "title": _clean_title(details.title),
        "description": compose_description(details.description, details.marker),
        "scheduledStartTime": format_time(details.start),
        "scheduledEndTime": format_time(details.end),
    }


def _status(details: BroadcastDetails) -> dict[str, Any]:
    """Return the broadcast status for ``details``."""
    return {"privacyStatus": details.privacy, "selfDeclaredMadeForKids": False}


def _list_broadcasts(service: discovery.Resource) -> Iterator[dict[str, Any]]:
    """Yield every broadcast of the channel, page by page."""
    broadcasts = service.liveBroadcasts()
    request = broadcasts.list(part="id,snippet", mine=True, maxResults=PAGE_SIZE, broadcastType="all")
    while request is not None:
        response = _execute(request)
        yield from response.get("items") or []
        request = broadcasts.list_next(request, response)


def _broadcast(item: dict[str, Any]) -> Broadcast:
    """Return a Broadcast from a liveBroadcast resource."""
    broadcast_id = _required(item, "id")
    return Broadcast(id=broadcast_id, watch_url=WATCH_URL.format(broadcast_id))


def _stream(item: dict[str, Any]) -> Stream:
    """Return a Stream from a liveStream resource."""
    info = item.get("cdn", {}).get("ingestionInfo", {})
    return Stream(
        id=_required(item, "id"),
        ingestion_address=_required(info, "ingestionAddress"),
        stream_name=_required(info, "streamName"),
        backup_ingestion_address=info.get("backupIngestionAddress") or None,
    )


def _required(item: dict[str, Any], key: str) -> Any:
    """Return ``item[key]``, or raise YouTubeError if YouTube left it out."""
    value = item.get(key)
    if not value:
        raise YouTubeError(ErrorKind.OTHER, f"response lacks {key!r}")
    return value


def _int_or_none(value: str | None) -> int | None:
    """Return YouTube's decimal string as an int (None when absent or malformed)."""
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _execute(request: Any, *, retry: bool = True) -> dict[str, Any]:
    """Execute a request, with retries unless it creates something; raise only YouTubeError.

    An insert is never repeated here: if its answer is lost, repeating it would make a second broadcast
    or stream. The caller tries again later, after looking for what the first attempt made.
    """
    try:
        return request.execute(num_retries=RETRIES if retry else 0)
    except Exception as exc:  # the library raises many types; callers must see one
        raise classify(exc) from exc


def _classify_http_error(error: HttpError) -> YouTubeError:
    """Classify an HTTP error response by its status and YouTube's reason."""
    status = error.status_code
    reasons = _http_error_reasons(error)
    reason = reasons[0] if reasons else None
    detail = f"HTTP {status} {', '.join(reasons) or '-'}: {error.reason}"

    def result(kind: ErrorKind) -> YouTubeError:
        return YouTubeError(kind, detail, status=status, reason=reason)

    if status == 401:
        return result(ErrorKind.TOKEN_REVOKED)
    if status == 429 or (status == 403 and _QUOTA_REASONS.intersection(reasons)):
        return result(ErrorKind.QUOTA_EXCEEDED)
    if status == 403 and _LIVE_REASONS.intersection(reasons):
        return result(ErrorKind.LIVE_NOT_ENABLED)
    if status == 403 and _SCOPE_REASONS.intersection(reasons):
        return result(ErrorKind.TOKEN_REVOKED)
    if status == 404:
        return result(ErrorKind.NOT_FOUND)
    if status == 400:
        return result(ErrorKind.INVALID_REQUEST)
    if status >= 500:
        return result(ErrorKind.NETWORK)
    return result(ErrorKind.OTHER)


def _http_error_reasons(error: HttpError) -> list[str]:
    """Return YouTube's reason strings, ``errors[].reason`` first, then ``details[].reason``."""
    try:
        data = json.loads(error.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        data = None
    if isinstance(data, list) and data:
        data = data[0]
    body = data.get("error") if isinstance(data, dict) else None
    entries: list[Any] = []
    if isinstance(body, dict):
        for key in ("errors", "details"):
            if isinstance(body.get(key), list):
                entries.extend(body[key])
    elif isinstance(error.error_details, list):
        entries.extend(error.error_details)
    reasons = [entry.get("reason") for entry in entries if isinstance(entry, dict)]
    return list(dict.fromkeys(r for r in reasons if isinstance(r, str) and r))


def _refresh_error_reason(error: auth_exceptions.RefreshError) -> str | None:
    """Return the OAuth error code (e.g. invalid_grant) of a failed token refresh."""
    for arg in error.args:
        if isinstance(arg, dict) and isinstance(arg.get("error"), str):
            return arg["error"]
    # Without response data the message reads "invalid_grant: Token has been expired…".
    text = str(error.args[0]) if error.args else ""
    code = text.partition(":")[0].strip()
    return code if ":" in text and code and " " not in code else None
