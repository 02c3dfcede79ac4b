"""Connecting the department's YouTube channel, and how its broadcasts stand."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext as _
from flask_login import current_user

from trainer.core import clock
from trainer.core.auth import role_required
from trainer.core.forms import ConfirmForm
from trainer.core.roles import PLANNERS, Role
from trainer.extensions import db
from trainer.programmes.models import TrainingSession
from trainer.youtube import api, oauth, sync

bp = Blueprint("youtube", __name__, url_prefix="/youtube")
FLOW_KEY = "youtube_oauth"


@bp.get("/")
@role_required(*PLANNERS)
def status():
    """Show whether the channel is connected, its live stream, and the broadcasts still owed."""
    channel = sync.connected_channel()
    return render_template(
        "youtube/status.html", channel=channel, pending=sync.owed_count(), failing=sync.failing(),
        explain=sync.explain,
        stream_key=sync.stream_key(channel) if channel else None, configured=sync.client_config() is not None,
        confirm=ConfirmForm())


@bp.post("/connect")
@role_required(Role.ADMIN)
def connect():
    """Send the administrator to Google to let Trainer manage the channel's broadcasts."""
    config = sync.client_config()
    if config is None or not ConfirmForm().validate_on_submit():
        flash(_("The YouTube client is not configured: set YOUTUBE_CLIENT_ID and YOUTUBE_CLIENT_SECRET."), "error")
        return redirect(url_for("youtube.status"))
    url, state, verifier = oauth.start_authorization(config, _callback_url())
    session[FLOW_KEY] = {"state": state, "verifier": verifier}
    return redirect(url)


@bp.get("/callback")
@role_required(Role.ADMIN)
def callback():
    """Finish connecting: exchange Google's code, store the token encrypted, prepare the live stream."""
    flow = session.pop(FLOW_KEY, None)
    config = sync.client_config()
    if flow is None or config is None or request.args.get("state") != flow["state"]:
        flash(_("Connecting the channel did not complete. Please start again."), "error")
        return redirect(url_for("youtube.status"))
    if request.args.get("error"):
        flash(_("Google did not give permission (%(reason)s).", reason=request.args["error"][:60]), "error")
        return redirect(url_for("youtube.status"))
    try:
        credentials = oauth.finish_authorization(config, _callback_url(), flow["state"], flow["verifier"],
                                                 _callback_url() + "?" + request.query_string.decode())
        channel = sync.connect(credentials, current_user.id)
        db.session.commit()
    except api.YouTubeError as error:
        db.session.rollback()
        current_app.logger.warning("Connecting the YouTube channel failed: %s", error.detail)
        flash(sync.explain(error.kind) if error.kind is not api.ErrorKind.TOKEN_REVOKED else
              _("Google did not accept the permission. Please start again."), "error")
        return redirect(url_for("youtube.status"))
    flash(_("The channel “%(title)s” is connected.", title=channel.channel_title), "success")
    return redirect(url_for("youtube.status"))


def _callback_url() -> str:
    return url_for("youtube.callback", _external=True)


@bp.post("/disconnect")
@role_required(Role.ADMIN)
def disconnect():
    """Forget the channel and its token."""
    if ConfirmForm().validate_on_submit():
        sync.disconnect()
        db.session.commit()
        flash(_("The channel has been disconnected. Broadcasts already made stay on YouTube."), "success")
    return redirect(url_for("youtube.status"))


@bp.post("/check")
@role_required(*PLANNERS)
def check():
    """Ask YouTube now whether the connection works."""
    channel = sync.connected_channel()
    if channel is None:
        abort(404)
    if ConfirmForm().validate_on_submit():
        found = sync.check(channel)
        db.session.commit()
        if found:
            flash(_("The connection works: channel “%(title)s”.", title=found.title), "success")
        else:
            flash(sync.explain(channel.last_error), "error")
    return redirect(url_for("youtube.status"))


@bp.post("/sync")
@role_required(*PLANNERS)
def run_now():
    """Put the owed broadcast work on the queue now, back-off forgotten, instead of waiting for the next sweep."""
    if ConfirmForm().validate_on_submit():
        if sync.connected_channel() is None:
            flash(_("Connect the channel first."), "error")
        else:
            sync.make_due()
            db.session.commit()
            due = sync.due_sessions(clock.now(), limit=200)
            for message, category in sync.enqueue(due) or [(_("Nothing is waiting."), "info")]:
                flash(message, category)
    return redirect(url_for("youtube.status"))


@bp.post("/sessions/<int:session_id>/retry")
@role_required(*PLANNERS)
def retry(session_id: int):
    """Try the session's pending YouTube work again now."""
    session = db.get_or_404(TrainingSession, session_id)
    if ConfirmForm().validate_on_submit():
        sync.make_due(session)
        db.session.commit()
        for message, category in sync.enqueue([session.id]):
            flash(message, category)
    return redirect(url_for("plan.edit_session", session_id=session_id))


@bp.app_context_processor
def youtube_helpers() -> dict:
    """Let planning pages say how their sessions stand with YouTube."""
    return {"youtube_status": sync.status_for, "youtube_note": sync.session_note}
