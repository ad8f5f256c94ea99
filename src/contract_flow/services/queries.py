"""Read-side use cases: lists and the pipeline board. Plain queries, no domain objects needed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, offer_table, person_table, programme_table
from contract_flow.domain.case import Role
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.states import SEAT_HOLDING_STATES, CaseState
from contract_flow.services.case_filters import filter_condition, parse_filter
from contract_flow.services.common import Transactional, programme_code

MAX_PAGE = 500  # a page of cases is for people to read: more is an export


@dataclass(frozen=True)
class CaseSummary:
    id: int
    programme: str
    first_name: str
    last_name: str
    birth_date: date
    email: str
    state: CaseState
    version: int


def parse_state(text: str) -> CaseState:
    try:
        return CaseState(text)
    except ValueError:
        raise InvalidInput("state", Reason("not_a_state", typed=Typed(text),
                                          choices=tuple(str(each.value) for each in CaseState))) from None


@dataclass(frozen=True)
class Page:
    items: list[CaseSummary]
    total: int
    limit: int | None
    offset: int


def programmes_in_scope(app: Transactional, scope: sa.ColumnElement[bool]) -> set[str]:
    """The codes of the programmes of the cases `scope` selects."""
    with app.uow(write=False) as uow:
        return set(uow.execute(
            sa.select(programme_table.c.code).distinct()
            .join(case_table, case_table.c.programme_id == programme_table.c.id).where(scope)).scalars())


def list_cases(app: Transactional, *, state: str | None = None, programme: str | None = None,
               limit: int | None = None, offset: int = 0, q: str | None = None) -> list[CaseSummary]:
    return find_cases(app, state=state, programme=programme, limit=limit, offset=offset, q=q).items


def find_cases(app: Transactional, *, scope: sa.ColumnElement[bool] | None = None, state: str | None = None,
               programme: str | None = None, advisor: str | None = None, case_ids: list[int] | None = None,
               limit: int | None = None, offset: int = 0, q: str | None = None) -> Page:
    """Cases in `scope` matching the filters, a page at a time (in id order), with the total; `q` searches
    the names and the email, accents and case ignored (services/case_filters.py)."""
    if offset < 0:
        raise InvalidInput("offset", Reason("negative", value=offset))
    if limit is not None and not 1 <= limit <= MAX_PAGE:
        raise InvalidInput("limit", Reason("limit_range", limit=limit, most=MAX_PAGE))
    conditions: list[sa.ColumnElement[bool]] = [] if scope is None else [scope]
    if state is not None:
        conditions.append(case_table.c.state == parse_state(state).value)
    if programme is not None:
        conditions.append(programme_table.c.code == programme_code(programme))
    if advisor is not None:
        conditions.append(case_table.c.advisor_email == advisor.strip().lower())
    if case_ids is not None:
        conditions.append(case_table.c.id.in_(case_ids))
    if q is not None and q.strip():
        conditions.append(filter_condition(parse_filter(q=q)))
    joined = case_table.join(programme_table, programme_table.c.id == case_table.c.programme_id)
    query = (
        sa.select(case_table.c.id, programme_table.c.code, case_table.c.first_name, case_table.c.last_name,
                  case_table.c.birth_date, case_table.c.email, case_table.c.state, case_table.c.version)
        .select_from(joined).where(*conditions).order_by(case_table.c.id).offset(offset)
    )
    if limit is not None:
        query = query.limit(limit)
    count = sa.select(sa.func.count()).select_from(joined).where(*conditions)
    with app.uow(write=False) as uow:
        items = [CaseSummary(r.id, r.code, r.first_name, r.last_name, r.birth_date, r.email, CaseState(r.state),
                             r.version) for r in uow.execute(query)]
        total = int(uow.execute(count).scalar_one())
    return Page(items, total, limit, offset)


@dataclass(frozen=True)
class Board:
    """Counts of cases per programme and state, in the chart's order."""

    counts: dict[str, dict[CaseState, int]]

    def total(self, state: CaseState) -> int:
        return sum(per_state.get(state, 0) for per_state in self.counts.values())


def board(app: Transactional, scope: sa.ColumnElement[bool] | None = None, cfa_code: str | None = None) -> Board:
    query = (
        sa.select(programme_table.c.code, case_table.c.state, sa.func.count())
        .join(programme_table, programme_table.c.id == case_table.c.programme_id)
        .group_by(programme_table.c.code, case_table.c.state)
    )
    if scope is not None:
        query = query.where(scope)
    programmes = sa.select(programme_table.c.code).order_by(programme_table.c.code)
    if cfa_code is not None:
        programmes = programmes.where(programme_table.c.cfa_code == cfa_code)
    counts: dict[str, dict[CaseState, int]] = {}
    with app.uow(write=False) as uow:
        for code in uow.execute(programmes).scalars():
            counts[code] = {}
        for code, state, count in uow.execute(query):
            counts.setdefault(code, {})[CaseState(state)] = count
    return Board(counts)


@dataclass(frozen=True)
class Card:
    """A case on the board: who, and since when it is in its state."""

    id: int
    first_name: str
    last_name: str
    programme: str
    state: CaseState
    state_since: datetime
    email: str = ""


def _cards_query(scope: sa.ColumnElement[bool] | None, state: CaseState | None,
                 programme: str | None) -> tuple[sa.Select[Any], list[sa.ColumnElement[bool]]]:
    conditions: list[sa.ColumnElement[bool]] = [] if state is None else [case_table.c.state == state.value]
    if scope is not None:
        conditions.append(scope)
    if programme is not None:
        conditions.append(programme_table.c.code == programme_code(programme))
    query = (
        sa.select(case_table.c.id, case_table.c.first_name, case_table.c.last_name, programme_table.c.code,
                  case_table.c.state, case_table.c.state_since, case_table.c.email)
        .join(programme_table, programme_table.c.id == case_table.c.programme_id)
        .where(*conditions)
        # The most recently moved first: what changed lately is what an advisor looks at.
        .order_by(case_table.c.state_since.desc(), case_table.c.id.desc())
    )
    return query, conditions


def _card(row: Any) -> Card:
    return Card(row.id, row.first_name, row.last_name, row.code, CaseState(row.state), row.state_since, row.email)


def board_cards(app: Transactional, scope: sa.ColumnElement[bool] | None, states: tuple[CaseState, ...], *,
                programme: str | None = None, per_state: int = 25) -> dict[CaseState, list[Card]]:
    """The `per_state` most recently moved cases of each state: a board column stays short however many cases."""
    found: dict[CaseState, list[Card]] = {}
    with app.uow(write=False) as uow:
        for state in states:
            query, _ = _cards_query(scope, state, programme)
            found[state] = [_card(row) for row in uow.execute(query.limit(per_state))]
    return found


def cards(app: Transactional, scope: sa.ColumnElement[bool] | None, state: CaseState | None, *,
          programme: str | None = None, limit: int = 50, offset: int = 0) -> tuple[list[Card], int]:
    """One state's cases (every state's: None), a page at a time (most recently moved first), with their
    total."""
    if offset < 0:
        raise InvalidInput("offset", Reason("negative", value=offset))
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidInput("limit", Reason("limit_range", limit=limit, most=MAX_PAGE))
    query, conditions = _cards_query(scope, state, programme)
    count = (sa.select(sa.func.count()).select_from(
        case_table.join(programme_table, programme_table.c.id == case_table.c.programme_id)).where(*conditions))
    with app.uow(write=False) as uow:
        items = [_card(row) for row in uow.execute(query.limit(limit).offset(offset))]
        total = int(uow.execute(count).scalar_one())
    return items, total


@dataclass(frozen=True)
class ProjectToValidate:
    """A case at step 5 «Décider»: the job project the programme lead validates or sends back."""

    id: int
    version: int
    first_name: str
    last_name: str
    programme: str
    target_job: str | None
    mobility_area: str | None
    state_since: datetime
    company: str | None = None
    gross_monthly_pay: Decimal | None = None
    start_date: date | None = None
    weekly_hours: Decimal | None = None


def awaiting_validation(app: Transactional, scope: sa.ColumnElement[bool] | None, *, limit: int = 50,
                        offset: int = 0) -> tuple[list[ProjectToValidate], int]:
    """Cases in `decide` (the oldest waiting first) with their chosen offer, and how many wait in all."""
    conditions: list[sa.ColumnElement[bool]] = [case_table.c.state == CaseState.DECIDE.value]
    if scope is not None:
        conditions.append(scope)
    joined = case_table.join(programme_table, programme_table.c.id == case_table.c.programme_id)
    query = (
        sa.select(case_table.c.id, case_table.c.version, case_table.c.first_name, case_table.c.last_name,
                  programme_table.c.code, case_table.c.target_job, case_table.c.mobility_area,
                  case_table.c.state_since)
        .select_from(joined).where(*conditions)
        .order_by(case_table.c.state_since, case_table.c.id).limit(limit).offset(offset)
    )
    count = sa.select(sa.func.count()).select_from(joined).where(*conditions)
    with app.uow(write=False) as uow:
        rows = list(uow.execute(query))
        total = int(uow.execute(count).scalar_one())
        # The offers of the page's cases in one query; the current one is the newest open or accepted.
        offers: dict[int, Any] = {}
        if rows:
            for found in uow.execute(
                sa.select(offer_table).where(offer_table.c.case_id.in_([row.id for row in rows]),
                                             offer_table.c.status.in_(("open", "accepted")))
                .order_by(offer_table.c.id)
            ):
                offers[found.case_id] = found
    items = []
    for row in rows:
        offer = offers.get(row.id)
        items.append(ProjectToValidate(
            row.id, row.version, row.first_name, row.last_name, row.code, row.target_job, row.mobility_area,
            row.state_since, company=offer.company if offer else None,
            gross_monthly_pay=offer.gross_monthly_pay if offer else None,
            start_date=offer.start_date if offer else None, weekly_hours=offer.weekly_hours if offer else None))
    return items, total


@dataclass(frozen=True)
class Seats:
    """A programme's seats: how many, how many a contract holds (signed, in its trial, running)."""

    programme: str
    name: str
    seats: int
    used: int

    @property
    def free(self) -> int:
        return max(0, self.seats - self.used)


def seats(app: Transactional, cfa_code: str | None) -> list[Seats]:
    """Each programme of the CFA (every programme: None) with its seats used and free, in one query: the same
    count as the free-seat guard's (adapters/repository.seats_taken), whatever a list's filters."""
    used = (sa.select(case_table.c.programme_id, sa.func.count().label("used"))
            .where(case_table.c.state.in_([state.value for state in SEAT_HOLDING_STATES]))
            .group_by(case_table.c.programme_id).subquery("used"))
    query = (sa.select(programme_table.c.code, programme_table.c.name, programme_table.c.seats,
                       sa.func.coalesce(used.c.used, 0).label("used"))
             .outerjoin(used, used.c.programme_id == programme_table.c.id).order_by(programme_table.c.code))
    if cfa_code is not None:
        query = query.where(programme_table.c.cfa_code == cfa_code)
    with app.uow(write=False) as uow:
        return [Seats(row.code, row.name, row.seats, int(row.used)) for row in uow.execute(query)]


def advisors(app: Transactional, cfa_code: str | None) -> list[tuple[str, str]]:
    """The CFA's advisors (email, name), by name: the choices of a list's advisor filter."""
    query = (sa.select(person_table.c.email, person_table.c.name)
             .where(person_table.c.role == Role.ADVISOR.value, person_table.c.cfa_code == cfa_code)
             .order_by(person_table.c.name, person_table.c.email))
    with app.uow(write=False) as uow:
        return [(row.email, row.name) for row in uow.execute(query)]


#: A search matching more cases than this stays a condition of each query: a longer list of ids would cost more
#: than the scans it saves.
MAX_SEARCHED = 10_000


def searched(app: Transactional, q: str) -> sa.ColumnElement[bool] | None:
    """The cases whose names or email hold every word of `q` (case_filters.search_condition), found once and
    given back as a condition on their ids, so that a list's several queries (its page, its count, each part of
    the cases at risk, each board column) find them by id instead of matching every case's names again (a scan of
    a network's cases each); None when more than MAX_SEARCHED match."""
    query = sa.select(case_table.c.id).where(filter_condition(parse_filter(q=q))).limit(MAX_SEARCHED + 1)
    with app.uow(write=False) as uow:
        found = [int(case_id) for case_id in uow.execute(query).scalars()]
    # The ids written in the statement (literal_execute), not bound one by one: SQLite bounds a statement's
    # variables, and a name found in every copy of a network's CFA is thousands of cases.
    return (case_table.c.id.in_(sa.bindparam("searched", found, expanding=True, literal_execute=True))
            if len(found) <= MAX_SEARCHED else None)
