"""Whether a dossier may be signed: complete, and lawful on the points DOMAIN.md checks at signature.

`check` gives every refusal, each naming the field and the article: what is missing (completeness), the legal
representative of a non-emancipated minor, the working time of a minor, each mentor's eligibility and the number
of apprentices they already follow, the contract's dates (the law's own rules, `LegalRules.contract_date_problems`)
and the pay lines against the minimum the pay rules compute. Empty: the dossier may be signed.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal

from contract_flow.domain.case import Case, ContractTerms, Part
from contract_flow.domain.dossier.completeness import LEGAL_REPRESENTATIVE, missing_in
from contract_flow.domain.dossier.mentor_checks import MentorLoad, mentor_refusals
from contract_flow.domain.dossier.model import Dossier
from contract_flow.domain.dossier.pay_checks import pay_refusals
from contract_flow.domain.dossier.refusal import Refusal, missing_refusal, refused, said_refusal
from contract_flow.domain.legal import LegalRules
from contract_flow.domain.rules.dates import add_months, age_on
from contract_flow.domain.rules.ruleset import RuleSetError

#: L3162-1: a worker under 18 works at most 35 hours a week (and 8 a day); L6222-25 applies it to apprentices.
MINOR_WEEKLY_HOURS = Decimal(35)
MINOR_WORKING_TIME = "L3162-1 (at most 35 hours a week and 8 a day under 18); L6222-25 (an apprentice under 18)"
MAJORITY = "Code civil art. 388 and 414: a minor is under 18"
EMANCIPATION = "Code civil art. 413-6: an emancipated minor acts as an adult"
CONTRACT_DATES = "L6222-7-1, R6222-6, R6222-47, L6222-12"


def dossier_case(case: Case, dossier: Dossier) -> Case:
    """The case as the dossier tells it, for the rules that read a case: the dossier's birth date, contract dates,
    pay and hours; the case's programme, derogation and previous contract. The case itself is not changed."""
    contract, apprentice = dossier.contract, dossier.apprentice
    terms = ContractTerms(
        signature_date=contract.signature_date, start_date=contract.start_date, end_date=contract.end_date,
        practical_training_start=contract.practical_training_start, gross_monthly_pay=contract.hiring_pay,
        weekly_hours=contract.weekly_time, employer_siret=dossier.employer.siret,
        employer_name=dossier.employer.name)
    derogation = case.derogation
    if derogation is None and (apprentice.rqth or apprentice.boe):
        derogation = "rqth"  # R6222-47: a disabled apprentice's contract may last a year more
    candidate = dataclasses.replace(case.candidate, birth_date=apprentice.birth_date or case.candidate.birth_date)
    return dataclasses.replace(case, candidate=candidate, derogation=derogation, _contract=terms,
                               loaded={*case.loaded, Part.CONTRACT}, new_events=[], events=[])


def _majority(rules: LegalRules, day: date) -> int:
    return rules.ruleset.duration_on("majority_age_years", day).value


def _representative(dossier: Dossier, rules: LegalRules) -> Iterator[Refusal]:
    """A minor on the signature date who is not emancipated signs with a legal representative (R6222-2)."""
    apprentice, signed = dossier.apprentice, dossier.contract.signature_date
    born = apprentice.birth_date
    if born is None or signed is None or born >= signed:
        return
    age = age_on(born, signed)
    minor = age < _majority(rules, signed)
    if apprentice.minor is not None and apprentice.minor != minor:
        yield refused("apprentice.minor", "minor_yes" if minor else "minor_no", MAJORITY, age=age, signed=signed)
    if not minor:
        return
    if apprentice.not_emancipated is None:
        yield refused("apprentice.not_emancipated", "emancipation_unknown", EMANCIPATION, age=age)
    elif apprentice.not_emancipated:
        representative = apprentice.legal_representative
        for key, value in (("name", representative.name), ("email", representative.email),
                           ("address.street", representative.address.street),
                           ("address.postcode", representative.address.postcode),
                           ("address.town", representative.address.town)):
            if value is None:
                yield refused(f"apprentice.legal_representative.{key}", "representative", LEGAL_REPRESENTATIVE,
                              age=age)


def _working_time(dossier: Dossier, rules: LegalRules) -> Iterator[Refusal]:
    born, start = dossier.apprentice.birth_date, dossier.contract.start_date
    weekly = dossier.contract.weekly_time
    if born is None or start is None or weekly is None or born >= start:
        return
    age = age_on(born, start)
    if age < _majority(rules, start) and weekly > MINOR_WEEKLY_HOURS:
        minutes = dossier.contract.weekly_minutes or 0
        yield refused("contract.weekly_hours", "minor_hours", MINOR_WORKING_TIME, age=age, start=start,
                      most=MINOR_WEEKLY_HOURS, hours=dossier.contract.weekly_hours or 0, minutes=f"{minutes:02d}")


def _contract_dates(dossier: Dossier, view: Case, rules: LegalRules) -> Iterator[Refusal]:
    """The law's contract-date rules (LegalRules.contract_date_problems), and the CFA training's start and exams
    within the contract (L6222-12: the training starts within 3 months of the contract's start)."""
    for problem in rules.contract_date_problems(view):
        field = problem.split(" ", 1)[0]
        yield said_refusal(field if field.startswith("contract.") else "contract.end_date", problem, CONTRACT_DATES)
    start, training = dossier.contract.start_date, dossier.training
    if start is None:
        return
    rule = rules.ruleset.duration_on("training_start_months", start)
    first, last = add_months(start, -rule.value), add_months(start, rule.value)
    begins = training.training_start
    if begins is not None and not first <= begins <= last:
        yield refused("training.training_start", "training_start", rule.source, begins=begins, months=rule.value,
                      start=start, first=first, last=last)
    end, exams = dossier.contract.end_date, training.exams_end
    if end is not None and exams is not None and end < exams:
        yield refused("contract.end_date", "end_before_exams", "L6222-7-1", end=end, exams=exams)


def check(dossier: Dossier, case: Case, rules: LegalRules, *,
          mentor_loads: Mapping[str, MentorLoad] | None = None) -> list[Refusal]:
    """Every reason the dossier may not be signed yet, what is missing first; empty when it may.

    `case` gives the programme (its length and the level of its diploma), the age derogation and a previous
    contract; `mentor_loads` how many apprentices each mentor (by email, in lower case) already follows in the
    CFA's other contracts on this one's start (a mentor absent from it follows none).
    """
    refusals = [missing_refusal(absent) for absent in missing_in(dossier)]
    reported = {refusal.field for refusal in refusals}
    view = dossier_case(case, dossier)
    try:
        found = [*_representative(dossier, rules), *_working_time(dossier, rules),
                 *mentor_refusals(dossier, case, rules, mentor_loads or {}), *_contract_dates(dossier, view, rules),
                 *pay_refusals(dossier, view, rules)]
    except RuleSetError as problem:  # a date the rule set does not cover (a contract in 1950)
        found = [said_refusal("contract.start_date", problem.said, "configs/rules")]
    refusals += [refusal for refusal in found if refusal.field not in reported]
    return refusals
