"""Pytest fixtures for the throwaway PostgreSQL and Redis test servers.

Enable them in ``tests/conftest.py`` with::

    pytest_plugins = ["tests.support.conftest_servers"]

Fixtures:

``postgres_url`` (session)
    SQLAlchemy URL ``postgresql+psycopg://postgres@127.0.0.1:PORT/contract_flow_test``.
    For ``psycopg.connect`` use ``libpq_dsn(postgres_url)`` from
    ``tests.support.servers``.
``redis_url`` (session)
    ``redis://127.0.0.1:PORT/0``.
``private_redis`` (function)
    A :class:`~tests.support.servers.RedisServer` of the test's own, started
    for it and closed after it, for tests that stop / kill / restart Redis
    (``private_redis.restart()``, ``.kill()``, ``.start()``, ``.url``). It
    never is the shared ``redis_url`` server, so breaking it cannot disturb
    other tests. Starting one takes a few milliseconds.

Where the shared servers come from:

* Under ``make test`` the wrapper ``python -m tests.support.servers -- ...``
  has already started them and exported ``CONTRACT_FLOW_TEST_POSTGRES_URL`` and
  ``CONTRACT_FLOW_TEST_REDIS_URL``; the fixtures return those URLs.
* Otherwise (plain ``pytest``), each fixture starts its own throwaway server
  in a ``tmp_path_factory`` directory on first use and stops it at the end of
  the session.

Why ``private_redis`` instead of restarting the shared server: a server started
by the wrapper lives in another process, so restarting it from a test would
need cross-process plumbing, and a test that breaks the shared server would
break the ones after it. A private server per restart test is simpler and
isolated.

Tests using these fixtures never skip: if PostgreSQL or Redis is not installed
they error with a message saying to run ``make test`` or
``scripts/ensure-system-packages.sh``.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TypeVar

import pytest

from tests.support.servers import (
    ENV_POSTGRES_URL,
    ENV_REDIS_URL,
    RedisServer,
    ServerBinaryMissing,
    ServerStartError,
    start_postgres,
    start_redis,
)

__all__ = ["postgres_url", "private_redis", "redis_url"]

T = TypeVar("T")


def _start(what: str, start: Callable[[], T]) -> T:
    """Start a server, turning a failure into a clear test error (never a skip)."""
    try:
        return start()
    except (ServerBinaryMissing, ServerStartError) as exc:
        message = str(exc)
    # Outside the except block, so the report shows the message, not a chained traceback.
    pytest.fail(f"Could not start a throwaway {what} for the tests: {message}", pytrace=False)


@pytest.fixture(scope="session")
def postgres_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of the session's PostgreSQL (from the env, else a throwaway server)."""
    from_env = os.environ.get(ENV_POSTGRES_URL)
    if from_env:
        yield from_env
        return
    server = _start("PostgreSQL", lambda: start_postgres(tmp_path_factory.mktemp("postgres")))
    try:
        yield server.url
    finally:
        server.close()


@pytest.fixture(scope="session")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """URL of the session's Redis (from the env, else a throwaway server)."""
    from_env = os.environ.get(ENV_REDIS_URL)
    if from_env:
        yield from_env
        return
    server = _start("Redis", lambda: start_redis(tmp_path_factory.mktemp("redis")))
    try:
        yield server.url
    finally:
        server.close()


@pytest.fixture
def private_redis(tmp_path: Path) -> Iterator[RedisServer]:
    """A Redis of this test's own, free to stop, kill and restart."""
    server = _start("Redis", lambda: start_redis(tmp_path))
    try:
        yield server
    finally:
        server.close()
