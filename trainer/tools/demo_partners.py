"""Partner organisations for the demo: UNICEF, TRIF and Samarthan of the model case, and other organisations of
the kind that support panchayat trainings in Madhya Pradesh, one of them entered twice and flagged; Samarthan's
approved annual plan with an overdue quarterly update, and two master trainers; a webinar reaching the
organisations the demo call selected (or, while it has selected none, those that applied to it), a few of which
marked their attendance at its sessions held so far.

Idempotent: an organisation already there (by its English name) is left as it is. The identifiers are made up
for the demo (Darpan IDs MP/2099/…, PANs ending in Z) and belong to no real organisation.
"""
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, select

from trainer.attendance.models import MarkSource
from trainer.core.database import utc_now
from trainer.extensions import db
from trainer.partners import attendance, masters, plans, programme_partners, services
from trainer.partners.models import (
    QUARTERS,
    ActivityLevel,
    AnnualPlan,
    Application,
    ApplicationState,
    Call,
    MasterTrainer,
    Organisation,
    OrganisationAttendance,
    OrganisationKind,
    Progress,
)
from trainer.partners.services import OrganisationValues, Person
from trainer.programmes.models import Programme, Reach
from trainer.regions.models import Block, District

K = OrganisationKind
# (English name, Hindi name, kind, themes, works in the whole state, contact person, designation)
ORGANISATIONS = [
    ("UNICEF – United Nations Children's Fund", "यूनिसेफ", K.UN_AGENCY, ("water", "sanitation", "health", "nutrition"),
     True, "Anil Gupta", "WASH Specialist"),
    ("Transform Rural India Foundation (TRIF)", "ट्रांसफॉर्म रूरल इंडिया फाउंडेशन", K.CSR_FOUNDATION,
     ("livelihoods", "governance", "education"), False, "Meera Joshi", "State Lead"),
    ("Samarthan – Centre for Development Support", "समर्थन – सेंटर फॉर डेवलपमेंट सपोर्ट", K.NGO,
     ("governance", "water", "livelihoods"), True, "Rakesh Tiwari", "Programme Manager"),
    ("Pradan", "प्रदान", K.NGO, ("livelihoods", "gender"), False, "Sunita Rawat", "Team Coordinator"),
    ("Eklavya Foundation", "एकलव्य फाउंडेशन", K.NGO, ("education",), False, "Deepak Sharma", "Coordinator"),
    ("Action for Social Advancement", "एक्शन फॉर सोशल एडवांसमेंट", K.NGO, ("water", "livelihoods", "climate"),
     False, "Pankaj Verma", "Director"),
    ("Gram Swaraj Jan Kalyan Samiti", "ग्राम स्वराज जन कल्याण समिति", K.NGO, ("governance", "gender"), False,
     "Kiran Bai", "Secretary"),
    ("Narmada Jal Seva Trust", "नर्मदा जल सेवा ट्रस्ट", K.TRUST, ("water", "sanitation"), False, "Mohan Patel",
     "Trustee"),
    ("Malwa Mahila Vikas Sanstha", "मालवा महिला विकास संस्था", K.NGO, ("gender", "nutrition", "health"), False,
     "Rekha Choudhary", "President"),
    ("Bundelkhand Paryavaran Sanrakshan Samiti", "बुंदेलखंड पर्यावरण संरक्षण समिति", K.NGO, ("climate", "water"),
     False, "Santosh Yadav", "Secretary"),
    ("Satpura Swasthya Foundation", "सतपुड़ा स्वास्थ्य फाउंडेशन", K.CSR_FOUNDATION, ("health", "nutrition"), False,
     "Dr. Alka Mishra", "Medical Officer"),
    ("Institute of Rural Management Studies, Bhopal", "ग्रामीण प्रबंधन अध्ययन संस्थान, भोपाल", K.ACADEMIC,
     ("governance", "livelihoods"), True, "Prof. R. K. Jain", "Dean"),
    ("Vindhya Gramin Shiksha Trust", "विंध्य ग्रामीण शिक्षा ट्रस्ट", K.TRUST, ("education", "gender"), False,
     "Lalita Singh", "Trustee"),
]
# The same organisation entered a second time, under a slightly different spelling: flagged as a duplicate.
DUPLICATE = ("Samarthan Centre for Development Support", "समर्थन सेंटर फॉर डेवलपमेंट सपोर्ट", K.NGO, ("governance",),
             False, "R. Tiwari", "Programme Manager")


def _values(number: int, row, districts: list[int]) -> OrganisationValues:
    english, hindi, kind, themes, whole_state, person, designation = row
    home = districts[number % len(districts)] if districts else None
    works = () if whole_state or not districts else tuple(dict.fromkeys(
        districts[(number + step) % len(districts)] for step in range(2)))
    slug = "".join(ch for ch in english.lower() if ch.isalnum())[:20]
    return OrganisationValues(
        name_hi=hindi, name_en=english, kind=kind,
        darpan_id=f"MP/2099/{number:07d}" if kind is not K.UN_AGENCY else None,
        registration_number=f"REG/{number:04d}/2099" if kind is not K.UN_AGENCY else None,
        registering_authority="Registrar of Firms and Societies, Madhya Pradesh" if kind is not K.UN_AGENCY else "",
        pan=f"AAATD{number:04d}Z" if kind is not K.UN_AGENCY else None, address="Bhopal, Madhya Pradesh",
        district_id=home, website=f"https://{slug}.example.org", email=f"contact@{slug}.example.org",
        phone=f"0755-40{number:05d}", themes=themes, whole_state=whole_state, district_ids=works,
        people=(Person(person, designation, f"90100{number:05d}", f"{slug}@example.org"),))


def ensure_demo_partners() -> int:
    """Add the demo organisations that are not there yet (and flag the one entered twice); return how many the
    registry holds."""
    districts = list(db.session.scalars(select(District.id).order_by(District.lgd_code)))
    known = set(db.session.scalars(select(Organisation.name_en)))
    for number, row in enumerate(ORGANISATIONS, start=1):
        if row[0] not in known:
            services.save_organisation(_values(number, row, districts), None)
    if DUPLICATE[0] not in known:
        original = db.session.scalar(select(Organisation).where(Organisation.name_en == ORGANISATIONS[2][0]))
        values = _values(len(ORGANISATIONS) + 1, DUPLICATE, districts)
        services.save_organisation(OrganisationValues(**{**vars(values), "darpan_id": None,
                                                          "registration_number": None, "pan": None}),
                                   None, duplicate_of=original)
    db.session.flush()
    return len(db.session.scalars(select(Organisation.id)).all())


# An approved annual plan with an overdue quarterly update, and two master trainers.
PLAN_ORGANISATION = ORGANISATIONS[2][0]  # Samarthan
PLAN_ACTIVITIES = [
    ("ग्राम पंचायत विकास योजना पर जनपद स्तरीय प्रशिक्षण", "governance", ActivityLevel.BLOCK, 0, 2, 600),
    ("जल जीवन मिशन: ग्राम जल एवं स्वच्छता समिति का उन्मुखीकरण", "water", ActivityLevel.DISTRICT, 1, 1, 1200),
    ("राज्य स्तरीय मास्टर ट्रेनर कार्यशाला", "governance", ActivityLevel.STATE, 2, 0, 80),
]
MASTER_TRAINERS = [("सुनीता वर्मा", "9010099001", "sunita.verma@example.org"),
                   ("रमेश कुमार पटेल", "9010099002", "ramesh.patel@example.org")]


def ensure_demo_plans(programmes, today: date) -> tuple[AnnualPlan | None, int]:
    """Add Samarthan's approved plan for a year in which one quarter's update is overdue today (the earlier
    quarters reported), and two master trainers of the first programme; return the plan and how many master
    trainers there are. Needs the demo organisations, and the programmes for the master trainers."""
    organisation = db.session.scalar(select(Organisation).where(Organisation.name_en == PLAN_ORGANISATION))
    plan = None
    if organisation is not None:
        # A day of a quarter that has ended, and whose update fell due, before today.
        passed = today - timedelta(days=plans.due_days() + 1 + 92)
        year = plans.financial_year(passed)
        late = next(q for q in QUARTERS if plans.quarter_bounds(year, q)[0] <= passed <= plans.quarter_bounds(year, q)[1])
        plan = db.session.scalar(select(AnnualPlan).where(AnnualPlan.organisation_id == organisation.id,
                                                          AnnualPlan.year == year))
        if plan is None:
            plan = _demo_plan(organisation, year, late)
    trainers = 0
    if programmes:
        trainers = _demo_master_trainers(programmes[0], organisation)
    db.session.flush()
    return plan, trainers


def _demo_plan(organisation: Organisation, year: int, late: int) -> AnnualPlan:
    plan, _code = plans.start_plan(organisation, year, plans.Actor())
    districts = list(db.session.scalars(select(District).order_by(District.lgd_code).limit(2)))
    blocks = list(db.session.scalars(select(Block.lgd_code).order_by(Block.lgd_code).limit(3)))
    for title, theme, level, quarter, months, participants in PLAN_ACTIVITIES:
        start = plans.quarter_bounds(year, quarter + 1)[0]
        end = plans.quarter_bounds(year, min(4, quarter + 1 + months))[1]
        plans.add_activity(plan, plans.ActivityValues(
            title=title, theme=theme, level=level, planned_from=start, planned_to=end, participants=participants,
            district_ids=tuple(d.id for d in districts) if level is ActivityLevel.DISTRICT else (),
            block_codes=tuple(blocks) if level is ActivityLevel.BLOCK else ()))
    plans.submit(plan, plans.Actor(partner=True))
    plans.return_plan(plan, "जिलेवार प्रतिभागियों की संख्या स्पष्ट करें।", None)
    plans.submit(plan, plans.Actor(partner=True))
    plans.approve(plan, None, "स्वीकृत।")
    for quarter in range(1, late):
        plans.submit_update(plan, quarter, tuple(
            plans.ProgressValues(activity.id, Progress.DONE if activity.planned_to <= plans.quarter_bounds(
                year, quarter)[1] else Progress.PARTLY, activity.participants // 4, "योजना के अनुसार")
            for activity in plan.activities), plans.Actor(partner=True))
    # Sent as if on the quarter's last day: the demo then reads like a real year.
    for update in plan.updates:
        update.submitted_at = datetime.combine(plans.quarter_bounds(year, update.quarter)[1] + timedelta(days=5),
                                               time(12), tzinfo=UTC)
    return plan


def _demo_master_trainers(programme, organisation) -> int:
    known = set(db.session.scalars(select(MasterTrainer.name)))
    modules = programme.modules
    for number, (name, mobile, email) in enumerate(MASTER_TRAINERS):
        if name in known or len(modules) <= number:
            continue
        module = modules[number]
        masters.save_master_trainer(masters.MasterTrainerValues(
            name=name, mobile=mobile, email=email, organisation_id=organisation.id if organisation else None,
            programme_ids=(programme.id,), module_ids=tuple(m.id for m in modules[:2]),
            expert_module_ids=(module.id,)))
    return len(db.session.scalars(select(MasterTrainer.id)).all())


# The webinar's partners and their marks.


def ensure_demo_partner_marks(programme: Programme, call: Call) -> tuple[int, int]:
    """Make the webinar reach the partners the demo call selected (or those that applied to it), and have two in
    three of them mark their attendance at one of its sessions held so far, unless they did; return how many
    partners it has and how many marks."""
    programme.reaches = Reach.PARTNERS
    chosen = programme_partners.selected_by(call)
    if chosen:
        programme_partners.add_partners(programme, chosen, None, call)
    else:
        programme_partners.add_partners(programme, list(db.session.scalars(
            select(Application.organisation_id).where(
                Application.call_id == call.id, Application.organisation_id.is_not(None),
                Application.state.not_in((ApplicationState.DRAFT, ApplicationState.DUPLICATE))).distinct())), None)
    now = utc_now()
    held = [session for session in sorted(programme.sessions, key=lambda s: (s.starts_at, s.id)) if session.ends_at < now]
    partners = [partner.organisation for partner in programme_partners.partners_of(programme)]
    sessions = [session.id for session in programme.sessions]
    marked = set(db.session.scalars(select(OrganisationAttendance.organisation_id).where(
        OrganisationAttendance.session_id.in_(sessions))))
    if held:
        for number, organisation in enumerate(partners):
            if number % 3 != 2 and organisation.id not in marked:
                attendance.mark(held[number % len(held)], organisation, 8 + (number * 13) % 60, MarkSource.CHECKLIST)
    db.session.flush()
    marks = db.session.scalar(select(func.count()).select_from(OrganisationAttendance).where(
        OrganisationAttendance.session_id.in_(sessions)))
    return len(partners), marks
