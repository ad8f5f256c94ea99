"""The state chart as the engine runs it: every move of TRANSITIONS, and only those, with one event each."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta

import pytest

from contract_flow.domain import facts, machine
from contract_flow.domain.case import RECORD_ABSENCE, RECORD_FACTS, Case, CaseEvent
from contract_flow.domain.errors import TriggerNotAllowed
from contract_flow.domain.states import (
    FINAL_STATES,
    SEARCH_STEPS,
    SPEC_BY_TRIGGER,
    TRANSITIONS,
    TRIGGERS_FROM,
    CaseState,
    Trigger,
    step_number,
)
from tests.unit.domain.conftest import (
    ADVISOR,
    CONTRACT_FACTS,
    LEAD,
    NOW,
    OFFER_FACTS,
    PROJECT_FACTS,
    SYSTEM,
    TODAY,
    at,
    context,
    legal_rules,
    make_case,
    ready,
    snapshot,
)

S = CaseState
T = Trigger

MOVES = [pytest.param(spec.trigger, source, spec.dest, id=f"{source}-{spec.trigger}-{spec.dest}")
         for spec in TRANSITIONS for source in spec.sources]
NOT_ALLOWED = [pytest.param(state, trigger, id=f"{state}-{trigger}")
               for state in CaseState for trigger in Trigger if trigger not in TRIGGERS_FROM[state]]


@pytest.mark.parametrize(("trigger", "source", "dest"), MOVES)
def test_every_transition_fires_from_each_of_its_sources_to_its_dest_when_its_guards_pass(
    trigger: Trigger, source: CaseState, dest: CaseState,
) -> None:
    case, ctx = ready(trigger, source)

    event = machine.fire(case, trigger, ctx)

    assert case.state is dest
    assert (event.from_state, event.to_state, event.trigger) == (source, dest, trigger)
    assert case.state_since == ctx.now


@pytest.mark.parametrize(("state", "trigger"), NOT_ALLOWED)
def test_a_trigger_not_leaving_the_state_is_not_allowed_lists_the_allowed_ones_and_changes_nothing(
    state: CaseState, trigger: Trigger,
) -> None:
    case, ctx = ready(trigger, SPEC_BY_TRIGGER[trigger].sources[0])
    case.state = state
    before = snapshot(case)

    with pytest.raises(TriggerNotAllowed) as refused:
        machine.fire(case, trigger, ctx)

    assert refused.value.allowed == TRIGGERS_FROM[state]
    assert (refused.value.case_id, refused.value.trigger, refused.value.state) == (7, trigger, state)
    for allowed in TRIGGERS_FROM[state]:
        assert allowed in str(refused.value)
    assert snapshot(case) == before
    assert case.state is state
    assert (case.version, case.event_count, case.new_events) == (0, 0, [])


@pytest.mark.parametrize("state", sorted(FINAL_STATES))
def test_no_move_leaves_a_final_state_except_resume_search_after_a_break_or_a_cancellation(
        state: CaseState) -> None:
    expected = (T.RESUME_SEARCH,) if state in (S.CANCELLED, S.ENDED_IN_TRIAL, S.TERMINATED) else ()
    assert TRIGGERS_FROM[state] == expected
    assert machine.allowed_triggers(state) == expected


@pytest.mark.parametrize("state", [S.COMPLETED, S.WITHDRAWN, S.NO_CONTRACT])
def test_a_trigger_in_a_dead_end_state_says_nothing_is_allowed(state: CaseState) -> None:
    case = make_case(state)
    with pytest.raises(TriggerNotAllowed, match=r"allowed now: none \(final state\)"):
        machine.fire(case, T.WITHDRAW, context())


def test_every_state_but_the_dead_ends_has_a_way_out_and_every_state_is_reachable_from_reflect() -> None:
    reached, frontier = {S.REFLECT}, [S.REFLECT]
    while frontier:
        state = frontier.pop()
        for trigger in TRIGGERS_FROM[state]:
            dest = SPEC_BY_TRIGGER[trigger].dest
            if dest not in reached:
                reached.add(dest)
                frontier.append(dest)
    assert reached == set(CaseState)
    assert {s for s in CaseState if not TRIGGERS_FROM[s]} == {S.COMPLETED, S.WITHDRAWN, S.NO_CONTRACT}


def test_a_move_appends_one_event_with_from_to_trigger_actor_reason_facts_and_the_next_seq() -> None:
    case = make_case(S.APPLY, {"application.company": "Industrie SA"}, event_count=4)
    ctx = context(ADVISOR, reason="the company called back", facts_={"application.company": "Industrie SA"})

    event = machine.fire(case, T.SHORTLIST, ctx)

    assert case.new_events == [event]
    assert event == CaseEvent(
        case_id=7, seq=5, from_state=S.APPLY, to_state=S.CONVINCE, trigger="shortlist",
        actor=ADVISOR.email, reason="the company called back", at=NOW,
        facts={"application.company": "Industrie SA"},
    )
    assert case.event_count == 5


def test_the_event_keeps_its_own_copy_of_the_facts_given_with_the_trigger() -> None:
    given = {"project.target_job": "mechatronics engineer"}
    case, ctx = ready(T.START_APPLYING, S.REFLECT)
    event = machine.fire(case, T.START_APPLYING, dataclasses.replace(ctx, facts=given))
    given["project.target_job"] = "changed afterwards"
    assert event.facts == {"project.target_job": "mechatronics engineer"}


def test_fire_takes_the_trigger_by_name_as_typed_on_a_command_line() -> None:
    case, ctx = ready(T.WITHDRAW, S.DECIDE)
    machine.fire(case, "withdraw", ctx)
    assert case.state is S.WITHDRAWN


def test_fire_refuses_a_name_that_is_no_trigger() -> None:
    with pytest.raises(ValueError, match="promote"):
        machine.fire(make_case(), "promote", context())


def test_recorded_facts_append_an_event_without_moving() -> None:
    case = make_case(S.APPLY)
    event = machine.record_facts(case, context(facts_={"application.company": "Industrie SA"}))
    assert (event.from_state, event.to_state, event.trigger, event.seq) == (S.APPLY, S.APPLY, RECORD_FACTS, 1)
    assert case.state is S.APPLY
    assert case.new_events == [event]


def _record(case: Case, pairs: dict[str, str]) -> None:
    """What `case set` does: parse, apply, and log the facts on the case's history."""
    facts.apply_facts(case, facts.parse_pairs(pairs), TODAY)
    machine.record_facts(case, context(facts_=pairs))


def test_a_whole_case_from_reflection_to_completion_replays_to_its_state() -> None:
    """The happy path of the brochure, with the legal rules on signature; replay of the history ends where it is."""
    case = make_case()
    _record(case, PROJECT_FACTS)
    machine.fire(case, T.START_APPLYING, context())
    _record(case, {"application.company": "Industrie SA"})
    machine.fire(case, T.SHORTLIST, context())
    _record(case, {"offer.company": "Industrie SA", "offer.siret": OFFER_FACTS["offer.siret"]})
    machine.fire(case, T.RECEIVE_OFFER, context())
    _record(case, OFFER_FACTS)
    machine.fire(case, T.CHOOSE, context())
    machine.fire(case, T.VALIDATE, context(LEAD))
    _record(case, CONTRACT_FACTS)
    machine.fire(case, T.SIGN, context(rules=legal_rules()))
    assert case.state is S.SIGNED
    assert case.contract.trial_end is not None
    machine.fire(case, T.START_CONTRACT, context(SYSTEM, now=at(date(2026, 9, 1))))
    machine.fire(case, T.PASS_TRIAL, context(now=at(case.contract.trial_end + timedelta(days=1))))
    machine.fire(case, T.COMPLETE, context(now=at(date(2029, 8, 31))))

    assert case.state is S.COMPLETED
    assert machine.replay(case.new_events) is S.COMPLETED
    assert [e.seq for e in case.new_events] == list(range(1, len(case.new_events) + 1))
    assert [e.trigger for e in case.new_events if e.trigger != RECORD_FACTS] == [
        "start_applying", "shortlist", "receive_offer", "choose", "validate", "sign", "start_contract", "pass_trial",
        "complete"]


def _event(seq: int, trigger: str, from_state: CaseState, to_state: CaseState) -> CaseEvent:
    return CaseEvent(case_id=7, seq=seq, from_state=from_state, to_state=to_state, trigger=trigger,
                     actor="x@cfa.example", reason=None, at=NOW, facts={})


def test_replay_follows_a_break_and_a_new_search() -> None:
    history = [
        _event(1, "start_applying", S.REFLECT, S.APPLY),
        _event(2, "shortlist", S.APPLY, S.CONVINCE),
        _event(3, "receive_offer", S.CONVINCE, S.POSITION),
        _event(4, "choose", S.POSITION, S.DECIDE),
        _event(5, "validate", S.DECIDE, S.SIGN),
        _event(6, "sign", S.SIGN, S.SIGNED),
        _event(7, "start_contract", S.SIGNED, S.TRIAL),
        _event(8, "break_trial", S.TRIAL, S.ENDED_IN_TRIAL),
        _event(9, "resume_search", S.ENDED_IN_TRIAL, S.APPLY),
        _event(10, "lapse", S.APPLY, S.NO_CONTRACT),
    ]
    assert machine.replay(history) is S.NO_CONTRACT
    assert machine.replay(history[:9]) is S.APPLY
    assert machine.replay([]) is S.REFLECT


def test_replay_follows_a_cancellation_before_the_start_and_a_new_search() -> None:
    history = [
        _event(1, "sign", S.SIGN, S.SIGNED),
        _event(2, "cancel_before_start", S.SIGNED, S.CANCELLED),
        _event(3, "resume_search", S.CANCELLED, S.APPLY),
    ]
    assert machine.replay(history, initial=S.SIGN) is S.APPLY


def test_replay_reads_a_history_signed_before_the_signed_state_existed() -> None:
    """Until issue 14, `sign` led straight to the trial: such histories still replay to where they are."""
    history = [_event(1, "sign", S.SIGN, S.TRIAL), _event(2, "pass_trial", S.TRIAL, S.ACTIVE)]
    assert machine.replay(history, initial=S.SIGN) is S.ACTIVE
    with pytest.raises(ValueError, match="event 1"):
        machine.replay([_event(1, "sign", S.SIGN, S.ACTIVE)], initial=S.SIGN)


def test_replay_skips_recorded_facts_and_absences() -> None:
    history = [
        _event(1, RECORD_FACTS, S.REFLECT, S.REFLECT),
        _event(2, "start_applying", S.REFLECT, S.APPLY),
        _event(3, RECORD_FACTS, S.APPLY, S.APPLY),
        _event(4, RECORD_ABSENCE, S.APPLY, S.APPLY),
    ]
    assert machine.replay(history) is S.APPLY


def test_replay_refuses_an_event_that_does_not_start_where_the_history_is() -> None:
    history = [_event(1, "start_applying", S.REFLECT, S.APPLY), _event(2, "receive_offer", S.CONVINCE, S.POSITION)]
    with pytest.raises(ValueError, match=r"event 2 \(receive_offer from convince\) does not follow apply"):
        machine.replay(history)


def test_replay_refuses_a_trigger_that_does_not_leave_the_state() -> None:
    with pytest.raises(ValueError, match="event 1"):
        machine.replay([_event(1, "sign", S.REFLECT, S.TRIAL)])


def test_replay_refuses_recorded_facts_in_another_state_than_the_history_s() -> None:
    with pytest.raises(ValueError, match="event 1"):
        machine.replay([_event(1, RECORD_FACTS, S.APPLY, S.APPLY)])


def test_replay_refuses_an_event_landing_elsewhere_than_its_trigger_s_dest() -> None:
    with pytest.raises(ValueError, match="event 1"):
        machine.replay([_event(1, "start_applying", S.REFLECT, S.COMPLETED)])


def test_replay_starts_from_the_given_initial_state() -> None:
    assert machine.replay([_event(1, "pass_trial", S.TRIAL, S.ACTIVE)], initial=S.TRIAL) is S.ACTIVE


@pytest.mark.parametrize(("state", "step"), [(state, n) for n, state in enumerate(SEARCH_STEPS, start=1)])
def test_the_search_states_are_the_brochure_s_six_steps_in_order(state: CaseState, step: int) -> None:
    assert step_number(state) == step


@pytest.mark.parametrize("state", [s for s in CaseState if s not in SEARCH_STEPS])
def test_a_case_past_the_search_has_no_step_number(state: CaseState) -> None:
    assert step_number(state) is None


def test_check_lists_for_each_trigger_leaving_the_state_what_blocks_it() -> None:
    case = make_case(S.REFLECT, {"project.target_job": "mechatronics engineer"})
    found = machine.check(case, context(now=at(date(2026, 12, 1))))
    assert set(found) == set(TRIGGERS_FROM[S.REFLECT])
    assert found[T.WITHDRAW] == []
    assert found[T.LAPSE] == []
    assert len(found[T.START_APPLYING]) == 1
    assert "project.mobility_area" in found[T.START_APPLYING][0]
    assert "project.target_job" not in found[T.START_APPLYING][0]


def test_the_machine_keeps_no_case_between_calls() -> None:
    """The shared Machine runs cases passed to it; it never holds on to them (pytransitions issue 635)."""
    case, ctx = ready(T.WITHDRAW, S.APPLY)
    machine.fire(case, T.WITHDRAW, ctx)
    assert case not in machine.MACHINE.models
