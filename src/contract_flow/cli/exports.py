"""Nominative exports (issue 16, item 5) on the command line:

- `contract-flow case export --format csv|xlsx [-o FILE] [--state --programme --advisor --search --needs-me]
  --as EMAIL|--operator`: the cases `case list` and the board show with the same filters, as a file;
- `contract-flow risk export --format csv|xlsx [-o FILE] [same filters] --as EMAIL|--operator`: the cases at risk;
- `contract-flow exports list [--as EMAIL|--operator] [--json]`: the log of exports, newest first.

Only CFA staff export (their CFA's cases) and the operator (every CFA's), each export logged as the pages' and the
API's are. Without `-o`, a CSV goes to the standard output (a workbook too, but never to a terminal); with `-o`, the
file is written whole or not at all (a refusal leaves no file behind). The summary line (how many rows, where, the
log's number) goes to the standard error, in French by default.
"""

from __future__ import annotations

import os
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import IO, TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from contract_flow import export_words
from contract_flow.cli.cases import case_app
from contract_flow.cli.output import console, errors, print_json
from contract_flow.cli.runtime import AsOption, LangOption, OperatorOption, acting, get_app, language
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason
from contract_flow.formatting import format_moment

if TYPE_CHECKING:
    from contract_flow.services.exports import Exported

risk_app = typer.Typer(help="The cases at risk.", no_args_is_help=True)
exports_app = typer.Typer(help="The log of the nominative exports (who exported which list, when).",
                          no_args_is_help=True)

FormatOption = Annotated[str, typer.Option("--format", metavar="csv|xlsx", help=(
    "csv (UTF-8 with BOM, `;` in French: a French Excel opens it as columns) or xlsx (an Excel workbook, days as "
    "date cells)."))]
OutputOption = Annotated[Path | None, typer.Option("--output", "-o", help=(
    "The file to write (default: the standard output; a workbook is never written to a terminal)."))]
StateOption = Annotated[str | None, typer.Option(help="Only cases in this state.")]
ProgrammeOption = Annotated[str | None, typer.Option(help="Only cases of this programme.")]
AdvisorOption = Annotated[str | None, typer.Option(help="Only the cases this advisor (email) follows.")]
SearchOption = Annotated[str | None, typer.Option(
    "--search", "-q", help="Words of the name or email, accents and case ignored («ines» finds «Inès»).")]
NeedsMeOption = Annotated[bool, typer.Option("--needs-me", help="Only the cases where the user (--as) has "
                                                                "something to do now.")]

SAID = {
    "fr": {"done": "{rows} ligne(s) exportée(s) dans {where} (export n° {log})", "stdout": "la sortie standard",
           "none": "Aucun export.", "title": "Exports nominatifs", "id": "N°", "at": "Date", "by": "Par",
           "kind": "Liste", "format": "Format", "via": "Depuis", "filter": "Filtre", "rows": "Lignes"},
    "en": {"done": "{rows} row(s) exported to {where} (export #{log})", "stdout": "the standard output",
           "none": "No export.", "title": "Nominative exports", "id": "#", "at": "When", "by": "By",
           "kind": "List", "format": "Format", "via": "From", "filter": "Filter", "rows": "Rows"},
}


def _run(kind: str, fmt_text: str, output: Path | None, as_: str | None, operator: bool, lang: str | None, *,
         state: str | None, programme: str | None, advisor: str | None, search: str | None,
         needs_me: bool) -> None:
    from contract_flow.services.case_filters import parse_filter
    from contract_flow.services.exports import export_cases, export_risks, parse_format

    fmt = parse_format(fmt_text, "--format")
    chosen_language = language(lang)
    actor = acting(as_, operator)
    chosen = parse_filter(q=search, programme=programme, advisor=advisor, state=state, needs_me=needs_me)
    export = export_cases if kind == "cases" else export_risks
    if output is None:
        if fmt.value == "xlsx" and sys.stdout.isatty():
            raise InvalidInput("--output", Reason("binary_to_a_file"))
        done = export(get_app(), actor_email=actor, chosen=chosen, fmt=fmt, language=chosen_language, via="cli",
                      out=sys.stdout.buffer)
        sys.stdout.flush()
        where = SAID[chosen_language]["stdout"]
    else:
        done = _to_file(output, lambda out: export(get_app(), actor_email=actor, chosen=chosen, fmt=fmt,
                                                   language=chosen_language, via="cli", out=out))
        where = str(output)
    errors.print(SAID[chosen_language]["done"].format(rows=done.rows, where=where, log=done.log_id), markup=False,
                 highlight=False, soft_wrap=True)


def _to_file(path: Path, write: Callable[[IO[bytes]], Exported]) -> Exported:
    """The export written to a temporary file beside `path`, which replaces it once whole: a refusal or a failure
    halfway leaves no file (nor half of one) behind."""
    folder = path.parent if str(path.parent) else Path()
    if not folder.is_dir():
        raise InvalidInput("--output", Reason("not_a_folder", folder=str(folder)))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(handle, "wb") as out:
            done = write(out)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return done


@case_app.command("export")
def case_export(
    fmt: FormatOption = "csv",
    output: OutputOption = None,
    state: StateOption = None,
    programme: ProgrammeOption = None,
    advisor: AdvisorOption = None,
    search: SearchOption = None,
    needs_me: NeedsMeOption = False,
    as_: AsOption = None,
    operator: OperatorOption = False,
    lang: LangOption = None,
) -> None:
    """Export the cases the filters select (those of `case list` and the board) as CSV or .xlsx, column headers in
    French (--lang en: English). CFA staff (--as) export their CFA's cases; each export is logged."""
    _run("cases", fmt, output, as_, operator, lang, state=state, programme=programme, advisor=advisor,
         search=search, needs_me=needs_me)


@risk_app.command("export")
def risk_export(
    fmt: FormatOption = "csv",
    output: OutputOption = None,
    state: StateOption = None,
    programme: ProgrammeOption = None,
    advisor: AdvisorOption = None,
    search: SearchOption = None,
    needs_me: NeedsMeOption = False,
    as_: AsOption = None,
    operator: OperatorOption = False,
    lang: LangOption = None,
) -> None:
    """Export the cases at risk (deadlines within 14 days, reviews not logged, stale cases, failed reminders, the
    OPCO's refusals) the filters select, as the page lists them, as CSV or .xlsx; each export is logged."""
    _run("risk", fmt, output, as_, operator, lang, state=state, programme=programme, advisor=advisor,
         search=search, needs_me=needs_me)


@exports_app.command("list")
def exports_list(
    as_: AsOption = None,
    operator: OperatorOption = False,
    limit: Annotated[int, typer.Option(min=1, max=200, help="How many, newest first.")] = 50,
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    lang: LangOption = None,
) -> None:
    """The nominative exports of your CFA (the operator: every CFA's), newest first: when, who, which list and
    filter, the format, how many rows."""
    from contract_flow.services.exports import exports_log, stored_filter

    chosen = language(lang)
    found = exports_log(get_app(), actor_email=acting(as_, operator), limit=limit)
    if json_output:
        print_json({"total": found.total, "items": [
            {"id": record.id, "at": record.at, "by": record.by, "cfa_code": record.cfa_code,
             "kind": record.kind.value, "format": record.format.value, "via": record.via,
             "language": record.language, "filter": stored_filter(record.filter), "rows": record.rows}
            for record in found.items]})
        return
    said = SAID[chosen]
    if not found.items:
        console.print(said["none"])
        return
    table = Table(title=f"{said['title']} ({found.total})")
    # where it was asked from (pages, API, command line) is in the JSON: the table keeps to a terminal's width
    for column in ("id", "at", "by", "kind", "filter", "rows"):
        table.add_column(said[column], no_wrap=column in ("id", "rows"))
    for record in found.items:
        table.add_row(str(record.id), format_moment(record.at, chosen, "short"), record.by,
                      f"{export_words.KIND_WORDS[chosen][record.kind.value]} ({record.format.value})",
                      export_words.describe_filter(stored_filter(record.filter), chosen), str(record.rows))
    console.print(table)

