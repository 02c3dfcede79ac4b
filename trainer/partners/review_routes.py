"""The screening pages: a reviewer's own reviews (made on a phone), and for call managers the call's reviewers,
conflicts of interest, the giving out of applications, the screening table and its workbook.

A reviewer sees and scores only the applications given to them; call managers (the calls' editors) see every
review of a call.
"""
from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from trainer.core.auth import role_required
from trainer.core.downloads import attachment
from trainer.extensions import db
from trainer.partners import applications, calls, review_exports, reviews
from trainer.partners.models import THEME_LABELS, Call
from trainer.partners.review_forms import (
    AssignForm,
    AssignOneForm,
    ConflictForm,
    PersonForm,
    ReviewerForm,
    UnassignForm,
    review_form,
)
from trainer.partners.reviews import MANAGER_ROLES, REVIEWER_ROLES, ReviewError

bp = Blueprint("reviews", __name__, url_prefix="/partners/reviews")

@bp.context_processor
def _helpers() -> dict:
    signed_in = current_user.is_authenticated
    return dict(manages_calls=signed_in and current_user.has_role(*MANAGER_ROLES), spread_flag=reviews.SPREAD_FLAG,
                theme_labels=THEME_LABELS)


def _call_or_404(call_id: int) -> Call:
    call = calls.load_call(call_id)
    if call is None:
        abort(404)
    return call


def _name(user) -> str:
    return user.full_name or user.username


def _party_choices(call: Call, manager: bool) -> list[SelectChoice]:
    # A call manager picks among the organisations that applied and the applications; a reviewer, who sees only
    # the applications given to them, among the whole registry (which every member of staff reads) and those.
    if manager:
        organisations = reviews.conflict_organisations(call)
        given = [a for a in applications.applications_of(call) if a.state.value != "draft"]
    else:
        organisations = reviews.registry_organisations()
        given = [r.application for r in reviews.reviews_of(current_user.id) if r.application.call_id == call.id]
    return [SelectChoice("", "—"),
            *(SelectChoice(f"o{o.id}", _("Organisation: %(name)s", name=o.name_hi or o.name_en))
              for o in organisations),
            *(SelectChoice(f"a{a.id}", _("Application: %(reference)s %(name)s", reference=a.reference,
                                         name=a.name_hi or a.name_en)) for a in given)]


def _conflict_form(call: Call, formdata=None, manager: bool = False) -> ConflictForm:
    form = ConflictForm(formdata=formdata)
    form.party.choices = _party_choices(call, manager)
    if manager:
        form.user.choices = [SelectChoice(reviewer.user_id, _name(reviewer.user))
                             for reviewer in reviews.reviewers_of(call)]
    return form


# A reviewer's own pages


@bp.get("")
@role_required(*REVIEWER_ROLES)
def index():
    """List the applications given to me to review, those still to be done first."""
    mine = reviews.reviews_of(current_user.id)
    return render_template("partners/reviews/index.html", reviews=mine, can_change=reviews.can_change,
                           reviewed_calls=[(c, _conflict_form(c), reviews.conflicts_of(c, current_user.id))
                                           for c in reviews.calls_reviewed_by(current_user.id)])


@bp.route("/<int:review_id>", methods=["GET", "POST"])
@role_required(*REVIEWER_ROLES)
def review(review_id: int):
    """Score an application given to me, criterion by criterion, and recommend it or not."""
    found = reviews.review_of(review_id, current_user.id)
    if found is None:
        abort(404)
    call = found.application.call
    data = {f"c{row.criterion_id}": row.score for row in found.scores}
    if found.recommendation is not None:
        data.update(recommendation=found.recommendation.value, comment=found.comment)
    form = review_form(call, data=data)
    editable = reviews.can_change(found)
    if request.method == "POST":
        if not editable:
            flash(_("This application has been decided: its reviews can no longer be changed."), "error")
            return redirect(url_for(".review", review_id=found.id))
        if form.validate():
            try:
                reviews.save_review(found, form.scores(), form.recommendation_value(), form.comment.data or "")
            except ReviewError as refused:
                db.session.rollback()
                form.form_errors.append(refused.message)
            else:
                db.session.commit()
                flash(_("Your review was saved."), "success")
                return redirect(url_for(".index"))
    status = 400 if request.method == "POST" else 200
    return render_template("partners/reviews/review.html", review=found, call=call, form=form,
                           editable=editable), status


@bp.post("/calls/<int:call_id>/conflicts")
@role_required(*REVIEWER_ROLES)
def declare_conflict(call_id: int):
    """Declare a conflict of interest with an organisation or an application of the call (a call manager may
    declare one for any reviewer)."""
    call = _call_or_404(call_id)
    from_manage = current_user.has_role(*MANAGER_ROLES) and request.form.get("from") == "manage"
    form = _conflict_form(call, formdata=request.form, manager=from_manage)
    back = url_for(".manage", call_id=call.id) if from_manage else url_for(".index")
    if not form.validate():
        errors = [error for field in form for error in field.errors]
        flash(" ".join(str(error) for error in errors), "error")
        return redirect(back)
    user_id = (form.user.data or 0) if from_manage else current_user.id
    organisation_id, application_id = form.party_ids()
    try:
        reviews.declare_conflict(call, user_id, form.reason.data, current_user.id, organisation_id=organisation_id,
                                 application_id=application_id)
    except ReviewError as refused:
        db.session.rollback()
        flash(refused.message, "error")
        return redirect(back)
    db.session.commit()
    flash(_("The conflict of interest was recorded: such applications are not given to this reviewer."), "success")
    return redirect(back)


# The call managers' pages


def _manage(call: Call, status: int = 200, **forms):
    reviewers = reviews.reviewers_of(call)
    named = {reviewer.user_id for reviewer in reviewers}
    reviewer_form = forms.get("reviewer_form") or ReviewerForm(formdata=None)
    reviewer_form.user.choices = [SelectChoice(user.id, f"{_name(user)} ({user.role.label})") for user in reviews.candidates()
                                  if user.id not in named]
    one_form = forms.get("one_form") or AssignOneForm(formdata=None)
    rows = reviews.screening(call, "name")
    one_form.application.choices = [SelectChoice(row.application.id, f"{row.application.reference} "
                                     f"{row.application.name_hi or row.application.name_en}") for row in rows
                                    if row.application.state in reviews.OPEN_STATES]
    one_form.user.choices = [SelectChoice(reviewer.user_id, _name(reviewer.user)) for reviewer in reviewers]
    loads = {reviewer.user_id: 0 for reviewer in reviewers}
    for row in rows:
        for column in row.reviews:
            if column.user_id in loads:
                loads[column.user_id] += 1
    return render_template("partners/reviews/manage.html", call=call, reviewers=reviewers, loads=loads, rows=rows,
                           reviewer_form=reviewer_form, one_form=one_form,
                           assign_form=forms.get("assign_form") or AssignForm(formdata=None),
                           conflict_form=_conflict_form(call, manager=True), conflicts=reviews.conflicts_of(call),
                           person_form=PersonForm(formdata=None), unassign_form=UnassignForm(formdata=None),
                           shortfalls=forms.get("shortfalls", [])), status


@bp.get("/calls/<int:call_id>")
@role_required(*MANAGER_ROLES)
def manage(call_id: int):
    """Show the call's reviewers, their conflicts of interest and the applications given to each."""
    return _manage(_call_or_404(call_id))


def _refused(call: Call, refused: ReviewError):
    db.session.rollback()
    flash(refused.message, "error")
    return redirect(url_for(".manage", call_id=call.id))


@bp.post("/calls/<int:call_id>/reviewers")
@role_required(*MANAGER_ROLES)
def add_reviewer(call_id: int):
    """Name a member of staff a reviewer of the call."""
    call = _call_or_404(call_id)
    form = ReviewerForm()
    if not form.validate() or not form.user.data:
        return _manage(call, status=400, reviewer_form=form)
    try:
        reviewer = reviews.add_reviewer(call, form.user.data, current_user.id)
    except ReviewError as refused:
        return _refused(call, refused)
    db.session.commit()
    flash(_("%(name)s now reviews this call.", name=_name(reviewer.user)), "success")
    return redirect(url_for(".manage", call_id=call.id))


@bp.post("/calls/<int:call_id>/reviewers/remove")
@role_required(*MANAGER_ROLES)
def remove_reviewer(call_id: int):
    """Stop a reviewer reviewing the call (the reviews they made stay)."""
    call = _call_or_404(call_id)
    form = PersonForm()
    if not form.validate():
        abort(400)
    try:
        reviews.remove_reviewer(call, form.user_id())
    except ReviewError as refused:
        return _refused(call, refused)
    db.session.commit()
    flash(_("The reviewer was removed; the reviews they made still count."), "success")
    return redirect(url_for(".manage", call_id=call.id))


@bp.post("/calls/<int:call_id>/assign")
@role_required(*MANAGER_ROLES)
def assign(call_id: int):
    """Give every submitted application its reviewers, the least loaded first, none with a conflict."""
    call = _call_or_404(call_id)
    form = AssignForm()
    if not form.validate():
        return _manage(call, status=400, assign_form=form)
    try:
        done = reviews.assign(call, form.reviewers_each.data, current_user.id)
    except ReviewError as refused:
        return _refused(call, refused)
    db.session.commit()
    flash(ngettext("%(num)s application given to a reviewer.", "%(num)s applications given to reviewers.",
                   done.added), "success")
    if done.shortfalls:
        short = [ngettext("%(reference)s has %(num)s reviewer", "%(reference)s has %(num)s reviewers", s.reviewers,
                          reference=s.application.reference) for s in done.shortfalls]
        flash(_("These applications could not get %(count)s reviewers (too few reviewers without a conflict): "
                "%(list)s.", count=form.reviewers_each.data, list=", ".join(short)), "warning")
    return redirect(url_for(".manage", call_id=call.id))


@bp.post("/calls/<int:call_id>/assignments")
@role_required(*MANAGER_ROLES)
def assign_one(call_id: int):
    """Give one application to one reviewer, by hand."""
    call = _call_or_404(call_id)
    form = AssignOneForm()
    if not form.validate() or not form.application.data or not form.user.data:
        return _manage(call, status=400, one_form=form)
    try:
        reviews.assign_one(call, form.application.data, form.user.data, current_user.id)
    except ReviewError as refused:
        return _refused(call, refused)
    db.session.commit()
    flash(_("The application was given to the reviewer."), "success")
    return redirect(url_for(".manage", call_id=call.id))


@bp.post("/calls/<int:call_id>/assignments/remove")
@role_required(*MANAGER_ROLES)
def unassign(call_id: int):
    """Take an application back from a reviewer (with the review, if it was made)."""
    call = _call_or_404(call_id)
    form = UnassignForm()
    if not form.validate():
        abort(400)
    try:
        reviews.unassign(call, *form.ids())
    except ReviewError as refused:
        return _refused(call, refused)
    db.session.commit()
    flash(_("The application was taken back from the reviewer."), "success")
    return redirect(url_for(".manage", call_id=call.id))


def _sort() -> str:
    sort = request.args.get("sort", "mean")
    return sort if sort in reviews.SORTS else "mean"


@bp.get("/calls/<int:call_id>/screening")
@role_required(*MANAGER_ROLES)
def screening(call_id: int):
    """Show every application with each reviewer's scores side by side, the totals, the mean and the spread."""
    call = _call_or_404(call_id)
    sort = _sort()
    return render_template("partners/reviews/screening.html", call=call, rows=reviews.screening(call, sort),
                           sort=sort)


@bp.get("/calls/<int:call_id>/screening.xlsx")
@role_required(*MANAGER_ROLES)
def screening_xlsx(call_id: int):
    """Send every score of the call as a workbook: one row per application, reviewer and criterion, and a
    summary per application."""
    call = _call_or_404(call_id)
    content = review_exports.screening_xlsx(call, reviews.screening(call, _sort()))
    return attachment(content, "xlsx", _("screening-%(title)s", title=call.title), f"screening-call-{call.id}")
