"""Each listed case's next deadline, for the cards and rows of every list: the earliest date by which something
about the case must be done and is not done yet, overdue («en retard») when it is before today in Paris. Two
queries for a whole page of cases, whatever its size.

The deadlines (the apprentice's page names the same ones, services/people.py):
- at «Réfléchir», «Candidater», «Convaincre»: the last day of the search without an employer (L6222-12-1: 3 months
  from the programme's start; L6222-18-2: 6 months from a break);
- under the current contract (the newest; an earlier broken one is no deadline of the case any more): its filing
  with the OPCO until filed (D6224-1), the OPCO's answer until given (D6224-2), the medical visit until held
  (R6222-40-1), practical training's start until recorded (L6222-12), the trial's end during the trial
  (L6222-18), the next planned review's due date, the contract's end once running.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any, Protocol

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, contract_table, programme_table, review_table
from contract_flow.domain.context import paris_date
from contract_flow.domain.dates import add_months
from contract_flow.domain.reviews import ReviewState
from contract_flow.domain.states import CONTRACT_STATES, CaseState
from contract_flow.services.common import Engine

#: The steps where the search without an employer runs (L6222-12-1).
WINDOW_STATES = frozenset({CaseState.REFLECT, CaseState.APPLY, CaseState.CONVINCE})
#: At most this many cases a call (a page of a list).
MAX_CASES = 500


class DeadlineDeps(Engine, Protocol):
    """A database, the time and the law (the search window's length)."""


@dataclass(frozen=True)
class NextDeadline:
    kind: str  # search_window, opco_filing, opco_decision, medical_visit, training_start, trial_end, review,
    #            contract_end
    due: date
    overdue: bool


def _window_end(app: DeadlineDeps, start: date, previous_end: date | None) -> date:
    """The last day within the search window (the same dates as LegalRules.search_window_end, from the row)."""
    if previous_end is not None:
        end = app.rules.resume_window_end(previous_end)
    else:
        end = add_months(start, app.rules.ruleset.duration_on("search_without_employer_months", start).value)
    return end - timedelta(days=1)


def _candidates(app: DeadlineDeps, row: Any, review_due: date | None) -> list[tuple[str, date]]:
    state = CaseState(row.state)
    found: list[tuple[str, date | None]] = []
    if state in WINDOW_STATES:
        found.append(("search_window", _window_end(app, row.start_date, row.previous_contract_end)))
    if state in CONTRACT_STATES and row.contract_id is not None:
        if row.opco_filed_on is None:
            found.append(("opco_filing", row.opco_filing_due))
        elif row.opco_decision is None:
            found.append(("opco_decision", row.opco_decision_due))
        if row.medical_visit_on is None:
            found.append(("medical_visit", row.medical_visit_due))
        if row.practical_training_start is None:
            found.append(("training_start", row.training_start_due))
        if state is CaseState.TRIAL:
            found.append(("trial_end", row.trial_end))
        found.append(("review", review_due))
        if state is CaseState.ACTIVE:
            found.append(("contract_end", row.end_date))
    return [(kind, due) for kind, due in found if due is not None]


def next_deadlines(app: DeadlineDeps, case_ids: list[int]) -> dict[int, NextDeadline]:
    """The next deadline of each case that has one, by case id."""
    ids = sorted(set(case_ids))[:MAX_CASES]
    if not ids:
        return {}
    today = paris_date(app.clock.now())
    latest = (sa.select(sa.func.max(contract_table.c.id)).where(contract_table.c.case_id == case_table.c.id)
              .correlate(case_table).scalar_subquery())
    query = (sa.select(case_table.c.id, case_table.c.state, case_table.c.previous_contract_end,
                       programme_table.c.start_date, contract_table.c.id.label("contract_id"),
                       contract_table.c.opco_filed_on, contract_table.c.opco_filing_due,
                       contract_table.c.opco_decision, contract_table.c.opco_decision_due,
                       contract_table.c.medical_visit_on, contract_table.c.medical_visit_due,
                       contract_table.c.practical_training_start, contract_table.c.training_start_due,
                       contract_table.c.trial_end, contract_table.c.end_date)
             .join(programme_table, programme_table.c.id == case_table.c.programme_id)
             .outerjoin(contract_table, contract_table.c.id == latest)
             .where(case_table.c.id.in_(ids)))
    reviews = (sa.select(review_table.c.case_id, sa.func.min(review_table.c.due_by))
               .where(review_table.c.case_id.in_(ids), review_table.c.state == ReviewState.PLANNED.value)
               .group_by(review_table.c.case_id))
    with app.uow(write=False) as uow:
        rows = list(uow.execute(query))
        review_due: dict[int, date] = {row[0]: row[1] for row in uow.execute(reviews)}
    found: dict[int, NextDeadline] = {}
    for row in rows:
        candidates = _candidates(app, row, review_due.get(row.id))
        if candidates:
            kind, due = min(candidates, key=lambda candidate: candidate[1])
            found[row.id] = NextDeadline(kind, due, due < today)
    return found
