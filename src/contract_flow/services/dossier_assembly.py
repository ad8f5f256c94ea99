"""The contract dossier of a case as it stands, and every reason it may not be signed: a shared part of the use
cases (services/dossier.py fills it; services/common.py's transition context hands its refusals to the `sign`
guard), not a use case.

The dossier is the pre-fill (`domain.dossier.from_case`: the case's facts, the pay lines the rules compute, the
programme's training from `programmes/<code>.toml`) overlaid, key by key, by what people saved (each section's
changes, "" for a value they emptied), and the values the case holds always taken from the case (`CASE_FACTS`,
`CANDIDATE`): they have one source of truth, the case (see services/dossier.py). A change of them in the dossier
is written to the case (`write_to_case`), by a section saved or by an amendment (services/amendments.py).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING

from contract_flow.adapters.dossiers import StoredSection
from contract_flow.domain import facts as fact_specs
from contract_flow.domain.access import STAFF
from contract_flow.domain.case import Actor, Case, Role
from contract_flow.domain.dossier import (
    ContractSection,
    Dossier,
    MentorLoad,
    Refusal,
    Section,
    SectionValue,
    check,
    from_case,
    missing_in,
    missing_refusal,
    parse_section,
    said_refusal,
    section_data,
)
from contract_flow.domain.dossier.codes import EXTENSION_AFTER_FAILED_EXAM
from contract_flow.domain.errors import Forbidden, InvalidInput
from contract_flow.domain.reasons import Reason
from contract_flow.domain.states import CONTRACT_STATES
from contract_flow.rulefiles import load_programme_training

if TYPE_CHECKING:
    from contract_flow.domain.legal import LegalRules
    from contract_flow.services.unit_of_work import UnitOfWork

#: The dossier's fields the case holds as facts, and the fact each is (`contract-flow case facts`): a change in
#: the dossier is written to the case in the same unit of work, and the dossier always shows the case's value.
CASE_FACTS: Mapping[tuple[Section, str], str] = {
    (Section.EMPLOYER, "siret"): "contract.employer_siret",
    (Section.EMPLOYER, "name"): "contract.employer_name",
    (Section.EMPLOYER, "email"): "contract.employer_email",
    (Section.MENTORS, "1.email"): "contract.mentor_email",
    (Section.CONTRACT, "signature_date"): "contract.signature_date",
    (Section.CONTRACT, "signature_place"): "contract.signature_place",
    (Section.CONTRACT, "start_date"): "contract.start_date",
    (Section.CONTRACT, "end_date"): "contract.end_date",
    (Section.CONTRACT, "practical_training_start"): "contract.practical_training_start",
    (Section.CONTRACT, "hiring_pay"): "contract.gross_monthly_pay",
    (Section.APPRENTICE, "legal_representative.email"): "legal_representative",
}
#: Two fields of the form that are one fact of the case: the first mentor's names (the case keeps the full name,
#: the dossier how it splits into first and last names), the weekly hours and minutes (the case keeps hours).
MENTOR_NAMES = ("1.first_name", "1.last_name")
MENTOR_NAME_FACT = "contract.mentor_name"
WEEKLY_TIME = ("weekly_hours", "weekly_minutes")
WEEKLY_HOURS_FACT = "contract.weekly_hours"
#: The apprentice's identity as the case was opened with it: read from the case, changed there (`case set
#: candidate.*`), since it says who the person is (their email opens the case to them, the eligibility rests on the
#: birth date) and has checks of its own (an email of another user is refused).
CANDIDATE: Mapping[str, str] = {"first_name": "candidate.first_name", "last_name": "candidate.last_name",
                                "birth_date": "candidate.birth_date", "email": "candidate.email"}
#: A value saved that no longer agrees with the case (its dates changed since): why it is refused.
AGREEMENT = "the dossier's values agree with each other and with the case: correct this field"
_HUNDREDTH = Decimal("0.01")


def case_keys(section: Section) -> frozenset[str]:
    """The keys of `section` whose values are the case's (written through, or read only)."""
    keys = {key for (owner, key) in CASE_FACTS if owner is section}
    if section is Section.MENTORS:
        keys.update(MENTOR_NAMES)
    elif section is Section.CONTRACT:
        keys.update(WEEKLY_TIME)
    elif section is Section.APPRENTICE:
        keys.update(CANDIDATE)
    return frozenset(keys)


@dataclass(frozen=True)
class Assembled:
    """The dossier, each section's pre-fill (`base`, as data) and stored changes, and the values saved that no
    longer agree with the case (each refused naming its field, and left out)."""

    dossier: Dossier
    base: Mapping[Section, Mapping[str, str]]
    stored: Mapping[Section, StoredSection]
    conflicts: tuple[Refusal, ...]


def _joined(first: str | None, last: str | None) -> str:
    return " ".join(" ".join(part.split()) for part in (first, last) if part)


def overlay(section: Section, base: Mapping[str, str], saved: Mapping[str, str], case: Case) -> dict[str, str]:
    """The section's data: the pre-fill `base`, what was `saved` over it ("" empties), the case's values on top."""
    merged = {**base, **saved}
    held = case_keys(section) - set(MENTOR_NAMES)
    for key in held:
        merged.pop(key, None)
        if key in base:
            merged[key] = base[key]
    if section is Section.MENTORS:
        # the names as saved, unless the case's mentor changed since (`case set contract.mentor_name=...`)
        named = case.contract.mentor_name
        if named is not None and _joined(merged.get(MENTOR_NAMES[0]), merged.get(MENTOR_NAMES[1])) != _joined(
                named, None):
            for key in MENTOR_NAMES:
                merged.pop(key, None)
                if key in base:
                    merged[key] = base[key]
    return {key: value for key, value in merged.items() if value.strip()}


def _parse(section: Section, data: dict[str, str], base: Mapping[str, str]) -> tuple[SectionValue, list[Refusal]]:
    """The section; a saved value that the case's values now contradict is left out and refused, naming it."""
    found: list[Refusal] = []
    while True:
        try:
            return parse_section(section, data), found
        except InvalidInput as problem:
            found.append(said_refusal(problem.field, problem.rule, AGREEMENT))
            key = problem.field.removeprefix(f"{section.value}.")
            if key not in data:
                return parse_section(section, base), found
            del data[key]


def assemble(uow: UnitOfWork, case: Case, rules: LegalRules,
             stored: Mapping[Section, StoredSection] | None = None) -> Assembled:
    """The case's dossier (its contract part loaded); `stored`: its saved sections, when already read (a list's
    cases read together, `DossierRepository.get_many`)."""
    assert case.id is not None
    prefill = from_case(case, load_programme_training(case.programme.code), rules=rules)
    if stored is None:
        stored = uow.dossiers.get_all(case.id)
    dossier, bases, conflicts = Dossier(), {}, []
    for section in Section:
        base = section_data(section, prefill.section(section))
        saved = stored.get(section)
        value, refused = _parse(section, overlay(section, base, saved.data if saved else {}, case), base)
        dossier = dossier.with_section(section, value)
        bases[section] = base
        conflicts += refused
    return Assembled(dossier, bases, stored, tuple(conflicts))


def mentor_loads(uow: UnitOfWork, case: Case, dossier: Dossier) -> dict[str, MentorLoad]:
    """How many apprentices each of the dossier's mentors already follows in the CFA's other running contracts
    (signed, in trial or active) that are not over by this contract's start, and how many of those repeat after a
    failed exam (R6223-6): the mentor each case names, and a second mentor its dossier names."""
    assert case.id is not None
    emails = {mentor.email.lower() for mentor in dossier.mentors if mentor.email}
    if not emails:
        return {}
    start = dossier.contract.start_date
    loads: dict[str, MentorLoad] = {}
    for other in uow.dossiers.running_contracts(case.programme.cfa_code, CONTRACT_STATES, other_than=case.id,
                                                naming=emails):
        if start is not None and other.end_date is not None and other.end_date < start:
            continue
        mentors = {email.lower() for email in (other.mentor_email,
                                                other.sections.get(Section.MENTORS, {}).get("2.email")) if email}
        repeats = other.sections.get(Section.CONTRACT, {}).get("contract_type") == EXTENSION_AFTER_FAILED_EXAM
        for email in mentors & emails:
            load = loads.get(email, MentorLoad(0))
            loads[email] = MentorLoad(load.apprentices + 1, load.repeating + (1 if repeats else 0))
    return loads


def refusals_of(uow: UnitOfWork, case: Case, rules: LegalRules, assembled: Assembled) -> list[Refusal]:
    """Every reason the dossier may not be signed, each naming the field and the article: the values that no
    longer agree first, then `check`'s (what is missing, then the law's checks at signature)."""
    found = list(assembled.conflicts)
    named = {refusal.field for refusal in found}
    checked = check(assembled.dossier, case, rules, mentor_loads=mentor_loads(uow, case, assembled.dossier))
    return found + [refusal for refusal in checked if refusal.field not in named]


def dossier_refusals(uow: UnitOfWork, case: Case, rules: LegalRules) -> list[Refusal]:
    """What stops the case's dossier from being signed now (empty: complete and lawful)."""
    return refusals_of(uow, case, rules, assemble(uow, case, rules))


def missing_refusals(dossier: Dossier) -> frozenset[Refusal]:
    """The refusals `check` gives for what is missing (the others are the law's)."""
    return frozenset(missing_refusal(absent) for absent in missing_in(dossier))


def kept_data(section: Section, after: Mapping[str, str], base: Mapping[str, str]) -> dict[str, str]:
    """What a section stores of its data `after`: what differs from the pre-fill `base` ("" for a value emptied),
    without what the case alone keeps (the mentor's names are stored, as split on the form)."""
    held = case_keys(section) - set(MENTOR_NAMES)
    kept = {key: text for key, text in after.items() if key not in held and base.get(key) != text}
    kept.update({key: "" for key in base if key not in held and key not in after})
    return kept


def write_to_case(case: Case, section: Section, value: SectionValue, changed: Iterable[str], actor: Actor,
                  today: date, *, amendment: str | None = None) -> None:
    """The changed values the case holds, recorded on it as `case set` would (InvalidInput naming the dossier's
    field, and nothing changed, when a fact's rule refuses); `amendment`: the type code of the amendment recording
    them, which alone may change a signed contract's end, workplace or employer (facts.CHANGED_BY_AMENDMENT)."""
    facts: dict[str, object] = {}
    names: dict[str, str] = {}  # fact -> the dossier's field, for refusals
    for key in changed:
        field = f"{section}.{key}"
        found: object
        if section is Section.APPRENTICE and key in CANDIDATE:
            raise InvalidInput(field, Reason("held_at_opening", fact=CANDIDATE[key]))
        if key in MENTOR_NAMES and section is Section.MENTORS:
            fact, found = MENTOR_NAME_FACT, mentor_name(value)
        elif key in WEEKLY_TIME and section is Section.CONTRACT:
            fact, found = WEEKLY_HOURS_FACT, weekly_hours(value)
        elif (section, key) in CASE_FACTS:
            fact, found = CASE_FACTS[section, key], field_value(value, key)
        else:
            continue
        if fact == "contract.mentor_email" and actor.role not in STAFF and actor.role is not Role.SYSTEM:
            raise Forbidden("changing the mentor's email (it opens the case to them)", actor.role.value, "CFA staff")
        if found is None:
            raise InvalidInput(field, Reason("held_not_emptied", fact=fact))
        facts[fact] = found
        names.setdefault(fact, field)
    if not facts:
        return
    try:
        fact_specs.apply_facts(case, facts, today, amendment=amendment)
    except InvalidInput as refused:
        raise InvalidInput(names.get(refused.field, refused.field), refused.rule) from None


def field_value(value: SectionValue, key: str) -> object:
    """The typed value at `key` of a section ("address.town"; "1.email" for the first mentor), None when absent:
    what pages and the CLI format for people (a date, an amount, yes or no)."""
    found: object = value
    if isinstance(value, tuple):
        number, _, key = key.partition(".")
        position = int(number) - 1
        found = value[position] if position < len(value) else None
    for part in key.split("."):
        found = getattr(found, part) if found is not None else None
    return found


def mentor_name(value: SectionValue) -> str | None:
    first, last = (field_value(value, key) for key in MENTOR_NAMES)
    name = " ".join(part for part in (first, last) if isinstance(part, str))
    return name or None


def weekly_hours(value: SectionValue) -> Decimal | None:
    """The form's hours and minutes as the case keeps them: hours, in hundredths (35 h 30 -> 35.50)."""
    assert isinstance(value, ContractSection)
    if value.weekly_hours is None:
        return None
    return (Decimal(value.weekly_hours) + Decimal(value.weekly_minutes or 0) / 60).quantize(_HUNDREDTH)
