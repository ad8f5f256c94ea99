"""Read-side use cases for the people around an apprentice: a tutor's or a mentor's apprentices with their
reviews (two queries for a whole page, whatever its size), and an apprentice's own path: the step they are at,
what is missing to move on, their deadlines, their next review and their pay schedule."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from itertools import pairwise
from typing import Protocol

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, contract_table, programme_table, review_table
from contract_flow.domain.case import ALL_PARTS, SYSTEM_ACTOR, Case, Part, Role
from contract_flow.domain.context import paris_date
from contract_flow.domain.errors import DomainError, InvalidInput
from contract_flow.domain.guards import blockers_by_rule
from contract_flow.domain.reasons import Reason
from contract_flow.domain.reviews import Party, Review, ReviewState
from contract_flow.domain.states import CONTRACT_STATES, SEARCH_STEPS, TRANSITIONS, CaseState, Trigger, step_number
from contract_flow.services.access import Principal, case_scope
from contract_flow.services.common import Engine, Planned, transition_context
from contract_flow.services.review_schedule import schedule


class PeopleDeps(Engine, Planned, Protocol):
    """A database, the time, the law and the reminder policies (the default review cadence)."""


#: A page of apprentices is for a person to read.
MAX_PAGE = 100
#: The way forward through the chart: the search steps, then the contract signed, its trial, the running contract,
#: its completion.
_FORWARD_PATH = (*SEARCH_STEPS, CaseState.SIGNED, CaseState.TRIAL, CaseState.ACTIVE, CaseState.COMPLETED)
FORWARD: dict[CaseState, Trigger] = {
    here: next(spec.trigger for spec in TRANSITIONS if here in spec.sources and spec.dest is there)
    for here, there in pairwise(_FORWARD_PATH)
}


@dataclass(frozen=True)
class ReviewBrief:
    """What a list shows of a review: when, where, its state, who acknowledged it."""

    id: int
    case_id: int
    state: ReviewState
    due_by: date
    planned_at: datetime
    place: str
    version: int
    participants: dict[str, str]
    acknowledged: frozenset[str]

    @property
    def day(self) -> date:
        """The day it takes place, in Paris."""
        return paris_date(self.planned_at)

    def awaits(self, email: str) -> bool:
        """Held, and one of the parties this person is has not acknowledged it yet."""
        return self.state is ReviewState.HELD and any(
            who == email and party not in self.acknowledged for party, who in self.participants.items())


@dataclass(frozen=True)
class Apprentice:
    case_id: int
    first_name: str
    last_name: str
    programme: str
    state: CaseState
    trial_end: date | None
    end_date: date | None
    employer_name: str | None
    mentor_name: str | None
    reviews: tuple[ReviewBrief, ...]

    @property
    def next_review(self) -> ReviewBrief | None:
        planned = [r for r in self.reviews if r.state is ReviewState.PLANNED]
        return min(planned, key=lambda r: r.planned_at) if planned else None

    @property
    def last_review(self) -> ReviewBrief | None:
        held = [r for r in self.reviews if r.state in (ReviewState.HELD, ReviewState.MISSED)]
        return max(held, key=lambda r: r.planned_at) if held else None

    def awaiting(self, email: str) -> list[ReviewBrief]:
        return [r for r in self.reviews if r.awaits(email)]


@dataclass(frozen=True)
class Apprentices:
    items: list[Apprentice]
    total: int
    limit: int
    offset: int


def _brief(row: sa.RowMapping) -> ReviewBrief:
    return ReviewBrief(row["id"], row["case_id"], ReviewState(row["state"]), row["due_by"], row["planned_at"],
                       row["place"], row["version"], dict(row["participants"]), frozenset(row["acknowledged"]))


def apprentices(app: PeopleDeps, principal: Principal, *, limit: int = 50, offset: int = 0,
                narrowed_by: sa.ColumnElement[bool] | None = None) -> Apprentices:
    """The cases in the principal's scope (a tutor's, a mentor's), by name, with their reviews not cancelled;
    `narrowed_by`, a list's filters (services/case_filters.py)."""
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput("limit", Reason("limit_range", limit=limit, most=MAX_PAGE))
    if offset < 0:
        raise InvalidInput("offset", Reason("negative", value=offset))
    scope = case_scope(principal)
    if narrowed_by is not None:
        scope = sa.and_(scope, narrowed_by)
    # A case may have had several contracts (a search resumed after a break): the latest one is its contract.
    # An alias, so that a scope testing the contract table (a mentor's) keeps its own subquery.
    contract = contract_table.alias("latest_contract")
    latest = (sa.select(sa.func.max(contract_table.c.id)).where(contract_table.c.case_id == case_table.c.id)
              .correlate(case_table).scalar_subquery())
    joined = (case_table.join(programme_table, programme_table.c.id == case_table.c.programme_id)
              .outerjoin(contract, contract.c.id == latest))
    query = (sa.select(case_table.c.id, case_table.c.first_name, case_table.c.last_name, programme_table.c.code,
                       case_table.c.state, contract.c.trial_end, contract.c.end_date,
                       contract.c.employer_name, contract.c.mentor_name)
             .select_from(joined).where(scope)
             .order_by(case_table.c.last_name, case_table.c.first_name, case_table.c.id)
             .limit(limit).offset(offset))
    count = (sa.select(sa.func.count()).select_from(
        case_table.join(programme_table, programme_table.c.id == case_table.c.programme_id)).where(scope))
    with app.uow(write=False) as uow:
        rows = list(uow.execute(query))
        total = int(uow.execute(count).scalar_one())
        ids = [row.id for row in rows]
        reviews: dict[int, list[ReviewBrief]] = {}
        if ids:
            found = uow.execute(sa.select(review_table).where(
                review_table.c.case_id.in_(ids), review_table.c.state != ReviewState.CANCELLED.value)
                .order_by(review_table.c.planned_at, review_table.c.id))
            for review in found.mappings():
                reviews.setdefault(review["case_id"], []).append(_brief(review))
    items = [Apprentice(row.id, row.first_name, row.last_name, row.code, CaseState(row.state), row.trial_end,
                        row.end_date, row.employer_name, row.mentor_name, tuple(reviews.get(row.id, ())))
             for row in rows]
    return Apprentices(items, total, limit, offset)


# -- an apprentice's own path ------------------------------------------------------------------------------------

def own_case_id(app: PeopleDeps, principal: Principal) -> int | None:
    """The apprentice's case: the one their user is linked to, else the newest whose candidate email is theirs."""
    if principal.role is not Role.APPRENTICE:
        return None
    if principal.case_id is not None:
        return principal.case_id
    query = (sa.select(case_table.c.id)
             .join(programme_table, programme_table.c.id == case_table.c.programme_id)
             .where(case_scope(principal))  # their own CFA's only (domain.access.sees)
             .order_by(case_table.c.id.desc()).limit(1))
    with app.uow(write=False) as uow:
        found = uow.execute(query).scalar()
    return int(found) if found is not None else None


@dataclass(frozen=True)
class Missing:
    """One rule that stops the next move: the guard's name (the pages word it plainly) and its own reasons."""

    rule: str
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Deadline:
    name: str  # search_window, contract_start, opco_filing, training_start, trial_end, next_review, contract_end
    due: date
    done: bool = False


@dataclass(frozen=True)
class PayLine:
    contract_year: int
    start: date
    end: date
    percent: Decimal
    reference: str
    minimum_monthly_gross: Decimal


@dataclass(frozen=True)
class ApprenticePath:
    case: Case
    step: int | None
    next_move: Trigger | None
    missing: list[Missing]
    deadlines: list[Deadline]
    pay: list[PayLine]
    agreed_pay: Decimal | None
    upcoming: ReviewBrief | None
    awaiting: list[ReviewBrief]
    today: date  # in Paris: a deadline before it and not done is overdue


def path_of(app: PeopleDeps, case_id: int, email: str) -> ApprenticePath:
    """Where the apprentice is and what comes next; `email` is theirs (the reviews they have to acknowledge)."""
    now = app.clock.now()
    with app.uow(write=False) as uow:
        case = uow.cases.get(case_id, ALL_PARTS)
        ctx = transition_context(app, uow, case, SYSTEM_ACTOR, at=now)
        move = FORWARD.get(case.state)
        # Without the role rule: an apprentice never moves their case; what matters is what the case lacks.
        missing = [Missing(rule, tuple(reasons))
                   for rule, reasons in (blockers_by_rule(case, move, ctx, with_role=False) if move else [])]
        rows = uow.execute(sa.select(review_table).where(
            review_table.c.case_id == case_id, review_table.c.state != ReviewState.CANCELLED.value)
            .order_by(review_table.c.planned_at, review_table.c.id)).mappings()
        reviews = [_brief(row) for row in rows]
    today = ctx.today
    deadlines = _deadlines(app, case, today)
    if case.contract.signed and case.state in (CaseState.TRIAL, CaseState.ACTIVE):
        due = next((d.due_by for d in schedule(app, case_id)
                    if d.due_by >= today and (d.review is None or d.review.state is ReviewState.PLANNED)), None)
        if due is not None:
            deadlines.append(Deadline("next_review", due))
    deadlines.sort(key=lambda d: d.due)
    upcoming = next((r for r in reviews if r.state is ReviewState.PLANNED and r.planned_at >= now), None)
    awaiting = [r for r in reviews if r.state is ReviewState.HELD and r.participants.get(Party.APPRENTICE) == email
                and Party.APPRENTICE not in r.acknowledged]
    return ApprenticePath(case, step_number(case.state), move, missing, deadlines, _pay(app, case),
                          case.contract.gross_monthly_pay, upcoming, awaiting, today)


def _deadlines(app: PeopleDeps, case: Case, today: date) -> list[Deadline]:
    found: list[Deadline] = []
    terms = case.contract
    if case.state in (CaseState.REFLECT, CaseState.APPLY, CaseState.CONVINCE):
        # L6222-12-1: the window's end is the first day without it; people read the last day within it.
        found.append(Deadline("search_window", app.rules.search_window_end(case) - timedelta(days=1)))
    if case.state is CaseState.SIGNED and terms.start_date is not None:
        found.append(Deadline("contract_start", terms.start_date))
    if case.state in CONTRACT_STATES:
        if terms.opco_filing_due is not None:
            found.append(Deadline("opco_filing", terms.opco_filing_due, terms.opco_filed_on is not None))
        if terms.training_start_due is not None and terms.training_start_due >= today:
            found.append(Deadline("training_start", terms.training_start_due))
        if case.state is CaseState.TRIAL and terms.trial_end is not None:
            found.append(Deadline("trial_end", terms.trial_end))
        if terms.end_date is not None:
            found.append(Deadline("contract_end", terms.end_date))
    return found


def _pay(app: PeopleDeps, case: Case) -> list[PayLine]:
    """The minimum pay periods fixed at signature; before it, those the rules give for the agreed start date."""
    terms = case.contract
    if terms.pay_schedule:
        return [PayLine(int(p["contract_year"]), date.fromisoformat(p["from"]), date.fromisoformat(p["to"]),
                        Decimal(p["percent"]), p["reference"], Decimal(p["minimum_monthly_gross"]))
                for p in terms.pay_schedule]
    if terms.start_date is None or terms.start_date <= case.candidate.birth_date:
        return []
    try:
        periods = app.rules.pay_schedule(case)
    except DomainError:
        return []  # dates the rules do not cover yet: nothing to show rather than a wrong figure
    return [PayLine(p.contract_year, p.start, p.end, p.percent, p.reference, p.minimum_monthly_gross)
            for p in periods]


# -- what the review and absence forms show ----------------------------------------------------------------------

def case_with_contract(app: PeopleDeps, case_id: int) -> Case:
    with app.uow(write=False) as uow:
        return uow.cases.get(case_id, {Part.CONTRACT})


def next_unplanned_due(app: PeopleDeps, case_id: int) -> date | None:
    """The due date the next plan covers (plan_review takes the earliest one nobody planned yet)."""
    return next((due.due_by for due in schedule(app, case_id) if due.review is None), None)


def review_and_case(app: PeopleDeps, review_id: int) -> tuple[Review, Case]:
    with app.uow(write=False) as uow:
        review = uow.reviews.get(review_id)
        return review, uow.cases.get(review.case_id, {Part.CONTRACT})
