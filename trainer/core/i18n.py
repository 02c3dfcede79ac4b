"""Language choice and the Indian number, date and time formats used in every template."""
from datetime import datetime

from flask import current_app, has_request_context, request
from flask_babel import format_date, format_datetime, format_decimal, format_percent, get_locale

LANGUAGE_COOKIE = "lang"
LANGUAGE_COOKIE_SECONDS = 365 * 24 * 3600
# English is shown in India's conventions (5,32,630; 21/07/26), hence en_IN, not en.
LOCALES = {"hi": "hi", "en": "en_IN"}


def select_locale() -> str:
    """Return the locale for this request: the remembered choice, else Hindi."""
    choice = request.cookies.get(LANGUAGE_COOKIE) if has_request_context() else None
    return LOCALES.get(choice, LOCALES[current_app.config["BABEL_DEFAULT_LOCALE"]])


def remember_language(response, choice: str):
    """Keep a chosen language ("hi" or "en") in the browser's cookie for a year; anything else changes nothing."""
    if choice in LOCALES:
        response.set_cookie(LANGUAGE_COOKIE, choice, max_age=LANGUAGE_COOKIE_SECONDS, samesite="Lax", httponly=True,
                            secure=current_app.config["SESSION_COOKIE_SECURE"])
    return response


def current_language() -> str:
    """Return "hi" or "en", the language the page is shown in."""
    return "en" if str(get_locale()).startswith("en") else "hi"


def format_number(value) -> str:
    """Format a number with Indian digit grouping (5,32,630)."""
    if value is None:
        return "—"
    return format_decimal(value)


def shown_share(fraction: float | None) -> float | None:
    """Round a share (0.99986) to the tenth of a per cent that people are shown (0.999), never up to 100 %
    while something is left. Every share shown or exported goes through here: pages, charts, CSV and XLSX."""
    if fraction is None:
        return None
    shown = round(fraction * 1000) / 1000
    if fraction < 1 and shown >= 1:
        return 0.999
    return shown


def format_share(part, whole) -> str:
    """Format part/whole as a percentage with one decimal (22,809 of 22,812: 99.9 %, not 100.0 %), or a dash
    when whole is zero."""
    if not whole:
        return "—"
    return format_percent(shown_share(part / whole), format="#,##0.0%")


def format_day(value) -> str:
    """Format a date (or a datetime, in Asia/Kolkata) as 21 Jul 2026."""
    if value is None:
        return "—"
    if isinstance(value, datetime):
        return format_datetime(value, "d MMM y")
    return format_date(value, "d MMM y")


def format_long_day(value) -> str:
    """Format a date with its month written out, as documents print it: 3 दिसंबर 2026, 3 December 2026."""
    if value is None:
        return "—"
    return format_date(value, "d MMMM y")


def clock_pattern() -> str:
    """Return the page language's own pattern for a time of day: Hindi's "B h:mm" (सुबह 11:00, दोपहर 3:00,
    as the department prints it; Babel's plain "h:mm a" would give "11:00 am"), English's "h:mm a"."""
    return "h:mm a" if current_language() == "en" else "B h:mm"


def format_moment(value) -> str:
    """Format a UTC datetime in Asia/Kolkata as 21 जुल॰ 2026, सुबह 11:00 (21 Jul 2026, 11:00 am)."""
    if value is None:
        return "—"
    return format_datetime(value, f"d MMM y, {clock_pattern()}")


def format_clock(value) -> str:
    """Format a UTC datetime as the time of day in Asia/Kolkata: सुबह 11:00 (11:00 am)."""
    if value is None:
        return "—"
    return format_datetime(value, clock_pattern())


def format_weekday(value) -> str:
    """Name the day of the week of a date: मंगलवार, Tuesday."""
    return format_date(value, "EEEE")


def format_month(value) -> str:
    """Name a month and its year: जुलाई 2026, July 2026."""
    return format_date(value, "MMMM y")


def pick(hindi: str | None, english: str | None) -> str:
    """Return the Hindi or the English of a pair in the page's language, falling back to the other."""
    hindi, english = hindi or "", english or ""
    return (english or hindi) if current_language() == "en" else (hindi or english)


def localized_name(place) -> str:
    """Return a place's (or any object with name_hi/name_en) name in the page's language."""
    if place is None:
        return ""
    return pick(place.name_hi, place.name_en)


class Bilingual:
    """A model with pairs of columns `<field>_hi` and `<field>_en`, shown in the page's language."""

    def text(self, field: str) -> str:
        """Return `<field>_hi` or `<field>_en` for the current language, falling back to the other."""
        return pick(getattr(self, f"{field}_hi"), getattr(self, f"{field}_en"))

    @property
    def title(self) -> str:
        return self.text("title")


def register_i18n(app, babel) -> None:
    """Wire Babel's locale selector and the formatting filters into the app."""
    babel.init_app(app, locale_selector=select_locale)
    app.jinja_env.filters.update(
        num=format_number, day=format_day, moment=format_moment, name=localized_name,
        clock=format_clock, weekday=format_weekday, month_name=format_month,
    )
    from trainer.core import clock

    app.jinja_env.globals.update(share=format_share, current_language=current_language, pick=pick,
                                 today=lambda: clock.today())
