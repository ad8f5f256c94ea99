"""Issue 12, item 3: cross-CFA data through reminders, on SQLite and PostgreSQL, in the world of two CFAs.

The attack: `POST /api/v1/cases` and the CSV `advisor` column took any user as the advisor (another CFA's advisor,
the apprentice of another case), who then received this CFA's candidate's reminders; and a case opened with
another CFA's apprentice's email was visible to that apprentice. Now the advisor named at the opening meets the
check a fact `advisor` meets (a user of the programme's CFA, advisor or programme lead), the candidate's email
cannot be another CFA's user's nor a staff member's, and an apprentice sees the case their user is linked to, or,
linked to none, their own CFA's cases with their email (domain.access.sees and services.access.case_scope, checked
equal on every case for every user). Refusals name the field, never the other CFA, and change nothing.
"""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import date
from typing import Any

import pytest
from fastapi.testclient import TestClient

from contract_flow.adapters.clock import FixedClock
from contract_flow.asgi import create_app
from contract_flow.bootstrap import App
from contract_flow.domain.access import sees
from contract_flow.domain.case import ALL_PARTS
from contract_flow.domain.events import OpenCase
from contract_flow.services.access import Principal, authenticate, case_scope
from contract_flow.services.cases import open_case
from contract_flow.services.directory import add_programme, add_user
from contract_flow.services.importer import import_cases
from contract_flow.services.queries import find_cases
from tests.conftest import snapshot
from tests.support.world import PASSWORD, World, build_world

pytestmark = pytest.mark.postgres


@pytest.fixture
def world(app: App, clock: FixedClock) -> World:
    return build_world(app, clock)


@pytest.fixture
def client(app: App, world: World) -> Iterator[TestClient]:
    with TestClient(create_app(app), raise_server_exceptions=False) as test_client:
        yield test_client

CANDIDATE = {"programme": "mecatronique", "first_name": "Zoé", "last_name": "Petit", "birth_date": "2005-12-19",
             "email": "zoe.petit@example.org"}


def _refused(response: Any, field: str) -> dict[str, Any]:
    assert response.status_code == 422, response.text
    body = response.json()
    assert body["field"] == field, body
    return dict(body)


@pytest.mark.parametrize(("advisor", "why"), [
    (lambda w: w.two.user("advisor").email, "another CFA's advisor"),
    (lambda w: w.two.user("programme_lead").email, "another CFA's programme lead"),
    (lambda w: w.one.user("apprentice").email, "the apprentice of another case"),
    (lambda w: w.one.user("mentor").email, "a mentor"),
    (lambda w: "nobody@nowhere.example", "no user at all"),
])
def test_a_case_is_not_opened_with_an_advisor_who_is_not_this_cfas_staff(
        app: App, world: World, client: TestClient, advisor: Any, why: str) -> None:
    before = snapshot(app)
    body = _refused(client.post("/api/v1/cases", json={**CANDIDATE, "advisor": advisor(world)},
                                headers=world.as_("advisor")), "advisor")
    assert world.two.code not in body["message"], why  # another CFA's name is not told
    assert snapshot(app) == before


def test_a_case_opens_with_this_cfas_advisor_or_programme_lead(app: App, world: World,
                                                               client: TestClient) -> None:
    for role in ("advisor", "programme_lead"):
        opened = client.post("/api/v1/cases", json={**CANDIDATE, "email": f"{role}.zoe@example.org",
                                                    "advisor": world.one.user(role).email},
                             headers=world.as_("advisor"))
        assert opened.status_code == 201, opened.text


@pytest.mark.parametrize(("email", "field_message"), [
    (lambda w: w.two.user("apprentice").email, "is a user of another CFA"),
    (lambda w: w.two.user("advisor").email, "is a user of another CFA"),
    (lambda w: w.one.user("tutor").email, "is a user whose role is tutor, not apprentice"),
])
def test_a_case_is_not_opened_with_the_email_of_another_cfas_user_or_of_staff(
        app: App, world: World, client: TestClient, email: Any, field_message: str) -> None:
    before = snapshot(app)
    body = _refused(client.post("/api/v1/cases", json={**CANDIDATE, "email": email(world)},
                                headers=world.as_("advisor")), "email")
    assert field_message in body["message"]
    assert world.two.code not in body["message"]
    assert snapshot(app) == before


def test_the_candidate_email_recorded_as_a_fact_meets_the_same_check(app: App, world: World,
                                                                     client: TestClient) -> None:
    before = snapshot(app)
    _refused(client.patch(f"/api/v1/cases/{world.one.neighbour_id}/facts",
                         json={"facts": {"candidate.email": world.two.user("apprentice").email}},
                         headers=world.as_("advisor")), "candidate.email")
    assert snapshot(app) == before


def test_the_csv_advisor_column_meets_the_same_check(app: App, world: World) -> None:
    rows = [f"mecatronique,Zoé,Petit,2005-12-19,zoe{index}@example.org,standard,{advisor}"
            for index, advisor in enumerate((world.two.user("advisor").email, world.one.user("apprentice").email,
                                             world.one.user("advisor").email))]
    before = snapshot(app)["apprenticeship_case"]
    report = import_cases(app, io.StringIO("\n".join(["programme,first_name,last_name,birth_date,email,track,advisor",
                                                      *rows]) + "\n"), programmes={"mecatronique"})
    assert [(p.line, p.field) for p in report.problems] == [(2, "advisor"), (3, "advisor")]
    assert all(world.two.code not in p.message for p in report.problems)
    assert [line for line, _ in report.imported] == [4]
    assert len(snapshot(app)["apprenticeship_case"]) == len(before) + 1


def test_an_apprentice_of_another_cfa_does_not_see_a_case_opened_with_their_email(
        app: App, world: World, client: TestClient) -> None:
    """The case was opened (an operator's batch, before the user existed) with an email that is now the login
    of an apprentice of CFA two, linked to no case: it is CFA one's, so not theirs to see."""
    email = "camille.roux@example.org"
    case_id = open_case(app, OpenCase("mecatronique", "Camille", "Roux", date(2005, 3, 1),
                                      email))
    token = add_user(app, email, name="Camille Roux", role="apprentice", cfa_code=world.two.code,
                     password=PASSWORD).token
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/v1/cases/{case_id}", headers=headers).status_code == 404
    assert client.get("/api/v1/cases", headers=headers).json()["items"] == []


def test_an_apprentice_linked_to_their_case_does_not_see_another_case_opened_with_their_email(
        app: App, world: World, client: TestClient) -> None:
    apprentice = world.one.user("apprentice")
    opened = client.post("/api/v1/cases", json={**CANDIDATE, "email": apprentice.email},
                         headers=world.as_("advisor"))
    assert opened.status_code == 201, opened.text  # the same person may have a second case of this CFA
    other = opened.json()["id"]
    assert client.get(f"/api/v1/cases/{other}", headers=world.as_("apprentice")).status_code == 404
    listed = client.get("/api/v1/cases", headers=world.as_("apprentice")).json()["items"]
    assert [item["id"] for item in listed] == [world.one.case_id]


def test_an_apprentice_linked_to_no_case_sees_their_own_cfas_cases_with_their_email(
        app: App, world: World, client: TestClient) -> None:
    email = "sam.blanc@example.org"
    opened = client.post("/api/v1/cases", json={**CANDIDATE, "email": email}, headers=world.as_("advisor"))
    assert opened.status_code == 201, opened.text
    token = add_user(app, email, name="Sam Blanc", role="apprentice", cfa_code=world.one.code).token
    headers = {"Authorization": f"Bearer {token}"}
    assert client.get(f"/api/v1/cases/{opened.json()['id']}", headers=headers).status_code == 200
    assert [item["id"] for item in client.get("/api/v1/cases", headers=headers).json()["items"]] == [
        opened.json()["id"]]


def _principals(app: App, world: World, extra: list[str]) -> list[Principal]:
    tokens = [user.token for cfa in (world.one, world.two) for user in cfa.users.values()] + extra
    return [authenticate(app, token) for token in tokens]


def test_the_domain_policy_and_the_sql_scope_agree_on_every_case_for_every_user(app: App, world: World) -> None:
    """domain.access.sees (a use case on one case) and services.access.case_scope (lists) are one policy: on every
    case of the world, with the traps above (an unlinked apprentice of CFA two whose email is a CFA one case's, a
    second case with a linked apprentice's email), for every user."""
    add_programme(app, "robotique", name="Robotique", start_date=date(2026, 9, 1), years=3,
                  seats=10, cfa_code=world.one.code)
    open_case(app, OpenCase("robotique", "Léa", "Martin", date(2004, 5, 12),
                            world.one.user("apprentice").email))
    open_case(app, OpenCase("mecatronique", "Camille", "Roux", date(2005, 3, 1),
                            "camille.roux@example.org"))
    extra = [add_user(app, "camille.roux@example.org", name="Camille Roux", role="apprentice",
                      cfa_code=world.two.code).token or "",
             add_user(app, "sans.cfa@example.org", name="Sans CFA", role="apprentice").token or ""]
    ids = [item.id for item in find_cases(app, limit=500).items]
    with app.uow(write=False) as uow:
        cases = [uow.cases.get(case_id, ALL_PARTS) for case_id in ids]
    assert len(cases) == 6  # the world's four and the two traps
    for principal in _principals(app, world, extra):
        listed = {item.id for item in find_cases(app, scope=case_scope(principal), limit=500).items}
        seen = {case.id for case in cases if sees(principal.actor, case)}
        assert listed == seen, principal.email
