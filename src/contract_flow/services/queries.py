"""Read-side use cases: lists and the pipeline board. Plain queries, no domain objects needed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, programme_table
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.states import CaseState

if TYPE_CHECKING:
    from contract_flow.bootstrap import App

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
        raise InvalidInput("state", f"{text!r} is not a state; states: {', '.join(CaseState)}") from None


@dataclass(frozen=True)
class Page:
    items: list[CaseSummary]
    total: int
    limit: int | None
    offset: int


def list_cases(app: App, *, state: str | None = None, programme: str | None = None,
               limit: int | None = None, offset: int = 0) -> list[CaseSummary]:
    return find_cases(app, state=state, programme=programme, limit=limit, offset=offset).items


def find_cases(app: App, *, scope: sa.ColumnElement[bool] | None = None, state: str | None = None,
               programme: str | None = None, advisor: str | None = None, case_ids: list[int] | None = None,
               limit: int | None = None, offset: int = 0) -> Page:
    """Cases in `scope` matching the filters, a page at a time (in id order), with the total."""
    if offset < 0:
        raise InvalidInput("offset", f"{offset} is negative")
    if limit is not None and not 1 <= limit <= MAX_PAGE:
        raise InvalidInput("limit", f"{limit} is not between 1 and {MAX_PAGE}")
    conditions: list[sa.ColumnElement[bool]] = [] if scope is None else [scope]
    if state is not None:
        conditions.append(case_table.c.state == parse_state(state).value)
    if programme is not None:
        conditions.append(programme_table.c.code == programme)
    if advisor is not None:
        conditions.append(case_table.c.advisor_email == advisor.strip().lower())
    if case_ids is not None:
        conditions.append(case_table.c.id.in_(case_ids))
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


def board(app: App, scope: sa.ColumnElement[bool] | None = None, cfa_code: str | None = None) -> Board:
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
