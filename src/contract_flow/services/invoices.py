"""`list_invoices`: the CFA's invoice lines, the employer participation of each signed contract (L6332-14,
R6332-25-1, R6332-25-2), for the board, `contract-flow invoices list` and `GET /api/v1/invoices`.

Read-only: every contract row of the cases in the actor's scope (a case broken during its trial keeps its broken
contract beside the new one), each line computed by `domain.invoices.invoice_line` from what the contract keeps.
Staff only, of their own CFA; the operator sees every CFA's.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, contract_table, programme_table
from contract_flow.domain.access import Action, authorize_role
from contract_flow.domain.case import Actor, ContractTerms, Role
from contract_flow.domain.context import paris_date
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.invoices import (
    TRIAL_BREAK,
    ZERO,
    InvoiceLine,
    in_month,
    invoice_line,
    next_month,
    parse_month,
)
from contract_flow.domain.reasons import Reason
from contract_flow.services.common import Store, resolve_actor

#: What a line reads of a contract (ContractTerms' fields of the same names).
_TERMS = ("signed", "start_date", "trial_end", "ended_on", "cancellation_reason", "participation_amount",
          "legal_sources", "employer_name", "employer_siret", "hiring_aid_filing_due")


def _query(actor: Actor, month: tuple[int, int] | None = None) -> sa.Select[tuple[object, ...]]:
    query = (sa.select(case_table.c.id.label("case_id"), case_table.c.first_name, case_table.c.last_name,
                       programme_table.c.code, *(contract_table.c[name] for name in _TERMS))
             .join(case_table, case_table.c.id == contract_table.c.case_id)
             .join(programme_table, programme_table.c.id == case_table.c.programme_id)
             .where(contract_table.c.signed.is_(True))
             .order_by(contract_table.c.id))
    if actor.role is not Role.SYSTEM:
        query = query.where(programme_table.c.cfa_code == (actor.cfa_code or ""))
    if month is not None:
        # A line is due on its trial's end or on the day of a break (domain.invoices.invoice_line): only the
        # contracts with one of those in the month can have a line due in it (the board asks two months of a
        # network's contracts); `in_month` then keeps exactly the lines due in it.
        first = date(*month, 1)
        after = date(*next_month(month), 1)
        query = query.where(sa.or_(sa.and_(contract_table.c.trial_end >= first, contract_table.c.trial_end < after),
                                   sa.and_(contract_table.c.ended_on >= first, contract_table.c.ended_on < after)))
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
        rows = uow.execute(_query(actor, wanted)).mappings().all()
    today = paris_date(app.clock.now())
    lines = []
    for row in rows:
        terms = ContractTerms(**{name: row[name] for name in _TERMS})
        line = invoice_line(int(row["case_id"]), f"{row['first_name']} {row['last_name']}", row["code"], terms,
                            today)
        if line is not None and (wanted is None or in_month(line.due_on, wanted)):
            lines.append(line)
    return sorted(lines, key=lambda line: (line.due_on or date.max, line.case_id))


@dataclass(frozen=True)
class InvoicePage:
    """A page of the invoice lines, in `list_invoices`' order, with how many lines there are in all and their
    total (amounts not recomputed yet counted as none)."""

    lines: list[InvoiceLine]
    count: int
    total: Decimal


#: `invoice_line`'s cases in SQL, to order, count and add up a network's lines in the database and build only a
#: page of them: a contract broken during its trial (recomputed, due on the break), one that owes nothing (no
#: amount and no break: no line), one cancelled before its start (nothing owed, no day), else due at the trial's end.
# Only an ended contract can carry the mark (the break that writes it ends the contract, domain.effects), and the
# key is looked for in the text before the JSON is parsed: the sources are a compressed blob of some 2.5 kB a
# contract, and reading it for each of a network's 45,000 contracts took 270 ms on PostgreSQL.
_BROKEN = sa.and_(contract_table.c.ended_on.is_not(None),
                  sa.cast(contract_table.c.legal_sources, sa.Text).like(f'%"{TRIAL_BREAK}"%'),
                  contract_table.c.legal_sources[TRIAL_BREAK].is_not(None))
_OWES = sa.or_(_BROKEN, contract_table.c.participation_amount > 0)
_CANCELLED = sa.or_(sa.and_(contract_table.c.ended_on.is_not(None), contract_table.c.start_date.is_not(None),
                            contract_table.c.ended_on < contract_table.c.start_date),
                    contract_table.c.cancellation_reason.is_not(None))
_DUE = sa.case((_BROKEN, contract_table.c.ended_on), (_CANCELLED, sa.null()), else_=contract_table.c.trial_end)
_AMOUNT = sa.case((_BROKEN, sa.func.coalesce(contract_table.c.participation_amount, 0)), (_CANCELLED, 0),
                  else_=contract_table.c.participation_amount)


def invoice_page(app: Store, *, actor_email: str | Actor, month: str | None = None, limit: int = 100,
                 offset: int = 0) -> InvoicePage:
    """`list_invoices`' lines from `offset`, at most `limit`, with their count and total: the page and the API
    of a network's CFA (tens of thousands of contracts), where the CLI's CSV takes them all."""
    if offset < 0:
        raise InvalidInput("offset", Reason("negative", value=offset))
    if limit < 1:
        raise InvalidInput("limit", Reason("not_positive", value=limit))
    wanted = parse_month(month) if month is not None else None
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        authorize_role(actor, Action.READ_INVOICES)
        query = _query(actor, wanted).where(_OWES)
        if wanted is not None:
            first = date(*wanted, 1)
            query = query.where(first <= _DUE, date(*next_month(wanted), 1) > _DUE)
        counted = query.with_only_columns(sa.func.count(), sa.func.sum(_AMOUNT)).order_by(None)
        count, total = uow.execute(counted).one()
        rows = uow.execute(query.order_by(None).order_by(_DUE.is_(None), _DUE, case_table.c.id, contract_table.c.id)
                           .limit(limit).offset(offset)).mappings().all()
    today = paris_date(app.clock.now())
    lines = [line for row in rows if (line := invoice_line(
        int(row["case_id"]), f"{row['first_name']} {row['last_name']}", row["code"],
        ContractTerms(**{name: row[name] for name in _TERMS}), today)) is not None]
    return InvoicePage(lines, int(count), Decimal(total or ZERO).quantize(ZERO))
