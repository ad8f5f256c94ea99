"""Amendments over HTTP (issue 14, item 7), on a fresh world per test (SQLite and PostgreSQL): POST records one on a
signed contract (201, the amendment and the dossier version it produced, whose PDF is then served unchanged, the
earlier one too), GET lists them; a refusal is 422 naming the field and the rule, 403 for a role that may not,
404 out of scope, 409 on a stale If-Match; nothing is saved by a refusal."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from contract_flow.bootstrap import App
from tests.conftest import snapshot
from tests.e2e.api.test_schemathesis import DOCUMENT
from tests.support.world import World

pytestmark = pytest.mark.postgres

NEW_MENTOR = {"mentors.1.first_name": "Jean", "mentors.1.last_name": "Dupont",
              "mentors.1.email": "jean.dupont@industrie.example"}


def body(**given: Any) -> dict[str, Any]:
    return {"type_code": "36", "effective_on": "2026-11-02", "reason": "Marie Maître quitte l'atelier",
            "changes": NEW_MENTOR, **given}


def test_an_amendment_is_recorded_listed_and_its_dossier_version_downloaded(
        client: TestClient, app: App, world: World) -> None:
    case_id, headers = world.one.case_id, world.as_("advisor")
    signed = client.get(f"/api/v1/cases/{case_id}/dossier.pdf?version=1", headers=headers)
    assert signed.status_code == 200, signed.text

    answer = client.post(f"/api/v1/cases/{case_id}/amendments", headers=headers, json=body())

    assert answer.status_code == 201, answer.text
    found = answer.json()
    assert (found["number"], found["type_code"], found["effective_on"], found["dossier_version"]) == (
        1, "36", "2026-11-02", 2)
    assert found["type_label"].startswith("Avenant : autres changements")
    assert found["pdf"] == f"/api/v1/cases/{case_id}/dossier.pdf?version=2"
    assert {"field": "mentors.1.last_name", "label": "Maître d'apprentissage 1 : Nom de naissance",
            "old": "Maître", "new": "Dupont"} in found["changes"]
    listed = client.get(f"/api/v1/cases/{case_id}/amendments", headers=world.as_("programme_lead"))
    assert listed.status_code == 200
    assert listed.json() == [found]
    pdf = client.get(found["pdf"], headers=headers)
    assert (pdf.status_code, pdf.headers["content-type"]) == (200, "application/pdf")
    assert client.get(f"/api/v1/cases/{case_id}/dossier.pdf?version=1", headers=headers).content == signed.content
    case = client.get(f"/api/v1/cases/{case_id}", headers=headers).json()
    assert case["facts"]["contract"]["mentor_email"] == "jean.dupont@industrie.example"


@pytest.mark.parametrize(("given", "field", "rule"), [
    ({"changes": {"pay.1.rate": "20"}}, "pay.1.rate", "minimum"),
    ({"type_code": "11"}, "type_code", "is not an amendment"),
    ({"effective_on": "2026-08-31"}, "effective_on", "outside the contract"),
    ({"changes": {"contract.start_date": "2026-09-02"}}, "contract.start_date", "does not change this field"),
    ({"reason": ""}, "reason", ""),
    ({"changes": {}}, "changes", ""),
    ({"effective_on": "01/11/2026"}, "effective_on", ""),
    ({"mentor": "x"}, "mentor", ""),
])
def test_a_refused_amendment_is_422_naming_the_field_and_saves_nothing(
        client: TestClient, app: App, world: World, given: dict[str, Any], field: str, rule: str) -> None:
    before = snapshot(app)
    answer = client.post(f"/api/v1/cases/{world.one.case_id}/amendments", headers=world.as_("advisor"),
                         json=body(**given))
    assert answer.status_code == 422, answer.text
    assert field in (answer.json()["field"] or "")
    assert rule in answer.json()["message"]
    assert snapshot(app) == before


def test_only_the_case_s_staff_amend_and_a_stale_version_is_refused(
        client: TestClient, app: App, world: World) -> None:
    case_id = world.one.case_id
    before = snapshot(app)
    path = f"/api/v1/cases/{case_id}/amendments"
    assert client.post(path, headers=world.as_("mentor"), json=body()).status_code == 403
    assert client.get(path, headers=world.as_("apprentice")).status_code == 403
    assert client.post(path, headers=world.as_("advisor", 2), json=body()).status_code == 404
    assert client.get(path, headers=world.as_("advisor", 2)).status_code == 404
    version = client.get(f"/api/v1/cases/{case_id}", headers=world.as_("advisor")).headers["ETag"]
    stale = client.post(path, headers={**world.as_("advisor"), "If-Match": f'"{int(version.strip(chr(34))) - 1}"'},
                        json=body())
    assert stale.status_code == 409
    assert snapshot(app) == before
    fresh = client.post(path, headers={**world.as_("advisor"), "If-Match": version}, json=body())
    assert fresh.status_code == 201, fresh.text


def test_the_openapi_document_types_the_amendment() -> None:
    schemas = DOCUMENT["components"]["schemas"]
    assert set(schemas["AmendmentIn"]["required"]) == {"type_code", "effective_on", "reason", "changes"}
    assert DOCUMENT["paths"]["/api/v1/cases/{case_id}/amendments"]["post"]["responses"]["201"]
    assert "dossier_version" in schemas["AmendmentOut"]["properties"]
