"""The typed values of a rule set, each carrying its validity dates and the legal text it comes from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal


@dataclass(frozen=True, slots=True)
class DatedValue:
    """An amount looked up for a date, with the text that fixes it."""

    amount: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class SmicEntry:
    """Monthly gross SMIC for 35 hours a week (hourly rate x 35 x 52 / 12), as the revaluation texts publish it."""

    effective_from: date
    until: date | None
    monthly_gross: Decimal
    source: str


@dataclass(frozen=True, slots=True, eq=False)
class AgeBand:
    """One row of the D6222-26 grid: the percentages of each contract year for apprentices from `from_age`.

    Compared and hashed by identity (one object per entry of the file): pay lines are cached per band.
    """

    name: str
    from_age: int
    percent_by_year: tuple[Decimal, ...]
    smc_when_higher: bool
    source: str

    def percent_for_year(self, contract_year: int) -> Decimal:
        """Years past the grid's last keep its percentage (D6222-28: a prolongation keeps the last year's pay)."""
        return self.percent_by_year[min(contract_year, len(self.percent_by_year)) - 1]


@dataclass(frozen=True, slots=True, eq=False)
class PayGrid:
    """The minimum pay grid in force (D6222-26), bands ordered by age."""

    effective_from: date
    until: date | None
    bands: tuple[AgeBand, ...]
    source: str
    band_ages: tuple[int, ...] = field(init=False)  # the ages opening a band after the first: 18, 21, 26

    def __post_init__(self) -> None:
        # computed once: pay schedules read it for every contract
        object.__setattr__(self, "band_ages", tuple(band.from_age for band in self.bands[1:]))


@dataclass(frozen=True, slots=True)
class ExemptionThreshold:
    """Share of the SMIC up to which the apprentice's own contributions are exempt; dated by conclusion day."""

    effective_from: date
    until: date | None
    percent_of_smic: Decimal
    source: str


@dataclass(frozen=True, slots=True)
class AgeLimits:
    """Ages at the start of the contract (L6222-1)."""

    effective_from: date
    until: date | None
    minimum_age: int
    minimum_age_after_lower_secondary: int
    maximum_age_at_start: int
    source: str


@dataclass(frozen=True, slots=True)
class Derogation:
    """A case where the upper age limit does not apply (L6222-2) or is raised (D6222-1)."""

    code: str
    effective_from: date
    until: date | None
    description: str
    maximum_age_at_start: int | None  # None: no upper limit at all
    within_months_of_previous_contract_end: int | None
    source: str


@dataclass(frozen=True, slots=True)
class Duration:
    """A legal length (days, working days, months) with its unit and source."""

    name: str
    effective_from: date
    until: date | None
    value: int
    unit: str
    source: str


@dataclass(frozen=True, slots=True)
class EmployerParticipation:
    """What the employer pays towards a contract's funding (L6332-14, R6332-25-1); dated by conclusion day."""

    effective_from: date
    until: date | None
    amount: Decimal  # once, for the first year
    minimum_level: int  # the certification level from which it is due
    lowest_level: int  # the levels an apprenticeship prepares (cadre national des certifications)
    highest_level: int
    after_break_amount: Decimal  # a new contract with another employer after an early break
    trial_break_percent_of_npec: Decimal  # a break during the trial: this share of the NPEC for the days done
    trial_break_cap: Decimal
    trial_break_year_days: int  # the NPEC is a yearly amount: prorated per day over this many days
    source: str
    levels_source: str
    after_break_source: str
    trial_break_source: str
    invoice_source: str
