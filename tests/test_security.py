"""Security: headers and CSP, cookies and sessions, redirects after sign-in, CSRF on every state-changing route,
GET routes that change nothing, upload limits, formula-safe CSV files, and secrets kept out of logs and tables."""
import io
import os
import re
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.datastructures import FileStorage
from werkzeug.test import encode_multipart

from tests.conftest import PASSWORD, issued_codes_zip
from trainer.attendance.rules import HeadCount
from trainer.core import clock
from trainer.core.roles import Role
from trainer.core.security import content_security_policy
from trainer.extensions import db
from trainer.programmes.models import Reach

ROOT = Path(__file__).resolve().parents[1]
CSRF_TOKEN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def hidden_fields(page: str) -> dict[str, str]:
    """Return the name and value of every hidden input of a page."""
    fields = {}
    for tag in re.findall(r"<input[^>]*>", page):
        attributes = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        if attributes.get("type") == "hidden" and "name" in attributes:
            fields[attributes["name"]] = attributes.get("value", "")
    return fields


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
    for _name, cookie in cookies.items():
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


# CSRF on every state-changing route, and GET routes that change nothing

STATE_CHANGING = {"POST", "PUT", "PATCH", "DELETE"}
URL_ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")

# Endpoints that may take a state-changing method without a CSRF token, and why. Keep it short.
CSRF_EXEMPT: dict[str, str] = {
    # The providers' webhooks: no browser sends them, and each refuses a call without the provider's signature.
    "hooks.sms_receipts": "signed by the SMS gateway (X-Gateway-Signature)",
    "hooks.sms_inbound": "signed by the SMS gateway (X-Gateway-Signature)",
    "hooks.whatsapp_events": "signed by WhatsApp (X-Hub-Signature-256)",
}


def sample_url(rule, values=None) -> str:
    """Fill a rule's arguments: given values, else 1 for numbers and a word for text."""
    values = values or {}
    return URL_ARGUMENT.sub(lambda m: str(values.get(m.group(2), 1 if m.group(1) == "int" else "csv")), rule.rule)


def state_changing_rules(app):
    return [rule for rule in app.url_map.iter_rules() if rule.methods & STATE_CHANGING]


def test_only_post_changes_state_no_route_takes_put_patch_or_delete(app):
    assert not [rule.rule for rule in app.url_map.iter_rules() if rule.methods & {"PUT", "PATCH", "DELETE"}]
    assert len(state_changing_rules(app)) >= 25  # every form of the app is in the walk below


@pytest.mark.parametrize("signed_in", [False, True], ids=["anonymous", "admin"])
def test_every_state_changing_route_refuses_a_request_without_csrf_token(make_app, places, signed_in):
    app = make_app(WTF_CSRF_ENABLED=True)
    with app.app_context():
        from trainer.accounts import services
        services.create_user("boss", PASSWORD, Role.ADMIN, None)
        db.session.commit()
    client = app.test_client()
    if signed_in:
        response = client.post("/login", data={"username": "boss", "password": PASSWORD,
                                               "csrf_token": csrf_token(client)})
        assert response.status_code == 302
    for name in CSRF_EXEMPT:
        assert name in app.view_functions, f"stale exemption {name}"
    checked = []
    for rule in state_changing_rules(app):
        if rule.endpoint in CSRF_EXEMPT:
            continue
        for method in sorted(rule.methods & STATE_CHANGING):
            url = sample_url(rule)
            response = client.open(url, method=method, data={"confirm": "y", "lang": "en", "username": "boss",
                                                             "password": PASSWORD})
            assert response.status_code == 400, (method, url, response.status_code)
            assert "फ़ॉर्म की अवधि समाप्त" in response.get_data(as_text=True), url
            checked.append(rule.endpoint)
    assert {"auth.login", "auth.logout", "home.language", "attend.scan", "youtube.disconnect",
            "access_codes.reissue_gp_code", "admin.toggle_active"} <= set(checked)
    if signed_in:  # the token-less sign-out did not sign out
        assert client.get("/admin/users/").status_code == 200


# GET routes that would write, and why they may. Everything else must leave every table as it was.
GET_MAY_WRITE = {
    # Google's consent page sends the browser back here with a GET; the exchange is bound to the `state`
    # kept in the session by POST /youtube/connect, so no other site can make it happen.
    "youtube.callback": "OAuth redirect target",
}
# GET routes that give a session its typed attendance code the first time a poster or the live screen is made
# (the code is printed on that poster); asked again, they change nothing.
GET_WRITES_ONCE = {"attendance.poster_pdf", "attendance.poster_png", "attendance.live_qr"}
# GET routes that answer only the provider that knows their secret (here, none is configured): never 200 below.
GET_FOR_PROVIDERS = {"hooks.whatsapp_verify": "WhatsApp's subscription check, with the verify token"}


def table_contents() -> dict[str, list]:
    db.session.expire_all()
    return {table.name: sorted(map(repr, db.session.execute(select(table)).all()))
            for table in db.metadata.sorted_tables}


@pytest.fixture
def world(app, places, make_user, make_programme):
    """A published programme with a session running now, marked attendance, a feedback question, users of
    every role."""
    from datetime import timedelta

    from trainer.attendance import services as attendance
    from trainer.attendance.models import MarkSource
    from trainer.attendance.tokens import make_token
    from trainer.core.database import utc_now
    from trainer.feedback import services as feedback
    from trainer.feedback.models import QuestionKind
    programme = make_programme(modules=2)
    programme.reaches = Reach.BOTH  # its QR pages take organisations' marks too
    session = next(s for s in programme.sessions if s.divisions[0].lgd_code == 1)
    session.starts_at = utc_now() - timedelta(minutes=10)
    session.ends_at = session.starts_at + timedelta(minutes=90)
    question = feedback.add_question(programme, QuestionKind.RATING, "प्रशिक्षण कैसा लगा?")
    attendance.mark(session, places.gp(11112), HeadCount(5), MarkSource.POSTER)
    from trainer.questions import services as questions
    asked = questions.ask(session, places.gp(11112), "पंचायत भवन की राशि कब मिलेगी?")
    db.session.commit()
    users = {role: make_user(role=role) for role in Role}
    from trainer.messaging.kinds import MessageKind
    from trainer.messaging.models import Audience, MessageBroadcast, OutboxMessage
    message = OutboxMessage(idempotency_key="access_code_reissued:c1:t", kind=MessageKind.ACCESS_CODE_REISSUED,
                            channel="sms", address="9876511111", gram_panchayat_id=places.gp(11111).id, text="कोड")
    broadcast = MessageBroadcast(programme_id=programme.id, session_id=session.id, audience=Audience.UNTRAINED,
                                 kind=MessageKind.SESSION_TOMORROW, district_id=places.district(111).id)
    db.session.add_all([message, broadcast])
    attendance.mark(session, places.gp(11111), HeadCount(3), MarkSource.POSTER)
    db.session.commit()
    from tests.certificate_world import add_certificates
    certificates = add_certificates(programme, places.gp(11111))
    from trainer.partners import calls as partner_calls
    from trainer.partners.services import OrganisationValues, Person, save_organisation
    organisation = save_organisation(OrganisationValues(name_hi="जल सेवा समिति", themes=("water",), whole_state=True,
                                                        people=(Person("सुनीता", "सचिव", "9876512345"),)), None)
    # A partner of the programme, whose marks at its session have a page of their own.
    from trainer.partners import programme_partners
    programme_partners.add_partners(programme, [organisation.id], None)
    call = partner_calls.save_call(partner_calls.CallValues(
        title_hi="जल जीवन मिशन", opens_on=date(2026, 12, 1), closes_on=date(2026, 12, 31)), None)
    criterion = partner_calls.add_criterion(call, partner_calls.CriterionValues(text_hi="अनुभव"))
    call_document = partner_calls.add_document(call, "पंजीयन", "", True)
    from trainer.partners import call_questions
    call_question = call_questions.add_question(call, QuestionKind.RATING, "अनुभव")
    import pypdfium2

    from trainer.partners import applications as partner_applications
    pdf = pypdfium2.PdfDocument.new()
    pdf.new_page(200, 200).close()
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    application, _code = partner_applications.start_application(call, partner_applications.ApplicationValues(
        kind=organisation.kind, name_hi="नर्मदा सेवा संस्थान"), (partner_applications.Upload(
            call_document.id, "पंजीयन.pdf", buffer.getvalue()),), entered_by_id=users[Role.TRAINER].id)
    # The trainer reviews the call and has the application to review.
    from trainer.partners.models import CallReviewer, Review
    db.session.add(CallReviewer(call_id=call.id, user_id=users[Role.TRAINER].id))
    review = Review(application_id=application.id, user_id=users[Role.TRAINER].id)
    db.session.add(review)
    # Screened: more information asked, and answered with a PDF.
    from trainer.partners import screening, states
    from trainer.partners.models import ApplicationState
    for state in (ApplicationState.SUBMITTED, ApplicationState.IN_SCREENING, ApplicationState.MORE_INFORMATION):
        states.change_state(application, state, by_id=users[Role.TRAINER].id)
    answer = screening.answer(application, "संलग्न", ("ऑडिट.pdf", buffer.getvalue()))
    from trainer.partners import masters as partner_masters
    from trainer.partners import plans as partner_plans
    from trainer.partners.models import ActivityLevel
    plan, _plan_code = partner_plans.start_plan(organisation, 2026, partner_plans.Actor())
    activity = partner_plans.add_activity(plan, partner_plans.ActivityValues(
        title="प्रशिक्षण", theme="water", level=ActivityLevel.STATE, planned_from=date(2026, 5, 1),
        planned_to=date(2026, 5, 2)))
    trainer = partner_masters.save_master_trainer(partner_masters.MasterTrainerValues(name="सुनीता वर्मा"))
    from trainer.campaigns import services as campaigns
    campaign = campaigns.save_campaign(campaigns.CampaignValues(
        title_hi="अभियान", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 31), place=places.district(111),
        phases=(campaigns.PhaseValues(date(2026, 12, 1), date(2026, 12, 31), "पहला"),),
        offices=(campaigns.OfficeValues("ग्राम संगठन"),)), None)
    indicator = campaigns.save_indicator(campaign, campaigns.IndicatorValues(code="linked", name_hi="जोड़े गए"))
    # An office (its pages name it office_id, as the campaign's office routes, which are POSTs only, name theirs).
    from trainer.offices import services as offices
    office = offices.save_office(offices.OfficeValues("उपायुक्त कार्यालय", place=places.district(111)))
    from tests.test_directives_pages import add_directive
    directive_meeting, directive, directive_report = add_directive(office, users[Role.DISTRICT_OFFICER])

    from tests.meetings_world import add_meeting_objects
    meeting_ids = add_meeting_objects(office, places.district(111))
    db.session.commit()
    return {**certificates, "directive_id": directive.id, "report_id": directive_report.id,
            "meeting_id": directive_meeting.id, "campaign_id": campaign.id, "indicator_id": indicator.id,
            "phase_id": campaign.phases[0].id, "office_id": office.id, "review_id": review.id, "organisation_id": organisation.id, "call_id": call.id, "criterion_id": criterion.id,
            "plan_id": plan.id, "activity_id": activity.id, "quarter": 1, "trainer_id": trainer.id,
            "document_id": call_document.id, "application_id": application.id, "call_question_id": call_question.id,
            "attachment_id": application.documents[0].id, "event_id": answer.id, "message_id": message.id, "broadcast_id": broadcast.id, "kind": "access_code_reissued",
            "channel": "sms", "language": "hi", "programme_id": programme.id, "session_id": session.id, "module_id": programme.modules[0].id,
            "question_id": question.id, "user_id": users[Role.TRAINER].id, "division_code": 1,
            "district_code": 111, "block_code": 1111, "gp_code": 11111, "fmt": "csv",
            "token": make_token(session.id), "filename": "css/app.css", "asked_id": asked.id} | meeting_ids


def test_no_get_route_changes_any_table(app, client, auth, world):
    get_rules = [rule for rule in app.url_map.iter_rules() if "GET" in rule.methods and rule.endpoint != "static"]
    answered: dict[str, set[int]] = {}
    for role in [None, *Role]:
        if role is not None:
            assert auth.login(role.value).status_code == 302
        before = table_contents()  # after signing in, which records its time
        for rule in get_rules:
            if rule.endpoint in GET_MAY_WRITE:
                continue
            url = sample_url(rule, world)
            response = client.get(url)
            response.close()
            answered.setdefault(rule.endpoint, set()).add(response.status_code)
            assert response.status_code < 500, url
            after = table_contents()
            if rule.endpoint in GET_WRITES_ONCE:
                before = after
                client.get(url).close()
                assert table_contents() == after, url
            assert after == before, f"GET {url} as {role} changed the database"
        auth.logout()
    # The walk reached the views themselves, not only refusals.
    unseen = [endpoint for endpoint, statuses in answered.items()
              if 200 not in statuses and endpoint not in GET_FOR_PROVIDERS]
    assert unseen == []


# CSV files: no cell a spreadsheet would run as a formula

FORMULA_NAMES = {"division": (1, "=1+1", "=HYPERLINK(\"http://evil.example\")"),
                 "district": (111, "+SUM(A1)", "+cmd|' /C calc'!A0"),
                 "block": (1111, "-2+3", "-1"),
                 "gp": (11111, "@SUM(A1)", "\t=x"),
                 "gp2": (11113, "\r=y", "=cmd")}
NUMBER = re.compile(r"-?\d+(\.\d+)?")


def csv_rows(body: bytes) -> list[list[str]]:
    import csv
    assert body.startswith(b"\xef\xbb\xbf")
    return list(csv.reader(io.StringIO(body[3:].decode("utf-8"), newline="")))


def assert_formula_safe(rows: list[list[str]], where: str) -> None:
    cells = [cell for row in rows for cell in row]
    unsafe = [cell for cell in cells if cell[:1] in ("=", "+", "-", "@", "\t", "\r") and not NUMBER.fullmatch(cell)]
    assert unsafe == [], where
    # The formula-like names did reach the file, as text.
    assert any(cell[:1] == "'" and cell[1:2] in ("=", "+", "-", "@", "\t", "\r") for cell in cells), where


@pytest.fixture
def formula_places(places):
    for kind, (code, hindi, english) in FORMULA_NAMES.items():
        place = getattr(places, "gp" if kind.startswith("gp") else kind)(code)
        place.name_hi, place.name_en = hindi, english
    db.session.commit()


def test_every_csv_the_app_writes_keeps_formula_like_text_as_text(app, client, login_as, make_programme,
                                                                  formula_places, places, runner, tmp_path):
    import zipfile

    from trainer.attendance import services as attendance
    from trainer.attendance.models import MarkSource
    programme = make_programme(modules=1)
    session = next(s for s in programme.sessions if s.divisions[0].lgd_code == 1)
    attendance.mark(session, places.gp(11111), HeadCount(5), MarkSource.POSTER)
    from trainer.contacts.models import Contact, ContactRole
    db.session.add(Contact(gram_panchayat_id=places.gp(11111).id, role=ContactRole.SECRETARY, name="=2+5",
                           mobile="9876543210"))
    from trainer.partners import applications as partner_applications
    from trainer.partners import calls as partner_calls
    from trainer.partners.models import ApplicationChannel, OrganisationKind
    call = partner_calls.save_call(partner_calls.CallValues(title_hi="=जल", opens_on=date(2026, 12, 1),
                                                            closes_on=date(2026, 12, 31), themes=("water",)), None)
    application, _code = partner_applications.start_application(call, partner_applications.ApplicationValues(
        kind=OrganisationKind.NGO, name_en="=2+5", contact_name="=1", contact_mobile="9876543210", themes=("water",),
        district_id=places.district(111).id), channel=ApplicationChannel.FILE, received_on=date(2026, 12, 1))
    partner_applications.submit(application)
    from trainer.partners import plans as partner_plans
    from trainer.partners.models import ActivityLevel
    from trainer.partners.services import OrganisationValues, save_organisation
    organisation = save_organisation(OrganisationValues(name_hi="-cmd संस्था"), None)
    plan, _code = partner_plans.start_plan(organisation, 2026, partner_plans.Actor())
    from trainer.partners import programme_partners
    programme_partners.add_partners(programme, [organisation.id], None)
    partner_plans.add_activity(plan, partner_plans.ActivityValues(
        title="=2+5", theme="water", level=ActivityLevel.STATE, planned_from=date(2026, 5, 1),
        planned_to=date(2026, 5, 2)))
    from trainer.campaigns import services as campaigns
    campaign = campaigns.save_campaign(campaigns.CampaignValues(title_hi="=अभियान", starts_on=date(2026, 12, 1),
                                                                ends_on=date(2026, 12, 31)), None)
    campaigns.save_indicator(campaign, campaigns.IndicatorValues(code="linked", name_hi="=2+5"))
    from tests.test_directives_pages import add_directive
    from trainer.accounts import services as accounts
    from trainer.offices import services as offices
    owner = offices.save_office(offices.OfficeValues("=HYPERLINK(1)", place=places.district(111)))
    _meeting, directive, _report = add_directive(owner, accounts.create_user("owner", PASSWORD, Role.ADMIN, None))
    directive.text_hi = "=2+5"
    db.session.commit()
    login_as(Role.ADMIN)
    csv_routes = {rule.endpoint for rule in app.url_map.iter_rules()
                  if rule.rule.endswith((".<fmt>", ".csv")) and "GET" in rule.methods}
    # Every CSV download; a new one must be added here (and write through trainer.reports.exports.csv_bytes).
    downloads = {
        "reports.programme_file": [f"/reports/programmes/{programme.id}.csv?level={level}"
                              for level in ("division", "district", "block")],
        "reports.untrained_file": [f"/reports/programmes/{programme.id}/untrained.csv",
                              f"/reports/programmes/{programme.id}/untrained.csv?block=1111"],
        "reports.session_file": [f"/reports/sessions/{session.id}.csv", f"/reports/sessions/{session.id}.csv?level=district"],
        "contacts.export": ["/contacts/export.csv", "/contacts/export.csv?block=1111"],
        "calls.report_file": [f"/partners/calls/{call.id}/report.csv"],
        "calls.application_file": [f"/partners/calls/{call.id}/applications.csv"],
        "partner_plans.export": ["/partners/plans/export.csv?year=2026"],
        "programme_partners.report_file": [f"/partners/programmes/{programme.id}/report.csv"],
        "campaigns.dashboard_file": [f"/campaigns/{campaign.id}/dashboard.csv"],
        "directives.board_file": ["/directives/board.csv", "/directives/board.csv?overdue=0"],
    }
    assert csv_routes == set(downloads)
    for urls in downloads.values():
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200 and response.mimetype == "text/csv", url
            assert_formula_safe(csv_rows(response.get_data()), url)

    # The access codes of a block: a ZIP with the sheet and the CSV, from the page and from the command line.
    response = client.post("/access-codes/blocks/1111", data={"confirm": "y"})
    with zipfile.ZipFile(io.BytesIO(issued_codes_zip(response))) as archive:
        rows = csv_rows(archive.read("access-codes-1111.csv"))
    assert_formula_safe(rows, "access codes ZIP")
    assert sorted(row[0] for row in rows[1:]) == ["11111", "11112", "11113"]
    result = runner.invoke(args=["access-codes", "issue", "1111", "--csv", str(tmp_path / "codes.csv")])
    assert result.exit_code == 0, result.output
    assert_formula_safe(csv_rows((tmp_path / "codes.csv").read_bytes()), "flask access-codes issue --csv")


def test_numbers_stay_numbers_and_only_text_is_guarded():
    from datetime import date

    from trainer.reports.exports import Share, Table, csv_bytes
    table = Table("", ["name", "count", "change", "share", "day"],
                  [["-cmd", -5, -2.5, Share(-0.125), date(2026, 7, 21)], ["=1", 0, 3.0, Share(None), None]])
    assert csv_rows(csv_bytes(table)) == [["name", "count", "change", "share", "day"],
                                         ["'-cmd", "-5", "-2.50", "-12.5", "2026-07-21"],
                                         ["'=1", "0", "3.00", "", ""]]


# Secrets never logged, never stored in clear

SECRET_KEY = "log-test-secret-key-5f1c9a7e2b"
STRONG_PASSWORD = "Gupt-Shabd-7391"


def test_passwords_access_codes_tokens_and_the_secret_key_never_reach_the_logs_or_tables(
        make_app, places, make_programme, monkeypatch, caplog):
    import logging
    import zipfile
    from datetime import timedelta
    from urllib.parse import parse_qs, urlsplit

    from trainer.attendance import tokens
    from trainer.youtube import api, sync
    from trainer.youtube.models import YouTubeChannel
    from youtube_standin import YouTubeStandIn

    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    monkeypatch.setattr(api, "RETRIES", 0)
    # Alembic's logging set-up (the suite's migrations) disables the loggers that existed then; a server has
    # them all on.
    for logger in logging.root.manager.loggerDict.values():
        if isinstance(logger, logging.Logger):
            monkeypatch.setattr(logger, "disabled", False)
    # An operator running with every SQL statement and its parameters logged, and everything else at DEBUG.
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    caplog.set_level(logging.DEBUG)  # last: it also sets the capturing handler's level
    with YouTubeStandIn() as standin:
        app = make_app(SECRET_KEY=SECRET_KEY, WTF_CSRF_ENABLED=True, YOUTUBE_API_ENDPOINT=standin.url,
                       YOUTUBE_TOKEN_URI=standin.token_uri, YOUTUBE_AUTH_URI=standin.url + "/auth",
                       YOUTUBE_CLIENT_ID="client-id.apps", YOUTUBE_CLIENT_SECRET="client-secret-9d8e7f")
        with app.app_context():
            from trainer.accounts import services
            services.create_user("boss", STRONG_PASSWORD, Role.ADMIN, None)
            db.session.commit()
        session = next(s for s in make_programme(modules=1).sessions if s.divisions[0].lgd_code == 1)
        monkeypatch.setattr(clock, "now", lambda: session.starts_at + timedelta(minutes=5))
        client = app.test_client()

        # Sign in: once wrong, once right.
        client.post("/login", data={"username": "boss", "password": STRONG_PASSWORD[::-1],
                                    "csrf_token": csrf_token(client)})
        assert client.post("/login", data={"username": "boss", "password": STRONG_PASSWORD,
                                           "csrf_token": csrf_token(client)}).status_code == 302

        # Access codes: a block's issued as a ZIP, then one gram panchayat's reissued.
        token = csrf_token(client, "/access-codes/?block=1111")
        response = client.post("/access-codes/blocks/1111", data={"confirm": "y", "csrf_token": token})
        with zipfile.ZipFile(io.BytesIO(issued_codes_zip(response))) as archive:
            rows = csv_rows(archive.read("access-codes-1111.csv"))
        codes = {row[0]: row[3] for row in rows[1:]}
        token = csrf_token(client, "/access-codes/?gp=11112")
        page = client.post("/access-codes/gps/11112/reissue", data={"confirm": "y", "csrf_token": token})
        codes["11112"] = "".join(re.findall(r"\b(\d{4}) (\d{4})\b", page.get_data(as_text=True))[0])

        # The YouTube channel: consent, callback, the token exchanged, the live stream made.
        token = csrf_token(client, "/youtube/")
        response = client.post("/youtube/connect", data={"confirm": "y", "csrf_token": token})
        asked = {key: values[0] for key, values in parse_qs(urlsplit(response.headers["Location"]).query).items()}
        client.get(f"/youtube/callback?state={asked['state']}&code=4/authcode-77&scope={asked['scope']}")
        with app.app_context():
            channel = db.session.get(YouTubeChannel, 1)
            stream_key = sync.stream_key(channel)
        assert client.get("/youtube/").status_code == 200
        # Checking the connection reads the stored refresh token and gets a new access token with it.
        client.post("/youtube/check", data={"confirm": "y", "csrf_token": csrf_token(client, "/youtube/")})
        assert len(standin.calls("POST token")) == 2
        client.post("/logout", data={"csrf_token": csrf_token(client, "/")})

        # A secretary's phone: a wrong access code, then the right one.
        phone = app.test_client()
        with app.app_context():  # signed with this app's key
            scan = f"/a/{tokens.make_token(session.id)}"
        for typed in ("00000000", codes["11111"]):
            page = phone.get(scan).get_data(as_text=True)
            hidden = hidden_fields(page)
            phone.post(scan, data={**hidden, "gp_query": "11111", "access_code": typed, "participants": "7"})
        from trainer.attendance.models import Attendance
        with app.app_context():
            assert db.session.scalar(select(Attendance.participants)) == 7
            tables = table_contents()
        exchanged = [call["body"] for call in standin.calls("POST token")]

    refresh_token = "1//refresh-4/authcode-77"
    secrets = {"password": STRONG_PASSWORD, "SECRET_KEY": SECRET_KEY, "OAuth client secret": "client-secret-9d8e7f",
               "OAuth code": "4/authcode-77", "refresh token": refresh_token, "stream key": stream_key,
               **{f"access code of {gp}": code for gp, code in codes.items()}}
    assert exchanged and len(codes) == 3 and stream_key
    access_tokens = [f"ya29.{n}" for n in range(1, 10)]
    logged = caplog.text + "\n".join(record.getMessage() for record in caplog.records)
    # The capture saw the SQL with its parameters, and DEBUG records (the HTTP connections to the stand-in).
    assert "INSERT INTO gp_access_codes" in logged and any(r.levelno == logging.DEBUG for r in caplog.records)
    for name, value in secrets.items():
        assert value not in logged, f"the {name} was logged"
    assert not [value for value in access_tokens if re.search(re.escape(value) + r"\b", logged)]
    stored = repr(tables)
    for name, value in secrets.items():
        if name not in ("OAuth code", "OAuth client secret"):
            assert value not in stored, f"the {name} is stored in clear"
    for _gp, code in codes.items():  # nor with the grouping of the printed sheet
        assert f"{code[:4]} {code[4:]}" not in stored


# Caching and the site's address


def test_staff_pages_json_and_files_are_never_stored_by_shared_caches(client, login_as, make_programme):
    programme = make_programme(modules=1)
    login_as(Role.ADMIN)
    for path in ("/admin/users/", f"/reports/programmes/{programme.id}", "/api/v1/programmes",
                 f"/reports/programmes/{programme.id}.csv", f"/programmes/{programme.id}"):
        with client.get(path) as response:
            assert response.status_code == 200, path
            assert "no-store" in response.headers["Cache-Control"], path
            assert "public" not in response.headers["Cache-Control"], path


def test_public_pages_may_be_cached_briefly_and_other_pages_are_revalidated(client, make_programme):
    programme = make_programme(modules=1)
    with client.get(f"/programmes/{programme.id}") as public:
        assert public.headers["Cache-Control"] == "public, max-age=60"
        assert "Cookie" in public.headers["Vary"]  # the language is a cookie
    with client.get("/login") as login:
        assert login.headers["Cache-Control"] in ("no-cache", "private, no-store")
    with client.get("/api/v1/programmes") as api:
        assert api.headers["Cache-Control"] == "private, no-store"
    with client.get(f"/programmes/{programme.id}/calendar.ics") as feed:
        assert "public" in feed.headers["Cache-Control"]  # the feed's own rule, with its ETag
    with client.get("/static/css/app.css") as static:
        assert "private" not in static.headers.get("Cache-Control", "")


def test_absolute_links_use_the_configured_address_not_the_requests_host(make_app, make_programme):
    programme = make_programme(modules=1)
    session = programme.sessions[0]
    configured = make_app(PUBLIC_BASE_URL="https://trainer.example.gov.in").test_client()
    page = configured.get(f"/sessions/{session.id}", headers={"Host": "evil.example"}).get_data(as_text=True)
    assert f"https://trainer.example.gov.in/sessions/{session.id}" in page and "evil.example" not in page
    feed = configured.get(f"/programmes/{programme.id}/calendar.ics", headers={"Host": "evil.example"})
    assert b"https://trainer.example.gov.in/sessions/" in feed.data and b"evil.example" not in feed.data
    development = make_app().test_client()
    page = development.get(f"/sessions/{session.id}", headers={"Host": "laptop.local:5000"}).get_data(as_text=True)
    assert f"http://laptop.local:5000/sessions/{session.id}" in page
