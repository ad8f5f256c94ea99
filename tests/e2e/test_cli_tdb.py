"""`contract-flow tdb export|push|pushes` (issue 16, item 1) on SQLite and PostgreSQL: the feed written as JSON and
.xlsx; a push to a stand-in TDB over HTTP (its address and the CFA's key as settings from the environment), its
errors listed with the case, the field and where to fix it; without a key, exit 1 naming the setting and nothing
recorded; a bad --format or --on refused naming it (exit 2); a bad key: the push refused (exit 1), recorded."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, date, datetime, time
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from contract_flow.adapters.clock import FixedClock
from contract_flow.bootstrap import App
from contract_flow.cli import app as cli_app
from contract_flow.domain.context import PARIS
from tests.conftest import People
from tests.support.cases import open_candidate, walk
from tests.support.tdb_server import TdbStandIn

pytestmark = pytest.mark.postgres

runner = CliRunner()
NOW = "2026-11-02T10:00"
KEY = "imt-secret-key"


def cf(*args: str, code: int = 0) -> Result:
    result = runner.invoke(cli_app, ["--now", NOW, *args])
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


@pytest.fixture
def learners(app: App, database_url: str, people: People, clock: FixedClock,
             monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", database_url)
    clock.set(datetime.combine(date(2026, 8, 20), time(12), tzinfo=PARIS).astimezone(UTC))
    lea = open_candidate(app)
    walk(app, lea, "trial", advisor=people.advisor, lead=people.lead)
    ines = open_candidate(app, first_name="Inès", last_name="Benali", email="ines@example.org")
    return lea, ines


@pytest.fixture
def tdb(monkeypatch: pytest.MonkeyPatch) -> Iterator[TdbStandIn]:
    with TdbStandIn(keys={KEY}) as running:
        monkeypatch.setenv("CONTRACT_FLOW_TDB_URL", running.url)
        monkeypatch.setenv("CONTRACT_FLOW_TDB_KEYS", json.dumps({"imt-mines-ales": KEY}))
        yield running


def test_export_writes_the_feed_as_json_and_xlsx(learners: tuple[int, int], people: People, tmp_path: Path) -> None:
    items = json.loads(cf("tdb", "export", "--as", people.advisor).stdout)
    assert sorted(int(item["id_erp_apprenant"]) for item in items) == sorted(learners)
    result = cf("tdb", "export", "--format", "xlsx", "-o", str(tmp_path / "tdb.xlsx"), "--on", "2026-10-01")
    assert "2 apprenants écrits" in result.stderr
    book = load_workbook(tmp_path / "tdb.xlsx", read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    book.close()
    assert len(rows) == 3


def test_a_push_goes_to_the_tdb_and_its_errors_are_listed_with_where_to_fix_them(
        learners: tuple[int, int], people: People, tdb: TdbStandIn) -> None:
    lea, _ = learners
    tdb.refuse[str(lea)] = ("siret_employeur", "SIRET inconnu")
    out = cf("tdb", "push", "--as", people.advisor).stdout
    assert "Envoi n° 1 au TDB (imt-mines-ales) : envoyé, avec des erreurs" in out
    assert f"dossier {lea} : siret_employeur : SIRET inconnu (réponse du TDB) → /cases/{lea}/dossier#section-employer" \
        in out
    assert KEY not in out
    assert [request.authorization for request in tdb.requests] == [f"Bearer {KEY}"]
    listed = cf("tdb", "pushes", "--as", people.lead).stdout
    assert "ligne de commande par claire.conseil@cfa.example" in listed
    pushes = json.loads(cf("tdb", "pushes", "--json").stdout)
    assert [(push["status"], push["items_sent"]) for push in pushes] == [("partial", 2)]


def test_without_a_key_push_exits_1_naming_the_setting_and_export_still_works(
        learners: tuple[int, int], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACT_FLOW_TDB_URL", "http://127.0.0.1:9")
    result = cf("tdb", "push", code=1)
    assert "tdb_keys" in result.stderr
    assert "CONTRACT_FLOW_TDB_KEYS" in result.stderr
    assert "Aucun envoi au TDB." in cf("tdb", "pushes").stdout
    cf("tdb", "export")


def test_a_bad_key_is_refused_and_recorded(learners: tuple[int, int], tdb: TdbStandIn,
                                           monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CONTRACT_FLOW_TDB_KEYS", json.dumps({"imt-mines-ales": "wrong"}))
    result = cf("tdb", "push", code=1)
    assert "refusé par le TDB" in result.stdout
    assert "403" in result.stdout


@pytest.mark.parametrize(("args", "said"), [
    (("--format", "csv"), "erreur : --format : «\u00a0csv\u00a0» n'est pas l'un de : json, xlsx"),
    (("--on", "2026-13-01"), "erreur : --on : "),
    (("--format", "xlsx"), "erreur : -o : un classeur .xlsx s'écrit dans un fichier : indiquez -o FICHIER.xlsx")])
def test_bad_input_is_refused_naming_it_in_french(learners: tuple[int, int], args: tuple[str, ...], said: str) -> None:
    result = cf("tdb", "export", *args, code=2)
    assert result.stderr.startswith(said), result.stderr
