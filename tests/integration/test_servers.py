"""The throwaway test servers are private, reachable, and restartable."""

from __future__ import annotations

import socket
from pathlib import Path
from urllib.parse import urlsplit

import psycopg
import pytest
import redis

from tests.support.servers import (
    RedisServer,
    ServerBinaryMissing,
    ServerStartError,
    free_port,
    libpq_dsn,
    start_postgres,
)

MACHINE_POSTGRES_PORT = 5432
MACHINE_REDIS_PORT = 6379


def _port(url: str) -> int:
    port = urlsplit(url).port
    assert port is not None, url
    return port


def test_postgres_url_is_private_and_answers(postgres_url: str) -> None:
    parts = urlsplit(postgres_url)
    assert parts.scheme == "postgresql+psycopg"
    assert parts.hostname == "127.0.0.1"
    assert _port(postgres_url) != MACHINE_POSTGRES_PORT
    with psycopg.connect(libpq_dsn(postgres_url), connect_timeout=5) as conn:
        row = conn.execute("SELECT 1, current_database(), current_user").fetchone()
    assert row == (1, "contract_flow_test", "postgres")


def test_redis_url_is_private_and_answers(redis_url: str) -> None:
    parts = urlsplit(redis_url)
    assert parts.scheme == "redis"
    assert parts.hostname == "127.0.0.1"
    assert _port(redis_url) != MACHINE_REDIS_PORT
    client = redis.Redis.from_url(redis_url, socket_timeout=5)
    try:
        assert client.ping() is True
    finally:
        client.close()


def test_private_redis_is_not_the_shared_one(private_redis: RedisServer, redis_url: str) -> None:
    assert private_redis.port not in (_port(redis_url), MACHINE_REDIS_PORT)


def test_private_redis_restarts_on_same_port(private_redis: RedisServer) -> None:
    client = redis.Redis.from_url(private_redis.url, socket_timeout=5)
    try:
        port = private_redis.port
        client.set("k", "v")
        assert client.get("k") == b"v"

        private_redis.restart()
        assert private_redis.port == port
        assert client.ping() is True  # the client reconnects by itself
        assert client.get("k") is None  # nothing is persisted

        private_redis.kill()
        assert not private_redis.ping()
        with pytest.raises(redis.ConnectionError):
            client.ping()
        private_redis.start()
        assert client.ping() is True
    finally:
        client.close()


def test_private_postgres_restarts_and_keeps_data(tmp_path: Path) -> None:
    with start_postgres(tmp_path) as server:
        assert server.port != MACHINE_POSTGRES_PORT
        with psycopg.connect(server.dsn, autocommit=True) as conn:
            conn.execute("CREATE TABLE t (x int)")
            conn.execute("INSERT INTO t VALUES (42)")
        server.restart()
        with psycopg.connect(server.dsn) as conn:
            assert conn.execute("SELECT x FROM t").fetchone() == (42,)
        server_dir = server.dir
    assert not server.running
    assert not server_dir.exists()


def test_free_port_is_bindable() -> None:
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_start_failure_reports_log_tail(private_redis: RedisServer, tmp_path: Path) -> None:
    clash = RedisServer(tmp_path, port=private_redis.port, start_timeout=10)
    try:
        with pytest.raises(ServerStartError, match=r"(?s)exited with code.*Address already in use"):
            clash.start()
    finally:
        clash.close()
    assert private_redis.ping()


def test_missing_postgres_binaries_say_how_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("CONTRACT_FLOW_PG_BINDIR", str(tmp_path))
    with pytest.raises(ServerBinaryMissing, match="make test"):
        start_postgres(tmp_path)
