"""`contract-flow rules ...`: JSON answers with the agreed keys, and exit code 2 naming the field on bad input."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
import typer
from typer.testing import CliRunner, Result

from contract_flow.cli.rules import app as rules_app

root = typer.Typer()
root.add_typer(rules_app, name="rules")
runner = CliRunner()


def run(*args: str) -> Result:
    return runner.invoke(root, ["rules", *args])


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
    assert [source.split(":")[0] for source in data["sources"]] == ["D6224-1", "L6222-12", "L6222-12-1"]


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


BAD_INPUT = [
    pytest.param(["pay", "--birth-date", "2005-02-30", "--contract-start", "2024-09-01", "--on", "2026-04-01"],
                 "error: birth-date: '2005-02-30' is not a date", id="a day that does not exist"),
    pytest.param(["pay", "--birth-date", "2030-01-01", "--contract-start", "2026-09-01", "--on", "2026-10-01"],
                 "error: birth-date: 2030-01-01 is not before the contract start 2026-09-01", id="born after"),
    pytest.param(["pay", "--birth-date", "2005-03-15", "--contract-start", "2026-09-01", "--on", "2026-08-01"],
                 "error: on: 2026-08-01 is before the contract start", id="a day before the contract"),
    pytest.param(["pay", "--birth-date", "2005-03-15", "--contract-start", "2026-09-01", "--on", "2026-10-01",
                  "--smc", "12,345.6.7"], "error: smc: ", id="a bad amount"),
    pytest.param(["pay-schedule", "--birth-date", "2005-03-15", "--contract-start", "2026-09-01", "--years", "0"],
                 "error: years: ", id="no years"),
    pytest.param(["eligibility", "--birth-date", "1990-01-01", "--contract-start", "2026-09-01",
                  "--derogation", "disabled"], "error: derogation: unknown code 'disabled'", id="unknown derogation"),
    pytest.param(["trial-end", "--contract-start", "2026-09-01", "--programme", "mecatronique", "--calendar", "x.toml"],
                 "error: programme: give exactly one of --programme CODE or --calendar FILE", id="both calendars"),
    pytest.param(["trial-end", "--contract-start", "2026-09-01"],
                 "error: programme: give exactly one of --programme CODE or --calendar FILE", id="no calendar"),
    pytest.param(["trial-end", "--contract-start", "2026-09-01", "--programme", "robotique"],
                 "error: programme: no calendar for 'robotique'", id="unknown programme"),
    pytest.param(["trial-end", "--contract-start", "2026-09-01", "--programme", "mecatronique",
                  "--absence", "2026-10-09:2026-10-01"], "error: absence: '2026-10-09:2026-10-01' ends before",
                 id="inverted absence"),
    pytest.param(["deadlines", "--contract-start", "2026-13-01"], "error: contract-start: ", id="no 13th month"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT)
def test_bad_input_exits_2_with_one_line_naming_the_field(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1
