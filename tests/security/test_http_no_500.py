"""Issue 12, item 7: the eight causes of the 500s found by an attacker, each reproduced on SQLite and PostgreSQL,
through the API and the pages. Each now gets a 4xx naming what was wrong (404 for an id no row can have), and
changes nothing.

Sources of the bounds: ids are the schema's INTEGER primary keys (32 bits on PostgreSQL, 64 on SQLite), versions
the INTEGER `version` columns; dates as docs/security.md ("HTTP hardening") says per field.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from fastapi.testclient import TestClient

from contract_flow.asgi import create_app
from tests.conftest import snapshot
from tests.e2e.api.conftest import Stage
from tests.e2e.web.conftest import csrf_of, log_in
from tests.support.world import World

JSON = {"Content-Type": "application/json"}
#: Ids no row can have: past PostgreSQL's INTEGER, past SQLite's 64-bit INTEGER, past both, and negative ones.
HUGE_IDS = (2**31, 2**31 + 1, 2**63 - 1, 2**63, 2**64, 10**30, -(2**63) - 1, -(2**31) - 1)


@dataclass(frozen=True)
class Call:
    """One API request; `path` may name {case}, {planned} (a planned review) and {message} (the apprentice's)."""

    method: str
    path: str
    status: int
    field: str | None = None
    role: str = "advisor"
    send: dict[str, Any] = dataclasses.field(default_factory=dict)
    #: Words the message must contain.
    mentions: tuple[str, ...] = ()


def _path(world: World, template: str, huge: int | None = None) -> str:
    one = world.one
    return template.format(case=one.case_id, planned=one.planned_review_id, message=one.message_id, huge=huge)


def _call(stage: Stage, call: Call, huge: int | None = None) -> Any:
    world = stage.world
    send = dict(call.send)
    headers = {**world.as_(call.role, 1), **send.pop("headers", {})}
    return stage.client.request(call.method, _path(world, call.path, huge), headers=headers, **send)


# -- a mentor's cases at risk ----------------------------------------------------------------------------------
def _ids(stage: Stage, role: str, query: str) -> set[int]:
    response = stage.client.get(f"/api/v1/cases?{query}", headers=stage.world.as_(role, 1))
    assert response.status_code == 200, response.text
    return {item["id"] for item in response.json()["items"]}


@pytest.mark.parametrize("role", ["advisor", "programme_lead", "tutor", "mentor", "apprentice"])
def test_every_role_may_list_its_cases_at_risk(stage: Stage, role: str) -> None:
    """Was a 500 for a mentor (their scope, the case's latest contract, and the risk query both read the contract
    table). Each role gets the CFA's cases at risk that it may see: the mentor their apprentice's (an OPCO filing
    due)."""
    risky = _ids(stage, "advisor", "at_risk=true&limit=500")
    assert _ids(stage, role, "at_risk=true&limit=500") == risky & _ids(stage, role, "limit=500")
    if role == "mentor":
        assert stage.world.one.case_id in risky


# -- ids beyond the database's range ---------------------------------------------------------------------------
ID_ROUTES = (
    Call("GET", "/api/v1/cases/{huge}", 404),
    Call("GET", "/api/v1/cases/{huge}/history", 404),
    Call("GET", "/api/v1/cases/{huge}/reviews", 404),
    Call("GET", "/api/v1/cases/{huge}/reminders", 404),
    Call("PATCH", "/api/v1/cases/{huge}/facts", 404, send={"json": {"facts": {"project.mobility_area": "Gard"}}}),
    Call("POST", "/api/v1/cases/{huge}/transitions", 404, send={"json": {"trigger": "pass_trial"}}),
    Call("POST", "/api/v1/cases/{huge}/absences", 404, send={"json": {"from": "2026-10-12", "to": "2026-10-13"}}),
    Call("GET", "/api/v1/reviews/{huge}", 404),
    Call("POST", "/api/v1/reviews/{huge}/cancel", 404),
    Call("POST", "/api/v1/inbox/{huge}/read", 404, role="apprentice"),
)


@pytest.mark.parametrize("huge", HUGE_IDS, ids=lambda n: f"id{'-' if n < 0 else ''}2^{abs(n).bit_length() - 1}")
@pytest.mark.parametrize("call", ID_ROUTES, ids=lambda c: f"{c.method} {c.path}")
def test_an_id_beyond_the_database_range_is_not_found(stage: Stage, call: Call, huge: int) -> None:
    with stage.kept() as before:
        response = _call(stage, call, huge)
        assert response.status_code == 404, response.text
        assert response.json()["error"] == "not_found"
        assert snapshot(stage.app) == before


def test_an_id_in_range_that_no_row_has_answers_the_same_as_one_beyond_it(stage: Stage) -> None:
    missing = stage.client.get("/api/v1/cases/987654", headers=stage.world.as_("advisor"))
    huge = stage.client.get(f"/api/v1/cases/{2**63}", headers=stage.world.as_("advisor"))
    assert (missing.status_code, huge.status_code) == (404, 404)
    assert missing.json()["error"] == huge.json()["error"] == "not_found"


# -- odd If-Match values ---------------------------------------------------------------------------------------
ODD_VERSIONS = ('"²"', "²", '"١٢"', '"' + "9" * 4300 + '"', "9" * 4301, '"2147483648"', '"9223372036854775808"',
                '"1_000"', '" 1"', '"-1"', '"+1"', '""', "W/")


def _raw(value: str) -> bytes:
    """The header's bytes: Latin-1 where it can be (servers decode headers so: b"\xb2" is read as "²"), else UTF-8."""
    try:
        return value.encode("latin-1")
    except UnicodeEncodeError:
        return value.encode()


@pytest.mark.parametrize("value", ODD_VERSIONS, ids=lambda v: v[:12])
def test_an_odd_if_match_is_refused_naming_the_header(stage: Stage, value: str) -> None:
    with stage.kept() as before:
        response = _call(stage, Call("PATCH", "/api/v1/cases/{case}/facts", 422, send={
            "json": {"facts": {"project.mobility_area": "Gard"}}, "headers": {"If-Match": _raw(value)}}))
        assert response.status_code == 422, response.text
        assert response.json()["field"] == "If-Match"
        assert snapshot(stage.app) == before


# -- far dates (a review's moment within the contract; an absence's days within the contract; a previous contract's
# end between the candidate's birth and the longest contract signed today could last) -------------------------------
FAR_DATES = (
    # The reviews' use cases name the moment "date" (the CLI's --date); the rule: within the contract.
    Call("POST", "/api/v1/cases/{case}/reviews", 422, "date",
         send={"json": {"planned_at": "9999-12-31T23:59:59-14:00"}}, role="tutor", mentions=("outside the contract",)),
    Call("POST", "/api/v1/cases/{case}/reviews", 422, "date",
         send={"json": {"planned_at": "0001-01-01T00:00:00+14:00"}}, role="tutor", mentions=("outside the contract",)),
    Call("POST", "/api/v1/cases/{case}/absences", 422, "to", send={"json": {"from": "2026-10-12",
                                                                          "to": "9999-12-31"}},
         mentions=("after the contract's end",)),
    Call("POST", "/api/v1/cases/{case}/absences", 422, "to", send={"json": {"from": "9999-12-30",
                                                                          "to": "9999-12-31"}}),
    Call("PATCH", "/api/v1/cases/{case}/facts", 422, "previous_contract_end",
         send={"json": {"facts": {"previous_contract_end": "9999-12-31"}}}, mentions=("R6222-47",)),
    Call("PATCH", "/api/v1/cases/{case}/facts", 422, "previous_contract_end",
         send={"json": {"facts": {"previous_contract_end": "0001-01-01"}}}),
)


@pytest.mark.parametrize("call", FAR_DATES, ids=lambda c: f"{c.path.rsplit('/', 1)[-1]}-{json.dumps(c.send)[-32:]}")
def test_a_far_date_is_refused_naming_the_field(stage: Stage, call: Call) -> None:
    with stage.kept() as before:
        response = _call(stage, call)
        assert response.status_code == call.status, response.text
        assert response.json()["field"] == call.field, response.json()
        for words in call.mentions:
            assert words in response.json()["message"], response.json()
        assert snapshot(stage.app) == before


# -- a deep JSON document with a NUL, unauthenticated ----------------------------------------------------------
def _deep(depth: int) -> bytes:
    return b'{"a":' * depth + b'"\\u0000"' + b"}" * depth


@pytest.mark.parametrize("method", ["GET", "POST", "PUT", "PATCH", "DELETE"])
@pytest.mark.parametrize("depth", [10, 1000, 20_000])
def test_a_deep_json_body_with_a_nul_is_refused_without_a_server_error(stage: Stage, method: str,
                                                                         depth: int) -> None:
    for path in ("/api/v1/health", "/api/v1/cases", "/login"):
        response = stage.client.request(method, path, content=_deep(depth), headers=JSON)
        assert 400 <= response.status_code < 500, (path, response.status_code, response.text[:300])


# -- the pages ---------------------------------------------------------------------------------------------------
@dataclass
class _Browsers:
    """A logged-in browser stand-in per role of CFA 1, on the stage's current App (logged in again only when the
    stage was put back, which drops the sessions: logging in costs an argon2 hash and a session row)."""

    app: Any = None
    clients: dict[str, TestClient] = dataclasses.field(default_factory=dict)

    def close(self) -> None:
        for client in self.clients.values():
            client.__exit__(None, None, None)
        self.clients = {}

    def on(self, stage: Stage) -> dict[str, TestClient]:
        if self.app is not stage.app:
            self.close()
            self.app = stage.app
            for role in ("advisor", "tutor", "mentor", "apprentice"):
                client = TestClient(create_app(stage.app), raise_server_exceptions=False)
                client.__enter__()
                self.clients[role] = client
                log_in(client, stage.world.one.user(role).email)
        return self.clients


@pytest.fixture(scope="module")
def _browsers(stage: Stage) -> Iterator[_Browsers]:
    browsers = _Browsers()
    try:
        yield browsers
    finally:
        browsers.close()


@pytest.fixture
def pages(stage: Stage, _browsers: _Browsers) -> dict[str, TestClient]:
    return _browsers.on(stage)


PAGE_ID_ROUTES = (("advisor", "GET", "/cases/{huge}"), ("tutor", "GET", "/cases/{huge}/reviews/new"),
                  ("tutor", "GET", "/reviews/{huge}/log"), ("mentor", "GET", "/cases/{huge}/absences/new"),
                  ("advisor", "POST", "/cases/{huge}/move"), ("advisor", "POST", "/cases/{huge}/record/project"),
                  ("mentor", "POST", "/reviews/{huge}/ack"), ("apprentice", "POST", "/inbox/{huge}/read"))


@pytest.mark.parametrize("huge", [2**31, 2**63, 10**30, -(2**63) - 1], ids=lambda n: f"id{n.bit_length()}bits")
@pytest.mark.parametrize(("role", "method", "path"), PAGE_ID_ROUTES, ids=str)
def test_a_page_for_an_id_beyond_the_database_range_is_not_found(stage: Stage, pages: dict[str, TestClient],
                                                                 role: str, method: str, path: str,
                                                                 huge: int) -> None:
    client = pages[role]
    data = {"csrf_token": csrf_of(client.get("/login", follow_redirects=True).text)} if method == "POST" else None
    with stage.kept() as before:
        response = client.request(method, path.format(huge=huge), data=data, follow_redirects=False)
        assert response.status_code == 404, response.text[:500]
        assert response.headers["content-type"].startswith("text/html")
        assert snapshot(stage.app) == before


def _case_form(stage: Stage, client: TestClient, action: str, data: dict[str, str]) -> Any:
    case = stage.world.one.case_id
    token = csrf_of(client.get(f"/cases/{case}").text)
    return client.post(action.format(case=case), data={**data, "csrf_token": token}, follow_redirects=False)


ODD_FORM_VERSIONS = ("²", "١٢", "9" * 4300, "9" * 5000, "2147483648", "1_000", "-1", "+1")


@pytest.mark.parametrize("version", ODD_FORM_VERSIONS, ids=lambda v: v[:12])
@pytest.mark.parametrize(("action", "data"), [
    ("/cases/{case}/move", {"trigger": "pass_trial"}),
    ("/cases/{case}/record/project", {"project.mobility_area": "Gard"}),
], ids=["move", "facts"])
def test_an_odd_version_in_a_form_is_refused_naming_the_field(stage: Stage, pages: dict[str, TestClient],
                                                              version: str, action: str,
                                                              data: dict[str, str]) -> None:
    with stage.kept() as before:
        response = _case_form(stage, pages["advisor"], action, {**data, "version": version})
        assert 400 <= response.status_code < 500, response.text[:500]
        assert "version" in response.text
        assert snapshot(stage.app) == before


@pytest.mark.parametrize(("action", "data", "named"), [
    ("/cases/{case}/record/project", {"project.target_job": "sou\x00deur"}, "project.target_job"),
    ("/cases/{case}/record/project", {"project.mobility_area": "Gard", "reason": "a\x00b"}, "reason"),
    ("/cases/{case}/move", {"trigger": "pass_trial", "reason": "a\x00b"}, "reason"),
], ids=["fact", "facts-reason", "move-reason"])
def test_a_nul_in_form_text_is_refused_with_a_page_naming_the_field(stage: Stage, pages: dict[str, TestClient],
                                                                    action: str, data: dict[str, str],
                                                                    named: str) -> None:
    with stage.kept() as before:
        response = _case_form(stage, pages["advisor"], action, data)
        assert response.status_code == 422, response.text[:500]
        assert response.headers["content-type"].startswith("text/html")
        assert named in response.text
        assert snapshot(stage.app) == before


def test_a_nul_in_a_review_form_is_refused(stage: Stage, pages: dict[str, TestClient]) -> None:
    client = pages["tutor"]
    review = stage.world.one.planned_review_id
    token = csrf_of(client.get(f"/reviews/{review}/log").text)
    with stage.kept() as before:
        response = client.post(f"/reviews/{review}/log", data={
            "csrf_token": token, "attended_apprentice": "on", "skill_name_0": "sou\x00dure",
            "skill_level_0": "acquired"}, follow_redirects=False)
        assert response.status_code == 422, response.text[:500]
        assert "skill_name_0" in response.text
        assert snapshot(stage.app) == before


@pytest.mark.parametrize(("action", "data", "named"), [
    ("/cases/{case}/absences", {"first_day": "2026-10-12", "last_day": "9999-12-31"}, "to"),
    ("/cases/{case}/reviews", {"planned_at": "9999-12-31T23:59"}, "planned_at"),
], ids=["absence", "review"])
def test_a_far_date_in_a_form_is_refused_naming_the_field(stage: Stage, pages: dict[str, TestClient], action: str,
                                                         data: dict[str, str], named: str) -> None:
    role = "mentor" if "absences" in action else "tutor"
    client = pages[role]
    case = stage.world.one.case_id
    form = f"/cases/{case}/absences/new" if role == "mentor" else f"/cases/{case}/reviews/new"
    token = csrf_of(client.get(form).text)
    with stage.kept() as before:
        response = client.post(action.format(case=case), data={**data, "csrf_token": token}, follow_redirects=False)
        assert response.status_code == 422, response.text[:500]
        assert "9999" in response.text
        assert snapshot(stage.app) == before
