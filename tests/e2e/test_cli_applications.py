"""`contract-flow case advance ... shortlist --application` and `case application` (issue 15, item 1) on SQLite and
PostgreSQL: the application shortlisted is the one named, an application corrected or withdrawn by its id, a refusal
naming the field and saving nothing."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner, Result

from contract_flow.bootstrap import App
from contract_flow.cli import app as cli_app
from contract_flow.services.cases import advance, set_facts, show
from tests.conftest import People, snapshot
from tests.support.cases import PATH, VALID_SIRET, open_candidate

pytestmark = pytest.mark.postgres

runner = CliRunner()


def cf(*args: str, code: int = 0) -> Result:
    result = runner.invoke(cli_app, list(args))
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


@pytest.fixture
def case_id(app: App, database_url: str, people: People, monkeypatch: pytest.MonkeyPatch) -> int:
    """Léa at «Candidater» with two applications, Alpha then Beta, on the CLI's database."""
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", database_url)
    found = open_candidate(app)
    set_facts(app, found, PATH[0][1], actor_email=people.advisor)
    advance(app, found, "start_applying", actor_email=people.advisor)
    for company, day in (("Alpha SA", "2026-02-02"), ("Beta SARL", "2026-02-09")):
        set_facts(app, found, {"application.company": company, "application.date": day}, actor_email=people.advisor)
    return found


def test_the_cli_shortlists_the_application_named_and_corrects_and_withdraws_by_id(
        app: App, people: People, case_id: int) -> None:
    alpha, beta = (a.id for a in show(app, case_id).case.applications)
    before = snapshot(app)
    bad = cf("case", "application", str(case_id), str(alpha), "--siret", "123", "--as", people.advisor, code=2)
    assert "application.siret" in bad.output
    assert snapshot(app) == before
    cf("case", "application", str(case_id), str(alpha), "--company", "Alpha Industrie SA", "--siret", VALID_SIRET,
       "--as", people.advisor)
    cf("case", "advance", str(case_id), "shortlist", "--application", str(alpha), "--as", people.advisor)
    cf("case", "application", str(case_id), str(beta), "--withdraw", "--reason", "plus intéressée", "--as",
       people.advisor)
    assert {a.company: a.status.value for a in show(app, case_id).case.applications} == {
        "Alpha Industrie SA": "shortlisted", "Beta SARL": "withdrawn"}
