"""Issue 12, item 4: API tokens never expired and could not be revoked. Now a token expires (setting
api_token_days, 90 by default; a token issued before expiries existed, 90 days after its issue), can be listed
and revoked, and its last use is recorded (at most once a minute). An expired, revoked or deactivated user's token
gets the 401 of an unknown one. SQLite and PostgreSQL, through the real app."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta

import pytest
import sqlalchemy as sa
from fastapi.testclient import TestClient

from contract_flow.adapters.clock import FixedClock
from contract_flow.adapters.tables import token_table
from contract_flow.asgi import create_app
from contract_flow.bootstrap import App, bootstrap
from contract_flow.domain.errors import InvalidInput, NotFound
from contract_flow.services.directory import (
    deactivate_user,
    list_tokens,
    new_api_token,
    revoke_token,
)
from contract_flow.settings import Settings
from tests.conftest import NOW, People, snapshot

CASES = "/api/v1/cases"


@pytest.fixture
def api(app: App, people: People) -> Iterator[TestClient]:
    with TestClient(create_app(app), raise_server_exceptions=False) as client:
        yield client


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def unknown_answer(api: TestClient) -> tuple[int, object]:
    answer = api.get(CASES, headers=bearer("not-a-token-anyone-was-given"))
    return answer.status_code, answer.json()


# Days after the issue, and whether the token still works: the default lifetime is 90 days (settings.py).
LIFETIME = [(0, True), (89, True), (90, False), (400, False)]


@pytest.mark.parametrize(("days", "works"), LIFETIME)
def test_a_token_works_for_ninety_days_then_gets_the_answer_of_an_unknown_one(
        app: App, people: People, api: TestClient, clock: FixedClock, days: int, works: bool) -> None:
    token = new_api_token(app, people.advisor).token
    clock.set(NOW + timedelta(days=days, seconds=-1 if days and works else 0))
    answer = api.get(CASES, headers=bearer(token))
    if works:
        assert answer.status_code == 200, answer.text
    else:
        assert (answer.status_code, answer.json()) == unknown_answer(api)


def test_the_lifetime_is_the_setting_api_token_days(database_url: str, people: People, clock: FixedClock) -> None:
    weekly = bootstrap(Settings(database_url=database_url, environment="test", api_token_days=7), clock=clock)
    try:
        issued = new_api_token(weekly, people.advisor)
        assert issued.expires_at == NOW + timedelta(days=7)
        with TestClient(create_app(weekly), raise_server_exceptions=False) as api:
            clock.set(NOW + timedelta(days=6, hours=23))
            assert api.get(CASES, headers=bearer(issued.token)).status_code == 200
            clock.set(NOW + timedelta(days=7))
            assert api.get(CASES, headers=bearer(issued.token)).status_code == 401
    finally:
        weekly.close()


def test_a_token_issued_before_expiries_existed_expires_ninety_days_after_its_issue(
        app: App, people: People, api: TestClient, clock: FixedClock) -> None:
    issued = new_api_token(app, people.advisor)
    with app.engine.begin() as connection:  # as migration 0007 leaves the tokens issued before it
        connection.execute(sa.update(token_table).where(token_table.c.id == issued.id).values(expires_at=None))
    assert [t.expires_at for t in list_tokens(app, people.advisor) if t.id == issued.id] == [
        NOW + timedelta(days=90)]
    clock.set(NOW + timedelta(days=90, seconds=-1))
    assert api.get(CASES, headers=bearer(issued.token)).status_code == 200
    clock.set(NOW + timedelta(days=90))
    assert api.get(CASES, headers=bearer(issued.token)).status_code == 401


def test_a_revoked_token_gets_the_answer_of_an_unknown_one_and_the_others_keep_working(
        app: App, people: People, api: TestClient, clock: FixedClock) -> None:
    kept, revoked = new_api_token(app, people.advisor), new_api_token(app, people.advisor)
    assert api.get(CASES, headers=bearer(revoked.token)).status_code == 200
    clock.advance(timedelta(minutes=5))
    info = revoke_token(app, people.advisor, revoked.id)
    assert (info.state, info.revoked_at) == ("revoked", NOW + timedelta(minutes=5))
    answer = api.get(CASES, headers=bearer(revoked.token))
    assert (answer.status_code, answer.json()) == unknown_answer(api)
    assert api.get(CASES, headers=bearer(kept.token)).status_code == 200
    clock.advance(timedelta(days=1))
    again = revoke_token(app, people.advisor, revoked.id)
    assert again.revoked_at == NOW + timedelta(minutes=5), "revoking twice keeps the first revocation's time"


def test_a_token_of_another_user_cannot_be_revoked_by_naming_its_id(app: App, people: People) -> None:
    theirs = new_api_token(app, people.lead)
    before = snapshot(app)
    with pytest.raises(NotFound):
        revoke_token(app, people.advisor, theirs.id)
    assert snapshot(app) == before


def test_the_last_use_is_recorded_at_most_once_a_minute(
        app: App, people: People, api: TestClient, clock: FixedClock) -> None:
    issued = new_api_token(app, people.advisor)

    def last_used() -> object:
        return next(t.last_used_at for t in list_tokens(app, people.advisor) if t.id == issued.id)

    assert last_used() is None
    # (seconds after the issue, last use recorded then): a use within a minute of the record writes nothing.
    for seconds, recorded in [(10, 10), (40, 10), (69, 10), (70, 70), (200, 200)]:
        clock.set(NOW + timedelta(seconds=seconds))
        assert api.get(CASES, headers=bearer(issued.token)).status_code == 200
        assert last_used() == NOW + timedelta(seconds=recorded), seconds


def test_tokens_are_listed_oldest_first_with_their_state(
        app: App, people: People, api: TestClient, clock: FixedClock) -> None:
    first = list_tokens(app, people.advisor)  # the one `user add` issued
    used, revoked = new_api_token(app, people.advisor), new_api_token(app, people.advisor)
    api.get(CASES, headers=bearer(used.token))
    revoke_token(app, people.advisor, revoked.id)
    clock.set(NOW + timedelta(days=1))
    listed = list_tokens(app, people.advisor)
    assert [(t.id, t.state, t.last_used_at) for t in listed] == [
        (first[0].id, "active", None), (used.id, "active", NOW), (revoked.id, "revoked", None)]
    clock.set(NOW + timedelta(days=91))
    assert [t.state for t in list_tokens(app, people.advisor)] == ["expired", "expired", "revoked"]


def test_a_deactivated_users_tokens_are_refused_and_none_is_issued_to_them(
        app: App, people: People, api: TestClient) -> None:
    issued = new_api_token(app, people.tutor)
    assert api.get(CASES, headers=bearer(issued.token)).status_code == 200
    deactivate_user(app, people.tutor)
    answer = api.get(CASES, headers=bearer(issued.token))
    assert (answer.status_code, answer.json()) == unknown_answer(api)
    before = snapshot(app)
    with pytest.raises(InvalidInput, match="deactivated"):
        new_api_token(app, people.tutor)
    assert snapshot(app) == before
