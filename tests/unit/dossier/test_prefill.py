"""The dossier pre-filled from what the case holds: nothing typed twice."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from contract_flow.domain.dossier import (
    Section,
    Training,
    from_case,
    missing_in,
    parse_section,
    parse_training,
    pay_lines,
    section_data,
)
from contract_flow.domain.dossier.prefill import split_name, weekly_time
from contract_flow.domain.legal import LegalRules
from tests.unit.dossier.conftest import CFA_SIRET, TRAINING, VALID_SIRET, make_case


def test_the_case_fills_the_employer_the_apprentice_the_mentor_and_the_contract(rules: LegalRules) -> None:
    dossier = from_case(make_case(weekly_hours=Decimal("35.5")), rules=rules)
    assert (dossier.employer.siret, dossier.employer.name, dossier.employer.email) == (
        VALID_SIRET, "Industrie SA", "rh@industrie.example")
    apprentice = dossier.apprentice
    assert (apprentice.first_name, apprentice.last_name, apprentice.birth_date, apprentice.minor) == (
        "Léa", "Martin", date(2004, 5, 17), False)
    (mentor,) = dossier.mentors
    assert (mentor.first_name, mentor.last_name, mentor.email) == ("Marie", "Maître", "marie.maitre@industrie.example")
    contract = dossier.contract
    assert (contract.contract_type, contract.start_date, contract.practical_training_start, contract.end_date) == (
        "11", date(2026, 9, 1), date(2026, 9, 1), date(2029, 8, 31))
    assert (contract.weekly_hours, contract.weekly_minutes, contract.hiring_pay) == (35, 30, Decimal("1900.00"))
    assert dossier.pay_lines == pay_lines(rules, make_case(), agreed=Decimal("1900.00"))


def test_the_programmes_training_is_taken_with_its_start(rules: LegalRules) -> None:
    configured = parse_training({key: value for key, value in TRAINING.items() if key != "training_start"})
    dossier = from_case(make_case(), configured, rules=rules)
    assert dossier.training.cfa_siret == CFA_SIRET
    assert dossier.training.training_start == date(2026, 9, 1)  # the programme's start
    assert from_case(make_case()).training == Training(training_start=date(2026, 9, 1))


def test_a_minors_legal_representative_is_carried_over(rules: LegalRules) -> None:
    case = make_case(birth_date=date(2009, 2, 10))
    case.legal_representative_email = "paul.martin@example.org"
    dossier = from_case(case, rules=rules)
    assert dossier.apprentice.minor is True
    assert dossier.apprentice.legal_representative.email == "paul.martin@example.org"
    assert dossier.apprentice.not_emancipated is None  # the family says it
    assert len(dossier.pay_lines) == 4  # year 1 split at her 18th birthday's next month


def test_without_rules_nothing_computed_is_guessed() -> None:
    dossier = from_case(make_case())
    assert dossier.pay_lines == ()
    assert dossier.apprentice.minor is None


def test_a_case_without_dates_gives_a_dossier_to_fill(rules: LegalRules) -> None:
    dossier = from_case(make_case(signature_date=None, start_date=None, end_date=None, mentor_name=None,
                                  mentor_email=None, weekly_hours=None), rules=rules)
    assert (dossier.mentors, dossier.pay_lines, dossier.contract.weekly_hours) == ((), (), None)
    assert "contract.start_date" in [absent.field for absent in missing_in(dossier)]


def test_the_over_29_derogation_code_is_prefilled(rules: LegalRules) -> None:
    dossier = from_case(make_case(birth_date=date(1994, 1, 10)), rules=rules)
    assert dossier.contract.derogation == "12"


def test_what_the_case_gives_reads_back_as_the_form_would(rules: LegalRules) -> None:
    dossier = from_case(make_case(), parse_training(TRAINING), rules=rules)
    for section in Section:
        value = dossier.section(section)
        assert parse_section(section, section_data(section, value)) == value


@pytest.mark.parametrize(("hours", "expected"), [("35", (35, 0)), ("35.5", (35, 30)), ("37.33", (37, 20)),
                                                 ("47.999", (48, 0))])
def test_weekly_hours_become_hours_and_minutes(hours: str, expected: tuple[int, int]) -> None:
    assert weekly_time(Decimal(hours)) == expected


@pytest.mark.parametrize(("name", "expected"), [("Marie Maître", ("Marie", "Maître")),
                                                ("Marie-Claire de La Tour", ("Marie-Claire", "de La Tour")),
                                                ("Maître", ("", "Maître"))])
def test_a_mentors_name_is_split_into_first_and_last(name: str, expected: tuple[str, str]) -> None:
    assert split_name(name) == expected
