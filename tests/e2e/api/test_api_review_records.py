"""The API of reviews readable (issue 15, item 3): POST /api/v1/cases/{id}/reviews/held records a review already
held with its report; GET /api/v1/cases/{id}/review-skills gives the programme's skill list; an unknown skill or
a date to come is a 422 naming the field, nothing saved; only the case's organisers record, out of scope is 404."""

from __future__ import annotations

from fastapi.testclient import TestClient

from contract_flow.adapters.clock import FixedClock
from contract_flow.api.schemas import ReviewOut
from contract_flow.bootstrap import App
from contract_flow.services.directory import issue_token
from tests.conftest import snapshot
from tests.support.world import World, paris

HELD = {"held_at": "2027-10-28T10:00:00+01:00", "place": "Atelier 3", "attended": ["apprentice", "mentor"],
        "skills": {"prototypage": "3", "Objets connectés": "mastered"}, "tutor_observations": "Progrès nets.",
        "next_steps": "Suite du projet."}


def test_a_tutor_records_a_review_already_held_through_the_api(
        app: App, world: World, client: TestClient, clock: FixedClock) -> None:
    clock.set(paris(2027, 11, 5, 9))
    tutor = {"Authorization": f"Bearer {issue_token(app, world.one.user('tutor').email)}"}
    listed = client.get(f"/api/v1/cases/{world.one.case_id}/review-skills", headers=tutor)
    assert listed.status_code == 200
    assert listed.json()["skills"][:2] == ["Modélisation", "Simulation numérique"]
    answer = client.post(f"/api/v1/cases/{world.one.case_id}/reviews/held", json=HELD, headers=tutor)
    assert answer.status_code == 201, answer.text
    held = ReviewOut.model_validate(answer.json())
    assert (held.state, held.due_by.isoformat(), held.place) == ("held", "2027-11-01", "Atelier 3")
    assert held.skills == {"Prototypage": "acquired", "Objets connectés": "mastered"}
    assert held.attended == {"apprentice": True, "mentor": True, "tutor": False}
    assert held.acknowledged == {}
    assert client.get(f"/api/v1/reviews/{held.id}", headers=tutor).json() == answer.json()


def test_an_unknown_skill_a_date_to_come_or_a_stranger_is_refused_and_nothing_is_saved(
        app: App, world: World, client: TestClient, clock: FixedClock) -> None:
    clock.set(paris(2027, 11, 5, 9))
    tokens = {role: {"Authorization": f"Bearer {issue_token(app, world.one.user(role).email)}"}
              for role in ("tutor", "mentor")}
    stranger = {"Authorization": f"Bearer {issue_token(app, world.two.user('tutor').email)}"}
    url = f"/api/v1/cases/{world.one.case_id}/reviews/held"
    before = snapshot(app)
    unknown = client.post(url, json={**HELD, "skills": {"soudage": "3"}}, headers=tokens["tutor"])
    assert unknown.status_code == 422
    assert unknown.json()["field"] == "skill"
    assert "soudage is not in the skill list of programme mecatronique" in unknown.text
    future = client.post(url, json={**HELD, "held_at": "2027-11-05T11:00:00+01:00"}, headers=tokens["tutor"])
    assert (future.status_code, future.json()["field"]) == (422, "date")
    assert client.post(url, json=HELD, headers=tokens["mentor"]).status_code == 403
    assert client.post(url, json=HELD, headers=stranger).status_code == 404
    assert client.get(f"/api/v1/cases/{world.one.case_id}/review-skills", headers=stranger).status_code == 404
    assert snapshot(app) == before
