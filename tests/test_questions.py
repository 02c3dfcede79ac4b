"""Live questions: gram panchayats present at a session ask and support; moderators approve, merge, pin and
answer; the overlay, the FAQ, the session report and the JSON API show them; bad input changes nothing."""
import io
import re
import subprocess

import pytest
from openpyxl import load_workbook
from sqlalchemy import event, func, insert, select
from sqlalchemy.exc import IntegrityError

from tests.conftest import sessions_of
from trainer.attendance import device
from trainer.attendance import services as attendance
from trainer.attendance.models import MarkSource
from trainer.attendance.rules import HeadCount
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.questions import services
from trainer.questions.models import (
    LiveQuestion,
    QuestionEvent,
    QuestionModerator,
    QuestionState,
    QuestionSupport,
    SetAsideReason,
)
from trainer.questions.services import QuestionError
from trainer.regions.areas import STATE, Area

QUESTION = "पंचायत भवन की मरम्मत के लिए राशि कब मिलेगी?"


@pytest.fixture
def live(app, make_programme, places):
    """A published programme; its first two sessions of division 1; GPs 11111 and 11112 present at the first,
    GP 11113 invited but absent, GP 11211 present at the second only. Each has an access code."""
    programme = make_programme()
    first, second = sessions_of(programme, 1)[:2]
    gps = {code: places.gp(code) for code in (11111, 11112, 11113, 11211)}
    for code in gps:
        attendance.issue_code(gps[code])
    for code in (11111, 11112):
        attendance.mark(first, gps[code], HeadCount(5), MarkSource.POSTER)
    attendance.mark(second, gps[11211], HeadCount(4), MarkSource.POSTER)
    db.session.commit()
    return type("Live", (), {"programme": programme, "first": first, "second": second, "gps": gps})


def phone(app, gp):
    """Return a client whose phone remembers the GP, as after marking attendance."""
    client = app.test_client()
    from trainer.attendance.models import AccessCode
    version = db.session.get(AccessCode, gp.id).version
    client.set_cookie(device.GP_COOKIE, device.device_cookie_for(gp.id, version))
    return client


def count(model) -> int:
    db.session.expire_all()
    return db.session.scalar(select(func.count()).select_from(model))


def asked(session, gp, text=QUESTION, approve=True):
    question = services.ask(session, gp, text)
    if approve:
        services.approve(question, None)
    db.session.commit()
    return question


# Asking


def test_a_gp_marked_present_asks_from_its_phone_and_sees_the_question_waiting(app, live):
    client = phone(app, live.gps[11111])
    page = client.get(f"/questions/sessions/{live.first.id}")
    assert page.status_code == 200 and 'name="text"' in page.get_data(as_text=True)
    module = live.programme.modules[1]
    response = client.post(f"/questions/sessions/{live.first.id}",
                           data={"text": QUESTION, "module": str(module.id), "asker": "shg_member"})
    assert response.status_code == 302
    question = db.session.scalar(select(LiveQuestion))
    assert (question.gram_panchayat_id, question.state, question.module_id, question.asker.value) == (
        live.gps[11111].id, QuestionState.PENDING, module.id, "shg_member")
    [created] = db.session.scalars(select(QuestionEvent)).all()
    assert (created.from_state, created.to_state, created.gram_panchayat_id) == (None, QuestionState.PENDING,
                                                                                 live.gps[11111].id)
    text = client.get(f"/questions/sessions/{live.first.id}").get_data(as_text=True)
    assert QUESTION in text and str(QuestionState.PENDING.label) in text


def test_the_done_page_and_the_feedback_page_lead_to_the_questions(app, live):
    client = phone(app, live.gps[11111])
    thanks = client.get(f"/feedback/sessions/{live.first.id}/thanks").get_data(as_text=True)
    assert f"/questions/sessions/{live.first.id}" in thanks


def test_a_phone_without_a_gp_is_told_to_mark_first_and_cannot_ask(app, client, live):
    page = client.get(f"/questions/sessions/{live.first.id}").get_data(as_text=True)
    assert 'name="text"' not in page and "/a" in page
    response = client.post(f"/questions/sessions/{live.first.id}", data={"text": QUESTION})
    assert response.status_code == 403 and "उपस्थिति" in response.get_data(as_text=True)
    assert count(LiveQuestion) == 0


def test_a_gp_invited_but_not_marked_present_cannot_ask(app, live):
    client = phone(app, live.gps[11113])
    assert 'name="text"' not in client.get(f"/questions/sessions/{live.first.id}").get_data(as_text=True)
    response = client.post(f"/questions/sessions/{live.first.id}", data={"text": QUESTION})
    assert response.status_code == 403
    assert count(LiveQuestion) == 0


def test_a_question_for_a_session_the_gp_did_not_attend_is_refused(app, live):
    client = phone(app, live.gps[11211])  # present at the second session only
    response = client.post(f"/questions/sessions/{live.first.id}", data={"text": QUESTION})
    assert response.status_code == 403 and "उपस्थित" in response.get_data(as_text=True)
    assert count(LiveQuestion) == 0 and count(QuestionEvent) == 0


@pytest.mark.parametrize("text, words", [
    ("", "पहले"),
    ("   \n  ", "पहले"),
    ("\x1b\x00\u202e", "पहले"),  # nothing left once the controls are cleaned away
    ("क" * 501, "500"),
    ("<script>alert(1)</script>", "<"),
    ("देखें <img src=x onerror=alert(1)>", "<"),
])
def test_bad_question_text_gets_a_hindi_answer_and_changes_nothing(app, live, text, words):
    client = phone(app, live.gps[11111])
    response = client.post(f"/questions/sessions/{live.first.id}", data={"text": text})
    body = response.get_data(as_text=True)
    assert response.status_code == 422
    assert words in re.sub(r"<[^>]+>", "", body.split('class="error"')[1].split("</p>")[0]).replace("&lt;", "<")
    assert re.search("[\u0900-\u097f]", body.split('class="error"')[1].split("</p>")[0])
    assert count(LiveQuestion) == 0 and count(QuestionEvent) == 0


def test_control_characters_inside_a_question_are_dropped_on_the_page_and_refused_by_the_service(app, live):
    client = phone(app, live.gps[11111])
    assert client.post(f"/questions/sessions/{live.first.id}",
                       data={"text": "राशि\x1b कब\u202e मिलेगी?"}).status_code == 302
    assert db.session.scalar(select(LiveQuestion.text)) == "राशि कब मिलेगी?"
    with pytest.raises(QuestionError):
        services.ask(live.first, live.gps[11112], "राशि\x07 कब")


def test_a_gp_may_ask_only_so_many_questions_per_session(make_app, live):
    app = make_app(QUESTIONS_PER_GP_PER_SESSION=2)
    client = phone(app, live.gps[11111])
    for number in range(2):
        assert client.post(f"/questions/sessions/{live.first.id}",
                           data={"text": f"प्रश्न {number}"}).status_code == 302
    response = client.post(f"/questions/sessions/{live.first.id}", data={"text": "तीसरा प्रश्न"})
    assert response.status_code == 429 and "2" in response.get_data(as_text=True)
    assert count(LiveQuestion) == 2


def test_questions_are_rate_limited_per_gp_across_phones(make_app, live):
    app = make_app(QUESTION_LIMIT_PER_GP="2 per minute")
    one, other = phone(app, live.gps[11111]), phone(app, live.gps[11111])
    assert one.post(f"/questions/sessions/{live.first.id}", data={"text": "पहला"}).status_code == 302
    assert other.post(f"/questions/sessions/{live.first.id}", data={"text": "दूसरा"}).status_code == 302
    response = one.post(f"/questions/sessions/{live.first.id}", data={"text": "तीसरा"})
    assert response.status_code == 429 and "प्रतीक्षा" in response.get_data(as_text=True)
    assert count(LiveQuestion) == 2
    # Another GP of the session is not held back.
    assert phone(app, live.gps[11112]).post(f"/questions/sessions/{live.first.id}",
                                            data={"text": "चौथा"}).status_code == 302


def test_a_draft_session_takes_no_questions(app, make_programme, places):
    programme = make_programme(title="मसौदा", publish=False)
    assert app.test_client().get(f"/questions/sessions/{programme.sessions[0].id}").status_code == 404


# Supporting


def test_other_gps_see_visible_questions_and_support_once(app, live):
    question = asked(live.first, live.gps[11111])
    hidden = asked(live.first, live.gps[11111], "अभी छिपा हुआ प्रश्न", approve=False)
    client = phone(app, live.gps[11112])
    page = client.get(f"/questions/sessions/{live.first.id}").get_data(as_text=True)
    assert QUESTION in page and "अभी छिपा हुआ प्रश्न" not in page and "मेरा भी यही प्रश्न है" in page
    assert client.post(f"/questions/sessions/{live.first.id}/support",
                       data={"question": question.id}).status_code == 302
    again = client.post(f"/questions/sessions/{live.first.id}/support", data={"question": question.id})
    assert again.status_code == 422 and "पहले से" in again.get_data(as_text=True)
    assert count(QuestionSupport) == 1
    # A question still waiting for moderation cannot be supported.
    assert client.post(f"/questions/sessions/{live.first.id}/support",
                       data={"question": hidden.id}).status_code == 404
    # Nor one's own question.
    own = phone(app, live.gps[11111]).post(f"/questions/sessions/{live.first.id}/support",
                                           data={"question": question.id})
    assert own.status_code == 422
    assert count(QuestionSupport) == 1


def test_a_gp_of_another_session_cannot_support(app, live):
    question = asked(live.first, live.gps[11111])
    client = phone(app, live.gps[11211])  # present at the second session only
    refused = client.post(f"/questions/sessions/{live.first.id}/support", data={"question": question.id})
    assert refused.status_code == 403 and re.search("[\u0900-\u097f]", refused.get_data(as_text=True))
    # Through its own session's address, the question is not one of that session's.
    other = client.post(f"/questions/sessions/{live.second.id}/support", data={"question": question.id})
    assert other.status_code == 404
    assert count(QuestionSupport) == 0


def test_the_database_refuses_a_second_support_of_the_same_gp(app, live):
    question = asked(live.first, live.gps[11111])
    row = {"question_id": question.id, "gram_panchayat_id": live.gps[11112].id}
    db.session.execute(insert(QuestionSupport), [row])
    db.session.commit()
    with pytest.raises(IntegrityError):
        db.session.execute(insert(QuestionSupport), [row])
        db.session.flush()
    db.session.rollback()
    assert count(QuestionSupport) == 1


def test_most_supported_order_puts_the_supported_question_first(app, live):
    older = asked(live.first, live.gps[11111], "पुराना प्रश्न")
    asked(live.first, live.gps[11111], "नया प्रश्न")
    services.support(live.first, live.gps[11112], older.id)
    db.session.commit()
    client = phone(app, live.gps[11112])
    newest = client.get(f"/questions/sessions/{live.first.id}").get_data(as_text=True)
    supported = client.get(f"/questions/sessions/{live.first.id}?order=supported").get_data(as_text=True)
    assert newest.index("नया प्रश्न") < newest.index("पुराना प्रश्न")
    assert supported.index("पुराना प्रश्न") < supported.index("नया प्रश्न")


# States and events


def test_moderation_moves_a_question_through_its_states_and_keeps_every_change(app, live, make_user):
    trainer = make_user("studio", Role.TRAINER)
    question = asked(live.first, live.gps[11111], approve=False)
    other = asked(live.first, live.gps[11112], "दूसरा प्रश्न")
    services.approve(question, trainer.id)
    services.pin(other, trainer.id)
    services.pin(question, trainer.id)  # the one pinned before goes back to the visible ones
    assert (question.state, other.state) == (QuestionState.ANSWERING, QuestionState.VISIBLE)
    services.answer(question, trainer.id, "राशि अगले माह जारी होगी।")
    db.session.commit()
    history = [(e.from_state, e.to_state, e.user_id) for e in services.events_of(question.id)]
    assert history == [(None, QuestionState.PENDING, None),
                       (QuestionState.PENDING, QuestionState.VISIBLE, trainer.id),
                       (QuestionState.VISIBLE, QuestionState.ANSWERING, trainer.id),
                       (QuestionState.ANSWERING, QuestionState.ANSWERED, trainer.id)]
    assert [e.to_state for e in services.events_of(other.id)][-2:] == [QuestionState.ANSWERING,
                                                                        QuestionState.VISIBLE]
    assert (question.answer, question.answered_by_id) == ("राशि अगले माह जारी होगी।", trainer.id)
    with pytest.raises(QuestionError):
        services.pin(question, trainer.id)  # answered: not pinned again
    with pytest.raises(QuestionError):
        services.answer(question, trainer.id, " ")


def test_the_database_holds_one_question_being_answered_per_session(app, live):
    one = asked(live.first, live.gps[11111])
    two = asked(live.first, live.gps[11112], "दूसरा प्रश्न")
    elsewhere = asked(live.second, live.gps[11211])
    services.pin(one, None)
    services.pin(elsewhere, None)  # another session's may be answered at the same time
    db.session.commit()
    two.state = QuestionState.ANSWERING
    with pytest.raises(IntegrityError):
        db.session.flush()
    db.session.rollback()
    services.pin(two, None)  # through the service, the one before leaves first
    db.session.commit()
    assert (db.session.get(LiveQuestion, one.id).state, two.state) == (QuestionState.VISIBLE, QuestionState.ANSWERING)


def test_merging_a_duplicate_sets_it_aside_and_moves_its_supports(app, live, make_user, places):
    target = asked(live.first, live.gps[11111])
    duplicate = asked(live.first, live.gps[11112], "पंचायत भवन मरम्मत राशि कब मिलेगी")
    attendance.mark(live.first, places.gp(11121), HeadCount(2), MarkSource.POSTER)
    services.support(live.first, places.gp(11121), duplicate.id)
    services.set_aside(duplicate, None, SetAsideReason.DUPLICATE, target.id)
    db.session.commit()
    assert (duplicate.state, duplicate.set_aside_reason, duplicate.merged_into_id) == (
        QuestionState.SET_ASIDE, SetAsideReason.DUPLICATE, target.id)
    supporters = set(db.session.scalars(select(QuestionSupport.gram_panchayat_id)
                                        .where(QuestionSupport.question_id == target.id)))
    assert supporters == {live.gps[11112].id, places.gp(11121).id}
    # The asker of the duplicate sees what became of it.
    page = phone(app, live.gps[11112]).get(f"/questions/sessions/{live.first.id}").get_data(as_text=True)
    assert str(SetAsideReason.DUPLICATE.label) in page and str(target.id) in page
    with pytest.raises(QuestionError):
        services.set_aside(target, None, SetAsideReason.DUPLICATE, target.id)  # not into itself


def test_a_duplicate_cannot_be_merged_into_a_question_of_another_session(app, live):
    question = asked(live.first, live.gps[11111])
    elsewhere = asked(live.second, live.gps[11211])
    with pytest.raises(QuestionError):
        services.set_aside(question, None, SetAsideReason.DUPLICATE, elsewhere.id)
    db.session.rollback()
    assert db.session.get(LiveQuestion, question.id).state is QuestionState.VISIBLE


def test_the_moderate_form_applies_actions_and_refuses_another_sessions_question(app, client, live, login_as):
    login_as(Role.TRAINER)
    question = asked(live.first, live.gps[11111], approve=False)
    base = f"/questions/sessions/{live.first.id}/moderate"
    assert client.post(base, data={"question": question.id, "action": "approve"}).status_code == 302
    assert client.post(base, data={"question": question.id, "action": "pin"}).status_code == 302
    assert db.session.get(LiveQuestion, question.id).state is QuestionState.ANSWERING
    client.post(base, data={"question": question.id, "action": "answer", "answer": "उत्तर लिखा गया"})
    assert db.session.get(LiveQuestion, question.id).state is QuestionState.ANSWERED
    events = count(QuestionEvent)
    elsewhere = asked(live.second, live.gps[11211], approve=False)
    refused = client.post(base, data={"question": elsewhere.id, "action": "approve"}, follow_redirects=True)
    assert "इस सत्र" in refused.get_data(as_text=True)
    assert db.session.get(LiveQuestion, elsewhere.id).state is QuestionState.PENDING
    assert count(QuestionEvent) == events + 1  # the asking of `elsewhere`; the refused approval added none
    client.post(base, data={"question": question.id, "action": "set_aside", "reason": "abusive"})
    assert db.session.get(LiveQuestion, question.id).state is QuestionState.ANSWERED  # answered: kept


# Moderators


def test_only_planners_and_added_moderators_work_the_queue(app, client, live, make_user, auth):
    make_user("trainer", Role.TRAINER)
    helper = make_user("helper", Role.DISTRICT_OFFICER)
    make_user("director", Role.DIRECTOR)
    queue = f"/questions/sessions/{live.first.id}/queue"
    auth.login("director")
    assert client.get(queue).status_code == 403
    auth.logout()
    auth.login("helper")
    assert client.get(queue).status_code == 403
    auth.logout()
    auth.login("trainer")
    assert client.post(f"/questions/sessions/{live.first.id}/moderators",
                       data={"username": "helper"}).status_code == 302
    refused = client.post(f"/questions/sessions/{live.first.id}/moderators", data={"username": "nobody"})
    assert refused.status_code == 422
    assert count(QuestionModerator) == 1
    auth.logout()
    auth.login("helper")
    assert client.get(queue).status_code == 200
    assert client.get(f"/questions/sessions/{live.second.id}/queue").status_code == 403  # added to one session
    assert client.get(f"/questions/sessions/{live.first.id}/moderators").status_code == 403
    auth.logout()
    auth.login("trainer")
    moderator = db.session.scalar(select(QuestionModerator))
    client.post(f"/questions/sessions/{live.first.id}/moderators/remove", data={"moderator": moderator.id})
    assert count(QuestionModerator) == 0
    assert helper.id not in {m.user_id for m in services.moderators_of(live.first)}


# The queue


def test_the_queue_filters_by_state_module_district_and_text(app, client, live, login_as, places):
    login_as(Role.ADMIN)
    module = live.programme.modules[0]
    services.ask(live.first, live.gps[11111], "शौचालय निर्माण की राशि", module_id=module.id)
    services.ask(live.first, live.gps[11112], "मनरेगा मजदूरी का भुगतान")
    attendance.mark(live.first, places.gp(11211), HeadCount(2), MarkSource.POSTER)
    services.approve(services.ask(live.first, places.gp(11211), "आवास योजना की किस्त"), None)
    db.session.commit()
    queue = f"/questions/sessions/{live.first.id}/queue"

    def shown(**query):
        text = client.get(queue, query_string=query).get_data(as_text=True)
        return {word for word in ("शौचालय", "मनरेगा", "आवास") if word in text.split('id="queue-rows"')[1]}

    assert shown() == {"शौचालय", "मनरेगा"}  # waiting for moderation, by default
    assert shown(state="all") == {"शौचालय", "मनरेगा", "आवास"}
    assert shown(state="all", module=module.id) == {"शौचालय"}
    assert shown(state="all", district=places.district(112).id) == {"आवास"}
    assert shown(state="all", q="मजदूरी") == {"मनरेगा"}
    assert shown(state="visible") == {"आवास"}
    data = client.get(queue + ".json", query_string={"state": "all"}).get_json()
    assert data["total"] == 3 and "आवास" in data["rows"] and "<tr" in data["rows"]


def test_the_queue_sends_as_many_statements_for_sixty_questions_as_for_three(app, client, live, login_as):
    login_as(Role.ADMIN)
    sent = []

    def listener(*args):
        sent.append(args[2])

    def statements(extra):
        for number in range(extra):
            db.session.add(LiveQuestion(session_id=live.first.id, gram_panchayat_id=live.gps[11111].id,
                                        text=f"प्रश्न {number}", state=QuestionState.PENDING))
        db.session.commit()
        sent.clear()
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(f"/questions/sessions/{live.first.id}/queue?state=all").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(sent)

    few = statements(3)
    many = statements(57)
    assert many == few
    assert few < 25


def test_similar_questions_are_offered_for_merging(app, client, live, login_as):
    login_as(Role.TRAINER)
    question = asked(live.first, live.gps[11111], "पंचायत भवन की मरम्मत के लिए राशि कब मिलेगी")
    twin = asked(live.first, live.gps[11112], "पंचायत भवन मरम्मत की राशि कब तक मिलेगी?")
    asked(live.first, live.gps[11112], "आंगनवाड़ी में पोषण आहार")
    page = client.get(f"/questions/sessions/{live.first.id}/questions/{question.id}").get_data(as_text=True)
    similar = page.split('class="queue"')[1]
    assert f"#{twin.id}" in similar and "आंगनवाड़ी" not in similar
    assert services.similarity("एक दो तीन", "एक दो तीन") == 1.0


# The overlay, the FAQ


def test_the_overlay_shows_the_pinned_question_with_its_gp_block_and_district(app, client, live, login_as):
    login_as(Role.TRAINER)
    overlay = f"/questions/sessions/{live.first.id}/overlay"
    assert client.get(overlay + ".json").get_json() == {"question": None}
    question = asked(live.first, live.gps[11111])
    services.pin(question, None)
    db.session.commit()
    data = client.get(overlay + ".json").get_json()["question"]
    gp = live.gps[11111]
    assert (data["text"], data["gp_hi"], data["block_hi"], data["district_hi"]) == (
        QUESTION, gp.name_hi, gp.block.name_hi, gp.block.district.name_hi)
    assert QUESTION in data["html"]
    page = client.get(overlay).get_data(as_text=True)
    assert QUESTION in page and gp.block.name_hi in page and "questions-overlay.js" in page


def test_answered_questions_appear_on_the_sessions_public_page_as_a_faq(app, client, live):
    question = asked(live.first, live.gps[11111])
    waiting = asked(live.first, live.gps[11112], "अनुत्तरित प्रश्न")
    page = client.get(f"/sessions/{live.first.id}").get_data(as_text=True)
    assert QUESTION not in page
    services.answer(question, None, "राशि अगले माह जारी होगी।")
    db.session.commit()
    page = client.get(f"/sessions/{live.first.id}").get_data(as_text=True)
    assert QUESTION in page and "राशि अगले माह जारी होगी।" in page and waiting.text not in page


# The report and the API


@pytest.fixture
def reported(live, places):
    """Questions in district 111 and 112: one answered and supported, one waiting, one set aside."""
    answered = asked(live.first, live.gps[11111])
    services.support(live.first, live.gps[11112], answered.id)
    services.answer(answered, None, "राशि अगले माह जारी होगी।")
    services.ask(live.first, live.gps[11112], "अभी प्रतीक्षा में")
    attendance.mark(live.first, places.gp(11211), HeadCount(2), MarkSource.POSTER)
    aside = services.ask(live.first, places.gp(11211), "असंबंधित बात")
    services.set_aside(aside, None, SetAsideReason.OFF_TOPIC)
    db.session.commit()
    return live


def test_the_session_report_counts_questions_by_state_and_district_for_an_area(app, reported, places):
    from trainer.reports import queries
    summary = queries.question_summary(reported.first, STATE)
    assert summary.total == 3 and summary.supports == 1
    assert summary.by_state == {"pending": 1, "visible": 0, "answering": 0, "answered": 1, "set_aside": 1}
    assert {(row.code, row.questions, row.supports) for row in summary.by_district} == {(111, 2, 1), (112, 1, 0)}
    assert [row.text for row in summary.most_supported] == [QUESTION]
    assert [(row.text, row.answer) for row in summary.answered] == [(QUESTION, "राशि अगले माह जारी होगी।")]
    block = queries.question_summary(reported.first, Area.of(places.block(1112)))
    assert block.total == 0 and block.by_district == []


def test_the_session_report_page_json_csv_xlsx_and_pdf_carry_the_questions(app, client, reported, login_as,
                                                                           tmp_path):
    login_as(Role.DIRECTOR)
    base = f"/reports/sessions/{reported.first.id}"
    page = client.get(base).get_data(as_text=True)
    assert QUESTION in page and "राशि अगले माह जारी होगी।" in page
    data = client.get(f"/api/v1/sessions/{reported.first.id}/report").get_json()["questions"]
    assert data["total"] == 3 and data["answered"][0]["answer"] == "राशि अगले माह जारी होगी।"
    csv_text = client.get(base + ".csv?level=questions").get_data().decode("utf-8-sig")
    assert QUESTION in csv_text and "राशि अगले माह जारी होगी।" in csv_text
    book = load_workbook(io.BytesIO(client.get(base + ".xlsx").get_data()))
    cells = {str(cell.value) for sheet in book.worksheets for row in sheet.iter_rows() for cell in row}
    assert QUESTION in cells and "राशि अगले माह जारी होगी।" in cells
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(client.get(base + ".pdf").get_data())
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(pdf), "-"], check=True, capture_output=True,
                          timeout=60).stdout.decode("utf-8")
    assert "राशि अगले माह जारी होगी" in text.replace("\n", " ")


def test_the_api_lists_a_sessions_questions_for_staff_of_its_area(app, client, reported, make_user, auth):
    url = f"/api/v1/sessions/{reported.first.id}/questions"
    assert client.get(url).status_code == 401
    make_user("director", Role.DIRECTOR)
    make_user("block", Role.BLOCK_OFFICER, area_code=1111)
    make_user("far", Role.DISTRICT_OFFICER, area_code=121)
    make_user("secretary", Role.SECRETARY)
    auth.login("director")
    data = client.get(url).get_json()
    assert data["total"] == 3 and data["counts"]["answered"] == 1
    assert {q["text"] for q in data["questions"]} == {QUESTION, "अभी प्रतीक्षा में", "असंबंधित बात"}
    answered = next(q for q in data["questions"] if q["state"] == "answered")
    assert answered["supports"] == 1 and answered["district"]["name_hi"] == reported.gps[11111].block.district.name_hi
    assert (answered["gram_panchayat"]["code"], answered["block"]["code"], answered["district"]["code"]) == (
        11111, 1111, 111)
    assert client.get(url, query_string={"state": "set_aside"}).get_json()["total"] == 1
    assert client.get(url, query_string={"state": "nonsense"}).status_code == 400
    auth.logout()
    auth.login("block")
    assert {q["text"] for q in client.get(url).get_json()["questions"]} == {QUESTION, "अभी प्रतीक्षा में"}
    auth.logout()
    auth.login("far")
    assert client.get(url).status_code == 403
    auth.logout()
    auth.login("secretary")
    assert client.get(url).status_code == 403



def test_the_demo_gives_held_sessions_questions_once(app, make_programme, monkeypatch):
    from trainer.programmes.models import SessionStatus
    from trainer.reports import queries
    from trainer.tools import demo_activity, demo_questions
    programme = make_programme(modules=1)
    for session in programme.sessions:
        session.status = SessionStatus.COMPLETED
    demo_activity.grow(programme, demo_activity.Rates(1.0, 1.0, 0.0))
    monkeypatch.setattr(demo_questions, "ASK_RATE", 0.5)
    made = demo_questions.grow_questions(programme)
    db.session.commit()
    assert made == count(LiveQuestion) > 0
    assert count(QuestionEvent) >= made
    assert demo_questions.grow_questions(programme) == 0  # harmless twice
    session = db.session.get(LiveQuestion, db.session.scalar(select(func.min(LiveQuestion.id)))).session
    summary = queries.question_summary(session, STATE)
    assert summary.total == db.session.scalar(select(func.count()).where(LiveQuestion.session_id == session.id))
