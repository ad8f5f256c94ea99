"""Cases at risk, for the advisors' board: deadlines within 14 days, overdue reviews, stale cases, failed
reminders. Each is one query over the cases in the viewer's scope (services/risk_query.py)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

import sqlalchemy as sa

from contract_flow.services.risk_query import HORIZON_DAYS, WINDOW_STATES, RiskDeps, detail_text, ordered_risks

__all__ = ["HORIZON_DAYS", "WINDOW_STATES", "Risk", "RiskDeps", "RiskPage", "at_risk", "at_risk_page",
           "count_risks"]


@dataclass(frozen=True)
class Risk:
    case_id: int
    candidate: str
    state: str
    kind: str  # deadline, overdue_review, stale, failed_reminder, opco_refused
    detail: str  # in English (the API's)
    due: date | None = None
    #: The detail's code (risk_query.DETAILS), which the pages word.
    detail_code: str = ""


@dataclass(frozen=True)
class RiskPage:
    risks: list[Risk]
    #: How many risks the scope has in all; None when the caller counts them itself (`count_risks`).
    total: int | None


def at_risk_page(app: RiskDeps, scope: sa.ColumnElement[bool] | None, *, limit: int | None = None, offset: int = 0,
                 now: datetime | None = None, counted: bool = True) -> RiskPage:
    """The risks in the scope, soonest due first (undated ones as due today), then by case and kind; `limit`
    of them from `offset`, and how many there are in all (`counted=False`: not counted, the page reads
    `count_risks` beside it)."""
    moment = now or app.clock.now()
    with app.uow(write=False) as uow:
        count, ordered = ordered_risks(app, uow, scope, moment, first=None if limit is None else offset + limit)
        ordered = ordered.offset(offset)
        rows = uow.execute(ordered.limit(limit) if limit is not None else ordered).all()
        total = len(rows) + offset if limit is None else int(uow.execute(count).scalar_one()) if counted else None
    days = app.policies.stale_apprentice_days
    return RiskPage([Risk(row[0], f"{row[1]} {row[2]}", row[3], row[4], detail_text(row[5], days), row[6], row[5])
                     for row in rows], total)


def count_risks(app: RiskDeps, scope: sa.ColumnElement[bool] | None, *, now: datetime | None = None) -> int:
    """How many risks the scope has: each kind's count added up (a network's 100,000 cases: 48 ms of the page's
    73, which the page reads in another connection while `at_risk_page` reads its rows)."""
    with app.uow(write=False) as uow:
        count, _ = ordered_risks(app, uow, scope, now or app.clock.now())
        return int(uow.execute(count).scalar_one())


def at_risk(app: RiskDeps, scope: sa.ColumnElement[bool] | None, now: datetime | None = None) -> list[Risk]:
    """Every risk in the scope (the API's board, its `at_risk` filter), in the order of `at_risk_page`."""
    return at_risk_page(app, scope, now=now).risks
