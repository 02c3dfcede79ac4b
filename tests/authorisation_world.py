"""The objects the authorisation matrix is tried on, built once per module, and a way back to them.

The world is the small state of conftest (division 1 > district 111 > block 1111 > GP 11111 ...) with one
signed-in account per role, three programmes and everything the routes take as parameters:

- programme A trains divisions 1 and 2 (published); its sessions A1 (division 1) and A2 (division 2) run at
  the same time, so that one frozen clock opens both attendance windows;
- programme B trains division 2 only (published), programme D division 1 (its calendar still a draft);
- each programme has a module no session teaches (the one the planning routes change), two feedback
  questions, and A's sessions have attendance and feedback from the GPs of their divisions;
- GPs 11111, 11211 and 12111 have access codes and a secretary's contact, A1 and A2 have session codes, the
  YouTube channel is connected (to a local stand-in of Google);
- two partner organisations, based in district 121 (organisations lie in no area: every case names the same),
  and a call for expressions of interest with a criterion and a document asked for (in no area either);
- a second call whose submitted application is being screened by two reviewers, the admin given it.
- a draft annual plan of the first organisation with one activity, and a master trainer of it;
- a campaign of each case's district (111, 112, 121) with a phase, an office and an indicator;
- an office of each case's district (a DC office), with staff-1 as its officer;
- a review series of each case's district chaired by that DC office, a meeting of it, and a directive owned by the
  district's supply office (staff-1 its officer; the district officer's too in district 111) with an action-taken
  report carrying a PDF.

`snapshot()` reads every row of every table; `restore()` puts back the rows as they were after building, ids
included, so that a request that changed something is undone before the next one.
"""
import io
from datetime import date, timedelta
from types import SimpleNamespace

import pypdfium2
from sqlalchemy import event, insert, select, text

from conftest import PASSWORD, _rows
from trainer.accounts import services as accounts
from trainer.accounts.models import User, UserLogin
from trainer.attendance import device
from trainer.attendance import services as attendance
from trainer.attendance.models import MarkSource
from trainer.attendance.rules import HeadCount
from trainer.attendance.tokens import make_token
from trainer.campaigns import services as campaigns
from trainer.certificates import services as certificates
from trainer.certificates.models import Certificate, CertificateBundle, RecipientKind, WorkState
from trainer.contacts import services as contacts
from trainer.contacts.models import ContactRole
from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.feedback import services as feedback
from trainer.feedback.models import QuestionKind
from trainer.meetings import directives as meeting_directives
from trainer.meetings import services as meetings
from trainer.messaging.kinds import MessageKind
from trainer.messaging.models import Audience, MessageBroadcast, MessageState, OutboxMessage
from trainer.offices import services as offices
from trainer.partners import applications as partner_applications
from trainer.partners import call_questions, programme_partners
from trainer.partners import calls as partner_calls
from trainer.partners import masters as partner_masters
from trainer.partners import models as partner_models
from trainer.partners import plans as partner_plans
from trainer.partners import reviews as partner_reviews
from trainer.partners import screening as partner_screening
from trainer.partners import services as partners
from trainer.partners import states as partner_states
from trainer.partners.models import ActivityLevel, ApplicationState, DecisionOutcome, Organisation, OrganisationKind
from trainer.programmes import calendar
from trainer.programmes import services as programmes
from trainer.programmes.models import Programme, Reach, TrainingSession
from trainer.questions import services as questions
from trainer.regions.importer import import_region_rows
from trainer.regions.models import District, Division, GramPanchayat
from trainer.youtube import oauth, sync

ANONYMOUS = "anonymous"
# Every role, as (role, LGD code of its area); a director may be bound to a division.
ACCOUNTS = {
    "admin": (Role.ADMIN, None),
    "trainer": (Role.TRAINER, None),
    "director": (Role.DIRECTOR, None),
    "division director": (Role.DIRECTOR, 1),
    "district officer": (Role.DISTRICT_OFFICER, 111),
    "block officer": (Role.BLOCK_OFFICER, 1111),
    "secretary": (Role.SECRETARY, 11111),
}
ROLES = (ANONYMOUS, *ACCOUNTS)

# The cases: where the objects a request names lie.
OWN, NEIGHBOUR, OTHER, DRAFT, ANY = "own", "neighbour", "other", "draft", "any"
PLACES = {
    OWN: dict(division_code=1, district_code=111, block_code=1111, gp_code=11111),
    NEIGHBOUR: dict(division_code=1, district_code=112, block_code=1121, gp_code=11211),
    OTHER: dict(division_code=2, district_code=121, block_code=1211, gp_code=12111),
    DRAFT: dict(division_code=1, district_code=111, block_code=1111, gp_code=11111),
}
PLACES[ANY] = PLACES[OWN]
PROGRAMME = {OWN: "A", NEIGHBOUR: "A", OTHER: "B", DRAFT: "D", ANY: "A"}
SESSION = {OWN: "A1", NEIGHBOUR: "A1", OTHER: "A2", DRAFT: "D1", ANY: "A1"}
USER = {OWN: "staff-1", NEIGHBOUR: "staff-1", OTHER: "staff-2", DRAFT: "staff-1", ANY: "staff-1"}
# The division codes each programme and session trains.
DIVISIONS = {"A": {1, 2}, "B": {2}, "D": {1}, "A1": {1}, "A2": {2}, "D1": {1}}
NEW_PASSWORD = "another-horse-2"


def one_page_pdf() -> bytes:
    """Return a valid PDF of one blank page (what an applicant attaches)."""
    document = pypdfium2.PdfDocument.new()
    document.new_page(200, 200).close()
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()
OTHER_PROGRAMME = "जल जीवन मिशन"  # the title of B, which trains only division 2
OTHER_CAMPAIGN = "स्वयं सहायता समूह अभियान 121"  # the title of the campaign of district 121
OTHER_OFFICE = "उपायुक्त कार्यालय 121"  # the name of the office of district 121
OTHER_DIRECTIVE = "राशन कार्ड सत्यापन 121"  # the words of the directive of district 121


def lineage(code: int) -> str:
    """Return a place's digits below the state: division 1 → "1", district 112 → "12", GP 11211 → "1211".

    In conftest's small state a place's lineage starts with its parent's, so containment is a prefix.
    """
    return str(code) if code < 10 else str(code)[1:]


def within(area_code: int | None, place_code: int) -> bool:
    """Say whether an area (None: the whole state) and a place lie one inside the other."""
    if area_code is None:
        return True
    area, place = lineage(area_code), lineage(place_code)
    return area.startswith(place) or place.startswith(area)


def area_of(role: str) -> int | None:
    """Return the LGD code of a role's area (None for the whole state)."""
    return ACCOUNTS[role][1] if role in ACCOUNTS else None


class World:
    """The objects of the matrix in one app and database, with each role's signed-in session cookie."""

    def __init__(self, app):
        self.app = app
        self.ids: dict[str, int] = {}
        self.codes: dict[int, str] = {}
        self.cookies: dict[str, str] = {}
        self.baseline = None
        self.clock = None
        self.cases: dict[str, SimpleNamespace] = {}
        self.wrote = False

    # Building

    def build(self, token_uri: str) -> None:
        """Fill the empty database with the world, sign every role in, and remember the rows."""
        import_region_rows(_rows())
        db.session.flush()
        for name, (role, area) in ACCOUNTS.items():
            accounts.create_user(name.replace(" ", "-"), PASSWORD, role, area)
        # The users whose accounts the admin pages change: one in division 1, one in division 2.
        self.ids["staff-1"] = accounts.create_user("staff-1", PASSWORD, Role.BLOCK_OFFICER, 1112).id
        self.ids["staff-2"] = accounts.create_user("staff-2", PASSWORD, Role.BLOCK_OFFICER, 1212).id
        # Each of them signed in on a browser: what signing an account out everywhere ends.
        for name in ("staff-1", "staff-2"):
            login = UserLogin.start(db.session.get(User, self.ids[name]), remember=False, user_agent="Android")
            db.session.add(login)
            db.session.flush()
            self.ids[f"login-{name}"] = login.id
        division = {d.lgd_code: d for d in db.session.scalars(select(Division))}
        gp = {g.lgd_code: g for g in db.session.scalars(select(GramPanchayat))}

        a = self._programme("पंचायत प्रशिक्षण", [division[1], division[2]], date(2026, 7, 21), date(2026, 8, 7),
                            "Expert")
        b = self._programme(OTHER_PROGRAMME, [division[2]], date(2026, 9, 1), date(2026, 9, 12), "Guest")
        d = self._programme("मसौदा कार्यक्रम", [division[1]], date(2026, 10, 5), date(2026, 10, 16), "Drafter",
                            publish=False)
        a1 = next(s for s in a.sessions if s.divisions == [division[1]]
                  and any(o.divisions == [division[2]] and o.starts_at == s.starts_at for o in a.sessions))
        a2 = next(s for s in a.sessions if s.divisions == [division[2]] and s.starts_at == a1.starts_at)
        d1 = d.sessions[0]
        for name, item in (("A", a), ("B", b), ("D", d), ("A1", a1), ("A2", a2), ("D1", d1)):
            self.ids[name] = item.id

        for code in (11111, 11211, 12111):
            self.codes[code] = attendance.issue_code(gp[code])
            self.ids[f"contact-{code}"] = contacts.save_gp_contact(
                gp[code], ContactRole.SECRETARY, contacts.ContactValues(f"सचिव {code}", f"98765{code}", None, "hi",
                                                                       ("sms",)), None).id
        for session in (a1, a2):
            attendance.ensure_session_code(session)
        # A message that failed to each contact's GP, and a broadcast scheduled to each case's district.
        for code in (11111, 11211, 12111):
            message = OutboxMessage(idempotency_key=f"access_code_reissued:c{code}:world", kind=MessageKind.ACCESS_CODE_REISSUED,
                                    channel="sms", address=f"98765{code}", gram_panchayat_id=gp[code].id,
                                    text="नया कोड", state=MessageState.FAILED, error="NDNC")
            db.session.add(message)
            db.session.flush()
            self.ids[f"message-{code}"] = message.id
        district = {d.lgd_code: d for d in db.session.scalars(select(District))}
        for code, session in ((111, a1), (112, a1), (121, a2)):
            broadcast = MessageBroadcast(programme_id=a.id, session_id=session.id, audience=Audience.UNTRAINED,
                                         kind=MessageKind.SESSION_TOMORROW, district_id=district[code].id,
                                         send_at=session.starts_at + timedelta(days=400))
            db.session.add(broadcast)
            db.session.flush()
            self.ids[f"broadcast-{code}"] = broadcast.id
        rating, text_question = feedback.questions_of(a)
        for session, code in ((a1, 11111), (a2, 12111)):
            attendance.mark(session, gp[code], HeadCount(9), MarkSource.POSTER, now=session.starts_at)
            feedback.submit(session, gp[code], feedback.Submission({rating.id: 4, text_question.id: "अच्छा"}),
                            nonce=f"world-{code}-response", now=session.starts_at)
        # A question in each of A1 and A2, approved: asked by a GP other than the secretary's, so that the
        # secretary of GP 11111 can support A1's.
        attendance.mark(a1, gp[11112], HeadCount(3), MarkSource.POSTER, now=a1.starts_at)
        for session, code in ((a1, 11112), (a2, 12111)):
            asked = questions.ask(session, gp[code], "पंचायत भवन की राशि कब मिलेगी?", now=session.starts_at)
            questions.approve(asked, None)
            self.ids[f"question-{session.id}"] = asked.id
        # Certificates of A: its design with a signatory, those of the GPs that completed it (11111, 11112, 12111)
        # issued by a batch, one of appreciation in district 112, and a printed bundle of each case's district.
        district = {d.lgd_code: d for d in db.session.scalars(select(District))}
        design = certificates.programme_design(a)
        self.ids["signatory"] = certificates.add_signatory(design, "श्री अ. ब. शर्मा", "", "आयुक्त", "", None).id
        self.ids["design"] = design.id
        batch = certificates.request_batch(a, None, False, None)
        certificates.start_batch(batch)
        while certificates.issue_next_chunk(batch):
            pass
        certificates.finish_batch(batch)
        self.ids["batch"] = batch.id
        office = certificates.new_office_design("शक्ति सेवा सम्मान पत्र", None)
        self.ids["office"] = office.id
        thanked = certificates.issue_appreciation(office, certificates.Appreciation(
            RecipientKind.PERSON, "श्रीमती सुनीता वर्मा", "", "", "", "निःशुल्क सेवा", "", district=district[112]),
            None, request_key="world-112")
        self.ids["certificate-112"] = thanked.serial
        for code, district_code in ((11111, 111), (12111, 121)):
            self.ids[f"certificate-{district_code}"] = db.session.scalar(select(Certificate.serial).where(
                Certificate.gram_panchayat_id == gp[code].id))
        for code in (111, 112, 121):
            bundle = CertificateBundle(programme_id=a.id, district_id=district[code].id, state=WorkState.DONE,
                                       pages=1, content=b"%PDF-1.4\n%%EOF\n")
            db.session.add(bundle)
            db.session.flush()
            self.ids[f"bundle-{code}"] = bundle.id
        # Two partner organisations, based and working in division 2: staff of every area read them.
        district = {d.lgd_code: d for d in db.session.scalars(select(District))}
        for name, (hindi, english) in {"organisation": ("जल सेवा समिति", "Jal Seva Samiti"),
                                       "organisation-original": ("ग्राम स्वराज अभियान", "Gram Swaraj Abhiyan")}.items():
            self.ids[name] = partners.save_organisation(partners.OrganisationValues(
                name_hi=hindi, name_en=english, kind=OrganisationKind.NGO, district_id=district[121].id,
                district_ids=(district[121].id,), themes=("water",),
                people=(partners.Person("सुनीता", "सचिव", "9876512345", None),)), None).id
        # The first is a partner of every programme (one of whose GPs and partners both are reached).
        for programme_name in ("A", "B", "D"):
            programme_partners.add_partners(db.session.get(Programme, self.ids[programme_name]),
                                            [self.ids["organisation"]], None)
        db.session.get(Programme, self.ids["A"]).reaches = Reach.BOTH
        self.organisation_code = programme_partners.issue_code(
            db.session.get(partner_models.Organisation, self.ids["organisation"]))
        # A call for expressions of interest with a criterion and a document asked for (in no area either).
        call = partner_calls.save_call(partner_calls.CallValues(
            title_hi="जल जीवन मिशन सेक्टर पार्टनर", title_en="JJM sector partners", opens_on=date(2026, 7, 1),
            closes_on=date(2026, 12, 31), themes=("water",)), None)
        self.ids["call"] = call.id
        self.ids["criterion"] = partner_calls.add_criterion(call, partner_calls.CriterionValues(
            text_hi="3 वर्ष से पंजीकृत", required=True)).id
        self.ids["call-document"] = partner_calls.add_document(call, "पंजीयन प्रमाण-पत्र", "", True).id
        # Two questions of its application form (the first can move down).
        self.ids["call-question"] = call_questions.add_question(call, QuestionKind.RATING, "अनुभव कितना है?").id
        call_questions.add_question(call, QuestionKind.LONG_TEXT, "पिछला काम")
        # A draft application to it with a PDF, entered by staff (so that the day the world is built never matters).
        application, code = partner_applications.start_application(call, partner_applications.ApplicationValues(
            kind=OrganisationKind.NGO, name_hi="नर्मदा सेवा संस्थान"), (partner_applications.Upload(
                self.ids["call-document"], "पंजीयन.pdf", one_page_pdf()),), entered_by_id=self.ids["staff-1"])
        self.ids["application"] = application.id
        self.ids["attachment"] = application.documents[0].id
        self.application_reference, self.application_code = application.reference, code
        # A second call whose one application was submitted and is being screened: two reviewers, the admin given
        # the application; more information asked and answered with a PDF (so back in screening, where the second
        # reviewer can still be given it), its decision prepared (the first call keeps only a draft, so its
        # criteria and documents may still change).
        screened_call = partner_calls.save_call(partner_calls.CallValues(
            title_hi="स्वच्छता साझेदार", opens_on=date(2026, 7, 1), closes_on=date(2026, 12, 31),
            themes=("sanitation",)), None)
        self.ids["screened-call"] = screened_call.id
        self.ids["screened-criterion"] = partner_calls.add_criterion(screened_call, partner_calls.CriterionValues(
            text_hi="स्वच्छता में अनुभव", max_score=10)).id
        screened, _code = partner_applications.start_application(screened_call, partner_applications.ApplicationValues(
            kind=OrganisationKind.TRUST, name_hi="स्वच्छ ग्राम न्यास", contact_name="रेखा", contact_mobile="9876500011",
            themes=("sanitation",)), entered_by_id=self.ids["staff-1"])
        partner_applications.submit(screened)
        self.ids["screened-application"] = screened.id
        self.ids["admin"] = db.session.scalar(select(User.id).where(User.username == "admin"))
        for reviewer in ("admin", "staff-1"):
            partner_reviews.add_reviewer(screened_call, self.ids[reviewer], None)
        self.ids["review"] = partner_reviews.assign_one(screened_call, screened.id, self.ids["admin"], None).id
        partner_states.change_state(screened, ApplicationState.IN_SCREENING, by_id=self.ids["staff-1"])
        partner_states.change_state(screened, ApplicationState.MORE_INFORMATION, by_id=self.ids["staff-1"],
                                    note="ऑडिट भेजें")
        answer = partner_screening.answer(screened, "संलग्न", ("ऑडिट.pdf", one_page_pdf()))
        partner_screening.prepare_decision(screened, DecisionOutcome.SELECTED, self.ids["staff-1"])
        self.ids["answer"] = answer.id
        # A draft annual plan of the first organisation with one activity, and a master trainer (in no area either).
        plan, plan_code = partner_plans.start_plan(db.session.get(Organisation, self.ids["organisation"]), 2026,
                                                   partner_plans.Actor(user_id=self.ids["staff-1"]))
        self.ids["plan"] = plan.id
        self.ids["activity"] = partner_plans.add_activity(plan, partner_plans.ActivityValues(
            title="ग्राम सभा प्रशिक्षण", theme="water", level=ActivityLevel.STATE, planned_from=date(2026, 5, 1),
            planned_to=date(2026, 5, 31), participants=500)).id
        self.plan_reference, self.plan_code = plan.reference, plan_code
        self.ids["master-trainer"] = partner_masters.save_master_trainer(partner_masters.MasterTrainerValues(
            name="सुनीता वर्मा", mobile="9876512346", organisation_id=self.ids["organisation"])).id
        # A campaign of each case's district, with a phase (that no target counts), an office and an indicator.
        for code in (111, 112, 121):
            campaign = campaigns.save_campaign(campaigns.CampaignValues(
                title_hi=OTHER_CAMPAIGN if code == 121 else f"स्वयं सहायता समूह अभियान {code}", starts_on=date(2026, 12, 1),
                ends_on=date(2027, 1, 31), place=district[code],
                phases=(campaigns.PhaseValues(date(2026, 12, 1), date(2026, 12, 31), "पहला चरण"),),
                offices=(campaigns.OfficeValues("ग्राम संगठन", "", "सर्वे"),)), None)
            indicator = campaigns.save_indicator(campaign, campaigns.IndicatorValues(code="linked", name_hi="जोड़े गए"))
            self.ids[f"campaign-{code}"] = campaign.id
            self.ids[f"campaign-phase-{code}"] = campaign.phases[0].id
            self.ids[f"campaign-office-{code}"] = campaign.offices[0].id
            self.ids[f"indicator-{code}"] = indicator.id
        # An office of each case's district, staff-1 its officer.
        for code in (111, 112, 121):
            office = offices.save_office(offices.OfficeValues(f"उपायुक्त कार्यालय {code}", f"DC office {code}",
                                                              f"DC {code}", district[code]))
            offices.add_officer(office, db.session.get(User, self.ids["staff-1"]), "उपायुक्त")
            self.ids[f"gov-office-{code}"] = office.id
        # A review series of each case's district, chaired by its DC office, with a meeting and a directive owned
        # by the district's supply office, reported on with a PDF.
        from trainer.meetings import directives as meeting_directives
        from trainer.meetings import services as meeting_services
        for code in (111, 112, 121):
            owner = offices.save_office(offices.OfficeValues(f"जिला आपूर्ति कार्यालय {code}", "", f"DSO {code}",
                                                             district[code]))
            offices.add_officer(owner, db.session.get(User, self.ids["staff-1"]), "आपूर्ति पदाधिकारी")
            if code == 111:
                offices.add_officer(owner, accounts.find_user("district-officer"), "आपूर्ति पदाधिकारी")
            series = meeting_services.save_series(meeting_services.SeriesValues(
                code=f"dso{code}", chair_office_id=self.ids[f"gov-office-{code}"], title_hi=f"आपूर्ति समीक्षा {code}",
                place=district[code]), None)
            held = a1.starts_at - timedelta(days=2)
            meeting = meeting_services.create_meeting(series, meeting_services.MeetingValues(
                starts_at=held, ends_at=held + timedelta(hours=1), venue="सभागार"), None)
            directive = meeting_directives.create_directive(meeting, meeting_directives.DirectiveValues(
                owner_office_id=owner.id, text_hi=OTHER_DIRECTIVE if code == 121 else f"राशन कार्ड सत्यापन {code}",
                due_on=date(2027, 1, 15)), None, today=date(2026, 1, 1))
            report = meeting_directives.report_action_taken(
                directive, db.session.get(User, self.ids["staff-1"]), meeting_directives.ReportValues(
                    "सत्यापन जारी", 40, meeting_directives.Attachment("प्रगति.pdf", one_page_pdf())))
            self.ids[f"directive-meeting-{code}"] = meeting.id
            self.ids[f"directive-{code}"] = directive.id
            self.ids[f"directive-report-{code}"] = report.id
        # The clock of the attendance pages stands five minutes into A1 and A2.
        self.clock = a1.starts_at + timedelta(minutes=5)
        self._meetings(district)

        credentials = oauth.credentials_from_refresh_token("1//refresh-world", "client-id.apps", "client-secret",
                                                           token_uri)
        with self.app.test_request_context():
            sync.connect(credentials, None)
        db.session.commit()
        self.cases = {case: self._values(case) for case in PROGRAMME}
        self._sign_in()
        self.baseline = self.snapshot()
        event.listen(db.engine, "before_cursor_execute", self._note_writes)

    def _programme(self, title: str, divisions, first: date, last: date, experts: str, publish: bool = True):
        programme = programmes.save_programme(
            Programme(), title_hi=title, title_en="", description_hi="विवरण", first_day=first, last_day=last,
            slots=["11:00", "15:00"], holidays=[], parallel=2, divisions=divisions)
        for number in (1, 2):
            programmes.add_module(programme, title_hi=f"मॉड्यूल {number}", title_en=f"Module {number}",
                                  duration_minutes=90, experts=f"{experts} {number}")
        calendar.propose(programme)
        if publish:
            calendar.publish(programme)
        # The module the planning routes change: no session teaches it, so it may also be deleted.
        programmes.add_module(programme, title_hi="अतिरिक्त मॉड्यूल", title_en="", duration_minutes=60, experts="")
        feedback.add_question(programme, QuestionKind.RATING, "सत्र कैसा लगा?", required=True)
        feedback.add_question(programme, QuestionKind.SHORT_TEXT, "आपके सुझाव")
        db.session.flush()
        return programme

    def _meetings(self, district) -> None:
        """A review series of each case's district chaired by its DC office: a first meeting with a directive still
        open, and a second, public one (whose attendance is open at the world's clock) with the follow-up item, two more items
        (the first without minutes), a named invitee and a named person present."""
        self.meeting_tokens: dict[int, str] = {}
        for code in (111, 112, 121):
            office_id = self.ids[f"gov-office-{code}"]
            series = meetings.save_series(meetings.SeriesValues(
                code=f"W{code}", chair_office_id=office_id, title_hi=f"मासिक समीक्षा {code}", place=district[code],
                member_office_ids=(office_id,)), None)
            first = meetings.create_meeting(series, meetings.MeetingValues(
                starts_at=self.clock - timedelta(days=30), ends_at=self.clock - timedelta(days=30, hours=-2)), None)
            carried = meeting_directives.create_directive(first, meeting_directives.DirectiveValues(
                owner_office_id=office_id, text_hi="शेष परिवारों को जोड़ें", due_on=date(2027, 1, 31)), None,
                today=date(2026, 1, 1))
            meeting = meetings.create_meeting(series, meetings.MeetingValues(
                starts_at=self.clock - timedelta(minutes=5), ends_at=self.clock + timedelta(hours=2),
                venue="सभागार", public=True), None)
            meetings.open_follow_up(meeting)
            item = meetings.add_agenda_item(meeting, "बैंक ऋण", presenting_office_id=office_id)
            written = meetings.add_agenda_item(meeting, "बीमा")
            meetings.write_minutes(written, None, meetings.MinutesValues(decisions_hi="सभी का बीमा हो"))
            invitee = meetings.invite_person(meeting, meetings.PersonValues("श्री क", "प्रबंधक", "बैंक"))
            present = meetings.tick_attendance(meeting, db.session.get(User, self.ids["admin"]),
                                               person=meetings.PersonValues("श्रीमती ख", "अधिकारी", "विभाग"))
            self.ids |= {f"series-{code}": series.id, f"meeting-{code}": meeting.id, f"item-{code}": item.id,
                         f"invitee-{code}": invitee.id, f"attendance-{code}": present.id,
                         f"carried-{code}": carried.id}
            self.meeting_tokens[code] = meeting.attendance_token

    def _sign_in(self) -> None:
        """Sign each role in through the sign-in page once; each request then carries that session cookie."""
        name = self.app.config["SESSION_COOKIE_NAME"]
        for role in ACCOUNTS:
            client = self.app.test_client()
            response = client.post("/login", data={"username": role.replace(" ", "-"), "password": PASSWORD})
            assert response.status_code == 302, f"{role} could not sign in"
            self.cookies[role] = client.get_cookie(name).value

    def client(self, role: str):
        """Return a fresh test client, signed in as the role (or not at all)."""
        client = self.app.test_client()
        if role != ANONYMOUS:
            client.set_cookie(self.app.config["SESSION_COOKIE_NAME"], self.cookies[role])
        return client

    def request(self, role: str, method: str, url: str, query=None, data=None):
        """Send one request as the role; return the response and the tables it changed (then put them back)."""
        self.wrote = False
        response = self.client(role).open(url, method=method, query_string=query, data=data)
        changed = []
        if self.wrote:
            with self.app.app_context():
                changed = self.changed_tables()
                if changed:
                    self.restore(changed)
        return response, changed

    def _note_writes(self, connection, cursor, statement, *args) -> None:
        if statement.lstrip()[:8].upper().startswith(("INSERT", "UPDATE", "DELETE", "TRUNCATE")):
            self.wrote = True

    # The values of one case

    def values(self, case: str) -> SimpleNamespace:
        """Return the URL parameters of a case and what its forms need (with a fresh attendance form pass)."""
        values = self.cases[case]
        with self.app.app_context():
            return SimpleNamespace(**vars(values), pass_token=device.form_pass(values.token))

    def _values(self, case: str) -> SimpleNamespace:
        programme = db.session.get(Programme, self.ids[PROGRAMME[case]])
        session = db.session.get(TrainingSession, self.ids[SESSION[case]])
        extra_module = programme.modules[-1]
        rating, text_question = feedback.questions_of(programme, include_hidden=True)
        answered = feedback.questions_of(session.programme)
        places = PLACES[case]
        copy_source = self.ids["B" if PROGRAMME[case] != "B" else "A"]
        return SimpleNamespace(
            # URL parameters
            programme_id=programme.id, session_id=session.id, module_id=extra_module.id,
            question_id=rating.id, user_id=self.ids[USER[case]], login_id=self.ids[f"login-{USER[case]}"],
            token=make_token(session.id), contact_id=self.ids[f"contact-{places['gp_code']}"], **places,
            message_id=self.ids[f"message-{places['gp_code']}"],
            broadcast_id=self.ids[f"broadcast-{places['district_code']}"],
            kind="access_code_reissued", channel="sms", language="hi",
            asked_id=self.ids[f"question-{self.ids[SESSION[case if case != DRAFT else OWN]]}"],
            serial=self.ids[f"certificate-{places['district_code']}"],
            code=db.session.scalar(select(Certificate.payload).where(
                Certificate.serial == self.ids[f"certificate-{places['district_code']}"])),
            bundle_id=self.ids[f"bundle-{places['district_code']}"], batch_id=self.ids["batch"],
            design_id=self.ids["design"], signatory_id=self.ids["signatory"], office_design_id=self.ids["office"],
            organisation_id=self.ids["organisation"], call_id=self.ids["call"], criterion_id=self.ids["criterion"],
            document_id=self.ids["call-document"], application_id=self.ids["application"],
            call_question_id=self.ids["call-question"],
            attachment_id=self.ids["attachment"], application_reference=self.application_reference,
            application_code=self.application_code, original_organisation_id=self.ids["organisation-original"],
            screened_call_id=self.ids["screened-call"], screened_criterion_id=self.ids["screened-criterion"],
            screened_application_id=self.ids["screened-application"], review_id=self.ids["review"],
            admin_id=self.ids["admin"], reviewer_id=self.ids["staff-1"], reviewer_candidate_id=self.ids["staff-2"],
            answer_event_id=self.ids["answer"],
            plan_id=self.ids["plan"], activity_id=self.ids["activity"], quarter=1,
            trainer_id=self.ids["master-trainer"], plan_reference=self.plan_reference, plan_code=self.plan_code,
            campaign_id=self.ids[f"campaign-{places['district_code']}"],
            phase_id=self.ids[f"campaign-phase-{places['district_code']}"],
            office_id=self.ids[f"campaign-office-{places['district_code']}"],
            indicator_id=self.ids[f"indicator-{places['district_code']}"],
            gov_office_id=self.ids[f"gov-office-{places['district_code']}"],
            directive_id=self.ids[f"directive-{places['district_code']}"],
            report_id=self.ids[f"directive-report-{places['district_code']}"],
            directive_meeting_id=self.ids[f"directive-meeting-{places['district_code']}"],
            series_id=self.ids[f"series-{places['district_code']}"],
            meeting_id=self.ids[f"meeting-{places['district_code']}"],
            item_id=self.ids[f"item-{places['district_code']}"],
            invitee_id=self.ids[f"invitee-{places['district_code']}"],
            attendance_id=self.ids[f"attendance-{places['district_code']}"],
            meeting_token=self.meeting_tokens[places["district_code"]],
            carried_directive_id=self.ids[f"carried-{places['district_code']}"],
            series_code=f"W{places['district_code']}",
            # what forms need
            programme_division_ids=[d.id for d in programme.divisions],
            session_division_ids=[d.id for d in session.divisions],
            session_module_ids=[m.id for m in session.modules],
            first_day=programme.first_day.isoformat(), last_day=programme.last_day.isoformat(),
            session_day=clock.local_day(session.starts_at).isoformat(),
            copy_source=copy_source, access_code=self.codes.get(places["gp_code"], ""),
            organisation_code=self.organisation_code,
            broadcast_session=programme.sessions[0].id,
            answers={f"q{answered[0].id}": "5", f"q{answered[1].id}": "सब समझ आया"},
        )

    # The rows

    def snapshot(self) -> dict[str, list[tuple]]:
        """Return every row of every table, in key order."""
        with db.engine.connect() as connection:
            return {table.name: [tuple(row) for row in connection.execute(
                select(table).order_by(*table.primary_key.columns))]
                for table in db.metadata.sorted_tables}

    def changed_tables(self) -> list[str]:
        """Name the tables whose rows differ from the world as built."""
        now = self.snapshot()
        return [name for name, rows in now.items() if rows != self.baseline[name]]

    def restore(self, changed: list[str]) -> None:
        """Put back the rows of the changed tables, and of the tables that refer to them, as they were after
        building (ids included), in one transaction."""
        db.session.remove()
        tables, names = [], set(changed)
        for table in db.metadata.sorted_tables:  # parents before the tables that refer to them
            if table.name in names or any(key.column.table.name in names for key in table.foreign_keys):
                tables.append(table)
                names.add(table.name)
        with db.engine.begin() as connection:
            for table in reversed(tables):
                connection.execute(table.delete())
            for table in tables:
                rows = self.baseline[table.name]
                if rows:
                    names = [column.name for column in table.columns]
                    connection.execute(insert(table), [dict(zip(names, row, strict=False)) for row in rows])
                if connection.dialect.name == "postgresql" and "id" in table.columns:
                    # Ids given explicitly leave the sequence behind: the next row must not take a used id.
                    connection.execute(text(
                        f"SELECT setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "
                        f"(SELECT COALESCE(MAX(id), 0) + 1 FROM \"{table.name}\"), false)"))
