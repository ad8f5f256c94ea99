"""What the routes of the API and of the pages get: the services (one App per process), the bearer principal,
If-Match."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from contract_flow.bootstrap import App
from contract_flow.domain.errors import InvalidInput, NotAuthenticated
from contract_flow.services.access import Principal, authenticate

bearer = HTTPBearer(auto_error=False, description="The token `contract-flow user add` printed.")


def services(request: Request) -> App:
    return request.app.state.services  # type: ignore[no-any-return]


def principal(request: Request,
              credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticated()
    return authenticate(services(request), credentials.credentials)


def if_match(if_match: Annotated[str | None, Header(alias="If-Match", description=(
        "The case's version as its ETag gave it: the change is refused (409) if the case changed since."))]
        = None) -> int | None:
    if if_match is None:
        return None
    text = if_match.strip().removeprefix("W/").strip('"')
    if not text.isdigit():
        raise InvalidInput("If-Match", f"{if_match!r} is not a version (the ETag of the case, e.g. '\"3\"')")
    return int(text)


Services = Annotated[App, Depends(services)]
CurrentPrincipal = Annotated[Principal, Depends(principal)]
IfMatch = Annotated[int | None, Depends(if_match)]
