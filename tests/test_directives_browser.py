"""An owner office's officer reports action taken from a phone (360 px) with a PDF; the board then shows the
directive reported done and what is still overdue."""
from datetime import timedelta

from tests.browser_support import ARTIFACTS, browser, live_server, page_width, sign_in  # noqa: F401 (fixtures)
from tests.test_directives_pages import a_pdf
from trainer.accounts import services as accounts
from trainer.core import clock
from trainer.extensions import db
from trainer.meetings import directives, services
from trainer.meetings.directives import DirectiveValues
from trainer.meetings.models import Directive, DirectiveStatus
from trainer.meetings.services import MeetingValues, SeriesValues
from trainer.offices import services as offices
from trainer.offices.services import OfficeValues

PHONE = {"width": 360, "height": 740}


def test_an_owner_reports_done_with_a_pdf_from_a_phone_and_the_board_shows_it(live_server, browser, places,
                                                                                tmp_path):
    chair = offices.save_office(OfficeValues("उपायुक्त कार्यालय", "DC office", "DC", places.district(111)))
    owner = offices.save_office(OfficeValues("प्रखंड विकास पदाधिकारी कार्यालय", "Block office", "BDO",
                                             places.block(1111)))
    offices.add_officer(chair, accounts.find_user("district_officer"), "उपायुक्त")
    offices.add_officer(owner, accounts.find_user("block_officer"), "प्रखंड विकास पदाधिकारी")
    series = services.save_series(SeriesValues(code="gda", chair_office_id=chair.id,
                                               title_hi="जेएसएलपीएस मासिक समीक्षा", place=places.district(111)), None)
    held = clock.now() - timedelta(days=20)
    meeting = services.create_meeting(series, MeetingValues(starts_at=held, ends_at=held + timedelta(hours=2),
                                                            venue="समाहरणालय सभागार"), None)
    earlier = clock.today() - timedelta(days=20)
    late = directives.create_directive(meeting, DirectiveValues(
        owner_office_id=owner.id, text_hi="ऋण दस्तावेज बैंकों को भेजें", due_on=clock.today() - timedelta(days=4)),
        None, today=earlier)
    linked = directives.create_directive(meeting, DirectiveValues(
        owner_office_id=owner.id, text_hi="शेष परिवारों को समूहों से जोड़ें", due_on=clock.today() + timedelta(days=3)),
        None, today=earlier)
    db.session.commit()
    late_reference, linked_id, linked_reference = late.reference, linked.id, linked.reference
    (tmp_path / "प्रगति.pdf").write_bytes(a_pdf())
    ARTIFACTS.mkdir(exist_ok=True)

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    phone = context.new_page()
    sign_in(phone, live_server, "block_officer")
    phone.goto(live_server + "/directives/mine")
    assert phone.locator("#overdue").inner_text().count(late_reference) == 1
    assert linked_reference in phone.locator("#due-soon").inner_text()
    assert page_width(phone) <= PHONE["width"]
    phone.screenshot(path=str(ARTIFACTS / "directives-mine-360.png"), full_page=True)
    phone.click(f"text={linked_reference}")
    phone.wait_for_url(f"{live_server}/directives/{linked_id}")
    phone.fill("#text", "सभी 1,240 परिवार समूहों से जुड़े")
    phone.fill("#figures", "1240")
    phone.set_input_files("#file", str(tmp_path / "प्रगति.pdf"))
    phone.check("input[name=outcome][value=done]")
    assert page_width(phone) <= PHONE["width"]
    phone.screenshot(path=str(ARTIFACTS / "directives-report-form-360.png"), full_page=True)
    phone.click("#report button[type=submit]")
    phone.wait_for_url(f"{live_server}/directives/{linked_id}")
    assert "निर्देश पूर्ण बताया गया।" in phone.inner_text("main")
    assert "प्रगति.pdf" in phone.inner_text("#reports")
    assert page_width(phone) <= PHONE["width"]
    phone.screenshot(path=str(ARTIFACTS / "directives-reported-360.png"), full_page=True)
    context.close()

    db.session.expire_all()
    reported = db.session.get(Directive, linked_id)
    assert reported.status is DirectiveStatus.REPORTED_DONE and reported.reports[0].content_type == "application/pdf"

    context = browser.new_context(viewport=PHONE, is_mobile=True, has_touch=True)
    board = context.new_page()
    sign_in(board, live_server, "district_officer")
    board.goto(live_server + "/directives")
    rows = board.locator("#directives tbody tr")
    assert late_reference in rows.nth(0).inner_text() and "विलंबित" in rows.nth(0).inner_text()  # overdue first
    reported_row = board.locator("#directives tbody tr", has_text=linked_reference).inner_text()
    assert "पूर्ण बताया गया" in reported_row and "सभी 1,240 परिवार" in reported_row
    assert page_width(board) <= PHONE["width"]
    board.screenshot(path=str(ARTIFACTS / "directives-board-360.png"), full_page=True)
    board.goto(live_server + "/directives?overdue=1")
    assert late_reference in board.inner_text("#directives") and linked_reference not in board.inner_text("#directives")
    context.close()
