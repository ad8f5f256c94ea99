"""Age eligibility (L6222-1, L6222-2, D6222-1): the 16/29 limits on the contract start, the 35 one at its conclusion.

From 16 (15 after completing lower secondary school) through 29 on the first day of the contract (L6222-1: "au
début de l'apprentissage"). Some derogations lift the upper limit (disability, athlete, business creation, exam
resit); two raise it to 35 (higher diploma, previous contract broken). D6222-1 reads those two on the day the
contract is concluded (signed), not on its start: "l'âge de l'apprenti au moment de la conclusion du contrat est de
trente-cinq ans au plus", and the contract "souscrit dans un délai maximum d'un an après l'expiration du précédent
contrat". A contract is concluded before or on its start, so someone 35 when signing in June may be 36 on a
September start and still be eligible.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from contract_flow.domain.errors import InvalidRuleInput
from contract_flow.domain.reasons import Reason
from contract_flow.domain.rules.dates import add_months, age_on, anniversary
from contract_flow.domain.rules.ruleset import AgeLimits, Derogation, RuleSet


@dataclass(frozen=True, slots=True)
class Eligibility:
    """The answer, the ages it was based on, a sentence a person can act on, and the text applied.

    `age_at_conclusion` is the age on the day the contract was concluded (the start when no conclusion date was
    given): D6222-1 reads the 35 limit on it.
    """

    eligible: bool
    age_at_start: int
    reason: str
    source: str
    age_at_conclusion: int


def check_eligibility(
    ruleset: RuleSet,
    birth_date: date,
    contract_start: date,
    *,
    derogation: str | None = None,
    previous_contract_end: date | None = None,
    completed_lower_secondary: bool = False,
    concluded: date | None = None,
) -> Eligibility:
    """L6222-1: 16 to 29 on the contract start (a birthday that day counts), 15 after lower secondary school.

    D6222-1: the derogations with a limit (35) read the age at the conclusion `concluded` (by default the start,
    the strictest reading when the signature date is not known yet), and need the contract concluded within one
    year of the end of the previous contract. The previous contract must still end before this one starts.
    Raises InvalidRuleInput (a ValueError) naming the field for an unknown derogation, a birth date not before the
    start, or a conclusion after the start (a contract is concluded before or on its start) or not after the birth.
    """
    if birth_date >= contract_start:
        raise InvalidRuleInput("birth_date", Reason("not_before_start", day=birth_date, start=contract_start))
    signed = contract_start if concluded is None else concluded
    if signed > contract_start:
        raise InvalidRuleInput("concluded", Reason("concluded_after_start_age", signed=signed, start=contract_start))
    if signed <= birth_date:
        raise InvalidRuleInput("concluded", Reason("not_after_birth", day=signed, born=birth_date))
    limits = ruleset.age_limits_on(contract_start)
    rule = ruleset.derogation_on(derogation, contract_start) if derogation is not None else None
    age = age_on(birth_date, contract_start)
    age_signed = age_on(birth_date, signed)
    on_start = Reason("elig_on_start", age=age, start=contract_start)
    minimum = limits.minimum_age_after_lower_secondary if completed_lower_secondary else limits.minimum_age
    if age < minimum:
        reason = _under_minimum(on_start, birth_date, contract_start, limits, completed_lower_secondary)
        return Eligibility(False, age, reason, limits.source, age_signed)
    if age <= limits.maximum_age_at_start:
        reason = Reason("elig_within", on_start=on_start, minimum=minimum, maximum=limits.maximum_age_at_start)
        return Eligibility(True, age, reason, limits.source, age_signed)
    if rule is None:
        reason = Reason("elig_over", on_start=on_start, maximum=limits.maximum_age_at_start,
                        codes=tuple(ruleset.derogation_codes))
        return Eligibility(False, age, reason, limits.source, age_signed)
    return _with_derogation(on_start, age, age_signed, contract_start, signed, rule, previous_contract_end)


def _under_minimum(
    on_start: Reason, birth_date: date, contract_start: date, limits: AgeLimits, completed_lower_secondary: bool
) -> Reason:
    """Say from which birthday the contract could start, with or without lower secondary school completed."""
    early = anniversary(birth_date, limits.minimum_age_after_lower_secondary)
    if completed_lower_secondary:
        return Reason("elig_under_after_college", on_start=on_start,
                      minimum=limits.minimum_age_after_lower_secondary, early=early)
    if early <= contract_start:
        return Reason("elig_under_at_once", on_start=on_start, minimum=limits.minimum_age,
                      start_from=anniversary(birth_date, limits.minimum_age))
    return Reason("elig_under", on_start=on_start, minimum=limits.minimum_age,
                  start_from=anniversary(birth_date, limits.minimum_age), early=early)


def _with_derogation(
    on_start: Reason,
    age: int,
    age_signed: int,
    contract_start: date,
    signed: date,
    rule: Derogation,
    previous_contract_end: date | None,
) -> Eligibility:
    """L6222-2 and D6222-1: the derogation's own limit and one-year window, both read at the conclusion.

    `Derogation.maximum_age_at_start` (the rule file's key) holds D6222-1's limit, which applies at the
    conclusion: the start is only where L6222-1's own limit of 29 is read.
    """
    named = Reason("elig_derogation", code=rule.code, description=rule.description)
    if rule.maximum_age_at_start is None:
        return Eligibility(True, age, Reason("elig_lifts", on_start=on_start, named=named), rule.source, age_signed)
    at_conclusion = Reason("elig_at_conclusion", age=age_signed, signed=signed)
    if age_signed > rule.maximum_age_at_start:
        reason = Reason("elig_over_derogation", at_conclusion=at_conclusion, maximum=rule.maximum_age_at_start,
                        named=named)
        return Eligibility(False, age, reason, rule.source, age_signed)
    months = rule.within_months_of_previous_contract_end
    if months is not None:
        if previous_contract_end is None:
            reason = Reason("elig_previous_needed", at_conclusion=at_conclusion, named=named, months=months)
            return Eligibility(False, age, reason, rule.source, age_signed)
        if previous_contract_end >= contract_start:
            reason = Reason("elig_previous_after", on_start=on_start, previous=previous_contract_end)
            return Eligibility(False, age, reason, rule.source, age_signed)
        latest = add_months(previous_contract_end, months)
        if signed > latest:
            reason = Reason("elig_concluded_late", signed=signed, named=named, months=months,
                            previous=previous_contract_end, latest=latest)
            return Eligibility(False, age, reason, rule.source, age_signed)
    reason = Reason("elig_allows", at_conclusion=at_conclusion, on_start=on_start, named=named,
                    maximum=rule.maximum_age_at_start)
    return Eligibility(True, age, reason, rule.source, age_signed)
