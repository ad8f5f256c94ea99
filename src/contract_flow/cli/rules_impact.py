"""`contract-flow rules impact [--apply]`: the signed contracts a changed rule set changes.

Registered on the `rules` command group (cli/rules.py); kept apart because it reads the database, where the other
`rules` commands only ask the rule set a question.
"""

from __future__ import annotations

from typing import Annotated, Any

import typer
from rich.table import Table

from contract_flow.cli.output import console, print_json
from contract_flow.cli.rules import app
from contract_flow.cli.runtime import get_app

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


@app.command("impact")
def impact_command(
    apply: Annotated[bool, typer.Option("--apply", help="Re-compute the impacted contracts (one unit of work "
                                                        "each, with a history entry) and re-plan their reminders.")]
    = False,
    as_email: Annotated[str, typer.Option("--as", help="Who applies the change (recorded in each history).")]
    = "system",
    json_output: Annotated[bool, typer.Option("--json", help="Print JSON instead of a table.")] = False,
) -> None:
    """The running contracts whose kept values (pay schedule, trial end, deadlines) differ from what the rule
    set gives now: case, what changes, from when, old and new. Exit 1 when --apply could not update a case."""
    from contract_flow.services.legal_impact import apply_impact, find_impact

    found = apply_impact(get_app(), actor_email=as_email) if apply else find_impact(get_app())
    if json_output:
        print_json({"applied": apply, "cases": [_as_json(impact) for impact in found]})
    elif not found:
        console.print("No running contract is changed by the rule set: every kept value is current.")
    else:
        verb = "updated" if apply else "would change"
        table = Table("case", "apprentice", "state", "value", "from", "old", "new",
                      title=f"{len(found)} contract(s) {verb} by the rule set")
        for impact in found:
            if impact.error:
                table.add_row(str(impact.case_id), impact.candidate, impact.state, "not updated", "", "",
                              impact.error)
            for change in impact.changes:
                table.add_row(str(impact.case_id), impact.candidate, impact.state, change.value,
                              change.since.isoformat() if change.since else "", change.old or "", change.new or "")
        console.print(table)
        if not apply:
            console.print("Run `contract-flow rules impact --apply` to re-compute them.")
    if any(impact.error for impact in found):
        raise typer.Exit(REFUSED)
