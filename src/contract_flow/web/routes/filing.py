"""The contract's filing with the OPCO and the OPCO's answer on the pages (issue 14, item 6): the case page's
filing panel (case/_filing.html, included by case/case.html for CFA staff) and the board's per-programme counts
(advisor/_filing_board.html). The forms post here and call the same use cases as the API and the CLI.

The case page's panel reads its data through a template global (`filing_panel`) so the case page includes it with
one line: the use case `show_filing` for the user of the page, with what the person typed and the errors next to
each field when the page is shown again after a refusal. The board's route reads the counts (`filing_counts`)
alongside its other blocks (web/alongside.py) and hands them to its partial.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from contract_flow.domain.access import Action
from contract_flow.domain.context import paris_date
from contract_flow.domain.errors import ConflictError, InvalidInput, NotNow
from contract_flow.domain.values import parse_written_date
from contract_flow.http.deps import Services, version_number
from contract_flow.services.access import Principal, case_scope, permit
from contract_flow.services.filing import (
    FilingCounts,
    FilingView,
    file_contract,
    filing_board,
    record_opco_decision,
    show_filing,
)
from contract_flow.services.views import refusal_line
from contract_flow.web.auth import Csrf, User
from contract_flow.web.forms import FormState
from contract_flow.web.render import environment, flash, translator
from contract_flow.web.routes.case import case_page

router = APIRouter(include_in_schema=False)

#: The two forms of the panel: the filing, the OPCO's answer; each field named as the use case names it.
FILE, DECIDE = "file", "decide"
_FORMS = "filing_forms"


def filing_panel(request: Request, user: Principal, case_id: int) -> dict[str, Any]:
    """The panel's data: the filing as `user` may read it, and each form as typed with its errors (empty forms
    the first time; after a refusal, what the POST kept on `request.state`)."""
    app = request.app.state.services
    view: FilingView = show_filing(app, case_id, actor_email=user.actor)
    forms: dict[str, FormState] = getattr(request.state, _FORMS, {})
    today = paris_date(app.clock.now())
    file_form = forms.get(FILE) or FormState({"filed_on": today.isoformat(), "opco": view.filing.opco
                                              or view.dossier_opco or ""})
    decide_form = forms.get(DECIDE) or FormState({"decided_on": today.isoformat()})
    language = translator(request, user).language
    # What to fix before filing again, in the page's language: the field's label, the rule's words (English only
    # for the few rules that have no other words: marked so), its source.
    to_fix = [refusal_line(refusal, language) for refusal in view.to_fix]
    return {"view": view, "filing": view.filing, "file_form": file_form, "decide_form": decide_form,
            "today": today, "to_fix": to_fix}


def filing_counts(request: Request, user: Principal) -> dict[str, FilingCounts]:
    """Per programme of the user's CFA, the running contracts by where they stand with their OPCO."""
    app = request.app.state.services
    return filing_board(app, case_scope(user), user.cfa_code or "", today=paris_date(app.clock.now()))


environment.globals["filing_panel"] = filing_panel


def _version(form: FormState) -> int | None:
    text = form.get("version").strip()
    return version_number("version", text) if text else None


def _refused(request: Request, app: Any, user: Principal, case_id: int, which: str, form: FormState,
             error: InvalidInput | ConflictError) -> Response:
    """The case page again, the form as typed and the error next to its field (409 for what the case does not
    allow now or a stale version, 422 for a malformed value)."""
    if isinstance(error, ConflictError):
        form.errors["form"] = f"{translator(request, user)('case.conflict')} {error}"
    else:
        form.fail(error)
    request.state.filing_forms = {which: form}
    status = 409 if isinstance(error, NotNow | ConflictError) else 422
    return case_page(request, app, user, case_id, status=status)


@router.post("/cases/{case_id}/filing", dependencies=[Csrf])
async def file_with_opco(request: Request, case_id: int, app: Services, user: User) -> Response:
    form = await FormState.of(request)
    return await run_in_threadpool(_file, request, app, user, case_id, form)


def _file(request: Request, app: Any, user: Principal, case_id: int, form: FormState) -> Response:
    permit(app, user, Action.FILE_CONTRACT, case_id=case_id)
    t = translator(request, user)
    try:
        filed_on = parse_written_date("filed_on", form.get("filed_on"))
        file_contract(app, case_id, filed_on=filed_on, opco=form.get("opco").strip() or None,
                      actor_email=user.actor, expected_version=_version(form))
    except (InvalidInput, ConflictError) as error:
        return _refused(request, app, user, case_id, FILE, form, error)
    flash(request, t("filing.filed", date=t.date(filed_on)))
    return RedirectResponse(f"/cases/{case_id}#filing", status_code=303)


@router.post("/cases/{case_id}/opco-decision", dependencies=[Csrf])
async def opco_decision(request: Request, case_id: int, app: Services, user: User) -> Response:
    form = await FormState.of(request)
    return await run_in_threadpool(_decide, request, app, user, case_id, form)


def _decide(request: Request, app: Any, user: Principal, case_id: int, form: FormState) -> Response:
    permit(app, user, Action.RECORD_OPCO_DECISION, case_id=case_id)
    t = translator(request, user)
    decision = form.get("decision")
    try:
        if not decision:
            raise InvalidInput("decision", t("filing.decision.choose"))
        decided_on = parse_written_date("decided_on", form.get("decided_on"))
        accepted = decision == "accepted"
        record_opco_decision(app, case_id, decision=decision, decided_on=decided_on,
                             deca_number=form.get("deca_number") if accepted else None,
                             reason=form.get("reason") if not accepted else None, actor_email=user.actor,
                             expected_version=_version(form))
    except (InvalidInput, ConflictError) as error:
        return _refused(request, app, user, case_id, DECIDE, form, error)
    flash(request, t(f"filing.decided.{decision}"))
    return RedirectResponse(f"/cases/{case_id}#filing", status_code=303)
