"""`GET /api/v1/cases/export`, `/api/v1/risk/export` and `/api/v1/exports` (issue 16, item 5) on SQLite and
PostgreSQL: the lists' filters as query parameters, the file read back with `csv` and openpyxl, headers in English
on Accept-Language en, the export in the log; 403 for a non-staff caller with no log row; 422 naming a bad format
or state; /cases/export is not taken for a case's id."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from contract_flow.adapters.clock import FixedClock
from contract_flow.asgi import create_app
from contract_flow.bootstrap import App
from contract_flow.services.directory import issue_token
from tests.conftest import People
from tests.support.cases import open_candidate

pytestmark = pytest.mark.postgres


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    with TestClient(create_app(app), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def ids(app: App, people: People, clock: FixedClock) -> list[int]:
    clock.set(datetime(2026, 6, 1, 10, tzinfo=UTC))
    found = [open_candidate(app, first_name="Inès", last_name="Dupont", email="ines.dupont@example.org"),
             open_candidate(app, first_name="+Paul", last_name="Durand", email="paul.durand@example.org"),
             open_candidate(app, first_name="Léa", last_name="Martin", email="lea.martin@example.org")]
    clock.set(datetime(2026, 12, 3, 8, 15, tzinfo=UTC))
    return found


def bearer(app: App, email: str, **headers: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(app, email)}", **headers}


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    return response


def test_the_filtered_cases_as_csv_then_the_log(app: App, client: TestClient, people: People,
                                                ids: list[int]) -> None:
    response = ok(client.get("/api/v1/cases/export", params={"format": "csv", "q": "du", "state": "reflect"},
                             headers=bearer(app, people.advisor)))
    assert response.headers["content-type"].startswith("text/csv")
    assert response.headers["content-disposition"] == 'attachment; filename="dossiers-2026-12-03.csv"'
    assert response.content.startswith(b"\xef\xbb\xbf")
    header, *rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert header[:3] == ["N° de dossier", "Nom", "Prénom"]
    assert [(int(row[0]), row[2]) for row in rows] == [(ids[0], "Inès"), (ids[1], "'+Paul")]
    assert response.headers["x-export-rows"] == "2"
    log = ok(client.get("/api/v1/exports", headers=bearer(app, people.lead))).json()
    assert log["total"] == 1
    [item] = log["items"]
    assert item["id"] == int(response.headers["x-export-id"])
    assert (item["by"], item["kind"], item["format"], item["via"], item["rows"], item["filter"]) == (
        people.advisor, "cases", "csv", "api", 2, {"q": "du", "state": "reflect"})
    assert item["at"].startswith("2026-12-03T08:15")


def test_the_cases_at_risk_as_xlsx_in_english(app: App, client: TestClient, people: People,
                                              ids: list[int]) -> None:
    response = ok(client.get("/api/v1/risk/export", params={"format": "xlsx", "programme": "mecatronique"},
                             headers=bearer(app, people.lead, **{"Accept-Language": "en-GB,en;q=0.8"})))
    assert response.headers["content-disposition"] == 'attachment; filename="cases-at-risk-2026-12-03.xlsx"'
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header == ("Case", "Candidate", "State", "Alert", "Detail", "Due")
    assert sorted(row[0] for row in rows) == ids
    assert {row[3] for row in rows} == {"Stale"}
    assert "'+Paul Durand" in {row[1] for row in rows}
    [item] = ok(client.get("/api/v1/exports", headers=bearer(app, people.advisor))).json()["items"]
    assert (item["kind"], item["format"], item["language"], item["rows"]) == ("risk", "xlsx", "en", 3)


@pytest.mark.parametrize("role", ["tutor", "mentor", "apprentice"])
def test_non_staff_are_refused_and_nothing_is_logged(app: App, client: TestClient, people: People,
                                                     ids: list[int], role: str) -> None:
    headers = bearer(app, getattr(people, role))
    for path in ("/api/v1/cases/export", "/api/v1/risk/export", "/api/v1/exports"):
        assert client.get(path, headers=headers).status_code == 403, path
    assert ok(client.get("/api/v1/exports", headers=bearer(app, people.lead))).json()["total"] == 0


def test_bad_input_is_a_4xx_naming_the_parameter(app: App, client: TestClient, people: People,
                                                 ids: list[int]) -> None:
    headers = bearer(app, people.advisor)
    bad_format = client.get("/api/v1/cases/export", params={"format": "pdf"}, headers=headers)
    assert bad_format.status_code == 422
    assert "format" in bad_format.text
    bad_state = client.get("/api/v1/risk/export", params={"state": "nowhere"}, headers=headers)
    assert bad_state.status_code == 422
    assert "state" in bad_state.text
    assert client.get("/api/v1/exports", params={"limit": 0}, headers=headers).status_code == 422
    assert client.get("/api/v1/cases/export").status_code == 401
    assert ok(client.get("/api/v1/exports", headers=headers)).json()["total"] == 0
    # the case routes still read their ids
    assert ok(client.get(f"/api/v1/cases/{ids[0]}", headers=headers)).json()["id"] == ids[0]
