"""`contract-flow tdb reconcile|status|statuses`: what the Tableau de bord makes of our cases (issue 16, items 3 and
4), on the `tdb` group (registered by importing this module). The same use cases as the pages and the API
(services/tdb_status.py).

French by default (`--lang en`), `--json` for programs (codes, ISO dates, the reasons in English). A refusal names
the field: an unknown CFA or case is "not found" (exit 2), a role the reconciliation is not for is refused (exit 1).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from contract_flow.cli.output import console, print_json
from contract_flow.cli.runtime import LangOption, get_app, language, option_date
from contract_flow.cli.tdb import tdb_app
from contract_flow.formatting import format_day
from contract_flow.labels import label

if TYPE_CHECKING:
    from contract_flow.services.tdb_status import Reconciliation

OnOption = Annotated[str | None, typer.Option("--on", metavar="YYYY-MM-DD", help="As it stands that day (default: "
                                                                                   "today).")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON (codes, ISO dates, the reasons in English).")]
ReadAs = Annotated[str, typer.Option("--as", help="Read it as this user may (an advisor: their cases; a programme "
                                                  "lead: their CFA); by default as the operator, every CFA's.")]

KIND_WORDS = {
    "fr": {"deca_missing": "Contrats sans numéro DECA 30 jours après le dépôt",
           "tdb_rejected": "Dossiers refusés par le Tableau de bord",
           "abandon_followed": "Abandons pour le Tableau de bord que le moteur suit encore"},
    "en": {"deca_missing": "Contracts without a DECA number 30 days after the filing",
           "tdb_rejected": "Cases refused by the TDB",
           "abandon_followed": "Dropped out for the TDB, still followed by the engine"},
}
WORDS = {
    "fr": {"title": "Rapprochement avec les systèmes publics au {on} : {count}", "none": "Rien à rapprocher.",
           "case": "{name} (dossier n° {case}, {programme}, {state})", "status": "Dossier n° {case} ({name}) au {on}",
           "tdb": "Statut au Tableau de bord : {status}", "why": "Pourquoi : {reason}",
           "becomes": "Devient « {status} » le {day} sans nouvel envoi", "engine": "Moteur : {state} — {explanation}",
           "board": "Statuts au Tableau de bord", "programme": "formation"},
    "en": {"title": "Reconciliation with the public systems on {on}: {count}", "none": "Nothing to reconcile.",
           "case": "{name} (case {case}, {programme}, {state})", "status": "Case {case} ({name}) on {on}",
           "tdb": "Status in the TDB: {status}", "why": "Why: {reason}",
           "becomes": "Becomes {status} on {day} unless something new is sent",
           "engine": "Engine: {state} — {explanation}", "board": "Statuses in the TDB", "programme": "programme"},
}


def say(text: str) -> None:
    console.print(text, markup=False, highlight=False, soft_wrap=True)


def print_reconciliation(found: Reconciliation, lang: str) -> None:
    from contract_flow.services.tdb_status import KINDS
    from contract_flow.wording import reason_text

    words = WORDS[lang]
    say(words["title"].format(on=format_day(found.on, lang), count=len(found.items)))
    if not found.items:
        say(words["none"])
    for kind in KINDS:
        items = found.of_kind(kind)
        if not items:
            continue
        say(f"\n{KIND_WORDS[lang][kind]} ({len(items)})")
        for item in items:
            say("- " + words["case"].format(name=item.name, case=item.case_id, programme=item.programme,
                                            state=label("state", item.state.value, lang)))
            say(f"    {reason_text(item.reason, lang)}")


@tdb_app.command("reconcile")
def tdb_reconcile(
    cfa: Annotated[str | None, typer.Option("--cfa", metavar="CODE", help="Only this CFA's cases (the operator); "
                                                                          "staff see their own CFA's.")] = None,
    on: OnOption = None,
    json_output: JsonOption = False,
    as_: ReadAs = "system",
    lang: LangOption = None,
) -> None:
    """What to put right with the public systems: contracts filed without a DECA number 30 days later, cases the TDB
    refused in the latest push, learners the TDB counts ABANDON while the engine still follows them."""
    from contract_flow.services.tdb_status import item_as_dict, reconcile

    chosen = language(lang)
    found = reconcile(get_app(), actor_email=as_, cfa_code=cfa, on=option_date("--on", on))
    if json_output:
        print_json({"on": found.on, "items": [item_as_dict(item) for item in found.items]})
        return
    print_reconciliation(found, chosen)


@tdb_app.command("status")
def tdb_status_command(
    case_id: Annotated[int, typer.Argument(metavar="CASE", help="The case's number.")],
    on: OnOption = None,
    json_output: JsonOption = False,
    as_: Annotated[str, typer.Option("--as", help="Read it as this user may; by default as the operator.")]
    = "system",
    lang: LangOption = None,
) -> None:
    """The status the TDB computes for the case from the dates we send, why, and the engine's state beside it."""
    from contract_flow.services.tdb_status import case_tdb_status, status_as_dict
    from contract_flow.wording import reason_text

    chosen = language(lang)
    view = case_tdb_status(get_app(), case_id, actor_email=as_, on=option_date("--on", on))
    if json_output:
        print_json(status_as_dict(view))
        return
    words, result = WORDS[chosen], view.comparison.result
    say(words["status"].format(case=case_id, name=view.name, on=format_day(result.on, chosen)))
    say(words["tdb"].format(status=f"{result.status.value} ({label('tdb_status', result.status.value, chosen)})"))
    say(words["why"].format(reason=reason_text(result.reason, chosen)))
    if result.becomes is not None and result.becomes_on is not None:
        say(words["becomes"].format(status=label("tdb_status", result.becomes.value, chosen),
                                    day=format_day(result.becomes_on, chosen)))
    say(words["engine"].format(state=label("state", view.comparison.state.value, chosen),
                               explanation=reason_text(view.comparison.explanation, chosen)))


def print_tdb_board() -> None:
    """`contract-flow board`'s table of the cases per programme by the status the TDB computes today."""
    from rich.table import Table

    from contract_flow.domain.context import paris_date
    from contract_flow.domain.tdb_status import TdbStatus
    from contract_flow.services.tdb_status import tdb_status_counts

    chosen = language()
    app = get_app()
    counts = tdb_status_counts(app, today=paris_date(app.clock.now()))
    words = WORDS[chosen]
    table = Table(words["programme"], *(label("tdb_status", status.value, chosen) for status in TdbStatus),
                  title=words["board"])
    for code, per in counts.items():
        table.add_row(code, *(str(per[status]) for status in TdbStatus))
    console.print(table)


@tdb_app.command("statuses")
def tdb_statuses(json_output: JsonOption = False) -> None:
    """Per programme, the cases by the status the TDB computes today (the last table of `contract-flow board`)."""
    if json_output:
        from contract_flow.domain.context import paris_date
        from contract_flow.services.tdb_status import tdb_status_counts

        app = get_app()
        counts = tdb_status_counts(app, today=paris_date(app.clock.now()))
        print_json({code: {status.value: count for status, count in per.items()} for code, per in counts.items()})
        return
    print_tdb_board()
