"""Pages: the apprentice's own path (step n of 6 or the contract's phase, what is missing to move on, deadlines,
the next review, the pay schedule), and the inbox, which is every role's."""

from __future__ import annotations

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from contract_flow.domain.case import Role
from contract_flow.domain.states import SEARCH_STEPS
from contract_flow.http.deps import Services
from contract_flow.services import people
from contract_flow.services.access import require_role
from contract_flow.services.inbox import inbox_by_case, mark_all_read, mark_read
from contract_flow.web.auth import Csrf, User
from contract_flow.web.render import flash, page, take_flash, translator
from contract_flow.web.routes.reviews import reports_for

router = APIRouter(include_in_schema=False)

#: The inbox page shows the newest messages; older ones stay in the database (and the API).
INBOX_LIMIT = 50


@router.get("/me")
def me(request: Request, user: User, app: Services) -> Response:
    require_role(user, {Role.APPRENTICE}, "the apprentice's page")
    ok, error = take_flash(request)
    case_id = people.own_case_id(app, user)
    journey = people.path_of(app, case_id, user.email) if case_id is not None else None
    reports = reports_for(app, user, [review.id for review in journey.awaiting] if journey else [])
    return page(request, "apprentice/me.html", user, title_key="me.title", journey=journey, steps=SEARCH_STEPS,
                flash=ok, flash_error=error, review_reports=reports)


@router.get("/inbox")
def inbox(request: Request, user: User, app: Services) -> Response:
    groups = inbox_by_case(app, user, limit=INBOX_LIMIT)
    ok, error = take_flash(request)
    opened = request.query_params.get("open")
    return page(request, "inbox/inbox.html", user, title_key="inbox.title", groups=groups, limit=INBOX_LIMIT,
                count=sum(len(group.items) for group in groups), unread=sum(group.unread for group in groups),
                opened=opened, flash=ok, flash_error=error)


@router.post("/inbox/read-all", dependencies=[Csrf])
def read_all(request: Request, user: User, app: Services) -> Response:
    """Every message of the person read, the older ones the page does not show too."""
    marked = mark_all_read(app, user.email)
    flash(request, translator(request, user)("inbox.marked_all", count=marked))
    return RedirectResponse("/inbox", status_code=303)


@router.post("/inbox/{message_id}/read", dependencies=[Csrf])
def read(message_id: int, user: User, app: Services) -> Response:
    mark_read(app, user.email, message_id)  # someone else's message is "not found"
    return RedirectResponse(f"/inbox?open={message_id}#m-{message_id}", status_code=303)
