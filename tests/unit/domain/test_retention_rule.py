"""The retention rule (domain/retention.py): until when a case is kept, due from that day included and not the day
before; the EU-funded contracts' floor; a live contract refuses an erasure with its reason in both languages; which
history values survive an anonymisation."""

from __future__ import annotations

from datetime import date

import pytest

from contract_flow.domain.retention import (
    EU_FUNDED_KEPT_UNTIL,
    Kept,
    Periods,
    Rule,
    erase_refusal,
    is_due,
    keeps,
    kept_until,
)
from contract_flow.domain.states import CONTRACT_STATES, FINAL_STATES, SEARCH_STEPS, CaseState

PERIODS = Periods(candidate_months=24, contract_years=5)


def test_a_candidate_who_never_signed_is_due_24_months_after_leaving_not_the_day_before() -> None:
    kept = kept_until(CaseState.WITHDRAWN, left_on=date(2026, 11, 2), signed=False, contract_end=None,
                      signed_on=None, periods=PERIODS)
    assert kept == Kept(date(2028, 11, 2), Rule.CANDIDATE)
    assert not is_due(kept, date(2028, 11, 1))
    assert is_due(kept, date(2028, 11, 2))
    assert is_due(kept, date(2030, 1, 1))


def test_a_month_end_leaving_day_keeps_to_the_month_end() -> None:
    kept = kept_until(CaseState.NO_CONTRACT, left_on=date(2026, 2, 28), signed=False, contract_end=None,
                      signed_on=None, periods=Periods(candidate_months=1, contract_years=5))
    assert kept is not None
    assert kept.due_on == date(2026, 3, 28)
    leap = kept_until(CaseState.NO_CONTRACT, left_on=date(2024, 2, 29), signed=False, contract_end=None,
                      signed_on=None, periods=Periods(candidate_months=12, contract_years=5))
    assert leap is not None
    assert leap.due_on == date(2025, 2, 28)


def test_a_contract_is_kept_five_years_after_its_end_whatever_day_the_case_closed() -> None:
    kept = kept_until(CaseState.COMPLETED, left_on=date(2029, 9, 2), signed=True, contract_end=date(2029, 8, 31),
                      signed_on=date(2026, 8, 20), periods=PERIODS)
    assert kept == Kept(date(2034, 8, 31), Rule.CONTRACT)
    assert not is_due(kept, date(2034, 8, 30))
    assert is_due(kept, date(2034, 8, 31))
    broken = kept_until(CaseState.TERMINATED, left_on=date(2027, 3, 1), signed=True, contract_end=None,
                        signed_on=date(2026, 8, 20), periods=PERIODS)
    assert broken == Kept(date(2032, 3, 1), Rule.CONTRACT)  # no end recorded: the day it left


@pytest.mark.parametrize(("signed_on", "rule"), [
    (date(2020, 6, 30), Rule.CONTRACT), (date(2020, 7, 1), Rule.EU_FUNDING), (date(2023, 12, 31), Rule.EU_FUNDING),
    (date(2024, 1, 1), Rule.CONTRACT)])
def test_contracts_of_the_nextgenerationeu_window_are_kept_until_the_end_of_2031(signed_on: date, rule: Rule) -> None:
    kept = kept_until(CaseState.COMPLETED, left_on=date(2023, 9, 1), signed=True, contract_end=date(2023, 8, 31),
                      signed_on=signed_on, periods=PERIODS)
    assert kept is not None
    assert kept.rule is rule
    if rule is Rule.EU_FUNDING:
        assert kept.due_on == date(2032, 1, 1)
        assert not is_due(kept, EU_FUNDED_KEPT_UNTIL)
    else:
        assert kept.due_on == date(2028, 8, 31)


def test_a_longer_period_than_the_floor_wins() -> None:
    kept = kept_until(CaseState.COMPLETED, left_on=date(2023, 9, 1), signed=True, contract_end=date(2023, 8, 31),
                      signed_on=date(2021, 8, 20), periods=Periods(candidate_months=24, contract_years=10))
    assert kept == Kept(date(2033, 8, 31), Rule.CONTRACT)


@pytest.mark.parametrize("state", [*SEARCH_STEPS, *CONTRACT_STATES])
def test_a_case_under_way_is_never_due(state: CaseState) -> None:
    kept = kept_until(state, left_on=date(2000, 1, 1), signed=state in CONTRACT_STATES, contract_end=None,
                      signed_on=None, periods=PERIODS)
    assert kept is None
    assert not is_due(kept, date(2100, 1, 1))


def test_every_final_state_has_a_period() -> None:
    for state in FINAL_STATES:
        assert kept_until(state, left_on=date(2026, 1, 1), signed=False, contract_end=None, signed_on=None,
                          periods=PERIODS) is not None


def test_a_live_contract_refuses_an_erasure_with_its_reason() -> None:
    assert erase_refusal([]) is None
    assert erase_refusal([(3, CaseState.COMPLETED), (4, CaseState.WITHDRAWN)]) is None
    reason = erase_refusal([(7, CaseState.COMPLETED), (5, CaseState.ACTIVE)])
    assert reason is not None
    assert reason == ("the contract of case 5 is live (active): its data is needed while it runs (the employer's "
                      "and the CFA's obligations); it may be erased once the contract has ended")
    assert reason.text("fr").startswith("le contrat du cas 5 est en cours")


@pytest.mark.parametrize(("value", "kept"), [
    ("2026-09-01", True), ("2026-09-01T10:00:00+00:00", True), ("1400.00", True), ("35", True), ("yes", True),
    ("employer", False), ("mutual_agreement", True), ("trial", True), ("start_contract", True), (None, True),
    (True, True), ("Martin", False), ("lea", False), ("lea.martin@example.org", False),
    ("3 place de la Mairie", False), ("06 12 34 56 78", False), ("0612345678", False), ("2040512300071", False),
    ("73282932000074", False)])
def test_which_history_values_survive(value: object, kept: bool) -> None:
    assert keeps(value) is kept
