"""The case page every role opens: facts, the state chart, the history; for CFA staff also the moves allowed now
(blocked ones with why), the facts form and the reminder ledger. Moves go through `advance` like the API's."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from contract_flow.adapters.ledger import CANCELLED, EXPIRED
from contract_flow.domain.access import STAFF, Action
from contract_flow.domain.case import RECORD_ABSENCE, RECORD_FACTS
from contract_flow.domain.errors import ConflictError, InvalidInput, TransitionRefused, TriggerNotAllowed
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.states import (
    CONTRACT_STATES,
    ENDED_CONTRACT_STATES,
    FINAL_STATES,
    SEARCH_STEPS,
    SPEC_BY_TRIGGER,
    TRANSITIONS,
    CaseState,
    Trigger,
)
from contract_flow.http.deps import Services, version_number
from contract_flow.services import cases as case_services
from contract_flow.services.access import Principal, permit
from contract_flow.services.reminders import ledger
from contract_flow.services.views import case_facts, money_of
from contract_flow.web.auth import Csrf, User
from contract_flow.web.forms import FormState, local_path
from contract_flow.web.i18n import Translator
from contract_flow.web.render import flash, page, take_flash, translator
from contract_flow.web.routes.dossier_files import dossier_files_panel
from contract_flow.web.routes.lead import lead_page
from contract_flow.web.routes.reviews import reviews_panel

router = APIRouter(include_in_schema=False)

#: Moves into a final state cannot be undone from the page: they ask for a confirmation first.
IRREVERSIBLE = frozenset(spec.trigger for spec in TRANSITIONS if spec.dest in FINAL_STATES)
#: Sending a job project back, or a candidate leaving the programme, is a decision people will ask about.
REASON_REQUIRED = frozenset({Trigger.REFUSE, Trigger.WITHDRAW})
MAX_REASON_CHARS = 2000
#: The facts a move records as it fires, chosen in its own form (who ended the contract, on what ground).
MOVE_FACTS: dict[Trigger, tuple[str, ...]] = {
    Trigger.CANCEL_BEFORE_START: ("contract.ended_by", "contract.cancellation_reason"),
    Trigger.BREAK_TRIAL: ("contract.ended_by",),
    Trigger.TERMINATE: ("contract.termination_reason",),
}
#: The chart as the page draws it: the six steps, the contract, the ways out.
CHART = (("search", SEARCH_STEPS), ("contract", (*CONTRACT_STATES, CaseState.COMPLETED)),
         ("exits", (CaseState.WITHDRAWN, *ENDED_CONTRACT_STATES, CaseState.NO_CONTRACT)))
_HIDDEN = frozenset({"id", "dirty", "pay_schedule", "legal_sources"})  # sources: the dates' own rows
#: Ledger rows that will never be sent: behind a toggle, so the rows that matter are not lost among 50 cancelled.
SET_ASIDE = frozenset({CANCELLED, EXPIRED})


@dataclass(frozen=True)
class Move:
    trigger: Trigger
    dest: CaseState
    reasons: list[str]
    irreversible: bool
    needs_reason: bool
    #: The rules blocking it (named, for the reader's language) with their reasons (facts and sources named).
    rules: list[tuple[str, list[str]]]


def _text(t: Translator, value: Any, key: str) -> str | None:
    if value is None or value in ("", []):
        return None
    if isinstance(value, bool):
        return t("case.yes") if value else t("case.no")
    if isinstance(value, date):
        return t.date(value)
    if isinstance(value, Decimal):
        return t.money(value) if "pay" in key else f"{value.normalize():f}"
    return str(value)


def _rows(t: Translator, section: str, values: dict[str, Any]) -> list[tuple[str, str]]:
    rows = []
    for key, value in values.items():
        shown = None if key in _HIDDEN else _text(t, value, key)
        if shown is not None:
            label_key = f"case.fact.{section}.{key}"
            rows.append((t(label_key) if t.has(label_key) else key, shown))
    return rows


def fact_sections(t: Translator, facts: dict[str, Any]) -> list[tuple[str, int, list[tuple[str, str]]]]:
    """The case's facts as labelled rows, a section each (title key, number, rows; empty values left out)."""
    person = {**facts["candidate"], **{key: facts[key] for key in (
        "programme", "track", "derogation", "previous_contract_end", "advisor", "tutor")}}
    sections = [("candidate", 0, _rows(t, "candidate", person)),
                ("project", 0, _rows(t, "project", facts["project"]))]
    for number, application in enumerate(facts["applications"], start=1):
        sections.append(("application", number, _rows(t, "application", application)))
    if facts["offer"]:
        sections.append(("offer", 0, _rows(t, "offer", facts["offer"])))
    sections.append(("contract", 0, _rows(t, "contract", facts["contract"])))
    return [section for section in sections if section[2]]


def case_page(request: Request, app: Any, user: Principal, case_id: int, *, status: int = 200,
              problems: dict[str, list[str]] | None = None, typed: dict[str, str] | None = None) -> HTMLResponse:
    """The page of one case as `user` may see it; `problems` by trigger (a refused move, a missing reason)."""
    permit(app, user, Action.READ, case_id=case_id)
    view = case_services.show(app, case_id, actor_email=user.actor)
    staff = user.role in STAFF
    t = translator(request, user)
    rules = view.blocked_by_rule
    moves = [Move(trigger, SPEC_BY_TRIGGER[trigger].dest, reasons, trigger in IRREVERSIBLE,
                  trigger in REASON_REQUIRED, rules[trigger]) for trigger, reasons in view.blocked.items()]
    candidate = view.case.candidate
    rows = ledger(app, case_id) if staff else []
    return page(
        request, "case/case.html", user, status=status, title_key="case.title",
        title_values={"name": f"{candidate.first_name} {candidate.last_name}"},
        case=view.case, staff=staff, chart=CHART, sections=fact_sections(t, case_facts(view.case)),
        allowed=[move for move in moves if not move.reasons], blocked=[move for move in moves if move.reasons],
        history=view.history, records=(RECORD_FACTS, RECORD_ABSENCE),
        reminders=[row for row in rows if row.status not in SET_ASIDE],
        set_aside=[row for row in rows if row.status in SET_ASIDE], problems=problems or {}, typed=typed or {},
        move_facts=MOVE_FACTS, move_form=getattr(request.state, "move_form", None), flash=take_flash(request)[0],
        dossier_files=dossier_files_panel(app, user, case_id),
        reviews_panel=reviews_panel(app, user, case_id),
        money=money_of(view),
        step=SEARCH_STEPS.index(view.case.state) + 1 if view.case.state in SEARCH_STEPS else None)


@router.get("/cases/{case_id}")
def show_case(request: Request, case_id: int, app: Services, user: User) -> Response:
    return case_page(request, app, user, case_id)


def _version(form: FormState) -> int | None:
    text = form.get("version").strip()
    return version_number("version", text) if text else None


def _reason(form: FormState) -> str | None:
    text = form.get("reason").strip()
    if len(text) > MAX_REASON_CHARS:
        raise InvalidInput("reason", Reason("too_long", most=MAX_REASON_CHARS))
    return text or None


@router.post("/cases/{case_id}/move", dependencies=[Csrf])
async def move(request: Request, case_id: int, app: Services, user: User) -> Response:
    form = await FormState.of(request)
    return await run_in_threadpool(_move, request, app, user, case_id, form)


def _move(request: Request, app: Any, user: Principal, case_id: int, form: FormState) -> Response:
    permit(app, user, Action.MOVE, case_id=case_id)
    t = translator(request, user)
    back = local_path(form.get("return_to"))
    try:
        trigger = Trigger(form.get("trigger"))
    except ValueError:
        raise InvalidInput("trigger", Reason("unknown_trigger_plain", typed=Typed(str(form.get("trigger"))))) from None
    version = _version(form)
    reason = _reason(form)
    spec = SPEC_BY_TRIGGER[trigger]
    facts = {key: form.get(key).strip() for key in MOVE_FACTS.get(trigger, ()) if form.get(key).strip()}
    application = form.get("application").strip() if trigger is Trigger.SHORTLIST else ""
    if application and not (application.isascii() and application.isdigit() and len(application) < 10):
        raise InvalidInput("application", Reason("not_an_application_number", typed=Typed(application)))
    confirmed = form.get("confirm") == "yes"

    def refuse(status: int, messages: list[str]) -> Response:
        request.state.move_form = FormState(dict(form.values))
        if back == "/lead":
            return lead_page(request, app, user, status=status, problems={case_id: messages},
                             typed={case_id: form.get("reason")})
        return case_page(request, app, user, case_id, status=status, problems={trigger.value: messages},
                         typed={trigger.value: form.get("reason")})

    if trigger in IRREVERSIBLE and not confirmed:
        return confirm_page(request, app, user, case_id, trigger, form)
    if trigger in REASON_REQUIRED and reason is None:
        if trigger in IRREVERSIBLE:
            return confirm_page(request, app, user, case_id, trigger, form, status=422,
                                error=t("case.reason_required"))
        return refuse(422, [t("case.reason_required")])
    try:
        case_services.advance(app, case_id, trigger, actor_email=user.actor, reason=reason,
                              expected_version=version, facts=facts or None,
                              application_id=int(application) if application else None)
    except (InvalidInput, TransitionRefused) as exc:  # a move's own field, or a guard
        return refuse(422, list(exc.reasons) if isinstance(exc, TransitionRefused) else [exc.rule])
    except (ConflictError, TriggerNotAllowed) as exc:
        return refuse(409, [t("case.conflict"), exc.said])
    flash(request, t("case.moved", state=t(f"state.{spec.dest.value}")))
    return RedirectResponse(back or f"/cases/{case_id}", status_code=303)


def confirm_page(request: Request, app: Any, user: Principal, case_id: int, trigger: Trigger, form: FormState,
                 *, status: int = 200, error: str | None = None) -> HTMLResponse:
    """What an irreversible move will do, with "Confirm" and "Cancel": nothing moves before the second POST."""
    view = case_services.show(app, case_id, actor_email=user.actor)
    shown = FormState(dict(form.values), {"reason": error} if error else {})
    candidate = view.case.candidate
    return page(request, "case/confirm.html", user, status=status, title_key="case.confirm.title",
                title_values={"move": translator(request, user)(f"case.trigger.{trigger.value}")},
                case=view.case, name=f"{candidate.first_name} {candidate.last_name}", trigger=trigger,
                dest=SPEC_BY_TRIGGER[trigger].dest, needs_reason=trigger in REASON_REQUIRED, form=shown,
                return_to=local_path(form.get("return_to")) or "",
                move_facts=[key for key in MOVE_FACTS.get(trigger, ()) if form.get(key).strip()],
                # With the move's own facts given, what blocks it now may be what they record: the POST will say.
                blocked_now=None if any(form.get(key).strip() for key in MOVE_FACTS.get(trigger, ()))
                else view.blocked.get(trigger))
