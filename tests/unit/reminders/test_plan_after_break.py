"""After a break (L6222-18-2): the CFA keeps the apprentice in training for up to 6 months while they look for a
new employer; a nudge each month to the apprentice, the advisor at 5 months. Then the states that plan nothing."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from contract_flow.domain.reminders import ReminderPolicies
from contract_flow.domain.states import CaseState
from tests.unit.reminders.conftest import (
    ADVISOR,
    APPRENTICE,
    REPRESENTATIVE,
    K,
    broken_case,
    contract_case,
    facts_for,
    make_case,
    make_review,
    matching,
    paris,
    planned,
    rows,
)

BROKEN_ON = date(2027, 3, 15)

BREAK_ROWS = [
    *(pytest.param(K.BREAK_NUDGE, "apprentice", APPRENTICE, day, id=f"L6222-18-2 month {n} of 6: the apprentice")
      for n, day in enumerate([date(2027, 4, 15), date(2027, 5, 15), date(2027, 6, 15), date(2027, 7, 15),
                               date(2027, 8, 15)], 1)),
    pytest.param(K.BREAK_ADVISOR, "advisor", ADVISOR, date(2027, 8, 15),
                 id="L6222-18-2 5 months of 6 gone: the advisor"),
]


def test_the_resume_window_the_tables_use_is_the_one_the_rules_give() -> None:
    assert facts_for(broken_case(ended_on=BROKEN_ON)).resume_window_end == date(2027, 9, 15)


@pytest.mark.parametrize("state", [CaseState.TERMINATED, CaseState.ENDED_IN_TRIAL])
@pytest.mark.parametrize(("kind", "role", "email", "day"), BREAK_ROWS)
def test_after_a_break_the_apprentice_is_nudged_each_month_and_the_advisor_warned_at_five_months(
        state: CaseState, kind: K, role: str, email: str, day: date) -> None:
    found = matching(planned(broken_case(state, ended_on=BROKEN_ON)), kind, role, day)
    assert {r.channel for r in found} == {"email", "app"}
    for reminder in found:
        assert reminder.recipient == email
        assert reminder.due_at == paris(day)
        assert {"ended_on": "2027-03-15", "window_end": "2027-09-15"}.items() <= reminder.payload.items()


@pytest.mark.parametrize("state", [CaseState.TERMINATED, CaseState.ENDED_IN_TRIAL])
def test_after_a_break_nothing_of_the_broken_contract_is_reminded(state: CaseState) -> None:
    """No OPCO filing, trial, review or pay reminder of the contract that ended; only the search for a new one."""
    case = broken_case(state, ended_on=BROKEN_ON)
    case.contract.opco_filed_on = None
    reminders = planned(case, [make_review(date(2027, 5, 1), paris(date(2027, 4, 20)))])
    expected = {(kind, role, day) for kind, role, _email, day in (p.values for p in BREAK_ROWS)}
    assert rows(reminders) == expected


def test_the_monthly_nudges_keep_to_the_last_day_of_a_shorter_month() -> None:
    found = matching(planned(broken_case(ended_on=date(2027, 1, 31))), K.BREAK_NUDGE)
    assert {r.due_at.date() for r in found} == {date(2027, 2, 28), date(2027, 3, 31), date(2027, 4, 30),
                                                date(2027, 5, 31), date(2027, 6, 30)}


def test_the_nudges_and_the_advisor_follow_the_policies() -> None:
    policies = ReminderPolicies(break_nudge_every_months=2, break_advisor_at_months=4)
    reminders = planned(broken_case(ended_on=BROKEN_ON), policies=policies)
    assert rows(reminders) == {(K.BREAK_NUDGE, "apprentice", date(2027, 5, 15)),
                               (K.BREAK_NUDGE, "apprentice", date(2027, 7, 15)),
                               (K.BREAK_ADVISOR, "advisor", date(2027, 7, 15))}


def test_without_a_break_date_nothing_is_planned_after_a_break() -> None:
    assert planned(contract_case(CaseState.TERMINATED)) == []


@pytest.mark.parametrize("state", [
    pytest.param(CaseState.COMPLETED, id="completed: the contract reached its end"),
    pytest.param(CaseState.WITHDRAWN, id="withdrawn: the candidate left the programme"),
])
def test_nothing_is_planned_for_a_final_state(state: CaseState) -> None:
    """Even with every fact that would plan something elsewhere: an unfiled contract, a planned review..."""
    case = contract_case(state, ended_on=date(2027, 3, 15))
    case.legal_representative_email = REPRESENTATIVE
    review = make_review(date(2027, 5, 1), paris(date(2027, 4, 20)))
    assert planned(case, [review]) == []
    assert planned(make_case(state), search_window_end=date(2026, 12, 1)) == []


def test_a_case_closed_without_a_contract_tells_the_apprentice_and_the_advisor_once_and_nothing_else() -> None:
    """L6222-12-1: the window lapsed and the case was closed; a notice at once, still worth sending for 14 days."""
    case = make_case(CaseState.NO_CONTRACT)
    closed = case.state_since
    assert closed is not None
    reminders = planned(case, search_window_end=date(2026, 12, 1))
    assert {(r.kind, r.recipient_role, r.channel) for r in reminders} == {
        (K.CASE_LAPSED, role, channel) for role in ("apprentice", "advisor") for channel in ("email", "app")}
    for reminder in reminders:
        assert reminder.due_at == closed
        assert reminder.expires_at == closed + timedelta(days=14)
        assert reminder.payload["window_end"] == "2026-11-30"  # its last day (it lapses on the 1st)
