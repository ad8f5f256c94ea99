"""The applications over HTTP (issue 15, item 1), on SQLite and PostgreSQL: `shortlist` names its application, an
application is corrected (PATCH) or withdrawn by its id, with If-Match; refusals name the field, save nothing."""

from __future__ import annotations

from fastapi.testclient import TestClient

from contract_flow.bootstrap import App
from contract_flow.services.cases import advance, set_facts, show
from tests.conftest import snapshot
from tests.support.cases import PATH
from tests.support.world import World


def test_an_advisor_shortlists_the_application_named_then_corrects_and_withdraws(
        app: App, world: World, client: TestClient) -> None:
    advisor = world.as_("advisor")
    case_id = world.one.neighbour_id
    email = world.one.user("advisor").email
    set_facts(app, case_id, PATH[0][1], actor_email=email)
    advance(app, case_id, "start_applying", actor_email=email)
    for company in ("Alpha SA", "Beta SARL"):
        set_facts(app, case_id, {"application.company": company}, actor_email=email)
    alpha, beta = (a.id for a in show(app, case_id).case.applications)
    url = f"/api/v1/cases/{case_id}"
    before = snapshot(app)
    refused = client.post(f"{url}/transitions", json={"trigger": "withdraw", "reason": "x", "application": alpha},
                          headers=advisor)
    assert refused.status_code == 422
    assert refused.json()["field"] == "application"
    stale = client.patch(f"{url}/applications/{alpha}", json={"company": "Alpha Industrie"},
                         headers={**advisor, "If-Match": '"1"'})
    assert stale.status_code == 409
    assert snapshot(app) == before
    moved = client.post(f"{url}/transitions", json={"trigger": "shortlist", "application": alpha}, headers=advisor)
    assert moved.status_code == 200, moved.text
    changed = client.patch(f"{url}/applications/{alpha}", json={"company": "Alpha Industrie", "reason": "nom exact"},
                           headers=advisor)
    assert changed.status_code == 200, changed.text
    assert changed.headers["ETag"] == f'"{changed.json()["version"]}"'
    withdrawn = client.post(f"{url}/applications/{beta}/withdraw", headers=advisor)
    assert withdrawn.status_code == 200, withdrawn.text
    statuses = {a["company"]: a["status"] for a in client.get(url, headers=advisor).json()["facts"]["applications"]}
    assert statuses == {"Alpha Industrie": "shortlisted", "Beta SARL": "withdrawn"}
