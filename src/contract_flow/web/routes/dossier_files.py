"""The contract dossier as documents on the pages (issue 14, item 4): the case page's panel (download the CERFA as
it stands, and each kept version: signed, amendments) and the PDF itself, served with the page session's access.
Same use cases as the CLI and the API (services/dossier_downloads.py)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from contract_flow.adapters.dossier_versions import KeptVersion
from contract_flow.domain.errors import Forbidden
from contract_flow.http.deps import MAX_ID, Services
from contract_flow.services.access import Principal
from contract_flow.services.dossier_downloads import dossier_pdf, list_dossier_versions
from contract_flow.services.dossier_versions import KEPT_LANGUAGE
from contract_flow.web.auth import User
from contract_flow.web.render import language_of

router = APIRouter(include_in_schema=False)


@dataclass(frozen=True)
class DossierFiles:
    """What the case page's panel shows: the dossier's kept versions, oldest first."""

    versions: list[KeptVersion]


def dossier_files_panel(app: Any, user: Principal, case_id: int) -> DossierFiles | None:
    """The panel for `user` on the case page; None for those who may not read the dossier (a tutor)."""
    try:
        return DossierFiles(list_dossier_versions(app, case_id, actor_email=user.actor))
    except Forbidden:
        return None


@router.get("/cases/{case_id}/dossier.pdf")
async def download_dossier(request: Request, case_id: int, app: Services, user: User,
                           version: Annotated[int | None, Query(ge=1, le=MAX_ID)] = None) -> Response:
    """The CERFA FA13 as a PDF: the dossier as it stands in the page's language, or a kept version unchanged."""
    language = language_of(request, user) if version is None else KEPT_LANGUAGE
    pdf, filename = await run_in_threadpool(dossier_pdf, app, case_id, actor_email=user.actor, version=version,
                                            language=language)
    return Response(pdf, media_type="application/pdf",
                    headers={"Content-Disposition": f'attachment; filename="{filename}"'})
