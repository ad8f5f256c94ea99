"""The CFA staff's pages: the pipeline board (a column per step), one step's cases a page at a time, and the cases
at risk (the import of candidates is web/routes/imports.py)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from contract_flow.domain.access import STAFF
from contract_flow.domain.errors import NotFound
from contract_flow.domain.rules import RuleSetError
from contract_flow.domain.states import SEARCH_STEPS, CaseState
from contract_flow.http.deps import Services
from contract_flow.reference import RulesCheck, check_once
from contract_flow.services.access import Principal, case_scope, require_role
from contract_flow.services.common import programme_code
from contract_flow.services.directory import list_programmes
from contract_flow.services.queries import board as build_board
from contract_flow.services.queries import board_cards, cards, parse_state
from contract_flow.services.risk import at_risk_page
from contract_flow.web.auth import User
from contract_flow.web.render import page, translator
from contract_flow.web.routes.invoices import board_invoices

router = APIRouter(include_in_schema=False)

#: Cards per board column: the most recently moved; the rest are a click away, a page at a time.
PER_COLUMN = 25
PAGE_SIZE = 50
Page = Annotated[int, Query(alias="page", ge=1, le=100_000)]


def _pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


@router.get("/board")
def board(request: Request, app: Services, user: User,
          state: Annotated[str | None, Query(max_length=20)] = None,
          programme: Annotated[str | None, Query(max_length=40)] = None, page_number: Page = 1) -> Response:
    require_role(user, STAFF, "the board")
    scope = case_scope(user)
    counts = build_board(app, scope, user.cfa_code or "")
    programme = programme_code(programme) if programme else None
    if programme is not None and programme not in counts.counts:
        raise NotFound("programme", programme)
    per_state = counts.counts.get(programme, {}) if programme else None

    def count(of: CaseState) -> int:
        return per_state.get(of, 0) if per_state is not None else counts.total(of)

    common: dict[str, Any] = {"programmes": list(counts.counts), "programme": programme}
    if state:
        chosen = parse_state(state)
        items, total = cards(app, scope, chosen, programme=programme, limit=PAGE_SIZE,
                             offset=(page_number - 1) * PAGE_SIZE)
        return page(request, "advisor/state.html", user, title_key="board.state_title",
                    title_values={"state": _state_name(request, user, chosen)}, state=chosen, cards=items,
                    total=total, page_number=page_number, pages=_pages(total), **common)
    columns = board_cards(app, scope, SEARCH_STEPS, programme=programme, per_state=PER_COLUMN)
    rules_check, rules_problem = _rules_check(app.settings.rules_file)
    return page(request, "advisor/board.html", user, title_key="board.title",
                columns=[(step, count(step), columns[step]) for step in SEARCH_STEPS],
                others=[(other, count(other)) for other in CaseState if other not in SEARCH_STEPS],
                rules_check=rules_check, rules_problem=rules_problem,
                invoices=board_invoices(request, app, user), **common)


def _rules_check(rules_file: Path) -> tuple[RulesCheck | None, str | None]:
    """The rule set's SMIC against OpenFisca-France, computed once per process (contract_flow.reference): the
    board warns when they disagree, since a missed revaluation under-states every minimum pay (D6222-26)."""
    try:
        return check_once(rules_file), None
    except RuleSetError as problem:
        return None, str(problem)


def _state_name(request: Request, user: Principal, state: CaseState) -> str:
    return translator(request, user)(f"state.{state.value}")


#: The at-risk details the page translates, by the start of the service's English text.
_DETAILS = (("trial ends", "risk.details.trial_end"), ("OPCO filing", "risk.details.opco"),
            ("review held", "risk.details.review"), ("no move", "risk.details.stale"),
            ("a reminder", "risk.details.failed"), ("3-month", "risk.details.window"),
            ("OPCO refused", "risk.details.opco_refused"), ("OPCO silence", "risk.details.opco_silence"))


@router.get("/risk")
def risk(request: Request, app: Services, user: User, page_number: Page = 1) -> Response:
    require_role(user, STAFF, "the cases at risk")
    found = at_risk_page(app, case_scope(user), limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
    shown = found.risks
    details = {risk.detail: next((key for start, key in _DETAILS if risk.detail.startswith(start)), None)
               for risk in shown}
    return page(request, "advisor/risk.html", user, title_key="risk.title", risks=shown, total=found.total,
                details=details, stale_days=app.policies.stale_apprentice_days, page_number=page_number,
                pages=_pages(found.total))


def _own_programmes(app: Any, user: Principal) -> set[str]:
    # Staff import into their own CFA's programmes only (another CFA's programme is "not found").
    return {programme.code for programme in list_programmes(app) if programme.cfa_code == user.cfa_code}
