"""`flask export` / `flask import`: the whole database as one archive, SQLite → PostgreSQL → SQLite.

The source is a SQLite database in which every table has rows (made by the services and the demo's
generators); the round trip needs PostgreSQL (TEST_DATABASE_URL) and runs in a schema of its own. The
refusals run on the suite's own database, on SQLite and on PostgreSQL.
"""
import io
import json
import os
import uuid
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from pathlib import Path

import pypdfium2
import pytest
from flask import has_app_context
from flask_migrate import upgrade
from sqlalchemy import (
    JSON,
    BigInteger,
    Column,
    Date,
    DateTime,
    Float,
    Integer,
    Interval,
    LargeBinary,
    MetaData,
    Numeric,
    String,
    Table,
    Text,
    Time,
    Uuid,
    create_engine,
    func,
    insert,
    select,
    text,
)
from sqlalchemy.exc import OperationalError

from tests.conftest import PASSWORD, _make_app, _rows, postgresql_schema
from trainer.accounts import services as accounts
from trainer.accounts.models import User, UserLogin
from trainer.attendance import services as attendance
from trainer.attendance.models import Attendance, MarkSource, WatchMode
from trainer.attendance.rules import HeadCount
from trainer.campaigns import services as campaigns
from trainer.campaigns.models import Approval as CampaignApproval
from trainer.campaigns.models import Level as IndicatorLevel
from trainer.campaigns.models import PeriodKind as CampaignPeriod
from trainer.campaigns.models import Source as IndicatorSource
from trainer.certificates import services as services_certificates
from trainer.certificates.models import CertificateBundle, WorkState
from trainer.config import normalise_database_url
from trainer.contacts import services as contacts
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.meetings import directives as meeting_directives
from trainer.meetings import services as meetings
from trainer.meetings.models import DirectiveStatus
from trainer.messaging.kinds import Channel, MessageKind
from trainer.messaging.models import EditedTemplate
from trainer.offices import services as offices
from trainer.partners import applications as partner_applications
from trainer.partners import attendance as partner_attendance
from trainer.partners import call_questions, programme_partners
from trainer.partners import calls as partner_calls
from trainer.partners import reviews as partner_reviews
from trainer.partners import screening as partner_screening
from trainer.partners import states as partner_states
from trainer.partners.models import (
    ApplicationState,
    DecisionOutcome,
    Organisation,
    OrganisationKind,
    Recommendation,
    Review,
)
from trainer.programmes.models import ParticipantRole, Programme, Reach
from trainer.questionnaires.models import QuestionKind
from trainer.questions import services as questions
from trainer.questions.models import SetAsideReason
from trainer.regions.importer import import_region_rows
from trainer.regions.models import Block, Division, GramPanchayat
from trainer.tools import demo_activity
from trainer.tools.archive import CODECS, _read_expression, codec_of
from trainer.tools.demo import ensure_demo_accounts
from trainer.tools.demo_certificates import ensure_demo_certificates
from trainer.tools.demo_contacts import ensure_demo_contacts
from trainer.tools.demo_meetings import ensure_demo_offices
from trainer.tools.demo_messages import ensure_demo_messages
from trainer.tools.demo_partners import ensure_demo_partners, ensure_demo_plans
from trainer.tools.demo_programmes import ensure_demo_programmes
from trainer.youtube import sync
from trainer.youtube.models import YouTubeBroadcast, YouTubeChannel

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
ENGLISH = {"LANGUAGE": None, "LC_ALL": None, "LC_MESSAGES": None, "LANG": "C.UTF-8"}
LAST_TABLE = "feedback_answers"  # last in dependency order: damage there is found after every other insert


# Building databases


def _migrated_app(url: str, instance: Path):
    app = _make_app(url, instance)
    with app.app_context():
        upgrade(directory=str(MIGRATIONS))
        db.engine.dispose()
    return app


def fill_every_table() -> None:
    """Put rows into every table through the services and the demo's generators, with awkward values."""
    import_region_rows(_rows())
    ensure_demo_accounts()
    admin, officer = accounts.find_user("admin"), accounts.find_user("block")
    admin.full_name = "राज्य प्रशासक"
    admin.last_login_at = datetime(2026, 7, 21, 5, 30, 0, 123456, tzinfo=UTC)
    login = UserLogin.start(admin, remember=True, user_agent="Mozilla/5.0 (Linux; Android 10) — फ़ोन")
    login.ended_at = datetime(2026, 7, 21, 6, 0, tzinfo=UTC)
    db.session.add(login)
    programmes = ensure_demo_programmes(date(2026, 11, 23))
    for programme in programmes:
        demo_activity.grow(programme, demo_activity.Rates(1.0, 1.0, 1.0), held_only=False)
    first_gp = db.session.scalar(select(GramPanchayat).order_by(GramPanchayat.lgd_code))
    session = next(s for s in programmes[0].sessions if any(d.lgd_code == 1 for d in s.divisions))
    # A second mark of one GP by an officer: revision 2, with who marked it.
    attendance.mark(session, first_gp, HeadCount(7, {ParticipantRole.SARPANCH: 1}, WatchMode.YOUTUBE),
                    MarkSource.CHECKLIST, user_id=officer.id)
    attendance.issue_block_codes(db.session.scalar(select(Block).order_by(Block.lgd_code)), user_id=admin.id)
    db.session.add(YouTubeBroadcast(session_id=session.id, attempts=2, error="network",
                                    retry_at=datetime(2026, 7, 21, 5, 29, 59, 999999, tzinfo=UTC)))
    db.session.add(YouTubeChannel(id=1, channel_id="UCpanchayat", channel_title="पंचायत प्रशिक्षण चैनल",
                                  refresh_token=sync.cipher().encrypt("refresh-token"), connected_by_id=admin.id,
                                  stream_key=sync.cipher().encrypt("stream-key")))
    # Every GP's secretary, most GPs' sarpanch and the demo officers; one number opted out by SMS.
    ensure_demo_contacts()
    contacts.opt_out("9000000001", "sms")
    # A broadcast with messages in every state and their receipts, an SMS received, an edited template.
    ensure_demo_messages(programmes)
    db.session.add(EditedTemplate(kind=MessageKind.SESSION_TOMORROW, channel=Channel.SMS, language="hi",
                                  body="कल {#var#} {#var#} {#var#} {#var#} {#var#} — संपादित", dlt_template_id="1107000000000000999"))
    # Questions: asked, supported, moderated, an older one merged into a newer one, a moderator added.
    present = db.session.scalars(select(Attendance.gram_panchayat_id).where(Attendance.session_id == session.id)
                                 .order_by(Attendance.gram_panchayat_id).limit(2)).all()
    asker, supporter = (db.session.get(GramPanchayat, gp_id) for gp_id in present)
    older = questions.ask(session, asker, "पंचायत भवन की राशि कब मिलेगी? \"उद्धरण\" — ऋ")
    newer = questions.ask(session, supporter, "पंचायत भवन की राशि कब तक मिलेगी?")
    questions.approve(newer, admin.id)
    questions.support(session, asker, newer.id)
    questions.set_aside(older, admin.id, SetAsideReason.DUPLICATE, newer.id)
    questions.answer(newer, admin.id, "अगले माह।\nदूसरी पंक्ति")
    questions.add_moderator(session, "block", admin.id)
    # Certificates: a design with its emblem and signatories, issued, revoked and replaced ones, a batch, a bundle.
    certificates_made = ensure_demo_certificates(programmes)
    assert certificates_made
    db.session.add(CertificateBundle(programme_id=programmes[0].id, district_id=first_gp.block.district_id,
                                     state=WorkState.DONE, pages=1, content=b"%PDF-1.4\n%%EOF\n"))
    certificate_batch = services_certificates.request_batch(programmes[0], None, True, admin)
    services_certificates.finish_batch(certificate_batch, error="ऋ — stopped")
    # Partner organisations with their themes, areas and people, one flagged as another's duplicate.
    assert ensure_demo_partners()
    # Samarthan's approved plan with its activities, history and an update (the next one overdue), and two master
    # trainers of the first programme, each named as an expert of one of its modules.
    plan, trainers = ensure_demo_plans(programmes, date(2026, 11, 23))
    assert plan.updates and trainers == 2
    # A call for expressions of interest with its themes, a required criterion and a document asked for.
    call = partner_calls.save_call(partner_calls.CallValues(
        title_hi="जल जीवन मिशन सेक्टर पार्टनर — ऋ", title_en="JJM \"sector\" partners", description_hi="पंक्ति\nदूसरी",
        opens_on=date(2026, 12, 1), closes_on=date(2026, 12, 31), themes=("water", "sanitation")), admin.id)
    partner_calls.add_criterion(call, partner_calls.CriterionValues(text_hi="3 वर्ष से पंजीकृत", weight=3, max_score=5,
                                                                    required=True))
    asked = partner_calls.add_document(call, "पंजीयन प्रमाण-पत्र", "Registration certificate", True)
    choice = call_questions.add_question(call, QuestionKind.MULTIPLE, "कार्य क्षेत्र — ऋ", "Where it works",
                                         [{"hi": "भोपाल", "en": "Bhopal"}, {"hi": "इंदौर"}], required=True)
    story = call_questions.add_question(call, QuestionKind.LONG_TEXT, "पिछला काम")
    # Two applications of one organisation, entered by staff, with a PDF each: the second is its duplicate.
    pdf = pypdfium2.PdfDocument.new()
    pdf.new_page(200, 200).close()
    buffer = io.BytesIO()
    pdf.save(buffer)
    pdf.close()
    for name in ("नर्मदा सेवा संस्थान — ऋ", "Narmada Seva Sansthan"):
        application, _code = partner_applications.start_application(call, partner_applications.ApplicationValues(
            kind=OrganisationKind.TRUST, name_hi=name, pan="AAATN1234Q", contact_name="रेखा", contact_mobile="9876500011",
            themes=("water",)), (partner_applications.Upload(asked.id, "पंजीयन \"प्रमाण\".pdf", buffer.getvalue()),),
            entered_by_id=admin.id, answers={choice.id: ["o1", "o2"], story.id: "ग्राम सभा \"प्रशिक्षण\"\nऋ"})
        partner_applications.submit(application, admin.id)
        if name == "नर्मदा सेवा संस्थान — ऋ":
            first = application
    # Two reviewers, one with a conflict of interest with the second application; the first reviewed, with a score.
    for reviewer in (admin, officer):
        partner_reviews.add_reviewer(call, reviewer.id, admin.id)
    partner_reviews.declare_conflict(call, officer.id, "पूर्व कर्मचारी — \"ऋ\"", officer.id,
                                     application_id=application.id)
    partner_reviews.assign(call, 1, admin.id)
    made = db.session.scalar(select(Review).where(Review.user_id == admin.id))
    partner_reviews.save_review(made, {made.application.call.criteria[0].id: 5}, Recommendation.SELECT,
                                "अच्छा — \"ठीक\"")
    # The first is screened: more information asked and answered with a PDF, shortlisted, selected and published.
    partner_states.change_state(first, ApplicationState.IN_SCREENING, by_id=admin.id)
    partner_screening.ask_more_information(first, admin.id, "2024-25 का \"ऑडिट\"\nभेजें — ऋ")
    partner_screening.answer(first, "संलग्न — ऋ", ("ऑडिट \"2025\".pdf", buffer.getvalue()))
    partner_states.change_state(first, ApplicationState.SHORTLISTED, by_id=admin.id)
    partner_screening.prepare_decision(first, DecisionOutcome.SELECTED, admin.id, "अभिविन्यास\n5 जनवरी — ऋ")
    partner_screening.publish_decisions(call, admin.id)
    # The first programme reaches its partners as well as GPs: every organisation of the registry, by the admin.
    programme_partners.set_reach(programmes[0], Reach.BOTH)
    programme_partners.add_partners(programmes[0], list(db.session.scalars(select(Organisation.id))), admin.id, call)
    # Their access codes, one of them reissued.
    programme_partners.issue_programme_codes(programmes[0], admin.id)
    programme_partners.issue_code(db.session.scalar(select(Organisation).order_by(Organisation.id)))
    # One organisation marked from the poster, then corrected by an officer: revision 2.
    first_partner = db.session.scalar(select(Organisation).order_by(Organisation.id))
    partner_attendance.mark(session, first_partner, 3, MarkSource.POSTER)
    partner_attendance.mark(session, first_partner, 5, MarkSource.CHECKLIST, user_id=officer.id)
    # A campaign of the first GP's district with two phases, an office, a linked programme, an indicator taking its
    # share of another, a computed one, targets for a phase and the whole campaign, and a value reported twice.
    district = first_gp.block.district
    campaign = campaigns.save_campaign(campaigns.CampaignValues(
        title_hi="स्वयं सहायता समूह से जोड़ना — \"ऋ\"", title_en="SHG linkage", description_hi="पंक्ति\nदूसरी",
        starts_on=date(2026, 12, 1), ends_on=date(2027, 1, 31), place=district, period_kind=CampaignPeriod.WEEK,
        approval=CampaignApproval.DISTRICT_THEN_STATE, programme_ids=(programmes[0].id,),
        phases=(campaigns.PhaseValues(date(2026, 12, 1), date(2026, 12, 31), "पहला — ऋ", "Phase 1"),
                campaigns.PhaseValues(date(2027, 1, 1), date(2027, 1, 31), "दूसरा")),
        offices=(campaigns.OfficeValues("ग्राम संगठन", "Village organisations", "सर्वे\n\"घर-घर\""),)), admin.id)
    identified = campaigns.save_indicator(campaign, campaigns.IndicatorValues(
        code="identified", name_hi="चिह्नित परिवार", unit_hi="परिवार", level=IndicatorLevel.GP))
    linked = campaigns.save_indicator(campaign, campaigns.IndicatorValues(
        code="linked", name_hi="जोड़े गए परिवार", share_of_id=identified.id, may_exceed_target=True))
    campaigns.save_indicator(campaign, campaigns.IndicatorValues(
        code="trained", name_en="GPs trained", level=IndicatorLevel.BLOCK, source=IndicatorSource.GPS_TRAINED,
        programme_id=programmes[0].id, higher_is_better=False))
    campaigns.set_target(identified, first_gp, 532_630)
    campaigns.set_target(identified, first_gp.block, 2_147_483_647, campaign.phases[0])
    campaigns.record_value(linked, first_gp, date(2026, 11, 30), 339_650, officer)
    campaigns.record_value(linked, first_gp, date(2026, 11, 30), 0, None)
    # The demo district's offices; a review series chaired by the first with two meetings: invitees of every kind,
    # the follow-up item, attendance by QR and ticked, minutes corrected after finalising, directives moved,
    # extended and dropped, an action-taken report with a PDF.
    demo_offices = ensure_demo_offices()
    state_office = offices.save_office(offices.OfficeValues("राज्य आजीविका मिशन — ऋ", "", "", None, "+91 651 2222222",
                                                            "srlm@jharkhand.gov.in", active=False))
    offices.add_officer(demo_offices[0], admin, "प्रशासक \"राज्य\"")
    offices.add_officer(demo_offices[-2], officer, "प्रखंड विकास पदाधिकारी")
    series = meetings.save_series(meetings.SeriesValues(
        code="GDA", chair_office_id=demo_offices[0].id, title_hi="जेएसएलपीएस मासिक समीक्षा — ऋ", title_en="JSLPS review",
        place=demo_offices[0].place, member_office_ids=tuple(o.id for o in demo_offices[1:]) + (state_office.id,),
        programme_id=programmes[0].id, campaign_id=campaign.id), admin)
    first_meeting = meetings.create_meeting(series, meetings.MeetingValues(
        starts_at=datetime(2026, 11, 3, 5, 30, tzinfo=UTC), ends_at=datetime(2026, 11, 3, 7, 30, 0, 999999, tzinfo=UTC),
        venue="समाहरणालय सभागार\nप्रथम तल", youtube_url="https://www.youtube.com/watch?v=abcdefghijk",
        meeting_url="https://vc.nic.in/room/42", meeting_details="ID 42 \"पासकोड\"", public=True,
        chair_name="श्री क", chair_designation="उपायुक्त", secretary_id=officer.id), admin)
    meetings.invite_office(first_meeting, demo_offices[1])
    meetings.invite_user(first_meeting, officer)
    meetings.invite_person(first_meeting, meetings.PersonValues("रीना देवी", "डीपीएम", "जेएसएलपीएस", "9000000002",
                                                                "reena@example.gov.in"))
    item = meetings.add_agenda_item(first_meeting, "एसएचजी से जोड़ना", "SHG linkage", demo_offices[1].id)
    meetings.mark_by_qr(first_meeting, officer, now=first_meeting.starts_at)
    meetings.tick_attendance(first_meeting, admin, person=meetings.PersonValues("अतिथि", "बैंक प्रबंधक", "एसबीआई"))
    meetings.record_notice_sent(first_meeting)
    meetings.write_minutes(item, admin, meetings.MinutesValues("चर्चा\n\"विस्तार\"", "निर्णय", "Discussion", ""))
    given = [meeting_directives.create_directive(first_meeting, meeting_directives.DirectiveValues(
        demo_offices[-2].id, f"निर्देश {number} — ऋ", "", owner_user_id=officer.id if number == 1 else None,
        within_days=7 * number, agenda_item_id=item.id, indicator_id=linked.id if number == 1 else None,
        target_value=2_147_483_647 if number == 1 else None, target_percent=100 if number == 1 else None),
        admin, today=date(2026, 11, 1)) for number in (1, 2, 3)]
    meeting_directives.report_action_taken(given[0], officer, meeting_directives.ReportValues(
        "1,200 परिवार जोड़े", 1200, meeting_directives.Attachment("atr.pdf", buffer.getvalue())), done=True)
    meeting_directives.change_status(given[1], DirectiveStatus.DROPPED, admin, reason="दोहराव")
    meetings.mark_held(first_meeting)
    meetings.finalise_minutes(first_meeting, admin)
    meetings.correct_minutes(item, admin, meetings.MinutesValues("चर्चा, सुधारी", "निर्णय"), "टंकण की भूल")
    second_meeting = meetings.create_meeting(series, meetings.MeetingValues(
        starts_at=datetime(2026, 12, 1, 5, 30, tzinfo=UTC), ends_at=datetime(2026, 12, 1, 7, 30, tzinfo=UTC)), None)
    meetings.open_follow_up(second_meeting)
    meeting_directives.change_status(given[0], DirectiveStatus.VERIFIED, admin, meeting=second_meeting)
    meeting_directives.extend(given[2], date(2027, 1, 31), admin, note="बैंक अवकाश", meeting=second_meeting)
    # The largest LGD code a PostgreSQL integer holds.
    db.session.add(Division(lgd_code=2_147_483_647, name_en="Edge", name_hi="सीमान्त संभाग — ऋ ॐ"))
    db.session.commit()


def table_rows() -> dict[str, list[tuple]]:
    """Return every row of every table, ordered by primary key, as the models read them."""
    rows = {}
    for table in db.metadata.sorted_tables:
        order = list(table.primary_key.columns) or list(table.columns)
        rows[table.name] = [tuple(row) for row in db.session.execute(select(table).order_by(*order))]
    db.session.commit()
    return rows


def in_utc(rows: dict[str, list[tuple]]) -> dict[str, list[tuple]]:
    """Give every datetime its UTC offset (SQLite hands back UTC wall times), to compare across databases."""
    def moment(value):
        if isinstance(value, datetime):
            return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
        return value
    return {name: [tuple(moment(value) for value in row) for row in table] for name, table in rows.items()}


def flask(app, *args: str, env: dict | None = None):
    """Run a flask command of `app` in English (unless env says otherwise)."""
    if has_app_context():
        db.session.close()  # hold no locks the command would wait for (TRUNCATE on PostgreSQL)
    return app.test_cli_runner().invoke(args=list(args), env={**ENGLISH, **(env or {})})


@dataclass
class Source:
    app: object
    archive: Path
    rows: dict[str, list[tuple]]


@pytest.fixture(scope="module")
def source(tmp_path_factory):
    """A SQLite database with rows in every table, and its archive."""
    folder = tmp_path_factory.mktemp("archive-source")
    app = _migrated_app(f"sqlite:///{folder / 'source.db'}", folder / "instance")
    with app.app_context():
        fill_every_table()
        rows = table_rows()
        db.session.remove()
    result = flask(app, "export", str(folder / "source.zip"))
    assert result.exit_code == 0, result.output
    yield Source(app, folder / "source.zip", rows)
    with app.app_context():
        db.session.remove()
        db.engine.dispose()


@pytest.fixture(scope="module")
def postgresql_url():
    """Return the URL of a migrated schema of this module's own in the suite's PostgreSQL database."""
    url = os.environ.get("TEST_DATABASE_URL", "")
    if not url.startswith(("postgresql", "postgres:")):
        pytest.skip("the SQLite → PostgreSQL → SQLite round trip needs PostgreSQL: set "
                    "TEST_DATABASE_URL=postgresql://…")
    with postgresql_schema(normalise_database_url(url), "archive") as schema_url:
        yield schema_url


def manifest_of(path: Path) -> dict:
    with zipfile.ZipFile(path) as archive:
        return json.loads(archive.read("manifest.json"))


def members_of(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {name: archive.read(name) for name in archive.namelist() if name != "manifest.json"}


# The round trip


def test_the_source_database_has_rows_in_every_table(source):
    empty = [name for name, rows in source.rows.items() if not rows]
    assert empty == [], f"give these tables rows in fill_every_table: {empty}"
    assert [entry["name"] for entry in manifest_of(source.archive)["tables"]] == list(source.rows)


@pytest.mark.postgres
def test_round_trip_sqlite_postgresql_sqlite_keeps_every_row(source, postgresql_url, tmp_path):
    postgresql = _migrated_app(postgresql_url, tmp_path / "pg-instance")
    final = _migrated_app(f"sqlite:///{tmp_path / 'final.db'}", tmp_path / "final-instance")
    try:
        result = flask(postgresql, "import", str(source.archive))
        assert result.exit_code == 0, result.output
        assert f"{LAST_TABLE}: " in result.output and "Imported " in result.output
        result = flask(postgresql, "export", str(tmp_path / "postgresql.zip"))
        assert result.exit_code == 0, result.output
        result = flask(final, "import", str(tmp_path / "postgresql.zip"))
        assert result.exit_code == 0, result.output
        result = flask(final, "export", str(tmp_path / "final.zip"))
        assert result.exit_code == 0, result.output

        with final.app_context():
            assert table_rows() == source.rows  # every row, every column, SQLite to SQLite
        with postgresql.app_context():
            assert in_utc(table_rows()) == in_utc(source.rows)
            # PostgreSQL's sequences were moved past the imported ids: new rows get new ids.
            user = accounts.create_user("new-trainer", PASSWORD, Role.TRAINER, None)
            db.session.commit()
            assert user.id == max(row[0] for row in source.rows["users"]) + 1
            db.session.remove()
    finally:
        for app in (postgresql, final):
            with app.app_context():
                db.session.remove()
                db.engine.dispose()

    manifests = [manifest_of(path) for path in (source.archive, tmp_path / "postgresql.zip", tmp_path / "final.zip")]
    assert [manifest.pop("database") for manifest in manifests] == ["sqlite", "postgresql", "sqlite"]
    for manifest in manifests:
        manifest.pop("created_at")
    assert manifests[0] == manifests[1] == manifests[2]
    assert members_of(source.archive) == members_of(tmp_path / "postgresql.zip") == members_of(tmp_path / "final.zip")


def test_archive_is_a_zip_of_json_lines_with_a_manifest(source):
    manifest = manifest_of(source.archive)
    assert manifest["format"] == "trainer-archive" and manifest["version"] == 1
    assert manifest["alembic_revision"]
    datetime.fromisoformat(manifest["created_at"])
    users = next(entry for entry in manifest["tables"] if entry["name"] == "users")
    assert users["rows"] == len(source.rows["users"])
    names = [column["name"] for column in users["columns"]]
    kinds = {column["name"]: column["type"] for column in users["columns"]}
    assert kinds["created_at"] == "datetime" and kinds["role"] == "enum" and kinds["active"] == "boolean"
    with zipfile.ZipFile(source.archive) as archive:
        lines = archive.read(users["file"]).decode("utf-8").splitlines()
        assert archive.getinfo(users["file"]).compress_type == zipfile.ZIP_DEFLATED
    admin = dict(zip(names, json.loads(next(line for line in lines if '"admin"' in line)), strict=False))
    assert admin["full_name"] == "राज्य प्रशासक"  # UTF-8, not \u escapes
    assert admin["last_login_at"] == "2026-07-21T05:30:00.123456+00:00"
    assert admin["active"] is True and admin["role"] == "admin"
    assert oct(source.archive.stat().st_mode & 0o777) == "0o600"  # it holds password hashes


# Importing into the suite's database


def test_app_works_after_import_and_new_rows_get_new_ids(app, source, client, auth):
    result = flask(app, "import", str(source.archive))
    assert result.exit_code == 0, result.output
    assert db.session.scalar(select(func.count()).select_from(User)) == len(source.rows["users"])
    # The imported password hash signs the demo admin in; the session and the new rows work as usual.
    response = auth.login("admin", "demo-admin")
    assert response.status_code == 302, response.get_data(as_text=True)
    assert client.get("/admin/users/").status_code == 200
    user = accounts.create_user("another-admin", PASSWORD, Role.ADMIN, None)
    division = Division(lgd_code=999, name_en="New", name_hi="नया संभाग")
    db.session.add(division)
    db.session.commit()
    assert user.id > max(row[0] for row in source.rows["users"])
    assert division.id > max(row[0] for row in source.rows["divisions"])
    programme = db.session.scalar(select(Programme).order_by(Programme.id))
    assert programme.title_hi in client.get(f"/programmes/{programme.id}").get_data(as_text=True)


def test_import_refuses_a_database_that_is_not_empty(app, places, source):
    before = table_rows()
    result = flask(app, "import", str(source.archive))
    assert result.exit_code == 1
    assert "The database is not empty (divisions: 2" in result.output and "--replace" in result.output
    assert "Nothing was imported." in result.output
    assert table_rows() == before


def test_import_with_replace_puts_the_archive_in_place_of_everything(app, places, source):
    db.session.add(Division(lgd_code=77, name_en="Only here", name_hi="केवल यहाँ"))
    db.session.commit()
    result = flask(app, "import", "--replace", str(source.archive))
    assert result.exit_code == 0, result.output
    assert in_utc(table_rows()) == in_utc(source.rows)


def test_import_refuses_an_archive_of_another_revision(app, source, tmp_path):
    changed = rewrite(source.archive, tmp_path / "old.zip", lambda manifest, files:
                      manifest.update(alembic_revision="0123456789ab"))
    result = flask(app, "import", str(changed))
    assert result.exit_code == 1
    revision = manifest_of(source.archive)["alembic_revision"]
    assert f"made at database revision 0123456789ab, but this database is at {revision}" in result.output
    assert all(not rows for rows in table_rows().values())


def test_commands_speak_hindi_when_the_terminal_does(app, places, source):
    result = flask(app, "import", str(source.archive), env={"LANG": "hi_IN.UTF-8"})
    assert result.exit_code == 1
    assert "डेटाबेस खाली नहीं है" in result.output


# Damaged archives


def rewrite(original: Path, target: Path, change, reseal: bool = False) -> Path:
    """Copy an archive with its manifest and files changed; `reseal` recounts rows and checksums."""
    import hashlib
    with zipfile.ZipFile(original) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    manifest = json.loads(files.pop("manifest.json"))
    change(manifest, files)
    if reseal:
        for entry in manifest["tables"]:
            data = files[entry["file"]]
            entry["rows"], entry["sha256"] = data.count(b"\n"), hashlib.sha256(data).hexdigest()
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in files.items():
            archive.writestr(name, data)
        archive.writestr("manifest.json", json.dumps(manifest))
    return target


def _entry(manifest, name):
    return next(entry for entry in manifest["tables"] if entry["name"] == name)


def _change_last_line(files, manifest, table, column, value):
    entry = _entry(manifest, table)
    position = [c["name"] for c in entry["columns"]].index(column)
    lines = files[entry["file"]].decode().splitlines()
    row = json.loads(lines[-1])
    row[position] = value
    lines[-1] = json.dumps(row, ensure_ascii=False)
    files[entry["file"]] = ("\n".join(lines) + "\n").encode()


def _add_column(manifest, files):
    _entry(manifest, "users")["columns"].append({"name": "nickname", "type": "string"})


def _add_table(manifest, files):
    manifest["tables"].append({"name": "secrets", "file": "tables/secrets.jsonl", "rows": 0, "sha256": "",
                               "columns": []})
    files["tables/secrets.jsonl"] = b""


def _drop_table(manifest, files):
    manifest["tables"].remove(_entry(manifest, "session_modules"))


def _miscount(manifest, files):
    _entry(manifest, LAST_TABLE)["rows"] += 1


def _alter_a_value(manifest, files):
    _change_last_line(files, manifest, LAST_TABLE, "text", "बदला हुआ")


DAMAGE = {
    "no manifest": (lambda manifest, files: None, "it has no manifest.json"),
    "unknown table": (_add_table, "it has tables that Trainer does not know: secrets"),
    "missing table": (_drop_table, "it lacks the tables session_modules"),
    "unknown column": (_add_column, "the table users has columns that Trainer does not know: nickname"),
    "wrong row count": (_miscount, "rows, its manifest says"),
    "altered value": (_alter_a_value, "tables/feedback_answers.jsonl does not match its checksum"),
}
RESEALED = {  # damage with counts and checksums made to fit: found by reading the values themselves
    "text in a number column": (lambda m, f: _change_last_line(f, m, LAST_TABLE, "rating", "5"),
                                "has a bad rating: str found, int expected"),
    "time without offset": (lambda m, f: _change_last_line(f, m, "feedback_responses", "created_at",
                                                           "2026-07-21T11:00:00"), "has no UTC offset"),
    "value outside an enumeration": (lambda m, f: _change_last_line(f, m, "feedback_responses", "role", "guest"),
                                     "has a value its column does not allow"),
    "line not JSON": (lambda m, f: f.update({"tables/session_modules.jsonl": b"[1,\n"}), "is not JSON"),
    "broken foreign key": (lambda m, f: _change_last_line(f, m, LAST_TABLE, "question_id", 987654),
                           "The database refused the rows of feedback_answers"),
    # Refused on every database, as PostgreSQL refuses them, though SQLite alone would store both.
    "a 100,000-character username": (lambda m, f: _change_last_line(f, m, "users", "username", "x" * 100_000),
                                     "has a bad username: 1,00,000 characters, at most 64 fit"),
    "NUL in a string": (lambda m, f: _change_last_line(f, m, "users", "full_name", "राज्य\x00प्रशासक"),
                        "has a bad full_name: the text holds a NUL character"),
}


def _corrupt_bytes(original: Path, target: Path) -> Path:
    data = bytearray(original.read_bytes())
    with zipfile.ZipFile(original) as archive:
        info = archive.getinfo(f"tables/{LAST_TABLE}.jsonl")
    start = info.header_offset + 30 + len(info.filename.encode()) + len(info.extra)
    for offset in range(start + info.compress_size // 2, start + info.compress_size // 2 + 16):
        data[offset] ^= 0xFF
    target.write_bytes(bytes(data))
    return target


@pytest.mark.parametrize("damage", [*DAMAGE, *RESEALED, "not a zip", "corrupt bytes"])
def test_damaged_archive_is_refused_and_leaves_the_database_untouched(app, places, source, tmp_path, damage):
    path = tmp_path / "damaged.zip"
    if damage == "not a zip":
        path.write_bytes(b"PK\x03\x04 not really")
        expected = "it is not a ZIP file"
    elif damage == "corrupt bytes":
        _corrupt_bytes(source.archive, path)
        expected = "archive: "  # a failed checksum, undecodable data or lines that are not JSON, as it falls
    elif damage == "no manifest":
        with zipfile.ZipFile(source.archive) as original, zipfile.ZipFile(path, "w") as copy:
            for name in original.namelist():
                if name != "manifest.json":
                    copy.writestr(name, original.read(name))
        expected = DAMAGE[damage][1]
    else:
        change, expected = DAMAGE.get(damage) or RESEALED[damage]
        rewrite(source.archive, path, change, reseal=damage in RESEALED)
    before = table_rows()
    result = flask(app, "import", "--replace", str(path))  # --replace: the rows it deleted must come back
    assert result.exit_code == 1, result.output
    assert expected in result.output
    assert "Nothing was imported." in result.output
    if damage == "corrupt bytes":
        assert "is not a usable Trainer archive: " in result.output and "feedback_answers.jsonl" in result.output
    assert table_rows() == before


# Export


def test_export_reads_one_snapshot_while_others_write(app, places, make_user, database_url, tmp_path):
    from trainer.tools.archive import export_archive
    make_user("admin", Role.ADMIN)
    db.session.close()
    writer = create_engine(database_url, connect_args={"timeout": 0.2} if database_url.startswith("sqlite") else {})
    written = []

    def write_meanwhile(table, rows, seconds):
        if table != "divisions":
            return
        try:  # users are exported after divisions: a user added now must not be in the archive
            with writer.begin() as connection:
                connection.execute(insert(User.__table__).values(
                    username="late", full_name="", password_hash="x", role="admin", active=True,
                    created_at=datetime.now(UTC)))
            written.append(True)
        except OperationalError:  # SQLite: the export's read lock keeps writers out until it ends
            written.append(False)

    try:
        summary = export_archive(db.engine, tmp_path / "snapshot.zip", progress=write_meanwhile)
    finally:
        writer.dispose()
    # PostgreSQL lets the writer in and keeps it out of the export's snapshot; SQLite may hold it back.
    assert written == [True] or (written == [False] and db.engine.dialect.name == "sqlite")
    assert _entry(summary.manifest, "users")["rows"] == 1
    with zipfile.ZipFile(tmp_path / "snapshot.zip") as archive:
        assert b'"late"' not in archive.read("tables/users.jsonl")


def test_export_refuses_a_database_with_a_table_trainer_does_not_know(app, tmp_path):
    db.session.execute(text("CREATE TABLE stray_notes (id INTEGER PRIMARY KEY)"))
    db.session.commit()
    try:
        result = flask(app, "export", str(tmp_path / "all.zip"))
    finally:
        db.session.execute(text("DROP TABLE stray_notes"))
        db.session.commit()
    assert result.exit_code == 1
    assert "tables that Trainer does not know: stray_notes" in result.output
    assert not (tmp_path / "all.zip").exists()


# Values of every kind


KINDS = Table(
    "archive_value_kinds", MetaData(),
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("big", BigInteger), Column("blob", LargeBinary), Column("moment", DateTime(timezone=True)),
    Column("wall", DateTime()), Column("day", Date), Column("clock", Time), Column("span", Interval),
    Column("amount", Numeric(12, 4)), Column("ratio", Float), Column("key", Uuid),
    Column("doc", JSON, nullable=True), Column("words", Text), Column("code", String(8)),
)
AWKWARD = dict(big=2**62 + 1, blob=bytes(range(256)), moment=datetime(2026, 7, 21, 5, 30, 0, 654321, tzinfo=UTC),
               wall=datetime(2026, 7, 21, 11, 0, 0, 1), day=date(2026, 8, 15), clock=time(23, 59, 59, 999999),
               span=timedelta(days=3, microseconds=7), amount=Decimal("-12345678.0001"), ratio=0.1 + 0.2,
               key=uuid.UUID("12345678-1234-5678-1234-567812345678"),
               doc={"hi": "ग्राम सभा", "list": [1, 2.5, None, True], "z": {}}, words="पंक्ति एक\nपंक्ति दो\t✓",
               code="")


@pytest.mark.filterwarnings("ignore:Dialect sqlite\\+pysqlite does \\*not\\* support Decimal")
def test_values_of_every_column_type_come_back_equal_on_this_database(app):
    """Write awkward values, read them as export does, through JSON, and insert them as import does."""
    connection = db.session.connection()
    KINDS.create(connection)
    try:
        connection.execute(insert(KINDS), [dict(id=1, **AWKWARD), dict(id=3, **{name: None for name in AWKWARD})])
        for row in connection.execute(select(*(_read_expression(c) for c in KINDS.columns))).mappings().all():
            encoded = {name: None if value is None else codec_of(KINDS.c[name]).encode(value)
                       for name, value in row.items()}
            decoded = {name: None if value is None else codec_of(KINDS.c[name]).decode(value)
                       for name, value in json.loads(json.dumps(encoded)).items()}
            decoded["id"] += 1
            connection.execute(insert(KINDS), decoded)
        rows = connection.execute(select(KINDS).order_by(KINDS.c.id)).all()
        assert [row.id for row in rows] == [1, 2, 3, 4]
        assert rows[0][1:] == rows[1][1:] and rows[2][1:] == rows[3][1:]
        assert in_utc({"k": [rows[1][1:]]}) == in_utc({"k": [tuple(AWKWARD.values())]})
    finally:
        db.session.rollback()
        KINDS.drop(db.session.connection(), checkfirst=True)
        db.session.commit()


def test_every_column_of_the_models_has_a_codec(app):
    kinds = {codec_of(column).name for table in db.metadata.sorted_tables for column in table.columns}
    assert kinds <= set(CODECS)
    assert {"integer", "string", "enum", "boolean", "datetime", "date", "json"} <= kinds
