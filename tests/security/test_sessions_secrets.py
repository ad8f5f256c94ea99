"""Issue 12, item 2: the default configuration signed cookies with the public development secret, and
`serve --host 0.0.0.0` said nothing: a cookie forged for {"person_id": 2} logged in as the programme lead.

Now `serve` and `up` refuse the development secret on any address but loopback (production refuses it anywhere),
and the secret rotates: cookies signed with a secret listed in previous_secret_keys are accepted and signed again
with the current one. SQLite and PostgreSQL, through the real app (TestClient)."""

from __future__ import annotations

import json
from base64 import b64encode
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient
from itsdangerous import BadSignature, TimestampSigner
from pydantic import ValidationError
from typer.testing import CliRunner

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.tables import person_table
from contract_flow.asgi import create_app
from contract_flow.bootstrap import App, bootstrap
from contract_flow.cli import app as cli_app
from contract_flow.cli.up import listens_on_loopback_only
from contract_flow.settings import DEVELOPMENT_SECRET, Settings
from contract_flow.web.auth import SESSION_COOKIE
from tests.e2e.web.conftest import log_in
from tests.support.world import World

REAL, OLD, OLDER = "a-real-secret-from-the-site", "the-secret-before", "the-secret-before-that"


@contextmanager
def browser(database_url: str, clock: FixedClock, secret: str, previous: tuple[str, ...] = ()
            ) -> Iterator[TestClient]:
    """A browser on the app as a site configured with `secret` (and `previous` secrets) serves it."""
    app = bootstrap(Settings(database_url=database_url, environment="test", secret_key=secret,
                             previous_secret_keys=list(previous)), clock=clock)
    try:
        with TestClient(create_app(app), raise_server_exceptions=False) as client:
            yield client
    finally:
        app.close()


def person_id(app: App, email: str) -> int:
    with app.engine.connect() as connection:
        return int(connection.execute(sa.select(person_table.c.id).where(person_table.c.email == email)).scalar_one())


def forged(secret: str, content: dict[str, object]) -> str:
    """A session cookie as the attacker makes it: the session's JSON, base64, signed with `secret`."""
    return TimestampSigner(secret).sign(b64encode(json.dumps(content).encode())).decode()


def lands_on(client: TestClient, cookie: str | None = None) -> tuple[int, str]:
    if cookie is not None:
        client.cookies.set(SESSION_COOKIE, cookie)
    answer = client.get("/lead", follow_redirects=False)
    return answer.status_code, answer.headers.get("location", "")


def test_a_cookie_forged_with_the_development_secret_logs_in_while_that_secret_signs(
        app: App, world: World, database_url: str, clock: FixedClock) -> None:
    """The attack, as it works on a development server (loopback only, now): nothing but the secret is needed."""
    lead = person_id(app, world.one.user("programme_lead").email)
    with browser(database_url, clock, DEVELOPMENT_SECRET) as client:
        assert lands_on(client, forged(DEVELOPMENT_SECRET, {"person_id": lead, "session_version": 1})) == (200, "")


def test_a_cookie_forged_with_the_development_secret_is_refused_once_a_real_secret_is_set(
        app: App, world: World, database_url: str, clock: FixedClock) -> None:
    lead = person_id(app, world.one.user("programme_lead").email)
    for content in ({"person_id": lead, "session_version": 1}, {"person_id": lead}):
        with browser(database_url, clock, REAL) as client:
            assert lands_on(client, forged(DEVELOPMENT_SECRET, content)) == (303, "/login?next=/lead")


def test_a_session_signed_with_a_previous_secret_is_kept_and_signed_again_with_the_current_one(
        world: World, database_url: str, clock: FixedClock) -> None:
    with browser(database_url, clock, OLD) as before:
        log_in(before, world.one.user("programme_lead").email)
        signed_by_old = before.cookies[SESSION_COOKIE]
    with browser(database_url, clock, REAL, previous=(OLDER, OLD)) as after:
        after.cookies.set(SESSION_COOKIE, signed_by_old)
        answer = after.get("/lead", follow_redirects=False)
        assert answer.status_code == 200
        resigned = answer.cookies[SESSION_COOKIE]
    assert TimestampSigner(REAL).unsign(resigned)
    with pytest.raises(BadSignature):
        TimestampSigner(OLD).unsign(resigned)
    # Once signed again, the old secret can go: the browser's cookie no longer needs it.
    with browser(database_url, clock, REAL) as later:
        assert lands_on(later, resigned) == (200, "")


def test_a_session_signed_with_a_secret_no_longer_listed_is_refused(
        world: World, database_url: str, clock: FixedClock) -> None:
    with browser(database_url, clock, OLD) as before:
        log_in(before, world.one.user("programme_lead").email)
        signed_by_old = before.cookies[SESSION_COOKIE]
    with browser(database_url, clock, REAL, previous=(OLDER,)) as after:
        assert lands_on(after, signed_by_old) == (303, "/login?next=/lead")


# (host given to serve/up, whether only this machine can connect): the development secret is allowed on these.
HOSTS = [("127.0.0.1", True), ("127.1.2.3", True), ("::1", True), ("[::1]", True), ("localhost", True),
         ("0.0.0.0", False), ("::", False), ("192.168.1.20", False), ("cfa.example", False), ("", False)]


@pytest.mark.parametrize(("host", "loopback"), HOSTS)
def test_only_loopback_addresses_count_as_this_machine(host: str, loopback: bool) -> None:
    assert listens_on_loopback_only(host) is loopback


@pytest.mark.parametrize("command", [["serve", "--host", "0.0.0.0"], ["up", "--host", "0.0.0.0", "--no-mail"],
                                     ["serve", "--host", "192.168.1.20", "--port", "8123"]])
@pytest.mark.parametrize("secrets", [{}, {"CONTRACT_FLOW_SECRET_KEY": REAL,
                                          "CONTRACT_FLOW_PREVIOUS_SECRET_KEYS": json.dumps([DEVELOPMENT_SECRET])}])
def test_serving_beyond_loopback_with_the_development_secret_exits_2_saying_what_to_set(
        command: list[str], secrets: dict[str, str], monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CONTRACT_FLOW_SECRET_KEY", raising=False)
    monkeypatch.delenv("CONTRACT_FLOW_PREVIOUS_SECRET_KEYS", raising=False)
    for name, value in secrets.items():
        monkeypatch.setenv(name, value)
    result = CliRunner().invoke(cli_app, command)
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert "définissez CONTRACT_FLOW_SECRET_KEY" in result.output  # French by default
    english = CliRunner().invoke(cli_app, ["--lang", "en", *command])
    assert "set CONTRACT_FLOW_SECRET_KEY" in english.output


@pytest.mark.parametrize(("secret", "previous", "field"), [
    (DEVELOPMENT_SECRET, [], "secret_key"),
    (REAL, [OLD, DEVELOPMENT_SECRET], "previous_secret_keys"),
])
def test_production_refuses_the_development_secret_as_current_or_previous(
        secret: str, previous: list[str], field: str) -> None:
    with pytest.raises(ValidationError, match=field):
        Settings(environment="production", secret_key=secret, previous_secret_keys=previous,
                 database_url="postgresql+psycopg://contract-flow@db/contract-flow")
