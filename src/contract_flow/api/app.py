"""The FastAPI application: the same use cases as the CLI, behind bearer tokens and role scopes."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable
from typing import Any

from fastapi import FastAPI, Request, Response

from contract_flow import __version__, web
from contract_flow.api import errors
from contract_flow.api.routes import cases, misc, reviews, rules
from contract_flow.bootstrap import App, bootstrap

#: Requests are small JSON documents; anything bigger is refused before it is read (413).
MAX_BODY_BYTES = 64 * 1024
#: The pages' CSV import (POST /import) takes a file: 2 MiB is some 20,000 rows.
MAX_IMPORT_BYTES = 2 * 1024 * 1024


def _too_big(request: Request, limit: int) -> Response:
    # A page (outside /api/) gets the HTML error page in the user's language; the API its JSON problem.
    if not request.url.path.startswith("/api/") and hasattr(request.app.state, "html_error"):
        from contract_flow.web.i18n import Translator
        from contract_flow.web.render import language_of

        message = Translator(language_of(request, None))("import.too_big", size=f"{limit // 1024} KiB")
        return request.app.state.html_error(request, 413, message)  # type: ignore[no-any-return]
    return errors.problem(413, "payload_too_large", f"the body is over {limit} bytes", "body")


def _nul_field(body: bytes) -> str:
    """The field whose text holds a NUL (a fact by its key), or "body" when the body is not JSON."""
    try:
        data = json.loads(body)
    except ValueError:
        return "body"

    def walk(value: Any, path: list[str]) -> list[str] | None:
        if isinstance(value, str):
            return path if "\x00" in value else None
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, item in items:
            if isinstance(key, str) and "\x00" in key:
                return [*path, key]
            found = walk(item, [*path, str(key)])
            if found is not None:
                return found
        return None

    found = walk(data, []) or ["body"]
    return found[-1] if found[0] == "facts" else ".".join(found)


def create_app(services: App | None = None) -> FastAPI:
    api = FastAPI(
        responses=errors.DOCUMENTED,
        title="contract-flow",
        version=__version__,
        description="Apprenticeship cases from the first reflection to the signed contract and beyond. "
                    "Errors are JSON: {\"error\": code, \"message\": ..., \"field\": ...}.",
    )
    api.state.services = services or bootstrap()
    errors.install(api)
    for router in (misc.router, cases.router, reviews.router, rules.router):
        api.include_router(router)

    @api.middleware("http")
    async def limit_body(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        limit = MAX_IMPORT_BYTES if request.url.path == "/import" else MAX_BODY_BYTES
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return _too_big(request, limit)
        for name, value in request.query_params.multi_items():
            if "\x00" in value or "\x00" in name:
                return errors.problem(422, "invalid_input", f"{name}: a NUL character is not text", name)
        if request.method in ("POST", "PUT", "PATCH"):
            body = await request.body()  # read once (Starlette caches it for the route)
            if len(body) > limit:
                return _too_big(request, limit)
            # A NUL character is no text a person types, and PostgreSQL refuses it in text columns.
            if b"\\u0000" in body or b"\x00" in body:
                field = _nul_field(body)
                return errors.problem(422, "invalid_input", f"{field}: a NUL character is not text", field)
        return await call_next(request)

    # Installed after `limit_body` so that its session middleware wraps it: a refused page is a page.
    web.install(api, api.state.services)
    return api
