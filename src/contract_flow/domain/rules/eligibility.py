"""Age eligibility on the contract start (L6222-1, L6222-2, D6222-1).

From 16 (15 after completing lower secondary school) through 29 on the first day of the contract. Some
derogations lift the upper limit (disability, athlete, business creation, exam resit); others raise it to 35
when the new contract starts within a year of the end of the previous one (higher diploma, broken contract).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contract_flow.domain.rules.dates import add_months, age_on, anniversary
from contract_flow.domain.rules.ruleset import AgeLimits, Derogation, RuleSet


@dataclass(frozen=True, slots=True)
class Eligibility:
    """The answer, the age it was based on, a sentence a person can act on, and the text applied."""

    eligible: bool
    age_at_start: int
    reason: str
    source: str


def check_eligibility(
    ruleset: RuleSet,
    birth_date: date,
    contract_start: date,
    *,
    derogation: str | None = None,
    previous_contract_end: date | None = None,
    completed_lower_secondary: bool = False,
) -> Eligibility:
    """L6222-1: 16 to 29 on the contract start (a birthday that day counts), 15 after lower secondary school.

    D6222-1 reads the 35 limit and the one-year window at the contract's conclusion; checking them on the
    start date, which never precedes the conclusion, is at least as strict and needs no signature date.
    Raises ValueError naming the field for an unknown derogation or a birth date not before the start.
    """
    if birth_date >= contract_start:
        raise ValueError(f"birth_date: {birth_date} is not before the contract start {contract_start}")
    limits = ruleset.age_limits_on(contract_start)
    rule = ruleset.derogation_on(derogation, contract_start) if derogation is not None else None
    age = age_on(birth_date, contract_start)
    on_start = f"{age} on the contract start {contract_start}"
    minimum = limits.minimum_age_after_lower_secondary if completed_lower_secondary else limits.minimum_age
    if age < minimum:
        reason = _under_minimum(on_start, birth_date, contract_start, limits, completed_lower_secondary)
        return Eligibility(False, age, reason, limits.source)
    if age <= limits.maximum_age_at_start:
        reason = f"{on_start}: within the age limits of {minimum} to {limits.maximum_age_at_start} (L6222-1)"
        return Eligibility(True, age, reason, limits.source)
    if rule is None:
        codes = ", ".join(ruleset.derogation_codes)
        reason = (
            f"{on_start}: over the upper limit of {limits.maximum_age_at_start} (L6222-1); "
            f"a derogation ({codes}) may lift it"
        )
        return Eligibility(False, age, reason, limits.source)
    return _with_derogation(on_start, age, contract_start, rule, previous_contract_end)


def _under_minimum(
    on_start: str, birth_date: date, contract_start: date, limits: AgeLimits, completed_lower_secondary: bool
) -> str:
    """Say from which birthday the contract could start, with or without lower secondary school completed."""
    early = anniversary(birth_date, limits.minimum_age_after_lower_secondary)
    if completed_lower_secondary:
        return (
            f"{on_start}: under the minimum age of {limits.minimum_age_after_lower_secondary} after lower "
            f"secondary school (L6222-1); the contract can start from {early}"
        )
    otherwise = "at once" if early <= contract_start else f"from {early}"
    return (
        f"{on_start}: under the minimum age of {limits.minimum_age} (L6222-1); the contract can start from "
        f"{anniversary(birth_date, limits.minimum_age)}, or {otherwise} once lower secondary school (collège) "
        "is completed"
    )


def _with_derogation(
    on_start: str, age: int, contract_start: date, rule: Derogation, previous_contract_end: date | None
) -> Eligibility:
    """L6222-2 and D6222-1: the derogation's own limit and, for a follow-on contract, the one-year window."""
    named = f"the {rule.code} derogation ({rule.description})"
    if rule.maximum_age_at_start is None:
        return Eligibility(True, age, f"{on_start}: {named} lifts the upper age limit", rule.source)
    if age > rule.maximum_age_at_start:
        reason = f"{on_start}: over the limit of {rule.maximum_age_at_start} that {named} allows"
        return Eligibility(False, age, reason, rule.source)
    months = rule.within_months_of_previous_contract_end
    if months is not None:
        if previous_contract_end is None:
            reason = (
                f"{on_start}: {named} applies only within {months} months of the end of the previous contract; "
                "give the previous contract's end date"
            )
            return Eligibility(False, age, reason, rule.source)
        if previous_contract_end >= contract_start:
            reason = f"{on_start}: the previous contract ends {previous_contract_end}, not before this one starts"
            return Eligibility(False, age, reason, rule.source)
        latest = add_months(previous_contract_end, months)
        if contract_start > latest:
            reason = (
                f"{on_start}: {named} needs the contract to start within {months} months of the previous "
                f"contract's end {previous_contract_end}, so by {latest}"
            )
            return Eligibility(False, age, reason, rule.source)
    reason = f"{on_start}: {named} allows up to {rule.maximum_age_at_start} on the start"
    return Eligibility(True, age, reason, rule.source)
