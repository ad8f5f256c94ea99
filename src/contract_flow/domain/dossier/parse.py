"""Each section of the dossier from the data people send, checked field by field, and back to that data.

`parse_section(section, data)` takes the whole section (a form's fields, the API's object, the CLI's key=value
pairs merged onto `section_data` of the stored section): every value is checked against its rule (codes against
their lists, identifiers with python-stdnum, dates, hours, amounts), then the fields that go together, and the
first refusal is raised as InvalidInput naming the field. `section_data` gives back what `parse_section` reads:
`parse_section(s, section_data(s, value)) == value`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import fields, is_dataclass
from datetime import date
from decimal import Decimal
from itertools import pairwise

from contract_flow.domain.dossier.codes import (
    BORN_ABROAD,
    CONTRACT_MODES,
    CONTRACT_TYPES,
    DEROGATIONS,
    DIPLOMAS,
    EMPLOYER_TYPES,
    FIRST_CONTRACT,
    LAST_CLASSES,
    LEVELS,
    NATIONALITIES,
    PAY_REFERENCES,
    PRIVATE_EMPLOYER_TYPES,
    SEXES,
    SITUATIONS,
    SOCIAL_SCHEMES,
    SPECIFIC_EMPLOYERS,
)
from contract_flow.domain.dossier.form import FORM, MAX_MENTORS, MAX_PAY_LINES
from contract_flow.domain.dossier.model import (
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
from contract_flow.domain.dossier.reading import Reader
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason

_MAX_WEEKLY_HOURS = 48  # L3121-20
_MAX_RATE = Decimal("999.99")  # the employer may pay more than the reference: never below the minimum
_NAMES = 100


def _keys(section: Section) -> tuple[str, ...]:
    return tuple(spec.key for spec in FORM[section])


def parse_employer(data: Mapping[str, object]) -> Employer:
    read = Reader(data, "employer", _keys(Section.EMPLOYER))
    employer = Employer(
        public=read.flag("public"), siret=read.siret("siret"), name=read.text("name"),
        address=read.address("address"), phone=read.phone("phone"), email=read.email("email"),
        employer_type=read.code("employer_type", EMPLOYER_TYPES),
        specific_employer=read.code("specific_employer", SPECIFIC_EMPLOYERS),
        headcount=read.whole("headcount", 0, 999_999), idcc_code=read.idcc("idcc_code"),
        idcc_name=read.text("idcc_name", 300), naf_code=read.naf("naf_code"), opco=read.text("opco", _NAMES),
    )
    kind = employer.employer_type
    if employer.public is not None and kind is not None and (kind in PRIVATE_EMPLOYER_TYPES) == employer.public:
        raise InvalidInput("employer.employer_type", Reason(
            "employer_type_public" if employer.public else "employer_type_private", kind=kind))
    return employer


def parse_apprentice(data: Mapping[str, object]) -> Apprentice:
    read = Reader(data, "apprentice", _keys(Section.APPRENTICE))
    apprentice = Apprentice(
        last_name=read.text("last_name", _NAMES), usage_name=read.text("usage_name", _NAMES),
        first_name=read.text("first_name", _NAMES), sex=read.code("sex", SEXES), birth_date=read.day("birth_date"),
        born_in_france=read.flag("born_in_france"), birth_town=read.text("birth_town", _NAMES),
        birth_department=read.department("birth_department"), nir=read.nir("nir"),
        nationality=read.code("nationality", NATIONALITIES), social_scheme=read.code("social_scheme", SOCIAL_SCHEMES),
        address=read.address("address"), phone=read.phone("phone"), email=read.email("email"),
        rqth=read.flag("rqth"), boe=read.flag("boe"), disability_equivalence=read.flag("disability_equivalence"),
        business_creation=read.flag("business_creation"), high_level_athlete=read.flag("high_level_athlete"),
        situation_before=read.code("situation_before", SITUATIONS),
        last_diploma_prepared=read.code("last_diploma_prepared", DIPLOMAS),
        last_diploma_title=read.text("last_diploma_title"), highest_diploma=read.code("highest_diploma", DIPLOMAS),
        last_class=read.code("last_class", LAST_CLASSES), minor=read.flag("minor"),
        not_emancipated=read.flag("not_emancipated"),
        legal_representative=LegalRepresentative(
            name=read.text("legal_representative.name", _NAMES), email=read.email("legal_representative.email"),
            address=read.address("legal_representative.address")),
    )
    _check_birth_place(apprentice)
    if apprentice.minor is False and apprentice.not_emancipated:
        raise InvalidInput("apprentice.not_emancipated", Reason("adult_not_emancipated"))
    if apprentice.minor is False and not apprentice.legal_representative.is_empty:
        raise InvalidInput("apprentice.legal_representative.name", Reason("adult_signs_alone"))
    _check_nir(apprentice)
    return apprentice


def _check_birth_place(apprentice: Apprentice) -> None:
    department, in_france = apprentice.birth_department, apprentice.born_in_france
    if department is None or in_france is None:
        return
    if in_france and department == BORN_ABROAD:
        raise InvalidInput("apprentice.birth_department", Reason("born_in_france_99"))
    if not in_france and department != BORN_ABROAD:
        raise InvalidInput("apprentice.birth_department", Reason("born_abroad_not_99", department=department))


def _check_nir(apprentice: Apprentice) -> None:
    """The NIR starts with the sex (1 a man, 2 a woman; 3, 4, 7, 8 for provisional numbers), then the last two
    digits of the birth year and the birth month (20 and above when the month was unknown) (INSEE)."""
    number, sex, born = apprentice.nir, apprentice.sex, apprentice.birth_date
    if number is None:
        return
    if sex is not None and number[0] in "12" and number[0] != ("1" if sex == "M" else "2"):
        raise InvalidInput("apprentice.nir", Reason("nir_sex_man" if number[0] == "1" else "nir_sex_woman",
                                                    digit=number[0], sex=sex))
    if born is None:
        return
    if number[1:3] != f"{born.year % 100:02d}":
        raise InvalidInput("apprentice.nir", Reason("nir_year", digits=number[1:3], year=f"{born.year % 100:02d}",
                                                    born=born))
    if "01" <= number[3:5] <= "12" and number[3:5] != f"{born.month:02d}":
        raise InvalidInput("apprentice.nir", Reason("nir_month", digits=number[3:5], month=f"{born.month:02d}",
                                                    born=born))


def parse_mentor(data: Mapping[str, object], number: int = 1) -> Mentor:
    read = Reader(data, f"mentors.{number}", _keys(Section.MENTORS))
    return Mentor(
        last_name=read.text("last_name", _NAMES), first_name=read.text("first_name", _NAMES),
        birth_date=read.day("birth_date"), job=read.text("job"), diploma=read.text("diploma"),
        diploma_level=read.code("diploma_level", LEVELS), diploma_in_field=read.flag("diploma_in_field"),
        experience_years=read.whole("experience_years", 0, 60, " years"), email=read.email("email"),
        eligibility_attested=read.flag("eligibility_attested"),
    )


def _numbered(section: str, data: Mapping[str, object], most: int, example: str) -> list[dict[str, object]]:
    """Items numbered from 1 ("1.last_name", "2.rate"), without a gap; an item whose values are all empty is none
    (a form sends the second mentor's fields empty)."""
    groups: dict[int, dict[str, object]] = {}
    for key, value in data.items():
        number, dot, rest = key.partition(".")
        if not (dot and number.isascii() and number.isdigit() and len(number) <= 2 and 1 <= int(number) <= most):
            raise InvalidInput(f"{section}.{key}"[:120], Reason("numbered_fields", most=most, example=example))
        groups.setdefault(int(number), {})[rest] = value
    filled = [number for number in sorted(groups) if any(
        value is not None and not (isinstance(value, str) and not value.strip()) for value in groups[number].values())]
    if filled != list(range(1, len(filled) + 1)):
        gap = next(number for number in range(1, most + 1) if number not in filled)
        raise InvalidInput(f"{section}.{gap}", Reason("numbered_gap", gap=gap, filled=filled[-1]))
    return [groups[number] for number in filled]


def parse_mentors(data: Mapping[str, object]) -> Mentors:
    """One or two mentors, "1.<field>" and "2.<field>"."""
    items = _numbered("mentors", data, MAX_MENTORS, "1.last_name, 2.email (at most two mentors)")
    return tuple(parse_mentor(item, number) for number, item in enumerate(items, start=1))


def parse_contract(data: Mapping[str, object]) -> ContractSection:
    read = Reader(data, "contract", _keys(Section.CONTRACT))
    contract = ContractSection(
        mode=read.code("mode", CONTRACT_MODES), contract_type=read.code("contract_type", CONTRACT_TYPES),
        derogation=read.code("derogation", DEROGATIONS),
        previous_contract_number=read.deca_number("previous_contract_number"),
        signature_date=read.day("signature_date"), start_date=read.day("start_date"),
        practical_training_start=read.day("practical_training_start"), end_date=read.day("end_date"),
        amendment_effective_date=read.day("amendment_effective_date"),
        weekly_hours=read.whole("weekly_hours", 0, _MAX_WEEKLY_HOURS, " hours (L3121-20: at most 48 a week)"),
        weekly_minutes=read.whole("weekly_minutes", 0, 59, " minutes"), risky_work=read.flag("risky_work"),
        smc=read.amount("smc"), hiring_pay=read.amount("hiring_pay"), food_benefit=read.amount("food_benefit"),
        housing_benefit=read.amount("housing_benefit"), other_benefits=read.flag("other_benefits"),
        pension_fund=read.text("pension_fund"), signature_place=read.text("signature_place", _NAMES),
        documents_attested=read.flag("documents_attested"),
    )
    start, end = contract.start_date, contract.end_date
    if start is not None and end is not None and end <= start:
        raise InvalidInput("contract.end_date", Reason("end_not_after_start", end=end, start=start))
    if contract.contract_type == FIRST_CONTRACT and contract.previous_contract_number is not None:
        raise InvalidInput("contract.previous_contract_number", Reason("first_contract_no_previous"))
    effective = contract.amendment_effective_date
    if effective is not None:
        if contract.contract_type is not None and not contract.is_amendment:
            raise InvalidInput("contract.amendment_effective_date",
                               Reason("effective_date_amendment_only", type_code=contract.contract_type))
        if (start is not None and effective < start) or (end is not None and effective > end):
            raise InvalidInput("contract.amendment_effective_date", Reason("effective_outside", effective=effective))
    _check_weekly_time(contract)
    return contract


def _check_weekly_time(contract: ContractSection) -> None:
    hours, minutes = contract.weekly_hours, contract.weekly_minutes
    if hours is None:
        if minutes is not None:
            raise InvalidInput("contract.weekly_hours", Reason("hours_with_minutes"))
        return
    if hours == 0 and not minutes:
        raise InvalidInput("contract.weekly_hours", Reason("weekly_time_zero"))
    if hours == _MAX_WEEKLY_HOURS and minutes:
        raise InvalidInput("contract.weekly_minutes", Reason("weekly_time_over", minutes=minutes))


def parse_pay_line(data: Mapping[str, object], number: int = 1) -> PayLine:
    read = Reader(data, f"pay.{number}", _keys(Section.PAY))
    line = PayLine(
        contract_year=read.whole("contract_year", 1, 4, " (at most 4 years: R6222-47)"), start=read.day("start"),
        end=read.day("end"), rate=read.percent("rate", _MAX_RATE),
        minimum_rate=read.percent("minimum_rate", Decimal(100)), reference=read.code("reference", PAY_REFERENCES),
        monthly_gross=read.amount("monthly_gross"),
    )
    if line.start is not None and line.end is not None and line.end < line.start:
        raise InvalidInput(f"pay.{number}.end", Reason("pay_line_end_before", end=line.end, start=line.start))
    return line


def parse_pay_lines(data: Mapping[str, object]) -> PayLines:
    """The pay lines, "1.<field>" to "12.<field>", each starting after the one before ends."""
    items = _numbered("pay", data, MAX_PAY_LINES, "1.rate, 2.start")
    lines = tuple(parse_pay_line(item, number) for number, item in enumerate(items, start=1))
    for number, (before, line) in enumerate(pairwise(lines), start=2):
        if before.end is not None and line.start is not None and line.start <= before.end:
            raise InvalidInput(f"pay.{number}.start", Reason("pay_line_overlap", start=line.start, line=number - 1,
                                                             end=before.end))
    return lines


def parse_training(data: Mapping[str, object]) -> Training:
    read = Reader(data, "training", _keys(Section.TRAINING))
    training = Training(
        cfa_run_by_employer=read.flag("cfa_run_by_employer"), cfa_siret=read.siret("cfa_siret"),
        cfa_uai=read.uai("cfa_uai"), cfa_name=read.text("cfa_name"), cfa_address=read.address("cfa_address"),
        place_siret=read.siret("place_siret"), place_uai=read.uai("place_uai"), place_name=read.text("place_name"),
        place_address=read.address("place_address"), rncp_code=read.rncp("rncp_code"),
        diploma_code=read.diploma_code("diploma_code"), title=read.text("title", 300),
        diploma_type=read.code("diploma_type", DIPLOMAS), training_start=read.day("training_start"),
        exams_end=read.day("exams_end"), training_hours=read.whole("training_hours", 1, 99_999, " hours"),
        remote_hours=read.whole("remote_hours", 0, 99_999, " hours"),
    )
    start, end = training.training_start, training.exams_end
    if start is not None and end is not None and end <= start:
        raise InvalidInput("training.exams_end", Reason("exams_before_training", end=end, start=start))
    hours, remote = training.training_hours, training.remote_hours
    if hours is not None and remote is not None and remote > hours:
        raise InvalidInput("training.remote_hours", Reason("remote_over_total", remote=remote, hours=hours))
    return training


_PARSERS: Mapping[Section, Callable[[Mapping[str, object]], SectionValue]] = {
    Section.EMPLOYER: parse_employer, Section.APPRENTICE: parse_apprentice, Section.MENTORS: parse_mentors,
    Section.CONTRACT: parse_contract, Section.PAY: parse_pay_lines, Section.TRAINING: parse_training,
}


def section_named(name: str) -> Section:
    try:
        return Section(name)
    except ValueError:
        raise InvalidInput("section", f"{name[:40]!r} is not a section of the dossier ("
                                      f"{', '.join(Section)})") from None


def parse_section(section: Section | str, data: Mapping[str, object]) -> SectionValue:
    """The section `section` ("employer", "apprentice", "mentors", "contract", "pay", "training") from `data`."""
    return _PARSERS[section_named(section)](data)


def parse_dossier(data: Mapping[str, Mapping[str, object]]) -> Dossier:
    """A whole dossier from each section's data (`dossier_data`'s form); absent sections are empty."""
    dossier = Dossier()
    for name, section_data_ in data.items():
        section = section_named(name)
        dossier = dossier.with_section(section, parse_section(section, section_data_))
    return dossier


def _text(value: object) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _flat(value: object, prefix: str = "") -> dict[str, str]:
    """A section's values by key ("address.street"), absent ones left out."""
    found: dict[str, str] = {}
    assert is_dataclass(value)
    for part in fields(value):
        item = getattr(value, part.name)
        if is_dataclass(item):
            found.update(_flat(item, f"{prefix}{part.name}."))
        elif item is not None:
            found[f"{prefix}{part.name}"] = _text(item)
    return found


def section_data(section: Section | str, value: SectionValue) -> dict[str, str]:
    """What `parse_section` reads back into `value`: texts by key, absent values left out."""
    if isinstance(value, tuple):
        return {f"{number}.{key}": text for number, item in enumerate(value, start=1)
                for key, text in _flat(item).items()}
    return _flat(value)


def dossier_data(dossier: Dossier) -> dict[str, dict[str, str]]:
    """Every section's `section_data` (what the JSON document and the stored versions hold)."""
    return {section.value: section_data(section, dossier.section(section)) for section in Section}
