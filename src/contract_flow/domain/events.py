"""What happened, as the domain records it, and what the engine asks of itself.

Use cases do not call each other: a use case changes a case, the case records what happened (an event), and the
unit of work hands each event to the handlers that react to it inside the same transaction (re-plan the case's
reminders, cancel the reviews a break leaves), before its commit; side effects outside the database (enqueueing
a send) run after the commit. A command is a request the engine makes of itself (the trial passed: move the case),
sent through the same bus and handled by exactly one use case.

Events are named in the past tense, commands in the imperative (cosmicpython's `domain/events.py`, `commands.py`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from contract_flow.domain.case import Track
from contract_flow.domain.reasons import Reason
from contract_flow.domain.states import CaseState, Trigger


@dataclass(frozen=True)
class Event:
    """Something that happened."""


@dataclass(frozen=True)
class CaseChanged(Event):
    """Something changed on case `case_id` that what it needs next (its reminders) may depend on."""

    case_id: int


@dataclass(frozen=True)
class CaseOpened(CaseChanged):
    """A candidate declared admissible starts at step 1."""


@dataclass(frozen=True)
class FactsRecorded(CaseChanged):
    """Facts were recorded on the case without a move (a history entry `record_facts`)."""


@dataclass(frozen=True)
class AbsenceRecorded(CaseChanged):
    """Days away from the company were recorded (they may move the trial's end)."""


@dataclass(frozen=True)
class ReviewsChanged(CaseChanged):
    """One of the case's tripartite reviews was planned, logged, missed, rescheduled, cancelled or acknowledged."""


@dataclass(frozen=True)
class CaseMoved(CaseChanged):
    """The case moved along the chart."""

    trigger: str
    from_state: CaseState
    to_state: CaseState


@dataclass(frozen=True)
class ContractSigned(CaseMoved):
    """The contract was signed: it waits for its start date, unless that day has already come."""


@dataclass(frozen=True)
class ContractBroken(CaseMoved):
    """The contract was broken (during the trial, or after it on a legal ground) or cancelled before its start:
    what was still to come of it (the reviews planned) no longer happens."""


@dataclass(frozen=True)
class TrialPassed(CaseMoved):
    """The 45 company days of trial have passed: the contract is active."""


#: The moves that end a contract before its term (L6222-18), and its cancellation before the start.
BREAKS = frozenset({Trigger.CANCEL_BEFORE_START, Trigger.BREAK_TRIAL, Trigger.TERMINATE})


def moved(case_id: int, trigger: str, from_state: CaseState, to_state: CaseState) -> CaseMoved:
    """The event of a move: the signature, a break and the trial's end are events of their own kind."""
    if trigger in BREAKS:
        return ContractBroken(case_id, trigger, from_state, to_state)
    if trigger == Trigger.SIGN:
        return ContractSigned(case_id, trigger, from_state, to_state)
    if trigger == Trigger.PASS_TRIAL:
        return TrialPassed(case_id, trigger, from_state, to_state)
    return CaseMoved(case_id, trigger, from_state, to_state)


@dataclass(frozen=True)
class Command:
    """Something the engine asks of itself, handled by exactly one use case."""


@dataclass(frozen=True)
class OpenCase(Command):
    """Open a case for a candidate declared admissible to a programme (one per row of an import)."""

    programme_code: str
    first_name: str
    last_name: str
    birth_date: date
    email: str
    track: Track = Track.STANDARD
    advisor_email: str | None = None


#: The reasons the engine writes in a case's history when it moves the case itself: stored as their English (the
#: history's column is text), read back as reasons (`recorded_reason`) so that each reader sees them in their language.
TRIAL_BEGINS = Reason("engine_trial_begins")
TRIAL_PASSED = Reason("engine_trial_passed")
_ENGINE_REASONS: dict[str, Reason] = {str(reason): reason for reason in (TRIAL_BEGINS, TRIAL_PASSED)}


def recorded_reason(text: str | None) -> str | None:
    """A history entry's reason as stored: the engine's own as a reason, a person's as they wrote it."""
    return _ENGINE_REASONS.get(text, text) if text is not None else None


@dataclass(frozen=True)
class StartContract(Command):
    """The contract's start date has come (the reminder ledger's engine row, or a signature on or after that
    day): move the signed case into its trial."""

    case_id: int
    at: datetime
    reason: str = TRIAL_BEGINS


@dataclass(frozen=True)
class PassTrial(Command):
    """The trial's last day has ended (the reminder ledger's engine row): move the case to `active`."""

    case_id: int
    at: datetime
    reason: str = TRIAL_PASSED
