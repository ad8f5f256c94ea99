"""`Server-Timing: app;dur=<ms>`: the time the server spent on an answer (issue 6: a page in at most 300 ms with
10,000 cases; bench/web.py reads it)."""

from __future__ import annotations

import time
from collections.abc import Callable

from starlette.types import ASGIApp, Message, Receive, Scope, Send


class ServerTiming:
    """A plain ASGI middleware that times the paths `timed` accepts and lets anything else through untouched:
    the API pays nothing for the pages' header, and its answers stay byte for byte the same for a missing case
    and another CFA's."""

    def __init__(self, app: ASGIApp, timed: Callable[[str], bool]) -> None:
        self.app = app
        self.timed = timed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self.timed(scope["path"]):
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()

        async def timed(message: Message) -> None:
            if message["type"] == "http.response.start":
                elapsed = f"app;dur={(time.perf_counter() - started) * 1000:.1f}"
                message.setdefault("headers", []).append((b"server-timing", elapsed.encode("ascii")))
            await send(message)

        await self.app(scope, receive, timed)
