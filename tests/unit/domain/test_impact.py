"""What a changed rule set changes in a signed contract: stored values against a fresh computation."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from contract_flow.domain import machine
from contract_flow.domain.impact import ValueChange, changes, pay_changes
from contract_flow.domain.legal import NO_SCHOOL, LegalRules
from contract_flow.domain.states import CaseState, Trigger
from contract_flow.rulefiles import DEFAULT_RULES_FILE, load_ruleset
from tests.unit.domain.conftest import CONTRACT_FACTS, at, context, legal_rules, make_case


def _period(first: str, amount: str) -> dict[str, str]:
    return {"from": first, "minimum_monthly_gross": amount}


def test_a_new_smic_entry_changes_every_amount_from_its_date_each_with_its_own_amounts() -> None:
    old = [_period("2026-01-05", "966.21"), _period("2027-01-05", "1112.15")]
    new = [_period("2026-01-05", "966.21"), _period("2026-06-01", "989.52"), _period("2027-01-05", "1138.88")]
    assert pay_changes(old, new) == [
        ValueChange("minimum_monthly_gross", date(2026, 6, 1), "966.21", "989.52"),
        ValueChange("minimum_monthly_gross", date(2027, 1, 5), "1112.15", "1138.88")]


def test_identical_schedules_change_nothing() -> None:
    schedule = [_period("2026-09-01", "1000.00"), _period("2027-09-01", "1100.00")]
    assert pay_changes(schedule, list(schedule)) == []


def test_a_change_is_described_for_a_person() -> None:
    assert ValueChange("minimum_monthly_gross", date(2026, 6, 1), "966.21", "989.52").describe() == (
        "minimum_monthly_gross from 2026-06-01: 966.21 → 989.52")
    assert ValueChange("trial_end", None, "2027-01-07", "2027-01-08").describe() == "trial_end: 2027-01-07 → 2027-01-08"


def _without_june_smic(tmp_path: Path) -> LegalRules:
    """The shipped rule set as it was before the 1 June 2026 SMIC entry (issue 10)."""
    text = DEFAULT_RULES_FILE.read_text(encoding="utf-8")
    start = text.index('effective_from = "2026-06-01"')
    entry_start = text.rindex("[[smic]]", 0, start)
    entry_end = text.index("\n\n", start)
    text = text[:entry_start] + text[entry_end + 2:]
    text = text.replace('effective_from = "2026-01-01"\nuntil = "2026-05-31"', 'effective_from = "2026-01-01"')
    path = tmp_path / "fr-before-june.toml"
    path.write_text(text, encoding="utf-8")
    return LegalRules(load_ruleset(path), lambda code: NO_SCHOOL)


def test_a_contract_signed_before_the_june_smic_is_changed_from_1_june_by_53_percent_of_the_new_smic(
        tmp_path: Path) -> None:
    """D6222-26: 53 % of the SMIC for a 21-year-old in year 1; the SMIC went from 1 823,03 € to 1 867,02 € on
    1 June 2026 (arrêté du 22 mai 2026): 966,21 € became 989,52 €."""
    stale = _without_june_smic(tmp_path)
    facts = {**CONTRACT_FACTS, "contract.signature_date": "2025-12-15", "contract.start_date": "2026-01-05",
             "contract.end_date": "2029-01-04"}
    case = make_case(CaseState.SIGN, facts, birth_date=date(2004, 5, 17))
    machine.fire(case, Trigger.SIGN, context(rules=stale, now=at(date(2025, 12, 15))))
    stored = case.contract
    assert stored.pay_schedule is not None
    assert stored.pay_schedule[0]["minimum_monthly_gross"] == "966.21"
    found = changes(stored, legal_rules().contract_values(case), with_trial=True)
    assert found[0] == ValueChange("minimum_monthly_gross", date(2026, 6, 1), "966.21", "989.52")
    assert all(change.value == "minimum_monthly_gross" for change in found)
    assert stored.legal_sources is not None
    assert "Décret n° 2025-1228" in " ".join(stored.legal_sources["pay_schedule/2026-01-05"])
    fresh = legal_rules().contract_values(case)
    assert "2026-06-01" in " ".join(fresh.sources["pay_schedule/2026-06-01"])
