"""Minimum pay of an apprentice (D6222-26): a percentage of the SMIC, or of the SMC from 21 when higher.

The percentage depends on the contract year (a new one on each anniversary of the start) and on the age band,
which changes on the first day of the month after the 18th, 21st and 26th birthday (D6222-31). The amount
follows every SMIC revaluation on its date. All amounts are Decimal, rounded half up to the cent.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import NamedTuple

from contract_flow.domain.rules.dates import ONE_DAY, anniversary, first_of_next_month
from contract_flow.domain.rules.ruleset import AgeBand, RuleSet

CENT = Decimal("0.01")
HUNDRED = Decimal(100)


@dataclass(frozen=True, slots=True)
class PayResult:
    """The legal minimum on one day, with what it was computed from."""

    contract_year: int
    age_band: str
    percent: Decimal
    reference: str  # "SMIC" or "SMC"
    reference_amount: Decimal
    minimum_monthly_gross: Decimal
    employee_contributions_exempt_up_to: Decimal
    sources: tuple[str, ...]


class PayPeriod(NamedTuple):
    """A stretch of the contract (inclusive dates) over which the legal minimum does not change.

    A NamedTuple rather than a frozen dataclass: schedules are built by the hundred thousand and a tuple is
    several times cheaper to create, while staying immutable and typed.
    """

    start: date
    end: date
    contract_year: int
    age_band: str
    percent: Decimal
    reference: str
    minimum_monthly_gross: Decimal


@lru_cache(maxsize=4096)
def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    """`percent` % of `amount`, rounded half up to the cent (payroll rounding)."""
    return (amount * percent / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def contract_year_on(contract_start: date, day: date) -> int:
    """Year n of the contract begins on its (n-1)th anniversary (a 29 February start: on 1 March)."""
    elapsed = day.year - contract_start.year
    if anniversary(contract_start, elapsed) > day:
        elapsed -= 1
    return elapsed + 1


@lru_cache(maxsize=65536)
def band_changes(birth_date: date, band_ages: tuple[int, ...]) -> tuple[date, ...]:
    """First days of the new bands: the 1st of the month after each birthday opening a band (D6222-31).

    Equivalent to taking the age reached on the last day of the previous month: a birthday on the 1st of a
    month still opens the band only on the 1st of the following month.
    """
    return tuple(first_of_next_month(anniversary(birth_date, age)) for age in band_ages)


def _check_dates(birth_date: date, contract_start: date) -> None:
    if birth_date >= contract_start:
        raise ValueError(f"birth_date: {birth_date} is not before the contract start {contract_start}")


# (contract year, band name, percent, reference, reference amount, minimum)
_PayLine = tuple[int, str, Decimal, str, Decimal, Decimal]


@lru_cache(maxsize=8192)
def _pay_line(band: AgeBand, year: int, smic: Decimal, smc: Decimal | None) -> _PayLine:
    """The minimum for one band, year and SMIC; from 21 the SMC is the reference when higher (D6222-26)."""
    reference, amount = ("SMC", smc) if band.smc_when_higher and smc is not None and smc > smic else ("SMIC", smic)
    percent = band.percent_for_year(year)
    return year, band.name, percent, reference, amount, percent_of(amount, percent)


def minimum_pay(
    ruleset: RuleSet,
    birth_date: date,
    contract_start: date,
    on: date,
    *,
    smc: Decimal | None = None,
    concluded: date | None = None,
) -> PayResult:
    """The legal minimum monthly gross pay on `on` (D6222-26, D6222-31) and the contribution exemption ceiling.

    The exemption ceiling (L6243-2, D6243-5) is a share of the SMIC in force on `on` chosen by the day the
    contract was concluded (`concluded`, by default the contract start): 79 % before 1 March 2025, 50 % after.
    """
    _check_dates(birth_date, contract_start)
    if on < contract_start:
        raise ValueError(f"on: {on} is before the contract start {contract_start}")
    grid = ruleset.pay_grid_on(on)
    band = grid.bands[bisect_right(band_changes(birth_date, grid.band_ages), on)]
    smic = ruleset.smic.on(on)
    exemption = ruleset.exemption_for_contract_concluded_on(concluded or contract_start)
    year, name, percent, reference, amount, minimum = _pay_line(
        band, contract_year_on(contract_start, on), smic.monthly_gross, smc
    )
    return PayResult(
        contract_year=year,
        age_band=name,
        percent=percent,
        reference=reference,
        reference_amount=amount,
        minimum_monthly_gross=minimum,
        employee_contributions_exempt_up_to=percent_of(smic.monthly_gross, exemption.percent_of_smic),
        sources=(grid.source, band.source, smic.source, exemption.source),
    )


@dataclass(frozen=True, slots=True)
class _ContractFrame:
    """What a schedule needs that depends on the contract dates only, not on the apprentice (cached)."""

    anniversaries: tuple[date, ...]
    end: date
    cuts: tuple[date, ...]  # start, anniversaries, pay grid and SMIC changes
    grid_changes: tuple[date, ...]
    band_ages: tuple[int, ...]  # of every grid in force during the contract (usually one)
    smic_starts: tuple[date, ...]  # the contract start, then each revaluation during the contract
    smic_amounts: tuple[Decimal, ...]


@lru_cache(maxsize=4096)
def _contract_frame(ruleset: RuleSet, contract_start: date, years: int) -> _ContractFrame:
    anniversaries = [anniversary(contract_start, year) for year in range(1, years + 1)]
    end = anniversaries.pop() - ONE_DAY
    grid_changes = tuple(ruleset.pay_grid.changes_between(contract_start, end))
    smic_starts = (contract_start, *ruleset.smic.changes_between(contract_start, end))
    ages = {age for day in (contract_start, *grid_changes) for age in ruleset.pay_grid_on(day).band_ages}
    return _ContractFrame(
        anniversaries=tuple(anniversaries),
        end=end,
        cuts=(*smic_starts, *anniversaries, *grid_changes),
        grid_changes=grid_changes,
        band_ages=tuple(sorted(ages)),
        smic_starts=smic_starts,
        smic_amounts=tuple(ruleset.smic.on(day).monthly_gross for day in smic_starts),
    )


def pay_schedule(
    ruleset: RuleSet,
    birth_date: date,
    contract_start: date,
    years: int = 3,
    *,
    smc: Decimal | None = None,
) -> list[PayPeriod]:
    """The minimum over the whole contract, split at each anniversary, band change and SMIC revaluation.

    The contract ends the day before its `years`-th anniversary (L6222-7-1: its length is the training cycle's).
    The change dates are computed directly (and what depends on the contract dates only is cached), so a
    schedule costs a few lookups per period, not one per day. The contribution exemption ceiling is left out:
    it is no term of the contract (not a CERFA pay line) and `minimum_pay` gives it for any day.
    """
    _check_dates(birth_date, contract_start)
    if years < 1:
        raise ValueError(f"years: {years} must be at least 1")
    frame = _contract_frame(ruleset, contract_start, years)
    anniversaries, grid_changes, smic_starts, smic_amounts = (
        frame.anniversaries,
        frame.grid_changes,
        frame.smic_starts,
        frame.smic_amounts,
    )
    all_band_changes = band_changes(birth_date, frame.band_ages)
    within = all_band_changes[
        bisect_right(all_band_changes, contract_start) : bisect_right(all_band_changes, frame.end)
    ]
    cuts = sorted((*frame.cuts, *within))  # a date cut twice gives the same line twice, merged below

    grid = ruleset.pay_grid_on(contract_start)
    new_bands = band_changes(birth_date, grid.band_ages)
    lines: list[tuple[date, _PayLine]] = []
    for start in cuts:
        if grid_changes and start in grid_changes:
            grid = ruleset.pay_grid_on(start)
            new_bands = band_changes(birth_date, grid.band_ages)
        line = _pay_line(
            grid.bands[bisect_right(new_bands, start)],
            bisect_right(anniversaries, start) + 1,
            smic_amounts[bisect_right(smic_starts, start) - 1],
            smc,
        )
        # a cut that changes nothing (a SMIC revaluation while the SMC is the reference) is not a new period
        if not lines or lines[-1][1] != line:
            lines.append((start, line))
    ends = [start - ONE_DAY for start, _ in lines[1:]]
    ends.append(frame.end)
    return [
        PayPeriod(start, last, year, name, percent, reference, minimum)
        for (start, (year, name, percent, reference, _, minimum)), last in zip(lines, ends, strict=True)
    ]
