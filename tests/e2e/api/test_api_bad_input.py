"""Bad input over HTTP: each gets a 4xx whose `field` names what was wrong (and whose message says it), and
leaves every table as it was. As CFA 1's advisor, on CFA 1's case in its trial, on SQLite and PostgreSQL.

The requests share one world per database (`stage`): none of them may change it; one that did is reported and
the world is put back for the next."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest

from contract_flow.http.limits import MAX_BODY_BYTES
from tests.conftest import snapshot
from tests.e2e.api.conftest import Stage, World

BAD_SIRET = "73282932000075"  # VALID_SIRET with its last digit changed: the Luhn check fails
JSON = {"Content-Type": "application/json"}


@dataclass(frozen=True)
class Bad:
    """One bad request: `path` may name {case}, {neighbour}, {planned} (review); `send` gives the request's
    keyword arguments (json=..., content=..., headers=...)."""

    method: str
    path: str
    send: dict[str, Any]
    status: int
    field: str | None
    #: Words the message must contain (default: the field).
    mentions: tuple[str, ...] = ()
    bug: str | None = None
    extra_headers: dict[str, str] = field(default_factory=dict)


def _padded(document: bytes, size: int) -> bytes:
    """A JSON document padded with trailing whitespace (still valid JSON) to exactly `size` bytes."""
    assert len(document) <= size
    return document + b" " * (size - len(document))


def _chunks(data: bytes, size: int = 4096) -> Iterator[bytes]:
    for start in range(0, len(data), size):
        yield data[start:start + size]


FACTS = "/api/v1/cases/{case}/facts"
GOOD_FACTS = b'{"facts": {"project.mobility_area": "Gard"}}'
NEW_CASE = {"programme": "mecatronique", "first_name": "Zoé", "last_name": "Nouvelle", "birth_date": "2005-03-03",
            "email": "zoe.nouvelle@example.org"}
MALFORMED_FIELD = ("bug: a body that is not JSON answers a `field` that is the parser's character offset "
                   "(e.g. \"10\") or none at all, not \"body\"")
NUL = ("bug: a NUL character in a text value answers 500 on PostgreSQL (psycopg.DataError: text fields cannot "
       "contain NUL bytes) and is stored as is on SQLite; it should be refused (422) naming the field")

CASES: dict[str, Bad] = {
    # -- bodies that are not JSON documents of the right shape
    "malformed_json": Bad("PATCH", FACTS, {"content": b'{"facts": ', "headers": JSON}, 422, "body",
                          bug=MALFORMED_FIELD),
    "invalid_utf8": Bad("PATCH", FACTS, {"content": b'{"facts": {"project.mobility_area": "\xff"}}',
                                         "headers": JSON}, 422, "body", bug=MALFORMED_FIELD),
    "json_array_body": Bad("PATCH", FACTS, {"json": [1, 2]}, 422, "body"),
    "empty_body": Bad("PATCH", FACTS, {"content": b"", "headers": JSON}, 422, "body"),
    # -- unknown fields
    "unknown_field": Bad("PATCH", FACTS, {"json": {"facts": {"project.mobility_area": "Gard"}, "colour": "red"}},
                         422, "colour"),
    "unknown_field_in_a_review_log": Bad(
        "POST", "/api/v1/reviews/{planned}/log",
        {"json": {"attended": ["apprentice"], "skills": {"soudage": "acquired"}, "grade": "A"}}, 422, "grade"),
    "unknown_field_in_a_new_case": Bad("POST", "/api/v1/cases", {"json": {**NEW_CASE, "id": 1}}, 422, "id"),
    "unknown_fact": Bad("PATCH", FACTS, {"json": {"facts": {"project.colour": "red"}}}, 422, "project.colour"),
    # -- too big
    "oversized_body": Bad("PATCH", FACTS, {"content": _padded(GOOD_FACTS, MAX_BODY_BYTES + 1), "headers": JSON},
                          413, "body"),
    "oversized_chunked_body": Bad("PATCH", FACTS, {"content": lambda: _chunks(_padded(GOOD_FACTS, 70_000)),
                                                   "headers": JSON}, 413, "body"),
    "oversized_fact_value": Bad("PATCH", FACTS, {"json": {"facts": {"project.target_job": "x" * 401}}}, 422,
                                "facts.project.target_job"),
    "too_many_facts": Bad("PATCH", FACTS, {"json": {"facts": {f"k{n}": "v" for n in range(41)}}}, 422, "facts"),
    # -- wrong types
    "birth_date_a_number": Bad("POST", "/api/v1/cases", {"json": {**NEW_CASE, "birth_date": 12}}, 422,
                               "birth_date"),
    "facts_a_string": Bad("PATCH", FACTS, {"json": {"facts": "x"}}, 422, "facts"),
    "fact_value_a_number": Bad("PATCH", FACTS, {"json": {"facts": {"project.target_job": 5}}}, 422,
                               "facts.project.target_job"),
    "trigger_a_number": Bad("POST", "/api/v1/cases/{case}/transitions", {"json": {"trigger": 5}}, 422, "trigger"),
    "attended_a_string": Bad("POST", "/api/v1/reviews/{planned}/log",
                             {"json": {"attended": "apprentice", "skills": {"soudage": "acquired"}}}, 422, "attended"),
    "case_id_not_a_number": Bad("GET", "/api/v1/cases/abc", {}, 422, "case_id"),
    "limit_zero": Bad("GET", "/api/v1/cases?limit=0", {}, 422, "limit"),
    # -- missing required fields
    "missing_birth_date": Bad("POST", "/api/v1/cases",
                              {"json": {k: v for k, v in NEW_CASE.items() if k != "birth_date"}}, 422, "birth_date"),
    "missing_trigger": Bad("POST", "/api/v1/cases/{case}/transitions", {"json": {"reason": "x"}}, 422, "trigger"),
    "missing_absence_start": Bad("POST", "/api/v1/cases/{case}/absences", {"json": {"to": "2026-10-13"}}, 422,
                                 "from"),
    # -- values the domain refuses
    "bad_siret_fact": Bad("PATCH", FACTS, {"json": {"facts": {"offer.siret": BAD_SIRET}}}, 422, "offer.siret",
                          mentions=("offer.siret", "Luhn")),
    "bad_siret_with_a_transition": Bad(
        "POST", "/api/v1/cases/{case}/transitions",
        {"json": {"trigger": "pass_trial", "facts": {"contract.employer_siret": BAD_SIRET}}}, 422,
        "contract.employer_siret", mentions=("contract.employer_siret", "Luhn")),
    "bad_siret_offer": Bad("PUT", "/api/v1/cases/{neighbour}/offer", {"json": {"siret": BAD_SIRET}}, 422,
                           "offer.siret", mentions=("Luhn",)),
    "unknown_trigger": Bad("POST", "/api/v1/cases/{case}/transitions", {"json": {"trigger": "fly"}}, 422,
                           "trigger"),
    "bad_email": Bad("POST", "/api/v1/cases", {"json": {**NEW_CASE, "email": "nope"}}, 422, "email"),
    "birth_date_in_the_future": Bad("POST", "/api/v1/cases", {"json": {**NEW_CASE, "birth_date": "2030-01-01"}},
                                    422, "birth_date"),
    "absence_ending_before_it_starts": Bad("POST", "/api/v1/cases/{case}/absences",
                                           {"json": {"from": "2026-10-13", "to": "2026-10-12"}}, 422, "to"),
    "track_not_a_track": Bad("POST", "/api/v1/cases", {"json": {**NEW_CASE, "track": "fast"}}, 422, "track"),
    "nul_in_a_fact": Bad("PATCH", FACTS, {"json": {"facts": {"project.target_job": "a\x00b"}}}, 422,
                         "project.target_job", bug=NUL),
    "nul_in_a_name": Bad("POST", "/api/v1/cases", {"json": {**NEW_CASE, "first_name": "Zo\x00é"}}, 422,
                         "first_name", bug=NUL),
    "nul_in_a_query": Bad("GET", "/api/v1/cases?programme=a%00", {}, 422, "programme", bug=NUL),
    # -- If-Match
    "if_match_not_a_version": Bad("PATCH", FACTS, {"json": {"facts": {"project.mobility_area": "Gard"}}}, 422,
                                  "If-Match", extra_headers={"If-Match": "abc"}),
    "if_match_weak_not_a_version": Bad("PATCH", FACTS, {"json": {"facts": {"project.mobility_area": "Gard"}}}, 422,
                                       "If-Match", extra_headers={"If-Match": 'W/"x1"'}),
    "if_match_stale": Bad("PATCH", FACTS, {"json": {"facts": {"project.mobility_area": "Gard"}}}, 409, "If-Match",
                          mentions=("version 1",), extra_headers={"If-Match": '"1"'}),
}


def _path(world: World, template: str) -> str:
    return template.format(case=world.one.case_id, neighbour=world.one.neighbour_id,
                           planned=world.one.planned_review_id)


def _cases() -> list[Any]:
    return [pytest.param(bad, id=name)
            for name, bad in CASES.items()]


@pytest.mark.parametrize("bad", _cases())
def test_bad_input_gets_a_4xx_naming_the_field_and_changes_nothing(stage: Stage, bad: Bad) -> None:
    world = stage.world
    send = {key: value() if callable(value) else value for key, value in bad.send.items()}
    headers = {**world.as_("advisor"), **send.pop("headers", {}), **bad.extra_headers}
    with stage.kept() as before:
        response = stage.client.request(bad.method, _path(world, bad.path), headers=headers, **send)

        assert response.status_code == bad.status, response.text
        if not isinstance(send.get("content", b""), bytes):
            assert "Content-Length" not in response.request.headers  # sent chunked: no size declared
        payload = response.json()
        assert payload["error"] in {"invalid_input", "payload_too_large", "conflict"}, payload
        assert payload["field"] == bad.field, payload
        for word in bad.mentions or (bad.field or "",):
            assert word in payload["message"], payload
        assert snapshot(stage.app) == before


def test_a_body_of_exactly_64_kib_is_read_and_one_byte_more_is_refused(stage: Stage) -> None:
    path = _path(stage.world, FACTS)
    headers = {**stage.world.as_("advisor"), **JSON}
    with stage.kept() as before:
        over = stage.client.patch(path, content=_padded(GOOD_FACTS, MAX_BODY_BYTES + 1), headers=headers)
        assert over.status_code == 413
        assert snapshot(stage.app) == before

        at_limit = stage.client.patch(path, content=_padded(GOOD_FACTS, MAX_BODY_BYTES), headers=headers)
        assert at_limit.status_code == 200, at_limit.text


def test_a_small_chunked_body_is_read_like_any_other(stage: Stage) -> None:
    with stage.kept():
        response = stage.client.patch(_path(stage.world, FACTS), content=_chunks(GOOD_FACTS, 8),
                                      headers={**stage.world.as_("advisor"), **JSON})
        assert response.request.headers["Transfer-Encoding"] == "chunked"
        assert "Content-Length" not in response.request.headers
        assert response.status_code == 200, response.text
        assert response.json()["state"] == "trial"


def test_validation_errors_list_every_field_at_fault(stage: Stage) -> None:
    with stage.kept() as before:
        response = stage.client.post("/api/v1/cases", headers=stage.world.as_("advisor"), json={
            "programme": "mecatronique", "birth_date": "yesterday", "colour": "red"})
        assert response.status_code == 422
        payload = response.json()
        assert {error["field"] for error in payload["errors"]} == {
            "first_name", "last_name", "birth_date", "email", "colour"}
        assert payload["field"] in {error["field"] for error in payload["errors"]}
        assert snapshot(stage.app) == before
