"""The style and type checks, run as tests (as the transitions project does): a lint error fails the suite."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def test_ruff_finds_nothing() -> None:
    result = subprocess.run([str(BIN / "ruff"), "check", "src", "workers", "tests", "bench"], cwd=ROOT,
                            capture_output=True, text=True, check=False, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_strict_finds_nothing() -> None:
    result = subprocess.run([str(BIN / "mypy")], cwd=ROOT, capture_output=True, text=True, check=False, timeout=600)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_import_contracts_hold() -> None:
    """pyproject.toml's import-linter contracts: the domain pure, the layers, no use case importing another's."""
    result = subprocess.run([str(BIN / "lint-imports"), "--no-cache"], cwd=ROOT, capture_output=True, text=True,
                            check=False, timeout=300)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Contracts: 3 kept, 0 broken." in result.stdout


def test_every_services_module_is_a_use_case_under_contract_or_a_shared_part() -> None:
    """A new module of services/ must be named in the independence contract (a use case) or added to the shared
    parts here: otherwise it could call other use cases unseen."""
    with (ROOT / "pyproject.toml").open("rb") as handle:
        contracts = tomllib.load(handle)["tool"]["importlinter"]["contracts"]
    [independent] = [c for c in contracts if c["id"] == "use-cases-independent"]
    use_cases = {name.rpartition(".")[2] for name in independent["modules"]}
    shared = {"__init__", "common", "unit_of_work", "messagebus", "access", "review_schedule", "views",
              "dossier_assembly", "dossier_versions", "case_filters"}
    shared |= {"user_scope", "directory_rules"}  # who a lead manages; the password and programme rules
    shared |= {"tdb_rows"}  # the Tableau de bord's feed read as batches: its export and its push (issue 16)
    shared |= {"risk_query"}  # the cases at risk as one query: their list and their export (issue 16, item 5)
    present = {path.stem for path in (ROOT / "src" / "contract_flow" / "services").glob("*.py")}
    assert not use_cases & shared
    unclassified, gone = sorted(present - use_cases - shared), sorted((use_cases | shared) - present)
    assert (unclassified, gone) == ([], []), "classify each services module, drop those that are gone"
