"""`list_invoices`: the CFA's invoice lines, the employer participation of each signed contract (L6332-14,
R6332-25-1, R6332-25-2), for the board, `contract-flow invoices list` and `GET /api/v1/invoices`.

Read-only: every contract row of the cases in the actor's scope (a case broken during its trial keeps its broken
contract beside the new one), each line computed by `domain.invoices.invoice_line` from what the contract keeps.
Staff only, of their own CFA; the operator sees every CFA's.
"""

from __future__ import annotations

from datetime import date

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, contract_table, programme_table
from contract_flow.domain.access import Action, authorize_role
from contract_flow.domain.case import Actor, ContractTerms, Role
from contract_flow.domain.context import paris_date
from contract_flow.domain.invoices import InvoiceLine, in_month, invoice_line, parse_month
from contract_flow.services.common import Store, resolve_actor

#: What a line reads of a contract (ContractTerms' fields of the same names).
_TERMS = ("signed", "start_date", "trial_end", "ended_on", "cancellation_reason", "participation_amount",
          "legal_sources", "employer_name", "employer_siret", "hiring_aid_filing_due")


def _query(actor: Actor) -> sa.Select[tuple[object, ...]]:
    query = (sa.select(case_table.c.id.label("case_id"), case_table.c.first_name, case_table.c.last_name,
                       programme_table.c.code, *(contract_table.c[name] for name in _TERMS))
             .join(case_table, case_table.c.id == contract_table.c.case_id)
             .join(programme_table, programme_table.c.id == case_table.c.programme_id)
             .where(contract_table.c.signed.is_(True))
             .order_by(contract_table.c.id))
    if actor.role is not Role.SYSTEM:
        query = query.where(programme_table.c.cfa_code == (actor.cfa_code or ""))
    return query


def list_invoices(app: Store, *, actor_email: str | Actor, month: str | None = None) -> list[InvoiceLine]:
    """One line per signed contract that owes (or owed) a participation, by due date then case: the amount and
    when the CFA invoices it (the trial's end; a break during the trial: the day of the break, with the amount
    recomputed), its status and its legal source. `month` (YYYY-MM) keeps the lines due that month; InvalidInput
    naming `month` when it is not one. Forbidden for anyone but CFA staff (and the operator)."""
    wanted = parse_month(month) if month is not None else None
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        authorize_role(actor, Action.READ_INVOICES)
        rows = uow.execute(_query(actor)).mappings().all()
    today = paris_date(app.clock.now())
    lines = []
    for row in rows:
        terms = ContractTerms(**{name: row[name] for name in _TERMS})
        line = invoice_line(int(row["case_id"]), f"{row['first_name']} {row['last_name']}", row["code"], terms,
                            today)
        if line is not None and (wanted is None or in_month(line.due_on, wanted)):
            lines.append(line)
    return sorted(lines, key=lambda line: (line.due_on or date.max, line.case_id))
