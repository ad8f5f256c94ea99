"""`GET /api/v1/invoices?month=YYYY-MM` (issue 14, item 8) on SQLite and PostgreSQL: the employer participation of
each contract of the caller's CFA, typed (amounts as plain decimals, ISO dates, the status and its source); 422
naming `month` on a bad month; another CFA's staff see none, other roles are refused; the case's JSON says the
hiring-aid filing deadline with its article and the participation."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from typing import Any

import pytest
from fastapi.testclient import TestClient

from contract_flow.adapters.clock import FixedClock
from contract_flow.asgi import create_app
from contract_flow.bootstrap import App
from contract_flow.domain.context import PARIS
from contract_flow.services.cases import advance, show
from contract_flow.services.directory import add_user, issue_token
from tests.conftest import People
from tests.support.cases import open_candidate, walk

pytestmark = pytest.mark.postgres


def paris(day: date) -> datetime:
    return datetime.combine(day, time(12), tzinfo=PARIS).astimezone(UTC)


@pytest.fixture
def client(app: App) -> Iterator[TestClient]:
    with TestClient(create_app(app), raise_server_exceptions=False) as test_client:
        yield test_client


@pytest.fixture
def cases(app: App, people: People, clock: FixedClock) -> tuple[int, int]:
    """Léa in her trial (750 € due at its end), Hugo broken during his on 16 October 2026."""
    clock.set(paris(date(2026, 8, 20)))
    lea = open_candidate(app)
    walk(app, lea, "trial", advisor=people.advisor, lead=people.lead)
    hugo = open_candidate(app, first_name="Hugo", last_name="Bernard", email="hugo.bernard@example.org")
    walk(app, hugo, "trial", advisor=people.advisor, lead=people.lead)
    clock.set(paris(date(2026, 10, 16)))
    advance(app, hugo, "break_trial", actor_email=people.advisor, facts={"contract.ended_by": "employer"})
    clock.set(paris(date(2026, 11, 2)))
    return lea, hugo


def bearer(app: App, email: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {issue_token(app, email)}"}


def ok(response: Any) -> Any:
    assert response.status_code == 200, response.text
    return response.json()


def test_staff_get_their_cfa_s_lines_typed_and_filtered_by_month(
        app: App, people: People, client: TestClient, cases: tuple[int, int]) -> None:
    lea, hugo = cases
    trial_end = show(app, lea).case.contract.trial_end
    assert trial_end is not None
    lines = ok(client.get("/api/v1/invoices", headers=bearer(app, people.advisor)))
    assert [(line["case_id"], line["amount"], line["due_on"], line["status"]) for line in lines] == [
        (hugo, "234.25", "2026-10-16", "recomputed"), (lea, "750.00", trial_end.isoformat(), "upcoming")]
    assert lines[1]["employer_siret"] == "73282932000074"
    assert lines[1]["apprentice"] == "Léa Martin"
    assert "R6332-25-2" in lines[1]["source"]
    october = ok(client.get("/api/v1/invoices?month=2026-10", headers=bearer(app, people.lead)))
    assert [line["case_id"] for line in october] == [hugo]
    schema = client.get("/openapi.json").json()
    assert "InvoiceLineOut" in schema["components"]["schemas"]


@pytest.mark.parametrize("month", ["2026-13", "2026-1", "octobre"])
def test_a_bad_month_is_422_naming_it(app: App, people: People, client: TestClient, month: str) -> None:
    response = client.get(f"/api/v1/invoices?month={month}", headers=bearer(app, people.advisor))
    assert response.status_code == 422
    assert response.json()["field"] == "month"


def test_another_cfa_s_staff_see_none_and_other_roles_are_refused(
        app: App, people: People, client: TestClient, cases: tuple[int, int]) -> None:
    add_user(app, "conseil@autre-cfa.example", name="Conseil Autre", role="advisor", cfa_code="other-cfa")
    assert ok(client.get("/api/v1/invoices", headers=bearer(app, "conseil@autre-cfa.example"))) == []
    for who in (people.mentor, people.tutor):
        assert client.get("/api/v1/invoices", headers=bearer(app, who)).status_code == 403
    assert client.get("/api/v1/invoices").status_code == 401


def test_the_case_json_says_the_hiring_aid_deadline_with_its_article_and_the_participation(
        app: App, people: People, client: TestClient, cases: tuple[int, int]) -> None:
    lea, _ = cases
    terms = show(app, lea).case.contract
    assert terms.hiring_aid_filing_due is not None
    money = ok(client.get(f"/api/v1/cases/{lea}", headers=bearer(app, people.advisor)))["money"]
    assert money["hiring_aid_filing_due"] == terms.hiring_aid_filing_due.isoformat()
    assert "décret n° 2026-168" in money["hiring_aid_source"]
    assert (money["participation"]["amount"], money["participation"]["status"]) == ("750.00", "upcoming")
