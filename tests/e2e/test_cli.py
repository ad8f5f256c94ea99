"""The `contract-flow` command line, as an advisor types it: exit codes, one-line errors, JSON output."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from contract_flow import migrations
from contract_flow.cli import app as cli_app
from contract_flow.domain.diagram import mermaid
from tests.support.calendars import BROCHURE_FILE
from tests.support.dossier import APPRENTICE, CONTRACT, EMPLOYER, MENTOR, nir_of

runner = CliRunner()
ADVISOR = "conseil@cfa.example"
LEAD = "responsable@cfa.example"


@pytest.fixture
def database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    url = f"sqlite:///{tmp_path}/cli.sqlite"
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", url)
    return url


def cf(*args: str, code: int = 0) -> str:
    """Run one command at a fixed date; check its exit code; return what it printed."""
    result = runner.invoke(cli_app, ["--now", "2026-03-02T10:00", *args])
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result.output


@pytest.fixture
def cfa(database: str) -> None:
    cf("db", "upgrade")
    cf("programme", "add", "mecatronique", "--name", "Mécatronique", "--start", "2026-09-01", "--years", "3",
       "--seats", "40", "--cfa", "imt-mines-ales", "--calendar", str(BROCHURE_FILE))
    cf("user", "add", ADVISOR, "--name", "Claire Conseil", "--role", "advisor", "--cfa", "imt-mines-ales")
    cf("user", "add", LEAD, "--name", "Paul Responsable", "--role", "programme_lead", "--cfa", "imt-mines-ales")


def open_case() -> int:
    out = cf("case", "open", "--programme", "mecatronique", "--first-name", "Léa", "--last-name", "Martin",
             "--birth-date", "2004-05-12", "--email", "lea.martin@example.org", "--track", "excellence", "--json")
    return int(json.loads(out)["id"])


def test_an_advisor_opens_a_case_records_the_project_and_moves_it_to_apply(cfa: None) -> None:
    case_id = open_case()
    cf("case", "set", str(case_id), "project.target_job=technicien mécatronique", "project.mobility_area=Occitanie",
       "--as", ADVISOR)
    out = cf("case", "advance", str(case_id), "start_applying", "--as", ADVISOR, "--reason", "projet prêt")
    assert "Réfléchir → Candidater (Passer aux candidatures" in out
    shown = json.loads(cf("case", "show", str(case_id), "--json"))
    assert shown["state"] == "apply"
    assert shown["step"] == 2
    assert shown["history"][-1]["actor"] == ADVISOR
    assert shown["history"][-1]["reason"] == "projet prêt"
    assert "shortlist" in shown["blocked"]
    listed = json.loads(cf("case", "list", "--state", "apply", "--json"))
    assert [c["id"] for c in listed] == [case_id]


def test_a_guard_refusal_exits_1_with_one_line_saying_what_is_missing(cfa: None) -> None:
    case_id = open_case()
    result = runner.invoke(cli_app, ["case", "advance", str(case_id), "start_applying", "--as", ADVISOR])
    assert result.exit_code == 1
    lines = result.output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("erreur : dossier 1 : « Passer aux candidatures » refusé : il faut un projet "
                               "professionnel (brochure, étape 1 « Réfléchir »)")
    english = runner.invoke(cli_app, ["--lang", "en", "case", "advance", str(case_id), "start_applying", "--as",
                                      ADVISOR])
    assert english.exit_code == 1
    assert english.output.startswith("error: case 1: Start applying refused: needs a professional project")


def test_a_trigger_not_allowed_now_exits_1_and_lists_the_allowed_ones(cfa: None) -> None:
    case_id = open_case()
    out = cf("case", "advance", str(case_id), "sign", "--as", ADVISOR, code=1)
    assert ("« Signer le contrat » n'est pas possible à l'étape « Réfléchir » ; possible maintenant : Passer aux "
            "candidatures, Abandonner, Clore sans contrat") in out
    english = cf("--lang", "en", "case", "advance", str(case_id), "sign", "--as", ADVISOR, code=1)
    assert "allowed now: Start applying, Withdraw, Close without a contract" in english


@pytest.mark.parametrize(("args", "message"), [
    (["case", "show", "42"], "erreur : dossier 42 introuvable"),
    (["--lang", "en", "case", "show", "42"], "error: case 42 not found"),
    (["case", "advance", "1", "fly", "--as", ADVISOR], "mouvement inconnu «\u00a0fly\u00a0»"),
    (["case", "set", "1", "offer.siret=12345678901234", "--as", ADVISOR], "la clé du SIRET est fausse (Luhn)"),
    (["case", "set", "1", "contract.start_date=2026-02-30", "--as", ADVISOR],
     "contract.start_date : «\u00a02026-02-30\u00a0» n'est pas une date"),
    (["case", "set", "1", "nokey"], "«\u00a0nokey\u00a0» n'est pas de la forme clé=valeur"),
    (["case", "open", "--programme", "mecatronique", "--first-name", "A", "--last-name", "B",
      "--birth-date", "2040-01-01", "--email", "a@b.fr"], "birth_date : le 01/01/2040 est dans le futur"),
    (["case", "list", "--state", "hired"], "state : «\u00a0hired\u00a0» n'est pas une étape"),
    (["case", "advance", "1", "start_applying"], "--as : option --as manquante"),
    (["--lang", "en", "case", "advance", "1", "start_applying"], "Missing option '--as'"),
])
def test_bad_input_exits_2_with_the_field_and_the_rule(cfa: None, args: list[str], message: str) -> None:
    open_case()
    result = runner.invoke(cli_app, args)
    assert result.exit_code == 2, result.output
    assert message in result.output


def test_a_stale_version_exits_1_with_a_conflict(cfa: None) -> None:
    case_id = open_case()
    out = cf("case", "set", str(case_id), "project.target_job=technicien", "--version", "5", "--as", ADVISOR, code=1)
    assert "a été modifié par quelqu'un d'autre depuis la version 5" in out


def test_the_board_counts_cases_per_state(cfa: None) -> None:
    open_case()
    data = json.loads(cf("board", "--json"))
    assert data == {"mecatronique": {"reflect": 1}}
    assert "Réfléchir" in cf("board")
    assert "Reflect" in cf("--lang", "en", "board")


def test_import_reports_bad_rows_and_exits_2_but_keeps_the_good_ones(cfa: None, tmp_path: Path) -> None:
    csv = tmp_path / "candidats.csv"
    csv.write_text("programme,first_name,last_name,birth_date,email\n"
                   "mecatronique,Léa,Martin,2004-05-12,lea@example.org\n"
                   "mecatronique,Hugo,Bernard,31/02/2004,hugo@example.org\n", encoding="utf-8")
    out = cf("import", "cases", str(csv), "--json", code=2)
    report = json.loads(out)
    assert report["imported"] == [{"line": 2, "id": 1}]
    assert report["problems"][0]["line"] == 3
    assert report["problems"][0]["field"] == "birth_date"


def test_diagram_prints_the_chart_from_the_engine_definition(database: str) -> None:
    assert cf("diagram") == mermaid()


def test_the_demo_loads_a_dozen_cases_spread_over_the_steps(database: str) -> None:
    cf("db", "upgrade")
    assert "12 cases created" in cf("demo")
    assert "already loaded" in cf("demo")
    counts = json.loads(cf("board", "--json"))["mecatronique"]
    assert sum(counts.values()) == 12
    assert len(counts) >= 7


def test_the_installed_console_script_runs(database: str) -> None:
    """The entry point declared in pyproject.toml, as a user's shell runs it."""
    script = Path(sys.executable).parent / "contract-flow"
    result = subprocess.run([str(script), "db", "upgrade"], capture_output=True, text=True, env=os.environ,
                            check=False, timeout=120)
    assert result.returncode == 0, result.stderr
    versions = Path(migrations.__file__).parent / "versions"
    newest = max(path.name[:4] for path in versions.glob("[0-9][0-9][0-9][0-9]_*.py"))
    assert f"at revision {newest}" in result.stdout  # the newest migration


def test_an_absence_during_the_trial_moves_its_end(cfa: None) -> None:
    case_id = open_case()
    steps = [
        ("start_applying", ["project.target_job=technicien", "project.mobility_area=Gard"], ADVISOR),
        ("shortlist", ["application.company=Industrie SA"], ADVISOR),
        ("receive_offer", ["offer.company=Industrie SA", "offer.siret=73282932000074"], ADVISOR),
        ("choose", ["offer.gross_monthly_pay=1400", "offer.start_date=2026-09-01", "offer.weekly_hours=35"], ADVISOR),
        ("validate", [], LEAD),
        ("sign", ["contract.signature_date=2026-08-20", "contract.signature_place=Alès",
                  "contract.end_date=2029-08-31", "contract.mentor_name=Marie Maître"], ADVISOR),
    ]
    for trigger, facts, actor in steps:
        if trigger == "sign":
            fill_the_dossier(case_id)
        cf("case", "advance", str(case_id), trigger, "--as", actor, *[f"--fact={fact}" for fact in facts])
    assert json.loads(cf("case", "show", str(case_id), "--json"))["state"] == "signed"
    # The engine's sweep as 1 September begins: the signed contract starts, its trial with it.
    assert "sent 1" in cf("reminders", "run", "--now", "2026-09-01T00:10")
    # The history says why the engine moved the case, in the reader's language (stored as its English).
    # (a table's cell wraps its words over lines, the other columns' between them)
    assert {"arrivée", "commence"} <= set(cf("case", "show", str(case_id)).split())
    assert {"begins", "trial"} <= set(cf("--lang", "en", "case", "show", str(case_id)).split())
    out = cf("case", "absence", str(case_id), "--from", "2026-09-28", "--to", "2026-10-02", "--as", ADVISOR,
             "--reason", "arrêt maladie")
    # Five company days fewer; school from 11 to 29 January 2027 (mecatronique calendar) pushes it to February.
    assert "la fin de la période d'essai passe du 07/01/2027 au 04/02/2027" in " ".join(out.split())
    assert "to : le 01/10/2026 est avant le premier jour, le 02/10/2026" in cf(
        "case", "absence", str(case_id), "--from", "2026-10-02", "--to", "2026-10-01", "--as", ADVISOR, code=2)


def fill_the_dossier(case_id: int) -> None:
    """Sign is refused until the contract dossier is complete and lawful (issue 14): the advisor fills it."""
    def pairs(values: dict[str, str], prefix: str = "") -> list[str]:
        return [f"{prefix}{key}={value}" for key, value in values.items()]

    case = str(case_id)
    cf("dossier", "set", case, "employer", *pairs(EMPLOYER), "--as", ADVISOR)
    cf("dossier", "set", case, "apprentice", *pairs(APPRENTICE), f"nir={nir_of(date(2004, 5, 12))}", "--as", ADVISOR)
    cf("dossier", "set", case, "mentors", "1.first_name=Marie", "1.last_name=Maître",
       "1.email=marie.maitre@industrie.example", *pairs(MENTOR, "1."), "--as", ADVISOR)
    cf("dossier", "set", case, "contract", *pairs(CONTRACT), "signature_place=Alès", "--as", ADVISOR)
    cf("dossier", "set", case, "training", "exams_end=2029-06-30", "--as", ADVISOR)


def test_a_database_never_set_up_is_said_so(database: str) -> None:
    out = cf("case", "show", "1", code=2)
    assert "elle n'est pas installée" in out
    assert "contract-flow db upgrade" in out
