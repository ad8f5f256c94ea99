"""The security headers of every answer (issue 12, "Headers"), in one plain ASGI middleware.

- Pages get a strict Content-Security-Policy: the pages run no inline script and no inline style (htmx's own
  indicator style and its eval are turned off by the `htmx-config` meta tag of templates/web/base.html), so
  everything comes from this origin; no frame may embed them (`frame-ancestors 'none'`, and X-Frame-Options for
  older browsers), forms post only here, and no <base> or plugin can redirect them. The API's answers are data,
  never documents: `default-src 'none'`. The interactive documents (/docs, /redoc) load Swagger UI and ReDoc
  from this origin (contract_flow.http.docs) and start them with an inline script and style: they may run those,
  and nothing from another host.
- Every answer: `X-Content-Type-Options: nosniff` (a JSON answer is never sniffed as HTML), `Referrer-Policy:
  same-origin` (case ids in URLs do not leave the site), `X-Frame-Options: DENY`.
- `Cache-Control: no-store` on every answer but the static files: pages and API answers carry personal data
  (names, birth dates, pay) that no shared or browser cache should keep after a logout; an answer that already
  says how to cache itself keeps its own header.
"""

from __future__ import annotations

from collections.abc import Callable

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

PAGE_POLICY = ("default-src 'self'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'; "
               "object-src 'none'")
API_POLICY = "default-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
#: Swagger UI and ReDoc: their files from this origin, started by an inline script (ReDoc: styles, a blob worker).
DOCUMENTS = ("/docs", "/redoc")
DOCUMENTS_POLICY = ("default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; "
                    "img-src 'self' data:; font-src 'self' data:; worker-src 'self' blob:; base-uri 'none'; "
                    "form-action 'self'; frame-ancestors 'none'; object-src 'none'")
#: Static files (CSS, htmx; the documents' Swagger UI and ReDoc) hold no personal data: browsers may cache them
#: (their URLs carry the version).
CACHEABLE = ("/static/", "/docs/assets/")

EVERY_ANSWER = {"X-Content-Type-Options": "nosniff", "X-Frame-Options": "DENY", "Referrer-Policy": "same-origin"}


def policy_for(path: str, is_page: Callable[[str], bool]) -> str:
    if path.startswith(DOCUMENTS):
        return DOCUMENTS_POLICY
    return PAGE_POLICY if is_page(path) else API_POLICY


class SecurityHeaders:
    """Adds the headers above to each answer's start, without reading or buffering its body."""

    def __init__(self, app: ASGIApp, is_page: Callable[[str], bool]) -> None:
        self.app = app
        self.is_page = is_page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        policy = policy_for(path, self.is_page)
        cacheable = path.startswith(CACHEABLE)

        async def with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                message["headers"] = list(message.get("headers", []))
                headers = MutableHeaders(scope=message)
                for name, value in EVERY_ANSWER.items():
                    headers.setdefault(name, value)
                headers.setdefault("Content-Security-Policy", policy)
                if not cacheable:
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self.app(scope, receive, with_headers)
