"""The rule set file: dated values with sources, refused with a message naming the entry when malformed."""

from __future__ import annotations

import ast
import copy
import re
import sys
import tomllib
from datetime import date
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

from contract_flow.domain.rules import RuleSetError, minimum_pay, parse_ruleset
from contract_flow.rulefiles import DEFAULT_RULES_FILE, load_programme_calendar, load_ruleset
from contract_flow.wording import reason_text

RULES_PACKAGE = Path(__file__).resolve().parents[3] / "src" / "contract_flow" / "domain" / "rules"


@pytest.fixture
def data() -> dict[str, Any]:
    with DEFAULT_RULES_FILE.open("rb") as file:
        return tomllib.load(file)


SMIC = [
    pytest.param("2024-01-01", "1766.92", "Décret n° 2023-1216", id="décret 2023-1216 from 2024-01-01"),
    pytest.param("2024-10-31", "1766.92", "Décret n° 2023-1216", id="décret 2023-1216 until 2024-10-31"),
    pytest.param("2024-11-01", "1801.80", "Décret n° 2024-951", id="décret 2024-951 from 2024-11-01"),
    pytest.param("2025-12-31", "1801.80", "Décret n° 2024-951", id="décret 2024-951 all of 2025"),
    pytest.param("2026-01-01", "1823.03", "Décret n° 2025-1228", id="décret 2025-1228 from 2026-01-01"),
]


@pytest.mark.parametrize(("day", "amount", "source"), SMIC)
def test_smic_in_force_on_a_date(day: str, amount: str, source: str) -> None:
    value = load_ruleset().smic_on(date.fromisoformat(day))
    assert value.amount == Decimal(amount)
    assert value.source.startswith(source)


def test_every_entry_of_the_rule_file_is_dated_and_names_its_source(data: dict[str, Any]) -> None:
    for section, entries in data.items():
        for entry in entries if isinstance(entries, list) else []:
            assert entry.get("source"), f"{section}: {entry}"
            assert entry.get("effective_from"), f"{section}: {entry}"


def test_next_years_smic_is_a_config_edit_only(data: dict[str, Any]) -> None:
    data["smic"][-1]["until"] = "2026-12-31"
    data["smic"].append({"effective_from": "2027-01-01", "monthly_gross": "1850.00", "source": "décret 2026-X"})
    rules = parse_ruleset(data)
    assert rules.smic_on(date(2027, 1, 15)).amount == Decimal("1850.00")
    result = minimum_pay(rules, date(2007, 6, 15), date(2026, 9, 1), date(2027, 1, 15))
    assert result.minimum_monthly_gross == Decimal("795.50")  # 43 % of 1 850,00


def edited(data: dict[str, Any], path: tuple[Any, ...], value: Any) -> dict[str, Any]:
    """A copy of `data` with the key at `path` set to `value`, or removed when `value` is `...`."""
    changed = copy.deepcopy(data)
    target = changed
    for key in path[:-1]:
        target = target[key]
    if value is ...:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return changed


# (where in the file, new value or ... to remove it, start of the message); entries are counted from 1
MALFORMED = [
    pytest.param(("smic", 1, "effective_from"), "2023-04-01",
                 "smic[2]: effective_from 2023-04-01 overlaps smic[1] (2023-01-01 until 2023-04-30)", id="overlap"),
    pytest.param(("smic", 3, "until"), ...,
                 "smic[5]: effective_from 2026-01-01 overlaps smic[4] (2024-11-01, still in force): "
                 "set smic[4].until to 2025-12-31", id="an earlier entry still in force"),
    pytest.param(("smic", 2, "effective_from"), "2024-02-01",
                 "smic[3]: effective_from 2024-02-01 leaves a gap after smic[2] (2023-05-01 until 2023-12-31): "
                 "nothing would be in force on 2024-01-01", id="gap"),
    pytest.param(("smic", 0, "until"), "2022-12-31", "smic[1]: until 2022-12-31 is before effective_from 2023-01-01",
                 id="inverted"),
    pytest.param(("smic", 2, "monthly_gross"), 1766.92, "smic[3].monthly_gross: expected a string", id="a float"),
    pytest.param(("smic", 2, "monthly_gross"), "17 66", "smic[3].monthly_gross: '17 66' is not a number",
                 id="not a number"),
    pytest.param(("smic", 2, "effective_from"), "2024-13-01", "smic[3].effective_from: '2024-13-01' is not a date",
                 id="no 13th month"),
    pytest.param(("smic", 2, "source"), ..., "smic[3]: missing source", id="no source"),
    pytest.param(("smic", 2, "amount"), "1", "smic[3]: unknown key amount", id="unknown key"),
    pytest.param(("pay_grid", 0, "band", 1, "percent_by_contract_year"), [43, 151, 67],
                 "pay_grid[1].band[2].percent_by_contract_year[2]: 151 is over 100", id="percent over 100"),
    pytest.param(("pay_grid", 0, "band", 2, "from_age"), 17,
                 "pay_grid[1].band[3]: from_age 17 must be above the previous band's", id="bands out of order"),
    pytest.param(("pay_grid", 0, "band", 3, "percent_by_contract_year"), [100, 100],
                 "pay_grid[1].band[4]: percent_by_contract_year must have as many years", id="a year missing"),
    pytest.param(("derogation", 0, "maximum_age_at_start"), 35,
                 "derogation[1]: give exactly one of no_upper_limit = true or maximum_age_at_start", id="two limits"),
    pytest.param(("duration", 0, "unit"), "working-days",
                 "duration[1].unit: trial_company_days is counted in company-days", id="wrong unit"),
    pytest.param(("duration", 1, "name"), "opco_days", "duration[2].name: unknown duration 'opco_days'",
                 id="unknown duration"),
    pytest.param(("minimum_wage",), [], "minimum_wage: unknown section", id="unknown section"),
    pytest.param(("employee_contribution_exemption",), ..., "employee_contribution_exemption: missing",
                 id="missing section"),
]


@pytest.mark.parametrize(("path", "value", "message"), MALFORMED)
def test_a_malformed_rule_set_is_refused_naming_the_entry(
    data: dict[str, Any], path: tuple[Any, ...], value: Any, message: str
) -> None:
    with pytest.raises(RuleSetError) as refused:
        parse_ruleset(edited(data, path, value))
    assert str(refused.value).startswith(message)
    # worded in French too, as `rules check` says it by default (issue 15, item 6)
    french = reason_text(refused.value.said, "fr")
    assert french != str(refused.value)
    assert french.startswith(message.split(":", maxsplit=1)[0] + " :")


def test_a_required_duration_missing_is_named(data: dict[str, Any]) -> None:
    data["duration"] = [entry for entry in data["duration"] if entry["name"] != "trial_company_days"]
    with pytest.raises(RuleSetError, match=r"^duration: missing trial_company_days"):
        parse_ruleset(data)


def test_a_date_outside_the_rule_set_says_what_it_covers() -> None:
    with pytest.raises(RuleSetError, match=r"^smic: no value in force on 2020-01-01 \(the rule set covers from 2023"):
        load_ruleset().smic_on(date(2020, 1, 1))


def test_the_loader_names_the_file_and_the_entry(tmp_path: Path) -> None:
    missing = tmp_path / "none.toml"
    with pytest.raises(RuleSetError, match=rf"^{re.escape(str(missing))}: file not found"):
        load_ruleset(missing)
    broken = tmp_path / "broken.toml"
    broken.write_text("[[smic]\n", encoding="utf-8")
    with pytest.raises(RuleSetError, match=rf"^{re.escape(str(broken))}: not valid TOML"):
        load_ruleset(broken)
    overlapping = tmp_path / "overlapping.toml"
    text = DEFAULT_RULES_FILE.read_text(encoding="utf-8").replace('until = "2024-10-31"', 'until = "2024-12-31"')
    overlapping.write_text(text, encoding="utf-8")
    with pytest.raises(RuleSetError, match=rf"^{re.escape(str(overlapping))}: smic\[4\]: effective_from 2024-11-01 "
                                           r"overlaps smic\[3\] \(2024-01-01 until 2024-12-31\)"):
        load_ruleset(overlapping)


def test_the_default_files_are_parsed_once() -> None:
    assert load_ruleset() is load_ruleset()
    assert load_programme_calendar("mecatronique") is load_programme_calendar("mecatronique")


def test_programme_calendars_by_code_or_file(tmp_path: Path) -> None:
    only_school = tmp_path / "calendar.toml"
    only_school.write_text('[[school]]\nfrom = "2026-09-07"\nto = "2026-09-11"\n', encoding="utf-8")
    assert len(load_programme_calendar(only_school).school) == 1
    with pytest.raises(RuleSetError, match=r"^programme: no calendar for 'robotique' .* \(known: .*mecatronique"):
        load_programme_calendar("robotique")
    inverted = tmp_path / "inverted.toml"
    inverted.write_text('[[school]]\nfrom = "2026-09-11"\nto = "2026-09-07"\n', encoding="utf-8")
    with pytest.raises(RuleSetError, match=rf"^{re.escape(str(inverted))}: school\[1\]: to 2026-09-07 is before"):
        load_programme_calendar(str(inverted))


def test_the_rules_package_is_pure() -> None:
    """The domain imports the standard library and `holidays` only: no file, database or framework."""
    allowed = {*sys.stdlib_module_names, "holidays", "__future__"} - {"pathlib", "tomllib", "io", "os", "sqlite3"}
    for module in RULES_PACKAGE.glob("*.py"):
        for node in ast.walk(ast.parse(module.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                names = [node.module or ""]
            else:
                continue
            for name in names:
                assert name.split(".")[0] in allowed or name.startswith("contract_flow.domain"), (
                    f"{module.name} imports {name}")
