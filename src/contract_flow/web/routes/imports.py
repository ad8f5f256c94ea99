"""The CFA staff's import of candidates: a CSV (`,` or `;`, UTF-8) or an Excel workbook (.xlsx), French or English
headers; first a preview of every row (what it would do: open a case, already there, refused with its field and
reason, in the page's language), then a button that imports exactly that file (the job keeps it).

Every upload is an import job (services.importer): checked in this request when it is small, by a worker when it
has more than `import_background_rows` rows (the page polls its progress with htmx); confirmed, imported the same
way. A preview never confirmed keeps its file until an operator removes the job."""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import Annotated, Any

from fastapi import APIRouter, Request, Response
from fastapi import Path as PathParam
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse
from starlette.datastructures import UploadFile

from contract_flow.adapters.queue import enqueue_import
from contract_flow.adapters.spreadsheets import read_sheet, stored
from contract_flow.domain.access import STAFF
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.imports import COLUMNS, RowRefused
from contract_flow.http.deps import Services
from contract_flow.import_words import column_name, expected_columns, problem_text, refusal_text
from contract_flow.services.access import Principal, require_role
from contract_flow.services.directory import list_programmes
from contract_flow.services.importer import (
    BY_ID,
    ImportReport,
    JobView,
    confirm_job,
    count_rows,
    job_view,
    run_job,
    start_job,
)
from contract_flow.web.auth import CSRF_FIELD, Csrf, User, csrf_token
from contract_flow.web.forms import FormState
from contract_flow.web.render import environment, page, translator

router = APIRouter(include_in_schema=False)

#: The rows a job's page lists at most (the counts say the rest): a re-imported file of 37,000 rows is as many
#: «already there», which no one reads one by one.
LISTED_ROWS = 1000
JobId = Annotated[int, PathParam(ge=1, le=2**31 - 1)]
Row = tuple[int, str, int | None, str | None, str | None]


@router.get("/import")
def import_form(request: Request, user: User) -> Response:
    require_role(user, STAFF, "importing cases")
    return _form(request, user, FormState())


def _form(request: Request, user: Principal, form: FormState, status: int = 200) -> Response:
    t = translator(request, user)
    return page(request, "advisor/import.html", user, status=status, title_key="import.title", form=form,
                expected=expected_columns(t.language))


@router.post("/import", dependencies=[Csrf])
async def import_file(request: Request, app: Services, user: User) -> Response:
    """The file read and checked row by row (a preview: nothing opened), then shown with its confirm button."""
    require_role(user, STAFF, "importing cases")
    posted = await request.form()
    upload = posted.get("file")
    try:
        raw = await upload.read() if isinstance(upload, UploadFile) and upload.filename else None
        name = upload.filename or "" if isinstance(upload, UploadFile) else ""
    finally:
        await posted.close()  # the upload's temporary file
    t = translator(request, user)
    try:
        if not raw:
            raise RowRefused("file", "choose", "choose a CSV file (UTF-8, one case per row) or an .xlsx workbook")
        total = count_rows(read_sheet(raw, name))  # the header checked at once, the rows counted
        text = stored(raw, name)
        small = total <= app.settings.import_background_rows
        # A large file is checked by a worker (as it is imported): this request only records it.
        job_id = await run_in_threadpool(_start_job, app, user, text, small)
        if small:
            await run_in_threadpool(run_job, app, job_id)
    except InvalidInput as exc:
        form = FormState()
        form.errors["file"] = refusal_text(exc, t.language)
        return _form(request, user, form, status=422)
    return RedirectResponse(f"/import/jobs/{job_id}", status_code=303)


@router.post("/import/jobs/{job_id}/confirm", dependencies=[Csrf])
async def import_confirm(app: Services, user: User, job_id: JobId) -> Response:
    """Import the file previewed: in this request when it is small, else by a worker (the page follows it). A
    second click finds the job confirmed already and shows it."""
    require_role(user, STAFF, "importing cases")
    view = job_view(app, job_id, cfa_code=user.cfa_code or "")  # another CFA's job is "not found"
    small = view.total <= app.settings.import_background_rows
    enqueue = None if small else partial(enqueue_import, app.settings)
    confirmed = await run_in_threadpool(partial(confirm_job, app, job_id, cfa_code=user.cfa_code or "",
                                                enqueue=enqueue))
    if confirmed and small:
        await run_in_threadpool(run_job, app, job_id)
    return RedirectResponse(f"/import/jobs/{job_id}", status_code=303)


def _own_programmes(app: Any, user: Principal) -> set[str]:
    # Staff import into their own CFA's programmes only (another CFA's programme is "not found").
    return {programme.code for programme in list_programmes(app) if programme.cfa_code == user.cfa_code}


def _start_job(app: Any, user: Principal, text: str, small: bool) -> int:
    return start_job(app, text, created_by=user.email, cfa_code=user.cfa_code or "",
                     programmes=_own_programmes(app, user), check=True,
                     enqueue=None if small else partial(enqueue_import, app.settings))


def report_rows(report: ImportReport, *, imported: bool = True) -> list[Row]:
    """(line, outcome, case id, field, how it was found) by line: "imported" (unless `imported` is False), "new"
    (a preview's row that would open a case), "already" (the field says how it was found: "id", "names", or
    "line" when it repeats an earlier row of the file, whose line is the case id's place), "refused"."""
    rows: list[Row] = [(line, "imported", case_id, None, None) for line, case_id in report.imported] if imported \
        else []
    rows += [(line, "new", None, None, None) for line in report.new]
    rows += [(row.line, "already", row.case_id if row.same_line is None else row.same_line,
              "line" if row.same_line is not None else "id" if row.by == BY_ID else "names", None)
             for row in report.already]
    rows += [(problem.line, "refused", None, problem.field, None) for problem in report.problems]
    return sorted(rows, key=lambda row: row[0])


def _job_context(request: Request, app: Any, user: Principal, job_id: int) -> dict[str, Any]:
    require_role(user, STAFF, "importing cases")
    job: JobView = job_view(app, job_id, cfa_code=user.cfa_code or "")  # another CFA's job is "not found"
    language = translator(request, user).language
    rows = report_rows(job.report) if job.finished else []
    if len(rows) > LISTED_ROWS:  # too many to list: the refused rows first, those one must read
        rows.sort(key=lambda row: (row[1] != "refused", row[0]))
    problems = {problem.line: problem_text(problem.field, problem.message, problem.code, problem.values, language)
                for problem in job.report.problems}
    return {"job": job, "report": job.report, "rows": rows[:LISTED_ROWS], "more": max(0, len(rows) - LISTED_ROWS),
            "problems": problems, "columns": COLUMNS, "column_name": partial(column_name, language=language),
            "shown_day": partial(_shown_day, translator(request, user))}


def _shown_day(t: Any, text: str) -> str:
    """A preview's birth date as the page writes days (04/03/2005), or as typed when it is none."""
    try:
        return str(t.date(date.fromisoformat(text)))
    except ValueError:
        return text


@router.get("/import/jobs/{job_id}")
def import_job(request: Request, app: Services, user: User, job_id: JobId) -> Response:
    """An import job: its progress bar, polled by htmx until it is checked or done; then its preview with the
    confirm button, or its report."""
    context = _job_context(request, app, user, job_id)
    title = "imports.preview_title" if context["job"].preview else "import.title"
    return page(request, "advisor/import_job.html", user, title_key=title, **context)


@router.get("/import/jobs/{job_id}/progress")
def import_job_progress(request: Request, app: Services, user: User, job_id: JobId) -> Response:
    """The progress fragment htmx swaps in place every second (the preview or the report once finished)."""
    t = translator(request, user)
    html = environment.get_template("advisor/_import_job.html").render(
        t=t, csrf=csrf_token(request), csrf_field=CSRF_FIELD, **_job_context(request, app, user, job_id))
    return HTMLResponse(html, headers={"Cache-Control": "no-store"})
