"""A person's data over HTTP (issue 16, item 6), on SQLite and PostgreSQL: exported as JSON by their CFA's staff
and by the apprentice themselves, erased by staff (409 with the reason while their contract is live, nothing
changed; 200 once it ended, then no trace of them in any table), 403 for the other roles, 404 for another CFA's
staff, 422 for what is not an email; the anonymisation log for staff."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from contract_flow.bootstrap import App
from contract_flow.services.cases import advance
from tests.conftest import snapshot
from tests.support.retention import traces
from tests.support.world import World, paris

pytestmark = pytest.mark.postgres


def test_export_and_erase_as_the_roles_may(client: TestClient, app: App, world: World) -> None:
    one = world.one
    apprentice = one.users["apprentice"].email
    exported = client.get(f"/api/v1/people/{apprentice}/export", headers=world.as_("advisor"))
    assert exported.status_code == 200, exported.text
    assert exported.json()["cases"][0]["case_id"] == one.case_id
    assert "Martin" in exported.text
    own = client.get(f"/api/v1/people/{apprentice}/export", headers=world.as_("apprentice"))
    assert own.status_code == 200, own.text
    mentor = one.users["mentor"].email
    assert client.get(f"/api/v1/people/{mentor}/export", headers=world.as_("apprentice")).status_code == 403
    assert client.get(f"/api/v1/people/{apprentice}/export", headers=world.as_("advisor", 2)).status_code == 404
    bad = client.get("/api/v1/people/not-an-email/export", headers=world.as_("advisor"))
    assert bad.status_code == 422
    assert "email" in bad.text

    before = snapshot(app)
    refused = client.post(f"/api/v1/people/{apprentice}/erase", headers=world.as_("programme_lead"))
    assert refused.status_code == 409, refused.text
    assert f"the contract of case {one.case_id} is live" in refused.text
    french = client.post(f"/api/v1/people/{apprentice}/erase",
                         headers={**world.as_("programme_lead"), "Accept-Language": "fr"})
    assert "est en cours" in french.text
    for role in ("tutor", "mentor", "apprentice"):
        assert client.post(f"/api/v1/people/{apprentice}/erase", headers=world.as_(role)).status_code == 403
    assert client.post(f"/api/v1/people/{apprentice}/erase", headers=world.as_("advisor", 2)).status_code == 404
    assert snapshot(app) == before

    app.clock.set(paris(2026, 10, 21, 10))  # type: ignore[attr-defined]
    advance(app, one.case_id, "break_trial", actor_email=one.users["advisor"].email,
            facts={"contract.ended_by": "employer"})
    erased = client.post(f"/api/v1/people/{apprentice}/erase", headers=world.as_("advisor"))
    assert erased.status_code == 200, erased.text
    assert erased.json()["case_ids"] == [one.case_id]
    assert traces(app, (apprentice, "Léa Martin")) == []
    # the case is still there, its shape readable: its state, its history's moves, its dossier (emptied)
    shown = client.get(f"/api/v1/cases/{one.case_id}", headers=world.as_("advisor"))
    assert shown.status_code == 200, shown.text
    assert shown.json()["state"] == "ended_in_trial"
    assert shown.json()["facts"]["candidate"]["first_name"] == "[anonymisé]"
    history = client.get(f"/api/v1/cases/{one.case_id}/history", headers=world.as_("advisor"))
    assert history.status_code == 200
    assert history.json()[-1]["trigger"] == "break_trial"
    assert client.get(f"/api/v1/cases/{one.case_id}/dossier", headers=world.as_("advisor")).status_code == 200
    log = client.get("/api/v1/retention/log", headers=world.as_("programme_lead"))
    assert log.status_code == 200, log.text
    assert [(entry["subject"], entry["why"], entry["rule"]) for entry in log.json()] == [
        ("person", "request", "request"), ("case", "request", "request")]
    assert client.get("/api/v1/retention/log", headers=world.as_("programme_lead", 2)).json() == []
    assert client.get("/api/v1/retention/log", headers=world.as_("tutor")).status_code == 403
