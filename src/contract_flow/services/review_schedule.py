"""The dates by which a case's tripartite reviews are due, and the review covering each: read by the reviews' use
cases (planning takes the earliest date nobody covers) and by the people's pages (the next review due).

DOMAIN.md ("Tripartite reviews"): a first review within 2 months of the contract's start, then one each semester;
the programme's calendar may set its own cadence, else the reminder policies' defaults apply.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

from contract_flow.domain.case import Case, Part
from contract_flow.domain.reviews import Review, ReviewState, review_schedule
from contract_flow.services.common import Planned, Ruled, Transactional

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork


class ScheduleDeps(Ruled, Planned, Protocol):
    """The law (the programme's calendar) and the reminder policies (the default cadence)."""


@dataclass(frozen=True)
class DueReview:
    """A date by which a review is due, and the review covering it (None: nobody planned one yet)."""

    due_by: date
    review: Review | None

    @property
    def state(self) -> str:
        return str(self.review.state) if self.review else "unplanned"


def due_dates(app: ScheduleDeps, case: Case) -> list[date]:
    """The schedule from the contract's start: the programme calendar's cadence, else the reminder policies'."""
    terms = case.contract
    if terms.start_date is None or terms.end_date is None:
        return []
    # The cadence only: a programme without a calendar (not signable, but maybe signed before issue 10)
    # follows the reminder policies'.
    calendar = app.rules.known_calendar(case.programme)
    first_within = calendar.first_review_within_months if calendar is not None else None
    cadence = calendar.review_cadence_months if calendar is not None else None
    policies = app.policies
    end = min(terms.end_date, terms.ended_on) if terms.ended_on else terms.end_date
    return review_schedule(terms.start_date, end,
                           first_within_months=first_within or policies.review_first_within_months,
                           cadence_months=cadence or policies.review_cadence_months)


def covering(reviews: Iterable[Review]) -> dict[date, Review]:
    """The review covering each due date: the latest one that was not cancelled."""
    return {r.due_by: r for r in reviews if r.state is not ReviewState.CANCELLED}


def due_reviews(app: ScheduleDeps, uow: UnitOfWork, case: Case) -> list[DueReview]:
    """Each due date of the case's contract with the review covering it, in a unit of work the caller holds."""
    assert case.id is not None
    uow.cases.load_parts(case, (Part.CONTRACT,))
    covered = covering(uow.reviews.for_case(case.id))
    return [DueReview(due, covered.get(due)) for due in due_dates(app, case)]


class ScheduleReader(ScheduleDeps, Transactional, Protocol):
    """The schedule read in a unit of work of its own."""


def schedule(app: ScheduleReader, case_id: int) -> list[DueReview]:
    """The dates by which reviews are due under the case's contract, each with the review covering it."""
    with app.uow(write=False) as uow:
        return due_reviews(app, uow, uow.cases.get(case_id, {Part.CONTRACT}))
