"""A case as programs read it (the CLI's --json, the HTTP API) and as people read it in a terminal (Rich)."""

from __future__ import annotations

from dataclasses import asdict
from typing import TYPE_CHECKING, Any

from contract_flow.domain.case import Case
from contract_flow.domain.states import step_number

if TYPE_CHECKING:
    from contract_flow.services.cases import CaseView  # the shape of `show`'s answer, not the use case


def case_facts(case: Case) -> dict[str, Any]:
    offer = case.current_offer
    return {
        "candidate": asdict(case.candidate),
        "track": case.track,
        "programme": case.programme.code,
        "project": asdict(case.project),
        "derogation": case.derogation,
        "previous_contract_end": case.previous_contract_end,
        "previous_contract": {"pay": case.previous_contract_pay, "year": case.previous_contract_year,
                              "same_employer": case.previous_contract_same_employer},
        "programme_year": case.programme_year,
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
        "facts": case_facts(case),
        "allowed": view.allowed,
        "blocked": {trigger.value: reasons for trigger, reasons in view.blocked.items() if reasons},
        "history": [asdict(event) for event in view.history],
    }
