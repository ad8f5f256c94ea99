"""Deadlines: OPCO filing within 5 working days (D6224-1), 3-month windows (L6222-12, L6222-12-1, L6222-18-2)."""

from __future__ import annotations

from datetime import date

import pytest

from contract_flow.domain.rules import RuleSet, add_months, deadlines, search_after_break_end

day = date.fromisoformat

# (contract start, OPCO filing due): jours ouvrables are Monday to Saturday, public holidays excluded
OPCO = [
    pytest.param("2026-04-30", "2026-05-07", id="D6224-1 Thu 30 Apr: 1 May off, Saturday 2 May counts"),
    pytest.param("2026-05-04", "2026-05-11", id="D6224-1 Mon 4 May: Friday 8 May off"),
    pytest.param("2026-05-07", "2026-05-15", id="D6224-1 Thu 7 May: 8 May and Ascension 14 May off"),
    pytest.param("2026-05-22", "2026-05-29", id="D6224-1 Whit Monday 25 May off"),
    pytest.param("2026-01-03", "2026-01-09", id="D6224-1 a Saturday start: Sunday never counts"),
    pytest.param("2026-12-24", "2026-12-31", id="D6224-1 Christmas Eve: 25 December off"),
    pytest.param("2026-12-29", "2027-01-05", id="D6224-1 across the year: 1 January off"),
]


@pytest.mark.parametrize(("start", "due"), OPCO)
def test_opco_filing_is_due_on_the_fifth_working_day_after_the_start(rules: RuleSet, start: str, due: str) -> None:
    result = deadlines(rules, day(start))
    assert result.opco_filing_due == day(due)
    assert result.sources[0].startswith("D6224-1")


# (contract start, training start, training due, end of the search without employer)
MONTHS = [
    pytest.param("2026-09-01", None, "2026-12-01", "2026-12-01", id="L6222-12 three months"),
    pytest.param("2026-08-31", None, "2026-11-30", "2026-11-30", id="L6222-12 31 Aug + 3 months: 30 Nov"),
    pytest.param("2026-11-30", None, "2027-02-28", "2027-02-28", id="L6222-12 30 Nov + 3 months: 28 Feb"),
    pytest.param("2027-11-30", None, "2028-02-29", "2028-02-29", id="L6222-12 a leap February"),
    pytest.param("2026-09-01", "2026-09-15", "2026-12-01", "2026-12-15",
                 id="L6222-12-1 the search window runs from the training start"),
]


@pytest.mark.parametrize(("start", "training", "training_due", "search_end"), MONTHS)
def test_three_month_windows(
    rules: RuleSet, start: str, training: str | None, training_due: str, search_end: str
) -> None:
    result = deadlines(rules, day(start), day(training) if training else None)
    assert (result.training_start_due, result.employer_search_window_end) == (day(training_due), day(search_end))
    assert [source.split(":")[0].strip() for source in result.sources] == ["D6224-1", "L6222-12", "L6222-12-1"]


def test_the_cfa_keeps_an_apprentice_six_months_after_a_break(rules: RuleSet) -> None:
    """L6222-18-2: after a break, up to 6 months of training while looking for a new employer."""
    after = search_after_break_end(rules, date(2026, 8, 31))
    assert after.due == date(2027, 2, 28)
    assert after.source.startswith("L6222-18-2")


def test_add_months_clamps_to_the_end_of_a_shorter_month() -> None:
    assert add_months(date(2026, 1, 31), 1) == date(2026, 2, 28)
    assert add_months(date(2026, 12, 15), 3) == date(2027, 3, 15)
    assert add_months(date(2026, 3, 31), -1) == date(2026, 2, 28)
