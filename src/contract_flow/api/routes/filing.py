"""The contract's filing with the OPCO and the OPCO's answer (issue 14, item 6): the same use cases as
`contract-flow dossier file|decision|filing` and the case page's forms."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response

from contract_flow.api.filing_schemas import DecisionIn, FilingIn, FilingOut, FilingViewOut
from contract_flow.domain.context import paris_date
from contract_flow.http.deps import CurrentPrincipal, IfMatch, Services
from contract_flow.jsonable import jsonable
from contract_flow.services.filing import (
    file_contract,
    filing_as_dict,
    record_opco_decision,
    show_filing,
    view_as_dict,
)

router = APIRouter(prefix="/api/v1/cases", tags=["filing"])


def _answer(app: Any, case_id: int, filing: Any, response: Response) -> Any:
    with app.uow(write=False) as uow:
        version = int(uow.cases.current_version(case_id) or 0)
    response.headers["ETag"] = f'"{version}"'
    return jsonable({"case_id": case_id, "version": version, **filing_as_dict(filing)})


@router.get("/{case_id}/filing", response_model=FilingViewOut,
            summary="Where the signed contract stands with its OPCO today, and on a refusal what to fix")
def filing(case_id: int, app: Services, principal: CurrentPrincipal, response: Response) -> Any:
    view = show_filing(app, case_id, actor_email=principal.actor)
    response.headers["ETag"] = f'"{view.case_version}"'
    data = view_as_dict(view)
    data["version"] = data.pop("case_version")
    return jsonable(data)


@router.post("/{case_id}/filing", response_model=FilingOut,
             summary="Record the filing with the OPCO (D6224-1); its 20 days to answer start (D6224-2)",
             responses={409: {"description": "Not a signed contract, already accepted, or a stale If-Match"}})
def post_filing(case_id: int, body: FilingIn, app: Services, principal: CurrentPrincipal, version: IfMatch,
         response: Response) -> Any:
    found = file_contract(app, case_id, filed_on=body.filed_on, opco=body.opco, actor_email=principal.actor,
                          expected_version=version)
    return _answer(app, case_id, found, response)


@router.post("/{case_id}/opco-decision", response_model=FilingOut,
             summary="Record the OPCO's answer: accepted with the DECA number, refused with the reason (D6224-2)",
             responses={409: {"description": "Not filed yet, already answered, or a stale If-Match"}})
def post_decision(case_id: int, body: DecisionIn, app: Services, principal: CurrentPrincipal, version: IfMatch,
           response: Response) -> Any:
    decided_on = body.decided_on or paris_date(app.clock.now())
    found = record_opco_decision(app, case_id, decision=body.decision, decided_on=decided_on,
                                 deca_number=body.deca_number, reason=body.reason, actor_email=principal.actor,
                                 expected_version=version)
    return _answer(app, case_id, found, response)
