"""Amendments (avenants) of a signed contract (issue 14, item 7): record one, list them. Same use cases as the CLI
and the pages (services/amendments.py); a refusal is 422 naming the field and the rule, nothing saved."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Response, status
from pydantic import BaseModel, Field

from contract_flow.api.errors import ErrorOut
from contract_flow.api.schemas import Strict
from contract_flow.domain.dossier.amendment import MAX_REASON_CHARS
from contract_flow.http.deps import CurrentPrincipal, IfMatch, Language, Services
from contract_flow.jsonable import jsonable
from contract_flow.services.amendments import amend_contract, list_amendments
from contract_flow.services.views import amendment_as_dict

router = APIRouter(prefix="/api/v1/cases", tags=["amendments"])


class AmendmentIn(Strict):
    """An amendment: its CERFA type, from when it applies, why, and the dossier's fields it changes."""

    type_code: Annotated[str, Field(min_length=1, max_length=4, examples=["36"], description=(
        "The amendment's CERFA type, 31 to 38 (33 extension after a failed exam, 34 disability, 35 diploma, 36 "
        "other: mentor, hours, pay; 37 workplace, 38 training place)"))]
    effective_on: date = Field(description="From when it applies: a day of the contract")
    reason: Annotated[str, Field(min_length=1, max_length=MAX_REASON_CHARS)]
    changes: Annotated[dict[Annotated[str, Field(max_length=80)], Annotated[str, Field(max_length=400)]],
                       Field(min_length=1, max_length=60, examples=[{
                           "mentors.1.last_name": "Dupont", "mentors.1.email": "jean.dupont@industrie.example"}],
                           description="The dossier's fields as section.key, with their new values (\"\" empties "
                                       "one)")]


class ChangeOut(BaseModel):
    field: str
    label: str
    old: str = Field(description="As the dossier's data writes it (codes, ISO dates, amounts); \"\": none")
    new: str


class AmendmentOut(BaseModel):
    case_id: int
    number: int
    type_code: str
    type_label: str
    effective_on: date
    reason: str
    changes: list[ChangeOut]
    created_at: datetime
    created_by: str
    dossier_version: int = Field(description="The dossier version the amendment produced")
    pdf: str = Field(description="Where that version's PDF is, unchanged")


def _out(amendment: Any, language: str) -> dict[str, Any]:
    found = jsonable(amendment_as_dict(amendment, language))
    found["pdf"] = f"/api/v1/cases/{amendment.case_id}/dossier.pdf?version={amendment.dossier_version}"
    return found  # type: ignore[no-any-return]


@router.post("/{case_id}/amendments", status_code=status.HTTP_201_CREATED, response_model=AmendmentOut,
             responses={409: {"model": ErrorOut, "description": "Stale If-Match"},
                        422: {"model": ErrorOut, "description": "Refused: the field and the rule are named"}},
             summary="Amend a signed contract: a new dossier version is kept")
def post_amendment(case_id: int, body: AmendmentIn, app: Services, principal: CurrentPrincipal, version: IfMatch,
                   language: Language, response: Response) -> Any:
    amendment = amend_contract(app, case_id, type_code=body.type_code, effective_on=body.effective_on,
                               reason=body.reason, changes=body.changes, actor_email=principal.actor,
                               expected_version=version)
    response.headers["Location"] = f"/api/v1/cases/{case_id}/amendments"
    return _out(amendment, language)


@router.get("/{case_id}/amendments", response_model=list[AmendmentOut],
            summary="The amendments of a case's contract, the first first")
def get_amendments(case_id: int, app: Services, principal: CurrentPrincipal, language: Language) -> Any:
    return [_out(amendment, language) for amendment in list_amendments(app, case_id,
                                                                        actor_email=principal.actor)]
