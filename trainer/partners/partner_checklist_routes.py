"""Staff's attendance of a programme's partners at one of its sessions: a head-count for several partners at once,
a mark's correction and each partner's history. Its views join the /partners/programmes blueprint of
trainer.partners.programme_routes, for the programme's planners.

The rules are the gram panchayats' checklist's: the session's recording window (trainer.attendance.rules), asking
before someone else's mark is replaced (trainer.attendance.services), the statements that keep one row per
organisation per session with its history (trainer.partners.attendance).
"""
from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from flask_login import current_user

from trainer.attendance import rules
from trainer.attendance.models import MarkSource
from trainer.attendance.rules import recording_refusal
from trainer.attendance.services import AttendanceError, replaces_anothers_mark
from trainer.core import clock
from trainer.core.auth import role_required
from trainer.core.database import retry_on_conflict
from trainer.extensions import db
from trainer.partners import attendance as partner_attendance
from trainer.partners import programme_partners
from trainer.partners.models import Organisation
from trainer.partners.programme_forms import partner_checklist_form
from trainer.partners.programme_routes import EDITORS, bp
from trainer.programmes.models import Programme, TrainingSession
from trainer.programmes.share import division_names, time_range

# How an organisation's mark was made, in words for staff.
SOURCE_LABELS = {
    MarkSource.POSTER: _l("printed QR code"),
    MarkSource.LIVE: _l("QR code on the stream"),
    MarkSource.CHECKLIST: _l("marked by staff"),
    MarkSource.UPLOAD: _l("CSV file"),
    MarkSource.COMMAND: _l("imported by the administrator"),
    MarkSource.SMS: _l("SMS"),
}


def _session_of(programme_id: int, session_id: int) -> tuple[Programme, TrainingSession]:
    """Return the programme and its session: 404 for a session of another programme, a draft or a cancelled one."""
    programme = db.get_or_404(Programme, programme_id)
    session = db.get_or_404(TrainingSession, session_id)
    if session.programme_id != programme.id or not rules.can_be_marked(session):
        abort(404)
    return programme, session


@bp.route("/<int:programme_id>/sessions/<int:session_id>/attendance", methods=["GET", "POST"])
@role_required(*EDITORS)
@retry_on_conflict
def checklist(programme_id: int, session_id: int):
    """List the programme's partners with their marks at the session and mark or correct several at once."""
    programme, session = _session_of(programme_id, session_id)
    organisations = [partner.organisation for partner in programme_partners.partners_of(programme)]
    marked = partner_attendance.marks_at(session.id, [organisation.id for organisation in organisations])
    form = partner_checklist_form(organisations)
    refusal = recording_refusal(session, clock.now())
    replacing, status = [], 200
    if form.validate_on_submit():
        chosen = form.chosen()
        replacing = [(organisation, marked[organisation.id], participants) for organisation, participants in chosen
                     if replaces_anothers_mark(marked.get(organisation.id), current_user.id)]
        answer = request.form.get("replace")
        if answer == "no":
            kept = {organisation.id for organisation, _mark, _new in replacing}
            chosen, replacing = [(o, n) for o, n in chosen if o.id not in kept], []
        if refusal:
            flash(refusal, "error")
            replacing = []
        elif not chosen:
            flash(_("Nothing was saved: every partner given a number is marked by someone else."), "error")
        elif replacing and answer != "yes":
            pass  # the page below names what would be replaced and asks first
        else:
            try:
                partner_attendance.mark_many(session, [(organisation.id, participants)
                                                       for organisation, participants in chosen],
                                             MarkSource.CHECKLIST, current_user.id, clock.now())
            except AttendanceError as exc:
                db.session.rollback()
                flash(_("Nothing was saved: %(reason)s", reason=exc.message), "error")
                status = 422
            else:
                db.session.commit()
                flash(ngettext("%(num)s partner was marked.", "%(num)s partners were marked.", len(chosen)),
                      "success")
                return redirect(url_for(".checklist", programme_id=programme.id, session_id=session.id))
    elif request.method == "POST":
        flash(_("Nothing was saved: correct the partners shown below and submit again."), "error")
        status = 422
    return render_template("partners/partner_checklist.html", programme=programme, session=session, form=form,
                           organisations=organisations, marked=marked, refusal=refusal, replacing=replacing,
                           source_label=SOURCE_LABELS.get, time_range=time_range,
                           division_names=division_names), status


@bp.get("/<int:programme_id>/sessions/<int:session_id>/attendance/<int:organisation_id>/history")
@role_required(*EDITORS)
def history(programme_id: int, session_id: int, organisation_id: int):
    """Show every mark of one partner at a session: how many, how it was made, by whom and when."""
    programme, session = _session_of(programme_id, session_id)
    organisation = db.get_or_404(Organisation, organisation_id)
    marks = partner_attendance.history_of(session.id, organisation.id)
    # A partner taken off the programme keeps its marks, which stay readable.
    if not marks and not programme_partners.is_partner(programme.id, organisation.id):
        abort(404)
    return render_template("partners/partner_history.html", programme=programme, session=session,
                           organisation=organisation, marks=marks, source_label=SOURCE_LABELS.get,
                           time_range=time_range, division_names=division_names)
