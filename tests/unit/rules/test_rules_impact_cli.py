"""`contract-flow rules impact` as people read it: a table in French by default (English with `--lang en`), the
kept values' days and amounts as people write them, the case's state by its name; JSON keeps the values as the
contract keeps them. What the impact is (services.legal_impact) is tested in tests/integration/test_rules_impact.py:
here it is given."""

from __future__ import annotations

import json
from datetime import date

import pytest
from typer.testing import CliRunner, Result

from contract_flow.cli import app as cli_app
from contract_flow.cli.output import console
from contract_flow.domain.impact import ValueChange
from contract_flow.domain.states import CaseState
from contract_flow.services import legal_impact
from contract_flow.services.legal_impact import CaseImpact

runner = CliRunner()
IMPACT = CaseImpact(7, "Léa Martin", CaseState.TRIAL, (
    ValueChange("minimum_monthly_gross", date(2027, 1, 1), "989.52", "1007.00"),
    ValueChange("trial_end", None, "2027-01-07", "2027-01-14"),
))


def listed(*_: object, **__: object) -> list[CaseImpact]:
    return [IMPACT]


def applied_but_changed_meanwhile(*_: object, **__: object) -> list[CaseImpact]:
    return [CaseImpact(7, "Léa Martin", CaseState.TRIAL, (),
                       error="case 7 was changed by someone else since version 3: reload it and try again")]


@pytest.fixture(autouse=True)
def given_impact(monkeypatch: pytest.MonkeyPatch) -> None:
    """The one impacted contract above, listed or applied (with an error when applied), on a wide console."""
    monkeypatch.setattr(legal_impact, "find_impact", listed)
    monkeypatch.setattr(legal_impact, "apply_impact", applied_but_changed_meanwhile)
    monkeypatch.setattr(console, "_width", 200)  # one line a row (see test_rules_cli_pay)


def impact(*args: str, lang: str | None = None) -> Result:
    """`contract-flow [--lang LANG] rules impact ARGS`."""
    return runner.invoke(cli_app, [*(["--lang", lang] if lang else []), "rules", "impact", *args])


def cells(output: str, first: str) -> list[list[str]]:
    """The rows of the table whose first cell is `first`, cell by cell."""
    return [[cell.strip() for cell in line.strip("│").split("│")] for line in output.splitlines()
            if line.startswith(f"│ {first} ")]


def test_the_impact_is_a_french_table_by_default() -> None:
    result = impact()
    assert result.exit_code == 0, result.stderr
    assert "1 contrat(s) que les règles changeraient" in result.stdout
    assert cells(result.stdout, "7") == [
        ["7", "Léa Martin", "Période d'essai", "salaire brut mensuel minimum", "01/01/2027", "989,52\u00a0€",
         "1\u202f007,00\u00a0€"],
        ["7", "Léa Martin", "Période d'essai", "fin de la période d'essai", "—", "07/01/2027", "14/01/2027"],
    ]
    assert "Lancez `contract-flow rules impact --apply` pour les recalculer." in result.stdout
    assert "minimum_monthly_gross" not in result.stdout
    assert "2027-01-07" not in result.stdout


def test_the_impact_in_english() -> None:
    result = impact(lang="en")
    assert result.exit_code == 0, result.stderr
    assert "1 contract(s) would change by the rule set" in result.stdout
    assert cells(result.stdout, "7")[0] == [
        "7", "Léa Martin", "Trial period", "minimum monthly gross", "01/01/2027", "€989.52", "€1,007.00"]


def test_a_case_not_updated_says_so_and_exits_1() -> None:
    result = impact("--apply")
    assert result.exit_code == 1
    assert "1 contrat(s) mis à jour d'après les règles" in result.stdout
    [row] = cells(result.stdout, "7")
    assert row[3] == "non mis à jour"
    assert row[6].startswith("case 7 was changed by someone else")  # the engine's own message, as it gives it


def test_json_keeps_the_values_as_the_contract_keeps_them() -> None:
    data = json.loads(impact("--json").stdout)
    assert data == {"applied": False, "cases": [{
        "case": 7, "candidate": "Léa Martin", "state": "trial", "history_seq": None, "error": None,
        "changes": [{"value": "minimum_monthly_gross", "from": "2027-01-01", "old": "989.52", "new": "1007.00"},
                    {"value": "trial_end", "from": None, "old": "2027-01-07", "new": "2027-01-14"}]}]}
