"""Minimum pay of an apprentice (D6222-26): a percentage of the SMIC, or of the SMC from 21 when higher.

The percentage depends on the contract year (a new one on each anniversary of the start) and on the age band,
which changes on the first day of the month after the 18th, 21st and 26th birthday (D6222-31). The amount
follows every SMIC revaluation on its date. All amounts are Decimal, rounded half up to the cent.

Two rules move the minimum for contracts that are not a whole first contract (both optional inputs):

- D6222-28-1, a contract shorter than its training cycle: the apprentice counts as having already served the
  difference. Read with dates: the contract years are counted from a virtual start, the day the cycle would have
  begun for a contract of the cycle's length ending on this contract's end (its end + 1 day - the cycle's years),
  so year n begins on that virtual start's (n-1)th anniversary. A 2-year contract in a 3-year cycle is paid year
  2 from its first day and year 3 after one year; a contract of 2 years and 4 months (difference 8 months) is
  paid year 2 once 4 months are served. A contract as long as its cycle or longer (it may end up to 3 months
  after it) counts from its own start.
- D6222-29, a new contract after one that led to the diploma: at least what the last year of the previous one
  paid (same employer) or the minimum the apprentice could claim in it (another employer), unless the age-based
  minimum is higher (`PreviousContract`).
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import NamedTuple

from contract_flow.domain.errors import InvalidRuleInput
from contract_flow.domain.reasons import Label, Reason
from contract_flow.domain.rules.dates import ONE_DAY, anniversary, first_of_next_month
from contract_flow.domain.rules.ruleset import AgeBand, RuleSet

CENT = Decimal("0.01")
HUNDRED = Decimal(100)
# pay_schedule's two ways of saying how long the contract lasts, when both are given
_LENGTH_IN_YEARS = Label(fr="la durée du contrat en années", en="the contract's length in years")
_ITS_END = Label(fr="sa fin (contract_end)", en="its end (contract_end)")

# D6222-28-1 and D6222-29 fix no amount or percentage of their own (they say which year of the D6222-26 grid and
# which floor apply), so their texts are cited here, in French as the law is written; the values they lead to come
# from configs/rules/fr.toml.
SHORTER_CONTRACT_SOURCE = (
    "Code du travail D6222-28-1 : un contrat plus court que le cycle de formation (L6222-7-1, L6222-12-1, "
    "R6222-23-1) compte, pour la rémunération, comme si l'apprenti avait accompli tout le cycle : la différence "
    "est réputée accomplie"
)
SAME_EMPLOYER_SOURCE = (
    "Code du travail D6222-29 al. 1 : un nouveau contrat avec le même employeur, après un contrat qui a conduit au "
    "diplôme, rémunère au moins ce que l'apprenti percevait la dernière année, sauf si le minimum selon l'âge est "
    "plus élevé"
)
OTHER_EMPLOYER_SOURCE = (
    "Code du travail D6222-29 al. 2 : un nouveau contrat avec un autre employeur, après un contrat qui a conduit au "
    "diplôme, rémunère au moins le minimum auquel l'apprenti pouvait prétendre la dernière année, sauf si le minimum "
    "selon l'âge est plus élevé"
)
#: which rule gave the minimum: the age grid, or the floor of the previous contract
AGE_GRID = "D6222-26"
PREVIOUS_CONTRACT = "D6222-29"


@dataclass(frozen=True, slots=True)
class PreviousContract:
    """The contract before this one, as D6222-29 reads it (all of it is on its CERFA and payslips).

    - `same_employer`: the new contract is with the previous contract's employer.
    - `end`: the previous contract's last day (before this contract's start).
    - `last_year`: its contract year on that day, its "dernière année d'exécution" (for a contract shorter than
      its cycle, the year D6222-28-1 counted).
    - `last_year_monthly_gross`: with the same employer only, the monthly gross pay received at the end of that
      year (al. 1: "celle qu'il percevait"). With another employer the floor is what the apprentice could claim
      (al. 2: "celle à laquelle il pouvait prétendre"): the D6222-26 percentage of that year for the age band
      reached on `end`, applied to the SMIC in force on the day paid (the previous employer's collective
      agreement minimum is not this contract's).
    - `led_to_diploma`: D6222-29 applies only when the previous contract led to the diploma or title it prepared.
    """

    same_employer: bool
    end: date
    last_year: int
    last_year_monthly_gross: Decimal | None = None
    led_to_diploma: bool = True


class _Floor(NamedTuple):
    """D6222-29's floor: a fixed amount (same employer) or a percentage of the SMIC of the day (another)."""

    amount: Decimal | None
    percent_of_smic: Decimal
    source: str

    def on(self, smic: Decimal) -> Decimal:
        return self.amount if self.amount is not None else percent_of(smic, self.percent_of_smic)


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
    #: `AGE_GRID` ("D6222-26") or `PREVIOUS_CONTRACT` ("D6222-29"): the rule `minimum_monthly_gross` comes from
    minimum_rule: str = AGE_GRID
    #: `percent` of `reference_amount`: the D6222-26 minimum, which D6222-29's floor may exceed
    age_based_minimum: Decimal | None = None
    #: D6222-29's floor on that day, when a previous contract that led to the diploma was given
    previous_contract_floor: Decimal | None = None
    #: the day contract years are counted from: the contract start, or D6222-28-1's virtual start
    years_counted_from: date | None = None


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
    minimum_rule: str = AGE_GRID  # "D6222-29" where the previous contract's floor is above the age grid


@lru_cache(maxsize=4096)
def percent_of(amount: Decimal, percent: Decimal) -> Decimal:
    """`percent` % of `amount`, rounded half up to the cent (payroll rounding)."""
    return (amount * percent / HUNDRED).quantize(CENT, rounding=ROUND_HALF_UP)


def contract_year_on(
    contract_start: date, day: date, *, contract_end: date | None = None, cycle_years: int | None = None
) -> int:
    """Year n of the contract begins on its (n-1)th anniversary (a 29 February start: on 1 March).

    With `contract_end` and `cycle_years` (D6222-28-1), the anniversaries are those of `years_counted_from`.
    """
    origin = contract_start if contract_end is None and cycle_years is None else (
        years_counted_from(contract_start, contract_end, cycle_years))
    elapsed = day.year - origin.year
    if anniversary(origin, elapsed) > day:
        elapsed -= 1
    return elapsed + 1


def years_counted_from(contract_start: date, contract_end: date | None, cycle_years: int | None) -> date:
    """The day the contract years are counted from: D6222-28-1's virtual start for a contract shorter than its cycle.

    That is the first day of a contract of `cycle_years` years ending on `contract_end`: its end + 1 day, minus
    the cycle's years (a 29 February that does not exist gives 1 March, as `anniversary` does). A contract as
    long as its cycle or longer counts from its own start. Both inputs go together; InvalidRuleInput (a ValueError)
    naming the field for one without the other, an end not after the start, or a cycle under one year.
    """
    if contract_end is None or cycle_years is None:
        if contract_end is None and cycle_years is None:
            return contract_start
        missing, given = ("cycle_years", "contract_end") if cycle_years is None else ("contract_end", "cycle_years")
        raise InvalidRuleInput(missing, Reason("needed_with_cycle", option=given))
    if contract_end <= contract_start:
        raise InvalidRuleInput("contract_end", Reason("not_after_start", day=contract_end, start=contract_start))
    if cycle_years < 1:
        raise InvalidRuleInput("cycle_years", Reason("at_least_one", value=cycle_years))
    return min(contract_start, anniversary(contract_end + ONE_DAY, -cycle_years))


@lru_cache(maxsize=65536)
def band_changes(birth_date: date, band_ages: tuple[int, ...]) -> tuple[date, ...]:
    """First days of the new bands: the 1st of the month after each birthday opening a band (D6222-31).

    Equivalent to taking the age reached on the last day of the previous month: a birthday on the 1st of a
    month still opens the band only on the 1st of the following month.
    """
    return tuple(first_of_next_month(anniversary(birth_date, age)) for age in band_ages)


def _check_dates(birth_date: date, contract_start: date) -> None:
    if birth_date >= contract_start:
        raise InvalidRuleInput("birth_date", Reason("not_before_start", day=birth_date, start=contract_start))


def _previous_floor(
    ruleset: RuleSet, birth_date: date, contract_start: date, previous: PreviousContract | None
) -> _Floor | None:
    """D6222-29's floor for this contract, None without a previous contract that led to the diploma.

    InvalidRuleInput (a ValueError) naming the field (`previous_contract.<field>`) for inputs that do not fit the
    article.
    """
    if previous is None:
        return None
    if previous.end >= contract_start:
        raise InvalidRuleInput("previous_contract.end",
                               Reason("not_before_start", day=previous.end, start=contract_start))
    if previous.last_year < 1:
        raise InvalidRuleInput("previous_contract.last_year", Reason("at_least_one", value=previous.last_year))
    received = previous.last_year_monthly_gross
    if previous.same_employer and received is None:
        raise InvalidRuleInput("previous_contract.last_year_monthly_gross", Reason("previous_pay_same_employer"))
    if not previous.same_employer and received is not None:
        raise InvalidRuleInput("previous_contract.last_year_monthly_gross", Reason("previous_pay_another_employer"))
    if received is not None and received <= 0:
        raise InvalidRuleInput("previous_contract.last_year_monthly_gross", Reason("more_than_zero", value=received))
    if not previous.led_to_diploma:
        return None  # D6222-29 covers only a previous contract that led to its diploma or title
    if received is not None:
        return _Floor(received.quantize(CENT, rounding=ROUND_HALF_UP), Decimal(0), SAME_EMPLOYER_SOURCE)
    grid = ruleset.pay_grid_on(previous.end)
    band = grid.bands[bisect_right(band_changes(birth_date, grid.band_ages), previous.end)]
    return _Floor(None, band.percent_for_year(previous.last_year), OTHER_EMPLOYER_SOURCE)


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
    contract_end: date | None = None,
    cycle_years: int | None = None,
    previous_contract: PreviousContract | None = None,
) -> PayResult:
    """The legal minimum monthly gross pay on `on` (D6222-26, D6222-31) and the contribution exemption ceiling.

    The exemption ceiling (L6243-2, D6243-5) is a share of the SMIC in force on `on` chosen by the day the
    contract was concluded (`concluded`, by default the contract start): 79 % before 1 March 2025, 50 % after.
    `contract_end` with `cycle_years`: D6222-28-1 for a contract shorter than its training cycle (the contract
    year counted from `years_counted_from`). `previous_contract`: D6222-29's floor. Their texts join `sources`
    when they change how the minimum is found.
    """
    _check_dates(birth_date, contract_start)
    if on < contract_start:
        raise InvalidRuleInput("on", Reason("day_before_start", day=on, start=contract_start))
    origin = contract_start
    if contract_end is not None or cycle_years is not None:
        origin = years_counted_from(contract_start, contract_end, cycle_years)
        if contract_end is not None and on > contract_end:
            raise InvalidRuleInput("on", Reason("day_after_end", day=on, end=contract_end))
    floor = None if previous_contract is None else (
        _previous_floor(ruleset, birth_date, contract_start, previous_contract))
    grid = ruleset.pay_grid_on(on)
    band = grid.bands[bisect_right(band_changes(birth_date, grid.band_ages), on)]
    smic = ruleset.smic.on(on)
    exemption = ruleset.exemption_for_contract_concluded_on(concluded or contract_start)
    year, name, percent, reference, amount, age_based = _pay_line(
        band, contract_year_on(origin, on), smic.monthly_gross, smc
    )
    sources: tuple[str, ...] = (grid.source, band.source, smic.source, exemption.source)
    if origin != contract_start:
        sources += (SHORTER_CONTRACT_SOURCE,)
    minimum, rule, floor_amount = age_based, AGE_GRID, None
    if floor is not None:
        sources += (floor.source,)
        floor_amount = floor.on(smic.monthly_gross)
        if floor_amount > age_based:
            minimum, rule = floor_amount, PREVIOUS_CONTRACT
    return PayResult(
        contract_year=year,
        age_band=name,
        percent=percent,
        reference=reference,
        reference_amount=amount,
        minimum_monthly_gross=minimum,
        employee_contributions_exempt_up_to=percent_of(smic.monthly_gross, exemption.percent_of_smic),
        sources=sources,
        minimum_rule=rule,
        age_based_minimum=age_based,
        previous_contract_floor=floor_amount,
        years_counted_from=origin,
    )


@dataclass(frozen=True, slots=True)
class _ContractFrame:
    """What a schedule needs that depends on the contract dates only, not on the apprentice (cached)."""

    anniversaries: tuple[date, ...]  # of the day years are counted from, up to the end (some may precede the start)
    end: date
    cuts: tuple[date, ...]  # start, anniversaries after it, pay grid and SMIC changes
    grid_changes: tuple[date, ...]
    band_ages: tuple[int, ...]  # of every grid in force during the contract (usually one)
    smic_starts: tuple[date, ...]  # the contract start, then each revaluation during the contract
    smic_amounts: tuple[Decimal, ...]


@lru_cache(maxsize=4096)
def _contract_frame(
    ruleset: RuleSet, contract_start: date, years: int, given_end: date | None, origin: date
) -> _ContractFrame:
    """`years` long from the start, or ending on `given_end`; contract years counted from `origin`."""
    if given_end is None and origin == contract_start:
        anniversaries = [anniversary(contract_start, year) for year in range(1, years + 1)]
        end = anniversaries.pop() - ONE_DAY
        later = anniversaries
    else:
        end = given_end if given_end is not None else anniversary(contract_start, years) - ONE_DAY
        anniversaries, year = [], 1
        while (next_one := anniversary(origin, year)) <= end:
            anniversaries.append(next_one)
            year += 1
        # D6222-28-1: anniversaries of the virtual start before the contract are years already served, not cuts
        later = [day for day in anniversaries if day > contract_start]
    grid_changes = tuple(ruleset.pay_grid.changes_between(contract_start, end))
    smic_starts = (contract_start, *ruleset.smic.changes_between(contract_start, end))
    ages = {age for day in (contract_start, *grid_changes) for age in ruleset.pay_grid_on(day).band_ages}
    return _ContractFrame(
        anniversaries=tuple(anniversaries),
        end=end,
        cuts=(*smic_starts, *later, *grid_changes),
        grid_changes=grid_changes,
        band_ages=tuple(sorted(ages)),
        smic_starts=smic_starts,
        smic_amounts=tuple(ruleset.smic.on(day).monthly_gross for day in smic_starts),
    )


def pay_schedule(
    ruleset: RuleSet,
    birth_date: date,
    contract_start: date,
    years: int | None = None,
    *,
    smc: Decimal | None = None,
    contract_end: date | None = None,
    cycle_years: int | None = None,
    previous_contract: PreviousContract | None = None,
) -> list[PayPeriod]:
    """The minimum over the whole contract, split at each anniversary, band change and SMIC revaluation.

    The contract ends the day before its `years`-th anniversary (3 by default; L6222-7-1: its length is the
    training cycle's), or on `contract_end` when given (then with `cycle_years`, and without `years`): D6222-28-1
    counts the contract years from `years_counted_from`. `previous_contract`: D6222-29's floor, the periods where
    it is above the age grid saying so in `minimum_rule`.
    The change dates are computed directly (and what depends on the contract dates only is cached), so a
    schedule costs a few lookups per period, not one per day. The contribution exemption ceiling is left out:
    it is no term of the contract (not a CERFA pay line) and `minimum_pay` gives it for any day.
    """
    _check_dates(birth_date, contract_start)
    if years is not None and contract_end is not None:
        raise InvalidRuleInput("years", Reason("one_of_options", first=_LENGTH_IN_YEARS, second=_ITS_END))
    if years is None:
        years = 3
    elif years < 1:
        raise InvalidRuleInput("years", Reason("at_least_one", value=years))
    origin = years_counted_from(contract_start, contract_end, cycle_years)
    floor = _previous_floor(ruleset, birth_date, contract_start, previous_contract)
    frame = _contract_frame(ruleset, contract_start, years, contract_end, origin)
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
    lines: list[tuple[date, _PayLine, str]] = []
    for start in cuts:
        if grid_changes and start in grid_changes:
            grid = ruleset.pay_grid_on(start)
            new_bands = band_changes(birth_date, grid.band_ages)
        smic = smic_amounts[bisect_right(smic_starts, start) - 1]
        line = _pay_line(grid.bands[bisect_right(new_bands, start)], bisect_right(anniversaries, start) + 1, smic, smc)
        rule = AGE_GRID
        if floor is not None and (floor_amount := floor.on(smic)) > line[5]:
            # the line keeps the grid's year, band and percentage (what the floor was compared with); its
            # reference amount gives way to the floor, so that a SMIC revaluation under a fixed floor is no cut
            line, rule = (*line[:4], floor_amount, floor_amount), PREVIOUS_CONTRACT
        # a cut that changes nothing (a SMIC revaluation while the SMC or a fixed floor is the minimum) is not a
        # new period; the rule follows from the line (a floored line's minimum is above its own grid amount)
        if not lines or lines[-1][1] != line:
            lines.append((start, line, rule))
    ends = [start - ONE_DAY for start, _, _ in lines[1:]]
    ends.append(frame.end)
    return [
        PayPeriod(start, last, year, name, percent, reference, minimum, rule)
        for (start, (year, name, percent, reference, _, minimum), rule), last in zip(lines, ends, strict=True)
    ]
