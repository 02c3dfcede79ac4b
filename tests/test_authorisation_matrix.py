"""The authorisation matrix: every route × method × role × objects of the role's own area or another's.

ROUTES has one row per rule and method of the app: who may use it, whether the area limit applies, whether
drafts are hidden, what an allowed request answers, and for a POST a form that would change something if
it were taken. Each row is tried by every role (anonymous, admin, trainer, director, a division's director,
district officer, block officer, secretary) on the objects of each case that its parameters can tell apart
(see authorisation_world):

    own        in every area-bound role's area: GP 11111 > block 1111 > district 111 > division 1;
               programme A (divisions 1 and 2), its session A1 for division 1
    neighbour  division 1 but district 112 (block 1121, GP 11211), still programme A and session A1
    other      division 2: programme B (division 2 only), A's session A2 for division 2, block 1211 ...
    draft      programme D, whose calendar is still a draft, and its session D1 (division 1)
    any        the route names no object

The expected answer, in this order: a route the role may not use answers 302 to the sign-in page for the
signed-out (401 in the JSON API) and 403 for the signed-in; a route that hides drafts answers 404 for them;
an area-bound role asking about a programme, session or place outside its area gets 403 (a GP named in an
uploaded file is refused within the page); everything else gets the route's own answer.

A refused request must leave every row of the database as it was; an allowed request of the most trusted
role in the named cases must change something, which proves the form would have worked. Pages, files and
JSON that list what an area holds must never show division 2 to a role of division 1, and must show it to
the whole state, which proves the text looked for is there. CSRF is off in the test configuration: these
are the checks behind it.
"""
import io
import json
import re
import uuid
import zipfile
from dataclasses import dataclass
from typing import Callable

import pytest
import weasyprint
from sqlalchemy import event

from authorisation_world import (
    ACCOUNTS,
    ANONYMOUS,
    ANY,
    DIVISIONS,
    DRAFT,
    NEIGHBOUR,
    NEW_PASSWORD,
    OTHER,
    OTHER_CAMPAIGN,
    OTHER_DIRECTIVE,
    OTHER_OFFICE,
    OTHER_PROGRAMME,
    OWN,
    PLACES,
    PROGRAMME,
    ROLES,
    SESSION,
    World,
    area_of,
    lineage,
    one_page_pdf,
    within,
)
from conftest import PASSWORD, _make_app, _rows, empty_all_tables
from trainer.core import clock
from trainer.extensions import db
from trainer.youtube import api as youtube_api
from youtube_standin import YouTubeStandIn

LOGIN = "sign-in page"

EVERYONE = frozenset(ROLES)
SIGNED_IN = frozenset(ACCOUNTS)
STAFF = SIGNED_IN - {"secretary"}
PLANNERS = frozenset({"admin", "trainer"})
ADMIN = frozenset({"admin"})
CHECKLIST = frozenset({"admin", "trainer", "district officer", "block officer"})
UPLOAD = frozenset({"admin", "district officer", "block officer"})
CODES = frozenset({"admin", "district officer", "block officer"})
CONTACT_EDITORS = frozenset({"admin", "trainer", "district officer", "block officer"})
APPRECIATORS = frozenset({"admin", "trainer", "director", "division director"})
PLACE_PARAMETERS = {"district_code", "block_code", "gp_code"}
# Objects that lie in a place: a message to the case's GP, a broadcast to the case's district.
# A certificate and a bundle of certificates lie in the case's district.
# A campaign (and its phases, offices and indicators) covers the case's district.
PLACED_OBJECTS = {"message_id": "gp_code", "broadcast_id": "district_code", "serial": "district_code",
                  "bundle_id": "district_code", "campaign_id": "district_code", "office_id": "district_code",
                  "directive_id": "district_code", "report_id": "district_code", "meeting_id": "district_code"}
# A review series of the case's district, its second meeting, and that meeting's agenda item, invitee and presence.
PLACED_OBJECTS |= {"series_id": "district_code", "meeting_id": "district_code", "item_id": "district_code",
                   "invitee_id": "district_code", "attendance_id": "district_code"}
OBJECT_PARAMETERS = {"programme_id", "session_id", "module_id", "question_id", "token"}
# Objects placed in no area: a route that names only these is tried in the ANY case.
UNPLACED_PARAMETERS = {"fmt", "organisation_id", "call_id", "criterion_id", "document_id", "application_id",
                       "attachment_id", "review_id", "event_id", "plan_id", "activity_id", "quarter",
                       "trainer_id"}
# The token of a meeting's attendance QR: its page is open to everyone.
UNPLACED_PARAMETERS |= {"meeting_token"}
ARGUMENT = re.compile(r"<(?:[^:<>]+:)?([^<>]+)>")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# Names of division 2 and of its places in conftest's small state.
OTHER_DIVISION, OTHER_DISTRICT, OTHER_BLOCK, OTHER_GP = "संभाग 2", "जिला 2", "जनपद 2", "ग्राम 2"


@dataclass(frozen=True)
class Route:
    """One row of the matrix."""

    method: str
    rule: str
    who: frozenset
    area: bool = False  # objects outside an area-bound role's area are refused
    hides_drafts: bool = False  # a draft programme or session is 404, whoever asks
    ok: int | dict = 200  # the answer to an allowed request (a dict: by role, "*" for the rest)
    block: bool = False  # the query names a block: ?block=<the case's block>
    gp_in_form: bool = False  # the form names the case's GP: outside the area, the page refuses it (changes nothing)
    query: tuple = ()  # a fixed query string, as (name, value) pairs
    shows: str = ""  # text of division 2 that the page shows the whole state, and never a role of division 1
    form: Callable | None = None  # the POST data, from the case's values
    changes: frozenset = frozenset()  # cases in which an allowed request of the first role changes rows
    fmt: tuple = ()  # the formats of an export, each a column of its own
    json: bool = False  # the JSON API: 401 for the signed-out
    ok_in: tuple = ()  # answers that differ by case, as ((role, case), status) pairs
    renamed: tuple = ()  # parameters taken from another value of the case, as (parameter, value's name) pairs

    def status_for(self, role: str, case: str | None = None) -> int:
        for (who, where), status in self.ok_in:
            if who == role and where == case:
                return status
        if isinstance(self.ok, dict):
            return self.ok.get(role, self.ok["*"])
        return self.ok

    def parameters(self, rule_arguments: set[str]) -> set[str]:
        """Return the parameters that name objects: the rule's, the query's block and the form's GP."""
        return rule_arguments | ({"block_code"} if self.block else set()) | ({"gp_code"} if self.gp_in_form else set())


def get(rule, who, **options):
    return Route("GET", rule, frozenset(who), **options)


def post(rule, who, form=lambda v: {}, ok=302, **options):
    return Route("POST", rule, frozenset(who), form=form, ok=ok, **options)


def changes(*cases):
    return frozenset(cases)


# Forms that would change something if they were taken.
def language(v):
    return {"lang": "en", "next": "/"}


def sign_in(v):
    return {"username": "admin", "password": PASSWORD}


def own_password(v):
    return {"current_password": PASSWORD, "password": NEW_PASSWORD, "confirm": NEW_PASSWORD}


def new_account(v):
    return {"username": "new-officer", "password": NEW_PASSWORD, "role": "block_officer", "area_code": v.block_code}


def account(v):
    return {"role": "block_officer", "area_code": v.block_code, "full_name": "नया नाम"}


def reset_password(v):
    return {"pw-password": NEW_PASSWORD}


def confirmed(v):
    return {"confirm": "y"}


def region_file(v):
    rows = _rows()
    for row in rows:
        if row["gp_code"] == str(v.gp_code):
            row["gp_name_hi"] = "नया नाम"
    header = list(rows[0])
    lines = [",".join(header)] + [",".join(row[key] for key in header) for row in rows]
    return {"file": (io.BytesIO("\n".join(lines).encode()), "state.csv")}


def programme_form(v):
    return {"title_hi": "नया शीर्षक", "divisions": v.programme_division_ids, "first_day": v.first_day,
            "last_day": v.last_day, "slots": "11:00, 15:00", "completion_sessions": "1",
            "youtube_privacy": "unlisted", "calendar_order": "division_wise", "parallel": "2"}


def module_form(v):
    return {"title_hi": "नया मॉड्यूल", "duration_minutes": "45", "experts": ""}


def move_up(v):
    return {"direction": "up"}


def move_down(v):
    return {"direction": "down"}


def move_division(v):
    return {"division": v.session_division_ids[0], "days": "1"}


def new_session(v):
    return {"day": v.first_day, "start": "07:00", "end": "08:00", "divisions": v.session_division_ids,
            "modules": [v.module_id]}


def session_form(v):
    return {"day": v.session_day, "start": "07:00", "end": "08:30", "divisions": v.session_division_ids,
            "modules": v.session_module_ids}


def live(v):
    return {"status": "live"}


def question(v):
    return {"kind": "rating", "text_hi": "नया प्रश्न"}


def copy_form(v):
    return {"source": v.copy_source}


def question_text(v):
    return {"text_hi": "सत्र कैसा लगा?", "required": ""}


def hidden(v):
    return {"hidden": "1"}


def checklist(v):
    # The world's GP was marked by its secretary: replacing that count is confirmed up front.
    return {"mode": "block_office", f"mark_{v.gp_code}": "y", f"participants_{v.gp_code}": "5", "replace": "yes"}


def attendance_file(v):
    return {"file": (io.BytesIO(f"gp_code,participants\n{v.gp_code},6\n".encode()), "attendance.csv")}


def new_contact(v):
    return {"role": "other", "name": "नया संपर्क", "mobile": "9876500000", "language": "hi", "channels": "sms"}


def chosen_contact(v):
    return {"contact_id": v.contact_id}


def contacts_file(v):
    return {"file": (io.BytesIO(f"gp_code,role,mobile\n{v.gp_code},other,9876500000\n".encode()), "contacts.csv")}


def own_contact(v):
    return {"mobile": "9876500001", "language": "hi", "channels": "sms"}


def reminder_switches(v):
    return {"day_before": "y"}


def broadcast_form(v):
    return {"session": v.broadcast_session, "audience": "untrained", "kind": "session_tomorrow", "place": "",
            "action": "send"}


def template_text(v):
    return {"body": "ग्राम पंचायत {#var#} का नया कोड {#var#} है।", "dlt_template_id": "1107000000000000777"}


def head_count(v):
    return {"pass_token": v.pass_token, "gp_query": str(v.gp_code), "access_code": v.access_code,
            "participants": "7"}


def organisation_head_count(v):
    return {"pass_token": v.pass_token, "organisation_query": "Jal Seva", "access_code": v.organisation_code,
            "participants": "7"}


def answers(v):
    return {"nonce": uuid.uuid4().hex, **v.answers}


def ask_question(v):
    return {"text": "मनरेगा की मजदूरी कब बढ़ेगी?", "asker": "sarpanch"}


def support_question(v):
    return {"question": v.asked_id}


def pin_question(v):
    return {"question": v.asked_id, "action": "pin"}


def moderator(v):
    return {"username": "block-officer"}


ROUTES = [
    # Everyone: the home page, the language, signing in, health.
    get("/", EVERYONE),
    get("/healthz", EVERYONE),
    get("/favicon.ico", EVERYONE),
    post("/language", EVERYONE, language),
    get("/login", EVERYONE, ok={ANONYMOUS: 200, "*": 302}),
    post("/login", EVERYONE, sign_in, changes=changes(ANY)),
    post("/logout", SIGNED_IN),
    get("/account/password", SIGNED_IN),
    post("/account/password", SIGNED_IN, own_password, changes=changes(ANY)),
    get("/account/sessions", SIGNED_IN),
    post("/account/sessions/end", SIGNED_IN, changes=changes(ANY)),
    post("/account/sessions/<int:login_id>/end", SIGNED_IN, ok=404),  # another account's sign-in: none of theirs
    # Accounts and access codes: administrators.
    get("/admin/users/", ADMIN),
    get("/admin/users/new", ADMIN),
    post("/admin/users/new", ADMIN, new_account, changes=changes(ANY)),
    get("/admin/users/<int:user_id>/edit", ADMIN),
    post("/admin/users/<int:user_id>/edit", ADMIN, account, changes=changes(OWN, OTHER)),
    post("/admin/users/<int:user_id>/password", ADMIN, reset_password, changes=changes(OWN, OTHER)),
    post("/admin/users/<int:user_id>/active", ADMIN, changes=changes(OWN, OTHER)),
    post("/admin/users/<int:user_id>/sign-out", ADMIN, changes=changes(OWN, OTHER)),
    # Officers see their own area's codes and reissue one GP's; only administrators issue a whole block.
    get("/access-codes/", CODES, area=True, block=True),
    post("/access-codes/blocks/<int:block_code>", ADMIN, confirmed, ok=200, changes=changes(OWN, OTHER)),
    post("/access-codes/gps/<int:gp_code>/reissue", CODES, confirmed, area=True, ok=200, changes=changes(OWN, OTHER)),
    # The hierarchy: staff, within their area; the import: administrators.
    get("/regions/", STAFF, shows=OTHER_DIVISION),
    get("/regions/search", STAFF, query=(("q", "ग्राम"),), shows=OTHER_GP),
    get("/regions/divisions/<int:division_code>", STAFF, area=True),
    get("/regions/districts/<int:district_code>", STAFF, area=True),
    get("/regions/blocks/<int:block_code>", STAFF, area=True),
    get("/regions/import", ADMIN),
    post("/regions/import", ADMIN, region_file, ok=200, changes=changes(ANY)),
    # Planning: trainers and administrators, the whole state, drafts included.
    get("/plan/", PLANNERS),
    get("/plan/new", PLANNERS),
    post("/plan/new", PLANNERS, programme_form, changes=changes(ANY)),
    get("/plan/<int:programme_id>", PLANNERS),
    get("/plan/<int:programme_id>/month", PLANNERS),
    get("/plan/<int:programme_id>/edit", PLANNERS),
    post("/plan/<int:programme_id>/edit", PLANNERS, programme_form, changes=changes(OWN, OTHER, DRAFT)),
    get("/plan/<int:programme_id>/modules/new", PLANNERS),
    post("/plan/<int:programme_id>/modules/new", PLANNERS, module_form, changes=changes(OWN, OTHER, DRAFT)),
    get("/plan/modules/<int:module_id>/edit", PLANNERS),
    post("/plan/modules/<int:module_id>/edit", PLANNERS, module_form, changes=changes(OWN, OTHER, DRAFT)),
    post("/plan/modules/<int:module_id>/move", PLANNERS, move_up, changes=changes(OWN, OTHER, DRAFT)),
    post("/plan/modules/<int:module_id>/delete", PLANNERS, changes=changes(OWN, OTHER, DRAFT)),
    post("/plan/<int:programme_id>/propose", PLANNERS, changes=changes(DRAFT)),
    post("/plan/<int:programme_id>/move-division", PLANNERS, move_division, changes=changes(OWN, OTHER, DRAFT)),
    post("/plan/<int:programme_id>/publish", PLANNERS, lambda v: {"anyway": "y"}, changes=changes(DRAFT)),
    get("/plan/<int:programme_id>/sessions/new", PLANNERS),
    post("/plan/<int:programme_id>/sessions/new", PLANNERS, new_session, changes=changes(OWN, OTHER, DRAFT)),
    get("/plan/sessions/<int:session_id>/edit", PLANNERS),
    post("/plan/sessions/<int:session_id>/edit", PLANNERS, session_form, changes=changes(OWN, OTHER, DRAFT)),
    post("/plan/sessions/<int:session_id>/cancel", PLANNERS, changes=changes(OWN, OTHER, DRAFT)),
    post("/plan/sessions/<int:session_id>/status", PLANNERS, live, changes=changes(OWN, OTHER)),
    post("/youtube/sessions/<int:session_id>/retry", PLANNERS, changes=changes(OWN, OTHER)),
    # The feedback builder: trainers and administrators.
    get("/feedback/programmes/<int:programme_id>", PLANNERS),
    post("/feedback/programmes/<int:programme_id>", PLANNERS, question, changes=changes(OWN, OTHER, DRAFT)),
    post("/feedback/programmes/<int:programme_id>/copy", PLANNERS, copy_form, changes=changes(OWN, OTHER, DRAFT)),
    get("/feedback/programmes/<int:programme_id>/preview", PLANNERS),
    get("/feedback/questions/<int:question_id>/edit", PLANNERS),
    post("/feedback/questions/<int:question_id>/edit", PLANNERS, question_text,
         changes=changes(OWN, OTHER, DRAFT)),
    post("/feedback/questions/<int:question_id>/hidden", PLANNERS, hidden, changes=changes(OWN, OTHER, DRAFT)),
    post("/feedback/questions/<int:question_id>/move", PLANNERS, move_down, changes=changes(OWN, OTHER, DRAFT)),
    # Posters and the live QR: trainers and administrators, for sessions that can be marked.
    get("/attendance/sessions/<int:session_id>/poster.pdf", PLANNERS, hides_drafts=True),
    get("/attendance/sessions/<int:session_id>/poster.png", PLANNERS, hides_drafts=True),
    get("/attendance/sessions/<int:session_id>/live-qr", PLANNERS, hides_drafts=True),
    get("/attendance/sessions/<int:session_id>/live-qr.svg", PLANNERS, hides_drafts=True),
    # The YouTube channel: its state for planners, connecting it for administrators.
    get("/youtube/", PLANNERS),
    get("/youtube/callback", ADMIN, ok=302),
    post("/youtube/connect", ADMIN),
    post("/youtube/disconnect", ADMIN, changes=changes(ANY)),
    post("/youtube/check", PLANNERS, changes=changes(ANY)),
    post("/youtube/sync", PLANNERS, changes=changes(ANY)),
    # Officers' attendance pages: staff (marking: not directors), sessions of their division, GPs of their area.
    get("/attendance/", STAFF, shows=OTHER_PROGRAMME),
    get("/attendance/sessions/<int:session_id>/checklist", CHECKLIST, area=True, hides_drafts=True,
        block=True),
    post("/attendance/sessions/<int:session_id>/checklist", CHECKLIST, checklist, area=True, hides_drafts=True,
         block=True, changes=changes(OWN, NEIGHBOUR, OTHER)),
    get("/attendance/sessions/<int:session_id>/upload", UPLOAD, area=True, hides_drafts=True),
    post("/attendance/sessions/<int:session_id>/upload", UPLOAD, attendance_file, ok=200, area=True,
         hides_drafts=True, gp_in_form=True, changes=changes(OWN, NEIGHBOUR, OTHER)),
    get("/attendance/sessions/<int:session_id>/live", STAFF, area=True, hides_drafts=True),
    get("/attendance/sessions/<int:session_id>/live.json", STAFF, area=True, hides_drafts=True),
    get("/attendance/sessions/<int:session_id>/gps/<int:gp_code>/history", STAFF, area=True, hides_drafts=True),
    # Reports, their exports and their JSON twins: staff, within their area; drafts are nobody's report.
    get("/reports/", STAFF, shows=OTHER_PROGRAMME),
    get("/reports/programmes/<int:programme_id>", STAFF, area=True, hides_drafts=True, shows=OTHER_DIVISION),
    get("/reports/programmes/<int:programme_id>/divisions/<int:division_code>", STAFF, area=True,
        hides_drafts=True),
    get("/reports/programmes/<int:programme_id>/districts/<int:district_code>", STAFF, area=True,
        hides_drafts=True),
    get("/reports/programmes/<int:programme_id>/blocks/<int:block_code>", STAFF, area=True, hides_drafts=True),
    get("/reports/sessions/<int:session_id>", STAFF, area=True, hides_drafts=True),
    get("/reports/programmes/<int:programme_id>.<fmt>", STAFF, area=True, hides_drafts=True,
        fmt=("csv", "xlsx", "pdf"), shows=OTHER_BLOCK),
    get("/reports/programmes/<int:programme_id>/untrained.<fmt>", STAFF, area=True, hides_drafts=True,
        fmt=("csv", "xlsx"), block=True),
    get("/reports/sessions/<int:session_id>.<fmt>", STAFF, area=True, hides_drafts=True,
        fmt=("csv", "xlsx", "pdf")),
    # Contacts: staff read their area's (numbers masked in files and JSON); editors change and import them; the
    # administrator keeps any officer's own contact.
    get("/contacts/", STAFF, shows=OTHER_GP),
    get("/contacts/gps/<int:gp_code>", STAFF, area=True),
    post("/contacts/gps/<int:gp_code>", CONTACT_EDITORS, new_contact, area=True,
         changes=changes(OWN, NEIGHBOUR, OTHER)),
    post("/contacts/gps/<int:gp_code>/opt-out", CONTACT_EDITORS, chosen_contact, area=True,
         changes=changes(OWN, NEIGHBOUR, OTHER)),
    post("/contacts/gps/<int:gp_code>/opt-in", CONTACT_EDITORS, chosen_contact, area=True,
         changes=changes(OWN, NEIGHBOUR, OTHER)),
    post("/contacts/gps/<int:gp_code>/delete", CONTACT_EDITORS, chosen_contact, area=True,
         changes=changes(OWN, NEIGHBOUR, OTHER)),
    get("/contacts/import", CONTACT_EDITORS),
    post("/contacts/import", CONTACT_EDITORS, contacts_file, ok=200, area=True, gp_in_form=True,
         changes=changes(OWN, NEIGHBOUR, OTHER)),
    get("/contacts/export.<fmt>", STAFF, fmt=("csv", "xlsx"), shows=OTHER_GP),
    get("/contacts/me", STAFF),
    post("/contacts/me", STAFF, own_contact, changes=changes(ANY)),
    get("/contacts/officers/", ADMIN),
    get("/contacts/officers/<int:user_id>", ADMIN),
    post("/contacts/officers/<int:user_id>", ADMIN, own_contact, changes=changes(OWN, OTHER)),
    get("/api/v1/contacts", STAFF, json=True, shows=OTHER_GP),
    get("/api/v1/gps/<int:gp_code>/contacts", STAFF, area=True, json=True),
    # Messages: staff see those of their area (numbers masked); planners keep templates, reminders, the SMS
    # received and send again what failed; staff broadcast to their area. The providers' webhooks answer only
    # a provider's signature (none is configured here).
    get("/messages/", STAFF, shows=OTHER_GP),
    get("/messages/<int:message_id>", STAFF, area=True),
    post("/messages/<int:message_id>/resend", PLANNERS, area=True, changes=changes(OWN, NEIGHBOUR, OTHER)),
    get("/messages/templates", PLANNERS),
    get("/messages/templates/<kind>/<channel>/<language>", PLANNERS),
    post("/messages/templates/<kind>/<channel>/<language>", PLANNERS, template_text, changes=changes(OWN, OTHER)),
    get("/messages/programmes/<int:programme_id>/reminders", PLANNERS, hides_drafts=True),
    post("/messages/programmes/<int:programme_id>/reminders", PLANNERS, reminder_switches, hides_drafts=True,
         changes=changes(OWN, OTHER)),
    get("/messages/programmes/<int:programme_id>/broadcast", STAFF, area=True, hides_drafts=True),
    post("/messages/programmes/<int:programme_id>/broadcast", STAFF, broadcast_form, area=True, hides_drafts=True,
         changes=changes(OWN, OTHER)),
    get("/messages/broadcasts", STAFF, shows=OTHER_DISTRICT),
    get("/messages/broadcasts/<int:broadcast_id>", STAFF, area=True),
    post("/messages/broadcasts/<int:broadcast_id>/cancel", STAFF, area=True, changes=changes(OWN, NEIGHBOUR, OTHER)),
    get("/messages/received", PLANNERS),
    get("/hooks/whatsapp", EVERYONE, ok=403),
    post("/hooks/whatsapp", EVERYONE, ok=403),
    post("/hooks/sms/receipts", EVERYONE, ok=403),
    post("/hooks/sms/inbound", EVERYONE, ok=403),
    get("/api/v1/messages", STAFF, json=True, shows="12111"),
    get("/api/v1/messages/summary", STAFF, json=True),
    get("/api/v1/broadcasts/<int:broadcast_id>", STAFF, area=True, json=True),
    get("/api/v1/openapi.json", EVERYONE),
    get("/api/v1/programmes", STAFF, json=True, shows=OTHER_PROGRAMME),
    get("/api/v1/programmes/<int:programme_id>/report", STAFF, area=True, hides_drafts=True, json=True,
        shows=OTHER_DISTRICT),
    get("/api/v1/programmes/<int:programme_id>/untrained", STAFF, area=True, hides_drafts=True, json=True,
        block=True),
    get("/api/v1/sessions/<int:session_id>/report", STAFF, area=True, hides_drafts=True, json=True),
    get("/api/v1/sessions/<int:session_id>/gps/<int:gp_code>/marks", STAFF, area=True, hides_drafts=True, json=True),
    # Public pages of published programmes, and the secretary's flow: everyone, never a draft.
    get("/programmes/", EVERYONE),
    get("/programmes/<int:programme_id>", EVERYONE, hides_drafts=True),
    get("/programmes/<int:programme_id>/month", EVERYONE, hides_drafts=True),
    get("/programmes/<int:programme_id>/calendar.ics", EVERYONE, hides_drafts=True),
    get("/programmes/<int:programme_id>/divisions/<int:division_code>", EVERYONE, hides_drafts=True),
    get("/programmes/<int:programme_id>/divisions/<int:division_code>/calendar.ics", EVERYONE, hides_drafts=True),
    get("/sessions/<int:session_id>", EVERYONE, hides_drafts=True),
    get("/a", EVERYONE),
    get("/a/<token>", EVERYONE, hides_drafts=True),
    post("/a/<token>", EVERYONE, head_count, ok=200, hides_drafts=True, changes=changes(OWN, OTHER)),
    get("/a/o/<token>", EVERYONE, hides_drafts=True),
    post("/a/o/<token>", EVERYONE, organisation_head_count, ok=200, hides_drafts=True, changes=changes(OWN, OTHER)),
    get("/feedback/sessions/<int:session_id>", EVERYONE, hides_drafts=True),
    post("/feedback/sessions/<int:session_id>", EVERYONE, answers, hides_drafts=True, changes=changes(OWN, OTHER)),
    get("/feedback/sessions/<int:session_id>/thanks", EVERYONE, hides_drafts=True),
    # Questions: GPs present at the session ask and support (only the secretary's GP is present, at A1); the
    # session's moderators (planners, and whoever they add) work the queue and the overlay.
    get("/questions/sessions/<int:session_id>", EVERYONE, hides_drafts=True),
    post("/questions/sessions/<int:session_id>", EVERYONE, ask_question, hides_drafts=True,
         ok={"secretary": 302, "*": 403}, ok_in=((("secretary", OTHER), 403),)),
    post("/questions/sessions/<int:session_id>/support", EVERYONE, support_question, hides_drafts=True,
         ok={"secretary": 302, "*": 403}, ok_in=((("secretary", OTHER), 403),)),
    get("/questions/sessions/<int:session_id>/queue", PLANNERS, hides_drafts=True),
    get("/questions/sessions/<int:session_id>/queue.json", PLANNERS, hides_drafts=True),
    get("/questions/sessions/<int:session_id>/questions/<int:asked_id>", PLANNERS, hides_drafts=True),
    post("/questions/sessions/<int:session_id>/moderate", PLANNERS, pin_question, hides_drafts=True,
         changes=changes(OWN, OTHER)),
    get("/questions/sessions/<int:session_id>/moderators", PLANNERS, hides_drafts=True),
    post("/questions/sessions/<int:session_id>/moderators", PLANNERS, moderator, hides_drafts=True,
         changes=changes(OWN, OTHER)),
    post("/questions/sessions/<int:session_id>/moderators/remove", PLANNERS, hides_drafts=True),
    get("/questions/sessions/<int:session_id>/overlay", PLANNERS, hides_drafts=True),
    get("/questions/sessions/<int:session_id>/overlay.json", PLANNERS, hides_drafts=True),
    get("/api/v1/sessions/<int:session_id>/questions", STAFF, area=True, hides_drafts=True, json=True),
]


# Forms of the certificates' pages.
def revoke_reason(v):
    return {"reason": "उपस्थिति गलत दर्ज"}


def corrected_name(v):
    return {"recipient_hi": "सुधारा हुआ नाम"}


def whole_programme(v):
    return {"district": ""}


def case_district(v):
    return {"district": v.district_code}


def office_design(v):
    return {"name": "नया सम्मान पत्र"}


def design_texts(v):
    return {"office_hi": "पंचायत राज संचालनालय", "title_hi": "सहभागिता प्रमाण-पत्र", "body_hi": "ग्राम पंचायत {gp}"}


def signatory(v):
    return {"name_hi": "डॉ. क. ख. गुप्ता", "designation_hi": "संचालक"}


def appreciation(v):
    return {"design": v.office_design_id, "recipient_kind": "person", "recipient_hi": "श्री ग. घ. वर्मा",
            "reason_hi": "निःशुल्क सेवा", "district": "", "request_key": "matrix"}


def gp_and_code(v):
    return {"gp_code": v.gp_code, "access_code": v.access_code}


ROUTES += [
    get("/certificates/", STAFF, shows=OTHER_DISTRICT),
    get("/certificates/<serial>", STAFF, area=True),
    get("/certificates/<serial>.pdf", STAFF, area=True),
    post("/certificates/<serial>/revoke", PLANNERS, revoke_reason, area=True, changes=changes(OWN, NEIGHBOUR, OTHER)),
    post("/certificates/<serial>/replace", PLANNERS, corrected_name, area=True,
         changes=changes(OWN, NEIGHBOUR, OTHER)),
    get("/certificates/programmes/<int:programme_id>", STAFF, area=True, hides_drafts=True),
    post("/certificates/programmes/<int:programme_id>/design", PLANNERS, hides_drafts=True, changes=changes(OTHER)),
    post("/certificates/programmes/<int:programme_id>/batches", PLANNERS, whole_programme, hides_drafts=True,
         changes=changes(OWN, OTHER)),
    post("/certificates/programmes/<int:programme_id>/partner-batches", PLANNERS, hides_drafts=True,
         changes=changes(OWN, OTHER)),
    post("/certificates/programmes/<int:programme_id>/bundles", STAFF, case_district, area=True, hides_drafts=True,
         changes=changes(OTHER)),
    get("/certificates/batches/<int:batch_id>", PLANNERS),
    get("/certificates/bundles/<int:bundle_id>", STAFF, area=True),
    get("/certificates/bundles/<int:bundle_id>.pdf", STAFF, area=True),
    get("/certificates/designs", PLANNERS),
    post("/certificates/designs", PLANNERS, office_design, changes=changes(ANY)),
    get("/certificates/designs/<int:design_id>", PLANNERS),
    post("/certificates/designs/<int:design_id>", PLANNERS, design_texts, changes=changes(ANY)),
    post("/certificates/designs/<int:design_id>/signatories", PLANNERS, signatory, changes=changes(ANY)),
    post("/certificates/designs/<int:design_id>/signatories/<int:signatory_id>/remove", PLANNERS,
         changes=changes(ANY)),
    get("/certificates/designs/<int:design_id>/preview.pdf", PLANNERS),
    get("/certificates/designs/<int:design_id>/preview.png", PLANNERS),
    get("/certificates/appreciation", APPRECIATORS),
    post("/certificates/appreciation", APPRECIATORS, appreciation, changes=changes(ANY)),
    get("/certificates/mine", EVERYONE),
    post("/certificates/mine", EVERYONE, gp_and_code, ok=200),
    get("/certificates/mine/<serial>.pdf", EVERYONE, ok=404, ok_in=((("secretary", OWN), 200),)),
    get("/certificates/verify", EVERYONE),
    get("/certificates/key.pem", EVERYONE),
    get("/C/<code>", EVERYONE),
    get("/api/v1/certificates", STAFF, json=True, shows=OTHER_DISTRICT),
    get("/api/v1/certificates/summary", STAFF, json=True, shows=OTHER_DISTRICT),
    get("/api/v1/certificates/<serial>", STAFF, area=True, json=True),
    get("/api/v1/certificate-batches/<int:batch_id>", PLANNERS, json=True),
    get("/api/v1/certificates/key", EVERYONE, json=True),
    get("/api/v1/certificates/verify/<code>", EVERYONE, json=True),
]


# Forms of the registry of partner organisations.
def new_organisation(v):
    return {"name_hi": "नई साझेदार संस्था", "kind": "ngo"}


def changed_organisation(v):
    return {"name_hi": "बदली हुई संस्था", "name_en": "", "kind": "trust"}


def duplicate_organisation(v):
    return {"duplicate_of": v.original_organisation_id}


def organisations_file(v):
    return {"file": (io.BytesIO("name_en,kind\nNew Partner Trust,trust\n".encode()), "organisations.csv")}


# Partner organisations: staff of every area read the whole registry (an organisation lies in no area); planners
# add, change, flag and import them.
ROUTES += [
    get("/partners/organisations", STAFF),
    get("/partners/organisations/<int:organisation_id>", STAFF),
    get("/partners/organisations/new", PLANNERS),
    post("/partners/organisations/new", PLANNERS, new_organisation, changes=changes(ANY)),
    get("/partners/organisations/<int:organisation_id>/edit", PLANNERS),
    post("/partners/organisations/<int:organisation_id>/edit", PLANNERS, changed_organisation, changes=changes(ANY)),
    post("/partners/organisations/<int:organisation_id>/duplicate", PLANNERS, duplicate_organisation,
         changes=changes(ANY)),
    get("/partners/organisations/import", PLANNERS),
    post("/partners/organisations/import", PLANNERS, organisations_file, ok=200, changes=changes(ANY)),
    get("/api/v1/organisations", STAFF, json=True),
    get("/api/v1/organisations/<int:organisation_id>", STAFF, json=True),
]


# Forms of the calls for expressions of interest.
def call_form(v):
    return {"title_hi": "नया आमंत्रण", "opens_on": "2026-12-01", "closes_on": "2026-12-31", "themes": ["health"]}


def criterion_form(v):
    return {"text_hi": "ग्रामीण क्षेत्र में अनुभव", "weight": "2", "max_score": "10"}


def call_document_form(v):
    return {"name_hi": "वार्षिक प्रतिवेदन", "required": "y"}


# Calls for expressions of interest: staff of every area read them (a call lies in no area); planners open and
# change them, their criteria and the documents they ask for.
ROUTES += [
    get("/partners/calls", STAFF),
    get("/partners/calls/new", PLANNERS),
    post("/partners/calls/new", PLANNERS, call_form, changes=changes(ANY)),
    get("/partners/calls/<int:call_id>", STAFF),
    get("/partners/calls/<int:call_id>/edit", PLANNERS),
    post("/partners/calls/<int:call_id>/edit", PLANNERS, call_form, changes=changes(ANY)),
    post("/partners/calls/<int:call_id>/criteria", PLANNERS, criterion_form, changes=changes(ANY)),
    post("/partners/calls/<int:call_id>/criteria/<int:criterion_id>/remove", PLANNERS, changes=changes(ANY)),
    post("/partners/calls/<int:call_id>/documents", PLANNERS, call_document_form, changes=changes(ANY)),
    post("/partners/calls/<int:call_id>/documents/<int:document_id>/remove", PLANNERS, changes=changes(ANY)),
    get("/partners/calls/<int:call_id>/applications/<int:application_id>/documents/<int:attachment_id>", STAFF),
    # The call's application form: its questions, managed by planners like a feedback form's.
    post("/partners/calls/<int:call_id>/questions", PLANNERS, question, changes=changes(ANY)),
    get("/partners/calls/<int:call_id>/questions/<int:call_question_id>/edit", PLANNERS),
    post("/partners/calls/<int:call_id>/questions/<int:call_question_id>/edit", PLANNERS, question_text,
         changes=changes(ANY)),
    post("/partners/calls/<int:call_id>/questions/<int:call_question_id>/hidden", PLANNERS, hidden,
         changes=changes(ANY)),
    post("/partners/calls/<int:call_id>/questions/<int:call_question_id>/move", PLANNERS, move_down,
         changes=changes(ANY)),
    get("/api/v1/calls", STAFF, json=True),
    get("/api/v1/calls/<int:call_id>", STAFF, json=True),
    get("/api/v1/calls/<int:call_id>/applications", STAFF, json=True),
]


# Forms of a call's intake: an application received on paper, a file of applications.
def received_application_form(v):
    return {"name_hi": "काग़ज़ी आवेदक संस्था", "kind": "ngo", "contact_name": "सुनीता", "contact_mobile": "9876500000",
            "themes": ["water"], "channel": "paper", "received_on": v.session_day,
            f"document-{v.document_id}": (io.BytesIO(one_page_pdf()), "scan.pdf")}


def applications_file(v):
    return {"file": (io.BytesIO("name_hi,kind,contact_name,contact_mobile,themes\nफ़ाइल से संस्था,ngo,अ,9876500001,water\n"
                                .encode()), "applications.csv")}


# A call's intake: planners record applications received on paper or by e-mail and import files of them; staff of
# every area read the call's report.
ROUTES += [
    get("/partners/calls/<int:call_id>/applications/new", PLANNERS),
    post("/partners/calls/<int:call_id>/applications/new", PLANNERS, received_application_form, ok=200,
         changes=changes(ANY)),
    get("/partners/calls/<int:call_id>/applications/import", PLANNERS),
    post("/partners/calls/<int:call_id>/applications/import", PLANNERS, applications_file, ok=200,
         changes=changes(ANY)),
    get("/partners/calls/<int:call_id>/report", STAFF),
    get("/partners/calls/<int:call_id>/report.<fmt>", STAFF, fmt=("csv", "xlsx", "pdf")),
    get("/api/v1/calls/<int:call_id>/report", STAFF, json=True),
]


# Screening: the second call's application answered a request with a PDF and is in screening, its decision prepared.
SCREENED = (("call_id", "screened_call_id"), ("application_id", "screened_application_id"),
            ("event_id", "answer_event_id"))


def withdrawal(v):
    return {"to": "withdrawn", "note": "फ़ोन पर कहा"}


def decision(v):
    return {"outcome": "not_selected", "note": "धन्यवाद"}


def decisions(v):
    return {"applications": [v.screened_application_id], "outcome": "not_selected"}


# Staff of every area read a call's applications and their history; planners screen them and publish decisions.
ROUTES += [
    get("/partners/calls/<int:call_id>/applications", STAFF, renamed=SCREENED),
    # The file holds every applicant's contact: the call's planners only.
    get("/partners/calls/<int:call_id>/applications.<fmt>", PLANNERS, renamed=SCREENED, fmt=("csv", "xlsx")),
    get("/partners/calls/<int:call_id>/applications/<int:application_id>", STAFF, renamed=SCREENED),
    get("/partners/calls/<int:call_id>/applications/<int:application_id>/events/<int:event_id>/file", STAFF,
        renamed=SCREENED),
    post("/partners/calls/<int:call_id>/applications/<int:application_id>/state", PLANNERS, withdrawal,
         renamed=SCREENED, changes=changes(ANY)),
    post("/partners/calls/<int:call_id>/applications/<int:application_id>/decision", PLANNERS, decision,
         renamed=SCREENED, changes=changes(ANY)),
    post("/partners/calls/<int:call_id>/applications/<int:application_id>/decision/remove", PLANNERS,
         renamed=SCREENED, changes=changes(ANY)),
    post("/partners/calls/<int:call_id>/decisions", PLANNERS, decisions, renamed=SCREENED, changes=changes(ANY)),
    post("/partners/calls/<int:call_id>/decisions/publish", PLANNERS, renamed=SCREENED, changes=changes(ANY)),
    get("/api/v1/calls/<int:call_id>/applications/<int:application_id>", STAFF, json=True, renamed=SCREENED),
]


# Forms of a programme's partners page.
def reach_form(v):
    return {"reaches": "partners"}


def partner_form(v):
    return {"organisation": str(v.original_organisation_id)}


def selected_form(v):
    return {"call": str(v.call_id)}


def partner_count(v):
    return {f"participants_{v.organisation_id}": "5", "replace": "yes"}


NOT_THE_PROGRAMMES = tuple(((role, OTHER), 404) for role in PLANNERS)


# A programme's partners: its planners say whom it reaches and add or take off organisations (the world's call has
# selected nobody, so "all selected of the call" is refused within the page); staff read them as JSON, as the
# programme's report.
ROUTES += [
    get("/partners/programmes/<int:programme_id>", PLANNERS),
    post("/partners/programmes/<int:programme_id>/reach", PLANNERS, reach_form, changes=changes(OWN, OTHER, DRAFT)),
    post("/partners/programmes/<int:programme_id>/organisations", PLANNERS, partner_form,
         changes=changes(OWN, OTHER, DRAFT)),
    post("/partners/programmes/<int:programme_id>/selected", PLANNERS, selected_form, ok=422),
    post("/partners/programmes/<int:programme_id>/organisations/<int:organisation_id>/remove", PLANNERS,
         changes=changes(OWN, OTHER, DRAFT)),
    # Every partner of the world holds a code already: "issue the missing codes" has none to issue.
    post("/partners/programmes/<int:programme_id>/codes", PLANNERS),
    post("/partners/programmes/<int:programme_id>/organisations/<int:organisation_id>/code", PLANNERS, confirmed,
         ok=200, changes=changes(OWN, OTHER, DRAFT)),
    get("/api/v1/programmes/<int:programme_id>/partners", STAFF, area=True, hides_drafts=True, json=True),
    # Invitations: the world has no messaging provider, so inviting puts nothing in the outbox and says why; the
    # other case names programme B with a session of A, which is no session of B's.
    get("/partners/programmes/<int:programme_id>/invitations", PLANNERS),
    post("/partners/programmes/<int:programme_id>/sessions/<int:session_id>/invite", PLANNERS,
         ok_in=((("admin", OTHER), 404), (("trainer", OTHER), 404))),
    # The partners' attendance report: a partner based in district 121 counts for division 2's and the state's staff.
    get("/partners/programmes/<int:programme_id>/report", STAFF, area=True, hides_drafts=True,
        shows="जल सेवा समिति"),
    get("/partners/programmes/<int:programme_id>/report.<fmt>", STAFF, area=True, hides_drafts=True,
        fmt=("csv", "xlsx", "pdf"), shows="जल सेवा समिति"),
    get("/api/v1/programmes/<int:programme_id>/partner-attendance", STAFF, area=True, hides_drafts=True, json=True,
        shows="जल सेवा समिति"),
    # Its planners mark the partners' attendance at one of its sessions (five minutes into A1, its window open) and
    # read a partner's marks; the other case names B with A's session A2, which is not B's: 404.
    get("/partners/programmes/<int:programme_id>/sessions/<int:session_id>/attendance", PLANNERS, hides_drafts=True,
        ok_in=NOT_THE_PROGRAMMES),
    post("/partners/programmes/<int:programme_id>/sessions/<int:session_id>/attendance", PLANNERS, partner_count,
         hides_drafts=True, ok_in=NOT_THE_PROGRAMMES, changes=changes(OWN)),
    get("/partners/programmes/<int:programme_id>/sessions/<int:session_id>/attendance/<int:organisation_id>/history",
        PLANNERS, hides_drafts=True, ok_in=NOT_THE_PROGRAMMES),
]


# The public application pages.
def application_form(v):
    return {"name_hi": "नई आवेदक संस्था", "kind": "ngo", "action": "draft"}


def application_status(v):
    return {"reference": v.application_reference, "code": v.application_code}


# Anyone applies to an open call and reads their application's state with its reference and code.
ROUTES += [
    get("/apply/<int:call_id>", EVERYONE),
    post("/apply/<int:call_id>", EVERYONE, application_form, ok=200, changes=changes(ANY)),
    get("/apply/status", EVERYONE),
    post("/apply/status", EVERYONE, application_status, ok=200),
    # Without the reference and code given first, or for an application that is still a draft: back to the page.
    post("/apply/status/answer", EVERYONE, lambda v: {"answer": "संलग्न"}),
    post("/apply/status/withdraw", EVERYONE, lambda v: {"confirm": "y"}),
]


# The screening: every member of staff reads the applications given to them, scores them and declares conflicts
# of interest (those who review no call change nothing); call managers (planners) name reviewers, give out
# applications and read the screening, its workbook and its JSON. The rows that name a call name the second
# call of the world, whose application is being screened.
SCREENED = (("call_id", "screened_call_id"),)


def reviewer_form(v):
    return {"user": v.reviewer_candidate_id}


def conflict_form(v):
    return {"party": f"a{v.screened_application_id}", "reason": "पहले इस संस्था में काम किया"}


def review_form(v):
    return {f"c{v.screened_criterion_id}": "7", "recommendation": "select", "comment": "अच्छा अनुभव"}


ROUTES += [
    get("/partners/reviews", STAFF),
    get("/partners/reviews/<int:review_id>", STAFF, ok={"admin": 200, "*": 404}),
    post("/partners/reviews/<int:review_id>", STAFF, review_form, ok={"admin": 302, "*": 404},
         changes=changes(ANY)),
    post("/partners/reviews/calls/<int:call_id>/conflicts", STAFF, conflict_form, renamed=SCREENED,
         changes=changes(ANY)),
    get("/partners/reviews/calls/<int:call_id>", PLANNERS, renamed=SCREENED),
    post("/partners/reviews/calls/<int:call_id>/reviewers", PLANNERS, reviewer_form, renamed=SCREENED,
         changes=changes(ANY)),
    post("/partners/reviews/calls/<int:call_id>/reviewers/remove", PLANNERS, lambda v: {"user": v.reviewer_id},
         renamed=SCREENED, changes=changes(ANY)),
    post("/partners/reviews/calls/<int:call_id>/assign", PLANNERS, lambda v: {"reviewers_each": "2"},
         renamed=SCREENED, changes=changes(ANY)),
    post("/partners/reviews/calls/<int:call_id>/assignments", PLANNERS,
         lambda v: {"application": v.screened_application_id, "user": v.reviewer_id}, renamed=SCREENED,
         changes=changes(ANY)),
    post("/partners/reviews/calls/<int:call_id>/assignments/remove", PLANNERS,
         lambda v: {"application": v.screened_application_id, "user": v.admin_id}, renamed=SCREENED,
         changes=changes(ANY)),
    get("/partners/reviews/calls/<int:call_id>/screening", PLANNERS, renamed=SCREENED),
    get("/partners/reviews/calls/<int:call_id>/screening.xlsx", PLANNERS, renamed=SCREENED),
    get("/api/v1/calls/<int:call_id>/reviews", PLANNERS, json=True, renamed=SCREENED),
]


# Forms of the partners' annual plans and of the master trainers.
def new_plan(v):
    return {"organisation": str(v.original_organisation_id), "year": "2027"}


def plan_activity(v):
    return {"title": "जिला कार्यशाला", "theme": "water", "level": "state", "planned_from": "2026-06-01",
            "planned_to": "2026-06-02", "participants": "40"}


def plan_comment(v):
    return {"comment": "लक्ष्य बताइए"}


def master_trainer_form(v):
    return {"name": "रमेश कुमार", "mobile": "9876512347"}


def plan_code(v):
    return {"reference": v.plan_reference, "code": v.plan_code}


# Partners' annual plans: staff of every area read them and the overdue updates (a plan lies in no area); planners
# write them on the partner's behalf and answer them. The world's plan is a draft: returning or approving it is
# refused within the page, and its quarterly update asks for every activity.
ROUTES += [
    get("/partners/plans", STAFF),
    get("/partners/plans/overdue", STAFF),
    get("/partners/plans/export.<fmt>", STAFF, fmt=("csv", "xlsx"), query=(("year", "2026"),)),
    get("/partners/plans/new", PLANNERS),
    post("/partners/plans/new", PLANNERS, new_plan, ok=200, changes=changes(ANY)),
    get("/partners/plans/<int:plan_id>", STAFF),
    post("/partners/plans/<int:plan_id>/activities", PLANNERS, plan_activity, changes=changes(ANY)),
    post("/partners/plans/<int:plan_id>/activities/<int:activity_id>/remove", PLANNERS, changes=changes(ANY)),
    post("/partners/plans/<int:plan_id>/submit", PLANNERS, changes=changes(ANY)),
    post("/partners/plans/<int:plan_id>/return", PLANNERS, plan_comment),
    post("/partners/plans/<int:plan_id>/approve", PLANNERS),
    post("/partners/plans/<int:plan_id>/code", PLANNERS, ok=200, changes=changes(ANY)),
    get("/partners/plans/<int:plan_id>/updates/<int:quarter>", PLANNERS),
    post("/partners/plans/<int:plan_id>/updates/<int:quarter>", PLANNERS, ok=400),
    get("/partners/master-trainers", STAFF),
    get("/partners/master-trainers/new", PLANNERS),
    post("/partners/master-trainers/new", PLANNERS, master_trainer_form, changes=changes(ANY)),
    get("/partners/master-trainers/<int:trainer_id>", STAFF),
    get("/partners/master-trainers/<int:trainer_id>/edit", PLANNERS),
    post("/partners/master-trainers/<int:trainer_id>/edit", PLANNERS, master_trainer_form, changes=changes(ANY)),
    get("/api/v1/plans", STAFF, json=True),
    get("/api/v1/plans/overdue-updates", STAFF, json=True),
    get("/api/v1/plans/<int:plan_id>", STAFF, json=True),
    get("/api/v1/master-trainers", STAFF, json=True),
    get("/api/v1/master-trainers/<int:trainer_id>", STAFF, json=True),
]

# The partner's own plan pages: anyone opens a plan with its reference and code (the browser's session then
# remembers it); without a plan remembered, the pages ask for them and the forms go back there.
ROUTES += [
    get("/plan", EVERYONE),
    post("/plan", EVERYONE, plan_code),
    post("/plan/leave", EVERYONE),
    get("/plan/mine", EVERYONE),
    post("/plan/mine/activities", EVERYONE, plan_activity),
    post("/plan/mine/activities/<int:activity_id>/remove", EVERYONE),
    post("/plan/mine/submit", EVERYONE),
    get("/plan/mine/updates/<int:quarter>", EVERYONE),
    post("/plan/mine/updates/<int:quarter>", EVERYONE),
]


def campaign_form(v):
    return {"title_hi": "नया अभियान", "starts_on": "2026-12-01", "ends_on": "2027-01-31", "area_level": "district",
            "area_code": str(v.district_code), "period_kind": "week", "approval": "district"}


def campaign_phase(v):
    return {"phase-name_hi": "दूसरा चरण", "phase-starts_on": "2027-01-01", "phase-ends_on": "2027-01-31"}


def campaign_office(v):
    return {"office-name_hi": "बैंक", "office-responsibilities": "खाते खोलना"}


def indicator_form(v):
    return {"code": "insured", "name_hi": "बीमित सदस्य", "level": "gp", "source": "reported", "programme": "0",
            "share_of": "0"}


def indicator_edit(v):
    return {"code": "linked", "name_hi": "जुड़े परिवार", "level": "gp", "source": "reported", "programme": "0",
            "share_of": "0"}


def target_form(v):
    return {"level": "gp", "place_code": str(v.gp_code), "phase": "0", "value": "532630"}


# Campaigns: staff read those that meet their area (each case names a campaign of its district); planners create
# and change them.
CAMPAIGN_CASES = changes(OWN, NEIGHBOUR, OTHER)
ROUTES += [
    get("/campaigns", STAFF, shows=OTHER_CAMPAIGN),
    get("/campaigns/new", PLANNERS),
    post("/campaigns/new", PLANNERS, campaign_form, changes=changes(ANY)),
    get("/campaigns/<int:campaign_id>", STAFF, area=True),
    get("/campaigns/<int:campaign_id>/edit", PLANNERS, area=True),
    post("/campaigns/<int:campaign_id>/edit", PLANNERS, campaign_form, area=True, changes=CAMPAIGN_CASES),
    post("/campaigns/<int:campaign_id>/phases", PLANNERS, campaign_phase, area=True, changes=CAMPAIGN_CASES),
    post("/campaigns/<int:campaign_id>/phases/<int:phase_id>/remove", PLANNERS, area=True, changes=CAMPAIGN_CASES),
    post("/campaigns/<int:campaign_id>/offices", PLANNERS, campaign_office, area=True, changes=CAMPAIGN_CASES),
    post("/campaigns/<int:campaign_id>/offices/<int:office_id>/remove", PLANNERS, area=True, changes=CAMPAIGN_CASES),
    get("/campaigns/<int:campaign_id>/indicators/new", PLANNERS, area=True),
    post("/campaigns/<int:campaign_id>/indicators/new", PLANNERS, indicator_form, area=True, changes=CAMPAIGN_CASES),
    get("/campaigns/<int:campaign_id>/indicators/<int:indicator_id>", STAFF, area=True),
    get("/campaigns/<int:campaign_id>/indicators/<int:indicator_id>/edit", PLANNERS, area=True),
    post("/campaigns/<int:campaign_id>/indicators/<int:indicator_id>/edit", PLANNERS, indicator_edit, area=True,
         changes=CAMPAIGN_CASES),
    post("/campaigns/<int:campaign_id>/indicators/<int:indicator_id>/targets", PLANNERS, target_form, area=True,
         changes=CAMPAIGN_CASES),
    get("/api/v1/campaigns", STAFF, json=True, shows=OTHER_CAMPAIGN),
    get("/api/v1/campaigns/<int:campaign_id>", STAFF, json=True, area=True),
    get("/campaigns/<int:campaign_id>/dashboard", STAFF, area=True),
    get("/campaigns/<int:campaign_id>/dashboard.<fmt>", STAFF, area=True, fmt=("csv", "xlsx", "pdf")),
    get("/api/v1/campaigns/<int:campaign_id>/dashboard", STAFF, json=True, area=True),
]


# Offices: administrators and directors keep them (each case names the office of its district; a division's
# director keeps those of the division); staff read them as JSON.
OFFICE_KEEPERS = frozenset({"admin", "director", "division director"})
GOV_OFFICE = (("office_id", "gov_office_id"),)
OFFICE_CASES = changes(OWN, NEIGHBOUR, OTHER)


def office_form(v):
    return {"name_hi": "मुख्य चिकित्सा पदाधिकारी कार्यालय", "short_name": "CMO", "area_level": "district",
            "area_code": str(v.district_code), "active": "y"}


def officer_form(v):
    return {"officer-username": "staff-2", "officer-designation": "सहायक"}


def officer_removal(v):
    return {"user_id": str(v.reviewer_id)}


ROUTES += [
    get("/offices", OFFICE_KEEPERS, shows=OTHER_OFFICE),
    get("/offices/new", OFFICE_KEEPERS),
    post("/offices/new", OFFICE_KEEPERS, office_form, changes=changes(ANY)),
    get("/offices/<int:office_id>", OFFICE_KEEPERS, area=True, renamed=GOV_OFFICE),
    get("/offices/<int:office_id>/edit", OFFICE_KEEPERS, area=True, renamed=GOV_OFFICE),
    post("/offices/<int:office_id>/edit", OFFICE_KEEPERS, office_form, area=True, renamed=GOV_OFFICE,
         changes=OFFICE_CASES),
    post("/offices/<int:office_id>/officers", OFFICE_KEEPERS, officer_form, area=True, renamed=GOV_OFFICE,
         changes=OFFICE_CASES),
    post("/offices/<int:office_id>/officers/remove", OFFICE_KEEPERS, officer_removal, area=True, renamed=GOV_OFFICE,
         changes=OFFICE_CASES),
    get("/api/v1/offices", STAFF, json=True, shows=OTHER_OFFICE),
    get("/api/v1/offices/<int:office_id>", STAFF, json=True, area=True, renamed=GOV_OFFICE),
]

def campaign_values_file(v):
    text = f"area_code,indicator,period,value\n{v.gp_code},linked,2026-W49,3\n"
    return {"file": (io.BytesIO(text.encode()), "values.csv")}


def campaign_form_values(v):
    # The form names every GP of the case's block; only the case's GP gets a value.
    return {"period": "2026-W49", "block": str(v.block_code), **{
        f"v-{v.indicator_id}-{v.gp_code}": "3"}}


def campaign_period(v):
    return {"period": "2026-W49"}


# Values from the field: officers and planners report those of their area; district officers and the state
# approve them (the world's campaigns ask for no approval: nothing waits, nothing changes); staff see who has not
# reported.
CAMPAIGN_REPORTERS = frozenset({"admin", "trainer", "district officer", "block officer"})
CAMPAIGN_APPROVERS = frozenset({"admin", "director", "division director", "district officer"})
ROUTES += [
    get("/campaigns/<int:campaign_id>/values/import", CAMPAIGN_REPORTERS, area=True),
    post("/campaigns/<int:campaign_id>/values/import", CAMPAIGN_REPORTERS, campaign_values_file, ok=200, area=True,
         changes=CAMPAIGN_CASES),
    get("/campaigns/<int:campaign_id>/values/form", CAMPAIGN_REPORTERS, area=True),
    post("/campaigns/<int:campaign_id>/values/form", CAMPAIGN_REPORTERS, campaign_form_values, area=True,
         changes=CAMPAIGN_CASES),
    get("/campaigns/<int:campaign_id>/values/missing", STAFF, area=True),
    get("/campaigns/<int:campaign_id>/indicators/<int:indicator_id>/values", STAFF, area=True),
    post("/campaigns/<int:campaign_id>/values/remind", STAFF, campaign_period, area=True),
    get("/campaigns/approvals", CAMPAIGN_APPROVERS),
    post("/campaigns/<int:campaign_id>/indicators/<int:indicator_id>/approve", CAMPAIGN_APPROVERS, campaign_period,
         area=True),
]


def action_taken(v):
    return {"text": "सत्यापन पूरा", "figures": "40", "outcome": "done",
            "file": (io.BytesIO(one_page_pdf()), "प्रगति.pdf")}


# Directives: staff see those of their area (each case names the directive, its report and meeting of its
# district); only an officer of the owner office reports action taken — in the world, the district officer for
# district 111's — the others are refused in the page (403, nothing written).
DIRECTIVE_MEETING = (("meeting_id", "directive_meeting_id"),)
ROUTES += [
    get("/directives/mine", STAFF),
    get("/directives", STAFF, shows=OTHER_DIRECTIVE),
    get("/directives/board.<fmt>", STAFF, fmt=("csv", "xlsx"), shows=OTHER_DIRECTIVE),
    get("/directives/<int:directive_id>", STAFF, area=True),
    post("/directives/<int:directive_id>/report", STAFF, action_taken, area=True, ok=403,
         ok_in=((("district officer", OWN), 302),)),
    get("/directives/<int:directive_id>/reports/<int:report_id>/file", STAFF, area=True),
    get("/directives/meetings/<int:meeting_id>/atr", STAFF, area=True, renamed=DIRECTIVE_MEETING),
    get("/directives/meetings/<int:meeting_id>/atr.pdf", STAFF, area=True, renamed=DIRECTIVE_MEETING),
    get("/directives/meetings/<int:meeting_id>/atr.xlsx", STAFF, area=True, renamed=DIRECTIVE_MEETING),
    get("/api/v1/directives", STAFF, json=True, shows=OTHER_DIRECTIVE),
    get("/api/v1/directives/<int:directive_id>", STAFF, json=True, area=True),
]
# Review meetings: staff see the series of their area; the chair's office (staff-1, who is no role of the matrix)
# and administrators change them; anyone opens the page of the meeting's QR and marks a presence there.
OTHER_SERIES = "मासिक समीक्षा 121"  # the title of the series of district 121
MEETING_CASES = changes(OWN, NEIGHBOUR, OTHER)


def series_form(v):
    return {"title_hi": "नई समीक्षा", "code": v.series_code, "chair_office_id": str(v.gov_office_id),
            "area_level": "district", "area_code": str(v.district_code)}


def new_series_form(v):
    return {**series_form(v), "code": "NEW"}


def meeting_form(v):
    return {"day": "2026-12-20", "start": "11:00", "end": "13:00", "venue": "नया सभागार"}


def named_invitee(v):
    return {"kind": "person", "name": "श्री ग", "designation": "अधिकारी"}


def agenda_item_form(v):
    return {"title_hi": "नया विषय", "presenting_office_id": "0"}


def last_position(v):
    return {"position": "3"}


def extension(v):
    return {"directive_id": str(v.carried_directive_id), "action": "extend", "due_on": "2027-06-30"}


def presence(v):
    return {"name": "श्री घ", "designation": "अधिकारी", "office_text": "विभाग"}


def minutes_form(v):
    return {"discussion_hi": "नई चर्चा", "decisions_hi": "नया निर्णय"}


def directive_form(v):
    return {"text_hi": "नया निर्देश", "owner_office_id": str(v.gov_office_id), "within_days": "7",
            "priority": "normal", "agenda_item_id": "0", "indicator_id": "0"}


ROUTES += [
    get("/meetings", STAFF, shows=OTHER_SERIES),
    # The world's district officer is an officer of an office (a directive's owner): they may open a series of it,
    # and are refused the world's form, which names an office not theirs (400, nothing written).
    get("/meetings/series/new", ADMIN | {"district officer"}),
    post("/meetings/series/new", ADMIN | {"district officer"}, new_series_form, changes=changes(ANY),
         ok={"district officer": 400, "*": 302}),
    get("/meetings/series/<int:series_id>", STAFF, area=True),
    get("/meetings/series/<int:series_id>/edit", ADMIN, area=True),
    post("/meetings/series/<int:series_id>/edit", ADMIN, series_form, area=True, changes=MEETING_CASES),
    get("/meetings/series/<int:series_id>/meetings/new", ADMIN, area=True),
    post("/meetings/series/<int:series_id>/meetings/new", ADMIN, meeting_form, area=True, changes=MEETING_CASES),
    get("/meetings/<int:meeting_id>", STAFF, area=True),
    get("/meetings/<int:meeting_id>/edit", ADMIN, area=True),
    post("/meetings/<int:meeting_id>/edit", ADMIN, meeting_form, area=True, changes=MEETING_CASES),
    post("/meetings/<int:meeting_id>/invitees", ADMIN, named_invitee, area=True, changes=MEETING_CASES),
    post("/meetings/<int:meeting_id>/invitees/<int:invitee_id>/remove", ADMIN, area=True, changes=MEETING_CASES),
    post("/meetings/<int:meeting_id>/notice", ADMIN, area=True, changes=MEETING_CASES),
    post("/meetings/<int:meeting_id>/agenda", ADMIN, agenda_item_form, area=True, changes=MEETING_CASES),
    post("/meetings/<int:meeting_id>/agenda/<int:item_id>", ADMIN, agenda_item_form, area=True,
         changes=MEETING_CASES),
    post("/meetings/<int:meeting_id>/agenda/<int:item_id>/move", ADMIN, last_position, area=True,
         changes=MEETING_CASES),
    post("/meetings/<int:meeting_id>/agenda/<int:item_id>/remove", ADMIN, area=True, changes=MEETING_CASES),
    post("/meetings/<int:meeting_id>/follow-up", ADMIN, extension, area=True, changes=MEETING_CASES),
    get("/meetings/<int:meeting_id>/qr", STAFF, area=True),
    get("/meetings/<int:meeting_id>/public", EVERYONE),
    get("/meetings/attend/<meeting_token>", EVERYONE),
    post("/meetings/attend/<meeting_token>", EVERYONE, presence, ok=200, changes=changes(ANY)),
    get("/meetings/<int:meeting_id>/attendance", ADMIN, area=True),
    post("/meetings/<int:meeting_id>/attendance", ADMIN, presence, area=True, changes=MEETING_CASES),
    post("/meetings/<int:meeting_id>/attendance/<int:attendance_id>/remove", ADMIN, area=True,
         changes=MEETING_CASES),
    get("/meetings/<int:meeting_id>/minutes", STAFF, area=True),
    post("/meetings/<int:meeting_id>/minutes/<int:item_id>", ADMIN, minutes_form, area=True, changes=MEETING_CASES),
    get("/meetings/<int:meeting_id>/minutes/<int:item_id>/revisions", STAFF, area=True),
    post("/meetings/<int:meeting_id>/directives", ADMIN, directive_form, area=True, changes=MEETING_CASES),
    post("/meetings/<int:meeting_id>/finalise", ADMIN, area=True, changes=MEETING_CASES),
    get("/meetings/<int:meeting_id>/minutes.pdf", STAFF, area=True),
    get("/api/v1/meeting-series", STAFF, json=True, shows=OTHER_SERIES),
    get("/api/v1/meeting-series/<int:series_id>", STAFF, json=True, area=True),
    get("/api/v1/meetings", STAFF, json=True),
    get("/api/v1/meetings/<int:meeting_id>", STAFF, json=True, area=True),
]
MATRIX = {(route.method, route.rule): route for route in ROUTES}
UNCLASSIFIED = {"static"}  # the app's own static files: no parameters of ours, no rows


def app_rules(app) -> dict[tuple[str, str], object]:
    """Return every rule of the app by (method, rule), HEAD and OPTIONS aside."""
    return {(method, rule.rule): rule for rule in app.url_map.iter_rules() if rule.endpoint not in UNCLASSIFIED
            for method in rule.methods - {"HEAD", "OPTIONS"}}


def cases_of(route: Route, arguments: set[str]) -> list[str]:
    """Return the cases a route's parameters can tell apart."""
    named = route.parameters(arguments)
    if not named - UNPLACED_PARAMETERS:
        return [ANY]
    cases = [OWN]
    if named & (PLACE_PARAMETERS | set(PLACED_OBJECTS)):
        cases.append(NEIGHBOUR)
    cases.append(OTHER)
    if named & OBJECT_PARAMETERS:
        cases.append(DRAFT)
    return cases


def reached(role: str, named: set[str], case: str) -> bool:
    """Say whether a role's area reaches every object of the case that these parameters name."""
    area = area_of(role)
    places = PLACES[case]
    checks = []
    if "programme_id" in named:
        checks.append(any(within(area, division) for division in DIVISIONS[PROGRAMME[case]]))
    if "session_id" in named:
        checks.append(any(within(area, division) for division in DIVISIONS[SESSION[case]]))
    for parameter in named & (PLACE_PARAMETERS | {"division_code"}):
        checks.append(within(area, places[parameter]))
    for parameter in named & set(PLACED_OBJECTS):
        checks.append(within(area, places[PLACED_OBJECTS[parameter]]))
    return all(checks)


def expected(route: Route, arguments: set[str], role: str, case: str) -> tuple[int | str, bool]:
    """Return the answer a role must get (a status, or LOGIN for the redirect to the sign-in page), and
    whether it is a refusal, which must change nothing."""
    if role not in route.who:
        if role == ANONYMOUS:
            return 401 if route.json else LOGIN, True
        return 403, True
    if case == DRAFT and route.hides_drafts:
        return 404, True
    in_url = route.parameters(arguments) - ({"gp_code"} if route.gp_in_form else set())
    if route.area and not reached(role, in_url, case):
        return 403, True
    if route.area and route.gp_in_form and not reached(role, {"gp_code"}, case):
        return route.status_for(role, case), True
    return route.status_for(role, case), False


def arguments_of(rule: str) -> set[str]:
    """Return the names of a rule's parameters: "/plan/<int:programme_id>" → {"programme_id"}."""
    return set(ARGUMENT.findall(rule))


def first_allowed(route: Route, arguments: set[str], case: str) -> str | None:
    """Return the first role (in ROLES order) that the route lets through in the case."""
    return next((role for role in ROLES if not expected(route, arguments, role, case)[1]), None)


def text_of(response) -> str:
    """Return what a response says: JSON with its Hindi unescaped, a spreadsheet's XML, or the body."""
    if response.is_json:
        return json.dumps(response.get_json(), ensure_ascii=False)
    if response.mimetype == XLSX:
        with zipfile.ZipFile(io.BytesIO(response.data)) as book:
            return "".join(book.read(name).decode() for name in book.namelist() if name.endswith(".xml"))
    return response.get_data(as_text=True)


@pytest.fixture(scope="module")
def world(database_url, tmp_path_factory):
    """Build the world once for the module, with a fixed clock and a local stand-in of Google."""
    with YouTubeStandIn() as standin, pytest.MonkeyPatch.context() as patch:
        patch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
        patch.setattr(youtube_api, "RETRIES", 0)
        # Laying out PDFs takes most of a second each and has nothing to do with who may have them: every
        # PDF here is one small page made once (its HTML is still rendered from the route's figures).
        blank = weasyprint.HTML(string="<p>PDF</p>").write_pdf()
        patch.setattr(weasyprint.HTML, "write_pdf", lambda self, *args, **kwargs: blank)
        app = _make_app(database_url, tmp_path_factory.mktemp("matrix"),
                        YOUTUBE_API_ENDPOINT=standin.url, YOUTUBE_TOKEN_URI=standin.token_uri,
                        YOUTUBE_AUTH_URI=standin.url + "/auth", YOUTUBE_CLIENT_ID="client-id.apps",
                        YOUTUBE_CLIENT_SECRET="client-secret", FEEDBACK_RATE_LIMIT="10000 per minute",
                        LOGIN_RATE_LIMIT="10000 per minute")
        built = World(app)
        with app.app_context():
            if db.engine.dialect.name == "sqlite":
                # The world is put back after every request that changed it: without waiting for the disk.
                event.listen(db.engine, "connect", lambda connection, _record: connection.execute(
                    "PRAGMA synchronous = OFF"))
                db.engine.dispose()
            built.build(standin.token_uri)
            patch.setattr(clock, "now", lambda: built.clock)
            db.session.remove()
        yield built
        with app.app_context():
            db.session.remove()
            empty_all_tables()
            db.engine.dispose()


def test_every_route_of_the_app_is_in_the_matrix(world):
    rules = app_rules(world.app)
    missing = sorted(set(rules) - set(MATRIX))
    stale = sorted(set(MATRIX) - set(rules))
    assert not missing, f"routes the authorisation matrix does not classify: {missing}"
    assert not stale, f"rows of the authorisation matrix that match no route: {stale}"
    for key in MATRIX:
        assert arguments_of(key[1]) == set(rules[key].arguments), key


def test_the_small_state_nests_its_codes_as_the_matrix_assumes():
    for row in _rows():
        division, district, block, gp = (int(row[f"{level}_code"]) for level in ("division", "district", "block", "gp"))
        assert lineage(gp).startswith(lineage(block)) and lineage(block).startswith(lineage(district))
        assert lineage(district).startswith(lineage(division)) and len(lineage(division)) == 1
    assert within(111, 11111) and within(11111, 1) and not within(111, 1121) and not within(1, 121)


def _columns():
    for route in ROUTES:
        for fmt in route.fmt or (None,):
            yield pytest.param(route, fmt, id=f"{route.method} {route.rule}" + (f" {fmt}" if fmt else ""))


@pytest.mark.parametrize("route, fmt", list(_columns()))
def test_each_role_gets_the_expected_answer_in_each_area_and_refusals_change_nothing(world, route, fmt):
    arguments = arguments_of(route.rule)
    endpoint = next(rule.endpoint for rule in world.app.url_map.iter_rules()
                    if rule.rule == route.rule and route.method in rule.methods)
    wrong = []
    for case in cases_of(route, arguments):
        values = world.values(case)
        parameters = {name: getattr(values, dict(route.renamed).get(name, name)) for name in arguments - {"fmt"}} \
            | ({"fmt": fmt} if fmt else {})
        url = world.app.url_map.bind("localhost").build(endpoint, parameters, method=route.method)
        query = dict(route.query) | ({"block": values.block_code} if route.block else {})
        for role in ROLES:
            want, refused = expected(route, arguments, role, case)
            data = route.form(values) if route.method == "POST" else None
            response, changed = world.request(role, route.method, url, query, data)
            where = f"{role} | {case}: {route.method} {response.request.full_path.rstrip('?')}"
            if want == LOGIN:
                if response.status_code != 302 or not response.headers["Location"].startswith("/login?next="):
                    wrong.append(f"{where} → {response.status_code} {response.headers.get('Location')}, "
                                 "expected the sign-in page")
            elif response.status_code != want:
                wrong.append(f"{where} → {response.status_code}, expected {want}")
            if refused and changed:
                wrong.append(f"{where} was refused but changed {changed}")
            if refused and route.json and not (response.is_json and set(response.get_json()) == {"error", "message"}):
                wrong.append(f"{where} was refused without a JSON error")
            if not refused and case in route.changes and role == first_allowed(route, arguments, case) \
                    and not changed:
                wrong.append(f"{where} changed nothing: this row's form would not prove that a refusal changes "
                             "nothing")
            # PDFs are laid out by a stand-in here: their text is not the report's.
            if route.shows and not refused and case in (OWN, ANY) and response.mimetype != "application/pdf":
                seen = route.shows in text_of(response)
                if area_of(role) is None and not seen:
                    wrong.append(f"{where} does not show “{route.shows}”: this row's text proves nothing")
                if area_of(role) is not None and seen:
                    wrong.append(f"{where} shows “{route.shows}”, which lies outside the role's area")
    assert not wrong, "\n".join(wrong)
