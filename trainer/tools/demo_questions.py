"""Questions of the panchayats for a programme's held sessions, for `flask demo`: a few GPs present ask, others
support, moderators approve, answer and set aside. Deterministic for a seed; written with bulk inserts."""
import random
from datetime import timedelta

from sqlalchemy import func, select

from trainer.attendance.models import Attendance
from trainer.core.database import bulk_insert
from trainer.extensions import db
from trainer.programmes.models import Programme, SessionStatus
from trainer.questions.models import LiveQuestion, QuestionEvent, QuestionState, QuestionSupport, SetAsideReason

QUESTIONS = [
    ("पंचायत भवन की मरम्मत के लिए राशि कब मिलेगी?", "राशि पंद्रहवें वित्त आयोग की अगली किस्त के साथ जारी होगी।"),
    ("मनरेगा में मजदूरी का भुगतान देर से क्यों होता है?", "भुगतान सीधे खातों में जाता है; देरी की शिकायत जनपद में दर्ज करें।"),
    ("ई-ग्रामस्वराज पर कार्य योजना कैसे अपलोड करें?", "ग्राम सभा के अनुमोदन के बाद सचिव अपने लॉग-इन से योजना अपलोड करें।"),
    ("कोविड से बचाव के लिए ग्राम स्तर पर कौन सी समिति बनेगी?", "ग्राम स्वास्थ्य एवं स्वच्छता समिति यह कार्य करेगी।"),
    ("स्व-सहायता समूह को बैंक ऋण कैसे मिले?", "समूह की ग्रेडिंग के बाद बैंक सखी के माध्यम से आवेदन करें।"),
    ("ग्राम सभा की बैठक की सूचना कितने दिन पहले देनी होती है?", "कम से कम सात दिन पहले सूचना देना आवश्यक है।"),
    ("स्वच्छ भारत मिशन में शौचालय की दूसरी किस्त कब आएगी?", "सत्यापन के बाद दूसरी किस्त पंद्रह दिन में जारी होगी।"),
    ("आंगनवाड़ी भवन के लिए भूमि कौन देगा?", "ग्राम पंचायत प्रस्ताव पारित कर शासकीय भूमि चिन्हित करे।"),
]
ASK_RATE = 0.03  # of the GPs present, the share that ask
SUPPORTS_PER_QUESTION = 4


def grow_questions(programme: Programme, seed: int = 2026) -> int:
    """Add questions to the programme's held sessions that have attendance and no questions yet; return how many."""
    generator = random.Random(seed)
    made = 0
    for session in sorted(programme.sessions, key=lambda s: s.starts_at):
        if session.status not in (SessionStatus.COMPLETED, SessionStatus.LIVE):
            continue
        if db.session.scalar(select(func.count()).where(LiveQuestion.session_id == session.id)):
            continue
        present = db.session.scalars(select(Attendance.gram_panchayat_id)
                                     .where(Attendance.session_id == session.id)
                                     .order_by(Attendance.gram_panchayat_id)).all()
        askers = [gp_id for gp_id in present if generator.random() < ASK_RATE]
        if not askers:
            continue
        asked_at = session.starts_at + timedelta(minutes=30)
        rows = []
        for gp_id in askers:
            text, answer = generator.choice(QUESTIONS)
            state = generator.choices([QuestionState.ANSWERED, QuestionState.VISIBLE, QuestionState.PENDING,
                                       QuestionState.SET_ASIDE], weights=[50, 20, 20, 10])[0]
            rows.append(dict(session_id=session.id, gram_panchayat_id=gp_id, module_id=None, asker=None,
                             text=text, state=state.value, answer=answer if state is QuestionState.ANSWERED else "",
                             set_aside_reason=SetAsideReason.OFF_TOPIC.value if state is QuestionState.SET_ASIDE
                             else None, merged_into_id=None, answered_by_id=None,
                             answered_at=session.ends_at if state is QuestionState.ANSWERED else None,
                             created_at=asked_at, updated_at=session.ends_at))
        bulk_insert(LiveQuestion.__table__, rows)
        made += len(rows)
        questions = db.session.execute(select(LiveQuestion.id, LiveQuestion.gram_panchayat_id, LiveQuestion.state)
                                       .where(LiveQuestion.session_id == session.id)
                                       .order_by(LiveQuestion.id)).all()
        events, supports = [], []
        for question_id, asker, state in questions:
            events.append(dict(question_id=question_id, user_id=None, gram_panchayat_id=asker, from_state=None,
                               to_state=QuestionState.PENDING.value, note="", at=asked_at))
            if state is not QuestionState.PENDING:
                events.append(dict(question_id=question_id, user_id=None, gram_panchayat_id=None,
                                   from_state=QuestionState.PENDING.value, to_state=state.value, note="",
                                   at=session.ends_at))
            if state in (QuestionState.VISIBLE, QuestionState.ANSWERED):
                for gp_id in set(generator.sample(present, min(SUPPORTS_PER_QUESTION, len(present)))) - {asker}:
                    supports.append(dict(question_id=question_id, gram_panchayat_id=gp_id, created_at=asked_at))
        bulk_insert(QuestionEvent.__table__, events)
        bulk_insert(QuestionSupport.__table__, supports)
    db.session.flush()
    return made
