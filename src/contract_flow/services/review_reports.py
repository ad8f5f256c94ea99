"""Read-side use cases for the reviews' records: a held review's report as its parties read it before they
acknowledge it, a case's reviews for its "Entretiens" section, the programme's skill list the log form offers, and
the reviews a tutor is late with.

DOMAIN.md ("Tripartite reviews"): a review records who attended, the skills assessed, the mentor's and the tutor's
observations and the next steps; all three parties acknowledge it. Late (issue 15, item 3): a review planned in the
past and not logged yet, a missed one not planned again, a due date passed that no review covers.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from contract_flow.domain.access import Action
from contract_flow.domain.case import Actor, Case, Part
from contract_flow.domain.context import paris_date
from contract_flow.domain.errors import NotFound
from contract_flow.domain.reviews import Review, ReviewState
from contract_flow.domain.states import CaseState
from contract_flow.services.common import Store, authorize_on, resolve_actor
from contract_flow.services.review_schedule import DueReview, ScheduleDeps, covering, due_dates, due_reviews

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork

#: Reviews are due while the contract runs.
RUNNING = frozenset({CaseState.TRIAL, CaseState.ACTIVE})
#: A page of apprentices is for a person to read (services.people.MAX_PAGE).
MAX_CASES = 100


class ReportDeps(ScheduleDeps, Store, Protocol):
    """A database, the time, the programme's calendar and the reminder policies (the default cadence)."""


@dataclass(frozen=True)
class Late:
    """A review the tutor is late with: `unlogged` (planned in the past, its report not recorded), `missed` (not
    held, not planned again) or `unplanned` (its due date passed and no review covers it)."""

    kind: str
    due_by: date
    review_id: int | None = None
    planned_at: datetime | None = None


@dataclass(frozen=True)
class CaseReviews:
    """A case's reviews, newest due date last, the ones late among its schedule, and the skill list."""

    case: Case
    reviews: list[Review]
    schedule: list[DueReview]
    late: list[Late]
    skills: tuple[str, ...] | None
    running: bool


def late_reviews(schedule: Iterable[DueReview], now: datetime) -> list[Late]:
    """What of a schedule is late at `now`: due dates passed uncovered, planned reviews past and not logged, missed
    reviews not planned again."""
    today = paris_date(now)
    late: list[Late] = []
    for due in schedule:
        review = due.review
        if review is None:
            if due.due_by < today:
                late.append(Late("unplanned", due.due_by))
        elif review.state is ReviewState.PLANNED and review.planned_at < now:
            late.append(Late("unlogged", due.due_by, review.id, review.planned_at))
        elif review.state is ReviewState.MISSED:
            late.append(Late("missed", due.due_by, review.id, review.planned_at))
    return late


def _running(case: Case) -> bool:
    return case.state in RUNNING and case.contract.signed


def _schedule(app: ReportDeps, uow: UnitOfWork, case: Case) -> list[DueReview]:
    return due_reviews(app, uow, case) if _running(case) else []


def case_reviews(app: ReportDeps, case_id: int, *, actor_email: str | Actor) -> CaseReviews:
    """A case's reviews for anyone who may read the case (its staff, tutor, mentor and apprentice), with their
    reports, what is late and the programme's skill list; out of scope is "not found"."""
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, {Part.CONTRACT})
        authorize_on(uow, actor, Action.READ, case)
        reviews = [r for r in uow.reviews.for_case(case_id) if r.state is not ReviewState.CANCELLED]
        schedule = _schedule(app, uow, case)
    return CaseReviews(case, reviews, schedule, late_reviews(schedule, app.clock.now()),
                       app.rules.skills(case.programme), _running(case))


def review_report(app: ReportDeps, review_id: int, *, actor_email: str | Actor) -> tuple[Review, Case]:
    """One review with its case, for someone who may read the case (a review out of their scope is not found)."""
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        review = uow.reviews.get(review_id)
        case = uow.cases.get(review.case_id, {Part.CONTRACT})
        authorize_on(uow, actor, Action.READ, case, kind="review", key=review_id)
        return review, case


def review_reports(app: ReportDeps, review_ids: Iterable[int], *, actor_email: str | Actor) -> dict[int, Review]:
    """The reviews asked for that the actor may read, by id (those out of their scope or gone are left out): the
    reports a person's page shows above the button that acknowledges them."""
    wanted = sorted(set(review_ids))[:MAX_CASES]
    found: dict[int, Review] = {}
    readable: dict[int, bool] = {}  # by case
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        # The reviews and their cases in a few queries, not two per review (gone ones are simply not there).
        reviews = uow.reviews.get_many(wanted)
        cases = {case.id: case for case in uow.cases.get_many(
            sorted({review.case_id for review in reviews.values()}), lambda state: {Part.CONTRACT})}
        for review_id in wanted:
            review = reviews.get(review_id)
            if review is None or review.case_id not in cases:
                continue
            if review.case_id not in readable:
                readable[review.case_id] = False
                try:
                    authorize_on(uow, actor, Action.READ, cases[review.case_id])
                    readable[review.case_id] = True
                except NotFound:  # out of scope, which is "not found" too
                    pass
            if readable[review.case_id]:
                found[review_id] = review
    return found


def late_by_case(app: ReportDeps, case_ids: Iterable[int], *, actor_email: str | Actor) -> dict[int, list[Late]]:
    """For each case asked for (a page of a tutor's apprentices) that the actor may read and whose contract runs,
    the reviews late at the clock's time; cases with nothing late are left out."""
    now = app.clock.now()
    late: dict[int, list[Late]] = {}
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        # The cases and the reviews of those whose contract runs in a few queries, not a few per case.
        cases = uow.cases.get_many(sorted(set(case_ids))[:MAX_CASES], lambda state: {Part.CONTRACT})
        reviews = uow.reviews.for_cases([int(case.id or 0) for case in cases if _running(case)])
        for case in cases:
            assert case.id is not None
            try:
                authorize_on(uow, actor, Action.READ, case)
            except NotFound:
                continue
            covered = covering(reviews.get(case.id, ()))
            schedule = [DueReview(due, covered.get(due)) for due in due_dates(app, case)] if _running(case) else []
            found = late_reviews(schedule, now)
            if found:
                late[case.id] = found
    return late


def programme_skills(app: ReportDeps, case_id: int, *, actor_email: str | Actor) -> tuple[str, ...] | None:
    """The skill list the case's programme assesses in its reviews (None: any skill, typed freely)."""
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, ())
        authorize_on(uow, actor, Action.READ, case)
    return app.rules.skills(case.programme)
