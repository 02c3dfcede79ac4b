"""The demo's programmes: the model case (8 modules for all divisions, 21 July to 7 August 2026) and a
short programme running around the day the demo is loaded, so that today's pages have sessions too."""
import hashlib
from datetime import date, timedelta

from sqlalchemy import select

from trainer.extensions import db
from trainer.programmes import calendar, services
from trainer.programmes.models import CalendarOrder, ParticipantRole, Programme, TrainingSession
from trainer.regions.models import Division

MODEL_CASE_MODULES = [
    ("ग्राम पंचायत विकास योजना (जीपीडीपी) की तैयारी", "Preparing the Gram Panchayat Development Plan", "डॉ. आशा वर्मा"),
    ("पंचायतों के सतत विकास लक्ष्य (एलएसडीजी)", "Localising the Sustainable Development Goals", "श्री भरत सिंह"),
    ("पंचायत की आय के स्रोत", "Own sources of revenue of the panchayat", "सुश्री चित्रा जोशी"),
    ("ई-ग्रामस्वराज पर लेखा एवं भुगतान", "Accounts and payments on eGramSwaraj", "श्री देवेंद्र पटेल"),
    ("मनरेगा एवं अभिसरण", "MGNREGA and convergence", "डॉ. आशा वर्मा"),
    ("स्वच्छ भारत मिशन (ग्रामीण) : ओडीएफ प्लस", "Swachh Bharat Mission (Grameen): ODF Plus", "श्री भरत सिंह"),
    ("ग्राम सभा का सशक्तिकरण", "Strengthening the gram sabha", "सुश्री चित्रा जोशी"),
    ("सामाजिक अंकेक्षण एवं पारदर्शिता", "Social audit and transparency", "श्री देवेंद्र पटेल"),
]
CURRENT_MODULES = [
    ("पंचायत निर्णय ऐप पर ग्राम सभा की कार्यवाही", "Recording gram sabha proceedings on the Panchayat Nirnay app",
     "श्री देवेंद्र पटेल"),
    ("पंद्रहवें वित्त आयोग की राशि का उपयोग", "Using the Fifteenth Finance Commission grants", "सुश्री चित्रा जोशी"),
    ("मेरी पंचायत ऐप एवं नागरिक सेवाएँ", "The Meri Panchayat app and citizen services", "श्री भरत सिंह"),
]
WEBINAR_MODULES = [
    ("जल जीवन मिशन में साझेदार संस्थाओं की भूमिका", "The partner organisations' part in the Jal Jeevan Mission",
     "सुश्री चित्रा जोशी"),
    ("ग्राम पंचायत विकास योजना में साझेदार संस्थाओं का सहयोग", "Partners supporting the Gram Panchayat Development Plan",
     "डॉ. आशा वर्मा"),
]
PARTNERS = "राज्य ग्रामीण विकास संस्थान, जबलपुर\nराष्ट्रीय सूचना विज्ञान केंद्र (एनआईसी), मध्यप्रदेश"


def ensure_demo_programmes(today: date) -> list[Programme]:
    """Create the demo programmes unless they exist; return them. Needs the demo hierarchy."""
    divisions = list(db.session.scalars(select(Division).order_by(Division.lgd_code)))
    made = [
        _ensure("जीपीडीपी एवं सुशासन प्रशिक्षण 2026", "GPDP and good governance training 2026",
                MODEL_CASE_MODULES, divisions, date(2026, 7, 21), date(2026, 8, 7), parallel=3),
        _ensure("ई-पंचायत सेवाएँ : संक्षिप्त प्रशिक्षण", "e-Panchayat services: a short course",
                CURRENT_MODULES, divisions, today - timedelta(days=2), today + timedelta(days=14), parallel=2),
    ]
    services.advance_statuses()
    return made


def ensure_demo_webinar(today: date) -> Programme:
    """Create the demo webinar for partner organisations, running around the day the demo is loaded, unless it
    exists; return it. Needs the demo hierarchy."""
    divisions = list(db.session.scalars(select(Division).order_by(Division.lgd_code)))
    programme = _ensure("साझेदार संस्थाओं का वेबिनार", "Webinar for the partner organisations", WEBINAR_MODULES,
                        divisions, today - timedelta(days=7), today + timedelta(days=14), parallel=2)
    services.advance_statuses()
    return programme


def _ensure(title_hi, title_en, modules, divisions, first_day, last_day, parallel) -> Programme:
    existing = db.session.scalar(select(Programme).where(Programme.title_hi == title_hi))
    if existing is not None:
        return existing
    programme = services.save_programme(
        Programme(), title_hi=title_hi, title_en=title_en,
        description_hi="पंचायतराज संस्थाओं के निर्वाचित प्रतिनिधियों एवं पदाधिकारियों का संभागवार ऑनलाइन प्रशिक्षण।",
        description_en="Division-wise online training of elected representatives and functionaries of "
                       "panchayati raj institutions.",
        partners=PARTNERS, audience=[role.value for role in ParticipantRole], completion_sessions=1,
        first_day=first_day, last_day=last_day, slots=["11:00", "15:00"],
        holidays=[date(first_day.year, 8, 15).isoformat()], calendar_order=CalendarOrder.DIVISION_WISE,
        parallel=parallel, divisions=divisions)
    for module_hi, module_en, expert in modules:
        services.add_module(programme, title_hi=module_hi, title_en=module_en, duration_minutes=90, experts=expert)
    for session in calendar.propose(programme):
        _add_channels(session)
    calendar.publish(programme)  # the demo's YouTube links are given: no broadcast is owed on a channel
    return programme


def _add_channels(session: TrainingSession) -> None:
    """Give a session the links the department publishes: a broadcast, the NIC webcast and a VC room."""
    code = session.divisions[0].lgd_code
    digest = hashlib.sha256(f"{session.starts_at.isoformat()}:{code}".encode()).hexdigest()
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    video_id = "".join(alphabet[int(digest[i:i + 2], 16) % 64] for i in range(0, 22, 2))
    session.youtube_url = f"https://www.youtube.com/watch?v={video_id}"
    session.webcast_url = f"https://webcast.gov.in/mp/panchayat/division-{code}"
    session.meeting_url = f"https://vidyavaahini.nic.in/panchayat-{code}"
    session.meeting_details = f"कक्ष: संभाग {code} प्रशिक्षण कक्ष\nमीटिंग आईडी: 4{code:02d} 210 {session.id:04d}"
