"""Contacts for the demo state: every GP's secretary and most GPs' sarpanch, and the demo officers' own contacts.

Generated and deterministic: the n-th contact's mobile number is 9000000000 + n (9000000001 …), valid-looking
and in no real use by this app's messages (they wait in the outbox until a gateway is configured).
"""
from sqlalchemy import delete, select

from trainer.accounts.models import User
from trainer.contacts.models import Contact, ContactRole
from trainer.core.database import bulk_insert, utc_now
from trainer.extensions import db
from trainer.regions.models import GramPanchayat

FIRST_MOBILE = 9_000_000_000
SECRETARY_NAMES = ["रमेश कुमार", "सुनीता वर्मा", "अजय सिंह", "कविता पटेल", "मनोज यादव", "पूजा शर्मा", "राकेश साहू"]
SARPANCH_NAMES = ["रामप्रसाद", "गीता बाई", "शिवराज", "लक्ष्मी देवी", "भगवान दास", "सरला बाई"]
OFFICER_USERNAMES = ("admin", "trainer", "director", "district", "block")


def ensure_demo_contacts() -> int:
    """Replace the demo GPs' and demo officers' contacts with the generated ones; return how many were written."""
    db.session.execute(delete(Contact))
    now = utc_now()
    rows, number = [], 0

    def add(**values):
        nonlocal number
        number += 1
        mobile = str(FIRST_MOBILE + number)
        channels = {"accepts_sms": True, "accepts_whatsapp": number % 3 != 0, "accepts_email": False}
        rows.append({"gram_panchayat_id": None, "user_id": None, "name": "", "email": None, "language": "hi",
                     **channels, "opted_out_at": None, "opt_out_source": None, "created_at": now,
                     "updated_at": now, "updated_by_id": None, "mobile": mobile, **values})

    for index, gp_id in enumerate(db.session.scalars(
            select(GramPanchayat.id).order_by(GramPanchayat.lgd_code))):
        add(gram_panchayat_id=gp_id, role=ContactRole.SECRETARY, name=SECRETARY_NAMES[index % len(SECRETARY_NAMES)])
        if index % 10 != 9:  # one GP in ten has no sarpanch's number yet: what the "missing" filter finds
            add(gram_panchayat_id=gp_id, role=ContactRole.SARPANCH, name=SARPANCH_NAMES[index % len(SARPANCH_NAMES)],
                language="hi")
    for user_id, username in db.session.execute(select(User.id, User.username).where(
            User.username.in_(OFFICER_USERNAMES)).order_by(User.username)):
        add(user_id=user_id, role=ContactRole.OFFICER, name=username, email=f"{username}@trainer.example",
            language="en" if username == "admin" else "hi")
        rows[-1]["accepts_email"] = True
    bulk_insert(Contact.__table__, rows)
    db.session.expire_all()
    return len(rows)
