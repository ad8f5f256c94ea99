"""Programmes, the board, the inbox, health."""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Query, status

from contract_flow.api.schemas import BoardOut, Health, InboxItemOut, InboxReadAllOut, ProgrammeIn, ProgrammeOut
from contract_flow.domain.access import STAFF
from contract_flow.domain.case import Role
from contract_flow.domain.context import paris_date
from contract_flow.http.deps import CurrentPrincipal, Language, Services
from contract_flow.jsonable import jsonable
from contract_flow.labels import labelled
from contract_flow.services import inbox as inbox_services
from contract_flow.services.access import case_scope, require_role
from contract_flow.services.directory import add_programme, list_programmes
from contract_flow.services.filing import filing_board
from contract_flow.services.queries import board as build_board
from contract_flow.services.queries import programmes_in_scope
from contract_flow.services.risk import at_risk
from contract_flow.services.tdb_status import tdb_status_counts

router = APIRouter(prefix="/api/v1")


@router.get("/health", response_model=Health, tags=["health"], summary="Up, and the database answers")
def health(app: Services) -> Any:
    with app.uow(write=False) as uow:
        uow.execute(sa.select(1))
    return {"status": "ok", "database": app.engine.dialect.name}


@router.get("/programmes", response_model=list[ProgrammeOut], tags=["programmes"],
            summary="Programmes: CFA staff see their CFA's; the others, the programmes of the cases they see")
def programmes(app: Services, principal: CurrentPrincipal) -> Any:
    found = list_programmes(app)
    if principal.role in STAFF:
        return jsonable([p for p in found if p.cfa_code == principal.cfa_code])
    # A tutor, a mentor or an apprentice has no business with other CFAs' catalogues (nor their own CFA's
    # other programmes): the programmes of their cases.
    codes = programmes_in_scope(app, case_scope(principal))
    return jsonable([p for p in found if p.code in codes])


@router.post("/programmes", response_model=ProgrammeOut, status_code=status.HTTP_201_CREATED, tags=["programmes"],
             summary="Add a programme to your CFA (programme leads)")
def new_programme(body: ProgrammeIn, app: Services, principal: CurrentPrincipal) -> Any:
    require_role(principal, {Role.PROGRAMME_LEAD}, "adding a programme")
    return jsonable(add_programme(app, body.code, name=body.name, start_date=body.start_date, years=body.years,
                                  seats=body.seats, cfa_code=principal.cfa_code, level=body.level))


@router.get("/board", response_model=BoardOut, tags=["board"],
            summary="Counts per state and programme, and the cases at risk (deadlines within 14 days, overdue "
                    "reviews, stale cases, failed reminders)")
def board(app: Services, principal: CurrentPrincipal) -> Any:
    require_role(principal, STAFF, "the board")
    scope = case_scope(principal)
    counts = build_board(app, scope, principal.cfa_code or "")
    today = paris_date(app.clock.now())
    filings = filing_board(app, scope, principal.cfa_code or "", today=today)
    statuses = tdb_status_counts(app, principal.cfa_code or "", today=today)
    return {"counts": {code: {state.value: n for state, n in per.items()} for code, per in counts.counts.items()},
            "at_risk": jsonable(at_risk(app, scope)), "filing": jsonable(filings),
            "tdb_status": {code: {status.value: n for status, n in per.items()} for code, per in statuses.items()}}


@router.get("/inbox", response_model=list[InboxItemOut], tags=["inbox"],
            summary="Your in-app messages, newest first (kinds labelled in your language)")
def inbox(app: Services, principal: CurrentPrincipal, language: Language,
          unread: Annotated[bool, Query(description="Only the unread ones")] = False) -> Any:
    return [labelled(item, language) for item in jsonable(inbox_services.inbox(app, principal.email,
                                                                               unread_only=unread))]


@router.post("/inbox/read-all", response_model=InboxReadAllOut, tags=["inbox"],
             summary="Mark all your messages read; answers how many were unread")
def mark_all_read(app: Services, principal: CurrentPrincipal) -> Any:
    return {"marked": inbox_services.mark_all_read(app, principal.email)}


@router.post("/inbox/{message_id}/read", response_model=InboxItemOut, tags=["inbox"], summary="Mark one read")
def mark_read(message_id: int, app: Services, principal: CurrentPrincipal, language: Language) -> Any:
    return labelled(jsonable(inbox_services.mark_read(app, principal.email, message_id)), language)
