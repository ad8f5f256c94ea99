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


def list_cases(app: App, *, state: str | None = None, programme: str | None = None,
               limit: int | None = None, offset: int = 0) -> list[CaseSummary]:
    query = (
        sa.select(case_table.c.id, programme_table.c.code, case_table.c.first_name, case_table.c.last_name,
                  case_table.c.birth_date, case_table.c.email, case_table.c.state, case_table.c.version)
        .join(programme_table, programme_table.c.id == case_table.c.programme_id)
        .order_by(case_table.c.id)
        .offset(offset)
    )
    if state is not None:
        query = query.where(case_table.c.state == parse_state(state).value)
    if programme is not None:
        query = query.where(programme_table.c.code == programme)
    if limit is not None:
        query = query.limit(limit)
    with app.uow(write=False) as uow:
        return [CaseSummary(r.id, r.code, r.first_name, r.last_name, r.birth_date, r.email, CaseState(r.state),
                            r.version) for r in uow.execute(query)]


@dataclass(frozen=True)
class Board:
    """Counts of cases per programme and state, in the chart's order."""

    counts: dict[str, dict[CaseState, int]]

    def total(self, state: CaseState) -> int:
        return sum(per_state.get(state, 0) for per_state in self.counts.values())


def board(app: App) -> Board:
    query = (
        sa.select(programme_table.c.code, case_table.c.state, sa.func.count())
        .join(programme_table, programme_table.c.id == case_table.c.programme_id)
        .group_by(programme_table.c.code, case_table.c.state)
    )
    counts: dict[str, dict[CaseState, int]] = {}
    with app.uow(write=False) as uow:
        for code in uow.execute(sa.select(programme_table.c.code).order_by(programme_table.c.code)).scalars():
            counts[code] = {}
        for code, state, count in uow.execute(query):
            counts[code][CaseState(state)] = count
    return Board(counts)
