"""A local stand-in for Google's OAuth token endpoint and the parts of the YouTube Data API Trainer uses.

Trainer reaches it through its real HTTP stack (google-auth, httplib2, google-api-python-client) by
pointing YOUTUBE_API_ENDPOINT and YOUTUBE_TOKEN_URI at it. It keeps broadcasts and streams in memory,
records every request, and can be told to fail the next requests like YouTube does.
"""
import itertools
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

SCOPE = "https://www.googleapis.com/auth/youtube"
API = "/youtube/v3/"


def youtube_error(status: int, reason: str, message: str = "") -> tuple[int, dict]:
    """Return a response in the shape of YouTube's own errors."""
    return status, {"error": {"code": status, "message": message or reason,
                              "errors": [{"domain": "youtube.liveBroadcast", "reason": reason,
                                          "message": message or reason}]}}


QUOTA_EXCEEDED = youtube_error(403, "quotaExceeded", "The request cannot be completed because you have "
                                                     "exceeded your quota.")
LIVE_NOT_ENABLED = youtube_error(403, "liveStreamingNotEnabled", "The user is not enabled for live streaming.")
SERVER_ERROR = youtube_error(503, "backendError")


class YouTubeStandIn:
    """Serve on 127.0.0.1 at a free port; use as a context manager."""

    def __init__(self, channel_title: str = "पंचायत एवं ग्रामीण विकास विभाग") -> None:
        self.channel = {"id": "UCpanchayat0000000000000", "snippet": {"title": channel_title}}
        self.broadcasts: dict[str, dict] = {}
        self.streams: dict[str, dict] = {}
        self.bindings: dict[str, str] = {}
        self.statistics: dict[str, dict] = {}
        self.requests: list[dict] = []
        self.failures: list[tuple[str, tuple[int, dict]]] = []  # (method path prefix, response)
        self.lose_answers: set[str] = set()  # "POST liveBroadcasts": do it, then answer 503 as if lost
        self.revoked = False
        self.slow: dict[str, float] = {}  # "POST liveBroadcasts": seconds to wait before answering it
        self._ids = itertools.count(1)
        self._lock = threading.Lock()
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_port}"

    @property
    def token_uri(self) -> str:
        return self.url + "/token"

    def fail_next(self, call: str, response: tuple[int, dict], times: int = 1) -> None:
        """Make the next `times` requests matching e.g. "POST liveBroadcasts" fail with `response`."""
        self.failures.extend([(call, response)] * times)

    def calls(self, call: str) -> list[dict]:
        """Return the recorded requests matching e.g. "POST liveBroadcasts" (without sub-paths)."""
        method, _, name = call.partition(" ")
        return [r for r in self.requests if r["method"] == method and r["name"] == name]

    def __enter__(self) -> "YouTubeStandIn":
        self._thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self._server.shutdown()
        self._server.server_close()

    # Request handling

    def _handler(self):
        standin = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def _respond(self, status: int, payload: dict | None) -> None:
                body = b"" if payload is None else json.dumps(payload).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json; charset=UTF-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def _handle(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                raw = self.rfile.read(length) if length else b""
                call = f"{self.command} {parts.path.removeprefix(API)}"
                if call in standin.slow:
                    time.sleep(standin.slow[call])
                with standin._lock:
                    status, payload = standin._dispatch(self.command, parts.path, parse_qs(parts.query), raw,
                                                        self.headers.get("Authorization"))
                self._respond(status, payload)

            do_GET = do_POST = do_PUT = do_DELETE = _handle

            def log_message(self, format, *args):
                pass

        return Handler

    def _dispatch(self, method: str, path: str, query: dict, raw: bytes, authorization: str | None):
        if path == "/token":
            form = {key: values[0] for key, values in parse_qs(raw.decode()).items()}
            self.requests.append({"method": method, "name": "token", "query": {}, "body": form})
            if self.revoked:
                return 400, {"error": "invalid_grant", "error_description": "Token has been expired or revoked."}
            token = {"access_token": f"ya29.{next(self._ids)}", "expires_in": 3599, "scope": SCOPE,
                     "token_type": "Bearer"}
            if form.get("grant_type") == "authorization_code":
                token["refresh_token"] = "1//refresh-" + form.get("code", "")
            return 200, token
        if not path.startswith(API):
            return 404, {"error": {"code": 404, "message": "not found"}}
        name = path[len(API):]
        body = json.loads(raw) if raw else None
        query = {key: values[0] for key, values in query.items()}
        call = f"{method} {name}"
        self.requests.append({"method": method, "name": name, "query": query, "body": body,
                              "authorization": authorization})
        if not (authorization or "").startswith("Bearer ya29."):
            return youtube_error(401, "authError", "Invalid Credentials")
        for index, (prefix, response) in enumerate(self.failures):
            if call == prefix:
                del self.failures[index]
                return response
        answer = getattr(self, "_" + name.replace("/", "_"), None)
        if answer is None:
            return 404, {"error": {"code": 404, "message": "not found"}}
        status, payload = answer(method, query, body)
        if call in self.lose_answers and status < 300:
            self.lose_answers.discard(call)
            return SERVER_ERROR  # the work was done, but the caller never hears of it
        return status, payload

    def _channels(self, method, query, body):
        return 200, {"items": [self.channel]}

    def _liveBroadcasts(self, method, query, body):
        if method == "GET":
            items = list(self.broadcasts.values())
            return 200, {"items": items, "pageInfo": {"totalResults": len(items)}}
        if method == "POST":
            broadcast_id = f"bc{next(self._ids):09d}"
            self.broadcasts[broadcast_id] = {"id": broadcast_id, **body}
            return 200, self.broadcasts[broadcast_id]
        if method == "PUT":
            if body["id"] not in self.broadcasts:
                return youtube_error(404, "liveBroadcastNotFound")
            self.broadcasts[body["id"]].update({key: value for key, value in body.items() if key != "id"})
            return 200, self.broadcasts[body["id"]]
        if method == "DELETE":
            if self.broadcasts.pop(query["id"], None) is None:
                return youtube_error(404, "liveBroadcastNotFound")
            return 204, None
        return 405, None

    def _liveBroadcasts_bind(self, method, query, body):
        if query["id"] not in self.broadcasts:
            return youtube_error(404, "liveBroadcastNotFound")
        if query.get("streamId") not in self.streams:
            return youtube_error(404, "liveStreamNotFound")
        self.bindings[query["id"]] = query["streamId"]
        return 200, {"id": query["id"], "contentDetails": {"boundStreamId": query["streamId"]}}

    def _liveStreams(self, method, query, body):
        if method == "GET":
            items = [self.streams[query["id"]]] if query.get("id") in self.streams else []
            return 200, {"items": items}
        stream_id = f"st{next(self._ids):09d}"
        self.streams[stream_id] = {"id": stream_id, **body, "cdn": {
            **body["cdn"], "ingestionInfo": {"ingestionAddress": "rtmp://a.rtmp.youtube.com/live2",
                                             "streamName": f"key-{stream_id}"}}}
        return 200, self.streams[stream_id]

    def _videos(self, method, query, body):
        if query["id"] not in self.broadcasts:
            return 200, {"items": []}
        return 200, {"items": [{"id": query["id"], **self.statistics.get(query["id"], {})}]}
