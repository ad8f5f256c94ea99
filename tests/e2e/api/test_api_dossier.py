"""The contract dossier over HTTP (issue 14, item 9): the whole dossier and each section as a typed resource, on a
fresh world per test (SQLite and PostgreSQL). A section's schema is in the OpenAPI document field by field; a PUT
gives the section's values with its version: 409 when stale, 422 naming the field and the rule when refused, 403
for a section the role does not fill; nothing is saved by a refusal."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from contract_flow.api.dossier_sections import VALUES
from contract_flow.bootstrap import App
from contract_flow.domain.dossier import FORM, Section
from contract_flow.services.cases import OpenCase, open_case, set_facts
from tests.conftest import snapshot
from tests.e2e.api.test_schemathesis import DOCUMENT
from tests.support.cases import walk
from tests.support.dossier import MENTOR, nir_of
from tests.support.world import World

pytestmark = pytest.mark.postgres

#: Signed on the world's day, for a start four weeks later (the world's clock: 20 October 2026).
SIGNING = {"contract.signature_date": "2026-10-20", "contract.signature_place": "Alès",
           "contract.start_date": "2026-11-16", "contract.end_date": "2029-08-31"}
#: 17 on 20 October 2026: a minor, not emancipated.
MINOR_BIRTH = date(2009, 2, 10)


def to_sign(app: App, world: World, case_id: int | None = None, *, birth_date: date | None = None) -> int:
    """A case of CFA one waiting for its signature, the world's mentor named on it, nothing of the dossier filled."""
    one = world.one
    if case_id is None:
        case_id = open_case(app, OpenCase(one.programme, "Zoé", "Mineure", birth_date or date(2005, 3, 3),
                                          "zoe.mineure@example.org"))
    advisor = one.user("advisor").email
    walk(app, case_id, "sign", advisor=advisor, lead=one.user("programme_lead").email)
    set_facts(app, case_id, {**SIGNING, "contract.mentor_name": "Marie Maître",
                             "contract.mentor_email": one.user("mentor").email}, actor_email=advisor)
    return case_id


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = DOCUMENT["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _schema(path: str, method: str, *, body: bool) -> dict[str, Any]:
    operation = DOCUMENT["paths"][path][method]
    if body:
        return _resolve(operation["requestBody"]["content"]["application/json"]["schema"])
    return _resolve(operation["responses"]["200"]["content"]["application/json"]["schema"])


@pytest.mark.parametrize("section", list(Section))
def test_the_openapi_document_types_each_section_field_by_field(section: Section) -> None:
    path = f"/api/v1/cases/{{case_id}}/dossier/{section.value}"
    sent = _schema(path, "put", body=True)
    answered = _resolve(_schema(path, "get", body=False)["properties"]["values"])
    assert sent["title"] == f"{VALUES[section].__name__.removesuffix('Values')}In"
    assert sent["additionalProperties"] is False
    properties = sent["properties"]
    assert "version" in properties
    if section in (Section.MENTORS, Section.PAY):
        listed = properties["mentors" if section is Section.MENTORS else "lines"]
        assert listed["maxItems"] == (2 if section is Section.MENTORS else 12)
        if section is Section.MENTORS:
            assert listed["minItems"] == 1
        properties = _resolve(listed["items"])["properties"]
    top = {spec.key.partition(".")[0] for spec in FORM[section]}
    assert top <= set(properties)
    for spec in FORM[section]:
        if "." in spec.key:
            continue
        described = properties[spec.key]
        assert described["description"].startswith(f"{spec.label.fr} ({spec.label.en})"), spec.key
        if spec.codes is not None:
            assert next(b for b in described["anyOf"] if b.get("type") == "string")["enum"] == list(spec.codes)
    assert set(answered["properties"]) == ({"mentors"} if section is Section.MENTORS else {"lines"} if
                                          section is Section.PAY else set(properties) - {"version"})


def test_the_idcc_code_and_the_nir_read_as_the_form_names_them() -> None:
    employer = DOCUMENT["components"]["schemas"]["EmployerIn"]["properties"]
    assert employer["idcc_code"]["description"].startswith("Code IDCC de la convention collective")
    apprentice = DOCUMENT["components"]["schemas"]["ApprenticeIn"]["properties"]
    assert apprentice["nir"]["description"].startswith("Numéro de sécurité sociale (NIR)")
    assert _resolve(apprentice["birth_date"]["anyOf"][0])["format"] == "date"


def test_the_whole_dossier_lists_sections_versions_what_is_missing_and_the_refusals(
        client: TestClient, app: App, world: World) -> None:
    case_id = to_sign(app, world, world.one.neighbour_id)
    answer = client.get(f"/api/v1/cases/{case_id}/dossier", headers=world.as_("advisor"))
    assert answer.status_code == 200, answer.text
    dossier = answer.json()
    assert list(dossier["sections"]) == [section.value for section in Section]
    assert (dossier["complete"], dossier["signable"], dossier["form"]) == (False, False, "CERFA FA13 n° 10103*14")
    employer = dossier["sections"]["employer"]
    assert (employer["version"], employer["editable"], employer["label"]) == (0, True, "L'employeur")
    assert employer["values"]["siret"] == "73282932000074"  # the offer's, the case's
    assert "siret" in employer["from_case"]
    assert {"field": "employer.idcc_code", "label": "Code IDCC de la convention collective",
            "why": "CERFA FA13 n° 10103*14: a field the State's contract tool requires"} in employer["missing"]
    training = dossier["sections"]["training"]["values"]
    assert (training["cfa_uai"], training["training_hours"], training["training_start"]) == (
        "0300063F", 1800, "2026-09-01")  # typed: a whole number, an ISO date
    assert dossier["refusals"]
    assert all(set(refusal) == {"field", "label", "reason", "reason_text", "article"}
               for refusal in dossier["refusals"])


def test_a_section_is_read_and_filled_with_its_version_and_a_stale_one_is_refused(
        client: TestClient, app: App, world: World) -> None:
    case_id = to_sign(app, world, world.one.neighbour_id)
    path = f"/api/v1/cases/{case_id}/dossier/employer"
    headers = world.as_("advisor")
    read = client.get(path, headers=headers)
    assert read.status_code == 200
    assert read.headers["ETag"] == '"0"'
    values = {**read.json()["values"], "idcc_code": "3248", "idcc_name": "Métallurgie", "naf_code": "28.99B",
              "headcount": 250, "public": False, "employer_type": "12",
              "address": {"street": "rue de la Mine", "postcode": "30100", "town": "Alès"}}
    saved = client.put(path, headers=headers, json={**values, "version": 0})
    assert saved.status_code == 200, saved.text
    assert (saved.json()["version"], saved.headers["ETag"]) == (1, '"1"')
    again = client.get(path, headers=headers).json()["values"]
    assert (again["idcc_code"], again["headcount"], again["public"], again["address"]["town"]) == (
        "3248", 250, False, "Alès")
    assert again["siret"] == "73282932000074"
    assert "employer.idcc_code" not in {absent["field"] for absent in client.get(path, headers=headers).json()[
        "missing"]}
    before = snapshot(app)
    stale = client.put(path, headers=headers, json={**values, "naf_code": "25.62A", "version": 0})
    assert stale.status_code == 409, stale.text
    assert (stale.json()["error"], stale.json()["version"]) == ("conflict", 1)
    stale_header = client.put(path, headers={**headers, "If-Match": '"0"'}, json={**values, "naf_code": "25.62A"})
    assert stale_header.status_code == 409
    assert snapshot(app) == before
    # A field left out is emptied (the section as it should be); the case's own values are kept.
    emptied = client.put(path, headers={**headers, "If-Match": '"1"'}, json={"idcc_code": "3248"})
    assert emptied.status_code == 200, emptied.text
    assert (emptied.json()["values"]["naf_code"], emptied.json()["values"]["siret"]) == (None, "73282932000074")


def test_numbered_sections_take_lists(client: TestClient, app: App, world: World) -> None:
    case_id = to_sign(app, world, world.one.neighbour_id)
    headers = world.as_("advisor")
    mentor = dict(MENTOR)
    answer = client.put(f"/api/v1/cases/{case_id}/dossier/mentors", headers=headers, json={"mentors": [{
        **mentor, "experience_years": 10, "diploma_in_field": True, "eligibility_attested": True,
        "first_name": "Marie", "last_name": "Maître"}]})
    assert answer.status_code == 200, answer.text
    first = answer.json()["values"]["mentors"][0]
    assert (first["email"], first["experience_years"], first["birth_date"]) == (
        world.one.user("mentor").email, 10, "1980-03-02")
    pay = client.get(f"/api/v1/cases/{case_id}/dossier/pay", headers=headers).json()
    lines = pay["values"]["lines"]
    assert lines[0]["contract_year"] == 1
    assert re.fullmatch(r"[0-9]+\.[0-9]{2}", lines[0]["rate"])  # a rate as text, two decimals
    raised = [{**lines[0], "rate": "100.00", "monthly_gross": "1900.00"}, *lines[1:]]
    kept = client.put(f"/api/v1/cases/{case_id}/dossier/pay", headers=headers,
                      json={"lines": raised, "version": pay["version"]})
    assert kept.status_code == 200, kept.text
    assert kept.json()["values"]["lines"][0]["rate"] == "100.00"  # the employer may pay more


def _nir_with_a_wrong_key(born: date) -> str:
    good = nir_of(born)
    return good[:-2] + f"{(int(good[-2:]) + 1) % 97 or 1:02d}"


BAD: list[tuple[str, str, Any, str, str]] = [
    ("a NIR with a wrong key", "apprentice", lambda born: {"sex": "F", "nir": _nir_with_a_wrong_key(born)},
     "apprentice.nir", "does not match the number"),
    ("an IDCC of letters", "employer", lambda born: {"idcc_code": "ABCD"}, "employer.idcc_code",
     "is not an IDCC code"),
    ("a pay line below the minimum", "pay", None, "pay.1.rate", "below the legal minimum"),
    ("a minor without a representative", "apprentice", lambda born: {"minor": True, "not_emancipated": True},
     "apprentice.legal_representative.name", "R6222-2"),
]


@pytest.mark.parametrize(("section", "body", "field", "words"), [pytest.param(*row[1:], id=row[0]) for row in BAD])
def test_bad_input_is_refused_naming_the_field_and_the_rule_with_nothing_saved(
        client: TestClient, app: App, world: World, section: str, body: Any, field: str, words: str) -> None:
    case_id = to_sign(app, world, birth_date=MINOR_BIRTH)
    headers = world.as_("advisor")
    path = f"/api/v1/cases/{case_id}/dossier/{section}"
    current = client.get(path, headers=headers).json()
    if body is None:  # the pay lines as computed, the first one at 20 %
        lines = current["values"]["lines"]
        sent: dict[str, Any] = {"lines": [{**lines[0], "rate": "20.00"}, *lines[1:]]}
    else:
        sent = {**current["values"], **body(MINOR_BIRTH)}
    before = snapshot(app)
    answer = client.put(path, headers=headers, json={**sent, "version": current["version"]})
    assert answer.status_code == 422, answer.text
    payload = answer.json()
    assert (payload["error"], payload["field"]) == ("invalid_input", field)
    assert words in payload["message"]
    assert snapshot(app) == before


def test_the_mentor_fills_the_employer_but_not_the_training(client: TestClient, app: App, world: World) -> None:
    case_id = to_sign(app, world, world.one.neighbour_id)
    mentor = world.as_("mentor")
    whole = client.get(f"/api/v1/cases/{case_id}/dossier", headers=mentor).json()
    assert {name: part["editable"] for name, part in whole["sections"].items()} == {
        "employer": True, "apprentice": False, "mentors": True, "contract": False, "pay": False, "training": False}
    employer = whole["sections"]["employer"]
    filled = client.put(f"/api/v1/cases/{case_id}/dossier/employer", headers=mentor, json={
        **employer["values"], "idcc_code": "3248", "version": employer["version"]})
    assert filled.status_code == 200, filled.text
    assert filled.json()["updated_by"] == world.one.user("mentor").email
    training = whole["sections"]["training"]
    before = snapshot(app)
    refused = client.put(f"/api/v1/cases/{case_id}/dossier/training", headers=mentor,
                         json={**training["values"], "training_hours": 1700, "version": 0})
    assert refused.status_code == 403, refused.text
    assert refused.json()["error"] == "forbidden"
    assert snapshot(app) == before


def test_the_apprentice_fills_her_identity_and_the_tutor_does_not_read_the_dossier(
        client: TestClient, app: App, world: World) -> None:
    case_id = world.one.case_id  # signed: her section is still hers to correct
    path = f"/api/v1/cases/{case_id}/dossier/apprentice"
    mine = client.get(path, headers=world.as_("apprentice")).json()
    assert mine["editable"] is True
    assert {"first_name", "last_name", "birth_date", "email"} <= set(mine["read_only"])
    changed = client.put(path, headers=world.as_("apprentice"), json={
        **mine["values"], "phone": "06 98 76 54 32", "version": mine["version"]})
    assert changed.status_code == 200, changed.text
    assert changed.json()["values"]["phone"] == "+33698765432"
    renamed = client.put(path, headers=world.as_("apprentice"), json={
        **changed.json()["values"], "last_name": "Autre", "version": changed.json()["version"]})
    assert (renamed.status_code, renamed.json()["field"]) == (422, "apprentice.last_name")
    assert client.get(path, headers=world.as_("tutor")).status_code == 403
    assert client.get(f"/api/v1/cases/{world.two.case_id}/dossier", headers=world.as_("advisor")).status_code == 404
