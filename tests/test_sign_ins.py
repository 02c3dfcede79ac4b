"""Sign-ins that live on the server: signing out ends them for every copy of their cookies, a remember-me cookie
is new at each sign-in and can be revoked, and an account can be signed out everywhere by its user or an admin."""
import hashlib
from datetime import timedelta

from sqlalchemy import func, select

from tests.conftest import PASSWORD
from trainer.accounts import services
from trainer.accounts.models import UserLogin
from trainer.core.roles import Role
from trainer.extensions import db

REMEMBER = "remember_token"


def cookies(client) -> dict[str, str]:
    return {name: client.get_cookie(name).value for name in ("session", REMEMBER) if client.get_cookie(name)}


def browser_with(app, **cookie_values):
    """Return a fresh browser holding copies of these cookies, and nothing else."""
    copy = app.test_client()
    for name, value in cookie_values.items():
        copy.set_cookie(name, value)
    return copy


def signed_in(client) -> bool:
    return client.get("/account/password").status_code == 200


def test_after_signing_out_a_copied_session_cookie_opens_nothing(app, client, auth, make_user):
    make_user("asha", Role.TRAINER)
    auth.login("asha")
    copied = cookies(client)["session"]
    assert signed_in(browser_with(app, session=copied))
    assert auth.logout().status_code == 302
    assert not signed_in(browser_with(app, session=copied))
    assert client.get("/account/password").headers["Location"].startswith("/login")


def test_after_signing_out_a_copied_remember_cookie_alone_opens_nothing(app, client, make_user):
    make_user("asha", Role.TRAINER)
    client.post("/login", data={"username": "asha", "password": PASSWORD, "remember": "y"})
    remembered = cookies(client)[REMEMBER]
    assert signed_in(browser_with(app, remember_token=remembered))  # the cookie alone signs a browser in ...
    client.post("/logout")
    assert not signed_in(browser_with(app, remember_token=remembered))  # ... until the sign-in is ended


def test_every_sign_in_gets_a_new_remember_cookie(app, make_user):
    make_user("asha", Role.TRAINER)
    values = []
    for _attempt in range(3):
        browser = app.test_client()
        browser.post("/login", data={"username": "asha", "password": PASSWORD, "remember": "y"})
        values.append(cookies(browser)[REMEMBER])
    assert len(set(values)) == 3
    assert all(signed_in(browser_with(app, remember_token=value)) for value in values)


def test_the_server_keeps_only_a_hash_of_each_sign_in_token(app, client, auth, make_user):
    make_user("asha", Role.TRAINER)
    client.post("/login", data={"username": "asha", "password": PASSWORD, "remember": "y"})
    login = db.session.scalar(select(UserLogin))
    remembered = cookies(client)[REMEMBER]
    token = remembered.split("|")[0]
    assert login.token_hash != token and token not in remembered.split("|")[1]
    assert login.token_hash == hashlib.sha256(token.encode()).hexdigest()


def test_sign_out_everywhere_ends_every_browser_of_the_account_and_no_one_elses(app, client, auth, make_user):
    make_user("asha", Role.TRAINER)
    make_user("ravi", Role.TRAINER)
    phone, laptop, ravi = app.test_client(), app.test_client(), app.test_client()
    phone.post("/login", data={"username": "asha", "password": PASSWORD, "remember": "y"})
    laptop.post("/login", data={"username": "asha", "password": PASSWORD})
    ravi.post("/login", data={"username": "ravi", "password": PASSWORD})
    copied = cookies(phone)
    page = laptop.get("/account/sessions").get_data(as_text=True)
    assert page.count('/end"') == 3  # two sign-ins of its own, and everywhere
    response = laptop.post("/account/sessions/end")
    assert response.status_code == 302 and response.headers["Location"] == "/"
    assert not signed_in(phone) and not signed_in(laptop)
    assert not signed_in(browser_with(app, remember_token=copied[REMEMBER]))
    assert signed_in(ravi)


def test_a_user_ends_one_other_sign_in_and_stays_signed_in_here(app, client, make_user):
    make_user("asha", Role.TRAINER)
    phone, laptop = app.test_client(), app.test_client()
    phone.post("/login", data={"username": "asha", "password": PASSWORD},
               headers={"User-Agent": "Mozilla/5.0 (Linux; Android 10; JioPhone)"})
    laptop.post("/login", data={"username": "asha", "password": PASSWORD})
    page = laptop.get("/account/sessions").get_data(as_text=True)
    assert "JioPhone" in page
    phone_login = db.session.scalar(select(UserLogin).where(UserLogin.user_agent.contains("JioPhone")))
    assert laptop.post(f"/account/sessions/{phone_login.id}/end").status_code == 302
    assert not signed_in(phone) and signed_in(laptop)


def test_nobody_ends_another_accounts_sign_in(app, client, make_user):
    make_user("asha", Role.TRAINER)
    make_user("ravi", Role.TRAINER)
    asha, ravi = app.test_client(), app.test_client()
    asha.post("/login", data={"username": "asha", "password": PASSWORD})
    ravi.post("/login", data={"username": "ravi", "password": PASSWORD})
    ravis = db.session.scalar(select(UserLogin).join(UserLogin.user).where(UserLogin.user.has(username="ravi")))
    assert asha.post(f"/account/sessions/{ravis.id}/end").status_code == 404
    assert signed_in(ravi)


def test_an_admin_signs_an_account_out_everywhere(app, client, login_as, make_user):
    victim = make_user("asha", Role.TRAINER)
    phone = app.test_client()
    phone.post("/login", data={"username": "asha", "password": PASSWORD, "remember": "y"})
    remembered = cookies(phone)[REMEMBER]
    login_as(Role.ADMIN)
    assert "1 ब्राउज़र" in client.get(f"/admin/users/{victim.id}/edit").get_data(as_text=True)
    response = client.post(f"/admin/users/{victim.id}/sign-out")
    assert response.status_code == 302
    assert not signed_in(phone) and not signed_in(browser_with(app, remember_token=remembered))
    assert signed_in(client)  # the admin's own sign-in is untouched
    assert services.live_logins(victim) == []


def test_a_sign_in_without_remember_me_ends_on_the_server_after_login_hours(app, client, auth, make_user,
                                                                             monkeypatch):
    make_user("asha", Role.TRAINER)
    auth.login("asha")
    copied = cookies(client)["session"]
    started = db.session.scalar(select(UserLogin.created_at))
    later = started + timedelta(hours=app.config["LOGIN_HOURS"], minutes=1)
    monkeypatch.setattr("trainer.accounts.auth.utc_now", lambda: later)
    assert not signed_in(browser_with(app, session=copied))


def test_a_request_finds_its_user_with_one_query(app, client, auth, make_user):
    from sqlalchemy import event
    make_user("asha", Role.TRAINER)
    auth.login("asha")
    statements = []
    listener = lambda *args: statements.append(args[2])  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get("/account/password").status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    assert len(statements) == 1 and "user_logins" in statements[0] and "users" in statements[0]


def test_disabling_an_account_or_changing_its_password_ends_its_sign_ins(app, client, auth, make_user):
    user = make_user("asha", Role.TRAINER)
    for _attempt in range(2):
        app.test_client().post("/login", data={"username": "asha", "password": PASSWORD})
    services.set_password(user, "another-password-1")
    db.session.commit()
    assert services.live_logins(user) == []
    assert db.session.scalar(select(func.count()).select_from(UserLogin)
                             .where(UserLogin.ended_at.is_not(None))) == 2
