"""Retention and the data subject's rights over HTTP (issue 16, item 6): the same use cases as `contract-flow person
export|erase` and `retention log`, and the pages' actions. Staff of the person's CFA export and erase (another
CFA's person is 404, the other roles 403); an apprentice exports their own data; an erasure while a live contract
needs the data is 409 with the reason, nothing changed."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from contract_flow.http.deps import CurrentPrincipal, Services
from contract_flow.jsonable import jsonable
from contract_flow.services.retention import (
    anonymisation_log,
    entry_as_dict,
    erase_person,
    erasure_as_dict,
    export_person,
)

router = APIRouter(prefix="/api/v1", tags=["privacy"])


class ErasureOut(BaseModel):
    email: str = Field(description="The email erased (it is held nowhere any more)")
    person_ids: list[int] = Field(description="Their users, anonymised and deactivated")
    case_ids: list[int] = Field(description="The cases they were the candidate of, anonymised")
    tables: dict[str, int] = Field(description="Rows changed per table")


class LogEntryOut(BaseModel):
    id: int
    at: datetime
    subject: Literal["case", "person"]
    case_id: int | None
    person_id: int | None
    why: Literal["retention", "request"] = Field(description="retention: its period ran out; request: the person "
                                                             "asked")
    rule: Literal["candidate", "contract", "eu_funding", "request"]
    due_on: date | None = Field(description="The day the case became due (a retention)")
    by: str = Field(description="Who: a staff member, system (the operator) or beat (the daily job)")
    tables: dict[str, int] = Field(description="Rows changed per table")
    rows: int


@router.get("/people/{email}/export", response_model=dict[str, Any],
            summary="Everything held about a person, as JSON (RGPD art. 15 and 20): their user, every row of their "
                    "cases, every other row naming their email")
def export(email: str, app: Services, principal: CurrentPrincipal) -> Any:
    return jsonable(export_person(app, email, actor_email=principal.actor))


@router.post("/people/{email}/erase", response_model=ErasureOut,
             summary="Anonymise now everything held about a person (RGPD art. 17), staff only",
             responses={409: {"description": "A live contract (signed, in its trial, running) needs the data, or "
                                             "nothing is held about them"}})
def erase(email: str, app: Services, principal: CurrentPrincipal) -> Any:
    return jsonable(erasure_as_dict(erase_person(app, email, actor_email=principal.actor)))


@router.get("/retention/log", response_model=list[LogEntryOut],
            summary="What was anonymised, when, why and by whom (no personal value in it), newest first")
def log(app: Services, principal: CurrentPrincipal,
        limit: Annotated[int, Query(ge=1, le=1000)] = 100) -> Any:
    return [jsonable(entry_as_dict(entry))
            for entry in anonymisation_log(app, actor_email=principal.actor, limit=limit)]
