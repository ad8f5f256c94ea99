"""The contract dossier from end to end (issue 14, item 10) on SQLite and PostgreSQL: an empty case of the brochure's
programme, its dossier filled by the people who know it (the mentor the employer and mentors, the apprentice her
identity, the advisor the rest), signed, filed with the OPCO, accepted with its DECA number, then amended; each kept
version downloadable again as it was, the PDF read back section by section."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from pypdf import PdfReader

from contract_flow.adapters.clock import FixedClock
from contract_flow.bootstrap import App
from contract_flow.domain.context import PARIS
from contract_flow.domain.filing import FilingStatus
from contract_flow.domain.states import CaseState
from contract_flow.services.amendments import amend_contract
from contract_flow.services.cases import advance, show
from contract_flow.services.dossier import check_dossier, set_section, show_dossier
from contract_flow.services.dossier_downloads import dossier_json_of, dossier_pdf, list_dossier_versions
from contract_flow.services.filing import file_contract, filing_board, record_opco_decision
from tests.conftest import People
from tests.support.cases import open_candidate, start_on_its_day, walk
from tests.support.dossier import APPRENTICE, CONTRACT, EMPLOYER, MENTOR, a_nir

pytestmark = pytest.mark.postgres

DECA = "030202609000123"


def paris(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=PARIS).astimezone(UTC)


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def test_an_empty_case_to_an_accepted_contract_and_its_amendment(app: App, people: People, clock: FixedClock) -> None:
    clock.set(paris(date(2026, 8, 18)))
    case_id = open_candidate(app)
    walk(app, case_id, "sign", advisor=people.advisor, lead=people.lead)  # offer chosen, project validated
    empty = show_dossier(app, case_id, actor_email=people.advisor)
    assert not empty.complete
    assert {part.version for part in empty.sections.values()} == {0}

    # each fills what they know, on their own section
    case = str(case_id)
    set_section(app, case_id, "contract", {**CONTRACT, "signature_date": "2026-08-20", "signature_place": "Alès",
                                           "end_date": "2029-08-31"}, actor_email=people.advisor)
    set_section(app, case_id, "mentors", {"1.first_name": "Marie", "1.last_name": "Maître", "1.email": people.mentor},
                actor_email=people.advisor)
    set_section(app, case_id, "employer", EMPLOYER, actor_email=people.mentor)
    set_section(app, case_id, "mentors", {f"1.{key}": value for key, value in MENTOR.items()},
                actor_email=people.mentor)
    set_section(app, case_id, "apprentice", {**APPRENTICE, "nir": a_nir(empty)}, actor_email=people.apprentice)
    assert [refusal.field for refusal in check_dossier(app, case_id, actor_email=people.lead)] == [
        "training.exams_end"]
    view = set_section(app, case_id, "training", {"exams_end": "2029-06-30"}, actor_email=people.advisor)
    assert (view.complete, view.lawful, view.signable) == (True, True, True), case

    clock.set(paris(date(2026, 8, 20)))
    advance(app, case_id, "sign", actor_email=people.advisor)
    assert show(app, case_id).case.state is CaseState.SIGNED
    [signed] = list_dossier_versions(app, case_id, actor_email=people.advisor)
    assert (signed.version, signed.kind) == (1, "signed")
    signed_pdf, name = dossier_pdf(app, case_id, actor_email=people.advisor, version=1)
    assert name.endswith(".pdf")
    text = pdf_text(signed_pdf)
    titles = ["L'employeur", "L'apprenti(e)", "Maître d'apprentissage 1", "Le contrat", "Rémunération, ligne 1",
              "La formation"]
    positions = [text.find(title) for title in titles]
    assert -1 not in positions, (titles, positions)
    assert positions == sorted(positions), (titles, positions)  # the form's order
    for value in ("Léa", "Martin", "Industrie SA", "3248", "Maître", "RNCP37412", "Alès"):
        assert value in text, value

    # filed five days later, accepted by the OPCO with its DECA number
    clock.set(paris(date(2026, 8, 25)))
    filing = file_contract(app, case_id, filed_on=date(2026, 8, 25), actor_email=people.advisor)
    assert filing.status is FilingStatus.WAITING
    start_on_its_day(app, case_id)
    clock.set(paris(date(2026, 9, 3)))
    accepted = record_opco_decision(app, case_id, decision="accepted", decided_on=date(2026, 9, 3),
                                    deca_number=DECA, actor_email=people.advisor)
    assert (accepted.status, show(app, case_id).case.contract.deca_number) == (FilingStatus.ACCEPTED, DECA)
    counts = filing_board(app, today=date(2026, 9, 3))["mecatronique"]
    assert (counts.signed, counts.accepted, counts.waiting, counts.refused) == (1, 1, 0, 0)

    # the weekly hours change from October: amendment 36, a second version; the first one is kept as signed
    clock.set(paris(date(2026, 9, 20)))
    amendment = amend_contract(app, case_id, type_code="36", effective_on="2026-10-01",
                               reason="Horaires de l'atelier", changes={"contract.weekly_hours": "32"},
                               actor_email=people.advisor)
    assert amendment.dossier_version == 2
    assert show(app, case_id).case.contract.weekly_hours == 32
    assert [(kept.version, kept.kind) for kept in list_dossier_versions(app, case_id, actor_email=people.lead)] == [
        (1, "signed"), (2, "amendment")]
    assert dossier_pdf(app, case_id, actor_email=people.advisor, version=1)[0] == signed_pdf
    amended = dossier_json_of(app, case_id, actor_email=people.advisor, version=2)
    assert amended["version"] == 2
    amended_text = pdf_text(dossier_pdf(app, case_id, actor_email=people.advisor, version=2)[0])
    assert DECA in amended_text.replace(" ", "")  # the amended contract's number in DECA
    first = dossier_json_of(app, case_id, actor_email=people.advisor, version=1)
    assert (field_of(first, "contract.weekly_hours"), field_of(amended, "contract.weekly_hours")) == (35, 32)
    assert (field_of(first, "contract.contract_type"), field_of(amended, "contract.contract_type")) == ("11", "36")


def field_of(data: dict[str, Any], name: str) -> object:
    """The value of field `name` in a kept version's JSON."""
    return next(found["value"] for section in data["sections"] for item in section["items"]
                for found in item["fields"] if found["name"] == name)
