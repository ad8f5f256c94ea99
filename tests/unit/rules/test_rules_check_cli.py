"""`contract-flow rules check [--json]`: exit 0 when the rule set agrees with OpenFisca-France, 1 when it lags or
the reference cannot vouch, 2 for a malformed rule file. The settings' `rules_file` picks the file checked."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from typer.testing import CliRunner, Result

from contract_flow import reference
from contract_flow.cli import app as cli_app
from contract_flow.rulefiles import DEFAULT_RULES_FILE
from contract_flow.settings import get_settings
from tests.support.rules import rules_without_june_2026

runner = CliRunner()


@pytest.fixture(autouse=True)
def fresh_settings() -> Iterator[None]:
    """The CLI reads the settings once per command; the next test must not see this one's rule file."""
    yield
    get_settings.cache_clear()


def check(*args: str, rules_file: Path | None = None, monkeypatch: pytest.MonkeyPatch | None = None,
          lang: str | None = None) -> Result:
    if rules_file is not None and monkeypatch is not None:
        monkeypatch.setenv("CONTRACT_FLOW_RULES_FILE", str(rules_file))
    return runner.invoke(cli_app, [*(["--lang", lang] if lang else []), "rules", "check", *args])


def test_the_shipped_rule_set_agrees_and_exits_0() -> None:
    result = check("--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert list(data) == ["agrees", "rules", "reference", "discrepancies", "unconfirmed", "summary"]
    assert data["agrees"] is True
    assert data["rules"]["file"] == str(DEFAULT_RULES_FILE)
    assert len(data["rules"]["sha256"]) == 64
    assert data["rules"]["newest_entries"]["smic"] == "2026-06-01"
    assert data["rules"]["smic"] | {"source": None} == {
        "effective_from": "2026-06-01", "until": None, "monthly_gross": "1867.02", "source": None}
    assert data["rules"]["smic"]["source"].startswith("Arrêté du 22 mai 2026")
    assert (data["reference"]["package"], data["reference"]["installed"]) == ("openfisca-france", True)
    assert tuple(map(int, data["reference"]["version"].split(".")[:3])) >= (176, 1, 8)
    assert (data["discrepancies"], data["reference"]["problem"]) == ([], None)
    text = check(lang="en")
    assert text.exit_code == 0
    assert "agrees with openfisca-france" in text.stdout
    assert "€1,867.02 from 01/06/2026" in text.stdout
    french = check()  # in French by default: the table's words and the checker's summary
    assert french.exit_code == 0
    assert "Règles et référence" in french.stdout
    assert "1\u202f867,02\u00a0€ à partir du 01/06/2026" in french.stdout
    assert "newest SMIC" not in french.stdout
    assert "concorde avec openfisca-france" in french.stdout
    assert "agrees with" not in french.stdout


def test_a_rule_set_without_the_june_2026_smic_exits_1_with_the_entry_to_add(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lagging = rules_without_june_2026(tmp_path)
    result = check("--json", rules_file=lagging, monkeypatch=monkeypatch)
    assert result.exit_code == 1, result.output
    data = json.loads(result.stdout)
    assert data["agrees"] is False
    assert data["rules"]["file"] == str(lagging)
    assert data["rules"]["smic"]["effective_from"] == "2026-01-01"
    [gap] = data["discrepancies"]
    assert gap | {"toml": None, "reference_href": None} == {
        "kind": "missing", "effective_from": "2026-06-01", "reference_amount": "1867.02",
        "reference_text": "Arrêté du 22 mai 2026 relatif au relèvement du salaire minimum de croissance",
        "reference_href": None, "rule_amount": "1823.03", "rule_entry_from": "2026-01-01", "toml": None}
    assert 'monthly_gross = "1867.02"' in gap["toml"]
    text = check(rules_file=lagging, monkeypatch=monkeypatch)
    assert text.exit_code == 1
    # the TOML is printed as is: `[[smic]]` must survive (Rich markup would take it for a tag)
    assert '[[smic]]\neffective_from = "2026-06-01"\nmonthly_gross = "1867.02"\n' in text.stdout
    assert '# set until = "2026-05-31" on the [[smic]] entry from 2026-01-01, then add:' in text.stdout
    # the checker's sentences in French by default (issue 15, item 6), in English on request
    assert f"vérification des règles : {lagging} est en retard sur openfisca-france" in text.stdout
    assert "smic 01/06/2026 : openfisca-france" in text.stdout
    assert "1\u202f867,02\u00a0€" in text.stdout
    english = check(rules_file=lagging, monkeypatch=monkeypatch, lang="en").stdout
    assert f"rules check: {lagging} lags behind openfisca-france" in english
    assert "smic 2026-06-01: openfisca-france" in english


def test_without_the_reference_it_says_so_in_one_line_and_exits_1(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reference, "MODULE", "openfisca_france_not_here")
    result = check(lang="en")
    assert result.exit_code == 1
    assert result.stderr == ("error: the reference openfisca-france is not installed: "
                             "pip install --no-deps 'openfisca-france>=176.1.8'\n")
    assert check().stderr == ("erreur : la référence openfisca-france n'est pas installée : "
                              "pip install --no-deps 'openfisca-france>=176.1.8'\n")
    data = json.loads(check("--json").stdout)
    assert (data["agrees"], data["reference"]["installed"], data["reference"]["version"]) == (False, False, None)
    assert data["rules"]["smic"]["effective_from"] == "2026-06-01"  # the rule set's identity, all the same


def test_a_malformed_rule_file_exits_2_naming_it(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    broken = tmp_path / "broken.toml"
    broken.write_text('[[smic]]\neffective_from = "2026-06-01"\n', encoding="utf-8")
    result = check(rules_file=broken, monkeypatch=monkeypatch, lang="en")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {broken}: ")
    assert check(rules_file=broken, monkeypatch=monkeypatch).stderr.startswith(f"erreur : {broken} : ")
    assert len(result.stderr.strip().splitlines()) == 1


def test_serve_warns_in_one_line_when_the_rule_set_lags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`up` and `serve` print the same line (cli.up.warn_if_rules_lag) before the server starts."""
    started: list[str] = []
    monkeypatch.setattr(uvicorn, "run", lambda target, **_: started.append(target))
    monkeypatch.setenv("CONTRACT_FLOW_DATABASE_URL", f"sqlite:///{tmp_path}/serve.sqlite")
    lagging = rules_without_june_2026(tmp_path)
    result = check(rules_file=lagging, monkeypatch=monkeypatch)  # sets the rule file for the next command
    assert result.exit_code == 1
    served = runner.invoke(cli_app, ["serve"])
    assert served.exit_code == 0, served.output
    assert started == ["contract_flow.asgi:create_served_app"]
    [line] = served.stderr.splitlines()
    assert line.startswith(f"avertissement : vérification des règles : {lagging} est en retard sur openfisca-france")
    assert "le SMIC à partir du 01/06/2026 est de 1\u202f867,02\u00a0€" in line
    served = runner.invoke(cli_app, ["--lang", "en", "serve"])
    [line] = served.stderr.splitlines()
    assert line.startswith(f"warning: rules check: {lagging} lags behind openfisca-france")
    assert "the SMIC from 2026-06-01 is 1867.02" in line
    monkeypatch.delenv("CONTRACT_FLOW_RULES_FILE")
    quiet = runner.invoke(cli_app, ["serve"])
    assert (quiet.exit_code, quiet.stderr) == (0, "")
