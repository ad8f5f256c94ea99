"""A case in a terminal (Rich)."""

from __future__ import annotations

from rich.table import Table

from contract_flow.cli.invoices import print_contract_money
from contract_flow.cli.output import console
from contract_flow.domain.states import CaseState, step_number
from contract_flow.services.cases import CaseView
from contract_flow.services.views import case_facts


def print_case(view: CaseView) -> None:
    case = view.case
    step = step_number(case.state)
    start = case.contract.start_date
    if step:
        where = f"step {step} of 6"
    elif case.state is CaseState.SIGNED and start is not None:
        where = f"starts on {start.isoformat()}"  # «signé, démarre le …»: the engine starts it that day
    else:
        where = "search over"
    console.print(f"[b]case {case.id}[/b] {case.candidate.full_name} <{case.candidate.email}>, "
                  f"programme {case.programme.code}: [b]{case.state}[/b] ({where}), version {case.version}")
    facts = Table("fact", "value", title="Facts", show_header=False)
    for group, value in case_facts(case).items():
        if value not in (None, [], {}):
            facts.add_row(group, str(value))
    console.print(facts)
    print_contract_money(case)
    moves = Table("trigger", "now", title="Moves")
    for trigger, reasons in view.blocked.items():
        moves.add_row(trigger.value, "[green]allowed[/green]" if not reasons else "blocked: " + "; ".join(reasons))
    console.print(moves)
    history = Table("#", "at", "move", "by", "reason", "facts", title="History")
    for event in view.history:
        move = event.trigger if event.from_state == event.to_state else \
            f"{event.from_state} → {event.to_state} ({event.trigger})"
        history.add_row(str(event.seq), event.at.isoformat(timespec="seconds"), move, event.actor,
                        event.reason or "", ", ".join(f"{k}={v}" for k, v in event.facts.items()))
    console.print(history)
