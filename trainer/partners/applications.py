"""Applications to calls: saving a draft, the PDFs brought with it, submitting it (which links it to the registry
of organisations and catches the same organisation applying twice), and finding one by reference and code.

Nothing here commits.
"""
import hashlib
import io
from dataclasses import dataclass
from datetime import date

import pypdfium2
from flask import current_app
from flask_babel import gettext
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from trainer.core import clock, codes
from trainer.core.database import utc_now
from trainer.core.forms import one_line
from trainer.extensions import db
from trainer.partners import call_questions, calls, services, states
from trainer.partners.models import (
    FILE_NAME_LENGTH_MAX,
    THEMES,
    Application,
    ApplicationAnswer,
    ApplicationChannel,
    ApplicationDocument,
    ApplicationState,
    ApplicationTheme,
    Call,
    OrganisationKind,
)
from trainer.partners.services import MatchReason, OrganisationValues, Person
from trainer.questionnaires import rules

CODE_PURPOSE = "application code"
CODE_DIGITS = 8


class ApplicationError(Exception):
    """What an application's rules refuse; `message` says why, in the page's language, and `problems` what is
    wrong with each answer to the call's questions, by the question's id."""

    def __init__(self, message, problems: dict[int, str] | None = None):
        super().__init__(str(message))
        self.message = message
        self.problems = problems or {}


@dataclass(frozen=True)
class ApplicationValues:
    """What an applicant gives about the organisation, the contact person and the themes applied for."""

    kind: OrganisationKind
    name_hi: str = ""
    name_en: str = ""
    darpan_id: str | None = None
    pan: str | None = None
    registration_number: str | None = None
    district_id: int | None = None
    contact_name: str = ""
    contact_mobile: str | None = None
    contact_email: str | None = None
    themes: tuple[str, ...] = ()


@dataclass(frozen=True)
class Upload:
    """A file sent for one of the call's documents."""

    call_document_id: int
    file_name: str
    content: bytes


def check_pdf(content: bytes) -> None:
    """Refuse what is too large or is not a PDF by its content (whatever its name says)."""
    limit = current_app.config["APPLICATION_DOCUMENT_MAX_BYTES"]
    if len(content) > limit:
        raise ApplicationError(_l("The file is larger than %(size)s MB.", size=limit // (1024 * 1024)))
    if not content.startswith(b"%PDF-"):
        raise ApplicationError(_l("This file is not a PDF. Attach the document as a PDF file."))
    try:
        document = pypdfium2.PdfDocument(io.BytesIO(content))
    except pypdfium2.PdfiumError:
        raise ApplicationError(_l("This PDF file is damaged or cannot be opened.")) from None
    try:
        if len(document) < 1:
            raise ApplicationError(_l("This PDF file has no pages."))
    finally:
        document.close()


def _reference(call: Call, number: int) -> str:
    return f"EOI-{call.id}-{number:06d}"


def _apply_values(application: Application, values: ApplicationValues) -> None:
    application.name_hi, application.name_en = values.name_hi.strip(), values.name_en.strip()
    application.kind = values.kind
    application.darpan_id = (values.darpan_id or "").strip() or None
    application.pan = services.normalise_identifier(values.pan)
    application.registration_number = (values.registration_number or "").strip() or None
    application.district_id = values.district_id
    application.contact_name = values.contact_name.strip()
    application.contact_mobile = values.contact_mobile
    application.contact_email = (values.contact_email or "").strip() or None
    chosen = [theme for theme in THEMES if theme in set(values.themes)]
    kept = {row.theme: row for row in application.themes}
    application.themes = [kept.get(theme) or ApplicationTheme(theme=theme) for theme in chosen]


def clean_file_name(sent: str | None) -> str:
    """Return the name of a sent file as staff download it: without folders or control characters."""
    name = one_line(sent or "").replace("\\", "/").rsplit("/", 1)[-1].strip()
    return name[:FILE_NAME_LENGTH_MAX] or "document.pdf"


def _attach(application: Application, uploads: tuple[Upload, ...]) -> None:
    asked = {document.id for document in application.call.documents}
    for upload in uploads:
        if upload.call_document_id not in asked:
            raise ApplicationError(_l("The call does not ask for this document."))
        check_pdf(upload.content)
        for old in [d for d in application.documents if d.call_document_id == upload.call_document_id]:
            application.documents.remove(old)
        application.documents.append(ApplicationDocument(
            call_document_id=upload.call_document_id, file_name=clean_file_name(upload.file_name),
            size=len(upload.content), sha256=hashlib.sha256(upload.content).hexdigest(), content=upload.content))


def _answer(application: Application, answers: dict[int, object] | None) -> None:
    """Put the answers given to the call's shown questions in place of the ones saved before (a draft may leave
    required ones empty: they are asked for on submission); refuse the whole change if any answer is wrong."""
    if answers is None:
        return
    questions = call_questions.questions_of(application.call)
    problems, made = {}, []
    for question in questions:
        values, problem = rules.answer_values(question, answers.get(question.id), required=False)
        if problem:
            problems[question.id] = problem
        made += [ApplicationAnswer(question_id=question.id, **value) for value in values]
    if problems:
        named = {question.id: question.question for question in questions}
        raise ApplicationError(_l("Correct the answers: %(what)s",
                                  what=" ".join(f"{named[key]}: {problem}" for key, problem in problems.items())),
                               problems)
    asked = {question.id for question in questions}
    for old in [answer for answer in application.answers if answer.question_id in asked]:
        application.answers.remove(old)
    application.answers.extend(made)


def unanswered_required(application: Application) -> list:
    """Return the call's shown required questions the application has not answered."""
    answered = {answer.question_id for answer in application.answers}
    return [question for question in call_questions.questions_of(application.call)
            if question.required and question.id not in answered]


def _takes_applications(call: Call, channel: ApplicationChannel, entered_by_id: int | None) -> bool:
    # Staff record what came on paper, by e-mail or in a file on the day they can, even after the call closed.
    return channel is not ApplicationChannel.ONLINE or entered_by_id is not None or calls.is_open(call)


def start_application(call: Call, values: ApplicationValues, uploads: tuple[Upload, ...] = (),
                      entered_by_id: int | None = None, channel: ApplicationChannel = ApplicationChannel.ONLINE,
                      received_on: date | None = None,
                      answers: dict[int, object] | None = None) -> tuple[Application, str]:
    """Save a new draft application to an open call (or one that staff received: its channel and day); return it
    with its secret code (shown once, kept hashed)."""
    if not _takes_applications(call, channel, entered_by_id):
        raise ApplicationError(_l("This call is not taking applications."))
    if channel is not ApplicationChannel.ONLINE:
        if received_on is None:
            raise ApplicationError(_l("Give the day the application was received."))
        if received_on > clock.today():
            raise ApplicationError(_l("The day the application was received cannot be in the future."))
    if not values.name_hi.strip() and not values.name_en.strip():
        raise ApplicationError(_l("Give the organisation's name in Hindi or in English."))
    number = (db.session.scalar(select(func.max(Application.number)).where(Application.call_id == call.id)) or 0) + 1
    reference = _reference(call, number)
    code = codes.new_code(CODE_DIGITS)
    application = Application(call=call, number=number, reference=reference,
                              code_hash=codes.code_hash(CODE_PURPOSE, reference, code), state=ApplicationState.DRAFT,
                              entered_by_id=entered_by_id, channel=channel,
                              received_on=received_on if channel is not ApplicationChannel.ONLINE else None)
    _apply_values(application, values)
    db.session.add(application)
    _attach(application, uploads)
    _answer(application, answers)
    db.session.flush()
    return application, code


def update_draft(application: Application, values: ApplicationValues, uploads: tuple[Upload, ...] = (),
                 answers: dict[int, object] | None = None) -> None:
    """Change a draft application, its documents and its answers to the call's questions (None: left as saved)."""
    if application.state is not ApplicationState.DRAFT:
        raise ApplicationError(_l("This application was already submitted: it can no longer be changed."))
    if not _takes_applications(application.call, application.channel, application.entered_by_id):
        raise ApplicationError(_l("This call is not taking applications."))
    if not values.name_hi.strip() and not values.name_en.strip():
        raise ApplicationError(_l("Give the organisation's name in Hindi or in English."))
    _apply_values(application, values)
    _attach(application, uploads)
    _answer(application, answers)
    db.session.flush()


def missing_for_submission(application: Application, documents: bool = True) -> list:
    """Return what is still missing before the application can be submitted (empty: it can be); `documents` False
    leaves the PDFs out (a line of an imported file brings none: they follow on paper)."""
    missing = []
    if not application.contact_name:
        missing.append(_l("the contact person's name"))
    if not application.contact_mobile:
        missing.append(_l("the contact person's mobile number"))
    if not application.themes:
        missing.append(_l("the themes applied for"))
    if not documents:
        return missing
    sent = {document.call_document_id for document in application.documents}
    missing += [document.name_hi or document.name_en for document in application.call.documents
                if document.required and document.id not in sent]
    missing += [question.question for question in unanswered_required(application)]
    return missing


def _organisation_values(application: Application) -> OrganisationValues:
    people = (Person(application.contact_name, "", application.contact_mobile, application.contact_email),) \
        if application.contact_name else ()
    return OrganisationValues(name_hi=application.name_hi, name_en=application.name_en, kind=application.kind,
                              darpan_id=application.darpan_id, pan=application.pan,
                              registration_number=application.registration_number,
                              district_id=application.district_id, themes=tuple(application.theme_keys),
                              people=people)


def submit(application: Application, user_id: int | None = None) -> Application:
    """Submit a draft: link it to the registry (the organisation with the same identifier, or a new one), and mark
    it a duplicate when the same organisation already applied to the call."""
    if application.state is not ApplicationState.DRAFT:
        raise ApplicationError(_l("This application was already submitted."))
    if not _takes_applications(application.call, application.channel, application.entered_by_id):
        raise ApplicationError(_l("This call is not taking applications."))
    missing = missing_for_submission(application, documents=application.channel is not ApplicationChannel.FILE)
    if missing:
        raise ApplicationError(_l("Still missing: %(what)s.", what=", ".join(str(item) for item in missing)),
                               {question.id: gettext("an answer is required.")
                                for question in unanswered_required(application)})
    values = _organisation_values(application)
    same = [match.organisation for match in services.possible_duplicates(values)
            if match.reason is MatchReason.SAME_IDENTIFIER]
    organisation = same[0] if same else services.save_organisation(values, user_id)
    if organisation.duplicate_of_id is not None:
        organisation = organisation.duplicate_of
    application.organisation = organisation
    first = db.session.scalar(select(Application).where(
        Application.call_id == application.call_id, Application.organisation_id == organisation.id,
        Application.id != application.id, Application.state.not_in([ApplicationState.DRAFT,
                                                                    ApplicationState.DUPLICATE]))
        .order_by(Application.id).limit(1))
    application.duplicate_of = first
    application.submitted_at = utc_now()
    states.change_state(application, ApplicationState.DUPLICATE if first is not None else ApplicationState.SUBMITTED,
                        by_id=user_id, by_applicant=user_id is None, at=application.submitted_at)
    return application


def receive(call: Call, values: ApplicationValues, uploads: tuple[Upload, ...], channel: ApplicationChannel,
            received_on: date, user_id: int | None,
            answers: dict[int, object] | None = None) -> tuple[Application, str]:
    """Record an application that came on paper, by e-mail or in a file, and submit it at once (flagged as a
    duplicate as a public one would be); return it with its secret code, for staff to pass on."""
    if channel is ApplicationChannel.ONLINE:
        raise ApplicationError(_l("Say how the application came: on paper or by e-mail."))
    application, code = start_application(call, values, uploads, entered_by_id=user_id, channel=channel,
                                          received_on=received_on, answers=answers)
    return submit(application, user_id), code


def find(reference: str, code: str) -> Application | None:
    """Return the application with this reference if the code is its own, else None."""
    reference = (reference or "").strip().upper()[:30]
    application = db.session.scalar(select(Application).where(Application.reference == reference))
    if application is None or not codes.code_is_right(CODE_PURPOSE, reference, application.code_hash, code):
        return None
    return application


def applications_of(call: Call) -> list[Application]:
    """Return a call's applications in the order they came."""
    return list(db.session.scalars(select(Application).where(Application.call_id == call.id)
                                   .order_by(Application.number)))


def application_of(call_id: int, application_id: int) -> Application | None:
    """Return a call's application by the ids in its address, or None."""
    if not all(0 < number < 2**31 for number in (call_id, application_id)):
        return None
    return db.session.scalar(select(Application).where(Application.id == application_id,
                                                       Application.call_id == call_id))


def document_of(call_id: int, application_id: int, document_id: int) -> ApplicationDocument | None:
    """Return an application's document by the ids in its address, or None."""
    if not all(0 < number < 2**31 for number in (call_id, application_id, document_id)):
        return None
    return db.session.scalar(select(ApplicationDocument).join(Application).where(
        ApplicationDocument.id == document_id, Application.id == application_id, Application.call_id == call_id))
