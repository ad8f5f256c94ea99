"""The API's interactive documents, /docs (Swagger UI) and /redoc (ReDoc), with their scripts and styles served by
this application: nothing comes from a CDN, so the documents work on a machine without internet.

The assets are the ones the `fastapi-offline` package ships (Swagger UI's bundle and CSS, ReDoc's standalone
script, a favicon; MIT); its files are served from /docs/assets/ and FastAPI's own page builders
(`get_swagger_ui_html`, `get_redoc_html`) point at them. ReDoc's script always shows Redocly's logo from their
CDN in its footer: it is served with that URL replaced by an empty image, so nothing is asked of another host.
FastAPI's default /docs and /redoc (CDN URLs) are turned off in `contract_flow.asgi` (`docs_url=None,
redoc_url=None`).
"""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html, get_swagger_ui_oauth2_redirect_html
from fastapi.responses import HTMLResponse, Response
from fastapi.staticfiles import StaticFiles

SWAGGER_URL = "/docs"
REDOC_URL = "/redoc"
ASSETS_URL = "/docs/assets"
OAUTH2_REDIRECT_URL = "/docs/oauth2-redirect"
#: Files the documents load, all from ASSETS_URL (tests check each is served).
ASSETS = ("swagger-ui-bundle.js", "swagger-ui.css", "redoc.standalone.js", "favicon.png")
REDOCLY_LOGO = b"https://cdn.redoc.ly/redoc/logo-mini.svg"
EMPTY_IMAGE = b"data:image/svg+xml,%3Csvg xmlns='http://www.w3.org/2000/svg'/%3E"


def assets_dir() -> Path:
    """The folder of the bundled Swagger UI and ReDoc files (inside the installed fastapi-offline package)."""
    return Path(str(files("fastapi_offline") / "static"))


@cache
def redoc_script() -> bytes:
    """ReDoc's standalone script with its footer logo's CDN URL replaced by an empty image."""
    return (assets_dir() / "redoc.standalone.js").read_bytes().replace(REDOCLY_LOGO, EMPTY_IMAGE)


def install(app: FastAPI) -> None:
    """Serve /docs, /redoc and their assets on `app` (created with docs_url=None, redoc_url=None)."""

    @app.get(f"{ASSETS_URL}/redoc.standalone.js", include_in_schema=False)
    def redoc_standalone() -> Response:  # before the mount: this one file is served changed
        return Response(redoc_script(), media_type="text/javascript")

    app.mount(ASSETS_URL, StaticFiles(directory=assets_dir()), name="docs-assets")

    # The pages read the app from the request, never from this function's closure: FastAPI keeps each endpoint
    # in a module-level cache of 4,096 callables (fastapi/dependencies/models.py), and an endpoint closing over its
    # app would keep every app ever built alive with it (the test suite builds thousands: gigabytes).
    def _root(request: Request) -> str:
        return str(request.scope.get("root_path", ""))

    @app.get(SWAGGER_URL, include_in_schema=False)
    def swagger_ui(request: Request) -> HTMLResponse:
        root, served = _root(request), request.app
        return get_swagger_ui_html(
            openapi_url=f"{root}{served.openapi_url}", title=f"{served.title}: API (Swagger UI)",
            oauth2_redirect_url=f"{root}{OAUTH2_REDIRECT_URL}",
            swagger_js_url=f"{root}{ASSETS_URL}/swagger-ui-bundle.js",
            swagger_css_url=f"{root}{ASSETS_URL}/swagger-ui.css",
            swagger_favicon_url=f"{root}{ASSETS_URL}/favicon.png",
            # validatorUrl null: no badge fetched from swagger.io
            swagger_ui_parameters={"persistAuthorization": True, "displayRequestDuration": True,
                                   "validatorUrl": None})

    @app.get(OAUTH2_REDIRECT_URL, include_in_schema=False)
    def swagger_ui_redirect() -> HTMLResponse:
        return get_swagger_ui_oauth2_redirect_html()

    @app.get(REDOC_URL, include_in_schema=False)
    def redoc(request: Request) -> HTMLResponse:
        root, served = _root(request), request.app
        return get_redoc_html(
            openapi_url=f"{root}{served.openapi_url}", title=f"{served.title}: API (ReDoc)",
            redoc_js_url=f"{root}{ASSETS_URL}/redoc.standalone.js",
            redoc_favicon_url=f"{root}{ASSETS_URL}/favicon.png", with_google_fonts=False)
