"""The Tableau de bord over HTTP (issue 16, item 1) on SQLite and PostgreSQL: GET /api/v1/tdb/export gives the feed
as JSON or .xlsx; POST /api/v1/tdb/pushes pushes it to a stand-in TDB over real HTTP and answers the recorded push;
GET /api/v1/tdb/pushes lists it with each learner's errors; a push without the TDB's key is 409 naming the setting,
nothing recorded; other roles are refused (403), other CFAs' staff see nothing of this CFA's."""

from __future__ import annotations

import io
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook
from pydantic import SecretStr

from contract_flow.adapters.clock import FixedClock
from contract_flow.asgi import create_app
from contract_flow.bootstrap import App
from contract_flow.domain.context import PARIS
from contract_flow.services.directory import add_user, issue_token
from tests.conftest import People
from tests.support.cases import open_candidate, walk
from tests.support.tdb_server import TdbStandIn

pytestmark = pytest.mark.postgres
KEY = "imt-secret-key"


def paris(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=PARIS).astimezone(UTC)


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    with TestClient(create_app(app), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def learners(app: App, people: People, clock: FixedClock) -> tuple[int, int]:
    clock.set(paris(date(2026, 8, 20)))
    lea = open_candidate(app)
    walk(app, lea, "trial", advisor=people.advisor, lead=people.lead)
    ines = open_candidate(app, first_name="Inès", last_name="Benali", email="ines@example.org")
    clock.set(paris(date(2026, 11, 2)))
    return lea, ines


def bearer(app: App, email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(app, email)}"}


def test_staff_download_the_feed_as_json_and_xlsx(app: App, people: People, client: TestClient,
                                                 learners: tuple[int, int]) -> None:
    response = client.get("/api/v1/tdb/export", headers=bearer(app, people.advisor))
    assert response.status_code == 200, response.text
    items = response.json()
    assert sorted(int(item["id_erp_apprenant"]) for item in items) == sorted(learners)
    assert response.headers["x-tdb-items"] == "2"
    assert "tdb-imt-mines-ales-2026-11-02.json" in response.headers["content-disposition"]
    sheet = client.get("/api/v1/tdb/export?format=xlsx&on=2026-10-01", headers=bearer(app, people.lead))
    rows = list(load_workbook(io.BytesIO(sheet.content), read_only=True).active.iter_rows(values_only=True))
    assert rows[0][0] == "nom_apprenant"
    assert len(rows) == 3


def test_a_push_over_http_is_recorded_and_listed_with_its_errors(
        app: App, people: People, client: TestClient, learners: tuple[int, int]) -> None:
    _, ines = learners
    with TdbStandIn(keys={KEY}, refuse={str(ines): ("email_contact", "adresse inconnue")}) as tdb:
        app.settings = app.settings.model_copy(update={"tdb_url": tdb.url,
                                                       "tdb_keys": {"imt-mines-ales": SecretStr(KEY)}})
        response = client.post("/api/v1/tdb/pushes", json={}, headers=bearer(app, people.advisor))
        assert response.status_code == 201, response.text
        pushed = response.json()
        assert (pushed["status"], pushed["items_sent"], pushed["items_with_errors"]) == ("partial", 2, 1)
        assert len(tdb.batches) == 1
    listed = client.get("/api/v1/tdb/pushes", headers=bearer(app, people.lead)).json()
    assert [(push["id"], push["trigger"], push["by"]) for push in listed] == [(pushed["id"], "api", people.advisor)]
    assert listed[0]["errors"] == [{"case_id": ines, "id_erp_apprenant": str(ines), "field": "email_contact",
                                    "message": "adresse inconnue", "source": "tdb"}]
    assert KEY not in response.text


def test_a_push_without_a_key_is_409_naming_the_setting_and_records_nothing(
        app: App, people: People, client: TestClient, learners: tuple[int, int]) -> None:
    app.settings = app.settings.model_copy(update={"tdb_url": "http://127.0.0.1:9"})
    response = client.post("/api/v1/tdb/pushes", headers=bearer(app, people.advisor))
    assert response.status_code == 409
    assert response.json()["field"] == "tdb_keys"
    assert client.get("/api/v1/tdb/pushes", headers=bearer(app, people.advisor)).json() == []


def test_bad_input_is_422_naming_the_field(app: App, people: People, client: TestClient,
                                           learners: tuple[int, int]) -> None:
    headers = bearer(app, people.advisor)
    assert client.get("/api/v1/tdb/export?format=csv", headers=headers).status_code == 422
    assert client.get("/api/v1/tdb/pushes?limit=0", headers=headers).status_code == 422
    response = client.post("/api/v1/tdb/pushes", json={"on": "2026-13-01"}, headers=headers)
    assert response.status_code == 422


def test_other_roles_are_refused_and_another_cfa_s_staff_see_none_of_it(
        app: App, people: People, client: TestClient, learners: tuple[int, int]) -> None:
    for who in (people.mentor, people.tutor):
        for method, path in (("GET", "/api/v1/tdb/export"), ("GET", "/api/v1/tdb/pushes"),
                             ("POST", "/api/v1/tdb/pushes")):
            assert client.request(method, path, headers=bearer(app, who)).status_code == 403
    add_user(app, "conseil@autre-cfa.example", name="Conseil Autre", role="advisor", cfa_code="other-cfa")
    other = bearer(app, "conseil@autre-cfa.example")
    assert client.get("/api/v1/tdb/export", headers=other).json() == []
    response: Any = client.get("/api/v1/tdb/export?cfa=imt-mines-ales", headers=other)
    assert response.status_code == 404
    assert client.get("/api/v1/tdb/pushes").status_code == 401
