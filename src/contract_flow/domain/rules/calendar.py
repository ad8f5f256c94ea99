"""Company-presence days of a programme and the end of the trial period (L6222-18).

A company day is a Monday to Friday outside every school period of the programme, that is not a French public
holiday (metropolitan France, as the `holidays` package lists them) and not in a recorded absence. The company
days of a calendar are computed once per span of years as a sorted list of ordinals, so finding the 45th one
after any start is a bisection, not a walk through the days.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from itertools import pairwise

from contract_flow.domain.errors import InvalidRuleInput
from contract_flow.domain.reasons import Reason
from contract_flow.domain.rules.fields import Entry, RuleSetError, entries, shown
from contract_flow.domain.rules.public_holidays import HolidaysProvider, french_public_holidays
from contract_flow.domain.rules.ruleset import RuleSet

_SPAN_MARGIN_YEARS = 2  # a trial of 45 company days fits in a year; absences may push it further
_SEARCH_LIMIT_YEARS = 20  # beyond this the calendar leaves no room for a trial: say so instead of looping


@dataclass(frozen=True, slots=True)
class DateRange:
    """Consecutive days from `first` to `last`, both included."""

    first: date
    last: date

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise InvalidRuleInput("range", Reason("range_inverted", last=self.last, first=self.first))


@dataclass(frozen=True, eq=False)
class ProgrammeCalendar:
    """The school periods of a programme, ordered and disjoint; every other working day is spent in company."""

    school: tuple[DateRange, ...]
    code: str | None = None
    #: Tripartite reviews (DOMAIN.md, common practice): the programme's cadence, when its file gives one.
    first_review_within_months: int | None = None
    review_cadence_months: int | None = None
    # company-day ordinals per holidays provider: (first_year, last_year, ordinals); filled on first use
    _company_days: dict[HolidaysProvider, tuple[int, int, list[int]]] = field(
        default_factory=dict, init=False, repr=False
    )

    def company_day_ordinals(self, provider: HolidaysProvider, first_year: int, last_year: int) -> list[int]:
        """Sorted ordinals of the company days (absences aside) covering at least `first_year`..`last_year`."""
        cached = self._company_days.get(provider)
        if cached is not None and cached[0] <= first_year and last_year <= cached[1]:
            return cached[2]
        if cached is not None:  # widen rather than replace, so alternating queries do not rebuild
            first_year, last_year = min(first_year, cached[0]), max(last_year, cached[1])
        public_holidays = provider(first_year, last_year)
        school = {
            ordinal
            for period in self.school
            for ordinal in range(period.first.toordinal(), period.last.toordinal() + 1)
        }
        ordinals = [
            ordinal
            for ordinal in range(date(first_year, 1, 1).toordinal(), date(last_year, 12, 31).toordinal() + 1)
            if ordinal % 7 not in (0, 6)  # ordinal 1 (1 Jan of year 1) is a Monday: 6 is Saturday, 0 Sunday
            and ordinal not in school
            and date.fromordinal(ordinal) not in public_holidays
        ]
        self._company_days[provider] = (first_year, last_year, ordinals)
        return ordinals


def parse_calendar(data: Mapping[str, object]) -> ProgrammeCalendar:
    """Read `[[school]] from = ... / to = ...` (inclusive) from a programme file or a calendar-only file.

    Refuses an inverted or overlapping period with a message naming the entry (`school[3]`).
    """
    periods: list[tuple[Entry, DateRange]] = []
    for entry in entries(data, "school"):
        entry.check_keys({"from", "to"}, {"note"})
        first, last = entry.as_date("from"), entry.as_date("to")
        if last < first:
            raise RuleSetError(Reason("school_inverted", entry=entry.label, last=last, first=first))
        periods.append((entry, DateRange(first, last)))
    periods.sort(key=lambda pair: pair[1].first)
    for (previous, earlier), (entry, later) in pairwise(periods):
        if later.first <= earlier.last:
            raise RuleSetError(Reason("school_overlap", entry=entry.label, first=later.first, other=previous.label,
                                      other_first=earlier.first, other_last=earlier.last))
    code = data.get("code")
    return ProgrammeCalendar(
        tuple(period for _, period in periods),
        code if isinstance(code, str) else None,
        _months(data, "first_review_within_months"),
        _months(data, "review_cadence_months"),
    )


def calendar_document(calendar: ProgrammeCalendar) -> dict[str, object]:
    """The calendar as a programme stores it (JSON): what `parse_calendar` reads back to the same periods and
    cadence. Ordered and without notes, so that the same periods always give the same document."""
    document: dict[str, object] = {
        "school": [{"from": period.first.isoformat(), "to": period.last.isoformat()} for period in calendar.school],
    }
    if calendar.first_review_within_months is not None:
        document["first_review_within_months"] = calendar.first_review_within_months
    if calendar.review_cadence_months is not None:
        document["review_cadence_months"] = calendar.review_cadence_months
    return document


def _months(data: Mapping[str, object], key: str) -> int | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise RuleSetError(Reason("file_months", entry=key, value=shown(value)))
    return value


def _merged(absences: Iterable[DateRange]) -> list[tuple[int, int]]:
    """Absences as ordered, disjoint (first, last) ordinals: an absence recorded twice is removed once."""
    merged: list[tuple[int, int]] = []
    for absence in sorted(absences, key=lambda period: period.first):
        first, last = absence.first.toordinal(), absence.last.toordinal()
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return merged


def company_days(
    calendar: ProgrammeCalendar,
    first: date,
    last: date,
    absences: Iterable[DateRange] = (),
    holidays_provider: HolidaysProvider = french_public_holidays,
) -> list[date]:
    """The company days from `first` to `last` inclusive (weekdays, no school, no public holiday, no absence)."""
    ordinals = calendar.company_day_ordinals(holidays_provider, first.year, last.year)
    found = ordinals[bisect_left(ordinals, first.toordinal()) : bisect_right(ordinals, last.toordinal())]
    for absence_first, absence_last in _merged(absences):
        found = [ordinal for ordinal in found if not absence_first <= ordinal <= absence_last]
    return [date.fromordinal(ordinal) for ordinal in found]


@dataclass(frozen=True, slots=True)
class TrialEnd:
    """The last day of the trial period and the rule that fixed it."""

    trial_end: date
    company_days_counted: int
    source: str


def trial_end(
    ruleset: RuleSet,
    contract_start: date,
    calendar: ProgrammeCalendar,
    absences: Iterable[DateRange] = (),
    holidays_provider: HolidaysProvider = french_public_holidays,
) -> TrialEnd:
    """L6222-18: the trial covers the first 45 days, consecutive or not, of practical training in the company.

    It ends at the end of the 45th company day counted from the contract start (included). School weeks,
    weekends, public holidays and absences do not count.
    """
    rule = ruleset.duration_on("trial_company_days", contract_start)
    start = contract_start.toordinal()
    gaps = _merged(absences)
    last_year = contract_start.year + _SPAN_MARGIN_YEARS
    if gaps:
        last_year = max(last_year, date.fromordinal(gaps[-1][1]).year + _SPAN_MARGIN_YEARS)
    while True:
        ordinals = calendar.company_day_ordinals(holidays_provider, contract_start.year, last_year)
        first_index = bisect_left(ordinals, start)
        end_index = first_index + rule.value - 1
        for gap_first, gap_last in gaps:
            if gap_last < start:
                continue
            low = bisect_left(ordinals, max(gap_first, start))
            if low > end_index:
                break
            # the company days inside the absence do not count: the trial runs as many company days longer
            end_index += bisect_right(ordinals, gap_last) - low
        if end_index < len(ordinals):
            return TrialEnd(date.fromordinal(ordinals[end_index]), rule.value, rule.source)
        if last_year - contract_start.year > _SEARCH_LIMIT_YEARS:
            raise InvalidRuleInput("calendar", Reason("too_few_company_days", days=rule.value,
                                                      years=_SEARCH_LIMIT_YEARS, start=contract_start))
        last_year += _SPAN_MARGIN_YEARS  # very long school periods or absences: look further
