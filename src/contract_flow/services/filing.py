"""Use cases on a signed contract's filing with the OPCO and the OPCO's answer (issue 14, item 6): record the
filing, record the answer, show where it stands and what to fix. One unit of work each; the rules are
domain/filing.py's, the OPCO's 20th day the legal rules' (D6224-2).

Each change is a history entry of the case (`record_facts`: who, when, the facts recorded) and re-plans its
reminders (`FactsRecorded`): the advisor's `opco_silence` before the 20th day and `opco_refused_by_silence` the day
after, none once an answer is recorded. A refused contract (explicitly, or by silence) is at risk until it is filed
again or accepted (services/risk.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Protocol

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, contract_table, programme_table
from contract_flow.domain.access import Action
from contract_flow.domain.case import Actor, Case, Part
from contract_flow.domain.context import paris_date
from contract_flow.domain.dossier import Refusal
from contract_flow.domain.errors import NotNow
from contract_flow.domain.filing import (
    ACCEPTED,
    REFUSED,
    Filing,
    check_decision,
    check_filing,
    decide,
    file_with_opco,
    filing_of,
)
from contract_flow.domain.machine import record_facts
from contract_flow.domain.states import CONTRACT_STATES, CaseState
from contract_flow.services.case_filters import current_contract
from contract_flow.services.common import (
    Engine,
    Transactional,
    authorize_on,
    checked_version,
    resolve_actor,
    transition_context,
)
from contract_flow.services.dossier_assembly import assemble, refusals_of

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork


class FilingDeps(Engine, Protocol):
    """A database, the time and the law (the OPCO's 20 days, the dossier's checks)."""


def _running(state: CaseState, field: str) -> None:
    if state not in CONTRACT_STATES:
        raise NotNow(field, f"the case is {state.value}: only a signed contract (signed, in trial or active) is "
                            "filed with the OPCO and answered")


def file_contract(app: FilingDeps, case_id: int, *, filed_on: date, opco: str | None = None,
                  actor_email: str | Actor, expected_version: int | None = None) -> Filing:
    """D6224-1: the signed contract filed with the employer's OPCO on `filed_on` (not before the signature, not in
    the future); `opco` defaults to the OPCO on the dossier's employer section. Filing again after a refusal (or
    while the answer is awaited: the 20 days run from the complete file) clears the previous answer and starts a
    new 20 days (D6224-2); an accepted contract is not filed again. Refused naming the field, nothing saved."""
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, (Part.CONTRACT,))
        authorize_on(uow, actor, Action.FILE_CONTRACT, case)
        version = checked_version(case, expected_version)
        _running(case.state, "filed_on")
        ctx = transition_context(app, uow, case, actor)
        named = opco if opco is not None and opco.strip() else _dossier_opco(app, uow, case)
        name = check_filing(case.contract, filed_on, named, ctx.today)
        file_with_opco(case.contract, filed_on, name)
        app.rules.note_opco_filing(case)  # the OPCO's 20th day, from this filing
        given = {"contract.opco_filed_on": filed_on.isoformat(), "contract.opco_name": name}
        due = case.contract.opco_decision_due
        if due is not None:
            given["contract.opco_decision_due"] = due.isoformat()
        record_facts(case, transition_context(app, uow, case, actor, "filed with the OPCO (D6224-1)", given,
                                              ctx.now))
        uow.cases.save(case, expected_version=version)
        uow.commit()
        return filing_of(case.contract, ctx.today)


def _dossier_opco(app: FilingDeps, uow: UnitOfWork, case: Case) -> str | None:
    """The OPCO the dossier's employer section names (None when it names none)."""
    return assemble(uow, case, app.rules).dossier.employer.opco


def record_opco_decision(app: FilingDeps, case_id: int, *, decision: str, decided_on: date,
                         deca_number: str | None = None, reason: str | None = None, actor_email: str | Actor,
                         expected_version: int | None = None) -> Filing:
    """D6224-2: the OPCO's answer to the filing: "accepted" with the contract's DECA number (its format checked),
    or "refused" with the reason; only once filed and not yet answered (a late answer after the silence too), on
    or after the filing day and not in the future. Refused naming the field, nothing saved."""
    with app.uow() as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, (Part.CONTRACT,))
        authorize_on(uow, actor, Action.RECORD_OPCO_DECISION, case)
        version = checked_version(case, expected_version)
        _running(case.state, "decision")
        ctx = transition_context(app, uow, case, actor)
        checked = check_decision(case.contract, decision, decided_on, ctx.today, deca_number=deca_number,
                                 reason=reason)
        decide(case.contract, checked)
        given = {"contract.opco_decision": checked.decision, "contract.opco_decided_on": decided_on.isoformat()}
        if checked.decision == ACCEPTED:
            given["contract.deca_number"] = checked.deca_number or ""
        else:
            given["contract.opco_refusal_reason"] = checked.reason or ""
        record_facts(case, transition_context(app, uow, case, actor, f"the OPCO's decision: {checked.decision} "
                                                                     "(D6224-2)", given, ctx.now))
        uow.cases.save(case, expected_version=version)
        uow.commit()
        return filing_of(case.contract, ctx.today)


@dataclass(frozen=True)
class FilingView:
    """Where the case's contract stands with its OPCO, and on a refusal what to fix: the OPCO's reason and what the
    dossier's checks refuse now (each naming the field and the article); it may then be filed again."""

    case_id: int
    case_version: int
    state: CaseState
    signed: bool
    filing: Filing
    #: The OPCO the dossier's employer section names: the filing form's default.
    dossier_opco: str | None
    #: The dossier's refusals, read when the contract is refused (empty otherwise, and when nothing is to fix).
    to_fix: tuple[Refusal, ...]

    @property
    def may_file(self) -> bool:
        return self.signed and self.state in CONTRACT_STATES and self.filing.may_file

    @property
    def may_decide(self) -> bool:
        return self.signed and self.state in CONTRACT_STATES and self.filing.may_decide


def show_filing(app: FilingDeps, case_id: int, *, actor_email: str | Actor) -> FilingView:
    """The contract's filing on today's date (not filed, waiting, accepted, refused, refused by silence) for those
    who read the dossier, with what to fix when it is refused."""
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, (Part.CONTRACT,))
        authorize_on(uow, actor, Action.READ_DOSSIER, case)
        assert case.id is not None
        filing = filing_of(case.contract, paris_date(app.clock.now()))
        assembled = assemble(uow, case, app.rules)
        to_fix = tuple(refusals_of(uow, case, app.rules, assembled)) if filing.refused else ()
        return FilingView(case.id, case.version, case.state, case.contract.signed, filing,
                          assembled.dossier.employer.opco, to_fix)


# -- the board: per programme, the running contracts signed / filed / accepted / refused / waiting ----------------

@dataclass(frozen=True)
class FilingCounts:
    """Running contracts (signed, in trial, active) of a programme by where they stand with their OPCO; refused
    counts the refusals by silence (the 20 days over without an answer)."""

    signed: int = 0
    filed: int = 0
    accepted: int = 0
    refused: int = 0
    waiting: int = 0

    @property
    def not_filed(self) -> int:
        return self.signed - self.filed


def _count(condition: sa.ColumnElement[bool]) -> sa.ColumnElement[int]:
    return sa.func.coalesce(sa.func.sum(sa.case((condition, 1), else_=0)), 0)


def filing_board(app: Transactional, scope: sa.ColumnElement[bool] | None = None, cfa_code: str | None = None, *,
                 today: date) -> dict[str, FilingCounts]:
    """Per programme (every programme of `cfa_code`, with zeros), its running contracts' filings on `today`: one
    query, each case's current contract (the newest)."""
    decision, filed, due = contract_table.c.opco_decision, contract_table.c.opco_filed_on, \
        contract_table.c.opco_decision_due
    unanswered = sa.and_(filed.is_not(None), decision.is_(None))
    query = (
        sa.select(programme_table.c.code, sa.func.count(), sa.func.count(filed), _count(decision == ACCEPTED),
                  _count(sa.or_(decision == REFUSED, sa.and_(unanswered, due < today))),
                  _count(sa.and_(unanswered, sa.or_(due.is_(None), due >= today))))
        .select_from(case_table)
        .join(programme_table, programme_table.c.id == case_table.c.programme_id)
        .join(contract_table, contract_table.c.case_id == case_table.c.id)
        .where(case_table.c.state.in_([state.value for state in CONTRACT_STATES]), current_contract())
        .group_by(programme_table.c.code)
    )
    if scope is not None:
        query = query.where(scope)
    programmes = sa.select(programme_table.c.code).order_by(programme_table.c.code)
    if cfa_code is not None:
        programmes = programmes.where(programme_table.c.cfa_code == cfa_code)
    found: dict[str, FilingCounts] = {}
    with app.uow(write=False) as uow:
        for code in uow.execute(programmes).scalars():
            found[code] = FilingCounts()
        for code, *counts in uow.execute(query):
            found[code] = FilingCounts(*(int(count) for count in counts))
    return found


def filing_as_dict(filing: Filing) -> dict[str, object]:
    """A filing as the CLI's --json and the API give it (ISO dates, codes)."""
    return {"status": filing.status.value, "filed_on": filing.filed_on, "opco": filing.opco,
            "decision_due": filing.decision_due, "decided_on": filing.decided_on, "deca_number": filing.deca_number,
            "refusal_reason": filing.refusal_reason}


def view_as_dict(view: FilingView) -> dict[str, object]:
    """`show_filing`'s answer as data: the filing, whether it may be filed or answered now, what to fix."""
    return {"case_id": view.case_id, "case_version": view.case_version, "state": view.state.value,
            **filing_as_dict(view.filing), "may_file": view.may_file, "may_decide": view.may_decide,
            "dossier_opco": view.dossier_opco,
            "to_fix": [{"field": refusal.field, "reason": refusal.reason, "article": refusal.article}
                       for refusal in view.to_fix]}
