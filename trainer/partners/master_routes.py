"""The master trainers' pages: the list, one master trainer with the programmes they were trained in and the
modules they may teach or are named experts of, adding and changing one.

Every member of staff reads them; planners add and change them.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.core.auth import role_required
from trainer.core.roles import STAFF_ROLES
from trainer.core.urls import page_arg
from trainer.extensions import db
from trainer.partners import masters, plans
from trainer.partners.masters import MasterTrainerError
from trainer.partners.models import MasterTrainer
from trainer.partners.plan_forms import MasterTrainerForm

bp = Blueprint("masters", __name__, url_prefix="/partners/master-trainers")

READERS = STAFF_ROLES
EDITORS = masters.EDITOR_ROLES
PER_PAGE = 50


@bp.context_processor
def _helpers() -> dict:
    return dict(may_edit_masters=current_user.is_authenticated and current_user.has_role(*EDITORS))


def _trainer_or_404(trainer_id: int) -> MasterTrainer:
    trainer = masters.load_master_trainer(trainer_id)
    if trainer is None:
        abort(404)
    return trainer


@bp.get("")
@role_required(*READERS)
def index():
    """List the master trainers by name."""
    page = db.paginate(masters.master_trainer_query(), page=page_arg(), per_page=PER_PAGE, error_out=False)
    return render_template("partners/masters/index.html", page=page)


@bp.get("/<int:trainer_id>")
@role_required(*READERS)
def detail(trainer_id: int):
    """Show a master trainer: how to reach them, their programmes, the modules they may teach or are experts of."""
    return render_template("partners/masters/detail.html", trainer=_trainer_or_404(trainer_id))


def _submit(trainer: MasterTrainer | None):
    if request.method == "POST":
        form = MasterTrainerForm()
    else:
        form = MasterTrainerForm(formdata=None, data=MasterTrainerForm.data_of(trainer) if trainer else None)
    form.set_choices(plans.organisation_choices(), plans.district_choices(), masters.programme_choices(),
                     masters.module_choices())
    if form.validate_on_submit():
        try:
            saved = masters.save_master_trainer(form.values(), trainer)
        except MasterTrainerError as refused:
            db.session.rollback()
            form.form_errors.append(refused.message)
        else:
            db.session.commit()
            flash(_("The master trainer was saved."), "success")
            return redirect(url_for(".detail", trainer_id=saved.id))
    status = 400 if form.is_submitted() else 200
    return render_template("partners/masters/form.html", form=form, trainer=trainer), status


@bp.route("/new", methods=["GET", "POST"])
@role_required(*EDITORS)
def create():
    """Add a master trainer."""
    return _submit(None)


@bp.route("/<int:trainer_id>/edit", methods=["GET", "POST"])
@role_required(*EDITORS)
def edit(trainer_id: int):
    """Change a master trainer, their programmes and modules."""
    return _submit(_trainer_or_404(trainer_id))
