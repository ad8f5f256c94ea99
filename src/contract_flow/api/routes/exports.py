"""Nominative exports over HTTP (issue 16, item 5): a list of cases or the cases at risk as CSV or .xlsx, with the
lists' own filters (`q`, `programme`, `advisor`, `state`, `needs_me`, as GET /api/v1/cases and the board's pages
take them), and the log of exports. CFA staff only (403 otherwise, nothing logged); the same use cases as the CLI
and the pages (services/exports.py).

The file is written whole (to a spooled temporary file: memory up to 8 MiB, then disk) before it is sent, so that
the export is logged only once it exists; it is then streamed. The language of its headers and words: `lang`, else
the first of Accept-Language we speak, else French (a file is often asked for someone else than its caller's
settings: the request says which language it wants).

Registered before the cases' router: `/cases/export` is not `/cases/{case_id}`.
"""

from __future__ import annotations

import tempfile
from datetime import datetime
from typing import IO, Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, Field

from contract_flow.api.errors import ErrorOut
from contract_flow.bootstrap import App
from contract_flow.http.deps import CurrentPrincipal, Services
from contract_flow.http.files import stream_file
from contract_flow.labels import choose_language
from contract_flow.services.access import Principal
from contract_flow.services.case_filters import MAX_SEARCH, CaseFilter, parse_filter
from contract_flow.services.exports import (
    MAX_LOG_PAGE,
    Exported,
    export_cases,
    export_risks,
    exports_log,
    parse_format,
    stored_filter,
)

router = APIRouter(prefix="/api/v1", tags=["exports"])

#: A file up to this size is kept in memory while it is written; a larger one goes to a temporary file.
IN_MEMORY = 8 * 1024 * 1024

FormatQuery = Annotated[str, Query(alias="format", max_length=10, description="csv or xlsx")]
LangQuery = Annotated[Literal["fr", "en"] | None, Query(description=(
    "The language of the headers and words (default: the first of Accept-Language we speak, else French)"))]
_FILE_RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {"text/csv": {}, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}},
          "description": "The file, as an attachment; X-Export-Id is its row in the log, X-Export-Rows its rows"},
    403: {"model": ErrorOut, "description": "Not CFA staff (nothing exported, nothing logged)"},
}


def _filter(q: str | None, programme: str | None, advisor: str | None, state: str | None,
            needs_me: bool) -> CaseFilter:
    return parse_filter(q=q, programme=programme, advisor=advisor, state=state, needs_me=needs_me)


def _list_filter(
    q: Annotated[str | None, Query(max_length=2 * MAX_SEARCH, description="Words of the name or email")] = None,
    programme: Annotated[str | None, Query(max_length=40)] = None,
    advisor: Annotated[str | None, Query(max_length=254)] = None,
    state: Annotated[str | None, Query(max_length=20)] = None,
    needs_me: Annotated[bool, Query(description="Only the cases where you have something to do now")] = False,
) -> CaseFilter:
    """The lists' filter from the query string: the same parameters as GET /cases and the board."""
    return _filter(q, programme, advisor, state, needs_me)


ListFilter = Annotated[CaseFilter, Depends(_list_filter)]


def _send(file: IO[bytes], done: Exported) -> StreamingResponse:
    return stream_file(file, media_type=done.media_type, filename=done.filename,
                       headers={"X-Export-Id": str(done.log_id), "X-Export-Rows": str(done.rows)})


def _export(kind: Literal["cases", "risk"], request: Request, app: App, principal: Principal, fmt: str,
            lang: str | None, chosen: CaseFilter) -> StreamingResponse:
    export = export_cases if kind == "cases" else export_risks
    chosen_format = parse_format(fmt)
    language = choose_language(lang, accept_language=request.headers.get("accept-language"))
    file = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115  (closed once streamed)
    try:
        done = export(app, actor_email=principal.actor, chosen=chosen, fmt=chosen_format, language=language,
                      via="api", out=file)
    except BaseException:
        file.close()
        raise
    return _send(file, done)


@router.get("/cases/export", response_class=StreamingResponse, responses=_FILE_RESPONSES,
            summary="The cases the filters select (those of GET /cases and the board), as CSV or .xlsx; logged")
def export_case_list(
    request: Request, app: Services, principal: CurrentPrincipal, chosen: ListFilter, fmt: FormatQuery = "csv",
    lang: LangQuery = None,
) -> StreamingResponse:
    return _export("cases", request, app, principal, fmt, lang, chosen)


@router.get("/risk/export", response_class=StreamingResponse, responses=_FILE_RESPONSES,
            summary="The cases at risk the filters select (as the at-risk page lists them), as CSV or .xlsx; logged")
def export_risk_list(
    request: Request, app: Services, principal: CurrentPrincipal, chosen: ListFilter, fmt: FormatQuery = "csv",
    lang: LangQuery = None,
) -> StreamingResponse:
    return _export("risk", request, app, principal, fmt, lang, chosen)


class ExportOut(BaseModel):
    """One export as logged."""

    id: int
    at: datetime
    by: str = Field(description="The staff member's email (`system`: the operator)")
    cfa_code: str | None
    kind: Literal["cases", "risk"]
    format: Literal["csv", "xlsx"]
    via: Literal["page", "api", "cli"]
    language: Literal["fr", "en"]
    filter: dict[str, Any] = Field(description="The list's filter as chosen: q, programme, advisor, state, needs_me "
                                               "(only those given)")
    rows: int


class ExportLogOut(BaseModel):
    items: list[ExportOut]
    total: int


@router.get("/exports", response_model=ExportLogOut, responses={403: {"model": ErrorOut}},
            summary="The log of nominative exports of your CFA, newest first (CFA staff)")
def export_log(app: Services, principal: CurrentPrincipal,
               limit: Annotated[int, Query(ge=1, le=MAX_LOG_PAGE)] = 50,
               offset: Annotated[int, Query(ge=0, le=1_000_000)] = 0) -> Any:
    found = exports_log(app, actor_email=principal.actor, limit=limit, offset=offset)
    return {"total": found.total, "items": [
        {"id": record.id, "at": record.at, "by": record.by, "cfa_code": record.cfa_code, "kind": record.kind.value,
         "format": record.format.value, "via": record.via, "language": record.language,
         "filter": stored_filter(record.filter), "rows": record.rows} for record in found.items]}
