"""Issue 12, item 4: sessions outlived logout and password changes. Now the session cookie carries the person's
session version; a logout, a password change, a role change, a deactivation and `user sessions --revoke` bump it,
and every session of the person ends at once, a copied cookie included. A deactivated user cannot log in (the
answer of a wrong password). SQLite and PostgreSQL, through the real app (TestClient)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from fastapi.testclient import TestClient

from contract_flow.bootstrap import App
from contract_flow.services.directory import (
    activate_user,
    change_role,
    deactivate_user,
    end_session,
    new_api_token,
    sessions_of,
    set_password,
)
from contract_flow.web.auth import SESSION_COOKIE
from tests.conftest import snapshot
from tests.e2e.web.conftest import Site, csrf_of, log_in
from tests.security.test_sessions_secrets import forged, person_id
from tests.support.world import PASSWORD

ADVISOR_PAGE = "/board"


def logged_in(site: Site, role: str = "advisor") -> tuple[TestClient, str]:
    """A browser logged in as CFA one's `role`, and its session cookie as an attacker would copy it."""
    client = site.as_(role)
    assert client.get(ADVISOR_PAGE if role == "advisor" else "/", follow_redirects=False).status_code in (200, 303)
    return client, client.cookies[SESSION_COOKIE]


def replayed(site: Site, cookie: str, page: str = ADVISOR_PAGE) -> int:
    """The status a fresh browser gets on `page` with a copy of `cookie` (200: the session is alive; 303 to the
    login form: it is over)."""
    thief = site.anonymous()
    thief.cookies.set(SESSION_COOKIE, cookie)
    return thief.get(page, follow_redirects=False).status_code


def test_a_copied_cookie_is_refused_after_its_session_logs_out(site: Site) -> None:
    client, copy = logged_in(site)
    assert replayed(site, copy) == 200
    answer = client.post("/logout", data={"csrf_token": csrf_of(client.get(ADVISOR_PAGE).text)},
                         follow_redirects=False)
    assert answer.headers["location"] == "/login"
    assert replayed(site, copy) == 303
    assert client.get(ADVISOR_PAGE, follow_redirects=False).status_code == 303


# What ends every session of the advisor at once, each as an operator (or the user) does it.
ENDINGS: dict[str, Callable[[App, str], object]] = {
    "a password change": lambda app, email: set_password(app, email, "un tout nouveau mot de passe"),
    "a role change": lambda app, email: change_role(app, email, "programme_lead"),
    "a move to another CFA": lambda app, email: change_role(app, email, "advisor", cfa_code="other-cfa"),
    "a deactivation": deactivate_user,
    "user sessions --revoke": lambda app, email: sessions_of(app, email, revoke=True),
}


@pytest.mark.parametrize("ending", ENDINGS)
def test_every_session_of_the_person_ends_at_once(site: Site, ending: str) -> None:
    advisor = site.world.one.user("advisor").email
    _, first_copy = logged_in(site)
    second, _ = logged_in(site)
    _, lead_copy = logged_in(site, "programme_lead")
    ENDINGS[ending](site.app, advisor)
    assert replayed(site, first_copy) == 303
    assert second.get(ADVISOR_PAGE, follow_redirects=False).headers["location"] == f"/login?next={ADVISOR_PAGE}"
    assert replayed(site, lead_copy, "/lead") == 200, "another person's sessions go on"


def test_a_role_or_cfa_unchanged_ends_nothing(site: Site) -> None:
    advisor = site.world.one.user("advisor").email
    _, copy = logged_in(site)
    before = snapshot(site.app)
    state = change_role(site.app, advisor, "advisor")
    assert state.done == "unchanged"
    assert snapshot(site.app) == before
    assert replayed(site, copy) == 200


def test_a_logout_of_a_session_already_over_ends_no_newer_one(site: Site) -> None:
    """A stale copy's logout (its own CSRF token, its version gone) must not log the person out again."""
    advisor = site.world.one.user("advisor").email
    _, stale = logged_in(site)
    sessions_of(site.app, advisor, revoke=True)
    _, fresh = logged_in(site)
    advisor_id = person_id(site.app, advisor)
    assert end_session(site.app, advisor_id, 1) is False
    assert replayed(site, fresh) == 200
    assert replayed(site, stale) == 303


def test_a_cookie_without_a_session_version_is_no_session(site: Site) -> None:
    """A cookie of the former format ({"person_id", "csrf_token"}), signed with the site's secret: its session
    cannot be ended, so it is refused (after the upgrade, everyone logs in once more)."""
    advisor_id = person_id(site.app, site.world.one.user("advisor").email)
    cookie = forged(site.app.settings.secret_key, {"person_id": advisor_id, "csrf_token": "x"})
    assert replayed(site, cookie) == 303
    cookie = forged(site.app.settings.secret_key, {"person_id": advisor_id, "session_version": 1})
    assert replayed(site, cookie) == 200, "the same cookie with the current version is a session (the control)"


def login_answer(site: Site, email: str, password: str) -> tuple[int, str]:
    client = site.anonymous()
    token = csrf_of(client.get("/login").text)
    answer = client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                         follow_redirects=False)
    return answer.status_code, answer.text.replace(email, "EMAIL")


def test_a_deactivated_user_cannot_log_in_and_is_told_what_a_wrong_password_is_told(site: Site) -> None:
    tutor = site.world.one.user("tutor").email
    deactivate_user(site.app, tutor)
    deactivated = login_answer(site, tutor, PASSWORD)
    wrong = login_answer(site, site.world.one.user("mentor").email, "pas le bon mot de passe")
    assert deactivated[0] == wrong[0] == 401
    assert deactivated[1].replace(csrf_of(deactivated[1]), "") == wrong[1].replace(csrf_of(wrong[1]), "")


def test_a_reactivated_user_logs_in_again_but_their_old_tokens_stay_revoked(site: Site) -> None:
    tutor = site.world.one.user("tutor")
    api = site.anonymous()
    headers = {"Authorization": f"Bearer {tutor.token}"}
    assert api.get("/api/v1/cases", headers=headers).status_code == 200
    deactivated = deactivate_user(site.app, tutor.email)
    assert (deactivated.active, deactivated.done) == (False, "deactivated")
    assert api.get("/api/v1/cases", headers=headers).status_code == 401
    again = deactivate_user(site.app, tutor.email)
    assert (again.done, again.deactivated_at) == ("unchanged", deactivated.deactivated_at)
    reactivated = activate_user(site.app, tutor.email)
    assert (reactivated.active, reactivated.done, reactivated.deactivated_at) == (True, "activated", None)
    log_in(site.anonymous(), tutor.email)
    assert api.get("/api/v1/cases", headers=headers).status_code == 401
    fresh = new_api_token(site.app, tutor.email)
    assert api.get("/api/v1/cases", headers={"Authorization": f"Bearer {fresh.token}"}).status_code == 200
