"""`flask demo`: a synthetic state at the model case's scale, with an account for each role."""
import click
from flask.cli import with_appcontext
from flask_babel import force_locale
from sqlalchemy import select

from trainer.accounts import services as accounts
from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.partners.applications import applications_of
from trainer.regions.importer import import_region_rows
from trainer.regions.models import Block, District, Division, GramPanchayat
from trainer.tools import demo_activity, demo_questions
from trainer.tools.demo_calls import ensure_demo_call, ensure_demo_selection
from trainer.tools.demo_campaigns import ensure_demo_campaign
from trainer.tools.demo_certificates import ensure_demo_certificates, ensure_demo_partner_certificates
from trainer.tools.demo_contacts import ensure_demo_contacts
from trainer.tools.demo_meetings import ensure_demo_offices, ensure_demo_review
from trainer.tools.demo_messages import ensure_demo_messages
from trainer.tools.demo_partners import ensure_demo_partner_marks, ensure_demo_partners, ensure_demo_plans
from trainer.tools.demo_programmes import ensure_demo_programmes, ensure_demo_webinar
from trainer.tools.demo_regions import demo_region_rows

DEMO_PASSWORD_PREFIX = "demo-"


def _first(model):
    return db.session.scalar(select(model).order_by(model.lgd_code).limit(1))


def ensure_demo_accounts() -> list[tuple[str, str, Role, object]]:
    """Create (or reset) one demo account per role; return (username, password, role, place)."""
    division = _first(Division)
    district = db.session.scalar(select(District).where(District.division_id == division.id)
                                 .order_by(District.lgd_code).limit(1))
    block = db.session.scalar(select(Block).where(Block.district_id == district.id)
                              .order_by(Block.lgd_code).limit(1))
    gram_panchayat = db.session.scalar(select(GramPanchayat).where(GramPanchayat.block_id == block.id)
                                       .order_by(GramPanchayat.lgd_code).limit(1))
    wanted = [
        ("admin", Role.ADMIN, None), ("trainer", Role.TRAINER, None), ("director", Role.DIRECTOR, None),
        ("district", Role.DISTRICT_OFFICER, district), ("block", Role.BLOCK_OFFICER, block),
        ("secretary", Role.SECRETARY, gram_panchayat),
    ]
    accounts_made = []
    for username, role, place in wanted:
        password = DEMO_PASSWORD_PREFIX + username
        code = place.lgd_code if place else None
        user = accounts.find_user(username)
        if user is None:
            user = accounts.create_user(username, password, role, code, full_name=f"Demo {role.value}")
        else:
            accounts.update_user(user, role=role, area_code=code, full_name=user.full_name)
            accounts.set_password(user, password)
            accounts.set_active(user, True)
        accounts_made.append((username, password, role, place))
    return accounts_made


@click.command("demo")
@with_appcontext
def demo_command():
    """Load the demo state (10 divisions, 52 districts, 313 blocks, 22,812 GPs), demo accounts, contacts, programmes, certificates, partner organisations, a call with its applications, a partner's plan and master trainers, a webinar for the partners, a campaign of SHG linkage, and the district's offices with their monthly review and its directives."""

    summary = import_region_rows(demo_region_rows())
    made = ensure_demo_accounts()
    contacts = ensure_demo_contacts()
    programmes = ensure_demo_programmes(clock.today())
    activity = [demo_activity.grow(programme) for programme in programmes]
    asked = [demo_questions.grow_questions(programme) for programme in programmes]
    messages = ensure_demo_messages(programmes)
    certificates = ensure_demo_certificates(programmes)
    partners = ensure_demo_partners()
    call = ensure_demo_call(clock.today())
    selected = ensure_demo_selection(call)
    plan, master_trainers = ensure_demo_plans(programmes, clock.today())
    webinar = ensure_demo_webinar(clock.today())
    webinar_partners, webinar_marks = ensure_demo_partner_marks(webinar, call)
    db.session.flush()
    partner_certificates = ensure_demo_partner_certificates(webinar)
    campaign = ensure_demo_campaign(clock.today(), programmes)
    demo_offices = ensure_demo_offices()
    review = ensure_demo_review(demo_offices, clock.today(), campaign)
    db.session.commit()
    with force_locale("en"):
        _echo_demo(summary, made)
        click.echo(f"\n{contacts:,} demo contacts of gram panchayats and officers (mobiles 9000000001 onward).")
        click.echo(f"{messages:,} demo messages of a feedback-reminder broadcast in the outbox.")
        click.echo(f"{certificates:,} demo certificates (one district's GPs of the first programme, and two of "
                   "appreciation).")
        click.echo(f"{partners:,} partner organisations in the registry (UNICEF, TRIF, Samarthan …; one flagged "
                   "as a duplicate).")
        click.echo(f"Call “{call.title_en}” (number {call.id}): {len(applications_of(call))} applications, from the "
                   "public page, a CSV import, on paper and by e-mail (one a duplicate); twenty reviewed by the demo "
                   f"admin and trainer, {selected} selected and the decisions published.")
        if plan is not None:
            click.echo(f"Annual plan {plan.reference} ({plan.year_label}) approved, one quarterly update overdue; "
                       f"{master_trainers} master trainers.")
        click.echo(f"Programme “{webinar.title_en}” (number {webinar.id}) reaches {webinar_partners} partner "
                   f"organisations; {webinar_marks} of their attendance marks so far; {partner_certificates} of them hold "
                   "its certificate of participation.")
        if campaign is not None:
            click.echo(f"Campaign “{campaign.title_en}” (number {campaign.id}): {len(campaign.indicators)} indicators, "
                       "weekly values of the district's GPs, the last week waiting for the district's approval.")
        if demo_offices:
            click.echo(f"{len(demo_offices)} offices of the district (DC, JSLPS DPMU, CMO, lead bank, block offices), "
                       "the demo district and block officers among their officers.")
        if review is not None:
            from trainer.meetings.directive_board import review_summary
            click.echo(review_summary(review))
        for programme, (marks, responses), questions in zip(programmes, activity, asked, strict=True):
            click.echo(f"\nProgramme “{programme.title_en}”: {len(programme.sessions)} sessions from "
                       f"{programme.first_day:%d %b %Y} to {programme.last_day:%d %b %Y}; "
                       f"{marks} attendance marks, {responses} feedback responses and {questions} questions added.")


def _echo_demo(summary, made) -> None:
    for counts in summary.levels.values():
        click.echo(f"{counts.label}: {counts.created} created, {counts.updated} updated, "
                   f"{counts.unchanged} unchanged")
    click.echo("\nDemo accounts (username / password / role / area):")
    for username, password, role, place in made:
        area = f"{place.lgd_code} {place.name_en} ({place.name_hi})" if place else "whole state"
        click.echo(f"  {username:<10} {password:<16} {role.value:<17} {area}")
