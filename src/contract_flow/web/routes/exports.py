"""Nominative exports as pages (issue 16, item 5): the board's lists and the cases at risk offer «Exporter (CSV)» and
«Exporter (Excel)», links that keep the list's filter (`/board/export?format=csv&q=...`, `/risk/export?...`); the
file holds exactly what the list shows, in the page's language. `/exports` is the log of the CFA's exports, newest
first, each with a link back to the list it was taken from. CFA staff only: the same use cases as the API and the
CLI (services/exports.py).

A download is a GET (a link, which a browser saves as a file): it writes a log row, which is its purpose; a page
of another site could only make a logged-in user download a file it cannot read (no CORS), and the log says so.
"""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from typing import IO, Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import StreamingResponse

from contract_flow import export_words
from contract_flow.bootstrap import App
from contract_flow.domain.access import STAFF
from contract_flow.http.deps import Services
from contract_flow.http.files import stream_file
from contract_flow.services.access import Principal, require_role
from contract_flow.services.case_filters import CaseFilter
from contract_flow.services.exports import (
    Exported,
    export_cases,
    export_risks,
    exports_log,
    parse_format,
    stored_filter,
)
from contract_flow.web.auth import User
from contract_flow.web.finding import Filters
from contract_flow.web.render import page, translator

router = APIRouter(include_in_schema=False)

IN_MEMORY = 8 * 1024 * 1024
PAGE_SIZE = 50
FormatQuery = Annotated[str, Query(alias="format", max_length=10)]


def _send(file: IO[bytes], done: Exported) -> StreamingResponse:
    return stream_file(file, media_type=done.media_type, filename=done.filename,
                       headers={"X-Export-Rows": str(done.rows)})


def _download(request: Request, app: App, user: Principal, chosen: CaseFilter, fmt: str,
              export: Callable[..., Exported]) -> StreamingResponse:
    chosen_format = parse_format(fmt)
    file = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY)  # noqa: SIM115  (closed once streamed)
    try:
        done = export(app, actor_email=user.actor, chosen=chosen, fmt=chosen_format,
                      language=translator(request, user).language, via="page", out=file)
    except BaseException:
        file.close()
        raise
    return _send(file, done)


@router.get("/board/export")
def board_export(request: Request, app: Services, user: User, chosen: Filters, fmt: FormatQuery = "csv") -> Response:
    """The board's cases as its filters select them (every state's, or the chosen state's), as a file."""
    require_role(user, STAFF, "exporting a list of cases")
    return _download(request, app, user, chosen, fmt, export_cases)


@router.get("/risk/export")
def risk_export(request: Request, app: Services, user: User, chosen: Filters, fmt: FormatQuery = "csv") -> Response:
    """The cases at risk as the page lists them with its filters, as a file."""
    require_role(user, STAFF, "exporting a list of cases")
    return _download(request, app, user, chosen, fmt, export_risks)


@router.get("/exports")
def exports_page(request: Request, app: Services, user: User,
                 page_number: Annotated[int, Query(alias="page", ge=1, le=100_000)] = 1) -> Response:
    """The log of the CFA's nominative exports: when (Paris time), who, which list and filter, format, rows."""
    require_role(user, STAFF, "the log of exports")
    found = exports_log(app, actor_email=user.actor, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
    language = translator(request, user).language
    items = [{"record": record, "filter": export_words.describe_filter(stored_filter(record.filter), language),
              "link": ("/risk" if record.kind.value == "risk" else "/board")
              + (f"?{record.filter.query()}" if record.filter.narrowing else "")}
             for record in found.items]
    return page(request, "exports/log.html", user, title_key="exports.title", items=items, total=found.total,
                page_number=page_number, pages=max(1, -(-found.total // PAGE_SIZE)), base="/exports?")
