"""`contract-flow import cases FILE.csv`, with a progress bar and a per-row report."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.progress import Progress
from rich.table import Table

from contract_flow.bootstrap import App
from contract_flow.cli.output import console, errors, print_json
from contract_flow.domain.errors import InvalidInput
from contract_flow.services.importer import import_cases


def run_import(app: App, file: Path, *, json_output: bool) -> None:
    if not file.is_file():
        raise InvalidInput("FILE", f"{file} is not a readable file")
    with file.open(encoding="utf-8-sig") as counting:
        total = max(sum(1 for _ in counting) - 1, 0)  # rows, for the progress bar
    with file.open(encoding="utf-8-sig", newline="") as stream:
        if json_output:
            report = import_cases(app, stream)
        else:
            with Progress(console=errors, transient=True) as progress:
                task = progress.add_task("importing", total=total)
                report = import_cases(app, stream, lambda: progress.advance(task))
    if json_output:
        print_json({"imported": [{"line": line, "id": case_id} for line, case_id in report.imported],
                    "problems": report.problems})
    else:
        console.print(f"{len(report.imported)} case(s) imported, {len(report.problems)} row(s) refused")
        if report.problems:
            table = Table("line", "field", "problem", title="Refused rows")
            for problem in report.problems:
                table.add_row(str(problem.line), problem.field, problem.message)
            console.print(table)
    if report.problems:
        # Some rows were refused: say so to scripts, though the good rows are in.
        raise typer.Exit(2)
