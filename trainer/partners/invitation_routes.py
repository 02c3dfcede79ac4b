"""Inviting a programme's partner organisations to its sessions, for its planners: the sessions with the
invitations already sent, the partners that cannot be written to, and the button that sends them. The views join
the /partners/programmes blueprint of trainer.partners.programme_routes."""
from flask import abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from trainer.core import clock
from trainer.core.auth import role_required
from trainer.core.i18n import format_number
from trainer.extensions import db
from trainer.messaging import tasks
from trainer.messaging.outbox import sendable_channels
from trainer.partners import invitations
from trainer.partners.programme_forms import InviteForm
from trainer.partners.programme_routes import EDITORS, bp
from trainer.programmes.models import Programme, TrainingSession


@bp.get("/<int:programme_id>/invitations")
@role_required(*EDITORS)
def invitations_page(programme_id: int):
    """Show the programme's sessions with the invitations sent to its partners, and the button for each."""
    programme = db.get_or_404(Programme, programme_id)
    sessions = invitations.sessions_of(programme.id)
    now = clock.now()
    return render_template("partners/invitations.html", programme=programme, sessions=sessions,
                           open={s.id for s in sessions if invitations.invitable(s, now)},
                           counts=invitations.invitation_counts([s.id for s in sessions]),
                           unreachable=invitations.unreachable_partners(programme.id), can_send=bool(sendable_channels(invitations.KIND)),
                           form=InviteForm(formdata=None))


@bp.post("/<int:programme_id>/sessions/<int:session_id>/invite")
@role_required(*EDITORS)
def invite(programme_id: int, session_id: int):
    """Invite every partner of the programme to one of its sessions through the outbox."""
    programme = db.get_or_404(Programme, programme_id)
    session = db.session.get(TrainingSession, session_id)
    if session is None or session.programme_id != programme.id:
        abort(404)
    back = redirect(url_for(".invitations_page", programme_id=programme.id))
    if not InviteForm().validate_on_submit():
        flash(_("Nothing was sent: the form had expired. Try again."), "error")
        return back
    if not programme.reaches.partners:
        flash(_("Nothing was sent: the programme does not reach partner organisations."), "error")
        return back
    if not invitations.invitable(session, clock.now()):
        flash(_("Nothing was sent: the session is over, cancelled or not yet published."), "error")
        return back
    done = invitations.invite(session, current_user.id)
    db.session.commit()
    tasks.kick()
    if done.messages:
        flash(ngettext("%(num)s message was put in the outbox for %(organisations)s partner organisations.",
                       "%(num)s messages were put in the outbox for %(organisations)s partner organisations.",
                       done.messages, organisations=format_number(done.organisations)), "success")
    else:
        flash(_("Nothing new was sent: every partner that can be written to was invited already."), "info")
    if done.codes:
        flash(ngettext("%(num)s partner received its first access code with the invitation.",
                       "%(num)s partners received their first access code with the invitation.", done.codes), "info")
    if done.unreachable:
        flash(ngettext("%(num)s partner has no one with a mobile number or e-mail address: invite it otherwise.",
                       "%(num)s partners have no one with a mobile number or e-mail address: invite them otherwise.",
                       len(done.unreachable)), "error")
    return back
