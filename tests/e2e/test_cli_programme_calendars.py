"""Programme calendars are part of the programme (issue 10), through the CLI on SQLite and PostgreSQL.

L6222-18 counts the trial in company days, so a contract is signed only once its programme has school periods
(before, a programme added without a calendar counted every weekday: a trial from 1 September 2026 ended on
2 November instead of 7 January 2027). Replacing a calendar counts again the trial ends of the cases in trial.
Codes are stored in lower case and found whatever their capitals, everywhere.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from contract_flow.bootstrap import App
from contract_flow.cli import app as cli_app
from contract_flow.services.cases import record_absence, set_facts, show
from contract_flow.services.queries import list_cases
from contract_flow.services.reminders import ledger
from tests.conftest import People, snapshot
from tests.support.calendars import BROCHURE_FILE, OTHER_CFA_TOML
from tests.support.cases import PATH, open_candidate, walk
from tests.support.dossier import fill_dossier

pytestmark = pytest.mark.postgres

runner = CliRunner()

#: One school block of three weeks: from 1 September 2026 the 45th company day is Tuesday 24 November 2026
#: (9 days until 11 September, 20 in October, 16 in November with 11 November a public holiday).
THREE_WEEKS_TOML = '[[school]]\nfrom = "2026-09-14"\nto = "2026-10-02"\n'


def cf(*args: str, code: int = 0) -> Result:
    result = runner.invoke(cli_app, ["--now", "2026-03-02T10:00", *args])
    assert result.exit_code == code, f"{args}: exit {result.exit_code}\n{result.output}"
    return result


def a_file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def cli(app: App, database_url: str, people: People, monkeypatch: pytest.MonkeyPatch) -> People:
    """The CLI on the test's database (the `app` fixture's), with the people of the CFA."""
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", database_url)
    return people


def add_mkx(*options: str) -> dict[str, object]:
    out = cf("programme", "add", "MKX", "--name", "Mécatronique X", "--start", "2026-09-01", "--cfa",
             "imt-mines-ales", *options, "--json").stdout
    return dict(json.loads(out))


def trial_passes(app: App, case_id: int) -> list[str]:
    """The trial ends the engine's planned `pass_trial` rows are for."""
    return [row.payload["trial_end"] for row in ledger(app, case_id)
            if row.kind == "trial_pass" and row.status == "planned"]


def trial_end_of(app: App, case_id: int) -> date | None:
    return show(app, case_id).case.contract.trial_end


def test_programme_add_with_a_calendar_stores_it_and_every_command_finds_the_code_whatever_its_capitals(
        app: App, cli: People, tmp_path: Path) -> None:
    added = add_mkx("--calendar", a_file(tmp_path, "other.toml", OTHER_CFA_TOML))
    assert (added["code"], added["school_periods"], len(str(added["calendar_version"]))) == ("mkx", 6, 64)
    opened = cf("case", "open", "--programme", "MKX", "--first-name", "Léa", "--last-name", "Martin",
                "--birth-date", "2004-05-12", "--email", "lea.martin@example.org", "--json").stdout
    case_id = int(json.loads(opened)["id"])
    assert [c.id for c in list_cases(app, programme="Mkx")] == [case_id]
    # The rules answer with the calendar stored in the database, found whatever the capitals.
    answer = cf("rules", "trial-end", "--contract-start", "2026-09-01", "--programme", "mKx", "--json").stdout
    assert json.loads(answer)["trial_end"] == "2026-11-17"
    walk(app, case_id, "trial", advisor=cli.advisor, lead=cli.lead)
    assert trial_end_of(app, case_id) == date(2026, 11, 17)


def test_the_brochure_calendar_ends_the_trial_of_1_september_2026_on_7_january_2027(
        app: App, cli: People, tmp_path: Path) -> None:
    """Issue 10's own example: mecatronique's school blocks push the 45th company day into January."""
    cf("programme", "add", "mecatronique-bis", "--name", "M", "--start", "2026-09-01", "--calendar",
       a_file(tmp_path, "brochure.toml", BROCHURE_FILE.read_text(encoding="utf-8").replace(
           'code = "mecatronique"', 'code = "mecatronique-bis"')))
    answer = cf("rules", "trial-end", "--contract-start", "2026-09-01", "--programme", "MECATRONIQUE-BIS",
                "--json").stdout
    assert json.loads(answer)["trial_end"] == "2027-01-07"


def test_a_programme_without_a_calendar_cannot_sign_and_the_refusal_says_how_to_add_one(
        app: App, cli: People, tmp_path: Path) -> None:
    assert add_mkx()["calendar_version"] is None
    case_id = open_candidate(app, programme="MKX")
    walk(app, case_id, "sign", advisor=cli.advisor, lead=cli.lead)
    set_facts(app, case_id, dict(PATH)["sign"], actor_email=cli.advisor)
    fill_dossier(app, case_id, advisor=cli.advisor)
    refused = cf("case", "advance", str(case_id), "sign", "--as", cli.advisor, code=1).output.strip().splitlines()
    assert len(refused) == 1
    assert refused[0].startswith(f"erreur : dossier {case_id} : « Signer le contrat » refusé : la formation mkx n'a "
                                 "pas de calendrier des périodes au CFA")
    assert "ajoutez-le avec `contract-flow programme calendar mkx FICHIER`" in refused[0]
    no_answer = cf("--lang", "en", "rules", "trial-end", "--contract-start", "2026-09-01", "--programme", "MKX",
                   code=2).output
    assert no_answer.startswith("error: programme: the programme mkx has no school calendar")
    cf("programme", "calendar", "MKX", a_file(tmp_path, "other.toml", OTHER_CFA_TOML))
    cf("case", "advance", str(case_id), "sign", "--as", cli.advisor)
    assert trial_end_of(app, case_id) == date(2026, 11, 17)


def test_replacing_a_calendar_moves_the_trial_ends_of_the_cases_in_trial_with_their_history_and_reminders(
        app: App, cli: People, tmp_path: Path) -> None:
    add_mkx("--calendar", a_file(tmp_path, "other.toml", OTHER_CFA_TOML))
    in_trial = open_candidate(app, programme="mkx")
    walk(app, in_trial, "trial", advisor=cli.advisor, lead=cli.lead)
    searching = open_candidate(app, programme="mkx", first_name="Hugo", email="hugo@example.org")
    signed = open_candidate(app, programme="mkx", first_name="Inès", email="ines@example.org")
    walk(app, signed, "signed", advisor=cli.advisor, lead=cli.lead)  # its trial is still to come
    assert trial_passes(app, in_trial) == ["2026-11-17"]

    out = cf("programme", "calendar", "mkx", a_file(tmp_path, "three.toml", THREE_WEEKS_TOML), "--json").stdout
    replaced = json.loads(out)
    assert replaced["school_periods"] == 1
    assert replaced["moved"] == [{"case_id": in_trial, "old": "2026-11-17", "new": "2026-11-24"},
                                 {"case_id": signed, "old": "2026-11-17", "new": "2026-11-24"}]
    assert trial_end_of(app, signed) == date(2026, 11, 24)

    assert trial_end_of(app, in_trial) == date(2026, 11, 24)
    last = show(app, in_trial).history[-1]
    assert (last.trigger, last.from_state, last.to_state) == ("record_facts", "trial", "trial")
    assert last.facts["trial_end"] == "2026-11-17 → 2026-11-24"
    assert last.facts["programme.calendar"] == replaced["calendar_version"]
    assert trial_passes(app, in_trial) == ["2026-11-24"]  # the engine's pass_trial follows the new end
    assert show(app, searching).history == []  # not in trial: nothing to count again
    # The new calendar is the one every later count uses (the parsed calendars are kept per version).
    record_absence(app, in_trial, date(2026, 11, 2), date(2026, 11, 3), actor_email=cli.mentor)
    assert trial_end_of(app, in_trial) == date(2026, 11, 26)


OVERLAPPING = ('[[school]]\nfrom = "2026-09-14"\nto = "2026-10-02"\n\n'
               '[[school]]\nfrom = "2026-09-28"\nto = "2026-10-09"\n')


@pytest.mark.parametrize(("text", "rule"), [
    pytest.param(OVERLAPPING, "school[2]: from 28/09/2026 overlaps school[1] (14/09/2026 to 02/10/2026)",
                 id="overlapping periods"),
    pytest.param('[[school]]\nfrom = "2026-10-02"\nto = "2026-09-14"\n', "school[1]: to 14/09/2026 is before from",
                 id="an inverted period"),
    pytest.param('[[school]]\nfrom = "2026-09-31"\nto = "2026-10-02"\n',
                 "school[1].from: \u201c2026-09-31\u201d is not a date", id="no 31 September"),
    pytest.param("code = 'mkx'\n", "school: missing: at least one [[school]] entry is needed", id="no period"),
    pytest.param("[[school]\n", "not valid TOML", id="not TOML"),
    pytest.param('code = "mecatronique"\n[[school]]\nfrom = "2026-09-14"\nto = "2026-10-02"\n',
                 "the file is the calendar of programme mecatronique, not of mkx", id="another programme's file"),
])
@pytest.mark.parametrize("command", ["add", "calendar"])
def test_a_bad_calendar_file_exits_2_with_one_line_naming_the_option_and_changes_nothing(
        app: App, cli: People, tmp_path: Path, text: str, rule: str, command: str) -> None:
    good = a_file(tmp_path, "other.toml", OTHER_CFA_TOML)
    bad = a_file(tmp_path, "bad.toml", text)
    if command == "calendar":
        add_mkx("--calendar", good)
        args = ["programme", "calendar", "mkx", bad]
        option = "file"
    else:
        args = ["programme", "add", "mkx", "--name", "X", "--start", "2026-09-01", "--calendar", bad]
        option = "--calendar"
    before = snapshot(app)
    lines = cf("--lang", "en", *args, code=2).output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith(f"error: {option}: ")
    assert rule in lines[0]
    assert snapshot(app) == before


def test_a_bad_calendar_file_is_said_in_french_by_default(app: App, cli: People, tmp_path: Path) -> None:
    bad = a_file(tmp_path, "bad.toml", OVERLAPPING)
    lines = cf("programme", "add", "mkx", "--name", "X", "--start", "2026-09-01", "--calendar", bad,
               code=2).output.strip().splitlines()
    assert len(lines) == 1
    assert lines[0].startswith("erreur : --calendar : ")
    assert lines[0].endswith(f"{bad} : school[2] : la période qui commence le 28/09/2026 chevauche school[1] "
                             "(du 14/09/2026 au 02/10/2026)")


def test_a_missing_calendar_file_or_programme_exits_2_naming_it(app: App, cli: People, tmp_path: Path) -> None:
    add_mkx()
    good = a_file(tmp_path, "other.toml", OTHER_CFA_TOML)
    before = snapshot(app)
    out = cf("--lang", "en", "programme", "calendar", "MKX", str(tmp_path / "nowhere.toml"), code=2).output
    assert out.startswith("error: file: ")
    assert "nowhere.toml: file not found" in out
    assert snapshot(app) == before
    assert "programme nope not found" in cf("--lang", "en", "programme", "calendar", "nope", good, code=2).output
