"""Certificates for the demo: the first programme's design (the department's emblem, two signatories), the
certificates of the GPs of one district that completed it — one revoked, one replaced after a correction — and an
office's design of appreciation with two certificates given at a review meeting. The rest of the programme's GPs
are left for a planner to issue in bulk.

Idempotent: running `flask demo` again makes nothing twice (certificates are never deleted).
"""
import io
import math

from PIL import Image, ImageDraw
from sqlalchemy import func, select

from trainer.certificates import services
from trainer.certificates.models import Certificate, CertificateDesign, CertificateKind, CertificateState, RecipientKind
from trainer.extensions import db
from trainer.partners.completion import completed_partner_ids
from trainer.programmes.models import Programme
from trainer.regions.areas import Area
from trainer.regions.models import District

OFFICE_DESIGN = "शक्ति सेवा सम्मान पत्र"
APPRECIATIONS = (
    ("demo-shakti-1", "श्रीमती सुनीता वर्मा", "Smt. Sunita Verma", "परामर्शदाता, वन स्टॉप सेंटर",
     "Counsellor, One Stop Centre", "मिशन शक्ति में एक माह तक निःशुल्क परामर्श सेवा", "a month of free counselling in Mission Shakti"),
    ("demo-shakti-2", "आशा स्वयं सहायता समूह", "Asha Self-Help Group", "ग्राम रामपुर", "Village Rampur",
     "स्वयं सहायता समूहों से परिवारों को जोड़ने में उत्कृष्ट कार्य", "outstanding work linking families to self-help groups"),
)


def _png(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return buffer.getvalue()


def emblem() -> bytes:
    """A 24-spoked wheel in navy: the demo office's emblem."""
    size, ink = 400, (16, 42, 112, 255)
    image = Image.new("RGBA", (size, size), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    centre, outer = size / 2, size / 2 - 12
    draw.ellipse([12, 12, size - 12, size - 12], outline=ink, width=14)
    draw.ellipse([centre - 26, centre - 26, centre + 26, centre + 26], fill=ink)
    for spoke in range(24):
        angle = 2 * math.pi * spoke / 24
        draw.line([(centre, centre), (centre + outer * math.cos(angle), centre + outer * math.sin(angle))],
                  fill=ink, width=6)
    return _png(image)


def signature(seed: int) -> bytes:
    """A pen stroke of a signature, different for each seed."""
    image = Image.new("RGBA", (500, 180), (255, 255, 255, 0))
    draw = ImageDraw.Draw(image)
    points = [(30 + step * 22, 100 + 45 * math.sin(step * (0.9 + seed * 0.35)) * (1 - step / 24))
              for step in range(21)]
    draw.line(points, fill=(18, 30, 110, 255), width=7, joint="curve")
    draw.line([(40, 150), (470, 140)], fill=(18, 30, 110, 255), width=4)
    return _png(image)


def ensure_demo_certificates(programmes: list[Programme]) -> int:
    """Give the demo its certificates (see the module's note); return how many certificates it holds."""
    if not programmes:
        return 0
    programme = programmes[0]
    design = services.programme_design(programme)
    if not design.signatories:
        design.emblem = emblem()
        services.add_signatory(design, "श्री राकेश कुमार श्रीवास्तव", "Shri Rakesh Kumar Shrivastava",
                               "आयुक्त, पंचायत राज", "Commissioner, Panchayat Raj", signature(1))
        services.add_signatory(design, "डॉ. अनीता त्रिपाठी", "Dr. Anita Tripathi",
                               "संचालक, राज्य ग्रामीण विकास संस्थान", "Director, State Institute of Rural Development",
                               signature(2))
    district = db.session.scalar(select(District).where(District.division_id.in_(
        [d.id for d in programme.divisions])).order_by(District.name_hi, District.lgd_code))
    if district is not None:
        gp_ids = list(db.session.scalars(services.completed_without_certificate(programme, Area.of(district))))
        services.issue_participation(programme, gp_ids)
        _revoke_and_replace_one(programme)
    office = db.session.scalar(select(CertificateDesign).where(CertificateDesign.kind == CertificateKind.APPRECIATION,
                                                              CertificateDesign.name == OFFICE_DESIGN))
    if office is None:
        office = services.new_office_design(OFFICE_DESIGN, None)
        office.title_hi, office.title_en = OFFICE_DESIGN, "Shakti Seva Samman Patra"
        office.office_hi, office.office_en = "कार्यालय जिलाधिकारी", "Office of the District Magistrate"
        office.emblem = emblem()
        services.add_signatory(office, "श्री विजय कुमार", "Shri Vijay Kumar", "जिलाधिकारी", "District Magistrate",
                               signature(3))
    for key, name_hi, name_en, detail_hi, detail_en, reason_hi, reason_en in APPRECIATIONS:
        kind = RecipientKind.PERSON if key.endswith("1") else RecipientKind.ORGANISATION
        services.issue_appreciation(office, services.Appreciation(kind, name_hi, name_en, detail_hi, detail_en,
                                                                  reason_hi, reason_en, district=district),
                                    None, request_key=key)
    db.session.flush()
    return db.session.scalar(select(func.count()).select_from(Certificate))


def _revoke_and_replace_one(programme: Programme) -> None:
    """Show the other states: the first certificate revoked, the second replaced by a corrected one."""
    issued = list(db.session.scalars(select(Certificate).where(Certificate.programme_id == programme.id)
                                     .order_by(Certificate.id).limit(2)))
    if len(issued) < 2 or db.session.scalar(select(Certificate.id).where(Certificate.programme_id == programme.id,
                                                      Certificate.state != CertificateState.ISSUED).limit(1)):
        return
    services.revoke(issued[0], "उपस्थिति दोबारा दर्ज हुई थी; सही प्रमाण-पत्र पहले से जारी है।", None)
    services.replace(issued[1], None, recipient_hi=issued[1].recipient_hi, recipient_en=issued[1].recipient_en)


def ensure_demo_partner_certificates(webinar: Programme) -> int:
    """Issue the webinar's certificates of participation to the partners that completed it (each once); return how
    many partners hold one."""
    services.issue_to_partners(webinar, list(db.session.scalars(completed_partner_ids(webinar))))
    return db.session.scalar(select(func.count()).select_from(Certificate).where(
        Certificate.programme_id == webinar.id, Certificate.organisation_id.is_not(None))) or 0
