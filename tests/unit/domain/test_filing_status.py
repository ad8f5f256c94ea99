"""The signed contract's filing with the OPCO and its answer (issue 14, item 6): the DECA number's format
(PUBLIC-SYSTEMS.md §1), the filing's status on a day (D6224-2: silence past the 20th day is a refusal, CRPA
L231-4), and what may be recorded when."""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest

from contract_flow.domain.case import ContractTerms
from contract_flow.domain.errors import InvalidInput, NotNow
from contract_flow.domain.filing import (
    Decision,
    FilingStatus,
    check_decision,
    check_filing,
    decide,
    file_with_opco,
    filing_of,
)
from contract_flow.domain.identifiers import deca_number_problem, normalise_deca_number

SIGNED = date(2026, 8, 20)
FILED = date(2026, 9, 3)
DUE = date(2026, 9, 23)  # filed on + 20 days
DECA = "02B202212000000"


@pytest.mark.parametrize("number", [
    pytest.param(DECA, id="PUBLIC-SYSTEMS.md's example: Haute-Corse, December 2022"),
    pytest.param("075202609NC0001", id="Paris, NC in the two characters"),
    pytest.param("02A202601120042", id="Corse-du-Sud"),
    pytest.param("95202609000001", id="a 9x département written on 2 characters"),
    pytest.param("974202610990001", id="La Réunion"),
])
def test_a_deca_number_of_the_registers_format_is_accepted(number: str) -> None:
    assert deca_number_problem(number) is None


@pytest.mark.parametrize("number", [
    pytest.param("02B20221200000", id="one digit short"),
    pytest.param("02B2022120000000", id="one digit too many"),
    pytest.param("02C202212000000", id="no département 02C"),
    pytest.param("975202612000000", id="975 is no DOM of the register (971-974, 976)"),
    pytest.param("075202621000000", id="month 21"),
    pytest.param("075202609XX0001", id="XX is neither NC nor digits"),
    pytest.param("RNCP37412", id="another identifier"),
    pytest.param("", id="empty"),
])
def test_a_deca_number_of_another_shape_is_refused_saying_what_it_is(number: str) -> None:
    assert "not a DECA contract number" in (deca_number_problem(number) or "")


def test_a_deca_number_is_read_as_people_type_it() -> None:
    assert normalise_deca_number(" 02b 2022 12 00 0000 ") == DECA


def signed(**changes: Any) -> ContractTerms:
    terms = ContractTerms(signature_date=SIGNED, start_date=date(2026, 9, 1), signed=True)
    for name, value in changes.items():
        setattr(terms, name, value)
    return terms


def filed(**changes: Any) -> ContractTerms:
    return signed(opco_filed_on=FILED, opco_name="OPCO 2i", opco_decision_due=DUE, **changes)


@pytest.mark.parametrize(("terms", "today", "status"), [
    pytest.param(signed(), FILED, FilingStatus.NOT_FILED, id="signed, not filed"),
    pytest.param(filed(), FILED, FilingStatus.WAITING, id="filed today"),
    pytest.param(filed(), DUE, FilingStatus.WAITING, id="D6224-2 the 20th day is still the OPCO's"),
    pytest.param(filed(), date(2026, 9, 24), FilingStatus.REFUSED_SILENCE,
                 id="D6224-2 the day after the 20th: the silence is a refusal"),
    pytest.param(filed(opco_decision="accepted", opco_decided_on=date(2026, 9, 15), deca_number=DECA),
                 date(2026, 12, 1), FilingStatus.ACCEPTED, id="accepted, however late the day"),
    pytest.param(filed(opco_decision="refused", opco_decided_on=date(2026, 9, 15),
                       opco_refusal_reason="convention de formation manquante"), date(2026, 9, 16),
                 FilingStatus.REFUSED, id="refused with its reason"),
])
def test_the_filings_status_on_a_day(terms: ContractTerms, today: date, status: FilingStatus) -> None:
    assert filing_of(terms, today).status is status


def test_a_refusal_keeps_its_reason_and_an_acceptance_its_number() -> None:
    refused = filing_of(filed(opco_decision="refused", opco_decided_on=FILED, opco_refusal_reason="pièce"), DUE)
    assert (refused.refused, refused.refusal_reason, refused.may_file, refused.may_decide) == (
        True, "pièce", True, False)
    accepted = filing_of(filed(opco_decision="accepted", opco_decided_on=FILED, deca_number=DECA), DUE)
    assert (accepted.refused, accepted.deca_number, accepted.may_file, accepted.may_decide) == (
        False, DECA, False, False)
    silent = filing_of(filed(), date(2026, 10, 1))
    assert (silent.refused, silent.may_file, silent.may_decide) == (True, True, True)


def test_filing_again_after_a_refusal_clears_the_answer() -> None:
    terms = filed(opco_decision="refused", opco_decided_on=date(2026, 9, 10), opco_refusal_reason="pièce")
    name = check_filing(terms, date(2026, 9, 12), "  OPCO   2i ", date(2026, 9, 12))
    file_with_opco(terms, date(2026, 9, 12), name)
    assert (terms.opco_filed_on, terms.opco_name, terms.opco_decision, terms.opco_decided_on,
            terms.opco_refusal_reason) == (date(2026, 9, 12), "OPCO 2i", None, None, None)


@pytest.mark.parametrize(("terms", "filed_on", "opco", "error", "field"), [
    pytest.param(ContractTerms(start_date=date(2026, 9, 1)), FILED, "OPCO 2i", NotNow, "filed_on",
                 id="not signed"),
    pytest.param(filed(opco_decision="accepted", opco_decided_on=FILED, deca_number=DECA), FILED, "OPCO 2i", NotNow,
                 "filed_on", id="already accepted"),
    pytest.param(signed(), date(2026, 8, 19), "OPCO 2i", InvalidInput, "filed_on", id="before the signature"),
    pytest.param(signed(), date(2026, 9, 4), "OPCO 2i", InvalidInput, "filed_on", id="in the future"),
    pytest.param(signed(), FILED, "  ", InvalidInput, "opco", id="no OPCO"),
    pytest.param(signed(), FILED, None, InvalidInput, "opco", id="no OPCO on the dossier either"),
])
def test_a_filing_is_refused_naming_the_field(terms: ContractTerms, filed_on: date, opco: str | None,
                                             error: type[InvalidInput], field: str) -> None:
    with pytest.raises(error) as refused:
        check_filing(terms, filed_on, opco, FILED)
    assert type(refused.value) is error
    assert refused.value.field == field


def test_an_acceptance_with_its_deca_number_and_a_refusal_with_its_reason() -> None:
    today = date(2026, 9, 20)
    assert check_decision(filed(), "Accepted", date(2026, 9, 18), today, deca_number="02b 2022 12 000000") == \
        Decision("accepted", date(2026, 9, 18), deca_number=DECA)
    refusal = check_decision(filed(), "refused", FILED, today, reason=" convention  de formation ")
    assert refusal == Decision("refused", FILED, reason="convention de formation")
    terms = filed()
    decide(terms, refusal)
    assert (terms.opco_decision, terms.opco_refusal_reason, terms.deca_number) == (
        "refused", "convention de formation", None)


def test_a_late_answer_after_the_silence_may_still_be_recorded() -> None:
    late = date(2026, 10, 5)
    assert check_decision(filed(), "accepted", late, late, deca_number=DECA).decision == "accepted"


@pytest.mark.parametrize(("terms", "values", "error", "field"), [
    pytest.param(filed(), {"decision": "maybe"}, InvalidInput, "decision", id="not a decision"),
    pytest.param(signed(), {}, NotNow, "decision", id="before the filing"),
    pytest.param(filed(opco_decision="refused", opco_decided_on=FILED, opco_refusal_reason="x"), {}, NotNow,
                 "decision", id="already answered: file again first"),
    pytest.param(filed(), {"decided_on": date(2026, 9, 2)}, InvalidInput, "decided_on", id="before the filing day"),
    pytest.param(filed(), {"decided_on": date(2026, 9, 21)}, InvalidInput, "decided_on", id="in the future"),
    pytest.param(filed(), {"deca_number": None}, InvalidInput, "deca_number", id="accepted without a DECA number"),
    pytest.param(filed(), {"deca_number": "02B20221200000"}, InvalidInput, "deca_number",
                 id="accepted with a DECA number of the wrong format"),
    pytest.param(filed(), {"reason": "x"}, InvalidInput, "reason", id="accepted with a reason"),
    pytest.param(filed(), {"decision": "refused", "deca_number": None}, InvalidInput, "reason",
                 id="refused without a reason"),
    pytest.param(filed(), {"decision": "refused", "deca_number": None, "reason": "   "}, InvalidInput, "reason",
                 id="refused with a blank reason"),
    pytest.param(filed(), {"decision": "refused", "reason": "x"}, InvalidInput, "deca_number",
                 id="refused with a DECA number"),
])
def test_a_decision_is_refused_naming_the_field(terms: ContractTerms, values: dict[str, Any],
                                               error: type[InvalidInput], field: str) -> None:
    given: dict[str, Any] = {"decision": "accepted", "decided_on": date(2026, 9, 18), "deca_number": DECA,
                             "reason": None, **values}
    with pytest.raises(error) as refused:
        check_decision(terms, given["decision"], given["decided_on"], date(2026, 9, 20),
                       deca_number=given["deca_number"], reason=given["reason"])
    assert type(refused.value) is error
    assert refused.value.field == field
