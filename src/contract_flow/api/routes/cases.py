"""Cases: list, open, read, move (transitions), facts, applications, offer, contract, absences, reminders."""

from __future__ import annotations

from typing import Annotated, Any

import sqlalchemy as sa
from fastapi import APIRouter, Path, Query, Response, status

from contract_flow.api.errors import ErrorOut
from contract_flow.api.schemas import (
    AbsenceIn,
    ApplicationChange,
    ApplicationIn,
    CaseDetail,
    CaseIn,
    CasePage,
    ContractIn,
    EventOut,
    FactsIn,
    MovedOut,
    OfferIn,
    ReminderOut,
    TransitionIn,
    VersionOut,
)
from contract_flow.domain.access import STAFF
from contract_flow.domain.case import Track
from contract_flow.domain.errors import NotFound
from contract_flow.domain.events import OpenCase
from contract_flow.http.deps import CurrentPrincipal, IfMatch, Language, Services
from contract_flow.jsonable import jsonable
from contract_flow.labels import labelled
from contract_flow.services import cases as case_services
from contract_flow.services import reminders as reminder_services
from contract_flow.services.access import Principal, case_scope, require_role
from contract_flow.services.applications import edit_application, withdraw_application
from contract_flow.services.case_filters import needs_condition, parse_filter
from contract_flow.services.common import programme_code
from contract_flow.services.directory import list_programmes
from contract_flow.services.queries import find_cases
from contract_flow.services.risk import at_risk
from contract_flow.services.views import case_as_dict

router = APIRouter(prefix="/api/v1/cases", tags=["cases"])


def _etag(response: Response, version: int) -> None:
    response.headers["ETag"] = f'"{version}"'


@router.get("", response_model=CasePage, summary="Cases in your scope, a page at a time")
def list_cases(app: Services, principal: CurrentPrincipal,
               state: Annotated[str | None, Query(max_length=20)] = None,
               programme: Annotated[str | None, Query(max_length=40)] = None,
               advisor: Annotated[str | None, Query(max_length=254)] = None,
               at_risk_only: Annotated[bool, Query(alias="at_risk")] = False,
               q: Annotated[str | None, Query(max_length=200, description=(
                   "Words of the candidate's name or email, each found anywhere, accents and case ignored "
                   "(«ines» finds «Inès»)"))] = None,
               needs_me: Annotated[bool, Query(description=(
                   "Only the cases where you have something to do now (services/case_filters.py)"))] = False,
               limit: Annotated[int, Query(ge=1, le=500)] = 50,
               offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Any:
    scope = case_scope(principal)
    if needs_me:
        scope = sa.and_(scope, needs_condition(principal, app.clock.now()))
    ids = sorted({risk.case_id for risk in at_risk(app, scope)}) if at_risk_only else None
    page = find_cases(app, scope=scope, state=state, programme=programme, advisor=advisor, case_ids=ids,
                      limit=limit, offset=offset, q=parse_filter(q=q).q)
    return jsonable(page)


@router.post("", status_code=status.HTTP_201_CREATED, response_model=VersionOut, summary="Open a case")
def open_case(body: CaseIn, app: Services, principal: CurrentPrincipal, response: Response) -> Any:
    require_role(principal, STAFF, "opening a case")
    code = programme_code(body.programme)
    programmes = {p.code: p for p in _programmes(app)}
    chosen = programmes.get(code)
    if chosen is None or chosen.cfa_code != principal.cfa_code:
        raise NotFound("programme", code)
    case_id = case_services.open_case(app, OpenCase(
        programme_code=code, first_name=body.first_name, last_name=body.last_name,
        birth_date=body.birth_date, email=body.email, track=Track(body.track), advisor_email=body.advisor))
    response.headers["Location"] = f"/api/v1/cases/{case_id}"
    _etag(response, 1)
    return {"id": case_id, "version": 1, "state": "reflect"}


def _programmes(app: Any) -> list[Any]:
    return list_programmes(app)


@router.get("/{case_id}", response_model=CaseDetail,
            summary="A case: facts, state, the moves allowed now and why the others are blocked, history")
def get_case(case_id: int, app: Services, principal: CurrentPrincipal, response: Response) -> Any:
    view = case_services.show(app, case_id, actor_email=principal.actor)
    _etag(response, view.case.version)
    return jsonable(case_as_dict(view))


@router.get("/{case_id}/history", response_model=list[EventOut], summary="Every move and record, in order")
def history(case_id: int, app: Services, principal: CurrentPrincipal) -> Any:
    return jsonable(case_services.show(app, case_id, actor_email=principal.actor).history)


@router.post("/{case_id}/transitions", response_model=MovedOut,
             responses={409: {"model": ErrorOut,
                              "description": "Stale version (If-Match) or a trigger the state does not allow"},
                        422: {"model": ErrorOut, "description": "A guard refused: the reasons say what is missing"}},
             summary="Fire a trigger; facts sent with it are recorded in the same transaction")
def transition(case_id: int, body: TransitionIn, app: Services, principal: CurrentPrincipal, version: IfMatch,
               response: Response) -> Any:
    event = case_services.advance(app, case_id, body.trigger, actor_email=principal.actor, reason=body.reason,
                                  facts=body.facts, expected_version=version, application_id=body.application)
    new_version = _current_version(app, case_id)
    _etag(response, new_version)
    return {"event": jsonable(event), "version": new_version}


def _current_version(app: Any, case_id: int) -> int:
    with app.uow(write=False) as uow:
        return int(uow.cases.current_version(case_id) or 0)


def _set(app: Any, principal: Principal, case_id: int, facts: dict[str, str], version: int | None,
         response: Response, reason: str | None = None) -> Any:
    case = case_services.set_facts(app, case_id, facts, actor_email=principal.actor, expected_version=version,
                                   reason=reason)
    _etag(response, case.version)
    return {"id": case_id, "version": case.version, "state": case.state.value}


def _texts(prefix: str, values: dict[str, Any]) -> dict[str, str]:
    return {f"{prefix}{key}": jsonable(value) if not isinstance(value, str) else value
            for key, value in values.items() if value is not None}


@router.patch("/{case_id}/facts", response_model=VersionOut, summary="Record facts (see `contract-flow case facts`)")
def set_facts(case_id: int, body: FactsIn, app: Services, principal: CurrentPrincipal, version: IfMatch,
              response: Response) -> Any:
    return _set(app, principal, case_id, dict(body.facts), version, response, body.reason)


@router.post("/{case_id}/applications", response_model=VersionOut, status_code=status.HTTP_201_CREATED,
             summary="Record an application to a company")
def add_application(case_id: int, body: ApplicationIn, app: Services, principal: CurrentPrincipal,
                    version: IfMatch, response: Response) -> Any:
    values = body.model_dump()
    values["date"] = values.pop("applied_on")
    return _set(app, principal, case_id, _texts("application.", values), version, response)


@router.patch("/{case_id}/applications/{application_id}", response_model=VersionOut,
               summary="Correct an application's company, SIRET or date (the history says old → new)")
def change_application(case_id: int, application_id: Annotated[int, Path(ge=1, le=2**31 - 1)],
                       body: ApplicationChange, app: Services, principal: CurrentPrincipal, version: IfMatch,
                       response: Response) -> Any:
    changes = {key: "" if value is None else jsonable(value) if not isinstance(value, str) else value
               for key, value in body.model_dump(exclude_unset=True, exclude={"reason"}).items()}
    case = edit_application(app, case_id, application_id, changes, actor_email=principal.actor,
                            expected_version=version, reason=body.reason)
    _etag(response, case.version)
    return {"id": case_id, "version": case.version, "state": case.state.value}


@router.post("/{case_id}/applications/{application_id}/withdraw", response_model=VersionOut,
             summary="The candidate withdraws an application still waiting for an answer")
def withdraw(case_id: int, application_id: Annotated[int, Path(ge=1, le=2**31 - 1)], app: Services,
             principal: CurrentPrincipal, version: IfMatch, response: Response) -> Any:
    case = withdraw_application(app, case_id, application_id, actor_email=principal.actor, expected_version=version)
    _etag(response, case.version)
    return {"id": case_id, "version": case.version, "state": case.state.value}


@router.put("/{case_id}/offer", response_model=VersionOut, summary="Record the current offer's terms")
def set_offer(case_id: int, body: OfferIn, app: Services, principal: CurrentPrincipal, version: IfMatch,
              response: Response) -> Any:
    return _set(app, principal, case_id, _texts("offer.", body.model_dump()), version, response)


@router.put("/{case_id}/contract", response_model=VersionOut, summary="Record the contract's terms")
def set_contract(case_id: int, body: ContractIn, app: Services, principal: CurrentPrincipal, version: IfMatch,
                 response: Response) -> Any:
    return _set(app, principal, case_id, _texts("contract.", body.model_dump()), version, response)


@router.post("/{case_id}/absences", response_model=EventOut, status_code=status.HTTP_201_CREATED,
             summary="Days away from the company (they move the trial's end)")
def add_absence(case_id: int, body: AbsenceIn, app: Services, principal: CurrentPrincipal, version: IfMatch,
                response: Response) -> Any:
    event = case_services.record_absence(app, case_id, body.first_day, body.last_day, actor_email=principal.actor,
                                         reason=body.reason, expected_version=version)
    _etag(response, _current_version(app, case_id))
    return jsonable(event)


@router.get("/{case_id}/reminders", response_model=list[ReminderOut],
            summary="The case's reminder ledger (kinds, statuses, channels and roles labelled in your language)")
def reminders(case_id: int, app: Services, principal: CurrentPrincipal, language: Language) -> Any:
    rows = jsonable(reminder_services.ledger(app, case_id, actor_email=principal.actor))
    return [labelled(row, language) for row in rows]
