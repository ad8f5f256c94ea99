"""The programme lead's page: the job projects waiting for validation (step 5 «Décider»), each validated or sent
back with a reason. Both buttons post to the case's move (web/routes/case.py), which comes back here."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import HTMLResponse

from contract_flow.domain.case import Role
from contract_flow.http.deps import Services
from contract_flow.services.access import Principal, case_scope, require_role
from contract_flow.services.case_filters import CaseFilter
from contract_flow.services.deadlines import next_deadlines
from contract_flow.services.queries import awaiting_validation, programmes_in_scope
from contract_flow.web.auth import User
from contract_flow.web.finding import Filters, finder, scoped
from contract_flow.web.render import page, take_flash

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50


def lead_page(request: Request, app: Any, user: Principal, *, page_number: int = 1, status: int = 200,
              problems: dict[int, list[str]] | None = None, typed: dict[int, str] | None = None,
              chosen: CaseFilter | None = None) -> HTMLResponse:
    """The projects to validate; `problems` and `typed` (the reason as typed) by case, after a refused post;
    `chosen`, the list's search and filters."""
    require_role(user, {Role.PROGRAMME_LEAD}, "validating job projects")
    chosen = chosen or CaseFilter()
    projects, total = awaiting_validation(app, scoped(app, user, case_scope(user), chosen), limit=PAGE_SIZE,
                                          offset=(page_number - 1) * PAGE_SIZE)
    problems = problems or {}
    listed = {project.id for project in projects}
    # A project someone else validated meanwhile is no longer listed: its message goes above the list.
    elsewhere = [message for case_id, messages in problems.items() if case_id not in listed for message in messages]
    return page(request, "lead/lead.html", user, status=status, title_key="lead.title", projects=projects,
                total=total, page_number=page_number, pages=max(1, -(-total // PAGE_SIZE)),
                problems=problems, elsewhere=elsewhere, typed=typed or {}, flash=take_flash(request)[0],
                chosen=chosen, deadlines=next_deadlines(app, list(listed)),
                finder=finder(app, user, chosen, "/lead", sorted(programmes_in_scope(app, case_scope(user))),
                              fields=("programme", "advisor")))


@router.get("/lead")
def lead(request: Request, app: Services, user: User, chosen: Filters,
         page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1) -> Response:
    return lead_page(request, app, user, page_number=page_number, chosen=chosen)
