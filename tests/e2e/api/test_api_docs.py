"""The API's documents without internet (issue 15, item 8): /docs and /redoc load their scripts and styles from
this application, never from a CDN; the OpenAPI document describes the API, names the states and triggers as
enums and gives examples of the main bodies. The documents need no database: an app with settings only."""

from __future__ import annotations

import gc
import re
import weakref
from types import SimpleNamespace
from typing import Any, cast

import pytest
from fastapi.testclient import TestClient

from contract_flow.api import schemas
from contract_flow.asgi import create_app, create_served_app
from contract_flow.bootstrap import App
from contract_flow.domain.states import CaseState, Trigger
from contract_flow.http.docs import ASSETS, ASSETS_URL
from contract_flow.settings import Settings

_REFERENCES = re.compile(r"""(?:src|href)\s*=\s*["']([^"']+)["']|url\s*:\s*["']([^"']+)["']""")


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(cast(App, SimpleNamespace(settings=Settings(environment="test")))))


@pytest.fixture(scope="module")
def document(client: TestClient) -> dict[str, Any]:
    answer = client.get("/openapi.json")
    assert answer.status_code == 200
    return cast(dict[str, Any], answer.json())


def _references(html: str) -> list[str]:
    return [first or second for first, second in _REFERENCES.findall(html)]


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_the_documents_refer_to_files_of_this_application_only(client: TestClient, path: str) -> None:
    answer = client.get(path)
    assert answer.status_code == 200
    references = _references(answer.text)
    assert references, answer.text
    assert all(reference.startswith("/") and not reference.startswith("//") for reference in references), references
    assert "cdn" not in answer.text.lower()
    assert "fonts.googleapis" not in answer.text
    for reference in references:
        loaded = client.get(reference)
        assert loaded.status_code == 200, reference


@pytest.mark.parametrize("name", ASSETS)
def test_every_bundled_asset_is_served_with_its_type(client: TestClient, name: str) -> None:
    answer = client.get(f"{ASSETS_URL}/{name}")
    assert answer.status_code == 200
    expected = {"js": "javascript", "css": "text/css", "png": "image/png"}[name.rsplit(".", 1)[1]]
    assert expected in answer.headers["content-type"]
    assert len(answer.content) > 1000


def test_a_missing_asset_is_not_found(client: TestClient) -> None:
    assert client.get(f"{ASSETS_URL}/nothing.js").status_code == 404


def test_the_document_describes_the_api_and_its_tags(document: dict[str, Any]) -> None:
    assert "Authorization: Bearer" in document["info"]["description"]
    assert "If-Match" in document["info"]["description"]
    tags = {tag["name"]: tag["description"] for tag in document["tags"]}
    used = {tag for item in document["paths"].values() for operation in item.values()
            for tag in operation.get("tags", [])}
    assert {"cases", "reviews", "dossier"} <= used
    assert all(tags.get(tag) for tag in ("cases", "reviews", "dossier", "filing", "board", "health"))


def test_states_and_triggers_are_enums(document: dict[str, Any]) -> None:
    schemas = document["components"]["schemas"]
    assert schemas["CaseState"]["enum"] == [state.value for state in CaseState]
    assert schemas["TransitionIn"]["properties"]["trigger"]["enum"] == [trigger.value for trigger in Trigger]
    assert schemas["CaseDetail"]["properties"]["state"] == {"$ref": "#/components/schemas/CaseState"}
    assert schemas["CaseDetail"]["properties"]["allowed"]["items"] == {"$ref": "#/components/schemas/Trigger"}
    history_triggers = schemas["EventOut"]["properties"]["trigger"]["enum"]
    assert set(history_triggers) == {*Trigger, "record_facts", "record_absence"}


@pytest.mark.parametrize("name", ["CaseIn", "TransitionIn", "FactsIn", "ApplicationIn", "OfferIn", "ContractIn",
                                  "AbsenceIn", "ReviewPlanIn", "ReviewLogIn", "CaseDetail", "CasePage", "MovedOut",
                                  "VersionOut", "EventOut"])
def test_the_main_bodies_have_examples_that_fit_their_schema(document: dict[str, Any], name: str) -> None:
    schemas = document["components"]["schemas"]
    # Two models named ContractIn (the case's terms, the dossier's section): FastAPI names them by module.
    schema = schemas.get(name) or schemas[f"contract_flow__api__schemas__{name}"]
    assert schema.get("examples"), name
    for example in schema["examples"]:
        assert set(example) <= set(schema["properties"]), (name, set(example) - set(schema["properties"]))
        assert set(schema.get("required", [])) <= set(example), name


def test_request_examples_are_accepted_by_their_models() -> None:
    for model in (schemas.CaseIn, schemas.TransitionIn, schemas.FactsIn, schemas.ApplicationIn, schemas.OfferIn,
                  schemas.ContractIn, schemas.AbsenceIn, schemas.ReviewPlanIn, schemas.ReviewLogIn,
                  schemas.CaseDetail, schemas.CasePage, schemas.MovedOut, schemas.VersionOut):
        for example in model.model_json_schema()["examples"]:
            model.model_validate(example)


def test_every_operation_has_a_summary_and_a_tag(document: dict[str, Any]) -> None:
    bare = [f"{method.upper()} {path}" for path, item in document["paths"].items() for method, operation in
            item.items() if not operation.get("summary") or not operation.get("tags")]
    assert bare == []


def test_redocs_script_asks_no_cdn_for_its_footer_logo(client: TestClient) -> None:
    script = client.get(f"{ASSETS_URL}/redoc.standalone.js").text
    assert "cdn.redoc.ly" not in script
    assert "API docs by Redocly" in script  # the same script otherwise


def test_an_app_no_longer_used_is_freed() -> None:
    """Nothing global keeps an app alive once it is no longer used: FastAPI caches every endpoint in module-level
    caches (4,096 callables), so an endpoint closing over its app kept each app built, with its routes and
    database engine; the test suite builds thousands of apps and grew to gigabytes, its requests stalling."""
    app = create_app(cast(App, SimpleNamespace(settings=Settings(environment="test"))))
    with TestClient(app) as served:
        for path in ("/docs", "/redoc", "/openapi.json"):
            served.get(path)
    freed = weakref.ref(app)
    del app, served
    gc.collect()
    assert freed() is None


def test_a_served_app_keeps_what_it_started_with_out_of_every_collection() -> None:
    """A server's app (`contract-flow serve`, `up`) freezes the objects alive once it is built: a full collection
    then no longer walks the modules, routes and rules at every tenth request. The suite's own apps
    (`create_app`) freeze nothing: frozen objects are never collected."""
    gc.unfreeze()
    create_app(cast(App, SimpleNamespace(settings=Settings(environment="test"))))
    assert gc.get_freeze_count() == 0
    try:
        app = create_served_app(cast(App, SimpleNamespace(settings=Settings(environment="test"))))
        assert gc.get_freeze_count() > 10_000  # the modules, FastAPI's routes, the templates...
        with TestClient(app) as served:
            assert served.get("/openapi.json").status_code == 200
    finally:
        gc.unfreeze()
