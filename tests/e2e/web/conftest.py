"""The web pages' world (tests/support/world.py: two CFAs, a user per role, cases in their trial) and a browser
stand-in: `site.as_("tutor", 2)` is a TestClient logged in as CFA 2's tutor through the login form (SQLite and
PostgreSQL, as the API tests)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

import httpx
import pytest
from fastapi.testclient import TestClient

from contract_flow.asgi import create_app
from contract_flow.bootstrap import App
from tests.support.world import PASSWORD, World

_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def csrf_of(html: str) -> str:
    """The CSRF token of the first form of a page."""
    found = _CSRF.search(html)
    assert found is not None, "the page has no form with a CSRF token"
    return found.group(1)


def log_in(client: TestClient, email: str, password: str = PASSWORD) -> httpx.Response:
    form = client.get("/login")
    answer = client.post("/login", data={"email": email, "password": password, "csrf_token": csrf_of(form.text)},
                         follow_redirects=False)
    assert answer.status_code == 303, answer.text
    return answer


@dataclass
class Site:
    app: App
    world: World
    _clients: list[TestClient] = field(default_factory=list)

    def anonymous(self) -> TestClient:
        client = TestClient(create_app(self.app), raise_server_exceptions=False)
        client.__enter__()
        self._clients.append(client)
        return client

    def as_(self, role: str, cfa: int | str = 1) -> TestClient:
        client = self.anonymous()
        log_in(client, self.world.cfa(cfa).user(role).email)
        return client

    def post_form(self, client: TestClient, page: str, action: str, data: dict[str, str | list[str]],
                  **kwargs: object) -> object:
        """Post `data` to `action` with the CSRF token of the page at `page`, as a browser would."""
        token = csrf_of(client.get(page).text)
        return client.post(action, data={**data, "csrf_token": token}, **kwargs)  # type: ignore[arg-type]

    def close(self) -> None:
        for client in self._clients:
            client.__exit__(None, None, None)


@pytest.fixture
def site(app: App, world: World) -> Iterator[Site]:
    built = Site(app, world)
    try:
        yield built
    finally:
        built.close()
