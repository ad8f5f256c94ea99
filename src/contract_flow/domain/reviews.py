"""Tripartite reviews: apprentice, company mentor and academic tutor meet to check the skills' progress.

No current article fixes how many (DOMAIN.md): the CFA organises its trainers' cooperation with the mentors
(L6231-2) and Qualiopi indicator 13 asks for a formalised follow-up. The engine's configurable default is common
practice: a first review within 2 months of the contract's start, then one each semester.

Each review runs a small chart of its own: planned -> held | missed, missed -> planned (rescheduled),
planned -> cancelled. Like the case's, it is data run by one shared `transitions` Machine.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import Any, cast

from transitions import EventData, Machine

from contract_flow.domain.context import paris_date
from contract_flow.domain.dates import add_months
from contract_flow.domain.errors import InvalidInput, TriggerNotAllowed
from contract_flow.domain.reasons import Code, Reason


class ReviewState(StrEnum):
    PLANNED = "planned"
    HELD = "held"
    MISSED = "missed"
    CANCELLED = "cancelled"


class ReviewTrigger(StrEnum):
    LOG = "log"  # the review took place: attendance, skills, observations, next steps
    MISS = "miss"  # it did not take place
    RESCHEDULE = "reschedule"  # a missed review gets a new date
    CANCEL = "cancel"  # no longer needed (the contract was broken)


class Party(StrEnum):
    APPRENTICE = "apprentice"
    MENTOR = "mentor"
    TUTOR = "tutor"


class SkillLevel(StrEnum):
    """The CFA's four-step scale of acquisition."""

    NOT_ACQUIRED = "not_acquired"
    IN_PROGRESS = "in_progress"
    ACQUIRED = "acquired"
    MASTERED = "mastered"


R, RT = ReviewState, ReviewTrigger
REVIEW_TRANSITIONS: tuple[tuple[ReviewTrigger, ReviewState, ReviewState], ...] = (
    (RT.LOG, R.PLANNED, R.HELD),
    (RT.MISS, R.PLANNED, R.MISSED),
    (RT.RESCHEDULE, R.MISSED, R.PLANNED),
    (RT.CANCEL, R.PLANNED, R.CANCELLED),
)


@dataclass
class Review:
    case_id: int
    due_by: date
    planned_at: datetime
    place: str
    participants: dict[Party, str]  # party -> email
    state: ReviewState = ReviewState.PLANNED
    attended: dict[Party, bool] = field(default_factory=dict)
    skills: dict[str, SkillLevel] = field(default_factory=dict)
    mentor_observations: str | None = None
    tutor_observations: str | None = None
    next_steps: str | None = None
    acknowledged: dict[Party, datetime] = field(default_factory=dict)
    id: int | None = None
    version: int = 1
    #: When its current date was chosen (planned or rescheduled): an invitation cannot go out before.
    scheduled_at: datetime | None = None

    @property
    def day(self) -> date:
        """The day it takes (or took) place, in Paris."""
        return paris_date(self.planned_at)

    @property
    def fully_acknowledged(self) -> bool:
        return all(party in self.acknowledged for party in Party)


def review_schedule(contract_start: date, contract_end: date, *, first_within_months: int = 2,
                    cadence_months: int = 6) -> list[date]:
    """The dates by which each review is due: the first within `first_within_months` of the start, then one
    every `cadence_months`, while the contract runs."""
    if first_within_months < 1 or cadence_months < 1:
        raise InvalidInput("review cadence", "months must be at least 1")
    due: list[date] = []
    day = add_months(contract_start, first_within_months)
    step = 0
    while day <= contract_end:
        due.append(day)
        step += 1
        day = add_months(contract_start, first_within_months + step * cadence_months)
    return due


#: A skill's name as people write it in a review (the review table's skills are keyed by it).
SKILL_NAME_MAX = 100


def skill_key(name: str) -> str:
    """How two spellings of a skill are compared: case, accents and spaces aside («modelisation» is
    «Modélisation»)."""
    decomposed = unicodedata.normalize("NFKD", " ".join(name.split()).casefold())
    return "".join(char for char in decomposed if not unicodedata.combining(char))


def parse_skill_list(names: Iterable[str]) -> tuple[str, ...]:
    """A programme's skill list: each name non-blank, at most 100 characters, once (compared as `skill_key`)."""
    found: dict[str, str] = {}
    for raw in names:
        name = " ".join(raw.split())
        if not name or len(name) > SKILL_NAME_MAX:
            raise InvalidInput("skills", f"{raw!r}: a skill's name has 1 to {SKILL_NAME_MAX} characters")
        if skill_key(name) in found:
            raise InvalidInput("skills", f"{name!r} is listed twice")
        found[skill_key(name)] = name
    return tuple(found.values())


def listed_skill(name: str, listed: Iterable[str]) -> str | None:
    """The programme's spelling of `name` if its list has it, else None."""
    key = skill_key(name)
    return next((skill for skill in listed if skill_key(skill) == key), None)


def _record(event: EventData) -> None:
    review = cast(Review, event.model)
    changes: dict[str, Any] = event.kwargs.get("changes", {})
    for name, value in changes.items():
        setattr(review, name, value)


def _machine() -> Machine:
    return Machine(
        model=None,
        states=[state.value for state in ReviewState],
        transitions=[{"trigger": trigger.value, "source": source.value, "dest": dest.value, "after": [_record]}
                     for trigger, source, dest in REVIEW_TRANSITIONS],
        initial=None,
        auto_transitions=False,
        send_event=True,
    )


REVIEW_MACHINE = _machine()
_ALLOWED = {state: tuple(t for t, source, _ in REVIEW_TRANSITIONS if source is state) for state in ReviewState}


def fire_review(review: Review, trigger: ReviewTrigger | str, **changes: Any) -> None:
    """Move a review by `trigger`, applying `changes` (attendance, skills, a new date...) once it moved."""
    name = ReviewTrigger(trigger)
    state = ReviewState(review.state)
    if name not in _ALLOWED[state]:
        raise TriggerNotAllowed(review.id, name, state, _ALLOWED[state], kind="review")
    review.state = state.value  # type: ignore[assignment]
    try:
        REVIEW_MACHINE.events[name.value].trigger(review, changes=changes)
    finally:
        review.state = ReviewState(review.state)


def acknowledge(review: Review, party: Party, at: datetime) -> None:
    """Each of the three parties acknowledges the record of a held review, once."""
    if review.state is not ReviewState.HELD:
        raise InvalidInput("review", Reason("ack_not_held", review=str(review.id),
                                            state=Code("review_state", review.state)))
    if party in review.acknowledged:
        raise InvalidInput("as", Reason("ack_twice", party=Code("role", party), review=str(review.id)))
    review.acknowledged[party] = at
