"""The page a new user's emailed link opens (services/login_links.py): they choose their password, twice, and are
logged in. No session is needed to see it; the link itself says whose it is, and is good once."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from contract_flow.domain.case import Role
from contract_flow.domain.errors import InvalidInput
from contract_flow.http.deps import Services
from contract_flow.services.login_links import PATH, choose_password, link_holder
from contract_flow.web.auth import Csrf, log_in
from contract_flow.web.forms import FormState
from contract_flow.web.render import flash, home_of, page, translator

router = APIRouter(include_in_schema=False)


def _page(request: Request, token: str, holder: Any, form: FormState, status: int = 200) -> Response:
    return page(request, "login_link.html", None, status=status, title_key="login_link.title", token=token,
                holder=holder, form=form)


@router.get(PATH)
def link_form(request: Request, app: Services, token: Annotated[str, Query(max_length=500)] = "") -> Response:
    try:
        holder = link_holder(app, token)
    except InvalidInput:
        return _page(request, token, None, FormState(), 410)
    # The page speaks the language the lead chose for them, unless they chose one on this browser.
    request.session.setdefault("language", holder.language)
    return _page(request, token, holder, FormState())


@router.post(PATH, dependencies=[Csrf])
async def link_post(request: Request, app: Services) -> Response:
    form = await FormState.of(request)
    return await run_in_threadpool(_choose, request, app, form)


def _choose(request: Request, app: Any, form: FormState) -> Response:
    t = translator(request, None)
    token = form.get("token")
    try:
        holder = link_holder(app, token)
    except InvalidInput:
        return _page(request, token, None, FormState(), 410)
    password, confirm = form.values.get("password", ""), form.values.get("confirm", "")
    form = FormState({})  # a password is never sent back to the page
    try:
        if password != confirm:
            raise InvalidInput("confirm", t("login_link.mismatch"))
        chosen = choose_password(app, token, password)
    except InvalidInput as error:
        if error.field == "token":
            return _page(request, token, None, form, 410)
        form.fail(error)
        return _page(request, token, holder, form, 422)
    log_in(request, chosen.person_id)
    flash(request, t("login_link.done"))
    return RedirectResponse(home_of(Role(chosen.role)), status_code=303)
