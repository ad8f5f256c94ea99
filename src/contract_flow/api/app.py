"""The FastAPI application: the same use cases as the CLI, behind bearer tokens and role scopes."""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request, Response

from contract_flow import __version__
from contract_flow.api import errors
from contract_flow.api.routes import cases, misc, reviews
from contract_flow.bootstrap import App, bootstrap

#: Requests are small JSON documents; anything bigger is refused before it is read (413).
MAX_BODY_BYTES = 64 * 1024


def create_app(services: App | None = None) -> FastAPI:
    api = FastAPI(
        title="contract-flow",
        version=__version__,
        description="Apprenticeship cases from the first reflection to the signed contract and beyond. "
                    "Errors are JSON: {\"error\": code, \"message\": ..., \"field\": ...}.",
    )
    api.state.services = services or bootstrap()
    errors.install(api)
    for router in (misc.router, cases.router, reviews.router):
        api.include_router(router)

    @api.middleware("http")
    async def limit_body(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > MAX_BODY_BYTES):
            return errors.problem(413, "payload_too_large", f"the body is over {MAX_BODY_BYTES} bytes", "body")
        if declared is None and request.method in ("POST", "PUT", "PATCH"):
            body = await request.body()  # chunked: read it (Starlette caches it for the route)
            if len(body) > MAX_BODY_BYTES:
                return errors.problem(413, "payload_too_large", f"the body is over {MAX_BODY_BYTES} bytes", "body")
        return await call_next(request)

    return api
