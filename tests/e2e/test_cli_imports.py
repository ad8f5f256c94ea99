"""`contract-flow import cases FILE` with the files people have (issue 15, item 7): a French Excel CSV and an .xlsx
workbook; `--dry-run` shows each row's outcome and imports nothing; the report is in French by default (`--lang en`),
each bad row by line and field; a Windows-1252 file is refused saying how to save it as UTF-8."""

from __future__ import annotations

import codecs
import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from openpyxl import Workbook
from typer.testing import CliRunner

from contract_flow.cli import app as cli_app

FRENCH_EXCEL = ("Formation;Prénom;Nom;Date de naissance;Courriel\r\n"
                "mecatronique;Zoé;Lambert;04/03/2005;zoe@example.org\r\n"
                "mecatronique;Hugo;Bernard;31/02/2005;hugo@example.org\r\n"
                "robotique;Ana;Lopez;01/01/2005;ana@example.org\r\n")
CF = Callable[..., str]


@pytest.fixture
def cf(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> CF:
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", f"sqlite:///{tmp_path}/cli.sqlite")
    monkeypatch.setenv("COLUMNS", "250")  # Rich's tables and lines unwrapped
    runner = CliRunner()

    def run(*args: str, code: int = 0) -> str:
        result = runner.invoke(cli_app, ["--now", "2026-03-02T10:00", *args])
        assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
        return " ".join(result.output.split())

    run("db", "upgrade")
    run("programme", "add", "mecatronique", "--name", "Mécatronique", "--start", "2026-09-01", "--years", "3",
        "--seats", "40")
    return run


def cases(cf: CF) -> int:
    return sum(json.loads(cf("board", "--json")).get("mecatronique", {}).values())


def test_a_dry_run_says_what_each_row_would_do_in_french_and_imports_nothing(cf: CF, tmp_path: Path) -> None:
    file = tmp_path / "admis.csv"
    file.write_bytes(codecs.BOM_UTF8 + FRENCH_EXCEL.encode())
    out = cf("import", "cases", str(file), "--dry-run", code=2)  # some rows would be refused: 2, as the import
    assert "Aperçu (rien n'est importé) : 1 dossier(s) à ouvrir, 0 déjà là, 2 ligne(s) refusée(s)" in out
    assert "Zoé" in out
    assert "à importer" in out
    assert "refusée : date de naissance" in out
    assert "« 31/02/2005 » n'est pas un jour du calendrier" in out
    assert "la formation « robotique » n'existe pas" in out
    assert cases(cf) == 0
    preview = json.loads(cf("import", "cases", str(file), "--dry-run", "--json", code=2))
    assert preview["dry_run"] is True
    assert preview["new"] == [2]
    assert [(p["line"], p["field"], p["code"]) for p in preview["problems"]] == [
        (3, "birth_date", "no_such_day"), (4, "programme", "programme")]
    assert preview["rows"]["2"]["birth_date"] == "2005-03-04"
    assert cases(cf) == 0


def test_the_import_reports_in_french_by_default_and_in_english_on_request(cf: CF, tmp_path: Path) -> None:
    file = tmp_path / "admis.csv"
    file.write_text(FRENCH_EXCEL, encoding="utf-8")
    out = cf("import", "cases", str(file), code=2)
    assert "1 dossier(s) importé(s), 0 déjà là, 2 ligne(s) refusée(s)" in out
    assert "Lignes refusées" in out
    assert "date de naissance" in out
    assert cases(cf) == 1
    again = cf("--lang", "en", "import", "cases", str(file), code=2)
    assert "0 case(s) imported, 1 already there, 2 row(s) refused" in again
    assert "«31/02/2005» is not a date: no such day" in again
    assert cases(cf) == 1


def test_a_windows_1252_file_is_refused_saying_how_to_save_it_as_utf8(cf: CF, tmp_path: Path) -> None:
    file = tmp_path / "admis.csv"
    file.write_bytes(FRENCH_EXCEL.encode("cp1252"))
    out = cf("import", "cases", str(file), code=2)
    assert "n'est pas en UTF-8 (il semble enregistré en Windows-1252" in out
    assert "CSV UTF-8 (délimité par des virgules)" in out
    assert cases(cf) == 0


def test_an_xlsx_workbook_is_imported(cf: CF, tmp_path: Path) -> None:
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["Formation", "Prénom", "Nom", "Date de naissance", "E-mail"])
    sheet.append(["mecatronique", "Inès", "Roux", date(2005, 1, 2), "ines.roux@example.org"])
    file = tmp_path / "admis.xlsx"
    book.save(file)
    report = json.loads(cf("import", "cases", str(file), "--json"))
    assert report["imported"] == [{"line": 2, "id": 1}]
    assert cases(cf) == 1
