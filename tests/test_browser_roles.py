"""Every role in a real browser on a 360 px phone: signs in through the login page, opens the pages its menu
offers and the others it works with; each is in Hindi, fits the screen, and runs under the strict
Content-Security-Policy without one console error or policy violation. Screenshots go to tests/artifacts/."""
import re
from datetime import timedelta

import pytest

from tests.browser_support import ARTIFACTS, browser, live_server, sign_in  # noqa: F401 (fixtures)
from trainer.attendance.rules import HeadCount
from trainer.core.roles import Role
from trainer.extensions import db

pytestmark = pytest.mark.browser

WIDTH, HEIGHT = 360, 740
DEVANAGARI = re.compile("[\u0900-\u097f]")
PLAYER = "https://www.youtube-nocookie.com/"

PUBLIC = ["/programmes/", "/programmes/{programme}", "/programmes/{programme}/month",
          "/programmes/{programme}/divisions/1", "/sessions/{session}"]
STAFF = ["/", "/account/password", "/attendance/", "/attendance/sessions/{session}/live", "/reports/",
         "/reports/programmes/{programme}", "/reports/sessions/{session}", "/regions/", "/contacts/",
         "/contacts/gps/11111", "/contacts/me", "/campaigns", "/campaigns/{campaign}",
         "/campaigns/{campaign}/indicators/{indicator}"]
PAGES = {
    Role.ADMIN: STAFF + [
        "/admin/users/", "/admin/users/new", "/admin/users/{trainer}/edit", "/access-codes/",
        "/access-codes/?block=1111", "/regions/import", "/regions/divisions/1", "/youtube/", "/plan/",
        "/plan/{programme}", "/attendance/sessions/{session}/checklist?block=1111", "/contacts/import",
        "/contacts/officers/", "/contacts/officers/{trainer}"] + PUBLIC,
    Role.TRAINER: STAFF + [
        "/plan/", "/plan/new", "/plan/{programme}", "/plan/{programme}/edit", "/plan/{programme}/month",
        "/plan/{programme}/modules/new", "/plan/modules/{module}/edit", "/plan/sessions/{session}/edit",
        "/feedback/programmes/{programme}", "/feedback/programmes/{programme}/preview", "/attendance/sessions/{session}/live-qr",
        "/youtube/", "/regions/search?q=ग्राम", "/campaigns/new", "/campaigns/{campaign}/edit",
        "/campaigns/{campaign}/indicators/new", "/campaigns/{campaign}/indicators/{indicator}/edit"] + PUBLIC,
    Role.DIRECTOR: STAFF + [
        "/reports/programmes/{programme}/divisions/1", "/reports/programmes/{programme}/districts/111",
        "/reports/programmes/{programme}/blocks/1111", "/regions/divisions/1", "/regions/districts/111"] + PUBLIC,
    Role.DISTRICT_OFFICER: STAFF + [
        "/reports/programmes/{programme}/districts/111", "/reports/programmes/{programme}/blocks/1111",
        "/attendance/sessions/{session}/checklist?block=1111", "/regions/districts/111", "/access-codes/",
        "/access-codes/?block=1111"] + PUBLIC,
    Role.BLOCK_OFFICER: STAFF + [
        "/reports/programmes/{programme}/blocks/1111", "/attendance/sessions/{session}/checklist",
        "/attendance/sessions/{session}/upload", "/regions/blocks/1111", "/access-codes/", "/contacts/import",
        "/contacts/?missing=1"] + PUBLIC,
    Role.SECRETARY: ["/", "/account/password", "/a/{token}", "/feedback/sessions/{session}"] + PUBLIC,
}
# What each role's menu offers, besides the home page, the public programmes and the password page.
MENU = {
    Role.ADMIN: {"/plan/", "/attendance/", "/reports/", "/regions/", "/contacts/", "/admin/users/", "/access-codes/",
                 "/campaigns"},
    Role.TRAINER: {"/plan/", "/attendance/", "/reports/", "/regions/", "/contacts/", "/campaigns"},
    Role.DIRECTOR: {"/attendance/", "/reports/", "/regions/", "/contacts/", "/campaigns"},
    Role.DISTRICT_OFFICER: {"/attendance/", "/reports/", "/regions/", "/contacts/", "/access-codes/", "/campaigns"},
    Role.BLOCK_OFFICER: {"/attendance/", "/reports/", "/regions/", "/contacts/", "/access-codes/", "/campaigns"},
    Role.SECRETARY: set(),
}
# Records every Content-Security-Policy violation of a page, whatever the console says about it.
RECORD_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation",
  e => window.__violations.push(e.violatedDirective + " " + (e.blockedURI || "inline") + " " + e.sourceFile
                                + ":" + e.lineNumber));
"""


@pytest.fixture
def ids(live_server, places, make_programme):
    """A published programme whose first session of division 1 is running now, with its YouTube link, some
    attendance and a feedback question; return the ids the pages need."""
    from trainer.accounts.models import User
    from trainer.attendance import services as attendance
    from trainer.attendance.models import MarkSource
    from trainer.attendance.tokens import make_token
    from trainer.core.database import utc_now
    from trainer.feedback import services as feedback
    from trainer.feedback.models import QuestionKind
    programme = make_programme(modules=2)
    session = next(s for s in programme.sessions if s.divisions[0].lgd_code == 1)
    session.starts_at = utc_now() - timedelta(minutes=10)
    session.ends_at = session.starts_at + timedelta(minutes=90)
    session.youtube_url = "https://www.youtube.com/watch?v=dQw4w9WgXcQ"
    feedback.add_question(programme, QuestionKind.RATING, "प्रशिक्षण कैसा लगा?", "How was the training?")
    feedback.add_question(programme, QuestionKind.SHORT_TEXT, "सुझाव", "Suggestions")
    attendance.mark(session, places.gp(11112), HeadCount(12), MarkSource.POSTER)
    attendance.mark(session, places.gp(11121), HeadCount(8), MarkSource.CHECKLIST)
    from trainer.campaigns import services as campaigns
    campaign = campaigns.save_campaign(campaigns.CampaignValues(
        title_hi="स्वयं सहायता समूह से जोड़ना", starts_on=session.starts_at.date(),
        ends_on=session.starts_at.date() + timedelta(days=60), place=places.district(111),
        programme_ids=(programme.id,), phases=(campaigns.PhaseValues(
            session.starts_at.date(), session.starts_at.date() + timedelta(days=30), "पहला चरण"),),
        offices=(campaigns.OfficeValues("ग्राम संगठन", "", "सर्वे"),)), None)
    indicator = campaigns.save_indicator(campaign, campaigns.IndicatorValues(code="linked", name_hi="जोड़े गए परिवार"))
    campaigns.set_target(indicator, places.gp(11111), 532630)
    db.session.commit()
    return {"campaign": campaign.id, "indicator": indicator.id,
            "programme": programme.id, "session": session.id, "module": programme.modules[0].id,
            "token": make_token(session.id),
            "trainer": db.session.scalar(db.select(User.id).where(User.username == "trainer"))}


def _offline(route, base):
    """Serve the app itself; stand in for YouTube's player (this machine has no internet); refuse the rest."""
    url = route.request.url
    if url.startswith(base):
        route.continue_()
    elif url.startswith(PLAYER):
        route.fulfill(status=200, content_type="text/html", body="<!doctype html><title>player</title>")
    else:
        route.abort()


def _name(path: str) -> str:
    return re.sub(r"[^\w]+", "_", path.strip("/")).strip("_") or "home"  # from the template: no tokens in names


@pytest.mark.parametrize("role", list(Role), ids=str)
def test_each_role_reads_its_pages_in_hindi_on_a_phone_under_the_strict_policy(live_server, browser, ids, role):
    ARTIFACTS.mkdir(exist_ok=True)
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, locale="hi-IN")
    context.route("**/*", lambda route: _offline(route, live_server))
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    errors = []
    page.on("console", lambda msg: errors.append(f"{page.url}: {msg.text}") if msg.type == "error" else None)
    page.on("pageerror", lambda exc: errors.append(f"{page.url}: {exc}"))
    sign_in(page, live_server, role.value)
    offered = {link.get_attribute("href") for link in page.locator("header nav a").all()}
    assert MENU[role] <= offered, offered
    problems = []
    for template in PAGES[role]:
        path = template.format(**ids)
        response = page.goto(live_server + path)
        page.wait_for_load_state("load")
        if response.status != 200:
            problems.append(f"{path}: status {response.status}")
            continue
        if page.get_attribute("html", "lang") != "hi":
            problems.append(f"{path}: not marked as Hindi")
        if not DEVANAGARI.search(page.inner_text("body")):
            problems.append(f"{path}: no Devanagari text")
        scroll, inner = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        if scroll > inner:
            problems.append(f"{path}: {scroll} px wide on a {inner} px screen")
        problems += [f"{path}: CSP {v}" for v in page.evaluate("window.__violations")]
        page.screenshot(path=str(ARTIFACTS / f"role-{role.value}-{_name(template)}-{WIDTH}.png"), full_page=True)
    context.close()
    assert problems == []
    assert errors == []


def test_the_session_page_embeds_the_player_the_policy_allows(live_server, browser, ids):
    context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT})
    context.route("**/*", lambda route: _offline(route, live_server))
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    player_loaded = []
    page.on("requestfinished", lambda request: player_loaded.append(request.url)
            if request.url.startswith(PLAYER) else None)
    page.goto(f"{live_server}/sessions/{ids['session']}")
    page.frame_locator("iframe").locator("title").wait_for(state="attached")
    assert any(url.startswith(PLAYER + "embed/dQw4w9WgXcQ") for url in player_loaded)
    assert page.evaluate("window.__violations") == []
    context.close()


def test_the_policy_stops_an_inline_script_a_page_might_carry(live_server, browser, ids):
    """The proof that the policy is on: a script written into a page by an attacker does not run."""
    context = browser.new_context()
    context.route("**/*", lambda route: _offline(route, live_server))
    context.add_init_script(RECORD_VIOLATIONS)
    page = context.new_page()
    console = []
    page.on("console", lambda msg: console.append(msg.text) if msg.type == "error" else None)
    page.goto(live_server + "/programmes/")
    page.evaluate("""() => {
        const s = document.createElement('div');
        s.innerHTML = '<img src="x:" onerror="window.__ran = true">';
        document.body.append(s);
        const script = document.createElement('script');
        script.textContent = 'window.__ran = true';
        document.body.append(script);
    }""")
    page.wait_for_timeout(200)
    assert page.evaluate("window.__ran === undefined")
    assert any(v.startswith("script-src") for v in page.evaluate("window.__violations"))
    # ... and says so on the console, which the walk through every role's pages listens to.
    assert any("Content Security Policy" in text for text in console), console
    context.close()
