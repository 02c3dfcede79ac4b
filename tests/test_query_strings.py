"""Every GET route, every query argument it reads, huge and malformed values: the answer is never a 500.

Which arguments a route reads is learnt by asking it once with a request whose query string records every name
looked up; then each of them gets each bad value in turn (as an admin, who reaches every page; and signed out, for
the public pages). Integers too large for the database, digits without end, signs, other scripts' digits, NUL,
months that are no month: the same treatment as in paths, 400 or 404, or a page that ignores the value.
"""
from datetime import date

import pytest
import weasyprint
from flask import Request, url_for
from werkzeug.datastructures import ImmutableMultiDict

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

BAD_VALUES = ["2147483648", "99999999999999999999", "9" * 5000, "-1", "0", "1e3", "٣", "abc", "1\x00",
              "99999999999999999999-01", "0000-13"]


class RecordingArgs(ImmutableMultiDict):
    """A query string that remembers every name a view looked up."""

    seen: set

    def get(self, key, *args, **kwargs):
        self.seen.add(key)
        return super().get(key, *args, **kwargs)

    def __getitem__(self, key):
        self.seen.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.seen.add(key)
        return super().__contains__(key)

    def getlist(self, key, *args, **kwargs):
        self.seen.add(key)
        return super().getlist(key, *args, **kwargs)


SEEN: set = set()


class RecordingRequest(Request):
    parameter_storage_class = type("Recording", (RecordingArgs,), {"seen": SEEN})


@pytest.fixture
def walked_app(make_app, monkeypatch):
    blank = weasyprint.HTML(string="<p>PDF</p>").write_pdf()
    monkeypatch.setattr(weasyprint.HTML, "write_pdf", lambda self, *args, **kwargs: blank)
    app = make_app()
    app.request_class = RecordingRequest
    with app.app_context():
        yield app
        db.session.remove()


def _get_routes(app, ids):
    for rule in sorted(app.url_map.iter_rules(), key=lambda r: r.rule):
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        values = {argument: ids[argument] for argument in rule.arguments - {"fmt"}}
        if "fmt" in rule.arguments:
            for fmt in ("csv", "xlsx", "pdf"):
                yield rule.endpoint, {**values, "fmt": fmt}
        else:
            yield rule.endpoint, values


def test_no_query_argument_of_any_get_route_gives_a_500(walked_app, places, make_user, make_programme, marked):
    from tests.certificate_world import add_certificates
    from tests.conftest import PASSWORD
    app = walked_app
    programme = marked
    question = add_question(programme, QuestionKind.RATING, "कैसा लगा?")
    from trainer.attendance.models import Attendance
    from trainer.questions import services as questions
    present = db.session.scalars(db.select(Attendance)).first()
    asked = questions.ask(present.session, present.gram_panchayat, "पंचायत भवन की राशि कब मिलेगी?")
    admin = make_user("walker", Role.ADMIN)
    login = UserLogin.start(admin, remember=False, user_agent="")
    db.session.add(login)
    organisation = save_organisation(OrganisationValues(name_hi="जल सेवा समिति", whole_state=True), None)
    call = save_call(CallValues(title_hi="जल जीवन मिशन", opens_on=date(2026, 12, 1), closes_on=date(2026, 12, 31)),
                     None)
    criterion = add_criterion(call, CriterionValues(text_hi="अनुभव"))
    call_document = add_document(call, "पंजीयन", "", True)
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
    directive_meeting, directive, directive_report = add_directive(office, admin)

    from tests.meetings_world import add_meeting_objects
    meeting_ids = add_meeting_objects(office, places.district(111))
    db.session.commit()
    ids = {"directive_id": directive.id, "report_id": directive_report.id, "meeting_id": directive_meeting.id,
           "campaign_id": campaign.id, "indicator_id": indicator.id, "phase_id": campaign.phases[0].id,
           "office_id": office.id, "plan_id": plan.id, "activity_id": activity.id, "quarter": 1, "trainer_id": trainer.id, "application_id": 1, "attachment_id": 1, "event_id": 1, "review_id": 1, "call_question_id": call_question.id, "call_id": call.id, "criterion_id": criterion.id, "document_id": call_document.id,
           "organisation_id": organisation.id, "user_id": admin.id, "programme_id": programme.id, "module_id": programme.modules[0].id,
           "session_id": programme.sessions[0].id, "division_code": 1, "token": make_token(programme.sessions[0].id),
           "question_id": question.id, "block_code": 1111, "gp_code": 11111, "district_code": 111,
           "login_id": login.id, "message_id": 1, "broadcast_id": 1, "kind": "access_code_reissued",
           "channel": "sms", "language": "hi", "asked_id": asked.id,
           **add_certificates(programme, places.gp(11111))}
    ids |= meeting_ids
    admin_client, public_client = app.test_client(), app.test_client()
    assert admin_client.post("/login", data={"username": "walker", "password": PASSWORD}).status_code == 302
    failures, tried, read_somewhere = [], 0, set()
    for endpoint, values in _get_routes(app, ids):
        with app.test_request_context():
            url = url_for(endpoint, **values)
        for client in (admin_client, public_client):
            SEEN.clear()
            client.get(url).close()
            read_somewhere |= SEEN
            for name in sorted(SEEN):
                for value in BAD_VALUES:
                    response = client.get(url, query_string={name: value})
                    response.close()
                    tried += 1
                    if response.status_code >= 500:
                        failures.append(f"{url}?{name}={value[:30]!r}: {response.status_code}")
    assert not failures, "\n".join(failures)
    # The walk reached the arguments it is for.
    assert {"block", "gp", "page", "month", "level", "q"} <= read_somewhere, read_somewhere
    assert tried > 200


@pytest.mark.parametrize("page, status", [("2", 200), ("", 200), ("0", 400), ("abc", 400), ("-1", 400),
                                          ("2147483648", 404), ("99999999999999999999", 404), ("9" * 5000, 404)])
def test_a_page_number_is_read_as_ids_are(client, login_as, page, status):
    login_as(Role.ADMIN)
    assert client.get("/admin/users/", query_string={"page": page}).status_code == status


@pytest.mark.parametrize("block, status", [("2147483648", 404), ("99999999999999999999", 404), ("12a", 400)])
def test_the_checklist_reads_its_block_as_ids_are(client, login_as, make_programme, block, status):
    session = make_programme(modules=1).sessions[0]
    login_as(Role.ADMIN)
    assert client.get(f"/attendance/sessions/{session.id}/checklist", query_string={"block": block}).status_code \
        == status
