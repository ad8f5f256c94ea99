"""The legal rules over HTTP (issue 10): a programme's school calendar given by its lead, the rule set's check and
the contracts a changed rule set changes, each for the right people only."""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from contract_flow.bootstrap import App
from contract_flow.services.cases import show
from tests.conftest import snapshot
from tests.e2e.api.conftest import World

PERIODS = [{"from": "2026-11-02", "to": "2026-11-13"}, {"from": "2027-01-04", "to": "2027-01-15", "note": "S2"}]


def ok(response: Any, status: int = 200) -> Any:
    assert response.status_code == status, response.text
    return response.json()


def test_a_programme_lead_replaces_the_calendar_and_the_trial_ends_move_with_history(
        world: World, client: TestClient, app: App) -> None:
    case_id = world.two.case_id
    before = show(app, case_id).case.contract.trial_end
    result = ok(client.put("/api/v1/programmes/AUTRE/calendar", json={"school": PERIODS},
                           headers=world.as_("programme_lead", 2)))
    assert (result["code"], result["school_periods"]) == ("autre", 2)
    moved = {item["case_id"]: item for item in result["moved"]}
    assert moved[case_id]["old"] == before.isoformat()
    after = show(app, case_id)
    assert after.case.contract.trial_end is not None
    assert after.case.contract.trial_end.isoformat() == moved[case_id]["new"]
    assert after.history[-1].facts["trial_end"] == f"{moved[case_id]['old']} → {moved[case_id]['new']}"
    listed = {p["code"]: p for p in ok(client.get("/api/v1/programmes", headers=world.as_("programme_lead", 2)))}
    assert listed["autre"]["calendar_version"] == result["calendar_version"]


@pytest.mark.parametrize(("role", "cfa", "status"), [("programme_lead", 1, 404), ("advisor", 2, 403),
                                                      ("tutor", 2, 403), ("apprentice", 2, 403)])
def test_only_the_programme_s_own_lead_may_set_its_calendar(world: World, client: TestClient, app: App,
                                                            role: str, cfa: int, status: int) -> None:
    before = snapshot(app)
    response = client.put("/api/v1/programmes/autre/calendar", json={"school": PERIODS}, headers=world.as_(role, cfa))
    assert response.status_code == status, response.text
    assert snapshot(app) == before


@pytest.mark.parametrize(("body", "field"), [
    ({"school": [{"from": "2026-11-02", "to": "2026-11-13"}, {"from": "2026-11-09", "to": "2026-11-20"}]}, "school"),
    ({"school": [{"from": "2026-11-13", "to": "2026-11-02"}]}, "school"),
    ({"school": []}, "school"),
    ({"school": [{"from": "2026-11-02"}]}, "school"),
    ({"periods": PERIODS}, "periods"),
])
def test_a_bad_calendar_is_refused_naming_the_field_and_changes_nothing(
        world: World, client: TestClient, app: App, body: dict[str, Any], field: str) -> None:
    before = snapshot(app)
    response = client.put("/api/v1/programmes/autre/calendar", json=body, headers=world.as_("programme_lead", 2))
    assert response.status_code == 422, response.text
    assert field in response.text
    assert snapshot(app) == before


def test_staff_read_the_rule_set_s_check_and_its_impact(world: World, client: TestClient) -> None:
    check = ok(client.get("/api/v1/rules/check", headers=world.as_("advisor")))
    assert check["agrees"] is True
    assert check["rules"]["smic"]["effective_from"] == "2026-06-01"
    assert ok(client.get("/api/v1/rules/impact", headers=world.as_("programme_lead"))) == []
    for role in ("tutor", "mentor", "apprentice"):
        assert client.get("/api/v1/rules/check", headers=world.as_(role)).status_code == 403
        assert client.get("/api/v1/rules/impact", headers=world.as_(role)).status_code == 403
