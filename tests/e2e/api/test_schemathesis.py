"""Schemathesis over the OpenAPI document, in process: for every operation, generated requests (as CFA 1's
advisor, and again as its apprentice) never get a 5xx, and every answer matches the schema the document declares.

Path ids are CFA 1's own (its apprentice's case, planned review, the user's message) so that requests reach the
use cases instead of stopping at "not found"; the authorization matrix covers the other ids. The world is shared
per database (`stage`): generated writes pile up on it, which is fine for these two checks.
"""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any, cast

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error, response_schema_conformance

from contract_flow.asgi import create_app
from contract_flow.bootstrap import App
from contract_flow.settings import Settings
from tests.e2e.api.conftest import Stage

EXAMPLES = 15
#: The document does not depend on the services: it is read from an app that has none but its settings (no
#: database is opened; the web pages' session middleware reads the secret key).
DOCUMENT = create_app(cast(App, SimpleNamespace(settings=Settings(environment="test")))).openapi()
schema = schemathesis.openapi.from_dict(DOCUMENT)
schema.config.generation.update(max_examples=EXAMPLES, deterministic=True)


def _own_ids(stage: Stage, role: str) -> dict[str, int]:
    one = stage.world.one
    return {"case_id": one.case_id, "review_id": one.planned_review_id,
            "message_id": one.messages[role] or one.message_id}


@pytest.mark.parametrize("role", ["advisor", "apprentice"])
@schema.parametrize()
@settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
          suppress_health_check=list(HealthCheck))
def test_no_server_error_and_every_answer_matches_the_schema(case: Any, stage: Stage, role: str) -> None:
    if case.path_parameters:
        ids = _own_ids(stage, role)
        case.path_parameters = {name: ids.get(name, value) for name, value in case.path_parameters.items()}
    case.call_and_validate(app=stage.client.app, headers=stage.world.as_(role),
                           checks=[not_a_server_error, response_schema_conformance])


# -- the document itself ---------------------------------------------------------------------------------------
UNDOCUMENTED_ERRORS = ("bug: the OpenAPI document does not describe the errors the API answers: 422 is declared as "
                       "FastAPI's HTTPValidationError {detail: [...]} (the API answers {error, message, field, "
                       "errors}; response_schema_conformance passes only because `detail` is optional), and 401, "
                       "403, 404, 413 are declared nowhere")
OPERATIONS = [(method, path) for path, item in DOCUMENT["paths"].items() for method in item]


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        node = DOCUMENT["components"]["schemas"][node["$ref"].rsplit("/", 1)[-1]]
    return node


def _undeclared(method: str, path: str) -> list[str]:
    """What the operation's document leaves out of the errors it answers: statuses, or the error shape."""
    operation = DOCUMENT["paths"][path][method]
    expected = {"401", "422"} | ({"404"} if "{" in path else set()) | ({"413"} if method != "get" else set())
    problems = [f"{method.upper()} {path}: {status} not declared"
                for status in sorted(expected - set(operation["responses"]))]
    for status in sorted(expected & set(operation["responses"])):
        content = operation["responses"][status].get("content", {}).get("application/json", {})
        schema = _resolve(content.get("schema", {}))
        if not {"error", "message", "field"} <= set(schema.get("properties", {})):
            title = schema.get("title", "untyped")
            problems.append(f"{method.upper()} {path}: {status} is {title}, not the error shape")
    return problems


def test_the_document_declares_the_error_answers_with_their_shape() -> None:
    problems = [problem for method, path in OPERATIONS if path != "/api/v1/health"
                for problem in _undeclared(method, path)]
    assert problems == []


def test_every_operation_but_health_requires_the_bearer_token() -> None:
    assert {(m, p) for m, p in OPERATIONS if DOCUMENT["paths"][p][m].get("security") != [{"HTTPBearer": []}]} == {
        ("get", "/api/v1/health")}
    assert DOCUMENT["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"
