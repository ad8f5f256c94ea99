"""Idempotency keys. The ledger inserts a key it does not know and leaves a known key's row as it is (sent or not,
due_at and payload included; a cancelled one is revived as it was). So: same facts, same keys; a key changes when
the fact it anchors on changes, and only then; and a key kept across a change must still mean the same reminder.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta, tzinfo
from decimal import Decimal
from typing import Any

import pytest

from contract_flow.domain.case import Application
from contract_flow.domain.context import PARIS
from contract_flow.domain.reminders import CaseFacts, PlannedReminder, ReminderPolicies, plan
from contract_flow.domain.reminders import planner as planner_module
from contract_flow.domain.states import CaseState
from tests.unit.reminders.conftest import (
    ADVISOR,
    DEFAULTS,
    OTHER_ADVISOR,
    PROGRAMME,
    SINCE,
    K,
    broken_case,
    contract_case,
    facts_for,
    make_case,
    make_review,
)

PLANNED_AT = datetime(2026, 10, 20, 14, 0, tzinfo=PARIS)
Facts = Callable[[], CaseFacts]
Group = tuple[K, str]


def trial(*, advisor: str = ADVISOR, review_at: datetime = PLANNED_AT, **contract: Any) -> Facts:
    """A case in its trial under the contract of 1 September 2026, review 1 planned (at a later date: it was
    rescheduled once, its version is 2)."""
    def build() -> CaseFacts:
        case = contract_case(CaseState.TRIAL, **contract)
        case.advisor_email = advisor
        review = make_review(date(2026, 11, 1), review_at)
        review.version = 1 if review_at == PLANNED_AT else 2
        return facts_for(case, [review])
    return build


def search(*, state: CaseState = CaseState.APPLY, since: datetime = SINCE, advisor: str = ADVISOR,
           start: date = PROGRAMME.start_date, applications: int = 0, birth: date | None = None,
           representative: str | None = None) -> Facts:
    def build() -> CaseFacts:
        programme = dataclasses.replace(PROGRAMME, start_date=start)
        case = make_case(state, since=since, advisor_email=advisor, programme=programme,
                         legal_representative_email=representative, **({"birth": birth} if birth else {}))
        case.applications.extend(Application(f"Company {n}", date(2026, 9, 20)) for n in range(applications))
        return facts_for(case)
    return build


def after_break(*, ended_on: date = date(2027, 3, 15), advisor: str = ADVISOR) -> Facts:
    def build() -> CaseFacts:
        case = broken_case(ended_on=ended_on)
        case.advisor_email = advisor
        return facts_for(case)
    return build


def groups(reminders: list[PlannedReminder]) -> dict[Group, set[str]]:
    found: dict[Group, set[str]] = {}
    for reminder in reminders:
        found.setdefault((reminder.kind, reminder.recipient_role), set()).add(reminder.key)
    return found


PARTIES = ("apprentice", "mentor", "tutor")
ANCHOR_ROWS = [
    pytest.param(trial(), trial(), set(), id="the same facts built again: the same keys"),
    pytest.param(trial(), trial(trial_end=date(2027, 1, 12)),
                 {(K.TRIAL_ENDING, "apprentice"), (K.TRIAL_ENDING, "mentor"), (K.TRIAL_ENDING, "advisor"),
                  (K.TRIAL_PASS, "engine")},
                 id="L6222-18 trial end moved by an absence"),
    pytest.param(trial(), trial(advisor=OTHER_ADVISOR),
                 {(K.OPCO_FILING, "advisor"), (K.OPCO_OVERDUE, "advisor"), (K.TRIAL_ENDING, "advisor"),
                  (K.REVIEW_UNLOGGED, "advisor"), (K.MEDICAL_VISIT, "advisor"), (K.MEDICAL_VISIT_OVERDUE, "advisor")},
                 id="a new advisor follows the contract"),
    pytest.param(trial(), trial(mentor_email="paul.maitre@industrie.example"), {(K.TRIAL_ENDING, "mentor")},
                 id="a new mentor address (amendment)"),
    pytest.param(trial(), trial(employer_email="paie@industrie.example"),
                 {(K.OPCO_FILING, "employer"), (K.PAY_CHANGE, "employer"), (K.MEDICAL_VISIT, "employer"),
                  (K.MEDICAL_VISIT_OVERDUE, "employer"), (K.HIRING_AID_FILING, "employer")},
                 id="a new employer contact (amendment)"),
    pytest.param(trial(), trial(opco_filed_on=date(2026, 9, 3)),
                 {(K.OPCO_FILING, "employer"), (K.OPCO_FILING, "advisor"), (K.OPCO_OVERDUE, "advisor"),
                  (K.HIRING_AID_FILING, "employer")},
                 id="D6224-1 OPCO filing recorded: its reminders leave the plan"),
    pytest.param(trial(), trial(review_at=PLANNED_AT + timedelta(days=2)),
                 {*((K.REVIEW_INVITATION, party) for party in PARTIES),
                  *((K.REVIEW_REMINDER, party) for party in PARTIES), (K.REVIEW_UNLOGGED, "advisor")},
                 id="L6231-2 review rescheduled"),
    pytest.param(trial(), trial(gross_monthly_pay=Decimal("2000.00"), weekly_hours=Decimal("39")), set(),
                 id="agreed pay and hours amended: nothing anchors on them"),
    pytest.param(search(), search(since=SINCE + timedelta(days=20)),
                 {(K.SEARCH_STALE, "apprentice"), (K.SEARCH_STALE, "advisor")},
                 id="stale_search a new state_since"),
    pytest.param(search(), search(state=CaseState.CONVINCE),
                 {(K.SEARCH_STALE, "apprentice"), (K.SEARCH_STALE, "advisor")},
                 id="stale_search a new step reached the same day"),
    pytest.param(search(), search(advisor=OTHER_ADVISOR),
                 {(K.SEARCH_STALE, "advisor"), (K.SEARCH_WINDOW, "advisor"), (K.SEARCH_WINDOW_ENDED, "advisor")},
                 id="a new advisor follows the search"),
    pytest.param(search(), search(start=date(2026, 9, 14)),
                 {(K.SEARCH_WINDOW, "apprentice"), (K.SEARCH_WINDOW, "advisor"), (K.SEARCH_WINDOW_ENDED, "advisor")},
                 id="L6222-12-1 window end moved with the training start"),
    pytest.param(search(), search(applications=3), set(), id="applications sent at the same step: no move"),
    pytest.param(after_break(), after_break(ended_on=date(2027, 3, 16)),
                 {(K.BREAK_NUDGE, "apprentice"), (K.BREAK_ADVISOR, "advisor")},
                 id="L6222-18-2 break date corrected"),
    pytest.param(after_break(), after_break(advisor=OTHER_ADVISOR), {(K.BREAK_ADVISOR, "advisor")},
                 id="a new advisor after a break"),
]


@pytest.mark.parametrize(("before", "after", "moved"), ANCHOR_ROWS)
def test_a_key_changes_when_its_anchoring_fact_changes_and_only_then(
        before: Facts, after: Facts, moved: set[Group]) -> None:
    old, new = groups(plan(before(), DEFAULTS)), groups(plan(after(), DEFAULTS))
    for group in set(old) | set(new):
        if group in moved:
            assert old.get(group, set()).isdisjoint(new.get(group, set())), group
        else:
            assert old.get(group) == new.get(group), group


CONTENT_ROWS = [
    *ANCHOR_ROWS,
]


@pytest.mark.parametrize(("before", "after", "moved"), CONTENT_ROWS)
def test_a_key_kept_across_a_change_still_names_the_same_reminder(
        before: Facts, after: Facts, moved: object) -> None:
    """Same key, same recipient, channel, due time and payload. (Where a key is kept while its due time or
    payload changes, e.g. a policy edit or a legal representative recorded later, the ledger brings the planned
    row up to date: tests/integration/test_reminders.py.)"""
    old = {r.key: r for r in plan(before(), DEFAULTS)}
    new = {r.key: r for r in plan(after(), DEFAULTS)}
    changed = sorted(key for key in old.keys() & new.keys() if old[key] != new[key])
    assert changed == []


POLICY_ROWS = [
    pytest.param(search(), ReminderPolicies(stale_apprentice_days=7, stale_advisor_days=21),
                 id="stale_search.*_after_days"),
    pytest.param(search(), ReminderPolicies(window_days_before=(21,)), id="search_window.days_before"),
    # (An invitation is keyed by its review and the review's version, not by its day: one per person and review,
    # whose planned row moves with the policy.)
    pytest.param(trial(), ReminderPolicies(review_remind_days_before=(3,)), id="reviews.remind_days_before"),
    pytest.param(after_break(), ReminderPolicies(break_nudge_every_months=2), id="after_break.nudge_every_months"),
    pytest.param(after_break(), ReminderPolicies(break_advisor_at_months=4), id="after_break.advisor_at_months"),
]


@pytest.mark.parametrize(("facts", "policies"), POLICY_ROWS)
def test_a_policy_change_that_moves_a_reminder_gives_it_a_new_key(facts: Facts, policies: ReminderPolicies) -> None:
    old = {r.key: r for r in plan(facts(), DEFAULTS)}
    new = {r.key: r for r in plan(facts(), policies)}
    assert old != new
    assert sorted(key for key in old.keys() & new.keys() if old[key].due_at != new[key].due_at) == []


@pytest.mark.parametrize("build", [trial(), search(), after_break()], ids=["trial", "search", "after a break"])
def test_the_same_facts_give_the_same_keys_and_planning_twice_gives_the_same_list(build: Facts) -> None:
    facts = build()
    first = plan(facts, DEFAULTS)
    assert plan(facts, DEFAULTS) == first
    assert plan(build(), DEFAULTS) == first
    assert len({r.key for r in first}) == len(first)


class _Clock(datetime):
    moment = datetime(2026, 9, 15, 8, tzinfo=UTC)

    @classmethod
    def now(cls, tz: tzinfo | None = None) -> _Clock:
        return cls.fromtimestamp(cls.moment.timestamp(), tz)


def test_the_plan_does_not_depend_on_the_day_it_is_made(monkeypatch: pytest.MonkeyPatch) -> None:
    case = make_case(since=None, opened_at=None)
    monkeypatch.setattr(planner_module, "datetime", _Clock)
    first = plan(facts_for(case), DEFAULTS)
    monkeypatch.setattr(_Clock, "moment", datetime(2026, 10, 20, 8, tzinfo=UTC))
    assert plan(facts_for(case), DEFAULTS) == first
