"""Every field type of the dossier refused naming the field when its value breaks its rule; values people type
normalised; each section given back by `section_data` as `parse_section` reads it."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest
from stdnum.fr import nir as stdnum_nir

from contract_flow.domain.dossier import (
    Section,
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
from contract_flow.domain.errors import InvalidInput
from tests.unit.dossier.conftest import APPRENTICE, CONTRACT, EMPLOYER, MENTOR, TRAINING, VALID_NIR, complete_dossier


def refused(parse: object, data: dict[str, object]) -> InvalidInput:
    assert callable(parse)
    with pytest.raises(InvalidInput) as raised:
        parse(data)
    return raised.value


def test_a_nir_with_a_wrong_key_is_refused_saying_which_key_it_should_be() -> None:
    problem = refused(parse_apprentice, {**APPRENTICE, "nir": VALID_NIR[:13] + "12"})
    assert problem.field == "apprentice.nir"
    assert problem.rule.startswith("the key 12 does not match the number (it should be 96)")


def test_a_nir_is_read_as_printed_on_a_carte_vitale() -> None:
    spaced = "2 04 05 30 007 123 96"
    assert parse_apprentice({**APPRENTICE, "nir": spaced}).nir == VALID_NIR


@pytest.mark.parametrize("nir", ["20405300071239", "20405300071X396", "2040530007123966", "3O4053000712396"])
def test_a_nir_of_the_wrong_shape_is_refused(nir: str) -> None:
    problem = refused(parse_apprentice, {**APPRENTICE, "nir": nir})
    assert problem.field == "apprentice.nir"
    assert "15 characters" in problem.rule


@pytest.mark.parametrize(("first_13", "words"), [
    ("1040530007123", "starts with 1 (a man) but the sex is F"),
    ("2030530007123", "birth year, which ends with 04"),
    ("2040630007123", "birth month, 05"),
])
def test_a_nir_with_its_key_right_but_of_someone_else_is_refused(first_13: str, words: str) -> None:
    problem = refused(parse_apprentice, {**APPRENTICE, "nir": first_13 + stdnum_nir.calc_check_digits(first_13)})
    assert problem.field == "apprentice.nir"
    assert words in problem.rule


@pytest.mark.parametrize("idcc", ["ABCD", "12345", "0", "3248a", "٣٢٤٨"])
def test_an_idcc_of_letters_or_of_the_wrong_length_is_refused(idcc: str) -> None:
    problem = refused(parse_employer, {**EMPLOYER, "idcc_code": idcc})
    assert problem.field == "employer.idcc_code"
    assert "4 digits" in problem.rule


def test_an_idcc_is_kept_on_four_digits_and_the_no_agreement_codes_are_codes() -> None:
    assert parse_employer({**EMPLOYER, "idcc_code": "843"}).idcc_code == "0843"
    assert parse_employer({**EMPLOYER, "idcc_code": "9999", "idcc_name": ""}).idcc_code == "9999"


@pytest.mark.parametrize("naf", ["28.99", "2899", "A28.99B", "28.99BB", "28,99B", "28-99-B"])
def test_a_naf_code_of_the_wrong_shape_is_refused(naf: str) -> None:
    problem = refused(parse_employer, {**EMPLOYER, "naf_code": naf})
    assert problem.field == "employer.naf_code"
    assert "28.99B" in problem.rule


@pytest.mark.parametrize("typed", ["2899b", "28 99 B", "28.99B", " 28.99b "])
def test_a_naf_code_is_read_with_or_without_its_dot(typed: str) -> None:
    assert parse_employer({**EMPLOYER, "naf_code": typed}).naf_code == "28.99B"


@pytest.mark.parametrize("number", ["02B2022120000", "02C202212000000", "02B202223000000", "02B2022120X0000",
                                    "98B202212000000"])
def test_a_deca_number_of_the_wrong_format_is_refused(number: str) -> None:
    problem = refused(parse_contract, {**CONTRACT, "contract_type": "22", "previous_contract_number": number})
    assert problem.field == "contract.previous_contract_number"
    assert "DECA" in problem.rule


@pytest.mark.parametrize("number", ["02B202212000000", "075202301NC1234", "974 2024 09 12 0042"])
def test_a_deca_number_in_the_documented_format_is_taken(number: str) -> None:
    contract = parse_contract({**CONTRACT, "contract_type": "22", "previous_contract_number": number})
    assert contract.previous_contract_number == "".join(number.split())


@pytest.mark.parametrize(("parse", "data", "field"), [
    (parse_employer, {**EMPLOYER, "siret": "73282932000075"}, "employer.siret"),
    (parse_employer, {**EMPLOYER, "employer_type": "17"}, "employer.employer_type"),
    (parse_employer, {**EMPLOYER, "employer_type": "22"}, "employer.employer_type"),  # a private employer
    (parse_employer, {**EMPLOYER, "specific_employer": "5"}, "employer.specific_employer"),
    (parse_employer, {**EMPLOYER, "headcount": "-3"}, "employer.headcount"),
    (parse_employer, {**EMPLOYER, "headcount": "1" * 5000}, "employer.headcount"),
    (parse_employer, {**EMPLOYER, "phone": "12"}, "employer.phone"),
    (parse_employer, {**EMPLOYER, "email": "rh@"}, "employer.email"),
    (parse_employer, {**EMPLOYER, "address.postcode": "3010"}, "employer.address.postcode"),
    (parse_employer, {**EMPLOYER, "name": "Industrie\x00SA"}, "employer.name"),
    (parse_employer, {**EMPLOYER, "public": "maybe"}, "employer.public"),
    (parse_employer, {**EMPLOYER, "website": "industrie.example"}, "employer.website"),
    (parse_apprentice, {**APPRENTICE, "sex": "X"}, "apprentice.sex"),
    (parse_apprentice, {**APPRENTICE, "birth_date": "17/05/2004"}, "apprentice.birth_date"),
    (parse_apprentice, {**APPRENTICE, "birth_date": "2004-02-30"}, "apprentice.birth_date"),
    (parse_apprentice, {**APPRENTICE, "birth_date": "9999-01-01"}, "apprentice.birth_date"),
    (parse_apprentice, {**APPRENTICE, "birth_department": "20"}, "apprentice.birth_department"),
    (parse_apprentice, {**APPRENTICE, "birth_department": "99"}, "apprentice.birth_department"),  # born in France
    (parse_apprentice, {**APPRENTICE, "nationality": "4"}, "apprentice.nationality"),
    (parse_apprentice, {**APPRENTICE, "social_scheme": "3"}, "apprentice.social_scheme"),
    (parse_apprentice, {**APPRENTICE, "situation_before": "13"}, "apprentice.situation_before"),
    (parse_apprentice, {**APPRENTICE, "highest_diploma": "99"}, "apprentice.highest_diploma"),
    (parse_apprentice, {**APPRENTICE, "last_class": "50"}, "apprentice.last_class"),
    (parse_apprentice, {**APPRENTICE, "not_emancipated": "yes"}, "apprentice.not_emancipated"),  # an adult
    (parse_apprentice, {**APPRENTICE, "legal_representative.name": "Paul Martin"},
     "apprentice.legal_representative.name"),
    (parse_apprentice, {**APPRENTICE, "legal_representative.email": "paul"}, "apprentice.legal_representative.email"),
    (parse_contract, {**CONTRACT, "mode": "5"}, "contract.mode"),
    (parse_contract, {**CONTRACT, "contract_type": "24"}, "contract.contract_type"),
    (parse_contract, {**CONTRACT, "derogation": "13"}, "contract.derogation"),
    (parse_contract, {**CONTRACT, "previous_contract_number": "02B202212000000"}, "contract.previous_contract_number"),
    (parse_contract, {**CONTRACT, "end_date": "2026-08-31"}, "contract.end_date"),
    (parse_contract, {**CONTRACT, "amendment_effective_date": "2027-01-01"}, "contract.amendment_effective_date"),
    (parse_contract, {**CONTRACT, "contract_type": "36", "amendment_effective_date": "2030-01-01"},
     "contract.amendment_effective_date"),
    (parse_contract, {**CONTRACT, "weekly_hours": "49"}, "contract.weekly_hours"),
    (parse_contract, {**CONTRACT, "weekly_hours": "48", "weekly_minutes": "30"}, "contract.weekly_minutes"),
    (parse_contract, {**CONTRACT, "weekly_minutes": "60"}, "contract.weekly_minutes"),
    (parse_contract, {**CONTRACT, "weekly_hours": "0"}, "contract.weekly_hours"),
    (parse_contract, {**CONTRACT, "weekly_hours": "35.5"}, "contract.weekly_hours"),
    (parse_contract, {**CONTRACT, "hiring_pay": "-1900"}, "contract.hiring_pay"),
    (parse_contract, {**CONTRACT, "hiring_pay": "1900.001"}, "contract.hiring_pay"),
    (parse_contract, {**CONTRACT, "smc": "NaN"}, "contract.smc"),
    (parse_contract, {**CONTRACT, "risky_work": ["no"]}, "contract.risky_work"),
    (parse_training, {**TRAINING, "cfa_uai": "0300063A"}, "training.cfa_uai"),
    (parse_training, {**TRAINING, "cfa_siret": "4430618410004"}, "training.cfa_siret"),
    (parse_training, {**TRAINING, "rncp_code": "RNCP12"}, "training.rncp_code"),
    (parse_training, {**TRAINING, "rncp_code": "RNCP123456"}, "training.rncp_code"),
    (parse_training, {**TRAINING, "diploma_code": "1702520"}, "training.diploma_code"),
    (parse_training, {**TRAINING, "diploma_code": "17025203A"}, "training.diploma_code"),
    (parse_training, {**TRAINING, "diploma_type": "75"}, "training.diploma_type"),
    (parse_training, {**TRAINING, "exams_end": "2026-08-01"}, "training.exams_end"),
    (parse_training, {**TRAINING, "remote_hours": "1801"}, "training.remote_hours"),
    (parse_training, {**TRAINING, "training_hours": "0"}, "training.training_hours"),
])
def test_a_value_breaking_its_rule_is_refused_naming_its_field(parse: object, data: dict[str, object],
                                                               field: str) -> None:
    assert refused(parse, data).field == field


def test_a_mentor_is_read_by_number_and_a_third_or_a_gap_is_refused() -> None:
    two = parse_mentors({**{f"1.{k}": v for k, v in MENTOR.items()}, "2.last_name": "Durand", "2.email": ""})
    assert [mentor.last_name for mentor in two] == ["Maître", "Durand"]
    assert parse_mentors({"2.last_name": "", "1.job": " "}) == ()
    assert refused(parse_mentors, {"3.last_name": "Durand"}).field == "mentors.3.last_name"
    assert refused(parse_mentors, {"2.last_name": "Durand"}).field == "mentors.1"
    assert refused(parse_mentors, {"last_name": "Durand"}).field == "mentors.last_name"
    assert refused(parse_mentors, {"1.diploma_level": "2"}).field == "mentors.1.diploma_level"
    assert refused(parse_mentors, {"1.experience_years": "61"}).field == "mentors.1.experience_years"


def test_pay_lines_are_read_in_order_and_an_overlap_is_refused() -> None:
    first = {"1.contract_year": "1", "1.start": "2026-09-01", "1.end": "2027-08-31", "1.rate": "53",
             "1.minimum_rate": "53", "1.reference": "smic", "1.monthly_gross": "989.52"}
    (line,) = parse_pay_lines(first)
    assert (line.rate, line.reference) == (Decimal("53.00"), "SMIC")
    overlap = {**first, "2.contract_year": "2", "2.start": "2027-08-31"}
    assert refused(parse_pay_lines, overlap).field == "pay.2.start"
    assert refused(parse_pay_lines, {**first, "1.rate": "0"}).field == "pay.1.rate"
    assert refused(parse_pay_lines, {**first, "1.rate": "1e999999"}).field == "pay.1.rate"
    assert refused(parse_pay_lines, {**first, "1.minimum_rate": "101"}).field == "pay.1.minimum_rate"
    assert refused(parse_pay_lines, {**first, "1.end": "2026-08-31"}).field == "pay.1.end"
    assert refused(parse_pay_lines, {**first, "1.contract_year": "5"}).field == "pay.1.contract_year"
    assert refused(parse_pay_lines, {"13.rate": "53"}).field == "pay.13.rate"


def test_values_typed_as_json_gives_them_are_read_like_texts() -> None:
    contract = parse_contract({**CONTRACT, "weekly_hours": 35, "risky_work": False, "hiring_pay": Decimal("1900"),
                               "start_date": date(2026, 9, 1)})
    assert (contract.weekly_hours, contract.risky_work, contract.hiring_pay) == (35, False, Decimal("1900.00"))
    assert refused(parse_contract, {**CONTRACT, "weekly_hours": True}).field == "contract.weekly_hours"
    assert parse_apprentice({**APPRENTICE, "nationality": 1}).nationality == "1"


def test_people_type_codes_phones_and_identifiers_their_own_way() -> None:
    apprentice = parse_apprentice({**APPRENTICE, "last_class": "1", "phone": "+33 (0)6 12 34 56 78",
                                   "birth_department": "2a", "born_in_france": "oui"})
    assert (apprentice.last_class, apprentice.phone, apprentice.birth_department) == ("01", "+33612345678", "2A")
    training = parse_training({**TRAINING, "rncp_code": "rncp 37412", "cfa_uai": "0300063f"})
    assert (training.rncp_code, training.cfa_uai) == ("RNCP37412", "0300063F")
    assert parse_training({**TRAINING, "rncp_code": "37412"}).rncp_code == "RNCP37412"
    assert parse_employer({**EMPLOYER, "phone": "0044 20 7946 0000"}).phone == "+442079460000"


def test_an_unknown_section_is_refused() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_section("signatures", {})
    assert raised.value.field == "section"


def test_each_section_comes_back_from_its_data() -> None:
    dossier = complete_dossier()
    for section in Section:
        value = dossier.section(section)
        assert parse_section(section, section_data(section, value)) == value
    assert parse_dossier(dossier_data(dossier)) == dossier
    assert section_data(Section.CONTRACT, dossier.contract)["risky_work"] == "no"
    assert section_data(Section.MENTORS, dossier.mentors)["1.diploma_level"] == "7"
