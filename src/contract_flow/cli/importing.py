"""`contract-flow import cases FILE.csv`, with a progress bar and a per-row report; `import status JOB` and
`import run JOB` for the files large enough to be import jobs run by a worker."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import typer
from rich.progress import Progress
from rich.table import Table

from contract_flow.adapters.queue import enqueue_import
from contract_flow.bootstrap import App
from contract_flow.cli.output import console, errors, print_json
from contract_flow.domain.errors import InvalidInput
from contract_flow.services.common import OPERATOR
from contract_flow.services.importer import (
    ImportReport,
    JobView,
    count_rows,
    import_cases,
    job_view,
    run_job,
    start_job,
)

#: How often a followed job's progress is read again.
POLL_SECONDS = 0.5


def run_import(app: App, file: Path, *, json_output: bool, background: bool | None = None, wait: bool = True) -> None:
    """Import `file`: in this process, or (more rows than `import_background_rows`, or `background`) as a job for
    the workers, whose progress is followed until it is done unless `wait` is False."""
    if not file.is_file():
        raise InvalidInput("FILE", f"{file} is not a readable file")
    try:
        text = file.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError:
        raise InvalidInput("FILE", f"{file} is not UTF-8 text: save the sheet as «CSV UTF-8»") from None
    total = count_rows(text)  # the header checked before anything is imported
    if background is None:
        background = total > app.settings.import_background_rows
    if background:
        job_id = start_job(app, text, created_by=OPERATOR, cfa_code=None, programmes=None,
                           enqueue=lambda job: enqueue_import(app.settings, job))
        if not wait:
            _print_started(job_id, json_output=json_output)
            return
        _finish(follow(app, job_id, quiet=json_output), json_output=json_output)
        return
    with file.open(encoding="utf-8-sig", newline="") as stream:
        if json_output:
            report = import_cases(app, stream)
        else:
            with Progress(console=errors, transient=True) as progress:
                task = progress.add_task("importing", total=total)
                report = import_cases(app, stream, lambda: progress.advance(task))
    _print_report(report, json_output=json_output)


def _print_started(job_id: int, *, json_output: bool) -> None:
    if json_output:
        print_json({"job": job_id, "status": "queued"})
    else:
        console.print(f"import job {job_id} queued; follow it with: contract-flow import status {job_id} --wait")


def follow(app: App, job_id: int, *, quiet: bool = False) -> JobView:
    """Read the job's progress every POLL_SECONDS, with a progress bar on stderr, until it is finished. Ctrl-C
    stops following, not the job."""
    view = job_view(app, job_id)
    try:
        with Progress(console=errors, transient=True, disable=quiet) as progress:
            task = progress.add_task(f"import {job_id}", total=view.total or 1, completed=view.processed)
            while not view.finished:
                time.sleep(POLL_SECONDS)
                view = job_view(app, job_id)
                progress.update(task, completed=view.processed)
    except KeyboardInterrupt:
        errors.print(f"import job {job_id} goes on: contract-flow import status {job_id} --wait")
        raise typer.Exit(130) from None
    return view


def run_here(app: App, job_id: int, *, json_output: bool) -> None:
    """Run a queued (or interrupted) job in this process, e.g. where no worker runs: it resumes where it was."""
    outcome: dict[str, Any] = {}

    def work() -> None:
        try:
            outcome["view"] = run_job(app, job_id)
        except BaseException as problem:  # handed to the main thread, which re-raises it
            outcome["error"] = problem

    worker = threading.Thread(target=work, name=f"import-{job_id}", daemon=True)
    worker.start()
    view = follow(app, job_id, quiet=json_output)
    worker.join()
    if "error" in outcome:
        raise outcome["error"]
    _finish(view, json_output=json_output)


def show_status(app: App, job_id: int, *, json_output: bool, wait: bool) -> None:
    view = follow(app, job_id, quiet=json_output) if wait else job_view(app, job_id)
    if view.finished:
        _finish(view, json_output=json_output)
    elif json_output:
        print_json(_job_json(view))
    else:
        console.print(f"import job {view.id}: {view.status}, {view.processed} of {view.total} row(s) processed "
                      f"({view.percent}%)")


def _job_json(view: JobView) -> dict[str, Any]:
    return {"job": view.id, "status": view.status, "total": view.total, "processed": view.processed,
            "error": view.error, **_report_json(view.report)}


def _finish(view: JobView, *, json_output: bool) -> None:
    if json_output:
        print_json(_job_json(view))
        if view.report.problems or view.status != "done":
            raise typer.Exit(2 if view.report.problems else 1)
        return
    if view.status != "done":
        console.print(f"import job {view.id} {view.status}: {view.error or 'see the worker log'}; "
                      f"run it again with: contract-flow import run {view.id}")
        raise typer.Exit(1)
    _print_report(view.report, json_output=False)


def _report_json(report: ImportReport) -> dict[str, Any]:
    return {"imported": [{"line": line, "id": case_id} for line, case_id in report.imported],
            "already": [{"line": row.line, "id": row.case_id, "by": row.by} for row in report.already],
            "problems": report.problems}


def _print_report(report: ImportReport, *, json_output: bool) -> None:
    if json_output:
        print_json(_report_json(report))
    else:
        console.print(f"{len(report.imported)} case(s) imported, {len(report.already)} already there, "
                      f"{len(report.problems)} row(s) refused")
        if report.already:
            table = Table("line", "case", "found by", title="Rows already there (not opened again)")
            for row in report.already:
                table.add_row(str(row.line), str(row.case_id), row.by)
            console.print(table)
        if report.problems:
            table = Table("line", "field", "problem", title="Refused rows")
            for problem in report.problems:
                table.add_row(str(problem.line), problem.field, problem.message)
            console.print(table)
    if report.problems:
        # Some rows were refused: say so to scripts, though the good rows are in.
        raise typer.Exit(2)
