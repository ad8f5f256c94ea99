"""Reminders of the deadlines and money around a running contract: the medical visit (R6222-40-1, R4624-18), the
OPCO's silence (D6224-2, CRPA L231-4), the hiring aid's filing (6 months from the conclusion; D6243-1 and
following) and the employer participation's invoice (L6332-14, R6332-25-1, décret 2025-585).

The contract of conftest starts on Tuesday 1 September 2026, signed on 15 June 2026; the signature (the lead's
rules) keeps: medical visit due 1 November 2026 (an adult: start + 2 months), 1 September 2026 for a minor (the
start), the hiring aid's filing due 15 December 2026 (signature + 6 months), the trial's end 7 January 2027. The
OPCO's decision (filed on + 20 days) and the participation are set here directly, as the facts would set them.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

import pytest

from contract_flow.domain.case import Case
from contract_flow.domain.reminders import PlannedReminder, ReminderPolicies
from contract_flow.domain.states import CaseState
from tests.unit.reminders.conftest import (
    ADVISOR,
    DEFAULTS,
    EMPLOYER,
    MENTOR,
    MINOR,
    K,
    broken_case,
    contract_case,
    matching,
    paris,
    planned,
    rows,
)

MEDICAL_DUE = date(2026, 11, 1)
AID_DUE = date(2026, 12, 15)
TRIAL_END = date(2027, 1, 7)
FILED_ON = date(2026, 9, 3)
DECISION_DUE = date(2026, 9, 23)
BILLING = "facturation@cfa.example"
NEW_KINDS = (K.MEDICAL_VISIT, K.MEDICAL_VISIT_OVERDUE, K.OPCO_SILENCE, K.HIRING_AID_FILING, K.PARTICIPATION_INVOICE)


def running(state: CaseState = CaseState.TRIAL, **changes: Any) -> Case:
    """The conftest contract, its OPCO filing not recorded, a participation of 750 € to invoice."""
    return contract_case(state, **{"participation_amount": Decimal("750"), **changes})


def filed(state: CaseState = CaseState.ACTIVE, **changes: Any) -> Case:
    """The conftest contract filed with the OPCO on 3 September 2026: its decision is due on 23 September."""
    return running(state, **{"opco_filed_on": FILED_ON, "opco_decision_due": DECISION_DUE, **changes})


def new_kinds(reminders: list[PlannedReminder]) -> list[PlannedReminder]:
    return [r for r in reminders if r.kind in NEW_KINDS]


def test_the_signed_contract_keeps_the_dates_these_tables_use() -> None:
    terms = contract_case().contract
    assert (terms.medical_visit_due, terms.hiring_aid_filing_due, terms.trial_end) == (MEDICAL_DUE, AID_DUE, TRIAL_END)
    assert contract_case(birth=MINOR).contract.medical_visit_due == date(2026, 9, 1)


ROWS = [
    pytest.param(running, K.MEDICAL_VISIT, "employer", EMPLOYER, date(2026, 10, 18),
                 {"due": "2026-11-01", "start": "2026-09-01", "minor": "no"},
                 id="R6222-40-1 medical visit due in 14 days: the employer contact"),
    pytest.param(running, K.MEDICAL_VISIT, "advisor", ADVISOR, date(2026, 10, 18),
                 {"due": "2026-11-01", "minor": "no"},
                 id="R6222-40-1 medical visit due in 14 days: the advisor"),
    pytest.param(running, K.MEDICAL_VISIT_OVERDUE, "employer", EMPLOYER, date(2026, 11, 2),
                 {"due": "2026-11-01", "minor": "no"},
                 id="R6222-40-1 medical visit not recorded the day after its due date: the employer contact"),
    pytest.param(running, K.MEDICAL_VISIT_OVERDUE, "advisor", ADVISOR, date(2026, 11, 2), {"due": "2026-11-01"},
                 id="R6222-40-1 medical visit not recorded the day after its due date: the advisor"),
    pytest.param(lambda: running(birth=MINOR), K.MEDICAL_VISIT, "employer", EMPLOYER, date(2026, 8, 18),
                 {"due": "2026-09-01", "minor": "yes"},
                 id="R4624-18 a minor: the visit before taking up the post, 14 days before the start"),
    pytest.param(lambda: running(birth=MINOR), K.MEDICAL_VISIT_OVERDUE, "advisor", ADVISOR, date(2026, 9, 2),
                 {"due": "2026-09-01", "minor": "yes"},
                 id="R4624-18 a minor without a visit the day after the start: the advisor"),
    pytest.param(filed, K.OPCO_SILENCE, "advisor", ADVISOR, DECISION_DUE,
                 {"filed_on": "2026-09-03", "due": "2026-09-23"},
                 id="D6224-2 the OPCO's 20th day without a decision: the advisor"),
    pytest.param(running, K.HIRING_AID_FILING, "employer", EMPLOYER, date(2026, 11, 15),
                 {"due": "2026-12-15", "concluded": "2026-06-15"},
                 id="hiring aid: no OPCO filing 5 months after the conclusion: the employer contact"),
    pytest.param(running, K.PARTICIPATION_INVOICE, "advisor", ADVISOR, date(2027, 1, 8),
                 {"amount": "750.00", "trial_end": "2027-01-07", "start": "2026-09-01",
                  "employer_name": "Industrie SA", "employer_siret": "73282932000074"},
                 id="R6332-25-1 the trial is over: the advisor invoices the 750 € participation"),
    pytest.param(lambda: running(CaseState.ACTIVE, participation_amount=Decimal("200")), K.PARTICIPATION_INVOICE,
                 "advisor", ADVISOR, date(2027, 1, 8), {"amount": "200.00"},
                 id="R6332-25-1 a new contract after an early break: 200 €, still planned once active"),
]


@pytest.mark.parametrize(("build", "kind", "role", "email", "day", "payload"), ROWS)
def test_each_deadline_reminds_the_right_person_on_the_right_day(
        build: Callable[[], Case], kind: K, role: str, email: str, day: date, payload: dict[str, str]) -> None:
    found = matching(planned(build()), kind, role)
    assert {r.channel for r in found} == {"email", "app"}
    for reminder in found:
        assert reminder.recipient == email
        assert reminder.due_at == paris(day)
        assert payload.items() <= reminder.payload.items()


def test_a_running_contract_is_reminded_of_these_and_of_no_one_else() -> None:
    assert rows(new_kinds(planned(running()))) == {
        (K.MEDICAL_VISIT, "employer", date(2026, 10, 18)), (K.MEDICAL_VISIT, "advisor", date(2026, 10, 18)),
        (K.MEDICAL_VISIT_OVERDUE, "employer", date(2026, 11, 2)),
        (K.MEDICAL_VISIT_OVERDUE, "advisor", date(2026, 11, 2)),
        (K.HIRING_AID_FILING, "employer", date(2026, 11, 15)),
        (K.PARTICIPATION_INVOICE, "advisor", date(2027, 1, 8)),
    }
    assert rows(new_kinds(planned(filed()))) == {
        (K.MEDICAL_VISIT, "employer", date(2026, 10, 18)), (K.MEDICAL_VISIT, "advisor", date(2026, 10, 18)),
        (K.MEDICAL_VISIT_OVERDUE, "employer", date(2026, 11, 2)),
        (K.MEDICAL_VISIT_OVERDUE, "advisor", date(2026, 11, 2)),
        (K.OPCO_SILENCE, "advisor", DECISION_DUE),
        (K.PARTICIPATION_INVOICE, "advisor", date(2027, 1, 8)),
    }


def test_without_an_employer_address_the_mentor_is_the_employer_contact() -> None:
    reminders = planned(running(employer_email=None))
    assert {r.recipient for r in matching(reminders, K.MEDICAL_VISIT, "employer")} == {MENTOR}
    assert {r.recipient for r in matching(reminders, K.HIRING_AID_FILING, "employer")} == {MENTOR}


@pytest.mark.parametrize(("build", "gone"), [
    pytest.param(lambda: running(medical_visit_on=date(2026, 9, 20)), {K.MEDICAL_VISIT, K.MEDICAL_VISIT_OVERDUE},
                 id="R6222-40-1 the visit's date recorded: nothing more about it"),
    pytest.param(lambda: running(medical_visit_on=date(2026, 11, 5)), {K.MEDICAL_VISIT, K.MEDICAL_VISIT_OVERDUE},
                 id="R6222-40-1 a late visit recorded: nothing more about it"),
    pytest.param(lambda: running(medical_visit_due=None), {K.MEDICAL_VISIT, K.MEDICAL_VISIT_OVERDUE},
                 id="no medical visit due kept (a contract signed before it was computed): nothing"),
    pytest.param(lambda: running(opco_filed_on=FILED_ON), {K.HIRING_AID_FILING, K.OPCO_SILENCE},
                 id="hiring aid: the OPCO filing recorded, no decision due kept: neither reminder"),
    pytest.param(lambda: running(opco_decision_due=DECISION_DUE), {K.OPCO_SILENCE},
                 id="D6224-2 no filing recorded: no decision to wait for"),
    pytest.param(lambda: running(participation_amount=Decimal("0")), {K.PARTICIPATION_INVOICE},
                 id="L6332-14 no participation due (below level 6, or concluded before 1 July 2025)"),
    pytest.param(lambda: running(participation_amount=None), {K.PARTICIPATION_INVOICE},
                 id="no participation computed: nothing to invoice"),
    pytest.param(lambda: running(trial_end=None), {K.PARTICIPATION_INVOICE},
                 id="no trial end known: no day to invoice on"),
])
def test_nothing_is_planned_once_the_thing_is_done_or_not_due(build: Callable[[], Case], gone: set[K]) -> None:
    reminders = planned(build())
    for kind in gone:
        assert matching(reminders, kind) == [], kind
    kept = set(NEW_KINDS) - gone - {K.OPCO_SILENCE}  # the silence only follows a recorded filing
    assert kept <= {r.kind for r in reminders}


@pytest.mark.parametrize("case", [
    pytest.param(lambda: running(CaseState.SIGN), id="sign: the contract does not run yet"),
    pytest.param(lambda: filed(CaseState.ENDED_IN_TRIAL, ended_on=date(2026, 10, 2)),
                 id="L6222-18 broken during the trial: no invoice of the full participation, no visit"),
    pytest.param(lambda: filed(CaseState.TERMINATED, ended_on=date(2027, 3, 15)), id="terminated"),
    pytest.param(lambda: filed(CaseState.COMPLETED, ended_on=date(2029, 8, 31)), id="completed"),
    pytest.param(broken_case, id="after a break: only the break's own reminders"),
])
def test_nothing_is_planned_once_the_contract_no_longer_runs(case: Callable[[], Case]) -> None:
    assert new_kinds(planned(case())) == []


@pytest.mark.parametrize(("policies", "expected"), [
    pytest.param(ReminderPolicies(medical_visit_days_before=30),
                 {(K.MEDICAL_VISIT, "employer", date(2026, 10, 2)), (K.MEDICAL_VISIT, "advisor", date(2026, 10, 2)),
                  (K.MEDICAL_VISIT_OVERDUE, "employer", date(2026, 11, 2)),
                  (K.MEDICAL_VISIT_OVERDUE, "advisor", date(2026, 11, 2))},
                 id="medical_visit.days_before = 30"),
    pytest.param(ReminderPolicies(medical_visit_remind_overdue=False),
                 {(K.MEDICAL_VISIT, "employer", date(2026, 10, 18)), (K.MEDICAL_VISIT, "advisor", date(2026, 10, 18))},
                 id="medical_visit.remind_when_overdue = false: no overdue reminder"),
])
def test_the_medical_visit_follows_its_policies(policies: ReminderPolicies, expected: set[object]) -> None:
    reminders = planned(running(), policies=policies)
    assert rows(matching(reminders, K.MEDICAL_VISIT) + matching(reminders, K.MEDICAL_VISIT_OVERDUE)) == expected


@pytest.mark.parametrize(("build", "policies", "kind", "day"), [
    pytest.param(filed, ReminderPolicies(opco_decision_days_before=3), K.OPCO_SILENCE, date(2026, 9, 20),
                 id="opco_decision.days_before = 3"),
    pytest.param(running, ReminderPolicies(hiring_aid_months_before=2), K.HIRING_AID_FILING, date(2026, 10, 15),
                 id="hiring_aid.months_before = 2"),
    pytest.param(running, ReminderPolicies(participation_days_after_trial_end=0), K.PARTICIPATION_INVOICE,
                 TRIAL_END, id="participation.days_after_trial_end = 0: on the trial's last day"),
])
def test_the_other_deadlines_follow_their_policies(
        build: Callable[[], Case], policies: ReminderPolicies, kind: K, day: date) -> None:
    found = matching(planned(build(), policies=policies), kind)
    assert found
    assert {r.due_at for r in found} == {paris(day)}


def test_the_hiring_aid_reminder_counts_back_from_a_month_end_deadline() -> None:
    """31 August + 6 months is 28 February (clamped); one month before it is 28 January."""
    found = matching(planned(running(hiring_aid_filing_due=date(2027, 2, 28))), K.HIRING_AID_FILING)
    assert {r.due_at for r in found} == {paris(date(2027, 1, 28))}


def test_a_billing_address_in_the_configuration_gets_the_invoice_instead_of_the_advisor() -> None:
    reminders = planned(running(), policies=ReminderPolicies(billing_email=BILLING))
    found = matching(reminders, K.PARTICIPATION_INVOICE)
    assert {(r.recipient_role, r.recipient, r.channel) for r in found} == {
        ("billing", BILLING, "email"), ("billing", BILLING, "app")}
    # The billing office is told of the invoice only: every other reminder keeps its people.
    assert {r.kind for r in reminders if r.recipient == BILLING} == {K.PARTICIPATION_INVOICE}
    assert rows(r for r in reminders if r.kind is not K.PARTICIPATION_INVOICE) == \
        rows(r for r in planned(running()) if r.kind is not K.PARTICIPATION_INVOICE)


def test_without_a_billing_address_nor_an_advisor_nobody_is_told_yet() -> None:
    case = running()
    case.advisor_email = None
    assert matching(planned(case), K.PARTICIPATION_INVOICE) == []


# --- keys: the same facts give the same keys; a moved due date, a new one ----------------------------------------

def keys(reminders: list[PlannedReminder], kind: K) -> set[str]:
    return {r.key for r in reminders if r.kind is kind}


def test_the_same_facts_give_the_same_keys_and_each_names_its_kind_and_date() -> None:
    first, again = planned(filed()), planned(filed())
    assert first == again
    assert {r.key for r in new_kinds(first)} == {
        f"42/{kind}/{anchor}/{role}/{email}/{channel}"
        for kind, anchor, role, email in (
            (K.MEDICAL_VISIT, "2026-11-01", "employer", EMPLOYER), (K.MEDICAL_VISIT, "2026-11-01", "advisor", ADVISOR),
            (K.MEDICAL_VISIT_OVERDUE, "2026-11-01", "employer", EMPLOYER),
            (K.MEDICAL_VISIT_OVERDUE, "2026-11-01", "advisor", ADVISOR),
            (K.OPCO_SILENCE, "2026-09-23", "advisor", ADVISOR),
            (K.PARTICIPATION_INVOICE, "2027-01-07@750.00", "advisor", ADVISOR))
        for channel in ("email", "app")}
    assert keys(planned(running()), K.HIRING_AID_FILING) == {
        f"42/hiring_aid_filing/2026-12-15/employer/{EMPLOYER}/{channel}" for channel in ("email", "app")}


@pytest.mark.parametrize(("before", "after", "moved"), [
    pytest.param(running, lambda: running(medical_visit_due=date(2026, 11, 3)),
                 {K.MEDICAL_VISIT, K.MEDICAL_VISIT_OVERDUE}, id="R6222-40-1 the visit's due date moved (a new start)"),
    pytest.param(filed, lambda: filed(opco_filed_on=date(2026, 9, 7), opco_decision_due=date(2026, 9, 27)),
                 {K.OPCO_SILENCE}, id="D6224-2 a later filing date recorded: a new decision due"),
    pytest.param(running, lambda: running(hiring_aid_filing_due=date(2027, 1, 10)),
                 {K.HIRING_AID_FILING}, id="hiring aid: a corrected conclusion date"),
    pytest.param(running, lambda: running(trial_end=date(2027, 1, 12)),
                 {K.PARTICIPATION_INVOICE}, id="L6222-18 the trial's end moved by an absence"),
    pytest.param(running, lambda: running(participation_amount=Decimal("200")),
                 {K.PARTICIPATION_INVOICE}, id="R6332-25-1 a corrected amount is a new invoice"),
    pytest.param(running, lambda: running(gross_monthly_pay=Decimal("2000.00")), set(),
                 id="agreed pay amended: nothing anchors on it"),
])
def test_a_key_changes_when_its_due_date_or_amount_changes_and_only_then(
        before: Callable[[], Case], after: Callable[[], Case], moved: set[K]) -> None:
    old, new = planned(before()), planned(after())
    for kind in NEW_KINDS:
        if kind in moved:
            assert keys(old, kind), kind
            assert keys(new, kind), kind
            assert keys(old, kind).isdisjoint(keys(new, kind)), kind
        else:
            assert keys(old, kind) == keys(new, kind), kind


def test_a_new_billing_address_is_a_new_recipient() -> None:
    old = planned(running(), policies=ReminderPolicies(billing_email=BILLING))
    new = planned(running(), policies=ReminderPolicies(billing_email="compta@cfa.example"))
    assert keys(old, K.PARTICIPATION_INVOICE).isdisjoint(keys(new, K.PARTICIPATION_INVOICE))


@pytest.mark.parametrize("policies", [
    pytest.param(ReminderPolicies(medical_visit_days_before=21), id="medical_visit.days_before"),
    pytest.param(ReminderPolicies(opco_decision_days_before=2), id="opco_decision.days_before"),
    pytest.param(ReminderPolicies(hiring_aid_months_before=2), id="hiring_aid.months_before"),
    pytest.param(ReminderPolicies(participation_days_after_trial_end=3), id="participation.days_after_trial_end"),
])
def test_a_policy_change_keeps_the_keys_and_moves_the_due_time(policies: ReminderPolicies) -> None:
    """The key names the deadline, not the notice: the ledger moves a planned row, and one already sent is not
    sent again because a notice period was edited."""
    moved: list[str] = []
    for build in (running, filed):
        old = {r.key: r for r in new_kinds(planned(build(), policies=DEFAULTS))}
        new = {r.key: r for r in new_kinds(planned(build(), policies=policies))}
        assert old.keys() == new.keys()
        moved += [key for key in old if old[key].due_at != new[key].due_at]
    assert moved


def test_the_invoice_keeps_its_key_when_the_trial_passes() -> None:
    """The case becomes active at the trial's end: an invoice reminder not sent yet stays in the plan as it was."""
    assert keys(planned(running(CaseState.TRIAL)), K.PARTICIPATION_INVOICE) == \
        keys(planned(running(CaseState.ACTIVE)), K.PARTICIPATION_INVOICE)
    assert keys(planned(running(CaseState.ACTIVE)), K.PARTICIPATION_INVOICE)


def test_the_due_dates_are_read_from_the_contract_not_recomputed() -> None:
    """The planner reads the dates the signature kept (and `rules impact` re-computes), so a contract kept with
    another date is reminded on that date."""
    found = matching(planned(running(medical_visit_due=MEDICAL_DUE + timedelta(days=10))), K.MEDICAL_VISIT)
    assert {r.due_at for r in found} == {paris(MEDICAL_DUE - timedelta(days=4))}
