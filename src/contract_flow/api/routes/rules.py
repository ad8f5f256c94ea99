"""The legal rules over HTTP: a programme's school calendar, the rule set checked against its reference, and the
running contracts a changed rule set changes (applying it stays an operator's command: `rules impact --apply`)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter

from contract_flow.api.schemas import CalendarIn, CalendarReplacedOut, CaseImpactOut
from contract_flow.domain.access import STAFF
from contract_flow.domain.case import Role
from contract_flow.domain.errors import InvalidInput, NotFound
from contract_flow.domain.rules import RuleSetError, parse_calendar
from contract_flow.http.deps import CurrentPrincipal, Services
from contract_flow.jsonable import jsonable
from contract_flow.reference import check_once
from contract_flow.services.access import case_scope, require_role
from contract_flow.services.common import programme_code
from contract_flow.services.directory import list_programmes, set_calendar
from contract_flow.services.legal_impact import find_impact

router = APIRouter(prefix="/api/v1")


@router.put("/programmes/{code}/calendar", response_model=CalendarReplacedOut, tags=["programmes"],
            summary="Give a programme of your CFA its school calendar, or replace it (programme leads): the trial "
                    "ends of its cases in trial are counted again (L6222-18), each move in the case's history")
def put_calendar(code: str, body: CalendarIn, app: Services, principal: CurrentPrincipal) -> Any:
    require_role(principal, {Role.PROGRAMME_LEAD}, "setting a programme's calendar")
    wanted = programme_code(code)
    if not any(p.code == wanted and p.cfa_code == principal.cfa_code for p in list_programmes(app)):
        raise NotFound("programme", wanted)  # another CFA's programme is no more visible than a missing one
    periods = [{"from": period.from_.isoformat(), "to": period.to.isoformat(),
                **({"note": period.note} if period.note else {})} for period in body.school]
    try:
        calendar = parse_calendar({"school": periods})
    except RuleSetError as error:
        raise InvalidInput("school", error.said) from None
    return jsonable(set_calendar(app, wanted, calendar, actor_email=principal.actor))


@router.get("/rules/check", tags=["rules"],
            summary="The rule set's SMIC against the community reference (OpenFisca-France), for CFA staff")
def rules_check(app: Services, principal: CurrentPrincipal) -> Any:
    require_role(principal, STAFF, "the rule set's check")
    return jsonable(check_once(app.settings.rules_file).as_data())


@router.get("/rules/impact", response_model=list[CaseImpactOut], tags=["rules"],
            summary="The running contracts of your CFA whose kept values (pay schedule, trial end, deadlines) "
                    "differ from what the rule set gives now (`contract-flow rules impact --apply` re-computes them)")
def rules_impact(app: Services, principal: CurrentPrincipal) -> Any:
    require_role(principal, STAFF, "the rule set's impact")
    return [{"case": impact.case_id, "candidate": impact.candidate, "state": impact.state.value,
             "changes": [{"value": change.value, "from_": change.since, "old": change.old, "new": change.new}
                         for change in impact.changes]}
            for impact in find_impact(app, case_scope(principal))]
