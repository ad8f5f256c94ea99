"""The web pages: server-rendered HTML (Jinja2, htmx) for each role, served by the API's own FastAPI app.

Pages call the same service functions as the API and the CLI; what they add is a session (a signed cookie,
argon2id passwords), CSRF tokens on forms, French and English, and errors shown next to the field.
"""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
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
    errors.install(api)
    for module in (home, advisor, case, lead, tutor, mentor, apprentice):
        api.include_router(module.router)
