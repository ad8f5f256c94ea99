"""The page "Mes actions" (/me/todo, issue 15 item 2), every role's: what the person must supply or do on their
cases, by when, and when each case moves on, overdue first, each item linking to the page or form that does it.
The use case is `services.todo.todo`, as for `GET /api/v1/me/todo` and `contract-flow todo`."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response

from contract_flow.http.deps import Services
from contract_flow.services.todo import todo
from contract_flow.todo_words import reason_words, worded
from contract_flow.web.auth import User
from contract_flow.web.render import page, translator
from contract_flow.web.routes.people import paging
from contract_flow.wording import is_worded

router = APIRouter(include_in_schema=False)


#: The most urgent first, fifty to a page: an advisor may have hundreds of things to do.
PAGE_SIZE = 50


@router.get("/me/todo")
def my_todo(request: Request, user: User, app: Services,
            page_number: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1) -> Response:
    language = translator(request, user).language
    start = (page_number - 1) * PAGE_SIZE
    found = todo(app, actor_email=user.actor, offset=start, limit=PAGE_SIZE)
    rows = [(item, worded(item, language),
             [(blocker.rule, [(reason_words(reason, language), is_worded(reason)) for reason in blocker.reasons])
              for blocker in item.blockers]) for item in found.items]
    return page(request, "todo/todo.html", user, title_key="todo.title", rows=rows, total=found.total,
                overdue=found.overdue, offset=start, pages=paging(page_number, PAGE_SIZE, found.total))
