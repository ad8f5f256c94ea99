"""The web pages: server-rendered HTML (Jinja2, htmx) for each role, served by the API's own FastAPI app.

Pages call the same service functions as the API and the CLI; what they add is a session (a signed cookie,
argon2id passwords), CSRF tokens on forms, French and English, and errors shown next to the field.
"""

from __future__ import annotations

import time
from pathlib import Path

from fastapi import FastAPI
from fastapi.staticfiles import StaticFiles
from starlette.middleware.sessions import SessionMiddleware
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contract_flow.bootstrap import App
from contract_flow.web import errors
from contract_flow.web.auth import SESSION_COOKIE, SESSION_MAX_AGE_SECONDS
from contract_flow.web.routes import advisor, apprentice, case, home, lead, mentor, tutor

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"


class ServerTiming:
    """`Server-Timing: app;dur=<ms>` on every page: the time the server spent on it (issue 6: at most 300 ms with
    10,000 cases; bench/web.py reads it). A plain ASGI middleware that lets anything but a page through untouched:
    the API pays nothing for it, and its answers stay byte for byte the same for a missing case and another
    CFA's."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not errors.is_page(scope["path"]):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
                message.setdefault("headers", []).append((b"server-timing", elapsed.encode("ascii")))
            await send(message)

        await self.app(scope, receive, timed)


def install(api: FastAPI, services: App) -> None:
    settings = services.settings
    api.add_middleware(SessionMiddleware, secret_key=settings.secret_key, session_cookie=SESSION_COOKIE,
                       max_age=SESSION_MAX_AGE_SECONDS, same_site="lax",
                       https_only=settings.environment == "production")
    api.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")

    api.add_middleware(ServerTiming)
    errors.install(api)
    for module in (home, advisor, case, lead, tutor, mentor, apprentice):
        api.include_router(module.router)
