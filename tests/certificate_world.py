"""Certificates for the walks over every route (security, query strings, the authorisation matrix): a programme's
design with a signatory, the certificates of the GPs that completed it, their batch, a district's bundle, and an
office's design."""
from flask import current_app
from sqlalchemy import select

from trainer.certificates import services
from trainer.certificates.models import Certificate, CertificateBundle, WorkState
from trainer.extensions import db


def add_certificates(programme, gram_panchayat) -> dict:
    """Issue the programme's certificates (the GP must have completed it); return the ids that routes name."""
    with current_app.test_request_context():
        design = services.programme_design(programme)
        signatory = services.add_signatory(design, "श्री अ. ब. शर्मा", "", "आयुक्त", "", None)
        batch = services.request_batch(programme, None, False, None)
        services.start_batch(batch)
        while services.issue_next_chunk(batch):
            pass
        services.finish_batch(batch)
        certificate = db.session.scalar(select(Certificate).where(
            Certificate.gram_panchayat_id == gram_panchayat.id, Certificate.programme_id == programme.id))
        bundle = CertificateBundle(programme_id=programme.id, district_id=gram_panchayat.block.district_id,
                                   state=WorkState.DONE, pages=1, content=b"%PDF-1.4\n%%EOF\n")
        db.session.add(bundle)
        office = services.new_office_design("शक्ति सेवा सम्मान पत्र", None)
        db.session.commit()
    return {"serial": certificate.serial, "code": certificate.payload, "batch_id": batch.id, "bundle_id": bundle.id,
            "design_id": design.id, "signatory_id": signatory.id, "office_design_id": office.id}
