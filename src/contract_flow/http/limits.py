"""What no route reads: a body over its path's limit (413) and a NUL character anywhere in the text sent (422)."""

from __future__ import annotations

import json
from collections.abc import Awaitable, Callable, Mapping
from typing import Any

from fastapi import Request, Response

from contract_flow.http.errors import ErrorRenderer, HttpError

#: Requests are small JSON documents; anything bigger is refused before it is read (413).
MAX_BODY_BYTES = 64 * 1024

Middleware = Callable[[Request, Callable[[Request], Awaitable[Response]]], Awaitable[Response]]


def too_big(limit: int) -> HttpError:
    return HttpError(413, "payload_too_large", f"the body is over {limit} bytes", "body", limit=limit)


def nul_in(field: str) -> HttpError:
    return HttpError(422, "invalid_input", f"{field}: a NUL character is not text", field)


def nul_field(body: bytes) -> str:
    """The field whose text holds a NUL (a fact by its key), or "body" when the body is not JSON."""
    try:
        data = json.loads(body)
    except ValueError:
        return "body"

    def walk(value: Any, path: list[str]) -> list[str] | None:
        if isinstance(value, str):
            return path if "\x00" in value else None
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        for key, item in items:
            if isinstance(key, str) and "\x00" in key:
                return [*path, key]
            found = walk(item, [*path, str(key)])
            if found is not None:
                return found
        return None

    found = walk(data, []) or ["body"]
    return found[-1] if found[0] == "facts" else ".".join(found)


def limit_body(refuse: ErrorRenderer, larger: Mapping[str, int]) -> Middleware:
    """An HTTP middleware: MAX_BODY_BYTES, or the larger limit of a path in `larger` (a page taking a file)."""

    async def limited(request: Request, call_next: Callable[[Request], Awaitable[Response]]) -> Response:
        limit = larger.get(request.url.path, MAX_BODY_BYTES)
        declared = request.headers.get("content-length")
        if declared is not None and (not declared.isdigit() or int(declared) > limit):
            return refuse(request, too_big(limit))
        for name, value in request.query_params.multi_items():
            if "\x00" in value or "\x00" in name:
                return refuse(request, nul_in(name))
        if request.method in ("POST", "PUT", "PATCH"):
            body = await request.body()  # read once (Starlette caches it for the route)
            if len(body) > limit:
                return refuse(request, too_big(limit))
            # A NUL character is no text a person types, and PostgreSQL refuses it in text columns.
            if b"\\u0000" in body or b"\x00" in body:
                return refuse(request, nul_in(nul_field(body)))
        return await call_next(request)

    return limited
