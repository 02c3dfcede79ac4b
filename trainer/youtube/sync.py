"""Keep each session's broadcast on the department's channel in step with the session.

What the channel owes a session is derived from the session and its YouTubeBroadcast (`owed_condition`), so a
change to a session needs only its own commit. The work runs on the job queue: after a planner's change
(`sessions_changed`) each session's task is enqueued, and a worker's sweep every minute picks up whatever is
owed and due (retries after failures, sessions whose task was lost). A session is claimed with a conditional
UPDATE before any call, so a double click, two workers or an overlapping sweep never work on one session at
once; creating first looks for a broadcast carrying the session's marker, so a create whose answer was lost
is never repeated.
"""
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

import google_auth_httplib2
import httplib2
from flask import current_app
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.exc import IntegrityError

from trainer.core import clock
from trainer.core.database import utc_now
from trainer.extensions import db
from trainer.jobs.queue import crontab, periodic_task, task
from trainer.programmes.models import SessionStatus, TrainingSession
from trainer.programmes.services import advance_statuses
from trainer.programmes.signals import sessions_changed
from trainer.youtube import api, oauth
from trainer.youtube.models import YouTubeBroadcast, YouTubeChannel

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
    make_due()
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


# What is owed

BROADCAST_STATUSES = (SessionStatus.PUBLISHED, SessionStatus.LIVE)  # sessions that have a broadcast to keep


def owed_condition():
    """Keep the sessions (outer-joined to their YouTubeBroadcast) that owe the channel work.

    A published or live session needs a broadcast unless it has a YouTube link of its own, and an update
    whenever its `sequence` moved since the broadcast was last brought in line; a cancelled one needs its
    broadcast deleted. Completed sessions keep theirs as they are.
    """
    broadcast = YouTubeBroadcast
    needs_saving = and_(
        TrainingSession.status.in_(BROADCAST_STATUSES),
        or_(and_(broadcast.broadcast_id.is_(None), TrainingSession.youtube_url == ""),
            and_(broadcast.broadcast_id.is_not(None),
                 or_(broadcast.synced_sequence.is_(None), broadcast.synced_sequence != TrainingSession.sequence))))
    needs_deleting = and_(TrainingSession.status == SessionStatus.CANCELLED, broadcast.broadcast_id.is_not(None))
    return or_(needs_saving, needs_deleting)


def _owed():
    return (select(TrainingSession.id)
            .outerjoin(YouTubeBroadcast, YouTubeBroadcast.session_id == TrainingSession.id)
            .where(owed_condition()))


def owed_count() -> int:
    """Count the sessions that owe the channel work."""
    return db.session.scalar(select(func.count()).select_from(_owed().subquery()))


def is_owed(session_id: int) -> bool:
    """Say whether one session owes the channel work now."""
    return db.session.scalar(_owed().where(TrainingSession.id == session_id)) is not None


def failing(limit: int = 20) -> list[TrainingSession]:
    """Return the sessions whose owed work failed last time, soonest first."""
    return list(db.session.scalars(
        select(TrainingSession).join(YouTubeBroadcast, YouTubeBroadcast.session_id == TrainingSession.id)
        .where(owed_condition(), YouTubeBroadcast.error.is_not(None))
        .order_by(TrainingSession.starts_at).limit(limit)))


@dataclass(frozen=True)
class Status:
    """How a set of sessions stands with YouTube, for planning pages."""

    owed: frozenset[int]  # ids of the sessions still owed work
    errors: dict[int, str]  # the last error of those whose last try failed
    problem: str  # the most common problem among them, in words
    connected: bool  # whether a channel is connected at all

    @property
    def pending(self) -> int:
        return len(self.owed)


def status_for(sessions) -> Status:
    """Say which of these sessions still owe the channel work and explain the most common problem, in one query."""
    ids = [session.id for session in sessions]
    rows = db.session.execute(
        _owed().add_columns(YouTubeBroadcast.error).where(TrainingSession.id.in_(ids))).all() if ids else []
    errors = {session_id: error for session_id, error in rows if error}
    common = Counter(errors.values()).most_common(1)
    return Status(frozenset(session_id for session_id, _error in rows), errors,
                  explain(common[0][0]) if common else "", connected_channel() is not None)


def session_note(session: TrainingSession, status: Status) -> str:
    """Say in a few words how one session stands with YouTube on the planning page ("" when all is well)."""
    if session.id not in status.owed:
        return ""
    if not status.connected:
        return gettext("No YouTube link: paste one (no channel connected)")
    if session.id in status.errors:
        return gettext("YouTube: not done yet, will be tried again")
    return gettext("YouTube broadcast on its way")


# Doing the work


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


def broadcast_of(session_id: int) -> YouTubeBroadcast:
    """Return the session's broadcast row, made (empty) the first time; commits the new row."""
    row = db.session.get(YouTubeBroadcast, session_id)
    if row is None:
        db.session.add(YouTubeBroadcast(session_id=session_id))
        try:
            db.session.commit()
        except IntegrityError:  # another worker made it at the same moment
            db.session.rollback()
        row = db.session.get(YouTubeBroadcast, session_id)
    return row


def make_due(session: TrainingSession | None = None) -> None:
    """Let owed work be tried at once, forgetting the back-off: one session's, or every session's."""
    statement = update(YouTubeBroadcast).values(retry_at=None)
    if session is not None:
        statement = statement.where(YouTubeBroadcast.session_id == session.id)
    db.session.execute(statement)


def due_sessions(now: datetime, limit: int) -> list[int]:
    """Return ids of sessions whose owed work may be tried now, soonest session first."""
    query = (_owed().where(or_(YouTubeBroadcast.retry_at.is_(None), YouTubeBroadcast.retry_at <= now),
                           or_(YouTubeBroadcast.claimed_until.is_(None), YouTubeBroadcast.claimed_until < now))
             .order_by(TrainingSession.starts_at).limit(limit))
    return list(db.session.scalars(query))


def process(session_id: int, now: datetime | None = None) -> Outcome:
    """Claim one session, bring its broadcast in line on the channel, and commit what came of it.

    Commits between steps on purpose: the claim before any call to YouTube, and a new broadcast's id as soon
    as YouTube has made it, so that nothing a worker did is lost if what follows fails.
    """
    now = now or clock.now()
    if not is_owed(session_id):
        return Outcome(session_id, done=False)
    broadcast_of(session_id)
    claimed = db.session.execute(
        update(YouTubeBroadcast)
        .where(YouTubeBroadcast.session_id == session_id,
               or_(YouTubeBroadcast.claimed_until.is_(None), YouTubeBroadcast.claimed_until < now))
        .values(claimed_until=now + timedelta(seconds=current_app.config["YOUTUBE_LEASE_SECONDS"]))).rowcount
    db.session.commit()
    if not claimed:
        return Outcome(session_id, done=False)  # another worker holds it
    session = db.session.get(TrainingSession, session_id)
    broadcast = db.session.get(YouTubeBroadcast, session_id)
    if not is_owed(session_id):  # another worker finished it between our look and our claim
        broadcast.claimed_until = None
        db.session.commit()
        return Outcome(session_id, done=False)
    sequence = session.sequence  # a change made while YouTube is called stays owed for the next sweep
    channel = connected_channel()
    try:
        if channel is None:
            raise api.YouTubeError(api.ErrorKind.TOKEN_REVOKED, "no channel connected")
        with service_for(channel) as service:
            _carry_out(service, channel, session, broadcast)
    except api.YouTubeError as error:
        broadcast.attempts += 1
        broadcast.error = error.kind.value
        delay = RETRY_MINUTES[min(broadcast.attempts, len(RETRY_MINUTES)) - 1]
        broadcast.retry_at = now + timedelta(minutes=delay)
        broadcast.claimed_until = None
        if channel is not None and error.kind is api.ErrorKind.TOKEN_REVOKED:
            channel.last_error = error.kind.value
        current_app.logger.warning("YouTube work for session %s failed: %s", session_id, error.detail)
        db.session.commit()
        return Outcome(session_id, done=False, error=error.kind.value)
    broadcast.synced_sequence = sequence
    broadcast.error = None
    broadcast.attempts = 0
    broadcast.retry_at = broadcast.claimed_until = None
    db.session.commit()
    return Outcome(session_id, done=True)


def _carry_out(service, channel: YouTubeChannel, session: TrainingSession, broadcast: YouTubeBroadcast) -> None:
    """Bring the broadcast in line with the session; progress is kept on the broadcast row as it is made."""
    if session.status not in BROADCAST_STATUSES:
        if broadcast.broadcast_id:
            api.delete_broadcast(service, broadcast.broadcast_id)
            if session.youtube_url.endswith(broadcast.broadcast_id):
                session.youtube_url = ""
            broadcast.broadcast_id = None
        return
    details = broadcast_details(session)
    if broadcast.broadcast_id:
        try:
            api.update_broadcast(service, broadcast.broadcast_id, details)
            return
        except api.YouTubeError as error:
            if error.kind is not api.ErrorKind.NOT_FOUND:
                raise
            broadcast.broadcast_id = None  # deleted on YouTube by hand: make it again
    made = api.create_broadcast(service, details)
    broadcast.broadcast_id, session.youtube_url = made.id, made.watch_url
    db.session.commit()  # the broadcast exists now: never lose its id, whatever follows
    api.bind_broadcast(service, made.id, _ensure_stream(service, channel))


def run_due(now: datetime | None = None, limit: int = 200) -> list[Outcome]:
    """Do every session's owed work that is due, here and now (for `flask youtube sync` and the sweep)."""
    now = now or clock.now()
    return [process(session_id, now) for session_id in due_sessions(now, limit)]


def collect_stats(now: datetime | None = None) -> int:
    """Read views and concurrent viewers of running and recent broadcasts; return how many were read."""
    now = now or clock.now()
    channel = connected_channel()
    if channel is None:
        return 0
    rows = db.session.scalars(
        select(YouTubeBroadcast).join(TrainingSession, TrainingSession.id == YouTubeBroadcast.session_id)
        .where(YouTubeBroadcast.broadcast_id.is_not(None),
               TrainingSession.status.in_((SessionStatus.LIVE, SessionStatus.COMPLETED)),
               TrainingSession.ends_at > now - STATS_FOR,
               or_(YouTubeBroadcast.stats_at.is_(None), YouTubeBroadcast.stats_at < now - STATS_EVERY))).all()
    if not rows:
        return 0
    read = 0
    try:
        with service_for(channel) as service:
            for broadcast in rows:
                stats = api.get_stats(service, broadcast.broadcast_id)
                broadcast.stats_at = now
                if stats is None:
                    continue  # the video was deleted on YouTube
                broadcast.views = stats.views
                if stats.concurrent_viewers is not None:
                    broadcast.peak_viewers = max(broadcast.peak_viewers or 0, stats.concurrent_viewers)
                read += 1
    except api.YouTubeError as error:
        current_app.logger.warning("Reading YouTube statistics stopped: %s", error.detail)
    db.session.commit()
    return read


def sync_all(limit: int = 200) -> tuple[int, list[Outcome], int]:
    """Advance session statuses, do the owed work that is due and read statistics; return what came of each."""
    changed = advance_statuses()
    db.session.commit()
    if connected_channel() is None:
        return changed, [], 0
    outcomes = run_due(limit=limit)
    return changed, outcomes, collect_stats()


# On the job queue


@task()
def sync_session(session_id: int) -> None:
    """Bring one session's broadcast in line (a worker's task, enqueued after a planner's change)."""
    process(session_id)


@periodic_task(crontab(minute="*"))
def sweep() -> None:
    """Every minute: statuses, owed work that is due (retries, lost tasks), statistics."""
    sync_all()


def enqueue(session_ids) -> list[tuple[str, str]]:
    """Put these sessions' owed work on the queue; return what to tell the planner (text, category)."""
    ids = list(session_ids)
    if not ids:
        return []
    if connected_channel() is None:
        owed = status_for(db.session.scalars(select(TrainingSession).where(TrainingSession.id.in_(ids))).all())
        if not owed.pending:
            return []
        return [(gettext("The YouTube channel is not connected, so no broadcast was made. Paste a YouTube "
                         "link into the session, or ask an administrator to connect the channel: the "
                         "broadcasts will then be made by themselves."), "info")]
    for session_id in ids:
        sync_session(session_id)
    # With a worker the tasks are still waiting; run at once (JOBS_URL=immediate), they are done already.
    status = status_for(db.session.scalars(select(TrainingSession).where(TrainingSession.id.in_(ids))).all())
    return summarise(len(ids) - status.pending, status)


def summarise(done: int, status: Status) -> list[tuple[str, str]]:
    """Word how a batch stands: how many are up to date, the problem if any, how many will follow."""
    messages = []
    if done:
        messages.append((ngettext("%(num)s YouTube broadcast is up to date.",
                                  "%(num)s YouTube broadcasts are up to date.", done), "success"))
    if status.problem:
        messages.append((status.problem, "warning"))
    elif status.pending:
        messages.append((ngettext("%(num)s more broadcast will be made within a few minutes.",
                                  "%(num)s more broadcasts will be made within a few minutes.", status.pending),
                         "info"))
    return messages


@sessions_changed.connect
def _enqueue_changed(_app, session_ids) -> list[tuple[str, str]]:
    """After sessions people can see changed: put their broadcasts' work on the queue."""
    return enqueue(session_ids)
