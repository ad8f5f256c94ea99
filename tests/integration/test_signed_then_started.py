"""Signed, then started (issue 14, item 5), on SQLite and PostgreSQL: a contract signed months before its start waits
in `signed` (the board says so, it holds its seat, its OPCO and hiring-aid reminders run, not its trial's); the
engine's `contract_start` row moves it into its trial as its first day begins; a contract signed on or after its
start goes straight to its trial; before its start it can be cancelled by agreement and the search resumes."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, date, datetime, time, timedelta

import pytest

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.smtp import SmtpMailer
from contract_flow.bootstrap import App
from contract_flow.domain.context import PARIS
from contract_flow.domain.errors import TransitionRefused
from contract_flow.domain.states import CaseState
from contract_flow.services.cases import advance, set_facts, show
from contract_flow.services.directory import add_programme
from contract_flow.services.queries import board, list_cases
from contract_flow.services.reminders import ledger, run_once
from contract_flow.services.risk import at_risk
from tests.conftest import People
from tests.support.calendars import OTHER_CFA
from tests.support.cases import open_candidate, walk
from tests.support.smtp_sink import SmtpSink

START = date(2026, 9, 1)  # PATH's contract start (tests/support/cases.py), a Tuesday
SIGNED_ON = date(2026, 6, 1)  # three months before


@pytest.fixture
def sink(app: App) -> Iterator[SmtpSink]:
    with SmtpSink() as running:
        app.mailer = SmtpMailer("127.0.0.1", running.port)
        yield running


def paris(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=PARIS).astimezone(UTC)


def rows(app: App, case_id: int, **match: str) -> list:  # type: ignore[type-arg]
    return [r for r in ledger(app, case_id) if all(getattr(r, k) == v for k, v in match.items())]


def signed_months_ahead(app: App, people: People, clock: FixedClock, **candidate: str) -> int:
    clock.set(paris(SIGNED_ON))
    case_id = open_candidate(app, **candidate)
    set_facts(app, case_id, {"advisor": people.advisor}, actor_email=people.advisor)
    walk(app, case_id, "signed", advisor=people.advisor, lead=people.lead, signed_on=SIGNED_ON)
    return case_id


def test_a_contract_signed_three_months_ahead_waits_in_signed_and_the_board_counts_it_so(
        app: App, people: People, clock: FixedClock) -> None:
    case_id = signed_months_ahead(app, people, clock)

    view = show(app, case_id)
    assert view.case.state is CaseState.SIGNED
    terms = view.case.contract
    assert (terms.signed, terms.signature_date, terms.signature_place) == (True, SIGNED_ON, "Alès")
    assert terms.trial_end is not None  # fixed at signature, from the start and the school periods
    assert [e.trigger for e in view.history if e.from_state != e.to_state][-1] == "sign"
    assert board(app).counts["mecatronique"] == {CaseState.SIGNED: 1}
    assert [c.id for c in list_cases(app, state="signed")] == [case_id]
    assert list_cases(app, state="trial") == []
    assert view.blocked["start_contract"] == [
        "the contract starts on 2026-09-01: its trial begins that day (L6222-18)"]


def test_while_signed_the_contract_s_own_reminders_run_and_the_trial_s_wait_for_its_start(
        app: App, people: People, clock: FixedClock) -> None:
    case_id = signed_months_ahead(app, people, clock)
    planned = rows(app, case_id, status="planned")
    kinds = {r.kind for r in planned}
    # D6224-1: the OPCO filing, 5 working days after the start (reminded 3 days after it); the hiring aid, lost
    # unless filed within 6 months of the signature; the medical visit within 2 months of the hiring (R6222-40-1).
    assert {"opco_filing", "hiring_aid_filing", "medical_visit", "contract_start"} <= kinds
    assert not kinds & {"trial_ending", "trial_pass", "participation_invoice", "review_unplanned"}
    assert show(app, case_id).case.contract.hiring_aid_filing_due == date(2026, 12, 1)
    [engine] = rows(app, case_id, kind="contract_start")
    assert (engine.channel, engine.due_at) == ("engine", paris(START, 0, 5))
    opco = {(r.recipient_role, r.due_at.astimezone(PARIS).date()) for r in planned if r.kind == "opco_filing"}
    assert opco == {("employer", date(2026, 9, 4)), ("advisor", date(2026, 9, 4))}


def test_a_contract_signed_not_started_is_at_risk_when_its_opco_filing_is_near(
        app: App, people: People, clock: FixedClock) -> None:
    """D6224-1: the filing is due 5 working days after the start, whether the engine started the contract yet."""
    case_id = signed_months_ahead(app, people, clock)
    assert at_risk(app, None, now=paris(date(2026, 8, 20))) == []  # the filing due on 7 September: 18 days ahead
    [risk] = at_risk(app, None, now=paris(date(2026, 8, 25)))
    assert (risk.case_id, risk.state, risk.kind, risk.due) == (case_id, "signed", "deadline", date(2026, 9, 7))
    assert risk.detail == "OPCO filing due (D6224-1)"


def test_the_engine_starts_the_contract_on_its_first_day_then_the_trial_runs_to_its_end(
        app: App, people: People, clock: FixedClock, sink: SmtpSink) -> None:
    case_id = signed_months_ahead(app, people, clock)
    trial_end = show(app, case_id).case.contract.trial_end
    assert trial_end is not None
    [engine] = rows(app, case_id, kind="contract_start")

    _, report = run_once(app, paris(START - timedelta(days=1), 23, 50))
    assert engine.id not in report.sent
    assert show(app, case_id).case.state is CaseState.SIGNED

    _, report = run_once(app, paris(START, 0, 10))
    assert engine.id in report.sent
    view = show(app, case_id)
    assert view.case.state is CaseState.TRIAL
    assert view.case.state_since == paris(START, 0, 10)
    started = view.history[-1]
    assert (started.trigger, started.from_state, started.to_state, started.actor) == (
        "start_contract", CaseState.SIGNED, CaseState.TRIAL, "system")
    assert view.case.contract.trial_end == trial_end  # the trial counts from the start, as signed
    assert board(app).counts["mecatronique"] == {CaseState.TRIAL: 1}
    assert rows(app, case_id, key=engine.key)[0].status == "sent"
    # Now the trial's own rows: its end announced, the engine's move the day after it.
    [passing] = rows(app, case_id, kind="trial_pass", status="planned")
    assert passing.due_at == paris(trial_end + timedelta(days=1), 0, 5)
    assert {r.recipient_role for r in rows(app, case_id, kind="trial_ending", status="planned")} >= {
        "apprentice", "advisor"}
    # The OPCO reminders planned at signature are the same rows, still planned: nothing sent twice.
    assert len(rows(app, case_id, kind="opco_filing", status="planned")) == 4  # employer, advisor; email, app

    _, report = run_once(app, paris(trial_end + timedelta(days=1), 1))
    assert passing.id in report.sent
    assert show(app, case_id).case.state is CaseState.ACTIVE


def test_a_contract_signed_on_or_after_its_start_goes_straight_to_its_trial(
        app: App, people: People, clock: FixedClock) -> None:
    clock.set(paris(date(2026, 9, 3)))
    case_id = open_candidate(app)
    walk(app, case_id, "signed", advisor=people.advisor, lead=people.lead, signed_on=date(2026, 9, 3))

    view = show(app, case_id)
    assert view.case.state is CaseState.TRIAL
    signed, started = [e for e in view.history if e.from_state != e.to_state][-2:]
    assert (signed.trigger, signed.to_state, signed.actor) == ("sign", CaseState.SIGNED, people.advisor)
    assert (started.trigger, started.to_state, started.actor) == ("start_contract", CaseState.TRIAL, "system")
    assert started.at == signed.at == clock.now()
    assert rows(app, case_id, kind="contract_start") == []  # never left waiting for an engine row
    assert rows(app, case_id, kind="trial_pass", status="planned")
    assert board(app).counts["mecatronique"] == {CaseState.TRIAL: 1}


def test_before_its_start_a_contract_is_cancelled_by_agreement_and_the_search_resumes(
        app: App, people: People, clock: FixedClock) -> None:
    case_id = signed_months_ahead(app, people, clock)
    clock.set(paris(date(2026, 7, 15)))
    with pytest.raises(TransitionRefused) as refused:
        advance(app, case_id, "cancel_before_start", actor_email=people.advisor)
    assert list(refused.value.reasons) == [
        "needs the party who asks to cancel the contract before its start (fact "
        "contract.ended_by=apprentice|employer)",
        "needs why the parties cancel the contract before its start (fact contract.cancellation_reason)"]
    assert show(app, case_id).case.state is CaseState.SIGNED

    advance(app, case_id, "cancel_before_start", actor_email=people.advisor,
            facts={"contract.ended_by": "employer", "contract.cancellation_reason": "the workshop closes"})
    view = show(app, case_id)
    assert view.case.state is CaseState.CANCELLED
    terms = view.case.contract
    assert (terms.ended_on, terms.ended_by, terms.cancellation_reason) == (
        date(2026, 7, 15), "employer", "the workshop closes")
    assert board(app).counts["mecatronique"] == {CaseState.CANCELLED: 1}
    assert {r.status for r in rows(app, case_id, kind="contract_start")} == {"cancelled"}
    assert {r.status for r in rows(app, case_id, kind="opco_filing")} == {"cancelled"}
    assert rows(app, case_id, kind="break_advisor", status="planned")  # L6222-18-2: 6 months to find another

    advance(app, case_id, "resume_search", actor_email=people.advisor)
    view = show(app, case_id)
    assert view.case.state is CaseState.APPLY
    assert view.case.previous_contract_end == date(2026, 7, 15)
    assert not view.case.contract.signed


def test_a_contract_signed_holds_its_seat_before_it_starts_and_frees_it_when_cancelled(
        app: App, people: People, clock: FixedClock) -> None:
    add_programme(app, "petit", name="Petit programme", start_date=START, years=3, seats=1, calendar=OTHER_CFA,
                  cfa_code="imt-mines-ales")
    first = signed_months_ahead(app, people, clock, programme="petit")
    second = open_candidate(app, programme="petit", first_name="Hugo", email="hugo@example.org")
    with pytest.raises(TransitionRefused, match=r"no free seat \(1 of 1 taken\)"):
        walk(app, second, "signed", advisor=people.advisor, lead=people.lead, signed_on=SIGNED_ON)
    advance(app, first, "cancel_before_start", actor_email=people.advisor,
            facts={"contract.ended_by": "apprentice", "contract.cancellation_reason": "une autre école"})
    advance(app, second, "sign", actor_email=people.advisor)
    assert show(app, second).case.state is CaseState.SIGNED
