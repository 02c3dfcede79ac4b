"""Public pages of published programmes: calendars, division pages, session pages and iCalendar feeds.

Nobody signs in here, and nothing here ever shows a draft: every query goes through
services.sessions_of(public=True) or checks TrainingSession.is_public.
"""
import re
from collections import defaultdict
from datetime import date, datetime
from hashlib import sha256
from itertools import groupby

from flask import Blueprint, abort, current_app, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from trainer.core import clock
from trainer.core.clock import local_day
from trainer.core.i18n import current_language, localized_name
from trainer.extensions import db
from trainer.programmes import services
from trainer.programmes.ical import build_calendar
from trainer.programmes.links import youtube_embed_url
from trainer.programmes.models import PUBLIC_STATUSES, Programme, SessionStatus, TrainingSession
from trainer.programmes.share import division_names, time_range, web_link, whatsapp_message, whatsapp_url, youtube_link
from trainer.regions.models import Division

bp = Blueprint("public", __name__)

# Subscribed calendars and proxies may keep a feed this long (seconds); a change shows up soon enough.
FEED_MAX_AGE = 300
_MONTH = re.compile(r"(\d{4})-(\d{1,2})")


@bp.context_processor
def _helpers() -> dict:
    return dict(time_range=time_range, web_link=web_link, youtube_link=youtube_link,
                division_names=division_names, local_day=local_day)


# Looking up


def _public_programme_or_404(programme_id: int) -> tuple[Programme, list[TrainingSession]]:
    """Return a programme and its public sessions, or 404 when it has none (drafts are nobody's business)."""
    programme = db.get_or_404(Programme, programme_id)
    sessions = services.sessions_of(programme, public=True)
    if not sessions:
        abort(404)
    return programme, sessions


def _division_or_404(programme: Programme, division_code: int) -> Division:
    division = next((d for d in programme.divisions if d.lgd_code == division_code), None)
    if division is None:
        abort(404)
    return division


def public_spans(programme_ids: list[int]) -> dict[int, tuple[datetime, datetime, int]]:
    """Return each programme's first start, last end and number of public sessions, in one query."""
    if not programme_ids:
        return {}
    rows = db.session.execute(
        select(TrainingSession.programme_id, func.min(TrainingSession.starts_at),
               func.max(TrainingSession.ends_at), func.count())
        .where(TrainingSession.programme_id.in_(programme_ids), TrainingSession.status.in_(PUBLIC_STATUSES))
        .group_by(TrainingSession.programme_id))
    return {programme_id: (first, last, count) for programme_id, first, last, count in rows}


def by_day(sessions: list[TrainingSession]) -> list[tuple[date, list[TrainingSession]]]:
    """Group sessions in time order by their Asia/Kolkata date."""
    return [(day, list(group)) for day, group in groupby(sessions, key=lambda s: local_day(s.starts_at))]


def split_now(sessions: list[TrainingSession], moment: datetime) -> tuple[list, list, list]:
    """Split sessions into today's (by the Asia/Kolkata date, plus any still running), upcoming and past."""
    todays, upcoming, past = services.split_by_day(sessions, local_day(moment))
    running = [s for s in past if s.starts_at <= moment < s.ends_at]  # began before midnight, not over yet
    return running + todays, upcoming, [s for s in past if s not in running]


def programme_months(programme: Programme, sessions: list[TrainingSession]) -> list[tuple[int, int]]:
    """Return the (year, month) pairs the programme spans: its dates, stretched to any session outside them."""
    first = min(programme.first_day, local_day(sessions[0].starts_at))
    last = max(programme.last_day, local_day(sessions[-1].starts_at))
    months, year, month = [], first.year, first.month
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year, month + 1) if month < 12 else (year + 1, 1)
    return months


def chosen_month(value: str | None, months: list[tuple[int, int]], first_session: TrainingSession,
                 current: date) -> tuple[int, int]:
    """Read ?month=YYYY-MM; without it, this month while the programme runs, else its first session's month.

    A well-formed month outside the programme shows the nearest month it has; a malformed one is a 400.
    """
    if value:
        match = _MONTH.fullmatch(value.strip())
        if not match or not 1 <= int(match[2]) <= 12:
            abort(400)
        wanted = (int(match[1]), int(match[2]))
        return min(max(wanted, months[0]), months[-1])
    if (current.year, current.month) in months:
        return current.year, current.month
    first = local_day(first_session.starts_at)
    return first.year, first.month


def _feed_links(endpoint: str, **values) -> dict[str, str]:
    """Return a feed's https address (to copy) and its webcal:// address (to subscribe with one tap)."""
    https = url_for(endpoint, _external=True, **values)
    return {"https": https, "webcal": "webcal://" + https.split("://", 1)[1]}


# Pages


@bp.get("/programmes/")
def programmes():
    """List the programmes that have public sessions, with their dates, divisions and calendars."""
    found = services.list_programmes(public=True)
    return render_template("programmes/public_list.html", programmes=found,
                           spans=public_spans([p.id for p in found]))


@bp.get("/programmes/<int:programme_id>")
def programme(programme_id: int):
    """Show a programme, its modules and every public session grouped by day."""
    found, sessions = _public_programme_or_404(programme_id)
    return render_template("programmes/public_programme.html", programme=found, sessions=sessions,
                           days=by_day(sessions), feed=_feed_links("public.programme_ics", programme_id=found.id))


@bp.get("/programmes/<int:programme_id>/month")
def month(programme_id: int):
    """Show a programme's sessions on a month's calendar, Monday first."""
    found, sessions = _public_programme_or_404(programme_id)
    months = programme_months(found, sessions)
    year, number = chosen_month(request.args.get("month"), months, sessions[0], clock.today())
    days: dict[date, list[TrainingSession]] = defaultdict(list)
    for session in sessions:
        days[local_day(session.starts_at)].append(session)
    index = months.index((year, number))
    return render_template(
        "programmes/public_month.html", programme=found, shown=date(year, number, 1),
        weeks=services.month_grid(year, number), days=dict(days),
        in_month=any((day.year, day.month) == (year, number) for day in days),
        session_url=lambda s: url_for("public.session", session_id=s.id),
        previous=date(*months[index - 1], 1) if index > 0 else None,
        following=date(*months[index + 1], 1) if index + 1 < len(months) else None)


@bp.get("/programmes/<int:programme_id>/divisions/<int:division_code>")
def division(programme_id: int, division_code: int):
    """Show one division's sessions: today's and upcoming ones with their links, then past ones."""
    found, _all = _public_programme_or_404(programme_id)
    place = _division_or_404(found, division_code)
    moment = clock.now()
    todays, upcoming, past = split_now(services.sessions_of(found, division=place, public=True), moment)
    return render_template("programmes/public_division.html", programme=found, division=place,
                           todays=todays, upcoming=upcoming, past=list(reversed(past)), today=local_day(moment),
                           feed=_feed_links("public.division_ics", programme_id=found.id,
                                            division_code=place.lgd_code))


@bp.get("/sessions/<int:session_id>", endpoint="session")
def session_page(session_id: int):
    """Show a session with every way to watch it, and a message to forward on WhatsApp."""
    found = db.session.scalar(select(TrainingSession).where(TrainingSession.id == session_id).options(
        selectinload(TrainingSession.divisions), selectinload(TrainingSession.modules)))
    if found is None or not found.is_public:
        abort(404)
    cancelled = found.status is SessionStatus.CANCELLED
    video_id = None if cancelled else found.youtube_video_id
    message = whatsapp_message(found, url_for("public.session", session_id=found.id, _external=True),
                               url_for("attend.enter_code", _external=True))
    return render_template("programmes/public_session.html", session=found, programme=found.programme,
                           cancelled=cancelled, embed_url=youtube_embed_url(video_id) if video_id else None,
                           message=message, whatsapp=whatsapp_url(message))


# Feeds


@bp.get("/programmes/<int:programme_id>/calendar.ics")
def programme_ics(programme_id: int):
    """Serve a programme's public sessions as an iCalendar feed."""
    found, sessions = _public_programme_or_404(programme_id)
    return _feed(found, sessions, found.title, f"programme-{found.id}.ics")


@bp.get("/programmes/<int:programme_id>/divisions/<int:division_code>/calendar.ics")
def division_ics(programme_id: int, division_code: int):
    """Serve one division's public sessions of a programme as an iCalendar feed."""
    found, _all = _public_programme_or_404(programme_id)
    place = _division_or_404(found, division_code)
    sessions = services.sessions_of(found, division=place, public=True)
    return _feed(found, sessions, f"{found.title} — {localized_name(place)}",
                 f"programme-{found.id}-division-{place.lgd_code}.ics")


def _feed(programme: Programme, sessions: list[TrainingSession], name: str, filename: str):
    """Answer with a feed that calendar apps and proxies can revalidate cheaply (ETag, Last-Modified)."""
    body = build_calendar(sessions, name,
                          lambda s: url_for("public.session", session_id=s.id, _external=True))
    response = current_app.response_class(body)
    response.content_type = "text/calendar; charset=utf-8"
    response.headers["Content-Disposition"] = f'inline; filename="{filename}"'
    # The feed changes when a session or the programme does, and with the language (read from a cookie).
    key = [current_language(), str(programme.id), programme.updated_at.isoformat()]
    key += [f"{s.id}:{s.sequence}:{s.updated_at.isoformat()}" for s in sessions]
    response.set_etag(sha256("|".join(key).encode()).hexdigest()[:32])
    response.last_modified = max([programme.updated_at, *(s.updated_at for s in sessions)])
    response.cache_control.public = True
    response.cache_control.max_age = FEED_MAX_AGE
    response.vary.add("Cookie")
    return response.make_conditional(request)
