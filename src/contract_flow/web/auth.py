"""Who is on the page: the session cookie, the CSRF token of its forms, the roles a page is for.

The session is a signed cookie (itsdangerous, keyed by `secret_key`, earlier secrets still accepted: http/sessions.py;
HttpOnly, SameSite=Lax, Secure in production). It holds the person's id, their session version at login and the
CSRF token, nothing else; the person is read again on each request, and the session is over when the person has no
web login any more, is deactivated, or has another session version: a logout, a password or role change, a
deactivation and `user sessions --revoke` bump it, ending every session of the person at once (a copied cookie
too). A cookie without a version (made before versions existed, or forged) is no session.
"""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Request

from contract_flow.domain.errors import NotAuthenticated
from contract_flow.http.deps import services
from contract_flow.services.access import Principal, principal_of
from contract_flow.services.directory import end_session

SESSION_COOKIE = "contract_flow_session"
#: A working day and a half: an advisor logs in once a day.
SESSION_MAX_AGE_SECONDS = 12 * 3600
CSRF_FIELD = "csrf_token"
#: The session's keys: whose session it is, and the session version it was opened with.
PERSON, VERSION = "person_id", "session_version"
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
    """Open a session for `person_id` (whose password was just checked), carrying their current session version.
    Raises LoginRequired when the person cannot have one (deactivated, no web login) in the meantime."""
    try:
        version = principal_of(services(request), person_id, None).session_version
    except NotAuthenticated:
        raise LoginRequired("/") from None
    # A new session on login: nothing of an earlier one (its CSRF token included) carries over.
    language = request.session.get("language")
    request.session.clear()
    request.session[PERSON] = person_id
    request.session[VERSION] = version
    if language:
        request.session["language"] = language
    csrf_token(request)


def log_out(request: Request) -> None:
    """End this session for good: the cookie is cleared, and the person's session version bumped (if this
    session still carries it), so a copy of the cookie is refused too (and their other sessions end)."""
    person_id, version = request.session.get(PERSON), request.session.get(VERSION)
    if isinstance(person_id, int) and isinstance(version, int):
        end_session(services(request), person_id, version)
    request.session.clear()


def current_user(request: Request) -> Principal:
    person_id, version = request.session.get(PERSON), request.session.get(VERSION)
    if not isinstance(person_id, int) or not isinstance(version, int):
        if request.session:
            request.session.pop(PERSON, None)
            request.session.pop(VERSION, None)
        raise LoginRequired(_here(request))
    try:
        return principal_of(services(request), person_id, version)
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
