"""The home page, the language switch and the health check."""
from flask import Blueprint, current_app, jsonify, redirect, render_template, request, url_for
from flask_login import current_user

from trainer.core.database import database_is_reachable
from trainer.core.i18n import LANGUAGE_COOKIE, LOCALES
from trainer.core.roles import Role
from trainer.core.urls import safe_next_url
from trainer.regions.services import area_totals

bp = Blueprint("home", __name__)
ONE_YEAR = 365 * 24 * 3600


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
    choice = request.form.get("lang", "")
    target = safe_next_url(request.form.get("next")) or url_for("home.index")
    response = redirect(target)
    if choice in LOCALES:
        response.set_cookie(LANGUAGE_COOKIE, choice, max_age=ONE_YEAR, samesite="Lax", httponly=True,
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


@bp.get("/healthz")
def healthz():
    """Answer 200 when the database answers, 503 when it does not."""
    ok = database_is_reachable()
    return jsonify(status="ok" if ok else "unavailable",
                   database="reachable" if ok else "unreachable"), 200 if ok else 503
