"""The rules every questionnaire shares (a feedback form, a call's application form), apart from any table."""
from types import SimpleNamespace

import pytest
from flask import render_template_string
from werkzeug.datastructures import MultiDict

from trainer.questionnaires import rules
from trainer.questionnaires.forms import QuestionTextForm, answers_from
from trainer.questionnaires.models import QuestionKind


def _question(kind: QuestionKind, required=False, options=(), question_id=1, text_hi="प्रश्न"):
    return SimpleNamespace(id=question_id, kind=kind, required=required, text_hi=text_hi, text_en="",
                           options=rules.keyed_options(kind, [{"hi": hi} for hi in options]),
                           question=text_hi, option_text=lambda key: key)


def test_choice_options_get_fixed_keys_and_other_kinds_none():
    assert rules.keyed_options(QuestionKind.SINGLE, [{"hi": " हाँ "}, {"hi": "नहीं", "en": "No"}]) == [
        {"key": "o1", "hi": "हाँ", "en": ""}, {"key": "o2", "hi": "नहीं", "en": "No"}]
    assert rules.keyed_options(QuestionKind.RATING, [{"hi": "हाँ"}]) == []


def test_a_question_without_hindi_or_with_too_few_options_is_named_in_hindi(app):
    with app.test_request_context(headers={"Accept-Language": "hi"}):
        problems = rules.question_problems(QuestionKind.MULTIPLE, " ", [{"key": "o1", "hi": "एक"}])
        assert len(problems) == 2 and all(any("\u0900" <= c <= "\u097f" for c in p) for p in problems)
        assert rules.question_problems(QuestionKind.LONG_TEXT, "सुझाव", []) == []


def test_rewording_is_told_apart_from_keeping_the_words():
    question = _question(QuestionKind.SINGLE, options=("हाँ", "नहीं"))
    assert not rules.is_reworded(question, "प्रश्न ", "", [{"hi": "हाँ"}, {"hi": "नहीं"}])
    assert rules.is_reworded(question, "प्रश्न", "", [{"hi": "हाँ"}, {"hi": "शायद"}])
    assert rules.is_reworded(question, "नया प्रश्न", "", [{"hi": "हाँ"}, {"hi": "नहीं"}])


@pytest.mark.parametrize(("kind", "value", "rows"), [
    (QuestionKind.RATING, "4", [{"rating": 4}]),
    (QuestionKind.SINGLE, "o2", [{"option_key": "o2"}]),
    (QuestionKind.MULTIPLE, ["o1", "o2", "o1"], [{"option_key": "o1"}, {"option_key": "o2"}]),
    (QuestionKind.SHORT_TEXT, " सचिव\x00 ", [{"text": "सचिव"}]),
    (QuestionKind.LONG_TEXT, "", []),
])
def test_each_kind_of_value_becomes_its_rows(app, kind, value, rows):
    with app.test_request_context():
        assert rules.answer_values(_question(kind, options=("क", "ख")), value) == (rows, None)


@pytest.mark.parametrize(("kind", "value"), [
    (QuestionKind.RATING, "6"), (QuestionKind.RATING, "x"), (QuestionKind.SINGLE, "o9"),
    (QuestionKind.SINGLE, ["o1", "o2"]), (QuestionKind.MULTIPLE, ["o1", "zz"]),
    (QuestionKind.SHORT_TEXT, "क" * 201), (QuestionKind.LONG_TEXT, "क" * 2001),
])
def test_a_bad_value_makes_no_row_and_says_why(app, kind, value):
    with app.test_request_context():
        made, problem = rules.answer_values(_question(kind, options=("क", "ख")), value)
    assert made == [] and problem


def test_a_required_question_left_empty_is_refused_unless_required_is_waived_for_a_draft(app):
    question = _question(QuestionKind.MULTIPLE, required=True, options=("क", "ख"))
    with app.test_request_context(headers={"Accept-Language": "hi"}):
        assert rules.answer_values(question, [])[1] == "उत्तर देना अनिवार्य है।"
        assert rules.answer_values(question, [], required=False) == ([], None)


def test_answers_are_read_from_a_form_and_restored_from_rows():
    single, multiple = _question(QuestionKind.SINGLE, question_id=1), _question(QuestionKind.MULTIPLE, question_id=2)
    rating = _question(QuestionKind.RATING, question_id=3)
    read = answers_from(MultiDict([("q1", "o1"), ("q2", "o1"), ("q2", "o3")]), [single, multiple, rating])
    assert read == {1: "o1", 2: ["o1", "o3"], 3: ""}
    rows = [SimpleNamespace(question_id=2, option_key="o1", rating=None, text=None),
            SimpleNamespace(question_id=2, option_key="o3", rating=None, text=None),
            SimpleNamespace(question_id=3, option_key=None, rating=5, text=None)]
    assert [rules.form_value(q, rows) for q in (single, multiple, rating)] == ["", ["o1", "o3"], "5"]
    assert rules.shown_answer(multiple, rows) == "o1, o3" and rules.shown_answer(rating, rows) == "5"


def test_the_editor_reads_options_one_per_line(app):
    with app.test_request_context(method="POST", data={"text_hi": "प्रश्न", "options": "हाँ | Yes\n\n नहीं "}):
        form = QuestionTextForm(meta={"csrf": False})
        assert form.option_list() == [{"hi": "हाँ", "en": "Yes"}, {"hi": "नहीं", "en": ""}]


def test_the_field_macro_shows_each_kind_with_its_saved_value_and_its_error(app):
    page = """{% from "questionnaires/_macros.html" import question_field %}{% for q, v in pairs %}
              {{ question_field(q, v, loop.index, errors.get(q.id)) }}{% endfor %}"""
    questions = [_question(kind, options=("क", "ख"), question_id=number)
                 for number, kind in enumerate(QuestionKind, start=1)]
    values = ["3", "o2", ["o1"], "सचिव", "सुझाव"]
    with app.test_request_context():
        html = render_template_string(page, pairs=list(zip(questions, values, strict=True)),
                                      errors={4: "बहुत लंबा"})
    assert 'name="q1" value="3" checked' in html and 'name="q2" value="o2" checked' in html
    assert 'type="checkbox" name="q3" value="o1" checked' in html
    assert 'value="सचिव"' in html and ">सुझाव</textarea>" in html and "बहुत लंबा" in html
