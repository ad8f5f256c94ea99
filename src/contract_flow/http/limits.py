"""What no route reads: a body over its path's limit (413), counted as it streams in, and a NUL character anywhere
in the text sent (422).

The limit is enforced on the bytes received, not on the Content-Length a client declares: a chunked body (no
Content-Length) used to be read whole before its size was checked, so one unauthenticated request of 1 GiB grew
the server by 1 GiB (issue 12, item 1). `BodyLimit` reads at most `limit + 1` bytes of any request, whatever its
method, path or credentials, answers 413 at once past the limit and closes the connection (the rest is never
read into memory), and hands the routes a body it has already read (Starlette would buffer it all anyway).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qsl

from fastapi import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from contract_flow.http.errors import ErrorRenderer, HttpError

#: Requests are small JSON documents; anything bigger is refused before it is read (413).
MAX_BODY_BYTES = 64 * 1024
#: A declared Content-Length is a decimal number of at most this many digits (beyond, no body fits any limit).
_MAX_LENGTH_DIGITS = 19


def too_big(limit: int) -> HttpError:
    return HttpError(413, "payload_too_large", f"the body is over {limit} bytes", "body", limit=limit)


def nul_in(field: str) -> HttpError:
    return HttpError(422, "invalid_input", f"{field}: a NUL character is not text", field)


def _json_nul_field(data: Any) -> str:
    """The path of the first string (or key) holding a NUL, walked without recursion: a document nested
    thousands deep is no reason for a server error."""
    stack: list[tuple[Any, list[str]]] = [(data, [])]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            if "\x00" in value:
                return path[-1] if path and path[0] == "facts" else ".".join(path) or "body"
            continue
        items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
        children = []
        for key, item in items:
            if isinstance(key, str) and "\x00" in key:
                return ".".join([*path, key]) if not path or path[0] != "facts" else key
            children.append((item, [*path, str(key)]))
        stack.extend(reversed(children))  # document order
    return "body"


def nul_field(body: bytes, content_type: str = "application/json") -> str:
    """The field whose text holds a NUL: a form's field by name, a JSON document's by its path (a fact by its
    key), or "body" when the body is neither (or too deeply nested to parse)."""
    if content_type.startswith("application/x-www-form-urlencoded"):
        for name, value in parse_qsl(body.decode("latin-1"), keep_blank_values=True):
            if "\x00" in name or "\x00" in value:
                return name.replace("\x00", "") or "body"
        return "body"
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):
        return "body"
    return _json_nul_field(data)


def has_nul(body: bytes, content_type: str) -> bool:
    """A NUL as sent: raw (any body, but a file's part of a multipart form: a workbook is binary, and the route
    reading it refuses a text file holding one), escaped in JSON (\\u0000), or percent-encoded in a form (%00)."""
    if content_type.startswith("multipart/form-data"):
        return any(b"\x00" in part for part in _text_parts(body, content_type))
    if b"\x00" in body or b"\\u0000" in body:
        return True
    return content_type.startswith("application/x-www-form-urlencoded") and b"%00" in body


def _text_parts(body: bytes, content_type: str) -> list[bytes]:
    """A multipart form's parts that are not files (their headers included); the whole body when it does not
    parse as one."""
    boundary = next((part.strip()[len("boundary="):].strip('"') for part in content_type.split(";")
                     if part.strip().startswith("boundary=")), "")
    if not boundary:
        return [body]
    parts = body.split(b"--" + boundary.encode("latin-1"))
    return [part for part in parts if b"filename=" not in part.partition(b"\r\n\r\n")[0]]


class BodyLimit:
    """A plain ASGI middleware: MAX_BODY_BYTES, or the larger limit of a path in `larger` (a page taking a file),
    counted on the bytes as they arrive; NUL characters refused in the query and the body. `refuse` words the
    refusal (a page or JSON, chosen by the application)."""

    def __init__(self, app: ASGIApp, refuse: ErrorRenderer, larger: Mapping[str, int]) -> None:
        self.app = app
        self.refuse = refuse
        self.larger = larger

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        limit = self.larger.get(scope["path"], MAX_BODY_BYTES)
        declared = request.headers.get("content-length")
        if declared is not None and not _fits(declared, limit):
            await self._answer(scope, receive, send, too_big(limit), close=True)
            return
        for name, value in request.query_params.multi_items():
            if "\x00" in value or "\x00" in name:
                await self._answer(scope, receive, send, nul_in(name.replace("\x00", "") or "query"))
                return
        body = bytearray()
        while True:
            message = await receive()
            if message["type"] != "http.request":  # http.disconnect: the client left, nobody to answer
                return
            body += message.get("body", b"")
            if len(body) > limit:
                # Past the limit: answer now, and close the connection so the rest is never read.
                await self._answer(scope, receive, send, too_big(limit), close=True)
                return
            if not message.get("more_body", False):
                break
        content_type = request.headers.get("content-type", "")
        # A NUL character is no text a person types, and PostgreSQL refuses it in text columns.
        if has_nul(bytes(body), content_type):
            await self._answer(scope, receive, send, nul_in(nul_field(bytes(body), content_type)))
            return
        await self.app(scope, _replay(bytes(body), receive), send)

    async def _answer(self, scope: Scope, receive: Receive, send: Send, error: HttpError, *,
                      close: bool = False) -> None:
        response = self.refuse(Request(scope, receive), error)
        if close:
            response.headers["Connection"] = "close"
        await response(scope, receive, send)


def _fits(declared: str, limit: int) -> bool:
    text = declared.strip()
    return text.isascii() and text.isdigit() and len(text) <= _MAX_LENGTH_DIGITS and int(text) <= limit


def _replay(body: bytes, receive: Receive) -> Receive:
    """The body already read, as one message; then whatever the server says next (a disconnect)."""
    sent = False

    async def replay() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replay
