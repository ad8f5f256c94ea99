"""The filing with the OPCO and the OPCO's answer over HTTP (issue 14, item 6), on SQLite and PostgreSQL: the world's
contract (signed on 20 August 2026, in its trial on 20 October) filed, refused, filed again, accepted; typed bodies
in the OpenAPI document; 422 naming the field and the rule for a malformed value, 409 for what must happen first
or a stale If-Match, 403 for a role that may not, 404 out of scope; nothing saved by a refusal; the board's counts
and the case at risk."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from contract_flow.bootstrap import App
from tests.conftest import snapshot
from tests.e2e.api.test_schemathesis import DOCUMENT
from tests.support.world import World

pytestmark = pytest.mark.postgres

DECA = "030202609000123"


def post(client: TestClient, world: World, path: str, body: dict[str, Any], role: str = "advisor",
         cfa: int = 1, headers: dict[str, str] | None = None) -> Any:
    case_id = world.one.case_id
    return client.post(f"/api/v1/cases/{case_id}/{path}", headers={**world.as_(role, cfa), **(headers or {})},
                       json=body)


def test_filed_refused_filed_again_then_accepted(client: TestClient, app: App, world: World) -> None:
    case_id, headers = world.one.case_id, world.as_("advisor")
    shown = client.get(f"/api/v1/cases/{case_id}/filing", headers=headers)
    assert shown.status_code == 200, shown.text
    assert (shown.json()["status"], shown.json()["may_file"], shown.json()["dossier_opco"]) == (
        "not_filed", True, "OPCO 2i")

    filed = post(client, world, "filing", {"filed_on": "2026-09-03"})
    assert filed.status_code == 200, filed.text
    assert {key: filed.json()[key] for key in ("case_id", "status", "opco", "filed_on", "decision_due")} == {
        "case_id": case_id, "status": "refused_silence", "opco": "OPCO 2i", "filed_on": "2026-09-03",
        "decision_due": "2026-09-23"}  # recorded late: on 20 October, the 20 days are over
    assert filed.headers["ETag"] == f'"{filed.json()["version"]}"'
    # 20 October: the 20 days are long over without an answer, the silence is a refusal and the case at risk.
    assert client.get(f"/api/v1/cases/{case_id}/filing", headers=headers).json()["status"] == "refused_silence"
    board = client.get("/api/v1/board", headers=headers).json()
    assert board["filing"]["mecatronique"] == {"signed": 1, "filed": 1, "accepted": 0, "refused": 1, "waiting": 0}
    assert any(risk["case_id"] == case_id and risk["kind"] == "opco_refused" for risk in board["at_risk"])

    refused = post(client, world, "opco-decision", {"decision": "refused", "decided_on": "2026-10-19",
                                                   "reason": "convention de formation manquante"})
    assert refused.status_code == 200, refused.text
    assert (refused.json()["status"], refused.json()["refusal_reason"]) == (
        "refused", "convention de formation manquante")
    assert post(client, world, "filing", {"filed_on": "2026-10-20", "opco": "OPCO 2i"},
                headers={"If-Match": f'"{refused.json()["version"]}"'}).json()["status"] == "waiting"
    accepted = post(client, world, "opco-decision", {"decision": "accepted", "deca_number": DECA})
    assert accepted.status_code == 200, accepted.text
    assert (accepted.json()["status"], accepted.json()["deca_number"], accepted.json()["decided_on"]) == (
        "accepted", DECA, "2026-10-20")  # today by default
    case = client.get(f"/api/v1/cases/{case_id}", headers=headers).json()
    assert (case["facts"]["contract"]["opco_decision"], case["facts"]["contract"]["deca_number"]) == ("accepted", DECA)
    assert (case["filing"]["status"], case["filing"]["deca_number"], case["filing"]["filed_on"]) == (
        "accepted", DECA, "2026-10-20")
    assert client.get(f"/api/v1/cases/{world.one.neighbour_id}", headers=headers).json()["filing"] is None
    board = client.get("/api/v1/board", headers=headers).json()
    assert board["filing"]["mecatronique"]["accepted"] == 1
    assert not any(risk["kind"] == "opco_refused" for risk in board["at_risk"])


@pytest.mark.parametrize(("path", "body", "status", "field", "rule"), [
    ("opco-decision", {"decision": "accepted", "deca_number": "02B20221200000"}, 422, "deca_number",
     "is not a DECA contract number"),
    ("opco-decision", {"decision": "refused"}, 422, "reason", "a refusal comes with its reason"),
    ("opco-decision", {"decision": "maybe"}, 422, "decision", ""),
    ("opco-decision", {"decision": "accepted", "deca_number": DECA, "decided_on": "2026-09-02"}, 422, "decided_on",
     "before the filing"),
    ("filing", {"filed_on": "2026-08-19"}, 422, "filed_on", "before the contract was signed"),
    ("filing", {"filed_on": "2026-10-21"}, 422, "filed_on", "in the future"),
    ("filing", {"filed_on": "03/09/2026"}, 422, "filed_on", ""),
    ("filing", {"filed_on": "2026-09-03", "opco": "x" * 101}, 422, "opco", ""),
    ("filing", {"filed_on": "2026-09-03", "opcode": "OPCO 2i"}, 422, "opcode", ""),
])
def test_bad_input_is_422_naming_the_field_and_the_rule_and_saves_nothing(
        client: TestClient, app: App, world: World, path: str, body: dict[str, Any], status: int, field: str,
        rule: str) -> None:
    if path == "opco-decision":
        assert post(client, world, "filing", {"filed_on": "2026-09-03"}).status_code == 200
    before = snapshot(app)
    answer = post(client, world, path, body)
    assert answer.status_code == status, answer.text
    assert field in (answer.json()["field"] or "")
    assert rule in answer.json()["message"]
    assert snapshot(app) == before


def test_what_must_happen_first_is_409_and_the_roles_and_scope_are_the_policy_s(
        client: TestClient, app: App, world: World) -> None:
    before = snapshot(app)
    early = post(client, world, "opco-decision", {"decision": "accepted", "deca_number": DECA})
    assert early.status_code == 409, early.text
    assert (early.json()["error"], early.json()["field"]) == ("not_now", "decision")
    assert "not filed with its OPCO yet" in early.json()["message"]
    neighbour = client.post(f"/api/v1/cases/{world.one.neighbour_id}/filing", headers=world.as_("advisor"),
                            json={"filed_on": "2026-09-03", "opco": "OPCO 2i"})
    assert (neighbour.status_code, neighbour.json()["field"]) == (409, "filed_on")  # not signed
    assert post(client, world, "filing", {"filed_on": "2026-09-03"}, role="mentor").status_code == 403
    assert post(client, world, "filing", {"filed_on": "2026-09-03"}, role="tutor").status_code == 403
    assert post(client, world, "filing", {"filed_on": "2026-09-03"}, role="advisor", cfa=2).status_code == 404
    assert post(client, world, "filing", {"filed_on": "2026-09-03"}, headers={"If-Match": '"1"'}).status_code == 409
    assert client.get(f"/api/v1/cases/{world.one.case_id}/filing", headers=world.as_("tutor")).status_code == 403
    assert snapshot(app) == before


def test_the_bodies_are_typed_in_the_openapi_document() -> None:
    schemas = DOCUMENT["components"]["schemas"]
    assert set(schemas["FilingIn"]["properties"]) == {"filed_on", "opco"}
    assert schemas["DecisionIn"]["properties"]["decision"]["enum"] == ["accepted", "refused"]
    assert "refused_silence" in schemas["FilingOut"]["properties"]["status"]["enum"]
    assert "filing" in schemas["BoardOut"]["properties"]
    paths = DOCUMENT["paths"]
    assert {"409", "422"} <= set(paths["/api/v1/cases/{case_id}/opco-decision"]["post"]["responses"])
