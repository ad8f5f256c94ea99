"""A dossier pre-filled from what the case already holds, so that nothing is typed twice: the candidate (names,
birth date, email, legal representative), the contract being prepared (employer, mentor, dates, hours, pay), the
pay lines the rules compute, and the programme's training (its configuration: CFA, RNCP, diploma...)."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from contract_flow.domain.case import Case
from contract_flow.domain.dossier.codes import FIRST_CONTRACT
from contract_flow.domain.dossier.model import (
    Apprentice,
    ContractSection,
    Dossier,
    Employer,
    LegalRepresentative,
    Mentor,
    PayLines,
    Training,
)
from contract_flow.domain.dossier.pay_lines import pay_lines
from contract_flow.domain.legal import LegalRules
from contract_flow.domain.rules.dates import age_on

#: L6222-1's ages, for the form's derogation codes 11 (under 16) and 12 (over 29); the rule set's limits decide
#: eligibility, these only pre-fill the code.
_YOUNGEST, _OLDEST = 16, 29


def weekly_time(hours: Decimal) -> tuple[int, int]:
    """35.5 hours -> (35, 30): the form's hours and minutes."""
    minutes = int((hours * 60).to_integral_value(rounding=ROUND_HALF_UP))
    return minutes // 60, minutes % 60


def split_name(full_name: str) -> tuple[str, str]:
    """"Marie Maître" -> ("Marie", "Maître"): the first word is taken for the first name, the rest for the last
    name, a guess the mentor corrects on the form ("Jean Pierre Dupont" needs it)."""
    first, _, last = full_name.strip().partition(" ")
    return (first, last.strip()) if last.strip() else ("", first)


def _minor(case: Case, signed: date | None, rules: LegalRules | None) -> bool | None:
    born = case.candidate.birth_date
    if signed is None or rules is None or born >= signed:
        return None
    return age_on(born, signed) < rules.ruleset.duration_on("majority_age_years", signed).value


def _derogation(born: date, start: date | None) -> str | None:
    if start is None or born >= start:
        return None
    age = age_on(born, start)
    return "11" if age < _YOUNGEST else "12" if age > _OLDEST else None


def _pay(case: Case, rules: LegalRules | None) -> PayLines:
    terms = case.contract
    if rules is None or terms.start_date is None or terms.end_date is None:
        return ()
    if case.candidate.birth_date >= terms.start_date or terms.end_date <= terms.start_date:
        return ()
    try:
        return pay_lines(rules, case, agreed=terms.gross_monthly_pay)
    except ValueError:  # dates the rule set does not cover, a previous contract D6222-29 cannot take: left to fill
        return ()


def from_case(case: Case, training: Training | None = None, *, rules: LegalRules | None = None) -> Dossier:
    """The dossier as far as `case` (its contract part loaded) tells it; `training` is the programme's training
    section from its configuration (the CFA, RNCP and diploma codes, hours), its start defaulting to the
    programme's; `rules` compute the pay lines and whether the apprentice is a minor on the signature date."""
    terms, candidate = case.contract, case.candidate
    minor = _minor(case, terms.signature_date, rules)
    apprentice = Apprentice(
        last_name=candidate.last_name, first_name=candidate.first_name, birth_date=candidate.birth_date,
        email=candidate.email, minor=minor, rqth=True if case.derogation == "rqth" else None,
        high_level_athlete=True if case.derogation == "athlete" else None,
        business_creation=True if case.derogation == "business-creation" else None,
        legal_representative=LegalRepresentative(
            email=case.legal_representative_email if minor is not False else None),
    )
    mentors: tuple[Mentor, ...] = ()
    if terms.mentor_name or terms.mentor_email:
        first, last = split_name(terms.mentor_name or "")
        mentors = (Mentor(first_name=first or None, last_name=last or None, email=terms.mentor_email),)
    hours, minutes = weekly_time(terms.weekly_hours) if terms.weekly_hours is not None else (None, None)
    contract = ContractSection(
        contract_type=FIRST_CONTRACT if case.previous_contract_end is None else None,
        derogation=_derogation(candidate.birth_date, terms.start_date),
        signature_date=terms.signature_date, start_date=terms.start_date, end_date=terms.end_date,
        practical_training_start=terms.practical_training_start or terms.start_date,
        weekly_hours=hours, weekly_minutes=minutes, hiring_pay=terms.gross_monthly_pay,
        # recorded at signature (ContractTerms.signature_place), absent from cases stored before it
        signature_place=getattr(terms, "signature_place", None),
    )
    given = training or Training()
    return Dossier(
        employer=Employer(siret=terms.employer_siret, name=terms.employer_name, email=terms.employer_email),
        apprentice=apprentice, mentors=mentors, contract=contract, pay_lines=_pay(case, rules),
        training=replace(given, training_start=given.training_start or case.programme.start_date),
    )
