"""`contract-flow invoices list [--month YYYY-MM] [--csv] [--json]` (issue 14, item 8) on SQLite and PostgreSQL: the
employer participation of each contract as the CFA invoices it, a table in French by default, CSV for an accounting
import read back with the csv module, a bad --month refused naming it; `board` and `case show` say it too."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime, time

import pytest
from typer.testing import CliRunner, Result

from contract_flow.adapters.clock import FixedClock
from contract_flow.bootstrap import App
from contract_flow.cli import app as cli_app
from contract_flow.domain.context import PARIS
from contract_flow.services.cases import advance, show
from contract_flow.services.directory import add_user
from tests.conftest import People
from tests.support.cases import open_candidate, walk

pytestmark = pytest.mark.postgres

runner = CliRunner()
NOW = "2026-11-02T10:00"


def cf(*args: str, code: int = 0, now: str = NOW) -> Result:
    result = runner.invoke(cli_app, ["--now", now, *args])
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


@pytest.fixture
def cases(app: App, database_url: str, people: People, clock: FixedClock,
          monkeypatch: pytest.MonkeyPatch) -> tuple[int, int]:
    """Léa in her trial (750 € due at its end), Hugo broken during his on 16 October 2026 (recomputed, due then)."""
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", database_url)
    clock.set(datetime.combine(date(2026, 8, 20), time(12), tzinfo=PARIS).astimezone(UTC))
    lea = open_candidate(app)
    walk(app, lea, "trial", advisor=people.advisor, lead=people.lead)
    hugo = open_candidate(app, first_name="Hugo", last_name="Bernard", email="hugo.bernard@example.org",
                          birth_date=date(2003, 1, 9))
    walk(app, hugo, "trial", advisor=people.advisor, lead=people.lead)
    clock.set(datetime.combine(date(2026, 10, 16), time(12), tzinfo=PARIS).astimezone(UTC))
    advance(app, hugo, "break_trial", actor_email=people.advisor, facts={"contract.ended_by": "apprentice"})
    return lea, hugo


def test_the_table_in_french_names_each_line_with_its_amount_due_date_and_status(
        app: App, cases: tuple[int, int]) -> None:
    lea, _ = cases
    trial_end = show(app, lea).case.contract.trial_end
    assert trial_end is not None
    out = cf("invoices", "list").stdout
    assert "Participations employeur à facturer" in out
    assert "Léa Martin" in out
    assert "Hugo Bernard" in out
    assert "750,00\u00a0€" in out
    assert "234,25\u00a0€" in out
    assert "16/10/2026" in out
    assert trial_end.strftime("%d/%m/%Y") in out
    assert "recalculée" in out
    assert "à venir" in out
    assert "Total : 984,25\u00a0€" in out
    english = cf("--lang", "en", "invoices", "list", "--month", "2026-10").stdout
    assert "recomputed" in english
    assert "€234.25" in english
    assert "Léa Martin" not in english


def test_csv_has_a_header_plain_decimals_and_iso_dates_and_reads_back(app: App, cases: tuple[int, int]) -> None:
    lea, hugo = cases
    trial_end = show(app, lea).case.contract.trial_end
    assert trial_end is not None
    out = cf("invoices", "list", "--csv").stdout
    rows = list(csv.DictReader(io.StringIO(out)))
    assert list(rows[0]) == ["case_id", "apprentice", "employer_name", "employer_siret", "programme", "amount",
                             "due_on", "status", "source"]
    by_case = {int(row["case_id"]): row for row in rows}
    assert (by_case[hugo]["amount"], by_case[hugo]["due_on"], by_case[hugo]["status"]) == (
        "234.25", "2026-10-16", "recomputed")
    assert (by_case[lea]["amount"], by_case[lea]["due_on"], by_case[lea]["status"]) == (
        "750.00", trial_end.isoformat(), "upcoming")
    assert by_case[lea]["employer_siret"] == "73282932000074"
    assert "R6332-25-2" in by_case[lea]["source"]
    october = list(csv.DictReader(io.StringIO(cf("invoices", "list", "--month", "2026-10", "--csv").stdout)))
    assert [int(row["case_id"]) for row in october] == [hugo]
    data = json.loads(cf("invoices", "list", "--json").stdout)
    assert {(item["case_id"], item["amount"]) for item in data} == {(lea, "750.00"), (hugo, "234.25")}


@pytest.mark.parametrize("month", ["2026-13", "11-2026", "novembre"])
def test_a_bad_month_exits_non_zero_naming_it(cases: tuple[int, int], month: str) -> None:
    result = cf("invoices", "list", "--month", month, code=2)
    assert "--month" in result.output
    assert "n'est pas un mois écrit AAAA-MM" in result.output  # French by default (issue 15, item 6)


def test_another_cfa_s_advisor_sees_none_and_a_mentor_is_refused(app: App, cases: tuple[int, int],
                                                                 people: People) -> None:
    add_user(app, "conseil@autre-cfa.example", name="Conseil Autre", role="advisor", cfa_code="other-cfa")
    assert "Aucune ligne." in cf("invoices", "list", "--as", "conseil@autre-cfa.example").stdout
    assert "Léa Martin" in cf("invoices", "list", "--as", people.advisor).stdout
    cf("invoices", "list", "--as", people.mentor, code=1)


def test_the_board_and_case_show_say_what_is_owed(app: App, cases: tuple[int, int]) -> None:
    lea, _ = cases
    terms = show(app, lea).case.contract
    assert terms.trial_end is not None
    assert terms.hiring_aid_filing_due is not None
    # Léa's trial ends in January 2027 (the brochure's school weeks do not count): on 15 December 2026 her 750 €
    # falls due next month, nothing this month (Hugo's line was due in October).
    assert (terms.trial_end.year, terms.trial_end.month) == (2027, 1)
    board = cf("board", now="2026-12-15T10:00").stdout
    assert "Participations à facturer : ce mois-ci 0 (0,00\u00a0€), le mois prochain 1 (750,00\u00a0€)" in board
    shown = cf("case", "show", str(lea)).stdout
    assert "Aide à l'embauche : contrat à déposer à l'OPCO au plus tard le" in shown
    assert "décret n° 2026-168" in shown
    assert "Participation employeur : 750,00\u00a0€, à venir, échéance" in shown
