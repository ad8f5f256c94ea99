"""Date arithmetic the rules share: months, anniversaries, ages.

Deadlines in months clamp to the month's last day (31 August + 3 months = 30 November): `add_months`, the
project's own (`contract_flow.domain.dates`), re-exported here. Years counted from a 29 February (a contract
year, a birthday) start again on 1 March in a common year: `anniversary`.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, datetime, timedelta

from contract_flow.domain.dates import add_months
from contract_flow.domain.reasons import Reason, Typed

__all__ = [
    "ONE_DAY",
    "add_months",
    "age_on",
    "anniversary",
    "contract_end",
    "first_of_next_month",
    "parse_iso_date",
]

ONE_DAY = timedelta(days=1)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def anniversary(start: date, years: int) -> date:
    """The `years`-th anniversary of `start`: the first day of the next year of a contract, or a birthday.

    A 29 February has no anniversary in a common year. A period in years without the same day number expires
    on the last day of the month (Code de procédure civile art. 641): the year counted from 29 February ends
    with 28 February, so the next one begins on 1 March, "the day after 28 February". This also keeps `age_on`
    and the contract-year count consistent (both compare (month, day) pairs) and never shortens a year below
    365 days.
    """
    if start.month == 2 and start.day == 29 and not calendar.isleap(start.year + years):
        return date(start.year + years, 3, 1)
    return start.replace(year=start.year + years)


def age_on(birth: date, day: date) -> int:
    """Age in whole years reached on `day` (a birthday that day counts; a 29 February birth ages on 1 March)."""
    years = day.year - birth.year
    if (day.month, day.day) < (birth.month, birth.day):
        years -= 1
    return years


def first_of_next_month(day: date) -> date:
    """The first day of the month after `day`'s month."""
    if day.month == 12:
        return date(day.year + 1, 1, 1)
    return date(day.year, day.month + 1, 1)


def contract_end(start: date, years: int) -> date:
    """Last day of a contract of `years` years: the day before its `years`-th anniversary (L6222-7-1)."""
    return anniversary(start, years) - ONE_DAY


def parse_iso_date(field: str, value: object) -> date:
    """A `date` from a TOML date or an ISO "YYYY-MM-DD" string; ValueError naming `field` otherwise, its message a
    Reason (domain.reason_texts.RULE_FILE_TEXTS)."""
    if isinstance(value, date) and not isinstance(value, datetime):
        return value
    if isinstance(value, str):
        # fromisoformat alone also takes "20260901" or week dates; ask for the one form people write
        if _ISO_DATE.fullmatch(value):
            try:
                return date.fromisoformat(value)
            except ValueError:
                raise ValueError(Reason("file_date_out_of_range", entry=field, value=Typed(value))) from None
        raise ValueError(Reason("file_date_form", entry=field, value=Typed(value)))
    raise ValueError(Reason("file_date_kind", entry=field, kind=type(value).__name__))
