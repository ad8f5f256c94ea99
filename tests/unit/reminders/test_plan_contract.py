"""Reminders under a signed contract: the OPCO filing, the end of the trial, the changes of the minimum pay.

The contract starts on Tuesday 1 September 2026 for 3 years. The real rules give: OPCO filing due on Monday
7 September (D6224-1, 5 jours ouvrables: Sunday not counted), the trial's 45th company day on 7 January 2027
(L6222-18, school weeks of configs/programmes/mecatronique.toml not counted), the minimum pay of D6222-26, the
medical visit by 1 November 2026 (R6222-40-1) and the hiring aid's filing by 15 December 2026 (6 months after the
signature of 15 June 2026). Those two and the other new deadlines are tested in test_plan_deadlines_money.py.
"""

from __future__ import annotations

from datetime import date, time
from typing import Any

import pytest

from contract_flow.domain.reminders import ReminderPolicies
from contract_flow.domain.reviews import review_schedule
from contract_flow.domain.states import CaseState
from tests.unit.reminders.conftest import (
    ADVISOR,
    APPRENTICE,
    CONTRACT_END,
    CONTRACT_START,
    EMPLOYER,
    MENTOR,
    MINOR,
    PROGRAMME_2025,
    TUTOR,
    K,
    contract_case,
    make_case,
    matching,
    paris,
    planned,
    rows,
    sign,
)

TRIAL_END = date(2027, 1, 7)
OPCO_DUE = date(2026, 9, 7)


def test_the_signed_contract_has_the_dates_the_tables_use() -> None:
    terms = contract_case().contract
    assert (terms.start_date, terms.opco_filing_due, terms.trial_end) == (CONTRACT_START, OPCO_DUE, TRIAL_END)
    assert [p["from"] for p in terms.pay_schedule or []] == ["2026-09-01", "2027-09-01", "2028-09-01"]


CONTRACT_ROWS = [
    pytest.param(K.OPCO_FILING, "employer", EMPLOYER, date(2026, 9, 4), {"start": "2026-09-01", "due": "2026-09-07"},
                 id="D6224-1 filing not recorded 3 days after the start: the employer contact"),
    pytest.param(K.OPCO_FILING, "advisor", ADVISOR, date(2026, 9, 4), {"start": "2026-09-01", "due": "2026-09-07"},
                 id="D6224-1 filing not recorded 3 days after the start: the advisor"),
    pytest.param(K.OPCO_OVERDUE, "advisor", ADVISOR, date(2026, 9, 8), {"due": "2026-09-07"},
                 id="D6224-1 5 jours ouvrables over and still not filed: the advisor"),
    pytest.param(K.MEDICAL_VISIT, "employer", EMPLOYER, date(2026, 10, 18), {"due": "2026-11-01"},
                 id="R6222-40-1 medical visit due in 14 days: the employer contact"),
    pytest.param(K.MEDICAL_VISIT, "advisor", ADVISOR, date(2026, 10, 18), {"due": "2026-11-01"},
                 id="R6222-40-1 medical visit due in 14 days: the advisor"),
    pytest.param(K.MEDICAL_VISIT_OVERDUE, "employer", EMPLOYER, date(2026, 11, 2), {"due": "2026-11-01"},
                 id="R6222-40-1 medical visit overdue: the employer contact"),
    pytest.param(K.MEDICAL_VISIT_OVERDUE, "advisor", ADVISOR, date(2026, 11, 2), {"due": "2026-11-01"},
                 id="R6222-40-1 medical visit overdue: the advisor"),
    pytest.param(K.HIRING_AID_FILING, "employer", EMPLOYER, date(2026, 11, 15), {"due": "2026-12-15"},
                 id="hiring aid: no OPCO filing 5 months after the conclusion: the employer contact"),
    pytest.param(K.TRIAL_ENDING, "apprentice", APPRENTICE, date(2026, 12, 31), {"trial_end": "2027-01-07"},
                 id="L6222-18 trial ends in 7 days: the apprentice"),
    pytest.param(K.TRIAL_ENDING, "mentor", MENTOR, date(2026, 12, 31), {"trial_end": "2027-01-07"},
                 id="L6222-18 trial ends in 7 days: the mentor"),
    pytest.param(K.TRIAL_ENDING, "advisor", ADVISOR, date(2026, 12, 31), {"trial_end": "2027-01-07"},
                 id="L6222-18 trial ends in 7 days: the advisor"),
    pytest.param(K.PAY_CHANGE, "employer", EMPLOYER, date(2027, 8, 2),
                 {"from": "2027-09-01", "amount": "1138.88", "previous_amount": "989.52", "contract_year": "2"},
                 id="D6222-26 anniversary, year 2 (61 % SMIC) in 30 days: the employer contact"),
    pytest.param(K.PAY_CHANGE, "apprentice", APPRENTICE, date(2027, 8, 2),
                 {"from": "2027-09-01", "amount": "1138.88", "previous_amount": "989.52", "contract_year": "2"},
                 id="D6222-26 anniversary, year 2 (61 % SMIC) in 30 days: the apprentice"),
    pytest.param(K.PAY_CHANGE, "employer", EMPLOYER, date(2028, 8, 2),
                 {"from": "2028-09-01", "amount": "1456.28", "previous_amount": "1138.88", "contract_year": "3"},
                 id="D6222-26 anniversary, year 3 (78 % SMIC) in 30 days: the employer contact"),
    pytest.param(K.PAY_CHANGE, "apprentice", APPRENTICE, date(2028, 8, 2),
                 {"from": "2028-09-01", "amount": "1456.28", "previous_amount": "1138.88", "contract_year": "3"},
                 id="D6222-26 anniversary, year 3 (78 % SMIC) in 30 days: the apprentice"),
]
#: L6231-2 and the programme's file: a review due within 2 months of the start, then each semester.
REVIEW_DUE = [date(2026, 11, 1), date(2027, 5, 1), date(2027, 11, 1), date(2028, 5, 1), date(2028, 11, 1),
              date(2029, 5, 1)]


@pytest.mark.parametrize(("kind", "role", "email", "day", "payload"), CONTRACT_ROWS)
def test_a_contract_in_its_trial_reminds_the_right_person_on_the_right_day(
        kind: K, role: str, email: str, day: date, payload: dict[str, str]) -> None:
    found = matching(planned(contract_case()), kind, role, day)
    assert {r.channel for r in found} == {"email", "app"}
    for reminder in found:
        assert reminder.recipient == email
        assert reminder.due_at == paris(day)
        assert payload.items() <= reminder.payload.items()


def test_a_contract_in_its_trial_is_reminded_of_nothing_else() -> None:
    expected = {(kind, role, day) for kind, role, _email, day, _payload in (p.values for p in CONTRACT_ROWS)}
    expected |= {(K.REVIEW_UNPLANNED, "tutor", due) for due in REVIEW_DUE}
    expected.add((K.TRIAL_PASS, "engine", date(2027, 1, 8)))
    assert rows(planned(contract_case())) == expected
    assert review_schedule(CONTRACT_START, CONTRACT_END) == REVIEW_DUE


#: What the signature sets running, planned from the signature on; the trial's rows and the reviews wait.
BEFORE_THE_START = {K.OPCO_FILING, K.OPCO_OVERDUE, K.MEDICAL_VISIT, K.MEDICAL_VISIT_OVERDUE, K.HIRING_AID_FILING,
                    K.PAY_CHANGE}


def test_a_contract_signed_not_started_gets_what_its_signature_set_running_and_the_engine_s_start() -> None:
    """D6224-1 (the filing counts from the start), R6222-40-1, the hiring aid (6 months from the conclusion) and the
    pay schedule run from the signature; the trial's end, its invoice and the reviews only once it started."""
    in_trial = {row for row in rows(planned(contract_case())) if row[0] in BEFORE_THE_START}
    assert rows(planned(contract_case(CaseState.SIGNED))) == in_trial | {(K.CONTRACT_START, "engine", CONTRACT_START)}
    [item] = matching(planned(contract_case(CaseState.SIGNED)), K.CONTRACT_START)
    assert (item.recipient_role, item.recipient, item.channel) == ("engine", "engine", "engine")
    assert item.due_at == paris(CONTRACT_START, time(0, 5))  # as the first day begins (L6222-18: the trial too)
    assert item.payload["start"] == "2026-09-01"


def test_a_minor_s_medical_visit_is_reminded_while_the_contract_waits_for_its_start() -> None:
    """R4624-18: a minor's visit is due by the start, so its reminder falls while the contract is still `signed`."""
    found = matching(planned(contract_case(CaseState.SIGNED, birth=MINOR)), K.MEDICAL_VISIT, "employer")
    assert {r.due_at for r in found} == {paris(date(2026, 8, 18))}
    assert {r.payload["minor"] for r in found} == {"yes"}


def test_once_started_or_cancelled_there_is_no_contract_start_to_run() -> None:
    assert matching(planned(contract_case()), K.CONTRACT_START) == []
    cancelled = planned(contract_case(CaseState.CANCELLED, ended_on=date(2026, 7, 15)))
    assert matching(cancelled, K.CONTRACT_START) == matching(cancelled, K.OPCO_FILING) == []
    assert matching(cancelled, K.BREAK_ADVISOR)  # L6222-18-2: the search after it, as after a break


def test_the_trial_end_makes_the_case_active_by_itself_once_its_last_day_is_over() -> None:
    """L6222-18: the engine's own `trial_pass` item, due as the 45th company day ends (00:05 the next day)."""
    [item] = matching(planned(contract_case()), K.TRIAL_PASS)
    assert (item.recipient_role, item.recipient, item.channel) == ("engine", "engine", "engine")
    assert item.due_at == paris(date(2027, 1, 8), time(0, 5))
    assert item.payload["trial_end"] == "2027-01-07"


@pytest.mark.parametrize("state", [
    pytest.param(CaseState.ACTIVE, id="L6222-18 trial passed: nothing about its end"),
    pytest.param(CaseState.ENDED_IN_TRIAL, id="L6222-18 broken during the trial: it does not pass"),
])
def test_no_trial_reminder_and_no_trial_pass_once_the_trial_is_over_or_broken(state: CaseState) -> None:
    reminders = planned(contract_case(state, ended_on=date(2026, 10, 2) if state is CaseState.ENDED_IN_TRIAL
                                      else None))
    assert matching(reminders, K.TRIAL_ENDING) == matching(reminders, K.TRIAL_PASS) == []


def test_the_trial_reminder_follows_the_configured_days() -> None:
    found = matching(planned(contract_case(), policies=ReminderPolicies(trial_days_before=10)), K.TRIAL_ENDING)
    assert {r.due_at for r in found} == {paris(date(2026, 12, 28))}


@pytest.mark.parametrize(("changes", "policies", "expected"), [
    pytest.param({"opco_filed_on": date(2026, 9, 3)}, ReminderPolicies(), set(),
                 id="D6224-1 filing recorded: nothing"),
    pytest.param({}, ReminderPolicies(opco_escalate=False),
                 {(K.OPCO_FILING, "employer", date(2026, 9, 4)), (K.OPCO_FILING, "advisor", date(2026, 9, 4))},
                 id="opco_filing.escalate_when_overdue=false: no escalation"),
    pytest.param({}, ReminderPolicies(opco_remind_days_after_start=1),
                 {(K.OPCO_FILING, "employer", date(2026, 9, 2)), (K.OPCO_FILING, "advisor", date(2026, 9, 2)),
                  (K.OPCO_OVERDUE, "advisor", date(2026, 9, 8))},
                 id="opco_filing.remind_days_after_start=1"),
    pytest.param({"employer_email": None}, ReminderPolicies(),
                 {(K.OPCO_FILING, "employer", date(2026, 9, 4)), (K.OPCO_FILING, "advisor", date(2026, 9, 4)),
                  (K.OPCO_OVERDUE, "advisor", date(2026, 9, 8))},
                 id="D6224-1 no employer address: the mentor is the employer contact"),
])
def test_the_opco_filing_reminders_follow_the_filing_and_the_policies(
        changes: dict[str, Any], policies: ReminderPolicies, expected: set[object]) -> None:
    reminders = planned(contract_case(CaseState.ACTIVE, **changes), policies=policies)
    assert rows(matching(reminders, K.OPCO_FILING) + matching(reminders, K.OPCO_OVERDUE)) == expected
    if changes.get("employer_email", EMPLOYER) is None:
        assert {r.recipient for r in matching(reminders, K.OPCO_FILING, "employer")} == {MENTOR}


PAY_ROWS = [
    pytest.param(MINOR, CONTRACT_START, date(2026, 12, 1),
                 {"amount": "802.82", "previous_amount": "504.10", "age_band": "18-20", "percent": "43",
                  "contract_year": "1", "reference": "SMIC"},
                 id="D6222-26 age band 18-20 from the 1st of the month after the 18th birthday"),
    pytest.param(MINOR, CONTRACT_START, date(2027, 9, 1),
                 {"amount": "952.18", "previous_amount": "802.82", "age_band": "18-20", "percent": "51",
                  "contract_year": "2"},
                 id="D6222-26 contract anniversary, year 2"),
    pytest.param(date(2004, 5, 17), date(2025, 9, 1), date(2026, 1, 1),
                 {"amount": "966.21", "previous_amount": "954.95", "age_band": "21-25", "percent": "53",
                  "reference": "SMIC"},
                 id="D6222-26 SMIC revaluation of 1 January 2026 (1 823,03 €)"),
    pytest.param(date(2004, 5, 17), date(2025, 9, 1), date(2026, 6, 1),
                 {"amount": "989.52", "previous_amount": "966.21", "age_band": "21-25", "percent": "53",
                  "reference": "SMIC"},
                 id="D6222-26 SMIC revaluation of 1 June 2026 (1 867,02 €, arrêté du 22 mai 2026)"),
]


@pytest.mark.parametrize(("birth", "start", "change", "payload"), PAY_ROWS)
def test_a_change_of_the_minimum_pay_is_announced_30_days_before_to_the_employer_and_the_apprentice(
        birth: date, start: date, change: date, payload: dict[str, str]) -> None:
    programme = PROGRAMME_2025 if start.year == 2025 else make_case().programme
    case = sign(make_case(CaseState.ACTIVE, birth=birth, programme=programme), start=start,
                end=date(start.year + 3, 8, 31), opco_filed_on=start)
    found = [r for r in matching(planned(case), K.PAY_CHANGE) if r.payload["from"] == change.isoformat()]
    assert {(r.recipient_role, r.recipient, r.channel) for r in found} == {
        ("employer", EMPLOYER, "email"), ("employer", EMPLOYER, "app"),
        ("apprentice", APPRENTICE, "email"), ("apprentice", APPRENTICE, "app")}
    for reminder in found:
        assert reminder.due_at == paris(date.fromordinal(change.toordinal() - 30))
        assert payload.items() <= reminder.payload.items()


def test_the_first_pay_period_is_no_change_to_announce() -> None:
    found = matching(planned(contract_case()), K.PAY_CHANGE)
    assert "2026-09-01" not in {r.payload["from"] for r in found}


def test_the_pay_change_notice_follows_the_configured_days() -> None:
    found = matching(planned(contract_case(), policies=ReminderPolicies(pay_change_days_before=15)), K.PAY_CHANGE)
    assert {r.due_at.date() for r in found} == {date(2027, 8, 17), date(2028, 8, 17)}


def test_a_contract_without_a_start_date_plans_nothing() -> None:
    case = contract_case(start_date=None)
    assert planned(case) == []


def test_without_a_tutor_there_is_nobody_to_remind_of_an_unplanned_review() -> None:
    case = contract_case()
    case.tutor_email = None
    assert matching(planned(case), K.REVIEW_UNPLANNED) == []
    assert TUTOR not in {r.recipient for r in planned(case)}
