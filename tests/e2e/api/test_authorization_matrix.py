"""Every route × every role × whose resource it is, and without a token: the status each cell answers.

Targets: `own` is the resource of CFA 1's apprentice (their case, its reviews), which every CFA 1 user may see;
`neighbour` is another case of CFA 1 (staff see it, the tutor, mentor and apprentice do not); `other_cfa` is
CFA 2's; `missing` an id no row has. A resource out of scope answers 404 exactly as a missing one (ids cannot be
probed); an in-scope resource the role may not act on answers 403; an allowed call answers 2xx or the domain's
409/422. Every refused call leaves every table as it was.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
import sqlalchemy as sa

from contract_flow.adapters.tables import token_table
from tests.conftest import VALID_SIRET, snapshot
from tests.e2e.api.conftest import MISSING, ROLES, STAFF, Cfa, Stage, World

Body = Callable[[World, str], Any] | None
ALL = dict.fromkeys(ROLES, 200)


def staff(ok: int, others: int = 403) -> dict[str, int]:
    return {role: ok if role in STAFF else others for role in ROLES}


def only(roles: tuple[str, ...], ok: int, others: int = 403) -> dict[str, int]:
    return {role: ok if role in roles else others for role in ROLES}


#: Service-level refusals that come out as 422 `transition_refused` where the role may not act at all (403).
ROLE_AS_422 = ("bug: an in-scope resource the role may not act on answers 422 transition_refused (the service's "
               "own check) instead of 403 forbidden")


@dataclass(frozen=True)
class Route:
    method: str
    path: str
    own: dict[str, int]
    body: Body = None
    #: "case", "review" (the planned one), "held" (the held review), "message", or None for a collection.
    resource: str | None = None
    #: Staff's answers on the neighbour case (the other roles do not see it: 404).
    neighbour: dict[str, int] | None = None
    #: Answers for another CFA's resource, when they are not 404 for everyone (POST /cases names a programme).
    other_cfa: dict[str, int] | None = None
    #: Cells (role, target) that answer wrongly today: the reason names the bug.
    bugs: dict[tuple[str, str], str] = field(default_factory=dict)

    @property
    def name(self) -> str:
        return f"{self.method} {self.path.removeprefix('/api/v1')}"

    def targets(self) -> tuple[str, ...]:
        if self.resource is None:
            return ("own", "other_cfa") if self.other_cfa else ("own",)
        if self.resource in ("case", "message"):
            return ("own", "neighbour", "other_cfa", "missing")
        return ("own", "other_cfa", "missing")

    def expected(self, role: str, target: str) -> int:
        if target == "own":
            return self.own[role]
        if target == "neighbour" and self.resource == "case" and role in STAFF:
            assert self.neighbour is not None, self.name
            return self.neighbour[role]
        if target == "other_cfa" and self.other_cfa:
            return self.other_cfa[role]
        return 404


def _new_case(world: World, target: str) -> dict[str, str]:
    programme = world.two.programme if target == "other_cfa" else world.one.programme
    return {"programme": programme, "first_name": "Zoé", "last_name": "Nouvelle", "birth_date": "2005-03-03",
            "email": "zoe.nouvelle@example.org"}


def _fixed(body: Any) -> Body:
    return lambda world, target: body


BREAK = {"trigger": "break_trial", "reason": "fin de période d'essai", "facts": {"contract.ended_by": "apprentice"}}
ROUTES = (
    Route("GET", "/api/v1/programmes", ALL),
    Route("POST", "/api/v1/programmes", only(("programme_lead",), 201),
          _fixed({"code": "nouveau", "name": "Nouvelle formation", "start_date": "2027-09-01"})),
    Route("GET", "/api/v1/board", staff(200)),
    Route("GET", "/api/v1/inbox", ALL),
    Route("POST", "/api/v1/inbox/{message_id}/read", ALL, resource="message"),
    Route("POST", "/api/v1/inbox/read-all", ALL),
    Route("GET", "/api/v1/cases", ALL),
    Route("POST", "/api/v1/cases", staff(201), _new_case, other_cfa=staff(404)),
    Route("GET", "/api/v1/cases/{case_id}", ALL, resource="case", neighbour=staff(200)),
    Route("GET", "/api/v1/cases/{case_id}/history", ALL, resource="case", neighbour=staff(200)),
    Route("POST", "/api/v1/cases/{case_id}/transitions", staff(200), _fixed(BREAK), "case",
          neighbour=staff(409), bugs={(role, "own"): ROLE_AS_422 for role in ("tutor", "mentor", "apprentice")}),
    Route("PATCH", "/api/v1/cases/{case_id}/facts", staff(200), _fixed({"facts": {"project.mobility_area": "Gard"}}),
          "case", neighbour=staff(200)),
    Route("POST", "/api/v1/cases/{case_id}/applications", staff(201),
          _fixed({"company": "Atelier SA", "siret": VALID_SIRET, "applied_on": "2026-10-01"}), "case",
          neighbour=staff(201)),
    Route("PUT", "/api/v1/cases/{case_id}/offer", staff(422), _fixed({"company": "Atelier SA"}), "case",
          neighbour=staff(200)),
    Route("PUT", "/api/v1/cases/{case_id}/contract", staff(200), _fixed({"opco_filed_on": "2026-09-03"}), "case",
          neighbour=staff(200)),
    Route("POST", "/api/v1/cases/{case_id}/absences", only(("advisor", "programme_lead", "mentor"), 201),
          _fixed({"from": "2026-10-12", "to": "2026-10-13", "reason": "maladie"}), "case", neighbour=staff(422)),
    Route("GET", "/api/v1/cases/{case_id}/reminders", staff(200), resource="case", neighbour=staff(200)),
    Route("GET", "/api/v1/cases/{case_id}/reviews", ALL, resource="case", neighbour=staff(200)),
    Route("GET", "/api/v1/cases/{case_id}/dossier", {**ALL, "tutor": 403}, resource="case", neighbour=staff(200)),
    Route("GET", "/api/v1/cases/{case_id}/dossier/training", {**ALL, "tutor": 403}, resource="case",
          neighbour=staff(200)),
    Route("PUT", "/api/v1/cases/{case_id}/dossier/employer", only(("advisor", "programme_lead", "mentor"), 200),
          _fixed({"idcc_code": "3248", "version": 1}), "case", neighbour=staff(409)),
    Route("PUT", "/api/v1/cases/{case_id}/dossier/training", staff(200), _fixed({"training_hours": 1700}), "case",
          neighbour=staff(200)),
    Route("POST", "/api/v1/cases/{case_id}/reviews", only(("advisor", "programme_lead", "tutor"), 201),
          _fixed({"planned_at": "2027-10-20T14:00:00+02:00", "place": "Salle B12"}), "case", neighbour=staff(422),
          bugs={(role, "own"): ROLE_AS_422 for role in ("mentor", "apprentice")}),
    Route("GET", "/api/v1/reviews/{review_id}", ALL, resource="review"),
    Route("POST", "/api/v1/reviews/{review_id}/log", only(("advisor", "programme_lead", "tutor"), 422),
          _fixed({"attended": ["apprentice", "tutor"], "skills": {"Prototypage": "acquired"}}), "review",
          bugs={(role, "own"): ROLE_AS_422 for role in ("mentor", "apprentice")}),
    Route("POST", "/api/v1/reviews/{review_id}/miss", only(("advisor", "programme_lead", "tutor"), 200),
          _fixed({"reason": "maître d'apprentissage absent"}), "review",
          bugs={(role, "own"): ROLE_AS_422 for role in ("mentor", "apprentice")}),
    Route("POST", "/api/v1/reviews/{review_id}/reschedule", only(("advisor", "programme_lead", "tutor"), 409),
          _fixed({"planned_at": "2027-04-27T14:00:00+02:00"}), "review",
          bugs={(role, "own"): ROLE_AS_422 for role in ("mentor", "apprentice")}),
    Route("POST", "/api/v1/reviews/{review_id}/cancel", only(("advisor", "programme_lead", "tutor"), 200),
          resource="review", bugs={(role, "own"): ROLE_AS_422 for role in ("mentor", "apprentice")}),
    Route("POST", "/api/v1/reviews/{review_id}/ack", only(("tutor", "mentor", "apprentice"), 200),
          resource="held", bugs={(role, "own"): ROLE_AS_422 for role in STAFF}),
    Route("GET", "/api/v1/cases/{case_id}/filing", only(("advisor", "programme_lead", "mentor", "apprentice"), 200),
          resource="case", neighbour=staff(200)),
    Route("POST", "/api/v1/cases/{case_id}/filing", staff(200), _fixed({"filed_on": "2026-09-03"}), "case",
          neighbour=staff(409)),
    Route("POST", "/api/v1/cases/{case_id}/opco-decision", staff(409),
          _fixed({"decision": "accepted", "deca_number": "030202609000123"}), "case", neighbour=staff(409)),
    Route("GET", "/api/v1/cases/{case_id}/tdb-status", ALL, resource="case", neighbour=staff(200)),
    Route("GET", "/api/v1/tdb/reconciliation", staff(200)),
)
#: Who has a message of their own in the world (the review invitations went to the apprentice, mentor and tutor).
WITH_MESSAGES = ("tutor", "mentor", "apprentice")


def target_id(world: World, route: Route, role: str, target: str) -> int | None:
    """The id the path names for this cell (None: a collection route)."""
    if route.resource is None:
        return None
    if target == "missing":
        return MISSING
    cfa = world.two if target == "other_cfa" else world.one
    if route.resource == "message":
        return _message_id(cfa, role, target)
    return {"case": cfa.neighbour_id if target == "neighbour" else cfa.case_id, "review": cfa.planned_review_id,
            "held": cfa.held_review_id}[route.resource]


def _message_id(cfa: Cfa, role: str, target: str) -> int:
    """One's own message, someone else's of the same CFA (`neighbour`), the other CFA's apprentice's."""
    if target == "own":
        own = cfa.messages[role]
        assert own is not None, f"{role} has no message in the world"
        return own
    if target == "neighbour":
        return int(cfa.messages["tutor" if role == "apprentice" else "apprentice"] or 0)
    return cfa.message_id


def url(world: World, route: Route, role: str, target: str) -> str:
    found = target_id(world, route, role, target)
    return re.sub(r"\{\w+\}", str(found), route.path)


def _cells() -> list[Any]:
    cells = []
    for route in ROUTES:
        for role in ROLES:
            for target in route.targets():
                if route.resource == "message" and target == "own" and role not in WITH_MESSAGES:
                    continue
                cells.append(pytest.param(route, role, target, id=f"{route.name}|{role}|{target}"))
    return cells


def call(stage: Stage, route: Route, path: str, headers: dict[str, str], target: str) -> Any:
    body = route.body(stage.world, target) if route.body else None
    return stage.client.request(route.method, path, headers=headers, json=body)


def assert_error_shape(payload: dict[str, Any], error: str) -> None:
    assert {"error", "message", "field"} <= payload.keys(), payload
    assert payload["error"] == error, payload
    assert isinstance(payload["message"], str)
    assert payload["message"]


def _without_id(payload: dict[str, Any], found: int) -> str:
    return re.sub(rf"\b{found}\b", "<id>", json.dumps(payload, sort_keys=True))


@pytest.mark.parametrize(("route", "role", "target"), _cells())
def test_each_role_gets_the_answer_of_its_scope_and_refusals_change_nothing(
        stage: Stage, route: Route, role: str, target: str) -> None:
    world = stage.world
    expected = route.expected(role, target)
    path = url(world, route, role, target)
    writes = route.method != "GET"
    before = snapshot(stage.app) if writes else None
    after = None
    try:
        response = call(stage, route, path, world.as_(role), target)
        after = snapshot(stage.app) if writes else None
        assert response.status_code == expected, f"{route.name} as {role} on {target}: {response.text}"
        if expected >= 400:
            assert after == before, f"{route.name} as {role} on {target} changed the database"
            errors = {401: "unauthenticated", 403: "forbidden", 404: "not_found"}
            assert_error_shape(response.json(), errors.get(expected, response.json()["error"]))
        if expected == 404 and target != "missing" and route.resource is not None:
            # Out of scope looks exactly like missing: same status, same body but for the id, same headers.
            missing = call(stage, route, url(world, route, role, "missing"), world.as_(role), target)
            assert missing.status_code == 404
            found = target_id(world, route, role, target)
            assert found is not None
            assert _without_id(response.json(), found) == _without_id(missing.json(), MISSING)
            assert dict(response.headers) | {"content-length": "-"} == dict(missing.headers) | {"content-length": "-"}
    finally:
        if writes and (after if after is not None else snapshot(stage.app)) != before:
            stage.restore()  # an allowed write (or a wrong answer): the next cell starts from the world as built


def test_reads_change_nothing(stage: Stage) -> None:
    """The cells above skip the snapshots of GET routes: every GET of the table, as each role, changes nothing."""
    before = snapshot(stage.app)
    for route in (route for route in ROUTES if route.method == "GET"):
        for role in ROLES:
            for target in route.targets():
                call(stage, route, url(stage.world, route, role, target), stage.world.as_(role), target)
    assert snapshot(stage.app) == before


CREDENTIALS = {
    "no_token": {},
    "bad_token": {"Authorization": "Bearer not-a-token"},
    "empty_bearer": {"Authorization": "Bearer "},
    "basic_scheme": {"Authorization": "Basic YWR2aXNvcjpzZWNyZXQ="},
}


@pytest.mark.parametrize("credentials", CREDENTIALS)
@pytest.mark.parametrize("route", ROUTES, ids=[route.name for route in ROUTES])
def test_every_route_answers_401_without_a_valid_token_and_changes_nothing(
        stage: Stage, route: Route, credentials: str) -> None:
    with stage.kept() as before:
        response = call(stage, route, url(stage.world, route, "apprentice", "own"), CREDENTIALS[credentials], "own")
        assert response.status_code == 401, response.text
        assert response.headers["WWW-Authenticate"] == "Bearer"
        assert_error_shape(response.json(), "unauthenticated")
        assert snapshot(stage.app) == before


def test_a_revoked_token_answers_401(stage: Stage) -> None:
    world = stage.world
    token = world.token("advisor")
    assert stage.client.get("/api/v1/cases", headers=world.as_("advisor")).status_code == 200
    with stage.app.engine.begin() as connection:
        connection.execute(sa.update(token_table).values(revoked_at=stage.clock.now()))
    try:
        response = stage.client.get("/api/v1/cases", headers={"Authorization": f"Bearer {token}"})
        assert response.status_code == 401
        assert_error_shape(response.json(), "unauthenticated")
    finally:
        stage.restore()


def test_health_answers_without_a_token(stage: Stage) -> None:
    response = stage.client.get("/api/v1/health")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "sqlite" if stage.database == "sqlite" else "postgresql"}


@pytest.mark.parametrize("role", ROLES)
def test_case_lists_hold_exactly_the_cases_of_the_role_scope(stage: Stage, role: str) -> None:
    world = stage.world
    one = world.one
    scope = {one.case_id, one.neighbour_id} if role in STAFF else {one.case_id}
    for cfa, expected in ((1, scope), (2, {world.two.case_id, world.two.neighbour_id} if role in STAFF
                                       else {world.two.case_id})):
        page = stage.client.get("/api/v1/cases", headers=world.as_(role, cfa)).json()
        assert {item["id"] for item in page["items"]} == expected
        assert page["total"] == len(expected)


@pytest.mark.parametrize("role", ROLES)
def test_the_inbox_holds_only_ones_own_messages(stage: Stage, role: str) -> None:
    world = stage.world
    for cfa in (1, 2):
        items = stage.client.get("/api/v1/inbox", headers=world.as_(role, cfa)).json()
        own = world.cfa(cfa).messages[role]
        assert (own in {item["id"] for item in items}) if own else items == []
        others = {m for r, m in world.cfa(cfa).messages.items() if m and r != role}
        others |= {m for m in world.cfa(3 - cfa).messages.values() if m}
        assert not others & {item["id"] for item in items}
