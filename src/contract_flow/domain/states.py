"""The state chart of a case, defined once as data.

Search phase, the brochure's six steps ("Les étapes du contrat d'apprentissage"):
reflect -> apply -> convince -> position -> decide -> sign. Contract phase: sign -> signed -> trial -> active ->
completed: a signed contract waits in `signed` until its start date, when the engine moves it into its trial.
Exits: withdrawn, cancelled (before the start), ended_in_trial, terminated, no_contract. Everything else (the
transitions Machine, the guards, the Mermaid diagram, the CLI's list of triggers) is derived from the tables below.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class CaseState(StrEnum):
    REFLECT = "reflect"
    APPLY = "apply"
    CONVINCE = "convince"
    POSITION = "position"
    DECIDE = "decide"
    SIGN = "sign"
    SIGNED = "signed"
    TRIAL = "trial"
    ACTIVE = "active"
    COMPLETED = "completed"
    WITHDRAWN = "withdrawn"
    CANCELLED = "cancelled"
    ENDED_IN_TRIAL = "ended_in_trial"
    TERMINATED = "terminated"
    NO_CONTRACT = "no_contract"


class Trigger(StrEnum):
    START_APPLYING = "start_applying"
    SHORTLIST = "shortlist"
    RECEIVE_OFFER = "receive_offer"
    CHOOSE = "choose"
    VALIDATE = "validate"
    SIGN = "sign"
    START_CONTRACT = "start_contract"
    PASS_TRIAL = "pass_trial"
    COMPLETE = "complete"
    WITHDRAW = "withdraw"
    REJECT = "reject"
    DECLINE = "decline"
    REFUSE = "refuse"
    CANCEL_BEFORE_START = "cancel_before_start"
    BREAK_TRIAL = "break_trial"
    TERMINATE = "terminate"
    LAPSE = "lapse"
    RESUME_SEARCH = "resume_search"


S = CaseState

#: The brochure's six steps, in order; a case's "step n of 6" is its index here plus one.
SEARCH_STEPS: tuple[CaseState, ...] = (S.REFLECT, S.APPLY, S.CONVINCE, S.POSITION, S.DECIDE, S.SIGN)
CONTRACT_STATES: tuple[CaseState, ...] = (S.SIGNED, S.TRIAL, S.ACTIVE)
#: The contract's ends that let the search resume (L6222-18-2): a cancellation before the start, the two breaks.
ENDED_CONTRACT_STATES: tuple[CaseState, ...] = (S.CANCELLED, S.ENDED_IN_TRIAL, S.TERMINATED)
#: States a case only leaves through `resume_search` (and only an ended contract allows that).
FINAL_STATES: frozenset[CaseState] = frozenset({S.COMPLETED, S.WITHDRAWN, *ENDED_CONTRACT_STATES, S.NO_CONTRACT})
#: Cases in these states hold one of the programme's seats: a contract signed holds it before it starts.
SEAT_HOLDING_STATES: tuple[CaseState, ...] = CONTRACT_STATES


@dataclass(frozen=True)
class TransitionSpec:
    trigger: Trigger
    sources: tuple[CaseState, ...]
    dest: CaseState
    description: str


T = Trigger
TRANSITIONS: tuple[TransitionSpec, ...] = (
    TransitionSpec(T.START_APPLYING, (S.REFLECT,), S.APPLY, "the professional project is set; applications start"),
    TransitionSpec(T.SHORTLIST, (S.APPLY,), S.CONVINCE, "a company takes the application into its selection"),
    TransitionSpec(T.RECEIVE_OFFER, (S.CONVINCE,), S.POSITION, "a company makes an offer"),
    TransitionSpec(T.CHOOSE, (S.POSITION,), S.DECIDE, "the candidate chooses the offer and its terms"),
    TransitionSpec(T.VALIDATE, (S.DECIDE,), S.SIGN, "the programme lead validates the job project"),
    TransitionSpec(T.SIGN, (S.SIGN,), S.SIGNED, "the contract is signed (date and place); it waits for its start"),
    TransitionSpec(T.START_CONTRACT, (S.SIGNED,), S.TRIAL,
                   "the contract's start date has come (the engine): the trial period starts"),
    TransitionSpec(T.PASS_TRIAL, (S.TRIAL,), S.ACTIVE, "the 45 company days of trial have passed"),
    TransitionSpec(T.COMPLETE, (S.ACTIVE,), S.COMPLETED, "the contract reached its end date"),
    TransitionSpec(T.WITHDRAW, SEARCH_STEPS, S.WITHDRAWN, "the candidate leaves the programme"),
    TransitionSpec(T.REJECT, (S.CONVINCE,), S.APPLY, "the company's selection ends without an offer"),
    TransitionSpec(T.DECLINE, (S.POSITION,), S.APPLY, "the candidate declines the offer"),
    TransitionSpec(T.REFUSE, (S.DECIDE,), S.POSITION, "the programme lead sends the job project back"),
    TransitionSpec(T.CANCEL_BEFORE_START, (S.SIGNED,), S.CANCELLED,
                   "the contract is cancelled by agreement before its start"),
    TransitionSpec(T.BREAK_TRIAL, (S.TRIAL,), S.ENDED_IN_TRIAL, "either party ends the contract during the trial"),
    TransitionSpec(T.TERMINATE, (S.ACTIVE,), S.TERMINATED, "the contract is broken after the trial on a legal ground"),
    TransitionSpec(T.LAPSE, (S.REFLECT, S.APPLY, S.CONVINCE), S.NO_CONTRACT, "the search window ended"),
    TransitionSpec(T.RESUME_SEARCH, ENDED_CONTRACT_STATES, S.APPLY,
                   "after a break or a cancellation, the search resumes"),
)

SPEC_BY_TRIGGER: dict[Trigger, TransitionSpec] = {spec.trigger: spec for spec in TRANSITIONS}
TRIGGERS_FROM: dict[CaseState, tuple[Trigger, ...]] = {
    state: tuple(spec.trigger for spec in TRANSITIONS if state in spec.sources) for state in CaseState
}


def step_number(state: CaseState) -> int | None:
    """The brochure step (1 to 6) a case in the search phase is at, None once the search is over."""
    return SEARCH_STEPS.index(state) + 1 if state in SEARCH_STEPS else None
