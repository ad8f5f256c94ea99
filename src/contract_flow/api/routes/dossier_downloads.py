"""The contract dossier as documents (issue 14, item 4): the CERFA FA13 as a PDF and as JSON, as it stands or as
one of its kept versions (signed, amended), and the list of those versions. Same use cases as the CLI and the pages
(services/dossier_downloads.py)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response

from contract_flow.api.dossier_schemas import DossierOut, DossierVersionOut
from contract_flow.api.errors import ErrorOut
from contract_flow.http.deps import MAX_ID, CurrentPrincipal, Services
from contract_flow.jsonable import jsonable
from contract_flow.services.dossier_downloads import dossier_json_of, dossier_pdf, list_dossier_versions

router = APIRouter(prefix="/api/v1/cases", tags=["dossier"])

VersionQuery = Annotated[int | None, Query(ge=1, le=MAX_ID, description=(
    "A kept version (1: as signed; then one per amendment), given unchanged; none: the dossier as it stands"))]
_NOT_KEPT: dict[int | str, dict[str, Any]] = {
    404: {"model": ErrorOut, "description": "No such case in your scope, or no such kept version"}}


@router.get("/{case_id}/dossier.pdf", response_class=Response, summary="The CERFA FA13 as a PDF",
            responses={200: {"content": {"application/pdf": {}}, "description": "The PDF, as an attachment"},
                       **_NOT_KEPT})
def get_dossier_pdf(case_id: int, app: Services, principal: CurrentPrincipal, version: VersionQuery = None,
                    lang: Annotated[Literal["fr", "en"], Query(description=(
                        "The language of the dossier as it stands (a kept version is in French, as filed)"))]
                    = "fr") -> Response:
    pdf, filename = dossier_pdf(app, case_id, actor_email=principal.actor, version=version, language=lang)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})


@router.get("/{case_id}/dossier.json", response_model=DossierOut, responses=_NOT_KEPT,
            summary="The CERFA FA13 as data: every field in the form's order, its labels and value")
def get_dossier_json(case_id: int, app: Services, principal: CurrentPrincipal,
                     version: VersionQuery = None) -> Any:
    return dossier_json_of(app, case_id, actor_email=principal.actor, version=version)


@router.get("/{case_id}/dossier/versions", response_model=list[DossierVersionOut], responses=_NOT_KEPT,
            summary="The dossier's kept versions: signed, then one per amendment")
def get_dossier_versions(case_id: int, app: Services, principal: CurrentPrincipal) -> Any:
    base = f"/api/v1/cases/{case_id}/dossier"
    return [{"version": kept.version, "kind": kept.kind, "created_at": jsonable(kept.created_at),
             "created_by": kept.created_by, "pdf": f"{base}.pdf?version={kept.version}",
             "json": f"{base}.json?version={kept.version}"}
            for kept in list_dossier_versions(app, case_id, actor_email=principal.actor)]
