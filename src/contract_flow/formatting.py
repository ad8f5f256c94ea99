"""Numbers, amounts, percentages and dates for people, in French or English: one formatter, on Babel (CLDR).

Pages (`web.i18n.Translator`), emails (`messages`, its Jinja filters) and the CLI's tables use these functions;
JSON and API values stay machine values (`jsonable`: amounts as "1234.56", ISO dates). The languages are the
project's two, each mapped to one CLDR locale: "fr" -> fr_FR, "en" -> en_GB (a CFA in France: day before month,
24-hour clock, amounts in euros written "€1,234.56").

What CLDR gives, taken as it is: in French the group separator is U+202F (narrow no-break space) and U+00A0
(no-break space) stands before "€" and "%" ("1 234,56 €", "53,5 %"); times are "14:00". One French habit that
CLDR's date patterns cannot say is kept: the first day of a month is an ordinal, "1er mars 2027" (Lexique des
règles typographiques en usage à l'Imprimerie nationale, "Dates"), written with the pattern's own quoting.

Values may be given as the objects or as their text (the reminder payloads are strings): an amount as a Decimal,
an int or "1234.56"; a day as a date or "2027-03-12"; an instant as an aware datetime or an ISO date-time (a naive
one is Paris time). Instants are shown as Paris wall time, where the CFAs are.

How far a day is from another ("dans 20 jours", "il y a 3 jours") is Babel's `format_timedelta`, counted in days
up to two months as a countdown is, with the words people use for the nearest days ("aujourd’hui", "demain",
"hier"), which CLDR's relative-time units do not give.
"""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Literal

from babel import Locale
from babel.dates import format_date as _babel_date
from babel.dates import format_datetime as _babel_datetime
from babel.dates import format_timedelta, get_date_format, get_datetime_format, get_time_format
from babel.numbers import format_currency, format_decimal
from babel.numbers import format_percent as _babel_percent

from contract_flow.domain.context import PARIS

LANGUAGES = ("fr", "en")
LOCALES = {"fr": "fr_FR", "en": "en_GB"}
CURRENCY = "EUR"
CENT = Decimal("0.01")
HUNDRED = Decimal(100)
#: "short" is a table's day ("12/03/2027"), "long" a sentence's ("12 mars 2027"), "full" with the weekday.
DayStyle = Literal["short", "medium", "long", "full"]
#: Up to this many days away, a distance is counted in days ("dans 45 jours"), as a deadline is counted down;
#: beyond, in Babel's rounded months or years ("dans 4 mois"), the day itself being always written beside it.
DAYS_COUNTED = 60
#: The nearest days by their names: Babel would say "dans 1 jour", "il y a 1 jour", "dans 0 jour".
_NEAREST_DAYS = {
    "fr": {-1: "hier", 0: "aujourd’hui", 1: "demain"},
    "en": {-1: "yesterday", 0: "today", 1: "tomorrow"},
}
# The day-of-month field of a CLDR pattern ("d", not "dd", outside quotes: the French patterns have no quotes).
_DAY_FIELD = re.compile(r"(?<![d'])d(?![d'])")


@cache
def _locale(language: str) -> Locale:
    """The CLDR locale of one of our languages; parsed once (Babel's own parse is not free)."""
    try:
        return Locale.parse(LOCALES[language])
    except KeyError:
        raise ValueError(f"no formats for language {language!r}: only {', '.join(LANGUAGES)}") from None


def _decimal(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def as_moment(value: object) -> datetime:
    """An instant in Paris: an aware datetime, or an ISO date-time whose missing offset means Paris."""
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return (moment if moment.tzinfo else moment.replace(tzinfo=PARIS)).astimezone(PARIS)


def as_day(value: object) -> date:
    """A day: a date, an ISO date, or the Paris day of an instant (a datetime or an ISO date-time)."""
    if isinstance(value, datetime) or (isinstance(value, str) and len(value) > len("2027-03-12")):
        return as_moment(value).date()
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def format_number(value: object, language: str) -> str:
    """A number as written in the language: "1 234,5" (U+202F), "1,234.5"; its digits as given."""
    return format_decimal(_decimal(value), locale=_locale(language), decimal_quantization=False)


def format_money(value: object, language: str) -> str:
    """An amount in euros to the cent, rounded half up as pay slips are: "1 234,56 €", "€1,234.56"."""
    amount = _decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)
    return format_currency(amount, CURRENCY, locale=_locale(language))


def format_percent(points: object, language: str) -> str:
    """A percentage given in points, as the rule set writes them (53 for 53 %): "53 %", "53,5 %"; "53%"."""
    return _babel_percent(_decimal(points) / HUNDRED, locale=_locale(language), decimal_quantization=False)


@cache
def _day_pattern(language: str, style: DayStyle, first_of_month: bool) -> str:
    pattern = get_date_format(style, locale=_locale(language)).pattern
    if first_of_month and language == "fr" and style != "short":
        return _DAY_FIELD.sub("d'er'", pattern, count=1)
    return str(pattern)


def format_day(value: object, language: str, style: DayStyle = "long") -> str:
    """A day: "1er mars 2027", "12 mars 2027", "1 March 2027" (long); "12/03/2027" (short); with the weekday
    (full): "mardi 2 mars 2027", "Tuesday, 2 March 2027"."""
    day = as_day(value)
    return _babel_date(day, _day_pattern(language, style, day.day == 1), locale=_locale(language))


def format_month(value: object, language: str) -> str:
    """A month as CLDR writes it standing alone: "novembre 2026", "November 2026" (the invoices of a month)."""
    return _babel_date(as_day(value), "LLLL y", locale=_locale(language))


def format_moment(value: object, language: str, style: DayStyle = "full") -> str:
    """An instant as Paris wall time: its day in `style` and the time to the minute, joined as the locale joins
    them: "mardi 27 octobre 2026, 14:00", "Tuesday, 27 October 2026, 14:00" (full, a meeting in a sentence);
    "27/10/2026 14:00", "27/10/2026, 14:00" (short, a table)."""
    moment = as_moment(value)
    return _babel_datetime(moment, _moment_pattern(language, style, moment.day == 1), tzinfo=PARIS,
                           locale=_locale(language))


@cache
def _moment_pattern(language: str, style: DayStyle, first_of_month: bool) -> str:
    locale = _locale(language)
    time = get_time_format("short", locale=locale).pattern
    return str(get_datetime_format(style, locale=locale)).format(time, _day_pattern(language, style, first_of_month))


def days_from(value: object, today: object) -> int:
    """How many days the day of `value` (a day, or the Paris day of an instant) is after `today`; negative before."""
    return (as_day(value) - as_day(today)).days


def format_days_from(value: object, today: object, language: str) -> str:
    """How far the day of `value` is from `today`, in words: "aujourd’hui", "demain", "hier", "dans 20 jours",
    "il y a 3 jours", and past two months "dans 4 mois"; "today", "tomorrow", "yesterday", "in 20 days", "3 days
    ago", "in 4 months". Days, not hours: a meeting at 14:00 today is "aujourd’hui" in the morning as after."""
    locale = _locale(language)
    days = days_from(value, today)
    nearest = _NEAREST_DAYS[language].get(days)
    if nearest is not None:
        return nearest
    # Babel takes the largest unit reaching its threshold ("dans 3 semaines" for 20 days, "dans 2 mois" for 45): an
    # infinite threshold keeps it to days. Past two months, its rounding to months or years reads better.
    threshold = 0.85 if abs(days) > DAYS_COUNTED else float("inf")
    return str(format_timedelta(timedelta(days=days), granularity="day", threshold=threshold, add_direction=True,
                                format="long", locale=locale))
