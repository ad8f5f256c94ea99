"""Minimum pay: D6222-26 grid, D6222-31 bands, SMIC revaluations, SMC from 21, contribution exemption."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contract_flow.domain.rules import RuleSet, age_on, minimum_pay, pay_schedule

START = date(2026, 9, 1)  # SMIC 1 867,02 € for every day checked below (arrêté du 22 mai 2026)
day = date.fromisoformat


def on_in_year(year: int) -> date:
    return date(2026 + year - 1, 10, 1)  # a month into contract year `year`


def born_aged(age: int, on: date) -> date:
    """Born mid-June so that the age on the last day of the month before `on` (October) is `age`."""
    return date(on.year - age, 6, 15)


# One row per cell of D6222-26: amounts are 1 867,02 € x percent, rounded half up to the cent.
GRID = [
    pytest.param("16-17", 1, 17, "27", "504.10", id="D6222-26 1°a 16-17 year 1 27%"),
    pytest.param("16-17", 2, 17, "39", "728.14", id="D6222-26 1°b 16-17 year 2 39%"),
    pytest.param("16-17", 3, 17, "55", "1026.86", id="D6222-26 1°c 16-17 year 3 55%"),
    pytest.param("18-20", 1, 19, "43", "802.82", id="D6222-26 2°a 18-20 year 1 43%"),
    pytest.param("18-20", 2, 19, "51", "952.18", id="D6222-26 2°b 18-20 year 2 51%"),
    pytest.param("18-20", 3, 19, "67", "1250.90", id="D6222-26 2°c 18-20 year 3 67%"),
    pytest.param("21-25", 1, 23, "53", "989.52", id="D6222-26 3°a 21-25 year 1 53%"),
    pytest.param("21-25", 2, 23, "61", "1138.88", id="D6222-26 3°b 21-25 year 2 61%"),
    pytest.param("21-25", 3, 23, "78", "1456.28", id="D6222-26 3°c 21-25 year 3 78%"),
    pytest.param("26+", 1, 28, "100", "1867.02", id="D6222-26 4° 26+ year 1 100%"),
    pytest.param("26+", 2, 28, "100", "1867.02", id="D6222-26 4° 26+ year 2 100%"),
    pytest.param("26+", 3, 28, "100", "1867.02", id="D6222-26 4° 26+ year 3 100%"),
]


@pytest.mark.parametrize(("band", "year", "age", "percent", "minimum"), GRID)
def test_each_cell_of_the_pay_grid(
    *, rules: RuleSet, band: str, year: int, age: int, percent: str, minimum: str
) -> None:
    on = on_in_year(year)
    result = minimum_pay(rules, born_aged(age, on), START, on)
    assert (result.age_band, result.contract_year) == (band, year)
    assert result.percent == Decimal(percent)
    assert (result.reference, result.reference_amount) == ("SMIC", Decimal("1867.02"))
    assert result.minimum_monthly_gross == Decimal(minimum)
    assert any("D6222-26" in source for source in result.sources)


# (birth, contract start, day, expected band, expected contract year); each row names its rule.
BANDS_AND_YEARS = [
    pytest.param("2008-03-01", "2025-09-01", "2026-03-01", "16-17", 1,
                 id="D6222-31 18 on the 1st of March: still 16-17 on that day"),
    pytest.param("2008-03-01", "2025-09-01", "2026-04-01", "18-20", 1,
                 id="D6222-31 18 on the 1st of March: 18-20 from the 1st of April"),
    pytest.param("2008-03-01", "2025-09-01", "2026-03-31", "16-17", 1,
                 id="D6222-31 the last day of the birthday month keeps the old band"),
    pytest.param("2008-09-01", "2026-09-01", "2026-09-01", "16-17", 1,
                 id="D6222-31 18 on the contract start: the first month is paid 16-17"),
    pytest.param("2008-09-01", "2026-09-01", "2026-10-01", "18-20", 1,
                 id="D6222-31 18 on the contract start: 18-20 from the next month"),
    pytest.param("2005-09-30", "2026-09-01", "2026-10-01", "21-25", 1,
                 id="D6222-31 21 on the last day of a month: 21-25 the next day"),
    pytest.param("2000-12-31", "2026-09-01", "2027-01-01", "26+", 1,
                 id="D6222-31 26 on 31 December: 26+ from 1 January"),
    pytest.param("2008-02-29", "2025-09-01", "2026-03-15", "16-17", 1,
                 id="29 Feb birth: 18 on 1 March in a common year, still 16-17 in March"),
    pytest.param("2008-02-29", "2025-09-01", "2026-04-01", "18-20", 1,
                 id="29 Feb birth: 18-20 from 1 April (the month after 1 March)"),
    pytest.param("2006-05-05", "2028-02-29", "2029-02-28", "21-25", 1,
                 id="29 Feb start: year 1 runs to 28 February in a common year"),
    pytest.param("2006-05-05", "2028-02-29", "2029-03-01", "21-25", 2,
                 id="29 Feb start: year 2 begins on 1 March, the day after 28 February"),
    pytest.param("2006-05-05", "2028-02-29", "2032-02-28", "21-25", 4,
                 id="29 Feb start: year 4 runs to the day before the leap anniversary"),
    pytest.param("2006-05-05", "2028-02-29", "2032-02-29", "21-25", 5,
                 id="29 Feb start: a leap anniversary is the 29th again"),
    pytest.param("2006-05-05", "2026-09-01", "2027-08-31", "21-25", 1,
                 id="D6222-26 year 1 ends the day before the anniversary"),
    pytest.param("2006-05-05", "2026-09-01", "2027-09-01", "21-25", 2,
                 id="D6222-26 year 2 starts on the anniversary"),
]


@pytest.mark.parametrize(("birth", "start", "on", "band", "year"), BANDS_AND_YEARS)
def test_age_band_and_contract_year(*, rules: RuleSet, birth: str, start: str, on: str, band: str, year: int) -> None:
    result = minimum_pay(rules, day(birth), day(start), day(on))
    assert (result.age_band, result.contract_year) == (band, year)


def test_year_four_keeps_the_third_year_percentage(rules: RuleSet) -> None:
    """D6222-28: a contract prolonged after a failed exam (L6222-11) keeps the last year's percentage."""
    result = minimum_pay(rules, date(2007, 6, 15), START, date(2029, 10, 1))
    assert (result.contract_year, result.age_band, result.percent) == (4, "21-25", Decimal(78))
    last = pay_schedule(rules, date(2007, 6, 15), START, years=4)[-1]
    assert (last.contract_year, last.percent, last.end) == (4, Decimal(78), date(2030, 8, 31))


def test_pay_follows_the_smic_revaluation_of_1_november_2024(rules: RuleSet) -> None:
    """Décret 2024-951: 1 766,92 € until 31 October 2024, 1 801,80 € from 1 November."""
    birth, start = date(2005, 3, 15), date(2024, 9, 1)
    before = minimum_pay(rules, birth, start, date(2024, 10, 31))
    after = minimum_pay(rules, birth, start, date(2024, 11, 1))
    assert (before.reference_amount, before.minimum_monthly_gross) == (Decimal("1766.92"), Decimal("759.78"))
    assert (after.reference_amount, after.minimum_monthly_gross) == (Decimal("1801.80"), Decimal("774.77"))
    schedule = pay_schedule(rules, birth, start)
    assert [(period.start, period.end) for period in schedule[:2]] == [
        (date(2024, 9, 1), date(2024, 10, 31)),
        (date(2024, 11, 1), date(2025, 8, 31)),
    ]


# (concluded, contract start, day paid, exemption ceiling)
EXEMPTIONS = [
    pytest.param("2025-02-20", "2025-03-03", "2025-06-01", "1423.42",
                 id="D6243-5 concluded before 1 March 2025, started after: 79% of 1801.80"),
    pytest.param("2025-03-01", "2025-03-03", "2025-06-01", "900.90",
                 id="décret 2025-290 concluded on 1 March 2025: 50% of 1801.80"),
    pytest.param(None, "2025-03-03", "2025-06-01", "900.90",
                 id="décret 2025-290 the conclusion defaults to the start: 50%"),
    pytest.param("2025-02-20", "2025-03-03", "2026-01-05", "1440.19",
                 id="D6243-5 79% of the SMIC in force on the day paid (1823.03)"),
]


@pytest.mark.parametrize(("concluded", "start", "on", "ceiling"), EXEMPTIONS)
def test_employee_contribution_exemption_depends_on_the_conclusion_date(
    rules: RuleSet, concluded: str | None, start: str, on: str, ceiling: str
) -> None:
    result = minimum_pay(rules, date(2004, 6, 15), day(start), day(on), concluded=day(concluded) if concluded else None)
    assert result.employee_contributions_exempt_up_to == Decimal(ceiling)


# (birth, SMC, reference used, minimum) on 2026-10-01, contract year 1
SMC_CASES = [
    pytest.param("2003-06-15", "2100", "SMC", "1113.00", id="D6222-26 3° 21-25: the SMC when higher"),
    pytest.param("1998-06-15", "2100", "SMC", "2100.00", id="D6222-26 4° 26+: 100% of the SMC"),
    pytest.param("2003-06-15", "1700", "SMIC", "989.52", id="D6222-26 3° a lower SMC: the SMIC stays"),
    pytest.param("2007-06-15", "2100", "SMIC", "802.82", id="D6222-26 2° 18-20: the SMC does not apply"),
    pytest.param("2003-06-15", "2000.50", "SMC", "1060.27", id="rounding half up: 1060.265 -> 1060.27"),
]


@pytest.mark.parametrize(("birth", "smc", "reference", "minimum"), SMC_CASES)
def test_collective_agreement_minimum_from_21(
    rules: RuleSet, birth: str, smc: str, reference: str, minimum: str
) -> None:
    result = minimum_pay(rules, day(birth), START, date(2026, 10, 1), smc=Decimal(smc))
    assert (result.reference, result.minimum_monthly_gross) == (reference, Decimal(minimum))


def test_schedule_splits_at_anniversaries_band_changes_and_smic_changes(rules: RuleSet) -> None:
    periods = pay_schedule(rules, date(2005, 3, 15), date(2024, 9, 1))
    assert [(p.start, p.contract_year, p.age_band, p.minimum_monthly_gross) for p in periods] == [
        (date(2024, 9, 1), 1, "18-20", Decimal("759.78")),
        (date(2024, 11, 1), 1, "18-20", Decimal("774.77")),  # SMIC revaluation
        (date(2025, 9, 1), 2, "18-20", Decimal("918.92")),  # anniversary
        (date(2026, 1, 1), 2, "18-20", Decimal("929.75")),  # SMIC revaluation
        (date(2026, 4, 1), 2, "21-25", Decimal("1112.05")),  # 21 on 15 March: new band on 1 April
        (date(2026, 6, 1), 2, "21-25", Decimal("1138.88")),  # SMIC revaluation (arrêté du 22 mai 2026)
        (date(2026, 9, 1), 3, "21-25", Decimal("1456.28")),  # anniversary
    ]
    assert periods[-1].end == date(2027, 8, 31)


def test_a_29_february_contract_ends_on_28_february(rules: RuleSet) -> None:
    periods = pay_schedule(rules, date(2006, 5, 5), date(2028, 2, 29))
    assert [p.start for p in periods if (p.start.month, p.start.day) == (3, 1)] == [date(2029, 3, 1), date(2030, 3, 1)]
    assert periods[-1].end == date(2031, 2, 28)


def test_a_revaluation_under_a_higher_smc_is_no_new_period(rules: RuleSet) -> None:
    periods = pay_schedule(rules, date(1998, 6, 15), date(2025, 9, 1), smc=Decimal("2500"))
    assert [(p.start, p.end) for p in periods] == [
        (date(2025, 9, 1), date(2026, 8, 31)),
        (date(2026, 9, 1), date(2027, 8, 31)),
        (date(2027, 9, 1), date(2028, 8, 31)),
    ]


def test_dates_out_of_order_are_refused_naming_the_field(rules: RuleSet) -> None:
    with pytest.raises(ValueError, match=r"^birth_date: "):
        minimum_pay(rules, date(2027, 1, 1), START, START)
    with pytest.raises(ValueError, match=r"^on: "):
        minimum_pay(rules, date(2000, 1, 1), START, START - timedelta(days=1))


births = st.dates(date(1990, 1, 1), date(2011, 12, 31))
starts = st.dates(date(2023, 1, 1), date(2027, 12, 31))
smcs = st.one_of(st.none(), st.decimals(min_value=1000, max_value=4000, places=2))


@given(birth=births, start=starts, smc=smcs, years=st.integers(1, 4))
@settings(max_examples=300, deadline=None)
def test_minimum_never_decreases_over_a_contract(
    rules: RuleSet, birth: date, start: date, smc: Decimal | None, years: int
) -> None:
    """The SMIC is never cut in fr.toml, and the grid grows with age and year: so does the minimum."""
    amounts = [period.minimum_monthly_gross for period in pay_schedule(rules, birth, start, years, smc=smc)]
    assert amounts == sorted(amounts)


@given(birth=births, start=starts, smc=smcs)
@settings(max_examples=200, deadline=None)
def test_schedule_agrees_with_minimum_pay_on_every_day_it_covers(
    rules: RuleSet, birth: date, start: date, smc: Decimal | None
) -> None:
    """Periods follow each other without gap, and each one's first and last days give its minimum."""
    periods = pay_schedule(rules, birth, start, smc=smc)
    assert periods[0].start == start
    for earlier, later in pairwise(periods):
        assert later.start == earlier.end + timedelta(days=1)
    for period in periods:
        for one_day in (period.start, period.end):
            result = minimum_pay(rules, birth, start, one_day, smc=smc)
            assert (result.contract_year, result.age_band, result.minimum_monthly_gross) == (
                period.contract_year, period.age_band, period.minimum_monthly_gross)
            # D6222-31: the band is the one of the age reached on the last day of the previous month
            age = age_on(birth, one_day.replace(day=1) - timedelta(days=1))
            expected = "16-17" if age < 18 else "18-20" if age < 21 else "21-25" if age < 26 else "26+"
            assert result.age_band == expected
