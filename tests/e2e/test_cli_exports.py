"""`contract-flow case export`, `risk export` and `exports list` (issue 16, item 5) on SQLite and PostgreSQL: the
lists' filters as options, the file read back with `csv` and openpyxl, the export in the log; a non-staff user is
refused (exit 1), leaving no file and no log row; a bad format names the option (exit 2)."""

from __future__ import annotations

import csv
import io
import json
from datetime import datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from typer.testing import CliRunner, Result

from contract_flow.bootstrap import App
from contract_flow.cli import app as cli_app
from tests.conftest import People
from tests.support.cases import open_candidate

pytestmark = pytest.mark.postgres

runner = CliRunner()


def cf(*args: str, code: int = 0, now: str = "2026-12-03T09:15") -> Result:
    result = runner.invoke(cli_app, ["--now", now, *args])
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


@pytest.fixture
def ids(app: App, database_url: str, people: People, monkeypatch: pytest.MonkeyPatch) -> list[int]:
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", database_url)
    return [open_candidate(app, first_name="Inès", last_name="Dupont", email="ines.dupont@example.org"),
            open_candidate(app, first_name="@Paul", last_name="Durand", email="paul.durand@example.org"),
            open_candidate(app, first_name="Léa", last_name="Martin", email="lea.martin@example.org")]


def _log(*args: str) -> dict[str, object]:
    return json.loads(cf("exports", "list", "--json", *args).stdout)  # type: ignore[no-any-return]


def test_case_export_as_csv_with_the_list_s_filters_then_in_the_log(
        ids: list[int], people: People, tmp_path: Path) -> None:
    target = tmp_path / "dossiers.csv"
    result = cf("case", "export", "--format", "csv", "-o", str(target), "-q", "du", "--state", "reflect",
                "--as", people.advisor)
    assert "2 ligne(s) exportée(s) dans" in result.stderr
    text = target.read_bytes().decode("utf-8-sig")
    header, *rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))
    assert header[:3] == ["N° de dossier", "Nom", "Prénom"]
    assert [(int(row[0]), row[1], row[2]) for row in rows] == [(ids[0], "Dupont", "Inès"),
                                                               (ids[1], "Durand", "'@Paul")]
    assert rows[0][4] == "12/05/2004"
    log = _log("--as", people.lead)
    assert log["total"] == 1
    [item] = log["items"]  # type: ignore[misc]
    assert (item["by"], item["kind"], item["format"], item["via"], item["rows"]) == (
        people.advisor, "cases", "csv", "cli", 2)
    assert item["filter"] == {"q": "du", "state": "reflect"}
    table = runner.invoke(cli_app, ["exports", "list", "--as", people.advisor], env={"COLUMNS": "200"}).stdout
    assert "Exports nominatifs (1)" in table
    # The words only: the CLI's Rich console takes its width once, when its module is first imported, and another
    # test may have imported it under a narrower COLUMNS, wrapping the filter over two lines.
    assert "recherche «" in table, table
    assert "Réfléchir" in table, table


def test_case_export_as_xlsx_in_english(ids: list[int], people: People, tmp_path: Path) -> None:
    target = tmp_path / "cases.xlsx"
    result = cf("--lang", "en", "case", "export", "--format", "xlsx", "-o", str(target), "--as", people.lead)
    assert "3 row(s) exported to" in result.stderr
    sheet = load_workbook(target).worksheets[0]
    header, *rows = list(sheet.iter_rows(values_only=True))
    assert header[:4] == ("Case", "Last name", "First name", "Email")
    assert [row[0] for row in rows] == ids
    assert rows[0][4] == datetime(2004, 5, 12)  # noqa: DTZ001  (a date cell)
    assert rows[1][2] == "'@Paul"


def test_risk_export_to_the_standard_output(ids: list[int], people: People) -> None:
    # six months after they were opened, none has moved: every case is stale
    result = cf("risk", "export", "--programme", "mecatronique", "--as", people.advisor, now="2027-06-03T10:00")
    header, *rows = list(csv.reader(io.StringIO(result.stdout_bytes.decode("utf-8-sig"), newline=""),
                                    delimiter=";"))
    assert header == ["N° de dossier", "Candidat·e", "Étape", "Type d'alerte", "Détail", "Échéance"]
    assert sorted(int(row[0]) for row in rows) == ids
    assert {row[3] for row in rows} == {"Sans mouvement"}
    [item] = _log("--operator")["items"]  # type: ignore[misc]
    assert (item["kind"], item["filter"], item["rows"]) == ("risk", {"programme": "mecatronique"}, 3)


@pytest.mark.parametrize("role", ["tutor", "mentor", "apprentice"])
def test_only_staff_export_a_refusal_leaves_no_file_and_no_log_row(
        ids: list[int], people: People, tmp_path: Path, role: str) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    target = folder / "refused.csv"
    cf("case", "export", "-o", str(target), "--as", getattr(people, role), code=1)
    cf("risk", "export", "--format", "xlsx", "-o", str(target), "--as", getattr(people, role), code=1)
    cf("exports", "list", "--as", getattr(people, role), code=1)
    assert list(folder.iterdir()) == []  # not even a temporary file
    assert _log("--operator")["total"] == 0


def test_bad_input_names_the_option_and_exports_nothing(ids: list[int], people: People, tmp_path: Path) -> None:
    assert "--format" in cf("case", "export", "--format", "pdf", "--as", people.advisor, code=2).stderr
    assert "state" in cf("case", "export", "--state", "nowhere", "--as", people.advisor, code=2).stderr
    missing = tmp_path / "missing"
    assert cf("case", "export", "-o", str(missing / "x.csv"), "--as", people.advisor, code=2).stderr.startswith(
        f"erreur : --output : {missing} n'est pas un dossier")
    assert "--as" in cf("case", "export", code=2).stderr
    assert _log("--operator")["total"] == 0
