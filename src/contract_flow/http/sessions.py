"""The session cookie, signed with the current secret and still accepted when an earlier secret signed it.

Starlette's SessionMiddleware signs with one key: changing `secret_key` would log everyone out at once. This is
the same cookie (base64 JSON, itsdangerous's TimestampSigner, the same flags), signed by itsdangerous's key
rotation: the signer is given every accepted secret, oldest first; the last one signs, any one verifies. A cookie
that only an earlier secret verifies is marked changed, so the response carries it signed with the current
secret: after one request the old secret is no longer needed for that browser.

The cookie's lifetime (`max_age`) runs from its last signature: a session whose data does not change expires
`max_age` after the login (what `web/auth.py` wants: an advisor logs in once a day), a re-signed one is given the
rest of that lifetime again (bounded: it happens once per rotation).
"""

from __future__ import annotations

import json
from base64 import b64decode, b64encode
from binascii import Error as Base64Error
from collections.abc import Sequence
from typing import Literal

from itsdangerous import BadSignature, TimestampSigner
from starlette.datastructures import MutableHeaders
from starlette.middleware.sessions import Session
from starlette.requests import HTTPConnection
from starlette.types import ASGIApp, Message, Receive, Scope, Send


class RotatingSessionMiddleware:
    """`scope["session"]` from a cookie signed with `secret_keys[-1]` or, until it is re-signed, an earlier one."""

    def __init__(self, app: ASGIApp, *, secret_keys: Sequence[str], session_cookie: str, max_age: int,
                 same_site: Literal["lax", "strict", "none"] = "lax", https_only: bool = False) -> None:
        if not secret_keys or not all(secret_keys):
            raise ValueError("secret_keys: at least the current secret, none empty")
        self.app = app
        self.current = TimestampSigner(secret_keys[-1])
        # itsdangerous's rotation: a list of keys, oldest first; the last signs, every one verifies.
        self.rotated = TimestampSigner(list(secret_keys)) if len(secret_keys) > 1 else None
        self.session_cookie = session_cookie
        self.max_age = max_age
        self.flags = f"httponly; samesite={same_site}" + ("; secure" if https_only else "")

    def _read(self, cookie: str) -> tuple[Session, bool]:
        """The session in `cookie` and whether it must be signed again (an earlier secret signed it); an empty
        session for a cookie no accepted secret signed, an expired one, or one that is not a session."""
        data = cookie.encode("utf-8")
        try:
            payload, stale = self.current.unsign(data, max_age=self.max_age), False
        except BadSignature:
            if self.rotated is None:
                return Session(), False
            try:
                payload, stale = self.rotated.unsign(data, max_age=self.max_age), True
            except BadSignature:
                return Session(), False
        try:
            content = json.loads(b64decode(payload))
        except (ValueError, Base64Error):
            return Session(), False
        return (Session(content), stale) if isinstance(content, dict) else (Session(), False)

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket"):
            await self.app(scope, receive, send)
            return
        cookie = HTTPConnection(scope).cookies.get(self.session_cookie)
        session, stale = self._read(cookie) if cookie is not None else (Session(), False)
        had_session = bool(session)
        if stale:
            session.mark_modified()  # signed again below, with the current secret
        scope["session"] = session

        async def send_wrapper(message: Message) -> None:
            if message["type"] == "http.response.start":
                current: Session = scope["session"]
                message.setdefault("headers", [])
                headers = MutableHeaders(scope=message)
                if current.accessed:
                    headers.add_vary_header("Cookie")
                if current.modified and current:
                    value = self.current.sign(b64encode(json.dumps(current).encode("utf-8"))).decode("utf-8")
                    headers.append("Set-Cookie", f"{self.session_cookie}={value}; path=/; "
                                                 f"Max-Age={self.max_age}; {self.flags}")
                elif current.modified and had_session:
                    headers.append("Set-Cookie", f"{self.session_cookie}=null; path=/; "
                                                 f"expires=Thu, 01 Jan 1970 00:00:00 GMT; {self.flags}")
            await send(message)

        await self.app(scope, receive, send_wrapper)
