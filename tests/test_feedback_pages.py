"""Feedback pages: trainers build the form; people of a panchayat marked present each answer it, on a phone
without JavaScript."""
import re
from datetime import timedelta

import pytest
from flask_babel import force_locale, gettext
from sqlalchemy import func, select

from trainer.attendance import services as attendance
from trainer.attendance import tokens
from trainer.attendance.models import MarkSource
from trainer.attendance.rules import HeadCount
from trainer.core import clock
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.feedback import services
from trainer.feedback.models import Answer, Question, QuestionKind, Response
from trainer.programmes import services as programme_services
from trainer.programmes.models import ParticipantRole


def hindi(app, message: str, **values) -> str:
    """Return a message as the Hindi pages show it."""
    with app.test_request_context(), force_locale("hi"):
        return gettext(message, **values)


def hidden_fields(page: str) -> dict:
    """Return the hidden inputs of the first form on a page that has a nonce (or of the whole page)."""
    fields = {}
    for tag in re.findall(r"<input[^>]*>", page):
        attributes = dict(re.findall(r'(\w+)="([^"]*)"', tag))
        if attributes.get("type") == "hidden" and attributes.get("name") not in (None, "next"):
            fields[attributes["name"]] = attributes.get("value", "")
    return fields


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.fixture
def programme(make_programme):
    """A published programme whose form has a required rating, one and several choices, and a comment."""
    programme = make_programme(modules=1)
    services.add_question(programme, QuestionKind.RATING, "प्रशिक्षण कैसा लगा?", "How was the training?",
                          required=True)
    services.add_question(programme, QuestionKind.SINGLE, "क्या वीडियो साफ़ दिखा?",
                          options=[{"hi": "हाँ", "en": "Yes"}, {"hi": "नहीं", "en": "No"}])
    services.add_question(programme, QuestionKind.MULTIPLE, "कौन से विषय उपयोगी थे?",
                          options=[{"hi": "जीपीडीपी"}, {"hi": "लेखा"}, {"hi": "ग्राम सभा"}])
    services.add_question(programme, QuestionKind.LONG_TEXT, "सुझाव")
    db.session.commit()
    return programme


@pytest.fixture
def questions(programme):
    return {q.kind: q for q in services.questions_of(programme, include_hidden=True)}


@pytest.fixture
def session(programme, monkeypatch):
    """The programme's first session, with the secretary-side clock five minutes after its start."""
    session = programme.sessions[0]
    monkeypatch.setattr(clock, "now", lambda: session.starts_at + timedelta(minutes=5))
    return session


@pytest.fixture
def secretary(login_as, places, session):
    """The signed-in secretary of GP 11111, marked present for the session."""
    user = login_as(Role.SECRETARY)
    attendance.mark(session, places.gp(11111), HeadCount(6), MarkSource.POSTER)
    db.session.commit()
    return user


def open_form(client, session) -> tuple[str, dict]:
    response = client.get(f"/feedback/sessions/{session.id}")
    assert response.status_code == 200, response.get_data(as_text=True)
    page = response.get_data(as_text=True)
    return page, hidden_fields(page)


def answers(questions, rating="4", **more) -> dict:
    values = {f"q{questions[QuestionKind.RATING].id}": rating}
    values.update(more)
    return values


# The builder


def builder_url(programme) -> str:
    return f"/feedback/programmes/{programme.id}"


def test_a_trainer_adds_questions_with_options_through_the_builder(client, login_as, make_programme):
    login_as(Role.TRAINER)
    programme = make_programme(modules=1)
    response = client.post(builder_url(programme), data={
        "kind": "single", "text_hi": "क्या आप फिर आएँगे?", "text_en": "Will you come again?",
        "options": "हाँ | Yes\n\nनहीं|No\r\nशायद", "required": "y"})
    assert response.status_code == 302 and response.headers["Location"] == builder_url(programme)
    client.post(builder_url(programme), data={"kind": "rating", "text_hi": "कैसा लगा?"})
    first, second = services.questions_of(programme)
    assert (first.kind, first.text_en, first.required) == (QuestionKind.SINGLE, "Will you come again?", True)
    assert first.options == [{"key": "o1", "hi": "हाँ", "en": "Yes"}, {"key": "o2", "hi": "नहीं", "en": "No"},
                             {"key": "o3", "hi": "शायद", "en": ""}]
    assert (second.kind, second.options, second.required) == (QuestionKind.RATING, [], False)
    page = client.get(builder_url(programme)).get_data(as_text=True)
    assert page.index("क्या आप फिर आएँगे?") < page.index("कैसा लगा?")


def test_a_choice_question_without_enough_options_is_refused_with_the_reasons(app, client, login_as,
                                                                              make_programme):
    login_as(Role.ADMIN)
    programme = make_programme(modules=1)
    response = client.post(builder_url(programme), data={"kind": "multiple", "text_hi": " ", "options": "केवल एक"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert hindi(app, "Write the question in Hindi.") in page
    assert hindi(app, "A choice question needs between 2 and %(max)s options.", max=12) in page
    assert "केवल एक" in page  # what was typed is kept
    assert count(Question) == 0


def test_an_unanswered_question_is_reworded_hidden_shown_and_moved(client, login_as, programme, questions):
    login_as(Role.TRAINER)
    single = questions[QuestionKind.SINGLE]
    page = client.get(f"/feedback/questions/{single.id}/edit").get_data(as_text=True)
    assert "हाँ | Yes" in page and "readonly" not in page
    response = client.post(f"/feedback/questions/{single.id}/edit", data={
        "text_hi": "वीडियो कैसा दिखा?", "text_en": "", "options": "साफ़\nधुंधला\nनहीं दिखा"})
    assert response.status_code == 302
    db.session.refresh(single)
    assert single.text_hi == "वीडियो कैसा दिखा?" and not single.required
    assert [o["hi"] for o in single.options] == ["साफ़", "धुंधला", "नहीं दिखा"]

    client.post(f"/feedback/questions/{single.id}/hidden", data={"hidden": "1"})
    assert db.session.get(Question, single.id).hidden
    assert single.id not in [q.id for q in services.questions_of(programme)]
    client.post(f"/feedback/questions/{single.id}/hidden", data={"hidden": "0"})
    assert not db.session.get(Question, single.id).hidden

    client.post(f"/feedback/questions/{single.id}/move", data={"direction": "up"})
    assert [q.kind for q in services.questions_of(programme)][:2] == [QuestionKind.SINGLE, QuestionKind.RATING]
    client.post(f"/feedback/questions/{single.id}/move", data={"direction": "down"})
    assert [q.kind for q in services.questions_of(programme)][:2] == [QuestionKind.RATING, QuestionKind.SINGLE]


def test_an_answered_question_cannot_be_reworded_but_its_required_flag_can_change(app, client, login_as, places,
                                                                                  session, questions):
    rating = questions[QuestionKind.RATING]
    services.submit(session, None, services.Submission({rating.id: "5"}), nonce="n" * 20,
                    now=session.starts_at)
    db.session.commit()
    login_as(Role.TRAINER)
    page = client.get(f"/feedback/questions/{rating.id}/edit").get_data(as_text=True)
    assert "readonly" in page
    response = client.post(f"/feedback/questions/{rating.id}/edit", data={
        "text_hi": "नया प्रश्न", "text_en": rating.text_en, "required": "y"})
    assert response.status_code == 422
    assert hindi(app, "This question has answers: it cannot be reworded. Hide it and add a new question "
                      "instead.") in response.get_data(as_text=True)
    assert db.session.get(Question, rating.id).text_hi == "प्रशिक्षण कैसा लगा?"

    response = client.post(f"/feedback/questions/{rating.id}/edit", data={
        "text_hi": rating.text_hi, "text_en": rating.text_en})
    assert response.status_code == 302
    assert not db.session.get(Question, rating.id).required


def test_a_form_is_copied_from_another_programme_through_the_page(app, client, login_as, programme,
                                                                  make_programme):
    login_as(Role.TRAINER)
    other = make_programme(title="दूसरा प्रशिक्षण", modules=1, publish=False)
    page = client.get(builder_url(other)).get_data(as_text=True)
    assert f'<option value="{programme.id}">' in page
    response = client.post(f"/feedback/programmes/{other.id}/copy", data={"source": programme.id})
    assert response.status_code == 302
    assert [q.text_hi for q in services.questions_of(other)] == [q.text_hi for q in services.questions_of(programme)]
    empty = make_programme(title="तीसरा", modules=1, publish=False)
    client.post(f"/feedback/programmes/{other.id}/copy", data={"source": empty.id})
    page = client.get(builder_url(other)).get_data(as_text=True)
    assert hindi(app, "That programme has no questions to copy.") in page
    assert len(services.questions_of(other)) == 4


def test_the_preview_shows_the_visible_questions_and_cannot_be_sent(client, login_as, programme, questions):
    login_as(Role.TRAINER)
    services.set_hidden(questions[QuestionKind.LONG_TEXT], True)
    db.session.commit()
    page = client.get(f"/feedback/programmes/{programme.id}/preview").get_data(as_text=True)
    assert "प्रशिक्षण कैसा लगा?" in page and "ग्राम सभा" in page and "सुझाव" not in page
    assert "action=" not in page.split("<main>")[1] and "disabled" in page


def test_the_programme_page_links_to_the_builder(client, login_as, programme):
    login_as(Role.TRAINER)
    assert builder_url(programme) in client.get(f"/plan/{programme.id}").get_data(as_text=True)


@pytest.mark.parametrize("role, status", [
    (Role.ADMIN, 200), (Role.TRAINER, 200), (Role.DIRECTOR, 403), (Role.DISTRICT_OFFICER, 403),
    (Role.BLOCK_OFFICER, 403), (Role.SECRETARY, 403)])
def test_only_trainers_and_admins_open_the_builder(client, login_as, programme, questions, role, status):
    login_as(role)
    question = questions[QuestionKind.RATING]
    assert client.get(builder_url(programme)).status_code == status
    assert client.get(f"/feedback/questions/{question.id}/edit").status_code == status
    assert client.get(f"/feedback/programmes/{programme.id}/preview").status_code == status
    if status == 403:
        for url in (builder_url(programme), f"/feedback/questions/{question.id}/hidden",
                    f"/feedback/questions/{question.id}/move", f"/feedback/programmes/{programme.id}/copy"):
            assert client.post(url, data={"hidden": "1", "kind": "rating", "text_hi": "x"}).status_code == 403
        assert not db.session.get(Question, question.id).hidden and count(Question) == 4


def test_the_builder_sends_anonymous_visitors_to_sign_in(client, programme):
    response = client.get(builder_url(programme))
    assert response.status_code == 302 and "/login" in response.headers["Location"]


# The response page


def test_attendance_then_feedback_from_several_people_of_one_panchayat(client, places, session, questions):
    code = attendance.issue_code(places.gp(11111))
    db.session.commit()
    token = tokens.make_token(session.id)
    marking = hidden_fields(client.get(f"/a/{token}").get_data(as_text=True))
    done = client.post(f"/a/{token}", data={**marking, "gp_query": "11111", "access_code": code,
                                            "participants": "9"}).get_data(as_text=True)
    assert f'action="/feedback/sessions/{session.id}"' in done

    page, hidden = open_form(client, session)
    assert "ग्राम 1111" in page and "प्रशिक्षण कैसा लगा?" in page and 'type="checkbox" name="q' in page
    single, multiple, text = (questions[k] for k in (QuestionKind.SINGLE, QuestionKind.MULTIPLE,
                                                     QuestionKind.LONG_TEXT))
    response = client.post(f"/feedback/sessions/{session.id}", data={
        **hidden, **answers(questions, "5"), f"q{single.id}": "o1", f"q{multiple.id}": ["o1", "o3"],
        f"q{text.id}": "और उदाहरण दें", "role": "sarpanch", "name": "रमेश"})
    assert response.status_code == 302
    thanks = client.get(response.headers["Location"]).get_data(as_text=True)
    assert f'action="/feedback/sessions/{session.id}"' in thanks  # a fresh form for the next person

    _page, second = open_form(client, session)
    assert second["nonce"] != hidden["nonce"]
    client.post(f"/feedback/sessions/{session.id}", data={**second, **answers(questions, "3")})
    responses = list(db.session.scalars(select(Response).order_by(Response.id)))
    assert len(responses) == 2
    assert {r.gram_panchayat.lgd_code for r in responses} == {11111}
    assert not any(r.without_attendance for r in responses)
    first = responses[0]
    assert (first.role, first.name, first.anonymous) == (ParticipantRole.SARPANCH, "रमेश", False)
    assert sorted(a.option_key for a in first.answers if a.question_id == multiple.id) == ["o1", "o3"]
    assert [a.rating for a in responses[1].answers] == [3]


def test_a_resent_form_makes_one_response(client, secretary, session, questions):
    _page, hidden = open_form(client, session)
    for _attempt in range(3):
        response = client.post(f"/feedback/sessions/{session.id}", data={**hidden, **answers(questions)})
        assert response.status_code == 302
    assert count(Response) == 1 and count(Answer) == 1


def test_an_anonymous_answer_drops_the_name(client, secretary, session, questions):
    _page, hidden = open_form(client, session)
    client.post(f"/feedback/sessions/{session.id}", data={**hidden, **answers(questions), "name": "सीता",
                                                           "anonymous": "y"})
    response = db.session.scalar(select(Response))
    assert response.anonymous and response.name == ""


def test_a_missing_required_answer_is_named_and_nothing_is_written(app, client, secretary, session, questions):
    _page, hidden = open_form(client, session)
    text = questions[QuestionKind.LONG_TEXT]
    response = client.post(f"/feedback/sessions/{session.id}", data={
        **hidden, f"q{text.id}": "मेरा सुझाव", f"q{questions[QuestionKind.SINGLE].id}": "o9"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f"प्रशिक्षण कैसा लगा?: {hindi(app, 'an answer is required.')}" in page
    assert f"क्या वीडियो साफ़ दिखा?: {hindi(app, 'choose from the options given.')}" in page
    assert "मेरा सुझाव" in page and hidden["nonce"] in page  # kept, so the corrected form is the same one
    assert count(Response) == 0 and count(Answer) == 0


def test_a_panchayat_without_attendance_is_flagged_inside_the_window(client, login_as, session, questions):
    login_as(Role.SECRETARY, area_code=11112)
    page, hidden = open_form(client, session)
    assert "ग्राम 1112" in page
    client.post(f"/feedback/sessions/{session.id}", data={**hidden, **answers(questions)})
    response = db.session.scalar(select(Response))
    assert response.without_attendance and response.gram_panchayat.lgd_code == 11112


def test_a_panchayat_without_attendance_is_refused_outside_the_window(app, client, login_as, session, questions,
                                                                      monkeypatch):
    login_as(Role.SECRETARY, area_code=11112)
    _page, hidden = open_form(client, session)
    monkeypatch.setattr(clock, "now", lambda: session.ends_at + timedelta(hours=3))
    message = hindi(app, "Feedback for this session is taken from panchayats marked present, or while "
                         "attendance is open.")
    response = client.post(f"/feedback/sessions/{session.id}", data={**hidden, **answers(questions)})
    assert response.status_code == 403 and message in response.get_data(as_text=True)
    assert count(Response) == 0
    page = client.get(f"/feedback/sessions/{session.id}").get_data(as_text=True)
    assert message in page and 'name="nonce"' not in page


def test_a_present_panchayat_may_answer_after_the_window(client, secretary, session, questions, monkeypatch):
    monkeypatch.setattr(clock, "now", lambda: session.ends_at + timedelta(days=1))
    _page, hidden = open_form(client, session)
    assert client.post(f"/feedback/sessions/{session.id}", data={**hidden, **answers(questions)}).status_code == 302
    assert count(Response) == 1


def test_draft_and_cancelled_sessions_have_no_feedback_page(client, make_programme, programme):
    draft = make_programme(title="मसौदा", modules=1, publish=False).sessions[0]
    cancelled = programme.sessions[1]
    programme_services.cancel_session(cancelled)
    db.session.commit()
    for session in (draft, cancelled):
        assert client.get(f"/feedback/sessions/{session.id}").status_code == 404
        assert client.post(f"/feedback/sessions/{session.id}", data={"nonce": "x" * 20}).status_code == 404
    assert client.get("/feedback/sessions/999999").status_code == 404


def test_a_programme_without_questions_says_so_and_shows_no_form(app, client, make_programme, monkeypatch):
    session = make_programme(title="बिना प्रश्न", modules=1).sessions[0]
    monkeypatch.setattr(clock, "now", lambda: session.starts_at)
    page = client.get(f"/feedback/sessions/{session.id}").get_data(as_text=True)
    assert hindi(app, "This training asks for no feedback: there is nothing more to fill in.") in page
    assert 'name="nonce"' not in page


def test_a_burst_of_posts_from_one_address_is_limited_with_a_friendly_page(app, client, secretary, session,
                                                                           questions):
    app.config["FEEDBACK_RATE_LIMIT"] = "3 per minute"
    statuses = []
    for _attempt in range(4):
        _page, hidden = open_form(client, session)
        response = client.post(f"/feedback/sessions/{session.id}", data={**hidden, **answers(questions)})
        statuses.append(response.status_code)
    assert statuses == [302, 302, 302, 429]
    page = response.get_data(as_text=True)
    assert hindi(app, "Too many attempts in a short time. Wait a minute and try again.") in page
    assert "pico" not in page
    assert count(Response) == 3


def test_the_response_pages_are_small_and_need_no_script(client, secretary, session, questions):
    page, hidden = open_form(client, session)
    thanks = client.get(client.post(f"/feedback/sessions/{session.id}",
                                    data={**hidden, **answers(questions)}).headers["Location"])
    css = 0
    for name in ("attend.css", "feedback.css"):
        response = client.get(f"/static/css/{name}")
        css += len(response.get_data())
        response.close()
    assert len(page.encode()) + css < 50_000 and len(thanks.get_data()) + css < 50_000
    for html in (page, thanks.get_data(as_text=True)):
        assert "<script" not in html and "style=" not in html and "pico" not in html and "woff" not in html


# Publishing without a form


def test_publishing_without_a_feedback_form_warns_and_publishes_only_when_asked(app, client, login_as,
                                                                                make_programme):
    from trainer.programmes.models import SessionStatus

    programme = make_programme(publish=False)
    login_as(Role.TRAINER)
    plan = client.get(f"/plan/{programme.id}").get_data(as_text=True)
    warning = hindi(app, "This programme has no feedback form: nobody who attends will be asked for feedback. "
                         "Add the questions first, or publish without a form.")
    assert warning in plan and 'name="anyway"' in plan
    refused = client.post(f"/plan/{programme.id}/publish", follow_redirects=True).get_data(as_text=True)
    assert warning in refused
    assert {s.status for s in programme.sessions} == {SessionStatus.DRAFT}
    client.post(f"/plan/{programme.id}/publish", data={"anyway": "y"})
    assert {s.status for s in programme.sessions} == {SessionStatus.PUBLISHED}


def test_a_programme_with_a_form_publishes_without_a_warning(app, client, login_as, make_programme):
    from trainer.programmes.models import SessionStatus

    programme = make_programme(publish=False)
    hidden = services.add_question(programme, QuestionKind.RATING, "केवल छिपा प्रश्न")
    services.set_hidden(hidden, True)
    db.session.commit()
    assert not services.has_feedback_form(programme)  # a hidden question is no form
    services.add_question(programme, QuestionKind.RATING, "कैसा लगा?")
    db.session.commit()
    assert services.has_feedback_form(programme)
    login_as(Role.TRAINER)
    assert 'name="anyway"' not in client.get(f"/plan/{programme.id}").get_data(as_text=True)
    client.post(f"/plan/{programme.id}/publish")
    assert {s.status for s in programme.sessions} == {SessionStatus.PUBLISHED}


def test_any_page_can_ask_whether_a_programme_has_a_feedback_form(app, make_programme):
    from flask import render_template_string

    with_form, without = make_programme(title="प्रश्न सहित"), make_programme(title="बिना प्रश्न", publish=False)
    services.add_question(with_form, QuestionKind.RATING, "कैसा लगा?")
    db.session.commit()
    with app.test_request_context():
        shown = render_template_string("{{ has_feedback_form(a) }} {{ has_feedback_form(b) }}", a=with_form, b=without)
    assert shown == "True False"


def test_the_confirmation_offers_feedback_only_when_the_programme_has_a_form(app, client, login_as, places,
                                                                             make_programme, monkeypatch):
    from trainer.attendance.tokens import make_token

    programme = make_programme(modules=1)  # no questions yet
    session = programme.sessions[0]
    monkeypatch.setattr(clock, "now", lambda: session.starts_at + timedelta(minutes=5))
    login_as(Role.SECRETARY)
    url = f"/a/{make_token(session.id)}"
    offer = "अब प्रशिक्षण पर अपनी राय दें"

    def confirmation() -> str:
        form = client.get(url).get_data(as_text=True)
        fields = hidden_fields(form)
        response = client.post(url, data={**fields, "participants": "5"})
        assert response.status_code == 200, response.get_data(as_text=True)
        return response.get_data(as_text=True)

    page = confirmation()
    assert "उपस्थित दर्ज" in page and offer not in page and "/feedback/sessions/" not in page
    services.add_question(programme, QuestionKind.RATING, "कैसा लगा?")
    db.session.commit()
    app.extensions.get("trainer.feedback.forms", {}).clear()  # as after the few seconds a process trusts it
    assert offer in confirmation()
