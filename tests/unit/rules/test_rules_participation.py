"""Employer participation (L6332-14; R6332-25-1, R6332-25-2, décret 2025-585): 750 € from level 6 for a contract
concluded from 1 July 2025, 200 € after an early break, pro rata of the NPEC for a break during the trial."""

from __future__ import annotations

import tomllib
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.rules import RuleSet, RuleSetError, TrialBreak, employer_participation, parse_ruleset
from contract_flow.rulefiles import DEFAULT_RULES_FILE

day = date.fromisoformat

# (level, concluded, after an early break, amount, the source that fixes it)
FLAT = [
    pytest.param(7, "2026-08-20", False, "750.00", "L6332-14", id="R6332-25-1 level 7: 750 €"),
    pytest.param(6, "2025-07-01", False, "750.00", "L6332-14", id="décret 2025-585 art. 2 concluded on 1 July 2025"),
    pytest.param(8, "2026-08-20", False, "750.00", "L6332-14", id="R6332-25-1 level 8, a doctorate"),
    pytest.param(7, "2025-06-30", False, "0.00", "L6332-14", id="décret 2025-585 art. 2 concluded on 30 June 2025"),
    pytest.param(5, "2026-08-20", False, "0.00", "Décret n° 2019-14", id="L6332-14 level 5 is below 6"),
    pytest.param(3, "2026-08-20", True, "0.00", "Décret n° 2019-14", id="L6332-14 level 3, even after a break"),
    pytest.param(7, "2026-08-20", True, "200.00", "R6332-25-1 (décret n° 2025-585) : 200 €",
                 id="R6332-25-1 a new employer after an early break: 200 €"),
]


@pytest.mark.parametrize(("level", "concluded", "after_break", "amount", "source"), FLAT)
def test_the_participation_depends_on_the_level_and_the_conclusion_day(
    rules: RuleSet, level: int, concluded: str, after_break: bool, amount: str, source: str
) -> None:
    result = employer_participation(rules, level, day(concluded), after_break=after_break)
    assert result.amount == Decimal(amount)
    assert result.sources[-1].startswith(source)
    assert result.invoice_due is None  # no trial end given


# (day of the break, NPEC, amount): 50 % x NPEC x days / 365, at most 750 €
TRIAL_BREAK = [
    pytest.param(45, "8000", "493.15", id="ministère du travail 30 June 2025: NPEC 8 000 €, day 45 -> 493 €"),
    pytest.param(30, "8000", "328.77", id="R6332-25-1 day 30: 8 000 x 50 % x 30 / 365"),
    pytest.param(1, "8000", "10.96", id="R6332-25-1 the first day"),
    pytest.param(45, "13000", "750.00", id="R6332-25-1 at most 750 € (13 000 € NPEC: 801,37 € capped)"),
    pytest.param(45, "12166", "749.96", id="R6332-25-1 just below the cap"),
]


@pytest.mark.parametrize(("broken_on", "npec", "amount"), TRIAL_BREAK)
def test_a_break_during_the_trial_costs_half_the_npec_for_the_days_done(
    rules: RuleSet, broken_on: int, npec: str, amount: str
) -> None:
    result = employer_participation(rules, 7, day("2026-08-20"), trial_break=TrialBreak(broken_on, Decimal(npec)))
    assert result.amount == Decimal(amount)
    assert result.sources[-1].startswith("R6332-25-1 (décret n° 2025-585) : une rupture pendant les 45 premiers jours")
    assert result.invoice_due is None


def test_a_second_contract_broken_during_its_trial_never_costs_more_than_its_200_euros(rules: RuleSet) -> None:
    """Our reading of R6332-25-1: the pro rata is capped by the flat amount the contract would owe (200 €)."""
    result = employer_participation(rules, 7, day("2026-08-20"), after_break=True,
                                    trial_break=TrialBreak(45, Decimal(8000)))
    assert result.amount == Decimal("200.00")
    short = employer_participation(rules, 7, day("2026-08-20"), after_break=True,
                                   trial_break=TrialBreak(10, Decimal(8000)))
    assert short.amount == Decimal("109.59")


def test_the_cfa_invoices_at_the_end_of_the_trial(rules: RuleSet) -> None:
    """R6332-25-2: the invoice goes out at the end of the 45 first days of training in the company."""
    result = employer_participation(rules, 7, day("2026-08-20"), trial_end=day("2026-11-10"))
    assert (result.amount, result.invoice_due) == (Decimal("750.00"), day("2026-11-10"))
    assert result.sources[-1].startswith("R6332-25-2")
    nothing = employer_participation(rules, 5, day("2026-08-20"), trial_end=day("2026-11-10"))
    assert (nothing.amount, nothing.invoice_due) == (Decimal("0.00"), None)  # nothing to invoice


# (level, keyword arguments, start of the message)
REFUSED = [
    pytest.param(2, {}, "level: 2 is not a level an apprenticeship prepares (3 to 8", id="level 2"),
    pytest.param(9, {}, "level: 9 is not a level an apprenticeship prepares (3 to 8", id="level 9"),
    pytest.param(7, {"trial_break": TrialBreak(0, Decimal(8000))}, "broken-on-day: 0:", id="day 0"),
    pytest.param(7, {"trial_break": TrialBreak(10, Decimal(0))}, "npec: 0:", id="no NPEC"),
    pytest.param(7, {"trial_break": TrialBreak(10, Decimal(8000)), "trial_end": day("2026-11-10")},
                 "trial-end: a contract broken during its trial never reaches", id="a trial end after a break"),
    pytest.param(7, {"trial_end": day("2026-08-19")}, "trial-end: 2026-08-19 is before the contract was concluded",
                 id="a trial end before the conclusion"),
]


@pytest.mark.parametrize(("level", "options", "message"), REFUSED)
def test_impossible_facts_are_refused_naming_the_field(
    rules: RuleSet, level: int, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(InvalidInput) as refused:
        employer_participation(rules, level, day("2026-08-20"), **options)
    assert str(refused.value).startswith(message)


def test_an_unknown_level_is_refused_even_before_july_2025(rules: RuleSet) -> None:
    with pytest.raises(InvalidInput, match=r"^level: 9 "):
        employer_participation(rules, 9, day("2024-09-01"))


@settings(max_examples=300, deadline=None)
@given(
    first=st.integers(1, 400),
    later=st.integers(0, 400),
    npec=st.decimals(min_value=1, max_value=60000, places=2),
    after_break=st.booleans(),
)
def test_the_trial_break_pro_rata_never_exceeds_the_flat_amount_and_grows_with_the_days(
    rules: RuleSet, first: int, later: int, npec: Decimal, after_break: bool
) -> None:
    def owed(days: int) -> Decimal:
        return employer_participation(rules, 7, day("2026-08-20"), after_break=after_break,
                                      trial_break=TrialBreak(days, npec)).amount

    flat = Decimal(200 if after_break else 750)
    assert Decimal(0) <= owed(first) <= owed(first + later) <= flat


@pytest.fixture
def data() -> dict[str, Any]:
    with DEFAULT_RULES_FILE.open("rb") as file:
        return tomllib.load(file)


# (key of the [[employer_participation]] entry, new value or ... to remove it, start of the message)
MALFORMED = [
    pytest.param("minimum_level", 9, "employer_participation[1]: expected lowest_level <= minimum_level <= highest",
                 id="minimum above the levels"),
    pytest.param("trial_break_percent_of_npec", 150, "employer_participation[1].trial_break_percent_of_npec: 150 is",
                 id="percent over 100"),
    pytest.param("amount", 750.0, "employer_participation[1].amount: expected a string", id="a float amount"),
    pytest.param("trial_break_year_days", 0, "employer_participation[1].trial_break_year_days: expected a whole",
                 id="no days in a year"),
    pytest.param("invoice_source", ..., "employer_participation[1]: missing invoice_source", id="a source missing"),
]


@pytest.mark.parametrize(("key", "value", "message"), MALFORMED)
def test_a_malformed_participation_entry_is_refused_naming_it(
    data: dict[str, Any], key: str, value: Any, message: str
) -> None:
    entry = data["employer_participation"][0]
    if value is ...:
        del entry[key]
    else:
        entry[key] = value
    with pytest.raises(RuleSetError) as refused:
        parse_ruleset(data)
    assert str(refused.value).startswith(message)


def test_next_years_participation_is_a_config_edit_only(data: dict[str, Any]) -> None:
    data["employer_participation"][0]["until"] = "2026-12-31"
    data["employer_participation"].append(data["employer_participation"][0] | {
        "effective_from": "2027-01-01", "amount": "900", "trial_break_cap": "900", "source": "décret 2026-X"})
    del data["employer_participation"][1]["until"]
    rules = parse_ruleset(data)
    assert employer_participation(rules, 7, day("2026-12-31")).amount == Decimal("750.00")
    assert employer_participation(rules, 7, day("2027-01-01")).amount == Decimal("900.00")
