"""What the Tableau de bord makes of our cases over HTTP (issue 16, items 3 and 4): a case's TDB status beside the
engine's state (whoever may read the case), and the reconciliation with the public systems (CFA staff: an advisor
their cases, a programme lead their CFA). The same use cases as `contract-flow tdb status|reconcile` and the pages
(services/tdb_status.py). Codes and the reasons' English stay stable for programs; `*_text` and `*_label` say them in
the Accept-Language (else French)."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query
from pydantic import BaseModel, Field

from contract_flow.http.deps import CurrentPrincipal, Language, Services
from contract_flow.jsonable import jsonable
from contract_flow.labels import label
from contract_flow.services.tdb_status import case_tdb_status, item_as_dict, reconcile, status_as_dict
from contract_flow.wording import reason_text

router = APIRouter(prefix="/api/v1")

Status = Literal["INSCRIT", "APPRENTI", "RUPTURANT", "ABANDON", "FIN_DE_FORMATION"]
OnQuery = Annotated[date | None, Query(description="As it stands that day (default: today, in Paris)")]


class SentContractOut(BaseModel):
    contrat_date_debut: date
    contrat_date_fin: date | None = None
    contrat_date_rupture: date | None = None


class SentDatesOut(BaseModel):
    """The dates the feed sends, which the status is computed from."""

    date_inscription_formation: date
    date_entree_formation: date
    date_fin_formation: date
    contracts: list[SentContractOut]


class TdbStatusOut(BaseModel):
    """The status the TDB computes from the dates we send (PUBLIC-SYSTEMS.md §2: INSCRIT becomes ABANDON after 90
    days without a contract, RUPTURANT after 180 days without a new one; FIN_DE_FORMATION for a contract ended
    normally within 60 days of the training's end), beside the engine's state."""

    case_id: int
    on: date
    status: Status
    status_label: str
    since: date | None = Field(None, description="The day the status began, as far as the dates say")
    becomes: Status | None = Field(None, description="What it becomes on its own (ABANDON), unless something new "
                                                     "is sent")
    becomes_on: date | None = None
    statut_apprenant: int | None = Field(None, description="The feed's optional code: 0 abandon, 2 inscrit, "
                                                           "3 apprenti")
    reason: str = Field(description="Why, with the dates used (English)")
    reason_text: str
    state: str
    state_label: str
    agrees: bool = Field(description="Whether the engine's state and the TDB's status say the same")
    sent: bool = Field(description="Whether the feed of that day sends the case (its programme started, the case "
                                   "not closed before the training started)")
    explanation: str
    explanation_text: str
    dates: SentDatesOut


class ReconciliationItemOut(BaseModel):
    kind: Literal["deca_missing", "tdb_rejected", "abandon_followed"] = Field(
        description="deca_missing: filed with the OPCO, no DECA number 30 days later; tdb_rejected: refused (or "
                    "not sent) in the CFA's latest TDB push; abandon_followed: ABANDON for the TDB while the engine "
                    "still follows the case")
    case_id: int
    name: str
    programme: str
    cfa_code: str
    state: str
    advisor_email: str | None = None
    since: date | None = None
    reason: str
    reason_text: str


class ReconciliationOut(BaseModel):
    on: date
    items: list[ReconciliationItemOut]


@router.get("/cases/{case_id}/tdb-status", response_model=TdbStatusOut, tags=["cases"],
            summary="The status the Tableau de bord computes for the case from the dates we send, and why; the "
                    "engine's state beside it")
def tdb_status(case_id: int, app: Services, principal: CurrentPrincipal, language: Language,
               on: OnQuery = None) -> Any:
    view = case_tdb_status(app, case_id, actor_email=principal.actor, on=on)
    data = status_as_dict(view)
    comparison = view.comparison
    data.update(status_label=label("tdb_status", comparison.result.status.value, language),
                reason_text=reason_text(comparison.result.reason, language),
                state_label=label("state", comparison.state.value, language),
                explanation_text=reason_text(comparison.explanation, language))
    return jsonable(data)


@router.get("/tdb/reconciliation", response_model=ReconciliationOut, tags=["board"],
            summary="What to put right with the public systems: DECA numbers missing 30 days after the filing, "
                    "cases the TDB refused, learners the TDB counts ABANDON while the engine follows them")
def reconciliation(app: Services, principal: CurrentPrincipal, language: Language, on: OnQuery = None,
                   cfa: Annotated[str | None, Query(max_length=40, description="The CFA (staff: their own, the "
                                                                               "default)")] = None) -> Any:
    found = reconcile(app, actor_email=principal.actor, cfa_code=cfa, on=on)
    return jsonable({"on": found.on, "items": [
        {**item_as_dict(item), "reason_text": reason_text(item.reason, language)} for item in found.items]})
