"""Each section says what it lacks: the form's required fields, and those required only in some cases."""

from __future__ import annotations

import pytest

from contract_flow.domain.dossier import (
    Dossier,
    Mentor,
    Missing,
    Section,
    is_complete,
    missing,
    missing_in,
    parse_apprentice,
    parse_contract,
    parse_employer,
    parse_mentors,
)
from contract_flow.domain.dossier.completeness import LEGAL_REPRESENTATIVE
from tests.unit.dossier.conftest import APPRENTICE, CONTRACT, EMPLOYER, MENTOR, complete_dossier


def fields(found: list[Missing]) -> list[str]:
    return [absent.field for absent in found]


def test_the_complete_dossier_lacks_nothing() -> None:
    assert missing_in(complete_dossier()) == []
    assert is_complete(complete_dossier())


def test_an_empty_dossier_lacks_every_required_field_in_the_forms_order() -> None:
    found = fields(missing_in(Dossier()))
    assert found[:3] == ["employer.public", "employer.siret", "employer.name"]
    assert "employer.opco" not in found  # not required by the form
    assert "apprentice.nir" not in found
    assert "mentors.1.last_name" in found
    assert "mentors.2.last_name" not in found
    assert {"pay.1.rate", "training.rncp_code"} <= set(found)
    assert not is_complete(Dossier())


def test_a_missing_field_says_its_label_and_why() -> None:
    (absent,) = missing(Section.EMPLOYER, parse_employer({**EMPLOYER, "naf_code": ""}))
    assert absent.field == "employer.naf_code"
    assert absent.label.fr == "Code activité de l'entreprise (NAF)"
    assert "employer.naf_code: Activity code (NAF) is missing" in str(absent)


def test_a_non_emancipated_minor_needs_a_legal_representative() -> None:
    minor = parse_apprentice({**APPRENTICE, "minor": "yes", "not_emancipated": "yes"})
    found = missing(Section.APPRENTICE, minor)
    assert fields(found) == ["apprentice.legal_representative.name", "apprentice.legal_representative.email",
                             "apprentice.legal_representative.address.street",
                             "apprentice.legal_representative.address.postcode",
                             "apprentice.legal_representative.address.town"]
    assert {absent.why for absent in found} == {LEGAL_REPRESENTATIVE}
    represented = parse_apprentice({
        **APPRENTICE, "minor": "yes", "not_emancipated": "yes", "legal_representative.name": "Paul Martin",
        "legal_representative.email": "paul.martin@example.org",
        "legal_representative.address.street": "3 place de la Mairie",
        "legal_representative.address.postcode": "30100", "legal_representative.address.town": "Alès"})
    assert missing(Section.APPRENTICE, represented) == []


def test_a_minor_says_whether_emancipated_and_an_emancipated_one_signs_alone() -> None:
    assert fields(missing(Section.APPRENTICE, parse_apprentice({**APPRENTICE, "minor": "yes"}))) == [
        "apprentice.not_emancipated"]
    emancipated = parse_apprentice({**APPRENTICE, "minor": "yes", "not_emancipated": "no"})
    assert missing(Section.APPRENTICE, emancipated) == []


def test_the_agreements_name_is_not_asked_without_an_agreement() -> None:
    without = parse_employer({**EMPLOYER, "idcc_code": "9999", "idcc_name": ""})
    assert missing(Section.EMPLOYER, without) == []
    unnamed = parse_employer({**EMPLOYER, "idcc_name": ""})
    assert fields(missing(Section.EMPLOYER, unnamed)) == ["employer.idcc_name"]


def test_a_successive_contract_and_an_amendment_name_the_contract_before() -> None:
    successive = parse_contract({**CONTRACT, "contract_type": "22"})
    assert fields(missing(Section.CONTRACT, successive)) == ["contract.previous_contract_number"]
    amendment = parse_contract({**CONTRACT, "contract_type": "36"})
    assert fields(missing(Section.CONTRACT, amendment)) == ["contract.previous_contract_number",
                                                            "contract.amendment_effective_date"]


def test_a_second_mentor_given_is_required_whole() -> None:
    mentors = parse_mentors({**{f"1.{k}": v for k, v in MENTOR.items()}, "2.last_name": "Durand"})
    found = fields(missing(Section.MENTORS, mentors))
    assert found[0] == "mentors.2.first_name"
    assert all(field.startswith("mentors.2.") for field in found)
    assert missing(Section.MENTORS, (Mentor(),))[0].field == "mentors.1.last_name"


def test_a_pay_line_of_the_smc_needs_the_smc() -> None:
    dossier = complete_dossier(pay={"1.reference": "SMC"})
    assert fields(missing_in(dossier)) == ["contract.smc"]
    assert missing_in(complete_dossier(pay={"1.reference": "SMC"}, contract={"smc": "2500.00"})) == []


def test_a_section_given_for_another_is_a_programming_error() -> None:
    with pytest.raises(TypeError):
        missing(Section.CONTRACT, parse_employer(EMPLOYER))
    with pytest.raises(TypeError):
        missing(Section.PAY, (Mentor(),))
