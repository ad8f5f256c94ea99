"""One shared `transitions` Machine runs every case.

The machine holds no model of its own (`model=None`): a plain `Case` is passed to `Event.trigger`, the pattern
the transitions FAQ gives for many models, so nothing piles up in the machine and no ORM row ever becomes a model
(pytransitions issue 635). Guards run as the transition's condition and raise `TransitionRefused` with their
reasons; effects run after the state changed, then the move appends a `CaseEvent` to the case (one `after`
callback for both: each callback costs the machine a dispatch and a log call, at every transition).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, cast

from transitions import EventData, Machine

from contract_flow.domain import effects
from contract_flow.domain.case import RECORD_ABSENCE, RECORD_FACTS, RECORDS, Case, CaseEvent
from contract_flow.domain.context import TransitionContext
from contract_flow.domain.errors import TransitionRefused, TriggerNotAllowed
from contract_flow.domain.events import AbsenceRecorded, Event, FactsRecorded, moved
from contract_flow.domain.guards import blockers, blockers_by_rule
from contract_flow.domain.states import SPEC_BY_TRIGGER, TRANSITIONS, TRIGGERS_FROM, CaseState, Trigger


def _guard(event: EventData) -> bool:
    case = cast(Case, event.model)
    ctx: TransitionContext = event.kwargs["ctx"]
    trigger: Trigger = event.kwargs["trigger"]
    reasons = blockers(case, trigger, ctx)
    if reasons:
        raise TransitionRefused(case.id, trigger, reasons)
    return True


def _after(event: EventData) -> None:
    """The trigger's effects, then the record of the move."""
    case = cast(Case, event.model)
    kwargs = event.kwargs
    ctx: TransitionContext = kwargs["ctx"]
    trigger: Trigger = kwargs["trigger"]
    effects.apply(case, trigger, ctx)
    case.state_since = ctx.now
    assert event.transition is not None  # an `after` callback runs for a transition
    append_event(case, trigger, kwargs["source"], _STATE[str(event.transition.dest)], ctx)


def append_event(case: Case, trigger: str, from_state: CaseState, to_state: CaseState,
                 ctx: TransitionContext) -> CaseEvent:
    case.event_count += 1
    recorded = CaseEvent(
        case_id=case.id,
        seq=case.event_count,
        from_state=from_state,
        to_state=to_state,
        trigger=trigger,
        actor=ctx.actor.email,
        reason=ctx.reason,
        at=ctx.now,
        facts=dict(ctx.facts),
    )
    case.new_events.append(recorded)
    if case.id is not None:  # a case not saved yet records `CaseOpened` when it is
        case.events.append(_event_of(case.id, trigger, from_state, to_state))
    return recorded


def _event_of(case_id: int, trigger: str, from_state: CaseState, to_state: CaseState) -> Event:
    if trigger == RECORD_ABSENCE:
        return AbsenceRecorded(case_id)
    if trigger in RECORDS:
        return FactsRecorded(case_id)
    return moved(case_id, trigger, from_state, to_state)


def record_facts(case: Case, ctx: TransitionContext) -> CaseEvent:
    """History keeps who recorded which facts when, without a move."""
    state = CaseState(case.state)
    return append_event(case, RECORD_FACTS, state, state, ctx)


def _build_machine() -> Machine:
    table: list[dict[str, Any]] = [
        {
            "trigger": spec.trigger.value,
            "source": [state.value for state in spec.sources],
            "dest": spec.dest.value,
            "conditions": [_guard],
            "after": [_after],
        }
        for spec in TRANSITIONS
    ]
    return Machine(
        model=None,
        states=[state.value for state in CaseState],
        transitions=table,
        initial=None,
        auto_transitions=False,
        send_event=True,
        # Conditions raise rather than return False, so a refusal always carries its reasons.
        ignore_invalid_triggers=False,
    )


MACHINE = _build_machine()
_STATE: dict[str, CaseState] = {state.value: state for state in CaseState}


def allowed_triggers(state: CaseState) -> tuple[Trigger, ...]:
    """The triggers that leave `state`, guards aside."""
    return TRIGGERS_FROM[state]


def fire(case: Case, trigger: Trigger | str, ctx: TransitionContext) -> CaseEvent:
    """Move `case` by `trigger`, or raise why not; returns the event recorded on the case."""
    name = trigger if type(trigger) is Trigger else Trigger(trigger)
    state = _STATE.get(case.state) or CaseState(case.state)
    if name not in TRIGGERS_FROM[state]:
        raise TriggerNotAllowed(case.id, name, state, TRIGGERS_FROM[state])
    # The machine stores plain strings; the domain keeps the Enum.
    case.state = state.value  # type: ignore[assignment]
    try:
        MACHINE.events[name.value].trigger(case, ctx=ctx, trigger=name, source=state)
    finally:
        case.state = _STATE[case.state]
    return case.new_events[-1]


def check(case: Case, ctx: TransitionContext) -> dict[Trigger, list[str]]:
    """For each trigger leaving the current state, what blocks it (empty list: it may fire now)."""
    return {trigger: blockers(case, trigger, ctx) for trigger in TRIGGERS_FROM[CaseState(case.state)]}


def check_by_rule(case: Case, ctx: TransitionContext) -> dict[Trigger, list[tuple[str, list[str]]]]:
    """`check`, with each reason under the name of the rule that gave it (see guards.blockers_by_rule)."""
    return {trigger: blockers_by_rule(case, trigger, ctx) for trigger in TRIGGERS_FROM[CaseState(case.state)]}


#: Moves of the chart as it was when the history was written: until `signed` existed, `sign` led to the trial.
_FORMER_MOVES = frozenset({(Trigger.SIGN.value, CaseState.SIGN, CaseState.TRIAL)})


def replay(events: Iterable[CaseEvent], initial: CaseState = CaseState.REFLECT) -> CaseState:
    """The state a history leads to, checking each event follows the chart from the one before (or the chart
    of its time: a contract signed before `signed` existed went straight to its trial)."""
    state = initial
    for event in events:
        if event.trigger in RECORDS and event.from_state == event.to_state == state:
            continue
        if (event.trigger, event.from_state, event.to_state) in _FORMER_MOVES and event.from_state == state:
            state = event.to_state
            continue
        if event.from_state != state or event.trigger not in TRIGGERS_FROM[state]:
            raise ValueError(f"event {event.seq} ({event.trigger} from {event.from_state}) does not follow {state}")
        expected = SPEC_BY_TRIGGER[Trigger(event.trigger)].dest
        if event.to_state != expected:
            raise ValueError(f"event {event.seq}: {event.trigger} leads to {expected}, not {event.to_state}")
        state = event.to_state
    return state

