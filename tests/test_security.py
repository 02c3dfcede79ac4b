"""Security: headers and CSP, cookies and sessions, redirects after sign-in, CSRF on every state-changing route,
GET routes that change nothing, upload limits, formula-safe CSV files, and secrets kept out of logs and tables."""
import io
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import PASSWORD
from trainer.accounts.models import Role, User
from trainer.core.security import content_security_policy
from trainer.extensions import db

ROOT = Path(__file__).resolve().parents[1]
CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token(client, path="/login") -> str:
    return CSRF_TOKEN.search(client.get(path).get_data(as_text=True)).group(1)


# Headers


def test_every_response_carries_the_security_headers(client, places):
    for path in ("/login", "/programmes/", "/static/css/app.css", "/healthz", "/no-such-page", "/api/v1/programmes"):
        with client.get(path) as response:
            headers = response.headers
        assert headers["X-Frame-Options"] == "DENY", path
        assert headers["X-Content-Type-Options"] == "nosniff", path
        assert headers["Referrer-Policy"] == "strict-origin-when-cross-origin", path
        assert "camera=()" in headers["Permissions-Policy"], path
        assert headers["Content-Security-Policy"] == content_security_policy(client.application.config), path


def test_content_security_policy_allows_nothing_inline_and_only_the_youtube_player_from_elsewhere(app):
    policy = dict(part.split(" ", 1) for part in content_security_policy(app.config).split("; "))
    assert "unsafe-inline" not in " ".join(policy.values()) and "unsafe-eval" not in " ".join(policy.values())
    assert policy["script-src"] == "'self'" and policy["style-src"] == "'self'"
    assert policy["default-src"] == "'self'" and policy["img-src"] == "'self' data:"
    assert policy["frame-src"] == "https://www.youtube-nocookie.com"
    assert policy["object-src"] == "'none'" and policy["frame-ancestors"] == "'none'"
    assert policy["base-uri"] == "'self'"
    # Connecting the channel redirects a form post to Google's consent page.
    assert policy["form-action"] == "'self' https://accounts.google.com"


def test_hsts_is_sent_over_https_and_for_a_site_configured_for_https_only(make_app):
    plain = make_app().test_client()
    assert "Strict-Transport-Security" not in plain.get("/login").headers
    assert plain.get("/login", base_url="https://trainer.example.in").headers["Strict-Transport-Security"] == \
        "max-age=31536000"
    behind_proxy = make_app(SESSION_COOKIE_SECURE=True).test_client()
    assert behind_proxy.get("/login").headers["Strict-Transport-Security"] == "max-age=31536000"


def test_pdf_downloads_have_no_page_policy_that_would_blank_the_browser_viewer(client, login_as, make_programme):
    programme = make_programme(modules=1)
    login_as(Role.ADMIN)
    response = client.get(f"/reports/programmes/{programme.id}.pdf")
    assert response.mimetype == "application/pdf"
    assert "Content-Security-Policy" not in response.headers
    assert response.headers["X-Frame-Options"] == "DENY"


INLINE_CODE = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>|<style\b|\sstyle=|\son[a-z]+\s*=|javascript:", re.IGNORECASE)


def test_templates_hold_no_inline_script_style_or_event_handler():
    found = [f"{path.relative_to(ROOT)}: {match.group(0)}" for path in sorted((ROOT / "templates").rglob("*.html"))
             for match in INLINE_CODE.finditer(path.read_text(encoding="utf-8"))]
    assert found == []


def test_page_charts_are_drawn_with_attributes_not_style(app):
    from datetime import date

    from trainer.reports import charts
    from trainer.reports.queries import PlaceCoverage
    rows = [PlaceCoverage(code=1, name_hi="संभाग 1", name_en="Division 1", target=10, reached=4, participants=9)]
    with app.test_request_context():
        drawn = [charts.coverage_bars(rows, "hi"), charts.rating_bars({5: 3, 1: 1}),
                 charts.progress_line([(date(2026, 7, 21), 2, 2)], 10, date(2026, 7, 21), date(2026, 8, 7))]
    for svg in drawn:
        assert "<svg" in svg and "style=" not in svg


# Cookies and sessions


def test_production_settings_make_session_and_remember_cookies_secure():
    probe = "from trainer.config import Config; print(Config.SESSION_COOKIE_SECURE, Config.REMEMBER_COOKIE_SECURE)"
    env = {**os.environ, "SESSION_COOKIE_SECURE": "1"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["True", "True"]


def test_signing_in_over_https_sets_only_secure_httponly_cookies(make_app, places):
    app = make_app(SESSION_COOKIE_SECURE=True, REMEMBER_COOKIE_SECURE=True)
    with app.app_context():
        from trainer.accounts import services
        services.create_user("asha", PASSWORD, Role.TRAINER, None)
        db.session.commit()
    client = app.test_client()
    response = client.post("/login", data={"username": "asha", "password": PASSWORD, "remember": "y"},
                           base_url="https://trainer.example.in")
    assert response.status_code == 302
    cookies = {c.split("=", 1)[0]: c for c in response.headers.getlist("Set-Cookie")}
    assert set(cookies) >= {"session", "remember_token"}
    for name, cookie in cookies.items():
        flags = [part.strip() for part in cookie.split(";")]
        assert "Secure" in flags and "HttpOnly" in flags and "SameSite=Lax" in flags, cookie


def test_a_phone_whose_address_changes_stays_signed_in(client, auth, make_user):
    # Session protection is "basic": a new address (a phone moving between mobile networks) only marks the
    # session as not fresh; "strong" would sign the user out on every change of tower.
    make_user("asha", Role.TRAINER)
    auth.login("asha", environ_base={"REMOTE_ADDR": "10.1.1.1"})
    assert client.get("/regions/", environ_base={"REMOTE_ADDR": "10.1.1.1"}).status_code == 200
    assert client.get("/regions/", environ_base={"REMOTE_ADDR": "100.64.7.9"}).status_code == 200
    assert client.application.login_manager.session_protection == "basic"


# Redirects after sign-in and the language switch

FOREIGN_TARGETS = ["//evil.example", "//evil.example/path", "https://evil.example", "http://evil.example/",
                   "/\\evil.example", "\\\\evil.example", "/\t/evil.example", "/\r\n/evil.example", " //evil.example",
                   "///evil.example", "javascript:alert(1)", "JaVaScRiPt:alert(1)", "data:text/html,x",
                   "https:evil.example", "evil.example", "/\x00/evil.example"]


@pytest.mark.parametrize("target", FOREIGN_TARGETS, ids=repr)
def test_sign_in_never_redirects_off_the_site(client, auth, make_user, target):
    make_user("asha", Role.TRAINER)
    response = auth.login("asha", PASSWORD, query_string={"next": target})
    assert response.status_code == 302
    assert response.headers["Location"] == "/"


@pytest.mark.parametrize("target", FOREIGN_TARGETS, ids=repr)
def test_language_switch_never_redirects_off_the_site(client, target):
    response = client.post("/language", data={"lang": "en", "next": target})
    assert response.headers["Location"] == "/"


def test_sign_in_goes_on_to_a_page_of_this_site(client, auth, make_user):
    make_user("asha", Role.TRAINER)
    response = auth.login("asha", PASSWORD, query_string={"next": "/regions/search?q=ग्राम"})
    assert response.headers["Location"] == "/regions/search?q=%E0%A4%97%E0%A5%8D%E0%A4%B0%E0%A4%BE%E0%A4%AE"


# Upload size


def test_a_too_large_upload_gets_a_hindi_413_page_and_changes_nothing(make_app, places, make_programme):
    app = make_app(MAX_CONTENT_LENGTH=1024 * 1024, WTF_CSRF_ENABLED=True)
    programme = make_programme(modules=1)
    session = programme.sessions[0]
    client = app.test_client()
    with app.app_context():
        from trainer.accounts import services
        services.create_user("block", PASSWORD, Role.BLOCK_OFFICER, 1111)
        db.session.commit()
    client.post("/login", data={"username": "block", "password": PASSWORD, "csrf_token": csrf_token(client)})
    token = csrf_token(client, f"/attendance/sessions/{session.id}/upload")
    big = b"gp_code,participants\r\n" + b"11111,5\r\n" * 150_000  # 1.3 MB
    # Encoded here: the test client would spool a body this large to a temporary file it never closes.
    boundary, body = encode_multipart({"csrf_token": token, "file": FileStorage(io.BytesIO(big), "late.csv")})
    response = client.post(f"/attendance/sessions/{session.id}/upload", data=body,
                           content_type=f"multipart/form-data; boundary={boundary}")
    assert response.status_code == 413
    page = response.get_data(as_text=True)
    assert '<html lang="hi">' in page
    assert "फ़ाइल बहुत बड़ी है: अधिक से अधिक 1 MB की फ़ाइल भेजी जा सकती है" in page
    from trainer.attendance.models import Attendance
    with app.app_context():
        assert db.session.scalars(select(Attendance)).all() == []


def test_a_too_large_body_under_the_api_gets_json_413(make_app):
    app = make_app(MAX_CONTENT_LENGTH=1024)

    def echo():
        from flask import request
        return {"length": len(request.get_data())}

    # The API takes no uploads yet; a route that reads its body shows what any future one will answer.
    app.add_url_rule("/api/v1/echo", "api_echo", echo, methods=["POST"])
    client = app.test_client()
    assert client.post("/api/v1/echo", data=b"x" * 100).get_json() == {"length": 100}
    response = client.post("/api/v1/echo", data=b"x" * 2048)
    assert response.status_code == 413
    assert response.get_json()["error"] == "too_large"
    assert "MB" in response.get_json()["message"]


def test_upload_limit_comes_from_the_environment():
    probe = "from trainer.config import Config; print(Config.MAX_CONTENT_LENGTH)"
    env = {**os.environ, "MAX_CONTENT_LENGTH": "5000000"}
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, env=env, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "5000000"
