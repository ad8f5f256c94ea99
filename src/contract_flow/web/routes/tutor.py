"""Pages: the academic tutor's. Their apprentices with the next and the last review; plan a review (the
invitations go out to the three parties); log a review that took place, errors next to the field."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import RedirectResponse

from contract_flow.domain.access import Action
from contract_flow.domain.case import Role
from contract_flow.domain.errors import ConflictError, InvalidInput, TransitionRefused, TriggerNotAllowed
from contract_flow.domain.reviews import Party, Review, ReviewState, SkillLevel
from contract_flow.http.deps import Services
from contract_flow.services import people
from contract_flow.services import reviews as review_services
from contract_flow.services.access import permit, require_role
from contract_flow.services.case_filters import filter_condition
from contract_flow.web.auth import Csrf, User
from contract_flow.web.finding import Filters, people_finding
from contract_flow.web.forms import FormState, text
from contract_flow.web.render import flash, page, take_flash, translator
from contract_flow.web.routes.people import (
    back_to,
    form_moment,
    form_version,
    paging,
)
from contract_flow.web.routes.reviews import form_skills, people_reviews, skill_rows

router = APIRouter(include_in_schema=False)

PAGE_SIZE = 50
#: Empty skill rows a new log form offers; "add a row" gives one more, without JavaScript.
SKILL_ROWS = 5
MAX_SKILL_ROWS = 40
#: The service's field names -> the form's.
PLAN_FIELDS = {"date": "planned_at", "place": "place"}
LOG_FIELDS = {"attended": "attended", "skill": "skills", "mentor_observations": "mentor_observations",
              "observations": "tutor_observations", "next_steps": "next_steps", "version": "form"}


@router.get("/tutor")
def tutor_home(request: Request, user: User, app: Services, chosen: Filters,
               page_number: Annotated[int, Query(alias="page", ge=1, le=10_000)] = 1) -> Response:
    require_role(user, {Role.TUTOR}, "the tutor's page")
    found = people.apprentices(app, user, limit=PAGE_SIZE, offset=(page_number - 1) * PAGE_SIZE,
                               narrowed_by=filter_condition(chosen, user, app.clock.now()) if chosen.narrowing
                               else None)
    ok, error = take_flash(request)
    return page(request, "tutor/home.html", user, title_key="tutor.title", apprentices=found,
                **people_reviews(app, user, found.items, late=True), flash=ok,
                flash_error=error, pages=paging(page_number, PAGE_SIZE, found.total), now=app.clock.now(),
                **people_finding(app, user, chosen, "/tutor", [one.case_id for one in found.items]))


# -- plan ---------------------------------------------------------------------------------------------------------

def _plan_form(request: Request, user: User, app: Services, case_id: int, form: FormState,
               status: int = 200) -> Response:
    case = people.case_with_contract(app, case_id)
    return page(request, "tutor/plan.html", user, status=status, title_key="plan_review.title", case=case,
                due_by=people.next_unplanned_due(app, case_id), form=form,
                invite_days=app.policies.review_invite_days_before,
                remind_days=" / ".join(str(d) for d in app.policies.review_remind_days_before))


@router.get("/cases/{case_id}/reviews/new")
def plan_form(request: Request, case_id: int, user: User, app: Services) -> Response:
    permit(app, user, Action.PLAN_REVIEW, case_id=case_id)
    return _plan_form(request, user, app, case_id, FormState())


@router.post("/cases/{case_id}/reviews", dependencies=[Csrf])
async def plan(request: Request, case_id: int, user: User, app: Services) -> Response:
    permit(app, user, Action.PLAN_REVIEW, case_id=case_id)
    form = await FormState.of(request)
    posted = await request.form()
    try:
        when = form_moment("planned_at", text(posted, "planned_at", required=True))
        review = review_services.plan_review(app, case_id, planned_at=when, place=text(posted, "place"),
                                             actor_email=user.actor)
    except InvalidInput as error:
        form.errors[PLAN_FIELDS.get(error.field, error.field)] = error.rule
        return _plan_form(request, user, app, case_id, form, 422)
    except TransitionRefused as refused:
        form.errors["form"] = "; ".join(refused.reasons)
        return _plan_form(request, user, app, case_id, form, 422)
    t = translator(request, user)
    flash(request, t("plan_review.done", when=t.moment(review.planned_at), place=review.place,
                     days=app.policies.review_invite_days_before))
    return RedirectResponse(back_to(user, case_id), status_code=303)


# -- log ----------------------------------------------------------------------------------------------------------

def _first_values(review: Review) -> FormState:
    """A blank log form: everyone invited is ticked as present, the version is the review's."""
    values = {"version": str(review.version)}
    for party in Party:
        values[f"attended_{party}"] = "on"
    return FormState(values)


def _log_form(request: Request, user: User, app: Services, review_id: int, form: FormState, rows: int,
              status: int = 200) -> Response:
    review, case = people.review_and_case(app, review_id)
    listed = app.rules.skills(case.programme)  # the programme's skill list, each skill with a level select
    return page(request, "tutor/log.html", user, status=status, title_key="log_review.title", review=review,
                case=case, form=form, rows=len(listed) if listed else rows, listed=listed, parties=list(Party),
                levels=list(SkillLevel),
                loggable=review.state is ReviewState.PLANNED, early=app.clock.now() < review.planned_at)


@router.get("/reviews/{review_id}/log")
def log_form(request: Request, review_id: int, user: User, app: Services) -> Response:
    permit(app, user, Action.LOG_REVIEW, review_id=review_id)
    review, _ = people.review_and_case(app, review_id)
    return _log_form(request, user, app, review_id, _first_values(review), SKILL_ROWS)


@router.post("/reviews/{review_id}/log", dependencies=[Csrf])
async def log(request: Request, review_id: int, user: User, app: Services) -> Response:
    case_id = permit(app, user, Action.LOG_REVIEW, review_id=review_id)
    form = await FormState.of(request)
    listed = app.rules.skills(people.review_and_case(app, review_id)[1].programme)
    rows = skill_rows(form, listed)
    if "add_row" in form.values and not listed:
        return _log_form(request, user, app, review_id, form, min(rows + 1, MAX_SKILL_ROWS))
    t = translator(request, user)
    skills = form_skills(form, rows, t, listed)
    if form.errors:
        return _log_form(request, user, app, review_id, form, rows, 422)
    posted = await request.form()
    try:
        review_services.log_review(
            app, review_id, attended=[party for party in Party if form.get(f"attended_{party}")], skills=skills,
            mentor_observations=text(posted, "mentor_observations"),
            tutor_observations=text(posted, "tutor_observations"), next_steps=text(posted, "next_steps"),
            actor_email=user.actor, expected_version=form_version(form.get("version")))
    except InvalidInput as error:
        form.errors[LOG_FIELDS.get(error.field, error.field)] = error.rule
        return _log_form(request, user, app, review_id, form, rows, 422)
    except TransitionRefused as refused:
        form.errors["form"] = "; ".join(refused.reasons)
        return _log_form(request, user, app, review_id, form, rows, 422)
    except (ConflictError, TriggerNotAllowed) as conflict:
        form.errors["form"] = conflict.said
        return _log_form(request, user, app, review_id, form, rows, 409)
    flash(request, t("log_review.done", skills=len(skills)))
    return RedirectResponse(back_to(user, case_id), status_code=303)
