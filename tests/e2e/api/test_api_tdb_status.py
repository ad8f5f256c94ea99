"""The TDB's status of a case and the reconciliation over HTTP (issue 16, items 3 and 4), on SQLite and PostgreSQL: the
world's case in its trial is APPRENTI for both; its neighbour, still at the first step on 15 December 2026, is
ABANDON for the TDB while the engine follows it, listed by the reconciliation; the board counts per TDB status; words
in the user's language; 422 for a malformed date, 404 out of scope, 403 for a role the reconciliation is not for;
both paths in the OpenAPI document."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.support.world import World

pytestmark = pytest.mark.postgres

LATER = "2026-12-15"  # 105 days after the training's start (1 September 2026)


def test_the_case_in_its_trial_is_apprenti_for_both(client: TestClient, world: World) -> None:
    answer = client.get(f"/api/v1/cases/{world.one.case_id}/tdb-status", headers=world.as_("advisor"))
    assert answer.status_code == 200, answer.text
    data = answer.json()
    assert (data["status"], data["status_label"], data["statut_apprenant"], data["state"], data["agrees"]) == (
        "APPRENTI", "Apprenti", 3, "trial", True)
    assert data["dates"]["contracts"][0]["contrat_date_debut"] == "2026-09-01"
    assert data["reason"].startswith("within the contract from 2026-09-01")
    assert data["reason_text"].startswith("sous contrat du 01/09/2026")
    own = client.get(f"/api/v1/cases/{world.one.case_id}/tdb-status", headers=world.as_("apprentice"))
    assert own.status_code == 200


def test_a_case_still_followed_after_90_days_without_a_contract_is_abandon_said_why(
        client: TestClient, world: World) -> None:
    answer = client.get(f"/api/v1/cases/{world.one.neighbour_id}/tdb-status?on={LATER}",
                        headers=world.as_("advisor"))
    data = answer.json()
    assert (data["status"], data["since"], data["state"], data["agrees"]) == ("ABANDON", "2026-11-30", "reflect",
                                                                              False)
    assert data["explanation"].startswith("the engine still follows this case (reflect)")
    assert data["explanation_text"].startswith("le moteur suit encore ce dossier (« Réfléchir »)")
    earlier = client.get(f"/api/v1/cases/{world.one.neighbour_id}/tdb-status", headers=world.as_("advisor")).json()
    assert (earlier["status"], earlier["becomes"], earlier["becomes_on"]) == ("INSCRIT", "ABANDON", "2026-11-30")


def test_the_reconciliation_and_the_board(client: TestClient, world: World) -> None:
    found = client.get(f"/api/v1/tdb/reconciliation?on={LATER}", headers=world.as_("programme_lead"))
    assert found.status_code == 200, found.text
    assert [(item["kind"], item["case_id"]) for item in found.json()["items"]] == [
        ("abandon_followed", world.one.neighbour_id)]
    assert "abandon depuis le 30/11/2026" in found.json()["items"][0]["reason_text"]
    # the advisor sees the cases nobody advises too; another CFA's sees none of this one's
    assert len(client.get(f"/api/v1/tdb/reconciliation?on={LATER}", headers=world.as_("advisor")).json()["items"]) \
        == 1
    theirs = client.get(f"/api/v1/tdb/reconciliation?on={LATER}", headers=world.as_("advisor", 2)).json()["items"]
    assert [item["case_id"] for item in theirs] == [world.two.neighbour_id]
    board = client.get("/api/v1/board", headers=world.as_("advisor")).json()
    assert board["tdb_status"]["mecatronique"] == {"INSCRIT": 1, "APPRENTI": 1, "RUPTURANT": 0, "ABANDON": 0,
                                                   "FIN_DE_FORMATION": 0}


@pytest.mark.parametrize(("path", "role", "cfa", "status"), [
    pytest.param("/api/v1/cases/{case}/tdb-status?on=15-12-2026", "advisor", 1, 422, id="a malformed date"),
    pytest.param("/api/v1/cases/{case}/tdb-status", "advisor", 2, 404, id="another CFA's case"),
    pytest.param("/api/v1/tdb/reconciliation", "tutor", 1, 403, id="a tutor"),
    pytest.param("/api/v1/tdb/reconciliation?cfa=other-cfa", "programme_lead", 1, 404, id="another CFA"),
    pytest.param("/api/v1/tdb/reconciliation?on=tomorrow", "advisor", 1, 422, id="a date that is not one"),
])
def test_refusals(client: TestClient, world: World, path: str, role: str, cfa: int, status: int) -> None:
    answer = client.get(path.format(case=world.one.case_id), headers=world.as_(role, cfa))
    assert answer.status_code == status, answer.text
    assert answer.json()["message"]


def test_both_paths_are_in_the_openapi_document(client: TestClient) -> None:
    paths = client.get("/openapi.json").json()["paths"]
    assert "get" in paths["/api/v1/cases/{case_id}/tdb-status"]
    assert "get" in paths["/api/v1/tdb/reconciliation"]
