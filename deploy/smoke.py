#!/usr/bin/env python3
"""Check a Trainer installation end to end over HTTP, as a panchayat secretary's phone would.

    python3 deploy/smoke.py https://trainer.example.gov.in
    python3 deploy/smoke.py https://trainer.example.gov.in --session-code 12345678 --gp 11111 --access-code 87654321

The first form writes nothing: /healthz answers, a stylesheet comes from static/, the home page answers,
and plain http moves to https. With a session's code (the digits on its poster), a gram panchayat's LGD
code and its access code, it also walks the secretary's flow: the code leads to the attendance form, the GP
is marked present, the phone is remembered (the next scan asks for no code: one tap) and the feedback form
opens for that GP. That writes an attendance record of the GP: use a session and a GP meant for checking
(docs/DEPLOY.md, "Check the installation"). --insecure accepts a self-signed certificate.

    /srv/trainer/.venv/bin/python deploy/smoke.py --prepare [--gp 11111]

run with the app servers' environment (DATABASE_URL, SECRET_KEY), makes such a session in the database: a
published programme "Installation check" with a session of the GP's division running from 5 minutes ago for
an hour, and a rating question; it gives the GP (by default the first by LGD code) a NEW access code and
prints the options of the flow check. Only for a database that is to be emptied afterwards, or a copy.

The checks need nothing but Python 3; exit 0 when every check passed, 1 at the first that failed.
"""
import argparse
import http.cookiejar
import json
import re
import ssl
import sys
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass

HIDDEN_INPUT = re.compile(r"<input[^>]*>")
ATTRIBUTE = re.compile(r'([\w-]+)="([^"]*)"')


class CheckFailed(Exception):
    """A check that did not pass, with what was seen."""


@dataclass
class Page:
    status: int
    url: str
    headers: object
    text: str

    def hidden_fields(self) -> dict[str, str]:
        """Return the hidden inputs of the page's forms (CSRF token, form pass, nonce)."""
        fields = {}
        for tag in HIDDEN_INPUT.findall(self.text):
            attributes = dict(ATTRIBUTE.findall(tag))
            if attributes.get("type") == "hidden" and "name" in attributes:
                fields[attributes["name"]] = attributes.get("value", "")
        return fields

    def has_field(self, name: str) -> bool:
        return f'name="{name}"' in self.text


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None  # every redirect is looked at by the caller


class Phone:
    """A phone's browser: one cookie jar, no JavaScript, redirects followed only when asked."""

    def __init__(self, insecure: bool = False, jar: http.cookiejar.CookieJar | None = None) -> None:
        self.jar = jar if jar is not None else http.cookiejar.CookieJar()
        self.last_url: str | None = None
        self.headers: dict[str, str] = {}  # sent with every request (a proxy's X-Forwarded-For, say)
        context = ssl.create_default_context()
        if insecure:
            context.check_hostname = False
            context.verify_mode = ssl.CERT_NONE
        self._opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar),
                                                   urllib.request.HTTPSHandler(context=context), _NoRedirect())

    def set_cookie(self, url: str, name: str, value: str) -> None:
        """Put a cookie in the jar as the site would have set it (a language chosen earlier, say)."""
        domain = http.cookiejar.eff_request_host(urllib.request.Request(url))[1]
        self.jar.set_cookie(http.cookiejar.Cookie(
            0, name, value, None, False, domain, False, False, "/", True, False, None, True, None, None, {}))

    def request(self, url: str, data: dict | None = None, follow: bool = False, timeout: float = 30) -> Page:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        for _hop in range(5):
            # As a browser does: the page a form was on is the referrer (CSRF protection over https checks it).
            headers = {**self.headers, **({"Referer": self.last_url} if self.last_url else {})}
            try:
                with self._opener.open(urllib.request.Request(url, data=body, headers=headers),
                                       timeout=timeout) as response:
                    page = Page(response.status, response.url, response.headers,
                                response.read().decode("utf-8", "replace"))
            except urllib.error.HTTPError as error:
                page = Page(error.code, url, error.headers, error.read().decode("utf-8", "replace"))
            if page.status == 200 and "html" in page.headers.get("Content-Type", ""):
                self.last_url = page.url
            if not (follow and page.status in (301, 302, 303, 307, 308)):
                return page
            url, body = urllib.parse.urljoin(url, page.headers["Location"]), None
        raise CheckFailed(f"{url}: too many redirects")

    def get(self, url: str, follow: bool = False) -> Page:
        return self.request(url, follow=follow)

    def post(self, url: str, data: dict, follow: bool = False) -> Page:
        return self.request(url, data=data, follow=follow)


def expect(condition: bool, what: str, page: Page | None = None) -> None:
    if not condition:
        seen = f" (HTTP {page.status} from {page.url}: {page.text[:300]!r})" if page is not None else ""
        raise CheckFailed(what + seen)


def check_serving(base: str, insecure: bool) -> list[str]:
    """The checks that write nothing; return what passed."""
    phone = Phone(insecure)
    passed = []
    health = phone.get(f"{base}/healthz")
    expect(health.status == 200 and json.loads(health.text).get("status") == "ok",
           "/healthz should answer 200 with the database reachable", health)
    passed.append("/healthz: the app servers answer and reach the database")
    css = phone.get(f"{base}/static/css/attend.css")
    expect(css.status == 200 and "text/css" in css.headers.get("Content-Type", ""),
           "/static/css/attend.css should be served as text/css", css)
    passed.append("/static/: stylesheets are served")
    home = phone.get(f"{base}/")
    expect(home.status == 200 and "<html" in home.text, "the home page should answer 200", home)
    passed.append("/: the home page answers")
    parts = urllib.parse.urlsplit(base)
    if parts.scheme == "https" and parts.port is None:
        plain = phone.get(f"http://{parts.hostname}/healthz")
        expect(plain.status in (301, 308) and plain.headers.get("Location", "").startswith(f"https://{parts.hostname}/"),
               "plain http should move to https", plain)
        passed.append("http://: moves to https")
    return passed


def check_secretary_flow(base: str, session_code: str, gp: str, access_code: str, participants: int,
                         insecure: bool) -> list[str]:
    """Mark a GP present from a new phone, then again with one tap, then open the feedback form."""
    phone = Phone(insecure)
    phone.set_cookie(base, "lang", "en")  # the checks read English words
    passed = []
    entry = phone.get(f"{base}/a?code={urllib.parse.quote(session_code)}")
    expect(entry.status == 302 and "/a/" in entry.headers.get("Location", ""),
           "the session's code should lead to its attendance form", entry)
    scan_url = urllib.parse.urljoin(entry.url, entry.headers["Location"])
    form = phone.get(scan_url)
    expect(form.status == 200 and form.has_field("gp_query") and form.has_field("access_code"),
           "a new phone should be asked for its gram panchayat and access code", form)
    done = phone.post(scan_url, {**form.hidden_fields(), "gp_query": gp, "access_code": access_code,
                                 "participants": str(participants)})
    expect(done.status == 200 and "is marked present" in done.text,
           "the gram panchayat should be marked present", done)
    expect(any(cookie.name == "gp" for cookie in phone.jar), "the phone should be given the GP cookie", done)
    passed.append(f"attendance: GP {gp} marked present with {participants} participants from a new phone")
    again = phone.get(scan_url)
    expect(again.status == 200 and not again.has_field("access_code") and f"<small>{gp}</small>" in again.text,
           "the next scan should know the GP and ask for no code", again)
    done = phone.post(scan_url, {**again.hidden_fields(), "participants": str(participants + 1)})
    expect(done.status == 200 and "is marked present" in done.text, "the one-tap mark should be confirmed", done)
    passed.append("attendance: the phone is remembered; marking again takes one tap")
    feedback_path = re.search(r'action="(/feedback/sessions/\d+)"', done.text)
    expect(feedback_path is not None, "the confirmation should lead to the feedback form", done)
    feedback = phone.get(urllib.parse.urljoin(done.url, feedback_path[1]))
    expect(feedback.status == 200 and (f"<small>{gp}</small>" in feedback.text or "No feedback form" in feedback.text),
           "the feedback form should open for the GP", feedback)
    expect("No attendance of your panchayat" not in feedback.text,
           "the feedback form should know the GP was marked present", feedback)
    passed.append("feedback: the form opens for the GP marked present")
    return passed


def prepare(gp_code: int | None) -> list[str]:
    """Make a session open for marking now and give a GP a new access code; return the flow check's options."""
    import os
    from datetime import date, timedelta
    from pathlib import Path

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from sqlalchemy import select

    from trainer import create_app
    from trainer.attendance import services as attendance
    from trainer.core.database import utc_now
    from trainer.extensions import db
    from trainer.feedback.models import QuestionKind
    from trainer.feedback.services import add_question
    from trainer.programmes.models import Programme, SessionStatus, TrainingSession
    from trainer.programmes.services import add_module, save_programme
    from trainer.regions.models import Block, District, GramPanchayat

    if not os.environ.get("DATABASE_URL"):
        raise CheckFailed("DATABASE_URL is not set: load the app servers' environment first")
    app = create_app()
    with app.app_context():
        query = select(GramPanchayat).order_by(GramPanchayat.lgd_code).limit(1)
        if gp_code is not None:
            query = select(GramPanchayat).where(GramPanchayat.lgd_code == gp_code)
        gp = db.session.scalar(query)
        if gp is None:
            raise CheckFailed("no such gram panchayat: import the regions (or `flask demo`) first")
        division = db.session.scalar(select(District).join(Block, Block.district_id == District.id)
                                     .where(Block.id == gp.block_id)).division
        today = date.today()
        programme = save_programme(Programme(), title_hi="स्थापना जाँच", title_en="Installation check",
                                   first_day=today - timedelta(days=1), last_day=today + timedelta(days=1),
                                   slots=[], divisions=[division])
        module = add_module(programme, title_hi="स्थापना जाँच", title_en="Installation check", duration_minutes=60)
        add_question(programme, QuestionKind.RATING, "व्यवस्था कैसी लगी?", "How was it?")
        now = utc_now()
        session = TrainingSession(programme=programme, starts_at=now - timedelta(minutes=5),
                                  ends_at=now + timedelta(minutes=55), status=SessionStatus.PUBLISHED,
                                  divisions=[division], modules=[module])
        db.session.add(session)
        db.session.flush()
        options = ["--session-code", attendance.ensure_session_code(session), "--gp", str(gp.lgd_code),
                   "--access-code", attendance.issue_code(gp)]
        db.session.commit()
    return options


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("base_url", nargs="?", help="the site's address, e.g. https://trainer.example.gov.in")
    parser.add_argument("--session-code", help="the 8 digits on a session's poster")
    parser.add_argument("--gp", help="LGD code of the gram panchayat to mark")
    parser.add_argument("--access-code", help="that gram panchayat's access code")
    parser.add_argument("--participants", type=int, default=3)
    parser.add_argument("--insecure", action="store_true", help="accept a self-signed certificate")
    parser.add_argument("--prepare", action="store_true",
                        help="make a session open now and a GP's new access code in the database; print the options")
    options = parser.parse_args()
    if options.prepare:
        try:
            print(" ".join(prepare(int(options.gp) if options.gp else None)))
        except CheckFailed as problem:
            print("FAILED", problem, file=sys.stderr)
            return 1
        return 0
    if not options.base_url:
        parser.error("give the site's address (or --prepare)")
    flow = (options.session_code, options.gp, options.access_code)
    if any(flow) and not all(flow):
        parser.error("the secretary's flow needs --session-code, --gp and --access-code together")
    base = options.base_url.rstrip("/")
    try:
        for line in check_serving(base, options.insecure):
            print("ok  ", line)
        if all(flow):
            for line in check_secretary_flow(base, *flow, options.participants, options.insecure):
                print("ok  ", line)
    except (CheckFailed, OSError, ValueError) as problem:
        print("FAILED", problem, file=sys.stderr)
        return 1
    print("all checks passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
