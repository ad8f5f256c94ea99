"""Errors as HTTP sees them, before anyone words them: a status, a stable code, a message, the field at fault.

Domain errors map to a status and a code in one table (`DOMAIN_ERRORS`); FastAPI's and Starlette's own errors
(an invalid request, a missing route) are described the same way. `install` hands each of them to one renderer,
which `contract_flow.asgi` chooses: JSON for the API, a page for the pages.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Mapping
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.routing import Match, Mount

from contract_flow.domain.errors import (
    ConflictError,
    DomainError,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    NotNow,
    TransitionRefused,
    TriggerNotAllowed,
)
from contract_flow.domain.reasons import Reason


@dataclasses.dataclass(frozen=True)
class HttpError:
    """One refusal: `details` are the extra facts a client may act on (reasons, allowed triggers, version...)."""

    status: int
    code: str
    #: In English, as the API's `message` (a domain.reasons.Reason also has the words of each language).
    message: str
    field: str | None = None
    details: dict[str, Any] = dataclasses.field(default_factory=dict)
    #: The byte limit a 413 refers to (a page words it in the reader's language; it is no JSON field).
    limit: int | None = None


#: How one request's errors are answered (JSON or a page), chosen by the application that installs the handlers.
ErrorRenderer = Callable[[Request, HttpError], Response]

#: Each domain error's status and code; the first kind that matches wins, any other DomainError is 400 "refused".
DOMAIN_ERRORS: tuple[tuple[type[DomainError], int, str], ...] = (
    (NotNow, 409, "not_now"),
    (InvalidInput, 422, "invalid_input"),
    (NotFound, 404, "not_found"),
    (TransitionRefused, 422, "transition_refused"),
    (TriggerNotAllowed, 409, "trigger_not_allowed"),
    (ConflictError, 409, "conflict"),
    (NotAuthenticated, 401, "unauthenticated"),
    (Forbidden, 403, "forbidden"),
)
#: The codes of the framework's own refusals (a missing route, a wrong method, a body it could not read).
HTTP_CODES = {400: "bad_request", 401: "unauthenticated", 404: "not_found", 405: "method_not_allowed",
              413: "payload_too_large"}


def from_domain(exc: DomainError) -> HttpError:
    status, code = next(((status, code) for kind, status, code in DOMAIN_ERRORS if isinstance(exc, kind)),
                        (400, "refused"))
    # The message is the error's `said`: its English as ever (str), and its words for the reader's language.
    if isinstance(exc, InvalidInput):
        return HttpError(status, code, exc.said, exc.field)
    if isinstance(exc, TransitionRefused):
        return HttpError(status, code, exc.said, "trigger", {"reasons": list(exc.reasons)})
    if isinstance(exc, TriggerNotAllowed):
        return HttpError(status, code, exc.said, "trigger", {"allowed": list(exc.allowed)})
    if isinstance(exc, ConflictError):
        return HttpError(status, code, exc.said, "If-Match", {"version": exc.actual_version})
    return HttpError(status, code, exc.said)


def _field(location: tuple[Any, ...]) -> str:
    # ("body", "facts", "offer.siret") -> "facts.offer.siret"; the "body"/"query"/"path" prefix says where.
    parts = [str(part) for part in location[1:]] if len(location) > 1 else [str(p) for p in location]
    return ".".join(parts)


#: pydantic's refusals of a request that the catalogue words (domain/reason_texts.REQUEST_TEXTS, key
#: "request_" + the type), with the values of the error's context each wording names; any other type keeps
#: pydantic's English.
_WORDED: dict[str, tuple[str, ...]] = {
    "missing": (), "extra_forbidden": (), "json_invalid": (), "json_type": (), "model_attributes_type": (),
    "model_type": (), "dict_type": (), "list_type": (), "string_type": (), "string_unicode": (), "bool_type": (),
    "bool_parsing": (), "int_type": (), "int_parsing": (), "int_parsing_size": (), "int_from_float": (),
    "float_type": (), "float_parsing": (), "finite_number": (), "decimal_type": (), "decimal_parsing": (),
    "date_type": (), "date_parsing": (), "date_from_datetime_parsing": (), "date_from_datetime_inexact": (),
    "datetime_type": (), "datetime_parsing": (), "datetime_from_date_parsing": (),
    "greater_than": ("gt",), "greater_than_equal": ("ge",), "less_than": ("lt",), "less_than_equal": ("le",),
    "string_too_short": ("min_length",), "string_too_long": ("max_length",), "too_short": ("min_length",),
    "too_long": ("max_length",), "decimal_max_digits": ("max_digits",), "decimal_max_places": ("decimal_places",),
    "string_pattern_mismatch": ("pattern",),
}
#: The types whose context lists the values allowed («'a', 'b' or 'c'»: English words around them).
_CHOICES = ("enum", "literal_error")


def validation_rule(error: Mapping[str, Any]) -> str:
    """One of pydantic's refusals as a reason worded in each language (domain.reasons.Reason), else its English."""
    kind, context = str(error.get("type", "")), error.get("ctx") or {}
    if kind in _CHOICES and isinstance(context.get("expected"), str):
        return Reason("request_one_of", choices=tuple(re.findall(r"'([^']*)'", context["expected"])))
    names = _WORDED.get(kind)
    if names is None or any(name not in context for name in names):
        return str(error.get("msg", "invalid"))
    return Reason(f"request_{kind}", **{name: context[name] for name in names})


def from_validation(exc: RequestValidationError) -> HttpError:
    """The first error names the field; every error is kept in `details["errors"]` (in English: a client's
    program reads them; the first one is also worded in the reader's language by the renderer)."""
    given = exc.errors()
    errors = given or [{"loc": ("body",), "msg": "invalid request"}]
    rules = [validation_rule(error) for error in errors]  # each worded once: the first is also the message
    first = errors[0]
    # A body that is not JSON at all: its location is a character offset, the field at fault is the body.
    at_fault = "body" if first.get("type") == "json_invalid" else _field(tuple(first.get("loc", ("body",))))
    every = [{"field": _field(tuple(error.get("loc", ()))), "message": str(rule)}
             for error, rule in zip(errors, rules, strict=True)] if given else []
    return HttpError(422, "invalid_input", Reason("input", field=at_fault, rule=rules[0]), at_fault,
                     {"errors": every})


def from_http(exc: StarletteHTTPException) -> HttpError:
    return HttpError(exc.status_code, HTTP_CODES.get(exc.status_code, "http_error"), str(exc.detail))


def install(app: FastAPI, render: ErrorRenderer) -> None:
    """Domain errors, invalid requests and the framework's refusals, each answered by `render`."""

    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        return render(request, from_domain(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        return render(request, from_validation(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        response = render(request, from_http(exc))
        if exc.status_code == 405:
            # RFC 9110 15.5.6: a 405 names the methods the resource has (every route on this path, not only the
            # first one Starlette tried).
            response.headers["Allow"] = ", ".join(allowed_methods(request))
        return response


#: The methods a 405 may name; a route answers each of them or not.
METHODS = ("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS")
#: What a mounted application (the static files) answers: StaticFiles serves GET and HEAD.
MOUNTED_METHODS = ("GET", "HEAD")


def allowed_methods(request: Request) -> list[str]:
    """The methods some route answers on the request's path: each method is tried against every route (FastAPI's
    included routers hide their routes' methods, but say whether one matches in full)."""
    # Inside a mounted application the scope's root_path names the mount: match from the application's root.
    scope = {**request.scope, "root_path": request.scope.get("app_root_path", "")}
    allowed: set[str] = set()
    for route in request.app.router.routes:
        if isinstance(route, Mount):
            if route.matches(scope)[0] is not Match.NONE:
                allowed |= set(MOUNTED_METHODS)
            continue
        allowed |= {method for method in METHODS if route.matches({**scope, "method": method})[0] is Match.FULL}
    return [method for method in METHODS if method in allowed]
