"""`contract-flow rules impact [--apply]`: the signed contracts a changed rule set changes.

Registered on the `rules` command group (cli/rules.py); kept apart because it reads the database, where the other
`rules` commands only ask the rule set a question. The table is in French by default (`--lang en`), its words in
`contract_flow.rules_words`; JSON keeps the codes, ISO dates and amounts as the contract keeps them ("1234.56").
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from contract_flow.cli.output import console, print_json
from contract_flow.cli.rules import app
from contract_flow.cli.runtime import LangOption, get_app, language
from contract_flow.domain.legal import COMPUTED_DATES
from contract_flow.formatting import format_day, format_money
from contract_flow.labels import label
from contract_flow.rules_words import MISSING, VALUE_NAMES, WORDS

REFUSED = 1


def _as_json(impact: Any) -> dict[str, Any]:
    return {
        "case": impact.case_id,
        "candidate": impact.candidate,
        "state": impact.state,
        "changes": [{"value": change.value, "from": change.since, "old": change.old, "new": change.new}
                    for change in impact.changes],
        "history_seq": impact.applied_seq,
        "error": impact.error,
    }


def _kept(name: str, text: str | None, lang: str) -> str:
    """A kept value as a change gives it (an ISO day, an amount "1234.56", none) as people write it in `lang`."""
    if text is None:
        return MISSING
    return format_day(text, lang, "short") if name in COMPUTED_DATES else format_money(text, lang)


@app.command("impact")
def impact_command(
    apply: Annotated[bool, typer.Option("--apply", help="Re-compute the impacted contracts (one unit of work "
                                                        "each, with a history entry) and re-plan their reminders.")]
    = False,
    as_email: Annotated[str, typer.Option("--as", help="Who applies the change (recorded in each history).")]
    = "system",
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
    lang: LangOption = None,
) -> None:
    """The running contracts whose kept values (pay schedule, trial end, deadlines) differ from what the rule
    set gives now: case, what changes, from when, old and new. Exit 1 when --apply could not update a case."""
    from contract_flow.services.legal_impact import apply_impact, find_impact

    chosen = language(lang)
    found = apply_impact(get_app(), actor_email=as_email) if apply else find_impact(get_app())
    words, names = WORDS[chosen], VALUE_NAMES[chosen]
    if json_output:
        print_json({"applied": apply, "cases": [_as_json(impact) for impact in found]})
    elif not found:
        console.print(words["impact_none"])
    else:
        title = words["impact_updated" if apply else "impact_would_change"].format(count=len(found))
        table = Table(*(words[column] for column in ("case", "apprentice", "state", "value", "since", "old", "new")),
                      title=title)
        for impact in found:
            state = label("state", impact.state.value, chosen)
            if impact.error:  # the engine's own message (a case changed meanwhile), as it gives it
                table.add_row(str(impact.case_id), impact.candidate, state, words["not_updated"], "", "",
                              impact.error)
            for change in impact.changes:
                table.add_row(str(impact.case_id), impact.candidate, state, names.get(change.value, change.value),
                              format_day(change.since, chosen, "short") if change.since else MISSING,
                              _kept(change.value, change.old, chosen), _kept(change.value, change.new, chosen))
        console.print(table)
        if not apply:
            console.print(words["impact_apply"])
    if any(impact.error for impact in found):
        raise typer.Exit(REFUSED)
