"""What a guard may know besides the case itself: who acts, when, the programme's seats, the law, the dossier."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from contract_flow.domain.case import Actor

if TYPE_CHECKING:
    from contract_flow.domain.dossier import Refusal
    from contract_flow.domain.legal import LegalRules

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
    #: The legal rules; without them `sign` checks only the age limit of L6222-1 (tests of the chart alone).
    rules: LegalRules | None = None
    #: Every reason the case's contract dossier (CERFA FA13) may not be signed yet, each naming the field and the
    #: article; called only by the `sign` guard that needs it. None: no dossier (tests of the chart alone).
    dossier_refusals: Callable[[], Sequence[Refusal]] | None = None
    #: The application a `shortlist` names (its id): the company whose selection the candidate enters; None: the
    #: latest application sent (domain.applications.open_application).
    application_id: int | None = None

    @cached_property
    def today(self) -> date:
        return paris_date(self.now)
