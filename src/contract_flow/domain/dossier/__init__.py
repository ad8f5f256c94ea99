"""The contract dossier: the CERFA FA13 (n° 10103*14) as data of the case, read, completed and checked.

- `model`: one frozen dataclass per section (Employer, Apprentice, Mentor, ContractSection, PayLine, Training) and
  the Dossier; `codes`: the form's code lists with French and English labels; `form`: each section's fields in the
  form's order, labelled, required or not.
- `parse`: `parse_section(section, data)` checks every field (InvalidInput naming it), `section_data` gives the
  data back.
- `completeness`: `missing(section, value)`, `missing_in(dossier)`.
- `checks`: `check(dossier, case, rules, mentor_loads=...)`, every reason it may not be signed, with its article.
- `pay_lines`: the form's pay lines from the pay rules; `prefill`: `from_case(case, training, rules=...)`.
"""

from __future__ import annotations

from contract_flow.domain.dossier.checks import check, dossier_case
from contract_flow.domain.dossier.codes import CODE_LISTS, CodeList, Label
from contract_flow.domain.dossier.completeness import Missing, is_complete, missing, missing_in
from contract_flow.domain.dossier.form import FORM, SECTION_LABELS, FormField
from contract_flow.domain.dossier.mentor_checks import MentorLoad
from contract_flow.domain.dossier.model import (
    Address,
    Apprentice,
    ContractSection,
    Dossier,
    Employer,
    LegalRepresentative,
    Mentor,
    Mentors,
    PayLine,
    PayLines,
    Section,
    SectionValue,
    Training,
)
from contract_flow.domain.dossier.parse import (
    dossier_data,
    parse_apprentice,
    parse_contract,
    parse_dossier,
    parse_employer,
    parse_mentors,
    parse_pay_lines,
    parse_section,
    parse_training,
    section_data,
)
from contract_flow.domain.dossier.pay_lines import LegalLine, legal_lines, pay_lines
from contract_flow.domain.dossier.prefill import from_case
from contract_flow.domain.dossier.refusal import Message, Refusal, missing_refusal, refused, said_refusal

__all__ = [
    "CODE_LISTS",
    "FORM",
    "SECTION_LABELS",
    "Address",
    "Apprentice",
    "CodeList",
    "ContractSection",
    "Dossier",
    "Employer",
    "FormField",
    "Label",
    "LegalLine",
    "LegalRepresentative",
    "Mentor",
    "MentorLoad",
    "Mentors",
    "Message",
    "Missing",
    "PayLine",
    "PayLines",
    "Refusal",
    "Section",
    "SectionValue",
    "Training",
    "check",
    "dossier_case",
    "dossier_data",
    "from_case",
    "is_complete",
    "legal_lines",
    "missing",
    "missing_in",
    "missing_refusal",
    "parse_apprentice",
    "parse_contract",
    "parse_dossier",
    "parse_employer",
    "parse_mentors",
    "parse_pay_lines",
    "parse_section",
    "parse_training",
    "pay_lines",
    "refused",
    "said_refusal",
    "section_data",
]
