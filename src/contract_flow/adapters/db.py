"""Engines for SQLite (the embedded default) and PostgreSQL (production), configured for safe concurrent writes.

SQLite: WAL so readers never block the writer, `synchronous=NORMAL` (durable at each checkpoint, safe in WAL),
`foreign_keys=ON`, a busy timeout, and `BEGIN IMMEDIATE` for write transactions so that two writers queue at
BEGIN instead of failing later with "database is locked" when one upgrades its read lock (SQLite docs, "Isolation
In SQLite"). pysqlite's own transaction handling is turned off to let us emit BEGIN ourselves (SQLAlchemy docs,
"Serializable isolation / Savepoints / Transactional DDL").
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from sqlalchemy.engine import Engine, make_url

from contract_flow.adapters.search import register_sqlite_functions


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def make_engine(url: str, *, busy_timeout_ms: int = 10_000, echo: bool = False) -> Engine:
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite":
        return sa.create_engine(parsed, echo=echo, pool_pre_ping=True, future=True)
    database = parsed.database
    if database and database != ":memory:" and not database.startswith("file:"):
        Path(database).parent.mkdir(parents=True, exist_ok=True)
    # Each thread keeps its connection (services/unit_of_work.Connections): the pool must hold one per thread
    # of the busiest caller, the HTTP server's thread pool (40 in AnyIO's default limiter) and then some.
    engine = sa.create_engine(parsed, echo=echo, connect_args={"check_same_thread": False}, pool_size=64,
                              max_overflow=64)

    @sa.event.listens_for(engine, "connect")
    def _configure(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None  # we issue BEGIN ourselves, below
        cursor = dbapi_connection.cursor()
        if database and database != ":memory:":
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()
        register_sqlite_functions(dbapi_connection)  # the accent-blind search's cf_fold (adapters/search.py)

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        driver = connection.connection.driver_connection
        assert driver is not None  # a connection being begun is checked out, so it has its driver connection
        if not driver.in_transaction:  # a unit of work may have begun it already, at the driver (see below)
            driver.execute(f"BEGIN {connection.get_execution_options().get('sqlite_begin', 'DEFERRED')}")

    return engine
