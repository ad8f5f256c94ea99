"""The CFA staff's pages: the pipeline board (a column per step), one step's cases a page at a time, the cases at
risk, and the CSV import with its per-row report."""

from __future__ import annotations

import io
from functools import partial
from pathlib import Path
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import UploadFile

from contract_flow.adapters.queue import enqueue_import
from contract_flow.domain.access import STAFF
from contract_flow.domain.errors import InvalidInput, NotFound
from contract_flow.domain.rules import RuleSetError
from contract_flow.domain.states import SEARCH_STEPS, CaseState
from contract_flow.http.deps import Services
from contract_flow.reference import RulesCheck, check_once
from contract_flow.services.access import Principal, case_scope, require_role
from contract_flow.services.common import programme_code
from contract_flow.services.directory import list_programmes
from contract_flow.services.importer import BY_ID, ImportReport, count_rows, import_cases, job_view, start_job
from contract_flow.services.queries import board as build_board
from contract_flow.services.queries import board_cards, cards, parse_state
from contract_flow.services.risk import at_risk_page
from contract_flow.web.auth import Csrf, User
from contract_flow.web.forms import FormState
from contract_flow.web.render import environment, page, translator
from contract_flow.web.routes.invoices import board_invoices

router = APIRouter(include_in_schema=False)

#: Cards per board column: the most recently moved; the rest are a click away, a page at a time.
PER_COLUMN = 25
PAGE_SIZE = 50
Page = Annotated[int, Query(alias="page", ge=1, le=100_000)]


def _pages(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


@router.get("/board")
def board(request: Request, app: Services, user: User,
          state: Annotated[str | None, Query(max_length=20)] = None,
          programme: Annotated[str | None, Query(max_length=40)] = None, page_number: Page = 1) -> Response:
    require_role(user, STAFF, "the board")
    scope = case_scope(user)
    counts = build_board(app, scope, user.cfa_code or "")
    programme = programme_code(programme) if programme else None
    if programme is not None and programme not in counts.counts:
        raise NotFound("programme", programme)
    per_state = counts.counts.get(programme, {}) if programme else None

    def count(of: CaseState) -> int:
        return per_state.get(of, 0) if per_state is not None else counts.total(of)

    common: dict[str, Any] = {"programmes": list(counts.counts), "programme": programme}
    if state:
        chosen = parse_state(state)
        items, total = cards(app, scope, chosen, programme=programme, limit=PAGE_SIZE,
                             offset=(page_number - 1) * PAGE_SIZE)
        return page(request, "advisor/state.html", user, title_key="board.state_title",
                    title_values={"state": _state_name(request, user, chosen)}, state=chosen, cards=items,
                    total=total, page_number=page_number, pages=_pages(total), **common)
    columns = board_cards(app, scope, SEARCH_STEPS, programme=programme, per_state=PER_COLUMN)
    rules_check, rules_problem = _rules_check(app.settings.rules_file)
    return page(request, "advisor/board.html", user, title_key="board.title",
                columns=[(step, count(step), columns[step]) for step in SEARCH_STEPS],
                others=[(other, count(other)) for other in CaseState if other not in SEARCH_STEPS],
                rules_check=rules_check, rules_problem=rules_problem,
                invoices=board_invoices(request, app, user), **common)


def _rules_check(rules_file: Path) -> tuple[RulesCheck | None, str | None]:
    """The rule set's SMIC against OpenFisca-France, computed once per process (contract_flow.reference): the
    board warns when they disagree, since a missed revaluation under-states every minimum pay (D6222-26)."""
    try:
        return check_once(rules_file), None
    except RuleSetError as problem:
        return None, str(problem)


def _state_name(request: Request, user: Principal, state: CaseState) -> str:
    return translator(request, user)(f"state.{state.value}")


#: The at-risk details the page translates, by the start of the service's English text.
_DETAILS = (("trial ends", "risk.details.trial_end"), ("OPCO filing", "risk.details.opco"),
            ("review held", "risk.details.review"), ("no move", "risk.details.stale"),
            ("a reminder", "risk.details.failed"), ("3-month", "risk.details.window"),
            ("OPCO refused", "risk.details.opco_refused"), ("OPCO silence", "risk.details.opco_silence"))


@router.get("/risk")
def risk(request: Request, app: Services, user: User, page_number: Page = 1) -> Response:
    require_role(user, STAFF, "the cases at risk")
    found = at_risk_page(app, case_scope(user), limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE)
    shown = found.risks
    details = {risk.detail: next((key for start, key in _DETAILS if risk.detail.startswith(start)), None)
               for risk in shown}
    return page(request, "advisor/risk.html", user, title_key="risk.title", risks=shown, total=found.total,
                details=details, stale_days=app.policies.stale_apprentice_days, page_number=page_number,
                pages=_pages(found.total))


@router.get("/import")
def import_form(request: Request, user: User) -> Response:
    require_role(user, STAFF, "importing cases")
    return page(request, "advisor/import.html", user, title_key="import.title", form=FormState(), report=None,
                rows=[])


@router.post("/import", dependencies=[Csrf])
async def import_file(request: Request, app: Services, user: User) -> Response:
    require_role(user, STAFF, "importing cases")
    posted = await request.form()
    upload = posted.get("file")
    try:
        raw = await upload.read() if isinstance(upload, UploadFile) and upload.filename else None
    finally:
        await posted.close()  # the upload's temporary file
    form = FormState()
    try:
        if not raw:
            raise InvalidInput("file", "choose a CSV file (UTF-8, one case per row)")
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise InvalidInput("file", "is not UTF-8 text: save the sheet as «CSV UTF-8»") from None
        total = count_rows(text)  # the header checked at once, the rows counted
        if total > app.settings.import_background_rows:
            # A large file is a job for a worker: this request only records it (a client timing out and sending
            # it again would otherwise race the first); the page shows its progress.
            job_id = await run_in_threadpool(_start_job, app, user, text)
            return RedirectResponse(f"/import/jobs/{job_id}", status_code=303)
        report = await run_in_threadpool(_import, app, user, text)
    except InvalidInput as exc:
        form.errors["file"] = str(exc)
        return page(request, "advisor/import.html", user, status=422, title_key="import.title", form=form,
                    report=None, rows=[])
    return page(request, "advisor/import.html", user, status=422 if report.problems and not report.imported
                and not report.already else 200, title_key="import.title", form=form, report=report,
                rows=report_rows(report), more=0)


#: The rows an import job's page lists at most (the counts say the rest): a re-imported file of 37,000 rows is as
#: many «already there», which no one reads one by one.
LISTED_ROWS = 1000


def report_rows(report: ImportReport, *, imported: bool = True) -> list[tuple[int, str, int | None, str | None,
                                                                             str | None]]:
    """(line, outcome, case id, field, message) by line: "imported" (unless `imported` is False), "already"
    (the field says how it was found), "refused"."""
    rows: list[tuple[int, str, int | None, str | None, str | None]] = [
        (line, "imported", case_id, None, None) for line, case_id in report.imported] if imported else []
    rows += [(row.line, "already", row.case_id, "id" if row.by == BY_ID else "names", None) for row in report.already]
    rows += [(problem.line, "refused", None, problem.field, problem.message) for problem in report.problems]
    return sorted(rows, key=lambda row: row[0])


def _own_programmes(app: Any, user: Principal) -> set[str]:
    # Staff import into their own CFA's programmes only (another CFA's programme is "not found").
    return {programme.code for programme in list_programmes(app) if programme.cfa_code == user.cfa_code}


def _import(app: Any, user: Principal, text: str) -> ImportReport:
    return import_cases(app, io.StringIO(text, newline=""), programmes=_own_programmes(app, user))


def _start_job(app: Any, user: Principal, text: str) -> int:
    return start_job(app, text, created_by=user.email, cfa_code=user.cfa_code or "",
                     programmes=_own_programmes(app, user), enqueue=partial(enqueue_import, app.settings))


JobId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]


def _job_context(app: Any, user: Principal, job_id: int) -> dict[str, Any]:
    require_role(user, STAFF, "importing cases")
    job = job_view(app, job_id, cfa_code=user.cfa_code or "")  # another CFA's job is "not found"
    rows = report_rows(job.report, imported=False) if job.finished else []
    return {"job": job, "report": job.report, "rows": rows[:LISTED_ROWS], "more": max(0, len(rows) - LISTED_ROWS)}


@router.get("/import/jobs/{job_id}")
def import_job(request: Request, app: Services, user: User, job_id: JobId) -> Response:
    """An import job's progress bar, polled by htmx until the job is done, then its report."""
    return page(request, "advisor/import_job.html", user, title_key="import.title",
                **_job_context(app, user, job_id))


@router.get("/import/jobs/{job_id}/progress")
def import_job_progress(request: Request, app: Services, user: User, job_id: JobId) -> Response:
    """The progress fragment htmx swaps in place every second (the report once the job is done)."""
    t = translator(request, user)
    html = environment.get_template("advisor/_import_job.html").render(t=t, **_job_context(app, user, job_id))
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})
