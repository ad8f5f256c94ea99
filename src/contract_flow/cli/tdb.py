"""`contract-flow tdb export|push|pushes`: the CFA's learners for the Tableau de bord de l'apprentissage (TDB v3,
PUBLIC-SYSTEMS.md §2; issue 16, items 1 and 2). Other modules add their commands to `tdb_app` (cli/tdb_reconcile.py:
`tdb reconcile`).

`export` writes the feed (JSON, the API's body; or the .xlsx a CFA uploads by hand) to a file or stdout; `push` sends
it to the TDB now, with the CFA's key (settings tdb_url, tdb_keys: without them, exit 1 naming the setting);
`pushes` lists the last pushes with each error, the case and the field to fix. French by default (`--lang en`),
`--json` for programs. The learners our check sets aside are said on stderr, one line each.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from contract_flow.cli.output import console, errors, print_json
from contract_flow.cli.runtime import LangOption, get_app, language, option_date
from contract_flow.domain.errors import InvalidInput
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.formatting import format_moment, format_number
from contract_flow.tdb_words import SOURCES, STATUSES, TRIGGERS, fix_link, rule_text

if TYPE_CHECKING:
    from contract_flow.services.tdb_rows import ItemError

tdb_app = typer.Typer(help="The Tableau de bord de l'apprentissage (TDB): the monthly feed of the CFA's learners.",
                      no_args_is_help=True)

CfaOption = Annotated[str | None, typer.Option("--cfa", metavar="CODE", help="The CFA (default: the user's; for the "
                                                                             "operator, the only CFA).")]
OnOption = Annotated[str | None, typer.Option("--on", metavar="YYYY-MM-DD", help="The feed of this day (default: "
                                                                                 "today).")]
AsReader = Annotated[str, typer.Option("--as", help="Act as this user (CFA staff); default: the operator.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON instead of sentences.")]

WORDS = {
    "fr": {"exported": "{items} apprenants écrits dans {out} ({fmt}) ; {refused} écartés par le contrôle.",
           "set_aside": "dossier {case} : {field} : {rule}",
           "pushed": "Envoi n° {id} au TDB ({cfa}) : {status} ; {sent} apprenants en {batches} lots, {errors} "
                     "avec des erreurs.",
           "answer": "Réponse : {answer}",
           "none": "Aucun envoi au TDB.",
           "push_line": "n° {id} — {when} — {trigger} par {by} — {status} — {sent} envoyés, {errors} avec erreurs",
           "error_line": "  dossier {case} : {field} : {rule} ({source}){link}",
           "more": "  … et {count} autres erreurs"},
    "en": {"exported": "{items} learners written to {out} ({fmt}); {refused} set aside by the check.",
           "set_aside": "case {case}: {field}: {rule}",
           "pushed": "Push #{id} to the TDB ({cfa}): {status}; {sent} learners in {batches} batches, {errors} with "
                     "errors.",
           "answer": "Answer: {answer}",
           "none": "No push to the TDB.",
           "push_line": "#{id} — {when} — {trigger} by {by} — {status} — {sent} sent, {errors} with errors",
           "error_line": "  case {case}: {field}: {rule} ({source}){link}",
           "more": "  … and {count} more errors"},
}


def _say_set_aside(found: list[ItemError], lang: str) -> None:
    for error in found:
        errors.print(WORDS[lang]["set_aside"].format(case=error.case_id, field=error.field,
                                                     rule=rule_text(error.message, lang)),
                     markup=False, highlight=False, soft_wrap=True)


@tdb_app.command("export")
def tdb_export(
    cfa: CfaOption = None,
    on: OnOption = None,
    fmt: Annotated[str, typer.Option("--format", metavar="json|xlsx", help="JSON (the API's body) or the .xlsx "
                                                                          "file the TDB takes by upload.")] = "json",
    output: Annotated[Path | None, typer.Option("-o", "--output", help="The file to write (default: stdout, JSON "
                                                                        "only).")] = None,
    as_: AsReader = "system",
    lang: LangOption = None,
) -> None:
    """Write the CFA's learners as the TDB takes them: every case from its training's start, with its contracts."""
    from contract_flow.services.tdb import export_feed, feed_request

    chosen = language(lang)
    if fmt not in ("json", "xlsx"):
        raise InvalidInput("--format", Reason("not_one_of", typed=Typed(fmt), choices=("json", "xlsx")))
    if fmt == "xlsx" and output is None:
        raise InvalidInput("-o", Reason("written_to_a_file"))
    app = get_app()
    request = feed_request(app, actor_email=as_, cfa_code=cfa, on=option_date("--on", on))
    if output is None:
        counts = export_feed(app, request, sys.stdout.buffer, fmt)
        sys.stdout.flush()
    else:
        with output.open("wb") as out:
            counts = export_feed(app, request, out, fmt)
    _say_set_aside(counts.errors, chosen)
    errors.print(WORDS[chosen]["exported"].format(items=format_number(counts.items, chosen),
                                                  out=output or "stdout", fmt=fmt,
                                                  refused=format_number(counts.refused, chosen)),
                 markup=False, highlight=False, soft_wrap=True)


@tdb_app.command("push")
def tdb_push(
    cfa: CfaOption = None,
    on: OnOption = None,
    as_: AsReader = "system",
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """Send the CFA's learners to the TDB now (batches of at most 2,000, with the CFA's key), recorded with the
    answer and each learner's errors. Exit 1 when it did not go through (refused, failed) or when no address or
    key is configured (the setting is named)."""
    from contract_flow.services.tdb import push_as_dict, push_feed

    chosen = language(lang)
    result = push_feed(get_app(), actor_email=as_, trigger="cli", cfa_code=cfa, on=option_date("--on", on))
    if json_output:
        print_json(push_as_dict(result))
    else:
        console.print(WORDS[chosen]["pushed"].format(
            id=result.push_id, cfa=result.cfa_code, status=STATUSES[chosen][result.status],
            sent=format_number(result.items_sent, chosen), batches=result.batches,
            errors=format_number(result.items_with_errors, chosen)), markup=False, highlight=False, soft_wrap=True)
        console.print(WORDS[chosen]["answer"].format(answer=result.answer), markup=False, highlight=False,
                      soft_wrap=True)
        _print_errors(result.errors, len(result.errors), chosen)
    if result.status in ("refused", "failed"):
        raise typer.Exit(1)


def _print_errors(found: list[ItemError] | tuple[object, ...], total: int, lang: str, shown: int = 50) -> None:
    for error in list(found)[:shown]:
        case_id = getattr(error, "case_id", None)
        field = str(getattr(error, "field", ""))
        link = fix_link(case_id, field)
        console.print(WORDS[lang]["error_line"].format(
            case=case_id if case_id is not None else "?", field=field,
            rule=rule_text(str(getattr(error, "message", "")), lang),
            source=SOURCES[lang].get(str(getattr(error, "source", "")), ""), link=f" → {link}" if link else ""),
            markup=False, highlight=False, soft_wrap=True)
    if total > shown:
        console.print(WORDS[lang]["more"].format(count=format_number(total - shown, lang)), markup=False)


@tdb_app.command("pushes")
def tdb_pushes(
    cfa: CfaOption = None,
    limit: Annotated[int, typer.Option(help="How many of the last pushes (1 to 100).")] = 12,
    as_: AsReader = "system",
    json_output: JsonOption = False,
    lang: LangOption = None,
) -> None:
    """The last pushes to the TDB, newest first, each with its errors: the case and the field to fix."""
    from contract_flow.services.tdb import list_pushes, push_as_dict

    chosen = language(lang)
    views = list_pushes(get_app(), actor_email=as_, cfa_code=cfa, limit=limit)
    if json_output:
        print_json([push_as_dict(view) for view in views])
        return
    if not views:
        console.print(WORDS[chosen]["none"])
        return
    for view in views:
        console.print(WORDS[chosen]["push_line"].format(
            id=view.id, when=format_moment(view.started_at, chosen), trigger=TRIGGERS[chosen].get(view.trigger,
                                                                                                 view.trigger),
            by=view.by, status=STATUSES[chosen].get(view.status, view.status),
            sent=format_number(view.items_sent, chosen), errors=format_number(view.items_with_errors, chosen)),
            markup=False, highlight=False, soft_wrap=True)
        _print_errors(view.errors, view.error_count, chosen)
