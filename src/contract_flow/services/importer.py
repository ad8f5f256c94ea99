"""Bulk import of cases from CSV: every good row imported, every bad row reported by line and field."""

from __future__ import annotations

import csv
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from typing import TextIO

from contract_flow.domain.case import Track
from contract_flow.domain.errors import DomainError, InvalidInput, NotFound
from contract_flow.domain.events import OpenCase
from contract_flow.domain.values import parse_date
from contract_flow.services.common import Transactional, programme_code

REQUIRED_COLUMNS = ("programme", "first_name", "last_name", "birth_date", "email")
OPTIONAL_COLUMNS = ("track", "advisor")


@dataclass(frozen=True)
class RowProblem:
    line: int
    field: str
    message: str


@dataclass
class ImportReport:
    imported: list[tuple[int, int]] = field(default_factory=list)  # (line, case id)
    problems: list[RowProblem] = field(default_factory=list)


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


def _command(row: dict[str, str]) -> OpenCase:
    for column in REQUIRED_COLUMNS:
        if not row.get(column):
            raise InvalidInput(column, "is empty")
    track_text = row.get("track") or Track.STANDARD.value
    try:
        track = Track(track_text)
    except ValueError:
        raise InvalidInput("track", f"{track_text!r} is not one of excellence, standard") from None
    return OpenCase(
        programme_code=programme_code(row["programme"]), first_name=row["first_name"], last_name=row["last_name"],
        birth_date=parse_date("birth_date", row["birth_date"]), email=row["email"], track=track,
        advisor_email=row.get("advisor") or None,
    )


def import_cases(app: Transactional, stream: TextIO, progress: Callable[[], None] | None = None, *,
                 programmes: Collection[str] | None = None) -> ImportReport:
    """Each row is its own unit of work: one bad row never stops or undoes the others.

    `programmes`, when given, are the only programme codes the importer may open cases in (a CFA's staff import
    into their own CFA's programmes; another's is "not found", as everywhere else)."""
    report = ImportReport()
    _, rows = read_rows(stream)
    for line, row in rows:
        try:
            command = _command(row)
            if programmes is not None and command.programme_code not in programmes:
                raise NotFound("programme", command.programme_code)
            with app.uow() as uow:
                case_id = uow.dispatch(command)  # handled by the cases' use case, one unit of work per row
                uow.commit()
            report.imported.append((line, case_id))
        except InvalidInput as exc:
            report.problems.append(RowProblem(line, exc.field, exc.rule))
        except NotFound as exc:
            field_name = "programme" if exc.kind == "programme" else "advisor"
            report.problems.append(RowProblem(line, field_name, str(exc)))
        except DomainError as exc:
            report.problems.append(RowProblem(line, "row", str(exc)))
        if progress:
            progress()
    return report
