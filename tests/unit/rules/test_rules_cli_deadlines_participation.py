"""`contract-flow rules deadlines` with the deadlines after the signature, and `rules participation`: JSON keys,
exit codes, tables in French by default, and one line naming the option on bad input (exit 2)."""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from contract_flow.cli import app as cli_app
from contract_flow.cli.output import console

runner = CliRunner()


def run(*args: str, lang: str | None = None) -> Result:
    """`contract-flow [--lang LANG] rules ARGS`: the root command's language, French unless told."""
    return runner.invoke(cli_app, [*(["--lang", lang] if lang else []), "rules", *args])


def answer(*args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_deadlines_keep_their_keys_and_values_and_add_the_new_ones_with_their_sources() -> None:
    data = answer("deadlines", "--contract-start", "2026-04-30", "--training-start", "2026-05-15",
                  "--birth-date", "2010-02-01", "--concluded", "2026-04-20", "--filed-on", "2026-05-04")
    assert list(data) == [
        "opco_filing_due", "training_start_due", "employer_search_window_end", "sources",
        "medical_visit_due", "opco_decision_due", "hiring_aid_filing_due", "sources_by_deadline", "notes",
    ]
    assert {key: data[key] for key in ("opco_filing_due", "training_start_due", "employer_search_window_end")} == {
        "opco_filing_due": "2026-05-07", "training_start_due": "2026-07-30", "employer_search_window_end": "2026-08-15"}
    assert [source.split(":")[0].strip() for source in data["sources"]] == ["D6224-1", "L6222-12", "L6222-12-1"]
    assert (data["medical_visit_due"], data["opco_decision_due"], data["hiring_aid_filing_due"]) == (
        "2026-04-30", "2026-05-24", "2026-10-20")  # a minor: by the start (R4624-18)
    assert list(data["sources_by_deadline"]) == [
        "opco_filing_due", "training_start_due", "employer_search_window_end", "medical_visit_due",
        "opco_decision_due", "hiring_aid_filing_due"]
    assert data["sources_by_deadline"]["medical_visit_due"].startswith("R4624-18")
    assert data["sources_by_deadline"]["opco_decision_due"].startswith("D6224-2")
    assert data["notes"] == []


def test_deadlines_without_a_birth_date_or_a_filing() -> None:
    data = answer("deadlines", "--contract-start", "2026-12-31")
    assert (data["medical_visit_due"], data["opco_decision_due"], data["hiring_aid_filing_due"]) == (
        "2027-02-28", None, "2027-06-30")
    assert "opco_decision_due" not in data["sources_by_deadline"]
    assert data["notes"][0].startswith("medical_visit_due assumes an adult (no birth date)")


def test_participation_as_json() -> None:
    data = answer("participation", "--level", "7", "--concluded", "2026-08-20", "--trial-end", "2026-11-10")
    assert list(data) == ["amount", "invoice_due", "reason", "sources"]
    assert (data["amount"], data["invoice_due"]) == ("750.00", "2026-11-10")
    assert [source.split(" ")[0] for source in data["sources"]] == ["L6332-14", "R6332-25-2"]


# (options, amount)
AMOUNTS = [
    pytest.param(["--level", "6", "--concluded", "2025-06-30"], "0.00", id="décret 2025-585 before 1 July 2025"),
    pytest.param(["--level", "5", "--concluded", "2026-08-20"], "0.00", id="L6332-14 level 5"),
    pytest.param(["--level", "7", "--concluded", "2026-08-20", "--after-break"], "200.00",
                 id="R6332-25-1 after an early break"),
    pytest.param(["--level", "7", "--concluded", "2026-08-20", "--broken-on-day", "45", "--npec", "8 000,00"],
                 "493.15", id="R6332-25-1 a trial break, the ministry's example"),
]


@pytest.mark.parametrize(("options", "amount"), AMOUNTS)
def test_participation_amounts(options: list[str], amount: str) -> None:
    assert answer("participation", *options)["amount"] == amount


@pytest.mark.parametrize("command", [
    ["deadlines", "--contract-start", "2026-09-01", "--birth-date", "2009-03-02", "--filed-on", "2026-09-03"],
    ["participation", "--level", "7", "--concluded", "2026-08-20"],
])
def test_without_json_a_table_is_printed(command: list[str]) -> None:
    result = run(*command)
    assert result.exit_code == 0, result.stderr
    assert "─" in result.stdout or "━" in result.stdout


@pytest.mark.parametrize(("lang", "lines"), [
    (None, ["Participation de l'employeur, niveau 7, contrat conclu le 20 août 2026",
            "│ montant       │ 750,00\u00a0€", "│ à facturer le │ 10/11/2026"]),
    ("en", ["Employer participation, level 7, concluded 20 August 2026",
            "│ amount      │ €750.00", "│ invoice due │ 10/11/2026"]),
])
def test_the_participation_table_in_each_language(
        monkeypatch: pytest.MonkeyPatch, lang: str | None, lines: list[str]) -> None:
    monkeypatch.setattr(console, "_width", 200)  # one line a row (see test_rules_cli_pay)
    result = run("participation", "--level", "7", "--concluded", "2026-08-20", "--trial-end", "2026-11-10", lang=lang)
    assert result.exit_code == 0, result.stderr
    for line in lines:
        assert line in result.stdout
    assert "2026-11-10" not in result.stdout


def test_a_deadline_not_known_yet_is_a_dash_in_the_table(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(console, "_width", 200)
    result = run("participation", "--level", "7", "--concluded", "2026-08-20")
    assert result.exit_code == 0, result.stderr
    [line] = [line for line in result.stdout.splitlines() if "à facturer le" in line]
    assert line.split("│")[2].strip() == "—"
    assert "None" not in result.stdout


# In English (`--lang en`); the dates refused by the rules (domain.rules) in their English words, the days as en_GB
# writes them as everywhere in the CLI's English (the API's English keeps ISO days).
BAD_INPUT = [
    pytest.param(["deadlines", "--contract-start", "2026-09-01", "--concluded", "2026-09-02"],
                 "error: concluded: 02/09/2026 is after the contract start 01/09/2026: a contract is concluded",
                 id="concluded after the start"),
    pytest.param(["deadlines", "--contract-start", "2026-09-01", "--concluded", "2026-08-20",
                  "--filed-on", "2026-08-19"],
                 "error: filed-on: 19/08/2026 is before the contract was concluded (20/08/2026)",
                 id="filed before the conclusion"),
    pytest.param(["deadlines", "--contract-start", "2026-09-01", "--birth-date", "2027-01-01"],
                 "error: birth-date: 01/01/2027 is not before the contract start 01/09/2026\n",
                 id="born after the start"),
    pytest.param(["deadlines", "--contract-start", "2026-09-01", "--filed-on", "2026-02-30"],
                 "error: filed-on: “2026-02-30” is not a date", id="a day that does not exist"),
    pytest.param(["participation", "--level", "9", "--concluded", "2026-08-20"],
                 "error: level: 9 is not a level an apprenticeship prepares (3 to 8", id="level 9"),
    pytest.param(["participation", "--level", "7", "--concluded", "2026-08-20", "--broken-on-day", "10"],
                 "error: npec: a break during the trial is prorated on the NPEC", id="a break without the NPEC"),
    pytest.param(["participation", "--level", "7", "--concluded", "2026-08-20", "--npec", "8000"],
                 "error: broken-on-day: a break during the trial is prorated on the NPEC", id="the NPEC alone"),
    pytest.param(["participation", "--level", "7", "--concluded", "2026-08-20", "--broken-on-day", "0",
                  "--npec", "8000"], "error: broken-on-day: 0:", id="day 0"),
    pytest.param(["participation", "--level", "7", "--concluded", "2026-08-20", "--broken-on-day", "10",
                  "--npec", "-5"], "error: npec: “-5” must be a positive amount", id="a negative NPEC"),
    pytest.param(["participation", "--level", "7", "--concluded", "2026-08-20", "--broken-on-day", "10",
                  "--npec", "8000", "--trial-end", "2026-11-10"],
                 "error: trial-end: a contract broken during its trial never reaches", id="a trial end and a break"),
    pytest.param(["participation", "--level", "7", "--concluded", "20260820"],
                 "error: concluded: “20260820” is not a date", id="a date without dashes"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT)
def test_bad_input_is_one_line_naming_the_option_and_exit_code_2(args: list[str], message: str) -> None:
    result = run(*args, lang="en")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1


FRENCH_BAD_INPUT = [
    pytest.param(["participation", "--level", "7", "--concluded", "2026-08-20", "--broken-on-day", "10"],
                 "erreur : npec : une rupture pendant l'essai se calcule au prorata du NPEC : indiquez --broken-on-day "
                 "et --npec\n", id="a break without the NPEC"),
    pytest.param(["participation", "--level", "7", "--concluded", "2026-08-20", "--broken-on-day", "10",
                  "--npec", "-5"], "erreur : npec : «\u00a0-5\u00a0» doit être un montant positif en euros\n",
                 id="a negative NPEC"),
    pytest.param(["deadlines", "--contract-start", "2026-09-01", "--filed-on", "2026-02-30"],
                 "erreur : filed-on : «\u00a02026-02-30\u00a0» n'est pas une date", id="a day that does not exist"),
    # domain.rules' own refusal, in French too
    pytest.param(["deadlines", "--contract-start", "2026-09-01", "--birth-date", "2027-01-01"],
                 "erreur : birth-date : le 01/01/2027 n'est pas avant le début du contrat, le 01/09/2026\n",
                 id="born after the start"),
]


@pytest.mark.parametrize(("args", "message"), FRENCH_BAD_INPUT)
def test_bad_input_is_said_in_french_by_default(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert result.stderr.count("\n") == 1


def test_a_level_that_is_not_a_number_is_refused_by_the_option_parser() -> None:
    result = run("participation", "--level", "seven", "--concluded", "2026-08-20")
    assert result.exit_code == 2
    assert "--level" in result.stderr
