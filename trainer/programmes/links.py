"""Recognise the links a session is watched on."""
import re
from urllib.parse import parse_qs, urlsplit

_VIDEO_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be", "www.youtube-nocookie.com"}


def youtube_video_id(url: str | None) -> str | None:
    """Return the video id of a YouTube watch, live, embed or short link, or None for anything else."""
    if not url:
        return None
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or parts.hostname not in _YOUTUBE_HOSTS:
        return None
    if parts.hostname == "youtu.be":
        candidate = parts.path.strip("/")
    elif parts.path == "/watch":
        candidate = (parse_qs(parts.query).get("v") or [""])[0]
    else:
        segments = [segment for segment in parts.path.split("/") if segment]
        candidate = segments[1] if len(segments) == 2 and segments[0] in ("live", "embed", "shorts") else ""
    return candidate if _VIDEO_ID.match(candidate) else None


def youtube_watch_url(video_id: str) -> str:
    """Return the ordinary watch link of a video or broadcast."""
    return f"https://www.youtube.com/watch?v={video_id}"


def youtube_embed_url(video_id: str) -> str:
    """Return the privacy-enhanced player address for embedding a video."""
    return f"https://www.youtube-nocookie.com/embed/{video_id}"
