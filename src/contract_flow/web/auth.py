"""Who is on the page: the session cookie, the CSRF token of its forms, the roles a page is for.

The session is Starlette's signed cookie (itsdangerous, keyed by `secret_key`; HttpOnly, SameSite=Lax, Secure in
production). It holds the person's id and the CSRF token, nothing else; the person is read again on each request,
so that removing a password (or the user) ends their sessions at once.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

from contract_flow.domain.errors import NotAuthenticated
from contract_flow.http.deps import services
from contract_flow.services.access import Principal, principal_of

SESSION_COOKIE = "contract_flow_session"
#: A working day and a half: an advisor logs in once a day.
SESSION_MAX_AGE_SECONDS = 12 * 3600
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "X-CSRF-Token"


class LoginRequired(Exception):
    """No session, or one whose user has gone: the page sends the browser to the login form."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


class CsrfRefused(Exception):
    """A form posted without the token of this session (another site's form, or an expired session)."""


def csrf_token(request: Request) -> str:
    token = request.session.get(CSRF_FIELD)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        request.session[CSRF_FIELD] = token
    return token


def log_in(request: Request, person_id: int) -> None:
    # A new session on login: nothing of an earlier one (its CSRF token included) carries over.
    language = request.session.get("language")
    request.session.clear()
    request.session["person_id"] = person_id
    if language:
        request.session["language"] = language
    csrf_token(request)


def log_out(request: Request) -> None:
    request.session.clear()


def current_user(request: Request) -> Principal:
    person_id = request.session.get("person_id")
    if not isinstance(person_id, int):
        raise LoginRequired(_here(request))
    try:
        return principal_of(services(request), person_id)
    except NotAuthenticated:
        request.session.clear()
        raise LoginRequired(_here(request)) from None


def _here(request: Request) -> str:
    query = request.url.query
    return request.url.path + (f"?{query}" if query else "") if request.method == "GET" else "/"


async def checked_csrf(request: Request) -> None:
    """Every POST of the pages carries the session's token: as a form field, or as htmx's header."""
    expected = request.session.get(CSRF_FIELD)
    sent = request.headers.get(CSRF_HEADER)
    if sent is None:
        form = await request.form()
        value = form.get(CSRF_FIELD)
        sent = value if isinstance(value, str) else None
    if not isinstance(expected, str) or sent is None or not secrets.compare_digest(expected, sent):
        raise CsrfRefused()


User = Annotated[Principal, Depends(current_user)]
Csrf = Depends(checked_csrf)
