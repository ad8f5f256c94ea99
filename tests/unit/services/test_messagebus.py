"""The message bus on fakes: handlers run most specific first, in the unit of work that raised the events, and a
command reaches its one handler (no database: a fake unit of work collects what the use case recorded)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import pytest

from contract_flow.domain.events import (
    CaseChanged,
    CaseMoved,
    ContractBroken,
    ContractSigned,
    Event,
    FactsRecorded,
    PassTrial,
    moved,
)
from contract_flow.domain.states import CaseState, Trigger
from contract_flow.services.messagebus import MessageBus


@dataclass
class FakeUnitOfWork:
    """What the bus uses of a unit of work: the events waiting, and what the handlers did."""

    pending: list[Event] = field(default_factory=list)
    log: list[str] = field(default_factory=list)

    def collect_events(self) -> list[Event]:
        found, self.pending = self.pending, []
        return found


def _bus(log_into: list[str]) -> MessageBus:
    def cancel_reviews(event: ContractBroken, uow: Any) -> None:
        uow.log.append(f"cancel reviews of {event.case_id}")

    def replan(event: CaseChanged, uow: Any) -> None:
        uow.log.append(f"replan {event.case_id}")

    return MessageBus({ContractBroken: [cancel_reviews], CaseChanged: [replan]},
                      {PassTrial: lambda command, uow: f"moved {command.case_id}"})


def test_a_break_cancels_the_reviews_left_before_the_reminders_are_planned_again() -> None:
    uow = FakeUnitOfWork([moved(7, Trigger.BREAK_TRIAL, CaseState.TRIAL, CaseState.ENDED_IN_TRIAL)])
    _bus(uow.log).handle(uow)  # type: ignore[arg-type]
    assert uow.log == ["cancel reviews of 7", "replan 7"]


@pytest.mark.parametrize("event", [FactsRecorded(3), moved(3, Trigger.CHOOSE, CaseState.POSITION, CaseState.DECIDE)])
def test_any_change_re_plans_the_case_once(event: Event) -> None:
    uow = FakeUnitOfWork([event])
    _bus(uow.log).handle(uow)  # type: ignore[arg-type]
    assert uow.log == ["replan 3"]
    assert type(moved(3, Trigger.CHOOSE, CaseState.POSITION, CaseState.DECIDE)) is CaseMoved


def test_a_signature_and_a_cancellation_before_the_start_are_events_of_their_own_kind() -> None:
    """The signature may start the contract at once (its start date has come); a cancellation is a break."""
    assert type(moved(3, Trigger.SIGN, CaseState.SIGN, CaseState.SIGNED)) is ContractSigned
    assert type(moved(3, Trigger.CANCEL_BEFORE_START, CaseState.SIGNED, CaseState.CANCELLED)) is ContractBroken
    assert type(moved(3, Trigger.START_CONTRACT, CaseState.SIGNED, CaseState.TRIAL)) is CaseMoved


def test_events_a_handler_raises_are_handled_in_the_same_unit_of_work() -> None:
    uow = FakeUnitOfWork([FactsRecorded(1)])

    def raise_another(event: CaseChanged, unit: Any) -> None:
        unit.log.append(f"saw {event.case_id}")
        if event.case_id == 1:
            unit.pending.append(FactsRecorded(2))

    MessageBus({CaseChanged: [raise_another]}, {}).handle(uow)  # type: ignore[arg-type]
    assert uow.log == ["saw 1", "saw 2"]


def test_handlers_that_keep_raising_events_are_stopped_as_a_loop() -> None:
    uow = FakeUnitOfWork([FactsRecorded(1)])
    looping = MessageBus({CaseChanged: [lambda event, unit: unit.pending.append(FactsRecorded(1))]}, {})
    with pytest.raises(RuntimeError, match="handler loop"):
        looping.handle(uow)  # type: ignore[arg-type]


def test_a_command_reaches_its_one_handler_and_an_unknown_one_is_a_programming_error() -> None:
    uow = FakeUnitOfWork()
    bus = _bus(uow.log)
    assert bus.dispatch(PassTrial(9, datetime(2027, 1, 8, tzinfo=UTC)), uow) == "moved 9"  # type: ignore[arg-type]
    with pytest.raises(LookupError, match="no handler for the command"):
        MessageBus({}, {}).dispatch(PassTrial(9, datetime(2027, 1, 8, tzinfo=UTC)), uow)  # type: ignore[arg-type]
