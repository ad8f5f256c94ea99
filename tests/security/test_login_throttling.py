"""Issue 12, item 5: login throttling, reproduced through the real login form (TestClient) on SQLite and PostgreSQL.

The attack: 50 wrong passwords in 5 seconds, then the right one worked. Now 5 failures in a row (setting
login_max_failures) lock the account for 1 minute (login_lockout_seconds), each further failure doubles the window up
to 1 hour (login_lockout_max_seconds); 20 failures from one address (login_max_failures_per_address) lock the
address, whatever the accounts tried. While locked, even the right password gets the wrong password's answer; an
unknown email is answered and throttled exactly as a known one. Sources of the rule: OWASP Authentication Cheat
Sheet ("Account lockout"), ANSSI's recommendations on passwords (2021), see domain/logins.py.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import timedelta

import httpx
import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from contract_flow.adapters import passwords
from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.passwords import PasswordVerifier
from contract_flow.adapters.tables import login_failure_table
from contract_flow.asgi import create_app
from contract_flow.bootstrap import App, bootstrap
from contract_flow.domain.logins import Throttle, address_key
from contract_flow.services.directory import add_user
from contract_flow.settings import Settings
from tests.e2e.web.conftest import csrf_of

PASSWORD = "le bon mot de passe"
WRONG = "un mauvais mot de passe"
FAILED = "E-mail ou mot de passe incorrect."
#: The accounts of the tests: the first is the attacked one.
EMAILS = tuple(f"user{n}@cfa.example" for n in range(1, 8))
UNKNOWN = "personne@cfa.example"


@pytest.fixture
def accounts(app: App) -> tuple[str, ...]:
    for email in EMAILS:
        add_user(app, email, name=email.split("@")[0].title(), role="tutor", password=PASSWORD)
    return EMAILS


@dataclass
class Browser:
    """One browser at one client address, posting the real login form (with its CSRF token)."""

    client: TestClient

    def login(self, email: str, password: str) -> httpx.Response:
        token = csrf_of(self.client.get("/login").text)
        return self.client.post("/login", data={"email": email, "password": password, "csrf_token": token},
                                follow_redirects=False)

    def outcome(self, email: str, password: str) -> str:
        """"in" (logged in), "refused" (the one generic error) or the unexpected answer."""
        answer = self.login(email, password)
        if answer.status_code == 303:
            self.client.cookies.clear()  # logged out again: the next login starts from a fresh session
            return "in"
        if answer.status_code == 401 and FAILED in answer.text:
            return "refused"
        return f"{answer.status_code}: {answer.text[:200]}"


@pytest.fixture
def browsers(app: App) -> Iterator[dict[str, Browser]]:
    """A browser per client address, lazily: browsers["203.0.113.7"]."""
    opened: dict[str, Browser] = {}

    class Lazy(dict[str, Browser]):
        def __missing__(self, address: str) -> Browser:
            client = TestClient(create_app(app), raise_server_exceptions=False, client=(address, 40000))
            client.__enter__()
            opened[address] = self[address] = Browser(client)
            return opened[address]

    yield Lazy()
    for browser in opened.values():
        browser.client.__exit__(None, None, None)


def counters(app: App) -> dict[tuple[str, str], int]:
    with app.engine.connect() as connection:
        rows = connection.execute(sa.select(login_failure_table.c.kind, login_failure_table.c.key,
                                            login_failure_table.c.failures))
        return {(row.kind, row.key): row.failures for row in rows}


# -- the rule itself (domain/logins.py) ------------------------------------------------------------------------

RULE = Throttle(5, timedelta(minutes=1), timedelta(hours=1), timedelta(days=1))


@pytest.mark.parametrize(("failures", "locked_for"), [
    (1, None), (4, None),                                          # below login_max_failures: no lock
    (5, timedelta(minutes=1)),                                     # the 5th: the base window
    (6, timedelta(minutes=2)), (7, timedelta(minutes=4)),          # each further one doubles it
    (10, timedelta(minutes=32)), (11, timedelta(hours=1)),         # 64 minutes would pass the cap: 1 h
    (50, timedelta(hours=1)), (10_000, timedelta(hours=1)),        # the 50, and far beyond
])
def test_failures_in_a_row_lock_for_a_window_doubling_up_to_its_cap(failures: int,
                                                                    locked_for: timedelta | None) -> None:
    assert RULE.lock_for(failures) == locked_for


def test_failures_older_than_the_memory_are_forgotten(clock: FixedClock) -> None:
    now = clock.now()
    assert RULE.failures_after(4, now - timedelta(hours=23), now) == 5
    assert RULE.failures_after(4, now - timedelta(hours=25), now) == 1


@pytest.mark.parametrize(("host", "key"), [
    ("203.0.113.7", "203.0.113.7"),
    ("::ffff:203.0.113.7", "203.0.113.7"),                              # an IPv4 client on an IPv6 socket
    ("2001:db8:1:2:aaaa::1", "2001:db8:1:2::/64"),                        # RFC 6177: one subscriber's /64
    ("2001:db8:1:2:bbbb::9", "2001:db8:1:2::/64"),                        # ... is one counter
])
def test_an_address_is_counted_as_its_ipv4_address_or_its_ipv6_slash_64(host: str, key: str) -> None:
    assert address_key(host) == key


# -- through the login form, on both databases -----------------------------------------------------------------

def test_fifty_wrong_passwords_then_the_right_one_is_refused_while_the_account_is_locked(
        app: App, accounts: tuple[str, ...], browsers: dict[str, Browser]) -> None:
    """The issue's attack, each attempt from its own address (the per-address lock does not help here)."""
    victim = accounts[0]
    outcomes = [browsers[f"198.51.100.{n}"].outcome(victim, WRONG) for n in range(1, 51)]
    assert outcomes == ["refused"] * 50
    assert browsers["198.51.100.99"].outcome(victim, PASSWORD) == "refused"
    # Only 5 were counted: the 45 others came while the account was locked, refused before any hashing.
    assert counters(app)[("account", victim)] == 5


def test_a_locked_account_opens_again_after_its_window_which_doubles_with_the_next_failure(
        app: App, clock: FixedClock, accounts: tuple[str, ...], browsers: dict[str, Browser]) -> None:
    victim, browser = accounts[0], browsers["198.51.100.1"]
    assert [browser.outcome(victim, WRONG) for _ in range(5)] == ["refused"] * 5
    clock.advance(timedelta(seconds=59))
    assert browser.outcome(victim, PASSWORD) == "refused"  # 59 s into the 1-minute window
    clock.advance(timedelta(seconds=2))
    assert browser.outcome(victim, WRONG) == "refused"  # the 6th failure in a row: locked for 2 minutes
    clock.advance(timedelta(seconds=119))
    assert browser.outcome(victim, PASSWORD) == "refused"
    clock.advance(timedelta(seconds=2))
    assert browser.outcome(victim, PASSWORD) == "in"


def test_one_address_trying_many_accounts_is_locked_for_every_account(
        app: App, accounts: tuple[str, ...], browsers: dict[str, Browser]) -> None:
    """20 failures from one address, 4 on each of 5 accounts (no account reaches its own 5): the address is
    locked, even for a 6th account's right password; that account still logs in from elsewhere."""
    attacker = browsers["203.0.113.66"]
    tried = [attacker.outcome(email, WRONG) for email in accounts[:5] for _ in range(4)]
    assert tried == ["refused"] * 20
    assert attacker.outcome(accounts[5], PASSWORD) == "refused"
    assert counters(app)[("address", "203.0.113.66")] == 20
    assert browsers["192.0.2.10"].outcome(accounts[5], PASSWORD) == "in"


def test_an_unknown_email_is_answered_and_throttled_as_a_known_one(
        app: App, accounts: tuple[str, ...], browsers: dict[str, Browser]) -> None:
    """Same statuses, same page (but the email typed and the form's token), same counters, same lock."""
    known, unknown = browsers["198.51.100.1"], browsers["198.51.100.2"]
    for attempt in range(7):
        seen = []
        for browser, email in ((known, accounts[0]), (unknown, UNKNOWN)):
            answer = browser.login(email.upper() if attempt % 2 else email, WRONG)
            token = csrf_of(answer.text)
            seen.append((answer.status_code, answer.text.replace(token, "TOKEN").replace(email, "EMAIL")
                         .replace(email.upper(), "EMAIL")))
        assert seen[0] == seen[1], f"attempt {attempt + 1}"
        assert seen[0][0] == 401
    found = counters(app)
    assert found[("account", accounts[0])] == found[("account", UNKNOWN)] == 5
    assert known.outcome(accounts[0], PASSWORD) == "refused"


def test_a_success_resets_the_counters_of_the_account_and_the_address(
        app: App, accounts: tuple[str, ...], browsers: dict[str, Browser]) -> None:
    browser = browsers["198.51.100.1"]
    assert [browser.outcome(accounts[0], WRONG) for _ in range(4)] == ["refused"] * 4
    assert browser.outcome(accounts[0], PASSWORD) == "in"
    assert counters(app) == {}
    # Four more mistakes are four, not eight: the right password still works.
    assert [browser.outcome(accounts[0], WRONG) for _ in range(4)] == ["refused"] * 4
    assert browser.outcome(accounts[0], PASSWORD) == "in"


def test_a_deactivated_user_gets_the_wrong_passwords_answer(
        app: App, accounts: tuple[str, ...], browsers: dict[str, Browser]) -> None:
    with app.engine.begin() as connection:
        connection.execute(sa.text("UPDATE person SET active = false WHERE email = :email"), {"email": accounts[0]})
    assert browsers["198.51.100.1"].outcome(accounts[0], PASSWORD) == "refused"


# -- the verifier: off the request threads, bounded ------------------------------------------------------------

def test_a_full_verification_queue_answers_429_with_retry_after_and_counts_nothing(
        app: App, accounts: tuple[str, ...], browsers: dict[str, Browser], monkeypatch: pytest.MonkeyPatch) -> None:
    """A flood fills the verifier's queue (here 1 long): the next login is told to come back, at once."""
    app.passwords.close()
    app.passwords = PasswordVerifier(workers=1, queue=1, nice=0)
    release, started = threading.Event(), threading.Event()
    real = passwords.matches

    def slow(stored: str, password: str) -> bool:
        started.set()
        release.wait(10)
        return real(stored, password)

    monkeypatch.setattr(passwords, "matches", slow)
    waiting = threading.Thread(target=app.passwords.verify, args=(passwords.nobody("cheapest"), WRONG))
    waiting.start()
    try:
        assert started.wait(10)
        answer = browsers["198.51.100.1"].login(accounts[0], PASSWORD)
        assert answer.status_code == 429
        assert int(answer.headers["Retry-After"]) >= 1
        assert "Trop de connexions en même temps" in answer.text
    finally:
        release.set()
        waiting.join(10)
    assert counters(app) == {}
    assert browsers["198.51.100.1"].outcome(accounts[0], PASSWORD) == "in"


@pytest.mark.skipif(not hasattr(os, "setpriority"), reason="per-thread nice values are Linux's")
def test_verifications_run_on_a_worker_thread_at_a_lower_priority(monkeypatch: pytest.MonkeyPatch) -> None:
    seen: list[tuple[int, int]] = []

    def spy(stored: str, password: str) -> bool:
        seen.append((threading.get_native_id(), os.getpriority(os.PRIO_PROCESS, threading.get_native_id())))
        return False

    monkeypatch.setattr(passwords, "matches", spy)
    verifier = PasswordVerifier(workers=1, queue=2, nice=10)
    try:
        verifier.verify("hash", "password")
    finally:
        verifier.close()
    [(thread, priority)] = seen
    assert thread != threading.get_native_id()
    assert priority >= os.getpriority(os.PRIO_PROCESS, threading.get_native_id()) + 10 or priority == 19


# -- the client address behind a reverse proxy ------------------------------------------------------------------

@pytest.mark.parametrize(("trusted", "peer", "forwarded", "counted"), [
    ((), "198.51.100.1", "203.0.113.9", "198.51.100.1"),                  # no proxy trusted: the header is ignored
    (("10.0.0.0/8",), "198.51.100.1", "203.0.113.9", "198.51.100.1"),     # a peer that is no proxy: ignored too
    (("10.0.0.0/8",), "10.1.2.3", "203.0.113.9", "203.0.113.9"),          # the trusted proxy says who it served
    (("10.0.0.0/8",), "10.1.2.3", "1.1.1.1, 203.0.113.9, 10.0.0.2", "203.0.113.9"),  # nearest untrusted hop
    (("10.0.0.0/8",), "10.1.2.3", "not-an-address", "10.1.2.3"),          # garbage: counted against the proxy
])
def test_behind_trusted_proxies_the_forwarded_address_is_the_one_counted(
        database_url: str, clock: FixedClock, trusted: tuple[str, ...], peer: str, forwarded: str,
        counted: str) -> None:
    app = bootstrap(Settings(database_url=database_url, environment="test", trusted_proxies=list(trusted)),
                    clock=clock)
    try:
        with TestClient(create_app(app), raise_server_exceptions=False, client=(peer, 40000)) as client:
            token = csrf_of(client.get("/login").text)
            answer = client.post("/login", data={"email": UNKNOWN, "password": WRONG, "csrf_token": token},
                                 headers={"X-Forwarded-For": forwarded})
        assert answer.status_code == 401
        assert counters(app) == {("account", UNKNOWN): 1, ("address", counted): 1}
    finally:
        app.close()


def test_the_throttle_settings_are_checked() -> None:
    with pytest.raises(ValueError, match="login_lockout_max_seconds"):
        Settings(login_lockout_seconds=120, login_lockout_max_seconds=60)
    with pytest.raises(ValueError, match="trusted_proxies"):
        Settings(trusted_proxies=["proxy.example"])
