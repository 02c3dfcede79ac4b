"""The JSON API under /api/v1 keeps its contract, docs/openapi.json, whatever it is asked.

schemathesis generates requests from the file (valid ones and, where the contract allows, invalid ones) and sends
them in process to the WSGI app, signed in as a director (the whole state) and as a block officer (one janpad);
no answer is a server error, every status is documented and every body and header matches the schema.
"""
import contextvars
from pathlib import Path

import pytest
import schemathesis

from tests import test_report_pages as report_pages
from tests.conftest import PASSWORD
from trainer.core.roles import Role
from trainer.tools.demo_partners import ensure_demo_partners


def add_call_with_an_application(user_id: int) -> None:
    """Open a call with a criterion and a document asked for, and enter an application with a PDF on paper, which is
    then screened."""
    from datetime import date

    from tests.test_calls import pdf_bytes
    from trainer.extensions import db
    from trainer.partners import applications, calls
    from trainer.partners.models import OrganisationKind
    call = calls.save_call(calls.CallValues(title_hi="जल जीवन मिशन", opens_on=date(2026, 12, 1),
                                            closes_on=date(2026, 12, 31), themes=("water",)), None)
    calls.add_criterion(call, calls.CriterionValues(text_hi="अनुभव", required=True))
    asked = calls.add_document(call, "पंजीयन", "", True)
    application, _code = applications.start_application(call, applications.ApplicationValues(
        kind=OrganisationKind.NGO, name_hi="नर्मदा सेवा संस्थान", contact_mobile="9876500011", themes=("water",)),
        (applications.Upload(asked.id, "a.pdf", pdf_bytes()),), entered_by_id=user_id)
    # Screened: more information asked and answered with a PDF, shortlisted, its decision prepared.
    from trainer.partners import screening, states
    from trainer.partners.models import ApplicationState, DecisionOutcome
    for state in (ApplicationState.SUBMITTED, ApplicationState.IN_SCREENING, ApplicationState.MORE_INFORMATION):
        states.change_state(application, state, by_id=user_id, note="ऑडिट भेजें")
    screening.answer(application, "संलग्न", ("ऑडिट.pdf", pdf_bytes()))
    states.change_state(application, ApplicationState.SHORTLISTED, by_id=user_id)
    screening.prepare_decision(application, DecisionOutcome.SELECTED, user_id, "धन्यवाद")
    db.session.commit()


def add_campaigns() -> None:
    """Start a campaign of district 111 with two phases, an office, an indicator and a target, and one of district 121
    (outside the block officer's area)."""
    from datetime import date

    from trainer.campaigns import services as campaigns
    from trainer.extensions import db
    from trainer.regions.models import District, GramPanchayat
    district = {d.lgd_code: d for d in db.session.scalars(db.select(District))}
    campaign = campaigns.save_campaign(campaigns.CampaignValues(
        title_hi="स्वयं सहायता समूह से जोड़ना", starts_on=date(2026, 12, 1), ends_on=date(2027, 1, 31),
        place=district[111], phases=(campaigns.PhaseValues(date(2026, 12, 1), date(2026, 12, 31), "पहला"),
                                     campaigns.PhaseValues(date(2027, 1, 1), date(2027, 1, 31), "दूसरा")),
        offices=(campaigns.OfficeValues("ग्राम संगठन", "", "सर्वे"),)), None)
    identified = campaigns.save_indicator(campaign, campaigns.IndicatorValues(code="identified", name_hi="चिह्नित"))
    linked = campaigns.save_indicator(campaign, campaigns.IndicatorValues(code="linked", name_hi="जोड़े गए",
                                                                          share_of_id=identified.id))
    gp = db.session.scalar(db.select(GramPanchayat).filter_by(lgd_code=11111))
    campaigns.set_target(linked, gp, 100)
    campaigns.save_campaign(campaigns.CampaignValues(title_hi="दूसरा अभियान", starts_on=date(2026, 12, 1),
                                                     ends_on=date(2026, 12, 31), place=district[121]), None)
    db.session.commit()


def add_directives() -> None:
    """Give a directive, reported on with a PDF, in a review meeting of district 111 and one of district 121."""
    from tests.test_directives_pages import add_directive
    from trainer.accounts import services as accounts
    from trainer.extensions import db
    from trainer.offices import services as offices
    from trainer.regions.models import District
    district = {d.lgd_code: d for d in db.session.scalars(db.select(District))}
    for code in (111, 121):
        office = offices.save_office(offices.OfficeValues(f"उपायुक्त कार्यालय {code}", place=district[code]))
        add_directive(office, accounts.create_user(f"dc-{code}", PASSWORD, Role.DISTRICT_OFFICER, code))
    db.session.commit()


def add_meetings() -> None:
    """A series of district 111 with a meeting (agenda, minutes, a presence, a directive), and one of district 121
    (outside the block officer's area)."""
    from tests.meetings_world import add_meeting_objects
    from trainer.extensions import db
    from trainer.meetings import services as meetings
    from trainer.offices import services as offices
    from trainer.regions.models import District
    district = {d.lgd_code: d for d in db.session.scalars(db.select(District))}
    office = offices.save_office(offices.OfficeValues("उपायुक्त कार्यालय", place=district[111]))
    add_meeting_objects(office, district[111])
    other = offices.save_office(offices.OfficeValues("उपायुक्त कार्यालय 121", place=district[121]))
    meetings.save_series(meetings.SeriesValues(code="OTH", chair_office_id=other.id, title_hi="दूसरी समीक्षा",
                                               place=district[121]), None)
    db.session.commit()


reported = report_pages.reported  # a programme with attendance and feedback in both divisions
SPEC_PATH = Path(__file__).resolve().parent.parent / "docs" / "openapi.json"


schema = schemathesis.openapi.from_path(SPEC_PATH)  # the contract: the file, not what the app serves


@schema.auth(refresh_interval=None, retry_on=[])
class SignedIn:
    """Send each generated request with the session cookie of the user the test signed in; schemathesis also
    tries the requests without it, and with a made-up one, expecting 401."""

    cookie: str | None = None

    def get(self, case, context):
        return SignedIn.cookie

    def set(self, case, data, context):
        case.cookies = {**(case.cookies or {}), "session": data}


@pytest.fixture
def signed_in(app, make_user, reported, role):
    """Sign in a user of the role (a block officer: of janpad 1111) and hand their cookie to SignedIn."""
    ensure_demo_partners()  # organisations for the registry's endpoints to list and show
    user = make_user(role=role)
    add_call_with_an_application(user.id)  # a call, its criteria and documents, and an application with a PDF
    add_campaigns()  # one in the block officer's district and one outside it
    add_directives()  # one in the block officer's district and one outside it
    add_meetings()  # a series with a meeting in the block officer's district, and one outside it
    client = app.test_client()
    assert client.post("/login", data={"username": user.username, "password": PASSWORD}).status_code == 302
    SignedIn.cookie = client.get_cookie("session").value
    yield user
    SignedIn.cookie = None


@pytest.mark.parametrize("role", [Role.DIRECTOR, Role.BLOCK_OFFICER])
@schema.parametrize()
def test_every_api_answer_keeps_to_the_openapi_contract(app, signed_in, role, case):
    # A fresh context, as in production: the test's own app context (and the signed-in user cached in its `g`)
    # must not leak into the requests.
    case.operation.schema.app = app  # every request, the checks' own included, goes in process through WSGI
    contextvars.Context().run(case.call_and_validate, app=app, base_url="http://localhost")
