"""Which of a programme's partner organisations completed it: the programme's one completion rule
(trainer.reports.queries.unit_progress) read over the organisations' attendance, and which partners an area's
viewer counts. The partner report counts them; their certificates of participation go to them."""
from sqlalchemy import ColumnElement, select, true

from trainer.partners.attendance import ORGANISATION
from trainer.partners.models import Organisation, ProgrammePartner
from trainer.programmes.models import Programme
from trainer.regions.areas import STATE, Area
from trainer.regions.models import District
from trainer.reports.queries import unit_progress


def in_area(area: Area) -> ColumnElement[bool]:
    """Keep the organisations an area's viewer counts: those based in the area; every one for the whole state."""
    if area.is_state:
        return true()
    return Organisation.district_id.in_(select(District.id).where(area.condition(District)))


def organisation_progress(programme: Programme):
    """A subquery with one row per organisation that attended the programme: unit_id, sessions, participants and
    trained_at (NULL until it met the programme's completion rule)."""
    return unit_progress(programme, ORGANISATION)


def completed_partner_ids(programme: Programme, area: Area = STATE):
    """Select the ids of the programme's partner organisations (of the area) that met its completion rule."""
    progress = organisation_progress(programme)
    return (select(Organisation.id).join(ProgrammePartner, (ProgrammePartner.organisation_id == Organisation.id)
                                         & (ProgrammePartner.programme_id == programme.id))
            .join(progress, progress.c.unit_id == Organisation.id)
            .where(progress.c.trained_at.is_not(None), in_area(area)))
