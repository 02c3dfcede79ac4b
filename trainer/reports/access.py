"""Which programmes, sessions and places a viewer may report on: shared by the report pages, their files and
their JSON twins.

A report is never of a draft (drafts are the planners' only): a programme needs a published session, a
session must itself be published. An area-bound viewer reports only on what reaches their area.
"""
from flask import request
from flask_login import current_user

from trainer.core.bounds import database_int
from trainer.extensions import db
from trainer.programmes.models import Programme, SessionStatus, TrainingSession
from trainer.regions.areas import Area
from trainer.regions.models import Block, District, Division
from trainer.reports import queries

QUERY_LENGTH = 100


class Refused(Exception):
    """A report the viewer may not have: `status` is 404 (no such thing) or 403 (outside the area)."""

    def __init__(self, status: int) -> None:
        super().__init__(status)
        self.status = status


def reaches(area: Area, divisions) -> bool:
    """Say whether an area lies in one of these divisions: a programme or session it may report on."""
    return area.is_state or any(area.contains(division) for division in divisions)


def visible_glances(area: Area) -> list[queries.ProgrammeAtAGlance]:
    """Return the dashboard's programmes that reach the area."""
    return [glance for glance in queries.dashboard(area) if reaches(area, glance.programme.divisions)]


def reported_programme(programme_id: int) -> Programme:
    """Return a programme with published sessions that reaches the viewer's area, or raise Refused."""
    programme = db.session.get(Programme, programme_id)
    if programme is None or all(s.status is SessionStatus.DRAFT for s in programme.sessions):
        raise Refused(404)
    if not reaches(current_user.area, programme.divisions):
        raise Refused(403)
    return programme


def reported_session(session_id: int) -> TrainingSession:
    """Return a published (or held, or cancelled) session that reaches the viewer's area, or raise Refused."""
    session = db.session.get(TrainingSession, session_id)
    if session is None or session.status is SessionStatus.DRAFT:
        raise Refused(404)
    if not reaches(current_user.area, session.divisions):
        raise Refused(403)
    return session


def place_by_code(model, lgd_code: int | str | None):
    """Return the division, district or block with this LGD code, or None (also for codes no row can have)."""
    code = database_int(lgd_code)
    if code is None:
        return None
    return db.session.scalar(db.select(model).where(model.lgd_code == code))


def target_place(programme: Programme, model, lgd_code: int):
    """Return a division, district or block of the programme's divisions in the viewer's area, or raise Refused."""
    place = place_by_code(model, lgd_code)
    if place is None:
        raise Refused(404)
    if not current_user.area.contains(place):
        raise Refused(403)
    division = {Division: lambda p: p, District: lambda p: p.division,
                Block: lambda p: p.district.division}[model](place)
    if division not in programme.divisions:
        raise Refused(404)
    return place


def text_query() -> str:
    """Return the text to look for in written answers, from `q` (without NUL bytes: PostgreSQL refuses them)."""
    return request.args.get("q", "").replace("\x00", "")[:QUERY_LENGTH].strip()
