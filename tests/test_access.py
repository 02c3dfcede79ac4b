"""Every route, walked by every role: what each must be refused is refused on the server."""
from datetime import date

import pytest
from flask import url_for

from trainer.accounts.models import UserLogin
from trainer.attendance.tokens import make_token
from trainer.campaigns import services as campaigns
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.feedback.models import QuestionKind
from trainer.feedback.services import add_question
from trainer.partners import call_questions
from trainer.partners.calls import CallValues, CriterionValues, add_criterion, add_document, save_call
from trainer.partners.masters import MasterTrainerValues, save_master_trainer
from trainer.partners.models import ActivityLevel
from trainer.partners.plans import ActivityValues, Actor, add_activity, start_plan
from trainer.partners.services import OrganisationValues, save_organisation

ANONYMOUS = "anonymous"
ROLES = [ANONYMOUS, *Role]
STAFF = {Role.ADMIN, Role.TRAINER, Role.DIRECTOR, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER}

# The small state of conftest: division 1 > district 111 > block 1111; the default areas of area-bound
# roles lie there. "own" targets lie in (or contain) those areas; the others do not.
PUBLIC = {"home.index", "home.healthz", "home.language", "auth.login", "static", "favicon", "api.openapi"}
ADMIN_ONLY = {"admin.users", "admin.create_user", "admin.edit_user", "admin.reset_password",
              "admin.toggle_active", "regions.import_file", "access_codes.issue_block_codes", "admin.sign_out_user",
              "contacts.officers", "contacts.officer"}
# Access codes: officers see their area's and reissue one GP's code; administrators everything.
CODE_KEEPERS = {"access_codes.index", "access_codes.reissue_gp_code"}
CODE_ROLES = {Role.ADMIN, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER}
SIGNED_IN = {"auth.logout", "auth.change_password", "auth.sessions", "auth.end_session", "auth.end_all_sessions"}
SIGNS_OUT = {"auth.logout", "auth.end_all_sessions"}
# Planning and the channel's state are for trainers and admins; connecting the channel for admins only.
PLANNERS_ONLY = {"youtube.status", "youtube.check", "youtube.run_now", "youtube.retry", "attendance.poster_pdf",
                 "attendance.poster_png", "attendance.live_qr", "attendance.live_qr_svg", "feedback.form",
                 "feedback.create", "feedback.edit", "feedback.hide", "feedback.move", "feedback.copy",
                 "feedback.preview"}
CHANNEL_ADMIN = {"youtube.connect", "youtube.callback", "youtube.disconnect"}
# Officers' attendance pages: who may watch, mark by checklist, and upload files.
ATTENDANCE_WATCHERS = {"attendance.sessions", "attendance.live", "attendance.live_json", "attendance.history"}
CHECKLIST_ROLES = {Role.ADMIN, Role.TRAINER, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER}
UPLOAD_ROLES = {Role.ADMIN, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER}
PUBLIC_PREFIXES = ("public.", "attend.", "attend_organisation.", "feedback.respond", "feedback.thanks")
# A programme's planning pages, its partners' too: among them the partners' attendance at a session
# (programme_partners.checklist) and a partner's marks there (programme_partners.history).
PLANNER_PREFIXES = ("plan.", "programme_partners.")
# Reports, their exports and their JSON twins are for staff, each within their own area (a programme's partners'
# attendance report too).
REPORT_PREFIXES = ("reports.", "api.")
# A programme's partner report sits among its planning pages but, like every report, is read by all staff.
PARTNER_REPORT = {"programme_partners.report", "programme_partners.report_file"}
# Contacts: staff read their area's; editors (not directors) change and import them; officers' contacts: admins.
CONTACT_READERS = {"contacts.index", "contacts.gp", "contacts.export", "contacts.mine"}
CONTACT_CHANGES = {"contacts.save", "contacts.opt_out", "contacts.opt_in", "contacts.delete", "contacts.upload"}
CONTACT_EDITORS = {Role.ADMIN, Role.TRAINER, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER}
# Messages: staff see their area's and broadcast to it; planners keep templates and reminders, read the SMS
# received and send again what failed. The providers' webhooks answer only a provider's signature: 403 here.
MESSAGE_READERS = {"messages.index", "messages.message", "messages.broadcast_list", "messages.broadcast",
                   "messages.broadcast_cancel", "messages.broadcast_new"}
MESSAGE_PLANNERS = {"messages.resend", "messages.template_list", "messages.template_edit",
                    "messages.programme_reminders", "messages.received"}
PROVIDERS_ONLY = {"hooks.sms_receipts", "hooks.sms_inbound", "hooks.whatsapp_verify", "hooks.whatsapp_events"}
# Live questions: any phone that marked asks and supports; the session's moderators (planners, and staff they
# add) work the queue and the overlay; planners choose the moderators.
QUESTION_ASKERS = {"questions.ask"}
# Answered by the phone's mark, not by a role (tests/test_questions.py): the walk does not judge them.
NEEDS_A_MARK = {"questions.support"}
QUESTION_MODERATORS = {"questions.queue", "questions.queue_json", "questions.detail", "questions.moderate",
                       "questions.overlay", "questions.overlay_json", "questions.moderators",
                       "questions.remove_moderator"}
# Certificates: anyone verifies one and a GP's phone downloads its own; staff read and print their area's;
# planners design, issue, revoke and replace; directors also give certificates of appreciation.
CERTIFICATES_PUBLIC = {"certificates.verify", "certificates.mine", "certificates.my_download", "certificates.public_key",
                       "certificate_codes.open", "api.certificates.key", "api.certificates.verify"}
CERTIFICATE_READERS = {"certificates.index", "certificates.detail", "certificates.download", "certificates.programme",
                       "certificates.bundle", "certificates.bundle_status", "certificates.bundle_download"}
CERTIFICATE_PLANNERS = {"certificates.revoke", "certificates.replace", "certificates.make_programme_design",
                        "certificates.issue", "certificates.issue_to_partners", "certificates.batch",
                        "certificates.designs", "certificates.create_design",
                        "certificates.design", "certificates.add_signatory", "certificates.remove_signatory",
                        "certificates.preview", "certificates.preview_image", "api.certificates.batch"}
CERTIFICATE_APPRECIATORS = {"certificates.appreciate"}
# Partner organisations: staff of any area read the registry; planners change and import it.
PARTNER_READERS = {"partners.index", "partners.detail"}
PARTNER_CHANGES = {"partners.create", "partners.edit", "partners.duplicate", "partners.upload"}
# Calls for expressions of interest: staff of any area read them; planners open and change them.
# Their applications too, with their history; planners screen them and prepare and publish the decisions.
CALL_READERS = {"calls.index", "calls.detail", "calls.document", "api.calls.list_calls", "api.calls.call",
                "api.calls.applications", "api.calls.application", "calls.application_list", "calls.application",
                "calls.event_file", "calls.report", "calls.report_file", "api.calls.report"}
# The applicant, with the reference and code, answers a request for more information and withdraws.
APPLY_PUBLIC = {"apply.form", "apply.status", "apply.answer", "apply.withdraw"}
CALL_CHANGES = {"calls.create", "calls.edit", "calls.add_criterion", "calls.remove_criterion", "calls.add_document",
                "calls.remove_document", "calls.move", "calls.decide", "calls.undecide", "calls.decide_many",
                "calls.publish", "calls.add_question", "calls.edit_question", "calls.hide_question",
                "calls.move_question", "calls.application_file", "calls.receive", "calls.upload"}
# Screening: staff review what is given to them and declare their conflicts; call managers (planners) name
# reviewers, give out applications and read the screening, its workbook and its JSON.
REVIEWERS = {"reviews.index", "reviews.review", "reviews.declare_conflict"}
REVIEW_MANAGERS = {"reviews.manage", "reviews.add_reviewer", "reviews.remove_reviewer", "reviews.assign",
                   "reviews.assign_one", "reviews.unassign", "reviews.screening", "reviews.screening_xlsx",
                   "api.reviews.call_reviews"}
# Partners' annual plans and master trainers: staff of any area read them; planners write and answer plans and keep
# the master trainers; the partner's own plan pages are public (a reference and code open the plan).
PLAN_READERS = {"partner_plans.index", "partner_plans.overdue", "partner_plans.detail", "partner_plans.export",
                "masters.index", "masters.detail"}
PLAN_CHANGES = {"partner_plans.create", "partner_plans.add_activity", "partner_plans.remove_activity",
                "partner_plans.submit", "partner_plans.return_plan", "partner_plans.approve", "partner_plans.new_code",
                "partner_plans.update", "masters.create", "masters.edit"}
OWN_PLAN_PUBLIC = {"own_plan.open_plan", "own_plan.leave", "own_plan.mine", "own_plan.add_activity",
                   "own_plan.remove_activity", "own_plan.submit", "own_plan.update"}
# Campaigns: staff read those that meet their area; planners create and change them.
CAMPAIGN_READERS = {"campaigns.index", "campaigns.detail", "campaigns.indicator", "api.campaigns.list_campaigns",
                    "api.campaigns.campaign", "campaigns.dashboard_page", "campaigns.dashboard_file",
                    "api.campaigns.dashboard"}
CAMPAIGN_CHANGES = {"campaigns.create", "campaigns.edit", "campaigns.add_phase", "campaigns.remove_phase",
                    "campaigns.add_office", "campaigns.remove_office", "campaigns.add_indicator",
                    "campaigns.edit_indicator", "campaigns.set_target"}
CAMPAIGN_REPORTERS = {"campaigns.import_values", "campaigns.value_form"}
CAMPAIGN_APPROVERS = {"campaigns.approvals_waiting", "campaigns.approve"}
CAMPAIGN_WATCHERS = {"campaigns.missing", "campaigns.remind", "campaigns.period_values"}
# Offices: administrators and directors keep them (a division's director those of the division); staff read them
# as JSON.
OFFICE_KEEPERS = {"offices.index", "offices.detail", "offices.create", "offices.edit", "offices.add_officer",
                  "offices.remove_officer"}
OFFICE_READERS = {"api.offices.list_offices", "api.offices.office"}
# Directives: staff see those of their area (my directives, the board and its files, a directive and its files, a
# meeting's action-taken report); only an owner office's officers report action taken (refused in the page).
DIRECTIVE_PAGES = {"directives.mine", "directives.detail", "directives.report", "directives.report_file",
                   "directives.board_page", "directives.board_file", "directives.atr", "directives.atr_pdf",
                   "directives.atr_xlsx"}
# Review meetings: staff see the series of their area (the world's lies in every area-bound role's own district);
# changing them is the chair's office's, whose officer no walking role is, so an administrator's; anyone opens the
# page of a meeting's QR.
MEETING_PUBLIC = {"meetings.attend", "meetings.public_meeting"}
MEETING_READERS = {"meetings.index", "meetings.series", "meetings.meeting", "meetings.qr", "meetings.minutes",
                   "meetings.revisions", "meetings.minutes_pdf", "api.meetings.list_series", "api.meetings.one_series",
                   "api.meetings.list_meetings", "api.meetings.one_meeting"}
MEETING_CHAIRS = {"meetings.create_series", "meetings.edit_series", "meetings.create_meeting", "meetings.edit_meeting",
                  "meetings.add_invitee", "meetings.remove_invitee", "meetings.send_notice", "meetings.add_item",
                  "meetings.edit_item", "meetings.move_item", "meetings.remove_item", "meetings.follow_up",
                  "meetings.attendance", "meetings.tick", "meetings.untick", "meetings.write_minutes",
                  "meetings.add_directive", "meetings.finalise"}
REGION_PAGES = {"regions.index", "regions.search", "regions.division", "regions.district", "regions.block"}

TARGETS = {
    "regions.division": {"division 1": {"division_code": 1}, "division 2": {"division_code": 2}},
    "regions.district": {"district 111": {"district_code": 111}, "district 112": {"district_code": 112},
                         "district 121": {"district_code": 121}},
    "regions.block": {"block 1111": {"block_code": 1111}, "block 1112": {"block_code": 1112},
                      "block 1211": {"block_code": 1211}},
    "static": {"css": {"filename": "css/app.css"}},
}
# Which targets each area-bound role may reach; state-wide roles reach them all.
REACHABLE = {
    Role.DISTRICT_OFFICER: {"division 1", "district 111", "block 1111", "block 1112"},
    Role.BLOCK_OFFICER: {"division 1", "district 111", "block 1111"},
}


def allowed(endpoint: str, role, target: str | None) -> bool:
    """Return whether `role` may reach `endpoint` (at `target`)."""
    if endpoint in PROVIDERS_ONLY:
        return False
    if endpoint in MEETING_PUBLIC:
        return True
    if endpoint in MEETING_READERS:
        return role in STAFF
    if endpoint in MEETING_CHAIRS:
        return role is Role.ADMIN
    if (endpoint in PUBLIC or endpoint in QUESTION_ASKERS or endpoint in CERTIFICATES_PUBLIC
            or endpoint in APPLY_PUBLIC or endpoint in OWN_PLAN_PUBLIC or endpoint.startswith(PUBLIC_PREFIXES)):
        return True
    if role == ANONYMOUS:
        return False
    if endpoint in SIGNED_IN:
        return True
    if endpoint in ADMIN_ONLY or endpoint in CHANNEL_ADMIN:
        return role is Role.ADMIN
    if endpoint in CODE_KEEPERS:
        return role in CODE_ROLES
    if endpoint in PARTNER_REPORT:
        return role in STAFF
    if endpoint in PLANNERS_ONLY or endpoint in CERTIFICATE_PLANNERS or endpoint.startswith(PLANNER_PREFIXES):
        return role in (Role.ADMIN, Role.TRAINER)
    if endpoint in REVIEW_MANAGERS:
        return role in (Role.ADMIN, Role.TRAINER)
    if endpoint in REVIEWERS:
        return role in STAFF
    if endpoint in ATTENDANCE_WATCHERS or endpoint.startswith(REPORT_PREFIXES):
        return role in STAFF
    if endpoint in OFFICE_KEEPERS:
        return role in (Role.ADMIN, Role.DIRECTOR)
    if endpoint in OFFICE_READERS:
        return role in STAFF
    if endpoint in DIRECTIVE_PAGES:
        return role in STAFF
    if endpoint in CAMPAIGN_REPORTERS:
        return role in (Role.ADMIN, Role.TRAINER, Role.DISTRICT_OFFICER, Role.BLOCK_OFFICER)
    if endpoint in CAMPAIGN_APPROVERS:
        return role in (Role.ADMIN, Role.DIRECTOR, Role.DISTRICT_OFFICER)
    if endpoint in PARTNER_READERS or endpoint in CALL_READERS or endpoint in PLAN_READERS \
            or endpoint in CAMPAIGN_READERS or endpoint in CAMPAIGN_WATCHERS:
        return role in STAFF
    if endpoint in PARTNER_CHANGES or endpoint in CALL_CHANGES or endpoint in PLAN_CHANGES \
            or endpoint in CAMPAIGN_CHANGES:
        return role in (Role.ADMIN, Role.TRAINER)
    if endpoint in CONTACT_READERS or endpoint in MESSAGE_READERS or endpoint in CERTIFICATE_READERS:
        return role in STAFF
    if endpoint in MESSAGE_PLANNERS or endpoint in QUESTION_MODERATORS:
        return role in (Role.ADMIN, Role.TRAINER)
    if endpoint in CERTIFICATE_APPRECIATORS:
        return role in (Role.ADMIN, Role.TRAINER, Role.DIRECTOR)
    if endpoint in CONTACT_CHANGES:
        return role in CONTACT_EDITORS
    if endpoint == "attendance.checklist":
        return role in CHECKLIST_ROLES
    if endpoint == "attendance.upload":
        return role in UPLOAD_ROLES
    if endpoint in REGION_PAGES:
        if role not in STAFF:
            return False
        return target is None or role not in REACHABLE or target in REACHABLE[role]
    raise AssertionError(f"{endpoint} has no access rule in test_access.py: add one")


def test_every_route_has_an_access_rule(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()
                 if not rule.endpoint.startswith(PUBLIC_PREFIXES + PLANNER_PREFIXES + REPORT_PREFIXES)}
    assert endpoints <= (PUBLIC | ADMIN_ONLY | CODE_KEEPERS | SIGNED_IN | REGION_PAGES | PLANNERS_ONLY | CHANNEL_ADMIN
                         | ATTENDANCE_WATCHERS | {"attendance.checklist", "attendance.upload"} | CONTACT_READERS
                         | CONTACT_CHANGES | MESSAGE_READERS | MESSAGE_PLANNERS | PROVIDERS_ONLY | QUESTION_ASKERS
                         | NEEDS_A_MARK | QUESTION_MODERATORS | CERTIFICATES_PUBLIC | CERTIFICATE_READERS
                         | CERTIFICATE_PLANNERS | CERTIFICATE_APPRECIATORS | PARTNER_READERS | PARTNER_CHANGES
                         | CALL_READERS | CALL_CHANGES | APPLY_PUBLIC | REVIEWERS | REVIEW_MANAGERS | PLAN_READERS
                         | PLAN_CHANGES | OWN_PLAN_PUBLIC | CAMPAIGN_READERS | CAMPAIGN_CHANGES | OFFICE_KEEPERS | OFFICE_READERS
                         | CAMPAIGN_REPORTERS | CAMPAIGN_APPROVERS | CAMPAIGN_WATCHERS | DIRECTIVE_PAGES
                         | MEETING_PUBLIC | MEETING_READERS | MEETING_CHAIRS)


def _cases(app, ids):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        method = "GET" if "GET" in rule.methods else "POST"
        if rule.arguments and rule.endpoint not in TARGETS:
            targets = {"own": {argument: ids[argument] for argument in rule.arguments}}
        else:
            targets = TARGETS.get(rule.endpoint, {None: {}})
        for target, values in targets.items():
            yield rule.endpoint, method, target, values


@pytest.mark.parametrize("role", ROLES, ids=str)
def test_each_role_is_refused_what_it_must_not_reach(app, client, places, make_user, make_programme, auth, role):
    victim = make_user("victim", Role.TRAINER)
    victim_login = UserLogin.start(victim, remember=False, user_agent="")
    db.session.add(victim_login)
    programme = make_programme()
    question = add_question(programme, QuestionKind.RATING, "कैसा लगा?")
    organisation = save_organisation(OrganisationValues(name_hi="जल सेवा समिति", district_id=places.district(121).id),
                                     None)
    call = save_call(CallValues(title_hi="जल जीवन मिशन", opens_on=date(2026, 12, 1), closes_on=date(2026, 12, 31)),
                     None)
    criterion = add_criterion(call, CriterionValues(text_hi="अनुभव"))
    document = add_document(call, "पंजीयन", "", True)
    call_question = call_questions.add_question(call, QuestionKind.RATING, "अनुभव")
    plan, _code = start_plan(organisation, 2026, Actor())
    activity = add_activity(plan, ActivityValues(title="प्रशिक्षण", theme="water", level=ActivityLevel.STATE,
                                                 planned_from=date(2026, 5, 1), planned_to=date(2026, 5, 2)))
    trainer = save_master_trainer(MasterTrainerValues(name="सुनीता वर्मा"))
    campaign = campaigns.save_campaign(campaigns.CampaignValues(
        title_hi="अभियान", starts_on=date(2026, 12, 1), ends_on=date(2026, 12, 31), place=places.district(111),
        phases=(campaigns.PhaseValues(date(2026, 12, 1), date(2026, 12, 31), "पहला"),),
        offices=(campaigns.OfficeValues("ग्राम संगठन"),)), None)
    indicator = campaigns.save_indicator(campaign, campaigns.IndicatorValues(code="linked", name_hi="जोड़े गए"))
    # An office (its pages name it office_id, as the campaign's office routes, which are POSTs only, name theirs).
    from trainer.offices import services as offices
    office = offices.save_office(offices.OfficeValues("उपायुक्त कार्यालय", place=places.district(111)))
    from tests.test_directives_pages import add_directive
    directive_meeting, directive, directive_report = add_directive(office, victim)
    from tests.meetings_world import add_meeting_objects
    meeting_ids = add_meeting_objects(office, places.district(111))
    db.session.commit()
    ids = {"call_question_id": call_question.id, "application_id": 1, "attachment_id": 1, "event_id": 1, "review_id": 1, "call_id": call.id, "criterion_id": criterion.id, "document_id": document.id,
           "organisation_id": organisation.id, "user_id": victim.id, "programme_id": programme.id, "module_id": programme.modules[0].id,
           "session_id": programme.sessions[0].id, "division_code": 1,
           "token": make_token(programme.sessions[0].id), "question_id": question.id, "block_code": 1111,
           "gp_code": 11111, "district_code": 111, "fmt": "csv",
           "login_id": victim_login.id, "message_id": 1, "broadcast_id": 1, "kind": "access_code_reissued",
           "channel": "sms", "language": "hi", "asked_id": 1, "serial": "ABCDEFGHJK", "batch_id": 1,
           "bundle_id": 1, "design_id": 1, "signatory_id": 1, "code": "ABCDEFGHJK", "plan_id": plan.id,
           "activity_id": activity.id, "quarter": 1, "trainer_id": trainer.id,
           "campaign_id": campaign.id, "phase_id": campaign.phases[0].id, "office_id": office.id,
           "indicator_id": indicator.id, "directive_id": directive.id, "report_id": directive_report.id,
           "meeting_id": directive_meeting.id}
    ids |= meeting_ids
    if role != ANONYMOUS:
        user = make_user(role=role)
        assert auth.login(user.username).status_code == 302
    checked = 0
    for endpoint, method, target, values in _cases(app, ids):
        if endpoint in NEEDS_A_MARK:
            continue
        with app.test_request_context():
            url = url_for(endpoint, **values)
        response = client.open(url, method=method)
        response.close()
        refused = response.status_code in (401, 403) or (
            response.status_code == 302 and response.headers["Location"].startswith("/login"))
        expected = allowed(endpoint, role, target)
        assert refused is not expected, f"{role} {method} {url}: {response.status_code}"
        if expected:
            assert response.status_code < 500, f"{role} {method} {url}: {response.status_code}"
        checked += 1
        if endpoint in SIGNS_OUT and role != ANONYMOUS:
            auth.login(user.username)
    assert checked >= 20
