"""An amendment (avenant) to a signed contract: its CERFA type (31-38), its effective date, its reason, and the
fields of the dossier it changes (PUBLIC-SYSTEMS.md §1; issue 14, item 7).

After the signature, a change of mentor, pay, working time, end date, workplace, employer or training place is an
amendment: the dossier's fields it may change are listed here (the others are the contract's as signed: its
signature, start, mode; the apprentice's identity; the amendment's own fields, which it writes itself: its type,
effective date and the number of the contract it amends).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date

from contract_flow.domain.dates import add_months
from contract_flow.domain.dossier.checks import CONTRACT_DATES
from contract_flow.domain.dossier.codes import AMENDMENTS, CONTRACT_TYPES, EXTENSION_AFTER_FAILED_EXAM
from contract_flow.domain.dossier.form import FORM, MAX_MENTORS
from contract_flow.domain.dossier.model import Section
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Label, Reason
from contract_flow.domain.values import parse_text

#: The sections an amendment may change whole: the employer (31, its legal situation; 37, the workplace), the
#: mentors (36), the pay lines (36), the training (35, the diploma; 38, the training place).
WHOLE_SECTIONS = frozenset({Section.EMPLOYER, Section.MENTORS, Section.PAY, Section.TRAINING})
#: The contract's terms an amendment changes (33 and 34 extend it; 36 the working time, the pay, the benefits).
CONTRACT_KEYS = frozenset({"end_date", "derogation", "weekly_hours", "weekly_minutes", "risky_work", "smc",
                           "hiring_pay", "food_benefit", "housing_benefit", "other_benefits", "pension_fund"})
#: The apprentice's disability (34: an extension after its recognition, R6222-47).
APPRENTICE_KEYS = frozenset({"rqth", "boe", "disability_equivalence"})
#: The contract section's fields the amendment writes itself: the CERFA of an amendment says its type, from when it
#: applies and the DECA number of the contract it amends.
OWN_KEYS = ("contract_type", "amendment_effective_date", "previous_contract_number")
MAX_REASON_CHARS = 500  # the amendment table's reason column
#: L6222-11: after a failed exam, the apprenticeship may be extended by one year at most, by an amendment (33)
#: whose end goes past the longest contract and the training cycle that L6222-7-1 and R6222-47 set otherwise.
EXTENSION_MONTHS = 12
EXTENSION = "L6222-11 (after a failed exam, the apprenticeship is extended by one year at most)"


def _bare(section: Section, key: str) -> str:
    """A mentor's or pay line's key without its number ("1.last_name" -> "last_name")."""
    return key.partition(".")[2] if section in (Section.MENTORS, Section.PAY) else key


def amendable(section: Section, key: str) -> bool:
    """Whether an amendment may change the field `key` of `section` ("1.last_name" for the first mentor)."""
    if section in WHOLE_SECTIONS:
        return True
    if section is Section.CONTRACT:
        return key in CONTRACT_KEYS
    return section is Section.APPRENTICE and key in APPRENTICE_KEYS


def amendable_fields(pay_lines: int = 1) -> list[str]:
    """Every field an amendment may change, as "section.key", in the form's order: two mentors, `pay_lines` pay
    lines (at least one)."""
    found: list[str] = []
    for section in Section:
        count = MAX_MENTORS if section is Section.MENTORS else max(pay_lines, 1) if section is Section.PAY else 0
        for number in range(1, count + 1) if count else (None,):
            for spec in FORM[section]:
                key = spec.key if number is None else f"{number}.{spec.key}"
                if amendable(section, key):
                    found.append(f"{section}.{key}")
    return found


def parse_type(text: str) -> str:
    """The amendment's CERFA type: one of the amendments' codes (31-38)."""
    code = CONTRACT_TYPES.parse("type_code", str(text))
    if code not in AMENDMENTS:
        raise InvalidInput("type_code", Reason(
            "not_an_amendment", code=code,
            name=Label(fr=CONTRACT_TYPES.label(code, "fr"), en=CONTRACT_TYPES.label(code, "en")),
            codes=", ".join(sorted(AMENDMENTS))))
    return code


def parse_reason(text: str) -> str:
    """Why the contract is amended: one line of text (control and format characters refused, values.parse_text)."""
    if not str(text).strip():
        raise InvalidInput("reason", Reason("amendment_reason_needed"))
    return parse_text("reason", str(text), MAX_REASON_CHARS)


def check_effective(effective: date, start: date | None, end: date | None) -> None:
    """The effective date falls within the contract as it stands: from its start to its end."""
    if (start is not None and effective < start) or (end is not None and effective > end):
        raise InvalidInput("effective_on", Reason("amendment_outside", effective=effective,
                                                  start=start or "?", end=end or "?"))


def split_changes(changes: Mapping[str, str]) -> dict[Section, dict[str, str]]:
    """The changes ("mentors.1.last_name" -> "Dupont") by section, each field one an amendment may change
    (InvalidInput naming it otherwise); the values are checked with their section."""
    if not changes:
        raise InvalidInput("changes", Reason("amendment_no_change"))
    found: dict[Section, dict[str, str]] = {}
    for field, value in changes.items():
        name, _, key = str(field).strip().partition(".")
        shown = str(field)[:120]
        try:
            section = Section(name)
        except ValueError:
            raise InvalidInput(shown or "changes", Reason("not_a_dossier_field",
                                                          sections=", ".join(Section))) from None
        bare = _bare(section, key)
        if not key or all(spec.key != bare for spec in FORM[section]):
            raise InvalidInput(shown, Reason("not_a_section_field", section=section.value))
        if not amendable(section, key):
            raise InvalidInput(shown, Reason("not_amendable"))
        found.setdefault(section, {})[key] = str(value)
    return found


def extension_problem(code: str, signed_end: date | None, end: date | None) -> str | None:
    """An extension after a failed exam (33) ends after the end signed and at most a year after it (L6222-11)."""
    if code != EXTENSION_AFTER_FAILED_EXAM or signed_end is None or end is None or end == signed_end:
        return None
    latest = add_months(signed_end, EXTENSION_MONTHS)
    if end < signed_end or end > latest:
        return (f"{end.isoformat()}: an extension after a failed exam ends after the end signed "
                f"{signed_end.isoformat()} and by {latest.isoformat()} at the latest ({EXTENSION})")
    return None


def exempt_from(code: str, field: str, article: str) -> bool:
    """Whether a refusal of the checks at signature does not apply to an amendment of type `code`: an extension
    after a failed exam (33) goes past the contract's longest length and the training cycle (L6222-11), its own
    limit checked instead (`extension_problem`)."""
    return code == EXTENSION_AFTER_FAILED_EXAM and field == "contract.end_date" and article == CONTRACT_DATES
