"""`contract-flow rules impact`: the signed contracts a changed rule set changes, and applying it to them.

A contract keeps the values the law fixed from its dates when it was signed (pay schedule, trial end, deadlines),
each with the rule-set entries it used. After the rule set changes (next January's SMIC, a corrected entry), this
lists the contracts whose kept values differ from a fresh computation; `apply` re-computes them, one unit of work
per case, with a history entry saying what changed and a re-plan of the case's reminders (the pay-change reminder
to the employer and the apprentice then states the new amount).
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, contract_table, programme_table
from contract_flow.domain.case import ALL_PARTS, Actor, Case
from contract_flow.domain.effects import store_contract_values
from contract_flow.domain.errors import ConflictError
from contract_flow.domain.impact import ValueChange, changes
from contract_flow.domain.machine import record_facts
from contract_flow.domain.states import CONTRACT_STATES, CaseState
from contract_flow.services.common import Engine, resolve_actor, transition_context

#: The states whose contract is signed and not over (started or not): their kept values are what the parties follow.
RUNNING = CONTRACT_STATES
#: The states whose trial end may still change: a contract waiting for its start, one in its trial.
TRIAL_TO_COME = (CaseState.SIGNED, CaseState.TRIAL)


@dataclass(frozen=True)
class CaseImpact:
    case_id: int
    candidate: str
    state: CaseState
    changes: tuple[ValueChange, ...]
    #: With `apply`: the history entry's sequence number, or why the case could not be updated.
    applied_seq: int | None = None
    error: str | None = None


def _running_contract_ids(app: Engine, scope: sa.ColumnElement[bool] | None = None) -> list[int]:
    """The cases in `scope` (all of them for an operator) whose signed contract runs."""
    with app.uow(write=False) as uow:
        query = (sa.select(case_table.c.id)
                 .join(programme_table, programme_table.c.id == case_table.c.programme_id)
                 .join(contract_table, contract_table.c.case_id == case_table.c.id)
                 .where(case_table.c.state.in_([state.value for state in RUNNING]), contract_table.c.signed)
                 .distinct().order_by(case_table.c.id))
        if scope is not None:
            query = query.where(scope)
        return [int(row.id) for row in uow.execute(query)]


def _changes_of(app: Engine, case: Case) -> list[ValueChange]:
    return changes(case.contract, app.rules.contract_values(case), with_trial=case.state in TRIAL_TO_COME)


def find_impact(app: Engine, scope: sa.ColumnElement[bool] | None = None) -> list[CaseImpact]:
    """The running contracts (of `scope`) whose kept values differ from what the rule set gives today."""
    found: list[CaseImpact] = []
    for case_id in _running_contract_ids(app, scope):
        with app.uow(write=False) as uow:
            case = uow.cases.get(case_id, ALL_PARTS)
        diff = _changes_of(app, case)
        if diff:
            found.append(CaseImpact(case_id, case.candidate.full_name, case.state, tuple(diff)))
    return found


def apply_impact(app: Engine, *, actor_email: str | Actor = "system", reason: str | None = None) -> list[CaseImpact]:
    """Re-compute every impacted contract, one unit of work per case: the new values and their sources, a
    history entry naming each change, the reminders re-planned. A case changed meanwhile by someone else is
    reported and left as it is (run the command again)."""
    why = reason or "the rule set changed: values re-computed (contract-flow rules impact --apply)"
    applied = [_apply_one(app, case_id, actor_email, why) for case_id in _running_contract_ids(app)]
    return [impact for impact in applied if impact is not None]


def _apply_one(app: Engine, case_id: int, actor_email: str | Actor, why: str) -> CaseImpact | None:
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, ALL_PARTS)
        diff = _changes_of(app, case)
        if not diff:
            return None
        impact = CaseImpact(case_id, case.candidate.full_name, case.state, tuple(diff))
        given = {f"rules.{change.value}" + (f"@{change.since.isoformat()}" if change.since else ""):
                 f"{change.old or 'none'} → {change.new or 'none'}" for change in diff}
        ctx = transition_context(app, uow, case, actor, why, given)
        store_contract_values(case.contract, app.rules.contract_values(case))
        event = record_facts(case, ctx)
        try:
            uow.cases.save(case, expected_version=case.version)
        except ConflictError as conflict:
            return replace(impact, error=str(conflict))
        uow.commit()
    return replace(impact, applied_seq=event.seq)
