"""A programme's calendar as people check it before saving it (issue 15, item 5): week by week, the working days
at school and in the company, and per year of the programme the weeks spent at each (the brochure writes «Year 1:
27 company / 25 school weeks»). The days are counted as the trial's end counts them (L6222-18): Monday to Friday,
school inside a school period, company otherwise, a French public holiday neither."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from contract_flow.domain.rules import ProgrammeCalendar
from contract_flow.domain.rules.public_holidays import HolidaysProvider, french_public_holidays


class WeekKind(StrEnum):
    SCHOOL = "school"
    COMPANY = "company"
    MIXED = "mixed"
    #: No working day (public holidays all week): neither school nor company.
    OFF = "off"


@dataclass(frozen=True)
class Week:
    monday: date
    school_days: int
    company_days: int
    #: The year of the programme it falls in: 1 from its start, 2 a year later...
    year: int

    @property
    def kind(self) -> WeekKind:
        if self.school_days and self.company_days:
            return WeekKind.MIXED
        if self.school_days:
            return WeekKind.SCHOOL
        return WeekKind.COMPANY if self.company_days else WeekKind.OFF


@dataclass(frozen=True)
class YearSummary:
    year: int
    first: date
    last: date
    #: Weeks by their kind (a mixed week counts under mixed).
    school_weeks: int
    company_weeks: int
    mixed_weeks: int
    school_days: int
    company_days: int


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def calendar_weeks(calendar: ProgrammeCalendar, start: date, years: int,
                   holidays: HolidaysProvider = french_public_holidays) -> list[Week]:
    """Every week from the one holding `start` to the programme's last day (`years` after `start`, excluded); the
    days before `start` or after the end are not counted."""
    end = _add_years(start, years)
    off = holidays(start.year, end.year)
    school = {day for period in calendar.school for day in _days(period.first, period.last)}
    year_starts = [_add_years(start, n) for n in range(years + 1)]
    weeks: list[Week] = []
    monday = start - timedelta(days=start.weekday())
    while monday < end:
        in_school = in_company = 0
        for offset in range(5):
            day = monday + timedelta(days=offset)
            if day < start or day >= end or day in off:
                continue
            if day in school:
                in_school += 1
            else:
                in_company += 1
        middle = max(monday, start)
        year = next(n for n in range(years, 0, -1) if year_starts[n - 1] <= middle)
        weeks.append(Week(monday, in_school, in_company, year))
        monday += timedelta(days=7)
    return weeks


def _days(first: date, last: date) -> list[date]:
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def year_summaries(weeks: list[Week], start: date, years: int) -> list[YearSummary]:
    """Per year of the programme, its weeks at school, in the company and mixed, and its working days."""
    found: list[YearSummary] = []
    for year in range(1, years + 1):
        these = [week for week in weeks if week.year == year]
        kinds = [week.kind for week in these]
        found.append(YearSummary(
            year, _add_years(start, year - 1), _add_years(start, year) - timedelta(days=1),
            kinds.count(WeekKind.SCHOOL), kinds.count(WeekKind.COMPANY), kinds.count(WeekKind.MIXED),
            sum(week.school_days for week in these), sum(week.company_days for week in these)))
    return found
