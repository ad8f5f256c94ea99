"""Retention and the data subject's rights (issue 16, item 6) on the command line:

- `contract-flow person export EMAIL [-o FILE] --as EMAIL|--operator`: everything held about a person, as JSON;
- `contract-flow person erase EMAIL --yes --as EMAIL|--operator`: anonymise them now (refused, exit 1, while a live
  contract needs the data, saying which);
- `contract-flow retention run [--on DATE] [--dry-run] [--json]`: the daily job, by hand (the operator);
- `contract-flow retention log [--as EMAIL|--operator] [--json]`: what was anonymised, when, why, by whom.

French by default (`--lang en`); a refusal names the field and the rule and changes nothing.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from contract_flow.cli.output import console, errors, print_json, to_json
from contract_flow.cli.runtime import AsOption, LangOption, OperatorOption, acting, get_app, language, option_date
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.formatting import format_day, format_moment, format_number
from contract_flow.labels import label
from contract_flow.retention_words import word

person_app = typer.Typer(help="A person's data: export it (RGPD art. 15, 20), erase it (art. 17).",
                         no_args_is_help=True)
retention_app = typer.Typer(help="Retention: the daily anonymisation of what is due, and its log.",
                            no_args_is_help=True)

EmailArgument = Annotated[str, typer.Argument(metavar="EMAIL", help="The person's email.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (codes, ISO dates) for programs.")]


def _say(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


@person_app.command("export")
def person_export(
    email: EmailArgument,
    output: Annotated[Path | None, typer.Option("--output", "-o", help="The file to write (default: the standard "
                                                                       "output).")] = None,
    as_: AsOption = None,
    operator: OperatorOption = False,
    lang: LangOption = None,
) -> None:
    """Everything held about a person, as JSON: their user, the cases they are the candidate of (every row of
    every table), every other row naming their email."""
    from contract_flow.services.retention import export_person

    chosen = language(lang)
    exported = export_person(get_app(), email, actor_email=acting(as_, operator))
    if output is None:
        print_json(exported)
        return
    try:
        output.write_text(to_json(exported) + "\n", encoding="utf-8")
    except OSError as exc:
        raise InvalidInput("--output", Reason("cannot_write", file=str(output), problem=exc.strerror or "")) from None
    errors.print(word("exported", chosen).format(email=exported["email"], file=output), markup=False,
                 highlight=False, soft_wrap=True)


@person_app.command("erase")
def person_erase(
    email: EmailArgument,
    yes: Annotated[bool, typer.Option("--yes", help="Confirm: the person's data is anonymised for good.")] = False,
    as_: AsOption = None,
    operator: OperatorOption = False,
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Anonymise now everything held about a person (their cases, their user, their name and email wherever they
    appear); refused while a live contract (signed, in its trial, running) needs the data."""
    from contract_flow.services.retention import erase_person, erasure_as_dict

    chosen = language(lang)
    if not yes:
        raise InvalidInput("--yes", Reason("erase_confirm", typed=Typed(email)))
    erasure = erase_person(get_app(), email, actor_email=acting(as_, operator))
    if json_output:
        print_json(erasure_as_dict(erasure))
        return
    _say(word("erased", chosen).format(email=erasure.email, cases=format_number(len(erasure.case_ids), chosen),
                                       rows=format_number(sum(erasure.tables.values()), chosen)))


@retention_app.command("run")
def retention_run(
    on: Annotated[str | None, typer.Option("--on", metavar="YYYY-MM-DD", help="The day to judge what is due on "
                                                                                "(default: today).")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Only say what is due; change nothing.")] = False,
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Anonymise the cases whose retention period is over (as the daily job does), as the operator; each case in
    its own transaction, each logged."""
    from contract_flow.services.retention import run_as_dict, run_retention

    chosen = language(lang)
    run = run_retention(get_app(), on=option_date("--on", on), dry_run=dry_run)
    if json_output:
        print_json(run_as_dict(run))
        return
    day = format_day(run.on, chosen)
    _say(word("due", chosen).format(count=format_number(len(run.due), chosen), day=day))
    for item in run.due:
        _say("- " + word("case_due", chosen).format(case=item.case_id, state=label("state", item.state.value, chosen),
                                                    due_on=format_day(item.due_on, chosen),
                                                    rule=word(f"rule.{item.rule.value}", chosen)))
    if dry_run:
        _say(word("dry", chosen))
        return
    _say(word("done", chosen).format(count=format_number(len(run.anonymised), chosen), day=day))
    if run.left:
        _say(word("left", chosen).format(count=format_number(run.left, chosen)))


@retention_app.command("log")
def retention_log(
    as_: AsOption = None,
    operator: OperatorOption = False,
    limit: Annotated[int, typer.Option(help="How many, newest first (1 to 1000).")] = 100,
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """What was anonymised, when, why and by whom (no personal value is kept in it)."""
    from contract_flow.services.retention import anonymisation_log, entry_as_dict

    chosen = language(lang)
    entries = anonymisation_log(get_app(), actor_email=acting(as_, operator), limit=limit)
    if json_output:
        print_json([entry_as_dict(entry) for entry in entries])
        return
    if not entries:
        _say(word("none", chosen))
        return
    table = Table(*(word(key, chosen) for key in ("id", "at", "subject", "key", "why", "rule", "due_on", "by",
                                                  "rows")), title=word("title", chosen))
    for entry in entries:
        table.add_row(str(entry.id), format_moment(entry.at, chosen, "short"), word(f"subject.{entry.subject}", chosen),
                      str(entry.case_id if entry.case_id is not None else entry.person_id or ""),
                      word(f"why.{entry.why}", chosen), word(f"rule.{entry.rule}", chosen),
                      format_day(entry.due_on, chosen) if entry.due_on else "", entry.by,
                      format_number(entry.rows, chosen))
    console.print(table)
