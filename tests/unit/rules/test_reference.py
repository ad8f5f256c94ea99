"""The rule set's SMIC against OpenFisca-France (contract_flow.reference): the installed reference first, then the
comparison on small synthetic parameter files.

DOMAIN.md, minimum pay: the SMIC changes once or twice a year, sometimes mid-year (L3231-5); a rule set that
misses one silently under-states every minimum. openfisca-france 176.1.8 holds the SMIC of 1 June 2026.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from contract_flow import reference
from contract_flow.domain.rules.ruleset import SmicEntry
from contract_flow.reference import (
    INSTALL,
    MONTHLY_FILE,
    Reference,
    ReferenceUnreadable,
    check_rules,
    compare,
    installed_reference,
    read_reference,
)
from contract_flow.rulefiles import DEFAULT_RULES_FILE, load_ruleset
from tests.support.rules import rules_without_june_2026

day = date.fromisoformat


def test_the_shipped_rule_set_agrees_with_the_installed_openfisca_france_from_2023_on() -> None:
    """Never skipped: `make test` installs the reference (Makefile, $(STAMP)); without it the suite fails."""
    try:
        known = installed_reference()
    except ReferenceUnreadable as problem:
        pytest.fail(f"{problem} (the Makefile's $(STAMP) installs it)")
    check = check_rules(DEFAULT_RULES_FILE, known)
    assert check.discrepancies == (), "\n\n".join(check.messages())
    assert check.newest_smic.effective_from <= known.vouched_until
    assert [value.effective_from for value in known.monthly if value.effective_from >= date(2023, 1, 1)] == [
        entry.effective_from for entry in load_smic(DEFAULT_RULES_FILE)]


def load_smic(path: Path) -> tuple[SmicEntry, ...]:
    return load_ruleset(path).smic.entries


def test_a_rule_set_without_the_june_2026_smic_is_told_the_entry_to_add(tmp_path: Path) -> None:
    """The arrêté du 22 mai 2026 (JO 24/05/2026): 12,31 €/h, 1 867,02 € a month from 1 June 2026."""
    check = check_rules(rules_without_june_2026(tmp_path))
    assert not check.agrees
    assert [(d.kind, d.effective_from, d.reference_amount, d.rule_amount) for d in check.discrepancies] == [
        ("missing", day("2026-06-01"), Decimal("1867.02"), Decimal("1823.03"))]
    assert check.discrepancies[0].toml == textwrap.dedent("""\
        # set until = "2026-05-31" on the [[smic]] entry from 2026-01-01, then add:
        [[smic]]
        effective_from = "2026-06-01"
        monthly_gross = "1867.02"
        source = "Arrêté du 22 mai 2026 relatif au relèvement du salaire minimum de croissance (12,31 €/h)\"""")
    assert check.summary().startswith(
        f"rules check: {tmp_path / 'fr-lagging.toml'} lags behind openfisca-france 176.1.8: the SMIC from "
        "2026-06-01 is 1867.02 (Arrêté du 22 mai 2026 relatif au relèvement du salaire minimum de croissance)")


def test_the_reference_is_read_without_running_openfisca() -> None:
    """Only the YAML files: neither openfisca_france's __init__ nor openfisca_core is imported."""
    code = ("import sys; from contract_flow.reference import installed_reference; installed_reference(); "
            "print(sorted(name for name in sys.modules if name.startswith('openfisca')))")
    run = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert run.stdout.strip() == "[]"


# --- The comparison on synthetic parameter files --------------------------------------------------------------


def write_reference(root: Path, values: dict[str, str], *, vouched: str | None = None,
                    cited: dict[str, str] | None = None, hourly: dict[str, str] | None = None) -> Reference:
    """An OpenFisca-France tree with only the SMIC files, as 176.1.8 writes them."""
    folder = (root / MONTHLY_FILE).parent
    folder.mkdir(parents=True, exist_ok=True)
    lines = ["description: Smic brut mensuel", "values:"]
    lines += [f"  {when}:\n    value: {amount}" for when, amount in values.items()]
    lines += ["metadata:", "  unit: currency"]
    if vouched:
        lines.append(f'  last_value_still_valid_on: "{vouched}"')
    lines.append("  reference:")
    lines += [f"    {when}:\n      title: {text}\n      href: https://www.legifrance.gouv.fr/x"
              for when, text in (cited or {}).items()]
    (root / MONTHLY_FILE).write_text("\n".join(lines) + "\n", encoding="utf-8")
    if hourly:
        (folder / "smic_b_horaire.yaml").write_text(
            "values:\n" + "".join(f"  {when}:\n    value: {amount}\n" for when, amount in hourly.items()),
            encoding="utf-8")
    return read_reference(root, "999.0.0")


def smic(start: str, until: str | None, amount: str) -> SmicEntry:
    return SmicEntry(day(start), day(until) if until else None, Decimal(amount), "test")


# (rule set entries, reference values, expected (kind, date, reference amount, rule amount))
COMPARISONS = [
    pytest.param([smic("2023-01-01", "2023-04-30", "1709.28"), smic("2023-05-01", None, "1747.20")],
                 {"2022-08-01": "1678.95", "2023-01-01": "1709.28", "2023-05-01": "1747.2"}, [],
                 id="agree (1747.2 in YAML is 1747.20)"),
    pytest.param([smic("2026-01-01", None, "1823.03")], {"2026-01-01": "1823.03", "2026-06-01": "1867.02"},
                 [("missing", "2026-06-01", "1867.02", "1823.03")], id="arrêté du 22 mai 2026 missing"),
    pytest.param([smic("2024-01-01", None, "1766.90")], {"2024-01-01": "1766.92"},
                 [("different", "2024-01-01", "1766.92", "1766.90")], id="décret 2023-1216: a different amount"),
    pytest.param([smic("2026-01-01", "2026-02-28", "1823.03"), smic("2026-03-01", None, "1850.00")],
                 {"2026-01-01": "1823.03"}, [("different", "2026-03-01", "1823.03", "1850.00")],
                 id="a change the reference does not know, inside what it vouches for"),
    pytest.param([smic("2023-01-01", "2023-04-30", "1709.28")], {"2023-01-01": "1709.28", "2023-05-01": "1747.2"},
                 [("missing", "2023-05-01", "1747.20", None)], id="the rule set stops before the reference"),
    pytest.param([smic("2023-01-01", None, "1709.28")], {"2022-08-01": "1600.00", "2023-01-01": "1709.28"}, [],
                 id="values before 2023 are not compared"),
    pytest.param([smic("2022-08-01", None, "1678.95")], {"2022-08-01": "1678.95", "2023-01-01": "1709.28"},
                 [("missing", "2023-01-01", "1709.28", "1678.95")], id="the first compared day is 2023-01-01"),
]


@pytest.mark.parametrize(("entries", "values", "expected"), COMPARISONS)
def test_every_smic_from_2023_on_must_agree(
        tmp_path: Path, entries: list[SmicEntry], values: dict[str, str],
        expected: list[tuple[str, str, str, str | None]]) -> None:
    known = write_reference(tmp_path, values, vouched="2026-06-01")
    found = compare(entries, known)
    assert [(d.kind, d.effective_from.isoformat(), f"{d.reference_amount}",
             f"{d.rule_amount}" if d.rule_amount is not None else None) for d in found] == expected


def test_a_missing_entry_names_its_date_amount_and_the_text_openfisca_cites(tmp_path: Path) -> None:
    known = write_reference(tmp_path, {"2026-01-01": "12", "2026-06-01": "1867.02", "2027-01-01": "1900"},
                            cited={"2026-06-01": "Arrêté du 22 mai 2026"}, hourly={"2026-06-01": "12.31"})
    [june, january] = compare([smic("2026-01-01", None, "12.00")], known)
    assert june.toml == textwrap.dedent("""\
        # set until = "2026-05-31" on the [[smic]] entry from 2026-01-01, then add:
        [[smic]]
        effective_from = "2026-06-01"
        until = "2026-12-31"
        monthly_gross = "1867.02"
        source = "Arrêté du 22 mai 2026 (12,31 €/h)\"""")
    assert (june.reference_text, june.reference_href) == ("Arrêté du 22 mai 2026", "https://www.legifrance.gouv.fr/x")
    assert june.message("fr.toml", "999.0.0").splitlines()[0] == (
        "smic 2026-06-01: openfisca-france 999.0.0 has 1867.02 (Arrêté du 22 mai 2026); fr.toml has 12.00 from its "
        "entry of 2026-01-01: add")
    assert (january.effective_from, january.reference_text) == (day("2027-01-01"), "(no reference cited)")


def test_a_different_amount_gives_the_corrected_entry(tmp_path: Path) -> None:
    known = write_reference(tmp_path, {"2024-01-01": "1766.92"}, cited={"2024-01-01": "Décret du 20/12/2023"})
    [wrong] = compare([smic("2024-01-01", "2024-10-31", "1766.90")], known)
    assert wrong.toml.splitlines() == [
        "# replace the [[smic]] entry from 2024-01-01 with:", "[[smic]]", 'effective_from = "2024-01-01"',
        'until = "2024-10-31"', 'monthly_gross = "1766.92"', 'source = "Décret du 20/12/2023"']


def test_a_rule_set_ahead_of_the_reference_is_unconfirmed_not_wrong(tmp_path: Path) -> None:
    """A revaluation published after the installed release: the reference cannot contradict it."""
    known = write_reference(tmp_path, {"2023-01-01": "1709.28", "2023-05-01": "1747.2", "2024-01-01": "1766.92",
                                       "2024-11-01": "1801.80", "2026-01-01": "1823.03"}, vouched="2026-01-01")
    check = check_rules(DEFAULT_RULES_FILE, known)
    assert check.agrees
    assert [entry.effective_from for entry in check.unconfirmed] == [day("2026-06-01")]


def test_without_the_reference_the_check_fails_saying_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reference, "MODULE", "openfisca_france_not_here")
    with pytest.raises(ReferenceUnreadable, match=r"^the reference openfisca-france is not installed: pip install"):
        installed_reference()
    check = check_rules(DEFAULT_RULES_FILE)
    assert not check.agrees
    assert check.summary() == f"rules check: the reference openfisca-france is not installed: {INSTALL}"
    assert INSTALL == "pip install --no-deps 'openfisca-france>=176.1.8'"


def test_a_reference_older_than_the_june_2026_smic_cannot_vouch(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(reference, "MINIMUM_VERSION", "999.0.0")
    with pytest.raises(ReferenceUnreadable, match=r"is older than 999\.0\.0, the first to know the SMIC of 2026-06"):
        installed_reference()


@pytest.mark.parametrize("text", [
    pytest.param("values: [1, 2", id="not YAML"),
    pytest.param("description: no values\n", id="no values"),
    pytest.param("values:\n  2026-13-01:\n    value: 1\n", id="a 13th month"),
])
def test_an_unreadable_reference_file_is_named(tmp_path: Path, text: str) -> None:
    path = tmp_path / MONTHLY_FILE
    path.parent.mkdir(parents=True)
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ReferenceUnreadable, match=f"^{path}: "):
        read_reference(tmp_path, "1.0.0")
