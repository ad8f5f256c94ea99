"""A case as people read it (Rich) and as programs read it (JSON)."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rich.table import Table

from contract_flow.cli.output import console
from contract_flow.domain.case import Case
from contract_flow.domain.states import step_number
from contract_flow.services.cases import CaseView


def _facts(case: Case) -> dict[str, Any]:
    offer = case.current_offer
    return {
        "candidate": asdict(case.candidate),
        "track": case.track,
        "programme": case.programme.code,
        "project": asdict(case.project),
        "derogation": case.derogation,
        "previous_contract_end": case.previous_contract_end,
        "advisor": case.advisor_email,
        "tutor": case.tutor_email,
        "applications": [_public(asdict(a)) for a in case.applications],
        "offer": _public(asdict(offer)) if offer else None,
        "contract": _public(asdict(case.contract)),
    }


def _public(values: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in values.items() if k != "dirty"}


def case_as_dict(view: CaseView) -> dict[str, Any]:
    case = view.case
    return {
        "id": case.id,
        "state": case.state,
        "step": step_number(case.state),
        "version": case.version,
        "opened_at": case.opened_at,
        "state_since": case.state_since,
        "facts": _facts(case),
        "allowed": view.allowed,
        "blocked": {trigger.value: reasons for trigger, reasons in view.blocked.items() if reasons},
        "history": [asdict(event) for event in view.history],
    }


def print_case(view: CaseView) -> None:
    case = view.case
    step = step_number(case.state)
    where = f"step {step} of 6" if step else "search over"
    console.print(f"[b]case {case.id}[/b] {case.candidate.full_name} <{case.candidate.email}>, "
                  f"programme {case.programme.code}: [b]{case.state}[/b] ({where}), version {case.version}")
    facts = Table("fact", "value", title="Facts", show_header=False)
    for group, value in _facts(case).items():
        if value not in (None, [], {}):
            facts.add_row(group, str(value))
    console.print(facts)
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
