"""A call's application form of its own questions: managed like a feedback form's, answered on the public page
(saved with the draft, restored, required ones asked for on submission), read by staff on the application's page
and in the JSON; fixed once applications are submitted."""
import re

import pytest
from sqlalchemy import func, select

from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from tests.test_calls import APPLICANT, in_december, make_call, open_call, pdf_bytes  # noqa: F401 (fixture)
from trainer.core.roles import Role
from trainer.extensions import db
from trainer.partners import applications, call_questions
from trainer.partners.calls import CallError
from trainer.partners.models import Application, ApplicationAnswer, ApplicationState, CallQuestion
from trainer.questionnaires.models import QuestionKind


def ask_every_kind(call) -> dict[QuestionKind, CallQuestion]:
    asked = {
        QuestionKind.RATING: call_questions.add_question(call, QuestionKind.RATING, "पंचायतों के साथ अनुभव कितना है?",
                                                         "How much experience with panchayats?", required=True),
        QuestionKind.SINGLE: call_questions.add_question(call, QuestionKind.SINGLE, "क्या संस्था FCRA पंजीकृत है?",
                                                         options=[{"hi": "हाँ", "en": "Yes"}, {"hi": "नहीं"}],
                                                         required=True),
        QuestionKind.MULTIPLE: call_questions.add_question(call, QuestionKind.MULTIPLE, "किन संभागों में काम करती है?",
                                                           options=[{"hi": "भोपाल"}, {"hi": "इंदौर"}, {"hi": "रीवा"}]),
        QuestionKind.SHORT_TEXT: call_questions.add_question(call, QuestionKind.SHORT_TEXT, "प्रमुख का पदनाम"),
        QuestionKind.LONG_TEXT: call_questions.add_question(call, QuestionKind.LONG_TEXT, "पिछले तीन वर्षों का काम",
                                                            required=True),
    }
    db.session.commit()
    return asked


def fields(asked, **values) -> dict:
    return {f"q{asked[QuestionKind[name.upper()]].id}": value for name, value in values.items()}


def test_questions_are_added_reworded_ordered_and_hidden(app):
    call = make_call()
    asked = ask_every_kind(call)
    assert [q.kind for q in call_questions.questions_of(call)] == list(QuestionKind)
    single = asked[QuestionKind.SINGLE]
    assert [o["key"] for o in single.options] == ["o1", "o2"]
    call_questions.update_question(single, "FCRA पंजीयन?", "", [{"hi": "हाँ"}, {"hi": "नहीं"}, {"hi": "आवेदन किया"}],
                                   False)
    call_questions.move_question(single, -1)
    call_questions.set_hidden(asked[QuestionKind.SHORT_TEXT], True)
    db.session.commit()
    shown = call_questions.questions_of(call)
    assert shown[0] == single and len(single.options) == 3 and not single.required
    assert asked[QuestionKind.SHORT_TEXT] not in shown and len(call_questions.questions_of(call, True)) == 5
    with pytest.raises(CallError):
        call_questions.add_question(call, QuestionKind.SINGLE, "अधूरा", options=[{"hi": "एक"}])


def test_once_an_application_is_submitted_questions_are_only_hidden_or_moved(app, places, in_december):
    call = open_call()
    asked = ask_every_kind(call)
    application, _code = applications.start_application(call, applications.ApplicationValues(
        kind=applications.OrganisationKind.NGO, name_hi="जल सेवा समिति", contact_name="रेखा",
        contact_mobile="9876500011", themes=("water",)), (applications.Upload(call.documents[0].id, "a.pdf",
                                                                              pdf_bytes()),),
        answers={asked[QuestionKind.RATING].id: "4", asked[QuestionKind.SINGLE].id: "o1",
                 asked[QuestionKind.LONG_TEXT].id: "ग्राम सभा प्रशिक्षण"})
    applications.submit(application)
    db.session.commit()
    rating = asked[QuestionKind.RATING]
    with pytest.raises(CallError):
        call_questions.update_question(rating, "नया शब्द", "", [], True)
    with pytest.raises(CallError):
        call_questions.add_question(call, QuestionKind.RATING, "एक और")
    db.session.rollback()
    call_questions.move_question(rating, 1)
    call_questions.set_hidden(rating, True)
    db.session.commit()
    assert rating.text_hi == "पंचायतों के साथ अनुभव कितना है?" and rating.hidden and rating.position == 2


def test_a_planner_manages_the_questions_on_the_call_s_page(client, login_as, places):
    call = make_call()
    login_as(Role.TRAINER)
    assert client.post(f"/partners/calls/{call.id}/questions", data={
        "kind": "multiple", "text_hi": "कार्य क्षेत्र", "options": "भोपाल | Bhopal\nइंदौर", "required": "y"}
        ).status_code == 302
    assert client.post(f"/partners/calls/{call.id}/questions", data={"kind": "rating", "text_hi": "अनुभव"}
                       ).status_code == 302
    refused = client.post(f"/partners/calls/{call.id}/questions", data={"kind": "single", "text_hi": "",
                                                                        "options": "एक"})
    assert refused.status_code == 400 and "प्रश्न हिन्दी में लिखें।" in refused.get_data(as_text=True)
    first, second = call_questions.questions_of(call)
    assert first.options == [{"key": "o1", "hi": "भोपाल", "en": "Bhopal"}, {"key": "o2", "hi": "इंदौर", "en": ""}]
    page = client.get(f"/partners/calls/{call.id}").get_data(as_text=True)
    assert "कार्य क्षेत्र" in page and "अनुभव" in page
    edit = f"/partners/calls/{call.id}/questions/{first.id}/edit"
    assert "भोपाल | Bhopal" in client.get(edit).get_data(as_text=True)
    assert client.post(edit, data={"text_hi": "कार्य के संभाग", "options": "भोपाल\nइंदौर\nरीवा"}).status_code == 302
    assert client.post(f"/partners/calls/{call.id}/questions/{second.id}/move", data={"direction": "up"}
                       ).status_code == 302
    assert client.post(f"/partners/calls/{call.id}/questions/{first.id}/hidden", data={"hidden": "1"}
                       ).status_code == 302
    db.session.expire_all()
    assert [q.text_hi for q in call_questions.questions_of(call, True)] == ["अनुभव", "कार्य के संभाग"]
    assert call_questions.questions_of(call) == [second] and len(first.options) == 3 and not first.required
    assert client.get(f"/partners/calls/{call.id}/questions/999/edit").status_code == 404


def test_staff_who_do_not_manage_calls_cannot_change_the_questions(client, login_as, places):
    call = make_call()
    question = call_questions.add_question(call, QuestionKind.RATING, "अनुभव")
    db.session.commit()
    login_as(Role.BLOCK_OFFICER)
    assert "अनुभव" in client.get(f"/partners/calls/{call.id}").get_data(as_text=True)
    assert client.post(f"/partners/calls/{call.id}/questions", data={"kind": "rating", "text_hi": "नया"}
                       ).status_code == 403
    assert client.post(f"/partners/calls/{call.id}/questions/{question.id}/hidden", data={"hidden": "1"}
                       ).status_code == 403
    assert db.session.scalar(select(func.count(CallQuestion.id))) == 1 and not question.hidden


def post(client, call, action="draft", **data):
    return client.post(f"/apply/{call.id}", data={**APPLICANT, **data, "action": action},
                       content_type="multipart/form-data")


def test_every_kind_is_answered_on_the_public_page_saved_with_the_draft_and_finished_later(
        client, login_as, places, in_december):
    call = open_call()
    asked = ask_every_kind(call)
    page = client.get(f"/apply/{call.id}").get_data(as_text=True)
    assert all(q.text_hi in page for q in asked.values()) and "questionnaire.css" in page
    # A draft may leave required questions for later, but a wrong answer is refused and nothing is written.
    wrong = post(client, call, **fields(asked, rating="7", multiple=["o1", "o9"]))
    assert wrong.status_code == 400 and db.session.scalar(select(func.count(Application.id))) == 0
    assert "1 से 5 में से चुनें।" in wrong.get_data(as_text=True)
    saved = post(client, call, **fields(asked, rating="4", multiple=["o1", "o3"], short_text="सचिव"),
                 **{f"document-{call.documents[0].id}": (__import__("io").BytesIO(pdf_bytes()), "a.pdf")})
    assert saved.status_code == 200
    code = re.search(r'id="code">(\d{8})<', saved.get_data(as_text=True)).group(1)
    application = db.session.scalar(select(Application))
    assert sorted((a.question_id, a.rating, a.option_key, a.text) for a in application.answers) == sorted([
        (asked[QuestionKind.RATING].id, 4, None, None), (asked[QuestionKind.MULTIPLE].id, None, "o1", None),
        (asked[QuestionKind.MULTIPLE].id, None, "o3", None), (asked[QuestionKind.SHORT_TEXT].id, None, None, "सचिव")])
    # Later, in another browser: the reference and code bring the draft back with its answers.
    client.delete_cookie("session")
    with client.session_transaction() as browser_session:
        browser_session.clear()
    assert client.post("/apply/status", data={"reference": application.reference, "code": code}).status_code == 200
    page = client.get(f"/apply/{call.id}").get_data(as_text=True)
    rating, multiple = asked[QuestionKind.RATING], asked[QuestionKind.MULTIPLE]
    assert f'name="q{rating.id}" value="4" checked' in page and f'name="q{multiple.id}" value="o3" checked' in page
    assert 'value="सचिव"' in page
    # Submitting without the required answers is refused in Hindi, each one named.
    refused = post(client, call, "submit", **fields(asked, rating="4", multiple=["o1", "o3"], short_text="सचिव"))
    text = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "अभी बाकी है:" in text
    assert asked[QuestionKind.SINGLE].text_hi in text and "उत्तर देना अनिवार्य है।" in text
    db.session.expire_all()
    assert db.session.get(Application, application.id).state is ApplicationState.DRAFT
    done = post(client, call, "submit", **fields(asked, rating="5", single="o2", multiple=["o2"], short_text="",
                                                 long_text="ग्राम सभाओं में जल प्रबंधन\nप्रशिक्षण"))
    assert done.status_code == 200
    db.session.expire_all()
    application = db.session.get(Application, application.id)
    assert application.state is ApplicationState.SUBMITTED
    assert sorted((a.question_id, a.rating, a.option_key) for a in application.answers if a.text is None) == sorted([
        (rating.id, 5, None), (asked[QuestionKind.SINGLE].id, None, "o2"), (multiple.id, None, "o2")])
    # Staff read the answers on the application's page and in the JSON.
    login_as(Role.BLOCK_OFFICER)
    page = client.get(f"/partners/calls/{call.id}/applications/{application.id}").get_data(as_text=True)
    assert "ग्राम सभाओं में जल प्रबंधन<br>प्रशिक्षण" in page and "नहीं" in page and "इंदौर" in page
    assert "उत्तर नहीं दिया" in page  # the short text left empty
    assert f"/partners/calls/{call.id}/applications/{application.id}" in client.get(
        f"/partners/calls/{call.id}").get_data(as_text=True)
    assert client.get(f"/partners/calls/{call.id}/applications/999").status_code == 404
    one = client.get(f"/api/v1/calls/{call.id}").get_json()
    assert [q["kind"] for q in one["questions"]] == [kind.value for kind in QuestionKind]
    [sent] = client.get(f"/api/v1/calls/{call.id}/applications").get_json()["applications"]
    assert {a["question_id"]: a["value"] for a in sent["answers"]} == {
        rating.id: 5, asked[QuestionKind.SINGLE].id: "o2", multiple.id: ["o2"],
        asked[QuestionKind.LONG_TEXT].id: "ग्राम सभाओं में जल प्रबंधन\nप्रशिक्षण"}


def test_a_hidden_question_is_not_asked_and_its_old_answers_stay(client, places, in_december):
    call = open_call()
    asked = ask_every_kind(call)
    post(client, call, **fields(asked, short_text="सचिव"))
    call_questions.set_hidden(asked[QuestionKind.SHORT_TEXT], True)
    db.session.commit()
    page = client.get(f"/apply/{call.id}").get_data(as_text=True)
    assert asked[QuestionKind.SHORT_TEXT].text_hi not in page
    assert post(client, call, **fields(asked, rating="3")).status_code == 200
    assert sorted(a.text or str(a.rating) for a in db.session.scalars(select(ApplicationAnswer))) == ["3", "सचिव"]


@pytest.mark.browser
def test_the_questions_fit_a_360_px_phone_and_the_staff_pages_a_desktop(browser, live_server,  # noqa: F811
                                                                          in_december):
    call = open_call()
    asked = ask_every_kind(call)
    application, _code = applications.start_application(call, applications.ApplicationValues(
        kind=applications.OrganisationKind.NGO, name_hi="जल सेवा समिति", contact_name="रेखा", themes=("water",)),
        answers={asked[QuestionKind.RATING].id: "4", asked[QuestionKind.MULTIPLE].id: ["o1", "o3"],
                 asked[QuestionKind.LONG_TEXT].id: "ग्राम सभा प्रशिक्षण\nजल समितियाँ"})
    db.session.commit()
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (360, 1280):
        context = browser.new_context(viewport={"width": width, "height": 800}, java_script_enabled=False)
        page = context.new_page()
        page.goto(f"{live_server}/apply/{call.id}")
        assert "पिछले तीन वर्षों का काम" in page.inner_text("main")
        assert page_width(page) <= width
        page.screenshot(path=str(ARTIFACTS / f"apply-questions-{width}.png"), full_page=True)
        sign_in(page, live_server, Role.TRAINER.value)  # the live server's accounts are named after their roles
        for name, path in (("call", f"/partners/calls/{call.id}"),
                           ("application", f"/partners/calls/{call.id}/applications/{application.id}")):
            page.goto(live_server + path)
            assert "पिछले तीन वर्षों का काम" in page.inner_text("main")
            assert page_width(page) <= width, (name, width)
            page.screenshot(path=str(ARTIFACTS / f"call-questions-{name}-{width}.png"), full_page=True)
        context.close()
