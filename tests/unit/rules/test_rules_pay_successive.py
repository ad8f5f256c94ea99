"""Minimum pay of contracts that are not a whole first contract: D6222-28-1 (a contract shorter than its training
cycle counts the difference as served) and D6222-29 (a new contract after one that led to the diploma).

Amounts after 1 June 2026 use the SMIC of 1 867,02 € (arrêté du 22 mai 2026), before it 1 823,03 € (décret
2025-1228); percentages are D6222-26's.
"""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_flow.domain.rules import PreviousContract, RuleSet, add_months, minimum_pay, pay_schedule
from contract_flow.domain.rules.pay import (
    OTHER_EMPLOYER_SOURCE,
    SAME_EMPLOYER_SOURCE,
    SHORTER_CONTRACT_SOURCE,
    contract_year_on,
)

day = date.fromisoformat
BIRTH = date(2005, 3, 15)  # 21 on 15 March 2026: band 21-25 from 1 April 2026 to 31 March 2031
START = date(2026, 9, 1)

# (contract end, cycle years, day paid, contract year, minimum): D6222-28-1 read with dates, the years counted from
# the contract end + 1 day - the cycle's years.
SHORTER = [
    pytest.param("2028-08-31", 3, "2026-09-01", 2, "1138.88",
                 id="D6222-28-1 2-year contract in a 3-year cycle: year 2 (61%) from the first day"),
    pytest.param("2028-08-31", 3, "2027-08-31", 2, "1138.88", id="D6222-28-1 still year 2 on the day before a year"),
    pytest.param("2028-08-31", 3, "2027-09-01", 3, "1456.28",
                 id="D6222-28-1 2-year contract in a 3-year cycle: year 3 (78%) after one year"),
    pytest.param("2028-12-31", 3, "2026-12-31", 1, "989.52",
                 id="D6222-28-1 2 years 4 months in 3 years: 8 months served, year 1 for 4 months"),
    pytest.param("2028-12-31", 3, "2027-01-01", 2, "1138.88",
                 id="D6222-28-1 2 years 4 months in 3 years: year 2 once 4 months are served"),
    pytest.param("2028-12-31", 3, "2028-01-01", 3, "1456.28",
                 id="D6222-28-1 2 years 4 months in 3 years: year 3 from 16 months"),
    pytest.param("2027-08-31", 3, "2026-09-01", 3, "1456.28",
                 id="D6222-28-1 1-year contract in a 3-year cycle: year 3 from the first day"),
    pytest.param("2027-08-31", 2, "2027-03-01", 2, "1138.88",
                 id="D6222-28-1 1-year contract in a 2-year cycle: year 2"),
    pytest.param("2029-08-31", 3, "2027-08-31", 1, "989.52",
                 id="D6222-28-1 a contract as long as its cycle counts from its own start"),
    pytest.param("2028-10-31", 2, "2027-09-01", 2, "1138.88",
                 id="L6222-7-1 a contract ending 2 months after its cycle counts from its own start"),
]


@pytest.mark.parametrize(("end", "cycle", "on", "year", "minimum"), SHORTER)
def test_a_contract_shorter_than_its_cycle_counts_the_difference_as_served(
    *, rules: RuleSet, end: str, cycle: int, on: str, year: int, minimum: str
) -> None:
    result = minimum_pay(rules, BIRTH, START, day(on), contract_end=day(end), cycle_years=cycle)
    assert (result.contract_year, result.age_band, result.minimum_monthly_gross) == (year, "21-25", Decimal(minimum))
    assert contract_year_on(START, day(on), contract_end=day(end), cycle_years=cycle) == year
    shorter = result.years_counted_from != START
    assert (SHORTER_CONTRACT_SOURCE in result.sources) == shorter
    assert shorter == (day(end) < add_months(START, 12 * cycle) - timedelta(days=1))


def test_without_end_and_cycle_the_years_count_from_the_start(rules: RuleSet) -> None:
    result = minimum_pay(rules, BIRTH, START, date(2027, 9, 1))
    assert (result.contract_year, result.years_counted_from, result.minimum_rule) == (2, START, "D6222-26")
    assert not any("D6222-28-1" in source or "D6222-29" in source for source in result.sources)


def test_the_schedule_of_a_shorter_contract_ends_on_its_end(rules: RuleSet) -> None:
    """DOMAIN.md: entering year 2 of a 3-year cycle with a 2-year contract; then 2 years 4 months."""
    two_years = pay_schedule(rules, BIRTH, START, contract_end=date(2028, 8, 31), cycle_years=3)
    assert [(p.start, p.end, p.contract_year, p.minimum_monthly_gross) for p in two_years] == [
        (date(2026, 9, 1), date(2027, 8, 31), 2, Decimal("1138.88")),
        (date(2027, 9, 1), date(2028, 8, 31), 3, Decimal("1456.28")),
    ]
    longer = pay_schedule(rules, BIRTH, START, contract_end=date(2028, 12, 31), cycle_years=3)
    assert [(p.start, p.end, p.contract_year) for p in longer] == [
        (date(2026, 9, 1), date(2026, 12, 31), 1),
        (date(2027, 1, 1), date(2027, 12, 31), 2),
        (date(2028, 1, 1), date(2028, 12, 31), 3),
    ]


def test_a_29_february_virtual_start_counts_from_1_march(rules: RuleSet) -> None:
    """End 28 February 2029, cycle 2 years: the cycle would have begun on 29 February 2027, which does not exist."""
    result = minimum_pay(rules, BIRTH, date(2027, 9, 1), date(2028, 2, 29), contract_end=date(2029, 2, 28),
                         cycle_years=2)
    assert (result.years_counted_from, result.contract_year) == (date(2027, 3, 1), 1)
    assert minimum_pay(rules, BIRTH, date(2027, 9, 1), date(2028, 3, 1), contract_end=date(2029, 2, 28),
                       cycle_years=2).contract_year == 2


BAD_CYCLE = [
    pytest.param({"contract_end": date(2028, 8, 31)}, r"^cycle_years: needed with contract_end", id="end alone"),
    pytest.param({"cycle_years": 3}, r"^contract_end: needed with cycle_years", id="cycle alone"),
    pytest.param({"contract_end": START, "cycle_years": 3}, r"^contract_end: 2026-09-01 is not after the contract",
                 id="end on the start"),
    pytest.param({"contract_end": date(2028, 8, 31), "cycle_years": 0}, r"^cycle_years: 0 must be at least 1",
                 id="no cycle"),
]


@pytest.mark.parametrize(("options", "message"), BAD_CYCLE)
def test_contract_end_and_cycle_years_go_together(rules: RuleSet, options: dict[str, object], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        minimum_pay(rules, BIRTH, START, START, **options)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match=message):
        pay_schedule(rules, BIRTH, START, **options)  # type: ignore[arg-type]


def test_a_schedule_takes_a_length_in_years_or_an_end_not_both(rules: RuleSet) -> None:
    with pytest.raises(ValueError, match=r"^years: give the contract's length in years or its end"):
        pay_schedule(rules, BIRTH, START, 2, contract_end=date(2028, 8, 31), cycle_years=3)
    with pytest.raises(ValueError, match=r"^on: 2028-09-01 is after the contract end 2028-08-31"):
        minimum_pay(rules, BIRTH, START, date(2028, 9, 1), contract_end=date(2028, 8, 31), cycle_years=3)


def same(received: str, end: str = "2026-08-31", year: int = 3) -> PreviousContract:
    return PreviousContract(same_employer=True, end=day(end), last_year=year, last_year_monthly_gross=Decimal(received))


def other(end: str = "2026-08-31", year: int = 3) -> PreviousContract:
    return PreviousContract(same_employer=False, end=day(end), last_year=year)


# (birth, previous contract, day paid, minimum, rule, floor, source); the new contract starts on START, year 1.
SUCCESSIVE = [
    pytest.param(BIRTH, same("1500.00"), "2026-10-01", "1500.00", "D6222-29", "1500.00", SAME_EMPLOYER_SOURCE,
                 id="D6222-29 al.1 same employer: at least the pay received in the last year"),
    pytest.param(BIRTH, same("900.00"), "2026-10-01", "989.52", "D6222-26", "900.00", SAME_EMPLOYER_SOURCE,
                 id="D6222-29 al.1 unless the age-based minimum (53%) is higher"),
    pytest.param(BIRTH, other(), "2026-10-01", "1456.28", "D6222-29", "1456.28", OTHER_EMPLOYER_SOURCE,
                 id="D6222-29 al.2 other employer: the 78% of a last year 3 at 21-25, of today's SMIC"),
    pytest.param(date(2007, 6, 15), other(year=2), "2026-10-01", "952.18", "D6222-29", "952.18",
                 OTHER_EMPLOYER_SOURCE, id="D6222-29 al.2 other employer: 51% of a last year 2 at 18-20"),
    pytest.param(date(2008, 6, 15), other(end="2025-08-31", year=1), "2026-10-01", "802.82", "D6222-26", "504.10",
                 OTHER_EMPLOYER_SOURCE, id="D6222-29 al.2 the age-based 43% beats a last year at 16-17 (27%)"),
    pytest.param(date(2008, 3, 10), other(end="2026-04-30", year=2), "2026-10-01", "952.18", "D6222-29", "952.18",
                 OTHER_EMPLOYER_SOURCE,
                 id="D6222-29 al.2 D6222-31 band on the previous contract's last day: 18 in March, 18-20 in April"),
    pytest.param(date(2008, 3, 10), other(end="2026-03-31", year=2), "2026-10-01", "802.82", "D6222-26", "728.14",
                 OTHER_EMPLOYER_SOURCE,
                 id="D6222-29 al.2 D6222-31 band on the previous contract's last day: still 16-17 on 31 March"),
]


@pytest.mark.parametrize(("birth", "previous", "on", "minimum", "rule", "floor", "source"), SUCCESSIVE)
def test_a_new_contract_pays_at_least_the_previous_contracts_last_year(
    *, rules: RuleSet, birth: date, previous: PreviousContract, on: str, minimum: str, rule: str, floor: str,
    source: str,
) -> None:
    result = minimum_pay(rules, birth, START, day(on), previous_contract=previous)
    assert result.contract_year == 1
    assert (result.minimum_monthly_gross, result.minimum_rule, result.previous_contract_floor) == (
        Decimal(minimum), rule, Decimal(floor))
    assert result.age_based_minimum == minimum_pay(rules, birth, START, day(on)).minimum_monthly_gross
    assert source in result.sources


def test_another_employers_floor_follows_the_smic(rules: RuleSet) -> None:
    """D6222-29 al.2: what the apprentice could claim is a percentage (year 3 at 18-20: 67%) of the SMIC of the
    day paid: 1 823,03 €, then 1 867,02 € from 1 June 2026."""
    start = date(2025, 9, 1)
    before = minimum_pay(rules, BIRTH, start, date(2026, 5, 31), previous_contract=other(end="2025-08-31"))
    after = minimum_pay(rules, BIRTH, start, date(2026, 6, 1), previous_contract=other(end="2025-08-31"))
    assert (before.minimum_monthly_gross, after.minimum_monthly_gross) == (Decimal("1221.43"), Decimal("1250.90"))


def test_a_previous_contract_without_its_diploma_sets_no_floor(rules: RuleSet) -> None:
    """D6222-29 applies "lorsque ce dernier a conduit à l'obtention du titre ou du diplôme ainsi préparé"."""
    previous = PreviousContract(True, date(2026, 8, 31), 3, Decimal("1500"), led_to_diploma=False)
    result = minimum_pay(rules, BIRTH, START, date(2026, 10, 1), previous_contract=previous)
    assert (result.minimum_monthly_gross, result.minimum_rule, result.previous_contract_floor) == (
        Decimal("989.52"), "D6222-26", None)
    assert not any("D6222-29" in source for source in result.sources)


def test_a_fixed_floor_makes_no_new_period_at_a_smic_revaluation(rules: RuleSet) -> None:
    """Same employer, 1 500 € received: the SMIC of 1 January and 1 June 2026 change nothing; the band still cuts."""
    periods = pay_schedule(rules, BIRTH, date(2025, 9, 1), 1, previous_contract=same("1500", end="2025-08-31"))
    assert [(p.start, p.end, p.age_band, p.minimum_monthly_gross, p.minimum_rule) for p in periods] == [
        (date(2025, 9, 1), date(2026, 3, 31), "18-20", Decimal("1500.00"), "D6222-29"),
        (date(2026, 4, 1), date(2026, 8, 31), "21-25", Decimal("1500.00"), "D6222-29"),
    ]


def test_the_schedule_says_where_the_floor_gives_way_to_the_grid(rules: RuleSet) -> None:
    """Another employer after a last year 2 at 18-20 (51%), a new 2-year cycle entered in year 2 at 21-25 (61%)."""
    periods = pay_schedule(rules, date(2005, 9, 15), date(2026, 9, 1), contract_end=date(2027, 8, 31),
                           cycle_years=2, previous_contract=other(year=2))
    assert [(p.start, p.contract_year, p.age_band, p.minimum_monthly_gross, p.minimum_rule) for p in periods] == [
        (date(2026, 9, 1), 2, "18-20", Decimal("952.18"), "D6222-26"),
        (date(2026, 10, 1), 2, "21-25", Decimal("1138.88"), "D6222-26"),
    ]
    floored = pay_schedule(rules, date(2005, 9, 15), date(2026, 9, 1), 1, previous_contract=other(year=3))
    assert [(p.start, p.minimum_monthly_gross, p.minimum_rule) for p in floored] == [
        (date(2026, 9, 1), Decimal("1250.90"), "D6222-29"),  # 67%: last year 3 at 18-20, above year 1's 43%
        (date(2026, 10, 1), Decimal("1250.90"), "D6222-29"),  # 21-25 from October: 53% is still below
    ]


BAD_PREVIOUS = [
    pytest.param(PreviousContract(True, date(2026, 8, 31), 3), r"^previous_contract.last_year_monthly_gross: with the "
                 r"same employer", id="same employer without the pay received"),
    pytest.param(PreviousContract(False, date(2026, 8, 31), 3, Decimal(1000)), r"^previous_contract.last_year_monthly_"
                 r"gross: with another employer", id="another employer with a pay received"),
    pytest.param(other(end="2026-09-01"), r"^previous_contract.end: 2026-09-01 is not before the contract start",
                 id="previous contract not ended before the start"),
    pytest.param(other(year=0), r"^previous_contract.last_year: 0 must be at least 1", id="no last year"),
    pytest.param(same("0"), r"^previous_contract.last_year_monthly_gross: 0 must be more than 0", id="nothing paid"),
]


@pytest.mark.parametrize(("previous", "message"), BAD_PREVIOUS)
def test_a_previous_contract_that_does_not_fit_d6222_29_is_refused_naming_the_field(
    rules: RuleSet, previous: PreviousContract, message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        minimum_pay(rules, BIRTH, START, START, previous_contract=previous)
    with pytest.raises(ValueError, match=message):
        pay_schedule(rules, BIRTH, START, previous_contract=previous)


births = st.dates(date(1995, 1, 1), date(2010, 12, 31))
starts = st.dates(date(2024, 1, 1), date(2027, 12, 31))


@given(birth=births, start=starts, months=st.integers(6, 36), cycle=st.integers(1, 3),
       previous_year=st.one_of(st.none(), st.integers(1, 3)))
@settings(max_examples=200, deadline=None)
def test_the_schedule_agrees_with_minimum_pay_for_shorter_and_successive_contracts(
    rules: RuleSet, birth: date, start: date, months: int, cycle: int, previous_year: int | None
) -> None:
    """Periods follow each other without gap to the contract end, and each one's first and last days give its
    minimum, year and rule."""
    end = add_months(start, months) - timedelta(days=1)
    previous = None if previous_year is None else other(end=str(start - timedelta(days=30)), year=previous_year)
    options = {"contract_end": end, "cycle_years": cycle, "previous_contract": previous}
    periods = pay_schedule(rules, birth, start, **options)  # type: ignore[arg-type]
    assert (periods[0].start, periods[-1].end) == (start, end)
    for earlier, later in pairwise(periods):
        assert later.start == earlier.end + timedelta(days=1)
    for period in periods:
        for one_day in (period.start, period.end):
            result = minimum_pay(rules, birth, start, one_day, **options)  # type: ignore[arg-type]
            assert (result.contract_year, result.age_band, result.minimum_monthly_gross, result.minimum_rule) == (
                period.contract_year, period.age_band, period.minimum_monthly_gross, period.minimum_rule)
