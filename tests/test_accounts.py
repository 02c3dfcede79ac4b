"""Accounts: the CLI, signing in, rate limits, admin pages, sessions that end."""
import pytest
from sqlalchemy import select

from tests.conftest import PASSWORD
from trainer.accounts import services
from trainer.accounts.models import User
from trainer.core.roles import Role
from trainer.extensions import db


def test_cli_creates_an_account_with_the_password_from_stdin(runner, places):
    result = runner.invoke(args=["users", "create", "Ravi", "--role", "block_officer", "--area", "1111"],
                           input="s3cret-pass\n")
    assert result.exit_code == 0, result.output
    user = services.find_user("ravi")
    assert user.role is Role.BLOCK_OFFICER and user.block.lgd_code == 1111
    assert user.password_hash.startswith("$argon2") and "s3cret-pass" not in user.password_hash
    assert services.authenticate("RAVI", "s3cret-pass") == user


@pytest.mark.parametrize("args, message", [
    (["--role", "district_officer"], "needs the LGD code"),
    (["--role", "district_officer", "--area", "1111"], "No district has the LGD code 1111"),
    (["--role", "trainer", "--area", "1"], "takes no area"),
])
def test_cli_refuses_an_account_whose_area_does_not_fit_its_role(runner, places, args, message):
    result = runner.invoke(args=["users", "create", "x", *args], input="long-enough\n")
    assert result.exit_code != 0
    assert message in result.output
    assert services.find_user("x") is None


def test_cli_refuses_a_short_password_and_a_taken_username(runner, places, make_user):
    make_user("asha", Role.TRAINER)
    assert "taken" in runner.invoke(args=["users", "create", "asha", "--role", "trainer"], input="long-enough\n").output
    assert "at least 8" in runner.invoke(args=["users", "create", "new", "--role", "trainer"], input="short\n").output


def test_login_with_the_right_password_reaches_home_and_wrong_one_is_refused(client, auth, make_user):
    make_user("asha", Role.TRAINER)
    page = auth.login("asha", "wrong-password").get_data(as_text=True)
    assert "उपयोगकर्ता नाम या पासवर्ड गलत है" in page
    assert auth.login("Asha", PASSWORD).headers["Location"] == "/"
    assert "asha" in client.get("/").get_data(as_text=True)


def test_login_does_not_redirect_to_another_site(client, auth, make_user):
    make_user("asha", Role.TRAINER)
    for target in ("https://evil.example/", "//evil.example/", "/\\evil.example"):
        response = auth.login("asha", PASSWORD, query_string={"next": target})
        assert response.headers["Location"] == "/"
        auth.logout()
    assert auth.login("asha", PASSWORD, query_string={"next": "/regions/"}).headers["Location"] == "/regions/"


def test_repeated_wrong_passwords_are_rate_limited(client, auth, make_user):
    make_user("asha", Role.TRAINER)
    statuses = [auth.login("asha", f"wrong-{i}").status_code for i in range(12)]
    assert statuses[:10] == [200] * 10
    assert statuses[10:] == [429, 429]
    assert "बहुत अधिक प्रयास" in auth.login("asha", PASSWORD).get_data(as_text=True)


def test_disabled_account_cannot_sign_in_and_its_open_session_ends(client, auth, make_user, app):
    user = make_user("asha", Role.TRAINER)
    auth.login("asha")
    assert client.get("/regions/").status_code == 200
    services.set_active(user, False)
    db.session.commit()
    assert client.get("/regions/").status_code == 302
    assert auth.login("asha").status_code == 200


def test_changing_password_signs_out_other_browsers(app, client, auth, make_user):
    make_user("asha", Role.TRAINER)
    other = app.test_client()
    other.post("/login", data={"username": "asha", "password": PASSWORD})
    auth.login("asha")
    response = client.post("/account/password", data={
        "current_password": PASSWORD, "password": "new-password-9", "confirm": "new-password-9"})
    assert response.status_code == 302
    assert client.get("/regions/").status_code == 200
    assert other.get("/regions/").status_code == 302
    assert services.authenticate("asha", "new-password-9") is not None


def test_password_change_with_wrong_current_password_is_refused(client, auth, make_user):
    make_user("asha", Role.TRAINER)
    auth.login("asha")
    page = client.post("/account/password", data={
        "current_password": "nope-nope", "password": "new-password-9", "confirm": "new-password-9"})
    assert "वर्तमान पासवर्ड गलत है" in page.get_data(as_text=True)
    assert services.authenticate("asha", PASSWORD) is not None


def test_admin_creates_edits_and_disables_an_account(client, login_as):
    login_as(Role.ADMIN)
    response = client.post("/admin/users/new", data={
        "username": "meena", "full_name": "Meena Verma", "role": "district_officer", "area_code": "112",
        "password": "welcome-123"})
    assert response.status_code == 302
    meena = services.find_user("meena")
    assert (meena.role, meena.district.lgd_code) == (Role.DISTRICT_OFFICER, 112)
    response = client.post(f"/admin/users/{meena.id}/edit", data={
        "full_name": "Meena V.", "role": "block_officer", "area_code": "1121"})
    assert response.status_code == 302
    db.session.refresh(meena)
    assert (meena.role, meena.block.lgd_code, meena.district) == (Role.BLOCK_OFFICER, 1121, None)
    client.post(f"/admin/users/{meena.id}/active")
    db.session.refresh(meena)
    assert meena.active is False
    assert "निष्क्रिय" in client.get("/admin/users/").get_data(as_text=True)


def test_admin_form_errors_are_in_hindi_and_nothing_is_created(client, login_as):
    login_as(Role.ADMIN)
    page = client.post("/admin/users/new", data={
        "username": "bad name", "role": "block_officer", "area_code": "", "password": "short"}).get_data(as_text=True)
    assert "केवल अंग्रेज़ी अक्षर" in page
    assert "कम से कम 8" in page or "8 से 256" in page
    page = client.post("/admin/users/new", data={
        "username": "ok", "role": "block_officer", "area_code": "", "password": "long-enough"}).get_data(as_text=True)
    assert "क्षेत्र का एलजीडी कोड आवश्यक है" in page
    assert services.find_user("ok") is None


def test_admin_cannot_disable_or_demote_themselves(client, login_as):
    admin = login_as(Role.ADMIN)
    client.post(f"/admin/users/{admin.id}/active")
    client.post(f"/admin/users/{admin.id}/edit", data={"role": "trainer", "full_name": ""})
    db.session.refresh(admin)
    assert admin.active and admin.role is Role.ADMIN


def test_admin_sets_a_new_password(client, login_as, make_user):
    login_as(Role.ADMIN)
    user = make_user("asha", Role.TRAINER)
    client.post(f"/admin/users/{user.id}/password", data={"pw-password": "fresh-password"})
    assert services.authenticate("asha", "fresh-password") is not None


def test_logout_is_post_only(client, login_as):
    login_as(Role.TRAINER)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 302
    assert client.get("/regions/").status_code == 302


def test_forms_refuse_a_post_without_csrf_token(make_app, places, make_user):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        make_user("asha", Role.TRAINER)
    client = app.test_client()
    response = client.post("/login", data={"username": "asha", "password": PASSWORD})
    assert response.status_code == 400
    assert "फ़ॉर्म की अवधि समाप्त" in response.get_data(as_text=True)
    with app.app_context():
        assert db.session.scalar(select(User.last_login_at).where(User.username == "asha")) is None


def test_saving_an_account_unchanged_keeps_its_area(client, login_as, make_user):
    login_as(Role.ADMIN)
    officer = make_user("meena", Role.BLOCK_OFFICER, area_code=1121)
    client.post(f"/admin/users/{officer.id}/edit", data={"role": "block_officer", "area_code": "1121",
                                                          "full_name": "Meena"})
    assert db.session.get(User, officer.id).block.lgd_code == 1121


def test_database_refuses_an_officer_without_an_area(app, places):
    from sqlalchemy.exc import IntegrityError
    db.session.add(User(username="x", password_hash="x", role=Role.DISTRICT_OFFICER))
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()


def test_cli_lists_sets_passwords_and_disables_accounts(runner, places, make_user):
    make_user("asha", Role.BLOCK_OFFICER, area_code=1112)
    listing = runner.invoke(args=["users", "list"]).output
    assert "asha" in listing and "block_officer" in listing and "Block 1112" in listing
    assert runner.invoke(args=["users", "set-password", "asha"], input="brand-new-pass\n").exit_code == 0
    assert services.authenticate("asha", "brand-new-pass") is not None
    assert "at least 8" in runner.invoke(args=["users", "set-password", "asha"], input="tiny\n").output
    assert runner.invoke(args=["users", "disable", "asha"]).exit_code == 0
    assert services.authenticate("asha", "brand-new-pass") is None
    assert "No account named ghost" in runner.invoke(args=["users", "disable", "ghost"]).output
