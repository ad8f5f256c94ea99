"""The CFA's invoice lines as pages (issue 14, item 8): the board's block (the employer participation due this
month and the next, count and total) and the page listing them, a month at a time or all. CFA staff only, their
CFA's lines: the same use case as `contract-flow invoices list` and `GET /api/v1/invoices`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any
from urllib.parse import urlencode

from fastapi import APIRouter, Query, Request, Response

from contract_flow.domain.access import STAFF
from contract_flow.domain.context import paris_date
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.invoices import MonthTotal, month_total, next_month
from contract_flow.formatting import format_month
from contract_flow.http.deps import Services
from contract_flow.services.access import Principal, require_role
from contract_flow.services.invoices import invoice_page, list_invoices
from contract_flow.web.auth import User
from contract_flow.web.forms import FormState
from contract_flow.web.render import page, translator
from contract_flow.web.routes.people import paging

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class MonthBlock:
    """One month of the board's block: its name in the reader's language, its lines' count and total."""

    label: str
    total: MonthTotal


def board_invoices(request: Request, app: Any, user: Principal) -> list[MonthBlock]:
    """What the board says of the invoices: the lines due this month and the next, for CFA staff."""
    today = paris_date(app.clock.now())
    language = translator(request, user).language
    blocks = []
    for month in ((today.year, today.month), next_month((today.year, today.month))):
        # Each month's lines only (the service selects them in the query), not every line of a network.
        found = month_total(list_invoices(app, actor_email=user.actor, month=f"{month[0]:04d}-{month[1]:02d}"),
                            month)
        blocks.append(MonthBlock(format_month(found.first_day, language), found))
    return blocks


#: Lines per page: a network's CFA has tens of thousands of contracts (the CSV of `contract-flow invoices list
#: --csv` and the API give them all at once).
PAGE_SIZE = 100


@router.get("/invoices")
def invoices(request: Request, app: Services, user: User,
             month: Annotated[str | None, Query(max_length=20)] = None,
             page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1) -> Response:
    require_role(user, STAFF, "the CFA's invoice lines")
    wanted = (month or "").strip() or None
    form = FormState({"month": wanted or ""})
    start = (page_number - 1) * PAGE_SIZE
    try:
        found = invoice_page(app, actor_email=user.actor, month=wanted, limit=PAGE_SIZE, offset=start)
    except InvalidInput as refused:
        form.errors["month"] = refused.rule
        return page(request, "invoices/list.html", user, status=422, title_key="invoices.title", form=form,
                    lines=[], count=0, total=0, month=wanted, month_label=None, pages=paging(1, PAGE_SIZE, 0),
                    query="")
    shown = format_month(date(int(wanted[:4]), int(wanted[5:7]), 1), translator(request, user).language) \
        if wanted else None
    # The count and the total are the whole list's; the table shows a page of it.
    return page(request, "invoices/list.html", user, title_key="invoices.title", form=form,
                lines=found.lines, count=found.count, total=found.total, month=wanted,
                month_label=shown, pages=paging(page_number, PAGE_SIZE, found.count),
                query=urlencode({"month": wanted}) + "&" if wanted else "")
