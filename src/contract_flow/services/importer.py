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

import csv
import io
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TextIO

import sqlalchemy as sa

from contract_flow.adapters.tables import case_table, import_job_table, programme_table
from contract_flow.domain.case import Track
from contract_flow.domain.errors import DomainError, InvalidInput, NotFound
from contract_flow.domain.events import OpenCase
from contract_flow.domain.values import parse_date, parse_text
from contract_flow.services.common import Store, Transactional, programme_code

REQUIRED_COLUMNS = ("programme", "first_name", "last_name", "birth_date", "email")
OPTIONAL_COLUMNS = ("track", "advisor", "id")
#: How a row found its case: by the file's id column, or by programme, names and birth date.
BY_ID, BY_NAMES = "id", "name and birth date"


@dataclass(frozen=True)
class RowProblem:
    line: int
    field: str
    message: str


@dataclass(frozen=True)
class RowAlready:
    """A row naming a case already there (imported before, or earlier in the same file): not opened again."""

    line: int
    case_id: int
    by: str


@dataclass
class ImportReport:
    imported: list[tuple[int, int]] = field(default_factory=list)  # (line, case id)
    problems: list[RowProblem] = field(default_factory=list)
    already: list[RowAlready] = field(default_factory=list)


def read_rows(stream: TextIO) -> tuple[list[str], Iterable[tuple[int, dict[str, str]]]]:
    reader = csv.DictReader(stream)
    header = [name.strip() for name in (reader.fieldnames or [])]
    missing = [c for c in REQUIRED_COLUMNS if c not in header]
    if missing:
        raise InvalidInput("header", f"missing column(s) {', '.join(missing)}; expected "
                                     f"{', '.join(REQUIRED_COLUMNS + OPTIONAL_COLUMNS)}")
    unknown = [c for c in header if c not in REQUIRED_COLUMNS + OPTIONAL_COLUMNS]
    if unknown:
        raise InvalidInput("header", f"unknown column(s) {', '.join(unknown)}")
    # Line numbers as an editor shows them: the header is line 1.
    return header, ((reader.line_num, {k.strip(): (v or "").strip() for k, v in row.items() if k}) for row in reader)


def count_rows(text: str) -> int:
    """The data rows of a CSV text (a quoted cell may hold line breaks: counted as the reader counts)."""
    _, rows = read_rows(io.StringIO(text, newline=""))
    return sum(1 for _ in rows)


def _command(row: dict[str, str]) -> tuple[OpenCase, str | None]:
    for column in REQUIRED_COLUMNS:
        if not row.get(column):
            raise InvalidInput(column, "is empty")
    track_text = row.get("track") or Track.STANDARD.value
    try:
        track = Track(track_text)
    except ValueError:
        raise InvalidInput("track", f"{track_text!r} is not one of excellence, standard") from None
    import_id = parse_text("id", row["id"], 100) if row.get("id") else None
    return OpenCase(
        programme_code=programme_code(row["programme"]), first_name=row["first_name"], last_name=row["last_name"],
        birth_date=parse_date("birth_date", row["birth_date"]), email=row["email"], track=track,
        advisor_email=row.get("advisor") or None,
    ), import_id


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


def _import_row(app: Transactional, line: int, row: dict[str, str], programmes: Collection[str] | None,
                report: ImportReport) -> None:
    """One row in its own unit of work: imported, already there, or a problem; nothing else is touched."""
    try:
        command, import_id = _command(row)
        if programmes is not None and command.programme_code not in programmes:
            raise NotFound("programme", command.programme_code)
        with app.uow() as uow:
            # Holding the programme serialises the check and the opening (FOR UPDATE: PostgreSQL; SQLite's
            # writer already holds the database since BEGIN IMMEDIATE).
            programme = uow.execute(sa.select(programme_table.c.id, programme_table.c.cfa_code)
                                    .where(programme_table.c.code == command.programme_code)
                                    .with_for_update()).first()
            if programme is None:
                raise NotFound("programme", command.programme_code)
            found = _existing(uow, programme, command, import_id)
            if found is not None:
                report.already.append(RowAlready(line, found.case_id, found.by))
                return
            case_id = uow.dispatch(command)  # handled by the cases' use case
            if import_id is not None:
                uow.execute(sa.update(case_table).where(case_table.c.id == case_id).values(import_id=import_id))
            uow.commit()
        report.imported.append((line, case_id))
    except InvalidInput as exc:
        report.problems.append(RowProblem(line, exc.field, exc.rule))
    except NotFound as exc:
        field_name = "programme" if exc.kind == "programme" else "advisor"
        report.problems.append(RowProblem(line, field_name, str(exc)))
    except DomainError as exc:
        report.problems.append(RowProblem(line, "row", str(exc)))


def import_cases(app: Transactional, stream: TextIO, progress: Callable[[], None] | None = None, *,
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


# -- import jobs: a large file run by a worker ---------------------------------------------------------------

QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
#: Progress is committed with the outcomes of the rows processed since the last commit, about a hundred times per
#: job and at least every PROGRESS_EVERY rows: a page polling it moves, and a job resumed re-runs few rows.
PROGRESS_EVERY = 50


@dataclass(frozen=True)
class JobView:
    id: int
    status: str
    total: int
    processed: int
    imported: int
    already: int
    refused: int
    created_by: str
    error: str | None
    #: The rows' outcomes so far (complete once the job is done).
    report: ImportReport

    @property
    def finished(self) -> bool:
        return self.status in (DONE, FAILED)

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else min(100, self.processed * 100 // self.total)


def start_job(app: Store, text: str, *, created_by: str, cfa_code: str | None,
              programmes: Collection[str] | None, enqueue: Callable[[int], object]) -> int:
    """Record an import job for `text` (its header checked now: a wrong file is refused at once) and hand its id
    to `enqueue` once committed (the worker's task runs `run_job`)."""
    total = count_rows(text)
    with app.uow() as uow:
        job_id = int(uow.execute(sa.insert(import_job_table).values(
            cfa_code=cfa_code, programmes=sorted(programmes) if programmes is not None else None,
            created_by=created_by, created_at=app.clock.now(), status=QUEUED, total=total, content=text, report=[],
        ).returning(import_job_table.c.id)).scalar_one())
        uow.after_commit(lambda: _call(enqueue, job_id))
        uow.commit()
    return job_id


def _call(enqueue: Callable[[int], object], job_id: int) -> None:
    enqueue(job_id)


def _entries(report: ImportReport) -> list[list[Any]]:
    """The report as stored: [line, "imported", id] | [line, "already", id, by] | [line, "refused", field, rule]."""
    entries: list[list[Any]] = [[line, "imported", case_id] for line, case_id in report.imported]
    entries += [[row.line, "already", row.case_id, row.by] for row in report.already]
    entries += [[problem.line, "refused", problem.field, problem.message] for problem in report.problems]
    return sorted(entries, key=lambda entry: int(entry[0]))


def _report(entries: Sequence[Sequence[Any]]) -> ImportReport:
    report = ImportReport()
    for entry in entries:
        line, outcome = int(entry[0]), entry[1]
        if outcome == "imported":
            report.imported.append((line, int(entry[2])))
        elif outcome == "already":
            report.already.append(RowAlready(line, int(entry[2]), str(entry[3])))
        else:
            report.problems.append(RowProblem(line, str(entry[2]), str(entry[3])))
    return report


def run_job(app: Store, job_id: int) -> JobView:
    """Run (or resume) import job `job_id`: its rows after those already processed, committing the progress and
    the outcomes every few rows; done, the file is dropped and the report kept. A job done is not run again."""
    with app.uow() as uow:
        job = uow.execute(sa.select(import_job_table).where(import_job_table.c.id == job_id)
                          .with_for_update()).mappings().first()
        if job is None:
            raise NotFound("import", job_id)
        if job["status"] in (DONE, FAILED):
            return _view(job)
        uow.execute(sa.update(import_job_table).where(import_job_table.c.id == job_id).values(
            status=RUNNING, started_at=job["started_at"] or app.clock.now()))
        uow.commit()
    text, skip = str(job["content"] or ""), int(job["processed"])
    programmes = job["programmes"]
    every = max(PROGRESS_EVERY, int(job["total"]) // 100)
    entries: list[list[Any]] = list(job["report"] or [])
    pending = ImportReport()
    processed = skip
    try:
        _, rows = read_rows(io.StringIO(text, newline=""))
        for index, (line, row) in enumerate(rows):
            if index < skip:
                continue  # its outcome was recorded before the job was interrupted
            _import_row(app, line, row, programmes, pending)
            processed += 1
            if processed % every == 0:
                entries = _record(app, job_id, entries, pending, processed)
                pending = ImportReport()
        entries = _record(app, job_id, entries, pending, processed, status=DONE)
    except Exception as problem:  # a job must not stay "running" when it stopped: say why it failed
        with app.uow() as uow:
            uow.execute(sa.update(import_job_table).where(import_job_table.c.id == job_id).values(
                status=FAILED, finished_at=app.clock.now(), error=str(problem)[:2000]))
            uow.commit()
        raise
    return job_view(app, job_id)


def _record(app: Store, job_id: int, entries: list[list[Any]], pending: ImportReport, processed: int,
            status: str = RUNNING) -> list[list[Any]]:
    entries = entries + _entries(pending)
    counts = {"imported": 0, "already": 0, "refused": 0}
    for entry in entries:
        counts[entry[1]] += 1
    values: dict[str, Any] = {"processed": processed, "report": entries, **counts}
    if status == DONE:
        values.update(status=DONE, finished_at=app.clock.now(), content=None)  # the file is not kept
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
