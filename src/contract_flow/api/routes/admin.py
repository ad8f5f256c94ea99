"""Administration over HTTP (issue 15, item 5), for the programme lead of a CFA, their own CFA's users and
programmes: the same use cases as the pages /admin/... and `contract-flow user ...`, `programme ...`. Another
CFA's user or programme is 404; the other roles 403."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Request, status
from pydantic import BaseModel, ConfigDict, Field

from contract_flow.domain.case import Role
from contract_flow.http.deps import CurrentPrincipal, Services
from contract_flow.jsonable import jsonable
from contract_flow.services.directory import activate_user, add_user, change_role, deactivate_user
from contract_flow.services.login_links import send_login_link
from contract_flow.services.programmes import edit_programme, programme_entry
from contract_flow.services.users import edit_user, list_users, user_entry

router = APIRouter(prefix="/api/v1")

#: The roles a lead gives (the engine's own "system" is no user).
UserRole = Literal["advisor", "programme_lead", "tutor", "mentor", "apprentice"]


class UserOut(BaseModel):
    id: int
    email: str
    name: str
    role: Role
    cfa_code: str = Field(description="Their CFA: their own, their linked case's, else the installation's default")
    case_id: int | None
    language: str
    active: bool
    deactivated_at: datetime | None
    web_login: bool = Field(description="Whether they have chosen a web password")
    created_at: datetime


class UserIn(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [
        {"email": "nina.tutrice@cfa.example", "name": "Nina Tutrice", "role": "tutor", "language": "fr"}]})

    email: str = Field(max_length=254)
    name: str = Field(max_length=200)
    role: UserRole
    language: Literal["fr", "en"] = "fr"
    send_login_link: bool = Field(default=True, description="Email them a link to choose their web password "
                                                            "(good for 7 days, once)")


class UserAdded(UserOut):
    login_link_sent: bool = Field(description="Whether the mail server took the login link (false: not asked, "
                                              "or the server was away: POST .../login-link again)")


class UserPatch(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"role": "advisor"}]})

    name: str | None = Field(default=None, max_length=200)
    language: Literal["fr", "en"] | None = None
    role: UserRole | None = Field(default=None, description="A new role ends all their sessions")


class LinkSentOut(BaseModel):
    email: str
    sent: bool
    error: str | None


class ProgrammeAdminOut(BaseModel):
    code: str
    name: str
    cfa_code: str
    start_date: date
    years: int
    seats: int
    level: int | None
    calendar_version: str | None
    school_periods: int
    cases: int
    seats_taken: int = Field(description="Cases holding a seat (from the offer to a running contract)")
    seats_free: int


class ProgrammePatch(BaseModel):
    model_config = ConfigDict(extra="forbid", json_schema_extra={"examples": [{"seats": 36}]})

    name: str | None = Field(default=None, max_length=200)
    seats: int | None = Field(default=None, ge=0, le=100_000, description="Never below the seats taken")
    level: int | None = Field(default=None, ge=0, le=100)
    start_date: date | None = Field(default=None, description="Only while the programme has no case")
    years: int | None = Field(default=None, ge=0, le=100, description="Only while the programme has no case")


def _programme(found: Any) -> dict[str, Any]:
    return {**jsonable(found), "seats_free": found.seats_free}


@router.get("/users", response_model=list[UserOut], tags=["users"],
            summary="Your CFA's users, active first, by name (programme leads)")
def users(app: Services, principal: CurrentPrincipal,
          q: Annotated[str | None, Query(max_length=100, description="A part of the name or email")] = None,
          role: Annotated[UserRole | None, Query()] = None) -> Any:
    return jsonable(list_users(app, actor_email=principal.actor, search=q, role=role))


@router.post("/users", response_model=UserAdded, status_code=status.HTTP_201_CREATED, tags=["users"],
             summary="Add a user to your CFA and email them a login link (programme leads)")
def new_user(body: UserIn, request: Request, app: Services, principal: CurrentPrincipal) -> Any:
    added = add_user(app, body.email, name=body.name, role=body.role, cfa_code=principal.cfa_code,
                     language=body.language, actor_email=principal.actor)
    sent = (send_login_link(app, added.email, base_url=str(request.base_url), actor_email=principal.actor).sent
            if body.send_login_link else False)
    return {**jsonable(user_entry(app, added.id, actor_email=principal.actor)), "login_link_sent": sent}


@router.get("/users/{email}", response_model=UserOut, tags=["users"], summary="One user of your CFA")
def one_user(email: str, app: Services, principal: CurrentPrincipal) -> Any:
    return jsonable(user_entry(app, email, actor_email=principal.actor))


@router.patch("/users/{email}", response_model=UserOut, tags=["users"],
              summary="Change a user's name, language or role (a new role ends their sessions)")
def patch_user(email: str, body: UserPatch, app: Services, principal: CurrentPrincipal) -> Any:
    found = user_entry(app, email, actor_email=principal.actor)
    edited = edit_user(app, found.email, name=body.name, language=body.language, actor_email=principal.actor)
    if body.role is not None and body.role != found.role.value:
        change_role(app, found.email, body.role, cfa_code=principal.cfa_code, actor_email=principal.actor)
        edited = user_entry(app, found.email, actor_email=principal.actor)
    return jsonable(edited)


@router.post("/users/{email}/deactivate", response_model=UserOut, tags=["users"],
             summary="Deactivate a user: no login, every session ended, every API token revoked")
def deactivate(email: str, app: Services, principal: CurrentPrincipal) -> Any:
    found = user_entry(app, email, actor_email=principal.actor)
    deactivate_user(app, found.email, actor_email=principal.actor)
    return jsonable(user_entry(app, found.id, actor_email=principal.actor))


@router.post("/users/{email}/activate", response_model=UserOut, tags=["users"],
             summary="Reactivate a user (their old API tokens stay revoked)")
def activate(email: str, app: Services, principal: CurrentPrincipal) -> Any:
    found = user_entry(app, email, actor_email=principal.actor)
    activate_user(app, found.email, actor_email=principal.actor)
    return jsonable(user_entry(app, found.id, actor_email=principal.actor))


@router.post("/users/{email}/login-link", response_model=LinkSentOut, tags=["users"],
             summary="Email a user a new link to choose their web password")
def login_link(email: str, request: Request, app: Services, principal: CurrentPrincipal) -> Any:
    sent = send_login_link(app, email, base_url=str(request.base_url), actor_email=principal.actor)
    return {"email": sent.email, "sent": sent.sent, "error": sent.error}


@router.get("/programmes/{code}", response_model=ProgrammeAdminOut, tags=["programmes"],
            summary="One programme of your CFA with its seats taken and free (programme leads)")
def one_programme(code: str, app: Services, principal: CurrentPrincipal) -> Any:
    return _programme(programme_entry(app, code, actor_email=principal.actor))


@router.patch("/programmes/{code}", response_model=ProgrammeAdminOut, tags=["programmes"],
              summary="Change a programme's name, seats, level, start or length (programme leads)")
def patch_programme(code: str, body: ProgrammePatch, app: Services, principal: CurrentPrincipal) -> Any:
    return _programme(edit_programme(app, code, name=body.name, seats=body.seats, level=body.level,
                                     start_date=body.start_date, years=body.years, actor_email=principal.actor))
