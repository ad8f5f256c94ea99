"""Errors as JSON with a stable shape: {"error": code, "message": ..., "field": ...}, mapped in one place."""

from __future__ import annotations

from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException as StarletteHTTPException

from contract_flow.domain.errors import (
    ConflictError,
    DomainError,
    Forbidden,
    InvalidInput,
    NotAuthenticated,
    NotFound,
    TransitionRefused,
    TriggerNotAllowed,
)


class ErrorOut(BaseModel):
    """Every error: a stable code, a sentence, and the field at fault when there is one."""

    error: str
    message: str
    field: str | None = None
    reasons: list[str] | None = None
    allowed: list[str] | None = None
    version: int | None = None
    errors: list[dict[str, Any]] | None = None


DOCUMENTED: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorOut, "description": text} for status, text in (
        (401, "No valid bearer token"), (403, "Your role may not do this"),
        (404, "Not found, or not yours to see (the same answer)"),
        (409, "A stale If-Match, or a move the state does not allow"), (413, "The body is over 64 KiB"),
        (422, "Invalid input (the field is named), or a guard refused the move (with its reasons)"))
}


def problem(status: int, error: str, message: str, field: str | None = None, **extra: Any) -> JSONResponse:
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    return JSONResponse({"error": error, "message": message, "field": field, **extra}, status_code=status,
                        headers=headers)


def domain_problem(exc: DomainError) -> JSONResponse:  # noqa: PLR0911 (one answer per kind of refusal)
    if isinstance(exc, InvalidInput):
        return problem(422, "invalid_input", str(exc), exc.field)
    if isinstance(exc, NotFound):
        return problem(404, "not_found", str(exc))
    if isinstance(exc, TransitionRefused):
        return problem(422, "transition_refused", str(exc), "trigger", reasons=list(exc.reasons))
    if isinstance(exc, TriggerNotAllowed):
        return problem(409, "trigger_not_allowed", str(exc), "trigger", allowed=list(exc.allowed))
    if isinstance(exc, ConflictError):
        return problem(409, "conflict", str(exc), "If-Match", version=exc.actual_version)
    if isinstance(exc, NotAuthenticated):
        return problem(401, "unauthenticated", str(exc))
    if isinstance(exc, Forbidden):
        return problem(403, "forbidden", str(exc))
    return problem(400, "refused", str(exc))


def _field(location: tuple[Any, ...]) -> str:
    # ("body", "facts", "offer.siret") -> "facts.offer.siret"; the "body"/"query"/"path" prefix says where.
    parts = [str(part) for part in location[1:]] if len(location) > 1 else [str(p) for p in location]
    return ".".join(parts)


def _page_error(request: Request, status: int, message: str) -> Response | None:
    """The web package's HTML error page when it is installed and the path is a page's; None otherwise."""
    html_error = getattr(request.app.state, "html_error", None)
    return html_error(request, status, message) if html_error is not None else None


def install(app: FastAPI) -> None:
    @app.exception_handler(DomainError)
    async def _domain(request: Request, exc: DomainError) -> Response:
        answer = domain_problem(exc)
        return _page_error(request, answer.status_code, str(exc)) or answer

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        first = exc.errors()[0] if exc.errors() else {"loc": ("body",), "msg": "invalid request"}
        # A body that is not JSON at all: its location is a character offset, the field at fault is the body.
        field = "body" if first.get("type") == "json_invalid" else _field(tuple(first.get("loc", ("body",))))
        message = f"{field}: {first.get('msg', 'invalid')}"
        page = _page_error(request, 422, message)
        if page is not None:
            return page
        errors = [{"field": _field(tuple(e.get("loc", ()))), "message": e.get("msg")} for e in exc.errors()]
        return problem(422, "invalid_input", message, field, errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> Response:
        page = _page_error(request, exc.status_code, str(exc.detail))
        if page is not None:
            return page
        if exc.status_code == 400:  # FastAPI could not read the body (not UTF-8, say)
            return problem(422, "invalid_input", f"body: {exc.detail}", "body")
        codes = {404: "not_found", 405: "method_not_allowed", 413: "payload_too_large", 401: "unauthenticated"}
        return problem(exc.status_code, codes.get(exc.status_code, "http_error"), str(exc.detail))
