"""Bulk import of cases from CSV: every good row imported, every bad row reported by line and field, and every row
that matches a case already there reported as such, never opened twice.

Idempotence (issue 12): a client that times out and sends the same file again, or a file sent twice, must not
duplicate cases. A row matches an existing case when the file's own `id` column (the CFA's admission number, kept
with the case it opened as `import_id`) names a case of the same CFA, or when a case of the same programme has the
same birth date and the same first and last names (compared as parse_text stores them, ignoring case). The check
and the opening are one unit of work that holds the programme: SQLite's writers queue at BEGIN IMMEDIATE, and
PostgreSQL's lock the programme row (FOR UPDATE), so two imports of one file running at once cannot both open a row.

Large files (more than the setting `import_background_rows` rows) are an import job: a row in `import_job` with the
file, queued for a worker (`start_job`, then the task runs `run_job`), whose progress (rows processed of total) and
report the page and the CLI read (`job_view`). A job whose worker died is run again by the broker (late
acknowledgement): it resumes after the rows whose outcome it had recorded, and a row it opened without recording is
found "already there".
"""

from __future__ import annotations

import contextlib
import dataclasses
import io
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any, TextIO

import sqlalchemy as sa

from contract_flow.adapters.spreadsheets import Sheet, read_csv, read_stored
from contract_flow.adapters.tables import case_table, import_job_table, programme_table
from contract_flow.domain.case import Track
from contract_flow.domain.errors import DomainError, InvalidInput, NotFound
from contract_flow.domain.events import OpenCase
from contract_flow.domain.imports import COLUMNS, OPTIONAL_COLUMNS, REQUIRED_COLUMNS, RowRefused, map_header, parse_day
from contract_flow.domain.values import parse_text
from contract_flow.services.common import Store, Transactional, programme_code

__all__ = ["BY_ID", "BY_NAMES", "COLUMNS", "OPTIONAL_COLUMNS", "REQUIRED_COLUMNS", "ImportReport", "JobView",
           "RowAlready", "RowProblem", "confirm_job", "count_rows", "import_cases", "job_view", "preview_cases",
           "read_rows", "run_job", "start_job"]
#: How a row found its case: by the file's id column, or by programme, names and birth date.
BY_ID, BY_NAMES = "id", "name and birth date"
#: What an import reads: a CSV text (a stream), or a sheet already read (adapters.spreadsheets.read_sheet).
Source = TextIO | Sheet


@dataclass(frozen=True)
class RowProblem:
    """A refused row: its line, the field (a column) and the rule in English (`message`, a domain Reason when the
    refusal has words of its own); `code` and `values` when the import's own words say it (import_words)."""

    line: int
    field: str
    message: str
    code: str | None = None
    values: Mapping[str, str] = dataclasses.field(default_factory=dict)


@dataclass(frozen=True)
class RowAlready:
    """A row naming a case already there (imported before, or earlier in the same file): not opened again. In a
    preview, a row repeating an earlier one of the file names that row (`same_line`), whose case is not open yet."""

    line: int
    case_id: int | None
    by: str
    same_line: int | None = None


@dataclass
class ImportReport:
    imported: list[tuple[int, int]] = field(default_factory=list)  # (line, case id)
    problems: list[RowProblem] = field(default_factory=list)
    already: list[RowAlready] = field(default_factory=list)
    #: A preview's rows that would open a case (nothing is opened by a preview).
    new: list[int] = field(default_factory=list)
    #: A preview's rows as read, by line: each column's text (a day as YYYY-MM-DD once read).
    values: dict[int, dict[str, str]] = field(default_factory=dict)


def _sheet(source: Source) -> Sheet:
    return source if isinstance(source, Sheet) else read_csv(source.read())


def read_rows(source: Source) -> tuple[list[str], list[tuple[int, dict[str, str]]]]:
    """The file's columns (by their French or English names, domain.imports) and its rows, each with its line
    (the header is line 1) and its cells by column; a header missing a column, or naming one unknown or twice,
    is refused (field "header") before any row is read."""
    sheet = _sheet(source)
    columns = map_header(sheet.header)
    rows = [(line, {column: cells[index] if index < len(cells) else ""
                    for index, column in enumerate(columns) if column is not None}) for line, cells in sheet.rows]
    return [column for column in columns if column is not None], rows


def count_rows(source: Source | str) -> int:
    """The data rows of a file (its header checked)."""
    _, rows = read_rows(io.StringIO(source, newline="") if isinstance(source, str) else source)
    return len(rows)


def _command(row: dict[str, str]) -> tuple[OpenCase, str | None]:
    for column in REQUIRED_COLUMNS:
        if not row.get(column):
            raise RowRefused(column, "empty", "is empty")
    track_text = row.get("track") or Track.STANDARD.value
    try:
        track = Track(track_text.casefold())
    except ValueError:
        raise RowRefused("track", "track", f"{track_text!r} is not one of excellence, standard",
                         value=track_text) from None
    import_id = parse_text("id", row["id"], 100) if row.get("id") else None
    return OpenCase(
        programme_code=programme_code(row["programme"]), first_name=row["first_name"], last_name=row["last_name"],
        birth_date=parse_day("birth_date", row["birth_date"]), email=row["email"], track=track,
        advisor_email=row.get("advisor") or None,
    ), import_id


def _keys(programme: Any, command: OpenCase, import_id: str | None) -> list[tuple[object, ...]]:
    """What makes two rows one case (see the module): the id within the CFA, or programme, day and names."""
    names = (parse_text("first_name", command.first_name, 100).casefold(),
             parse_text("last_name", command.last_name, 100).casefold())
    keys: list[tuple[object, ...]] = [(BY_NAMES, programme.id, command.birth_date, *names)]
    if import_id is not None:
        keys.insert(0, (BY_ID, programme.cfa_code, import_id))
    return keys


def _existing(uow: Any, programme: Any, command: OpenCase, import_id: str | None) -> RowAlready | None:
    """The case this row names, if one is there: by the file's id within the programme's CFA, else by programme,
    birth date and names (as open_case stores them, ignoring case)."""
    if import_id is not None:
        found = uow.execute(
            sa.select(case_table.c.id).join(programme_table, programme_table.c.id == case_table.c.programme_id)
            .where(case_table.c.import_id == import_id, programme_table.c.cfa_code == programme.cfa_code)
            .order_by(case_table.c.id).limit(1)).scalar()
        if found is not None:
            return RowAlready(0, int(found), BY_ID)
    names = (parse_text("first_name", command.first_name, 100).casefold(),
             parse_text("last_name", command.last_name, 100).casefold())
    same_day = uow.execute(sa.select(case_table.c.id, case_table.c.first_name, case_table.c.last_name).where(
        case_table.c.programme_id == programme.id, case_table.c.birth_date == command.birth_date,
    ).order_by(case_table.c.id))
    for row in same_day:
        if (row.first_name.casefold(), row.last_name.casefold()) == names:
            return RowAlready(0, int(row.id), BY_NAMES)
    return None


def _shown(row: dict[str, str]) -> dict[str, str]:
    """A preview's row as read, a day as YYYY-MM-DD once it reads as one."""
    shown = dict(row)
    with contextlib.suppress(InvalidInput):
        shown["birth_date"] = parse_day("birth_date", row.get("birth_date", "")).isoformat()
    return shown


def _import_row(app: Transactional, line: int, row: dict[str, str], programmes: Collection[str] | None,
                report: ImportReport, seen: dict[tuple[object, ...], int] | None = None) -> None:
    """One row in its own unit of work: imported, already there, or a problem; nothing else is touched.

    `seen` given, a preview: the row is checked as the import would (the case opened in a transaction rolled
    back), and a row repeating one of the file's earlier rows (its keys in `seen`) is "already there" too."""
    try:
        command, import_id = _command(row)
        if programmes is not None and command.programme_code not in programmes:
            raise NotFound("programme", command.programme_code)
        with app.uow() as uow:
            # Holding the programme serialises the check and the opening (FOR UPDATE: PostgreSQL; SQLite's
            # writer already holds the database since BEGIN IMMEDIATE).
            query = sa.select(programme_table.c.id, programme_table.c.cfa_code).where(
                programme_table.c.code == command.programme_code)
            programme = uow.execute(query if seen is not None else query.with_for_update()).first()
            if programme is None:
                raise NotFound("programme", command.programme_code)
            found = _existing(uow, programme, command, import_id)
            if found is not None:
                report.already.append(RowAlready(line, found.case_id, found.by))
                return
            keys = _keys(programme, command, import_id)
            if seen is not None:
                earlier = next(((key[0], seen[key]) for key in keys if key in seen), None)
                if earlier is not None:
                    report.already.append(RowAlready(line, None, str(earlier[0]), earlier[1]))
                    return
            case_id = uow.dispatch(command)  # handled by the cases' use case
            if seen is not None:  # a preview: rolled back, the row's keys kept for the rows after it
                seen.update((key, line) for key in keys)
                report.new.append(line)
                return
            if import_id is not None:
                uow.execute(sa.update(case_table).where(case_table.c.id == case_id).values(import_id=import_id))
            uow.commit()
        report.imported.append((line, case_id))
    except DomainError as exc:
        report.problems.append(_problem(line, exc))


def _problem(line: int, exc: DomainError) -> RowProblem:
    if isinstance(exc, RowRefused):
        return RowProblem(line, exc.field, exc.rule, exc.code, exc.values)
    if isinstance(exc, InvalidInput):
        return RowProblem(line, exc.field, exc.rule)  # the rule as the use case says it (a Reason has its words)
    if isinstance(exc, NotFound) and exc.kind == "programme":
        return RowProblem(line, "programme", str(exc), "programme", {"value": str(exc.key)})
    if isinstance(exc, NotFound):
        return RowProblem(line, "advisor", str(exc))
    return RowProblem(line, "row", str(exc))


def import_cases(app: Transactional, stream: Source, progress: Callable[[], None] | None = None, *,
                 programmes: Collection[str] | None = None) -> ImportReport:
    """Each row is its own unit of work: one bad row never stops or undoes the others; a row already there (see
    the module) is reported, not opened again.

    `programmes`, when given, are the only programme codes the importer may open cases in (a CFA's staff import
    into their own CFA's programmes; another's is "not found", as everywhere else)."""
    report = ImportReport()
    _, rows = read_rows(stream)
    for line, row in rows:
        _import_row(app, line, row, programmes, report)
        if progress:
            progress()
    return report


def preview_cases(app: Transactional, source: Source, progress: Callable[[], None] | None = None, *,
                  programmes: Collection[str] | None = None) -> ImportReport:
    """What `import_cases` would do with this file, row by row, opening nothing: each row as read (`values`),
    and whether it would open a case (`new`), is already there (in the database or earlier in the file), or is
    refused (its field and rule). Each row is checked by the same use case as the import, in a transaction
    rolled back."""
    report = ImportReport()
    _, rows = read_rows(source)
    seen: dict[tuple[object, ...], int] = {}
    for line, row in rows:
        report.values[line] = _shown(row)
        _import_row(app, line, row, programmes, report, seen)
        if progress:
            progress()
    return report


# -- import jobs: a file checked, then imported, by a worker when it is large ----------------------------------

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
#: A job's preview: being checked (row by row, nothing opened), then checked and waiting for its confirmation;
#: a preview left unconfirmed PREVIEW_KEPT long is expired, its file and rows dropped (names, emails, birth dates).
CHECKING, CHECKED, EXPIRED = "checking", "checked", "expired"
PREVIEW_KEPT = timedelta(days=7)
#: Progress is committed with the outcomes of the rows processed since the last commit, about a hundred times per
#: job and at least every PROGRESS_EVERY rows: a page polling it moves, and a job resumed re-runs few rows.
PROGRESS_EVERY = 50


@dataclass(frozen=True)
class JobView:
    id: int
    status: str
    total: int
    processed: int
    #: Rows imported (a preview: rows that would open a case), already there, refused.
    imported: int
    already: int
    refused: int
    created_by: str
    error: str | None
    #: The rows' outcomes so far (complete once the job is done, or checked).
    report: ImportReport

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED, CHECKED, EXPIRED)

    @property
    def preview(self) -> bool:
        """A preview, being checked or waiting for its confirmation."""
        return self.status in (CHECKING, CHECKED)

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else min(100, self.processed * 100 // self.total)


def start_job(app: Store, text: str, *, created_by: str, cfa_code: str | None,
              programmes: Collection[str] | None, enqueue: Callable[[int], object] | None,
              check: bool = False) -> int:
    """Record an import job for `text` (a file as adapters.spreadsheets.stored keeps it; its header checked now:
    a wrong file is refused at once) and hand its id to `enqueue` once committed (the worker's task runs
    `run_job`). `check`: the job previews the file first (run_job checks it; confirm_job then imports it)."""
    total = count_rows(read_stored(text))
    with app.uow() as uow:
        uow.execute(sa.update(import_job_table).where(
            import_job_table.c.status == CHECKED, import_job_table.c.created_at < app.clock.now() - PREVIEW_KEPT,
        ).values(status=EXPIRED, content=None, report=[]))
        job_id = int(uow.execute(sa.insert(import_job_table).values(
            cfa_code=cfa_code, programmes=sorted(programmes) if programmes is not None else None,
            created_by=created_by, created_at=app.clock.now(), status=CHECKING if check else QUEUED, total=total,
            content=text, report=[],
        ).returning(import_job_table.c.id)).scalar_one())
        if enqueue is not None:
            uow.after_commit(lambda: _call(enqueue, job_id))
        uow.commit()
    return job_id


def confirm_job(app: Store, job_id: int, *, cfa_code: str | None = None,
                enqueue: Callable[[int], object] | None) -> bool:
    """Import the file a checked job previewed, exactly that file (the job keeps it): the job is queued (handed
    to `enqueue` once committed) and its preview's report replaced by the import's. False if it was confirmed
    already (a button clicked twice); another CFA's job is "not found"."""
    with app.uow() as uow:
        job = uow.execute(sa.select(import_job_table.c.status, import_job_table.c.cfa_code)
                          .where(import_job_table.c.id == job_id).with_for_update()).first()
        if job is None or (cfa_code is not None and job.cfa_code != cfa_code):
            raise NotFound("import", job_id)
        if job.status != CHECKED:
            return False
        uow.execute(sa.update(import_job_table).where(import_job_table.c.id == job_id).values(
            status=QUEUED, processed=0, imported=0, already=0, refused=0, report=[], started_at=None,
            finished_at=None))
        if enqueue is not None:
            uow.after_commit(lambda: _call(enqueue, job_id))
        uow.commit()
    return True


def _call(enqueue: Callable[[int], object], job_id: int) -> None:
    enqueue(job_id)


def _entries(report: ImportReport) -> list[Any]:
    """The report as stored: [line, "imported", id] | [line, "already", id, by] | [line, "refused", field, rule],
    and since previews a dict per row: {"line", "outcome" (imported, new, already, refused), "case", "by",
    "same_line", "field", "rule", "code", "values", "row"}."""
    entries: list[dict[str, Any]] = [{"line": line, "outcome": "imported", "case": case_id}
                                     for line, case_id in report.imported]
    entries += [{"line": line, "outcome": "new"} for line in report.new]
    entries += [{"line": row.line, "outcome": "already", "case": row.case_id, "by": row.by,
                 "same_line": row.same_line} for row in report.already]
    entries += [{"line": problem.line, "outcome": "refused", "field": problem.field, "rule": str(problem.message),
                 "code": problem.code, "values": dict(problem.values)} for problem in report.problems]
    for entry in entries:
        if entry["line"] in report.values:
            entry["row"] = report.values[entry["line"]]
    return sorted(entries, key=lambda entry: int(entry["line"]))


def _report(entries: Sequence[Any]) -> ImportReport:
    report = ImportReport()
    for stored_entry in entries:
        entry = stored_entry if isinstance(stored_entry, dict) else _legacy(stored_entry)
        line, outcome = int(entry["line"]), entry["outcome"]
        if outcome == "imported":
            report.imported.append((line, int(entry["case"])))
        elif outcome == "new":
            report.new.append(line)
        elif outcome == "already":
            case_id = entry.get("case")
            report.already.append(RowAlready(line, None if case_id is None else int(case_id), str(entry["by"]),
                                             entry.get("same_line")))
        else:
            report.problems.append(RowProblem(line, str(entry["field"]), str(entry["rule"]), entry.get("code"),
                                              dict(entry.get("values") or {})))
        if entry.get("row") is not None:
            report.values[line] = dict(entry["row"])
    return report


def _legacy(entry: Sequence[Any]) -> dict[str, Any]:
    """An entry of a job recorded before previews, as a dict."""
    if entry[1] == "refused":
        return {"line": entry[0], "outcome": "refused", "field": entry[2], "rule": entry[3]}
    return {"line": entry[0], "outcome": entry[1], "case": entry[2], "by": entry[3] if len(entry) > 3 else None}


def _outcome(entry: Any) -> str:
    outcome = str(entry["outcome"] if isinstance(entry, dict) else entry[1])
    return "imported" if outcome == "new" else outcome


def run_job(app: Store, job_id: int) -> JobView:
    """Run (or resume) import job `job_id`: its rows after those already processed, committing the progress and
    the outcomes every few rows; done, the file is dropped and the report kept. A job done is not run again.
    A job being checked is previewed (from its first row again if it was interrupted: the rows of the file seen
    before are part of the check) and waits for its confirmation, its file kept."""
    with app.uow() as uow:
        job = uow.execute(sa.select(import_job_table).where(import_job_table.c.id == job_id)
                          .with_for_update()).mappings().first()
        if job is None:
            raise NotFound("import", job_id)
        if job["status"] in (DONE, FAILED, CHECKED, EXPIRED):
            return _view(job)
        check = job["status"] == CHECKING
        uow.execute(sa.update(import_job_table).where(import_job_table.c.id == job_id).values(
            status=CHECKING if check else RUNNING, started_at=job["started_at"] or app.clock.now()))
        uow.commit()
    text, skip = str(job["content"] or ""), 0 if check else int(job["processed"])
    programmes = job["programmes"]
    every = max(PROGRESS_EVERY, int(job["total"]) // 100)
    entries: list[Any] = [] if check else list(job["report"] or [])
    pending = ImportReport()
    processed = skip
    seen: dict[tuple[object, ...], int] | None = {} if check else None
    try:
        _, rows = read_rows(read_stored(text))
        for index, (line, row) in enumerate(rows):
            if index < skip:
                continue  # its outcome was recorded before the job was interrupted
            if seen is not None:
                pending.values[line] = _shown(row)
            _import_row(app, line, row, programmes, pending, seen)
            processed += 1
            if processed % every == 0:
                entries = _record(app, job_id, entries, pending, processed, status=CHECKING if check else RUNNING)
                pending = ImportReport()
        entries = _record(app, job_id, entries, pending, processed, status=CHECKED if check else DONE)
    except Exception as problem:  # a job must not stay "running" when it stopped: say why it failed
        with app.uow() as uow:
            uow.execute(sa.update(import_job_table).where(import_job_table.c.id == job_id).values(
                status=FAILED, finished_at=app.clock.now(), error=str(problem)[:2000]))
            uow.commit()
        raise
    return job_view(app, job_id)


def _record(app: Store, job_id: int, entries: list[Any], pending: ImportReport, processed: int,
            status: str) -> list[Any]:
    entries = entries + _entries(pending)
    counts = {"imported": 0, "already": 0, "refused": 0}
    for entry in entries:
        counts[_outcome(entry)] += 1
    values: dict[str, Any] = {"processed": processed, "report": entries, "status": status, **counts}
    if status in (DONE, CHECKED):
        values.update(finished_at=app.clock.now())
    if status == DONE:
        values.update(content=None)  # the file is not kept
    with app.uow() as uow:
        uow.execute(sa.update(import_job_table).where(import_job_table.c.id == job_id).values(**values))
        uow.commit()
    return entries


def _view(job: Any) -> JobView:
    return JobView(int(job["id"]), str(job["status"]), int(job["total"]), int(job["processed"]),
                   int(job["imported"]), int(job["already"]), int(job["refused"]), str(job["created_by"]),
                   job["error"], _report(job["report"] or []))


def job_view(app: Transactional, job_id: int, *, cfa_code: str | None = None) -> JobView:
    """An import job's progress and report. `cfa_code` given (CFA staff), another CFA's job is "not found"."""
    with app.uow(write=False) as uow:
        job = uow.execute(sa.select(import_job_table).where(import_job_table.c.id == job_id)).mappings().first()
    if job is None or (cfa_code is not None and job["cfa_code"] != cfa_code):
        raise NotFound("import", job_id)
    return _view(job)
