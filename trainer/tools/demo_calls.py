"""A call for expressions of interest for the demo, open around today, with 30 applications: most sent through the
public page (each with a small real PDF), some from a CSV import, two received on paper or by e-mail, and one a
second application of an organisation that already applied (flagged as its duplicate).

Idempotent: the call is found by its English title and left as it is. To grow the demo (screening, decisions),
take the call that `ensure_demo_call` returns and work on `applications_of(call)`; add applicants to the lists
below. Needs the demo registry (trainer.tools.demo_partners) first, whose organisations apply by their Darpan IDs.
"""
import csv
import io
from datetime import date, timedelta

import pypdfium2
from sqlalchemy import select

from trainer.accounts import services as accounts
from trainer.extensions import db
from trainer.partners import applications, calls, intake, programme_partners, reviews, screening
from trainer.partners.applications import ApplicationValues, Upload
from trainer.partners.calls import CallValues, CriterionValues
from trainer.partners.models import (
    Application,
    ApplicationChannel,
    ApplicationDecision,
    ApplicationState,
    Call,
    DecisionOutcome,
    Organisation,
    OrganisationKind,
    Recommendation,
)
from trainer.regions.models import District
from trainer.tools.demo_partners import ORGANISATIONS

TITLE_EN = "Jal Jeevan Mission sector partners 2026 (demo)"
TITLE_HI = "जल जीवन मिशन सेक्टर पार्टनर 2026 (डेमो)"
THEMES = ("water", "sanitation", "health", "nutrition", "livelihoods", "gender", "governance", "education", "climate")
K = OrganisationKind
# Organisations that are not in the registry yet: (English name, Hindi name, kind, themes); the district is each
# applicant's own, in turn.
NEW_APPLICANTS = [
    ("Jal Chetna Samiti", "जल चेतना समिति", K.NGO, ("water",)),
    ("Swachh Gaon Abhiyan Trust", "स्वच्छ गाँव अभियान ट्रस्ट", K.TRUST, ("sanitation", "health")),
    ("Gramin Mahila Utthan Sanstha", "ग्रामीण महिला उत्थान संस्था", K.NGO, ("gender", "livelihoods")),
    ("Kisan Vikas Manch", "किसान विकास मंच", K.NGO, ("livelihoods", "climate")),
    ("Poshan Mitra Foundation", "पोषण मित्र फाउंडेशन", K.CSR_FOUNDATION, ("nutrition", "health")),
    ("Panchayat Prashikshan Kendra", "पंचायत प्रशिक्षण केंद्र", K.ACADEMIC, ("governance",)),
    ("Nirmal Neer Society", "निर्मल नीर सोसाइटी", K.NGO, ("water", "sanitation")),
    ("Van Adhikar Samiti", "वन अधिकार समिति", K.NGO, ("climate", "governance")),
    ("Shiksha Sarthi Trust", "शिक्षा सारथी ट्रस्ट", K.TRUST, ("education",)),
    ("Arogya Seva Sangathan", "आरोग्य सेवा संगठन", K.NGO, ("health",)),
]
# Lines of the CSV file the demo imports, as staff would upload it (the columns of trainer.partners.intake).
IMPORTED = [
    ("Chambal Jal Biradari", "चंबल जल बिरादरी", K.NGO, ("water", "climate")),
    ("Mahila Swasthya Manch", "महिला स्वास्थ्य मंच", K.NGO, ("health", "gender")),
    ("Gram Swavalamban Trust", "ग्राम स्वावलंबन ट्रस्ट", K.TRUST, ("livelihoods",)),
    ("Institute of Water Studies, Jabalpur", "जल अध्ययन संस्थान, जबलपुर", K.ACADEMIC, ("water", "governance")),
    ("Bal Poshan Samiti", "बाल पोषण समिति", K.NGO, ("nutrition",)),
]
# Received by staff: (English name, Hindi name, kind, themes, how it came).
RECEIVED = [
    ("Adivasi Ekta Parishad", "आदिवासी एकता परिषद", K.NGO, ("governance", "livelihoods"), ApplicationChannel.PAPER),
    ("Sanjha Chulha Samiti", "सांझा चूल्हा समिति", K.NGO, ("nutrition", "gender"), ApplicationChannel.EMAIL),
]


def small_pdf() -> bytes:
    """Return a one-page PDF, as an applicant's scanned certificate would be (but a few hundred bytes)."""
    document = pypdfium2.PdfDocument.new()
    document.new_page(595, 842).close()
    buffer = io.BytesIO()
    document.save(buffer)
    document.close()
    return buffer.getvalue()


def _open_call(today: date) -> Call:
    call = calls.save_call(CallValues(
        title_hi=TITLE_HI, title_en=TITLE_EN, opens_on=today - timedelta(days=14), closes_on=today + timedelta(days=14),
        description_hi="राज्य की ग्राम पंचायतों के प्रशिक्षण में सहयोग हेतु साझेदार संस्थाओं से अभिरुचि की अभिव्यक्ति आमंत्रित है।",
        description_en="Organisations are invited to express their interest in supporting the training of the state's "
                       "gram panchayats.", themes=THEMES), None)
    calls.add_criterion(call, CriterionValues(text_hi="कम से कम 3 वर्ष से पंजीकृत", text_en="Registered for at least 3 "
                                              "years", weight=2, max_score=10, required=True))
    calls.add_criterion(call, CriterionValues(text_hi="पंचायतों के साथ काम का अनुभव", text_en="Experience of work "
                                              "with panchayats", weight=3, max_score=10))
    calls.add_document(call, "पंजीयन प्रमाण-पत्र", "Registration certificate", True)
    calls.add_document(call, "वार्षिक प्रतिवेदन", "Annual report", False)
    return call


def _contact(number: int) -> dict:
    return {"contact_name": f"संपर्क व्यक्ति {number}", "contact_mobile": f"97530{number:05d}",
            "contact_email": f"applicant{number}@example.org"}


def _online(call: Call, values: ApplicationValues, pdf: bytes) -> None:
    uploads = tuple(Upload(document.id, "registration-certificate.pdf", pdf) for document in call.documents
                    if document.required)
    application, _code = applications.start_application(call, values, uploads)
    applications.submit(application)


def _csv(rows: list[list[str]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(intake.COLUMNS)
    writer.writerows(rows)
    return buffer.getvalue().encode()


def ensure_demo_call(today: date) -> Call:
    """Open the demo call with its 30 applications, unless it is there already; return it."""
    call = db.session.scalar(select(Call).where(Call.title_en == TITLE_EN))
    if call is not None:
        return call
    call = _open_call(today)
    districts = list(db.session.scalars(select(District).order_by(District.lgd_code)))
    pdf, number = small_pdf(), 0
    # The registry's organisations (not the UN agency) apply through the public page, by their Darpan IDs.
    registry = {o.name_en: o for o in db.session.scalars(select(Organisation).where(Organisation.darpan_id.is_not(None)))}
    for english, hindi, kind, themes, *_rest in ORGANISATIONS:
        if kind is K.UN_AGENCY or english not in registry:
            continue
        number += 1
        known = registry[english]
        _online(call, ApplicationValues(kind=kind, name_hi=hindi, name_en=english, darpan_id=known.darpan_id,
                                        pan=known.pan, district_id=known.district_id, themes=themes,
                                        **_contact(number)), pdf)
    for english, hindi, kind, themes in NEW_APPLICANTS:
        number += 1
        district = districts[number % len(districts)].id if districts and number % 4 else None  # some state-wide
        _online(call, ApplicationValues(kind=kind, name_hi=hindi, name_en=english, darpan_id=f"MP/2099/{900 + number:07d}",
                                        district_id=district, themes=themes, **_contact(number)), pdf)
    # The same organisation a second time, under another spelling: flagged as the first one's duplicate.
    samarthan = registry.get(ORGANISATIONS[2][0])
    if samarthan is not None:
        number += 1
        _online(call, ApplicationValues(kind=K.NGO, name_hi="समर्थन संस्था, भोपाल", name_en="Samarthan, Bhopal",
                                        darpan_id=samarthan.darpan_id, themes=("governance",), **_contact(number)),
                pdf)
    rows = []
    for english, hindi, kind, themes in IMPORTED:
        number += 1
        contact = _contact(number)
        code = str(districts[number % len(districts)].lgd_code) if districts else ""
        rows.append([hindi, english, kind.value, f"MP/2099/{900 + number:07d}", "", "", code,
                     contact["contact_name"], contact["contact_mobile"], contact["contact_email"], ";".join(themes),
                     (today - timedelta(days=3)).isoformat()])
    intake.import_applications(call, _csv(rows), None, "demo-applications.csv")
    for english, hindi, kind, themes, channel in RECEIVED:
        number += 1
        applications.receive(call, ApplicationValues(kind=kind, name_hi=hindi, name_en=english, themes=themes,
                                                     darpan_id=f"MP/2099/{900 + number:07d}", **_contact(number)),
                             tuple(Upload(document.id, "scan.pdf", pdf) for document in call.documents
                                   if document.required), channel, today - timedelta(days=2), None)
    db.session.flush()
    return call


# Screening and selection

SCREENED, SHORTLISTED, SELECTED = 20, 12, 8


def ensure_demo_selection(call: Call) -> int:
    """Screen the demo call's first twenty applications, unless its decisions were published already: the demo admin
    and trainer review each (scores spread by the application's number), the best twelve are shortlisted, eight of
    them selected and four not, and the decisions published together. The other applications wait to be screened,
    for whoever tries the demo. Return how many the call selected."""
    published = select(ApplicationDecision.application_id).join(Application, Application.id == ApplicationDecision.application_id) \
        .where(Application.call_id == call.id, ApplicationDecision.published_at.is_not(None)).limit(1)
    if db.session.scalar(published) is not None:
        return len(programme_partners.selected_by(call))
    users = [user for user in (accounts.find_user("admin"), accounts.find_user("trainer")) if user is not None]
    if len(users) < 2:
        return 0
    for user in users:
        if not reviews.is_reviewer(call, user.id):
            reviews.add_reviewer(call, user.id, None)
    waiting = [a for a in applications.applications_of(call) if a.state is ApplicationState.SUBMITTED][:SCREENED]
    totals = {}
    for application in waiting:
        screening.move(application, ApplicationState.IN_SCREENING, users[0].id)
        quality = 1 + (application.number * 7) % 10  # 1 … 10, a spread like real reviewers'
        for shift, user in enumerate(users):
            review = reviews.assign_one(call, application.id, user.id, users[0].id)
            given = max(0, quality - shift)
            reviews.save_review(review, {c.id: min(given, c.max_score) for c in call.criteria},
                                Recommendation.SELECT if given >= 6 else Recommendation.REJECT,
                                "अनुभव और क्षेत्र देखे" if given >= 6 else "ग्रामीण क्षेत्र में अनुभव कम")
        totals[application.id] = quality
    ranked = sorted(waiting, key=lambda a: (-totals[a.id], a.number))
    for place, application in enumerate(ranked[:SHORTLISTED]):
        screening.move(application, ApplicationState.SHORTLISTED, users[0].id)
        screening.prepare_decision(application, DecisionOutcome.SELECTED if place < SELECTED
                                   else DecisionOutcome.NOT_SELECTED, users[0].id)
    screening.publish_decisions(call, users[0].id)
    db.session.flush()
    return len(programme_partners.selected_by(call))
