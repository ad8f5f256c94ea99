"""What the routes of the API and of the pages get: the services (one App per process), the bearer principal,
If-Match and the versions forms send, and ids checked against the database's range before any route runs."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import TypeAdapter, ValidationError

from contract_flow.bootstrap import App
from contract_flow.domain.errors import InvalidInput, NotAuthenticated, NotFound
from contract_flow.domain.reasons import Reason, Typed
from contract_flow.labels import choose_language
from contract_flow.services.access import Principal, authenticate

bearer = HTTPBearer(auto_error=False, description="The token `contract-flow user add` printed.")


def services(request: Request) -> App:
    return request.app.state.services  # type: ignore[no-any-return]


def principal(request: Request,
              credentials: Annotated[HTTPAuthorizationCredentials | None, Depends(bearer)]) -> Principal:
    if credentials is None or credentials.scheme.lower() != "bearer":
        raise NotAuthenticated()
    return authenticate(services(request), credentials.credentials)


#: The largest id a row can have: the schema's primary keys are INTEGER columns, 32 bits on PostgreSQL (SQLite's
#: are 64 bits, but the same schema never gives them more; both databases answer alike).
MAX_ID = 2**31 - 1
#: Versions are INTEGER columns too, counted from 1 by one per change: 9 digits is more than any row will reach.
MAX_VERSION_DIGITS = 9
_INT = TypeAdapter(int)


def ids_in_range(request: Request) -> None:
    """Every `..._id` in the path that FastAPI would read as a number, but that no row can have (0, negative, or
    past MAX_ID), is "not found" as any missing id is: the database is never asked (SQLite cannot bind an integer
    past 2^63, PostgreSQL refuses one past 2^31 for an INTEGER column). Runs before the route's own dependencies."""
    for name, value in request.path_params.items():
        if not name.endswith("_id") or not isinstance(value, str):
            continue
        try:
            number = _INT.validate_python(value)
        except ValidationError:
            continue  # not a number at all: the route's validation names the parameter (422)
        if not 1 <= number <= MAX_ID:
            raise NotFound(name.removesuffix("_id"), value if len(value) <= 40 else f"{value[:37]}...")


def version_number(field: str, text: str, example: str = "3") -> int:
    """A version a client saw (If-Match, a form's hidden field): ASCII digits only (int() would also read "²",
    "١٢", " 1" or "1_000"), at most MAX_VERSION_DIGITS of them (a longer one fits no INTEGER column)."""
    if not (text.isascii() and text.isdigit()) or len(text) > MAX_VERSION_DIGITS:
        shown = text if len(text) <= 20 else f"{text[:17]}..."
        raise InvalidInput(field, Reason("not_a_version", typed=Typed(shown), example=example,
                                         most=MAX_VERSION_DIGITS))
    return int(text)


def if_match(if_match: Annotated[str | None, Header(alias="If-Match", description=(
        "The case's version as its ETag gave it: the change is refused (409) if the case changed since."))]
        = None) -> int | None:
    if if_match is None:
        return None
    return version_number("If-Match", if_match.strip().removeprefix("W/").strip('"'), example="'\"3\"'")


Services = Annotated[App, Depends(services)]
CurrentPrincipal = Annotated[Principal, Depends(principal)]
IfMatch = Annotated[int | None, Depends(if_match)]


def caller_language(request: Request, principal: CurrentPrincipal) -> str:
    """The language of the labels an answer carries beside its codes: the user's own setting, else the first of
    Accept-Language we speak, else French (as the pages, which also remember a choice made on them)."""
    return choose_language(principal.language, accept_language=request.headers.get("accept-language"))


Language = Annotated[str, Depends(caller_language)]
