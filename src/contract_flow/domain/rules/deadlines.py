"""Deadlines around the contract start: OPCO filing (D6224-1), training start (L6222-12), search windows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contract_flow.domain.rules.dates import ONE_DAY, add_months
from contract_flow.domain.rules.public_holidays import HolidaysProvider, french_public_holidays
from contract_flow.domain.rules.ruleset import RuleSet

_SUNDAY = 6


@dataclass(frozen=True, slots=True)
class Deadlines:
    """The dates by which each party must act, with the texts that fix them."""

    opco_filing_due: date
    training_start_due: date
    employer_search_window_end: date
    sources: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Deadline:
    """One date by which something must happen, with its source."""

    due: date
    source: str


def working_days_after(start: date, count: int, holidays_provider: HolidaysProvider) -> date:
    """The `count`-th jour ouvrable after `start` (not counted): Monday to Saturday, public holidays excluded."""
    # `count` working days never span more than a few weeks, so the next year's holidays are enough
    public_holidays = holidays_provider(start.year, start.year + 1)
    day = start
    while count:
        day += ONE_DAY
        if day.weekday() != _SUNDAY and day not in public_holidays:
            count -= 1
    return day


def deadlines(
    ruleset: RuleSet,
    contract_start: date,
    training_start: date | None = None,
    holidays_provider: HolidaysProvider = french_public_holidays,
) -> Deadlines:
    """D6224-1: filing within 5 working days after the start; L6222-12: training within 3 months of the start;
    L6222-12-1: a young person may train at the CFA without an employer for up to 3 months.

    Months are calendar months clamped to the month's end (31 May + 3 months = 31 August, 30 November + 3 =
    28 February). `training_start` defaults to the contract start.
    """
    filing = ruleset.duration_on("opco_filing_working_days", contract_start)
    training = ruleset.duration_on("training_start_months", contract_start)
    search_from = training_start or contract_start
    search = ruleset.duration_on("search_without_employer_months", search_from)
    return Deadlines(
        opco_filing_due=working_days_after(contract_start, filing.value, holidays_provider),
        training_start_due=add_months(contract_start, training.value),
        employer_search_window_end=add_months(search_from, search.value),
        sources=(filing.source, training.source, search.source),
    )


def search_after_break_end(ruleset: RuleSet, broken_on: date) -> Deadline:
    """L6222-18-2: after a break the CFA keeps the apprentice in training for up to 6 months."""
    rule = ruleset.duration_on("search_after_break_months", broken_on)
    return Deadline(add_months(broken_on, rule.value), rule.source)
