"""Case commands: open, record facts, advance, show, list; the board, the diagram and CSV import."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from contract_flow.cli.output import console, print_json
from contract_flow.cli.runtime import AsOption, OperatorOption, acting, get_app, language
from contract_flow.domain.case import Track
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.states import CaseState, step_number
from contract_flow.domain.values import parse_date
from contract_flow.formatting import format_day
from contract_flow.labels import label

#: What the case commands print for people, in each language (`--lang`, French by default).
WORDS = {
    "fr": {"recorded": "dossier {case} : informations enregistrées (version {version})",
           "moved": "dossier {case} : {before} → {after} ({trigger}, par {actor})",
           "changed": "dossier {case} : candidature {application} modifiée (version {version})",
           "withdrawn": "dossier {case} : candidature {application} retirée (version {version})",
           "absence": "dossier {case} : absence enregistrée",
           "trial_moves": "dossier {case} : absence enregistrée ; la fin de la période d'essai passe du {old} au {new}",
           "key": "clé", "what": "quoi", "programme": "formation", "name": "nom", "state": "étape",
           "step": "n°", "all": "total", "pipeline": "Dossiers par étape"},
    "en": {"recorded": "case {case}: facts recorded (version {version})",
           "moved": "case {case}: {before} → {after} ({trigger}, by {actor})",
           "changed": "case {case}: application {application} changed (version {version})",
           "withdrawn": "case {case}: application {application} withdrawn (version {version})",
           "absence": "case {case}: absence recorded",
           "trial_moves": "case {case}: absence recorded; the trial end moves from {old} to {new}",
           "key": "key", "what": "what", "programme": "programme", "name": "name", "state": "state",
           "step": "step", "all": "all", "pipeline": "Pipeline"},
}

case_app = typer.Typer(help="Apprenticeship cases.", no_args_is_help=True)
import_app = typer.Typer(help="Bulk imports.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of tables.")]


def _day(text: str, lang: str) -> str:
    """An ISO day of the history as people write it (what is not one is shown as it is)."""
    try:
        return format_day(date.fromisoformat(text.strip()), lang, "short")
    except ValueError:
        return text


@case_app.command("open")
def case_open(
    programme: Annotated[str, typer.Option(help="Programme code.")],
    first_name: Annotated[str, typer.Option(help="Candidate's first name.")],
    last_name: Annotated[str, typer.Option(help="Candidate's last name.")],
    birth_date: Annotated[str, typer.Option(help="YYYY-MM-DD.")],
    email: Annotated[str, typer.Option(help="Candidate's email.")],
    track: Annotated[str, typer.Option(help="excellence (on file) or standard (interview).")] = "standard",
    advisor: Annotated[str | None, typer.Option(help="Email of the advisor following the case.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Open a case for a candidate declared admissible; prints its id."""
    from contract_flow.domain.events import OpenCase
    from contract_flow.services.cases import open_case

    try:
        chosen_track = Track(track)
    except ValueError:
        raise InvalidInput("track", Reason("not_one_of", typed=Typed(track),
                                           choices=("excellence", "standard"))) from None
    case_id = open_case(get_app(), OpenCase(
        programme_code=programme, first_name=first_name, last_name=last_name,
        birth_date=parse_date("birth_date", birth_date), email=email, track=chosen_track, advisor_email=advisor,
    ))
    if json_output:
        print_json({"id": case_id})
    else:
        print(case_id)


@case_app.command("set")
def case_set(
    case_id: Annotated[int, typer.Argument(metavar="ID")],
    facts: Annotated[list[str], typer.Argument(metavar="KEY=VALUE...", help="Facts to record.")],
    as_: AsOption = None,
    operator: OperatorOption = False,
    version: Annotated[int | None, typer.Option(help="Refuse if the case is no longer at this version.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Record facts: project.*, application.*, offer.*, contract.*, derogation ... (`case facts` lists them)."""
    from contract_flow.domain.facts import split_pairs
    from contract_flow.services.cases import set_facts

    split_pairs(facts)  # what was typed is checked before who typed it
    case = set_facts(get_app(), case_id, facts, actor_email=acting(as_, operator), expected_version=version)
    if json_output:
        print_json({"id": case.id, "version": case.version, "state": case.state})
    else:
        console.print(WORDS[language()]["recorded"].format(case=case.id, version=case.version), markup=False)


@case_app.command("facts")
def case_facts() -> None:
    """List the facts `case set` records."""
    from contract_flow.domain.facts import SPECS

    words = WORDS[language()]
    table = Table(words["key"], words["what"])
    for spec in SPECS.values():
        table.add_row(spec.key, spec.help)
    console.print(table)


@case_app.command("advance")
def case_advance(
    case_id: Annotated[int, typer.Argument(metavar="ID")],
    trigger: Annotated[str, typer.Argument(help="start_applying, shortlist, receive_offer, ...")],
    as_: AsOption = None,
    operator: OperatorOption = False,
    reason: Annotated[str | None, typer.Option(help="Why, for the history.")] = None,
    fact: Annotated[list[str] | None, typer.Option(help="KEY=VALUE recorded with the move (repeatable).")] = None,
    version: Annotated[int | None, typer.Option(help="Refuse if the case is no longer at this version.")] = None,
    application: Annotated[int | None, typer.Option(
        help="shortlist: the application (its id, case show --json) whose company takes the candidate into its "
             "selection; the latest one sent by default.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Fire a trigger on a case."""
    from contract_flow.services.cases import advance

    event = advance(get_app(), case_id, trigger, actor_email=acting(as_, operator), reason=reason, facts=fact or [],
                    expected_version=version, application_id=application)
    if json_output:
        print_json(event)
    else:
        lang = language()
        console.print(WORDS[lang]["moved"].format(
            case=case_id, before=label("state", event.from_state, lang), after=label("state", event.to_state, lang),
            trigger=label("trigger", event.trigger, lang), actor=event.actor), markup=False)


@case_app.command("application")
def case_application(
    case_id: Annotated[int, typer.Argument(metavar="ID")],
    application_id: Annotated[int, typer.Argument(metavar="APPLICATION",
                                                  help="The application's id (case show --json).")],
    company: Annotated[str | None, typer.Option(help="The company's name, corrected.")] = None,
    siret: Annotated[str | None, typer.Option(help="The company's SIRET (\"\" clears it).")] = None,
    applied_on: Annotated[str | None, typer.Option("--date", help="The day it was sent, YYYY-MM-DD.")] = None,
    withdraw: Annotated[bool, typer.Option("--withdraw", help="The candidate withdraws it.")] = False,
    as_: AsOption = None,
    operator: OperatorOption = False,
    reason: Annotated[str | None, typer.Option(help="Why, for the history.")] = None,
    version: Annotated[int | None, typer.Option(help="Refuse if the case is no longer at this version.")] = None,
) -> None:
    """Correct an application (company, SIRET, date) or withdraw it (a new one: case set ID application.company=X)."""
    from contract_flow.services.applications import edit_application, withdraw_application

    actor = acting(as_, operator)
    if withdraw:
        case = withdraw_application(get_app(), case_id, application_id, actor_email=actor, expected_version=version,
                                    reason=reason)
    else:
        changes = {key: value for key, value in (("company", company), ("siret", siret), ("applied_on", applied_on))
                   if value is not None}
        case = edit_application(get_app(), case_id, application_id, changes, actor_email=actor,
                                expected_version=version, reason=reason)
    console.print(WORDS[language()]["withdrawn" if withdraw else "changed"].format(
        case=case_id, application=application_id, version=case.version), markup=False)


@case_app.command("absence")
def case_absence(
    case_id: Annotated[int, typer.Argument(metavar="ID")],
    first: Annotated[str, typer.Option("--from", help="First day away, YYYY-MM-DD.")],
    last: Annotated[str, typer.Option("--to", help="Last day away (included), YYYY-MM-DD.")],
    as_: AsOption = None,
    operator: OperatorOption = False,
    reason: Annotated[str | None, typer.Option(help="Why (sick leave, holidays...).")] = None,
    version: Annotated[int | None, typer.Option(help="Refuse if the case is no longer at this version.")] = None,
    json_output: JsonOption = False,
) -> None:
    """Record days away from the company; during the trial they move its end (L6222-18)."""
    from contract_flow.services.cases import record_absence

    event = record_absence(get_app(), case_id, parse_date("from", first), parse_date("to", last),
                           actor_email=acting(as_, operator),
                           reason=reason, expected_version=version)
    if json_output:
        print_json(event)
    elif "trial_end" in event.facts:
        old, _, new = str(event.facts["trial_end"]).partition(" → ")  # the history's «old → new», ISO days
        lang = language()
        console.print(WORDS[lang]["trial_moves"].format(case=case_id, old=_day(old, lang), new=_day(new, lang)),
                      markup=False)
    else:
        console.print(WORDS[language()]["absence"].format(case=case_id), markup=False)


@case_app.command("show")
def case_show(
    case_id: Annotated[int, typer.Argument(metavar="ID")],
    as_: Annotated[str, typer.Option("--as", help="Read it as this user may (their scope, the triggers they may "
                                                  "fire); by default as the operator.")] = "system",
    json_output: JsonOption = False,
) -> None:
    """Facts, state, the triggers allowed now, the blocked ones with why, and the full history."""
    from contract_flow.cli.case_view import print_case
    from contract_flow.services.cases import show
    from contract_flow.services.views import case_as_dict

    view = show(get_app(), case_id, actor_email=as_)
    if json_output:
        print_json(case_as_dict(view))
    else:
        print_case(view, language())


@case_app.command("list")
def case_list(
    state: Annotated[str | None, typer.Option(help="Only cases in this state.")] = None,
    programme: Annotated[str | None, typer.Option(help="Only cases of this programme.")] = None,
    search: Annotated[str | None, typer.Option(
        "--search", "-q", help="Words of the name or email, accents and case ignored («ines» finds «Inès»).")] = None,
    json_output: JsonOption = False,
) -> None:
    """List cases."""
    from contract_flow.services.case_filters import parse_filter
    from contract_flow.services.queries import list_cases

    rows = list_cases(get_app(), state=state, programme=programme, q=parse_filter(q=search).q)
    if json_output:
        print_json(rows)
        return
    lang = language()
    words = WORDS[lang]
    table = Table("id", words["programme"], words["name"], words["state"], "version")
    for row in rows:
        table.add_row(str(row.id), row.programme, f"{row.first_name} {row.last_name}",
                      label("state", row.state.value, lang), str(row.version))
    console.print(table)


def board(json_output: JsonOption = False) -> None:
    """Counts of cases per state and programme: the pipeline at a glance."""
    from contract_flow.services.queries import board as build_board

    result = build_board(get_app())
    if json_output:
        print_json({code: {s.value: n for s, n in per.items()} for code, per in result.counts.items()})
        return
    # States down the side (the chart reads top to bottom), programmes across: it fits a terminal.
    codes = list(result.counts)
    lang = language()
    words = WORDS[lang]
    table = Table(words["step"], words["state"], *codes, words["all"], title=words["pipeline"])
    for state in CaseState:
        step = step_number(state)
        table.add_row(str(step) if step else "", label("state", state.value, lang),
                      *[str(result.counts[code].get(state, 0) or "·") for code in codes],
                      f"[b]{result.total(state)}[/b]")
    console.print(table)
    from contract_flow.cli.filing import print_filing_board
    from contract_flow.cli.invoices import print_board_line
    from contract_flow.cli.tdb_reconcile import print_tdb_board

    print_board_line()
    print_filing_board()
    print_tdb_board()


def diagram(
    markdown: Annotated[bool, typer.Option("--markdown", help="The whole docs/state-chart.md page.")] = False,
) -> None:
    """Print the state chart as Mermaid, generated from the engine's own definition."""
    from contract_flow.domain.diagram import document, mermaid

    print(document() if markdown else mermaid(), end="")


@import_app.command("cases")
def import_cases(
    file: Annotated[Path, typer.Argument(help=(
        "CSV (separated by , or ;, UTF-8) or .xlsx workbook, a header in French or English: programme (formation), "
        "first_name (prénom), last_name (nom), birth_date (date de naissance, DD/MM/YYYY or YYYY-MM-DD), email "
        "(courriel) [, track (parcours), advisor (conseiller), id (n° de dossier)]."), exists=False)],
    background: Annotated[bool | None, typer.Option(
        "--background/--here", help="Run as a job for the workers, or in this process. Default: a job above "
                                    "import_background_rows rows (2000).")] = None,
    wait: Annotated[bool, typer.Option("--wait/--no-wait", help="Follow a job's progress until it is done.")] = True,
    dry_run: Annotated[bool, typer.Option("--dry-run", help=(
        "Show what each row would do (open a case, already there, refused and why); import nothing."))] = False,
    json_output: JsonOption = False,
) -> None:
    """Import cases from a CSV file or an Excel workbook; good rows are imported, each bad row reported by line and
    field, and a row already imported (same id column, or same programme, names and birth date) reported, not
    opened again. `--dry-run` first, to see each row's outcome."""
    from contract_flow.cli.importing import run_import

    run_import(get_app(), file, json_output=json_output, background=background, wait=wait, dry_run=dry_run)


JobArgument = Annotated[int, typer.Argument(metavar="JOB", min=1, max=2**31 - 1, help="The import job's id.")]


@import_app.command("status")
def import_status(
    job: JobArgument,
    wait: Annotated[bool, typer.Option("--wait", help="Follow its progress until it is done.")] = False,
    json_output: JsonOption = False,
) -> None:
    """An import job's progress (rows processed of total), and its report once done."""
    from contract_flow.cli.importing import show_status

    show_status(get_app(), job, json_output=json_output, wait=wait)


@import_app.command("run")
def import_run(job: JobArgument, json_output: JsonOption = False) -> None:
    """Run a queued or interrupted import job in this process (where no worker runs); it resumes where it was."""
    from contract_flow.cli.importing import run_here

    run_here(get_app(), job, json_output=json_output)
