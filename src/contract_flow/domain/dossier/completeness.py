"""What each section of the dossier still lacks: every required field (R in PUBLIC-SYSTEMS.md §1) that is absent,
and the fields the form requires only in some cases (a minor's legal representative, an amendment's effective
date, the previous contract's number), each with why it is required."""

from __future__ import annotations

from dataclasses import dataclass

from contract_flow.domain.dossier.codes import FIRST_CONTRACT, Label
from contract_flow.domain.dossier.form import FORM, form_field
from contract_flow.domain.dossier.model import (
    Apprentice,
    ContractSection,
    Dossier,
    Employer,
    Mentor,
    PayLine,
    Section,
    SectionValue,
)
from contract_flow.domain.dossier.parse import section_named

#: Why a field of the form is required when nothing more specific applies.
ON_THE_FORM = "CERFA FA13 n° 10103*14: a field the State's contract tool requires"
LEGAL_REPRESENTATIVE = ("R6222-2: a non-emancipated minor's contract is signed by their legal representative too; "
                        "Code civil art. 388-1-1 (the legal administrator represents the minor)")
#: IDCC codes that name no agreement: no agreement's name to give.
NO_AGREEMENT = frozenset({"9999", "9998"})


@dataclass(frozen=True)
class Missing:
    """A required field that is absent: its name ("apprentice.legal_representative.name"), its label, and why."""

    field: str
    label: Label
    why: str = ON_THE_FORM

    def __str__(self) -> str:
        return f"{self.field}: {self.label.en} is missing ({self.why})"


def _value_at(value: object, key: str) -> object:
    for part in key.split("."):
        value = getattr(value, part)
    return value


def _absent(section: Section, value: object, prefix: str, keys: list[tuple[str, str]]) -> list[Missing]:
    """The fields among `keys` (key, why) that `value` does not hold."""
    return [Missing(f"{prefix}{key}", form_field(section, key).label, why)
            for key, why in keys if _value_at(value, key) is None]


def _required(section: Section) -> list[tuple[str, str]]:
    return [(spec.key, ON_THE_FORM) for spec in FORM[section] if spec.required]


def _employer(employer: Employer) -> list[tuple[str, str]]:
    keys = _required(Section.EMPLOYER)
    if employer.idcc_code in NO_AGREEMENT:
        keys.remove(("idcc_name", ON_THE_FORM))
    return keys


def _apprentice(apprentice: Apprentice) -> list[tuple[str, str]]:
    keys = _required(Section.APPRENTICE)
    if apprentice.minor:
        keys.append(("not_emancipated", "Code civil art. 413-6: say whether the minor is emancipated"))
        if apprentice.not_emancipated:
            keys += [(key, LEGAL_REPRESENTATIVE) for key in (
                "legal_representative.name", "legal_representative.email", "legal_representative.address.street",
                "legal_representative.address.postcode", "legal_representative.address.town")]
    return keys


def _contract(contract: ContractSection) -> list[tuple[str, str]]:
    keys = _required(Section.CONTRACT)
    if contract.contract_type is not None and contract.contract_type != FIRST_CONTRACT:
        keys.append(("previous_contract_number", "the DECA number of the previous contract, or of the contract "
                                                 "amended (a contract type other than 11)"))
    if contract.is_amendment:
        keys.append(("amendment_effective_date", "an amendment (types 31-38) says from when it applies"))
    return keys


def missing(section: Section | str, value: SectionValue) -> list[Missing]:
    """What `value`, the section `section` of a dossier, lacks, in the form's order."""
    found = section_named(section)
    Dossier().with_section(found, value)  # TypeError for a value that is not of this section (a caller's bug)
    if isinstance(value, tuple):
        # the first mentor and the first pay line are required; each one given is required whole
        items: tuple[object, ...] = value or ((Mentor() if found is Section.MENTORS else PayLine()),)
        return [absent for number, item in enumerate(items, start=1)
                for absent in _absent(found, item, f"{found}.{number}.", _required(found))]
    if isinstance(value, Employer):
        keys = _employer(value)
    elif isinstance(value, Apprentice):
        keys = _apprentice(value)
    elif isinstance(value, ContractSection):
        keys = _contract(value)
    else:
        keys = _required(found)
    return _absent(found, value, f"{found}.", keys)


def missing_in(dossier: Dossier) -> list[Missing]:
    """What the whole dossier lacks, section by section; the SMC too when a pay line is a share of it."""
    found = [absent for section in Section for absent in missing(section, dossier.section(section))]
    if dossier.contract.smc is None and any(line.reference == "SMC" for line in dossier.pay_lines):
        found.append(Missing("contract.smc", form_field(Section.CONTRACT, "smc").label,
                             "D6222-26: a pay line of a share of the collective agreement minimum needs its amount"))
    return found


def is_complete(dossier: Dossier) -> bool:
    return not missing_in(dossier)
