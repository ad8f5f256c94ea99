"""The web pages: server-rendered HTML (Jinja2, htmx) for each role, served by the API's own FastAPI app.

Pages call the same service functions as the API and the CLI; what they add is a session (a signed cookie,
argon2id passwords), CSRF tokens on forms, French and English, and errors shown next to the field.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from pathlib import Path

from fastapi import FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware

from contract_flow.bootstrap import App
from contract_flow.web import errors
from contract_flow.web.auth import SESSION_COOKIE, SESSION_MAX_AGE_SECONDS
from contract_flow.web.routes import advisor, apprentice, case, home, lead, mentor, tutor

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


def install(api: FastAPI, services: App) -> None:
    settings = services.settings
    api.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie=SESSION_COOKIE,
                       max_age=SESSION_MAX_AGE_SECONDS, same_site="lax",
                       https_only=settings.environment == "production")
    api.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    @api.middleware("http")
    async def server_timing(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        # The time the server spent on the page (issue 6: at most 300 ms with 10,000 cases; bench/web.py reads it).
        # Pages only: the API's answers stay byte for byte the same for a missing case and another CFA's.
        started = time.perf_counter()
        response = await call_next(request)
        if not request.url.path.startswith("/api/"):
            response.headers["Server-Timing"] = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
        return response

    errors.install(api)
    for module in (home, advisor, case, lead, tutor, mentor, apprentice):
        api.include_router(module.router)
