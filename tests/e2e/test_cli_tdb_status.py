"""`contract-flow tdb status|statuses|reconcile` and the board's TDB table (issue 16, items 3 and 4) on SQLite and
PostgreSQL: the TDB's status with its reason and the engine's state beside it, in French by default (`--lang en`),
`--json` for programs; the reconciliation's three kinds; a wrong CFA or date refused naming the option."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest
import sqlalchemy as sa
from typer.testing import CliRunner, Result

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.tables import contract_table
from contract_flow.bootstrap import App
from contract_flow.cli import app as cli_app
from contract_flow.services.cases import set_facts
from contract_flow.services.filing import file_contract
from tests.conftest import People
from tests.support.cases import open_candidate, walk

pytestmark = pytest.mark.postgres

runner = CliRunner()


def cf(*args: str, code: int = 0, now: str = "2026-12-15T10:00") -> Result:
    result = runner.invoke(cli_app, ["--now", now, *args])
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


@pytest.fixture
def cases(app: App, database_url: str, people: People, clock: FixedClock,
          monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """Inès still searching (no contract since the training's start, 1 September 2026) and Léa's contract, filed
    on 25 August 2026 with no DECA number since, on the CLI's database."""
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", database_url)
    searching = open_candidate(app, first_name="Inès", last_name="Abadie", email="ines@example.org")
    set_facts(app, searching, {"advisor": people.advisor}, actor_email=people.advisor)
    walk(app, searching, "apply", advisor=people.advisor, lead=people.lead)
    signed = open_candidate(app)
    set_facts(app, signed, {"advisor": people.advisor}, actor_email=people.advisor)
    walk(app, signed, "trial", advisor=people.advisor, lead=people.lead)
    clock.set(datetime(2026, 8, 26, 10, tzinfo=UTC))
    file_contract(app, signed, filed_on=date(2026, 8, 25), actor_email=people.advisor)
    return searching, signed


def test_a_case_status_in_french_then_english_then_json(cases: tuple[int, int], people: People) -> None:
    searching, _ = cases
    out = cf("tdb", "status", str(searching), "--as", people.advisor).stdout
    assert "Statut au Tableau de bord : ABANDON (Abandon)" in out
    assert "aucun contrat dans les 90 jours suivant l'entrée en formation le 01/09/2026 : abandon depuis le " \
           "30/11/2026" in out
    assert "le moteur suit encore ce dossier (« Candidater »)" in out
    english = cf("tdb", "status", str(searching), "--lang", "en", "--on", "2026-10-01").stdout
    assert "Status in the TDB: INSCRIT (Enrolled without a contract)" in english
    assert "Becomes Dropped out on 30 November 2026" in english
    data = json.loads(cf("tdb", "status", str(searching), "--json").stdout)
    assert (data["status"], data["since"], data["statut_apprenant"], data["state"], data["agrees"]) == (
        "ABANDON", "2026-11-30", 0, "apply", False)
    assert data["dates"]["date_entree_formation"] == "2026-09-01"


def test_the_reconciliation_lists_each_kind(cases: tuple[int, int], people: People) -> None:
    searching, signed = cases
    out = cf("tdb", "reconcile", "--as", people.advisor).stdout
    assert "Rapprochement avec les systèmes publics au 15 décembre 2026 : 2" in out
    assert "Contrats sans numéro DECA 30 jours après le dépôt (1)" in out
    assert "Abandons pour le Tableau de bord que le moteur suit encore (1)" in out
    data = json.loads(cf("tdb", "reconcile", "--json", "--cfa", "imt-mines-ales").stdout)
    assert [(item["kind"], item["case_id"]) for item in data["items"]] == [
        ("deca_missing", signed), ("abandon_followed", searching)]
    assert json.loads(cf("tdb", "reconcile", "--json", "--on", "2026-09-20").stdout)["items"] == []


def test_the_board_and_the_counts_per_tdb_status(cases: tuple[int, int]) -> None:
    assert "Statuts au Tableau de bord" in cf("board").stdout
    counts = json.loads(cf("tdb", "statuses", "--json").stdout)["mecatronique"]
    assert (counts["APPRENTI"], counts["ABANDON"], counts["INSCRIT"]) == (1, 1, 0)


@pytest.mark.parametrize(("args", "code", "message"), [
    pytest.param(("tdb", "reconcile", "--as", "paul.responsable@cfa.example", "--cfa", "another"), 2, "cfa",
                 id="another CFA than one's own"),
    pytest.param(("tdb", "reconcile", "--on", "15/12/2026"), 2, "--on", id="a date not ISO"),
    pytest.param(("tdb", "reconcile", "--as", "thomas.tuteur@cfa.example"), 1, "tuteur", id="a tutor"),
    pytest.param(("tdb", "status", "999"), 2, "999", id="no such case"),
])
def test_bad_input_is_refused_naming_the_option(cases: tuple[int, int], args: tuple[str, ...], code: int,
                                                message: str) -> None:
    result = cf(*args, code=code)
    assert message in result.output


def test_the_kept_counts_checked_against_a_recount_then_repaired(cases: tuple[int, int], app: App) -> None:
    """`contract-flow db tally`: the counts the engine keeps as cases change (adapters/tdb_tally.py) match a recount;
    a write made past the engine (a contract's start changed in SQL) is found, named, refused (exit 1) until
    `--repair` counts them again, after which the board counts the case by its new dates."""
    _, signed = cases
    assert "Compteurs du Tableau de bord conformes au recomptage : 2 dossiers comptés." in cf("db", "tally").stdout
    with app.engine.begin() as connection:  # as a hand-made fix in the database would
        connection.execute(sa.update(contract_table).where(contract_table.c.case_id == signed)
                           .values(start_date=date(2027, 1, 4)))
    out = cf("db", "tally", code=1).stdout
    assert "Compteurs du Tableau de bord différents du recomptage (2 groupes) :" in out
    assert "contrats « 2026-09-01|2029-08-31| » : 1 comptés, 0 au recomptage" in out
    assert "Relancez avec --repair pour les recompter." in out
    data = json.loads(cf("db", "tally", "--json", code=1).stdout)
    assert sorted((group["contracts"], group["kept"], group["recount"]) for group in data["drift"]) == [
        ("2026-09-01|2029-08-31|", 1, 0), ("2027-01-04|2029-08-31|", 0, 1)]
    english = cf("--lang", "en", "db", "tally", "--repair").stdout
    assert "The TDB counts differ from a recount (2 groups):" in english
    assert "Counted again: 2 cases counted." in english
    assert json.loads(cf("db", "tally", "--json").stdout) == {"counted": 2, "repaired": False, "drift": []}
    counts = json.loads(cf("tdb", "statuses", "--json").stdout)["mecatronique"]
    # its contract not started by 15 December, 105 days after the training started: ABANDON (90 days, no contract)
    assert (counts["APPRENTI"], counts["INSCRIT"], counts["ABANDON"]) == (0, 0, 2)
