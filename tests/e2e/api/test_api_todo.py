"""`GET /api/v1/me/todo` (issue 15, item 2) on the world of two CFAs, SQLite and PostgreSQL: each role's to-do list,
typed (TodoItemOut), its sentences in the caller's language, each item with its link; 401 without a token."""

from __future__ import annotations

import sqlalchemy as sa
from fastapi.testclient import TestClient

from contract_flow.adapters.tables import person_table
from contract_flow.api.routes.todo import TodoItemOut
from contract_flow.bootstrap import App
from contract_flow.services.reviews import acknowledge_review
from tests.e2e.api.conftest import ROLES, World


def my_todo(client: TestClient, world: World, role: str, cfa: int = 1, **headers: str) -> list[dict[str, object]]:
    answer = client.get("/api/v1/me/todo", headers={**world.as_(role, cfa), **headers})
    assert answer.status_code == 200, answer.text
    found = answer.json()
    items = found["items"]
    assert found["total"] == len(items)
    assert found["overdue"] == sum(1 for item in items if item["overdue"])
    for item in items:
        TodoItemOut.model_validate(item)  # the documented shape, field by field
    return items


def test_each_role_gets_its_own_list_of_its_own_cfa(client: TestClient, world: World) -> None:
    for cfa in (1, 2):
        case_id = world.cfa(cfa).case_id
        for role in ROLES:
            items = my_todo(client, world, role, cfa)
            assert {item["case_id"] for item in items} <= {case_id, world.cfa(cfa).neighbour_id}, (role, cfa)
        advisor = [(item["kind"], item["case_id"]) for item in my_todo(client, world, "advisor", cfa)]
        assert advisor[0] == ("file_contract", case_id)  # due 7 September: overdue, first
        assert ("supply", world.cfa(cfa).neighbour_id) in advisor
        assert my_todo(client, world, "programme_lead", cfa) == []


def test_an_item_in_french_by_default_and_in_english_on_request(app: App, client: TestClient, world: World) -> None:
    case_id = world.one.case_id
    (filing,) = [item for item in my_todo(client, world, "advisor") if item["kind"] == "file_contract"]
    assert filing == {**filing, "case_id": case_id, "state": "trial", "title": "Enregistrer le dépôt du contrat "
                      "auprès de l’OPCO", "due": "2026-09-07", "overdue": True,
                      "due_text": "en retard : à faire pour le 07/09/2026", "link": f"/cases/{case_id}#filing"}
    assert filing["moves"][0]["trigger"] == "pass_trial"
    assert filing["moves"][0]["text"].startswith("fin de l’essai : contrat en cours le ")
    with app.uow() as uow:  # the advisor reads English (their own setting)
        uow.execute(sa.update(person_table).where(person_table.c.email == world.one.user("advisor").email)
                    .values(language="en"))
        uow.commit()
    (english,) = [item for item in my_todo(client, world, "advisor")
                  if item["kind"] == "file_contract"]
    assert (english["title"], english["due_text"]) == ("Record the contract’s filing with the OPCO",
                                                        "overdue: due on 07/09/2026")
    (supply,) = [item for item in my_todo(client, world, "advisor") if item["kind"] == "supply"]
    assert supply["trigger"] == "start_applying"
    assert [blocker["rule"] for blocker in supply["blockers"]] == ["project"]  # type: ignore[union-attr]


def test_the_review_to_acknowledge_leaves_the_list_once_acknowledged(app: App, client: TestClient,
                                                                     world: World) -> None:
    one = world.one
    for role in ("tutor", "mentor", "apprentice"):
        (ack,) = [item for item in my_todo(client, world, role) if item["kind"] == "acknowledge_review"]
        assert (ack["review_id"], ack["due"]) == (one.held_review_id, "2026-10-27")
        acknowledge_review(app, one.held_review_id, actor_email=one.user(role).email)
        assert not [item for item in my_todo(client, world, role) if item["kind"] == "acknowledge_review"]


def test_without_a_token_it_is_401(client: TestClient) -> None:
    assert client.get("/api/v1/me/todo").status_code == 401


def test_the_list_comes_a_page_at_a_time(client: TestClient, world: World) -> None:
    whole = my_todo(client, world, "advisor")
    assert len(whole) >= 2
    answer = client.get("/api/v1/me/todo?limit=1&offset=1", headers=world.as_("advisor"))
    assert answer.status_code == 200, answer.text
    page = answer.json()
    assert (page["items"], page["total"], page["limit"], page["offset"]) == (whole[1:2], len(whole), 1, 1)
    for query in ("limit=0", "limit=501", "offset=-1"):
        refused = client.get(f"/api/v1/me/todo?{query}", headers=world.as_("advisor"))
        assert refused.status_code == 422, query
        assert query.split("=")[0] in refused.text
