"""`contract-flow rules ...`: JSON answers with the agreed keys, tables in French by default (English with
`--lang en`), and exit code 2 naming the field on bad input, in the language."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from contract_flow.cli import app as cli_app
from contract_flow.cli.output import console
from contract_flow.domain.legal import COMPUTED_VALUES
from contract_flow.domain.rules import ContractDeadlines, Deadlines, Eligibility, Participation, PayResult, TrialEnd
from contract_flow.rules_words import VALUE_NAMES

runner = CliRunner()


def run(*args: str, lang: str | None = None) -> Result:
    """`contract-flow [--lang LANG] rules ARGS`: the root command's language, French unless told."""
    return runner.invoke(cli_app, [*(["--lang", lang] if lang else []), "rules", *args])


@pytest.fixture
def wide_console(monkeypatch: pytest.MonkeyPatch) -> None:
    """A table's rows on one line each, whatever the terminal running the tests. The console is made once per
    process: its private width, not the `width` property (see test_rules_cli_pay)."""
    monkeypatch.setattr(console, "_width", 200)


def row(output: str, name: str) -> str:
    """The line of a two-column table whose first cell is `name`, its borders and padding taken off."""
    [line] = [line for line in output.splitlines() if line.startswith(f"│ {name} ")]
    return " ".join(cell.strip() for cell in line.strip("│").split("│"))


def answer(*args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_pay_as_json() -> None:
    data = answer("pay", "--birth-date", "2005-03-15", "--contract-start", "2024-09-01", "--on", "2026-04-01")
    assert list(data) == [
        "contract_year", "age_band", "percent", "reference", "reference_amount", "minimum_monthly_gross",
        "employee_contributions_exempt_up_to", "sources", "minimum_rule", "age_based_minimum",
        "previous_contract_floor", "years_counted_from",
    ]
    assert data | {"sources": None} == {
        "contract_year": 2, "age_band": "21-25", "percent": "61.00", "reference": "SMIC",
        "reference_amount": "1823.03", "minimum_monthly_gross": "1112.05",
        "employee_contributions_exempt_up_to": "1440.19", "sources": None, "minimum_rule": "D6222-26",
        "age_based_minimum": "1112.05", "previous_contract_floor": None, "years_counted_from": "2024-09-01",
    }
    assert any(source.startswith("Décret n° 2025-1228") for source in data["sources"])


def test_pay_with_an_smc_and_a_conclusion_date() -> None:
    data = answer("pay", "--birth-date", "2003-06-15", "--contract-start", "2025-03-03", "--on", "2026-10-01",
                  "--smc", "2100", "--concluded", "2025-02-20")
    assert (data["reference"], data["minimum_monthly_gross"]) == ("SMC", "1281.00")  # year 2, 61 % of 2 100
    assert data["employee_contributions_exempt_up_to"] == "1474.95"  # 79 % of 1867.02: concluded before 1 March 2025


def test_pay_schedule_as_json() -> None:
    data = answer("pay-schedule", "--birth-date", "2005-03-15", "--contract-start", "2024-09-01")
    assert list(data) == ["periods"]
    assert data["periods"][0] == {
        "from": "2024-09-01", "to": "2024-10-31", "contract_year": 1, "age_band": "18-20", "percent": "43.00",
        "reference": "SMIC", "minimum_monthly_gross": "759.78", "minimum_rule": "D6222-26",
    }
    assert [period["from"] for period in data["periods"]] == [
        "2024-09-01", "2024-11-01", "2025-09-01", "2026-01-01", "2026-04-01", "2026-06-01", "2026-09-01"]
    assert data["periods"][-1]["to"] == "2027-08-31"


def test_eligibility_answers_with_exit_code_0_even_when_not_eligible() -> None:
    data = answer("eligibility", "--birth-date", "1995-03-15", "--contract-start", "2026-09-01")
    assert list(data) == ["eligible", "age_at_start", "reason", "source", "age_at_conclusion"]
    assert (data["eligible"], data["age_at_start"], data["age_at_conclusion"]) == (False, 31, 31)
    assert data["reason"].startswith("31 on the contract start 2026-09-01: over the upper limit of 29")


def test_eligibility_with_a_derogation() -> None:
    data = answer("eligibility", "--birth-date", "1992-03-15", "--contract-start", "2026-09-01",
                  "--derogation", "higher-diploma", "--previous-contract-end", "2026-06-30")
    assert (data["eligible"], data["age_at_start"]) == (True, 34)
    assert answer("eligibility", "--birth-date", "2011-06-15", "--contract-start", "2026-09-01",
                  "--completed-lower-secondary")["eligible"]


def test_trial_end_on_a_programme_or_a_calendar_file(tmp_path: Path) -> None:
    data = answer("trial-end", "--contract-start", "2026-09-01", "--programme", "mecatronique")
    assert data == {"trial_end": "2027-01-07", "company_days_counted": 45, "source": data["source"]}
    assert data["source"].startswith("L6222-18")
    absent = answer("trial-end", "--contract-start", "2026-09-01", "--programme", "mecatronique",
                    "--absence", "2026-12-19:2027-01-09", "--absence", "2026-09-02:2026-09-02")
    assert absent["trial_end"] == "2027-02-17"
    calendar = tmp_path / "calendar.toml"
    calendar.write_text('[[school]]\nfrom = "2026-01-12"\nto = "2026-01-16"\n', encoding="utf-8")
    assert answer("trial-end", "--contract-start", "2026-01-05", "--calendar", str(calendar))["trial_end"] == (
        "2026-03-13")


def test_deadlines_as_json() -> None:
    data = answer("deadlines", "--contract-start", "2026-04-30", "--training-start", "2026-05-15")
    first_keys = ("opco_filing_due", "training_start_due", "employer_search_window_end", "sources")
    # the keys added after these (medical visit, OPCO decision, hiring aid) are in test_rules_cli_deadlines_...
    assert {key: data[key] for key in first_keys} | {"sources": None} == {
        "opco_filing_due": "2026-05-07", "training_start_due": "2026-07-30",
        "employer_search_window_end": "2026-08-15", "sources": None,
    }
    assert [source.split(":")[0].strip() for source in data["sources"]] == ["D6224-1", "L6222-12", "L6222-12-1"]


@pytest.mark.parametrize("command", ["pay", "pay-schedule", "eligibility", "trial-end", "deadlines"])
def test_without_json_a_table_is_printed(command: str) -> None:
    options = {
        "pay": ["--birth-date", "2005-03-15", "--contract-start", "2024-09-01", "--on", "2026-04-01"],
        "pay-schedule": ["--birth-date", "2005-03-15", "--contract-start", "2024-09-01"],
        "eligibility": ["--birth-date", "2005-03-15", "--contract-start", "2024-09-01"],
        "trial-end": ["--contract-start", "2026-09-01", "--programme", "mecatronique"],
        "deadlines": ["--contract-start", "2026-04-30"],
    }[command]
    result = run(command, *options)
    assert result.exit_code == 0, result.stderr
    assert "─" in result.stdout or "━" in result.stdout


# In English (`--lang en`): the days as en_GB writes them, what was typed in quotes, the rules' own refusals
# (domain.rules: an unknown derogation) in the same words as the API's English.
BAD_INPUT = [
    pytest.param(["pay", "--birth-date", "2005-02-30", "--contract-start", "2024-09-01", "--on", "2026-04-01"],
                 "error: birth-date: “2005-02-30” is not a date", id="a day that does not exist"),
    pytest.param(["pay", "--birth-date", "2030-01-01", "--contract-start", "2026-09-01", "--on", "2026-10-01"],
                 "error: birth-date: 01/01/2030 is not before the contract start 01/09/2026", id="born after"),
    pytest.param(["pay", "--birth-date", "2005-03-15", "--contract-start", "2026-09-01", "--on", "2026-08-01"],
                 "error: on: 01/08/2026 is before the contract start (01/09/2026)", id="a day before the contract"),
    pytest.param(["pay", "--birth-date", "2005-03-15", "--contract-start", "2026-09-01", "--on", "2026-10-01",
                  "--smc", "12,345.6.7"], "error: smc: ", id="a bad amount"),
    pytest.param(["pay-schedule", "--birth-date", "2005-03-15", "--contract-start", "2026-09-01", "--years", "0"],
                 "error: years: ", id="no years"),
    pytest.param(["eligibility", "--birth-date", "1990-01-01", "--contract-start", "2026-09-01",
                  "--derogation", "disabled"], "error: derogation: unknown code “disabled” (known: rqth, ",
                 id="unknown derogation"),
    pytest.param(["trial-end", "--contract-start", "2026-09-01", "--programme", "mecatronique", "--calendar", "x.toml"],
                 "error: programme: give exactly one of --programme CODE or --calendar FILE", id="both calendars"),
    pytest.param(["trial-end", "--contract-start", "2026-09-01"],
                 "error: programme: give exactly one of --programme CODE or --calendar FILE", id="no calendar"),
    pytest.param(["trial-end", "--contract-start", "2026-09-01", "--programme", "robotique"],
                 "error: programme: no calendar for “robotique”: no such programme in the database, nor a file in ",
                 id="unknown programme"),
    pytest.param(["trial-end", "--contract-start", "2026-09-01", "--programme", "mecatronique",
                  "--absence", "2026-10-09:2026-10-01"],
                 "error: absence: 01/10/2026 is before the first day 09/10/2026", id="inverted absence"),
    pytest.param(["deadlines", "--contract-start", "2026-13-01"], "error: contract-start: ", id="no 13th month"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT)
def test_bad_input_exits_2_with_one_line_naming_the_field(args: list[str], message: str) -> None:
    result = run(*args, lang="en")
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


# By default, in French: «erreur :», the field, the rule in French words, days as 01/09/2026, what was typed in
# French quotes (no-break spaces inside); the rules' own refusals (an unknown derogation) in French too.
FRENCH_BAD_INPUT = [
    pytest.param(["pay", "--birth-date", "2030-01-01", "--contract-start", "2026-09-01", "--on", "2026-10-01"],
                 "erreur : birth-date : le 01/01/2030 n'est pas avant le début du contrat, le 01/09/2026\n",
                 id="born after"),
    pytest.param(["pay", "--birth-date", "2005-02-30", "--contract-start", "2024-09-01", "--on", "2026-04-01"],
                 "erreur : birth-date : «\u00a02005-02-30\u00a0» n'est pas une date (attendu : AAAA-MM-JJ, un jour qui "
                 "existe)\n", id="a day that does not exist"),
    pytest.param(["pay", "--birth-date", "2005-03-15", "--contract-start", "2026-09-01", "--on", "2026-08-01"],
                 "erreur : on : le 01/08/2026 est avant le début du contrat (01/09/2026)\n",
                 id="a day before the contract"),
    pytest.param(["trial-end", "--contract-start", "2026-09-01"],
                 "erreur : programme : indiquez exactement une des options --programme CODE ou --calendar FICHIER\n",
                 id="no calendar"),
    pytest.param(["trial-end", "--contract-start", "2026-09-01", "--programme", "mecatronique",
                  "--absence", "2026-10-09:2026-10-01"],
                 "erreur : absence : le 01/10/2026 est avant le premier jour, le 09/10/2026\n", id="inverted absence"),
    pytest.param(["trial-end", "--contract-start", "2026-09-01", "--programme", "mecatronique",
                  "--absence", "2026-10-09"],
                 "erreur : absence : «\u00a02026-10-09\u00a0» n'est pas de la forme DU:AU (par exemple "
                 "2026-10-05:2026-10-09)\n", id="an absence of one day only"),
    pytest.param(["eligibility", "--birth-date", "1990-01-01", "--contract-start", "2026-09-01",
                  "--derogation", "disabled"],
                 "erreur : derogation : code de dérogation inconnu «\u00a0disabled\u00a0» (codes connus : rqth, ",
                 id="unknown derogation"),
]


@pytest.mark.parametrize(("args", "message"), FRENCH_BAD_INPUT)
def test_bad_input_is_said_in_french_by_default_naming_the_field_with_exit_code_2(
        args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


def test_an_unknown_programme_is_refused_in_french_naming_the_places_looked_in() -> None:
    result = run("trial-end", "--contract-start", "2026-09-01", "--programme", "Robotique")
    assert result.exit_code == 2
    assert result.stderr.startswith("erreur : programme : pas de calendrier pour «\u00a0robotique\u00a0» : ni "
                                    "formation de ce code dans la base de données, ni fichier dans ")
    assert result.stderr.endswith("(fichiers : mecatronique)\n")


def test_a_command_s_own_lang_words_its_errors_and_its_table_in_that_language(wide_console: None) -> None:
    refused = run("pay", "--birth-date", "2030-01-01", "--contract-start", "2026-09-01", "--on", "2026-10-01",
                  "--lang", "en")
    assert (refused.exit_code, refused.stderr) == (
        2, "error: birth-date: 01/01/2030 is not before the contract start 01/09/2026\n")
    table = run("pay", "--birth-date", "2005-03-15", "--contract-start", "2024-09-01", "--on", "2026-04-01",
                "--lang", "en")
    assert table.exit_code == 0, table.stderr
    assert "Minimum pay on 1 April 2026" in table.stdout
    assert row(table.stdout, "minimum monthly gross") == "minimum monthly gross €1,112.05"
    assert row(table.stdout, "previous contract floor") == "previous contract floor —"
    assert row(table.stdout, "years counted from") == "years counted from 01/09/2024"


def test_the_pay_table_is_in_french_by_default(wide_console: None) -> None:
    result = run("pay", "--birth-date", "2005-03-15", "--contract-start", "2024-09-01", "--on", "2026-04-01")
    assert result.exit_code == 0, result.stderr
    out = result.stdout
    assert "Salaire minimum au 1er avril 2026" in out
    # Babel's French: U+202F between the thousands, U+00A0 before € and %
    assert row(out, "salaire brut mensuel minimum") == "salaire brut mensuel minimum 1\u202f112,05\u00a0€"
    assert row(out, "montant de référence") == "montant de référence 1\u202f823,03\u00a0€"
    assert row(out, "pourcentage") == "pourcentage 61\u00a0%"
    assert row(out, "année du contrat") == "année du contrat 2"
    assert row(out, "plancher du contrat précédent") == "plancher du contrat précédent —"
    assert row(out, "années comptées à partir du") == "années comptées à partir du 01/09/2024"
    for english in ("Minimum pay", "contract year", "age band", "minimum monthly gross", "reference amount",
                    "employee contributions exempt up to", "previous contract floor", "years counted from", "None",
                    "€1", "2024-09-01"):
        assert english not in out


def test_the_eligibility_table_says_yes_and_the_reason_in_french(wide_console: None) -> None:
    result = run("eligibility", "--birth-date", "2005-03-15", "--contract-start", "2024-09-01")
    assert result.exit_code == 0, result.stderr
    assert "Éligible" in result.stdout
    assert row(result.stdout, "éligible") == "éligible oui"
    assert row(result.stdout, "motif") == ("motif 19 ans au début du contrat, le 01/09/2024 : dans les limites d'âge "
                                           "de 16 à 29 ans (L6222-1)")
    assert "True" not in result.stdout
    english = run("eligibility", "--birth-date", "1995-03-15", "--contract-start", "2026-09-01", lang="en")
    assert "Not eligible" in english.stdout
    assert row(english.stdout, "eligible") == "eligible no"
    assert row(english.stdout, "reason").startswith("reason 31 on the contract start 01/09/2026: over the upper")


def test_the_schedule_trial_and_deadlines_tables_write_days_as_in_french(wide_console: None) -> None:
    schedule = run("pay-schedule", "--birth-date", "2005-03-15", "--contract-start", "2024-09-01").stdout
    assert "Salaire minimum à partir du 1er septembre 2024" in schedule
    [last] = [line for line in schedule.splitlines() if "01/09/2026" in line]
    assert [cell.strip() for cell in last.strip("│").split("│")] == [
        "01/09/2026", "31/08/2027", "3", "21-25", "78\u00a0%", "SMIC", "1\u202f456,28\u00a0€", "D6222-26"]
    assert "tranche d'âge" in schedule
    assert "age band" not in schedule
    trial = run("trial-end", "--contract-start", "2026-09-01", "--programme", "mecatronique").stdout
    assert "Période d'essai à partir du 1er septembre 2026" in trial
    assert row(trial, "fin de la période d'essai") == "fin de la période d'essai 07/01/2027"
    assert row(trial, "jours en entreprise comptés") == "jours en entreprise comptés 45"
    deadlines = run("deadlines", "--contract-start", "2026-04-30").stdout
    assert "Échéances d'un contrat qui commence le 30 avril 2026" in deadlines
    assert row(deadlines, "dépôt à l'OPCO au plus tard le") == "dépôt à l'OPCO au plus tard le 07/05/2026"
    assert "dépôt à l'OPCO au plus tard le : D6224-1" in deadlines  # each source named as its deadline
    assert "opco_filing_due" not in deadlines.split("remarques")[0]  # the notes are the domain's, as it gives them


def test_every_value_an_answer_holds_is_named_in_both_languages() -> None:
    """A field added to a result must get its name in rules_words, or its table would show the bare key."""
    answers = (PayResult, Eligibility, TrialEnd, Participation, Deadlines, ContractDeadlines)
    keys = {field.name for answer in answers for field in dataclasses.fields(answer)} - {"base"}
    keys |= set(COMPUTED_VALUES) | {"minimum_monthly_gross"}  # what `rules impact` names
    assert VALUE_NAMES["fr"].keys() == VALUE_NAMES["en"].keys()
    assert sorted(keys - VALUE_NAMES["fr"].keys()) == []
