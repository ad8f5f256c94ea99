"""The CFA's invoice lines over HTTP: the employer participation of each contract (L6332-14, R6332-25-1,
R6332-25-2), for CFA staff, their CFA's; the same use case as `contract-flow invoices list` and the board."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Response
from pydantic import BaseModel, Field

from contract_flow.domain.invoices import InvoiceStatus
from contract_flow.http.deps import CurrentPrincipal, Services
from contract_flow.jsonable import jsonable
from contract_flow.services.invoices import invoice_page

router = APIRouter(prefix="/api/v1", tags=["invoices"])
#: A page of lines at most (a network's CFA has tens of thousands of contracts).
MAX_LINES = 1000


class InvoiceLineOut(BaseModel):
    """One contract's employer participation as the CFA invoices it."""

    case_id: int
    apprentice: str
    employer_name: str | None
    employer_siret: str | None
    programme: str
    #: Euros as a plain decimal ("750.00"); null: broken during the trial, the programme's NPEC not configured.
    amount: str | None = Field(description="Euros, a plain decimal with a dot (\"750.00\"); null when a break "
                                           "during the trial could not be recomputed (no NPEC configured)")
    due_on: date | None = Field(description="The trial's end; a break during the trial: its day; null: nothing "
                                            "owed")
    status: InvoiceStatus = Field(description="upcoming (the trial runs), due (it ended: to invoice), recomputed "
                                              "(broken during the trial), none_owed (cancelled before its start)")
    source: str = Field(description="Why this amount, and the texts it comes from")


@router.get("/invoices", response_model=list[InvoiceLineOut],
            summary="The employer participation to invoice, one line per contract (CFA staff: their CFA's)")
def invoices(app: Services, principal: CurrentPrincipal, response: Response,
             month: Annotated[str | None, Query(max_length=20, description="Only the lines due this month, "
                                                                           "YYYY-MM")] = None,
             limit: Annotated[int, Query(ge=1, le=MAX_LINES, description="Lines at most (a page)")] = 500,
             offset: Annotated[int, Query(ge=0, le=10_000_000, description="Lines skipped")] = 0) -> Any:
    found = invoice_page(app, actor_email=principal.actor, month=month, limit=limit, offset=offset)
    # How many lines in all: a client pages with offset until it has them (`contract-flow invoices list --csv`
    # gives them all at once).
    response.headers["X-Total-Count"] = str(found.count)
    return jsonable(found.lines)
