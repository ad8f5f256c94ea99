"""Parsing what people type into typed values, with an error that names the field and the rule."""

from __future__ import annotations

import calendar
import re
import unicodedata
from datetime import date
from decimal import Decimal, InvalidOperation

from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason, Typed

_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
MAX_WEEKLY_HOURS = Decimal(48)  # L3121-20: no more than 48 hours in one week.


_ISO_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII)
MAX_AMOUNT = Decimal("99999999.99")
MAX_CONTRACT_YEARS = 4  # the columns hold 10 digits, 2 after the point


def parse_date(field: str, text: str) -> date:
    """YYYY-MM-DD only: Python also reads 20260901 or 2026-W36-2, which people do not mean as dates."""
    value = text.strip()
    try:
        if not _ISO_DAY.match(value):
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise InvalidInput(field, Reason("not_a_date", typed=Typed(text))) from None


#: A day as French people write it, day first: 04/03/2005, 4/3/2005, 04.03.2005, 04-03-2005; never a two-digit year.
DAY_FIRST = re.compile(r"(\d{1,2})([/.-])(\d{1,2})\2(\d{4})", re.ASCII)


def parse_written_date(field: str, text: str) -> date:
    """A day typed on a page: as the browser's date field sends it (YYYY-MM-DD) or as French people write it
    (DD/MM/YYYY, day first), the one reading of every date the pages' forms take."""
    value = text.strip()
    day_first = DAY_FIRST.fullmatch(value)
    if day_first is None:
        if _ISO_DAY.match(value):
            return parse_date(field, value)
        raise InvalidInput(field, Reason("not_a_written_date", typed=Typed(text)))
    try:
        return date(int(day_first[4]), int(day_first[3]), int(day_first[1]))
    except ValueError:
        raise InvalidInput(field, Reason("not_a_written_date", typed=Typed(text))) from None


def parse_amount(field: str, text: str) -> Decimal:
    """A sum in euros: at most two decimals, never negative ("1 234,56" and "1234.56" both read)."""
    cleaned = text.strip().replace("\u202f", "").replace("\xa0", "").replace(" ", "").replace(",", ".")
    try:
        amount = Decimal(cleaned)
    except InvalidOperation:
        raise InvalidInput(field, Reason("not_an_amount", typed=Typed(text))) from None
    if not amount.is_finite() or amount.is_signed():
        raise InvalidInput(field, Reason("negative_amount", typed=Typed(text)))
    if amount > MAX_AMOUNT:
        raise InvalidInput(field, Reason("amount_too_big", typed=Typed(text), most=MAX_AMOUNT))
    if amount != amount.quantize(Decimal("0.01")):
        raise InvalidInput(field, Reason("amount_cents", typed=Typed(text)))
    return amount.quantize(Decimal("0.01"))


def parse_hours(field: str, text: str) -> Decimal:
    """Weekly working hours: a finite number above 0 and at most 48 (L3121-20), in hundredths of an hour as the
    column keeps them (`1e-999999` is not 0.00 hours: it is refused, as 35.123 is, rather than rounded)."""
    try:
        hours = Decimal(text.strip().replace(",", "."))
    except InvalidOperation:
        raise InvalidInput(field, Reason("not_hours", typed=Typed(text))) from None
    if not hours.is_finite() or not Decimal(0) < hours <= MAX_WEEKLY_HOURS:
        raise InvalidInput(field, Reason("hours_range", typed=Typed(text)))
    if hours != hours.quantize(Decimal("0.01")):
        raise InvalidInput(field, Reason("hours_hundredths", typed=Typed(text)))
    return hours.quantize(Decimal("0.01"))


def parse_year_number(field: str, text: str) -> int:
    """A year of a programme or of a contract: 1 to 4 (L6222-7-1, R6222-47: at most 3 years, 4 with a disability)."""
    value = text.strip()
    if not value.isascii() or not value.isdigit() or not 1 <= int(value) <= MAX_CONTRACT_YEARS:
        raise InvalidInput(field, Reason("not_a_year", typed=Typed(text), most=MAX_CONTRACT_YEARS))
    return int(value)


def parse_email(field: str, text: str) -> str:
    value = text.strip()
    if not _EMAIL.match(value) or _invisible(value) is not None:
        raise InvalidInput(field, Reason("not_an_email", typed=Typed(text)))
    return value.lower()


#: Unicode categories no text people type needs: controls (Cc: NUL, ESC, DEL, C1), formats (Cf: the bidi overrides
#: and isolates that display «Léa» as another name, zero-width characters that make two equal names differ, the
#: soft hyphen, BOM) and lone surrogates (Cs, which no database encodes). Line breaks and tabs are not refused:
#: they are white space, collapsed to one space like the others. French names need none of these: apostrophes
#: (' ’), hyphens, accents (composed or combining: Mn) and no-break spaces are letters, punctuation, marks, spaces.
_REFUSED_CATEGORIES = frozenset({"Cc", "Cf", "Cs"})


def _invisible(value: str) -> str | None:
    """The first character of `value` in a refused category, or None."""
    return next((char for char in value if unicodedata.category(char) in _REFUSED_CATEGORIES), None)


def parse_text(field: str, text: str, max_length: int = 200) -> str:
    """One line of text (names, places, observations): white space collapsed to single spaces, NFC-normalised
    (an «é» typed as e + accent equals the composed one), without control or format characters."""
    value = unicodedata.normalize("NFC", " ".join(text.split()))
    if not value:
        raise InvalidInput(field, Reason("empty"))
    found = _invisible(value)
    if found is not None:
        name = unicodedata.name(found, "") or unicodedata.category(found)
        raise InvalidInput(field, Reason("invisible", code=f"{ord(found):04X}", name=name))
    if len(value) > max_length:
        raise InvalidInput(field, Reason("too_long", most=max_length))
    return value


def parse_bool(field: str, text: str) -> bool:
    lowered = text.strip().lower()
    if lowered in {"yes", "true", "1", "oui"}:
        return True
    if lowered in {"no", "false", "0", "non"}:
        return False
    raise InvalidInput(field, Reason("not_yes_no", typed=Typed(text)))


#: The oldest plausible candidate. No age limit binds every case (L6222-2: none for a disabled worker, a business
#: creation, a high-level athlete), so this is not the law: it bounds typing mistakes (year 1, 1026).
MAX_PLAUSIBLE_AGE = 100


def years_before(day: date, years: int) -> date:
    """The same day `years` years earlier (29 February becomes the 28th in a common year)."""
    year = day.year - years
    return date(year, day.month, min(day.day, calendar.monthrange(year, day.month)[1]))


def check_birth_date(field: str, born: date, today: date, youngest_age: int) -> date:
    """A candidate's birth date: not in the future, at most MAX_PLAUSIBLE_AGE years ago, and at least
    `youngest_age` years ago (the caller reads it from the rule set's age limits: see services.cases)."""
    if born > today:
        raise InvalidInput(field, Reason("born_in_future", born=born))
    oldest = years_before(today, MAX_PLAUSIBLE_AGE)
    if born < oldest:
        raise InvalidInput(field, Reason("born_too_long_ago", born=born, most=MAX_PLAUSIBLE_AGE,
                                         oldest=oldest))
    youngest = years_before(today, youngest_age)
    if born > youngest:
        raise InvalidInput(field, Reason("born_too_late", born=born, youngest_age=youngest_age,
                                         youngest=youngest, next_age=youngest_age + 1))
    return born
