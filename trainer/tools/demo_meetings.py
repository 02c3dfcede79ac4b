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


# The district's monthly review of the livelihood mission: two past meetings, their minutes final, their directives
# partly done (reported done, verified) and partly overdue.
SERIES_CODE = "JSLPS-DEMO"
# (meeting: 0 or 1, owner's short name, Hindi, English, due days after the meeting, what became of it)
DEMO_DIRECTIVES = (
    (0, "BDO-1", "प्रखंड के शेष परिवारों को स्वयं सहायता समूहों से जोड़ें",
     "Link the block's remaining families to self-help groups", 30, "verified"),
    (0, "LDM", "ऋण-संबद्धता के दस्तावेज 15 दिनों में बैंकों तक पहुँचाएँ",
     "Get the credit-linkage documents to the banks within 15 days", 15, "open"),
    (0, "BDO-2", "सभी समूह सदस्यों का बीमा कराएँ", "Insure every SHG member", 45, "in_progress"),
    (1, "BDO-1", "प्रत्येक ग्राम संगठन की बैठक का कार्यवृत्त भेजें", "Send the minutes of every village organisation",
     20, "open"),
    (1, "CMO", "समूह सदस्यों के लिए स्वास्थ्य परामर्श हेल्पलाइन चलाएँ", "Run a health helpline for SHG members", 14,
     "open"),
    (1, "DC", "सभी विभाग अगले माह की कार्ययोजना भेजें", "Every department to send next month's work plan", 35,
     "open"),
    (1, "BDO-1", "हर पंचायत में बैंक सखी नियुक्त करें", "Appoint a bank sakhi in every panchayat", 40, "reported_done"),
)


def ensure_demo_review(demo_offices: list[Office], today, campaign=None):
    """Make the district's monthly JSLPS review (chaired by the DC office) with two past meetings, their minutes
    final, and directives partly done and partly overdue owned by the demo offices, each about its office's place,
    unless it is there; the series reviews the demo campaign (when given), which then counts the directives done on
    time by block. Return the series (None without the offices)."""
    from datetime import datetime, time, timedelta

    from trainer.core.clock import IST
    from trainer.meetings import directives, services
    from trainer.meetings.directives import DirectiveValues, ReportValues
    from trainer.meetings.models import DirectiveStatus, MeetingSeries

    by_short = {office.short_name: office for office in demo_offices}
    if "DC" not in by_short:
        return None
    found = db.session.scalar(select(MeetingSeries).where(MeetingSeries.code == SERIES_CODE))
    if found is not None:
        return found
    chair = by_short["DC"]
    district = chair.place
    series = services.save_series(services.SeriesValues(
        code=SERIES_CODE, chair_office_id=chair.id, title_hi=f"JSLPS मासिक समीक्षा, {district.name_hi}",
        title_en=f"JSLPS monthly review, {district.name_en}", place=district,
        member_office_ids=tuple(o.id for o in demo_offices if o is not chair),
        campaign_id=campaign.id if campaign is not None else None), None)
    chair_user = accounts.find_user("district")
    block_user = accounts.find_user("block")
    meetings = []
    for days_ago in (60, 30):
        day = today - timedelta(days=days_ago)
        starts_at = datetime.combine(day, time(11, 0), IST)
        meeting = services.create_meeting(series, services.MeetingValues(
            starts_at=starts_at, ends_at=starts_at + timedelta(hours=2), venue="समाहरणालय सभागार",
            chair_name="उपायुक्त", chair_designation="उपायुक्त"), None)
        services.open_follow_up(meeting)
        item = services.add_agenda_item(meeting, "स्वयं सहायता समूहों से परिवारों का जुड़ाव",
                                        "Linking families to self-help groups", by_short.get("JSLPS DPMU", chair).id)
        services.write_minutes(item, None, services.MinutesValues(
            discussion_hi="जिला आजीविका मिशन ने प्रखंडवार प्रगति प्रस्तुत की।",
            decisions_hi="शेष परिवारों को समयबद्ध रूप से जोड़ा जाए; बैंक और स्वास्थ्य विभाग सहयोग करें।"))
        services.mark_held(meeting)
        meetings.append((meeting, item, day))
    for index, short, text_hi, text_en, due_days, outcome in DEMO_DIRECTIVES:
        owner = by_short.get(short)
        if owner is None:
            continue
        meeting, item, day = meetings[index]
        directive = directives.create_directive(meeting, DirectiveValues(
            owner_office_id=owner.id, text_hi=text_hi, text_en=text_en, within_days=due_days,
            agenda_item_id=item.id, place=owner.place), None, today=day)
        # Given in the meeting: its days open count from then.
        directive.created_at = directive.status_changed_at = directive.events[0].at = meeting.starts_at
        if outcome in ("verified", "reported_done") and block_user is not None and short == "BDO-1":
            directives.report_action_taken(directive, block_user, ReportValues(
                "आधे से अधिक कार्य पूर्ण; शेष पर कार्य जारी।", 45))
            directives.report_action_taken(directive, block_user, ReportValues(
                "कार्य पूर्ण: सूची संलग्न पत्र के अनुसार।", 100), done=True)
            if outcome == "verified":
                # Done three days before it was due, and verified the next day.
                for event, days_before in zip(directive.events[1:], (10, 3), strict=False):
                    event.at = datetime.combine(directive.due_on - timedelta(days=days_before), time(12), IST)
                for report, days_before in zip(directive.reports, (10, 3), strict=False):
                    report.reported_at = datetime.combine(directive.due_on - timedelta(days=days_before), time(12),
                                                          IST)
                directives.change_status(directive, DirectiveStatus.VERIFIED, chair_user, "सत्यापित")
                directive.events[-1].at = datetime.combine(directive.due_on - timedelta(days=2), time(12), IST)
        elif outcome == "in_progress":
            directives.change_status(directive, DirectiveStatus.IN_PROGRESS, None, "कार्य प्रारंभ")
    for meeting, _item, _day in meetings:
        services.finalise_minutes(meeting, None)
    if campaign is not None:
        _count_directives_in(campaign)
    db.session.flush()
    return series


def _count_directives_in(campaign) -> None:
    """Give the campaign an indicator of its review's directives done on time, by block."""
    from trainer.campaigns import services as campaigns
    from trainer.campaigns.models import Level, Source

    if any(indicator.source is Source.DIRECTIVES_ON_TIME for indicator in campaign.indicators):
        return
    campaigns.save_indicator(campaign, campaigns.IndicatorValues(
        code="directives", name_hi="समय पर पूरे हुए निर्देश", name_en="Directives done on time",
        unit_hi="निर्देशों", unit_en="directives", level=Level.BLOCK, source=Source.DIRECTIVES_ON_TIME))
