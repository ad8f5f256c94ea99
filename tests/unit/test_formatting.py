"""The one formatter for people (pages, emails, CLI tables): Babel's CLDR data for fr_FR and en_GB.

French typography as CLDR writes it: U+202F (narrow no-break space) between groups of digits, U+00A0 (no-break
space) before "€" and "%"; the first of the month "1er" (Imprimerie nationale, Lexique des règles typographiques).
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal

import pytest

from contract_flow.formatting import (
    as_day,
    days_from,
    format_day,
    format_days_from,
    format_moment,
    format_money,
    format_number,
    format_percent,
)

NBSP = "\u00a0"  # before € and %
NNBSP = "\u202f"  # between groups of digits


@pytest.mark.parametrize(("value", "french", "english"), [
    pytest.param("1234.56", f"1{NNBSP}234,56{NBSP}€", "€1,234.56", id="a pay slip amount"),
    pytest.param("966.2", f"966,20{NBSP}€", "€966.20", id="always two decimals"),
    pytest.param(Decimal("1823.03"), f"1{NNBSP}823,03{NBSP}€", "€1,823.03", id="D6222-26 SMIC of 1 January 2026"),
    pytest.param("1234567.891", f"1{NNBSP}234{NNBSP}567,89{NBSP}€", "€1,234,567.89", id="millions, rounded"),
    pytest.param("0.125", f"0,13{NBSP}€", "€0.13", id="half a cent rounds up, as pay slips do"),
    pytest.param(750, f"750,00{NBSP}€", "€750.00", id="R6332-25-1 participation given as an int"),
    pytest.param("-5", f"-5,00{NBSP}€", "-€5.00", id="a negative difference"),
])
def test_amounts_are_written_as_each_language_writes_euros(value: object, french: str, english: str) -> None:
    assert format_money(value, "fr") == french
    assert format_money(value, "en") == english


@pytest.mark.parametrize(("points", "french", "english"), [
    pytest.param("53", f"53{NBSP}%", "53%", id="D6222-26 year 1, 18-20"),
    pytest.param(Decimal("100.00"), f"100{NBSP}%", "100%", id="the rule set's two decimals are not shown"),
    pytest.param("53.5", f"53,5{NBSP}%", "53.5%", id="a decimal comma in French"),
])
def test_percentages_are_given_in_points_as_the_rule_set_writes_them(points: object, french: str,
                                                                     english: str) -> None:
    assert format_percent(points, "fr") == french
    assert format_percent(points, "en") == english


def test_numbers_group_their_digits_and_keep_their_decimals() -> None:
    assert format_number("1234.5", "fr") == f"1{NNBSP}234,5"
    assert format_number("1234.5", "en") == "1,234.5"
    assert format_number(40, "fr") == "40"


@pytest.mark.parametrize(("value", "language", "style", "expected"), [
    ("2027-03-12", "fr", "long", "12 mars 2027"),
    ("2027-03-01", "fr", "long", "1er mars 2027"),
    ("2026-08-15", "fr", "long", "15 août 2026"),
    ("2027-03-12", "en", "long", "12 March 2027"),
    ("2027-03-01", "en", "long", "1 March 2027"),
    ("2027-03-01", "fr", "short", "01/03/2027"),  # a table's day: no ordinal
    ("2027-03-12", "en", "short", "12/03/2027"),
    ("2027-03-01", "fr", "full", "lundi 1er mars 2027"),
    ("2027-03-01", "en", "full", "Monday, 1 March 2027"),
    (date(2027, 2, 4), "fr", "short", "04/02/2027"),
    ("2026-10-27T00:30+01:00", "fr", "long", "27 octobre 2026"),
    ("2026-10-26T23:30+00:00", "en", "long", "27 October 2026"),  # already the 27th in Paris
])
def test_days_are_written_for_people(value: object, language: str, style: str, expected: str) -> None:
    assert format_day(value, language, style) == expected  # type: ignore[arg-type]


def test_meeting_times_are_given_in_paris_time() -> None:
    assert format_moment("2026-10-27T14:00+01:00", "fr") == "mardi 27 octobre 2026, 14:00"
    assert format_moment("2026-10-27T13:00+00:00", "en") == "Tuesday, 27 October 2026, 14:00"
    assert format_moment("2027-04-01T09:05+02:00", "fr") == "jeudi 1er avril 2027, 09:05"
    assert format_moment("2027-04-01T09:05", "fr") == "jeudi 1er avril 2027, 09:05"  # naive: Paris time
    assert format_moment(datetime(2026, 10, 20, 14, 0, tzinfo=UTC), "fr", "short") == "20/10/2026 16:00"
    assert format_moment(datetime(2026, 10, 20, 14, 0, tzinfo=UTC), "en", "short") == "20/10/2026, 16:00"


def test_an_instant_given_for_a_day_is_its_paris_day() -> None:
    assert as_day(datetime(2026, 12, 31, 23, 30, tzinfo=UTC)) == date(2027, 1, 1)


def test_a_language_without_formats_is_refused_by_name() -> None:
    with pytest.raises(ValueError, match="'de'"):
        format_money("1", "de")
    with pytest.raises(ValueError, match="'de'"):
        format_days_from("2026-12-01", "2026-11-11", "de")


TODAY = date(2026, 11, 11)


@pytest.mark.parametrize(("value", "french", "english"), [
    pytest.param("2026-11-11", "aujourd’hui", "today", id="the day itself"),
    pytest.param("2026-11-12", "demain", "tomorrow", id="the next day"),
    pytest.param("2026-11-10", "hier", "yesterday", id="the day before"),
    pytest.param("2026-11-13", "dans 2 jours", "in 2 days", id="two days ahead"),
    pytest.param("2026-12-01", "dans 20 jours", "in 20 days", id="a 30-day countdown sent 10 days late"),
    pytest.param("2026-11-18", "dans 7 jours", "in 7 days", id="a week is counted in days"),
    pytest.param("2026-12-26", "dans 45 jours", "in 45 days", id="not rounded to 2 months"),
    pytest.param("2027-01-10", "dans 60 jours", "in 60 days", id="days up to two months"),
    pytest.param("2027-03-11", "dans 4 mois", "in 4 months", id="months beyond"),
    pytest.param("2027-11-11", "dans 1 an", "in 1 year", id="a year"),
    pytest.param("2026-11-08", "il y a 3 jours", "3 days ago", id="three days ago"),
    pytest.param("2026-10-12", "il y a 30 jours", "30 days ago", id="a month ago, in days"),
    pytest.param("2026-11-13T14:00+01:00", "dans 2 jours", "in 2 days", id="a meeting: its Paris day"),
    pytest.param("2026-11-11T23:30+00:00", "demain", "tomorrow", id="already the 12th in Paris"),
    pytest.param(date(2026, 11, 4), "il y a 7 jours", "7 days ago", id="a date object"),
])
def test_how_far_a_day_is_from_today_is_said_in_words(value: object, french: str, english: str) -> None:
    assert format_days_from(value, TODAY, "fr") == french
    assert format_days_from(value, TODAY, "en") == english
    assert format_days_from(value, TODAY.isoformat(), "fr") == french  # today as the templates have it


def test_the_distance_in_days_counts_paris_days() -> None:
    assert days_from("2026-12-01", TODAY) == 20
    assert days_from("2026-11-10", "2026-11-11") == -1
    assert days_from(datetime(2026, 11, 11, 23, 30, tzinfo=UTC), TODAY) == 1
    # The moment of the day does not matter: a meeting this afternoon is today, in the morning and after it.
    assert days_from("2026-11-11T14:00+01:00", datetime(2026, 11, 11, 16, 0, tzinfo=UTC)) == 0
