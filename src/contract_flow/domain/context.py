"""What a guard may know besides the case itself: who acts, when, and the programme's seats."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any
from zoneinfo import ZoneInfo

from contract_flow.domain.case import Actor

#: Dates in French law are days in France: a transition at 23:30 UTC on 31 March happens on 1 April in Paris.
PARIS = ZoneInfo("Europe/Paris")


def paris_date(moment: datetime) -> date:
    return moment.astimezone(PARIS).date()


@dataclass(frozen=True)
class TransitionContext:
    actor: Actor
    now: datetime
    reason: str | None = None
    #: Facts given with the trigger, as the person typed them (recorded on the event).
    facts: Mapping[str, str] = field(default_factory=dict)
    #: Counts the cases holding a seat in the programme; called only by the guards that need it.
    seats_taken: Callable[[], int] | None = None
    #: The legal rules (a `contract_flow.domain.rules.LegalRules`), when the caller has them.
    rules: Any = None

    @cached_property
    def today(self) -> date:
        return paris_date(self.now)
