"""The Tableau de bord de l'apprentissage over HTTP (issue 16, item 1): the CFA's feed as a file, a push now, the
last pushes with their errors. CFA staff, their CFA's (403 otherwise); the same use cases as `contract-flow tdb` and
the page (services/tdb.py). A push without the TDB's address or the CFA's key configured answers 409 naming the
setting; a push the TDB refused or that failed is still recorded, and answered 201 with its status.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from datetime import date, datetime
from typing import IO, Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field

from contract_flow.api.errors import ErrorOut
from contract_flow.http.deps import CurrentPrincipal, Services
from contract_flow.services.tdb import export_feed, feed_request, list_pushes, push_as_dict, push_feed

router = APIRouter(prefix="/api/v1", tags=["tdb"])

IN_MEMORY = 8 * 1024 * 1024
CHUNK = 64 * 1024
MEDIA = {"json": "application/json",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
CfaQuery = Annotated[str | None, Query(max_length=40, description="The CFA (staff: their own, the default)")]


class PushErrorOut(BaseModel):
    case_id: int | None
    id_erp_apprenant: str
    field: str = Field(description="The TDB's field refused")
    message: str
    source: Literal["local", "tdb"] = Field(description="local: our check, the learner was not sent; tdb: the "
                                                        "TDB's answer")


class PushOut(BaseModel):
    id: int
    cfa_code: str
    started_at: datetime | None = None
    finished_at: datetime | None = None
    as_of: date | None = None
    trigger: str | None = None
    by: str | None = None
    endpoint: str | None = None
    status: Literal["running", "sent", "partial", "failed", "refused"]
    items_sent: int
    items_with_errors: int
    batches: int
    answer: str | None
    errors: list[PushErrorOut]
    error_count: int | None = Field(default=None, description="All the push's errors (`errors` lists the first)")


class PushIn(BaseModel):
    model_config = ConfigDict(extra="forbid")

    cfa: str | None = Field(default=None, max_length=40)
    on: date | None = Field(default=None, description="The feed of this day (default: today, Paris)")


@router.get("/tdb/pushes", response_model=list[PushOut],
            summary="The last pushes to the Tableau de bord, newest first, with each learner's errors")
def pushes(app: Services, principal: CurrentPrincipal, cfa: CfaQuery = None,
           limit: Annotated[int, Query(ge=1, le=100)] = 12) -> Any:
    return [push_as_dict(view) for view in list_pushes(app, actor_email=principal.actor, cfa_code=cfa,
                                                       limit=limit)]


@router.post("/tdb/pushes", response_model=PushOut, status_code=201,
             responses={409: {"model": ErrorOut, "description": "No TDB address or no key for the CFA (the "
                                                                "setting is named); nothing recorded"}},
             summary="Push the CFA's learners to the Tableau de bord now (recorded whatever the TDB answers)")
def push(app: Services, principal: CurrentPrincipal, body: PushIn | None = None) -> Any:
    chosen = body or PushIn()
    return push_as_dict(push_feed(app, actor_email=principal.actor, trigger="api", cfa_code=chosen.cfa,
                                  on=chosen.on))


@router.get("/tdb/export", response_class=StreamingResponse,
            responses={200: {"content": {MEDIA["json"]: {}, MEDIA["xlsx"]: {}},
                             "description": "The feed as an attachment; X-Tdb-Items: the learners in it, "
                                            "X-Tdb-Refused: those set aside by the check"}},
            summary="The CFA's learners as the TDB takes them: JSON (the API's body) or the .xlsx to upload")
def export(app: Services, principal: CurrentPrincipal, cfa: CfaQuery = None,
           on: Annotated[date | None, Query(description="The feed of this day (default: today)")] = None,
           fmt: Annotated[Literal["json", "xlsx"], Query(alias="format")] = "json") -> StreamingResponse:
    request = feed_request(app, actor_email=principal.actor, cfa_code=cfa, on=on)
    file: IO[bytes] = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115  (closed once streamed)
    try:
        counts = export_feed(app, request, file, fmt)
    except BaseException:
        file.close()
        raise
    file.seek(0)

    def chunks() -> Iterator[bytes]:
        try:
            while chunk := file.read(CHUNK):
                yield chunk
        finally:
            file.close()

    name = f"tdb-{request.cfa_code}-{request.on.isoformat()}.{fmt}"
    return StreamingResponse(chunks(), media_type=MEDIA[fmt], headers={
        "Content-Disposition": f'attachment; filename="{name}"', "X-Tdb-Items": str(counts.items),
        "X-Tdb-Refused": str(counts.refused)})
