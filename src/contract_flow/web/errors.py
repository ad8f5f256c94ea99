"""Errors on pages are pages: a login form when the session is gone, a page saying what went wrong otherwise.

`contract_flow.asgi` hands every error on a page's path to `page_error` (the API's answer JSON). Forms catch the
errors they expect themselves and show them next to the field (see `forms.py`).
"""

from __future__ import annotations

from urllib.parse import quote

from fastapi import FastAPI, Request, Response
from fastapi.responses import RedirectResponse

from contract_flow.web.auth import CsrfRefused, LoginRequired, current_user
from contract_flow.web.render import page, translator


def page_error(request: Request, status: int, message: str) -> Response:
    """The error as an HTML page, with the navigation of the user still logged in (if any)."""
    try:
        user = current_user(request)
    except LoginRequired:
        user = None
    # a domain error's message has the words of every language (domain.reasons); others are as they came
    message = translator(request, user).reason(message)
    return page(request, "error.html", user, status=status, title_key=f"error.{status}", message=message)


def too_big_page(request: Request, limit: int) -> Response:
    """A body over its limit (413): on a page, the import's file, said in the reader's language with the limit."""
    return page_error(request, 413, translator(request, None)("import.too_big", size=f"{limit // 1024} KiB"))


def install(api: FastAPI) -> None:
    """The pages' own refusals: no session (to the login form) and a form without its CSRF token."""

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
