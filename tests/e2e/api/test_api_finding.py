"""The API's case list searches and filters as the pages do (issue 15, item 4): `GET /api/v1/cases?q=` by name
or email, accents and capitals ignored, in the caller's scope; `needs_me` the cases waiting for the caller."""

from __future__ import annotations

from fastapi.testclient import TestClient

from contract_flow.bootstrap import App
from contract_flow.services.reviews import acknowledge_review
from tests.support.world import World


def ids(client: TestClient, headers: dict[str, str], **params: str) -> list[int]:
    answer = client.get("/api/v1/cases", params=params, headers=headers)
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["total"] == len(body["items"])
    return sorted(item["id"] for item in body["items"])


def test_the_case_list_searches_names_and_emails_without_accents_in_the_callers_scope(
        world: World, client: TestClient) -> None:
    two = world.as_("advisor", 2)
    assert ids(client, two, q="ines") == [world.two.neighbour_id]
    assert ids(client, two, q="INÈS leroy") == [world.two.neighbour_id]
    assert ids(client, two, q="hugo.durand@") == [world.two.case_id]
    assert ids(client, two, q="ines", state="trial") == []
    assert ids(client, world.as_("advisor"), q="ines") == []  # another CFA's case is never found
    assert ids(client, world.as_("tutor", 2), q="ines") == []  # not their apprentice
    assert ids(client, world.as_("tutor", 2), q="hugo") == [world.two.case_id]
    assert ids(client, two, q="%") == []


def test_needs_me_lists_the_cases_waiting_for_the_caller(app: App, world: World, client: TestClient) -> None:
    one = world.one
    assert ids(client, world.as_("advisor"), needs_me="true") == [one.neighbour_id]  # at «Réfléchir», nobody's
    assert ids(client, world.as_("programme_lead"), needs_me="true") == []  # nothing at «Décider»
    assert ids(client, world.as_("mentor"), needs_me="true") == [one.case_id]  # a report to acknowledge
    acknowledge_review(app, one.held_review_id, actor_email=one.user("mentor").email)
    assert ids(client, world.as_("mentor"), needs_me="true") == []
    assert ids(client, world.as_("tutor"), needs_me="true") == [one.case_id]
    # with the cases at risk, which read the reviews themselves
    for role in ("advisor", "tutor", "mentor", "apprentice"):
        ids(client, world.as_(role), needs_me="true", at_risk="true")


def test_a_search_too_long_is_refused_naming_the_field(world: World, client: TestClient) -> None:
    answer = client.get("/api/v1/cases", params={"q": "x" * 150}, headers=world.as_("advisor"))
    assert answer.status_code == 422
    assert "q" in answer.text
    assert client.get("/api/v1/cases", params={"q": "x" * 201}, headers=world.as_("advisor")).status_code == 422
