"""The CFA's invoice lines as pages (issue 14, item 8): the board's block (the employer participation due this
month and the next, count and total) and the page listing them, a month at a time or all. CFA staff only, their
CFA's lines: the same use case as `contract-flow invoices list` and `GET /api/v1/invoices`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from contract_flow.domain.access import STAFF
from contract_flow.domain.context import paris_date
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.invoices import InvoiceLine, MonthTotal, month_total, next_month
from contract_flow.formatting import format_month
from contract_flow.http.deps import Services
from contract_flow.services.access import Principal, require_role
from contract_flow.services.invoices import list_invoices
from contract_flow.web.auth import User
from contract_flow.web.forms import FormState
from contract_flow.web.render import page, translator

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class MonthBlock:
    """One month of the board's block: its name in the reader's language, its lines' count and total."""

    label: str
    total: MonthTotal


def board_invoices(request: Request, app: Any, user: Principal) -> list[MonthBlock]:
    """What the board says of the invoices: the lines due this month and the next, for CFA staff."""
    lines = list_invoices(app, actor_email=user.actor)
    today = paris_date(app.clock.now())
    this = month_total(lines, (today.year, today.month))
    language = translator(request, user).language
    return [MonthBlock(format_month(found.first_day, language), found)
            for found in (this, month_total(lines, next_month(this.month)))]


def _total(lines: list[InvoiceLine]) -> Any:
    return sum((line.amount for line in lines if line.amount is not None), start=0)


@router.get("/invoices")
def invoices(request: Request, app: Services, user: User,
             month: Annotated[str | None, Query(max_length=20)] = None) -> Response:
    require_role(user, STAFF, "the CFA's invoice lines")
    wanted = (month or "").strip() or None
    form = FormState({"month": wanted or ""})
    try:
        lines = list_invoices(app, actor_email=user.actor, month=wanted)
    except InvalidInput as refused:
        form.errors["month"] = refused.rule
        return page(request, "invoices/list.html", user, status=422, title_key="invoices.title", form=form,
                    lines=[], total=0, month=wanted, month_label=None)
    shown = format_month(date(int(wanted[:4]), int(wanted[5:7]), 1), translator(request, user).language) \
        if wanted else None
    return page(request, "invoices/list.html", user, title_key="invoices.title", form=form, lines=lines,
                total=_total(lines), month=wanted, month_label=shown)
