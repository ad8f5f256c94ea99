"""A person's data on the pages (issue 16, item 6): `/privacy`, for CFA staff, finds what is held about an email
(their users, the cases they are the candidate of, the other rows naming them), downloads it as JSON, erases it
after a confirmation (refused while a live contract needs the data, the reason next to the field), and shows the
log of what was anonymised; `/me/data`, the apprentice's own data as JSON (a link on their page). The same use
cases as the API and the CLI (services/retention.py).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from contract_flow.domain.access import STAFF
from contract_flow.domain.case import Role
from contract_flow.domain.errors import InvalidInput, NotFound, NotNow
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.http.deps import Services
from contract_flow.jsonable import jsonable
from contract_flow.services.access import Principal, require_role
from contract_flow.services.retention import anonymisation_log, erase_person, export_person
from contract_flow.web.auth import Csrf, User
from contract_flow.web.forms import FormState
from contract_flow.web.render import flash, page, take_flash, translator

router = APIRouter(include_in_schema=False)

EmailQuery = Annotated[str, Query(max_length=254)]
LOG_SIZE = 50


def _download(exported: dict[str, Any]) -> Response:
    body = json.dumps(jsonable(exported), ensure_ascii=False, indent=2).encode()
    name = str(exported["email"]).replace("@", "_at_")
    return Response(body, media_type="application/json", headers={
        "Content-Disposition": f'attachment; filename="donnees-{name}.json"'})


def _summary(exported: dict[str, Any]) -> dict[str, Any]:
    """What the page says is held: the users, the cases, the other rows naming the email per table."""
    return {"users": exported["users"], "cases": [case["case_id"] for case in exported["cases"]],
            "mentions": {table: len(rows) for table, rows in exported["mentions"].items()}}


def _privacy_page(request: Request, app: Any, user: Principal, form: FormState, *, status: int = 200) -> Response:
    ok, error = take_flash(request)
    held = None
    email = form.get("email").strip()
    if email and not form.errors:
        try:
            held = _summary(export_person(app, email, actor_email=user.actor))
        except NotFound:
            held = {"users": [], "cases": [], "mentions": {}}
        except InvalidInput as refused:
            form.fail(refused)
            status = 422
    entries = anonymisation_log(app, actor_email=user.actor, limit=LOG_SIZE)
    return page(request, "privacy/privacy.html", user, status=status, title_key="privacy.title", form=form,
                held=held, entries=entries, flash=ok, flash_error=error)


@router.get("/privacy")
def privacy(request: Request, app: Services, user: User, email: EmailQuery = "") -> Response:
    """The page: an email's data found, its download and erasure; the anonymisation log."""
    require_role(user, STAFF, "a person's data")
    return _privacy_page(request, app, user, FormState({"email": email}))


@router.get("/privacy/export")
def privacy_export(app: Services, user: User, email: EmailQuery) -> Response:
    """Everything held about the email, as a JSON file."""
    require_role(user, STAFF, "a person's data")
    return _download(export_person(app, email, actor_email=user.actor))


@router.post("/privacy/erase", dependencies=[Csrf])
async def privacy_erase(request: Request, app: Services, user: User) -> Response:
    form = await FormState.of(request)
    return await run_in_threadpool(_erase, request, app, user, form)


def _erase(request: Request, app: Any, user: Principal, form: FormState) -> Response:
    require_role(user, STAFF, "a person's data")
    t = translator(request, user)
    email = form.get("email").strip()
    try:
        if form.get("confirm") != "yes":
            raise InvalidInput("confirm", Reason("erase_confirm_page", typed=Typed(email)))
        erasure = erase_person(app, email, actor_email=user.actor)
    except InvalidInput as refused:  # NotNow too: a live contract, nothing held
        form.fail(refused)
        return _privacy_page(request, app, user, form, status=409 if isinstance(refused, NotNow) else 422)
    flash(request, t("privacy.erased", email=erasure.email, cases=t.number(len(erasure.case_ids)),
                     rows=t.number(sum(erasure.tables.values()))))
    return RedirectResponse("/privacy", status_code=303)


@router.get("/me/data")
def my_data(app: Services, user: User) -> Response:
    """The apprentice's own data, as a JSON file."""
    require_role(user, {Role.APPRENTICE}, "the apprentice's own data")
    return _download(export_person(app, user.email, actor_email=user.actor))
