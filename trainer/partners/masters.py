"""Master trainers: people trained through Trainer's programmes who teach their modules in turn, the modules they
may teach, and the modules that name them as experts (the calendar's clash check then counts them like any
expert, through Module.expert_list).

Planners keep the list; every member of staff reads it. Nothing here commits.
"""
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, select
from sqlalchemy.orm import selectinload

from trainer.contacts.services import normalise_mobile, valid_email
from trainer.core.roles import PLANNERS
from trainer.extensions import db
from trainer.partners.models import EMAIL_LENGTH_MAX, PERSON_LENGTH_MAX, MasterTrainer, Organisation
from trainer.programmes.models import Module, Programme
from trainer.regions.models import District

EDITOR_ROLES = PLANNERS


class MasterTrainerError(Exception):
    """What the master trainers' rules refuse; `message` says why, in the page's language."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = message


@dataclass(frozen=True)
class MasterTrainerValues:
    """A master trainer as given: who, how to reach them, where from, what they were trained in and may teach, and
    the modules that name them as experts (some of those they may teach)."""

    name: str
    mobile: str | None = None
    email: str | None = None
    organisation_id: int | None = None
    district_id: int | None = None
    programme_ids: tuple[int, ...] = ()
    module_ids: tuple[int, ...] = ()
    expert_module_ids: tuple[int, ...] = ()


def _rows(model, ids: tuple[int, ...]) -> list:
    wanted = set(ids)
    found = list(db.session.scalars(select(model).where(model.id.in_(wanted)).order_by(model.id))) if wanted else []
    if len(found) != len(wanted):
        raise MasterTrainerError(_l("Unknown programme or module."))
    return found


def save_master_trainer(values: MasterTrainerValues, trainer: MasterTrainer | None = None) -> MasterTrainer:
    """Add a master trainer (trainer None) or change one, with their programmes, modules and expert roles."""
    name = " ".join(values.name.split())
    if not name:
        raise MasterTrainerError(_l("Give the master trainer's name."))
    if len(name) > PERSON_LENGTH_MAX:
        raise MasterTrainerError(_l("The name is too long."))
    mobile = normalise_mobile(values.mobile) if values.mobile else None
    if values.mobile and mobile is None:
        raise MasterTrainerError(_l("The mobile number should have 10 digits."))
    email = (values.email or "").strip() or None
    if email is not None and (len(email) > EMAIL_LENGTH_MAX or not valid_email(email)):
        raise MasterTrainerError(_l("This e-mail address does not look right."))
    if values.organisation_id is not None and db.session.get(Organisation, values.organisation_id) is None:
        raise MasterTrainerError(_l("Unknown organisation."))
    if values.district_id is not None and db.session.get(District, values.district_id) is None:
        raise MasterTrainerError(_l("Unknown district."))
    if not set(values.expert_module_ids) <= set(values.module_ids):
        raise MasterTrainerError(_l("A master trainer is named an expert only of modules they may teach."))
    programmes = _rows(Programme, values.programme_ids)
    modules = _rows(Module, values.module_ids)
    if trainer is None:
        trainer = MasterTrainer()
        db.session.add(trainer)
    trainer.name, trainer.mobile, trainer.email = name, mobile, email
    trainer.organisation_id, trainer.district_id = values.organisation_id, values.district_id
    trainer.programmes = programmes
    trainer.modules = modules
    trainer.expert_of = [module for module in modules if module.id in set(values.expert_module_ids)]
    db.session.flush()
    return trainer


def master_trainer_query() -> Select:
    """Return the master trainers by name."""
    return select(MasterTrainer).options(selectinload(MasterTrainer.organisation)) \
        .order_by(MasterTrainer.name, MasterTrainer.id)


def load_master_trainer(trainer_id: int) -> MasterTrainer | None:
    """Return a master trainer with their programmes and modules, or None."""
    if not 0 < trainer_id < 2**31:
        return None
    return db.session.scalar(select(MasterTrainer).where(MasterTrainer.id == trainer_id).options(
        selectinload(MasterTrainer.programmes), selectinload(MasterTrainer.modules),
        selectinload(MasterTrainer.expert_of)))


def module_choices() -> list[tuple[int, str]]:
    """Return every module as (id, "programme — module"), the latest programme first."""
    rows = db.session.scalars(select(Module).join(Programme).options(selectinload(Module.programme))
                              .order_by(Programme.id.desc(), Module.position))
    return [(module.id, f"{module.programme.title} — {module.title}") for module in rows]


def programme_choices() -> list[tuple[int, str]]:
    """Return every programme as (id, title), the latest first."""
    return [(programme.id, programme.title)
            for programme in db.session.scalars(select(Programme).order_by(Programme.id.desc()))]
