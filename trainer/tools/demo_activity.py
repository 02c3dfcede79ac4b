"""Attendance and feedback at realistic rates for a programme's held sessions: for `flask demo`, and at full
state scale for the report benchmark. Deterministic for a seed; written with bulk inserts."""
import random
from dataclasses import dataclass

from sqlalchemy import func, insert, select

from trainer.attendance import rules
from trainer.attendance.models import Attendance, AttendanceRevision, MarkSource, WatchMode
from trainer.core.database import bulk_insert
from trainer.extensions import db
from trainer.feedback import services as feedback
from trainer.feedback.models import Answer, QuestionKind, Response
from trainer.programmes.models import ParticipantRole, Programme, SessionStatus, TrainingSession
from trainer.regions.models import GramPanchayat

MODES = [(WatchMode.YOUTUBE, 45), (WatchMode.BLOCK_OFFICE, 25), (WatchMode.WEBCAST, 15),
         (WatchMode.VIDEO_CONFERENCE, 10), (None, 5)]
SUGGESTIONS = ["उदाहरण और अधिक हों", "आवाज़ कुछ जगह धीमी थी", "प्रश्नोत्तर का समय बढ़ाएँ",
               "ई-ग्रामस्वराज पर अलग सत्र चाहिए", "बहुत उपयोगी प्रशिक्षण", "पीडीएफ सामग्री भेजें",
               "नेटवर्क की समस्या रही", "अगला सत्र जल्दी हो"]


@dataclass(frozen=True)
class Rates:
    """How often GPs attend (rising from `attend_first` to `attend_last` over the calendar), and how many
    feedback responses come per attendance."""

    attend_first: float = 0.6
    attend_last: float = 0.85
    responses_per_attendance: float = 0.15


def standard_form(programme: Programme) -> list:
    """Give a programme the department's usual feedback form unless it has one."""
    existing = feedback.questions_of(programme, include_hidden=True)
    if existing:
        return existing
    return [
        feedback.add_question(programme, QuestionKind.RATING, "प्रशिक्षण की विषयवस्तु कैसी लगी?",
                              "How useful was the content?", required=True),
        feedback.add_question(programme, QuestionKind.RATING, "प्रशिक्षक ने विषय कितनी स्पष्टता से समझाया?",
                              "How clearly did the trainer explain?"),
        feedback.add_question(programme, QuestionKind.RATING, "प्रसारण (आवाज़ एवं चित्र) की गुणवत्ता?",
                              "Quality of the stream (sound and picture)?"),
        feedback.add_question(programme, QuestionKind.SINGLE, "आपने प्रशिक्षण कहाँ देखा?", "Where did you watch?",
                              options=[{"hi": "पंचायत भवन", "en": "Panchayat bhawan"},
                                       {"hi": "जनपद कार्यालय", "en": "Block office"},
                                       {"hi": "अपने मोबाइल पर", "en": "On my phone"}]),
        feedback.add_question(programme, QuestionKind.MULTIPLE, "कौन से भाग सबसे उपयोगी रहे?",
                              "Which parts were most useful?",
                              options=[{"hi": "प्रस्तुति", "en": "Presentation"}, {"hi": "उदाहरण", "en": "Examples"},
                                       {"hi": "प्रश्नोत्तर", "en": "Questions and answers"}]),
        feedback.add_question(programme, QuestionKind.LONG_TEXT, "आपके सुझाव", "Your suggestions"),
    ]


def grow(programme: Programme, rates: Rates = Rates(), seed: int = 2026, held_only: bool = True) -> tuple[int, int]:
    """Add attendance and feedback to the programme's sessions that have none yet; return (marks, responses)."""
    generator = random.Random(seed)
    questions = standard_form(programme)
    sessions = [s for s in sorted(programme.sessions, key=lambda s: s.starts_at)
                if s.status in (SessionStatus.COMPLETED, SessionStatus.LIVE) or not held_only]
    marks = responses = 0
    for rank, session in enumerate(sessions):
        if db.session.scalar(select(func.count()).where(Attendance.session_id == session.id)):
            continue
        rate = rates.attend_first + (rates.attend_last - rates.attend_first) * rank / max(len(sessions) - 1, 1)
        gp_ids = db.session.scalars(_targets(session)).all()
        present = [gp_id for gp_id in gp_ids if generator.random() < rate]
        _insert_attendance(session, present, generator)
        marks += len(present)
        responses += _insert_feedback(session, present, questions, rates, generator)
    db.session.flush()
    return marks, responses


def _targets(session: TrainingSession):
    return select(GramPanchayat.id).where(rules.invited_gram_panchayats(session)).order_by(GramPanchayat.id)


def _insert_attendance(session: TrainingSession, gp_ids: list[int], generator: random.Random) -> None:
    marked_at, session_id, source = session.starts_at, session.id, MarkSource.POSTER.value
    rows = []
    for gp_id in gp_ids:
        sarpanch, secretary = 1, 1
        ward, shg = generator.randint(2, 8), generator.randint(0, 4)
        other = generator.randint(0, 3)
        mode = generator.choices([m for m, _ in MODES], weights=[w for _, w in MODES])[0]
        rows.append(dict(session_id=session_id, gram_panchayat_id=gp_id, revision=1, participants=
                         sarpanch + secretary + ward + shg + other, count_sarpanch=sarpanch,
                         count_secretary=secretary, count_ward_member=ward, count_shg_member=shg,
                         count_other=other, mode=mode.value if mode else None, source=source,
                         first_marked_at=marked_at, marked_at=marked_at))
    bulk_insert(Attendance.__table__, rows)
    columns = ("participants", "count_sarpanch", "count_secretary", "count_ward_member", "count_shg_member",
               "count_other", "mode", "source", "marked_by_id", "revision", "marked_at")
    table = Attendance.__table__
    db.session.execute(insert(AttendanceRevision).from_select(
        ["attendance_id", *columns],
        select(table.c.id, *(table.c[column] for column in columns)).where(table.c.session_id == session.id)))


def _insert_feedback(session, gp_ids, questions, rates: Rates, generator: random.Random) -> int:
    wanted = []
    for gp_id in gp_ids:
        count = int(rates.responses_per_attendance) + (generator.random() < rates.responses_per_attendance % 1)
        wanted.extend([gp_id] * count)
    if not wanted:
        return 0
    roles = list(ParticipantRole)
    rows = [dict(session_id=session.id, gram_panchayat_id=gp_id, role=generator.choice(roles).value, name="",
                 anonymous=generator.random() < 0.3, without_attendance=False,
                 nonce=f"demo-{session.id}-{number}", created_at=session.ends_at)
            for number, gp_id in enumerate(wanted)]
    bulk_insert(Response.__table__, rows)
    response_ids = db.session.scalars(select(Response.id).where(Response.session_id == session.id,
                                                                Response.nonce.like("demo-%"))).all()
    answers = []
    for response_id in response_ids:
        for question in questions:
            answers.extend(_answers(question, response_id, generator))
    bulk_insert(Answer.__table__, answers)
    return len(rows)


def _answers(question, response_id: int, generator: random.Random) -> list[dict]:
    """Return answer rows with every column given (one executemany needs the same keys in each row)."""
    return [{"response_id": response_id, "question_id": question.id, "rating": None, "option_key": None,
             "text": None, **row} for row in _answer_values(question, generator)]


def _answer_values(question, generator: random.Random) -> list[dict]:
    if question.kind is QuestionKind.RATING:
        rating = generator.choices([1, 2, 3, 4, 5], weights=[2, 5, 18, 40, 35])[0]
        return [dict(rating=rating)]
    if question.kind is QuestionKind.SINGLE:
        return [dict(option_key=generator.choices(question.options, weights=[50, 30, 20])[0]["key"])]
    if question.kind is QuestionKind.MULTIPLE:
        chosen = [o["key"] for o in question.options if generator.random() < 0.5] or [question.options[0]["key"]]
        return [dict(option_key=key) for key in chosen]
    if generator.random() < 0.2:
        return [dict(text=generator.choice(SUGGESTIONS))]
    return []

