"""Each mentor's eligibility (L6223-8-1, R6223-22) and the number of apprentices they may follow (R6223-6).

The values below are the Code du travail's (R6223-22 and R6223-6 "unless the branch agreement provides otherwise":
a collective agreement may set other conditions, which the engine does not know).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

from contract_flow.domain.case import Case
from contract_flow.domain.dossier.codes import DIPLOMA_LEVELS, EXTENSION_AFTER_FAILED_EXAM
from contract_flow.domain.dossier.model import Dossier, Mentor
from contract_flow.domain.dossier.refusal import Message, Refusal, message, refused
from contract_flow.domain.legal import LegalRules
from contract_flow.domain.rules.dates import age_on

#: R6223-22 1°: a diploma in the field, at least of the level prepared, and 1 year of related activity; 2°: 2 years.
YEARS_WITH_DIPLOMA = 1
YEARS_WITHOUT_DIPLOMA = 2
ELIGIBILITY = ("R6223-22: a diploma in the field of the one prepared, of at least its level, and 1 year of related "
               "experience, or 2 years of related experience (internships and apprenticeships do not count), unless "
               "the branch agreement provides otherwise")
ADULT = "L6223-8-1: the mentor is an adult"
#: R6223-6: two apprentices at a time per mentor, and one more whose training is extended after a failed exam.
MOST_APPRENTICES = 2
MOST_REPEATING = 1
LOAD = ("R6223-6: a mentor follows at most 2 apprentices at a time, plus 1 whose training is extended after a "
        "failed exam")


@dataclass(frozen=True)
class MentorLoad:
    """The apprentices a mentor already follows in the CFA's other contracts (counted by the service), and how many
    of them repeat after a failed exam."""

    apprentices: int
    repeating: int = 0


def prepared_level(dossier: Dossier, case: Case) -> int | None:
    """The level of the diploma prepared: the programme's, else the form's diploma type."""
    if case.programme.level is not None:
        return case.programme.level
    kind = dossier.training.diploma_type
    return None if kind is None else DIPLOMA_LEVELS.get(kind)


def _eligibility(mentor: Mentor, field: str, level: int | None) -> Iterator[Refusal]:
    years, held, in_field = mentor.experience_years, mentor.diploma_level, mentor.diploma_in_field
    if years is None or held is None or in_field is None:
        return  # completeness reports them
    if years >= YEARS_WITHOUT_DIPLOMA:
        return
    by_diploma = in_field and level is not None and int(held) >= level and years >= YEARS_WITH_DIPLOMA
    if by_diploma:
        return
    why: Message
    if level is None:
        why = message("mentor_level_unknown")
    elif not in_field:
        why = message("mentor_other_field")
    elif int(held) < level:
        why = message("mentor_level_below", held=held, level=level)
    else:
        why = message("mentor_needs_a_year", years=YEARS_WITH_DIPLOMA)
    yield refused(f"{field}.experience_years", "mentor_experience", ELIGIBILITY, years=years, why=why,
                  needed=YEARS_WITHOUT_DIPLOMA)


def _load(mentor: Mentor, field: str, repeats: bool, loads: Mapping[str, MentorLoad]) -> Iterator[Refusal]:
    load = loads.get(mentor.email.lower()) if mentor.email is not None else None
    if load is None:
        return
    repeating = load.repeating + (1 if repeats else 0)
    most = MOST_APPRENTICES + min(MOST_REPEATING, repeating)
    if load.apprentices + 1 > most:
        yield refused(field, "mentor_load", LOAD, count=load.apprentices, repeating=load.repeating,
                      would=load.apprentices + 1, most=most)


def mentor_refusals(dossier: Dossier, case: Case, rules: LegalRules,
                    loads: Mapping[str, MentorLoad]) -> Iterator[Refusal]:
    start = dossier.contract.start_date
    level = prepared_level(dossier, case)
    # an amendment extending the contract after a failed exam: this apprentice takes R6223-6's extra place
    repeats = dossier.contract.contract_type == EXTENSION_AFTER_FAILED_EXAM
    for number, mentor in enumerate(dossier.mentors, start=1):
        field = f"mentors.{number}"
        born = mentor.birth_date
        if born is not None and start is not None and born < start:
            age = age_on(born, start)
            majority = rules.ruleset.duration_on("majority_age_years", start).value
            if age < majority:
                yield refused(f"{field}.birth_date", "mentor_minor", ADULT, age=age, start=start)
        elif born is not None and start is not None:
            yield refused(f"{field}.birth_date", "mentor_born_after", ADULT, born=born)
        yield from _eligibility(mentor, field, level)
        if mentor.eligibility_attested is False:
            yield refused(f"{field}.eligibility_attested", "mentor_attested", ELIGIBILITY)
        yield from _load(mentor, field, repeats, loads)
