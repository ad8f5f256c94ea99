"""The TDB's status of the cases and the reconciliation with the public systems (issue 16, items 3 and 4).

Read-only use cases, one unit of work each:
- `case_tdb_status`: the status the Tableau de bord computes for one case from the dates we send
  (domain/tdb_status.py), beside the engine's state and, where they differ, why (the case page, `contract-flow tdb
  status`, GET /api/v1/cases/{id}/tdb-status);
- `tdb_status_counts`: per programme, the cases by TDB status (the board, `contract-flow board`, GET
  /api/v1/board);
- `reconcile`: what to put right with the public systems (the advisor's page /tdb/reconciliation, `contract-flow tdb
  reconcile`, GET /api/v1/tdb/reconciliation): a contract filed with its OPCO without a DECA number 30 days later
  (the OPCO has not registered it: the CFA is not paid for it, PUBLIC-SYSTEMS.md §3), a case the TDB refused in the
  CFA's latest push (the push ledger of helper "tdb": tdb_push, tdb_push_error, read here, use cases not calling
  each other), a learner the TDB counts ABANDON while the engine still follows them.

Every case's dates are read as the feed sends them (`domain.tdb_status.sent_dates`), its contracts from every
contract row of the case (a broken one stays beside the next).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import lru_cache
from typing import TYPE_CHECKING, Any

import sqlalchemy as sa

from contract_flow.adapters.tables import (
    case_table,
    contract_table,
    programme_table,
    tdb_push_error_table,
    tdb_push_table,
)
from contract_flow.adapters.tdb_tally import TallyGroup, TdbTally, cases_in
from contract_flow.domain.access import Action, authorize_role
from contract_flow.domain.case import Actor, BreakParty, ContractTerms, Part, ProgrammeTerms, Role, TerminationReason
from contract_flow.domain.context import paris_date
from contract_flow.domain.errors import NotFound
from contract_flow.domain.filing import filing_of
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.states import CaseState
from contract_flow.domain.tdb_status import (
    FOLLOWED,
    LEFT_BEFORE_START,
    Comparison,
    SentContract,
    SentDates,
    TdbResult,
    TdbStatus,
    compare,
    is_sent,
    sent_contract,
    sent_dates,
    tally_contracts,
    tdb_status,
)
from contract_flow.services.common import Store, Transactional, authorize_on, resolve_actor
from contract_flow.services.tdb_rows import anonymised

if TYPE_CHECKING:
    from contract_flow.services.unit_of_work import UnitOfWork

#: PUBLIC-SYSTEMS.md §3: a contract the OPCO accepted is in DECA with its number; still without one 30 days after
#: its filing (the OPCO decides within 20 days, D6224-2, and DECA is fed weeks later), it is to chase.
DECA_WAIT_DAYS = 30

#: What the status reads of each contract row (ContractTerms' fields of the same names).
_TERMS = ("signed", "start_date", "end_date", "ended_on", "ended_by", "termination_reason", "cancellation_reason",
          "opco_filed_on", "opco_name", "opco_decision", "opco_decided_on", "opco_decision_due", "deca_number",
          "opco_refusal_reason")
_CASE = (case_table.c.id, case_table.c.first_name, case_table.c.last_name, case_table.c.state,
         case_table.c.opened_at, case_table.c.state_since, case_table.c.programme_year, case_table.c.advisor_email,
         programme_table.c.code, programme_table.c.cfa_code, programme_table.c.start_date, programme_table.c.years,
         anonymised(case_table.c.id).label("anonymised"))


@dataclass(frozen=True)
class CaseTdbStatus:
    """A case's status in the TDB on `on`, with the engine's state beside it."""

    case_id: int
    name: str
    programme: str
    comparison: Comparison
    #: Whether the feed of that day sends the case (its programme started, not closed before the training started).
    sent: bool
    #: The dates the status used (as the feed sends them).
    registered_on: date
    training_start: date
    training_end: date
    contracts: tuple[tuple[date, date | None, date | None], ...] = ()


@dataclass
class _Loaded:
    row: Any
    contracts: list[ContractTerms] = field(default_factory=list)
    #: The contracts as the feed sends them (domain.tdb_status.sent_contract), once read.
    sent: tuple[SentContract, ...] | None = None


def _terms(row: Any) -> ContractTerms:
    values = {name: row[name] for name in _TERMS}
    values["ended_by"] = BreakParty(values["ended_by"]) if values["ended_by"] else None
    values["termination_reason"] = TerminationReason(values["termination_reason"]) \
        if values["termination_reason"] else None
    return ContractTerms(**values)


def _load(uow: UnitOfWork, condition: sa.ColumnElement[bool] | None) -> list[_Loaded]:
    """The cases under `condition` (on the case joined to its programme) with all their contract rows: two
    queries."""
    cases = sa.select(*_CASE).join(programme_table, programme_table.c.id == case_table.c.programme_id)
    if condition is not None:
        cases = cases.where(condition)
    loaded = {row.id: _Loaded(row) for row in uow.execute(cases.order_by(case_table.c.id))}
    if not loaded:
        return []
    ids = sa.select(case_table.c.id).join(programme_table, programme_table.c.id == case_table.c.programme_id)
    if condition is not None:
        ids = ids.where(condition)
    contracts = (sa.select(contract_table.c.case_id, *(contract_table.c[name] for name in _TERMS))
                 .where(contract_table.c.case_id.in_(ids), contract_table.c.signed.is_(True))
                 .order_by(contract_table.c.id))
    for row in uow.execute(contracts).mappings():
        found = loaded.get(row["case_id"])
        if found is not None:
            found.contracts.append(_terms(row))
    return list(loaded.values())


def _status(one: _Loaded, on: date) -> tuple[Comparison, SentDates, bool]:
    """The case's comparison on `on`, the dates used (its contracts started by then, as the feed of that day sends
    them) and whether that feed sends the case at all."""
    row = one.row
    if one.sent is None:
        one.sent = tuple(found for found in map(sent_contract, one.contracts) if found is not None)
    started = tuple(contract for contract in one.sent if contract.start <= on)
    result, dates = _status_on(row.start_date, row.years, row.programme_year, started, on)
    registered = paris_date(row.opened_at)
    state = CaseState(row.state)
    since = paris_date(row.state_since) if state in LEFT_BEFORE_START else on
    sent = is_sent(state=state, state_since=since, registered_on=registered, training_start=dates.training_start,
                   on=on, anonymised=bool(row.anonymised))
    return compare(state, result), replace(dates, registered_on=registered), sent


@lru_cache(maxsize=4096)
def _status_on(start: date, years: int, programme_year: int, contracts: tuple[SentContract, ...],
               on: date) -> tuple[TdbResult, SentDates]:
    """domain.tdb_status.tdb_status over the dates the feed sends (sent_dates: the latest four contracts), kept for
    the cases of a list that send the same ones (a cohort signed on the same days; the registration day plays no
    part in the status): a pure function of hashable values, so a board of thousands computes each distinct one
    once."""
    dates = sent_dates(registered_on=start, programme=ProgrammeTerms("", years, 0, start),
                       programme_year=programme_year, contracts=())
    dates = replace(dates, contracts=tuple(sorted(contracts, key=lambda one: one.start)[-4:]))
    return tdb_status(dates, on), dates


def case_tdb_status(app: Store, case_id: int, *, actor_email: str | Actor, on: date | None = None) -> CaseTdbStatus:
    """The status the TDB computes for the case on `on` (today by default) from the dates we send, beside the
    engine's state; for whoever may read the case (out of scope: not found)."""
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        case = uow.cases.get(case_id, (Part.CONTRACT,))
        authorize_on(uow, actor, Action.READ, case)
        found = _load(uow, case_table.c.id == case_id)
    day = on or paris_date(app.clock.now())
    comparison, dates, sent = _status(found[0], day)
    row = found[0].row
    return CaseTdbStatus(case_id, f"{row.first_name} {row.last_name}", row.code, comparison, sent,
                         dates.registered_on, dates.training_start, dates.training_end,
                         tuple((one.start, one.end, one.broken_on) for one in dates.contracts))


def tdb_status_counts(app: Transactional, cfa_code: str | None = None, *,
                      today: date) -> dict[str, dict[TdbStatus, int]]:
    """Per programme of `cfa_code` (None: every CFA's; every programme, with zeros), its cases the feed of `today`
    sends by the status the TDB computes; the cases the engine closed after the training started (withdrawn,
    lapsed) are counted too, as the TDB counts them (ABANDON once their 90 days are over). The counts are kept as
    the cases change (adapters/tdb_tally.py): each group of cases with the same programme, year and contracts is
    computed once on the day, however many cases it holds. Staff see their CFA's (services.access.case_scope)."""
    programmes = sa.select(programme_table.c.code).order_by(programme_table.c.code)
    if cfa_code is not None:
        programmes = programmes.where(programme_table.c.cfa_code == cfa_code)
    counts: dict[str, dict[TdbStatus, int]] = {}
    with app.uow(write=False) as uow:
        for code in uow.execute(programmes).scalars():
            counts[code] = dict.fromkeys(TdbStatus, 0)
        groups = TdbTally(uow.connection).groups(today, cfa_code)
    for group, number in groups.items():
        counts.setdefault(group.code, dict.fromkeys(TdbStatus, 0))[_group_status(group, today).status] += number
    return counts


def _group_status(group: TallyGroup, today: date) -> TdbResult:
    """The status on `today` of the cases of a group: their contracts started by the day (the feed sends those)."""
    started = tuple(one for one in tally_contracts(group.contracts) if one.start <= today)
    return _status_on(group.start, group.years, group.year, started, today)[0]


_LEFT = frozenset(state.value for state in LEFT_BEFORE_START)


# -- the reconciliation -----------------------------------------------------------------------------------------

DECA_MISSING, TDB_REJECTED, ABANDON_FOLLOWED = "deca_missing", "tdb_rejected", "abandon_followed"
KINDS = (DECA_MISSING, TDB_REJECTED, ABANDON_FOLLOWED)


@dataclass(frozen=True)
class ReconciliationItem:
    """One thing to put right with the public systems: its kind, the case, since when, and why."""

    kind: str
    case_id: int
    name: str
    programme: str
    cfa_code: str
    state: CaseState
    advisor_email: str | None
    since: date | None
    reason: Reason


@dataclass(frozen=True)
class Reconciliation:
    on: date
    items: tuple[ReconciliationItem, ...]

    def of_kind(self, kind: str) -> list[ReconciliationItem]:
        return [item for item in self.items if item.kind == kind]


def _scope(actor: Actor, cfa_code: str | None) -> sa.ColumnElement[bool] | None:
    """An advisor's cases (theirs, and those nobody advises), a programme lead's CFA, the operator's every CFA
    (or `cfa_code`'s). Another CFA than one's own is not found, as everything out of scope."""
    if actor.role is Role.SYSTEM:
        return sa.and_(programme_table.c.cfa_code == cfa_code) if cfa_code is not None else None
    own = actor.cfa_code or ""
    if cfa_code is not None and cfa_code != own:
        raise NotFound("cfa", cfa_code)
    condition: sa.ColumnElement[bool] = sa.and_(programme_table.c.cfa_code == own)
    if actor.role is Role.ADVISOR:
        condition = sa.and_(condition, sa.or_(case_table.c.advisor_email == actor.email,
                                              case_table.c.advisor_email.is_(None)))
    return condition


def _item(kind: str, one: _Loaded, since: date | None, reason: Reason) -> ReconciliationItem:
    row = one.row
    return ReconciliationItem(kind, row.id, f"{row.first_name} {row.last_name}", row.code, row.cfa_code,
                              CaseState(row.state), row.advisor_email, since, reason)


def _deca_missing(one: _Loaded, on: date) -> Iterable[ReconciliationItem]:
    for terms in one.contracts:
        filed = terms.opco_filed_on
        if filed is None or terms.deca_number or (terms.ended_on is not None and terms.start_date is not None
                                                  and terms.ended_on < terms.start_date):
            continue
        days = (on - filed).days
        if days < DECA_WAIT_DAYS:
            continue
        filing = filing_of(terms, on)
        yield _item(DECA_MISSING, one, filed, Reason(
            "recon_deca_missing", opco=terms.opco_name or "OPCO", filed_on=filed, days=days,
            status=Reason(f"recon_filing_{filing.status.value}")))


def _rejections(uow: UnitOfWork, cfa_codes: Sequence[str]) -> dict[int, list[tuple[date, str, str, str]]]:
    """Per case, the errors of the latest push of each CFA (its day, the field, the message, the source)."""
    if not cfa_codes:
        return {}
    latest = (sa.select(tdb_push_table.c.cfa_code, sa.func.max(tdb_push_table.c.id).label("push_id"))
              .where(tdb_push_table.c.cfa_code.in_(cfa_codes), tdb_push_table.c.finished_at.is_not(None))
              .group_by(tdb_push_table.c.cfa_code).subquery())
    query = (sa.select(tdb_push_error_table.c.case_id, tdb_push_table.c.started_at, tdb_push_error_table.c.field,
                       tdb_push_error_table.c.message, tdb_push_error_table.c.source)
             .join(tdb_push_table, tdb_push_table.c.id == tdb_push_error_table.c.push_id)
             .join(latest, latest.c.push_id == tdb_push_table.c.id)
             .where(tdb_push_error_table.c.case_id.is_not(None))
             .order_by(tdb_push_error_table.c.id))
    found: dict[int, list[tuple[date, str, str, str]]] = defaultdict(list)
    for case_id, started, name, message, source in uow.execute(query):
        found[int(case_id)].append((paris_date(started), name, message, source))
    return found


def _cfa_codes(uow: UnitOfWork, actor: Actor, cfa_code: str | None) -> list[str]:
    """The CFAs whose pushes the reconciliation reads: staff their own CFA's, the operator `cfa_code`'s or every
    CFA's (the scope, `_scope`, then keeps the actor's cases)."""
    if actor.role is not Role.SYSTEM:
        return [actor.cfa_code or ""]
    if cfa_code is not None:
        return [cfa_code]
    query = sa.select(programme_table.c.cfa_code).distinct().where(programme_table.c.cfa_code.is_not(None))
    return sorted(uow.execute(query).scalars())


def _candidates(uow: UnitOfWork, scope: sa.ColumnElement[bool] | None, cfa_code: str | None, day: date,
                rejected: dict[int, list[tuple[date, str, str, str]]]) -> sa.ColumnElement[bool]:
    """The cases that may have an item on `day`, in SQL, before each is read and judged: a contract filed 30 days
    ago or more without a DECA number, an error in the CFA's latest push, or the TDB's status ABANDON while the
    engine follows the case (the groups of the kept counts, adapters/tdb_tally.py, whose status is ABANDON: a
    network's 100,000 cases are judged a few hundred groups at a time, and only the cases of the few ABANDON groups
    are read)."""
    k = contract_table.alias("filed_contract").c  # an alias: the condition sits in `_load`'s query on `contract`
    followed = case_table.c.state.in_(sorted(state.value for state in FOLLOWED))
    # The groups of the scope's CFA (None: every CFA's); the scope (an advisor's cases) narrows the cases found.
    groups = TdbTally(uow.connection).groups(day, cfa_code, followed=True)
    abandon = [group for group in groups if _group_status(group, day).status is TdbStatus.ABANDON]
    # Each kind's cases found by its own query, their union kept: an OR of the three, the contracts' EXISTS among
    # them, was judged case by case over the whole network (0.9 s for 100,000 cases and no candidate).
    kinds: list[sa.Select[Any]] = [
        sa.select(k.case_id).where(k.signed.is_(True), k.opco_filed_on.is_not(None),
                                   k.opco_filed_on <= day - timedelta(days=DECA_WAIT_DAYS),
                                   sa.or_(k.deca_number.is_(None), k.deca_number == ""))]
    if abandon:
        kinds.append(sa.select(case_table.c.id)
                     .join(programme_table, programme_table.c.id == case_table.c.programme_id)
                     .where(followed, cases_in(abandon, followed=True)))
    chosen = sa.or_(case_table.c.id.in_(sa.union(*kinds)), case_table.c.id.in_(sorted(rejected)))
    return chosen if scope is None else sa.and_(scope, chosen)


def reconcile(app: Store, *, actor_email: str | Actor, cfa_code: str | None = None,
              on: date | None = None) -> Reconciliation:
    """The three kinds of things to put right on `on` (today by default), by kind then case: DECA missing 30 days
    after the filing, refused by the TDB in the CFA's latest push, ABANDON for the TDB while the engine follows.
    CFA staff and the operator (Action.TDB_FEED); an advisor sees their cases, a programme lead their CFA."""
    day = on or paris_date(app.clock.now())
    with app.uow(write=False) as uow:
        actor = resolve_actor(uow, actor_email)
        authorize_role(actor, Action.TDB_FEED)
        scope = _scope(actor, cfa_code)
        rejected = _rejections(uow, _cfa_codes(uow, actor, cfa_code))
        cfa = cfa_code if actor.role is Role.SYSTEM else (actor.cfa_code or "")
        loaded = _load(uow, _candidates(uow, scope, cfa, day, rejected))
    deca: list[ReconciliationItem] = []
    refused: list[ReconciliationItem] = []
    abandon: list[ReconciliationItem] = []
    for one in loaded:
        deca.extend(_deca_missing(one, day))
        for pushed, name, message, source in rejected.get(one.row.id, ()):
            refused.append(_item(TDB_REJECTED, one, pushed, Reason(
                "recon_tdb_rejected" if source == "tdb" else "recon_tdb_not_sent", day=pushed, field=name,
                message=Typed(message))))
        comparison, _, sent = _status(one, day)
        if sent and comparison.abandon_while_followed:
            abandon.append(_item(ABANDON_FOLLOWED, one, comparison.result.since, comparison.explanation))
    return Reconciliation(day, (*deca, *refused, *abandon))


def item_as_dict(item: ReconciliationItem) -> dict[str, object]:
    """An item as the CLI's --json and the API give it (codes, ISO dates, the reason in English)."""
    return {"kind": item.kind, "case_id": item.case_id, "name": item.name, "programme": item.programme,
            "cfa_code": item.cfa_code, "state": item.state.value, "advisor_email": item.advisor_email,
            "since": item.since, "reason": str(item.reason)}


def status_as_dict(view: CaseTdbStatus) -> dict[str, object]:
    """`case_tdb_status`'s answer as data (codes, ISO dates, the reasons in English)."""
    result = view.comparison.result
    return {"case_id": view.case_id, "on": result.on, "status": result.status.value, "since": result.since,
            "becomes": result.becomes.value if result.becomes else None, "becomes_on": result.becomes_on,
            "statut_apprenant": result.feed_code, "reason": str(result.reason), "state": view.comparison.state.value,
            "agrees": view.comparison.agrees, "explanation": str(view.comparison.explanation), "sent": view.sent,
            "dates": {"date_inscription_formation": view.registered_on, "date_entree_formation": view.training_start,
                      "date_fin_formation": view.training_end,
                      "contracts": [{"contrat_date_debut": start, "contrat_date_fin": end,
                                     "contrat_date_rupture": broken} for start, end, broken in view.contracts]}}
