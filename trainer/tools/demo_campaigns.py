"""The demo's campaign, shaped like a district's SHG linkage: every ration-card family identified in a door-to-door
survey and linked to a self-help group, reported GP by GP every week; 5,32,630 families identified across the
district's blocks and GPs, 3,39,650 linked by the last week reported; the district approves the weeks before it,
the last waits for its approval. A programme that trains the district's division is linked, and its GPs trained are
an indicator computed from attendance."""
from datetime import date, timedelta

from sqlalchemy import select

from trainer.accounts import services as accounts
from trainer.campaigns import approvals, services, uploads
from trainer.campaigns.models import Approval, Campaign, Level, PeriodKind, Source
from trainer.extensions import db
from trainer.programmes.models import Programme
from trainer.regions.models import Block, District, GramPanchayat

TITLE_EN = "Linking every family to a self-help group (demo)"
IDENTIFIED, LINKED = 5_32_630, 3_39_650
WEEKS = 4  # weeks reported, before this one
SHARE_BY_WEEK = ((0.86, 0.52), (0.93, 0.57), (0.97, 0.61), (1.0, 1.0))  # of the last week's figures


def _spread(total: int, weights: list[int]) -> list[int]:
    """Split `total` in proportion to `weights`, in whole numbers that add up to it exactly."""
    whole = sum(weights)
    parts = [total * weight // whole for weight in weights]
    for index in range(total - sum(parts)):
        parts[index % len(parts)] += 1
    return parts


def ensure_demo_campaign(today: date, programmes: list[Programme]) -> Campaign | None:
    """Make the demo campaign with its values, unless it is there already; return it (None without places)."""
    found = db.session.scalar(select(Campaign).where(Campaign.title_en == TITLE_EN))
    if found is not None:
        return found
    officer = accounts.find_user("district")
    district = officer.place if officer is not None and isinstance(officer.place, District) else \
        db.session.scalar(select(District).order_by(District.lgd_code))
    if district is None:
        return None
    gps = list(db.session.scalars(select(GramPanchayat).join(Block, Block.id == GramPanchayat.block_id)
                                  .where(Block.district_id == district.id).order_by(GramPanchayat.lgd_code)))
    monday = today - timedelta(days=today.weekday())
    starts, ends = monday - timedelta(weeks=WEEKS), monday + timedelta(weeks=8, days=6)
    linked_programmes = [p for p in programmes if district.division_id in {d.id for d in p.divisions}][:1]
    campaign = services.save_campaign(services.CampaignValues(
        starts_on=starts, ends_on=ends, title_hi="हर परिवार को स्वयं सहायता समूह से जोड़ना (डेमो)", title_en=TITLE_EN,
        description_hi="राशन कार्ड वाले हर परिवार की पहचान घर-घर सर्वे से, और छूटे परिवारों को स्वयं सहायता समूह से जोड़ना।",
        description_en="Every ration-card family identified in a door-to-door survey, and those left out linked to a "
                       "self-help group.",
        place=district, period_kind=PeriodKind.WEEK, approval=Approval.DISTRICT,
        programme_ids=tuple(p.id for p in linked_programmes),
        phases=(services.PhaseValues(starts, monday + timedelta(days=6), "सर्वे और पहचान", "Survey and identification"),
                services.PhaseValues(monday + timedelta(weeks=1), ends, "छूटे परिवारों को जोड़ना",
                                     "Linking the families left out")),
        offices=(services.OfficeValues("ग्राम संगठन", "Village organisations", "घर-घर सर्वे और परिवारों की सूची"),
                 services.OfficeValues("सामुदायिक संसाधन व्यक्ति", "Community resource persons",
                                       "छूटे परिवारों को समूह से जोड़ना"),
                 services.OfficeValues("जनपद पंचायत", "Janpad panchayats", "प्रगति की साप्ताहिक समीक्षा"))), None)
    identified = services.save_indicator(campaign, services.IndicatorValues(
        code="identified", name_hi="पहचाने गए परिवार", name_en="Families identified", unit_hi="परिवारों",
        unit_en="families", may_exceed_target=True, level=Level.GP))
    linked = services.save_indicator(campaign, services.IndicatorValues(
        code="linked", name_hi="समूह से जुड़े परिवार", name_en="Families linked to SHGs", unit_hi="परिवारों",
        unit_en="families", share_of_id=identified.id, level=Level.GP))
    if linked_programmes:
        trained = services.save_indicator(campaign, services.IndicatorValues(
            code="gps_trained", name_hi="प्रशिक्षित ग्राम पंचायतें", name_en="GPs trained", unit_hi="ग्राम पंचायतों",
            unit_en="GPs", level=Level.GP, source=Source.GPS_TRAINED, programme_id=linked_programmes[0].id))
        services.set_targets(trained, [(gp, None, 1) for gp in gps])
    if not gps:
        return campaign
    families = _spread(IDENTIFIED, [90 + (gp.lgd_code * 37) % 60 for gp in gps])
    joined = _spread(LINKED, families)
    services.set_targets(identified, [(gp, None, count) for gp, count in zip(gps, families, strict=True)])
    services.set_targets(linked, [(gp, None, count) for gp, count in zip(gps, families, strict=True)])
    periods = services.periods_of(campaign)[:WEEKS]
    rows, number = [], 1
    for period, (found_share, linked_share) in zip(periods, SHARE_BY_WEEK, strict=True):
        for gp, count, done in zip(gps, families, joined, strict=True):
            seen = int(count * found_share)
            for code, value in (("identified", seen), ("linked", min(seen, int(done * linked_share)))):
                number += 1
                rows.append((number, {"area_code": str(gp.lgd_code), "indicator": code, "period": period.key,
                                      "value": str(value)}))
    uploads.apply_values(uploads.check_values(campaign, rows))
    if officer is not None and officer.place == district:
        for period in periods[:-1]:
            for indicator in (identified, linked):
                approvals.approve_values(indicator, period.starts_on, officer)
    db.session.flush()
    return campaign
