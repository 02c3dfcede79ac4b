"""The rules of live questions: who may ask and support, the moderators' actions, and the lists the pages show.

Services take plain values, add and flush, never commit. Every change of a question's state writes a
QuestionEvent (who, when, from, to, why); nothing is deleted. Only gram panchayats marked present at a session
(an attendance row) may ask or support there.
"""
import re
from dataclasses import dataclass
from datetime import datetime

from flask import current_app
from flask_babel import gettext as _
from sqlalchemy import and_, func, select
from sqlalchemy.exc import IntegrityError

from trainer.accounts.models import User
from trainer.attendance import rules
from trainer.attendance.models import Attendance
from trainer.core.database import utc_now
from trainer.core.forms import has_control_characters
from trainer.core.roles import PLANNERS, STAFF_ROLES
from trainer.extensions import db
from trainer.programmes.models import TrainingSession
from trainer.questions.models import (
    ANSWER_LENGTH,
    NOTE_LENGTH,
    SHOWN_STATES,
    TEXT_LENGTH,
    AskerKind,
    LiveQuestion,
    QuestionEvent,
    QuestionModerator,
    QuestionState,
    QuestionSupport,
    SetAsideReason,
)
from trainer.regions.areas import Area
from trainer.regions.models import Block, District, GramPanchayat

PAGE_SIZE = 50
PUBLIC_PAGE_SIZE = 20
SIMILAR_LIMIT = 8
# Markup is refused rather than stored: a question is plain text, and "<script>" in one is never a question.
_MARKUP = re.compile(r"<\s*/?\s*[a-zA-Z!?]")
_WORD = re.compile(r"\w+")


class QuestionError(Exception):
    """A question, support or moderation that was refused; nothing was changed."""

    def __init__(self, message: str, status: int = 422) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


# Who may ask, support and moderate


def is_present(session_id: int, gram_panchayat_id: int | None) -> bool:
    """Say whether a gram panchayat is marked present at a session: the condition of asking and supporting."""
    if gram_panchayat_id is None:
        return False
    return db.session.scalar(select(Attendance.id).where(
        Attendance.session_id == session_id, Attendance.gram_panchayat_id == gram_panchayat_id)) is not None


def takes_questions(session: TrainingSession) -> bool:
    """Say whether a session has questions at all: one that can be marked (published, live or held)."""
    return rules.can_be_marked(session)


def can_moderate(user, session: TrainingSession) -> bool:
    """Say whether a user may moderate a session's questions: a planner, or a moderator the trainer added."""
    if not user.is_authenticated or not user.active:
        return False
    if user.has_role(*PLANNERS):
        return True
    return db.session.scalar(select(QuestionModerator.id).where(
        QuestionModerator.session_id == session.id, QuestionModerator.user_id == user.id)) is not None


def moderators_of(session: TrainingSession) -> list[QuestionModerator]:
    """Return the moderators added to a session, by name."""
    return list(db.session.scalars(
        select(QuestionModerator).join(User, User.id == QuestionModerator.user_id)
        .where(QuestionModerator.session_id == session.id).order_by(User.username)))


def add_moderator(session: TrainingSession, username: str, added_by_id: int | None) -> QuestionModerator:
    """Let a staff member moderate a session's questions."""
    username = (username or "").strip()
    user = db.session.scalar(select(User).where(User.username == username)) if username else None
    if user is None or not user.active:
        raise QuestionError(_("No active account is called “%(name)s”.", name=username))
    if not user.has_role(*STAFF_ROLES):
        raise QuestionError(_("Only the department's staff can moderate questions."))
    if user.has_role(*PLANNERS):
        raise QuestionError(_("%(name)s already moderates every session.", name=user.username))
    existing = db.session.scalar(select(QuestionModerator).where(
        QuestionModerator.session_id == session.id, QuestionModerator.user_id == user.id))
    if existing is not None:
        raise QuestionError(_("%(name)s already moderates this session.", name=user.username))
    moderator = QuestionModerator(session_id=session.id, user_id=user.id, added_by_id=added_by_id)
    db.session.add(moderator)
    db.session.flush()
    return moderator


def remove_moderator(session: TrainingSession, moderator_id: int | None) -> None:
    """Stop a moderator of the session moderating it."""
    moderator = db.session.get(QuestionModerator, moderator_id) if moderator_id else None
    if moderator is None or moderator.session_id != session.id:
        raise QuestionError(_("This moderator is not one of this session's."), 404)
    db.session.delete(moderator)
    db.session.flush()


# Asking and supporting


def clean_text(text: str | None, limit: int = TEXT_LENGTH, what: str = "question") -> str:
    """Return the text of a question or answer as it will be kept, or raise QuestionError saying what is wrong."""
    text = (text or "").strip()
    if not text:
        raise QuestionError(_("Write your question first.") if what == "question" else _("Write the answer first."))
    if len(text) > limit:
        raise QuestionError(_("Keep it to %(limit)s characters: this text has %(count)s.", limit=limit,
                              count=len(text)))
    if has_control_characters(text.replace("\n", " ")):
        raise QuestionError(_("The text holds characters that cannot be shown. Type it again."))
    if _MARKUP.search(text):
        raise QuestionError(_("Write plain text, without the marks < and >."))
    return text


def _limit_per_gp() -> int:
    return current_app.config["QUESTIONS_PER_GP_PER_SESSION"]


def questions_left(session: TrainingSession, gram_panchayat_id: int) -> int:
    """Return how many more questions a gram panchayat may ask at a session."""
    asked = db.session.scalar(select(func.count(LiveQuestion.id)).where(
        LiveQuestion.session_id == session.id, LiveQuestion.gram_panchayat_id == gram_panchayat_id)) or 0
    return max(0, _limit_per_gp() - asked)


def ask(session: TrainingSession, gram_panchayat: GramPanchayat | None, text: str | None,
        module_id: int | None = None, asker: AskerKind | None = None, now: datetime | None = None) -> LiveQuestion:
    """Record a question of a gram panchayat present at the session, waiting for moderation."""
    if not takes_questions(session):
        raise QuestionError(_("This session takes no questions."), 404)
    if gram_panchayat is None:
        raise QuestionError(_("This phone has not marked attendance at this session: mark it first, then ask."),
                            403)
    # The GP's attendance row, locked: two questions sent at the same instant are counted one after the other.
    present = db.session.scalar(select(Attendance.id).where(
        Attendance.session_id == session.id, Attendance.gram_panchayat_id == gram_panchayat.id).with_for_update())
    if present is None:
        raise QuestionError(_("Only gram panchayats marked present at this session can ask. Mark attendance "
                              "first."), 403)
    text = clean_text(text)
    if module_id is not None and module_id not in {module.id for module in session.programme.modules}:
        raise QuestionError(_("Choose one of this programme's modules."))
    if questions_left(session, gram_panchayat.id) <= 0:
        raise QuestionError(_("Your gram panchayat has already asked %(count)s questions at this session, the "
                              "most it may.", count=_limit_per_gp()), 429)
    moment = now or utc_now()
    question = LiveQuestion(session_id=session.id, gram_panchayat_id=gram_panchayat.id, module_id=module_id,
                            asker=asker, text=text, state=QuestionState.PENDING, created_at=moment,
                            updated_at=moment)
    db.session.add(question)
    db.session.flush()
    db.session.add(QuestionEvent(question_id=question.id, gram_panchayat_id=gram_panchayat.id, from_state=None,
                                 to_state=QuestionState.PENDING, note="", at=moment))
    db.session.flush()
    return question


def support(session: TrainingSession, gram_panchayat: GramPanchayat | None, question_id: int | None) -> None:
    """Record that a gram panchayat present at the session has the same question ("मेरा भी यही प्रश्न है")."""
    if gram_panchayat is None or not is_present(session.id, gram_panchayat.id):
        raise QuestionError(_("Only gram panchayats marked present at this session can support a question."), 403)
    question = db.session.get(LiveQuestion, question_id) if question_id else None
    if question is None or question.session_id != session.id or question.state not in SHOWN_STATES:
        raise QuestionError(_("This question is not one of this session's visible questions."), 404)
    if question.gram_panchayat_id == gram_panchayat.id:
        raise QuestionError(_("This is your own question: it already counts for your gram panchayat."))
    try:
        with db.session.begin_nested():
            db.session.add(QuestionSupport(question_id=question.id, gram_panchayat_id=gram_panchayat.id))
    except IntegrityError:
        raise QuestionError(_("Your gram panchayat already supports this question.")) from None


# Moderation


def _change(question: LiveQuestion, to_state: QuestionState, user_id: int | None, note: str = "",
            now: datetime | None = None) -> None:
    moment = now or utc_now()
    db.session.add(QuestionEvent(question_id=question.id, user_id=user_id, from_state=question.state,
                                 to_state=to_state, note=note[:NOTE_LENGTH], at=moment))
    question.state = to_state
    question.updated_at = moment


def approve(question: LiveQuestion, user_id: int | None) -> None:
    """Make a waiting (or set aside) question visible to the session's gram panchayats."""
    if question.state not in (QuestionState.PENDING, QuestionState.SET_ASIDE):
        raise QuestionError(_("Only a question waiting for moderation or set aside can be approved."), 409)
    question.set_aside_reason, question.merged_into_id = None, None
    _change(question, QuestionState.VISIBLE, user_id)
    db.session.flush()


def now_answering(session_id: int) -> LiveQuestion | None:
    """Return the question pinned as being answered live at a session, if any."""
    return db.session.scalar(select(LiveQuestion).where(
        LiveQuestion.session_id == session_id, LiveQuestion.state == QuestionState.ANSWERING)
        .order_by(LiveQuestion.updated_at.desc()).limit(1))


def pin(question: LiveQuestion, user_id: int | None) -> None:
    """Pin a question as the one the experts answer now; the one pinned before goes back to the visible ones."""
    if question.state not in (QuestionState.PENDING, QuestionState.VISIBLE):
        raise QuestionError(_("Only a waiting or visible question can be pinned."), 409)
    # The session's row, locked: two moderators pinning at once pin one after the other, never two at a time.
    db.session.execute(select(TrainingSession.id).where(TrainingSession.id == question.session_id)
                       .with_for_update())
    for other in db.session.scalars(select(LiveQuestion).where(
            LiveQuestion.session_id == question.session_id, LiveQuestion.state == QuestionState.ANSWERING)):
        _change(other, QuestionState.VISIBLE, user_id, _("Another question was pinned"))
    db.session.flush()  # the one pinned before leaves first: the database holds one pinned question a session
    _change(question, QuestionState.ANSWERING, user_id)
    db.session.flush()


def unpin(question: LiveQuestion, user_id: int | None) -> None:
    """Take a question off the stream without answering it: it is visible again."""
    if question.state is not QuestionState.ANSWERING:
        raise QuestionError(_("This question is not being answered now."), 409)
    _change(question, QuestionState.VISIBLE, user_id)
    db.session.flush()


def answer(question: LiveQuestion, user_id: int | None, text: str | None, now: datetime | None = None) -> None:
    """Record the experts' written answer (live or later); an answered question's answer may be corrected."""
    if question.state is QuestionState.SET_ASIDE:
        raise QuestionError(_("A question set aside cannot be answered: approve it first."), 409)
    text = clean_text(text, ANSWER_LENGTH, what="answer")
    moment = now or utc_now()
    note = _("Answer corrected") if question.state is QuestionState.ANSWERED else ""
    question.answer, question.answered_by_id, question.answered_at = text, user_id, moment
    _change(question, QuestionState.ANSWERED, user_id, note, moment)
    db.session.flush()


def set_aside(question: LiveQuestion, user_id: int | None, reason: SetAsideReason | None,
              merged_into_id: int | None = None) -> None:
    """Set a question aside, with its reason; a duplicate is merged into another question of the session,
    whose supports it gains (the duplicate's asker among them)."""
    if reason is None:
        raise QuestionError(_("Choose why the question is set aside."))
    if question.state in (QuestionState.SET_ASIDE, QuestionState.ANSWERED):
        raise QuestionError(_("This question is already answered or set aside."), 409)
    target = None
    if reason is SetAsideReason.DUPLICATE:
        target = db.session.get(LiveQuestion, merged_into_id) if merged_into_id else None
        if target is None or target.session_id != question.session_id or target.id == question.id:
            raise QuestionError(_("Choose the question of this session that it duplicates."))
        if target.state is QuestionState.SET_ASIDE:
            raise QuestionError(_("A question cannot be merged into one that is set aside."))
        _merge_supports(question, target)
    question.set_aside_reason = reason
    question.merged_into_id = target.id if target is not None else None
    note = _("Merged into question %(number)s", number=target.id) if target is not None else str(reason.label)
    _change(question, QuestionState.SET_ASIDE, user_id, note)
    db.session.flush()


def _merge_supports(duplicate: LiveQuestion, target: LiveQuestion) -> None:
    """Give the target a support from the duplicate's asker and supporters that it does not have yet."""
    gps = set(db.session.scalars(select(QuestionSupport.gram_panchayat_id)
                                 .where(QuestionSupport.question_id == duplicate.id)))
    gps.add(duplicate.gram_panchayat_id)
    gps -= set(db.session.scalars(select(QuestionSupport.gram_panchayat_id)
                                  .where(QuestionSupport.question_id == target.id)))
    gps.discard(target.gram_panchayat_id)
    db.session.add_all(QuestionSupport(question_id=target.id, gram_panchayat_id=gp) for gp in sorted(gps))


ACTIONS = ("approve", "pin", "unpin", "answer", "set_aside")


def moderate(session: TrainingSession, question_id: int | None, action: str, user_id: int | None,
             answer_text: str | None = None, reason: str | None = None, merged_into_id: int | None = None
             ) -> LiveQuestion:
    """Apply one moderator's action to a question of the session."""
    question = db.session.get(LiveQuestion, question_id) if question_id else None
    if question is None or question.session_id != session.id:
        raise QuestionError(_("This question is not one of this session's."), 404)
    if action == "approve":
        approve(question, user_id)
    elif action == "pin":
        pin(question, user_id)
    elif action == "unpin":
        unpin(question, user_id)
    elif action == "answer":
        answer(question, user_id, answer_text)
    elif action == "set_aside":
        chosen = SetAsideReason(reason) if reason in set(SetAsideReason) else None
        set_aside(question, user_id, chosen, merged_into_id)
    else:
        raise QuestionError(_("Choose what to do with the question."), 400)
    return question


# What the pages show


@dataclass(frozen=True)
class QuestionRow:
    """A question as the lists show it, with its gram panchayat's places and its supports."""

    id: int
    text: str
    state: QuestionState
    set_aside_reason: SetAsideReason | None
    merged_into_id: int | None
    answer: str
    created_at: datetime
    answered_at: datetime | None
    module_id: int | None
    asker: AskerKind | None
    supports: int
    gp_hi: str
    gp_en: str
    block_hi: str
    block_en: str
    district_hi: str
    district_en: str
    district_id: int
    gp_code: int
    block_code: int
    district_code: int


def supports_subquery():
    """Count each question's supports: (question_id, supports)."""
    return (select(QuestionSupport.question_id.label("question_id"), func.count().label("supports"))
            .group_by(QuestionSupport.question_id).subquery())


def _rows_query():
    counts = supports_subquery()
    supports = func.coalesce(counts.c.supports, 0)
    query = (select(LiveQuestion.id, LiveQuestion.text, LiveQuestion.state, LiveQuestion.set_aside_reason,
                    LiveQuestion.merged_into_id, LiveQuestion.answer, LiveQuestion.created_at,
                    LiveQuestion.answered_at, LiveQuestion.module_id, LiveQuestion.asker, supports.label("supports"),
                    GramPanchayat.name_hi, GramPanchayat.name_en, Block.name_hi, Block.name_en, District.name_hi,
                    District.name_en, District.id, GramPanchayat.lgd_code, Block.lgd_code, District.lgd_code)
             .join(GramPanchayat, GramPanchayat.id == LiveQuestion.gram_panchayat_id)
             .join(Block, Block.id == GramPanchayat.block_id).join(District, District.id == Block.district_id)
             .outerjoin(counts, counts.c.question_id == LiveQuestion.id))
    return query, supports


@dataclass(frozen=True)
class Filters:
    """What the moderators' queue is narrowed to."""

    state: QuestionState | None = None
    module_id: int | None = None
    district_id: int | None = None
    text: str = ""
    order: str = "oldest"  # oldest, newest, supported


@dataclass
class Page:
    """One page of questions, with how many there are in all."""

    rows: list[QuestionRow]
    total: int
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _conditions(session_id: int, filters: Filters, area: Area | None = None) -> list:
    conditions = [LiveQuestion.session_id == session_id]
    if filters.state is not None:
        conditions.append(LiveQuestion.state == filters.state)
    if filters.module_id is not None:
        conditions.append(LiveQuestion.module_id == filters.module_id)
    if filters.district_id is not None:
        conditions.append(District.id == filters.district_id)
    if filters.text:
        conditions.append(LiveQuestion.text.contains(filters.text, autoescape=True))
    if area is not None and not area.is_state:
        conditions.append(area.condition(GramPanchayat))
    return conditions


def question_page(session_id: int, filters: Filters, page: int = 1, per_page: int = PAGE_SIZE,
                  area: Area | None = None) -> Page:
    """Return a page of a session's questions narrowed by the filters: two statements, whatever their number."""
    query, supports = _rows_query()
    conditions = _conditions(session_id, filters, area)
    total = db.session.scalar(
        select(func.count(LiveQuestion.id)).join(GramPanchayat, GramPanchayat.id == LiveQuestion.gram_panchayat_id)
        .join(Block, Block.id == GramPanchayat.block_id).join(District, District.id == Block.district_id)
        .where(*conditions)) or 0
    order = {"newest": (LiveQuestion.created_at.desc(), LiveQuestion.id.desc()),
             "supported": (supports.desc(), LiveQuestion.created_at.desc(), LiveQuestion.id.desc())}.get(
        filters.order, (LiveQuestion.created_at, LiveQuestion.id))
    rows = db.session.execute(query.where(*conditions).order_by(*order)
                              .limit(per_page).offset((page - 1) * per_page))
    return Page([QuestionRow(*row) for row in rows], total, page, per_page)


def state_counts(session_id: int, area: Area | None = None) -> dict[QuestionState, int]:
    """Count a session's questions in each state (of an area's gram panchayats only, if given)."""
    query = select(LiveQuestion.state, func.count()).where(LiveQuestion.session_id == session_id)
    if area is not None and not area.is_state:
        query = query.join(GramPanchayat, GramPanchayat.id == LiveQuestion.gram_panchayat_id).where(
            area.condition(GramPanchayat))
    counted = dict(db.session.execute(query.group_by(LiveQuestion.state)).all())
    return {state: counted.get(state, 0) for state in QuestionState}


def question_districts(session_id: int) -> list[District]:
    """Return the districts whose gram panchayats asked at the session, for the queue's filter."""
    return list(db.session.scalars(
        select(District).where(District.id.in_(
            select(Block.district_id).join(GramPanchayat, GramPanchayat.block_id == Block.id)
            .join(LiveQuestion, LiveQuestion.gram_panchayat_id == GramPanchayat.id)
            .where(LiveQuestion.session_id == session_id))).order_by(District.name_hi)))


def row_of(question_id: int) -> QuestionRow | None:
    """Return one question as the lists show it."""
    query, _supports = _rows_query()
    row = db.session.execute(query.where(LiveQuestion.id == question_id)).first()
    return QuestionRow(*row) if row is not None else None


def asked_by(session_id: int, gram_panchayat_id: int) -> list[QuestionRow]:
    """Return what a gram panchayat asked at a session, newest first, with what became of each."""
    query, _supports = _rows_query()
    return [QuestionRow(*row) for row in db.session.execute(
        query.where(LiveQuestion.session_id == session_id, LiveQuestion.gram_panchayat_id == gram_panchayat_id)
        .order_by(LiveQuestion.created_at.desc(), LiveQuestion.id.desc()))]


def supported_by(session_id: int, gram_panchayat_id: int | None) -> set[int]:
    """Return the ids of the session's questions that a gram panchayat supports."""
    if gram_panchayat_id is None:
        return set()
    return set(db.session.scalars(
        select(QuestionSupport.question_id).join(LiveQuestion, LiveQuestion.id == QuestionSupport.question_id)
        .where(LiveQuestion.session_id == session_id, QuestionSupport.gram_panchayat_id == gram_panchayat_id)))


def shown_page(session_id: int, order: str, page: int) -> Page:
    """Return a page of the questions the session's gram panchayats see: newest or most supported first."""
    query, supports = _rows_query()
    condition = and_(LiveQuestion.session_id == session_id, LiveQuestion.state.in_(SHOWN_STATES))
    total = db.session.scalar(select(func.count(LiveQuestion.id)).where(condition)) or 0
    order_by = ((supports.desc(), LiveQuestion.created_at.desc()) if order == "supported"
                else (LiveQuestion.created_at.desc(),))
    rows = db.session.execute(query.where(condition).order_by(*order_by, LiveQuestion.id.desc())
                              .limit(PUBLIC_PAGE_SIZE).offset((page - 1) * PUBLIC_PAGE_SIZE))
    return Page([QuestionRow(*row) for row in rows], total, page, PUBLIC_PAGE_SIZE)


def answered_questions(session_id: int, limit: int = 200) -> list[QuestionRow]:
    """Return a session's answered questions, most supported first: its FAQ."""
    query, supports = _rows_query()
    return [QuestionRow(*row) for row in db.session.execute(
        query.where(LiveQuestion.session_id == session_id, LiveQuestion.state == QuestionState.ANSWERED)
        .order_by(supports.desc(), LiveQuestion.answered_at, LiveQuestion.id).limit(limit))]


def events_of(question_id: int) -> list[QuestionEvent]:
    """Return a question's history, oldest first."""
    return list(db.session.scalars(select(QuestionEvent).where(QuestionEvent.question_id == question_id)
                                   .order_by(QuestionEvent.at, QuestionEvent.id)))


# Similar questions


def _words(text: str) -> set[str]:
    return {word.casefold() for word in _WORD.findall(text) if len(word) > 1}


def _trigrams(text: str) -> set[str]:
    squeezed = " ".join(_WORD.findall(text.casefold()))
    return {squeezed[i:i + 3] for i in range(max(0, len(squeezed) - 2))}


def similarity(one: str, other: str) -> float:
    """Return how alike two questions read, 0 to 1: the mean of their word and character-trigram overlaps."""
    scores = []
    for parts in (_words, _trigrams):
        a, b = parts(one), parts(other)
        scores.append(len(a & b) / len(a | b) if a and b else 0.0)
    return sum(scores) / len(scores)


def similar_questions(question: LiveQuestion, limit: int = SIMILAR_LIMIT, threshold: float = 0.25
                      ) -> list[tuple[float, QuestionRow]]:
    """Return the session's other questions (not set aside) that read most like this one: merge candidates.

    The texts are compared in Python, in one pass over the session's questions (a few thousand short texts).
    """
    candidates = db.session.execute(select(LiveQuestion.id, LiveQuestion.text).where(
        LiveQuestion.session_id == question.session_id, LiveQuestion.id != question.id,
        LiveQuestion.state != QuestionState.SET_ASIDE)).all()
    scored = sorted(((similarity(question.text, text), qid) for qid, text in candidates), reverse=True)
    best = [(score, qid) for score, qid in scored[:limit] if score >= threshold]
    if not best:
        return []
    query, _supports = _rows_query()
    rows = {row[0]: QuestionRow(*row) for row in db.session.execute(
        query.where(LiveQuestion.id.in_([qid for _score, qid in best])))}
    return [(score, rows[qid]) for score, qid in best if qid in rows]

