"""Production settings: the app behind nginx, and one secret key for every app server."""
import pytest

from trainer import create_app
from trainer.config import Config

FROM_NGINX = {"X-Forwarded-Proto": "https", "X-Forwarded-Host": "trainer.example.gov.in",
              "X-Forwarded-Port": "443"}


def failed_logins(client, addresses):
    """Sign in with a wrong password from each forwarded address in turn (a new username each time, so that
    only the per-address limit can refuse); return the statuses."""
    return [client.post("/login", data={"username": f"nobody{i}", "password": "wrong-password"},
                        headers={"X-Forwarded-For": address}).status_code
            for i, address in enumerate(addresses)]


def test_without_a_trusted_proxy_forwarded_addresses_are_ignored(make_app, places):
    client = make_app(LOGIN_RATE_LIMIT="2 per minute").test_client()
    statuses = failed_logins(client, ["203.0.113.1", "203.0.113.2", "203.0.113.3"])
    assert statuses == [200, 200, 429]  # every request counts against the proxy's own address


def test_behind_one_proxy_the_rate_limit_counts_per_client_address(make_app, places):
    client = make_app(LOGIN_RATE_LIMIT="2 per minute", TRUSTED_PROXIES=1).test_client()
    assert failed_logins(client, ["203.0.113.1", "203.0.113.1", "203.0.113.1"]) == [200, 200, 429]
    assert failed_logins(client, ["203.0.113.2"]) == [200]


def test_behind_one_proxy_an_address_made_up_by_the_client_is_not_believed(make_app, places):
    client = make_app(LOGIN_RATE_LIMIT="2 per minute", TRUSTED_PROXIES=1).test_client()
    # nginx appends the address it saw to whatever the client sent: only the last value is the proxy's word.
    statuses = failed_logins(client, [f"198.51.100.{i}, 203.0.113.1" for i in range(3)])
    assert statuses == [200, 200, 429]


def test_links_use_the_proxys_https_and_host_only_when_it_is_trusted(make_app, make_programme):
    session = make_programme(modules=1).sessions[0]
    trusting = make_app(TRUSTED_PROXIES=1).test_client()
    page = trusting.get(f"/sessions/{session.id}", headers=FROM_NGINX).get_data(as_text=True)
    assert f"https://trainer.example.gov.in/sessions/{session.id}" in page
    assert "http://localhost/" not in page
    direct = make_app().test_client()
    page = direct.get(f"/sessions/{session.id}", headers=FROM_NGINX).get_data(as_text=True)
    assert f"http://localhost/sessions/{session.id}" in page
    assert "trainer.example.gov.in" not in page


def test_a_non_standard_port_of_the_proxy_is_kept_in_links(make_app, make_programme):
    session = make_programme(modules=1).sessions[0]
    client = make_app(TRUSTED_PROXIES=1).test_client()
    headers = {**FROM_NGINX, "X-Forwarded-Port": "8443"}
    page = client.get(f"/sessions/{session.id}", headers=headers).get_data(as_text=True)
    assert f"https://trainer.example.gov.in:8443/sessions/{session.id}" in page


def test_a_server_database_without_secret_key_refuses_to_start(tmp_path, monkeypatch):
    monkeypatch.setattr(Config, "SECRET_KEY", None)
    monkeypatch.setattr(Config, "SQLALCHEMY_DATABASE_URI", "postgresql://trainer@127.0.0.1:5432/trainer")
    with pytest.raises(RuntimeError, match="every app server must share one SECRET_KEY"):
        create_app(Config)


def test_a_server_database_with_a_shared_secret_key_starts(tmp_path, monkeypatch):
    monkeypatch.setattr(Config, "SECRET_KEY", "shared-by-every-app-server")
    monkeypatch.setattr(Config, "SQLALCHEMY_DATABASE_URI", "postgresql://trainer@127.0.0.1:5432/trainer")
    app = create_app(Config)
    assert app.config["SECRET_KEY"] == "shared-by-every-app-server"

