"""A complete, lawful dossier for the brochure's programme (mechatronics, 3 years from 1 September 2026, level 7):
Léa Martin, 22 on the start, hired by Industrie SA with Marie Maître as her mentor; the real rule set."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from decimal import Decimal
from functools import cache
from typing import Any

import pytest

from contract_flow.domain.case import ALL_PARTS, Candidate, Case, ContractTerms, ProgrammeTerms, Track
from contract_flow.domain.dossier import Dossier, Section, parse_dossier, pay_lines, section_data
from contract_flow.domain.legal import NO_SCHOOL, LegalRules
from contract_flow.rulefiles import load_ruleset

PROGRAMME = ProgrammeTerms(code="mecatronique", years=3, seats=40, start_date=date(2026, 9, 1), level=7)
BIRTH_DATE = date(2004, 5, 17)
START = date(2026, 9, 1)
END = date(2029, 8, 31)
SIGNED = date(2026, 6, 15)
VALID_SIRET = "73282932000074"
CFA_SIRET = "44306184100047"
CFA_UAI = "0300063F"
#: 2 (a woman), born in 2004 (04), in May (05), in the Gard (30), commune 007 (Alès), order 123, key 96.
VALID_NIR = "204053000712396"

EMPLOYER: dict[str, str] = {
    "public": "no", "siret": VALID_SIRET, "name": "Industrie SA", "address.number": "12",
    "address.street": "rue de la Mine", "address.postcode": "30100", "address.town": "Alès",
    "phone": "04 66 78 50 00", "email": "rh@industrie.example", "employer_type": "12", "specific_employer": "0",
    "headcount": "250", "idcc_code": "3248", "idcc_name": "Convention collective nationale de la métallurgie",
    "naf_code": "28.99B", "opco": "OPCO 2i",
}
APPRENTICE: dict[str, str] = {
    "last_name": "Martin", "first_name": "Léa", "sex": "F", "birth_date": BIRTH_DATE.isoformat(),
    "born_in_france": "yes", "birth_town": "Alès", "birth_department": "30", "nir": VALID_NIR, "nationality": "1",
    "social_scheme": "2", "address.street": "3 place de la Mairie", "address.postcode": "30100",
    "address.town": "Alès", "phone": "06 12 34 56 78", "email": "lea.martin@example.org", "rqth": "no",
    "business_creation": "no", "high_level_athlete": "no", "situation_before": "3", "last_diploma_prepared": "55",
    "last_diploma_title": "DUT Génie mécanique et productique", "highest_diploma": "55", "last_class": "01",
    "minor": "no",
}
MENTOR: dict[str, str] = {
    "last_name": "Maître", "first_name": "Marie", "birth_date": "1980-03-02", "job": "Ingénieure mécatronique",
    "diploma": "Diplôme d'ingénieur", "diploma_level": "7", "diploma_in_field": "yes", "experience_years": "10",
    "email": "marie.maitre@industrie.example", "eligibility_attested": "yes",
}
CONTRACT: dict[str, str] = {
    "mode": "1", "contract_type": "11", "signature_date": SIGNED.isoformat(), "start_date": START.isoformat(),
    "practical_training_start": START.isoformat(), "end_date": END.isoformat(), "weekly_hours": "35",
    "weekly_minutes": "0", "risky_work": "no", "hiring_pay": "1900.00", "pension_fund": "Malakoff Humanis",
    "signature_place": "Alès", "documents_attested": "yes",
}
TRAINING: dict[str, str] = {
    "cfa_run_by_employer": "no", "cfa_siret": CFA_SIRET, "cfa_uai": CFA_UAI, "cfa_name": "CFA IMT Mines Alès",
    "cfa_address.street": "6 avenue de Clavières", "cfa_address.postcode": "30100", "cfa_address.town": "Alès",
    "rncp_code": "RNCP37412", "diploma_code": "17025203",
    "title": "Ingénieur diplômé de l'IMT Mines Alès, spécialité mécatronique", "diploma_type": "74",
    "training_start": START.isoformat(), "exams_end": "2029-06-30", "training_hours": "1800", "remote_hours": "0",
}


@cache
def legal_rules() -> LegalRules:
    return LegalRules(load_ruleset(), lambda code: NO_SCHOOL)


@pytest.fixture(scope="session")
def rules() -> LegalRules:
    return legal_rules()


def make_case(birth_date: date = BIRTH_DATE, programme: ProgrammeTerms = PROGRAMME, **terms: Any) -> Case:
    """Léa's case with the contract being prepared (the facts the engine already holds)."""
    case = Case(id=7, programme=programme, candidate=Candidate("Léa", "Martin", birth_date, "lea.martin@example.org"),
                track=Track.STANDARD, loaded=set(ALL_PARTS))
    case.contract = ContractTerms(**{
        "signature_date": SIGNED, "start_date": START, "end_date": END, "employer_siret": VALID_SIRET,
        "employer_name": "Industrie SA", "employer_email": "rh@industrie.example", "mentor_name": "Marie Maître",
        "mentor_email": "marie.maitre@industrie.example", "gross_monthly_pay": Decimal("1900.00"),
        "weekly_hours": Decimal(35), **terms})
    return case


def dossier_data(**changes: Mapping[str, str]) -> dict[str, dict[str, str]]:
    """The complete dossier's data, each section updated with `changes[section]` (an empty text removes a value)."""
    case = make_case()
    lines = section_data(Section.PAY, pay_lines(legal_rules(), case, agreed=Decimal("1900.00")))
    data = {"employer": EMPLOYER, "apprentice": APPRENTICE, "mentors": {f"1.{k}": v for k, v in MENTOR.items()},
            "contract": CONTRACT, "pay": lines, "training": TRAINING}
    return {name: {key: value for key, value in {**section, **changes.get(name, {})}.items() if value}
            for name, section in data.items()}


def complete_dossier(**changes: Mapping[str, str]) -> Dossier:
    return parse_dossier(dossier_data(**changes))
