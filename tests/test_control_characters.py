"""Control and bidirectional-override characters: every one-line field of every form takes none (line breaks
become spaces), multi-line fields keep their line breaks only, the hierarchy importer refuses them in names,
and the iCalendar feeds never fail on whatever is stored."""
import pytest
from icalendar import Calendar
from sqlalchemy import select

from trainer.core.forms import Form, multi_line, one_line, text_cleaner
from trainer.core.roles import Role
from trainer.extensions import db

NASTY = "पंचायत\r\nप्रशिक्षण\x00\x1b[31m\t\u202eTXT.exe\u2066\x85end"


def test_one_line_text_loses_breaks_controls_and_direction_overrides():
    assert one_line(NASTY) == "पंचायत प्रशिक्षण[31m TXT.exe end"
    assert one_line("ग्राम\u200dपंचायत") == "ग्राम\u200dपंचायत"  # the joiners Devanagari needs stay
    assert one_line(None) is None and one_line(["a\nb"]) == ["a\nb"]


def test_multi_line_text_keeps_its_line_breaks_and_nothing_else():
    assert multi_line("one\r\ntwo\rthree\x00\u202e\tfour\u2028five") == "one\ntwo\nthree four\nfive"


def _form_classes():
    import trainer.accounts.forms
    import trainer.attendance.access_codes
    import trainer.attendance.flow_forms
    import trainer.attendance.forms
    import trainer.contacts.forms
    import trainer.feedback.forms
    import trainer.programmes.forms
    import trainer.regions.forms  # noqa: F401

    def every(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from every(sub)
    return sorted(set(every(Form)), key=lambda cls: cls.__qualname__)


@pytest.mark.parametrize("form_class", _form_classes(), ids=lambda cls: cls.__qualname__)
def test_every_text_field_of_every_form_is_cleaned(app, form_class):
    from wtforms import PasswordField, StringField, TextAreaField
    with app.test_request_context("/", method="POST"):
        form = form_class(meta={"csrf": False}) if form_class.__init__ is Form.__init__ else None
    if form is None:
        pytest.skip("a form built for one page's objects; its fields are the same classes")
    for field in form:
        if isinstance(field, TextAreaField):
            assert multi_line in field.filters, field.name
        elif isinstance(field, StringField) and not isinstance(field, PasswordField):
            assert one_line in field.filters, field.name


def test_a_title_with_a_line_break_is_saved_on_one_line(client, login_as, make_programme):
    programme = make_programme(modules=1)
    login_as(Role.TRAINER)
    page = client.get(f"/plan/{programme.id}/edit")
    assert page.status_code == 200
    from tests.test_security import hidden_fields
    data = hidden_fields(page.get_data(as_text=True))
    data.update(title_hi="नया\r\nशीर्षक\u202e", title_en="New\ntitle", description_hi="पहली\r\nदूसरी\x00",
                first_day="2026-07-21", last_day="2026-08-07", slots="11:00, 15:00", parallel="2",
                completion_sessions="1", youtube_privacy="unlisted", calendar_order="division_wise",
                divisions=[str(d.id) for d in programme.divisions])
    response = client.post(f"/plan/{programme.id}/edit", data=data)
    assert response.status_code == 302, response.get_data(as_text=True)[:3000]
    db.session.refresh(programme)
    assert (programme.title_hi, programme.title_en) == ("नया शीर्षक", "New title")
    assert programme.description_hi == "पहली\nदूसरी"


def test_the_calendar_feeds_answer_whatever_the_stored_titles_hold(client, make_programme, places):
    programme = make_programme(modules=1)
    programme.title_hi = "पंचायत\r\nप्रशिक्षण\x01\u202e"  # PostgreSQL stores no NUL; SQLite would
    programme.modules[0].title_hi = "मॉड्यूल\n1\x1b"
    session = programme.sessions[0]
    session.venue = "जनपद कार्यालय\r\nकक्ष 2\x07"
    db.session.commit()
    for url in (f"/programmes/{programme.id}/calendar.ics", f"/programmes/{programme.id}/divisions/1/calendar.ics"):
        response = client.get(url)
        assert response.status_code == 200, url
        calendar = Calendar.from_ical(response.data)
        names = [str(calendar["x-wr-calname"])]
        events = [c for c in calendar.walk("VEVENT")]
        assert events
        for event in events:
            names += [str(event["summary"])] + ([str(event["location"])] if "location" in event else [])
            assert "\x00" not in str(event["description"]) and "\u202e" not in str(event["description"])
        for name in names:
            assert one_line(name) == name, name
        assert "पंचायत प्रशिक्षण" in names[0]


def test_the_hierarchy_importer_refuses_direction_overrides_in_names(app, runner, tmp_path, region_rows):
    rows = region_rows()
    rows[0]["gp_name_en"] = "Gram\u202eexe.txt"
    header = list(rows[0])
    path = tmp_path / "state.csv"
    path.write_text("\n".join([",".join(header)] + [",".join(row[k] for k in header) for row in rows]),
                    encoding="utf-8")
    result = runner.invoke(args=["regions", "import", str(path)], env={"LANG": "en"})
    assert result.exit_code != 0
    assert "line 2" in result.output and "control character" in result.output
    from trainer.regions.models import GramPanchayat
    assert db.session.scalar(select(GramPanchayat)) is None


def test_text_cleaner_leaves_passwords_as_typed():
    from wtforms import HiddenField, PasswordField, StringField, TextAreaField
    assert text_cleaner(PasswordField) is None
    assert text_cleaner(StringField) is one_line and text_cleaner(HiddenField) is one_line
    assert text_cleaner(TextAreaField) is multi_line
