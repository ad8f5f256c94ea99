"""The one ASGI application: the JSON API and the pages side by side, in one process, on the same services.

Neither package imports the other (tests/unit/test_entrypoints.py checks it); this module puts them together:
the API's routers, the pages' routers and /static, the session cookie the pages log in with, Server-Timing on
pages, the body limits, and the error handlers of `contract_flow.http.errors` answering JSON on the API's paths
and a page on the pages'. `contract-flow serve` and `up` serve `create_served_app` (`create_app`, then what is
alive frozen); the tests build `create_app`.
"""

from __future__ import annotations

import gc

from fastapi import Depends, FastAPI, Request, Response
from fastapi.staticfiles import StaticFiles

from contract_flow import __version__, api, web
from contract_flow.api.errors import json_error
from contract_flow.bootstrap import App, bootstrap
from contract_flow.http import docs, errors
from contract_flow.http.deps import ids_in_range
from contract_flow.http.errors import HttpError
from contract_flow.http.headers import SecurityHeaders
from contract_flow.http.limits import BodyLimit
from contract_flow.http.sessions import RotatingSessionMiddleware
from contract_flow.http.timing import ServerTiming
from contract_flow.web import errors as page_errors
from contract_flow.web.auth import SESSION_COOKIE, SESSION_MAX_AGE_SECONDS


def is_page(path: str) -> bool:
    """A web page's path: anything but the API and its documents."""
    return not (path.startswith(("/api/", "/docs", "/redoc")) or path == "/openapi.json")


def render_error(request: Request, error: HttpError) -> Response:
    """An error raised while answering: a page on a page's path, the API's JSON anywhere else."""
    if is_page(request.url.path):
        return page_errors.page_error(request, error.status, error.message)
    return json_error(error, request)


def refuse_body(request: Request, error: HttpError) -> Response:
    """A body refused before any route reads it: on a page's path a page (a file over its limit in the reader's
    language, a NUL naming the form's field), JSON anywhere else."""
    if is_page(request.url.path):
        if error.limit is not None:
            return page_errors.too_big_page(request, error.limit)
        return page_errors.page_error(request, error.status, error.message)
    return json_error(error, request)


def create_app(services: App | None = None) -> FastAPI:
    """The application on `services` (built from the settings when None: `uvicorn --factory`)."""
    # ids_in_range: an id no row can have is "not found" on every route, API and pages, before any query.
    app = FastAPI(responses=api.DOCUMENTED, title="contract-flow", version=__version__, description=api.DESCRIPTION,
                  openapi_tags=api.TAGS, docs_url=None, redoc_url=None,  # served offline by http.docs
                  dependencies=[Depends(ids_in_range)])
    app.state.services = services or bootstrap()
    errors.install(app, render_error)
    for router in api.ROUTERS:
        app.include_router(router)
    docs.install(app)  # /docs and /redoc with their bundled assets (no CDN)
    app.add_middleware(BodyLimit, refuse=refuse_body, larger=web.BODY_LIMITS)

    # Added after the body limits so that the session wraps them: a refused page is a page, in its language.
    settings = app.state.services.settings
    # Signed with secret_key; cookies signed with previous_secret_keys are accepted and signed again (rotation).
    app.add_middleware(RotatingSessionMiddleware, secret_keys=[*settings.previous_secret_keys, settings.secret_key],
                       session_cookie=SESSION_COOKIE, max_age=SESSION_MAX_AGE_SECONDS, same_site="lax",
                       https_only=settings.environment == "production")
    app.mount("/static", StaticFiles(directory=web.STATIC_DIR), name="static")
    app.add_middleware(ServerTiming, timed=is_page)
    app.add_middleware(SecurityHeaders, is_page=is_page)  # outermost: every answer, refusals included
    page_errors.install(app)
    for router in web.ROUTERS:
        app.include_router(router)
    return app


def create_served_app(services: App | None = None) -> FastAPI:
    """The application a server process answers with (`contract-flow serve`'s uvicorn factory, `up`): `create_app`,
    then what is alive once it is built (the modules, the routes, the rules, the compiled templates) moved out of
    the collector's reach with `gc.freeze`. A request allocates enough to trigger a full collection every ten or
    so; with 200,000 objects of startup to walk each time, that collection took 130-150 ms, one request in ten
    (the p95 of bench/web.py's to-do lists); frozen, 15-30 ms. Not in `create_app`: the suite builds thousands of
    apps in one process, and frozen objects are never collected (a cycle among them would stay for good)."""
    app = create_app(services)
    gc.collect()
    gc.freeze()
    return app
