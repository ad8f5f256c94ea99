"""A rule set: the legal values in force on each date, each with the text it comes from.

The values live in `configs/rules/fr.toml`; this module only gives them types and refuses an incoherent file.
Every value is valid from `effective_from` to `until` (inclusive, absent while in force), so a new SMIC or a
new percentage is a new entry in the file, never a code change, and past contracts keep the values of their time.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Generic, Protocol, TypeVar

from contract_flow.domain.errors import InvalidRuleInput
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.rules.fields import Entry, RuleSetError, check_continuous, check_span, entries
from contract_flow.domain.rules.parse_sections import (
    DURATION_UNITS,
    parse_age_limits,
    parse_derogation,
    parse_duration,
    parse_employer_participation,
    parse_exemption,
    parse_pay_grid,
    parse_smic,
)
from contract_flow.domain.rules.values import (
    AgeBand,
    AgeLimits,
    DatedValue,
    Derogation,
    Duration,
    EmployerParticipation,
    ExemptionThreshold,
    PayGrid,
    SmicEntry,
)

__all__ = [
    "AgeBand",
    "AgeLimits",
    "DatedSeries",
    "DatedValue",
    "Derogation",
    "Duration",
    "EmployerParticipation",
    "ExemptionThreshold",
    "PayGrid",
    "RuleSet",
    "RuleSetError",
    "SmicEntry",
    "parse_ruleset",
]


class _Dated(Protocol):
    @property
    def effective_from(self) -> date: ...

    @property
    def until(self) -> date | None: ...


T = TypeVar("T", bound=_Dated)


class DatedSeries(Generic[T]):
    """Entries of one rule ordered by date, continuous (checked at parse time), found by bisection."""

    __slots__ = ("_starts", "entries", "name")

    def __init__(self, name: str, ordered: Sequence[T]) -> None:
        self.name = name
        self.entries: tuple[T, ...] = tuple(ordered)
        self._starts = [entry.effective_from for entry in self.entries]

    def on(self, day: date) -> T:
        """The entry in force on `day`; RuleSetError saying which dates the rule set covers otherwise."""
        position = bisect_right(self._starts, day) - 1
        if position >= 0:
            entry = self.entries[position]
            if entry.until is None or day <= entry.until:
                return entry
        last = self.entries[-1].until
        covered = (Reason("covers_from", first=self._starts[0]) if last is None
                   else Reason("covers_from_until", first=self._starts[0], last=last))
        raise RuleSetError(Reason("no_value_in_force", name=self.name, day=day, covered=covered))

    def changes_between(self, first: date, last: date) -> list[date]:
        """The dates after `first` and up to `last` on which a new entry takes effect."""
        return self._starts[bisect_right(self._starts, first) : bisect_right(self._starts, last)]


@dataclass(frozen=True, eq=False)
class RuleSet:
    """The legal values of one jurisdiction, each looked up by the date it must apply on."""

    smic: DatedSeries[SmicEntry]
    pay_grid: DatedSeries[PayGrid]
    exemption: DatedSeries[ExemptionThreshold]
    age_limits: DatedSeries[AgeLimits]
    derogations: Mapping[str, DatedSeries[Derogation]]
    durations: Mapping[str, DatedSeries[Duration]]
    participation: DatedSeries[EmployerParticipation]

    def smic_on(self, day: date) -> DatedValue:
        """Monthly gross SMIC (35 h) in force on `day` (Code du travail L3231-2 and the revaluation texts)."""
        entry = self.smic.on(day)
        return DatedValue(entry.monthly_gross, entry.source)

    def pay_grid_on(self, day: date) -> PayGrid:
        return self.pay_grid.on(day)

    def exemption_for_contract_concluded_on(self, concluded: date) -> ExemptionThreshold:
        """The threshold depends on the day the contract was concluded, not on the day of the pay (D6243-5)."""
        return self.exemption.on(concluded)

    def age_limits_on(self, day: date) -> AgeLimits:
        return self.age_limits.on(day)

    @property
    def derogation_codes(self) -> tuple[str, ...]:
        return tuple(self.derogations)

    def derogation_on(self, code: str, day: date) -> Derogation:
        """The derogation `code` in force on `day`; InvalidRuleInput (a ValueError) naming the field for an unknown
        code: a person types it (`contract-flow rules eligibility --derogation`, the fact `derogation`)."""
        series = self.derogations.get(code)
        if series is None:
            raise InvalidRuleInput("derogation", Reason("unknown_derogation", typed=Typed(code),
                                                        choices=tuple(self.derogations)))
        return series.on(day)

    def duration_on(self, name: str, day: date) -> Duration:
        return self.durations[name].on(day)

    def participation_for_contract_concluded_on(self, concluded: date) -> EmployerParticipation | None:
        """The employer participation due for a contract concluded on `concluded` (R6332-25-1); None before the
        first entry, when no participation existed (décret 2025-585 art. 2: contracts concluded from 1 July 2025)."""
        if concluded < self.participation.entries[0].effective_from:
            return None
        return self.participation.on(concluded)


_SECTIONS = (
    "smic",
    "pay_grid",
    "employee_contribution_exemption",
    "age_limits",
    "derogation",
    "duration",
    "employer_participation",
    "jurisdiction",
    "description",
)


def _read(data: Mapping[str, object], section: str, parse: Callable[[Entry], T]) -> list[tuple[Entry, T]]:
    return [(entry, parse(entry)) for entry in entries(data, section)]


def _series(section: str, parsed: Sequence[tuple[Entry, T]]) -> DatedSeries[T]:
    """The entries in date order, refused if one is inverted or two overlap or leave a gap."""
    spans = []
    for entry, value in parsed:
        check_span(entry.label, value.effective_from, value.until)
        spans.append((entry.label, value.effective_from, value.until))
    return DatedSeries(section, [parsed[position][1] for position in check_continuous(spans)])


def _grouped(section: str, parsed: Sequence[tuple[Entry, T]], key: Callable[[T], str]) -> dict[str, DatedSeries[T]]:
    """One series per derogation code or duration name, each continuous on its own."""
    groups: dict[str, list[tuple[Entry, T]]] = {}
    for entry, value in parsed:
        groups.setdefault(key(value), []).append((entry, value))
    return {name: _series(f"{section} {name}", group) for name, group in groups.items()}


def parse_ruleset(data: Mapping[str, object]) -> RuleSet:
    """Build a RuleSet from a parsed rule file; RuleSetError naming the entry if it is malformed or overlapping."""
    unknown = sorted(set(data) - set(_SECTIONS))
    if unknown:
        raise RuleSetError(Reason("law_unknown_section", section=unknown[0], known=", ".join(_SECTIONS)))
    durations = _grouped("duration", _read(data, "duration", parse_duration), lambda duration: duration.name)
    missing = sorted(set(DURATION_UNITS) - set(durations))
    if missing:
        raise RuleSetError(Reason("law_durations_missing", missing=", ".join(missing)))
    return RuleSet(
        smic=_series("smic", _read(data, "smic", parse_smic)),
        pay_grid=_series("pay_grid", _read(data, "pay_grid", parse_pay_grid)),
        exemption=_series(
            "employee_contribution_exemption", _read(data, "employee_contribution_exemption", parse_exemption)
        ),
        age_limits=_series("age_limits", _read(data, "age_limits", parse_age_limits)),
        derogations=_grouped("derogation", _read(data, "derogation", parse_derogation), lambda rule: rule.code),
        durations=durations,
        participation=_series(
            "employer_participation", _read(data, "employer_participation", parse_employer_participation)
        ),
    )
