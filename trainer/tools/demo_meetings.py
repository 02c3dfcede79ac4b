"""The demo's review meetings, shaped like a district's monthly review of its livelihood mission: the offices of the
demo district — the Deputy Commissioner's office (the chair), the district livelihood mission unit (JSLPS DPMU), the
Chief Medical Officer, the lead bank, and two block offices — with the demo district and block officers as their
officers. Series, meetings, minutes and directives are built on top of these offices."""
from sqlalchemy import select

from trainer.accounts import services as accounts
from trainer.extensions import db
from trainer.offices import services as offices
from trainer.offices.models import Office
from trainer.regions.models import Block, District

# (short name, Hindi, English, level: "district" or the block's index, the demo account and its designation)
DEMO_OFFICES = (
    ("DC", "उपायुक्त कार्यालय", "Deputy Commissioner's office", "district", "district", "उपायुक्त"),
    ("JSLPS DPMU", "जिला आजीविका मिशन इकाई (जेएसएलपीएस डीपीएमयू)",
     "District livelihood mission unit (JSLPS DPMU)", "district", None, ""),
    ("CMO", "मुख्य चिकित्सा पदाधिकारी कार्यालय", "Chief Medical Officer's office", "district", None, ""),
    ("LDM", "अग्रणी बैंक प्रबंधक कार्यालय", "Lead bank manager's office", "district", None, ""),
    ("BDO-1", "प्रखंड विकास पदाधिकारी कार्यालय", "Block development office", 0, "block", "प्रखंड विकास पदाधिकारी"),
    ("BDO-2", "प्रखंड विकास पदाधिकारी कार्यालय", "Block development office", 1, None, ""),
)


def ensure_demo_offices() -> list[Office]:
    """Make the demo district's offices with the demo officers as their officers, unless they are there; return
    them (none without places)."""
    officer = accounts.find_user("district")
    district = officer.place if officer is not None and isinstance(officer.place, District) else \
        db.session.scalar(select(District).order_by(District.lgd_code))
    if district is None:
        return []
    blocks = list(db.session.scalars(select(Block).where(Block.district_id == district.id).order_by(Block.lgd_code)))
    made = []
    for short_name, name_hi, name_en, level, username, designation in DEMO_OFFICES:
        if level != "district" and level >= len(blocks):
            continue
        # The demo block officer's block is the district's first (trainer.tools.demo.ensure_demo_accounts).
        place = district if level == "district" else blocks[level]
        if isinstance(place, Block):
            name_hi, name_en = f"{name_hi}, {place.name_hi}", f"{name_en}, {place.name_en}"
        office = db.session.scalar(select(Office).where(Office.short_name == short_name, Office.name_hi == name_hi))
        if office is None:
            office = offices.save_office(offices.OfficeValues(name_hi, name_en, short_name, place))
        user = accounts.find_user(username) if username else None
        if user is not None:
            offices.add_officer(office, user, designation)
        made.append(office)
    db.session.flush()
    return made
