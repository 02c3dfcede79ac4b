"""Signing in and out, one's own password, and the admin's account pages."""
from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_limiter.util import get_remote_address
from flask_login import current_user, login_required, logout_user
from sqlalchemy import or_, select

from trainer.accounts import services
from trainer.accounts.auth import sign_in
from trainer.accounts.forms import LoginForm, PasswordChangeForm, PasswordResetForm, UserCreateForm, UserForm
from trainer.accounts.models import User, UserLogin
from trainer.core.auth import role_required
from trainer.core.forms import ConfirmForm, one_line
from trainer.core.roles import Role
from trainer.core.urls import page_arg, safe_next_url
from trainer.extensions import db, limiter

auth_bp = Blueprint("auth", __name__)
admin_bp = Blueprint("admin", __name__, url_prefix="/admin")


def _login_limits(username: str) -> list[tuple[str, ...]]:
    """Return what a sign-in attempt counts against: its address, and the username it tries."""
    return [("login-address", get_remote_address()), ("login", services.normalise_username(username)[:64])]


@auth_bp.route("/login", methods=["GET", "POST"])
def login():
    """Sign in with a username and password."""
    if current_user.is_authenticated:
        return redirect(url_for("home.index"))
    form = LoginForm()
    if form.validate_on_submit():
        limit, counted = current_app.config["LOGIN_RATE_LIMIT"], _login_limits(form.username.data)
        # Counted before the password is checked, in one step of the shared storage: a burst of parallel guesses
        # gets no more checks than the limit, on one app server or many. A right password gives its place back.
        if not all([limiter.take(limit, *identifiers) for identifiers in counted]):
            abort(429)
        user = services.authenticate(form.username.data, form.password.data)
        if user is None:
            db.session.rollback()
            flash(_("Wrong username or password, or the account is disabled."), "error")
        else:
            for identifiers in counted:
                limiter.give_back(limit, *identifiers)
            sign_in(user, remember=form.remember.data)
            db.session.commit()
            return redirect(safe_next_url(request.args.get("next")) or url_for("home.index"))
    return render_template("accounts/login.html", form=form)


@auth_bp.post("/logout")
@login_required
def logout():
    """Sign out: this browser's sign-in ends on the server, so a copy of its cookies opens nothing either."""
    services.end_login(current_user.login)
    db.session.commit()
    logout_user()
    flash(_("You have signed out."), "info")
    return redirect(url_for("home.index"))


@auth_bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    """Change one's own password (signing out every other browser)."""
    form = PasswordChangeForm()
    if form.validate_on_submit():
        if not services.verify_password(current_user, form.current_password.data):
            form.current_password.errors.append(_("The current password is wrong."))
        else:
            user = current_user._get_current_object()
            services.set_password(user, form.password.data, keep=user.login)
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(url_for("home.index"))
    return render_template("accounts/password.html", form=form)


@auth_bp.get("/account/sessions")
@login_required
def sessions():
    """List the browsers and devices signed in to one's account."""
    return render_template("accounts/sessions.html", logins=services.live_logins(current_user),
                           current=current_user.login, confirm_form=ConfirmForm())


@auth_bp.post("/account/sessions/<int:login_id>/end")
@login_required
def end_session(login_id: int):
    """Sign one of one's other browsers or devices out."""
    login = db.get_or_404(UserLogin, login_id)
    if login.user_id != current_user.id or not ConfirmForm().validate_on_submit():
        abort(404)
    services.end_login(login)
    db.session.commit()
    if login.id == current_user.login.id:
        logout_user()
        flash(_("You have signed out."), "info")
        return redirect(url_for("home.index"))
    flash(_("That device has been signed out."), "success")
    return redirect(url_for(".sessions"))


@auth_bp.post("/account/sessions/end")
@login_required
def end_all_sessions():
    """Sign out everywhere: every browser and device of one's account, this one too."""
    if not ConfirmForm().validate_on_submit():
        abort(400)
    services.end_logins(current_user)
    db.session.commit()
    logout_user()
    flash(_("You have been signed out everywhere."), "info")
    return redirect(url_for("home.index"))


@admin_bp.get("/users/")
@role_required(Role.ADMIN)
def users():
    """List accounts, filtered by role and searched by name."""
    role = request.args.get("role", "")
    query = one_line(request.args.get("q", "")).strip()[:64]  # no NUL, which PostgreSQL refuses
    stmt = select(User).order_by(User.username)
    if role in {r.value for r in Role}:
        stmt = stmt.where(User.role == Role(role))
    if query:
        pattern = f"%{query}%"
        stmt = stmt.where(or_(User.username.ilike(pattern), User.full_name.ilike(pattern)))
    page = db.paginate(stmt, page=page_arg(), per_page=50, error_out=False)
    return render_template("admin/users.html", page=page, role=role, query=query, roles=list(Role),
                           confirm_form=ConfirmForm())


@admin_bp.route("/users/new", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def create_user():
    """Create an account."""
    form = UserCreateForm()
    if form.validate_on_submit():
        try:
            user = services.create_user(form.username.data, form.password.data, Role(form.role.data),
                                        form.area_code.data, form.full_name.data or "")
        except services.AccountError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Account %(username)s created.", username=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=None)


@admin_bp.route("/users/<int:user_id>/edit", methods=["GET", "POST"])
@role_required(Role.ADMIN)
def edit_user(user_id: int):
    """Change an account's role, area and name, or set a new password."""
    user = db.get_or_404(User, user_id)
    form = UserForm(obj=user)
    password_form = PasswordResetForm(prefix="pw")
    if request.method == "GET":
        form.role.data = user.role.value
        form.area_code.data = user.place.lgd_code if user.place else None
    if form.validate_on_submit():
        try:
            if user.id == current_user.id and Role(form.role.data) != Role.ADMIN:
                raise services.AccountError(_("You cannot remove your own admin role."))
            services.update_user(user, role=Role(form.role.data), area_code=form.area_code.data,
                                 full_name=form.full_name.data or "")
        except services.AccountError as exc:
            db.session.rollback()
            form.form_errors.append(str(exc))
        else:
            db.session.commit()
            flash(_("Account %(username)s saved.", username=user.username), "success")
            return redirect(url_for("admin.users"))
    return render_template("admin/user_form.html", form=form, user=user, password_form=password_form,
                           logins=services.live_logins(user), confirm_form=ConfirmForm())


@admin_bp.post("/users/<int:user_id>/sign-out")
@role_required(Role.ADMIN)
def sign_out_user(user_id: int):
    """Sign an account out everywhere: every browser and device it is signed in on."""
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    ended = services.end_logins(user)
    db.session.commit()
    flash(ngettext("%(username)s was signed out of %(num)s browser or device.",
                   "%(username)s was signed out of %(num)s browsers or devices.", ended, username=user.username),
          "success")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@admin_bp.post("/users/<int:user_id>/password")
@role_required(Role.ADMIN)
def reset_password(user_id: int):
    """Set a new password for an account."""
    user = db.get_or_404(User, user_id)
    form = PasswordResetForm(prefix="pw")
    if form.validate_on_submit():
        services.set_password(user, form.password.data)
        db.session.commit()
        flash(_("The password of %(username)s has been changed.", username=user.username), "success")
    else:
        flash(_("The password must have at least %(n)s characters.", n=services.PASSWORD_MIN_LENGTH), "error")
    return redirect(url_for("admin.edit_user", user_id=user.id))


@admin_bp.post("/users/<int:user_id>/active")
@role_required(Role.ADMIN)
def toggle_active(user_id: int):
    """Disable an enabled account or enable a disabled one."""
    user = db.get_or_404(User, user_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    if user.id == current_user.id:
        flash(_("You cannot disable your own account."), "error")
        return redirect(url_for("admin.users"))
    services.set_active(user, not user.active)
    db.session.commit()
    if user.active:
        flash(_("Account %(username)s enabled.", username=user.username), "success")
    else:
        flash(_("Account %(username)s disabled.", username=user.username), "success")
    return redirect(url_for("admin.users"))
