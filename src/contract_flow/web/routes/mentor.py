"""Pages: the company mentor's (maître d'apprentissage). Their apprentices with the trial end, the reviews
waiting for their acknowledgement; record an absence, which moves the trial end (L6222-18). Acknowledging a
review is any of its three parties' (POST /reviews/{id}/ack)."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from contract_flow.domain.access import Action
from contract_flow.domain.case import Role
from contract_flow.domain.context import paris_date
from contract_flow.domain.errors import ConflictError, InvalidInput, TransitionRefused
from contract_flow.http.deps import Services
from contract_flow.services import people
from contract_flow.services import reviews as review_services
from contract_flow.services.access import permit, require_role
from contract_flow.services.case_filters import filter_condition
from contract_flow.services.cases import record_absence
from contract_flow.web.auth import Csrf, User
from contract_flow.web.finding import Filters, people_finding
from contract_flow.web.forms import FormState, local_path, text
from contract_flow.web.render import flash, home_of, page, take_flash, translator
from contract_flow.web.routes.people import (
    back_to,
    form_date,
    form_version,
    paging,
)
from contract_flow.web.routes.reviews import people_reviews

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
#: The service's field names -> the form's.
ABSENCE_FIELDS = {"from": "first_day", "to": "last_day", "reason": "reason", "version": "form"}


@router.get("/mentor")
def mentor_home(request: Request, user: User, app: Services, chosen: Filters,
                page_number: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1) -> Response:
    require_role(user, {Role.MENTOR}, "the mentor's page")
    found = people.apprentices(app, user, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE,
                               narrowed_by=filter_condition(chosen, user, app.clock.now()) if chosen.narrowing
                               else None)
    ok, error = take_flash(request)
    reviews = people_reviews(app, user, found.items)
    return page(request, "mentor/home.html", user, title_key="mentor.title", apprentices=found, **reviews, flash=ok,
                flash_error=error, pages=paging(page_number, PAGE_SIZE, found.total),
                **people_finding(app, user, chosen, "/mentor", [one.case_id for one in found.items]))


def _absence_form(request: Request, user: User, app: Services, case_id: int, form: FormState,
                  status: int = 200) -> Response:
    case = people.case_with_contract(app, case_id)
    if "version" not in form.values:
        form.values["version"] = str(case.version)
    return page(request, "mentor/absence.html", user, status=status, title_key="absence.title", case=case,
                form=form)


@router.get("/cases/{case_id}/absences/new")
def absence_form(request: Request, case_id: int, user: User, app: Services) -> Response:
    permit(app, user, Action.RECORD_ABSENCE, case_id=case_id)
    return _absence_form(request, user, app, case_id, FormState())


@router.post("/cases/{case_id}/absences", dependencies=[Csrf])
async def absence(request: Request, case_id: int, user: User, app: Services) -> Response:
    permit(app, user, Action.RECORD_ABSENCE, case_id=case_id)
    form = await FormState.of(request)
    posted = await request.form()
    try:
        first = form_date("first_day", text(posted, "first_day", required=True))
        last = form_date("last_day", text(posted, "last_day", required=True))
        event = record_absence(app, case_id, first, last, actor_email=user.actor, reason=text(posted, "reason"),
                               expected_version=form_version(form.get("version")))
    except InvalidInput as error:
        form.errors[ABSENCE_FIELDS.get(error.field, error.field)] = error.rule
        return _absence_form(request, user, app, case_id, form, 422)
    except ConflictError as conflict:
        form.errors["form"] = conflict.said
        return _absence_form(request, user, app, case_id, form, 409)
    t = translator(request, user)
    if "trial_end" in event.facts:  # recorded as "old → new" when the absence moved the trial's end
        trial_end = people.case_with_contract(app, case_id).contract.trial_end
        message = t("absence.done_moved", first=t.date(first), last=t.date(last), trial_end=t.date(trial_end))
    else:
        message = t("absence.done", first=t.date(first), last=t.date(last))
    flash(request, message)
    return RedirectResponse(back_to(user, case_id), status_code=303)


@router.post("/reviews/{review_id}/ack", dependencies=[Csrf])
async def acknowledge(request: Request, review_id: int, user: User, app: Services) -> Response:
    """Back to the page the report was read on (the review's, the case's), else the person's own page."""
    back = (await request.form()).get("back")
    permit(app, user, Action.ACKNOWLEDGE_REVIEW, review_id=review_id)
    t = translator(request, user)
    try:
        review = review_services.acknowledge_review(app, review_id, actor_email=user.actor)
    except InvalidInput as error:
        flash(request, t.reason(error.rule), "error")  # worded now: the session keeps text, not reasons
    except TransitionRefused as refused:
        flash(request, "; ".join(t.reason(reason) for reason in refused.reasons), "error")
    else:
        flash(request, t("mentor.acknowledged", date=t.date(paris_date(review.planned_at))))
    return RedirectResponse(local_path(back if isinstance(back, str) else None) or home_of(user.role),
                            status_code=303)
