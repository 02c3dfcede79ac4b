"""The rules of questions and answers, the same for every questionnaire: what makes a question whole, when an
answered one counts as reworded, and what a submitted value turns into. Nothing here touches the database:
callers raise their own errors with the messages returned and make the rows of their own tables."""
from flask_babel import gettext

from trainer.questionnaires.models import RATING_MAX, RATING_MIN, QuestionKind

MAX_OPTIONS = 12
MAX_TEXT = 2000
MAX_SHORT_TEXT = 200


def keyed_options(kind: QuestionKind, options: list[dict] | None) -> list[dict]:
    """Give a choice question's options the keys o1, o2, … (none for other kinds), their texts stripped."""
    if not kind.has_options:
        return []
    return [{"key": f"o{number}", "hi": option.get("hi", "").strip(), "en": option.get("en", "").strip()}
            for number, option in enumerate(options or [], start=1)]


def question_problems(kind: QuestionKind, text_hi: str, options: list[dict]) -> list[str]:
    """Say what is wrong with a question's wording and options (nothing: an empty list)."""
    problems = []
    if not text_hi.strip():
        problems.append(gettext("Write the question in Hindi."))
    if kind.has_options:
        if not 2 <= len(options) <= MAX_OPTIONS:
            problems.append(gettext("A choice question needs between 2 and %(max)s options.", max=MAX_OPTIONS))
        if any(not option.get("hi", "").strip() for option in options):
            problems.append(gettext("Every option needs its Hindi text."))
    return problems


def _option_texts(options: list[dict]) -> list[tuple[str, str]]:
    return [(o.get("hi", "").strip(), o.get("en", "").strip()) for o in options]


def is_reworded(question, text_hi: str, text_en: str, options: list[dict]) -> bool:
    """Say whether the wording or the options given differ from the question's own."""
    return (text_hi.strip(), text_en.strip()) != (question.text_hi, question.text_en) or (
        question.kind.has_options and _option_texts(options) != _option_texts(question.options))


def reword(question, text_hi: str, text_en: str, options: list[dict], required: bool) -> list[str]:
    """Give a question new wording, options and `required`; return the problems instead if there are any."""
    keyed = keyed_options(question.kind, options)
    problems = question_problems(question.kind, text_hi, keyed)
    if not problems:
        question.text_hi, question.text_en, question.options, question.required = (
            text_hi.strip(), text_en.strip(), keyed, required)
    return problems


def text_limit(kind: QuestionKind) -> int:
    """Return how many characters a text answer may have."""
    return MAX_SHORT_TEXT if kind is QuestionKind.SHORT_TEXT else MAX_TEXT


def answer_values(question, value, required: bool | None = None) -> tuple[list[dict], str | None]:
    """Turn one submitted value into the values of answer rows ({"rating": 4}, {"option_key": "o2"} or
    {"text": "…"}), or say what is wrong with it. `required` defaults to the question's own."""
    required = question.required if required is None else required
    empty = value is None or value == "" or value == []
    if empty:
        return [], gettext("an answer is required.") if required else None
    if question.kind is QuestionKind.RATING:
        try:
            rating = int(value)
        except (TypeError, ValueError):
            rating = 0
        if not RATING_MIN <= rating <= RATING_MAX:
            return [], gettext("choose from 1 to 5.")
        return [{"rating": rating}], None
    if question.kind.has_options:
        chosen = value if isinstance(value, list) else [value]
        keys = {option["key"] for option in question.options}
        if any(key not in keys for key in chosen) or (question.kind is QuestionKind.SINGLE and len(chosen) > 1):
            return [], gettext("choose from the options given.")
        return [{"option_key": key} for key in dict.fromkeys(chosen)], None
    text = str(value).replace("\x00", "").strip()  # PostgreSQL refuses NUL in text; nobody types it
    limit = text_limit(question.kind)
    if len(text) > limit:
        return [], gettext("at most %(max)s characters.", max=limit)
    return ([{"text": text}] if text else []), (
        gettext("an answer is required.") if required and not text else None)


def form_value(question, answers) -> object:
    """Return what a question's field shows for its saved answer rows: a list of keys for multiple choice,
    else one string (the shape `trainer.questionnaires.forms.answers_from` reads)."""
    mine = [answer for answer in answers if answer.question_id == question.id]
    if question.kind is QuestionKind.MULTIPLE:
        return [answer.option_key for answer in mine]
    if not mine:
        return ""
    first = mine[0]
    if question.kind is QuestionKind.RATING:
        return str(first.rating)
    return first.option_key if question.kind is QuestionKind.SINGLE else first.text or ""


def shown_answer(question, answers) -> str:
    """Return a question's answer, from its rows, as words for people (empty when not answered)."""
    mine = [answer for answer in answers if answer.question_id == question.id]
    if question.kind is QuestionKind.RATING:
        return str(mine[0].rating) if mine else ""
    if question.kind.has_options:
        return ", ".join(question.option_text(answer.option_key) for answer in mine)
    return mine[0].text if mine else ""
