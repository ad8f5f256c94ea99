"""Reviews readable (issue 15, item 3): a review already held recorded after the fact, and the skill list a case's
programme assesses."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, status
from pydantic import BaseModel, Field

from contract_flow.api.schemas import LongText, ReviewOut, Strict
from contract_flow.http.deps import CurrentPrincipal, Services
from contract_flow.jsonable import jsonable
from contract_flow.services import review_reports
from contract_flow.services import reviews as review_services

router = APIRouter(prefix="/api/v1", tags=["reviews"])


class ReviewRecordIn(Strict):
    """A review already held: its past date, where, who came (the apprentice at least) and its report."""

    held_at: datetime
    place: Annotated[str, Field(min_length=1, max_length=300)] | None = None
    attended: Annotated[list[Annotated[str, Field(pattern="^(apprentice|mentor|tutor)$")]], Field(max_length=3)]
    skills: Annotated[dict[Annotated[str, Field(min_length=1, max_length=100)], Annotated[str, Field(max_length=20)]],
                      Field(max_length=50)]
    mentor_observations: LongText | None = None
    tutor_observations: LongText | None = None
    next_steps: LongText | None = None


class SkillListOut(BaseModel):
    """The skills a review of the case assesses (its programme's list), or null: any skill, named freely."""

    case_id: int
    skills: list[str] | None


@router.post("/cases/{case_id}/reviews/held", response_model=ReviewOut, status_code=status.HTTP_201_CREATED,
             summary="Record a review already held (a past date) with its report")
def record_held(case_id: int, body: ReviewRecordIn, app: Services, principal: CurrentPrincipal) -> Any:
    return jsonable(review_services.record_held_review(
        app, case_id, held_at=body.held_at, place=body.place, attended=body.attended, skills=body.skills,
        mentor_observations=body.mentor_observations, tutor_observations=body.tutor_observations,
        next_steps=body.next_steps, actor_email=principal.actor))


@router.get("/cases/{case_id}/review-skills", response_model=SkillListOut,
            summary="The skills a review of the case assesses (its programme's list)")
def skills(case_id: int, app: Services, principal: CurrentPrincipal) -> Any:
    listed = review_reports.programme_skills(app, case_id, actor_email=principal.actor)
    return {"case_id": case_id, "skills": list(listed) if listed is not None else None}
