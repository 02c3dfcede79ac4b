"""Feedback rules: answered questions keep their meaning, answers are checked, a resent form is one response."""
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from trainer.attendance import services as attendance
from trainer.attendance.models import MarkSource
from trainer.attendance.rules import HeadCount
from trainer.extensions import db
from trainer.feedback import services
from trainer.feedback.models import Answer, QuestionKind, Response
from trainer.feedback.services import FeedbackError, Submission


@pytest.fixture
def form(app, make_programme):
    programme = make_programme(modules=1)
    rating = services.add_question(programme, QuestionKind.RATING, "प्रशिक्षण कैसा लगा?", required=True)
    choice = services.add_question(programme, QuestionKind.MULTIPLE, "कौन से विषय उपयोगी थे?",
                                   options=[{"hi": "जीपीडीपी"}, {"hi": "लेखा"}, {"hi": "ग्राम सभा"}])
    text = services.add_question(programme, QuestionKind.LONG_TEXT, "सुझाव")
    db.session.commit()
    return programme, rating, choice, text


def test_an_answer_is_stored_as_one_row_per_value_and_a_resent_form_counts_once(form, places):
    programme, rating, choice, text = form
    session = programme.sessions[0]
    attendance.mark(session, places.gp(11111), HeadCount(5), MarkSource.POSTER)
    sent = Submission({rating.id: "4", choice.id: ["o1", "o3"], text.id: "और उदाहरण"})
    first = services.submit(session, places.gp(11111), sent, nonce="n1")
    again = services.submit(session, places.gp(11111), sent, nonce="n1")
    db.session.commit()
    assert first.id == again.id and not first.without_attendance
    assert db.session.scalar(select(func.count()).select_from(Response)) == 1
    assert sorted(a.option_key for a in first.answers if a.option_key) == ["o1", "o3"]


def test_missing_required_and_bad_values_are_all_named(form, places):
    programme, rating, choice, text = form
    session = programme.sessions[0]
    with pytest.raises(FeedbackError) as refused:
        services.submit(session, None, Submission({rating.id: "9", choice.id: ["zz"]}), nonce="n2",
                        now=session.starts_at)
    assert len(refused.value.messages) == 2
    assert db.session.scalar(select(func.count()).select_from(Answer)) == 0


def test_a_gp_without_attendance_is_flagged_inside_the_window_and_refused_outside(form, places):
    programme, rating, _choice, _text = form
    session = programme.sessions[0]
    inside = services.submit(session, places.gp(11112), Submission({rating.id: 3}), nonce="n3",
                             now=session.starts_at)
    assert inside.without_attendance
    with pytest.raises(FeedbackError):
        services.submit(session, places.gp(11112), Submission({rating.id: 3}), nonce="n4",
                        now=session.ends_at + timedelta(hours=2))


def test_an_answered_question_can_be_hidden_but_not_reworded(form, places):
    programme, rating, _choice, _text = form
    session = programme.sessions[0]
    services.submit(session, None, Submission({rating.id: 5}), nonce="n5", now=session.starts_at)
    with pytest.raises(FeedbackError):
        services.update_question(rating, "नया प्रश्न", "", [], True)
    services.update_question(rating, rating.text_hi, rating.text_en, [], False)
    services.set_hidden(rating, True)
    assert rating.hidden and not rating.required


def test_a_form_is_copied_from_another_programme(form, make_programme):
    programme = form[0]
    other = make_programme(title="दूसरा", modules=1, publish=False)
    copied = services.copy_form(programme, other)
    assert [q.text_hi for q in copied] == [q.text_hi for q in services.questions_of(programme)]
    assert copied[1].options[0]["key"] == "o1"
