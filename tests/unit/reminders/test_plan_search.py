"""Reminders while the candidate looks for an employer: a step that does not move, and the 3 months of L6222-12-1.

The case below reached `apply` on 15 September 2026; the programme starts on 1 September 2026, so the window to
train without an employer ends on 1 December 2026 (L6222-12-1, 3 months).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from contract_flow.domain.reminders import ReminderPolicies
from contract_flow.domain.states import SEARCH_STEPS, CaseState
from tests.unit.reminders.conftest import (
    ADVISOR,
    APPRENTICE,
    SINCE,
    K,
    broken_case,
    facts_for,
    make_case,
    matching,
    paris,
    planned,
    rows,
)

WINDOW_END = date(2026, 12, 1)

SEARCH_ROWS = [
    pytest.param(K.SEARCH_STALE, "apprentice", APPRENTICE, date(2026, 9, 29), {"since": "2026-09-15", "step": "apply"},
                 id="stale_search.apprentice_after_days=14: the apprentice"),
    pytest.param(K.SEARCH_STALE, "advisor", ADVISOR, date(2026, 10, 13), {"since": "2026-09-15", "step": "apply"},
                 id="stale_search.advisor_after_days=28: the advisor"),
    pytest.param(K.SEARCH_WINDOW, "apprentice", APPRENTICE, date(2026, 11, 1),
                 {"window_end": "2026-11-30"}, id="L6222-12-1 window ends in 30 days: the apprentice"),
    pytest.param(K.SEARCH_WINDOW, "advisor", ADVISOR, date(2026, 11, 1),
                 {"window_end": "2026-11-30"}, id="L6222-12-1 window ends in 30 days: the advisor"),
    pytest.param(K.SEARCH_WINDOW, "apprentice", APPRENTICE, date(2026, 11, 24),
                 {"window_end": "2026-11-30"}, id="L6222-12-1 window ends in 7 days: the apprentice"),
    pytest.param(K.SEARCH_WINDOW, "advisor", ADVISOR, date(2026, 11, 24),
                 {"window_end": "2026-11-30"}, id="L6222-12-1 window ends in 7 days: the advisor"),
    pytest.param(K.SEARCH_WINDOW_ENDED, "advisor", ADVISOR, WINDOW_END, {"window_end": "2026-11-30"},
                 id="L6222-12-1 window over, the case may lapse: the advisor"),
]


def test_the_search_window_the_tables_use_is_the_one_the_rules_give() -> None:
    assert facts_for(make_case()).search_window_end == WINDOW_END


@pytest.mark.parametrize(("kind", "role", "email", "day", "payload"), SEARCH_ROWS)
def test_a_search_step_with_no_move_or_a_closing_window_reminds_the_right_person(
        kind: K, role: str, email: str, day: date, payload: dict[str, str]) -> None:
    found = matching(planned(make_case()), kind, role, day)
    assert {r.channel for r in found} == {"email", "app"}
    for reminder in found:
        assert reminder.recipient == email
        assert reminder.due_at == paris(day)
        assert payload.items() <= reminder.payload.items()


def test_a_case_searching_for_an_employer_is_reminded_of_nothing_else() -> None:
    expected = {(kind, role, day) for kind, role, _email, day, _payload in (p.values for p in SEARCH_ROWS)}
    assert rows(planned(make_case())) == expected


@pytest.mark.parametrize("state", SEARCH_STEPS, ids=[f"brochure step {n}: {s}" for n, s in enumerate(SEARCH_STEPS, 1)])
def test_a_search_step_with_no_move_for_14_days_reminds_the_apprentice_and_for_28_days_the_advisor(
        state: CaseState) -> None:
    found = rows(matching(planned(make_case(state)), K.SEARCH_STALE))
    assert found == {(K.SEARCH_STALE, "apprentice", date(2026, 9, 29)), (K.SEARCH_STALE, "advisor", date(2026, 10, 13))}


@pytest.mark.parametrize(("state", "warned"), [
    pytest.param(CaseState.REFLECT, True, id="L6222-12-1 reflect: may lapse"),
    pytest.param(CaseState.APPLY, True, id="L6222-12-1 apply: may lapse"),
    pytest.param(CaseState.CONVINCE, True, id="L6222-12-1 convince: may lapse"),
    pytest.param(CaseState.POSITION, False, id="L6222-12-1 position: an offer is in hand, no lapse"),
    pytest.param(CaseState.DECIDE, False, id="L6222-12-1 decide: no lapse"),
    pytest.param(CaseState.SIGN, False, id="L6222-12-1 sign: no lapse"),
])
def test_the_three_month_window_is_watched_only_at_the_steps_that_may_lapse(state: CaseState, warned: bool) -> None:
    reminders = planned(make_case(state))
    window = matching(reminders, K.SEARCH_WINDOW) + matching(reminders, K.SEARCH_WINDOW_ENDED)
    assert bool(window) is warned


def test_the_stale_search_counts_from_the_day_in_paris_the_case_reached_its_step() -> None:
    """23:30 UTC on 14 September is 01:30 on 15 September in Paris: the 14 days count from the 15th."""
    case = make_case(since=datetime(2026, 9, 14, 23, 30, tzinfo=UTC))
    found = matching(planned(case), K.SEARCH_STALE, "apprentice")
    assert {r.due_at for r in found} == {paris(date(2026, 9, 29))}


def test_the_stale_search_delays_come_from_the_policies() -> None:
    policies = ReminderPolicies(stale_apprentice_days=7, stale_advisor_days=21)
    found = rows(matching(planned(make_case(), policies=policies), K.SEARCH_STALE))
    assert found == {(K.SEARCH_STALE, "apprentice", SINCE.date() + timedelta(days=7)),
                     (K.SEARCH_STALE, "advisor", SINCE.date() + timedelta(days=21))}


def test_the_search_window_reminders_follow_the_configured_days_and_may_spare_the_advisor_at_its_end() -> None:
    policies = ReminderPolicies(window_days_before=(14,), window_advisor_at_end=False)
    reminders = planned(make_case(), policies=policies)
    assert rows(matching(reminders, K.SEARCH_WINDOW)) == {
        (K.SEARCH_WINDOW, "apprentice", date(2026, 11, 17)), (K.SEARCH_WINDOW, "advisor", date(2026, 11, 17))}
    assert matching(reminders, K.SEARCH_WINDOW_ENDED) == []


def test_without_a_known_window_only_the_stale_search_is_planned() -> None:
    reminders = planned(make_case(), search_window_end=None)
    assert {r.kind for r in reminders} == {K.SEARCH_STALE}


def test_a_search_resumed_after_a_break_is_not_warned_about_the_window_of_the_programme_start() -> None:
    case = make_case(CaseState.APPLY, since=datetime(2027, 3, 20, 9, tzinfo=UTC),
                     previous_contract_end=date(2027, 3, 15))
    reminders = planned(case)
    stale_windows = [r for r in matching(reminders, K.SEARCH_WINDOW) + matching(reminders, K.SEARCH_WINDOW_ENDED)
                     if date.fromisoformat(r.payload["window_end"]) < date(2027, 3, 15)]
    assert stale_windows == []


def test_a_search_resumed_after_a_break_still_warns_the_advisor_five_months_after_the_break() -> None:
    resumed = make_case(CaseState.APPLY, since=datetime(2027, 3, 20, 9, tzinfo=UTC),
                        previous_contract_end=date(2027, 3, 15))
    before_resuming = planned(broken_case(ended_on=date(2027, 3, 15)))
    assert rows(matching(before_resuming, K.BREAK_ADVISOR)) == {(K.BREAK_ADVISOR, "advisor", date(2027, 8, 15))}
    assert rows(matching(planned(resumed), K.BREAK_ADVISOR)) == {(K.BREAK_ADVISOR, "advisor", date(2027, 8, 15))}
