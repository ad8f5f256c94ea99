"""`GET /api/v1/me/todo`: the caller's to-do list ("Mes actions", issue 15 item 2), the use case the page /me/todo
and `contract-flow todo` call: what they must supply or do on each of their cases, by when, the moves the case waits
for with their earliest legal day, and the page that resolves it; overdue first, then by the day due."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from contract_flow.domain.states import CaseState, Trigger
from contract_flow.domain.todo import TodoKind
from contract_flow.http.deps import CurrentPrincipal, Language, Services
from contract_flow.services.todo import MAX_PAGE, todo
from contract_flow.todo_words import as_data

router = APIRouter(prefix="/api/v1")


class TodoMoveOut(BaseModel):
    trigger: Trigger = Field(description="A move the case waits for")
    on: date | None = Field(description="The earliest day it may legally happen (null: once nothing is missing)")
    text: str = Field(description="The same in words, in your language («passe en contrat le 07/01/2027»)")


class TodoBlockerOut(BaseModel):
    rule: str = Field(description="The guard's rule that stops the move (project, pay, dossier...)")
    reasons: list[str] = Field(description="What is missing and why, naming the facts and the articles")


class TodoItemOut(BaseModel):
    case_id: int
    candidate: str
    state: CaseState
    kind: TodoKind = Field(description="What is asked: supply (facts a move lacks), move (a move to make), "
                                       "plan_review, log_review, acknowledge_review, dossier_section...")
    title: str = Field(description="What to do, in your language")
    due: date | None = Field(description="The day it is due (null: no day)")
    overdue: bool
    due_text: str
    moves: list[TodoMoveOut]
    trigger: Trigger | None = Field(description="supply and move items: the move")
    blockers: list[TodoBlockerOut] = Field(description="supply items: what stops the move, rule by rule")
    review_id: int | None
    section: str | None = Field(description="dossier_section items: the dossier's section to complete")
    missing: list[str] = Field(description="dossier_section items: the fields it lacks")
    link: str = Field(description="The page (path) where it is done")


class TodoPageOut(BaseModel):
    items: list[TodoItemOut] = Field(description="The page's items, most urgent first")
    total: int = Field(description="How many items the whole list holds")
    overdue: int = Field(description="How many of them are overdue")
    limit: int
    offset: int


@router.get("/me/todo", response_model=TodoPageOut, tags=["me"],
            summary="Your to-do list: what you must supply or do on your cases, overdue first, then by the day due, "
                    "a page at a time")
def my_todo(app: Services, principal: CurrentPrincipal, language: Language,
            on: Annotated[date | None, Query(description="See the list as it will be that day (Paris)")] = None,
            limit: Annotated[int, Query(ge=1, le=MAX_PAGE)] = 50,
            offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Any:
    found = todo(app, actor_email=principal.actor, today=on, offset=offset, limit=limit)
    return {"items": [as_data(item, language) for item in found.items], "total": found.total,
            "overdue": found.overdue, "limit": limit, "offset": offset}
