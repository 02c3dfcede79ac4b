"""Keep each session's broadcast on the department's channel in step with the session.

A change to a session only records what the channel still owes it (`youtube_action`) and commits; the work
is done here, right after the commit for a few sessions and by `flask youtube sync` for the rest and for
retries. A session is claimed with a conditional UPDATE before any call, so a double click, two app
servers or an overlapping run never work on one session at once; creating first looks for a broadcast
carrying the session's marker, so a create whose answer was lost is never repeated.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import google_auth_httplib2
import httplib2
from flask import current_app
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import or_, select, update

from trainer.core import clock
from trainer.core.database import utc_now
from trainer.extensions import db
from trainer.programmes.models import SessionStatus, TrainingSession, YouTubeAction
from trainer.programmes.signals import sessions_changed
from trainer.youtube import api, oauth
from trainer.youtube.models import YouTubeChannel

LEASE = timedelta(minutes=5)
RETRY_MINUTES = (1, 5, 15, 60, 180)  # after the 1st, 2nd, … failure; the last one repeats
HTTP_TIMEOUT = 20  # seconds per YouTube request
STATS_EVERY = timedelta(minutes=5)
STATS_FOR = timedelta(days=7)  # YouTube's figures settle within days of a broadcast

EXPLANATIONS = {
    api.ErrorKind.QUOTA_EXCEEDED: _l(
        "YouTube's daily allowance of requests for the channel is used up. The session is saved; its "
        "broadcast will be made automatically once the allowance renews (at 1:30 pm IST)."),
    api.ErrorKind.LIVE_NOT_ENABLED: _l(
        "Live streaming is not enabled on the department's YouTube channel. Enable it in YouTube Studio "
        "(it can take 24 hours); the session is saved and the broadcast will be tried again."),
    api.ErrorKind.TOKEN_REVOKED: _l(
        "The channel's permission has been withdrawn or has expired. An administrator must connect the "
        "channel again; the session is saved and its broadcast will follow then."),
    api.ErrorKind.NETWORK: _l(
        "YouTube could not be reached. The session is saved; its broadcast will be tried again in a few "
        "minutes."),
    api.ErrorKind.NOT_FOUND: _l("YouTube no longer knows this broadcast; it will be made again."),
    api.ErrorKind.INVALID_REQUEST: _l(
        "YouTube refused the broadcast's details. The session is saved; check its time and title, then "
        "try again."),
    api.ErrorKind.NO_CHANNEL: _l("The connected Google account has no YouTube channel."),
    api.ErrorKind.OTHER: _l("YouTube answered with an unexpected error. The session is saved and will be "
                            "tried again."),
}


def explain(kind: str | None) -> str:
    """Return the explanation of an error kind for people, in the page's language."""
    if not kind:
        return ""
    try:
        return str(EXPLANATIONS[api.ErrorKind(kind)])
    except ValueError:
        return str(EXPLANATIONS[api.ErrorKind.OTHER])


# The connection


def connected_channel() -> YouTubeChannel | None:
    return db.session.get(YouTubeChannel, 1)


def cipher() -> oauth.TokenCipher:
    return oauth.TokenCipher(current_app.config["SECRET_KEY"])


def client_config() -> dict | None:
    """Return the OAuth client configuration, or None when the department has not set one."""
    config = current_app.config
    if not (config["YOUTUBE_CLIENT_ID"] and config["YOUTUBE_CLIENT_SECRET"]):
        return None
    return oauth.client_config(config["YOUTUBE_CLIENT_ID"], config["YOUTUBE_CLIENT_SECRET"],
                               auth_uri=config["YOUTUBE_AUTH_URI"], token_uri=config["YOUTUBE_TOKEN_URI"])


def service_for_credentials(credentials):
    """Build the API client on the configured endpoint, with a bounded wait per request."""
    http = google_auth_httplib2.AuthorizedHttp(credentials, http=httplib2.Http(timeout=HTTP_TIMEOUT))
    return api.build_service(None, endpoint=current_app.config["YOUTUBE_API_ENDPOINT"], http=http)


def service_for(channel: YouTubeChannel):
    """Build the API client of the connected channel, or raise YouTubeError if its token is unusable."""
    config = current_app.config
    try:
        refresh_token = cipher().decrypt(channel.refresh_token)
    except oauth.TokenUnreadable as error:
        raise api.YouTubeError(api.ErrorKind.TOKEN_REVOKED, "stored token unreadable") from error
    credentials = oauth.credentials_from_refresh_token(refresh_token, config["YOUTUBE_CLIENT_ID"],
                                                       config["YOUTUBE_CLIENT_SECRET"], config["YOUTUBE_TOKEN_URI"])
    return service_for_credentials(credentials)


def connect(credentials, user_id: int | None) -> YouTubeChannel:
    """Store the channel the credentials belong to, with its reusable live stream; pending work is due now."""
    with service_for_credentials(credentials) as service:
        found = api.get_channel(service)
        channel = _store_channel(found, credentials, user_id)
        _ensure_stream(service, channel)
    db.session.execute(update(TrainingSession).where(TrainingSession.youtube_action.is_not(None))
                       .values(youtube_retry_at=None))
    db.session.flush()
    return channel


def _store_channel(found: api.Channel, credentials, user_id: int | None) -> YouTubeChannel:
    channel = connected_channel() or YouTubeChannel(id=1)
    if channel.channel_id != found.id:
        channel.stream_id = channel.stream_address = channel.stream_key = None
    channel.channel_id, channel.channel_title = found.id, found.title
    channel.refresh_token = cipher().encrypt(credentials.refresh_token)
    channel.connected_by_id, channel.connected_at = user_id, utc_now()
    channel.checked_at, channel.last_error = utc_now(), None
    db.session.add(channel)
    return channel


def disconnect() -> None:
    """Forget the channel and its token; broadcasts already made stay on YouTube."""
    channel = connected_channel()
    if channel is not None:
        db.session.delete(channel)
        db.session.flush()


def check(channel: YouTubeChannel) -> api.Channel | None:
    """Ask YouTube whether the connection works; record and return the answer."""
    channel.checked_at = utc_now()
    try:
        with service_for(channel) as service:
            found = api.get_channel(service)
    except api.YouTubeError as error:
        channel.last_error = error.kind.value
        return None
    channel.last_error = None
    channel.channel_title = found.title
    return found


def stream_key(channel: YouTubeChannel) -> str | None:
    """Return the stream key in clear, for admins and trainers setting up the encoder."""
    if not channel.stream_key:
        return None
    try:
        return cipher().decrypt(channel.stream_key)
    except oauth.TokenUnreadable:
        return None


def _ensure_stream(service, channel: YouTubeChannel) -> str:
    stream = api.ensure_stream(service, channel.stream_id, gettext("Trainer live stream"))
    if stream.id != channel.stream_id:
        channel.stream_id = stream.id
        channel.stream_address = stream.ingestion_address
        channel.stream_key = cipher().encrypt(stream.stream_name)
    return stream.id


# Sessions


@dataclass(frozen=True)
class Outcome:
    """What became of one session's pending YouTube work."""

    session_id: int
    done: bool
    error: str | None = None


def marker(session: TrainingSession) -> str:
    return f"trainer-session:{session.uid}"


def broadcast_details(session: TrainingSession) -> api.BroadcastDetails:
    """Describe the session for YouTube: Hindi title and description, times, the programme's privacy."""
    programme = session.programme
    modules = " · ".join(module.title_hi for module in session.modules)
    divisions = ", ".join(division.name_hi for division in session.divisions)
    lines = [programme.title_hi, "", f"विषय: {modules}", f"संभाग: {divisions}"]
    if session.experts:
        lines.append("विशेषज्ञ: " + ", ".join(session.experts))
    if programme.description_hi:
        lines += ["", programme.description_hi]
    if session.webcast_url:
        lines += ["", f"एनआईसी वेबकास्ट: {session.webcast_url}"]
    if session.meeting_url:
        lines.append(f"वीडियो कॉन्फ्रेंस: {session.meeting_url}")
    return api.BroadcastDetails(
        title=f"{modules} | {divisions} | {programme.title_hi}", description="\n".join(lines),
        start=session.starts_at, end=session.ends_at, privacy=programme.youtube_privacy.value,
        marker=marker(session))


def make_due(session: TrainingSession) -> None:
    """Let the session's pending work be tried at once."""
    session.youtube_retry_at = None


def push_now(session_ids: list[int]) -> list[tuple[str, str]]:
    """Do the pending YouTube work of a few sessions now; return flash messages (text, category)."""
    pending = list(db.session.scalars(select(TrainingSession.id).where(
        TrainingSession.id.in_(session_ids), TrainingSession.youtube_action.is_not(None))))
    if not pending:
        return []
    if connected_channel() is None:
        return [(gettext("The YouTube channel is not connected, so no broadcast was made. Paste a YouTube "
                         "link into the session, or ask an administrator to connect the channel: the "
                         "broadcasts will then be made by themselves."), "info")]
    limit = current_app.config.get("YOUTUBE_INLINE_LIMIT", 10)
    outcomes = [process(session_id) for session_id in pending[:limit]]
    return summarise(outcomes, later=len(pending) - limit)


@sessions_changed.connect
def _push_changed(_app, session_ids) -> list[tuple[str, str]]:
    """After sessions people can see changed: try their broadcasts now; what fails is retried later."""
    return push_now(session_ids)


def summarise(outcomes: list[Outcome], later: int = 0) -> list[tuple[str, str]]:
    """Word a batch of outcomes: how many went through, and each kind of problem once."""
    messages = []
    done = sum(outcome.done for outcome in outcomes)
    if done:
        messages.append((ngettext("%(num)s YouTube broadcast is up to date.",
                                  "%(num)s YouTube broadcasts are up to date.", done), "success"))
    for kind, _count in Counter(o.error for o in outcomes if o.error).most_common():
        messages.append((explain(kind), "warning"))
    if later > 0:
        messages.append((ngettext("%(num)s more broadcast will be made within a few minutes.",
                                  "%(num)s more broadcasts will be made within a few minutes.", later), "info"))
    return messages


def due_sessions(now: datetime, limit: int) -> list[int]:
    """Return ids of sessions whose pending work may be tried now, soonest session first."""
    query = (select(TrainingSession.id)
             .where(TrainingSession.youtube_action.is_not(None),
                    or_(TrainingSession.youtube_retry_at.is_(None), TrainingSession.youtube_retry_at <= now),
                    or_(TrainingSession.youtube_claimed_until.is_(None),
                        TrainingSession.youtube_claimed_until < now))
             .order_by(TrainingSession.starts_at).limit(limit))
    return list(db.session.scalars(query))


def process(session_id: int, now: datetime | None = None) -> Outcome:
    """Claim one session, do its pending work on the channel, and commit what came of it."""
    now = now or clock.now()
    claimed = db.session.execute(
        update(TrainingSession)
        .where(TrainingSession.id == session_id, TrainingSession.youtube_action.is_not(None),
               or_(TrainingSession.youtube_claimed_until.is_(None), TrainingSession.youtube_claimed_until < now))
        .values(youtube_claimed_until=now + LEASE)).rowcount
    db.session.commit()
    if not claimed:
        return Outcome(session_id, done=False)  # nothing owed, or another worker holds it
    session = db.session.get(TrainingSession, session_id)
    channel = connected_channel()
    try:
        if channel is None:
            raise api.YouTubeError(api.ErrorKind.TOKEN_REVOKED, "no channel connected")
        with service_for(channel) as service:
            _carry_out(service, channel, session)
    except api.YouTubeError as error:
        session.youtube_attempts += 1
        session.youtube_error = error.kind.value
        delay = RETRY_MINUTES[min(session.youtube_attempts, len(RETRY_MINUTES)) - 1]
        session.youtube_retry_at = now + timedelta(minutes=delay)
        session.youtube_claimed_until = None
        if channel is not None and error.kind is api.ErrorKind.TOKEN_REVOKED:
            channel.last_error = error.kind.value
        current_app.logger.warning("YouTube work for session %s failed: %s", session_id, error.detail)
        db.session.commit()
        return Outcome(session_id, done=False, error=error.kind.value)
    session.youtube_action = None
    session.youtube_error = None
    session.youtube_attempts = 0
    session.youtube_retry_at = session.youtube_claimed_until = None
    db.session.commit()
    return Outcome(session_id, done=True)


def _carry_out(service, channel: YouTubeChannel, session: TrainingSession) -> None:
    """Bring the broadcast in line with the session; progress is kept on the session as it is made."""
    wanted = session.youtube_action is YouTubeAction.SAVE and session.status in (
        SessionStatus.PUBLISHED, SessionStatus.LIVE)
    if not wanted:
        if session.youtube_broadcast_id:
            api.delete_broadcast(service, session.youtube_broadcast_id)
            if session.youtube_url.endswith(session.youtube_broadcast_id):
                session.youtube_url = ""
            session.youtube_broadcast_id = None
        return
    details = broadcast_details(session)
    if session.youtube_broadcast_id:
        try:
            api.update_broadcast(service, session.youtube_broadcast_id, details)
            return
        except api.YouTubeError as error:
            if error.kind is not api.ErrorKind.NOT_FOUND:
                raise
            session.youtube_broadcast_id = None  # deleted on YouTube by hand: make it again
    broadcast = api.create_broadcast(service, details)
    session.youtube_broadcast_id, session.youtube_url = broadcast.id, broadcast.watch_url
    db.session.commit()  # the broadcast exists now: never lose its id, whatever follows
    api.bind_broadcast(service, broadcast.id, _ensure_stream(service, channel))


def run_due(now: datetime | None = None, limit: int = 200) -> list[Outcome]:
    """Do every session's pending work that is due (for `flask youtube sync`)."""
    now = now or clock.now()
    return [process(session_id, now) for session_id in due_sessions(now, limit)]


def collect_stats(now: datetime | None = None) -> int:
    """Read views and concurrent viewers of running and recent broadcasts; return how many were read."""
    now = now or clock.now()
    channel = connected_channel()
    if channel is None:
        return 0
    sessions = list(db.session.scalars(select(TrainingSession).where(
        TrainingSession.youtube_broadcast_id.is_not(None),
        TrainingSession.status.in_((SessionStatus.LIVE, SessionStatus.COMPLETED)),
        TrainingSession.ends_at > now - STATS_FOR,
        or_(TrainingSession.youtube_stats_at.is_(None), TrainingSession.youtube_stats_at < now - STATS_EVERY))))
    if not sessions:
        return 0
    read = 0
    try:
        with service_for(channel) as service:
            for session in sessions:
                stats = api.get_stats(service, session.youtube_broadcast_id)
                session.youtube_stats_at = now
                if stats is None:
                    continue  # the video was deleted on YouTube
                session.youtube_views = stats.views
                if stats.concurrent_viewers is not None:
                    session.youtube_peak_viewers = max(session.youtube_peak_viewers or 0,
                                                       stats.concurrent_viewers)
                read += 1
    except api.YouTubeError as error:
        current_app.logger.warning("Reading YouTube statistics stopped: %s", error.detail)
    db.session.commit()
    return read


@dataclass(frozen=True)
class Status:
    """How a set of sessions stands with YouTube, for planning pages."""

    pending: int
    problem: str
    connected: bool = True
    without_link: int = 0  # without a channel: published sessions that have no YouTube link at all


def status_for(sessions: list[TrainingSession]) -> Status:
    """Count sessions still owed YouTube work and explain the most common problem among them; without a
    connected channel nothing is on its way, and what counts is the sessions still lacking a link."""
    if connected_channel() is None:
        lacking = [s for s in sessions if s.status in (SessionStatus.PUBLISHED, SessionStatus.LIVE)
                   and not s.youtube_url]
        return Status(0, "", connected=False, without_link=len(lacking))
    owed = [session for session in sessions if session.youtube_action]
    errors = Counter(session.youtube_error for session in owed if session.youtube_error)
    problem = explain(errors.most_common(1)[0][0]) if errors else ""
    return Status(len(owed), problem)


def session_note(session: TrainingSession, status: Status) -> str:
    """Say in a few words how one session stands with YouTube on the planning page ("" when all is well)."""
    if not status.connected:
        if session.youtube_url or session.status not in (SessionStatus.PUBLISHED, SessionStatus.LIVE):
            return ""  # a link pasted by hand is all there is to have
        return gettext("No YouTube link: paste one (no channel connected)")
    if not session.youtube_action:
        return ""
    if session.youtube_error:
        return gettext("YouTube: not done yet, will be tried again")
    if session.youtube_url and not session.youtube_broadcast_id:
        return gettext("YouTube broadcast to be made (it replaces the pasted link)")
    return gettext("YouTube broadcast on its way")
