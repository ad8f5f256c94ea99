"""`contract-flow dossier amend` and `dossier amendments` (issue 14, item 7) on SQLite and PostgreSQL: an amendment
typed as an advisor types it, told in French by default (in English with --lang en), listed; a refused one names
the field and the rule, exits non-zero and saves nothing."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, time

import pytest
from typer.testing import CliRunner, Result

from contract_flow.adapters.clock import FixedClock
from contract_flow.bootstrap import App
from contract_flow.cli import app as cli_app
from contract_flow.domain.context import PARIS
from contract_flow.services.cases import show
from tests.conftest import People, snapshot
from tests.support.cases import open_candidate, walk

pytestmark = pytest.mark.postgres

runner = CliRunner()
NOW = "2026-09-15T10:00"


def cf(*args: str, code: int = 0) -> Result:
    result = runner.invoke(cli_app, ["--now", NOW, *args])
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


@pytest.fixture
def case_id(app: App, people: People, clock: FixedClock, database_url: str, monkeypatch: pytest.MonkeyPatch) -> int:
    """Léa's contract signed on 20 August 2026, in its trial since 1 September; the CLI on the test's database."""
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", database_url)
    clock.set(datetime.combine(date(2026, 8, 20), time(10), tzinfo=PARIS).astimezone(UTC))
    found = open_candidate(app)
    walk(app, found, "trial", advisor=people.advisor, lead=people.lead)
    return found


def test_an_advisor_amends_the_contract_in_french_and_lists_its_amendments(
        app: App, people: People, case_id: int) -> None:
    said = cf("dossier", "amend", str(case_id), "--type", "36", "--effective", "2026-10-01", "--reason",
              "Marie Maître quitte l'atelier", "mentors.1.first_name=Jean", "mentors.1.last_name=Dupont",
              "mentors.1.email=jean.dupont@industrie.example", "--as", people.advisor).stdout
    assert (f"cas {case_id} : avenant n° 1 enregistré (type 36 — Avenant : autres changements (maître "
            "d'apprentissage, durée du travail, rémunération…)), effet le 1er octobre 2026 ; version 2 du dossier "
            "conservée") in said
    assert ("- Maître d'apprentissage 1 : Nom de naissance (mentors.1.last_name) : Maître → Dupont") in said
    assert show(app, case_id).case.contract.mentor_email == "jean.dupont@industrie.example"

    cf("dossier", "amend", str(case_id), "--type", "33", "--effective", "2026-10-01", "--reason", "échec",
       "contract.end_date=2030-08-31", "contract.weekly_hours=36", "--as", people.lead)
    listed = cf("dossier", "amendments", str(case_id)).stdout
    assert f"Avenants du contrat, cas {case_id}" in listed
    assert "33 — Avenant : prolongation à la suite d'un échec à l'examen" in listed
    assert "31/08/2029 → 31/08/2030" in listed
    english = cf("--lang", "en", "dossier", "amendments", str(case_id)).stdout
    assert "Amendments of the contract" in english
    assert "Amendment: extension after a failed exam" in english
    data = json.loads(cf("dossier", "amendments", str(case_id), "--json").stdout)
    assert [(item["number"], item["type_code"], item["dossier_version"]) for item in data] == [
        (1, "36", 2), (2, "33", 3)]
    assert {"field": "contract.end_date", "label": "Date de fin du contrat ou de la période d'apprentissage",
            "old": "2029-08-31", "new": "2030-08-31"} in data[1]["changes"]
    assert data[0]["effective_on"] == "2026-10-01"


@pytest.mark.parametrize(("args", "code", "said"), [
    (["--type", "36", "pay.1.rate=20"], 2, "pay.1.rate"),
    (["--type", "11", "contract.weekly_hours=36"], 2, "type_code"),
    (["--type", "36", "contract.start_date=2026-09-02"], 2, "contract.start_date"),
    (["--type", "36", "contract.weekly_hours"], 2, "n'est pas de la forme champ=valeur"),
])
def test_a_refused_amendment_names_the_field_exits_non_zero_and_saves_nothing(
        app: App, people: People, case_id: int, args: list[str], code: int, said: str) -> None:
    before = snapshot(app)
    result = cf("dossier", "amend", str(case_id), "--effective", "2026-10-01", "--reason", "x", *args,
                "--as", people.advisor, code=code)
    assert said in result.output
    assert snapshot(app) == before


def test_the_mentor_may_neither_amend_nor_list_amendments(app: App, people: People, case_id: int) -> None:
    before = snapshot(app)
    refused = cf("dossier", "amend", str(case_id), "--type", "36", "--effective", "2026-10-01", "--reason", "x",
                 "contract.weekly_hours=36", "--as", people.mentor, code=1)
    assert "modifier un contrat signé (avenant) : réservé à" in refused.output
    cf("dossier", "amendments", str(case_id), "--as", people.mentor, code=1)
    assert snapshot(app) == before
    assert f"cas {case_id} : aucun avenant" in cf("dossier", "amendments", str(case_id)).stdout
