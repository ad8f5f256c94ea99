"""`contract-flow import cases FILE` (a CSV separated by `,` or `;`, UTF-8, or an .xlsx workbook; French or English
headers), with a progress bar and a per-row report in French (`--lang en`); `--dry-run` shows what each row would
do and imports nothing; `import status JOB` and `import run JOB` for the files large enough to be import jobs run by
a worker."""

from __future__ import annotations

import threading
import time
from pathlib import Path
from typing import Any

import typer
from rich.progress import Progress
from rich.table import Table

from contract_flow.adapters.queue import enqueue_import
from contract_flow.adapters.spreadsheets import Sheet, read_sheet, stored
from contract_flow.bootstrap import App
from contract_flow.cli.output import console, errors, print_json
from contract_flow.cli.runtime import language
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.imports import COLUMNS
from contract_flow.import_words import column_name, problem_text, refusal_text
from contract_flow.services.common import OPERATOR
from contract_flow.services.importer import (
    ImportReport,
    JobView,
    count_rows,
    import_cases,
    job_view,
    preview_cases,
    run_job,
    start_job,
)

#: How often a followed job's progress is read again.
POLL_SECONDS = 0.5


WORDS = {
    "fr": {"summary": "{imported} dossier(s) importé(s), {already} déjà là, {refused} ligne(s) refusée(s)",
           "preview": "Aperçu (rien n'est importé) : {new} dossier(s) à ouvrir, {already} déjà là, "
                      "{refused} ligne(s) refusée(s)",
           "already_title": "Lignes déjà là (dossiers non ouverts une seconde fois)",
           "refused_title": "Lignes refusées",
           "preview_title": "Ce que l'import ferait", "line": "ligne", "case": "dossier", "found_by": "trouvé par",
           "field": "champ", "problem": "problème", "outcome": "résultat", "new": "à importer",
           "already": "déjà là", "refused": "refusée", "by_id": "même n° de dossier",
           "by_names": "même formation, nom, prénom et date de naissance",
           "same_line": "même candidat que la ligne {line}",
           "importing": "import", "not_a_file": "{file} n'est pas un fichier lisible",
           "queued": "import n° {job} en attente ; suivez-le avec : contract-flow import status {job} --wait",
           "goes_on": "l'import n° {job} continue : contract-flow import status {job} --wait",
           "status": "import n° {job} : {status}, {processed} ligne(s) traitée(s) sur {total} ({percent} %)",
           "stopped": "import n° {job} {status} : {error} ; relancez-le avec : contract-flow import run {job}",
           "worker_log": "voir le journal du worker"},
    "en": {"summary": "{imported} case(s) imported, {already} already there, {refused} row(s) refused",
           "preview": "Preview (nothing is imported): {new} case(s) to open, {already} already there, "
                      "{refused} row(s) refused",
           "already_title": "Rows already there (not opened again)", "refused_title": "Refused rows",
           "preview_title": "What the import would do", "line": "line", "case": "case", "found_by": "found by",
           "field": "field", "problem": "problem", "outcome": "outcome", "new": "to import",
           "already": "already there", "refused": "refused", "by_id": "same id",
           "by_names": "same programme, names and birth date", "same_line": "same candidate as line {line}",
           "importing": "importing", "not_a_file": "{file} is not a readable file",
           "queued": "import job {job} queued; follow it with: contract-flow import status {job} --wait",
           "goes_on": "import job {job} goes on: contract-flow import status {job} --wait",
           "status": "import job {job}: {status}, {processed} of {total} row(s) processed ({percent}%)",
           "stopped": "import job {job} {status}: {error}; run it again with: contract-flow import run {job}",
           "worker_log": "see the worker log"},
}


def _words() -> dict[str, str]:
    return WORDS["en" if language() == "en" else "fr"]


def _read(file: Path) -> tuple[bytes, Sheet]:
    """The file's bytes and its sheet; a file refused says why in the CLI's language."""
    if not file.is_file():
        raise InvalidInput("FILE", _words()["not_a_file"].format(file=file))
    data = file.read_bytes()
    try:
        return data, read_sheet(data, file.name)
    except InvalidInput as exc:
        raise InvalidInput(exc.field, refusal_text(exc, language())) from None


def run_import(app: App, file: Path, *, json_output: bool, background: bool | None = None, wait: bool = True,
               dry_run: bool = False) -> None:
    """Import `file`: in this process, or (more rows than `import_background_rows`, or `background`) as a job for
    the workers, whose progress is followed until it is done unless `wait` is False. `dry_run`: what each row
    would do, nothing imported."""
    data, sheet = _read(file)
    try:
        total = count_rows(sheet)  # the header checked before anything is imported
    except InvalidInput as exc:
        raise InvalidInput(exc.field, refusal_text(exc, language())) from None
    if dry_run:
        with Progress(console=errors, transient=True, disable=json_output) as progress:
            task = progress.add_task(_words()["importing"], total=total)
            preview = preview_cases(app, sheet, lambda: progress.advance(task))
        _print_preview(preview, json_output=json_output)
        return
    if background is None:
        background = total > app.settings.import_background_rows
    if background:
        job_id = start_job(app, stored(data, file.name), created_by=OPERATOR, cfa_code=None, programmes=None,
                           enqueue=lambda job: enqueue_import(app.settings, job))
        if not wait:
            _print_started(job_id, json_output=json_output)
            return
        _finish(follow(app, job_id, quiet=json_output), json_output=json_output)
        return
    if json_output:
        report = import_cases(app, sheet)
    else:
        with Progress(console=errors, transient=True) as progress:
            task = progress.add_task(_words()["importing"], total=total)
            report = import_cases(app, sheet, lambda: progress.advance(task))
    _print_report(report, json_output=json_output)


def _print_started(job_id: int, *, json_output: bool) -> None:
    if json_output:
        print_json({"job": job_id, "status": "queued"})
    else:
        console.print(_words()["queued"].format(job=job_id))


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
        errors.print(_words()["goes_on"].format(job=job_id))
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
        console.print(_words()["status"].format(job=view.id, status=view.status, processed=view.processed,
                                                 total=view.total, percent=view.percent))


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
        console.print(_words()["stopped"].format(job=view.id, status=view.status,
                                                  error=view.error or _words()["worker_log"]))
        raise typer.Exit(1)
    _print_report(view.report, json_output=False)


def _report_json(report: ImportReport) -> dict[str, Any]:
    return {"imported": [{"line": line, "id": case_id} for line, case_id in report.imported],
            "already": [{"line": row.line, "id": row.case_id, "by": row.by} for row in report.already],
            "problems": report.problems}


def _problems_table(report: ImportReport, words: dict[str, str], lang: str) -> Table:
    table = Table(words["line"], words["field"], words["problem"], title=words["refused_title"])
    for problem in report.problems:
        table.add_row(str(problem.line), column_name(problem.field, lang),
                      problem_text(problem.field, problem.message, problem.code, problem.values, lang))
    return table


def _print_report(report: ImportReport, *, json_output: bool) -> None:
    words, lang = _words(), language()
    if json_output:
        print_json(_report_json(report))
    else:
        console.print(words["summary"].format(imported=len(report.imported), already=len(report.already),
                                              refused=len(report.problems)))
        if report.already:
            table = Table(words["line"], words["case"], words["found_by"], title=words["already_title"])
            for row in report.already:
                table.add_row(str(row.line), str(row.case_id), words["by_id" if row.by == "id" else "by_names"])
            console.print(table)
        if report.problems:
            console.print(_problems_table(report, words, lang))
    if report.problems:
        # Some rows were refused: say so to scripts, though the good rows are in.
        raise typer.Exit(2)


def _print_preview(report: ImportReport, *, json_output: bool) -> None:
    """Each row as read and what importing it would do; exit 2 when some would be refused, as the import."""
    words, lang = _words(), language()
    if json_output:
        print_json({"dry_run": True, "new": report.new,
                    "already": [{"line": row.line, "id": row.case_id, "by": row.by, "same_line": row.same_line}
                                for row in report.already],
                    "problems": report.problems, "rows": {str(line): row for line, row in report.values.items()}})
    else:
        console.print(words["preview"].format(new=len(report.new), already=len(report.already),
                                              refused=len(report.problems)))
        outcomes = dict.fromkeys(report.new, words["new"])
        outcomes |= {row.line: f"{words['already']} ({_found(row, words)})" for row in report.already}
        outcomes |= {problem.line: f"{words['refused']} : {column_name(problem.field, lang)}" if lang == "fr" else
                     f"{words['refused']}: {column_name(problem.field, lang)}" for problem in report.problems}
        table = Table(words["line"], words["outcome"], *(column_name(column, lang) for column in COLUMNS[:5]),
                      title=words["preview_title"])
        for line, values in sorted(report.values.items()):
            table.add_row(str(line), outcomes.get(line, ""), *(values.get(column, "") for column in COLUMNS[:5]))
        console.print(table)
        if report.problems:
            console.print(_problems_table(report, words, lang))
    if report.problems:
        raise typer.Exit(2)


def _found(row: Any, words: dict[str, str]) -> str:
    if row.same_line is not None:
        return words["same_line"].format(line=row.same_line)
    return f"{words['case']} {row.case_id}, {words['by_id' if row.by == 'id' else 'by_names']}"
