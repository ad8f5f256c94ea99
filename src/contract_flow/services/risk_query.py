"""The cases at risk as one query (deadlines within 14 days, overdue reviews, stale cases, failed reminders, the
OPCO's refusals), shared by the use cases that read them: the board's list (services/risk.py) and its export
(services/exports.py), so that an export holds exactly the rows the list shows. A shared part, not a use case."""

from __future__ import annotations

import functools
import operator
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Protocol

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, contract_table, programme_table, reminder_table, review_table
from contract_flow.domain.context import paris_date
from contract_flow.domain.dates import add_months
from contract_flow.domain.states import CONTRACT_STATES, SEARCH_STEPS, CaseState
from contract_flow.services.case_filters import current_contract
from contract_flow.services.common import Planned, Store

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork


class RiskDeps(Store, Planned, Protocol):
    """A database, the time and the reminder policies."""


#: A risk's row: case id, first name, last name, state, kind, detail, due.
RiskRow = tuple[int, str, str, str, str, str, date | None]

HORIZON_DAYS = 14  # issue 5: the board shows deadlines within 14 days
WINDOW_STATES = (CaseState.REFLECT, CaseState.APPLY, CaseState.CONVINCE)

#: Each risk's detail: its code (what the query gives, the key the pages' and the exports' words are found by)
#: and its English (the API's), `{days}` being the policies' days without a move.
DETAILS: dict[str, str] = {
    "stale": "no move for {days} days or more",
    "trial_end": "trial ends",
    "opco": "OPCO filing due (D6224-1)",
    "opco_refused": "OPCO refused the contract (D6224-2): fix and file again",
    "opco_silence": "OPCO silence past 20 days is a refusal (D6224-2, L231-4 CRPA): file again",
    "review": "review held more than a week ago and not logged",
    "failed": "a reminder could not be delivered",
    "window": "3-month search window ends (L6222-12-1)",
}


def detail_text(code: str, stale_days: int) -> str:
    """A risk's detail in English."""
    return DETAILS[code].format(days=stale_days)


def _cases(scope: sa.ColumnElement[bool] | None) -> sa.Select[tuple[int, str, str, str]]:
    query = (sa.select(case_table.c.id, case_table.c.first_name, case_table.c.last_name, case_table.c.state)
             .join(programme_table, programme_table.c.id == case_table.c.programme_id))
    return query.where(scope) if scope is not None else query


def _risks(app: RiskDeps, scope: sa.ColumnElement[bool] | None, moment: datetime,
           programmes: list[tuple[str, date]]) -> list[sa.Select[RiskRow]]:
    """Every risk as one query per kind, each row (case id, first name, last name, state, kind, detail's code, due),
    so that a page of them and their count are read from the database, not built in Python."""
    today = paris_date(moment)
    horizon = today + timedelta(days=HORIZON_DAYS)
    stale_before = moment - timedelta(days=app.policies.stale_apprentice_days)
    unlogged_before = moment - timedelta(days=app.policies.review_unlogged_after_days)
    no_date = sa.null().cast(sa.Date)

    def kind(query: sa.Select[tuple[int, str, str, str]], name: str, detail: str,
             due: sa.ColumnElement[Any]) -> sa.Select[RiskRow]:
        return query.add_columns(sa.literal(name, sa.String).label("kind"),
                                 sa.literal(detail, sa.String).label("detail"), due.label("due"))

    base = _cases(scope)
    # The running contract of a case: only its deadlines are the case's risks, never an old contract's that nobody
    # will file or end a trial of any more.
    current = (base.join(contract_table, contract_table.c.case_id == case_table.c.id)
               .where(case_table.c.state.in_(CONTRACT_STATES), current_contract()))
    # No DISTINCT (IN ignores duplicates): with it SQLite scans the whole ledger in case_id order instead of
    # seeking the failed rows by status (130 ms against 0.1 ms with 10,000 cases).
    failed = sa.select(reminder_table.c.case_id).where(reminder_table.c.status == "failed").scalar_subquery()
    parts = [
        kind(base.where(case_table.c.state.in_(SEARCH_STEPS), case_table.c.state_since < stale_before),
             "stale", "stale", no_date),
        kind(current.where(case_table.c.state == CaseState.TRIAL, contract_table.c.trial_end.between(today, horizon)),
             "deadline", "trial_end", contract_table.c.trial_end),
        # A contract signed and not started yet is filed within 5 working days of its start too.
        kind(current.where(contract_table.c.opco_filed_on.is_(None), contract_table.c.opco_filing_due <= horizon),
             "deadline", "opco", contract_table.c.opco_filing_due),
        # D6224-2: a contract the OPCO refused, or left unanswered past its 20th day (CRPA L231-4: a refusal), is not
        # funded until it is filed again (which clears the answer) or accepted.
        kind(current.where(contract_table.c.opco_decision == "refused"),
             "opco_refused", "opco_refused",
             contract_table.c.opco_decided_on),
        kind(current.where(contract_table.c.opco_filed_on.is_not(None),
                             contract_table.c.opco_decision.is_(None), contract_table.c.opco_decision_due < today),
             "opco_refused", "opco_silence",
             contract_table.c.opco_decision_due),
        kind(base.join(review_table, review_table.c.case_id == case_table.c.id)
             .where(review_table.c.state == "planned", review_table.c.planned_at < unlogged_before),
             "overdue_review", "review", review_table.c.due_by),
        kind(base.where(case_table.c.id.in_(failed)), "failed_reminder", "failed", no_date),
    ]
    # The L6222-12-1 window ends 3 months after each programme's start: one date per programme.
    for code, start in programmes:
        window_end = add_months(start, 3)
        if today <= window_end <= horizon:
            parts.append(kind(base.where(programme_table.c.code == code, case_table.c.state.in_(WINDOW_STATES)),
                              "deadline", "window",
                              sa.literal(window_end, sa.Date)))
    return parts


def ordered_risks(app: RiskDeps, uow: UnitOfWork, scope: sa.ColumnElement[bool] | None, moment: datetime, *,
                  first: int | None = None) -> tuple[sa.Select[tuple[int]], sa.Select[RiskRow]]:
    """How many risks the scope has (a query) and a query of them soonest due first (undated ones as due today),
    then by case and kind; the programmes' start dates are read in `uow`.

    `first`: only the first `first` of that order are wanted (a page: its offset and its size). Each kind's query
    is then ordered and cut to `first` rows before they are put together: the order of the whole is among them,
    and a kind's query stops early on an index (a network's 100,000 cases held 137,500 risks, all sorted for a
    page of 50: 134 ms). The count adds each kind's count instead of counting their rows put together."""
    today = paris_date(moment)
    programmes = [(row.code, row.start_date) for row in
                  uow.execute(sa.select(programme_table.c.code, programme_table.c.start_date))]
    parts = _risks(app, scope, moment, programmes)
    counts = [sa.select(sa.func.count()).select_from(part.subquery()).scalar_subquery() for part in parts]
    count = sa.select(functools.reduce(operator.add, counts))
    if first is not None:
        # kind and detail are the same on every row of a kind: its order is by due date and case only
        parts = [sa.select(part.order_by(sa.func.coalesce(part.selected_columns.due, today),
                                                case_table.c.id).limit(first).subquery()) for part in parts]
    risks = sa.union_all(*parts).subquery("risk")
    ordered = sa.select(risks).order_by(sa.func.coalesce(risks.c.due, today), risks.c.id, risks.c.kind,
                                        risks.c.detail)
    return count, ordered
