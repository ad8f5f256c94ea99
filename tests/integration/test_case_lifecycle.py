"""A case's life through the services, on SQLite and on PostgreSQL."""

from __future__ import annotations

import threading
from datetime import UTC, date, datetime, time, timedelta

import pytest

from contract_flow.adapters.clock import FixedClock
from contract_flow.bootstrap import App
from contract_flow.domain.errors import ConflictError, TransitionRefused
from contract_flow.domain.machine import replay
from contract_flow.domain.states import CaseState
from contract_flow.services.cases import advance, record_absence, set_facts, show
from contract_flow.services.directory import add_programme
from contract_flow.services.queries import board, list_cases
from tests.conftest import People
from tests.support.calendars import OTHER_CFA
from tests.support.cases import open_candidate, walk


def test_a_new_case_starts_at_step_one_reflect(app: App, people: People) -> None:
    case_id = open_candidate(app)
    view = show(app, case_id)
    assert view.case.state is CaseState.REFLECT
    assert view.case.version == 1
    assert view.history == []
    assert [c.id for c in list_cases(app, state="reflect")] == [case_id]


def test_a_case_goes_from_reflection_to_a_completed_contract_and_its_history_replays(
        app: App, people: People, clock: FixedClock) -> None:
    case_id = open_candidate(app)
    walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    view = show(app, case_id)
    assert view.case.state is CaseState.TRIAL
    trial_end = view.case.contract.trial_end
    assert trial_end is not None
    assert trial_end >= date(2026, 9, 1) + timedelta(days=63)
    # D6224-1: 5 jours ouvrables after Tuesday 1 September, Saturday counting: Wed, Thu, Fri, Sat, Mon 7.
    assert view.case.contract.opco_filing_due == date(2026, 9, 7)
    assert view.case.contract.pay_schedule
    assert view.case.contract.pay_schedule[0]["contract_year"] == "1"

    clock.set(datetime_after(trial_end))
    advance(app, case_id, "pass_trial", actor_email="system")
    clock.set(datetime_after(date(2029, 8, 31)))
    advance(app, case_id, "complete", actor_email=people.advisor, reason="diploma awarded")

    view = show(app, case_id)
    assert view.case.state is CaseState.COMPLETED
    transitions = [e for e in view.history if e.from_state != e.to_state]
    assert [e.trigger for e in transitions] == [
        "start_applying", "shortlist", "receive_offer", "choose", "validate", "sign", "start_contract", "pass_trial",
        "complete"]
    assert [e.seq for e in view.history] == list(range(1, len(view.history) + 1))
    assert replay(view.history) is CaseState.COMPLETED
    assert transitions[-1].reason == "diploma awarded"
    assert transitions[4].actor == people.lead


def datetime_after(day: date) -> object:
    return datetime.combine(day + timedelta(days=1), time(9), tzinfo=UTC)


def test_a_stale_version_is_refused_and_changes_nothing(app: App, people: People) -> None:
    case_id = open_candidate(app)
    set_facts(app, case_id, {"project.target_job": "technicien", "project.mobility_area": "Gard"},
              actor_email=people.advisor)
    with pytest.raises(ConflictError) as refused:
        advance(app, case_id, "start_applying", actor_email=people.advisor, expected_version=1)
    assert "changed by someone else since version 1" in str(refused.value)
    assert refused.value.actual_version == 2
    assert show(app, case_id).case.state is CaseState.REFLECT


def test_two_advisors_advancing_the_same_case_at_once_one_wins_the_other_gets_a_conflict(
        app: App, people: People) -> None:
    case_id = open_candidate(app)
    case = set_facts(app, case_id, {"project.target_job": "technicien", "project.mobility_area": "Gard"},
                     actor_email=people.advisor)
    start = threading.Barrier(2)
    outcomes: list[str] = []

    def attempt() -> None:
        start.wait()
        try:
            advance(app, case_id, "start_applying", actor_email=people.advisor, expected_version=case.version)
            outcomes.append("moved")
        except ConflictError:
            outcomes.append("conflict")

    threads = [threading.Thread(target=attempt) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["conflict", "moved"]
    history = show(app, case_id).history
    assert [e.trigger for e in history if e.from_state != e.to_state] == ["start_applying"]


def test_sign_is_refused_when_the_programme_has_no_free_seat(app: App, people: People) -> None:
    add_programme(app, "petit", name="Petit programme", start_date=date(2026, 9, 1), years=3, seats=1,
                  calendar=OTHER_CFA, cfa_code="imt-mines-ales")  # the CFA of the people moving its cases
    first = open_candidate(app, programme="petit")
    second = open_candidate(app, programme="petit", first_name="Hugo", email="hugo@example.org")
    walk(app, first, "trial", advisor=people.advisor, lead=people.lead)
    walk(app, second, "sign", advisor=people.advisor, lead=people.lead)
    set_facts(app, second, {"contract.signature_date": "2026-08-20", "contract.end_date": "2029-08-31",
                            "contract.mentor_name": "M. Maître"}, actor_email=people.advisor)
    with pytest.raises(TransitionRefused) as refused:
        advance(app, second, "sign", actor_email=people.advisor)
    assert "no free seat (1 of 1 taken)" in str(refused.value)


def test_sign_is_refused_below_the_legal_minimum_pay_with_its_source(app: App, people: People) -> None:
    case_id = open_candidate(app)
    walk(app, case_id, "sign", advisor=people.advisor, lead=people.lead)
    set_facts(app, case_id, {"contract.signature_date": "2026-08-20", "contract.end_date": "2029-08-31",
                             "contract.mentor_name": "M. Maître", "contract.gross_monthly_pay": "900.00"},
              actor_email=people.advisor)
    with pytest.raises(TransitionRefused) as refused:
        advance(app, case_id, "sign", actor_email=people.advisor)
    assert "below the year-1 minimum 989.52" in str(refused.value)  # 53 % of 1 867,02 € (SMIC from 1 June 2026)
    assert "D6222-26" in str(refused.value)


def test_an_absence_during_the_trial_moves_its_end_and_the_history_says_so(app: App, people: People) -> None:
    case_id = open_candidate(app)
    walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    before = show(app, case_id).case.contract.trial_end
    assert before is not None
    # 28 September to 2 October 2026 is a company week of the mecatronique calendar.
    event = record_absence(app, case_id, date(2026, 9, 28), date(2026, 10, 2), actor_email=people.mentor,
                           reason="arrêt maladie")
    after = show(app, case_id).case.contract.trial_end
    assert after is not None
    assert after > before
    assert event.facts["trial_end"] == f"{before.isoformat()} → {after.isoformat()}"
    assert show(app, case_id).history[-1].trigger == "record_absence"


def test_a_break_during_the_trial_then_a_new_search(app: App, people: People, clock: FixedClock) -> None:
    case_id = open_candidate(app)
    walk(app, case_id, "trial", advisor=people.advisor, lead=people.lead)
    clock.set(datetime_after(date(2026, 9, 20)))
    advance(app, case_id, "break_trial", actor_email=people.advisor, facts={"contract.ended_by": "employer"})
    assert show(app, case_id).case.state is CaseState.ENDED_IN_TRIAL
    advance(app, case_id, "resume_search", actor_email=people.advisor)
    view = show(app, case_id)
    assert view.case.state is CaseState.APPLY
    assert view.case.contract.start_date is None  # a new contract will be drafted
    assert view.case.previous_contract_end == date(2026, 9, 21)
    assert view.case.current_offer is None


def test_the_board_counts_cases_per_programme_and_state(app: App, people: People) -> None:
    for index in range(3):
        open_candidate(app, email=f"c{index}@example.org")
    walk(app, open_candidate(app, email="x@example.org"), "apply", advisor=people.advisor, lead=people.lead)
    counts = board(app).counts["mecatronique"]
    assert counts == {CaseState.REFLECT: 3, CaseState.APPLY: 1}
