"""The CFA staff's pages: the pipeline board (a column per step), one step's cases a page at a time, and the cases
at risk (the import of candidates is web/routes/imports.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from contract_flow.domain.access import STAFF
from contract_flow.domain.context import paris_date
from contract_flow.domain.errors import NotFound
from contract_flow.domain.rules import RuleSetError
from contract_flow.domain.states import SEARCH_STEPS, CaseState
from contract_flow.http.deps import Services
from contract_flow.reference import RulesCheck, check_once
from contract_flow.services.access import Principal, case_scope, require_role
from contract_flow.services.deadlines import next_deadlines
from contract_flow.services.directory import list_programmes
from contract_flow.services.queries import board as build_board
from contract_flow.services.queries import board_cards, cards, seats
from contract_flow.services.risk import at_risk_page, count_risks
from contract_flow.web import alongside
from contract_flow.web.auth import User
from contract_flow.web.finding import STAFF_FIELDS, Filters, finder, scoped
from contract_flow.web.render import page, translator
from contract_flow.web.routes.filing import filing_counts
from contract_flow.web.routes.invoices import board_invoices
from contract_flow.web.routes.tdb_status import tdb_status_board

router = APIRouter(include_in_schema=False)

#: Cards per board column: the most recently moved; the rest are a click away, a page at a time.
PER_COLUMN = 25
PAGE_SIZE = 50
Page = Annotated[int, Query(alias="page", ge=1, le=100_000)]


def _pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


@router.get("/board")
def board(request: Request, app: Services, user: User, chosen: Filters, page_number: Page = 1) -> Response:
    """The board: a column per search step. A search or a state lists the matching cases instead (every state's
    for a search), a page at a time; the other filters narrow the columns and their counts."""
    require_role(user, STAFF, "the board")
    with alongside.reads() as side:
        return _board(request, app, user, chosen, page_number, side)


def _board(request: Request, app: Any, user: Principal, chosen: Filters, page_number: int,
           side: alongside.Reads) -> Response:
    columns_shown = not (chosen.state or chosen.q)
    if columns_shown:
        # The two network-wide tables, read while the counts, columns, seats and invoices are (web/alongside.py):
        # started first, as the longest (a network's every case and contract).
        tdb_counts = side.start(tdb_status_board, request, user)
        filings = side.start(filing_counts, request, user)
    counts = build_board(app, case_scope(user), user.cfa_code or "")
    if chosen.programme is not None and chosen.programme not in counts.counts:
        raise NotFound("programme", chosen.programme)
    scope = scoped(app, user, case_scope(user), chosen)
    if chosen.narrowing:
        counts = build_board(app, scope, user.cfa_code or "")
    common: dict[str, Any] = {
        "programmes": list(counts.counts), "programme": chosen.programme, "chosen": chosen,
        "finder": finder(app, user, chosen, "/board", list(counts.counts), fields=STAFF_FIELDS)}
    if not columns_shown:
        items, total = cards(app, scope, None, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
        title = ({"title_key": "board.state_title",
                  "title_values": {"state": _state_name(request, user, chosen.state)}} if chosen.state
                 else {"title_key": "find.results_title"})
        return page(request, "advisor/state.html", user, **title, state=chosen.state, cards=items, total=total,
                    page_number=page_number, pages=_pages(total), deadlines=next_deadlines(app, [c.id for c in items]),
                    **common)
    columns = board_cards(app, scope, SEARCH_STEPS, per_state=PER_COLUMN)
    rules_check, rules_problem = _rules_check(app.settings.rules_file)
    return page(request, "advisor/board.html", user, title_key="board.title",
                columns=[(step, counts.total(step), columns[step]) for step in SEARCH_STEPS],
                others=[(other, counts.total(other)) for other in CaseState if other not in SEARCH_STEPS],
                rules_check=rules_check, rules_problem=rules_problem,
                invoices=board_invoices(request, app, user), seats=seats(app, user.cfa_code or ""),
                deadlines=next_deadlines(app, [card.id for cards in columns.values() for card in cards]),
                filings=filings.result(), tdb_counts=tdb_counts.result(), **common)


def _rules_check(rules_file: Path) -> tuple[RulesCheck | None, str | None]:
    """The rule set's SMIC against OpenFisca-France, computed once per process (contract_flow.reference): the
    board warns when they disagree, since a missed revaluation under-states every minimum pay (D6222-26)."""
    try:
        return check_once(rules_file), None
    except RuleSetError as problem:
        return None, problem.said


def _state_name(request: Request, user: Principal, state: CaseState) -> str:
    return translator(request, user)(f"state.{state.value}")


@router.get("/risk")
def risk(request: Request, app: Services, user: User, chosen: Filters, page_number: Page = 1) -> Response:
    require_role(user, STAFF, "the cases at risk")
    programmes = sorted(programmes_of_cfa(app, user))
    scope, now = scoped(app, user, case_scope(user), chosen), app.clock.now()
    # The count (each kind's, over the whole scope) read beside the page's rows (web/alongside.py): two cores.
    with alongside.reads() as side:
        counted = side.start(count_risks, app, scope, now=now)
        shown = at_risk_page(app, scope, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE, now=now,
                             counted=False).risks
        total = counted.result()
    return page(request, "advisor/risk.html", user, title_key="risk.title", risks=shown, total=total,
                stale_days=app.policies.stale_apprentice_days, page_number=page_number,
                pages=_pages(total), chosen=chosen, today=paris_date(now),
                finder=finder(app, user, chosen, "/risk", programmes, fields=STAFF_FIELDS))


def programmes_of_cfa(app: Any, user: Principal) -> set[str]:
    """The codes of the programmes of the user's CFA."""
    return _own_programmes(app, user)


def _own_programmes(app: Any, user: Principal) -> set[str]:
    # Staff import into their own CFA's programmes only (another CFA's programme is "not found").
    return {programme.code for programme in list_programmes(app) if programme.cfa_code == user.cfa_code}
