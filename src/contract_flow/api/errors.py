"""Errors as JSON with a stable shape: {"error": code, "message": ..., "field": ...}.

`message` and a refusal's `reasons` are in English, stable for programs; `message_text` and `reasons_text` say the
same in the caller's language (Accept-Language, else French: an error may come before the caller is known).

Which status and code each error gets is `contract_flow.http.errors`' table; this module only writes it as JSON.
"""

from __future__ import annotations

from typing import Any

from fastapi import Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel

from contract_flow.http.errors import HttpError
from contract_flow.labels import choose_language
from contract_flow.wording import reason_text


class ErrorOut(BaseModel):
    """Every error: a stable code, a sentence, and the field at fault when there is one."""

    error: str
    message: str
    message_text: str | None = None
    field: str | None = None
    reasons: list[str] | None = None
    reasons_text: list[str] | None = None
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


def json_error(error: HttpError, request: Request | None = None) -> JSONResponse:
    """The API's answer to any refusal (contract_flow.http.errors describes them), worded also in the language
    the request accepts."""
    if error.code == "bad_request":  # FastAPI could not read the body (not UTF-8, say): invalid input to clients
        return problem(422, "invalid_input", f"body: {error.message}", "body")
    language = choose_language(accept_language=request.headers.get("accept-language") if request else None)
    details = dict(error.details)
    if isinstance(details.get("reasons"), list):
        details["reasons_text"] = [reason_text(reason, language) for reason in details["reasons"]]
    return problem(error.status, error.code, error.message, error.field,
                   message_text=reason_text(error.message, language), **details)
