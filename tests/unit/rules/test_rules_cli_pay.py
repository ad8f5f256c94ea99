"""`contract-flow rules pay|pay-schedule|eligibility` for contracts that are not a whole first contract:
--contract-end/--cycle-years (D6222-28-1), --previous-* (D6222-29), --concluded (D6222-1); exit 2 naming the option.

Amounts after 1 June 2026: SMIC 1 867,02 € (arrêté du 22 mai 2026).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from typer.testing import CliRunner, Result

from contract_flow.cli import app as cli_app
from contract_flow.cli.output import console

runner = CliRunner()
APPRENTICE = ["--birth-date", "2005-03-15", "--contract-start", "2026-09-01"]  # 21-25 throughout


def run(*args: str, lang: str | None = None) -> Result:
    """`contract-flow [--lang LANG] rules ARGS`: the root command's language, French unless told."""
    return runner.invoke(cli_app, [*(["--lang", lang] if lang else []), "rules", *args])


def answer(*args: str) -> Any:
    result = run(*args, "--json")
    assert result.exit_code == 0, result.stderr
    return json.loads(result.stdout)


def test_pay_of_a_contract_entering_year_2_of_its_cycle() -> None:
    """D6222-28-1, DOMAIN.md's example: a 2-year contract in a 3-year cycle is paid year 2 from its first day."""
    data = answer("pay", *APPRENTICE, "--on", "2026-09-01", "--contract-end", "2028-08-31", "--cycle-years", "3")
    assert (data["contract_year"], data["percent"], data["minimum_monthly_gross"]) == (2, "61.00", "1138.88")
    assert (data["minimum_rule"], data["years_counted_from"]) == ("D6222-26", "2025-09-01")
    assert any(source.startswith("Code du travail D6222-28-1") for source in data["sources"])


def test_pay_schedule_ends_on_the_contract_end() -> None:
    """D6222-28-1 with 2 years 4 months in a 3-year cycle: year 2 after 4 months, year 3 after 16."""
    data = answer("pay-schedule", *APPRENTICE, "--contract-end", "2028-12-31", "--cycle-years", "3")
    assert [(p["from"], p["to"], p["contract_year"], p["minimum_rule"]) for p in data["periods"]] == [
        ("2026-09-01", "2026-12-31", 1, "D6222-26"),
        ("2027-01-01", "2027-12-31", 2, "D6222-26"),
        ("2028-01-01", "2028-12-31", 3, "D6222-26"),
    ]
    two_years = answer("pay-schedule", *APPRENTICE, "--years", "2")
    assert [p["contract_year"] for p in two_years["periods"]] == [1, 2]
    assert two_years["periods"][-1]["to"] == "2028-08-31"


def test_pay_after_a_previous_contract_with_the_same_employer() -> None:
    """D6222-29 al.1: at least the 1 500 € received in the previous contract's last year."""
    data = answer("pay", *APPRENTICE, "--on", "2026-10-01", "--previous-contract-end", "2026-08-31",
                  "--previous-contract-year", "2", "--previous-same-employer", "--previous-pay", "1500")
    assert (data["minimum_monthly_gross"], data["minimum_rule"], data["previous_contract_floor"]) == (
        "1500.00", "D6222-29", "1500.00")
    assert data["age_based_minimum"] == "989.52"  # year 1, 53 %
    assert any(source.startswith("Code du travail D6222-29 al. 1") for source in data["sources"])


def test_pay_schedule_after_a_previous_contract_with_another_employer() -> None:
    """D6222-29 al.2: the 78 % the apprentice could claim in year 3 at 21-25, above year 1's 53 %."""
    data = answer("pay-schedule", *APPRENTICE, "--years", "1", "--previous-contract-end", "2026-08-31",
                  "--previous-contract-year", "3")
    assert [(p["from"], p["minimum_monthly_gross"], p["minimum_rule"]) for p in data["periods"]] == [
        ("2026-09-01", "1456.28", "D6222-29")]
    without_diploma = answer("pay-schedule", *APPRENTICE, "--years", "1", "--previous-contract-end", "2026-08-31",
                             "--previous-contract-year", "3", "--previous-no-diploma")
    assert [(p["minimum_monthly_gross"], p["minimum_rule"]) for p in without_diploma["periods"]] == [
        ("989.52", "D6222-26")]


def test_eligibility_reads_the_35_limit_at_the_conclusion() -> None:
    """D6222-1: 35 when concluded on 20 June, 36 on the 1 September start: eligible; 36 when concluded: not."""
    options = ["--contract-start", "2026-09-01", "--derogation", "higher-diploma",
               "--previous-contract-end", "2026-06-30", "--concluded", "2026-06-20"]
    eligible = answer("eligibility", "--birth-date", "1990-07-15", *options)
    assert (eligible["eligible"], eligible["age_at_start"], eligible["age_at_conclusion"]) == (True, 36, 35)
    assert eligible["reason"].startswith("35 at the conclusion 2026-06-20 (36 on the contract start 2026-09-01)")
    refused = answer("eligibility", "--birth-date", "1990-06-10", *options)
    assert (refused["eligible"], refused["age_at_conclusion"]) == (False, 36)
    assert refused["reason"].startswith("36 at the conclusion 2026-06-20: over the limit of 35")


PAY = ["pay", *APPRENTICE, "--on", "2026-10-01"]
SCHEDULE = ["pay-schedule", *APPRENTICE]
OTHER = ["--previous-contract-end", "2026-08-31", "--previous-contract-year", "2"]
# In English (`--lang en`): the days as en_GB writes them.
BAD_INPUT = [
    pytest.param([*PAY, "--contract-end", "2028-08-31"], "error: cycle-years: needed with --contract-end",
                 id="contract end without the cycle"),
    pytest.param([*SCHEDULE, "--cycle-years", "3"], "error: contract-end: needed with --cycle-years",
                 id="cycle without the contract end"),
    pytest.param([*PAY, "--contract-end", "2026-09-01", "--cycle-years", "3"],
                 "error: contract-end: 01/09/2026 is not after the contract start 01/09/2026", id="end on the start"),
    pytest.param([*SCHEDULE, "--contract-end", "2028-08-31", "--cycle-years", "0"],
                 "error: cycle-years: 0: a training cycle lasts at least one year", id="no cycle"),
    pytest.param([*SCHEDULE, "--years", "2", "--contract-end", "2028-08-31", "--cycle-years", "3"],
                 "error: years: give --years or --contract-end, not both", id="years and an end"),
    pytest.param(["pay", *APPRENTICE, "--on", "2028-09-01", "--contract-end", "2028-08-31", "--cycle-years", "3"],
                 "error: on: 01/09/2028 is after the contract end (31/08/2028)", id="a day after the contract"),
    pytest.param([*PAY, "--concluded", "2026-09-02"],
                 "error: concluded: 02/09/2026 is after the contract start 01/09/2026; a contract is concluded",
                 id="pay concluded after the start"),
    pytest.param(["eligibility", *APPRENTICE, "--concluded", "2026-09-02"],
                 "error: concluded: 02/09/2026 is after the contract start 01/09/2026; a contract is concluded",
                 id="eligibility concluded after the start"),
    pytest.param(["eligibility", *APPRENTICE, "--concluded", "2005-03-15"],
                 "error: concluded: 15/03/2005 is not after the birth date", id="concluded at birth"),
    pytest.param([*PAY, "--previous-contract-year", "2"],
                 "error: previous-contract-end: needed with the other --previous-* options", id="year without end"),
    pytest.param([*PAY, "--previous-contract-end", "2026-08-31"],
                 "error: previous-contract-year: needed with --previous-contract-end", id="end without year"),
    pytest.param([*SCHEDULE, "--previous-contract-end", "2026-09-01", "--previous-contract-year", "2"],
                 "error: previous-contract-end: 01/09/2026 is not before the contract start", id="previous not ended"),
    pytest.param([*PAY, *OTHER, "--previous-same-employer"],
                 "error: previous-pay: needed with --previous-same-employer", id="same employer without the pay"),
    pytest.param([*SCHEDULE, *OTHER, "--previous-pay", "1500"],
                 "error: previous-pay: only with --previous-same-employer", id="pay received from another employer"),
    pytest.param([*PAY, *OTHER, "--previous-same-employer", "--previous-pay", "0"],
                 "error: previous-pay: “0” is not a positive number", id="nothing received"),
    pytest.param([*PAY, "--previous-contract-end", "2026-08-31", "--previous-contract-year", "0"],
                 "error: previous-contract-year: 0 is not a positive number", id="year 0"),
]


@pytest.mark.parametrize(("args", "message"), BAD_INPUT)
def test_bad_input_exits_2_with_one_line_naming_the_option(args: list[str], message: str) -> None:
    result = run(*args, lang="en")
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


FRENCH_BAD_INPUT = [
    pytest.param([*PAY, "--contract-end", "2028-08-31"],
                 "erreur : cycle-years : à indiquer avec --contract-end (D6222-28-1 compare le contrat à son cycle de "
                 "formation)", id="contract end without the cycle"),
    pytest.param([*SCHEDULE, "--contract-end", "2028-08-31", "--cycle-years", "0"],
                 "erreur : cycle-years : 0 : un cycle de formation dure au moins un an", id="no cycle"),
    pytest.param([*SCHEDULE, "--years", "2", "--contract-end", "2028-08-31", "--cycle-years", "3"],
                 "erreur : years : indiquez --years ou --contract-end, pas les deux", id="years and an end"),
    pytest.param([*PAY, "--concluded", "2026-09-02"],
                 "erreur : concluded : le 02/09/2026 est après le début du contrat, le 01/09/2026 ; un contrat est "
                 "conclu (signé) avant son début ou le jour même", id="concluded after the start"),
    pytest.param(["eligibility", *APPRENTICE, "--concluded", "2005-03-15"],
                 "erreur : concluded : le 15/03/2005 n'est pas après la date de naissance, le 15/03/2005",
                 id="concluded at birth"),
    pytest.param([*SCHEDULE, *OTHER, "--previous-pay", "1500"],
                 "erreur : previous-pay : seulement avec --previous-same-employer : chez un autre employeur, D6222-29 "
                 "garantit le minimum", id="pay received from another employer"),
    pytest.param([*PAY, *OTHER, "--previous-same-employer", "--previous-pay", "0,00"],
                 "erreur : previous-pay : «\u00a00,00\u00a0» n'est pas un nombre positif", id="nothing received"),
]


@pytest.mark.parametrize(("args", "message"), FRENCH_BAD_INPUT)
def test_bad_input_is_said_in_french_by_default_with_exit_code_2(args: list[str], message: str) -> None:
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize(("lang", "amount"), [(None, "1\u202f456,28\u00a0€"), ("en", "€1,456.28")])
def test_the_schedule_table_names_the_rule_of_each_period(
        monkeypatch: pytest.MonkeyPatch, lang: str | None, amount: str) -> None:
    # The console is made once per process. Its private width, not the `width` property: monkeypatch would undo a
    # property by setting it to what it read (80), fixing every later test's tables at 80 columns whatever COLUMNS
    # they give (test_cli_exports failed after this test).
    monkeypatch.setattr(console, "_width", 160)
    result = run("pay-schedule", *APPRENTICE, "--years", "1", "--previous-contract-end", "2026-08-31",
                 "--previous-contract-year", "3", lang=lang)
    assert result.exit_code == 0, result.stderr
    assert amount in result.stdout  # for people: the one formatter, French by default
    assert "D6222-29" in result.stdout
