"""`contract-flow person export|erase` and `contract-flow retention run|log` (issue 16, item 6) on SQLite and
PostgreSQL: the export as JSON (to a file too), the erasure asking for --yes, refused while the contract is live
(exit 1, the reason in French by default, nothing changed), then done and logged; the daily job by hand with a dry
run; bad input named (exit 2)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from contract_flow.adapters.clock import FixedClock
from contract_flow.bootstrap import App
from contract_flow.cli import app as cli_app
from tests.conftest import People, snapshot
from tests.support.retention import EMAIL, ended, rich_case, traces

pytestmark = pytest.mark.postgres

runner = CliRunner()


def cf(*args: str, code: int = 0, now: str = "2026-10-22T10:00") -> Result:
    result = runner.invoke(cli_app, ["--now", now, *args])
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


@pytest.fixture
def cli_db(database_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", database_url)


def test_export_then_erase_refused_while_live_then_done_and_logged(
        app: App, people: People, clock: FixedClock, cli_db: None, tmp_path: Path) -> None:
    rich = rich_case(app, people, clock)
    exported = json.loads(cf("person", "export", EMAIL, "--as", people.advisor).stdout)
    assert exported["cases"][0]["case_id"] == rich.case_id
    target = tmp_path / "export.json"
    said = cf("person", "export", EMAIL, "-o", str(target), "--operator")
    assert json.loads(target.read_text(encoding="utf-8"))["email"] == EMAIL
    assert f"données de {EMAIL} exportées dans {target}" in said.stderr

    before = snapshot(app)
    unconfirmed = cf("person", "erase", EMAIL, "--as", people.lead, code=2)
    assert "confirmez-le avec --yes" in unconfirmed.stderr
    refused = cf("person", "erase", EMAIL, "--yes", "--as", people.lead, code=1)
    assert f"le contrat du cas {rich.case_id} est en cours" in refused.stderr
    english = cf("--lang", "en", "person", "erase", EMAIL, "--yes", "--as", people.lead, code=1)
    assert f"the contract of case {rich.case_id} is live" in english.stderr
    cf("person", "erase", "pas-une-adresse", "--yes", "--as", people.lead, code=2)
    cf("person", "erase", EMAIL, "--yes", "--as", people.tutor, code=1)  # not for a tutor
    assert snapshot(app) == before

    ended(app, people, clock, rich)
    done = cf("person", "erase", EMAIL, "--yes", "--as", people.lead)
    assert done.stdout.startswith(f"{EMAIL} effacé : 1 dossier(s) anonymisé(s)")
    assert traces(app, rich.values) == []
    log = json.loads(cf("retention", "log", "--as", people.advisor, "--json").stdout)
    assert [(entry["subject"], entry["why"], entry["by"]) for entry in log] == [
        ("person", "request", people.lead), ("case", "request", people.lead)]
    table = cf("retention", "log", "--operator").stdout
    assert "Journal des anonymisations" in table
    assert "Date" in table  # the French columns (a narrow terminal wraps the rows' words)


def test_the_daily_job_by_hand_dry_run_then_done(app: App, people: People, clock: FixedClock, cli_db: None) -> None:
    rich = rich_case(app, people, clock)
    ended(app, people, clock, rich)
    dry = cf("retention", "run", "--on", "2031-10-21", "--dry-run")
    first, item, last = dry.stdout.splitlines()
    assert (first, last) == ("1 dossier(s) à anonymiser au 21 octobre 2031", "simulation : rien n'a été modifié")
    assert item.startswith(f"- dossier {rich.case_id} (")
    assert item.endswith(") : échu le 21 octobre 2031 (contrat terminé)")
    assert traces(app, rich.values) != []
    early = json.loads(cf("retention", "run", "--on", "2031-10-20", "--json").stdout)
    assert (early["due"], early["anonymised"]) == ([], [])
    done = json.loads(cf("retention", "run", "--on", "2031-10-21", "--json").stdout)
    assert done["anonymised"] == [rich.case_id]
    assert traces(app, rich.values) == []
    cf("retention", "run", "--on", "21/10/2031", code=2)
    cf("retention", "log", "--as", people.mentor, code=1)
