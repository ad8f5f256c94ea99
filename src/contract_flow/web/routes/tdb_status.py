"""What the Tableau de bord makes of our cases on the pages (issue 16, items 3 and 4): the case page's block «Statut
au Tableau de bord» (case/_tdb_status.html, CFA staff), the board's counts per TDB status (advisor/_tdb_board.html)
and the advisor's reconciliation page /tdb/reconciliation (linked from the navigation). The same use cases as
`contract-flow tdb status|statuses|reconcile` and the API (services/tdb_status.py).

The case page's partial reads its data through a template global (`tdb_status_block`), as the filing's panel does,
so the case page includes it with one line; the board's route reads the counts (`tdb_status_board`) alongside its
other blocks (web/alongside.py) and hands them to its partial.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from contract_flow.domain.context import paris_date
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.tdb_status import TdbStatus
from contract_flow.domain.values import parse_date
from contract_flow.http.deps import Services
from contract_flow.services.access import Principal
from contract_flow.services.tdb_status import KINDS, CaseTdbStatus, case_tdb_status, reconcile, tdb_status_counts
from contract_flow.web.auth import User
from contract_flow.web.forms import FormState
from contract_flow.web.render import environment, page

router = APIRouter(include_in_schema=False)


def tdb_status_block(request: Request, user: Principal, case_id: int) -> CaseTdbStatus:
    """The case's status in the TDB today, as `user` may read it."""
    return case_tdb_status(request.app.state.services, case_id, actor_email=user.actor)


def tdb_status_board(request: Request, user: Principal) -> dict[str, dict[TdbStatus, int]]:
    """Per programme of the user's CFA, its cases by the status the TDB computes today."""
    app = request.app.state.services
    return tdb_status_counts(app, user.cfa_code or "", today=paris_date(app.clock.now()))


environment.globals["tdb_status_block"] = tdb_status_block
environment.globals["tdb_statuses"] = tuple(TdbStatus)


@router.get("/tdb/reconciliation")
def reconciliation(request: Request, app: Services, user: User,
                   on: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    """The advisor's list of what to put right with the public systems (their cases; a programme lead's CFA)."""
    typed = (on or "").strip()
    form = FormState({"on": typed})
    try:
        day = parse_date("on", typed) if typed else None
        found = reconcile(app, actor_email=user.actor, on=day)
    except InvalidInput as refused:
        form.fail(refused)
        return page(request, "tdb/reconciliation.html", user, status=422, title_key="tdbstatus.reconciliation.title",
                    form=form, found=None, kinds=KINDS)
    return page(request, "tdb/reconciliation.html", user, title_key="tdbstatus.reconciliation.title", form=form,
                found=found, kinds=KINDS)


