"""Login, logout, the language switch, and `/`, which sends each role to its own first page."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, Request, Response
from fastapi.responses import RedirectResponse

from contract_flow.http.clients import client_address
from contract_flow.http.deps import Services
from contract_flow.services.logins import LoginBusy
from contract_flow.services.logins import log_in as log_in_as
from contract_flow.web.auth import Csrf, LoginRequired, User, current_user, log_in, log_out
from contract_flow.web.forms import local_path
from contract_flow.web.i18n import LANGUAGES
from contract_flow.web.render import home_of, page, translator

router = APIRouter(include_in_schema=False)


@router.get("/")
def root(user: User) -> Response:
    return RedirectResponse(home_of(user.role), status_code=303)


@router.get("/login")
def login_form(request: Request, next: str | None = None) -> Response:
    try:
        user = current_user(request)
    except LoginRequired:
        user = None
    if user is not None:
        return RedirectResponse(local_path(next) or home_of(user.role), status_code=303)
    return page(request, "login.html", None, title_key="login.title", next=local_path(next) or "", error=None,
                email="")


@router.post("/login", dependencies=[Csrf])
def login(request: Request, app: Services, email: Annotated[str, Form(max_length=254)] = "",
          password: Annotated[str, Form(max_length=1024)] = "",
          next: Annotated[str, Form(max_length=2000)] = "") -> Response:
    address = client_address(request, app.settings.trusted_proxies)
    t = translator(request, None)
    try:
        person_id = (log_in_as(app, email, password, address)
                     if email and password and "\x00" not in email + password else None)
    except LoginBusy as busy:
        # Too many passwords being verified at once: say so rather than keep the browser waiting (no failure
        # is counted; the throttle's own refusals look like a wrong password).
        response = page(request, "login.html", None, status=429, title_key="login.title",
                        next=local_path(next) or "", error=t("login.busy"), email=email.replace("\x00", ""))
        response.headers["Retry-After"] = str(busy.retry_after)
        return response
    if person_id is None:
        # One message for an unknown email, a wrong password and a locked account or address: which emails have
        # accounts, and which are locked, is not told.
        return page(request, "login.html", None, status=401, title_key="login.title", next=local_path(next) or "",
                    error=t("login.failed"), email=email.replace("\x00", ""))
    log_in(request, person_id)
    return RedirectResponse(local_path(next) or "/", status_code=303)


@router.post("/logout", dependencies=[Csrf])
def logout(request: Request) -> Response:
    log_out(request)
    return RedirectResponse("/login", status_code=303)


@router.post("/language", dependencies=[Csrf])
def language(request: Request, lang: Annotated[str, Form()] = "fr",
             next: Annotated[str, Form(max_length=2000)] = "/") -> Response:
    if lang in LANGUAGES:
        request.session["language"] = lang
    return RedirectResponse(local_path(next) or "/", status_code=303)
