"""In Chromium, as new users would: at 360 px without JavaScript a secretary marks and asks, a second GP supports
the question, a third asks it again; the moderator approves from the keyboard, merges the duplicate, pins the
question; the overlay (with its script) shows it without a reload; it is answered and appears in the public FAQ
and the session report's PDF. Screenshots go to tests/artifacts/."""
import subprocess
from datetime import timedelta

import pytest

from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from trainer.attendance import services as attendance
from trainer.core import clock
from trainer.extensions import db
from trainer.questions.models import LiveQuestion, QuestionState, QuestionSupport, SetAsideReason

pytestmark = pytest.mark.browser
QUESTION = "पंचायत भवन की मरम्मत के लिए राशि कब मिलेगी?"
DUPLICATE = "पंचायत भवन मरम्मत की राशि कब तक मिलेगी?"
ANSWER = "राशि अगले माह जिला पंचायत से जारी होगी।"


@pytest.fixture
def session(app, make_programme, places, monkeypatch):
    session = make_programme(modules=2).sessions[0]
    monkeypatch.setattr(clock, "now", lambda: session.starts_at + timedelta(minutes=5))
    return session


def mark_and_open_questions(browser, base, code, gp_code, access):
    """Mark a GP present from a phone without JavaScript, then follow the done page's link to the questions."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, java_script_enabled=False)
    page = context.new_page()
    page.goto(f"{base}/a")
    page.fill("input[name=code]", code)
    page.click("main button[type=submit]")
    page.fill("#gp_query", str(gp_code))
    page.fill("#access_code", access)
    page.fill("#participants", "5")
    page.click("main button[type=submit]")
    assert "उपस्थित दर्ज" in page.inner_text("main")
    page.click("text=विशेषज्ञों से प्रश्न पूछें")
    return context, page


def ask(page, text):
    page.fill("#text", text)
    page.select_option("#asker", "secretary")
    page.click("form.ask button[type=submit]")
    assert "आपका प्रश्न भेज दिया गया है" in page.inner_text("main")


def test_a_question_goes_from_a_phone_through_the_queue_to_the_stream_and_the_faq(
        app, live_server, browser, session, places, tmp_path):
    db.session.refresh(session)
    code = attendance.ensure_session_code(session)
    access = {gp: attendance.issue_code(places.gp(gp)) for gp in (11111, 11112, 11113)}
    db.session.commit()
    ARTIFACTS.mkdir(exist_ok=True)

    first, asking = mark_and_open_questions(browser, live_server, code, 11111, access[11111])
    ask(asking, QUESTION)
    assert "संचालक की जाँच की प्रतीक्षा में" in asking.inner_text("main")
    asking.screenshot(path=str(ARTIFACTS / "questions-asked-360.png"), full_page=True)
    assert page_width(asking) <= 360  # nothing wider than the phone
    studio = browser.new_context(viewport={"width": 1366, "height": 768})
    moderator = studio.new_page()
    sign_in(moderator, live_server, "trainer")
    overlay = studio.new_page()
    overlay.goto(f"{live_server}/questions/sessions/{session.id}/overlay")
    assert overlay.locator(".card").count() == 0
    moderator.goto(f"{live_server}/questions/sessions/{session.id}/queue")
    assert DUPLICATE not in moderator.inner_text("#queue-rows")

    # A question asked while the queue is open shows up in it without a reload.
    third, repeating = mark_and_open_questions(browser, live_server, code, 11113, access[11113])
    ask(repeating, DUPLICATE)
    moderator.wait_for_function("text => document.getElementById('queue-rows').innerText.includes(text)",
                                arg=DUPLICATE, timeout=15_000)
    second, supporting = mark_and_open_questions(browser, live_server, code, 11112, access[11112])
    assert QUESTION not in supporting.inner_text("main")  # not yet approved
    [asked] = [q for q in db.session.scalars(db.select(LiveQuestion)) if q.text == QUESTION]
    [duplicate] = [q for q in db.session.scalars(db.select(LiveQuestion)) if q.text == DUPLICATE]
    # From the keyboard: j selects the first waiting question (the oldest), a approves it.
    moderator.keyboard.press("j")
    assert moderator.locator("tr.selected").get_attribute("data-id") == str(asked.id)
    moderator.keyboard.press("a")
    moderator.wait_for_load_state()
    moderator.wait_for_selector(f'tr[data-id="{duplicate.id}"]')
    db.session.expire_all()
    assert db.session.get(LiveQuestion, asked.id).state is QuestionState.VISIBLE

    # The duplicate's page offers the first question as similar: merge it there.
    moderator.goto(f"{live_server}/questions/sessions/{session.id}/questions/{duplicate.id}")
    moderator.screenshot(path=str(ARTIFACTS / "questions-detail-1366.png"), full_page=True)
    moderator.click(f"text=#{asked.id} में मिलाएँ")
    db.session.expire_all()
    merged = db.session.get(LiveQuestion, duplicate.id)
    assert (merged.state, merged.set_aside_reason, merged.merged_into_id) == (
        QuestionState.SET_ASIDE, SetAsideReason.DUPLICATE, asked.id)

    # The second GP sees the approved question and supports it.
    supporting.reload()
    supporting.click("text=मेरा भी यही प्रश्न है")
    assert "आपकी ग्राम पंचायत इस प्रश्न का समर्थन करती है" in supporting.inner_text("main")
    supporting.screenshot(path=str(ARTIFACTS / "questions-supported-360.png"), full_page=True)
    supporters = set(db.session.scalars(db.select(QuestionSupport.gram_panchayat_id)
                                        .where(QuestionSupport.question_id == asked.id)))
    assert supporters == {places.gp(11112).id, places.gp(11113).id}  # the duplicate's asker came with it

    # Pin it from the queue's keyboard; the overlay, already open, shows it by itself.
    moderator.goto(f"{live_server}/questions/sessions/{session.id}/queue?state=visible")
    moderator.keyboard.press("j")
    moderator.screenshot(path=str(ARTIFACTS / "questions-queue-1366.png"), full_page=True)
    moderator.keyboard.press("p")
    moderator.wait_for_load_state()
    overlay.wait_for_selector(".card .text", timeout=15_000)
    gp = places.gp(11111)
    card = overlay.inner_text(".card")
    assert QUESTION in card and gp.name_hi in card and gp.block.name_hi in card and gp.block.district.name_hi in card
    overlay.screenshot(path=str(ARTIFACTS / "questions-overlay-1366.png"))

    # Answered in writing: the asker sees it, the overlay empties, the public page's FAQ and the PDF carry it.
    moderator.goto(f"{live_server}/questions/sessions/{session.id}/questions/{asked.id}")
    moderator.fill("#answer", ANSWER)
    moderator.click("text=उत्तर सहेजें और उत्तरित चिह्नित करें")
    overlay.wait_for_selector(".card", state="detached", timeout=15_000)
    asking.reload()
    assert ANSWER in asking.inner_text("main")
    public = browser.new_context(viewport={"width": 360, "height": 740}).new_page()
    public.goto(f"{live_server}/sessions/{session.id}")
    faq = public.inner_text("section.faq")
    assert QUESTION in faq and ANSWER in faq
    public.screenshot(path=str(ARTIFACTS / "questions-faq-360.png"), full_page=True)
    pdf = moderator.request.get(f"{live_server}/reports/sessions/{session.id}.pdf")
    assert pdf.ok
    (tmp_path / "report.pdf").write_bytes(pdf.body())
    text = subprocess.run(["pdftotext", "-enc", "UTF-8", str(tmp_path / "report.pdf"), "-"], check=True,
                          capture_output=True, timeout=60).stdout.decode("utf-8")
    assert "जिला पंचायत से जारी" in text.replace("\n", " ")
    for context in (first, second, third, studio, public.context):
        context.close()
