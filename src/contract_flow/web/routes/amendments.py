"""Amendments (avenants) on the pages (issue 14, item 7): the case page's panel (case/_amendments.html, included by
case/case.html): the contract's amendments, each with its type, effective date, reason, changes and a link to the
dossier version it produced, and for CFA staff the form to record one. The form posts here and calls the same use
case as the API and the CLI.

The panel reads its data through a template global (`amendments_panel`), so the case page includes it with one
line; after a refusal, the case page is shown again with what the person typed and the error next to its field.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import RedirectResponse

from contract_flow.adapters.amendments import StoredAmendment
from contract_flow.domain.access import STAFF, Action
from contract_flow.domain.case import Case
from contract_flow.domain.context import paris_date
from contract_flow.domain.dossier import SECTION_LABELS, Section
from contract_flow.domain.dossier.amendment import MAX_REASON_CHARS, amendable_fields
from contract_flow.domain.dossier.codes import AMENDMENTS, CONTRACT_TYPES
from contract_flow.domain.errors import ConflictError, InvalidInput
from contract_flow.domain.reasons import Reason
from contract_flow.domain.states import CONTRACT_STATES
from contract_flow.http.deps import Services, version_number
from contract_flow.services.access import Principal, permit
from contract_flow.services.amendments import amend_contract, list_amendments, value_text
from contract_flow.services.views import field_name_label
from contract_flow.web.auth import Csrf, User
from contract_flow.web.forms import MAX_FIELD_CHARS, FormState
from contract_flow.web.render import environment, flash, language_of, translator
from contract_flow.web.routes.case import case_page

router = APIRouter(include_in_schema=False)

#: How many field/value rows the form offers (a change of mentor is a name, a first name and an email).
ROWS = 4
_FORM = "amendment_form"


@dataclass(frozen=True)
class ShownChange:
    field: str
    label: str
    old: str
    new: str


@dataclass(frozen=True)
class ShownAmendment:
    amendment: StoredAmendment
    type_label: str
    changes: list[ShownChange]


@dataclass(frozen=True)
class AmendmentsPanel:
    """What the case page's panel shows: the amendments, and the form when the contract may be amended now."""

    amendments: list[ShownAmendment]
    amendable: bool
    form: FormState
    types: list[tuple[str, str]]
    #: The fields an amendment changes, by section: (section label, [(field, label)]).
    fields: list[tuple[str, list[tuple[str, str]]]]
    rows: list[int] = field(default_factory=lambda: list(range(1, ROWS + 1)))


def amendments_panel(request: Request, user: Principal, case: Case) -> AmendmentsPanel | None:
    """The panel for `user` on `case`'s page: None but for CFA staff, and for a case whose contract was never
    signed."""
    if user.role not in STAFF or not (case.contract.signed or case.state in CONTRACT_STATES):
        return None
    app = request.app.state.services
    assert case.id is not None
    language = language_of(request, user)
    shown = [ShownAmendment(amendment, f"{amendment.type_code} — {CONTRACT_TYPES.label(amendment.type_code, language)}",
                            [ShownChange(change.field, field_name_label(change.field, language),
                                         value_text(change.field, change.old, language),
                                         value_text(change.field, change.new, language))
                             for change in amendment.changes])
             for amendment in list_amendments(app, case.id, actor_email=user.actor)]
    form = getattr(request.state, _FORM, None) or FormState(
        {"effective_on": paris_date(app.clock.now()).isoformat()})
    types = [(code, f"{code} — {CONTRACT_TYPES.label(code, language)}") for code in sorted(AMENDMENTS)]
    return AmendmentsPanel(shown, case.state in CONTRACT_STATES and case.contract.signed, form, types,
                           _fields(language, len(case.contract.pay_schedule or []) or 1))


def _fields(language: str, pay_lines: int) -> list[tuple[str, list[tuple[str, str]]]]:
    grouped: dict[str, list[tuple[str, str]]] = {}
    for name in amendable_fields(pay_lines):
        section = Section(name.partition(".")[0])
        grouped.setdefault(SECTION_LABELS[section].in_language(language), []).append(
            (name, field_name_label(name, language)))
    return list(grouped.items())


environment.globals["amendments_panel"] = amendments_panel


def _changes(form: FormState) -> dict[str, str]:
    """The rows whose field is chosen: field -> value ("" empties it); a field chosen twice is refused."""
    found: dict[str, str] = {}
    for row in range(1, ROWS + 1):
        name, value = form.get(f"field_{row}").strip(), form.get(f"value_{row}")
        if len(value) > MAX_FIELD_CHARS or "\x00" in value:
            raise InvalidInput(f"value_{row}", Reason("too_long_or_not_text", most=MAX_FIELD_CHARS))
        if not name:
            if value.strip():
                raise InvalidInput(f"field_{row}", Reason("choose_field"))
            continue
        if name in found:
            raise InvalidInput(f"field_{row}", Reason("chosen_twice", name=name))
        found[name] = value
    if not found:
        raise InvalidInput("field_1", Reason("amendment_choose_field"))
    return found


def _where(error: InvalidInput, form: FormState) -> str:
    """The form's field next to which a refusal is shown: the value of the row whose dossier field it names, the
    type, date, reason or row it names, else the form as a whole."""
    if error.field in ("type_code", "effective_on", "reason") or error.field.startswith(("field_", "value_")):
        return error.field
    for row in range(1, ROWS + 1):
        if form.get(f"field_{row}").strip() == error.field:
            return f"value_{row}"
    return "form"


@router.post("/cases/{case_id}/amendments", dependencies=[Csrf])
async def record_amendment(request: Request, case_id: int, app: Services, user: User) -> Response:
    form = await FormState.of(request)
    return await run_in_threadpool(_record, request, app, user, case_id, form)


def _record(request: Request, app: Any, user: Principal, case_id: int, form: FormState) -> Response:
    permit(app, user, Action.AMEND_CONTRACT, case_id=case_id)
    t = translator(request, user)
    try:
        text = form.get("version").strip()
        version = version_number("version", text) if text else None
        changes = _changes(form)
        if len(form.get("reason")) > MAX_REASON_CHARS:
            raise InvalidInput("reason", Reason("too_long", most=MAX_REASON_CHARS))
        amendment = amend_contract(app, case_id, type_code=form.get("type_code"),
                                   effective_on=form.get("effective_on"), reason=form.get("reason"),
                                   changes=changes, actor_email=user.actor, expected_version=version)
    except InvalidInput as error:
        form.errors[_where(error, form)] = error.said  # the field and the rule, worded in the reader's language
        return _again(request, app, user, case_id, form, 422)
    except ConflictError as error:
        form.errors["form"] = f"{t('case.conflict')} {error}"
        return _again(request, app, user, case_id, form, 409)
    flash(request, t("amendments.recorded", number=amendment.number, version=amendment.dossier_version))
    return RedirectResponse(f"/cases/{case_id}#amendments", status_code=303)


def _again(request: Request, app: Any, user: Principal, case_id: int, form: FormState, status: int) -> Response:
    setattr(request.state, _FORM, form)
    return case_page(request, app, user, case_id, status=status)
