"""The home page, the language switch and the health check."""
from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.core.database import database_is_reachable
from trainer.core.i18n import remember_language
from trainer.core.roles import Role
from trainer.core.urls import safe_next_url
from trainer.regions.services import area_totals

bp = Blueprint("home", __name__)


@bp.get("/")
def index():
    """Show what the signed-in user can do, or the sign-in invitation."""
    totals = None
    if current_user.is_authenticated and current_user.role != Role.SECRETARY:
        totals = area_totals(current_user.area)
    return render_template("home/index.html", totals=totals)


@bp.post("/language")
def language():
    """Remember the chosen language (Hindi or English) in a cookie and go back."""
    target = safe_next_url(request.form.get("next")) or url_for("home.index")
    return remember_language(redirect(target), request.form.get("lang", ""))


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database answers, 503 when it does not."""
    ok = database_is_reachable()
    return jsonify(status="ok" if ok else "unavailable",
                   database="reachable" if ok else "unreachable"), 200 if ok else 503
