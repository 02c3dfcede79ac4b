"""A call's applications as one table, for the call's planners: every field an organisation gave (identifiers,
district, contact, themes, the documents sent), where it stands (state, channel, day, a duplicate's first
application, the decision prepared or published) and its answer to each question of the form, one column per
question. The same table is the CSV file and the workbook (trainer.core.tables writes both).
"""
from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from trainer.core import clock
from trainer.core.i18n import pick
from trainer.core.tables import Table, csv_bytes, xlsx_bytes
from trainer.extensions import db
from trainer.partners import call_questions
from trainer.partners.models import THEME_LABELS, Application, ApplicationState, Call
from trainer.questionnaires import rules


def _applications(call: Call, state: ApplicationState | None) -> list[Application]:
    query = (select(Application).where(Application.call_id == call.id).order_by(Application.number)
             .options(selectinload(Application.themes), selectinload(Application.documents),
                      selectinload(Application.answers), selectinload(Application.decision),
                      selectinload(Application.duplicate_of), selectinload(Application.district)))
    if state is not None:
        query = query.where(Application.state == state)
    return list(db.session.scalars(query))


def _day(application: Application) -> str:
    if application.received_on is not None:
        return application.received_on.isoformat()
    if application.submitted_at is not None:
        return clock.local_day(application.submitted_at).isoformat()
    return ""


def _decision(application: Application) -> str:
    decision = application.decision
    if decision is None:
        return ""
    if decision.published_at is None:
        return _("%(outcome)s (prepared, not yet published)", outcome=decision.outcome.label)
    return str(decision.outcome.label)


def applications_table(call: Call, state: ApplicationState | None = None) -> Table:
    """The call's applications (of one state, or all), one row each, with every answer."""
    questions = call_questions.questions_of(call, include_hidden=True)
    headers = [_("Reference"), _("Status"), _("Channel"), _("Submitted or received on"), _("Name (Hindi)"),
               _("Name (English)"), _("Kind"), _("Darpan ID"), _("PAN"), _("Registration number"), _("District"),
               _("Contact person"), _("Mobile"), _("E-mail"), _("Themes"), _("Documents sent"),
               _("Duplicate of"), _("Decision"), *(pick(q.text_hi, q.text_en) for q in questions)]
    rows = [[application.reference, str(application.state.label), str(application.channel.label), _day(application),
             application.name_hi, application.name_en, str(application.kind.label), application.darpan_id or "",
             application.pan or "", application.registration_number or "",
             pick(application.district.name_hi, application.district.name_en) if application.district else "",
             application.contact_name, application.contact_mobile or "", application.contact_email or "",
             ", ".join(str(THEME_LABELS[theme]) for theme in application.theme_keys),
             ", ".join(document.file_name for document in application.documents),
             application.duplicate_of.reference if application.duplicate_of else "", _decision(application),
             *(rules.shown_answer(question, application.answers) for question in questions)]
            for application in _applications(call, state)]
    return Table(_("Applications"), headers, rows)


def applications_csv(call: Call, state: ApplicationState | None = None) -> bytes:
    return csv_bytes(applications_table(call, state))


def applications_xlsx(call: Call, state: ApplicationState | None = None) -> bytes:
    return xlsx_bytes([applications_table(call, state)])
