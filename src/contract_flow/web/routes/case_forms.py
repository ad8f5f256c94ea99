"""Forms for everything an advisor records (issue 15, item 1): the "new case" page (/cases/new, the use case of
`contract-flow case open`), and on the case page the candidate and their follow-up, the professional project, the
applications as a list (add, edit, withdraw), the offer and the contract's follow-up dates: real inputs (dates,
amounts as French people write them, selects for people and codes), each error next to its field with what was
typed, a stale version explained with what changed since. Each form records only the fields changed, through the
same use cases as the CLI and the API (`set_facts`, services/applications.py); the contract's terms are the dossier's
page's. The case page's partial `case/_forms.html` reads its data through the template global `case_forms`."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import HTMLResponse, RedirectResponse

from contract_flow.domain import facts as fact_specs
from contract_flow.domain.access import STAFF, Action
from contract_flow.domain.applications import STILL_OPEN
from contract_flow.domain.case import ApplicationStatus, BreakParty, Case, Role, TerminationReason, Track
from contract_flow.domain.context import paris_date
from contract_flow.domain.errors import ConflictError, InvalidInput, NotFound
from contract_flow.domain.events import OpenCase
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.domain.states import CaseState
from contract_flow.domain.values import parse_text, parse_written_date
from contract_flow.http.deps import Services, version_number
from contract_flow.services import cases as case_services
from contract_flow.services.access import Principal, permit, require_role
from contract_flow.services.applications import edit_application, withdraw_application
from contract_flow.services.choices import PersonChoice, people_of
from contract_flow.services.common import programme_code
from contract_flow.services.directory import list_programmes
from contract_flow.web.auth import Csrf, User
from contract_flow.web.forms import FormState
from contract_flow.web.i18n import Translator
from contract_flow.web.render import environment, flash, page, translator
from contract_flow.web.routes.case import case_page

router = APIRouter(include_in_schema=False)

#: Each form's fields in order: (fact key, kind). The kind says the input: text, email, date, amount, hours, and
#: the selects (advisor, tutor, derogation, year, yesno).
FORMS: dict[str, tuple[tuple[str, str], ...]] = {
    "candidate": (("candidate.first_name", "text"), ("candidate.last_name", "text"), ("candidate.email", "email"),
                  ("candidate.birth_date", "date"), ("advisor", "advisor"), ("tutor", "tutor"),
                  ("derogation", "derogation"), ("programme_year", "year"), ("completed_lower_secondary", "yesno"),
                  ("legal_representative", "email"), ("previous_contract_end", "date"),
                  ("previous_contract.pay", "amount"), ("previous_contract.year", "year"),
                  ("previous_contract.same_employer", "yesno")),
    "project": (("project.target_job", "text"), ("project.mobility_area", "text")),
    "offer": (("offer.company", "text"), ("offer.siret", "siret"), ("offer.gross_monthly_pay", "amount"),
              ("offer.start_date", "date"), ("offer.weekly_hours", "hours")),
    "followup": (("contract.medical_visit_on", "date"), ("contract.mediator_referral_on", "date"),
                 ("contract.employer_informed_on", "date"), ("contract.notice_given_on", "date")),
}
#: Where the offer is recorded and changed: from the company's selection to the project's validation.
OFFER_STATES = frozenset({CaseState.CONVINCE, CaseState.POSITION, CaseState.DECIDE})
FOLLOWUP_STATES = frozenset({CaseState.SIGNED, CaseState.TRIAL, CaseState.ACTIVE})
APPLICATION_STATES = frozenset({CaseState.REFLECT, CaseState.APPLY, CaseState.CONVINCE, CaseState.POSITION})
_STATE = "case_forms"
#: Facts kept on the case under another name: (fact key, attribute of the case).
_CASE_ATTRIBUTES = {"previous_contract.pay": "previous_contract_pay",
                    "previous_contract.year": "previous_contract_year",
                    "previous_contract.same_employer": "previous_contract_same_employer",
                    "advisor": "advisor_email", "tutor": "tutor_email",
                    "legal_representative": "legal_representative_email"}


def current_value(case: Case, key: str) -> Any:
    """What the case holds for a fact key (None: nothing yet)."""
    if key in _CASE_ATTRIBUTES:
        return getattr(case, _CASE_ATTRIBUTES[key])
    group, _, name = key.partition(".")
    holders: dict[str, Callable[[], object]] = {
        "candidate": lambda: case.candidate, "project": lambda: case.project,
        "offer": lambda: case.current_offer, "contract": lambda: case.contract}
    if group in holders and name:
        holder = holders[group]()
        return getattr(holder, name) if holder is not None else None
    return getattr(case, key)


def shown(t: Translator, value: Any, kind: str) -> str:
    """A value as the form shows it: dates ISO (a date input's value), amounts as French people write them."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        if kind != "amount":
            return f"{value.normalize():f}"
        # "1 400,50" in French (a no-break space between groups), "1400.50" in English: both read back the same.
        return f"{value:,.2f}".replace(",", "\u202f").replace(".", ",") if t.language == "fr" else f"{value:.2f}"
    return str(value)


def changed_facts(case: Case, form: FormState, fields: tuple[tuple[str, str], ...]) -> dict[str, str]:
    """The fields posted whose value differs from the case's, as typed: an empty field the case has no value for is
    left out, a value that does not parse is kept (the use case refuses it naming its field)."""
    changed: dict[str, str] = {}
    for key, _kind in fields:
        if key not in form.values:
            continue  # not posted: left as it is
        text = form.get(key).strip()
        current = current_value(case, key)
        if not text and current is None:
            continue
        try:
            if fact_specs.SPECS[key].parse(key, text) == current:
                continue
        except InvalidInput:
            pass
        changed[key] = text
    return changed


@dataclass(frozen=True)
class Choices:
    advisors: list[PersonChoice]
    tutors: list[PersonChoice]
    derogations: tuple[str, ...] = fact_specs.DEROGATIONS
    parties: tuple[str, ...] = tuple(BreakParty)
    terminations: tuple[str, ...] = tuple(TerminationReason)
    tracks: tuple[str, ...] = tuple(Track)
    years: tuple[int, ...] = (1, 2, 3, 4)


def _choices(app: Any, cfa_code: str | None) -> Choices:
    return Choices(people_of(app, cfa_code, (Role.ADVISOR, Role.PROGRAMME_LEAD)),
                   people_of(app, cfa_code, (Role.TUTOR,)))


def case_forms(request: Request, user: Principal, case: Case) -> dict[str, Any]:
    """The partial's data: each form as typed after a refusal (request.state) or filled from the case."""
    app = request.app.state.services
    t = translator(request, user)
    kept: dict[str, FormState] = getattr(request.state, _STATE, {})
    forms: dict[str, FormState] = {}
    for name, fields in FORMS.items():
        forms[name] = kept.get(name) or FormState({key: shown(t, current_value(case, key), kind)
                                                   for key, kind in fields})
    today = paris_date(app.clock.now())
    forms["add_application"] = kept.get("add_application") or FormState({"applied_on": today.isoformat()})
    applications = list(enumerate(case.applications, start=1))
    for _number, application in applications:
        key = f"application-{application.id}"
        forms[key] = kept.get(key) or FormState({"company": application.company, "siret": application.siret or "",
                                                 "applied_on": application.applied_on.isoformat()})
    return {"forms": forms, "fields": FORMS, "applications": applications,
            "open_statuses": STILL_OPEN, "sent": ApplicationStatus.SENT,
            "choices": _choices(app, case.programme.cfa_code),
            "offer_open": case.state in OFFER_STATES, "followup_open": case.state in FOLLOWUP_STATES,
            "applications_open": case.state in APPLICATION_STATES,
            "changes": getattr(request.state, "case_changes", []),
            "kept": set(kept),
            "applications_kept": any(name.startswith(("application-", "add_application")) for name in kept),
            "today": today, "years": case.programme.years,
            "move_form": getattr(request.state, "move_form", None)}


environment.globals["case_forms"] = case_forms


def _version(form: FormState) -> int | None:
    text = form.get("version").strip()
    return version_number("version", text) if text else None


def _reason(form: FormState) -> str | None:
    text = form.get("reason").strip()
    return parse_text("reason", text, 2000) if text else None


def _refused(request: Request, app: Any, user: Principal, case_id: int, which: str, form: FormState,
             error: InvalidInput | ConflictError) -> Response:
    """The case page again with this form as typed and opened, the error next to its field; a stale version says
    what changed since the page was read (the history entries after the ones it showed)."""
    t = translator(request, user)
    if isinstance(error, ConflictError):
        form.errors["form"] = t("caseforms.conflict", seen=error.expected_version,
                                now=error.actual_version or "?")
        seen = form.get("seen").strip()
        history = case_services.show(app, case_id, actor_email=user.actor).history
        start = int(seen) if seen.isascii() and seen.isdigit() and int(seen) <= len(history) else max(
            len(history) - 3, 0)
        request.state.case_changes = history[start:]
    else:
        form.errors[error.field or "form"] = error.rule
    request.state.case_forms = {which: form}
    return case_page(request, app, user, case_id, status=409 if isinstance(error, ConflictError) else 422)


@router.post("/cases/{case_id}/record/{which}", dependencies=[Csrf])
async def record(request: Request, case_id: int, which: str, app: Services, user: User) -> Response:
    form = await FormState.of(request)
    return await run_in_threadpool(_record, request, app, user, case_id, which, form)


def _record(request: Request, app: Any, user: Principal, case_id: int, which: str, form: FormState) -> Response:
    permit(app, user, Action.RECORD_FACTS, case_id=case_id)
    fields = FORMS.get(which)
    if fields is None:
        raise NotFound("form", which)
    t = translator(request, user)
    try:
        version = _version(form)
        reason = _reason(form)
        case = case_services.show(app, case_id, actor_email=user.actor).case
        changed = changed_facts(case, form, fields)
        if not changed:
            raise InvalidInput("form", t("caseforms.unchanged"))
        case_services.set_facts(app, case_id, changed, actor_email=user.actor, expected_version=version,
                                reason=reason)
    except (InvalidInput, ConflictError) as error:
        return _refused(request, app, user, case_id, which, form, error)
    flash(request, t("caseforms.recorded", count=len(changed)))
    return RedirectResponse(f"/cases/{case_id}#form-{which}", status_code=303)


@router.post("/cases/{case_id}/applications", dependencies=[Csrf])
async def add_application(request: Request, case_id: int, app: Services, user: User) -> Response:
    form = await FormState.of(request)
    return await run_in_threadpool(_add_application, request, app, user, case_id, form)


def _add_application(request: Request, app: Any, user: Principal, case_id: int, form: FormState) -> Response:
    permit(app, user, Action.RECORD_FACTS, case_id=case_id)
    t = translator(request, user)
    facts = {f"application.{key}": form.get(name).strip() for key, name in
             (("company", "company"), ("siret", "siret"), ("date", "applied_on")) if form.get(name).strip()}
    try:
        if "application.company" not in facts:
            raise InvalidInput("company", t("caseforms.required"))
        _not_future(form.get("applied_on"), app)
        case_services.set_facts(app, case_id, facts, actor_email=user.actor, expected_version=_version(form))
    except (InvalidInput, ConflictError) as error:
        if isinstance(error, InvalidInput):
            error = InvalidInput(_APPLICATION_FIELDS.get(error.field, error.field), error.rule)
        return _refused(request, app, user, case_id, "add_application", form, error)
    flash(request, t("caseforms.application_added", company=facts["application.company"]))
    return RedirectResponse(f"/cases/{case_id}#form-applications", status_code=303)


#: The use cases' field names and the form's.
_APPLICATION_FIELDS = {"application.company": "company", "application.siret": "siret",
                       "application.date": "applied_on", "application.applied_on": "applied_on"}


def _not_future(text: str, app: Any) -> None:
    if text.strip():
        day = parse_written_date("applied_on", text)
        if day > paris_date(app.clock.now()):
            raise InvalidInput("applied_on", Reason("application_future", day=day))


@router.post("/cases/{case_id}/applications/{application_id}", dependencies=[Csrf])
async def change_application(request: Request, case_id: int, application_id: int, app: Services,
                             user: User) -> Response:
    form = await FormState.of(request)
    return await run_in_threadpool(_change_application, request, app, user, case_id, application_id, form)


def _change_application(request: Request, app: Any, user: Principal, case_id: int, application_id: int,
                        form: FormState) -> Response:
    permit(app, user, Action.RECORD_FACTS, case_id=case_id)
    t = translator(request, user)
    which = f"application-{application_id}"
    withdraw = form.get("action") == "withdraw"
    try:
        if withdraw:
            withdraw_application(app, case_id, application_id, actor_email=user.actor,
                                 expected_version=_version(form), reason=_reason(form))
        else:
            case = case_services.show(app, case_id, actor_email=user.actor).case
            before = next((a for a in case.applications if a.id == application_id), None)
            if before is None:
                raise NotFound("application", application_id)
            now = {"company": before.company, "siret": before.siret or "", "applied_on": before.applied_on.isoformat()}
            changes = {name: form.get(name).strip() for name in now if form.get(name).strip() != now[name]}
            if not changes:
                raise InvalidInput("form", t("caseforms.unchanged"))
            edit_application(app, case_id, application_id, changes, actor_email=user.actor,
                             expected_version=_version(form), reason=_reason(form))
    except (InvalidInput, ConflictError) as error:
        if isinstance(error, InvalidInput):
            error = InvalidInput(_APPLICATION_FIELDS.get(error.field, error.field), error.rule)
            if error.field == "application":
                error = InvalidInput("form", error.rule)
        return _refused(request, app, user, case_id, which, form, error)
    flash(request, t("caseforms.application_withdrawn" if withdraw else "caseforms.application_changed"))
    return RedirectResponse(f"/cases/{case_id}#form-applications", status_code=303)


# --- The new case page ---------------------------------------------------------------------------------------------

def new_case_page(request: Request, app: Any, user: Principal, form: FormState | None = None, *,
                  status: int = 200) -> HTMLResponse:
    programmes = [p for p in list_programmes(app) if p.cfa_code == user.cfa_code]
    advisors = people_of(app, user.cfa_code, (Role.ADVISOR, Role.PROGRAMME_LEAD))
    shown_form = form or FormState({"track": Track.STANDARD.value, "advisor": user.email
                                    if any(a.email == user.email for a in advisors) else "",
                                    "programme": programmes[0].code if len(programmes) == 1 else ""})
    return page(request, "case/new.html", user, status=status, title_key="caseforms.new.title",
                form=shown_form, programmes=programmes, advisors=advisors, tracks=tuple(Track))


@router.get("/cases/new")
def new_case(request: Request, app: Services, user: User) -> Response:
    require_role(user, STAFF, "opening a case")
    return new_case_page(request, app, user)


@router.post("/cases/new", dependencies=[Csrf])
async def open_new_case(request: Request, app: Services, user: User) -> Response:
    form = await FormState.of(request)
    return await run_in_threadpool(_open, request, app, user, form)


def _open(request: Request, app: Any, user: Principal, form: FormState) -> Response:
    require_role(user, STAFF, "opening a case")
    t = translator(request, user)
    missing = [name for name in ("first_name", "last_name", "birth_date", "email", "programme")
               if not form.get(name).strip()]
    if missing:  # each field left empty said next to it at once
        form.errors.update(dict.fromkeys(missing, t("caseforms.required")))
        return new_case_page(request, app, user, form, status=422)
    try:
        born = parse_written_date("birth_date", form.get("birth_date"))
        code = programme_code(form.get("programme"))
        if not any(p.code == code and p.cfa_code == user.cfa_code for p in list_programmes(app)):
            raise InvalidInput("programme", t("caseforms.new.unknown_programme"))
        track = form.get("track") or Track.STANDARD.value
        if track not in tuple(Track):
            raise InvalidInput("track", Reason("not_one_of", typed=Typed(track), choices=", ".join(Track)))
        case_id = case_services.open_case(app, OpenCase(
            programme_code=code, first_name=form.get("first_name"), last_name=form.get("last_name"),
            birth_date=born, email=form.get("email"), track=Track(track),
            advisor_email=form.get("advisor").strip() or None))
    except (InvalidInput, NotFound) as error:
        if isinstance(error, NotFound):
            error = InvalidInput("programme", t("caseforms.new.unknown_programme"))
        form.errors[error.field or "form"] = error.rule
        return new_case_page(request, app, user, form, status=422)
    flash(request, t("caseforms.new.opened", name=f"{form.get('first_name').strip()} {form.get('last_name').strip()}"))
    return RedirectResponse(f"/cases/{case_id}", status_code=303)

