"""Pages: the reviews' records (issue 15, item 3). A review's report, read before it is acknowledged (the form sits
under it); the case page's "Entretiens" section; a review already held recorded after the fact by the tutor; the
skill rows of the log forms (the programme's skill list, each skill with a level select, else free rows)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from fastapi import APIRouter, Request, Response
from fastapi.responses import RedirectResponse

from contract_flow.domain.access import STAFF, Action
from contract_flow.domain.case import Role
from contract_flow.domain.errors import InvalidInput, TransitionRefused
from contract_flow.domain.reviews import Party, Review, ReviewState, SkillLevel
from contract_flow.http.deps import Services
from contract_flow.services import review_reports
from contract_flow.services import reviews as review_services
from contract_flow.services.access import Principal, permit
from contract_flow.services.people import Apprentice
from contract_flow.services.review_reports import Late
from contract_flow.web.auth import Csrf, User
from contract_flow.web.forms import FormState, text
from contract_flow.web.i18n import Translator
from contract_flow.web.render import flash, page, take_flash, translator
from contract_flow.web.routes.people import back_to, form_moment

router = APIRouter(include_in_schema=False)

#: Empty skill rows a form offers when the programme lists no skills; "add a row" gives one more.
SKILL_ROWS = 5
MAX_SKILL_ROWS = 40
#: The service's field names -> the form's.
RECORD_FIELDS = {"date": "held_at", "place": "place", "attended": "attended", "skill": "skills",
                 "mentor_observations": "mentor_observations", "observations": "tutor_observations",
                 "next_steps": "next_steps"}


# -- the skill rows of a log form ----------------------------------------------------------------------------------

def skill_rows(form: FormState, listed: tuple[str, ...] | None) -> int:
    """How many rows the form has: one per listed skill, else what the form says (5 at first)."""
    if listed:
        return len(listed)
    try:
        count = int(form.get("rows", str(SKILL_ROWS)))
    except ValueError:
        count = SKILL_ROWS
    return max(1, min(count, MAX_SKILL_ROWS))


def form_skills(form: FormState, rows: int, t: Translator, listed: tuple[str, ...] | None = None) -> dict[str, str]:
    """Each row with a name needs a level and the other way round, a name once; with a skill list a row without a
    level is a skill not assessed. Errors go on the row's field; the use case checks the names against the list."""
    skills: dict[str, str] = {}
    for row in range(rows):
        name = form.get(f"skill_name_{row}").strip()
        level = form.get(f"skill_level_{row}").strip()
        if not level and (listed or not name):
            continue
        if not name:
            form.errors[f"skill_name_{row}"] = t("log_review.error_no_name")
        elif not level:
            form.errors[f"skill_level_{row}"] = t("log_review.error_no_level", skill=name)
        elif name in skills:
            form.errors[f"skill_name_{row}"] = t("log_review.error_twice", skill=name)
        else:
            try:
                review_services.parse_skill_level(name, level)
            except InvalidInput:
                form.errors[f"skill_level_{row}"] = t("log_review.error_level", skill=name)
                continue
            skills[name] = level
    if not skills and not form.errors:
        form.errors["skills" if listed else "skill_name_0"] = t(
            "reviews.error_no_listed_skill" if listed else "log_review.error_no_skill")
    return skills


def first_values(version: int | None = None) -> FormState:
    """A blank report: everyone invited ticked as present."""
    values = {f"attended_{party}": "on" for party in Party}
    if version is not None:
        values["version"] = str(version)
    return FormState(values)


# -- the case page's section ----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReviewsPanel:
    """What the "Entretiens" section shows this person: the reports, what is late (for those who organise the
    reviews), the reviews waiting for this person's acknowledgement, and what they may do."""

    case_id: int
    reviews: list[Review]
    late: list[Late]
    awaiting: frozenset[int]
    organiser: bool
    running: bool
    now: datetime


def awaits(review: Review, email: str) -> bool:
    """Held, and one of the parties this person is has not acknowledged it yet."""
    return review.state is ReviewState.HELD and any(
        who == email and party not in review.acknowledged for party, who in review.participants.items())


def reviews_panel(app: Services, user: Principal, case_id: int) -> ReviewsPanel:
    found = review_reports.case_reviews(app, case_id, actor_email=user.actor)
    organiser = user.role in STAFF or user.role is Role.TUTOR
    return ReviewsPanel(case_id, found.reviews, found.late if organiser else [],
                        frozenset(r.id for r in found.reviews if r.id is not None and awaits(r, user.email)),
                        organiser, found.running, app.clock.now())


# -- one review's page -------------------------------------------------------------------------------------------

@router.get("/reviews/{review_id}")
def review_page(request: Request, review_id: int, user: User, app: Services) -> Response:
    """The report, then (for a party who has not acknowledged it yet) the form that acknowledges it."""
    review, case = review_reports.review_report(app, review_id, actor_email=user.actor)
    ok, error = take_flash(request)
    return page(request, "reviews/review.html", user, title_key="reviews.page_title", review=review, case=case,
                awaiting=awaits(review, user.email), flash=ok, flash_error=error)


# -- a review held, recorded after the fact --------------------------------------------------------------------------

def _record_form(request: Request, user: User, app: Services, case_id: int, form: FormState, rows: int,
                 listed: tuple[str, ...] | None, status: int = 200) -> Response:
    found = review_reports.case_reviews(app, case_id, actor_email=user.actor)
    return page(request, "reviews/record.html", user, status=status, title_key="record_review.title",
                case=found.case, form=form, rows=rows, listed=listed, parties=list(Party), levels=list(SkillLevel),
                late=found.late, running=found.running)


@router.get("/cases/{case_id}/reviews/held/new")
def record_form(request: Request, case_id: int, user: User, app: Services) -> Response:
    permit(app, user, Action.LOG_REVIEW, case_id=case_id)
    listed = review_reports.programme_skills(app, case_id, actor_email=user.actor)
    form = first_values()
    return _record_form(request, user, app, case_id, form, skill_rows(form, listed), listed)


@router.post("/cases/{case_id}/reviews/held", dependencies=[Csrf])
async def record(request: Request, case_id: int, user: User, app: Services) -> Response:
    permit(app, user, Action.LOG_REVIEW, case_id=case_id)
    listed = review_reports.programme_skills(app, case_id, actor_email=user.actor)
    form = await FormState.of(request)
    rows = skill_rows(form, listed)
    if "add_row" in form.values and not listed:
        return _record_form(request, user, app, case_id, form, min(rows + 1, MAX_SKILL_ROWS), listed)
    t = translator(request, user)
    skills = form_skills(form, rows, t, listed)
    posted = await request.form()
    held_at: datetime | None = None
    try:
        held_at = form_moment("held_at", text(posted, "held_at", required=True))
    except InvalidInput as error:
        form.errors["held_at"] = error.rule
    if form.errors or held_at is None:
        return _record_form(request, user, app, case_id, form, rows, listed, 422)
    try:
        review = review_services.record_held_review(
            app, case_id, held_at=held_at, place=text(posted, "place"),
            attended=[party for party in Party if form.get(f"attended_{party}")], skills=skills,
            mentor_observations=text(posted, "mentor_observations"),
            tutor_observations=text(posted, "tutor_observations"), next_steps=text(posted, "next_steps"),
            actor_email=user.actor)
    except InvalidInput as error:
        form.errors[RECORD_FIELDS.get(error.field, error.field)] = error.rule
        return _record_form(request, user, app, case_id, form, rows, listed, 422)
    except TransitionRefused as refused:
        form.errors["form"] = "; ".join(str(reason) for reason in refused.reasons)
        return _record_form(request, user, app, case_id, form, rows, listed, 422)
    flash(request, t("record_review.done", date=t.date(review.day), due=t.date(review.due_by),
                     skills=len(review.skills)))
    return RedirectResponse(back_to(user, case_id), status_code=303)


# -- what the people's pages add --------------------------------------------------------------------------------------

def people_reviews(app: Services, user: Principal, items: Iterable[Apprentice], *,
                   late: bool = False) -> dict[str, Any]:
    """The reports a person's page shows above each acknowledge form (`review_reports`, by review id) and, for a
    tutor, the reviews late per case (`late_reviews`)."""
    listed = list(items)
    waiting = [review.id for one in listed for review in one.awaiting(user.email)]
    running = [one.case_id for one in listed if one.state in review_reports.RUNNING]
    return {"review_reports": reports_for(app, user, waiting),
            "late_reviews": review_reports.late_by_case(app, running, actor_email=user.actor) if late else {}}


def reports_for(app: Services, user: Principal, review_ids: Iterable[int]) -> dict[int, Review]:
    ids = list(review_ids)
    return review_reports.review_reports(app, ids, actor_email=user.actor) if ids else {}
