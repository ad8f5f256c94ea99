"""Tripartite reviews: a tutor plans and logs them, each of the three parties acknowledges them."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, status

from contract_flow.api.schemas import ReviewLogIn, ReviewMissIn, ReviewOut, ReviewPlanIn, ReviewRescheduleIn
from contract_flow.http.deps import CurrentPrincipal, IfMatch, Services
from contract_flow.jsonable import jsonable
from contract_flow.services import reviews as review_services

router = APIRouter(prefix="/api/v1", tags=["reviews"])


@router.get("/cases/{case_id}/reviews", response_model=list[ReviewOut], summary="A case's reviews")
def case_reviews(case_id: int, app: Services, principal: CurrentPrincipal) -> Any:
    return jsonable(review_services.list_reviews(app, case_id, actor_email=principal.actor))


@router.post("/cases/{case_id}/reviews", response_model=ReviewOut, status_code=status.HTTP_201_CREATED,
             summary="Plan the next due review (invitations go out 14 and 2 days before)")
def plan(case_id: int, body: ReviewPlanIn, app: Services, principal: CurrentPrincipal) -> Any:
    return jsonable(review_services.plan_review(app, case_id, planned_at=body.planned_at, place=body.place,
                                                actor_email=principal.actor))


@router.get("/reviews/{review_id}", response_model=ReviewOut, summary="A review")
def get_review(review_id: int, app: Services, principal: CurrentPrincipal) -> Any:
    return jsonable(review_services.get_review(app, review_id, actor_email=principal.actor))


@router.post("/reviews/{review_id}/log", response_model=ReviewOut,
             summary="Log a review that took place: attendance, skills, observations, next steps")
def log(review_id: int, body: ReviewLogIn, app: Services, principal: CurrentPrincipal, version: IfMatch) -> Any:
    return jsonable(review_services.log_review(
        app, review_id, attended=body.attended, skills=body.skills, mentor_observations=body.mentor_observations,
        tutor_observations=body.tutor_observations, next_steps=body.next_steps, actor_email=principal.actor,
        expected_version=version))


@router.post("/reviews/{review_id}/miss", response_model=ReviewOut, summary="Record that it did not take place")
def miss(review_id: int, body: ReviewMissIn, app: Services, principal: CurrentPrincipal, version: IfMatch) -> Any:
    return jsonable(review_services.miss_review(app, review_id, reason=body.reason, actor_email=principal.actor,
                                                expected_version=version))


@router.post("/reviews/{review_id}/reschedule", response_model=ReviewOut, summary="Give a missed review a new date")
def reschedule(review_id: int, body: ReviewRescheduleIn, app: Services, principal: CurrentPrincipal,
               version: IfMatch) -> Any:
    return jsonable(review_services.reschedule_review(app, review_id, planned_at=body.planned_at, place=body.place,
                                                      actor_email=principal.actor, expected_version=version))


@router.post("/reviews/{review_id}/cancel", response_model=ReviewOut, summary="Cancel a planned review")
def cancel(review_id: int, app: Services, principal: CurrentPrincipal, version: IfMatch) -> Any:
    return jsonable(review_services.cancel_review(app, review_id, actor_email=principal.actor,
                                                  expected_version=version))


@router.post("/reviews/{review_id}/ack", response_model=ReviewOut,
             summary="Acknowledge the record of a held review (as one of its three parties)")
def acknowledge(review_id: int, app: Services, principal: CurrentPrincipal) -> Any:
    return jsonable(review_services.acknowledge_review(app, review_id, actor_email=principal.actor))
