"""Errors on pages are pages: a login form when the session is gone, a page saying what went wrong otherwise.

The API's handlers (api/errors.py) answer JSON; for any path outside /api/ they hand the error to `html_error`
here. Forms catch the errors they expect themselves and show them next to the field (see `forms.py`).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse

from contract_flow.web.auth import CsrfRefused, LoginRequired, current_user
from contract_flow.web.render import page, translator


def is_page(path: str) -> bool:
    """A web page's path: anything but the API and its documents."""
    return not (path.startswith(("/api/", "/docs", "/redoc")) or path == "/openapi.json")


def html_error(request: Request, status: int, message: str) -> Response | None:
    """The error as an HTML page, for a page's path; None for the API's (its handlers answer JSON)."""
    if not is_page(request.url.path):
        return None
    try:
        user = current_user(request)
    except LoginRequired:
        user = None
    return page(request, "error.html", user, status=status, title_key=f"error.{status}", message=message)


def install(api: FastAPI) -> None:
    api.state.html_error = html_error

    @api.exception_handler(LoginRequired)
    async def _login(request: Request, exc: LoginRequired) -> Response:
        if request.headers.get("HX-Request"):
            # htmx follows this header with a full page load, not a swap of the login form into a fragment.
            return Response(status_code=401, headers={"HX-Redirect": "/login"})
        target = "/login" if exc.next_path in ("", "/") else f"/login?next={quote(exc.next_path)}"
        return RedirectResponse(target, status_code=303)

    @api.exception_handler(CsrfRefused)
    async def _csrf(request: Request, exc: CsrfRefused) -> Response:
        return page(request, "error.html", None, status=403, title_key="error.403",
                    message=translator(request, None)("error.csrf"))
