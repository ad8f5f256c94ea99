"""Company days and the trial period (L6222-18), and the mecatronique calendar (brochure)."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta
from typing import Any

import holidays
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_flow.domain.rules import (
    DateRange,
    ProgrammeCalendar,
    RuleSet,
    RuleSetError,
    company_days,
    parse_calendar,
    trial_end,
)

NO_SCHOOL = ProgrammeCalendar(school=())
ONE_DAY = timedelta(days=1)


def naive_trial_end(start: date, calendar: ProgrammeCalendar, absences: Iterable[DateRange] = ()) -> date:
    """The rule read literally, one day at a time: the 45th weekday outside school, holidays and absences."""
    public_holidays = holidays.country_holidays("FR", years=range(start.year, start.year + 4))
    periods = [*calendar.school, *absences]
    day, counted = start, 0
    while True:
        if day.weekday() < 5 and day not in public_holidays and not any(p.first <= day <= p.last for p in periods):
            counted += 1
            if counted == 45:
                return day
        day += ONE_DAY


def test_trial_ends_after_45_weekdays_without_school(rules: RuleSet) -> None:
    """L6222-18: from Monday 5 January 2026, nine working weeks without a holiday: Friday 6 March."""
    result = trial_end(rules, date(2026, 1, 5), NO_SCHOOL)
    assert (result.trial_end, result.company_days_counted) == (date(2026, 3, 6), 45)
    assert result.source.startswith("L6222-18")


def test_trial_ends_after_45_company_days_not_counting_school_weeks(
    rules: RuleSet, mecatronique: ProgrammeCalendar
) -> None:
    """4 days in September, 15 in October, 14 in November (11th off), 12 from 21 December (25th, 1st off)."""
    assert trial_end(rules, date(2026, 9, 1), mecatronique).trial_end == date(2027, 1, 7)


def test_an_absence_spanning_christmas_pushes_the_trial_past_the_next_school_block(
    rules: RuleSet, mecatronique: ProgrammeCalendar
) -> None:
    absence = DateRange(date(2026, 12, 19), date(2027, 1, 9))  # covers 25 December and 1 January
    result = trial_end(rules, date(2026, 9, 1), mecatronique, [absence])
    assert result.trial_end == date(2027, 2, 16) == naive_trial_end(date(2026, 9, 1), mecatronique, [absence])


def test_an_absence_recorded_twice_counts_once_and_one_before_the_start_not_at_all(
    rules: RuleSet, mecatronique: ProgrammeCalendar
) -> None:
    recorded = [
        DateRange(date(2026, 10, 1), date(2026, 10, 7)),
        DateRange(date(2026, 10, 5), date(2026, 10, 9)),
        DateRange(date(2026, 1, 1), date(2026, 8, 1)),
    ]
    expected = naive_trial_end(date(2026, 9, 1), mecatronique, [DateRange(date(2026, 10, 1), date(2026, 10, 9))])
    assert trial_end(rules, date(2026, 9, 1), mecatronique, recorded).trial_end == expected


def test_a_start_on_a_public_holiday_counts_from_the_next_company_day(rules: RuleSet) -> None:
    """1 May 2026 is a Friday and a public holiday: day 1 is Monday 4 May; nine weeks end on Friday 3 July,
    and 8 May, Ascension (14 May) and Whit Monday (25 May) push the end three days, to Wednesday 8 July."""
    on_holiday = trial_end(rules, date(2026, 5, 1), NO_SCHOOL).trial_end
    assert on_holiday == trial_end(rules, date(2026, 5, 4), NO_SCHOOL).trial_end == date(2026, 7, 8)
    assert on_holiday == naive_trial_end(date(2026, 5, 1), NO_SCHOOL)


def test_a_start_in_a_school_week_counts_from_the_first_company_day(
    rules: RuleSet, mecatronique: ProgrammeCalendar
) -> None:
    assert trial_end(rules, date(2026, 9, 8), mecatronique) == trial_end(rules, date(2026, 9, 28), mecatronique)


def test_company_days_leave_out_weekends_school_holidays_and_absences(mecatronique: ProgrammeCalendar) -> None:
    absent = [DateRange(date(2026, 11, 13), date(2026, 11, 13))]
    days = company_days(mecatronique, date(2026, 11, 6), date(2026, 11, 16), absent)
    # 6 November is at school, 7-8 a weekend, 11 November Armistice, 13 November absent
    assert days == [date(2026, 11, 9), date(2026, 11, 10), date(2026, 11, 12), date(2026, 11, 16)]


def test_holidays_come_from_an_injected_provider(rules: RuleSet) -> None:
    def no_holidays(first_year: int, last_year: int) -> frozenset[date]:
        return frozenset()

    with_may_day = trial_end(rules, date(2026, 4, 27), NO_SCHOOL)
    without = trial_end(rules, date(2026, 4, 27), NO_SCHOOL, holidays_provider=no_holidays)
    assert without.trial_end < with_may_day.trial_end


def test_a_calendar_without_room_for_a_trial_is_reported(rules: RuleSet) -> None:
    always_at_school = ProgrammeCalendar((DateRange(date(2026, 1, 1), date(2060, 12, 31)),))
    with pytest.raises(ValueError, match=r"^calendar: fewer than 45 company days"):
        trial_end(rules, date(2026, 9, 1), always_at_school)


starts = st.dates(date(2026, 1, 1), date(2028, 12, 31))
absence_lists = st.lists(
    st.builds(lambda first, length: DateRange(first, first + timedelta(days=length)),
              st.dates(date(2026, 1, 1), date(2029, 6, 30)), st.integers(0, 40)),
    max_size=3,
)


@given(start=starts, absences=absence_lists, use_school=st.booleans())
@settings(max_examples=300, deadline=None)
def test_trial_end_matches_the_rule_read_day_by_day(
    rules: RuleSet, mecatronique: ProgrammeCalendar, start: date, absences: list[DateRange], use_school: bool
) -> None:
    calendar = mecatronique if use_school else NO_SCHOOL
    assert trial_end(rules, start, calendar, absences).trial_end == naive_trial_end(start, calendar, absences)


@given(start=starts, absences=absence_lists)
@settings(max_examples=300, deadline=None)
def test_the_trial_lasts_at_least_nine_weeks_less_a_weekend(
    rules: RuleSet, mecatronique: ProgrammeCalendar, start: date, absences: list[DateRange]
) -> None:
    """45 days at 5 a week is 9 weeks: the 45th company day is at least 60 days after the start. A Monday
    start with no holiday, school or absence ends on the Friday of the 9th week, 60 days later; so 63 days is
    no lower bound (it holds for a Tuesday to Friday start, not for a Saturday, Sunday or Monday one)."""
    for calendar in (NO_SCHOOL, mecatronique):
        assert trial_end(rules, start, calendar, absences).trial_end >= start + timedelta(days=60)


# --- the mecatronique calendar (brochure): 25/21/15 school weeks, the last 27 weeks in company

WEEK_ZERO = date(2026, 8, 31)  # the Monday of the week of the programme start, 2026-09-01


def school_week(calendar: ProgrammeCalendar, monday: date) -> bool:
    weekdays = [monday + timedelta(days=offset) for offset in range(5)]
    at_school = [any(p.first <= day <= p.last for p in calendar.school) for day in weekdays]
    assert all(at_school) or not any(at_school), f"the week of {monday} is split between school and company"
    return all(at_school)


@pytest.mark.parametrize(
    ("year", "school_weeks", "company_weeks"),
    [
        pytest.param(1, 25, 27, id="brochure year 1: 27 company + 25 school weeks"),
        pytest.param(2, 21, 31, id="brochure year 2: 31 company + 21 school weeks"),
        pytest.param(3, 15, 37, id="brochure year 3: 37 company + 15 school weeks"),
    ],
)
def test_mecatronique_weeks_per_year(
    mecatronique: ProgrammeCalendar, year: int, school_weeks: int, company_weeks: int
) -> None:
    mondays = [WEEK_ZERO + timedelta(weeks=week) for week in range(52 * (year - 1), 52 * year)]
    at_school = sum(school_week(mecatronique, monday) for monday in mondays)
    assert (at_school, len(mondays) - at_school) == (school_weeks, company_weeks)


def test_mecatronique_ends_with_27_consecutive_weeks_in_company(mecatronique: ProgrammeCalendar) -> None:
    """Brochure: semester 10 wholly in company, 27 consecutive weeks at the end of the programme."""
    last_27 = WEEK_ZERO + timedelta(weeks=52 * 3 - 27)
    assert max(period.last for period in mecatronique.school) < last_27
    assert school_week(mecatronique, last_27 - timedelta(weeks=4))  # semester 9 ends just before


def test_mecatronique_school_periods_are_whole_weeks_monday_to_friday(mecatronique: ProgrammeCalendar) -> None:
    assert mecatronique.code == "mecatronique"
    for period in mecatronique.school:
        assert (period.first.weekday(), period.last.weekday()) == (0, 4)


# --- reading a calendar

def test_a_calendar_only_file_is_read() -> None:
    calendar = parse_calendar({"school": [{"from": "2026-09-07", "to": "2026-09-25"}]})
    assert (calendar.school, calendar.code) == ((DateRange(date(2026, 9, 7), date(2026, 9, 25)),), None)


def periods(*spans: tuple[str, str]) -> dict[str, Any]:
    return {"school": [{"from": first, "to": last} for first, last in spans]}


BAD_CALENDARS = [
    pytest.param(periods(("2026-09-25", "2026-09-07")), "school[1]: to 2026-09-07 is before from 2026-09-25",
                 id="inverted"),
    pytest.param(periods(("2026-10-05", "2026-10-16"), ("2026-09-07", "2026-09-25"), ("2026-10-12", "2026-10-23")),
                 "school[3]: from 2026-10-12 overlaps school[1] (2026-10-05 to 2026-10-16)", id="overlapping"),
    pytest.param({"school": [{"from": "2026-09-07", "until": "2026-09-25"}]}, "school[1]: missing to", id="no to"),
    pytest.param(periods(("2026-09-31", "2026-10-02")), "school[1].from: '2026-09-31' is not a date",
                 id="impossible date"),
    pytest.param({"code": "x"}, "school: missing", id="no school period"),
]


@pytest.mark.parametrize(("data", "message"), BAD_CALENDARS)
def test_a_malformed_calendar_is_refused_naming_the_entry(data: dict[str, Any], message: str) -> None:
    with pytest.raises(RuleSetError) as refused:
        parse_calendar(data)
    assert str(refused.value).startswith(message)
